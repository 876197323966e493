import { Duration, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { CaKeyAlgorithm, CaSigningAlgorithm, CaUsageMode, KeyStorageSecurityStandard } from '../../../src/private-ca/ca-algorithms';
import { CaSharePrincipal } from '../../../src/private-ca/ca-share-principal';
import { CaValidity } from '../../../src/private-ca/ca-validity';
import { CrlBucket } from '../../../src/private-ca/crl-bucket';
import { PrivateCaHierarchy } from '../../../src/private-ca/private-ca-hierarchy';
import { PrivateCertificateAuthority } from '../../../src/private-ca/private-certificate-authority';
import { RootCa } from '../../../src/private-ca/root-ca';
import { SubordinateCa } from '../../../src/private-ca/subordinate-ca';
import { filled, maybe, mostly, tags } from '../arbitraries';
import { AdversarialSpec, Finding, may, must } from '../harness';
import {
  algorithmFindings,
  bucketNameFindings,
  CA_KEYS,
  childValidityFindings,
  cnameFindings,
  crlDaysFindings,
  familyOf,
  SUBJECT_FIELDS,
  subjectFindings,
  ValiditySpec,
  validityFindings,
} from '../oracle/pca';
import { tagFindings } from '../oracle/tags';
import { checkBucketNames, checkCaCertificates, checkCertificateAuthorities, resourcesOf } from '../oracle/template';

const DAY = 86_400_000;

// ---------------------------------------------------------------- shared generators
const lowerFirst = (s: string): string => s[0].toLowerCase() + s.slice(1);

/** One subject field: undefined, at its limit, one over, empty, with bad characters or astral characters. */
const subjectField = (max: number): fc.Arbitrary<string | undefined> => fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9 ]{1,5}$/) },
  { weight: 1, arbitrary: fc.constantFrom(filled(max), filled(max + 1), '', 'a#b', 'é', 'a,b', 'a\nb', '😀'.repeat(max), 'Ω'.repeat(max)) },
);
const country = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('US', 'de', 'USA', 'U', '', '1A', 'Ü1') });

export const subject: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,20}$/).map((cn) => ({ commonName: cn })) },
  {
    weight: 2,
    arbitrary: fc.record(Object.fromEntries(SUBJECT_FIELDS.map(([f, max]) => [lowerFirst(f), f === 'Country' ? country : subjectField(max)])))
      .map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined))),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      customAttributes: fc.array(fc.record({ objectIdentifier: fc.constantFrom('2.5.4.3', '1.3.6.1.4.1.99', '3.1', 'x', '2.5.4.' + '1'.repeat(70)), value: fc.constantFrom('v', '', filled(256), filled(257)) }), { maxLength: 2 }),
      commonName: maybe(fc.constant('Mixed')),
    }, { requiredKeys: ['customAttributes'] }),
  },
);

const caKeyName = mostly(fc.constantFrom(...CA_KEYS), fc.constantFrom('RSA_1024', 'SM2', '', ' ', 'rsa_2048'));
const caSigningName = maybe(mostly(fc.constantFrom('SHA256WITHRSA', 'SHA384WITHRSA', 'SHA512WITHRSA', 'SHA256WITHECDSA', 'SHA384WITHECDSA', 'SHA512WITHECDSA'),
  fc.constantFrom('SM3WITHSM2', '', 'sha256withrsa')));

/** Validity: whole or fractional days, end dates in the past, near, far and beyond year 9999. */
const validity: fc.Arbitrary<ValiditySpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 4,
    arbitrary: fc.oneof(fc.constantFrom(0, 1, 2, 7, 365, 1825, 3650, 3651, 7300, 1.5), fc.integer({ min: 1, max: 8000 })).map((days) => ({ days })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-2 * DAY, 3 * 3600_000, 30 * DAY, 3 * 365 * DAY, 20 * 365 * DAY,
      Date.UTC(9999, 11, 31) - Date.now(), Date.UTC(10000, 0, 2) - Date.now())
      .map((offset) => ({ end: Math.floor((Date.now() + offset) / 1000) * 1000 })),
  },
);

