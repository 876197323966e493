import { Token } from 'aws-cdk-lib';
import { quoteValue } from './errors';

/**
 * AWS tag rules (ACM and AWS Private CA follow the common tagging rules), as a pure, token-aware validator.
 */

/** A tag key is 1 to 128 Unicode characters. */
export const MAX_TAG_KEY_LENGTH = 128;
/** A tag value is 0 to 256 Unicode characters. */
export const MAX_TAG_VALUE_LENGTH = 256;
/** A resource has at most 50 user tags. */
export const DEFAULT_MAX_TAGS = 50;

/** The characters AWS allows in tag keys and values: letters, separators (spaces), digits and `_ . : / = + - @`. */
const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const ALLOWED_CHAR = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]$/u;
const ALLOWED_TEXT = 'letters, digits, spaces and _ . : / = + - @';

/** Options of `validateTags`. */
export interface TagValidationOptions {
  /** How many tags the resource may have; 50 unless given. */
  readonly maxTags?: number;
}

/** Length in Unicode characters (code points), as AWS counts it. */
function length(text: string): number {
  return [...text].length;
}

/** The distinct characters of `text` that AWS does not allow, quoted. */
function badCharacters(text: string): string {
  const bad = [...new Set([...text].filter((c) => !ALLOWED_CHAR.test(c)))];
  const shown = bad.slice(0, 5).map((c) => JSON.stringify(c)).join(', ');
  return bad.length > 5 ? `${shown} and ${bad.length - 5} more` : shown;
}

function keyProblems(key: string): string[] {
  const q = quoteValue(key);
  const problems: string[] = [];
  const size = length(key);
  if (size === 0) {
    problems.push(`tag key "" is empty: a tag key must be 1 to ${MAX_TAG_KEY_LENGTH} characters.`);
  } else if (size > MAX_TAG_KEY_LENGTH) {
    problems.push(`tag key ${q} is ${size} characters long: a tag key must be 1 to ${MAX_TAG_KEY_LENGTH} characters. Shorten it.`);
  }
  if (!ALLOWED.test(key)) {
    problems.push(`tag key ${q} contains ${badCharacters(key)}, which AWS does not allow in tags: use only ${ALLOWED_TEXT}.`);
  }
  if (/^aws:/i.test(key)) {
    problems.push(`tag key ${q} starts with "aws:", a prefix AWS reserves for its own tags: choose another key.`);
  }
  return problems;
}

function valueProblems(key: string, value: string): string[] {
  const where = `tag value ${quoteValue(value)} (key ${quoteValue(key)})`;
  if (typeof value !== 'string') {
    return [`${where} is not a string: tag values must be strings of 0 to ${MAX_TAG_VALUE_LENGTH} characters.`];
  }
  const problems: string[] = [];
  const size = length(value);
  if (size > MAX_TAG_VALUE_LENGTH) {
    problems.push(`${where} is ${size} characters long: a tag value may have at most ${MAX_TAG_VALUE_LENGTH} characters. Shorten it.`);
  }
  if (!ALLOWED.test(value)) {
    problems.push(`${where} contains ${badCharacters(value)}, which AWS does not allow in tags: use only ${ALLOWED_TEXT}.`);
  }
  return problems;
}

/**
 * Checks tags against the AWS tagging rules: keys of 1-128 characters, values of 0-256, only letters, digits, spaces
 * and `_ . : / = + - @`, no key starting with `aws:` (any case), and at most `maxTags` (50) tags.
 *
 * Unresolved tokens are skipped: a token key skips the key checks, a token value the value checks, a token for the
 * whole record everything. Token keys still count toward the total.
 *
 * @param tags the tags; `undefined` means none
 * @param options the tag quota; an unusable `maxTags` (token, negative, not a whole number) counts against 50
 * @returns problems, empty when the tags are valid
 */
export function validateTags(tags: Record<string, string>, options?: TagValidationOptions): string[] {
  if (tags === undefined || tags === null || Token.isUnresolved(tags)) {
    return [];
  }
  if (typeof tags !== 'object' || Array.isArray(tags)) {
    return [`tags ${quoteValue(tags)} are not a map of keys to values: give them as { key: 'value' }.`];
  }
  const problems: string[] = [];
  const entries = Object.entries(tags);
  for (const [key, value] of entries) {
    if (!Token.isUnresolved(key)) problems.push(...keyProblems(key));
    if (!Token.isUnresolved(value)) problems.push(...valueProblems(key, value));
  }
  const given = options?.maxTags;
  const maxTags = Number.isInteger(given) && given! >= 0 && !Token.isUnresolved(given) ? given! : DEFAULT_MAX_TAGS;
  if (entries.length > maxTags) {
    problems.push(`${entries.length} tags given, but a resource may have at most ${maxTags}: remove ${entries.length - maxTags} of them.`);
  }
  return problems;
}

/** How much of the construct path the default `Name` tag of a certificate keeps: aws-cdk-lib's `acm.Certificate` keeps 255 characters. */
export const DEFAULT_NAME_TAG_LENGTH = 255;

/** A certificate's tags with its `Name` tag, and what is wrong with them. */
export interface CertificateTags {
  /** `Name` first (the certificate name, the given `Name` tag or the construct path), then the given tags in their order. */
  readonly tags: Record<string, string>;
  /** Problems of the tags, including a `Name` given twice. */
  readonly problems: string[];
}

/**
 * The tags of a certificate construct: a `Name` tag from `certificateName`, else from `tags.Name`, else the
 * construct path cut to 255 characters (as aws-cdk-lib's `acm.Certificate` does), then the other tags.
 * Giving both `certificateName` and `tags.Name` is a problem: one would silently replace the other.
 *
 * @param path the construct path, the default name
 * @param certificateName the `certificateName` prop
 * @param tags the `tags` prop
 */
export function certificateTags(path: string, certificateName: string | undefined, tags: Record<string, string> | undefined): CertificateTags {
  const given = tags ?? {};
  const problems: string[] = [];
  if (certificateName !== undefined && !Token.isUnresolved(given) && Object.prototype.hasOwnProperty.call(given, 'Name')) {
    problems.push(
      `certificateName ${quoteValue(certificateName)} and tags.Name ${quoteValue(given.Name)} both set the certificate's Name tag ` +
        '(the tag would silently win): give the name once, as certificateName or as tags.Name, not both.',
    );
  }
  return { tags: { Name: certificateName ?? path.slice(0, DEFAULT_NAME_TAG_LENGTH), ...given }, problems };
}
