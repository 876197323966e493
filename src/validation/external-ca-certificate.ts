import { createHash, createPublicKey, X509Certificate } from 'crypto';
import { Token } from 'aws-cdk-lib';
import { DerCertificate, readBasicConstraints, readCertificate, readCsrPublicKey, readKeyUsage } from './der-reader';
import { quoteValue } from './errors';

/*
 * Synth-time checks of the material that activates a subordinate CA signed by an external (offline or on-premises)
 * CA: the signed CA certificate, its chain and, when given, the CSR the CA published in the first deployment. Private
 * CA's ImportCertificateAuthorityCertificate rules (digest §3.13): a CA certificate with basicConstraints marked
 * critical, not self-signed, at most 32 KB; a PEM chain that excludes the certificate, root last, at most 2 MB.
 * Signatures are verified with node:crypto's X509Certificate; the fields node does not expose (key usage, the
 * critical flag and path length of basicConstraints, the CSR's public key) come from ./der-reader.
 */

/** The most bytes Private CA takes in an imported CA certificate. */
export const MAX_CA_CERTIFICATE_BYTES = 32_768;
/** The most bytes Private CA takes in an imported certificate chain. */
export const MAX_CA_CHAIN_BYTES = 2_097_152;

/** How far ahead of the synthesizing machine's clock the signing CA's may run: a certificate fresh from it is current. */
const CLOCK_SKEW_MS = 5 * 60_000;
const BASIC_CONSTRAINTS_OID = '2.5.29.19';
const KEY_USAGE_OID = '2.5.29.15';
const SIGN_HINT = 'sign the CSR again as a CA certificate (basicConstraints=critical,CA:TRUE,pathlen:N and keyUsage=critical,keyCertSign,cRLSign)';

/** The material, as given (PEM strings; any of them may be a token). */
export interface ExternalCaMaterialFacts {
  readonly certificatePem: string;
  /** The chain: the certificate's issuer first, the root last. */
  readonly chainPem: string;
  /** The CA's CSR from the first deployment, when the user passes it back. */
  readonly csrPem?: string;
}

/** What the checks learnt from a readable certificate. */
export interface ExternalCaCertificateFacts {
  readonly notBefore: Date;
  readonly notAfter: Date;
  /**
   * How many CA levels may follow below this CA: the least of the certificate's own `pathlen` and, for each issuer
   * above it, its `pathlen` minus the CA levels between; undefined when nothing limits it.
   */
  readonly pathLengthLimit?: number;
  /** How messages name the certificate: its subject and serial number. */
  readonly text: string;
}

/** Problems of the material, and the facts of the certificate when it could be read. */
export interface ExternalCaInspection {
  readonly problems: string[];
  readonly facts?: ExternalCaCertificateFacts;
}

interface Parsed {
  readonly x509: X509Certificate;
  readonly der: DerCertificate;
  readonly text: string;
}

/**
 * Checks the certificate and chain of an externally signed subordinate CA at `now`. Skipped (no problems, no facts)
 * when the certificate or the chain is a token (SSM parameters, secrets, other stacks); the CSR check is skipped when
 * no CSR is given or it is a token. Never throws.
 */