function toValidity(v: ValiditySpec): CaValidity | undefined {
  if (v === undefined) return undefined;
  return 'days' in v ? CaValidity.duration(Duration.hours(v.days * 24)) : CaValidity.endDate(new Date(v.end));
}

function defaultSigning(key: string): string {
  if (key === 'EC_secp384r1') return 'SHA384WITHECDSA';
  if (key === 'SM2') return 'SM3WITHSM2';
  return familyOf(key) === 'EC' ? 'SHA256WITHECDSA' : 'SHA256WITHRSA';
}

// ---------------------------------------------------------------- RootCa (and the CA options every CA shares)
interface RootInput {
  subject: Record<string, unknown>;
  key: string;
  signing?: string;
  usage?: CaUsageMode;
  validity: ValiditySpec;
  revocation?: { crl: boolean; crlDays?: number; crlCname?: string; omit?: boolean; partitioned?: boolean; ocsp?: boolean; ocspCname?: string };
  keyStorage?: KeyStorageSecurityStandard;
  region: string;
  tags?: Record<string, string>;
}

const cname = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('crl.example.com', 'ocsp.example.com', 'd111111abcdef8.cloudfront.net') },
  { weight: 2, arbitrary: fc.constantFrom('http://crl.example.com', 'HTTPS://crl.example.com', 'ftp://x', 'crl example.com', 'crl.exämple.com', 'a'.repeat(253), 'a'.repeat(254), '', 'crl.example.com/path?x=1', '<crl>') },
);

const revocation = maybe(mostly<NonNullable<RootInput['revocation']>>(fc.constantFrom({ crl: true }, { crl: false, ocsp: true }, { crl: true, crlDays: 30, crlCname: 'crl.example.com', ocsp: true }), fc.record({
  crl: fc.boolean(),
  crlDays: maybe(fc.constantFrom(0, 1, 7, 5000, 5001, 1.5)),
  crlCname: maybe(cname),
  omit: maybe(fc.boolean()),
  partitioned: maybe(fc.boolean()),
  ocsp: maybe(fc.boolean()),
  ocspCname: maybe(cname),
}, { requiredKeys: ['crl'] }), 2));

const rootInput: fc.Arbitrary<RootInput> = fc.record({
  subject: mostly(fc.constant({ commonName: 'Root CA' }), subject, 1),
  key: caKeyName,
  signing: caSigningName,
  usage: maybe(fc.constantFrom(CaUsageMode.GENERAL_PURPOSE, CaUsageMode.SHORT_LIVED_CERTIFICATE)),
  validity,
  revocation,
  keyStorage: maybe(fc.constantFrom(KeyStorageSecurityStandard.FIPS_140_2_LEVEL_2_OR_HIGHER,
    KeyStorageSecurityStandard.FIPS_140_2_LEVEL_3_OR_HIGHER)),
  region: mostly(fc.constant('eu-west-1'), fc.constant('ap-northeast-3')),
  tags,
}, { requiredKeys: ['subject', 'key', 'validity', 'region'] });

function caOptionFindings(i: { subject: Record<string, unknown>; key: string; signing?: string; tags?: Record<string, string> }): Finding[] {
  // Every CA gets a Name tag (its construct path) unless one is given, and it counts against the 50 tags.
  const out = [...subjectFindings(i.subject), ...algorithmFindings(i.key, i.signing ?? defaultSigning(i.key)), ...tagFindings({ Name: 'Stack/Root', ...(i.tags ?? {}) })];
  return out;
}

function revocationFindings(r: RootInput['revocation']): Finding[] {
  if (r === undefined) return [];
  const out: Finding[] = [];
  if (r.crl) {out.push(...crlDaysFindings(r.crlDays));} else {
    // RV-01: a disabled CRL configuration holds only Enabled=false.
    for (const [k, v] of [['crlExpiration', r.crlDays], ['crlCustomCname', r.crlCname], ['crlOmitDistributionPoint', r.omit], ['crlPartitioned', r.partitioned]] as const) {
      if (v !== undefined) out.push(must('RV-01 CRL settings without a CRL', k));
    }
  }
  if (r.crlCname !== undefined) out.push(...cnameFindings(r.crlCname));
  if (r.ocspCname !== undefined) out.push(...cnameFindings(r.ocspCname));
  if (r.omit && r.crlCname !== undefined) out.push(must('RV-08 OmitExtension with a CustomCname', 'crlOmitDistributionPoint'));
  if (r.ocsp !== true && r.ocspCname !== undefined) out.push(must('RV-01 OCSP settings without OCSP', 'ocspCustomCname'));
  return out;
}

