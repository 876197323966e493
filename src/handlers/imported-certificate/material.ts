import { createPrivateKey, KeyObject, X509Certificate } from 'crypto';

/**
 * Pure checks of PEM material before it goes to ACM ImportCertificate, so a bad secret fails with a
 * message that names the problem instead of ACM's generic "not PEM-encoded or is not valid".
 *
 * Messages name fields, sizes, algorithms, subjects and dates, never the PEM or key content.
 */

/** The PEM material of one import. */
export interface CertificateMaterialPem {
  readonly certificate: string;
  readonly privateKey: string;
  /** Intermediates first, root last; empty or absent for none. */
  readonly chain?: string;
}

/** What the checks learnt about good material. */
export interface MaterialFacts {
  /** The ACM `KeyAlgorithm` name, e.g. `RSA_2048` or `EC_prime256v1`. */
  readonly keyAlgorithm: string;
  /** Serial number as upper-case hex (node's format). */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** How many certificates the chain holds. */
  readonly chainLength: number;
}

/** The result of `checkMaterial`: problems, and facts when there are none. */
export interface MaterialCheck {
  readonly problems: string[];
  readonly facts?: MaterialFacts;
}

/** ACM's limit on the private key (user guide: 5 KB). */
export const MAX_PRIVATE_KEY_BYTES = 5120;
/** ACM's limit on the certificate blob. */
export const MAX_CERTIFICATE_BYTES = 32768;
/** ACM's limit on the chain blob. */
export const MAX_CHAIN_BYTES = 2097152;

/** The key algorithms ACM imports, by node's description of the key. */
const RSA_SIZES = [1024, 2048, 3072, 4096];
const EC_CURVES: Record<string, string> = { prime256v1: 'EC_prime256v1', secp384r1: 'EC_secp384r1', secp521r1: 'EC_secp521r1' };
const IMPORTABLE = 'RSA 2048/3072/4096 or EC P-256/P-384/P-521';

/**
 * The smallest RSA key this library imports. ACM would import RSA 1024, but a 1024-bit key is
 * breakable and refused, like the weak CA algorithms of PKI-PCA1.
 */
export const MIN_RSA_BITS = 2048;

/** Signature algorithms refused in the certificate and the chain (collisions are practical), by OID. */
export const WEAK_SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'MD2 with RSA',
  '1.2.840.113549.1.1.4': 'MD5 with RSA',
  '1.2.840.113549.1.1.5': 'SHA-1 with RSA',
  '1.3.14.3.2.29': 'SHA-1 with RSA',
  '1.2.840.10045.4.1': 'ECDSA with SHA-1',
  '1.2.840.10040.4.3': 'DSA with SHA-1',
};

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const KEY_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];

/** One PEM block: its label and text. */
interface PemBlock {
  readonly label: string;
  readonly text: string;
}

function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(BLOCK)].map((m) => ({ label: m[1], text: m[0] }));
}

/** Whether `text` looks like DER: binary ASN.1, or bare base64 of it (no PEM armour). */
function looksLikeDer(text: string): boolean {
  if (text.length >= 2 && text.charCodeAt(0) === 0x30 && text.charCodeAt(1) >= 0x80) return true;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0e-\x1f]/.test(text)) return true;
  return /^MI[A-Za-z0-9+/]{10}/.test(text.trim()) && !text.includes('-----');
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Describes a certificate for messages by its subject (never its content). */
export function describeCertificate(cert: X509Certificate): string {
  return JSON.stringify(cert.subject.replace(/\n/g, ', '));
}

/**
 * The ACM key algorithm of a public or private key, or a problem naming what it is.
 */
export function acmKeyAlgorithm(key: KeyObject): { name?: string; problem?: string } {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (RSA_SIZES.includes(bits) && bits < MIN_RSA_BITS) {
      return {
        problem: `the key is RSA ${bits}-bit, under the ${MIN_RSA_BITS} bits this library accepts (a ${bits}-bit key can be broken): ` +
        `issue the certificate with ${IMPORTABLE}.`,
      };
    }
    return RSA_SIZES.includes(bits)
      ? { name: `RSA_${bits}` }
      : { problem: `the key is RSA ${bits}-bit, which ACM cannot import: use ${IMPORTABLE}.` };
  }
  if (type === 'ec') {
    const curve = details.namedCurve ?? 'unknown';
    const name = EC_CURVES[curve];
    return name ? { name } : { problem: `the key is EC on curve ${curve}, which ACM cannot import: use ${IMPORTABLE}.` };
  }
  return { problem: `the key type is ${type ?? 'unknown'}, which ACM cannot import: use ${IMPORTABLE}.` };
}

