import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as fc from 'fast-check';
import { CertificateExport } from '../../../src/certificates/certificate-export';
import { CertificateMaterial } from '../../../src/certificates/certificate-material';
import { ImportedCertificate } from '../../../src/certificates/imported-certificate';
import { CertificateKeyAlgorithm } from '../../../src/certificates/key-algorithm';
import { PrivateCertificate } from '../../../src/certificates/private-certificate';
import { PublicCertificate } from '../../../src/certificates/public-certificate';
import { PublicCertificateValidation } from '../../../src/certificates/public-certificate-validation';
import { CaKeyAlgorithm, CaUsageMode } from '../../../src/private-ca/ca-algorithms';
import { RootCa } from '../../../src/private-ca/root-ca';
import { domainName, exampleDomain, maybe, mostly, plainDomain, tags } from '../arbitraries';
import { AdversarialSpec, Finding, may, must } from '../harness';
import { isSameOrSuperdomain, nameListFindings } from '../oracle/dns';
import { familyOf } from '../oracle/pca';
import { nameTagFindings, tagFindings, checkTagList } from '../oracle/tags';
import { checkAcmCertificates, resourcesOf } from '../oracle/template';

const REQUESTABLE = ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'];
/** Certificate key algorithms: the seven documented ones and escape-hatch names. */
const certKeyName = mostly(fc.constantFrom('RSA_2048', 'EC_prime256v1', 'EC_secp384r1'), fc.constantFrom('RSA_2048', 'EC_prime256v1', 'EC_secp384r1', 'RSA_1024', 'RSA_3072', 'RSA_4096', 'EC_secp521r1', '', ' ', 'SM2'));
const certKey = (name: string): CertificateKeyAlgorithm => CertificateKeyAlgorithm.of(name);

function keyFindings(name: string | undefined): Finding[] {
  if (name === undefined || REQUESTABLE.includes(name)) return [];
  if (familyOf(name)) return [must('KeyAlgorithm: ACM requests only RSA_2048, EC_prime256v1, EC_secp384r1', name)];
  // `of()` of an unknown name is an escape hatch by design; a blank name is never an algorithm.
  return [/^\s*$/.test(name) ? must('KeyAlgorithm blank', name) : may('KeyAlgorithm outside the documented enum', name)];
}


const maxNames = maybe(mostly(
  fc.constantFrom(10, 100, 20),
  fc.oneof(fc.constantFrom(1, 2, 10, 99, 100, 101, 0, -1, 2.5, Number.NaN), fc.integer({ min: 1, max: 120 })),
));
const certificateName = maybe(mostly(fc.stringMatching(/^[a-z0-9 ._-]{1,20}$/), fc.constantFrom('', 'a#b', 'x'.repeat(256), 'x'.repeat(257))));

function maxNamesFindings(n: number | undefined): Finding[] {
  return n === undefined || (Number.isInteger(n) && n >= 1 && n <= 100) ? [] : [must('maxNames a whole number 1-100', n)];
}

// ---------------------------------------------------------------- PublicCertificate
const ZONES = ['example.com', 'sub.example.com', 'example.org', 'Example.NET.'];
interface PublicInput {
  domainName: string;
  sans?: string[];
  keyAlgorithm?: string;
  maxNames?: number;
  tags?: Record<string, string>;
  certificateName?: string;
  validation: { kind: 'manual' } | { kind: 'dns'; zones: string[] } | { kind: 'email'; domains: Array<[string, string]> };
  allowExport?: boolean;
  transparencyLogging?: boolean;
}

