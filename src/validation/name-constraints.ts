import { Token } from 'aws-cdk-lib';
import { validateDomainName } from './domain-name';
import { quoteValue } from './errors';

/*
 * Name constraints (RFC 5280 §4.2.1.10) as pure validators: each returns its problems (empty when valid), never
 * throws, and skips unresolved CDK tokens. The DER encoder (src/private-ca/name-constraints-der.ts) reads the same
 * values through `parseIpRange` and the subtree kinds below.
 */

/** The six lists of a name-constraints spec; each may be missing, empty or an unresolved token. */
export interface NameConstraintsFacts {
  readonly permittedDnsDomains?: string[];
  readonly excludedDnsDomains?: string[];
  readonly permittedIpRanges?: string[];
  readonly excludedIpRanges?: string[];
  readonly permittedEmailDomains?: string[];
  readonly excludedEmailDomains?: string[];
}

/** The name forms this library constrains: dNSName, iPAddress and rfc822Name. */
export type SubtreeKind = 'dns' | 'ip' | 'email';

/** One kind's two lists. */
export interface SubtreeLists {
  readonly kind: SubtreeKind;
  readonly permitted: keyof NameConstraintsFacts;
  readonly excluded: keyof NameConstraintsFacts;
}

/** The spec's list names, by kind, in the order the encoder writes them. */
export const SUBTREE_LISTS: readonly SubtreeLists[] = [
  { kind: 'dns', permitted: 'permittedDnsDomains', excluded: 'excludedDnsDomains' },
  { kind: 'ip', permitted: 'permittedIpRanges', excluded: 'excludedIpRanges' },
  { kind: 'email', permitted: 'permittedEmailDomains', excluded: 'excludedEmailDomains' },
];

const KIND_WORDS: Record<SubtreeKind, string> = { dns: 'DNS domain', ip: 'IP range', email: 'email domain or address' };

/** An IP range: the network address's bytes (4 or 16) and the prefix length. */
export interface IpRange {
  readonly family: 4 | 6;
  readonly bytes: number[];
  readonly prefix: number;
}

