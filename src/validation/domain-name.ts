import { domainToASCII, domainToUnicode } from 'node:url';
import { Token } from 'aws-cdk-lib';
import { MAX_NAMES_CEILING } from './acm-facts';
import { quoteValue } from './errors';

/*
 * ACM's domain-name rules as pure validators: each returns its problems (empty when valid), never throws, and skips
 * unresolved CDK tokens (CloudFormation and ACM have the last word on them).
 */

/** A domain name is at most 253 octets (RFC 1035, ACM's `DomainName` length). */
export const MAX_DOMAIN_NAME_OCTETS = 253;
/** A label is at most 63 octets (RFC 1035). */
export const MAX_LABEL_OCTETS = 63;
/** The first name becomes the certificate's common name, at most 64 octets (RFC 5280 `ub-common-name`). */
export const MAX_COMMON_NAME_OCTETS = 64;
/** How much of a value a message quotes. */
/** Quotes up to five values and says how many more there are. */
function quoteSome(values: readonly string[]): string {
  const shown = values.slice(0, 5).map(quoteValue).join(', ');
  return values.length > 5 ? `${shown} and ${values.length - 5} more` : shown;
}

function octets(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** Problems with the characters of a name: non-ASCII, whitespace, underscores, other symbols. */
function characterProblems(name: string, q: string): string[] {
  const problems: string[] = [];
  if (/[^\x00-\x7f]/.test(name)) {
    // Suggest the punycode form only when it is itself valid ('' when the name cannot be converted); every code
    // point takes at least one punycode character, so longer names cannot have a valid form.
    const ascii = name.length <= 2 * MAX_DOMAIN_NAME_OCTETS ? domainToASCII(name.replace(/\.$/, '')) : '';
    const hint = /^[\x21-\x7e]+$/.test(ascii) && validateDomainName(ascii).length === 0 ? ` (here ${JSON.stringify(ascii)})` : '';
    problems.push(`domain name ${q} contains non-ASCII characters: ACM needs internationalised (IDN) names in their ` +
      `punycode form, whose labels start with "xn--"${hint}. Convert the name to punycode.`);
  }
  if (/\s/.test(name)) {
    problems.push(`domain name ${q} contains whitespace (spaces, tabs or line breaks): remove it.`);
  }
  if (name.includes('_')) {
    problems.push(`domain name ${q} contains an underscore "_", which ACM does not accept in domain names: use a hyphen "-" instead.`);
  }
  const others = [...new Set(name.replace(/[A-Za-z0-9.*_\s-]|[^\x00-\x7f]/g, ''))];
  if (others.length > 0) {
    problems.push(`domain name ${q} contains ${quoteSome(others)}, which is not allowed: a domain name may only contain ` +
      'ASCII letters, digits, hyphens and dots, with an optional leading "*." wildcard.');
  }
  return problems;
}

/** Problems with the wildcard: at most one, as the whole leftmost label. */
function wildcardProblems(labels: readonly string[], q: string): string[] {
  const stars = labels.join('.').split('*').length - 1;
  if (stars > 1) {
    return [`domain name ${q} has ${stars} wildcards "*": ACM allows at most one, as the whole leftmost label (as in "*.example.com").`];
  }
  const index = labels.findIndex((label) => label.includes('*'));
  const label = labels[index];
  if (label === undefined) {
    return [];
  }
  const rest = labels.slice(index + 1);
  if (label !== '*') {
    const fixed = label.startsWith('*') ? [label.slice(1), ...rest] : rest;
    const example = fixed.length >= 2 ? `*.${fixed.join('.')}` : '*.example.com';
    return [`domain name ${q} has "*" inside the label ${quoteValue(label)}: a wildcard must be the whole ` +
      `leftmost label, followed by a dot (as in ${JSON.stringify(example)}).`];
  }
  return index === 0 ? [] : [`domain name ${q} has the wildcard "*" as label ${index + 1}: it may only be the leftmost ` +
    `label (as in ${JSON.stringify(rest.length >= 2 ? `*.${rest.join('.')}` : '*.example.com')}).`];
}

/** Rules on each label: which labels break it, and what to say about them. */
const LABEL_RULES: ReadonlyArray<[(label: string) => boolean, (labels: string[]) => string]> = [
  [(label) => octets(label) > MAX_LABEL_OCTETS, (labels) => `has labels longer than ${MAX_LABEL_OCTETS} octets: ` +
    `${labels.slice(0, 5).map((l) => `${quoteValue(l)} (${octets(l)} octets)`).join(', ')}. Shorten each label (the parts between dots).`],
  [(label) => label.startsWith('-') || label.endsWith('-'), (labels) => 'has labels that start or end with a hyphen: ' +
    `${quoteSome(labels)}. A label may contain hyphens, but not as its first or last character.`],
  [(label) => label.slice(2, 4) === '--' && !/^xn--/i.test(label), (labels) => 'has labels with "--" as their 3rd and 4th ' +
    `characters: ${quoteSome(labels)}. RFC 5891 reserves that form for punycode labels, which start with "xn--"; move or remove the hyphens.`],
  [(label) => /^xn--/i.test(label) && !isValidALabel(label), (labels) => 'has labels starting with "xn--" that are not valid ' +
    `punycode (IDN) labels: ${quoteSome(labels)}. ACM accepts "xn--" names only when they are valid internationalised domain ` +
    'names: convert the Unicode name with a punycode converter (e.g. "bücher" is "xn--bcher-kva"), or drop the "xn--" prefix.'],
];

/**
 * Whether an `xn--` label is a valid A-label (RFC 5890/5891): it decodes to a non-empty Unicode label that encodes back
 * to the same label (so `xn--abc-`, which decodes to plain `abc`, is not one). `domainToUnicode` returns '' when the
 * punycode is invalid.
 */
function isValidALabel(label: string): boolean {
  const unicode = domainToUnicode(label);
  return unicode !== '' && !unicode.includes('.') && domainToASCII(unicode) === label.toLowerCase();
}

/** Problems of the labels after the wildcard: length, hyphens, reserved `--`, count, top-level label. */
function labelProblems(labels: readonly string[], wildcard: boolean, q: string): string[] {
  const checked = labels.filter((label) => label !== '' && !label.includes('*'));
  const problems: string[] = [];
  for (const [breaks, say] of LABEL_RULES) {
    const bad = checked.filter(breaks);
    if (bad.length > 0) problems.push(`domain name ${q} ${say(bad)}`);
  }
  const top = labels[labels.length - 1];
  if (labels.filter((label) => label !== '').length < 2) {
    problems.push(wildcard
      ? `domain name ${q} needs at least two labels after the "*." wildcard (as in "*.example.com").`
      : `domain name ${q} has a single label: give a fully qualified domain name with at least two labels, such as "example.com".`);
  } else if (labels.every((label) => /^[0-9]+$/.test(label))) {
    problems.push(`domain name ${q} looks like an IP address: ACM only issues certificates for domain names. Use a domain name.`);
  } else if (top !== '' && !top.includes('*') && top.length < 2) {
    problems.push(`domain name ${q} ends in the one-character label ${quoteValue(top)}: the top-level label must be at least 2 characters (as in "com").`);
  } else if (/^[0-9]+$/.test(top)) {
    problems.push(`domain name ${q} ends in the all-digit label ${quoteValue(top)}: a top-level label is never all digits. Use a domain name.`);
  }
  return problems;
}

/**
 * Checks one domain name against ACM's rules.
 *
 * Refused: names over 253 octets; fewer than two labels; labels that are empty, over 63 octets, start or end with a
 * hyphen, or have a reserved `--` in positions 3-4 without `xn--`; `xn--` labels that are not valid punycode (IDN
 * A-labels, e.g. `xn--example`); a top-level label shorter than 2 characters or all
 * digits; characters other than ASCII letters, digits, hyphens and dots (IDN names must be punycode); a wildcard other
 * than one whole leftmost `*` label; a bare `*`; a leading or a trailing dot (never silently removed).
 *
 * @param name the name; an unresolved token yields no problems
 * @returns problems, empty when the name is valid
 */
export function validateDomainName(name: string): string[] {
  if (typeof name !== 'string') {
    return [`domain name ${quoteValue(name)} is not a string: give a name such as "example.com".`];
  }
  if (Token.isUnresolved(name)) {
    return [];
  }
  const q = quoteValue(name);
  if (name === '') {
    return ['domain name "" is empty: give a fully qualified domain name such as "example.com".'];
  }
  if (name === '*') {
    return ['domain name "*" is a bare wildcard: a wildcard must be the leftmost label of a domain, as in "*.example.com".'];
  }
  const problems: string[] = [];
  const size = octets(name);
  if (size > MAX_DOMAIN_NAME_OCTETS) {
    problems.push(`domain name ${q} is ${size} octets long, more than the ${MAX_DOMAIN_NAME_OCTETS} allowed: use a shorter name.`);
  }
  problems.push(...characterProblems(name, q));
  let body = name;
  if (body.endsWith('.')) {
    body = body.slice(0, -1);
    problems.push(`domain name ${q} ends with a dot, which ACM does not accept: remove the trailing dot (${quoteValue(body)}).`);
  }
  if (body.startsWith('.')) {
    body = body.slice(1);
    problems.push(`domain name ${q} starts with a dot: remove the leading dot (${quoteValue(body)}).`);
  }
  const labels = body.split('.');
  if (labels.length > 1 && labels.includes('')) {
    problems.push(`domain name ${q} has an empty label (two dots in a row): remove the extra dot.`);
  }
  problems.push(...wildcardProblems(labels, q));
  const wildcard = labels[0] === '*';
  problems.push(...labelProblems(wildcard ? labels.slice(1) : labels, wildcard, q));
  return problems;
}

/**
 * The first name of a certificate becomes its subject common name, which RFC 5280 limits to 64 octets.
 *
 * @param name the first domain name; an unresolved token (or a non-string) yields no problems here
 */
export function validateCommonName(name: string): string[] {
  if (typeof name !== 'string' || Token.isUnresolved(name) || octets(name) <= MAX_COMMON_NAME_OCTETS) {
    return [];
  }
  return [`the first domain name ${quoteValue(name)} is ${octets(name)} octets long, but it becomes the certificate's common ` +
    `name, which RFC 5280 limits to ${MAX_COMMON_NAME_OCTETS} octets: move it to subjectAlternativeNames and use a ` +
    'shorter first name (domainName), such as its parent domain.'];
}

/** Options of `validateDomainNameList`. */
export interface DomainNameListOptions {
  /** The account's "Domain names per ACM certificate" quota (10 unless raised). */
  readonly maxNames: number;
}

/**
 * Checks all names of one certificate: each name, the common-name length of the first one, case-insensitive
 * duplicates and the count against `maxNames`. Unresolved elements skip the per-name checks but are counted.
 *
 * @param names the domain name followed by the subject alternative names
 * @param options the quota to count against; an unusable `maxNames` (token, below 1, not a whole number) and any
 *   value over 100 count against ACM's ceiling of 100
 */
export function validateDomainNameList(names: string[], options: DomainNameListOptions): string[] {
  if (Token.isUnresolved(names)) {
    return [];
  }
  if (!Array.isArray(names)) {
    return [`domain names ${quoteValue(names)} are not a list: give a list of names such as ["example.com"].`];
  }
  if (names.length === 0) {
    return ['no domain names given: a certificate needs at least one, such as "example.com".'];
  }
  const problems = names.flatMap((name) => validateDomainName(name));
  problems.push(...validateCommonName(names[0]));
  const seen = new Map<string, string>();
  for (const name of names) {
    if (typeof name !== 'string' || Token.isUnresolved(name)) continue;
    const first = seen.get(name.toLowerCase());
    if (first === undefined) {
      seen.set(name.toLowerCase(), name);
    } else {
      problems.push(`domain name ${quoteValue(name)} duplicates ${quoteValue(first)}: domain names are case-insensitive, so ` +
        'this is the same name twice. Remove one of them.');
    }
  }
  const given = options?.maxNames;
  const maxNames = Number.isInteger(given) && given! >= 1 && !Token.isUnresolved(given) ? Math.min(given!, MAX_NAMES_CEILING) : MAX_NAMES_CEILING;
  if (names.length > maxNames) {
    problems.push(`${names.length} domain names given, but the quota is ${maxNames} names per certificate: ` + (maxNames >= MAX_NAMES_CEILING
      ? `ACM never allows more than ${MAX_NAMES_CEILING}, so split the names across several certificates.`
      : `remove names, or raise the "Domain names per ACM certificate" quota (up to ${MAX_NAMES_CEILING}) through ` +
        'Service Quotas and then set maxNames to the new quota.'));
  }
  return problems;
}

/** Lowercases a name and strips ONE trailing dot (Route 53 zone names may end in one). Tokens are returned unchanged. */
export function normalizeDomainName(name: string): string {
  if (typeof name !== 'string' || Token.isUnresolved(name)) {
    return name;
  }
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Whether the name is a wildcard (`*.example.com`). */
export function isWildcard(name: string): boolean {
  return typeof name === 'string' && name.startsWith('*.');
}

/** The name without its leading `*.` wildcard. */
export function baseName(name: string): string {
  return isWildcard(name) ? name.slice(2) : name;
}

/**
 * Whether `name` is `parent` or a name under it, comparing whole labels, ignoring case and one trailing dot. A
 * wildcard on either side stands for its base name, so `*.a.example.com` is under `example.com`; `badexample.com` is
 * not. Unresolved tokens and empty names are never matched.
 */
export function isSameOrSubdomain(name: string, parent: string): boolean {
  if (typeof name !== 'string' || typeof parent !== 'string' || Token.isUnresolved(name) || Token.isUnresolved(parent)) {
    return false;
  }
  const child = baseName(normalizeDomainName(name));
  const base = baseName(normalizeDomainName(parent));
  return child !== '' && base !== '' && (child === base || child.endsWith(`.${base}`));
}

/**
 * The value of the candidate whose name is the longest label-aligned suffix of `name` (the first one on a tie), or
 * `undefined` when no candidate covers it.
 */
export function longestSuffixMatch<T>(name: string, candidates: ReadonlyArray<{ readonly name: string; readonly value: T }>): T | undefined {
  let best: { length: number; value: T } | undefined;
  for (const candidate of Array.isArray(candidates) ? candidates : []) {
    if (!candidate || !isSameOrSubdomain(name, candidate.name)) continue;
    const length = baseName(normalizeDomainName(candidate.name)).length;
    if (best === undefined || length > best.length) {
      best = { length, value: candidate.value };
    }
  }
  return best?.value;
}

/**
 * The name whose DNS validation record ACM uses: `*.example.com` and `example.com` share one record, so both give
 * `example.com`.
 */
export function validationRecordKey(name: string): string {
  return baseName(normalizeDomainName(name));
}
