import { validateAlgorithmName } from './algorithm-name';
import { quoteValue } from './errors';

/** A CA key or signing algorithm, as the rules see it (`CaKeyAlgorithm`, `CaSigningAlgorithm`). */
export interface AlgorithmFacts {
  /** The Private CA name, e.g. `RSA_2048` or `SHA256WITHRSA`. */
  readonly name: string;
  /** `RSA` or `EC`; undefined for a name the library does not know (given through `of()`). */
  readonly family?: string;
}

/** A CA certificate's validity, as the rules see it (`CaValidity`). */
export interface ValidityFacts {
  /** The number of days, when given as a concrete duration (fractional days included, to be refused). */
  readonly days?: number;
  /** The end date, when given as one. */
  readonly endDate?: Date;
  /** How messages name it, e.g. `365 days` or `until 2030-01-01T00:00:00.000Z`. */
  readonly text: string;
}

const DAY_MS = 86_400_000;

/** The last instant of a validity issued `now`, or undefined when it is not known at synth time. */
function endMs(validity: ValidityFacts, now: number): number | undefined {
  if (validity.endDate !== undefined) return validity.endDate.getTime();
  return validity.days === undefined ? undefined : now + validity.days * DAY_MS;
}

/** The deepest service-owned subordinate template: `SubordinateCACertificate_PathLen3/V1`. */
export const MAX_PATH_LENGTH = 3;

/**
 * Refuses malformed algorithm names (blank, or characters no Private CA name has, given through `of()`), and a
 * signing algorithm whose family (RSA / ECDSA) differs from the key's. Never throws.
 */
export function validateAlgorithmFamilies(key: AlgorithmFacts, signing: AlgorithmFacts): string[] {
  const names = [
    ...validateAlgorithmName('key algorithm', key.name, 'RSA_2048, RSA_4096, EC_prime256v1 or EC_secp384r1'),
    ...validateAlgorithmName('signing algorithm', signing.name, 'SHA256WITHRSA, SHA384WITHRSA, SHA512WITHRSA, SHA256WITHECDSA, SHA384WITHECDSA or SHA512WITHECDSA'),
  ];
  if (names.length > 0) {
    return names;
  }
  const weak = weakAlgorithmProblems(key.name, signing.name);
  if (weak.length > 0) {
    return weak;
  }
  const sm2 = (name: string): boolean => name === 'SM2' || name === 'SM3WITHSM2';
  if (sm2(key.name) !== sm2(signing.name)) {
    return [
      `key algorithm ${key.name} and signing algorithm ${signing.name} do not belong together: an SM2 key signs only with ` +
        'SM3WITHSM2, and SM3WITHSM2 needs an SM2 key; leave signingAlgorithm unset to derive it from the key',
    ];
  }
  if (key.family === undefined || signing.family === undefined || key.family === signing.family) {
    return [];
  }
  const fix = key.family === 'EC' ? 'SHA256WITHECDSA, SHA384WITHECDSA or SHA512WITHECDSA' : 'SHA256WITHRSA, SHA384WITHRSA or SHA512WITHRSA';
  return [
    `signing algorithm ${signing.name} is of the ${signing.family === 'EC' ? 'ECDSA' : 'RSA'} family but key algorithm ${key.name} is ${key.family}: ` +
      `a CA signs with its own key, so choose ${fix}, or leave signingAlgorithm unset to derive it from the key`,
  ];
}

/**
 * Names given through `of()` that are known to be weak, not merely new: RSA keys below 2,048 bits and
 * SHA-1 or MD5 signatures (Private CA never offered them; PkiChecks PKI-PCA1 flags them too).
 */
function weakAlgorithmProblems(key: string, signing: string): string[] {
  const problems: string[] = [];
  const rsaBits = /^RSA_(\d+)$/.exec(key);
  if (rsaBits && Number(rsaBits[1]) < 2048) {
    problems.push(`key algorithm ${quoteValue(key)} is weaker than RSA_2048, the smallest key Private CA offers: use RSA_2048, RSA_4096, EC_prime256v1 or EC_secp384r1`);
  }
  if (/SHA1|SHA-1|MD5/i.test(signing)) {
    problems.push(`signing algorithm ${quoteValue(signing)} uses a broken hash: use SHA256 or stronger (e.g. SHA256WITHRSA or SHA256WITHECDSA)`);
  }
  return problems;
}

/**
 * The last instant a certificate can be valid (9999-12-31T23:59:59.999Z, rendered as 99991231235959): X.509 writes
 * dates from 2050 on as GeneralizedTime `YYYYMMDDHHMMSSZ` (RFC 5280 4.1.2.5), whose year has four digits, and
 * Private CA's END_DATE has the same format.
 */
export const MAX_END_MS = Date.UTC(10000, 0, 1) - 1;

/**
 * Checks a validity on its own: whole days, at least one; an end date in the future. Either way the certificate
 * must end by 9999-12-31T23:59:59Z. Never throws.
 */
export function validateValidity(validity: ValidityFacts, now: number): string[] {
  if (validity.endDate !== undefined) {
    const end = validity.endDate.getTime();
    if (Number.isNaN(end)) {
      return ['validity end date is not a valid date'];
    }
    if (end > MAX_END_MS) {
      return [`validity ends ${validity.endDate.toISOString()}, after 9999-12-31T23:59:59Z, the last date a certificate's ` +
        'GeneralizedTime (YYYYMMDDHHMMSS) can hold: give an end date no later than that'];
    }
    return end <= now ? [`validity ends ${validity.endDate.toISOString()}, which is in the past: give a future end date`] : [];
  }
  const days = validity.days;
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
    return [`validity of ${quoteValue(days)} days is not allowed: Private CA needs a whole number of days, at least 1 (e.g. Duration.days(365))`];
  }
  if (days !== undefined && now + days * DAY_MS > MAX_END_MS) {
    return [`validity of ${days} days would end after 9999-12-31T23:59:59Z, the last date a certificate's GeneralizedTime ` +
      `(YYYYMMDDHHMMSS) can hold: give at most ${Math.floor((MAX_END_MS - now) / DAY_MS)} days`];
  }
  return [];
}

/**
 * A CA certificate must end before its parent's. Both are issued during the same deployment, so a
 * duration must be strictly shorter than the parent's. Unknown (token) values are skipped.
 */
export function validateChildValidity(child: ValidityFacts, parent: ValidityFacts, now: number): string[] {
  const childDays = child.days;
  const parentDays = parent.days;
  if (childDays !== undefined && parentDays !== undefined) {
    return childDays < parentDays
      ? []
      : [`validity of ${childDays} days does not end before the parent CA's ${parentDays} days: a CA certificate cannot outlive its issuer. Give a shorter validity`];
  }
  const childEnd = endMs(child, now);
  const parentEnd = endMs(parent, now);
  if (childEnd === undefined || parentEnd === undefined || childEnd < parentEnd) {
    return [];
  }
  return [`validity ${child.text} ends after the parent CA's validity ${parent.text}: a CA certificate cannot outlive its issuer. Give a shorter validity`];
}

/** A path length must be a whole number from 0 to 3 (the service-owned subordinate templates). */
export function validatePathLength(pathLength: number | undefined): string[] {
  if (pathLength === undefined || (Number.isInteger(pathLength) && pathLength >= 0 && pathLength <= MAX_PATH_LENGTH)) {
    return [];
  }
  return [`pathLength ${quoteValue(pathLength)} is not allowed: Private CA's subordinate templates support path lengths 0 to ${MAX_PATH_LENGTH}`];
}
