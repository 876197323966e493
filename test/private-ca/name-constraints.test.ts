import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { CaKeyAlgorithm } from '../../src/private-ca/ca-algorithms';
import { NameConstraints, NameConstraintsOptions } from '../../src/private-ca/name-constraints';
import { encodeNameConstraints, nameConstraintsExtensionValue } from '../../src/private-ca/name-constraints-der';
import { RootCa } from '../../src/private-ca/root-ca';
import { SubordinateCa } from '../../src/private-ca/subordinate-ca';
import { PkiValidationError } from '../../src/validation/errors';
import { parseIpRange, formatIpRange, maskBytes, validateNameConstraints } from '../../src/validation/name-constraints';
import { validLabel } from '../adversarial/arbitraries';
import { synthTemplate } from '../harness/cfn-lint';
import { KeyPair, makeSelfSignedCa, verifyChain } from '../harness/openssl';

/*
 * The name-constraints extension, with openssl as the oracle: a subordinate CA certificate carrying the library's DER
 * (critical), and leaves inside and outside its subtrees checked with `openssl verify -x509_strict`. A tiny DER reader
 * checks the encoding itself on many random specs.
 */

// ---------------------------------------------------------------------------------------------------------------
// openssl helpers: EC keys (fast), a CA certificate with the extension, leaves with any subjectAltName.

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-nc-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function openssl(args: string[], input?: string | Buffer): string {
  return execFileSync('openssl', args, { cwd: work, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

const MIN_CONFIG = path.join(work, 'min.cnf');
fs.writeFileSync(MIN_CONFIG, '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = placeholder\n');

/** A key and a CSR for `subject`, made once and reused. */
function keyAndCsr(name: string, subject: string): { key: string; csr: string } {
  const key = path.join(work, `${name}.key`);
  const csr = path.join(work, `${name}.csr`);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  openssl(['req', '-new', '-config', MIN_CONFIG, '-key', key, '-subj', subject, '-out', csr]);
  return { key, csr };
}

/** Signs `csr` with `issuer` and the given extensions; returns the certificate PEM. */
function sign(issuer: { cert: string; key: string }, csr: string, extensions: string[]): string {
  const id = randomBytes(6).toString('hex');
  const ext = path.join(work, `${id}.ext`);
  const out = path.join(work, `${id}.pem`);
  fs.writeFileSync(ext, `[ext]\n${extensions.join('\n')}\n`);
  openssl(['x509', '-req', '-in', csr, '-CA', issuer.cert, '-CAkey', issuer.key, '-set_serial', `0x1${randomBytes(15).toString('hex')}`,
    '-days', '30', '-sha256', '-extfile', ext, '-extensions', 'ext', '-out', out]);
  const pem = fs.readFileSync(out, 'utf8');
  fs.rmSync(ext);
  fs.rmSync(out);
  return pem;
}

function writePem(name: string, pem: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, pem);
  return file;
}

let root: KeyPair;
let rootFiles: { cert: string; key: string };
let subKey: { key: string; csr: string };
let leafKey: { key: string; csr: string };

beforeAll(() => {
  root = makeSelfSignedCa({ commonName: 'Name Constraints Test Root', keyType: 'ec' });
  rootFiles = { cert: writePem('root.pem', root.certPem), key: writePem('root.key', root.keyPem) };
  subKey = keyAndCsr('sub', '/CN=Constrained Issuing CA');
  // A subject that is not a host name, so openssl checks only the subjectAltName against the constraints.
  leafKey = keyAndCsr('leaf', '/CN=Name Constraints Leaf');
});

/** A subordinate CA certificate (pathlen 0) with the extension value `base64`, marked critical as Private CA marks it. */
function constrainedSub(base64: string): { cert: string; key: string; pem: string } {
  const hex = Buffer.from(base64, 'base64').toString('hex');
  const pem = sign(rootFiles, subKey.csr, ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always', `2.5.29.30=critical,DER:${hex}`]);
  return { cert: writePem(`sub-${randomBytes(4).toString('hex')}.pem`, pem), key: subKey.key, pem };
}

function leafUnder(sub: { cert: string; key: string }, san: string): string {
  return sign(sub, leafKey.csr, ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', `subjectAltName=${san}`,
    'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always']);
}

function verify(sub: { pem: string }, leafPem: string) {
  return verifyChain({ leafPem, intermediatesPem: sub.pem, rootPem: root.certPem });
}

/** How `openssl x509 -ext nameConstraints` prints an iPAddress subtree: address/mask, IPv6 as 8 uppercase groups. */
function opensslIp(range: string): string {
  const r = parseIpRange(range)!;
  const mask = maskBytes(r.bytes.map(() => 0xff), r.prefix);
  const show = (bytes: number[]) => (r.family === 4 ? bytes.join('.')
    : [0, 1, 2, 3, 4, 5, 6, 7].map((i) => (bytes[2 * i] * 256 + bytes[2 * i + 1]).toString(16).toUpperCase()).join(':'));
  return `IP:${show(maskBytes(r.bytes, r.prefix))}/${show(mask)}`;
}

/** The lines openssl prints for a spec, in the encoder's order (DNS, IP, email on each side). */
function expectedOpensslText(spec: NameConstraintsOptions): string {
  const side = (title: string, dns?: string[], ip?: string[], email?: string[]) => {
    const names = [...(dns ?? []).map((d) => `DNS:${d}`), ...(ip ?? []).map(opensslIp), ...(email ?? []).map((e) => `email:${e}`)];
    return names.length ? [`    ${title}:`, ...names.map((n) => `      ${n}`)] : [];
  };
  return ['X509v3 Name Constraints: critical',
    ...side('Permitted', spec.permittedDnsDomains, spec.permittedIpRanges, spec.permittedEmailDomains),
    ...side('Excluded', spec.excludedDnsDomains, spec.excludedIpRanges, spec.excludedEmailDomains)].join('\n');
}

function opensslExtensionText(certPem: string): string {
  return openssl(['x509', '-noout', '-ext', 'nameConstraints'], certPem).trimEnd();
}

// ---------------------------------------------------------------------------------------------------------------
// A tiny strict DER reader: NameConstraints down to the GeneralName tags and bytes.

interface Tlv { readonly tag: number; readonly content: Buffer; readonly next: number }

function readTlv(buf: Buffer, pos: number): Tlv {
  const tag = buf[pos];
  let length = buf[pos + 1];
  let start = pos + 2;
  if (length >= 0x80) {
    const n = length - 0x80;
    if (n === 0 || n > 3) throw new Error(`unsupported length form at ${pos}`);
    if (buf[start] === 0) throw new Error(`non-minimal length at ${pos}`);
    length = [...buf.subarray(start, start + n)].reduce((a, b) => a * 256 + b, 0);
    if (length < 0x80) throw new Error(`long form for a short length at ${pos}`);
    start += n;
  }
  if (start + length > buf.length) throw new Error(`length past the end at ${pos}`);
  return { tag, content: buf.subarray(start, start + length), next: start + length };
}

function readAll(buf: Buffer): Tlv[] {
  const items: Tlv[] = [];
  for (let pos = 0; pos < buf.length;) {
    const item = readTlv(buf, pos);
    items.push(item);
    pos = item.next;
  }
  return items;
}

/** [side, GeneralName tag, content hex] for each subtree, or throws on anything not strictly as expected. */
function decodeNameConstraints(der: Buffer): Array<[string, number, string]> {
  const outer = readTlv(der, 0);
  if (outer.tag !== 0x30 || outer.next !== der.length) throw new Error('not one SEQUENCE');
  const sides = readAll(outer.content);
  if (sides.length === 0 || sides.some((s, i) => (s.tag !== 0xa0 && s.tag !== 0xa1) || (i > 0 && s.tag <= sides[i - 1].tag))) {
    throw new Error(`bad sides ${sides.map((s) => s.tag)}`);
  }
  return sides.flatMap((side) => {
    const subtrees = readAll(side.content);
    if (subtrees.length === 0) throw new Error('empty GeneralSubtrees');
    return subtrees.map((subtree): [string, number, string] => {
      if (subtree.tag !== 0x30) throw new Error('GeneralSubtree is not a SEQUENCE');
      const inner = readAll(subtree.content);
      if (inner.length !== 1) throw new Error('GeneralSubtree carries minimum/maximum');
      return [side.tag === 0xa0 ? 'permitted' : 'excluded', inner[0].tag, inner[0].content.toString('hex')];
    });
  });
}

/** What the decoder must find for a spec. */
function expectedSubtrees(spec: NameConstraintsOptions): Array<[string, number, string]> {
  const ip = (range: string) => {
    const r = parseIpRange(range)!;
    return Buffer.from([...maskBytes(r.bytes, r.prefix), ...maskBytes(r.bytes.map(() => 0xff), r.prefix)]).toString('hex');
  };
  const side = (name: string, dns?: string[], ips?: string[], email?: string[]): Array<[string, number, string]> => [
    ...(dns ?? []).map((d): [string, number, string] => [name, 0x82, Buffer.from(d, 'ascii').toString('hex')]),
    ...(ips ?? []).map((r): [string, number, string] => [name, 0x87, ip(r)]),
    ...(email ?? []).map((e): [string, number, string] => [name, 0x81, Buffer.from(e, 'ascii').toString('hex')]),
  ];
  return [...side('permitted', spec.permittedDnsDomains, spec.permittedIpRanges, spec.permittedEmailDomains),
    ...side('excluded', spec.excludedDnsDomains, spec.excludedIpRanges, spec.excludedEmailDomains)];
}

// ---------------------------------------------------------------------------------------------------------------

const SPEC: NameConstraintsOptions = {
  permittedDnsDomains: ['corp.example.com', '.dev.example.com'],
  excludedDnsDomains: ['secret.corp.example.com'],
  permittedIpRanges: ['10.0.0.0/8', '2001:db8::/32'],
  excludedIpRanges: ['10.9.0.0/16'],
  permittedEmailDomains: ['example.com', '.corp.example.com'],
  excludedEmailDomains: ['ceo@example.com'],
};

describe('the DER encoding, checked by openssl', () => {
  let sub: ReturnType<typeof constrainedSub>;
  beforeAll(() => {
    expect(validateNameConstraints(SPEC)).toEqual([]);
    sub = constrainedSub(NameConstraints.of(SPEC).toCustomExtension().value);
  });

  test('openssl reads every subtree back, and the extension is critical', () => {
    expect(opensslExtensionText(sub.pem)).toBe([
      'X509v3 Name Constraints: critical',
      '    Permitted:',
      '      DNS:corp.example.com',
      '      DNS:.dev.example.com',
      '      IP:10.0.0.0/255.0.0.0',
      '      IP:2001:DB8:0:0:0:0:0:0/FFFF:FFFF:0:0:0:0:0:0',
      '      email:example.com',
      '      email:.corp.example.com',
      '    Excluded:',
      '      DNS:secret.corp.example.com',
      '      IP:10.9.0.0/255.255.0.0',
      '      email:ceo@example.com',
    ].join('\n'));
  });

  test('openssl asn1parse: the certificate carries exactly the encoded bytes, structured as RFC 5280 says', () => {
    const der = encodeNameConstraints(SPEC);
    const certDump = openssl(['asn1parse', '-i'], sub.pem);
    // OBJECT, then the critical BOOLEAN, then the extnValue OCTET STRING with our DER.
    expect(certDump).toMatch(new RegExp(`OBJECT +:X509v3 Name Constraints\\n.*BOOLEAN +:255\\n.*OCTET STRING +\\[HEX DUMP\\]:${der.toString('hex').toUpperCase()}\\n`));
    const dump = openssl(['asn1parse', '-inform', 'DER', '-i'], der);
    const tags = dump.split('\n').filter(Boolean).map((line) => line.replace(/^.*(cons|prim): +/, '$1 ').trim());
    expect(tags).toEqual([
      'cons SEQUENCE',
      'cons cont [ 0 ]',
      'cons SEQUENCE', 'prim cont [ 2 ]',
      'cons SEQUENCE', 'prim cont [ 2 ]',
      'cons SEQUENCE', 'prim cont [ 7 ]',
      'cons SEQUENCE', 'prim cont [ 7 ]',
      'cons SEQUENCE', 'prim cont [ 1 ]',
      'cons SEQUENCE', 'prim cont [ 1 ]',
      'cons cont [ 1 ]',
      'cons SEQUENCE', 'prim cont [ 2 ]',
      'cons SEQUENCE', 'prim cont [ 7 ]',
      'cons SEQUENCE', 'prim cont [ 1 ]',
    ]);
    // The lengths: "corp.example.com" is 16 bytes, an IPv4 subtree 8, an IPv6 one 32.
    expect(dump).toMatch(/l= *16 prim: +cont \[ 2 \]/);
    expect(dump).toMatch(/l= *8 prim: +cont \[ 7 \]/);
    expect(dump).toMatch(/l= *32 prim: +cont \[ 7 \]/);
  });

  test.each([
    ['DNS:corp.example.com'],
    ['DNS:api.corp.example.com'],
    ['DNS:x.dev.example.com'],
    ['DNS:api.corp.example.com,DNS:a.b.dev.example.com'],
    ['IP:10.1.2.3'],
    ['IP:2001:db8::1'],
    ['IP:10.255.255.255,IP:2001:db8:ffff::1'],
    ['email:alice@example.com'],
    ['email:bob@mail.corp.example.com'],
  ])('openssl verify -x509_strict accepts a leaf inside the constraints: %s', (san) => {
    const result = verify(sub, leafUnder(sub, san));
    expect(result.output).toMatch(/: OK$/m);
    expect(result.ok).toBe(true);
  });

  test.each([
    ['DNS:example.org', 'permitted'],
    ['DNS:dev.example.com', 'permitted'], // ".dev.example.com" covers only the names below it
    ['DNS:badcorp.example.com', 'permitted'],
    ['DNS:a.secret.corp.example.com', 'excluded'],
    ['DNS:api.corp.example.com,DNS:example.net', 'permitted'],
    ['IP:11.0.0.1', 'permitted'],
    ['IP:2001:db9::1', 'permitted'],
    ['IP:10.9.1.1', 'excluded'],
    ['email:eve@example.org', 'permitted'],
    ['email:alice@sub.example.com', 'permitted'], // the host "example.com" does not cover its subdomains
    ['email:ceo@example.com', 'excluded'],
  ])('openssl verify -x509_strict rejects a leaf outside the constraints: %s (%s subtree violation)', (san, kind) => {
    const result = verify(sub, leafUnder(sub, san));
    expect(result.ok).toBe(false);
    expect(result.output).toContain(`${kind} subtree violation`);
  });

  test('the same leaf verifies under an unconstrained CA: the refusals come from the constraints', () => {
    const plain = sign(rootFiles, subKey.csr, ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always']);
    const plainSub = { cert: writePem('plain-sub.pem', plain), key: subKey.key, pem: plain };
    expect(verify(plainSub, leafUnder(plainSub, 'DNS:example.org,IP:11.0.0.1,email:ceo@example.com')).ok).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Random valid specs.

const tld = fc.constantFrom('com', 'org', 'net', 'corp', 'internal', 'example');
const domain = fc.tuple(fc.array(validLabel(12), { minLength: 1, maxLength: 3 }), tld).map(([labels, top]) => [...labels, top].join('.'));
const dnsSubtree = fc.oneof({ weight: 4, arbitrary: domain }, { weight: 2, arbitrary: domain.map((d) => `.${d}`) }, { weight: 1, arbitrary: tld });
const localPart = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,10}[a-z0-9]$/).filter((l) => !l.includes('..'));
const emailSubtree = fc.oneof(fc.tuple(localPart, domain).map(([l, d]) => `${l}@${d}`), domain, domain.map((d) => `.${d}`));
const ipSubtree = fc.tuple(fc.boolean(), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat())
  .map(([v4, raw, n]) => {
    const bytes = [...raw.subarray(0, v4 ? 4 : 16)];
    const prefix = n % (bytes.length * 8 + 1);
    return formatIpRange({ family: v4 ? 4 : 6, bytes: maskBytes(bytes, prefix), prefix });
  });

/** A subtree strictly inside `parent` (of the kind), or undefined when there is none. */
function childOf(kind: 'dns' | 'ip' | 'email', parent: string, label: string, seed: Uint8Array): string | undefined {
  if (kind === 'dns') return `${label}.${parent.replace(/^\./, '')}`;
  if (kind === 'email') {
    if (parent.includes('@')) return undefined;
    return parent.startsWith('.') ? `${label}${parent}` : `${label}@${parent}`;
  }
  const r = parseIpRange(parent)!;
  const max = r.bytes.length * 8;
  if (r.prefix === max) return undefined;
  const prefix = r.prefix + 1 + (seed[0] % (max - r.prefix));
  // The parent's network bits, then the seed's bits after the parent's prefix.
  const seedNetwork = maskBytes([...seed.subarray(0, r.bytes.length)], r.prefix);
  const bytes = r.bytes.map((b, i) => b + seed[i] - seedNetwork[i]);
  return formatIpRange({ family: r.family, bytes: maskBytes(bytes, prefix), prefix });
}

const LISTS = [
  { kind: 'dns', arb: dnsSubtree, permitted: 'permittedDnsDomains', excluded: 'excludedDnsDomains' },
  { kind: 'ip', arb: ipSubtree, permitted: 'permittedIpRanges', excluded: 'excludedIpRanges' },
  { kind: 'email', arb: emailSubtree, permitted: 'permittedEmailDomains', excluded: 'excludedEmailDomains' },
] as const;

/** Valid specs: permitted subtrees at random; exclusions inside them (or anywhere for a kind with none permitted). */
const validSpec: fc.Arbitrary<NameConstraintsOptions> = fc.tuple(
  ...LISTS.map(({ kind, arb }) => fc.tuple(
    fc.array(arb, { maxLength: 3 }),
    fc.array(arb, { maxLength: 2 }),
    fc.array(fc.tuple(fc.nat(), validLabel(8), fc.uint8Array({ minLength: 16, maxLength: 16 })), { maxLength: 3 }),
  ).map(([permitted, free, picks]) => ({
    kind,
    permitted,
    excluded: permitted.length === 0 ? free
      : picks.map(([n, label, seed]) => childOf(kind, permitted[n % permitted.length], label, seed)).filter((c): c is string => c !== undefined),
  }))),
).map((kinds) => {
  const spec: Record<string, string[]> = {};
  kinds.forEach(({ permitted, excluded }, i) => {
    if (permitted.length) spec[LISTS[i].permitted] = permitted;
    if (excluded.length) spec[LISTS[i].excluded] = excluded;
  });
  return spec as NameConstraintsOptions;
}).filter((spec) => validateNameConstraints(spec).length === 0);

const API_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

describe('random valid specs', () => {
  test('encode to strict DER that decodes back to the same subtrees, in base64 as the Private CA API takes it (300 cases)', () => {
    fc.assert(fc.property(validSpec, (spec) => {
      const der = encodeNameConstraints(spec);
      expect(decodeNameConstraints(der)).toEqual(expectedSubtrees(spec));
      const value = nameConstraintsExtensionValue(spec);
      expect(value).toMatch(API_BASE64);
      expect(Buffer.from(value, 'base64').equals(der)).toBe(true);
      expect(NameConstraints.of(spec).toCustomExtension()).toEqual({ objectIdentifier: '2.5.29.30', value, critical: true });
    }), { numRuns: 300 });
  });

  test('openssl reads each one back from a CA certificate, and enforces its DNS subtrees on leaves (30 cases)', () => {
    fc.assert(fc.property(validSpec, (spec) => {
      const sub = constrainedSub(nameConstraintsExtensionValue(spec));
      expect(opensslExtensionText(sub.pem)).toBe(expectedOpensslText(spec));
      const permitted = spec.permittedDnsDomains?.[0];
      if (permitted !== undefined) {
        const name = `leafzz9.${permitted.replace(/^\./, '')}`;
        const inside = verify(sub, leafUnder(sub, `DNS:${name}`));
        const excludedToo = (spec.excludedDnsDomains ?? []).some((e) => name.endsWith(e.startsWith('.') ? e : `.${e}`) || name === e);
        expect(inside.ok).toBe(!excludedToo);
      }
      const excluded = spec.excludedDnsDomains?.[0];
      if (excluded !== undefined) {
        const result = verify(sub, leafUnder(sub, `DNS:leafzz9.${excluded.replace(/^\./, '')}`));
        expect(result.ok).toBe(false);
        expect(result.output).toContain('excluded subtree violation');
      }
    }), { numRuns: 30 });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('NameConstraints', () => {
  test('toCustomExtension: the OID, the base64 DER, critical', () => {
    const nc = NameConstraints.of({ permittedDnsDomains: ['corp.example.com'] });
    // SEQUENCE { [0] { SEQUENCE { [2] "corp.example.com" } } }
    const der = '3016a0143012' + '8210' + Buffer.from('corp.example.com').toString('hex');
    expect(nc.toCustomExtension()).toEqual({ objectIdentifier: '2.5.29.30', value: Buffer.from(der, 'hex').toString('base64'), critical: true });
    expect(nc.extensionValue).toBe(Buffer.from(der, 'hex').toString('base64'));
    expect(NameConstraints.OBJECT_IDENTIFIER).toBe('2.5.29.30');
    expect(nc.validate()).toEqual([]);
  });

  test('long lengths use the DER long form', () => {
    const domains = Array.from({ length: 12 }, (_, i) => `host-${i}.a-rather-long-subdomain-name.example.com`);
    const der = encodeNameConstraints({ permittedDnsDomains: domains });
    expect(der.subarray(0, 2).toString('hex')).toBe('3082');
    expect(decodeNameConstraints(der)).toHaveLength(12);
  });

  test('refuses with every problem, and never encodes a bad spec', () => {
    const nc = NameConstraints.of({ permittedDnsDomains: ['*.example.com'], permittedIpRanges: ['10.0.0.1/8'] });
    expect(nc.validate()).toHaveLength(2);
    expect(() => nc.extensionValue).toThrow(PkiValidationError);
    expect(() => nc.toCustomExtension()).toThrow(/^NameConstraints: \n {2}- permittedDnsDomains\[0\] "\*\.example\.com" is a wildcard/);
  });

  test('tokens are refused: the extension is encoded at synth time', () => {
    const nc = NameConstraints.of({
      permittedDnsDomains: [Lazy.string({ produce: () => 'example.com' })],
      excludedIpRanges: Lazy.list({ produce: () => ['10.0.0.0/8'] }),
    });
    expect(nc.validate()).toEqual([
      'permittedDnsDomains[0] is a CDK token: name constraints are encoded into the CA certificate at synth time, so give literal values.',
      'excludedIpRanges is a CDK token: name constraints are encoded into the CA certificate at synth time, so give literal values.',
    ]);
  });

  test('an encoding larger than Private CA takes (4096 base64 characters) is refused', () => {
    const domains = Array.from({ length: 52 }, (_, i) => `h${i}.${'x'.repeat(40)}.example.com`);
    expect(NameConstraints.of({ permittedDnsDomains: domains })._problems('nameConstraints.')).toEqual([
      'nameConstraints: the name constraints encode to 4160 base64 characters, more than the 4096 Private CA takes in a custom extension: ' +
        'list fewer subtrees, or cover several with a common parent domain or a shorter IP prefix.',
    ]);
    expect(NameConstraints.of({ permittedDnsDomains: domains.slice(0, 51) }).validate()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const ENV = { account: '123456789012', region: 'eu-west-1' };

function setup() {
  const s = new Stack(new App(), 'Stack', { env: ENV });
  const r = new RootCa(s, 'Root', { subject: { commonName: 'Root' }, keyAlgorithm: CaKeyAlgorithm.RSA_4096, revocation: { ocsp: true } });
  return { s, root: r };
}

function templateArn(name: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:acm-pca:::template/${name}/V1`]] };
}

describe('SubordinateCa nameConstraints', () => {
  test('the parent issues the certificate with the APIPassthrough template and the critical extension (cfn-lint checked)', () => {
    const { s, root: parent } = setup();
    const sub = new SubordinateCa(s, 'Issuing', { parent, subject: { commonName: 'Issuing' }, revocation: { ocsp: true }, nameConstraints: SPEC });
    const t = synthTemplate(s);
    const value = NameConstraints.of(SPEC).extensionValue;
    t.hasResourceProperties('AWS::ACMPCA::Certificate', {
      CertificateSigningRequest: { 'Fn::GetAtt': [s.getLogicalId(sub.node.defaultChild as any), 'CertificateSigningRequest'] },
      TemplateArn: templateArn('SubordinateCACertificate_PathLen0_APIPassthrough'),
      ApiPassthrough: { Extensions: { CustomExtensions: [{ ObjectIdentifier: '2.5.29.30', Critical: true, Value: value }] } },
    });
    // The root's own certificate is untouched.
    t.hasResourceProperties('AWS::ACMPCA::Certificate', { TemplateArn: templateArn('RootCACertificate'), ApiPassthrough: Match.absent() });
    expect(decodeNameConstraints(Buffer.from(value, 'base64'))).toEqual(expectedSubtrees(SPEC));
  });

  test('the computed path length picks the matching APIPassthrough template; CAs without constraints keep the base template', () => {
    const { s, root: parent } = setup();
    const policy = new SubordinateCa(s, 'Policy', {
      parent,
      subject: { commonName: 'Policy' },
      revocation: { ocsp: true },
      nameConstraints: { permittedDnsDomains: ['example.com'] },
    });
    new SubordinateCa(s, 'Issuing', { parent: policy, subject: { commonName: 'Issuing' }, revocation: { ocsp: true } });
    const t = synthTemplate(s);
    t.hasResourceProperties('AWS::ACMPCA::Certificate', {
      TemplateArn: templateArn('SubordinateCACertificate_PathLen1_APIPassthrough'),
      ApiPassthrough: Match.objectLike({}),
    });
    t.hasResourceProperties('AWS::ACMPCA::Certificate', { TemplateArn: templateArn('SubordinateCACertificate_PathLen0'), ApiPassthrough: Match.absent() });
  });

  test.each<[string, NameConstraintsOptions, RegExp]>([
    ['an empty spec', {}, /^Stack\/Sub: name constraints are empty: give at least one permitted or excluded subtree/],
    ['a wildcard', { permittedDnsDomains: ['*.example.com'] }, /^Stack\/Sub: nameConstraints\.permittedDnsDomains\[0\] "\*\.example\.com" is a wildcard/],
    ['host bits', { excludedIpRanges: ['10.0.0.1/8'] }, /^Stack\/Sub: nameConstraints\.excludedIpRanges\[0\] "10\.0\.0\.1\/8" has bits set after its \/8 prefix/],
    ['an exclusion without effect', { permittedDnsDomains: ['a.example.com'], excludedDnsDomains: ['b.example.com'] },
      /^Stack\/Sub: nameConstraints\.excludedDnsDomains\[0\] "b\.example\.com" lies outside every permitted DNS domain \(nameConstraints\.permittedDnsDomains\)/],
    ['a token', { permittedDnsDomains: [Lazy.string({ produce: () => 'example.com' })] },
      /^Stack\/Sub: nameConstraints\.permittedDnsDomains\[0\] is a CDK token: name constraints are encoded into the CA certificate at synth time/],
  ])('refuses %s at synth time', (_, nameConstraints, message) => {
    const { s, root: parent } = setup();
    let error: unknown;
    try {
      new SubordinateCa(s, 'Sub', { parent, subject: { commonName: 'Sub' }, nameConstraints });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PkiValidationError);
    expect((error as Error).message).toMatch(message);
  });

  test('refuses name constraints without a parent in the app', () => {
    const s = new Stack(new App(), 'Stack', { env: ENV });
    expect(() => new SubordinateCa(s, 'Sub', { subject: { commonName: 'Sub' }, nameConstraints: { permittedDnsDomains: ['example.com'] } }))
      .toThrow('Stack/Sub: nameConstraints need a parent in the app, which issues the constrained certificate: with an external parent, ' +
        'add NameConstraints.of(...).toCustomExtension() to the certificate you issue (with an APIPassthrough template)');
  });
});