/** A dotted-quad IPv4 address (no leading zeros, which some parsers read as octal), or `undefined`. */
export function parseIpv4(text: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const bytes = m.slice(1).map((part) => (/^0\d/.test(part) ? NaN : Number(part)));
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

/** The 16-bit groups of one side of `::`; an embedded IPv4 address is allowed at the very end only. */
function ipv6Groups(part: string, last: boolean): number[] | undefined {
  if (part === '') return [];
  const pieces = part.split(':');
  const groups: number[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (last && i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4(piece);
      if (!v4) return undefined;
      groups.push(v4[0] * 256 + v4[1], v4[2] * 256 + v4[3]);
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
      groups.push(parseInt(piece, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** An IPv6 address in any RFC 4291 text form (with `::` and an embedded IPv4 tail; no zone), or `undefined`. */
export function parseIpv6(text: string): number[] | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = ipv6Groups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? ipv6Groups(halves[1], true) : [];
  if (!head || !tail) return undefined;
  const size = head.length + tail.length;
  if (halves.length === 1 ? size !== 8 : size > 7) return undefined;
  const words = [...head, ...new Array<number>(8 - size).fill(0), ...tail];
  return words.flatMap((w) => [Math.floor(w / 256), w % 256]);
}

/** `bytes` with every bit after the first `prefix` cleared. */
export function maskBytes(bytes: readonly number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const bits = Math.max(0, Math.min(8, prefix - 8 * i));
    return b - (b % 2 ** (8 - bits));
  });
}

/**
 * Parses a CIDR range (`10.0.0.0/8`, `2001:db8::/32`). Returns `undefined` when it is not one; host bits after the
 * prefix are kept (the validator refuses them, the encoder clears them).
 */
export function parseIpRange(text: string): IpRange | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const v4 = parseIpv4(m[1]);
  const bytes = v4 ?? parseIpv6(m[1]);
  const prefix = Number(m[2]);
  if (!bytes || /^0\d/.test(m[2]) || prefix > bytes.length * 8) return undefined;
  return { family: v4 ? 4 : 6, bytes, prefix };
}

/** A range in its canonical text form (IPv6 with the longest run of zero groups written as `::`). */
export function formatIpRange(range: IpRange): string {
  if (range.family === 4) return `${range.bytes.join('.')}/${range.prefix}`;
  const groups = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => range.bytes[2 * i] * 256 + range.bytes[2 * i + 1]);
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
  }
  const hex = groups.map((g) => g.toString(16));
  const text = best.start < 0 ? hex.join(':')
    : `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
  return `${text}/${range.prefix}`;
}

function ipRangeProblems(value: string, where: string): string[] {
  const q = `${where} ${quoteValue(value)}`;
  if (!value.includes('/')) {
    const single = parseIpv4(value) ? '/32' : parseIpv6(value) ? '/128' : undefined;
    return [single
      ? `${q} has no prefix length: a name constraint takes a CIDR range; for this one address write ${JSON.stringify(value + single)}.`
      : `${q} is not a CIDR range: give an IPv4 or IPv6 network with its prefix length, as in "10.0.0.0/8" or "2001:db8::/32".`];
  }
  const [address, prefix] = [value.slice(0, value.lastIndexOf('/')), value.slice(value.lastIndexOf('/') + 1)];
  const bytes = parseIpv4(address) ?? parseIpv6(address);
  if (!bytes) {
    return [`${q} does not start with an IPv4 or IPv6 address: give a CIDR range such as "10.0.0.0/8" or "2001:db8::/32" ` +
      '(IPv4 octets without leading zeros, IPv6 without a zone).'];
  }
  const max = bytes.length * 8;
  const range = parseIpRange(value);
  if (!range) {
    return [`${q} has the prefix length ${quoteValue(prefix)}: an IPv${bytes.length === 4 ? 4 : 6} prefix length is a whole number from 0 to ${max}.`];
  }
  const network = maskBytes(range.bytes, range.prefix);
  if (network.some((b, i) => b !== range.bytes[i])) {
    return [`${q} has bits set after its /${range.prefix} prefix: the range is written with its network address, ` +
      `${JSON.stringify(formatIpRange({ ...range, bytes: network }))}. Use that, or a longer prefix if you meant a smaller range.`];
  }
  return [];
}

/** Problems of a host name inside a constraint: a single label (a top-level domain such as "corp") is allowed. */
function hostProblems(host: string, where: string): string[] {
  if (!host.includes('.') && host !== '' && !host.includes('*')) {
    if (/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(host) && !/^\d+$/.test(host)) return [];
    return [`${where}: the single label ${quoteValue(host)} is not a valid domain: a label is 1-63 ASCII letters, digits and ` +
      'hyphens, not all digits, and neither starts nor ends with a hyphen.'];
  }
  return validateDomainName(host).map((problem) => `${where}: ${problem}`);
}

function dnsProblems(value: string, where: string): string[] {
  const q = `${where} ${quoteValue(value)}`;
  if (value === '' || value === '.') {
    return [`${q} is empty: give a domain such as "example.com" (the domain and every name below it) or ".example.com" (only the names below it).`];
  }
  if (value.includes('@')) {
    return [`${q} is an email address: put email constraints in permittedEmailDomains / excludedEmailDomains.`];
  }
  if (parseIpv4(value) || value.includes(':') || parseIpRange(value)) {
    return [`${q} is an IP address or range: put IP constraints in permittedIpRanges / excludedIpRanges as CIDR ranges such as "10.0.0.0/8".`];
  }
  const body = value.startsWith('.') ? value.slice(1) : value;
  if (body.startsWith('*.')) {
    return [`${q} is a wildcard, which a name constraint does not take: ${JSON.stringify(body.slice(2))} covers that domain ` +
      `and every name below it, ${JSON.stringify(body.slice(1))} only the names below it.`];
  }
  return hostProblems(body, q);
}

/** RFC 5321 dot-atom local part: atext characters, separated by single dots. */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

function emailProblems(value: string, where: string): string[] {
  const q = `${where} ${quoteValue(value)}`;
  if (value === '' || value === '.') {
    return [`${q} is empty: give a mailbox ("admin@example.com"), a host ("example.com", every address at that host) or a ` +
      'domain (".example.com", every address at hosts below it).'];
  }
  const at = value.split('@');
  if (at.length > 2) return [`${q} has more than one "@": a mailbox constraint is one address, as in "admin@example.com".`];
  if (at.length === 2) {
    const [local, host] = at;
    const problems: string[] = [];
    if (!LOCAL_PART.test(local) || Buffer.byteLength(local) > 64) {
      problems.push(`${q} has the local part ${quoteValue(local)}, which is not a plain mailbox name: use at most 64 ASCII letters, ` +
        'digits and !#$%&\'*+/=?^_`{|}~- characters, separated by single dots (quoted local parts are not supported).');
    }
    if (host.startsWith('.') || host === '') {
      problems.push(`${q} needs a host after the "@" (as in "admin@example.com"); for every address in a domain write ` +
        `${JSON.stringify(`.${host.replace(/^\.+/, '') || 'example.com'}`)} without a mailbox.`);
    } else {
      problems.push(...hostProblems(host, q));
    }
    return problems;
  }
  return hostProblems(value.startsWith('.') ? value.slice(1) : value, q);
}