const publicInput: fc.Arbitrary<PublicInput> = fc.record({
  domainName: mostly(fc.oneof(plainDomain, exampleDomain), domainName, 2),
  sans: maybe(fc.oneof({ weight: 4, arbitrary: fc.array(mostly(fc.oneof(plainDomain, exampleDomain), domainName, 6), { maxLength: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 8, max: 102 }).map((n) => Array.from({ length: n }, (_, i) => `n${i}.example.com`)) })),
  keyAlgorithm: maybe(certKeyName),
  maxNames,
  tags,
  certificateName,
  validation: fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'manual' as const }) },
    fc.uniqueArray(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 3 }).map((zones) => ({ kind: 'dns' as const, zones })),
    fc.array(fc.tuple(fc.oneof(domainName, fc.constantFrom('example.com', 'www.example.com')), fc.constantFrom('example.com', 'www.example.com', 'example.org', 'com')), { maxLength: 2 })
      .map((domains) => ({ kind: 'email' as const, domains })),
  ),
  allowExport: maybe(fc.boolean()),
  transparencyLogging: maybe(fc.boolean()),
}, { requiredKeys: ['domainName', 'validation'] });

function publicOracle(i: PublicInput): Finding[] {
  const names = [i.domainName, ...(i.sans ?? [])];
  const out = [
    ...nameListFindings(names, i.maxNames ?? 10, true),
    ...maxNamesFindings(i.maxNames),
    ...keyFindings(i.keyAlgorithm),
    ...tagFindings({ Name: i.certificateName ?? 'Stack/Cert', ...(i.tags ?? {}) }),
    ...nameTagFindings(i.certificateName, i.tags),
  ];
  const norm = (z: string): string => z.toLowerCase().replace(/\.$/, '');
  if (i.validation.kind === 'dns') {
    // Each name must lie in a zone (the wildcard's base name for a wildcard).
    for (const n of names) {
      if (!i.validation.zones.some((z) => isSameOrSuperdomain(n.replace(/\.$/, ''), norm(z)))) out.push(must('DNS validation: a zone covers every name', n));
    }
  }
  if (i.validation.kind === 'email') {
    // SAN-5: each option's DomainName is a requested name; its ValidationDomain is that name or a superdomain.
    for (const [name, domain] of i.validation.domains) {
      const known = names.find((n) => n.toLowerCase().replace(/\.$/, '') === name.toLowerCase().replace(/\.$/, ''));
      if (known === undefined) out.push(must('SAN-5 validation option for a name of the certificate', name));
      else if (!isSameOrSuperdomain(known.replace(/\.$/, ''), domain)) out.push(must('SAN-5 ValidationDomain is the name or a superdomain', domain));
    }
    const keys = i.validation.domains.map(([n]) => n.toLowerCase());
    if (new Set(keys).size < keys.length) out.push(may('the same validation name twice', keys));
  }
  return out;
}

export const publicCertificateSpec: AdversarialSpec<PublicInput> = {
  construct: 'PublicCertificate',
  arbitrary: publicInput,
  numRuns: 300,
  build(stack: Stack, i: PublicInput) {
    let validation: PublicCertificateValidation | undefined;
    if (i.validation.kind === 'dns') {
      const zones = i.validation.zones.map((z, n) => route53.HostedZone.fromHostedZoneAttributes(stack, `Zone${n}`, { hostedZoneId: `Z${n}ABCDEFGHIJ`, zoneName: z }));
      validation = zones.length === 1 ? PublicCertificateValidation.fromDns(zones[0]) : PublicCertificateValidation.fromDnsMultiZone(zones);
    } else if (i.validation.kind === 'email') {
      validation = PublicCertificateValidation.fromEmail(Object.fromEntries(i.validation.domains));
    }
    new PublicCertificate(stack, 'Cert', {
      domainName: i.domainName,
      subjectAlternativeNames: i.sans,
      keyAlgorithm: i.keyAlgorithm === undefined ? undefined : certKey(i.keyAlgorithm),
      maxNames: i.maxNames,
      tags: i.tags,
      certificateName: i.certificateName,
      validation,
      allowExport: i.allowExport,
      transparencyLogging: i.transparencyLogging,
    });
    return { path: 'Stack/Cert' };
  },
  oracle: publicOracle,
  explainedPkiErrors: (i) => (i.transparencyLogging === false ? ['PKI-ACM2'] : []),
  checkTemplate(t, i) {
    const problems = checkAcmCertificates(t, { maxNames: i.maxNames ?? 10, isPublic: true })
      .filter((p) => !(i.keyAlgorithm && keyFindings(i.keyAlgorithm).some((f) => f.severity === 'may') && p.includes('KeyAlgorithm')));
    const [, cert] = resourcesOf(t, 'AWS::CertificateManager::Certificate')[0] ?? [];
    if (!cert) return ['no AWS::CertificateManager::Certificate'];
    if ((cert.CertificateExport === 'ENABLED') !== (i.allowExport === true)) problems.push(`CertificateExport ${cert.CertificateExport} for allowExport ${i.allowExport}`);
    if (i.validation.kind === 'dns' && !(cert.DomainValidationOptions ?? []).every((o: any) => o.HostedZoneId)) problems.push('DNS validation option without HostedZoneId');
    return problems;
  },
};

