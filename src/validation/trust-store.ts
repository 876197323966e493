import { Token } from 'aws-cdk-lib';
import { badCharacters, quoteValue } from './errors';

/**
 * Pure, token-aware checks of the mTLS trust-store constructs (`LoadBalancerTrustStore`,
 * `CloudFrontTrustStore`): trust store names and the CRL sync choice.
 */

/** ELB's limit on trust store names (CreateTrustStore). */
export const MAX_ELB_TRUST_STORE_NAME_LENGTH = 32;

const ELB_NAME = /^([a-zA-Z0-9]+-)*[a-zA-Z0-9]+$/;

/**
 * Checks an ELB trust store name: 1-32 letters, digits and hyphens, not starting or ending with a hyphen and without
 * two hyphens in a row (CreateTrustStore's pattern `^([a-zA-Z0-9]+-)*[a-zA-Z0-9]+$`). Unresolved tokens pass.
 */
export function validateElbTrustStoreName(name: string): string[] {
  if (typeof name !== 'string') {
    return [`trustStoreName ${quoteValue(name)} is not a string: give a name such as "partner-clients".`];
  }
  if (Token.isUnresolved(name)) return [];
  const q = quoteValue(name);
  const problems: string[] = [];
  if (name.length === 0 || name.length > MAX_ELB_TRUST_STORE_NAME_LENGTH) {
    problems.push(`trustStoreName ${q} is ${name.length} characters long: ELB trust store names are 1 to ` +
      `${MAX_ELB_TRUST_STORE_NAME_LENGTH} characters. ${name.length === 0 ? 'Give a name, or leave it out to get a generated one' : 'Shorten it'}.`);
  }
  if (name.length > 0 && !ELB_NAME.test(name)) {
    const bad = badCharacters(name, /[a-zA-Z0-9-]/);
    problems.push(`trustStoreName ${q} ${bad ? `has characters ELB does not allow (${bad})` : 'starts or ends with a hyphen, or has two in a row'}: ` +
      'use letters, digits and single hyphens between them, such as "partner-clients".');
  }
  return problems;
}

/** The longest CloudFront trust store name this library accepts. */
export const MAX_CLOUDFRONT_TRUST_STORE_NAME_LENGTH = 128;

/**
 * Checks a CloudFront trust store name: not empty, at most 128 characters, no whitespace or control characters.
 * CloudFront documents no pattern for it; these bounds keep names printable. Unresolved tokens pass.
 */
export function validateCloudFrontTrustStoreName(name: string): string[] {
  if (typeof name !== 'string') {
    return [`trustStoreName ${quoteValue(name)} is not a string: give a name such as "partner-clients".`];
  }
  if (Token.isUnresolved(name)) return [];
  const q = quoteValue(name);
  if (name.length === 0 || name.length > MAX_CLOUDFRONT_TRUST_STORE_NAME_LENGTH) {
    return [`trustStoreName ${q} is ${name.length} characters long: give 1 to ${MAX_CLOUDFRONT_TRUST_STORE_NAME_LENGTH} characters, ` +
      'or leave it out to get a generated one.'];
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(name)) {
    return [`trustStoreName ${q} has whitespace or control characters: use letters, digits, hyphens and underscores, such as "partner-clients".`];
  }
  return [];
}

/** What the CRL sync decision of a `LoadBalancerTrustStore` depends on. */
export interface CrlSyncFacts {
  /** The `syncCrl` prop: `undefined` means "when the CA has a CRL". */
  readonly syncCrl?: boolean;
  /**
   * Whether the CA writes a CRL: `true`/`false` for a CA of this library, `undefined` for an imported one (only the
   * user knows).
   */
  readonly caHasCrl?: boolean;
  /** Whether the library CA's CRL is partitioned (Private CA names the partitions at random: no complete CRL to read). */
  readonly crlPartitioned?: boolean;
  /** Whether the `crlBucket` prop was given. */
  readonly crlBucketGiven: boolean;
  /** Whether the `crlBucket` prop names another bucket than the one the library CA writes its CRLs to. */
  readonly crlBucketDiffersFromCa: boolean;
}