export function inspectExternalCaMaterial(material: ExternalCaMaterialFacts, now: number): ExternalCaInspection {
  if (Token.isUnresolved(material.certificatePem) || Token.isUnresolved(material.chainPem)) return { problems: [] };
  const problems: string[] = [];
  const certBlocks = pemBlocks('certificate', material.certificatePem, 'CERTIFICATE', problems);
  const chainBlocks = pemBlocks('chain', material.chainPem, 'CERTIFICATE', problems);
  if (certBlocks && certBlocks.length !== 1) {
    problems.push(`certificate holds ${certBlocks.length} PEM certificates: give only this CA's certificate there, and its issuers in chain`);
  }
  if (chainBlocks && chainBlocks.length === 0) {
    problems.push('chain holds no certificate: a subordinate CA is imported with its chain, the certificate\'s issuer first and the root last');
  }
  checkSize('certificate', material.certificatePem, MAX_CA_CERTIFICATE_BYTES, problems);
  checkSize('chain', material.chainPem, MAX_CA_CHAIN_BYTES, problems);
  if (problems.length > 0 || !certBlocks || !chainBlocks) return { problems };

  const cert = parse('certificate', certBlocks[0], problems);
  const chain = chainBlocks.map((der, i) => parse(`chain certificate ${i + 1}`, der, problems));
  if (!cert || chain.some((c) => c === undefined)) return { problems };
  const issuers = chain as Parsed[];

  problems.push(...caProblems('certificate', cert, true));
  if (isSelfSigned(cert)) {
    problems.push(`certificate ${cert.text} is self-signed: Private CA imports a self-signed certificate only as a root. Have the external CA sign this CA's CSR`);
  }
  issuers.forEach((c, i) => problems.push(...caProblems(`chain certificate ${i + 1}`, c, false)));
  problems.push(...csrProblems(cert, material.csrPem));
  const order = orderProblems(cert, issuers);
  problems.push(...order);
  for (const [what, c] of [['certificate', cert] as const, ...issuers.map((x, i) => [`chain certificate ${i + 1}`, x] as const)]) {
    problems.push(...timeProblems(what, c, now));
  }
  // Path lengths count the CA levels of an ordered chain.
  const limit = pathLengthLimit(cert, issuers, order.length === 0 ? problems : []);
  return {
    problems,
    facts: { notBefore: cert.der.notBefore, notAfter: cert.der.notAfter, pathLengthLimit: limit, text: cert.text },
  };
}

/**
 * The path length the CA asks for (`pathLength`) must fit in what its certificate and chain allow. Never throws.
 */
export function validateExternalPathLength(pathLength: number | undefined, facts: ExternalCaCertificateFacts | undefined): string[] {
  if (pathLength === undefined || facts?.pathLengthLimit === undefined || Token.isUnresolved(pathLength) || pathLength <= facts.pathLengthLimit) {
    return [];
  }
  return [`pathLength ${pathLength} is more than the certificate ${facts.text} allows (${facts.pathLengthLimit} CA level(s) below it, from the ` +
    'pathlen of its basicConstraints and of its issuers): leave pathLength out, or have the external CA sign a certificate with a larger pathlen'];
}

/** The DER of each `label` PEM block of `text`; undefined (with a problem) when the text is not only such blocks. */
function pemBlocks(what: string, text: string, label: string, problems: string[]): Buffer[] | undefined {
  if (typeof text !== 'string') {
    problems.push(`${what} is not a string: give PEM text`);
    return undefined;
  }
  const blocks: Buffer[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  let rest = '';
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    rest += text.slice(at, m.index);
    at = m.index + m[0].length;
    if (m[1] !== label && !(label === 'CERTIFICATE REQUEST' && m[1] === 'NEW CERTIFICATE REQUEST')) {
      const hint = /PRIVATE KEY/.test(m[1]) ? ' (never put a private key here: the CA keeps its own)' : '';
      problems.push(`${what} holds a PEM ${quoteValue(m[1])} block${hint}: give ${label} blocks only`);
      return undefined;
    }
    const body = m[2].replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
      problems.push(`${what} has a ${label} block whose body is not base64: copy the PEM again, unchanged`);
      return undefined;
    }
    blocks.push(Buffer.from(body, 'base64'));
  }
  rest += text.slice(at);
  if (rest.trim() !== '') {
    problems.push(`${what} ${quoteValue(text)} is not PEM: give the text from "-----BEGIN ${label}-----" to "-----END ${label}-----"` +
      (blocks.length > 0 ? ', with nothing else around the blocks' : ''));
    return undefined;
  }
  return blocks;
}

function checkSize(what: string, text: string, max: number, problems: string[]): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > max) problems.push(`${what} is ${bytes} bytes, more than the ${max} bytes Private CA imports`);
}