// ---------------------------------------------------------------- PrivateCertificate
interface PrivateInput {
  domainName: string;
  sans?: string[];
  keyAlgorithm?: string;
  ca: { kind: 'root'; key: string; usage: CaUsageMode } | { kind: 'imported' };
  maxNames?: number;
  tags?: Record<string, string>;
  certificateName?: string;
}

const privateInput: fc.Arbitrary<PrivateInput> = fc.record({
  domainName: mostly(plainDomain, domainName, 2),
  sans: maybe(fc.array(mostly(plainDomain, domainName, 6), { maxLength: 3 })),
  keyAlgorithm: maybe(certKeyName),
  ca: fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('root' as const), key: fc.constantFrom('RSA_2048', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1'), usage: fc.constantFrom(CaUsageMode.GENERAL_PURPOSE, CaUsageMode.GENERAL_PURPOSE, CaUsageMode.SHORT_LIVED_CERTIFICATE) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'imported' as const }) },
  ),
  maxNames,
  tags,
  certificateName,
}, { requiredKeys: ['domainName', 'ca'] });

function defaultPrivateKey(i: PrivateInput): string {
  return i.keyAlgorithm ?? (i.ca.kind === 'root' && familyOf(i.ca.key) === 'EC' ? 'EC_prime256v1' : 'RSA_2048');
}