/** The CRL sync decision: sync or not, and the problems (errors) or the advice (a warning) that go with it. */
export interface CrlSyncDecision {
  /** Whether the trust store's revocations are kept in sync with the CA's CRL. */
  readonly sync: boolean;
  /** Errors: the construct throws them. */
  readonly problems: string[];
  /** A soft problem for a synth warning, when revocation is silently off. */
  readonly warning?: string;
}

/**
 * Decides whether a load-balancer trust store keeps its revocations in sync with the CA's CRL:
 *
 * - `syncCrl: false`: never (a `crlBucket` given too is an error, since it would be ignored);
 * - a CA of this library without a CRL: an error when `syncCrl: true` or a `crlBucket` was given, else no sync and
 *   a warning naming the fix;
 * - a CA of this library with a partitioned CRL: as without a CRL (nothing complete to sync);
 * - a CA of this library with a CRL: sync from its bucket (a different `crlBucket` is an error);
 * - an imported CA: sync when `crlBucket` is given; without it, an error for `syncCrl: true`, else a warning.
 */
export function decideCrlSync(facts: CrlSyncFacts): CrlSyncDecision {
  if (facts.syncCrl === false) {
    return facts.crlBucketGiven
      ? { sync: false, problems: ['crlBucket is given but syncCrl is false, so it would be ignored: leave crlBucket out, or set syncCrl: true.'] }
      : { sync: false, problems: [] };
  }
  if (facts.caHasCrl === false) {
    const asked = facts.syncCrl === true || facts.crlBucketGiven;
    const fix = 'give the CA a CRL (revocation: { crlBucket: new CrlBucket(...) }), or set syncCrl: false to trust its certificates without revocation checks';
    return asked
      ? { sync: false, problems: [`${facts.syncCrl === true ? 'syncCrl is true' : 'crlBucket is given'} but the CA writes no CRL: ${fix}.`] }
      : { sync: false, problems: [], warning: `The CA writes no CRL, so the trust store has no revocation list and accepts revoked client certificates: ${fix}.` };
  }
  if (facts.caHasCrl === true && facts.crlPartitioned === true) {
    const asked = facts.syncCrl === true || facts.crlBucketGiven;
    const fix = 'set crlPartitioned: false on the CA (a complete CRL holds up to one million certificates), or set syncCrl: false ' +
      'and add the CRL partitions to the trust store yourself';
    const what = 'the CA writes a partitioned CRL, whose partitions Private CA names at random, so there is no complete CRL to sync';
    return asked
      ? { sync: false, problems: [`${facts.syncCrl === true ? 'syncCrl is true' : 'crlBucket is given'} but ${what}: ${fix}.`] }
      : { sync: false, problems: [], warning: `The trust store gets no revocation list and accepts revoked client certificates: ${what}. To fix it, ${fix}.` };
  }
  if (facts.caHasCrl === true) {
    return facts.crlBucketGiven && facts.crlBucketDiffersFromCa
      ? { sync: false, problems: ['crlBucket names another bucket than the one the CA writes its CRLs to: leave crlBucket out for a CA of this library (its CRL bucket is used).'] }
      : { sync: true, problems: [] };
  }
  if (facts.crlBucketGiven) return { sync: true, problems: [] };
  const fix = 'give crlBucket (the bucket the imported CA writes its CRLs to, under crl/<CA id>.crl), or set syncCrl: false';
  return facts.syncCrl === true
    ? { sync: false, problems: [`syncCrl is true but the CA is imported and no crlBucket is given, so its CRL cannot be found: ${fix}.`] }
    : { sync: false, problems: [], warning: `The CA is imported and no crlBucket is given, so the trust store has no revocation list and accepts revoked client certificates: ${fix}.` };
}
