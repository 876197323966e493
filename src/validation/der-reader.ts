/*
 * A minimal DER reader, with no dependency, for the few fields of an X.509 certificate and a PKCS #10 CSR that the
 * synth-time checks of an externally signed CA need (RFC 5280 §4.1, RFC 2986 §4):
 *
 *   Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm, signatureValue }
 *   TBSCertificate ::= SEQUENCE { version [0] EXPLICIT OPTIONAL, serialNumber, signature, issuer, validity, subject,
 *                                 subjectPublicKeyInfo, issuerUniqueID [1] OPTIONAL, subjectUniqueID [2] OPTIONAL,
 *                                 extensions [3] EXPLICIT SEQUENCE OF Extension OPTIONAL }
 *   Validity ::= SEQUENCE { notBefore Time, notAfter Time }    Time ::= UTCTime (0x17) | GeneralizedTime (0x18)
 *   Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 *   BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
 *   KeyUsage ::= BIT STRING { digitalSignature (0), ..., keyCertSign (5), cRLSign (6), ... }
 *   CertificationRequest ::= SEQUENCE { certificationRequestInfo SEQUENCE { version, subject, subjectPKInfo,
 *                                       attributes [0] }, signatureAlgorithm, signature }
 *
 * Every reader throws a `DerError` on malformed input; callers turn it into a problem message.
 */

/** Malformed DER. */
export class DerError extends Error {}