export const rootCaSpec: AdversarialSpec<RootInput> = {
  construct: 'RootCa',
  arbitrary: rootInput,
  numRuns: 200,
  region: (i) => i.region,
  build(stack: Stack, i: RootInput) {
    const r = i.revocation;
    new RootCa(stack, 'Root', {
      subject: i.subject as any,
      keyAlgorithm: CaKeyAlgorithm.of(i.key),
      signingAlgorithm: i.signing === undefined ? undefined : CaSigningAlgorithm.of(i.signing),
      usageMode: i.usage,
      validity: toValidity(i.validity),
      keyStorageSecurityStandard: i.keyStorage,
      tags: i.tags,
      revocation: r === undefined ? undefined : {
        crlBucket: r.crl ? new CrlBucket(stack, 'Crl', { publicDistribution: false }) : undefined,
        crlExpiration: r.crlDays === undefined ? undefined : Duration.hours(r.crlDays * 24),
        crlCustomCname: r.crlCname,
        crlOmitDistributionPoint: r.omit,
        crlPartitioned: r.partitioned,
        ocsp: r.ocsp,
        ocspCustomCname: r.ocspCname,
      },
    });
    return { path: 'Stack/Root' };
  },
  oracle(i, now) {
    const out = [...caOptionFindings(i), ...validityFindings(i.validity, now), ...revocationFindings(i.revocation)];
    // CA-07: ap-northeast-3 offers only level 2 key storage, and the CA must ask for it.
    if (i.region === 'ap-northeast-3' && i.keyStorage !== KeyStorageSecurityStandard.FIPS_140_2_LEVEL_2_OR_HIGHER) out.push(must('CA-07 ap-northeast-3 needs level 2', 'ap-northeast-3'));
    // IS-07 applies to what a short-lived CA issues; whether it bounds the root's own certificate is not documented.
    if (i.usage === CaUsageMode.SHORT_LIVED_CERTIFICATE && !(i.validity && 'days' in i.validity && i.validity.days <= 7)) out.push(may('IS-07 short-lived root over 7 days', i.usage));
    return out;
  },
  checkTemplate(t, i, now) {
    const problems = [...checkCertificateAuthorities(t), ...checkCaCertificates(t, now), ...checkBucketNames(t)]
      .filter((p) => !(algorithmFindings(i.key, i.signing ?? defaultSigning(i.key)).length && /CA-0[23]/.test(p)));
    const [[, ca]] = resourcesOf(t, 'AWS::ACMPCA::CertificateAuthority');
    if (ca.Type !== 'ROOT') problems.push(`Type ${ca.Type}`);
    const crl = ca.RevocationConfiguration?.CrlConfiguration;
    if (i.revocation?.crl && crl?.ExpirationInDays !== (i.revocation.crlDays ?? 7)) problems.push(`ExpirationInDays ${crl?.ExpirationInDays}, expected ${i.revocation.crlDays ?? 7}`);
    return problems;
  },
};

// ---------------------------------------------------------------- SubordinateCa chains
interface Level {
  key: string;
  signing?: string;
  validity: ValiditySpec;
  pathLength?: number;
}
interface ChainInput {
  root: Level;
  levels: Level[];
}

const level: fc.Arbitrary<Level> = fc.record({
  key: mostly(fc.constantFrom(...CA_KEYS), caKeyName),
  signing: maybe(mostly(fc.constantFrom('SHA256WITHRSA', 'SHA256WITHECDSA', 'SHA512WITHECDSA'), caSigningName.map((s) => s ?? 'SHA384WITHRSA'))),
  validity: mostly(fc.constant(undefined), validity, 2),
  pathLength: maybe(fc.constantFrom(0, 1, 2, 3, 4, -1, 1.5)),
}, { requiredKeys: ['key', 'validity'] });