const VALUE_PROBLEMS: Record<SubtreeKind, (value: string, where: string) => string[]> = {
  dns: dnsProblems,
  ip: ipRangeProblems,
  email: emailProblems,
};

/** Whether the DNS subtree `parent` contains the DNS subtree `child` (a leading dot means "only the names below"). */
function dnsContains(parent: string, child: string): boolean {
  const p = parent.toLowerCase();
  const c = child.toLowerCase();
  const pBase = p.replace(/^\./, '');
  const cBase = c.replace(/^\./, '');
  if (cBase.endsWith(`.${pBase}`)) return true;
  return cBase === pBase && (!p.startsWith('.') || c.startsWith('.'));
}

/** Whether the rfc822Name subtree `parent` contains `child`: mailboxes, hosts and ".domains" as RFC 5280 defines them. */
function emailContains(parent: string, child: string): boolean {
  const p = parent.toLowerCase();
  const c = child.toLowerCase();
  if (p.includes('@')) {
    // A mailbox contains only itself: the local part is case-sensitive, the host is not.
    const [pl, ph] = parent.split('@');
    const [cl, ch] = child.split('@');
    return c.includes('@') && pl === cl && ph.toLowerCase() === ch.toLowerCase();
  }
  const host = c.includes('@') ? c.slice(c.indexOf('@') + 1) : c;
  if (p.startsWith('.')) return host.endsWith(p);
  return !c.startsWith('.') && host === p;
}

function ipContains(parent: IpRange, child: IpRange): boolean {
  if (parent.family !== child.family || parent.prefix > child.prefix) return false;
  const a = maskBytes(parent.bytes, parent.prefix);
  const b = maskBytes(child.bytes, parent.prefix);
  return a.every((x, i) => x === b[i]);
}

/**
 * Whether the subtree `parent` contains the subtree `child` of the same kind (both valid values): `example.com`
 * contains `a.example.com` and `.example.com`; `.example.com` contains `a.example.com` but not `example.com`;
 * `10.0.0.0/8` contains `10.1.0.0/16`; the email host `example.com` contains `admin@example.com`.
 */
export function subtreeContains(kind: SubtreeKind, parent: string, child: string): boolean {
  if (kind === 'dns') return dnsContains(parent, child);
  if (kind === 'email') return emailContains(parent, child);
  const p = parseIpRange(parent);
  const c = parseIpRange(child);
  return p !== undefined && c !== undefined && ipContains(p, c);
}

/** The key under which two values of a kind are the same subtree. */
function sameKey(kind: SubtreeKind, value: string): string {
  if (kind === 'ip') {
    const range = parseIpRange(value)!;
    return `${range.family}:${maskBytes(range.bytes, range.prefix).join('.')}/${range.prefix}`;
  }
  if (kind === 'email' && value.includes('@')) {
    const at = value.indexOf('@');
    return value.slice(0, at) + value.slice(at).toLowerCase();
  }
  return value.toLowerCase();
}

