/**
 * When ACM renews each kind of certificate, and when a DaysToExpiry alarm should fire: pure data and
 * pure functions, shared by `CertificateMonitor` (its default thresholds and its warnings), the report
 * and the checks. Imports nothing.
 *
 * The rule every default follows:
 *
 * 1. No alarm during a normal managed renewal: the threshold is at most the renewal start minus the time
 *    a normal renewal may take (`renewalAllowanceDays()`: renewal start minus threshold, at least
 *    `MIN_RENEWAL_ALLOWANCE_DAYS`).
 * 2. A timely alarm when renewal is stuck: the threshold is at least `MIN_THRESHOLD_DAYS_TO_ACT`, so the
 *    alarm fires with at least `MIN_DAYS_TO_ACT` days left (DaysToExpiry is whole days, published twice
 *    a day, and the alarm reads the minimum of a one-day period: it fires up to ~1.5 days after the
 *    value first drops below the threshold).
 *
 * Sources: "[seed §x]" is /work/shared/reference/acm-digest.md (the ACM User Guide seed, UG25);
 * "[2026]" is reference/landscape-2026-12.md §5 and the pages it cites (secondary reports of ACM's
 * 198-day public certificates from 2026-02-18; they disagree on whether public renewal now starts 45
 * or 60 days before expiry); "[SC-081]" is CA/Browser Forum ballot SC-081v3 (public TLS maximum
 * validity: 200 days from 2026-03-15, 100 days from 2027-03-15, 47 days from 2029-03-15; 398 before).
 *
 * How to change it when AWS changes: edit the row of `RENEWAL_WINDOWS` (renewal start, threshold, and the
 * new source in `source`), or `ACM_PUBLIC_LIFETIMES` for a new public validity. The invariants above are
 * checked by test/monitoring/renewal-windows.test.ts and by the day-by-day matrix in
 * test/monitoring/renewal-window-matrix.test.ts, which fail if a row breaks rule 1 or 2.
 */

/** The kinds of certificate whose renewal differs (`CertificateKind` values, plus `UNKNOWN`). */
export type RenewalKind = 'PUBLIC_DNS' | 'PUBLIC_EMAIL' | 'PRIVATE' | 'IMPORTED' | 'EXPORTED' | 'UNKNOWN';

/** One row of the table. */
export interface RenewalWindow {
  /** Days before expiry at which ACM starts renewing; undefined: ACM never renews it. */
  readonly renewalStartDays?: number;
  /** The default alarm threshold (days) for a long-lived certificate of this kind. */
  readonly thresholdDays: number;
  /** Where the numbers come from, and why the threshold is what it is. */
  readonly source: string;
}

/** The least number of days left to act when the alarm fires on a stuck renewal. */
export const MIN_DAYS_TO_ACT = 14;

/**
 * The least threshold that leaves `MIN_DAYS_TO_ACT` days: the metric is whole days and the alarm reads a
 * one-day minimum, so it fires up to ~1.5 days after the days left first drop below the threshold.
 */
export const MIN_THRESHOLD_DAYS_TO_ACT = MIN_DAYS_TO_ACT + 2;

/**
 * The least time a normal renewal is allowed: ACM's validation attempt times out after 72 hours and
 * restarts [seed §4.2], so two attempts and a day.
 */
export const MIN_RENEWAL_ALLOWANCE_DAYS = 7;

/**
 * When the table's renewal window does not fit in half the lifetime (certificates shorter than 120
 * days), we assume ACM starts renewing at half the lifetime. ASSUMPTION, not an AWS statement: ACM's
 * documentation describes 395-day certificates; a 60-day window cannot apply to a 47-day certificate,
 * and renewing at half the lifetime leaves the most room on both sides of the alarm. A later start
 * (a third of the lifetime, say) would make the 47-day case unable to satisfy both rules.
 */
export const SHORT_LIFETIME_RENEWAL_FRACTION = 0.5;