/**
 * DER peek: the OID (dotted) of the certificate's outer `signatureAlgorithm`, or `undefined` when the
 * DER is not laid out as a certificate. Bounds-checked: damaged input gives `undefined`, never an exception.
 */
export function signatureAlgorithmOid(raw: Uint8Array): string | undefined {
  // Returns [content offset, content length] of the DER element at `offset`.
  const header = (offset: number): [number, number] | undefined => {
    if (offset + 2 > raw.length) return undefined;
    const first = raw[offset + 1];
    if (first < 0x80) return [offset + 2, first];
    const n = first - 0x80;
    if (n < 1 || n > 4 || offset + 2 + n > raw.length) return undefined;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + raw[offset + 2 + i];
    return [offset + 2 + n, len];
  };
  const cert = header(0);
  if (raw[0] !== 0x30 || cert === undefined) return undefined;
  const tbs = header(cert[0]);
  if (tbs === undefined) return undefined;
  const algorithm = tbs[0] + tbs[1];
  const alg = raw[algorithm] === 0x30 ? header(algorithm) : undefined;
  if (alg === undefined || raw[alg[0]] !== 0x06) return undefined;
  const oid = header(alg[0]);
  if (oid === undefined || oid[1] < 1 || oid[0] + oid[1] > raw.length) return undefined;
  const bytes = raw.subarray(oid[0], oid[0] + oid[1]);
  const parts = [Math.floor(Math.min(bytes[0], 80) / 40), bytes[0] >= 80 ? bytes[0] - 80 : bytes[0] % 40];
  let value = 0;
  for (const b of bytes.subarray(1)) {
    value = value * 128 + (b % 128);
    if (b < 128) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** The problem with a certificate signed with a weak hash (MD5, SHA-1), or `undefined`. */
export function weakSignatureProblem(cert: X509Certificate, what: string): string | undefined {
  const oid = signatureAlgorithmOid(cert.raw);
  const weak = oid === undefined ? undefined : WEAK_SIGNATURE_ALGORITHMS[oid];
  return weak === undefined ? undefined
    : `${what} ${describeCertificate(cert)} is signed with ${weak}, which is refused (collisions are practical, as for the CA ` +
      'signing algorithms of PKI-PCA1): have it issued again with SHA-256 or stronger.';
}

/** DER peek: whether the certificate is X.509 v3 (TBSCertificate starts with `[0] { INTEGER 2 }`). */
export function isX509v3(raw: Buffer): boolean {
  // Skips a DER header (tag + length) at `offset` and returns the offset of the content.
  const content = (offset: number): number => {
    const len = raw[offset + 1];
    return offset + 2 + (len >= 0x80 ? len - 0x80 : 0);
  };
  const tbs = content(0);
  if (raw[tbs] !== 0x30) return false;
  const first = content(tbs);
  return raw[first] === 0xa0 && raw[first + 2] === 0x02 && raw[first + 3] === 0x01 && raw[first + 4] === 0x02;
}

function readCertificate(text: string, problems: string[]): X509Certificate | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    problems.push('the certificate is empty.');
    return undefined;
  }
  if (byteLength(trimmed) > MAX_CERTIFICATE_BYTES) {
    problems.push(`the certificate is ${byteLength(trimmed)} bytes, over ACM's limit of ${MAX_CERTIFICATE_BYTES}.`);
    return undefined;
  }
  const blocks = pemBlocks(trimmed);
  if (blocks.length === 0) {
    problems.push(looksLikeDer(trimmed)
      ? 'the certificate is DER (binary), but ACM imports PEM only: convert it with `openssl x509 -inform DER -outform PEM`.'
      : 'the certificate is not PEM: it must be a CERTIFICATE block (a BEGIN CERTIFICATE line, base64, an END CERTIFICATE line).');
    return undefined;
  }
  const labels = blocks.filter((b) => b.label !== 'CERTIFICATE').map((b) => b.label);
  if (labels.length > 0) {
    problems.push(`the certificate field holds a ${labels.join(', ')} block: it must hold only the end-entity CERTIFICATE.`);
    return undefined;
  }
  if (blocks.length > 1) {
    problems.push(`the certificate field holds ${blocks.length} certificates: put only the end-entity certificate there ` +
      'and the intermediates (then the root) into the chain.');
    return undefined;
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(blocks[0].text);
  } catch {
    problems.push('the certificate PEM does not parse as an X.509 certificate (damaged base64 or edited lines?).');
    return undefined;
  }
  if (!isX509v3(cert.raw)) {
    problems.push(`the certificate ${describeCertificate(cert)} is not X.509 version 3, which ACM requires.`);
  }
  return cert;
}

