import { Duration, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { CertificateKind, inferCertificateKind, isAcmPrivateCertificate, KIND_LABELS } from './certificate-kind';
import { validateDaysToExpiryThreshold } from './monitoring-helpers';
import {
  ACM_PRIVATE_LIFETIME_DAYS,
  acmPublicLifetimeDays,
  fractionThresholdDays,
  RenewalKind,
  renewalStartDays,
  renewalWindowThresholdDays,
  thresholdWarnings,
  validateLifetimeDays,
  validateLifetimeFraction,
} from '../validation/renewal-windows';

/**
 * When a certificate's DaysToExpiry alarm fires.
 *
 * The default, `renewalWindow()`, follows the certificate's kind: no alarm while ACM renews it
 * normally, and at least 14 days to act when renewal is stuck.
 */
export class CertificateExpiryThreshold {
  /**
   * Alarm below a fixed number of days (a whole number from 1 to 397).
   *
   * A value that would fire during the certificate's managed renewal, or that leaves fewer than 14
   * days to act, adds a synth warning.
   */
  public static days(days: number): CertificateExpiryThreshold {
    return new CertificateExpiryThreshold(days, undefined);
  }

  /**
   * Alarm when less than this fraction of the certificate's lifetime is left (greater than 0, less
   * than 1): 0.2 alarms a 198-day certificate at 39 days and a 47-day one at 9 days.
   *
   * The lifetime is the `lifetime` given with the certificate, else what the kind tells at synth time:
   * ACM's validity for public certificates on the day of synthesis (395 days before 2026-02-18, 198
   * after, then CA/Browser Forum SC-081's 100 days from 2027-03-15 and 47 days from 2029-03-15) and
   * 395 days for ACM private certificates. An imported certificate's lifetime is unknown at synth:
   * give it, or synthesis fails. ACM's DaysToExpiry metric only tells the days left.
   */
  public static fractionOfLifetime(fraction: number): CertificateExpiryThreshold {
    return new CertificateExpiryThreshold(undefined, fraction);
  }

  /**
   * The default: from the certificate's kind and ACM's renewal window for it (see the "Expiry
   * alarms" section of the README for the table): 30 days for DNS- and email-validated public
   * certificates and those of unknown kind, 38 days for exported ones, 45 days for private and
   * imported ones; lower for lifetimes under 120 days, so that a normal renewal never alarms.
   */
  public static renewalWindow(): CertificateExpiryThreshold {
    return new CertificateExpiryThreshold(undefined, undefined);
  }

  /** The fixed number of days, for `days()`. */
  public readonly daysBeforeExpiry?: number;

  /** The fraction of the lifetime, for `fractionOfLifetime()`. */
  public readonly lifetimeFraction?: number;

  private constructor(days: number | undefined, fraction: number | undefined) {
    this.daysBeforeExpiry = days;
    this.lifetimeFraction = fraction;
  }
}

/** The threshold decided for one certificate. */
export interface ResolvedThreshold {
  /** The alarm threshold in days (a token when the user gave one). */
  readonly days: number;
  /** The kind used. */
  readonly kind: RenewalKind;
  /** The lifetime used, in days, when known. */
  readonly lifetimeDays?: number;
  /** Why this threshold, for the alarm description (none for a number of days given). */
  readonly reason?: string;
  /** Problems that stop synthesis. */
  readonly problems: string[];
  /** Warnings (threshold inside the renewal window, too few days to act). */
  readonly warnings: string[];
}

/**
 * Decides the DaysToExpiry threshold of `certificate`: the kind (stated, else inferred), the lifetime
 * (given, else from the kind), then the threshold mode.
 */
export function resolveExpiryThreshold(
  certificate: acm.ICertificate,
  threshold: CertificateExpiryThreshold,
  kind: CertificateKind | undefined,
  lifetime: Duration | undefined,
  publicLifetimeDays: number = acmPublicLifetimeDays(new Date()),
): ResolvedThreshold {
  const k: RenewalKind = kind ?? inferCertificateKind(certificate);
  const problems: string[] = [];
  let lifetimeDays: number | undefined;
  if (lifetime !== undefined && !lifetime.isUnresolved()) {
    lifetimeDays = Math.floor(lifetime.toDays({ integral: false }));
    problems.push(...validateLifetimeDays(lifetimeDays));
  } else if (k !== 'IMPORTED') {
    lifetimeDays = isAcmPrivateCertificate(certificate) || k === 'PRIVATE' ? ACM_PRIVATE_LIFETIME_DAYS : publicLifetimeDays;
  }
  const label = withArticle(`${KIND_LABELS[k]} certificate`);

  let days: number;
  let reason: string | undefined;
  if (threshold.daysBeforeExpiry !== undefined) {
    days = threshold.daysBeforeExpiry;
    problems.push(...validateDaysToExpiryThreshold(days));
  } else if (threshold.lifetimeFraction !== undefined) {
    const fraction = threshold.lifetimeFraction;
    problems.push(...validateLifetimeFraction(fraction));
    if (lifetimeDays === undefined) {
      problems.push(`it is ${label}, whose lifetime is not known at synth time, so CertificateExpiryThreshold.fractionOfLifetime(${fraction}) `
        + 'cannot be turned into days. Give the lifetime (addCertificate(certificate, { lifetime: Duration.days(n) })), '
        + 'or use CertificateExpiryThreshold.days(n).');
    }
    days = problems.length ? 1 : fractionThresholdDays(fraction, lifetimeDays!);
    reason = `${fraction} of the ${lifetimeDays}-day lifetime of ${label}`;
  } else {
    days = renewalWindowThresholdDays(k, lifetimeDays);
    const start = renewalStartDays(k, lifetimeDays);
    if (k === 'UNKNOWN') {
      reason = `default for a certificate of unknown kind, taken as DNS-validated (managed renewal from ${start} days before expiry)`;
    } else {
      reason = start === undefined
        ? `default for ${label}, which ACM never renews`
        : `default for ${label}, whose managed renewal starts ${start} days before expiry`;
    }
  }
  const warnings = problems.length || Token.isUnresolved(days) ? [] : thresholdWarnings(k, days, lifetimeDays);
  return { days, kind: k, lifetimeDays, reason, problems, warnings };
}

function withArticle(text: string): string {
  return /^[aeiou]/i.test(text) ? `an ${text}` : `a ${text}`;
}