/** A list's valid, concrete values, checking each and reporting duplicates. */
function checkList(kind: SubtreeKind, name: string, list: unknown, problems: string[]): string[] {
  if (list === undefined || Token.isUnresolved(list)) return [];
  if (!Array.isArray(list)) {
    problems.push(`${name} ${quoteValue(list)} is not a list: give a list of ${KIND_WORDS[kind]}s.`);
    return [];
  }
  const valid: string[] = [];
  const seen = new Map<string, string>();
  list.forEach((value: unknown, i) => {
    const where = `${name}[${i}]`;
    if (typeof value !== 'string') {
      problems.push(`${where} ${quoteValue(value)} is not a string: give ${kind === 'dns' ? 'a' : 'an'} ${KIND_WORDS[kind]}.`);
      return;
    }
    if (Token.isUnresolved(value)) return;
    const own = VALUE_PROBLEMS[kind](value, where);
    problems.push(...own);
    if (own.length > 0) return;
    const key = sameKey(kind, value);
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(`${where} ${quoteValue(value)} repeats ${first}: list each subtree once.`);
      return;
    }
    seen.set(key, where);
    valid.push(value);
  });
  return valid;
}

/**
 * Checks a name-constraints spec (RFC 5280 §4.2.1.10) for a CA certificate.
 *
 * Refused: a spec with no subtree at all; lists that are not lists; values that are not strings; malformed DNS
 * domains (ACM's domain rules, except that a single label such as "corp" and one leading dot, meaning "only the
 * names below", are allowed; wildcards, IP addresses and email addresses are refused with a pointer to the right
 * list); malformed CIDR ranges (missing prefix, bad address, prefix out of range, host bits set); malformed email
 * constraints (a mailbox "admin@example.com", a host "example.com" or a domain ".example.com"); duplicates within a
 * list; an exclusion that lies outside every permitted subtree of its kind (when that kind has permitted subtrees:
 * such names are refused anyway); an exclusion that covers a whole permitted subtree (which then permits nothing).
 *
 * @param spec the six lists; unresolved tokens (whole lists or single values) are skipped
 * @param prefix put before each list's name in the messages, e.g. `nameConstraints.`
 * @returns problems, empty when the spec is valid
 */
export function validateNameConstraints(spec: NameConstraintsFacts, prefix = ''): string[] {
  if (spec === null || typeof spec !== 'object' || Token.isUnresolved(spec)) {
    return Token.isUnresolved(spec) ? [] : [`name constraints ${quoteValue(spec)} are not an object: give lists such as { permittedDnsDomains: ["corp.example.com"] }.`];
  }
  const problems: string[] = [];
  let anyGiven = false;
  for (const { kind, permitted, excluded } of SUBTREE_LISTS) {
    const lists = [spec[permitted], spec[excluded]] as unknown[];
    // A token or a non-list counts as given: it may hold subtrees (tokens) or is reported above (non-lists).
    anyGiven ||= lists.some((list) => list !== undefined && (!Array.isArray(list) || list.length > 0));
    const allowed = checkList(kind, prefix + permitted, spec[permitted], problems);
    const denied = checkList(kind, prefix + excluded, spec[excluded], problems);
    for (const value of denied) {
      const where = `${prefix}${excluded}[${(spec[excluded] as string[]).indexOf(value)}] ${quoteValue(value)}`;
      const covered = allowed.filter((p) => subtreeContains(kind, value, p));
      for (const p of covered) {
        problems.push(`${where} covers the whole permitted subtree ${quoteValue(p)} (${prefix}${permitted}), so that subtree permits nothing: ` +
          'remove one of them, or exclude a narrower subtree inside it.');
      }
      if (allowed.length > 0 && covered.length === 0 && !allowed.some((p) => subtreeContains(kind, p, value))) {
        problems.push(`${where} lies outside every permitted ${KIND_WORDS[kind]} (${prefix}${permitted}): names outside the permitted subtrees ` +
          'are refused anyway, so this exclusion has no effect. Remove it, or permit a subtree that contains it.');
      }
    }
  }
  if (!anyGiven) {
    problems.push('name constraints are empty: give at least one permitted or excluded subtree, such as permittedDnsDomains: ' +
      '["corp.example.com"]. An empty extension constrains nothing; leave nameConstraints out for an unconstrained CA.');
  }
  return problems;
}