function parse(what: string, der: Buffer, problems: string[]): Parsed | undefined {
  try {
    const x509 = new X509Certificate(der);
    return { x509, der: readCertificate(der), text: `${quoteValue(x509.subject.replace(/\n/g, ', '))} (serial ${x509.serialNumber})` };
  } catch (e) {
    problems.push(`${what} is not a readable X.509 certificate (${(e as Error).message}): copy the PEM the external CA returned, unchanged`);
    return undefined;
  }
}

/** basicConstraints CA:TRUE (critical on the imported certificate) and keyUsage keyCertSign. */
function caProblems(what: string, c: Parsed, imported: boolean): string[] {
  const problems: string[] = [];
  const bc = c.der.extensions.find((e) => e.oid === BASIC_CONSTRAINTS_OID);
  const ca = bc ? safe(() => readBasicConstraints(bc.value).ca) : false;
  if (!ca) {
    problems.push(`${what} ${c.text} is not a CA certificate (basicConstraints ${bc ? 'CA:FALSE' : 'missing'}): ` +
      (imported ? SIGN_HINT : 'the chain holds the issuing CAs only, up to the root'));
    return problems;
  }
  if (imported && !bc!.critical) {
    problems.push(`${what} ${c.text} has basicConstraints not marked critical, which Private CA refuses: ${SIGN_HINT}`);
  }
  const ku = c.der.extensions.find((e) => e.oid === KEY_USAGE_OID);
  const usages = ku ? safe(() => readKeyUsage(ku.value)) ?? [] : undefined;
  if (usages !== undefined && !usages.includes('keyCertSign')) {
    problems.push(`${what} ${c.text} has keyUsage ${quoteValue(usages.join(','))} without keyCertSign, so it cannot sign certificates: ` +
      (imported ? SIGN_HINT : 'the chain holds the issuing CAs only'));
  }
  return problems;
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function isSelfSigned(c: Parsed): boolean {
  return c.x509.checkIssued(c.x509) && c.x509.verify(c.x509.publicKey);
}

function issued(child: Parsed, issuer: Parsed): boolean {
  return child.x509.checkIssued(issuer.x509) && child.x509.verify(issuer.x509.publicKey);
}

/** The certificate's public key must be the one of the CSR. */
function csrProblems(cert: Parsed, csrPem: string | undefined): string[] {
  if (csrPem === undefined || Token.isUnresolved(csrPem)) return [];
  const problems: string[] = [];
  const blocks = pemBlocks('csr', csrPem, 'CERTIFICATE REQUEST', problems);
  if (!blocks) return problems;
  if (blocks.length !== 1) return [`csr holds ${blocks.length} certificate requests: give the one CSR of this CA (the stack output of the first deployment)`];
  let csrKey: string;
  try {
    csrKey = keyFingerprint(readCsrPublicKey(blocks[0]));
  } catch (e) {
    return [`csr is not a readable certificate request (${(e as Error).message}): give the CSR of this CA (the stack output of the first deployment)`];
  }
  const certKey = keyFingerprint(cert.der.spki);
  return certKey === csrKey ? [] : [
    `certificate ${cert.text} has public key ${certKey}, but this CA's CSR has ${csrKey}: the external CA signed another request. ` +
      'Sign the CSR of this CA (the stack output of the first deployment), or give the CSR that belongs to this CA',
  ];
}

/** `sha256:<first 16 hex digits>` of the normalized SubjectPublicKeyInfo. */
function keyFingerprint(spki: Uint8Array): string {
  const normalized = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'der', type: 'spki' });
  return `sha256:${createHash('sha256').update(normalized).digest('hex').slice(0, 16)}`;
}