const chainInput: fc.Arbitrary<ChainInput> = fc.record({
  root: level.map((l) => ({ ...l, pathLength: undefined })),
  levels: fc.array(level, { minLength: 1, maxLength: 5 }),
});

/** The validity each CA of a chain ends up with: given, or the documented default (10 years root, half the parent's, else 5 years). */
function effectiveValidities(i: ChainInput): Array<{ days: number } | { end: number }> {
  const out: Array<{ days: number } | { end: number }> = [i.root.validity ?? { days: 3650 }];
  for (const l of i.levels) {
    const parent = out[out.length - 1];
    out.push(l.validity ?? ('days' in parent && parent.days >= 2 ? { days: Math.floor(parent.days / 2) } : { days: 1825 }));
  }
  return out;
}

const COMPUTED_DEPTH = 'HI-03 computed path length over 3';

function chainFindings(i: ChainInput, now: number): Finding[] {
  const all = [i.root, ...i.levels];
  const out: Finding[] = [];
  all.forEach((l) => out.push(...algorithmFindings(l.key, l.signing ?? defaultSigning(l.key)), ...validityFindings(l.validity, now)));
  const eff = effectiveValidities(i);
  for (let k = 1; k < eff.length; k++) {
    if (validityFindings(all[k - 1].validity, now).length === 0 && validityFindings(all[k].validity, now).length === 0) {
      out.push(...childValidityFindings(eff[k], eff[k - 1], now));
    }
  }
  // Path lengths: 0-3 (the service templates), each child's at most its parent's minus one (HI-03); an unset one is
  // the number of CA levels below it (the construct's documented default).
  const pathLens = computedPathLengths(i.levels);
  i.levels.forEach((l, k) => {
    if (l.pathLength !== undefined && !(Number.isInteger(l.pathLength) && l.pathLength >= 0 && l.pathLength <= 3)) out.push(must('HI-03 pathLength 0-3', l.pathLength));
    else if (l.pathLength === undefined && pathLens[k] > 3) out.push(must(COMPUTED_DEPTH, pathLens[k]));
    // An unset parent is one more than its child, so only an explicit parent can be too small.
    if (k > 0 && Number.isInteger(pathLens[k - 1]) && pathLens[k] > pathLens[k - 1] - 1) out.push(must('HI-03 child path length < parent\'s', pathLens[k - 1]));
  });
  return out;
}

export const subordinateCaSpec: AdversarialSpec<ChainInput> = {
  construct: 'SubordinateCa',
  arbitrary: chainInput,
  numRuns: 200,
  build(stack, i) {
    const opts = (l: Level) => ({
      subject: { commonName: 'CA' },
      keyAlgorithm: CaKeyAlgorithm.of(l.key),
      signingAlgorithm: l.signing === undefined ? undefined : CaSigningAlgorithm.of(l.signing),
      validity: toValidity(l.validity),
      revocation: { ocsp: true },
    });
    let parent: PrivateCertificateAuthority = new RootCa(stack, 'Root', opts(i.root));
    i.levels.forEach((l, k) => {
      parent = new SubordinateCa(stack, `Sub${k}`, { ...opts(l), parent, pathLength: l.pathLength });
    });
    return { path: 'Stack/' };
  },
  oracle: chainFindings,
  checkTemplate(t, i, now) {
    const problems = [...checkCertificateAuthorities(t), ...checkCaCertificates(t, now)]
      .filter((p) => !([i.root, ...i.levels].some((l) => algorithmFindings(l.key, l.signing ?? defaultSigning(l.key)).length) && /CA-0[23]/.test(p)));
    const activations = resourcesOf(t, 'AWS::ACMPCA::CertificateAuthorityActivation');
    if (activations.length !== i.levels.length + 1) problems.push(`${activations.length} activations for ${i.levels.length + 1} CAs`);
    for (const [id, a] of activations) {
      if (a.Status !== 'ACTIVE') problems.push(`activation ${id} status ${a.Status}`);
    }
    return problems;
  },
};

