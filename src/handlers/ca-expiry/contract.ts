/**
 * The wire contract of the CA expiry check (`Custom::CdkPkiCaExpiryCheck`) between the `CaExpiryCheck`
 * construct and its handler: the resource properties, which the daily schedule rule's input repeats,
 * and the metrics the handler publishes (which the construct's alarms read). The handler reads and
 * checks the request in one place (`readCheckRequest` in `logic.ts`).
 *
 * This module imports nothing: the handler bundle includes it.
 */

/** The key of the schedule rule's input: `{ [SCHEDULED_EVENT_KEY]: CaExpiryCheckRequest }`. */
export const SCHEDULED_EVENT_KEY = 'cdkPkiCaExpiryCheck';

/** The CloudWatch namespace of the metrics (also the `cloudwatch:namespace` condition of the handler's policy). */
export const METRIC_NAMESPACE = 'CdkPki';

/** Whole days until the CA's certificate expires (NotAfter), rounded down; negative once expired. */
export const DAYS_TO_CA_EXPIRY = 'DaysToCaExpiry';

/** 1 when a subordinate CA's certificate expires after its parent's (or another issuer's in its chain), else 0. */
export const CA_OUTLIVES_PARENT = 'CaOutlivesParent';

/** The one dimension of both metrics. */
export const CA_ARN_DIMENSION = 'CertificateAuthorityArn';

/** The roles a monitored CA plays in its hierarchy. */
export const CA_TIERS = ['ROOT', 'INTERMEDIATE', 'ISSUING'] as const;

/** One monitored CA. */
export interface CaExpiryTarget {
  /** A Private CA ARN of the handler's region. */
  readonly CertificateAuthorityArn: string;
  /** The CA's role (for the log; the alarm thresholds live in the template). */
  readonly Tier: (typeof CA_TIERS)[number];
}

/** What one run checks: the resource properties, and the schedule rule's input. */
export interface CaExpiryCheckRequest {
  readonly CertificateAuthorities: CaExpiryTarget[];
}