/** The ACM renewal window of each kind, with its source. */
export const RENEWAL_WINDOWS: Readonly<Record<RenewalKind, RenewalWindow>> = {
  PUBLIC_DNS: {
    renewalStartDays: 60,
    thresholdDays: 30,
    source: 'ACM renews DNS-validated certificates from 60 days before expiry [seed §4.2: "60 days for DNS"]. '
      + 'Not 45: ACM itself sends "Renewal Action Required" from 45 days [seed §5], and some 2026 reports say public renewal '
      + 'now starts at 45 days [2026]; 30 keeps 15 days of margin even then, and leaves 30 days to act.',
  },
  PUBLIC_EMAIL: {
    renewalStartDays: 45,
    thresholdDays: 30,
    source: 'Renewal emails start 45 days before expiry and need a person to approve [seed §4.2]; ACM reminds at 30 days '
      + '[seed §5], so approval within 15 days is normal; then 30 days to act.',
  },
  PRIVATE: {
    renewalStartDays: 60,
    thresholdDays: 45,
    source: 'ACM renews private certificates from 60 days before expiry with no validation [seed §4.4: "60 days for Private"]; '
      + 'one not renewed when ACM sends its first failure event at 45 days [seed §5] is stuck (a CA permission or state, '
      + 'seed §7.6): 45 days to fix it.',
  },
  EXPORTED: {
    renewalStartDays: 60,
    thresholdDays: 38,
    source: 'Exported (exportable public, or private) certificates are renewed from 60 days before expiry [seed §4.2], and the '
      + 'renewed copy must still be exported and installed by a pipeline or a person, which the metric cannot see: alarm earlier '
      + 'than a DNS-validated certificate, as early as stays quiet if public renewal starts at 45 days as some 2026 reports say '
      + '[2026]: 45 minus the 7-day minimum renewal allowance, 38 days.',
  },
  IMPORTED: {
    thresholdDays: 45,
    source: 'ACM never renews imported certificates [seed §4.1]: a person or pipeline must reimport new material. 45 days, '
      + 'when ACM\'s own "Approaching Expiration" events for imported certificates start by default [seed §5], '
      + 'and earlier than any managed kind; at most half the lifetime, so it never fires at import.',
  },
  UNKNOWN: {
    renewalStartDays: 60,
    thresholdDays: 30,
    source: 'A certificate imported by ARN, kind unknown: the DNS-validated row (60 days [seed §4.2]). 30 days is the latest threshold that fires '
      + 'during no normal managed renewal of any kind, and still leaves 30 days if it is really an imported certificate.',
  },
};

/** The validity of ACM's private certificates: 13 months [seed §3.4]. */
export const ACM_PRIVATE_LIFETIME_DAYS = 395;

/** The validity ACM gives public certificates, by date of issuance (ISO dates, ascending). */
export const ACM_PUBLIC_LIFETIMES: ReadonlyArray<{ readonly from: string; readonly days: number; readonly source: string }> = [
  { from: '0000-01-01', days: 395, source: '13 months [seed §3.4]' },
  { from: '2026-02-18', days: 198, source: 'ACM\'s 198-day public certificates [2026], under SC-081\'s 200-day maximum' },
  { from: '2027-03-15', days: 100, source: 'SC-081 maximum (ACM\'s exact figure not announced: the maximum is assumed)' },
  { from: '2029-03-15', days: 47, source: 'SC-081 maximum (ACM\'s exact figure not announced: the maximum is assumed)' },
];

/** The lifetime of an ACM public certificate issued at `at`. */
export function acmPublicLifetimeDays(at: Date): number {
  const day = at.toISOString().slice(0, 10);
  let days = ACM_PUBLIC_LIFETIMES[0].days;
  for (const step of ACM_PUBLIC_LIFETIMES) {
    if (day >= step.from) days = step.days;
  }
  return days;
}

/** Days before expiry at which ACM starts renewing a `kind` certificate of `lifetimeDays`; undefined: never. */
export function renewalStartDays(kind: RenewalKind, lifetimeDays?: number): number | undefined {
  const start = RENEWAL_WINDOWS[kind].renewalStartDays;
  if (start === undefined || lifetimeDays === undefined) return start;
  return Math.min(start, Math.floor(lifetimeDays * SHORT_LIFETIME_RENEWAL_FRACTION));
}