/**
 * The path length of each level: the given one, else one more than the level below it (0 for the last), the only
 * value that leaves room for the CAs below (HI-03).
 */
function computedPathLengths(levels: Level[]): number[] {
  const out: number[] = new Array(levels.length);
  for (let k = levels.length - 1; k >= 0; k--) out[k] = levels[k].pathLength ?? (k === levels.length - 1 ? 0 : 1 + out[k + 1]);
  return out;
}

// ---------------------------------------------------------------- PrivateCaHierarchy
interface HierarchyCa {
  id: string;
  key: string;
  validity: ValiditySpec;
  usage?: CaUsageMode;
  subject: Record<string, unknown>;
  tags?: Record<string, string>;
}
interface HierarchyInput {
  root: HierarchyCa;
  intermediates?: HierarchyCa[];
  issuing: HierarchyCa[];
  crl?: boolean;
  crlDays?: number;
  ocsp?: boolean;
  allowAcmRenewal?: boolean;
  disableRoot?: boolean;
  shareWith?: Principal[];
  tags?: Record<string, string>;
}
interface Principal {
  kind: 'account' | 'organization' | 'organizationalUnit';
  value: string;
}

const caId = mostly(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,8}$/), fc.constantFrom('', 'CrlBucket', 'DisableRoot', 'a/b', ' ', 'Root', 'Issuing'), 6);
const hierarchyCa: fc.Arbitrary<HierarchyCa> = fc.record({
  id: caId,
  key: mostly(fc.constantFrom('RSA_2048', 'EC_prime256v1'), fc.constantFrom(...CA_KEYS)),
  validity: mostly(fc.constant(undefined), validity, 3),
  usage: maybe(fc.constantFrom(CaUsageMode.GENERAL_PURPOSE, CaUsageMode.SHORT_LIVED_CERTIFICATE)),
  subject: mostly(fc.constant({ commonName: 'CA' }), subject, 8),
  tags: maybe(fc.constant({ level: 'x' })),
}, { requiredKeys: ['id', 'key', 'validity', 'subject'] });

const principal: fc.Arbitrary<Principal> = fc.record({
  kind: fc.constantFrom<Principal['kind']>('account', 'organization', 'organizationalUnit'),
  value: mostly(
    fc.constantFrom('123456789012', 'arn:aws:organizations::123456789012:organization/o-abc123def4', 'arn:aws:organizations::123456789012:ou/o-abc123def4/ou-ab12-cdef3456'),
    fc.constantFrom('12345', '', 'arn:aws:iam::123456789012:root', '1234567890123', '*', 'o-abc123def4', 'o-abc123def4/r-ab12/ou-ab12-cdef3456/'),
  ),
});

const hierarchyInput: fc.Arbitrary<HierarchyInput> = fc.record({
  root: hierarchyCa.map((c) => ({ ...c, usage: undefined })),
  intermediates: maybe(fc.array(hierarchyCa.map((c) => ({ ...c, usage: undefined })), { maxLength: 4 })),
  issuing: mostly(fc.array(hierarchyCa, { minLength: 1, maxLength: 3 }), fc.constant([]), 8),
  crl: maybe(fc.boolean()),
  crlDays: maybe(fc.constantFrom(0, 1, 7, 5000, 5001)),
  ocsp: maybe(fc.boolean()),
  allowAcmRenewal: maybe(fc.boolean()),
  disableRoot: maybe(fc.boolean()),
  shareWith: maybe(fc.array(principal, { maxLength: 2 })),
  tags,
}, { requiredKeys: ['root', 'issuing'] });

