import { X509Certificate } from 'crypto';
import {
  bareBase64Of,
  derOf,
  encryptedLegacy,
  encryptedPkcs8,
  Hierarchy,
  makeHierarchy,
  oversizedKey,
  selfSigned,
  v1Certificate,
} from './imported-certificate-fixtures';
import { checkMaterial, checkReimport, isX509v3, MAX_PRIVATE_KEY_BYTES, signatureAlgorithmOid } from '../../src/handlers/imported-certificate/material';

let h: Hierarchy;

beforeAll(() => {
  h = makeHierarchy();
});

/** The problems of material built from the good leaf with `override`. */
function problemsOf(override: { certificate?: string; privateKey?: string; chain?: string }, now?: Date): string[] {
  return checkMaterial({ certificate: h.leaf.certPem, privateKey: h.leaf.keyPem, chain: h.chain, ...override }, now).problems;
}

function expectNoPem(problems: string[]): void {
  for (const p of problems) expect(p).not.toContain('-----BEGIN');
}

describe('checkMaterial accepts what ACM imports', () => {
  test('RSA leaf with its chain: facts, no problems', () => {
    const result = checkMaterial({ certificate: h.leaf.certPem, privateKey: h.leaf.keyPem, chain: h.chain });
    expect(result.problems).toEqual([]);
    expect(result.facts).toMatchObject({ keyAlgorithm: 'RSA_2048', serialNumber: new X509Certificate(h.leaf.certPem).serialNumber, chainLength: 2 });
    expect(result.facts!.notAfter.getTime()).toBeGreaterThan(Date.now());
  });

  test('EC P-256 leaf, chain with the intermediate only, and a self-signed certificate without chain', () => {
    expect(checkMaterial({ certificate: h.ecLeaf.certPem, privateKey: h.ecLeaf.keyPem, chain: h.intermediate.certPem }).facts?.keyAlgorithm).toBe('EC_prime256v1');
    expect(checkMaterial({ certificate: h.root.certPem, privateKey: h.root.keyPem }).facts?.keyAlgorithm).toBe('RSA_2048');
  });

  test('EC P-384 and P-521, RSA 3072 are importable', () => {
    for (const [args, name] of [
      [['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], 'EC_secp384r1'],
      [['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'], 'EC_secp521r1'],
      [['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'], 'RSA_3072'],
    ] as Array<[string[], string]>) {
      const pair = selfSigned(args);
      const result = checkMaterial({ certificate: pair.certPem, privateKey: pair.keyPem });
      expect({ name, problems: result.problems, algorithm: result.facts?.keyAlgorithm }).toEqual({ name, problems: [], algorithm: name });
    }
  });

  test('surrounding whitespace and a legacy "EC PARAMETERS" block are fine', () => {
    const ecParams = `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${h.ecLeaf.keyPem}`;
    expect(checkMaterial({ certificate: `\n${h.ecLeaf.certPem}\n\n`, privateKey: ecParams, chain: ` ${h.chain}` }).problems).toEqual([]);
  });
});

describe('checkMaterial refuses, naming the problem and never the PEM', () => {
  const cases: Array<[string, () => Parameters<typeof problemsOf>[0], RegExp]> = [
    ['certificate not PEM', () => ({ certificate: 'hello world' }), /^the certificate is not PEM: it must be a CERTIFICATE block/],
    ['certificate empty', () => ({ certificate: '' }), /^the certificate is empty\.$/],
    ['certificate DER (binary)', () => ({ certificate: derOf(h.leaf.certPem) }), /the certificate is DER \(binary\), but ACM imports PEM only: convert it with `openssl x509 -inform DER -outform PEM`/],
    ['certificate DER (bare base64)', () => ({ certificate: bareBase64Of(h.leaf.certPem) }), /the certificate is DER \(binary\)/],
    ['certificate field with two certificates', () => ({ certificate: h.leaf.certPem + h.intermediate.certPem }), /the certificate field holds 2 certificates: put only the end-entity certificate there/],
    ['key in the certificate field', () => ({ certificate: h.leaf.keyPem }), /the certificate field holds a PRIVATE KEY block/],
    ['damaged certificate', () => ({ certificate: h.leaf.certPem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\nAAAA\n') }), /the certificate PEM does not parse as an X.509 certificate/],
    ['encrypted PKCS#8 key', () => ({ privateKey: encryptedPkcs8(h.leaf.keyPem) }), /the private key is encrypted \(passphrase-protected\), but ACM imports unencrypted keys only/],
    ['legacy encrypted key', () => ({ privateKey: encryptedLegacy(h.leaf.keyPem) }), /the private key is encrypted/],
    ['key DER', () => ({ privateKey: '0\u0082\u0004\u00bd\u0002\u0001\u0000' }), /the private key is DER \(binary\), but ACM imports PEM only/],
    ['key not PEM', () => ({ privateKey: 'my key' }), /the private key is not PEM/],
    ['certificate in the key field', () => ({ privateKey: h.leaf.certPem }), /the private key field holds CERTIFICATE: it must hold exactly one PRIVATE KEY/],
    ['key that does not match', () => ({ privateKey: h.leaf2.keyPem }), /the private key does not match the certificate "CN=www.example.com": the key and the certificate come from different key pairs/],
    ['key over 5,120 bytes', () => ({ privateKey: oversizedKey() }), new RegExp(`the private key is \\d+ bytes, over ACM's limit of ${MAX_PRIVATE_KEY_BYTES} bytes`)],
    ['chain out of order', () => ({ chain: h.root.certPem + h.intermediate.certPem }), /the chain is out of order: the certificate "CN=www.example.com" is issued by chain certificate 2, but certificate 1 must be its issuer/],
    ['chain with the leaf', () => ({ chain: h.leaf.certPem + h.chain }), /the chain contains the end-entity certificate "CN=www.example.com" \(as certificate 1\): remove it/],
    ['chain of another hierarchy', () => ({ chain: selfSigned(['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']).certPem }), /the chain does not lead up from the certificate "CN=www.example.com"/],
    ['chain holding a key', () => ({ chain: h.chain + h.root.keyPem }), /the chain holds a PRIVATE KEY block/],
    ['chain not PEM', () => ({ chain: 'intermediate' }), /the chain is not PEM/],
  ];

  test.each(cases)('%s', (_name, override, message) => {
    const problems = problemsOf(override());
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    expectNoPem(problems);
  });

  test('algorithms ACM cannot import: Ed25519, secp256k1, RSA 1536', () => {
    for (const [args, message] of [
      [['-algorithm', 'ED25519'], /the key type is ed25519, which ACM cannot import: use RSA 2048\/3072\/4096 or EC P-256\/P-384\/P-521\./],
      [['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'], /the key is EC on curve secp256k1, which ACM cannot import/],
      [['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1536'], /the key is RSA 1536-bit, which ACM cannot import/],
    ] as Array<[string[], RegExp]>) {
      const pair = selfSigned(args);
      const result = checkMaterial({ certificate: pair.certPem, privateKey: pair.keyPem });
      expect(result.problems).toEqual([expect.stringMatching(message)]);
      expect(result.facts).toBeUndefined();
    }
  });

  test('issue 13 (8): an RSA key under 2048 bits is refused, consistent with PKI-PCA1, although ACM would import RSA 1024', () => {
    const pair = selfSigned(['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']);
    const result = checkMaterial({ certificate: pair.certPem, privateKey: pair.keyPem });
    expect(result.problems).toEqual(['the key is RSA 1024-bit, under the 2048 bits this library accepts (a 1024-bit key can be broken): ' +
      'issue the certificate with RSA 2048/3072/4096 or EC P-256/P-384/P-521.']);
    expect(result.facts).toBeUndefined();
    expectNoPem(result.problems);
  });

  test.each(['sha1', 'md5'] as const)('issue 13 (8): a certificate signed with %s is refused, naming the algorithm and the fix', (digest) => {
    const pair = selfSigned(['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], digest);
    const oid = signatureAlgorithmOid(new X509Certificate(pair.certPem).raw);
    expect(oid).toBe(digest === 'sha1' ? '1.2.840.113549.1.1.5' : '1.2.840.113549.1.1.4');
    const result = checkMaterial({ certificate: pair.certPem, privateKey: pair.keyPem });
    const name = digest === 'sha1' ? 'SHA-1 with RSA' : 'MD5 with RSA';
    expect(result.problems).toEqual([`the certificate "CN=odd.example.com" is signed with ${name}, which is refused (collisions are practical, ` +
      'as for the CA signing algorithms of PKI-PCA1): have it issued again with SHA-256 or stronger.']);
    expect(result.facts).toBeUndefined();
  });

  test('issue 13 (8): the signature algorithm reader handles SHA-256 and ECDSA certificates, and damaged DER without throwing', () => {
    expect(signatureAlgorithmOid(new X509Certificate(h.leaf.certPem).raw)).toBe('1.2.840.113549.1.1.11');
    expect(signatureAlgorithmOid(new X509Certificate(h.ecLeaf.certPem).raw)).toMatch(/^1\.2\.840\.(113549\.1\.1\.11|10045\.4\.3\.2)$/);
    const raw = new X509Certificate(h.leaf.certPem).raw;
    for (const bad of [Buffer.alloc(0), Buffer.from([0x30]), Buffer.from([0x30, 0x84, 0xff]), raw.subarray(0, 10), Buffer.from([0x31, 0x00])]) {
      expect(() => signatureAlgorithmOid(bad)).not.toThrow();
      expect(signatureAlgorithmOid(bad)).toBeUndefined();
    }
  });

  test('not valid yet, expired', () => {
    const notBefore = new Date(new X509Certificate(h.leaf.certPem).validFrom);
    const notAfter = new Date(new X509Certificate(h.leaf.certPem).validTo);
    expect(problemsOf({}, new Date(notBefore.getTime() - 3600_000))).toEqual([
      `the certificate "CN=www.example.com" is not valid yet: it is valid from ${notBefore.toISOString()}; ACM imports only certificates that are valid now.`,
    ]);
    expect(problemsOf({}, new Date(notAfter.getTime() + 1000))).toEqual([
      `the certificate "CN=www.example.com" expired at ${notAfter.toISOString()}: renew it before importing.`,
    ]);
  });

  test('an X.509 v1 certificate', () => {
    const v1 = v1Certificate();
    expect(isX509v3(new X509Certificate(v1.certPem).raw)).toBe(false);
    expect(isX509v3(new X509Certificate(h.leaf.certPem).raw)).toBe(true);
    expect(checkMaterial({ certificate: v1.certPem, privateKey: v1.keyPem }).problems).toEqual([
      'the certificate "CN=v1.example.com" is not X.509 version 3, which ACM requires.',
    ]);
  });

  test('every problem at once', () => {
    const problems = checkMaterial({ certificate: 'x', privateKey: encryptedPkcs8(h.leaf.keyPem), chain: 'y' }).problems;
    expect(problems).toHaveLength(3);
    expectNoPem(problems);
  });
});

describe('checkReimport', () => {
  test('the key type and size must stay', () => {
    expect(checkReimport('RSA_2048', 'RSA_2048')).toEqual([]);
    expect(checkReimport(undefined, 'RSA_2048')).toEqual([]);
    expect(checkReimport('RSA_2048', 'EC_prime256v1')).toEqual([
      'the new material has a EC_prime256v1 key but the certificate in ACM has RSA_2048: a reimport cannot change the key type or size. ' +
      'Keep the key algorithm, or replace the certificate (a new construct ID imports a new one with a new ARN).',
    ]);
    expect(checkReimport('RSA_2048', 'RSA_4096')).toHaveLength(1);
  });
});