function readPrivateKey(text: string, problems: string[]): KeyObject | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    problems.push('the private key is empty.');
    return undefined;
  }
  if (/ENCRYPTED PRIVATE KEY|Proc-Type:\s*4,\s*ENCRYPTED/.test(trimmed)) {
    problems.push('the private key is encrypted (passphrase-protected), but ACM imports unencrypted keys only: ' +
      'decrypt it first, e.g. `openssl pkey -in key.pem -out plain.pem`.');
    return undefined;
  }
  const blocks = pemBlocks(trimmed).filter((b) => b.label !== 'EC PARAMETERS');
  if (blocks.length === 0) {
    problems.push(looksLikeDer(trimmed)
      ? 'the private key is DER (binary), but ACM imports PEM only: convert it with `openssl pkey -inform DER -outform PEM`.'
      : 'the private key is not PEM: it must be one PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block.');
    return undefined;
  }
  if (blocks.length > 1 || !KEY_LABELS.includes(blocks[0].label)) {
    problems.push(`the private key field holds ${blocks.map((b) => b.label).join(', ')}: it must hold exactly one ` +
      `${KEY_LABELS.join(' / ')} block.`);
    return undefined;
  }
  const size = byteLength(trimmed);
  if (size > MAX_PRIVATE_KEY_BYTES) {
    problems.push(`the private key is ${size} bytes, over ACM's limit of ${MAX_PRIVATE_KEY_BYTES} bytes: use a smaller key ` +
      `(${IMPORTABLE}).`);
    return undefined;
  }
  try {
    return createPrivateKey(blocks[0].text);
  } catch {
    problems.push('the private key PEM does not parse as a private key (damaged base64 or edited lines?).');
    return undefined;
  }
}

function readChain(text: string | undefined, problems: string[]): X509Certificate[] {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return [];
  if (byteLength(trimmed) > MAX_CHAIN_BYTES) {
    problems.push(`the chain is ${byteLength(trimmed)} bytes, over ACM's limit of ${MAX_CHAIN_BYTES}.`);
    return [];
  }
  const blocks = pemBlocks(trimmed);
  if (blocks.length === 0) {
    problems.push(looksLikeDer(trimmed)
      ? 'the chain is DER (binary), but ACM imports PEM only: convert each certificate with `openssl x509 -inform DER -outform PEM`.'
      : 'the chain is not PEM: it must be CERTIFICATE blocks, intermediates first and the root last.');
    return [];
  }
  const others = blocks.filter((b) => b.label !== 'CERTIFICATE');
  if (others.length > 0) {
    problems.push(`the chain holds a ${others.map((b) => b.label).join(', ')} block: it may hold CERTIFICATE blocks only.`);
    return [];
  }
  const certs: X509Certificate[] = [];
  for (const [i, block] of blocks.entries()) {
    try {
      certs.push(new X509Certificate(block.text));
    } catch {
      problems.push(`certificate ${i + 1} of the chain does not parse as an X.509 certificate.`);
      return [];
    }
  }
  return certs;
}

/** Whether `issuer` issued and signed `subject`. */
function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

function checkChainOrder(leaf: X509Certificate, chain: X509Certificate[], problems: string[]): void {
  const leafIndex = chain.findIndex((c) => c.fingerprint256 === leaf.fingerprint256);
  if (leafIndex >= 0) {
    problems.push(`the chain contains the end-entity certificate ${describeCertificate(leaf)} (as certificate ${leafIndex + 1}): ` +
      'remove it; the chain holds the intermediates first and the root last.');
    return;
  }
  const path = [leaf, ...chain];
  for (let i = 0; i + 1 < path.length; i++) {
    if (issued(path[i + 1], path[i])) continue;
    const what = i === 0 ? `the certificate ${describeCertificate(leaf)}` : `chain certificate ${i} ${describeCertificate(path[i])}`;
    const realIssuer = chain.findIndex((c) => issued(c, path[i]));
    problems.push(realIssuer >= 0
      ? `the chain is out of order: ${what} is issued by chain certificate ${realIssuer + 1}, but certificate ${i + 1} must be its issuer. ` +
        'Order the chain from the issuer of the certificate up to the root (intermediates first, root last).'
      : `the chain does not lead up from ${what}: chain certificate ${i + 1} ${describeCertificate(path[i + 1])} did not issue it. ` +
        'Order the chain from the issuer of the certificate up to the root, and leave out unrelated certificates.');
    return;
  }
}

