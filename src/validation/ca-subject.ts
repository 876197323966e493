import { Token } from 'aws-cdk-lib';
import { quoteValue } from './errors';

/** The standard ASN1Subject field names (the keys of `CaSubject`). */
type SubjectField = 'commonName' | 'country' | 'organization' | 'organizationalUnit' | 'state' | 'locality' | 'distinguishedNameQualifier'
  | 'serialNumber' | 'title' | 'surname' | 'givenName' | 'initials' | 'pseudonym' | 'generationQualifier';

/** A CA subject as the rules see it (`CaSubject`): any value, since it may come from outside TypeScript. */
export type SubjectFacts = { readonly [key in SubjectField]?: unknown } & { readonly customAttributes?: unknown };

/** The standard ASN1Subject fields with their documented maximum lengths and patterns. */
const FIELDS: ReadonlyArray<{ key: SubjectField; max: number; min?: number; pattern?: RegExp; describe?: string }> = [
  { key: 'commonName', max: 64 },
  { key: 'country', min: 2, max: 2, pattern: /^[A-Za-z]{2}$/, describe: 'two letters (ISO 3166 code such as US)' },
  { key: 'organization', max: 64 },
  { key: 'organizationalUnit', max: 64 },
  { key: 'state', max: 128 },
  { key: 'locality', max: 128 },
  // The service's pattern verbatim: `+-.` is a range that also admits a comma.
  { key: 'distinguishedNameQualifier', max: 64, pattern: /^[a-zA-Z0-9'()+-.?:/= ]*$/, describe: "letters, digits, space and ' ( ) + , - . ? : / =" },
  { key: 'serialNumber', max: 64, pattern: /^[a-zA-Z0-9'()+-.?:/= ]*$/, describe: "letters, digits, space and ' ( ) + , - . ? : / =" },
  { key: 'title', max: 64 },
  { key: 'surname', max: 40 },
  { key: 'givenName', max: 16 },
  { key: 'initials', max: 5 },
  { key: 'pseudonym', max: 128 },
  { key: 'generationQualifier', max: 3 },
];

/** The OID pattern of the Private CA API (second arc 0-39, at most 128 arcs, 64 characters). */
const OID = /^([0-2])\.([0-9]|([0-3][0-9]))((\.([0-9]+)){0,126})$/;

/**
 * Checks a CA subject against the ASN1Subject rules: lengths and patterns of each field, at least
 * one field, custom attributes (1-150, OID and value 1-256) not mixed with standard fields.
 * Unresolved tokens are skipped. Never throws.
 */
export function validateCaSubject(subject: SubjectFacts | undefined): string[] {
  if (subject === undefined || subject === null || typeof subject !== 'object') {
    return ['the subject is required: give at least a commonName, e.g. { commonName: "Example Corp Root CA" }'];
  }
  const problems: string[] = [];
  let standard = 0;
  for (const field of FIELDS) {
    const value = subject[field.key] as unknown;
    if (value === undefined) continue;
    standard++;
    if (typeof value !== 'string') {
      problems.push(`subject.${field.key} must be a string, got ${quoteValue(value)}`);
      continue;
    }
    if (Token.isUnresolved(value)) continue;
    const min = field.min ?? 1;
    if (value.length < min || value.length > field.max) {
      const range = min === field.max ? `exactly ${min}` : `${min}-${field.max}`;
      problems.push(`subject.${field.key} ${quoteValue(value)} has ${value.length} characters; Private CA allows ${range}`);
    } else if (field.pattern && !field.pattern.test(value)) {
      problems.push(`subject.${field.key} ${quoteValue(value)} must contain only ${field.describe}`);
    }
  }
  const custom = subject.customAttributes;
  if (custom !== undefined) {
    problems.push(...validateCustomAttributes(custom, standard));
  } else if (standard === 0) {
    problems.push('the subject has no field: set at least a commonName, e.g. { commonName: "Example Corp Root CA" }');
  }
  return problems;
}

function validateCustomAttributes(custom: unknown, standard: number): string[] {
  if (Token.isUnresolved(custom)) return [];
  if (!Array.isArray(custom)) {
    return [`subject.customAttributes must be a list, got ${quoteValue(custom)}`];
  }
  const problems: string[] = [];
  if (standard > 0) {
    problems.push('subject.customAttributes cannot be combined with standard fields (commonName, organization, ...): use one or the other');
  }
  if (custom.length < 1 || custom.length > 150) {
    problems.push(`subject.customAttributes has ${custom.length} entries; Private CA allows 1-150`);
  }
  custom.forEach((attr: any, i: number) => {
    const oid = attr?.objectIdentifier;
    const value = attr?.value;
    if (typeof oid !== 'string' || (!Token.isUnresolved(oid) && (oid.length > 64 || !OID.test(oid)))) {
      problems.push(`subject.customAttributes[${i}].objectIdentifier ${quoteValue(oid)} is not an OID such as 2.5.4.3 (at most 64 characters)`);
    }
    if (typeof value !== 'string' || (!Token.isUnresolved(value) && (value.length < 1 || value.length > 256))) {
      problems.push(`subject.customAttributes[${i}].value ${quoteValue(value)} must be a string of 1-256 characters`);
    }
  });
  return problems;
}
