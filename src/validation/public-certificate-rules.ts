import { Token } from 'aws-cdk-lib';
import { isSameOrSubdomain, longestSuffixMatch, normalizeDomainName, validationRecordKey } from './domain-name';

/** A hosted zone as the pure planner sees it: its name (when known) and an opaque handle. */
export interface ZoneCandidate<T> {
  readonly zoneName?: string;
  readonly isPrivate?: boolean;
  readonly zone: T;
}

/** One DNS validation record to create: for `domainName`, in `zone`. */
export interface DnsValidationEntry<T> {
  readonly domainName: string;
  readonly zone: T;
}

/** The outcome of planning: what to emit, or what is wrong. */
export interface Plan<E> {
  readonly entries: E[];
  readonly problems: string[];
}

/**
 * Maps each name to the zone that validates it (longest matching suffix) and emits one entry per
 * validation record: a wildcard and its apex share one record, so only the apex is kept. With a
 * single zone every name goes to it, token names included; with several, a token name is refused
 * because the zone cannot be chosen at synth time.
 */
export function planDnsValidation<T>(names: readonly string[], zones: readonly ZoneCandidate<T>[]): Plan<DnsValidationEntry<T>> {
  const problems: string[] = [];
  for (const zone of zones) {
    if (zone.isPrivate) {
      problems.push(
        `hosted zone ${JSON.stringify(zone.zoneName ?? '(unnamed)')} is private: ACM validates public certificates only ` +
          'through DNS records that resolve on the public internet. Use a public hosted zone, or a private certificate (PrivateCertificate) for internal names.',
      );
    }
  }
  const known = zones.filter((z) => z.zoneName !== undefined && !Token.isUnresolved(z.zoneName));
  if (known.length < zones.length && zones.length > 1) {
    problems.push(
      'with several hosted zones every zone name must be known at synth time to decide which zone validates which name; ' +
        'import zones with HostedZone.fromHostedZoneAttributes({ hostedZoneId, zoneName }).',
    );
    return { entries: [], problems };
  }
  const entries: DnsValidationEntry<T>[] = [];
  const seen = new Set<string>();
  // A wildcard and its apex share one record: the apex's entry is kept, wherever it is in the list (as aws-cdk-lib does,
  // so that a certificate moved from acm.Certificate keeps its create-only DomainValidationOptions).
  const concrete = new Set(names.filter((n) => !Token.isUnresolved(n)).map(normalizeDomainName));
  const hasApex = (name: string) => !Token.isUnresolved(name) && name.startsWith('*.') && concrete.has(normalizeDomainName(name.slice(2)));
  for (const name of names.filter((n) => !hasApex(n))) {
    const key = Token.isUnresolved(name) ? name : validationRecordKey(name);
    if (seen.has(key)) continue;
    seen.add(key);
    if (known.length === 0 || (zones.length === 1 && Token.isUnresolved(name))) {
      // A single zone whose name is unknown (e.g. imported by ID), or a token name with a single zone:
      // there is nothing to choose, and CloudFormation has the last word.
      entries.push({ domainName: name, zone: zones[0].zone });
      continue;
    }
    if (Token.isUnresolved(name)) {
      const zoneNames = known.map((z) => JSON.stringify(normalizeDomainName(z.zoneName!))).join(', ');
      problems.push(
        `a domain name is unresolved at synth time (a token), so none of the ${zones.length} hosted zones (${zoneNames}) can be ` +
          'chosen for it: which zone validates a name is decided by its suffix. Use a concrete name, or validate the token name ' +
          'with a single hosted zone (e.g. in a certificate of its own).',
      );
      continue;
    }
    const zone = longestSuffixMatch(name, known.map((z) => ({ name: normalizeDomainName(z.zoneName!), value: z.zone })));
    if (zone === undefined) {
      const zoneNames = known.map((z) => JSON.stringify(normalizeDomainName(z.zoneName!))).join(', ');
      problems.push(
        `no hosted zone covers ${JSON.stringify(name)} (zones: ${zoneNames}). Add the zone that holds it, or remove the name.`,
      );
      continue;
    }
    entries.push({ domainName: name, zone });
  }
  return { entries, problems };
}

/** One email validation option. */
export interface EmailValidationEntry {
  readonly domainName: string;
  readonly validationDomain: string;
}

/**
 * Email validation options: every key must be a name of the certificate and its validation
 * domain must be that name or one of its superdomains. A token key maps to the name that is the
 * same token; a key that cannot be checked at synth time (a token that is no name, or a literal key
 * while some names are tokens) is passed on as given, for CloudFormation to check.
 */
export function planEmailValidation(names: readonly string[], validationDomains: Readonly<Record<string, string>>): Plan<EmailValidationEntry> {
  const problems: string[] = [];
  const entries: EmailValidationEntry[] = [];
  const byName = new Map(names.filter((n) => !Token.isUnresolved(n)).map((n) => [normalizeDomainName(n), n]));
  const unresolvedNames = names.filter((n) => Token.isUnresolved(n));
  for (const [key, validationDomain] of Object.entries(validationDomains)) {
    // A token key is the name that is the same token. A key no name matches is passed on as given when it
    // cannot be checked at synth time: a token, or a literal while some names are tokens.
    const name = Token.isUnresolved(key)
      ? unresolvedNames.find((n) => n === key) ?? key
      : byName.get(normalizeDomainName(key)) ?? (unresolvedNames.length > 0 ? key : undefined);
    if (name === undefined) {
      problems.push(
        `the email validation domain is given for ${JSON.stringify(key)}, which is not a name of this certificate ` +
          `(names: ${[...byName.values()].map((n) => JSON.stringify(n)).join(', ')}). Use one of the names as the key.`,
      );
      continue;
    }
    if (!Token.isUnresolved(name) && !Token.isUnresolved(validationDomain)
      && !isSameOrSubdomain(normalizeDomainName(name).replace(/^\*\./, ''), normalizeDomainName(validationDomain))) {
      problems.push(
        `validation domain ${JSON.stringify(validationDomain)} for ${JSON.stringify(name)} must be the name itself or one of its ` +
          `superdomains (e.g. ${JSON.stringify(name.replace(/^\*\./, '').split('.').slice(-2).join('.'))}).`,
      );
      continue;
    }
    entries.push({ domainName: name, validationDomain });
  }
  return { entries, problems };
}