/**
 * Checks material against ACM's import rules: PEM (not DER), one X.509 v3 certificate, an unencrypted
 * private key of at most 5,120 bytes that matches it, an importable algorithm, validity at `now`,
 * and a chain in order (issuer first, root last) without the end-entity certificate. Stricter than
 * ACM, like PKI-PCA1: an RSA key under 2048 bits, and an MD5 or SHA-1 signature on the certificate
 * or an intermediate, are refused.
 */
export function checkMaterial(material: CertificateMaterialPem, now: Date = new Date()): MaterialCheck {
  const problems: string[] = [];
  const cert = readCertificate(material.certificate ?? '', problems);
  const key = readPrivateKey(material.privateKey ?? '', problems);
  const chain = readChain(material.chain, problems);

  let keyAlgorithm: string | undefined;
  if (cert) {
    try {
      keyAlgorithm = checkParsed(cert, key, chain, now, problems);
    } catch {
      // node parsed the certificate but cannot read its public key or signature (found by fuzzing).
      problems.push('the certificate PEM does not parse as an X.509 certificate with a readable public key (damaged base64 or edited lines?).');
    }
  }
  if (problems.length > 0 || !cert || !keyAlgorithm) {
    return { problems };
  }
  return {
    problems,
    facts: {
      keyAlgorithm,
      serialNumber: cert.serialNumber,
      notBefore: new Date(cert.validFrom),
      notAfter: new Date(cert.validTo),
      chainLength: chain.length,
    },
  };
}

/** The checks of a parsed certificate with its key and chain; returns the ACM key algorithm when importable. */
function checkParsed(cert: X509Certificate, key: KeyObject | undefined, chain: X509Certificate[], now: Date, problems: string[]): string | undefined {
  let keyAlgorithm: string | undefined;
  {
    const algorithm = acmKeyAlgorithm(cert.publicKey);
    if (algorithm.problem) problems.push(algorithm.problem);
    keyAlgorithm = algorithm.name;
    const notBefore = new Date(cert.validFrom);
    const notAfter = new Date(cert.validTo);
    if (now < notBefore) {
      problems.push(`the certificate ${describeCertificate(cert)} is not valid yet: it is valid from ${notBefore.toISOString()}; ` +
        'ACM imports only certificates that are valid now.');
    }
    if (now > notAfter) {
      problems.push(`the certificate ${describeCertificate(cert)} expired at ${notAfter.toISOString()}: renew it before importing.`);
    }
    if (key && !cert.checkPrivateKey(key)) {
      problems.push(`the private key does not match the certificate ${describeCertificate(cert)}: ` +
        'the key and the certificate come from different key pairs.');
    }
    if (chain.length > 0) checkChainOrder(cert, chain, problems);
    // The leaf and the intermediates; a self-signed root's own signature is not relied on.
    const signed = [cert, ...chain.filter((c) => !(c.checkIssued(c) && c.verify(c.publicKey)))];
    for (const [i, c] of signed.entries()) {
      const problem = weakSignatureProblem(c, i === 0 ? 'the certificate' : 'the chain certificate');
      if (problem !== undefined) problems.push(problem);
    }
  }
  return keyAlgorithm;
}

/**
 * Reimport rule: the key type and size cannot change (ACM rejects RSA_2048 → EC_prime256v1 or RSA_4096).
 *
 * @param existing the `KeyAlgorithm` DescribeCertificate reports for the certificate in ACM
 * @param incoming the algorithm of the new material
 */
export function checkReimport(existing: string | undefined, incoming: string): string[] {
  if (existing === undefined || existing === incoming) return [];
  return [`the new material has a ${incoming} key but the certificate in ACM has ${existing}: a reimport cannot change the key type ` +
    'or size. Keep the key algorithm, or replace the certificate (a new construct ID imports a new one with a new ARN).'];
}