export const privateCertificateSpec: AdversarialSpec<PrivateInput> = {
  construct: 'PrivateCertificate',
  arbitrary: privateInput,
  numRuns: 200,
  build(stack, i) {
    const ca = i.ca.kind === 'root'
      ? new RootCa(stack, 'Ca', { subject: { commonName: 'Root' }, keyAlgorithm: CaKeyAlgorithm.of(i.ca.key), usageMode: i.ca.usage, revocation: { ocsp: true } })
      : RootCa.fromCertificateAuthorityArn(stack, 'Ca', 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555');
    new PrivateCertificate(stack, 'Cert', {
      domainName: i.domainName,
      subjectAlternativeNames: i.sans,
      certificateAuthority: ca,
      keyAlgorithm: i.keyAlgorithm === undefined ? undefined : certKey(i.keyAlgorithm),
      maxNames: i.maxNames,
      tags: i.tags,
      certificateName: i.certificateName,
    });
    return { path: 'Stack/Cert' };
  },
  oracle(i) {
    const out = [
      ...nameListFindings([i.domainName, ...(i.sans ?? [])], i.maxNames ?? 10, false),
      ...maxNamesFindings(i.maxNames),
      ...keyFindings(i.keyAlgorithm),
      ...tagFindings({ Name: i.certificateName ?? 'Stack/Cert', ...(i.tags ?? {}) }),
      ...nameTagFindings(i.certificateName, i.tags),
    ];
    if (i.ca.kind === 'root') {
      // ACM cannot issue from a short-lived CA; the certificate's key family must be the CA's (acm-digest §3.3).
      if (i.ca.usage === CaUsageMode.SHORT_LIVED_CERTIFICATE) out.push(must('ACM cannot issue from a SHORT_LIVED_CERTIFICATE CA', 'SHORT_LIVED_CERTIFICATE'));
      const kf = familyOf(defaultPrivateKey(i));
      if (kf && kf !== familyOf(i.ca.key)) out.push(must('certificate key family = CA key family', defaultPrivateKey(i)));
    }
    return out;
  },
  checkTemplate(t, i) {
    const problems = checkAcmCertificates(t, { maxNames: i.maxNames ?? 10, isPublic: false })
      .filter((p) => !(i.keyAlgorithm && keyFindings(i.keyAlgorithm).some((f) => f.severity === 'may') && p.includes('KeyAlgorithm')));
    if (i.ca.kind === 'root') {
      const [[, cert]] = resourcesOf(t, 'AWS::CertificateManager::Certificate');
      const [[, ca]] = resourcesOf(t, 'AWS::ACMPCA::CertificateAuthority');
      if (familyOf(cert.KeyAlgorithm) && familyOf(cert.KeyAlgorithm) !== familyOf(ca.KeyAlgorithm)) problems.push(`certificate key ${cert.KeyAlgorithm} on a ${ca.KeyAlgorithm} CA`);
      const perms = resourcesOf(t, 'AWS::ACMPCA::Permission');
      if (perms.length !== 1 || perms[0][1].Principal !== 'acm.amazonaws.com') problems.push('no ACM renewal permission (acm.amazonaws.com) on the CA');
    }
    return problems;
  },
};

// ---------------------------------------------------------------- ImportedCertificate
interface ImportedInput {
  source: { kind: 'secret'; certificate?: string; privateKey?: string; chain?: string } | { kind: 'ssm'; sameParam: boolean; chain: boolean };
  tags?: Record<string, string>;
  certificateName?: string;
  removalPolicy?: RemovalPolicy;
  materialVersion?: string;
}

const fieldName = maybe(fc.constantFrom('certificate', 'privateKey', 'certificateChain', 'cert', 'key', '', ' ', '\t', 'a"b', 'ü', 'x'.repeat(300)));
const importedInput: fc.Arbitrary<ImportedInput> = fc.record({
  source: fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('secret' as const), certificate: fieldName, privateKey: fieldName, chain: fieldName }, { requiredKeys: ['kind'] }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('ssm' as const), sameParam: fc.boolean(), chain: fc.boolean() }) },
  ),
  tags,
  certificateName,
  removalPolicy: maybe(fc.constantFrom(RemovalPolicy.DESTROY, RemovalPolicy.RETAIN, RemovalPolicy.SNAPSHOT,
    RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)),
  materialVersion: maybe(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('-----BEGIN CERTIFICATE-----', ''))),
}, { requiredKeys: ['source'] });