function hierarchyFindings(i: HierarchyInput, now: number): Finding[] {
  const out: Finding[] = [];
  const inter = i.intermediates ?? [];
  const all = [i.root, ...inter, ...i.issuing];
  if (i.issuing.length === 0) out.push(must('a hierarchy needs an issuing CA', 'issuing'));
  if (inter.length > 3) out.push(must('HI-03 at most 3 intermediate levels', inter.length));
  const ids = all.map((c) => c.id);
  ids.forEach((id, k) => {
    if (ids.indexOf(id) !== k) out.push(must('construct ids of the CAs are distinct', id));
  });
  // ids that clash with the hierarchy's own children, or that constructs cannot take: either a rename or a clear error.
  for (const id of ids) {
    if (id === '') out.push(must('a CA id is not empty', id));
    if (id === 'CrlBucket' && i.crl !== false) out.push(may('id clashes with the CRL bucket', id));
    if (id === 'DisableRoot' && i.disableRoot) out.push(may('id clashes with the DisableRoot resource', id));
    if (id.includes('/') && ids.some((o) => o === id.replace(/\//g, '--'))) out.push(may('ids equal after "/" sanitizing', id));
  }
  for (const c of all) {
    out.push(...subjectFindings(c.subject), ...validityFindings(c.validity, now), ...tagFindings({ Name: `Stack/Pki/${c.id}`, ...(i.tags ?? {}), ...(c.tags ?? {}) }));
  }
  if (i.crl === false && i.crlDays !== undefined) out.push(must('RV-01 crlExpiration without a CRL', 'crlExpiration'));
  if (i.crl !== false) out.push(...crlDaysFindings(i.crlDays));
  // Validity chain: root -> intermediates -> each issuing CA.
  const eff = (c: HierarchyCa, parent?: { days: number } | { end: number }): { days: number } | { end: number } =>
    c.validity ?? (parent === undefined ? { days: 3650 } : 'days' in parent && parent.days >= 2 ? { days: Math.floor(parent.days / 2) } : { days: 1825 });
  let parentV = eff(i.root);
  let parentOk = validityFindings(i.root.validity, now).length === 0;
  const check = (c: HierarchyCa, pv: { days: number } | { end: number }, ok: boolean) => {
    const v = eff(c, pv);
    if (ok && validityFindings(c.validity, now).length === 0) out.push(...childValidityFindings(v, pv, now));
    return v;
  };
  for (const c of inter) {
    const v = check(c, parentV, parentOk);
    parentOk = parentOk && validityFindings(c.validity, now).length === 0;
    parentV = v;
  }
  for (const c of i.issuing) check(c, parentV, parentOk);
  // A short-lived CA that issues CA certificates: the 7-day bound (IS-07) on what it issues is undecided here.
  for (const c of [...inter]) if (c.usage === CaUsageMode.SHORT_LIVED_CERTIFICATE) out.push(may('short-lived intermediate', c.id));
  for (const c of i.issuing) if (c.usage === CaUsageMode.SHORT_LIVED_CERTIFICATE) out.push(may('short-lived issuing CA', c.id));
  // RAM principals: 12-digit accounts, organization ARNs, OU ARNs; each once.
  const ramForm = {
    account: /^\d{12}$/,
    organization: /^arn:aws:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/,
    organizationalUnit: /^arn:aws:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/,
  };
  const shared = i.shareWith ?? [];
  shared.forEach((p, k) => {
    if (!ramForm[p.kind].test(p.value)) out.push(must(`RAM principal: ${p.kind} in the form RAM takes`, p.value));
    if (shared.findIndex((o) => o.kind === p.kind && o.value === p.value) !== k) out.push(must('RAM principal listed once', p.value));
  });
  return out;
}

export const privateCaHierarchySpec: AdversarialSpec<HierarchyInput> = {
  construct: 'PrivateCaHierarchy',
  arbitrary: hierarchyInput,
  numRuns: 120,
  build(stack, i) {
    const opts = (c: HierarchyCa) => ({
      id: c.id,
      subject: c.subject as any,
      keyAlgorithm: CaKeyAlgorithm.of(c.key),
      validity: toValidity(c.validity),
      usageMode: c.usage,
      tags: c.tags,
    });
    new PrivateCaHierarchy(stack, 'Pki', {
      root: opts(i.root),
      intermediates: i.intermediates?.map(opts),
      issuing: i.issuing.map(opts),
      crl: i.crl,
      crlExpiration: i.crlDays === undefined ? undefined : Duration.days(i.crlDays),
      ocsp: i.ocsp,
      allowAcmRenewal: i.allowAcmRenewal,
      disableRootAfterIssuance: i.disableRoot,
      shareWith: i.shareWith?.map((p) => CaSharePrincipal[p.kind](p.value)),
      tags: i.tags,
    });
    return { path: 'Stack/Pki' };
  },
  oracle: hierarchyFindings,
  checkTemplate(t, i, now) {
    const problems = [...checkCertificateAuthorities(t), ...checkCaCertificates(t, now), ...checkBucketNames(t)];
    const cas = resourcesOf(t, 'AWS::ACMPCA::CertificateAuthority');
    const expected = 1 + (i.intermediates?.length ?? 0) + i.issuing.length;
    if (cas.length !== expected) problems.push(`${cas.length} CAs for ${expected}`);
    const gp = i.issuing.filter((c) => c.usage !== CaUsageMode.SHORT_LIVED_CERTIFICATE).length;
    const perms = resourcesOf(t, 'AWS::ACMPCA::Permission').length;
    if (perms !== (i.allowAcmRenewal === false ? 0 : gp)) problems.push(`${perms} ACM permissions for ${gp} general-purpose issuing CAs`);
    for (const [id, s] of resourcesOf(t, 'AWS::RAM::ResourceShare')) {
      if (!(s.Principals ?? []).length) problems.push(`share ${id} without principals`);
    }
    return problems;
  },
};

// ---------------------------------------------------------------- CrlBucket
interface CrlInput {
  bucketName?: string;
  customCname?: string;
  publicDistribution?: boolean;
}

const bucketName = mostly(fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/), fc.constantFrom('ab', 'abc', filled(63, 'abcdefghij'), filled(64, 'abcdefghij'), 'My-Bucket', 'a..b', 'a.-b', '-abc', 'abc-',
  '192.168.1.1', 'xn--abc', 'sthree-abc', 'amzn-s3-demo-x', 'abc-s3alias', 'abc--ol-s3', 'abc.mrap', 'abc--x-s3', 'abc--table-s3', 's3://my-bucket', 'arn:aws:s3:::my-bucket', 'my-bucket/crl', '', 'a_b', 'bücket'), 2);

const crlInput: fc.Arbitrary<CrlInput> = fc.record({
  bucketName: maybe(bucketName),
  customCname: maybe(cname),
  publicDistribution: maybe(fc.boolean()),
});

export const crlBucketSpec: AdversarialSpec<CrlInput> = {
  construct: 'CrlBucket',
  arbitrary: crlInput,
  numRuns: 100,
  build(stack, i) {
    new CrlBucket(stack, 'Crl', i);
    return { path: 'Stack/Crl' };
  },
  oracle(i) {
    return [
      ...(i.bucketName === undefined ? [] : bucketNameFindings(i.bucketName)),
      ...(i.customCname === undefined ? [] : cnameFindings(i.customCname)),
    ];
  },
  checkTemplate(t, i) {
    const problems = checkBucketNames(t);
    const [[, bucket]] = resourcesOf(t, 'AWS::S3::Bucket');
    const bpa = bucket.PublicAccessBlockConfiguration ?? {};
    if (!['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every((k) => bpa[k] === true)) problems.push('Block Public Access not fully on');
    const policy = JSON.stringify(resourcesOf(t, 'AWS::S3::BucketPolicy')[0]?.[1] ?? {});
    // §7.1: Private CA needs PutObject, PutObjectAcl, GetBucketAcl, GetBucketLocation.
    for (const a of ['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketAcl', 's3:GetBucketLocation']) if (!policy.includes(a)) problems.push(`bucket policy lacks ${a}`);
    if (!policy.includes('acm-pca.amazonaws.com')) problems.push('bucket policy does not name acm-pca.amazonaws.com');
    if (!policy.includes('aws:SecureTransport')) problems.push('bucket policy does not deny plain HTTP');
    if (i.publicDistribution && resourcesOf(t, 'AWS::CloudFront::Distribution').length !== 1) problems.push('no distribution');
    return problems;
  },
};

export { CA_KEYS };