/**
 * The default threshold (`CertificateExpiryThreshold.renewalWindow()`) of a `kind` certificate of
 * `lifetimeDays` (undefined: long-lived): the row's threshold, lowered so that a normal renewal keeps at
 * least `MIN_RENEWAL_ALLOWANCE_DAYS` (short lifetimes), and for imported certificates at most half the lifetime.
 */
export function renewalWindowThresholdDays(kind: RenewalKind, lifetimeDays?: number): number {
  const row = RENEWAL_WINDOWS[kind];
  const start = renewalStartDays(kind, lifetimeDays);
  if (start === undefined) {
    return lifetimeDays === undefined ? row.thresholdDays : Math.max(1, Math.min(row.thresholdDays, Math.floor(lifetimeDays / 2)));
  }
  return Math.max(1, Math.min(row.thresholdDays, start - MIN_RENEWAL_ALLOWANCE_DAYS));
}

/** How long a normal renewal of a `kind` certificate of `lifetimeDays` may take before the alarm fires. */
export function renewalAllowanceDays(kind: RenewalKind, lifetimeDays?: number): number | undefined {
  const start = renewalStartDays(kind, lifetimeDays);
  return start === undefined ? undefined : start - renewalWindowThresholdDays(kind, lifetimeDays);
}

/** The threshold of `CertificateExpiryThreshold.fractionOfLifetime(fraction)` for a lifetime: at least 1 day. */
export function fractionThresholdDays(fraction: number, lifetimeDays: number): number {
  return Math.max(1, Math.floor(fraction * lifetimeDays));
}

/** Problems with a fraction of the lifetime (empty when fine). */
export function validateLifetimeFraction(fraction: number): string[] {
  if (!(typeof fraction === 'number' && fraction > 0 && fraction < 1)) {
    return [`a fraction of the lifetime must be greater than 0 and less than 1 (0.2 alarms when a fifth of the lifetime is left), got ${String(fraction)}`];
  }
  return [];
}

/** Problems with a certificate lifetime in days (empty when fine). */
export function validateLifetimeDays(days: number): string[] {
  if (!(Number.isFinite(days) && days >= 1)) {
    return [`a certificate lifetime must be at least 1 day, got ${String(days)}`];
  }
  return [];
}

/**
 * Warnings about an alarm threshold for a `kind` certificate of `lifetimeDays`: one that fires during a
 * normal managed renewal, one that leaves fewer than `MIN_DAYS_TO_ACT` days, one that fires from the
 * start of the certificate's life. Each names the fix.
 */
export function thresholdWarnings(kind: RenewalKind, thresholdDays: number, lifetimeDays?: number): string[] {
  const out: string[] = [];
  const start = renewalStartDays(kind, lifetimeDays);
  const label = kind === 'UNKNOWN' ? 'a certificate of unknown kind (checked as DNS-validated)' : `a ${kind} certificate`;
  if (start !== undefined && thresholdDays > start - MIN_RENEWAL_ALLOWANCE_DAYS) {
    out.push(`a DaysToExpiry threshold of ${thresholdDays} days alarms during a normal managed renewal: ACM starts renewing ${label} `
      + `${start} days before expiry and may need ${MIN_RENEWAL_ALLOWANCE_DAYS} days. Use at most ${start - MIN_RENEWAL_ALLOWANCE_DAYS} days, `
      + 'or CertificateExpiryThreshold.renewalWindow() (the default), or state the certificate\'s kind.');
  }
  if (thresholdDays < MIN_THRESHOLD_DAYS_TO_ACT) {
    out.push(`a DaysToExpiry threshold of ${thresholdDays} days leaves fewer than ${MIN_DAYS_TO_ACT} days to act when renewal is stuck `
      + `(the alarm reads a daily minimum of whole days). Use at least ${MIN_THRESHOLD_DAYS_TO_ACT} days.`);
  }
  if (lifetimeDays !== undefined && thresholdDays >= lifetimeDays) {
    out.push(`a DaysToExpiry threshold of ${thresholdDays} days is not shorter than the certificate's ${lifetimeDays}-day lifetime: `
      + 'the alarm fires from the day it is issued. Use a smaller threshold.');
  }
  return out;
}
