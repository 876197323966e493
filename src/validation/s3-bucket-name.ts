import { Token } from 'aws-cdk-lib';
import { badCharacters, quoteValue } from './errors';

/*
 * Where AWS Private CA writes CRLs, as pure, token-aware validators: the S3 bucket name (`S3BucketName`) and the
 * CNAME written into certificates in its place (`CustomCname`). Each returns its problems (empty when valid), never
 * throws, and skips unresolved CDK tokens (CloudFormation, S3 and Private CA have the last word on those).
 */

/** An S3 general purpose bucket name is at least 3 characters. */
export const MIN_BUCKET_NAME_LENGTH = 3;
/** An S3 general purpose bucket name is at most 63 characters (Private CA's own limit, 255, is looser). */
export const MAX_BUCKET_NAME_LENGTH = 63;
/** Private CA's `CustomCname` (and `OcspCustomCname`) is at most 253 characters. */

/** Prefixes S3 reserves: punycode-like names, S3's own `sthree-` names and the documentation's example names. */
const RESERVED_PREFIXES: ReadonlyArray<[string, string]> = [
  ['xn--', 'it is reserved for punycode (internationalised) names'],
  ['sthree-', 'S3 reserves it for its own use'],
  ['amzn-s3-demo-', 'S3 reserves it for documentation examples'],
];

/** Suffixes S3 reserves for names that are not general purpose buckets. */
const RESERVED_SUFFIXES: ReadonlyArray<[string, string]> = [
  ['-s3alias', 'access point aliases'],
  ['--ol-s3', 'Object Lambda access point aliases'],
  ['.mrap', 'Multi-Region Access Points'],
  ['--x-s3', 'directory buckets'],
  ['--table-s3', 'table buckets'],
];

const IP_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** The bucket name inside an S3 URI or ARN that was given instead of a bare name, if that is what `name` is. */
function bareNameOf(name: string): string | undefined {
  const match = /^(?:s3:\/\/|arn:[^:]*:s3:::)([^/]*)/i.exec(name);
  return match ? match[1] : undefined;
}

function characterProblems(name: string, q: string): string[] {
  const problems: string[] = [];
  if (/[A-Z]/.test(name)) {
    problems.push(`bucket name ${q} contains uppercase letters: S3 bucket names are all lowercase ` +
      `(as in ${JSON.stringify(name.toLowerCase())}).`);
  }
  const others = name.replace(/[a-zA-Z0-9.-]/g, '');
  if (others.length > 0) {
    const bare = bareNameOf(name);
    const hint = bare !== undefined
      ? ` Give the bare bucket name${bare ? ` (${JSON.stringify(bare)})` : ''}, not an S3 URI or ARN.`
      : name.includes('/') ? ' Give only the bucket name, without a path: Private CA writes CRLs under "crl/" itself.' : '';
    problems.push(`bucket name ${q} contains ${badCharacters(others, /[a-zA-Z0-9.-]/)}, which S3 does not allow: ` +
      `use only lowercase letters, digits, dots and hyphens.${hint}`);
  }
  return problems;
}

function shapeProblems(name: string, q: string): string[] {
  const problems: string[] = [];
  const ends = [...new Set([name[0], name[name.length - 1]])].filter((c) => !/[a-zA-Z0-9]/.test(c));
  if (ends.length > 0) {
    problems.push(`bucket name ${q} starts or ends with ${ends.map((c) => JSON.stringify(c)).join(' and ')}: ` +
      'a bucket name must start and end with a lowercase letter or a digit.');
  }
  if (name.includes('..')) {
    problems.push(`bucket name ${q} contains two adjacent dots "..": remove the extra dot.`);
  }
  if (name.includes('.-') || name.includes('-.')) {
    problems.push(`bucket name ${q} has a hyphen next to a dot: each dot-separated part must start and end with a ` +
      'letter or digit, as in "crl.example-corp".');
  }
  if (IP_ADDRESS.test(name)) {
    problems.push(`bucket name ${q} is formatted as an IP address, which S3 does not allow: use a name with letters, ` +
      'such as "example-corp-crl".');
  }
  for (const [prefix, why] of RESERVED_PREFIXES) {
    if (name.startsWith(prefix)) {
      problems.push(`bucket name ${q} starts with ${JSON.stringify(prefix)}, a prefix S3 does not allow in bucket names ` +
        `(${why}): choose another name.`);
    }
  }
  for (const [suffix, what] of RESERVED_SUFFIXES) {
    if (name.endsWith(suffix)) {
      problems.push(`bucket name ${q} ends with ${JSON.stringify(suffix)}, a suffix S3 reserves for ${what}: choose another name.`);
    }
  }
  return problems;
}

/**
 * Checks the name of the S3 bucket Private CA writes CRLs (or audit reports) to.
 *
 * Private CA accepts `^[-a-zA-Z0-9._/]+$` of 3-255 characters but requires a real bucket, so the stricter S3 rules for
 * general purpose buckets apply: 3-63 characters; only lowercase letters, digits, dots and hyphens; starts and ends
 * with a letter or digit; no `..` and no hyphen next to a dot; not formatted as an IP address; none of the reserved
 * prefixes `xn--`, `sthree-`, `amzn-s3-demo-` or suffixes `-s3alias`, `--ol-s3`, `.mrap`, `--x-s3`, `--table-s3`.
 *
 * @param name the bucket name; a string containing an unresolved token yields no problems
 * @returns problems, empty when the name is valid
 */
export function validateS3BucketName(name: string): string[] {
  if (typeof name !== 'string') {
    return [`bucket name ${quoteValue(name)} is not a string: give a name such as "example-corp-crl".`];
  }
  if (Token.isUnresolved(name)) {
    return [];
  }
  const q = quoteValue(name);
  if (name.length === 0) {
    return ['bucket name "" is empty: give a name of 3 to 63 lowercase letters, digits, dots and hyphens, such as ' +
      '"example-corp-crl", or leave it out to get a generated one.'];
  }
  const problems: string[] = [];
  if (name.length < MIN_BUCKET_NAME_LENGTH || name.length > MAX_BUCKET_NAME_LENGTH) {
    problems.push(`bucket name ${q} is ${name.length} characters long: S3 bucket names must be ${MIN_BUCKET_NAME_LENGTH} ` +
      `to ${MAX_BUCKET_NAME_LENGTH} characters. ${name.length < MIN_BUCKET_NAME_LENGTH ? 'Lengthen' : 'Shorten'} it.`);
  }
  problems.push(...characterProblems(name, q));
  problems.push(...shapeProblems(name, q));
  return problems;
}
