import { Finding, may, must } from '../harness';

/*
 * AWS Private CA rules from /work/shared/reference/private-ca-digest.md (§4.3 ASN1Subject, §4.2 algorithms, CRL/OCSP
 * configuration and rules CA-01..CA-16, RV-01..RV-15, IS-02/IS-08, HI-03), independently of src/validation.
 */

/** ASN1Subject field limits (§4.3): [CloudFormation name, max length, pattern]. */
export const SUBJECT_FIELDS: ReadonlyArray<[string, number, RegExp?]> = [
  ['CommonName', 64],
  ['Country', 2, /^[A-Za-z]{2}$/],
  ['Organization', 64],
  ['OrganizationalUnit', 64],
  ['State', 128],
  ['Locality', 128],
  // The service pattern verbatim: "+-." is a character range that also admits ",".
  ['DistinguishedNameQualifier', 64, /^[a-zA-Z0-9'()+-.?:/= ]*$/],
  ['SerialNumber', 64, /^[a-zA-Z0-9'()+-.?:/= ]*$/],
  ['Title', 64],
  ['Surname', 40],
  ['GivenName', 16],
  ['Initials', 5],
  ['Pseudonym', 128],
  ['GenerationQualifier', 3],
];
const OID = /^([0-2])\.([0-9]|([0-3][0-9]))((\.([0-9]+)){0,126})$/;

const lowerFirst = (s: string): string => s[0].toLowerCase() + s.slice(1);

/** The problems of a subject given in CloudFormation form (`CommonName`, ...) or construct form (`commonName`, ...). */
export function subjectFindings(subject: Record<string, any> | undefined): Finding[] {
  if (subject === undefined || subject === null) return [must('CA-13 subject required', subject)];
  const out: Finding[] = [];
  let standard = 0;
  for (const [field, max, pattern] of SUBJECT_FIELDS) {
    const value = subject[field] ?? subject[lowerFirst(field)];
    if (value === undefined) continue;
    standard++;
    if (typeof value !== 'string') {
      out.push(must(`CA-11 ${field} is a string`, value));
      continue;
    }
    const units = value.length;
    const codePoints = [...value].length;
    if (codePoints > max) out.push(must(`CA-11 ${field} at most ${max}`, value));
    // Astral characters: UTF-16 units and characters differ, and the digest does not say which the service counts.
    else if (units > max) out.push(may(`CA-11 ${field} over ${max} UTF-16 units`, value));
    if (field === 'Country' && value.length !== 2) out.push(must('CA-11 Country exactly 2', value));
    if (pattern && !pattern.test(value)) out.push(must(`CA-11 ${field} pattern`, value));
    // An empty RDN value: the API's minimum is 0, X.509's DirectoryString needs 1 character.
    if (value === '' && field !== 'Country') out.push(may(`CA-11 empty ${field}`, value));
  }
  const custom = subject.CustomAttributes ?? subject.customAttributes;
  if (custom !== undefined) {
    if (standard > 0) out.push(must('CA-12 custom attributes with standard fields', 'customAttributes'));
    if (!Array.isArray(custom) || custom.length < 1 || custom.length > 150) out.push(must('CA-12 1-150 custom attributes', 'customAttributes'));
    for (const a of Array.isArray(custom) ? custom : []) {
      const oid = a?.ObjectIdentifier ?? a?.objectIdentifier;
      const value = a?.Value ?? a?.value;
      if (typeof oid !== 'string' || oid.length > 64 || !OID.test(oid)) out.push(must('CA-16 OID', oid));
      if (typeof value !== 'string' || value.length < 1 || value.length > 256) out.push(must('§4.4 custom value 1-256', value));
    }
  } else if (standard === 0) {
    out.push(must('CA-13 subject must not be empty', subject));
  }
  return out;
}

const CNAME = /^[-a-zA-Z0-9;/?:@&=+$,%_.!~*()']*$/;

/** RV-03: a CRL or OCSP custom CNAME. */
export function cnameFindings(cname: unknown): Finding[] {
  if (typeof cname !== 'string') return [must('RV-03 CNAME is a string', cname)];
  const out: Finding[] = [];
  if (cname.length > 253) out.push(must('RV-03 CNAME at most 253', cname));
  if (!CNAME.test(cname)) out.push(must('RV-03 CNAME pattern', cname));
  if (/^https?:\/\//i.test(cname)) out.push(must('RV-03 no protocol prefix', cname));
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(cname)) out.push(may('RV-03 another scheme prefix', cname));
  // The API's minimum length is 0, but an empty CNAME makes no CRL distribution point.
  if (cname === '') out.push(may('RV-03 empty CNAME', cname));
  return out;
}

/** RV-04: an S3 bucket for CRLs, by the S3 naming rules the digest lists. */
export function bucketNameFindings(name: unknown): Finding[] {
  if (typeof name !== 'string') return [must('RV-04 bucket name is a string', name)];
  const out: Finding[] = [];
  if (name.length < 3 || name.length > 63) out.push(must('RV-04 3-63 characters', name));
  if (!/^[a-z0-9.-]*$/.test(name)) out.push(must('RV-04 lowercase letters, digits, dots, hyphens', name));
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) out.push(must('RV-04 starts and ends with a letter or digit', name));
  if (name.includes('..')) out.push(must('RV-04 no ".."', name));
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) out.push(must('RV-04 not IP-shaped', name));
  if (name.startsWith('xn--')) out.push(must('RV-04 no "xn--" prefix', name));
  if (name.endsWith('-s3alias') || name.endsWith('--ol-s3')) out.push(must('RV-04 reserved suffix', name));
  // Rules of the S3 documentation the digest does not list [outside]: either outcome is fine.
  if (/^(sthree-|amzn-s3-demo-)/.test(name) || /(\.mrap|--x-s3|--table-s3)$/.test(name)) out.push(may('S3 reserved prefix/suffix [outside]', name));
  if (name.includes('.-') || name.includes('-.')) out.push(may('S3 legacy DNS rule: hyphen next to a dot [outside]', name));
  return out;
}

/** RV-02: CRL validity in days. */
export function crlDaysFindings(days: number | undefined): Finding[] {
  if (days === undefined) return [];
  return Number.isInteger(days) && days >= 1 && days <= 5000 ? [] : [must('RV-02 ExpirationInDays 1-5000 whole days', days)];
}

export const CA_KEYS = ['RSA_2048', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1'];
export const CA_SIGNING = ['SHA256WITHRSA', 'SHA384WITHRSA', 'SHA512WITHRSA', 'SHA256WITHECDSA', 'SHA384WITHECDSA', 'SHA512WITHECDSA'];

/** The family of a documented key or signing algorithm; undefined for anything else. */
export function familyOf(name: string): 'RSA' | 'EC' | undefined {
  if (CA_KEYS.includes(name) || ['RSA_1024', 'RSA_3072', 'EC_secp521r1'].includes(name)) return name.startsWith('RSA') ? 'RSA' : 'EC';
  if (CA_SIGNING.includes(name)) return name.endsWith('WITHRSA') ? 'RSA' : 'EC';
  return undefined;
}

/** CA-02..CA-04: key and signing algorithms of a CA. */
export function algorithmFindings(key: string, signing: string): Finding[] {
  const out: Finding[] = [];
  for (const [what, value, allowed] of [['CA-02 KeyAlgorithm', key, CA_KEYS], ['CA-03 SigningAlgorithm', signing, CA_SIGNING]] as const) {
    if (allowed.includes(value)) continue;
    // An escape hatch (`of(name)`) for values newer than the digest (SM2, ML-DSA) is by design; a blank name never is.
    out.push(/^\s*$/.test(value) || /\s/.test(value) ? must(`${what} blank or with whitespace`, value) : may(`${what} not in the documented enum`, value));
  }
  const kf = familyOf(key);
  const sf = familyOf(signing);
  if (kf && sf && kf !== sf) out.push(must('CA-04 key/signing family mismatch', signing));
  // CA-04: SM2 keys sign with SM3WITHSM2 only, and SM3WITHSM2 needs an SM2 key.
  if ((key === 'SM2') !== (signing === 'SM3WITHSM2')) out.push(must('CA-04 SM2 pairs only with SM3WITHSM2', signing));
  // CA-02/03: weak, not merely new, algorithms (RSA below 2048 bits, SHA-1/MD5 signatures).
  const bits = /^RSA_(\d+)$/.exec(key);
  if (bits && Number(bits[1]) < 2048) out.push(must('CA-02 RSA key below 2048 bits', key));
  if (/SHA1|SHA-1|MD5/i.test(signing)) out.push(must('CA-03 SHA-1/MD5 signature', signing));
  return out;
}

/** A CA validity as the oracle sees it. */
export type ValiditySpec = { days: number } | { end: number } | undefined;

/** IS-02 / "min validity": whole days >= 1, or an end in the future. */
export function validityFindings(v: ValiditySpec, now: number): Finding[] {
  if (v === undefined) return [];
  if ('days' in v) return Number.isInteger(v.days) && v.days >= 1 ? [] : [must('IS-02 whole days >= 1', v.days)];
  if (Number.isNaN(v.end)) return [must('IS-03 a valid end date', 'Invalid Date')];
  if (v.end <= now) return [must('IS-06 end in the future', new Date(v.end).toISOString())];
  // GeneralizedTime YYYYMMDDHHMMSS ends with year 9999 (IS-03).
  if (v.end >= Date.UTC(10000, 0, 1)) return [must('IS-03 END_DATE has 14 digits (year <= 9999)', new Date(v.end).toISOString())];
  return [];
}

const DAY = 86_400_000;

/** The end of a validity in ms, given the issuance time. */
export function endOf(v: { days: number } | { end: number }, now: number): number {
  return 'days' in v ? now + v.days * DAY : v.end;
}

/** IS-08: a child must end before its parent. Returns findings on the child's value. */
export function childValidityFindings(child: { days: number } | { end: number }, parent: { days: number } | { end: number }, now: number): Finding[] {
  if ('days' in child && 'days' in parent) {
    return child.days < parent.days ? [] : [must('IS-08 child days < parent days', child.days)];
  }
  const c = endOf(child, now);
  const p = endOf(parent, now);
  // Mixed forms compare at issuance time, which is not synth time: close calls are undecidable.
  if (Math.abs(c - p) < 2 * DAY) return [may('IS-08 child end close to parent end', 'days' in child ? child.days : new Date(c).toISOString())];
  return c < p ? [] : [must('IS-08 child ends after parent', 'days' in child ? child.days : new Date(c).toISOString())];
}