export const importedCertificateSpec: AdversarialSpec<ImportedInput> = {
  construct: 'ImportedCertificate',
  arbitrary: importedInput,
  numRuns: 100,
  build(stack, i) {
    let material: CertificateMaterial;
    if (i.source.kind === 'secret') {
      const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Material', 'tls/material');
      const { certificate, privateKey, chain } = i.source;
      material = CertificateMaterial.fromSecret(secret, { certificate, privateKey, chain });
    } else {
      const p = (n: string) => ssm.StringParameter.fromSecureStringParameterAttributes(stack, n, { parameterName: `/tls/${n}` });
      const cert = p('cert');
      material = CertificateMaterial.fromSsmParameters({ certificate: cert, privateKey: i.source.sameParam ? cert : p('key'), chain: i.source.chain ? p('chain') : undefined });
    }
    new ImportedCertificate(stack, 'Cert', { material, tags: i.tags, certificateName: i.certificateName, removalPolicy: i.removalPolicy, materialVersion: i.materialVersion });
    return { path: 'Stack/Cert' };
  },
  oracle(i) {
    // Tags: ACM's rules with one tag kept for the handler's version tag (documented on the prop: at most 49 with Name).
    const all = { Name: i.certificateName ?? 'Stack/Cert', ...(i.tags ?? {}) };
    const out = [...tagFindings(all, 49), ...nameTagFindings(i.certificateName, i.tags)];
    if ('cdk-pki:imported-version' in all) out.push(must('the handler\'s version tag key is reserved', 'cdk-pki:imported-version'));
    if (i.removalPolicy !== undefined && i.removalPolicy !== RemovalPolicy.DESTROY && i.removalPolicy !== RemovalPolicy.RETAIN) {
      out.push(must('removalPolicy DESTROY or RETAIN', i.removalPolicy));
    }
    if (i.source.kind === 'secret') {
      const given = [i.source.certificate, i.source.privateKey, i.source.chain];
      for (const name of given) if (name !== undefined && name.trim() === '') out.push(must('a secret field name is not blank', name));
      const names = [i.source.certificate ?? 'certificate', i.source.privateKey ?? 'privateKey', i.source.chain ?? 'certificateChain'];
      const dup = names.find((n, k) => names.indexOf(n) !== k);
      if (dup !== undefined && dup.trim() !== '') out.push(must('one field per part', dup));
    } else if (i.source.sameParam) {
      out.push(must('one parameter per part', 'SSM parameter'));
    }
    return out;
  },
  checkTemplate(t, i) {
    const resources = resourcesOf(t, 'Custom::CdkPkiImportedCertificate');
    if (resources.length !== 1) return [`${resources.length} Custom::CdkPkiImportedCertificate resources`];
    const p = resources[0][1];
    const problems = checkTagList(p.Tags, 49).map((m) => `Custom::CdkPkiImportedCertificate: ${m}`);
    if (!['retain', 'destroy'].includes(p.RemovalPolicy)) problems.push(`RemovalPolicy ${p.RemovalPolicy}`);
    if (i.removalPolicy === RemovalPolicy.RETAIN && p.RemovalPolicy !== 'retain') problems.push('RETAIN not passed to the handler');
    if (/PRIVATE KEY-----/.test(JSON.stringify(t))) problems.push('PEM key material in the template');
    return problems;
  },
};

