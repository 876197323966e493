import { quoteValue } from './errors';
import type { CaKeyAlgorithm, CaSigningAlgorithm } from '../private-ca/ca-algorithms';
import type { CaValidity } from '../private-ca/ca-validity';

/** The deepest service-owned subordinate template: `SubordinateCACertificate_PathLen3/V1`. */
export const MAX_PATH_LENGTH = 3;

/** Refuses a signing algorithm whose family (RSA / ECDSA) differs from the key's. Never throws. */
export function validateAlgorithmFamilies(key: CaKeyAlgorithm, signing: CaSigningAlgorithm): string[] {
  if (key.family === undefined || signing.family === undefined || key.family === signing.family) {
    return [];
  }
  const fix = key.family === 'EC' ? 'SHA256WITHECDSA, SHA384WITHECDSA or SHA512WITHECDSA' : 'SHA256WITHRSA, SHA384WITHRSA or SHA512WITHRSA';
  return [
    `signing algorithm ${signing.name} is of the ${signing.family === 'EC' ? 'ECDSA' : 'RSA'} family but key algorithm ${key.name} is ${key.family}: ` +
      `a CA signs with its own key, so choose ${fix}, or leave signingAlgorithm unset to derive it from the key`,
  ];
}

/** Checks a validity on its own: whole days, at least one; an end date in the future. Never throws. */
export function validateValidity(validity: CaValidity, now: number): string[] {
  if (validity.validityEndDate !== undefined) {
    const end = validity.validityEndDate.getTime();
    if (Number.isNaN(end)) {
      return ['validity end date is not a valid date'];
    }
    return end <= now ? [`validity ends ${validity.validityEndDate.toISOString()}, which is in the past: give a future end date`] : [];
  }
  const days = validity._days();
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
    return [`validity of ${quoteValue(days)} days is not allowed: Private CA needs a whole number of days, at least 1 (e.g. Duration.days(365))`];
  }
  return [];
}

/**
 * A CA certificate must end before its parent's. Both are issued during the same deployment, so a
 * duration must be strictly shorter than the parent's. Unknown (token) values are skipped.
 */
export function validateChildValidity(child: CaValidity, parent: CaValidity, now: number): string[] {
  const childDays = child._days();
  const parentDays = parent._days();
  if (childDays !== undefined && parentDays !== undefined) {
    return childDays < parentDays
      ? []
      : [`validity of ${childDays} days does not end before the parent CA's ${parentDays} days: a CA certificate cannot outlive its issuer. Give a shorter validity`];
  }
  const childEnd = child._endMs(now);
  const parentEnd = parent._endMs(now);
  if (childEnd === undefined || parentEnd === undefined || childEnd < parentEnd) {
    return [];
  }
  return [`validity ${child} ends after the parent CA's validity ${parent}: a CA certificate cannot outlive its issuer. Give a shorter validity`];
}

/** A path length must be a whole number from 0 to 3 (the service-owned subordinate templates). */
export function validatePathLength(pathLength: number | undefined): string[] {
  if (pathLength === undefined || (Number.isInteger(pathLength) && pathLength >= 0 && pathLength <= MAX_PATH_LENGTH)) {
    return [];
  }
  return [`pathLength ${quoteValue(pathLength)} is not allowed: Private CA's subordinate templates support path lengths 0 to ${MAX_PATH_LENGTH}`];
}
