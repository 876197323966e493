import { domainToUnicode } from 'node:url';
import { Finding, may, must } from '../harness';

/*
 * ACM's domain-name rules, written from /work/shared/reference/acm-digest.md (§1.2 DomainNameString, §3.1 DN-1..DN-12,
 * §3.2 SAN-1..SAN-5), independently of src/validation.
 */

/** The normalized DomainNameString pattern of the ACM API (acm-digest §1.2). */
const ACM_DOMAIN = /^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$/;
/** Domains ACM refuses public certificates for (DN-9). */
const AMAZON_OWNED = ['amazonaws.com', 'cloudfront.net', 'elasticbeanstalk.com'];

const octets = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Options of `domainFindings`. */
export interface NameContext {
  /** The first name (the subject CN, DN-4). */
  readonly first: boolean;
  /** A public certificate (DN-9 applies). */
  readonly isPublic: boolean;
}

/** The problems of one name by ACM's documented rules. */
export function domainFindings(name: unknown, ctx: NameContext): Finding[] {
  if (typeof name !== 'string') return [must('DomainNameString: a string', name)];
  const out: Finding[] = [];
  if (octets(name) < 1 || octets(name) > 253) out.push(must('DN-1 1-253 octets', name));
  if (!ACM_DOMAIN.test(name)) out.push(must('DN-2 DomainNameString pattern', name));
  // DN-4: RFC 5280 / UG25 say 64 octets, CL18 says 63: 64 exactly is disputed.
  if (ctx.first && octets(name) > 64) out.push(must('DN-4 CN at most 64 octets', name));
  if (ctx.first && octets(name) === 64) out.push(may('DN-4 CN of 64 octets (CL18 says 63)', name));
  const labels = name.replace(/^\*\./, '').split('.');
  // DN-6: the seed states it for the start of the name; IDNA reserves "??--" in every label [outside].
  labels.forEach((label, i) => {
    if (/^[^.]{2}--/.test(label) && !/^xn--/i.test(label)) {
      out.push(i === 0 ? must('DN-6 "??--" start must be "xn--"', name) : may('DN-6 "??--" inside the name [outside]', name));
    }
    // The seed (UG25): "xn--xyz.com" is valid (简.com), "xn--example.com" is not a valid IDN.
    if (/^xn--/i.test(label) && ACM_DOMAIN.test(name) && domainToUnicode(`${label}.com`) === '') {
      out.push(i === 0 ? must('DN-6 a name starting "xn--" must be a valid IDN', name) : may('DN-6 an inner "xn--" label is not a valid IDN', name));
    }
  });
  const lower = name.toLowerCase();
  if (ctx.isPublic && AMAZON_OWNED.some((d) => lower === d || lower.endsWith(`.${d}`))) {
    out.push(must('DN-9 Amazon-owned domain', name));
  }
  // DN-12: IP-shaped names are informational in the digest; an all-digit TLD is not a public domain (DN-8, W).
  if (ACM_DOMAIN.test(name) && /^[0-9]+$/.test(labels[labels.length - 1])) out.push(may('DN-8/DN-12 all-digit top label', name));
  return out;
}

/** The problems of a certificate's names: each name, duplicates (DN-11, a warning) and the names quota (SAN-2). */
export function nameListFindings(names: readonly unknown[], maxNames: number, isPublic: boolean): Finding[] {
  const out = names.flatMap((n, i) => domainFindings(n, { first: i === 0, isPublic }));
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== 'string') continue;
    const key = n.toLowerCase();
    if (seen.has(key)) out.push(may('DN-11 duplicate name (W)', n));
    seen.add(key);
  }
  const quota = Number.isInteger(maxNames) && maxNames >= 1 && maxNames <= 100 ? maxNames : 100;
  if (names.length > quota) out.push(must('SAN-2 more names than the quota', names.length));
  return out;
}

/** Whether `parent` is `name` or a superdomain of it (SAN-5), ignoring case. */
export function isSameOrSuperdomain(name: string, parent: string): boolean {
  const n = name.toLowerCase().replace(/^\*\./, '');
  const p = parent.toLowerCase();
  return n === p || n.endsWith(`.${p}`);
}

/** The template-level check of names: every name matches the pattern, within length and quota (SAN-1, SAN-2). */
export function checkCertificateNames(props: any, maxNames: number, isPublic: boolean): string[] {
  const problems: string[] = [];
  const sans: unknown = props.SubjectAlternativeNames;
  if (sans !== undefined && (!Array.isArray(sans) || sans.length === 0 || sans.length > 100)) {
    problems.push(`SubjectAlternativeNames must be a list of 1-100 names when given (SAN-1): ${JSON.stringify(sans)}`);
  }
  const names = [props.DomainName, ...(Array.isArray(sans) ? sans : [])];
  for (const f of nameListFindings(names, maxNames, isPublic)) {
    if (f.severity === 'must') problems.push(`${f.rule}: ${JSON.stringify(f.value)}`);
  }
  const distinct = new Set(names.map((n) => String(n).toLowerCase()));
  if (distinct.size > Math.min(maxNames, 100)) problems.push(`${distinct.size} distinct names over the quota ${maxNames}`);
  return problems;
}