// ---------------------------------------------------------------- CertificateExport
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-northeast-3'];
interface ExportInput {
  certificate: { kind: 'public'; allowExport?: boolean } | { kind: 'private' } | { kind: 'arn'; arn: string };
  stackRegion: string;
  secretName?: string;
  renewalToken?: string;
  storeDecryptedKey?: boolean;
}
const UUID = '11111111-2222-3333-4444-555555555555';
const certificateArn = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...REGIONS).map((r) => `arn:aws:acm:${r}:111111111111:certificate/${UUID}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/x', 'arn:aws:acm:eu-west-1:111111111111:certificate/',
      'not-an-arn', `arn:aws:acm:eu-west-1:1111:certificate/${UUID}`, `arn:aws-cn:acm:cn-north-1:111111111111:certificate/${UUID}`, `arn:aws:acm:eu-west-1:111111111111:certificate/${UUID.toUpperCase()}`),
  },
);

/** ACM certificate ARNs (acm-digest §1.2, the construct's documented shape). */
function arnFindings(arn: string): Finding[] {
  if (/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(arn)) return [];
  if (/^arn:[\w+=/,.@-]+:acm:[\w+=/,.@-]*:[0-9]+:certificate\/[\w+=,.@-]+$/.test(arn) && arn.length >= 20) return [may('ARN outside the documented example shape', arn)];
  return [must('certificate ARN pattern (acm-digest §1.2)', arn)];
}

const exportInput: fc.Arbitrary<ExportInput> = fc.record({
  certificate: fc.oneof(
    fc.record({ kind: fc.constant('public' as const), allowExport: maybe(fc.boolean()) }, { requiredKeys: ['kind'] }),
    fc.constant({ kind: 'private' as const }),
    fc.record({ kind: fc.constant('arn' as const), arn: certificateArn }),
  ),
  stackRegion: fc.constantFrom(...REGIONS),
  secretName: maybe(fc.oneof(fc.stringMatching(/^[A-Za-z0-9/_+=.@-]{1,20}$/), fc.constantFrom('', 'a b', 'ü', 'a#b', 'x'.repeat(512), 'x'.repeat(513)))),
  renewalToken: maybe(fc.string({ maxLength: 8 })),
  storeDecryptedKey: maybe(fc.boolean()),
}, { requiredKeys: ['certificate', 'stackRegion'] });

export const certificateExportSpec: AdversarialSpec<ExportInput> = {
  construct: 'CertificateExport',
  arbitrary: exportInput,
  numRuns: 60,
  region: (i) => i.stackRegion,
  build(stack, i) {
    const c = i.certificate;
    const certificate = c.kind === 'public'
      ? new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', allowExport: c.allowExport })
      : c.kind === 'private'
        ? new PrivateCertificate(stack, 'Cert', {
          domainName: 'api.internal.example.com',
          certificateAuthority: RootCa.fromCertificateAuthorityArn(stack, 'Ca', `arn:aws:acm-pca:${i.stackRegion}:111111111111:certificate-authority/${UUID}`),
        })
        : PublicCertificate.fromCertificateArn(stack, 'Cert', c.arn);
    new CertificateExport(stack, 'Export', { certificate, secretName: i.secretName, renewalToken: i.renewalToken, storeDecryptedKey: i.storeDecryptedKey });
    return { path: 'Stack/Export' };
  },
  oracle(i) {
    const c = i.certificate;
    const out: Finding[] = [];
    if (c.kind === 'public' && c.allowExport !== true) out.push(must('only exportable public certificates can be exported', 'Stack/Cert'));
    if (c.kind === 'arn') {
      out.push(...arnFindings(c.arn));
      // Renewal events reach EventBridge only in the certificate's region.
      const region = c.arn.split(':')[3];
      if (arnFindings(c.arn).length === 0 && region !== i.stackRegion) out.push(must('export in the certificate\'s region', region));
    }
    // Secrets Manager names: 1-512 of ASCII letters, digits and / _ + = . @ - [outside the digests].
    if (i.secretName !== undefined && !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(i.secretName)) out.push(must('Secrets Manager secret name', i.secretName));
    return out;
  },
  checkTemplate(t, i) {
    const problems: string[] = [];
    const exp = resourcesOf(t, 'Custom::CdkPkiCertificateExport');
    if (exp.length !== 1) problems.push(`${exp.length} Custom::CdkPkiCertificateExport`);
    const secrets = resourcesOf(t, 'AWS::SecretsManager::Secret');
    if (secrets.length !== 2 || secrets.some(([, s]) => s.KmsKeyId === undefined)) problems.push('two KMS-encrypted secrets expected');
    if (i.secretName !== undefined && !secrets.some(([, s]) => s.Name === i.secretName)) problems.push(`secret name ${i.secretName} missing`);
    // ExportCertificate refuses passphrases with # $ % (acm-digest §1.2).
    const generated = secrets.map(([, s]) => s.GenerateSecretString).find((g) => g?.PasswordLength !== undefined);
    if (!generated || !['#', '$', '%'].every((ch) => String(generated.ExcludeCharacters).includes(ch))) problems.push('passphrase may contain # $ %');
    for (const [id, r] of resourcesOf(t, 'AWS::Events::Rule')) {
      // The reconcile rule has a schedule instead of a pattern (issue 13).
      if (r.EventPattern === undefined ? r.ScheduleExpression === undefined : JSON.stringify(r.EventPattern).length > 2048) {
        problems.push(`rule ${id}: no schedule, or an event pattern over 2048 characters`);
      }
    }
    return problems;
  },
};