/** One tag-length-value: `start` is the tag's offset, `content` the content octets' offset, `end` one past the last. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly content: number;
  readonly end: number;
}

const TAG_BOOLEAN = 0x01;
const TAG_INTEGER = 0x02;
const TAG_BIT_STRING = 0x03;
const TAG_OCTET_STRING = 0x04;
const TAG_OID = 0x06;
const TAG_SEQUENCE = 0x30;
const TAG_UTC_TIME = 0x17;
const TAG_GENERALIZED_TIME = 0x18;
const TAG_EXTENSIONS = 0xa3;

/** Reads the TLV at `offset`, which must end by `limit`. Only single-byte tags (all that X.509 uses here). */
export function readTlv(der: Uint8Array, offset: number, limit: number = der.length): Tlv {
  if (offset + 2 > limit) throw new DerError(`truncated at byte ${offset}`);
  const tag = der[offset];
  if (tag % 32 === 31) throw new DerError(`multi-byte tag at byte ${offset}`);
  let length = der[offset + 1];
  let content = offset + 2;
  if (length >= 0x80) {
    const count = length - 0x80;
    if (count === 0 || count > 4 || content + count > limit) throw new DerError(`bad length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[content + i];
    content += count;
  }
  const end = content + length;
  if (end > limit) throw new DerError(`length past the end at byte ${offset}`);
  return { tag, start: offset, content, end };
}

/** The TLVs directly inside a constructed TLV, in order. */
export function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.content; at < parent.end;) {
    const child = readTlv(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (t === undefined || t.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}`);
  return t;
}

/** The whole DER must be one SEQUENCE. */
function outer(der: Uint8Array, what: string): Tlv {
  const top = expectTag(readTlv(der, 0), TAG_SEQUENCE, what);
  if (top.end !== der.length) throw new DerError(`${what}: trailing bytes`);
  return top;
}

/** A dotted object identifier. */
function oid(der: Uint8Array, t: Tlv): string {
  const parts: number[] = [];
  let value = 0;
  for (let i = t.content; i < t.end; i++) {
    value = value * 128 + (der[i] % 128);
    if (der[i] < 128) {
      parts.push(value);
      value = 0;
    }
  }
  if (parts.length === 0) throw new DerError('empty object identifier');
  const first = parts[0] < 80 ? Math.floor(parts[0] / 40) : 2;
  return [first, parts[0] - first * 40, ...parts.slice(1)].join('.');
}

/** A UTCTime (years 1950-2049) or GeneralizedTime in UTC (`Z`), as a Date. */
function time(der: Uint8Array, t: Tlv): Date {
  const text = Buffer.from(der.subarray(t.content, t.end)).toString('latin1');
  const m = t.tag === TAG_UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
    : t.tag === TAG_GENERALIZED_TIME ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (!m) throw new DerError(`not a UTC time: ${JSON.stringify(text)}`);
  const year = t.tag === TAG_UTC_TIME ? (Number(m[1]) < 50 ? 2000 : 1900) + Number(m[1]) : Number(m[1]);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** One certificate extension: its OID, critical flag and the DER of its value (the OCTET STRING's content). */
export interface DerExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** What the checks read from a certificate's DER. */
export interface DerCertificate {
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array;
  readonly extensions: DerExtension[];
}

/** Reads validity, public key and extensions of a DER X.509 certificate. */
export function readCertificate(der: Uint8Array): DerCertificate {
  const [tbsTlv] = children(der, outer(der, 'certificate'));
  const tbs = children(der, expectTag(tbsTlv, TAG_SEQUENCE, 'tbsCertificate'));
  // version [0] is optional: the serial number is the first INTEGER.
  const i = tbs[0]?.tag === 0xa0 ? 1 : 0;
  expectTag(tbs[i], TAG_INTEGER, 'serialNumber');
  const validity = children(der, expectTag(tbs[i + 3], TAG_SEQUENCE, 'validity'));
  const spki = expectTag(tbs[i + 5], TAG_SEQUENCE, 'subjectPublicKeyInfo');
  const extensions: DerExtension[] = [];
  const extTlv = tbs.slice(i + 6).find((t) => t.tag === TAG_EXTENSIONS);
  if (extTlv) {
    const [list] = children(der, extTlv);
    for (const ext of children(der, expectTag(list, TAG_SEQUENCE, 'extensions'))) {
      const parts = children(der, expectTag(ext, TAG_SEQUENCE, 'extension'));
      const critical = parts[1]?.tag === TAG_BOOLEAN && der[parts[1].content] !== 0;
      const value = expectTag(parts[parts.length - 1], TAG_OCTET_STRING, 'extnValue');
      extensions.push({ oid: oid(der, expectTag(parts[0], TAG_OID, 'extnID')), critical, value: der.subarray(value.content, value.end) });
    }
  }
  if (validity.length !== 2) throw new DerError('validity: expected notBefore and notAfter');
  return { notBefore: time(der, validity[0]), notAfter: time(der, validity[1]), spki: der.subarray(spki.start, spki.end), extensions };
}

/** The SubjectPublicKeyInfo (DER) of a PKCS #10 certificate signing request. */
export function readCsrPublicKey(der: Uint8Array): Uint8Array {
  const [infoTlv] = children(der, outer(der, 'certification request'));
  const info = children(der, expectTag(infoTlv, TAG_SEQUENCE, 'certificationRequestInfo'));
  expectTag(info[0], TAG_INTEGER, 'version');
  const spki = expectTag(info[2], TAG_SEQUENCE, 'subjectPKInfo');
  return der.subarray(spki.start, spki.end);
}

/** A basicConstraints value: `cA` and `pathLenConstraint` (undefined when absent: no limit). */
export function readBasicConstraints(value: Uint8Array): { ca: boolean; pathLength?: number } {
  const parts = children(value, outer(value, 'basicConstraints'));
  let at = 0;
  let ca = false;
  if (parts[at]?.tag === TAG_BOOLEAN) {
    ca = value[parts[at].content] !== 0;
    at++;
  }
  if (parts[at] === undefined) return { ca };
  const n = expectTag(parts[at], TAG_INTEGER, 'pathLenConstraint');
  let pathLength = 0;
  for (let i = n.content; i < n.end; i++) pathLength = pathLength * 256 + value[i];
  return { ca, pathLength };
}

/** The key usage bits that are set, by name (RFC 5280 §4.2.1.3). */
export function readKeyUsage(value: Uint8Array): string[] {
  const bits = expectTag(readTlv(value, 0), TAG_BIT_STRING, 'keyUsage');
  const names = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign',
    'encipherOnly', 'decipherOnly'];
  const set: string[] = [];
  for (let bit = 0; bit < names.length; bit++) {
    const byte = bits.content + 1 + Math.floor(bit / 8);
    if (byte < bits.end && Math.floor(value[byte] / 2 ** (7 - (bit % 8))) % 2 === 1) set.push(names[bit]);
  }
  return set;
}