/** The certificate is issued by chain[0], each chain certificate by the next; the last is a self-signed root. */
function orderProblems(cert: Parsed, chain: Parsed[]): string[] {
  const fix = 'order the chain from the certificate\'s issuer up to the root (root last)';
  if (chain.some((c) => c.x509.raw.equals(cert.x509.raw))) {
    return [`chain contains the certificate ${cert.text} itself, which Private CA refuses: give only its issuers, ${fix}`];
  }
  const links: Array<[string, Parsed]> = [['certificate', cert], ...chain.map((c, i) => [`chain certificate ${i + 1}`, c] as [string, Parsed])];
  for (let i = 0; i < chain.length; i++) {
    const [what, child] = links[i];
    if (issued(child, chain[i])) {
      const v = validityProblems(what, child, `chain certificate ${i + 1}`, chain[i]);
      if (v.length > 0) return v;
      continue;
    }
    const j = chain.findIndex((c) => issued(child, c));
    return [j >= 0
      ? `chain is out of order: ${what} ${child.text} is issued by chain certificate ${j + 1} ${chain[j].text}, not by chain certificate ${i + 1} ` +
        `${chain[i].text}: ${fix}`
      : `chain certificate ${i + 1} ${chain[i].text} did not issue ${what} ${child.text} (its issuer is ` +
        `${quoteValue(child.x509.issuer.replace(/\n/g, ', '))}, and no certificate of the chain signed it): ${fix}`];
  }
  const root = chain[chain.length - 1];
  return isSelfSigned(root) ? [] : [
    `chain ends with ${root.text}, which is not self-signed: end the chain with the root CA's certificate (${fix})`,
  ];
}

/** A certificate's validity must lie within its issuer's. */
function validityProblems(what: string, child: Parsed, issuerWhat: string, issuer: Parsed): string[] {
  const c = child.der;
  const p = issuer.der;
  if (c.notBefore.getTime() >= p.notBefore.getTime() && c.notAfter.getTime() <= p.notAfter.getTime()) return [];
  return [`${what} ${child.text} is valid from ${c.notBefore.toISOString()} to ${c.notAfter.toISOString()}, beyond its issuer ` +
    `(${issuerWhat} ${issuer.text}, valid from ${p.notBefore.toISOString()} to ${p.notAfter.toISOString()}): a certificate cannot outlive its ` +
    'issuer. Have the external CA sign it again with a validity inside the issuer\'s (fewer -days)'];
}

function timeProblems(what: string, c: Parsed, now: number): string[] {
  if (c.der.notAfter.getTime() <= now) {
    return [`${what} ${c.text} expired on ${c.der.notAfter.toISOString()}: have the external CA sign a new certificate`];
  }
  if (c.der.notBefore.getTime() > now + CLOCK_SKEW_MS) {
    return [`${what} ${c.text} is not valid before ${c.der.notBefore.toISOString()}: deploy after that date, or have the external CA sign ` +
      'a certificate valid from now'];
  }
  return [];
}

/**
 * The CA levels allowed below the certificate: its own pathlen, and each issuer's pathlen minus the CA certificates
 * between it and this CA's. A chain that already breaks an issuer's pathlen is a problem.
 */
function pathLengthLimit(cert: Parsed, chain: Parsed[], problems: string[]): number | undefined {
  const pathLen = (c: Parsed): number | undefined => {
    const bc = c.der.extensions.find((e) => e.oid === BASIC_CONSTRAINTS_OID);
    return bc ? safe(() => readBasicConstraints(bc.value).pathLength) : undefined;
  };
  let limit = pathLen(cert);
  chain.forEach((issuer, i) => {
    const own = pathLen(issuer);
    if (own === undefined) return;
    const left = own - (i + 1);
    if (left < 0) {
      problems.push(`chain certificate ${i + 1} ${issuer.text} has pathlen ${own}, which allows ${own} CA level(s) below it, but ` +
        `this CA sits ${i + 1} level(s) below it: sign this CA with an issuer whose pathlen leaves room for it`);
    } else if (limit === undefined || left < limit) {
      limit = left;
    }
  });
  return limit;
}
