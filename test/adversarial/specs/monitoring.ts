import { Duration } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { AcmEventType } from '../../../src/certificates/certificate-base';
import { PublicCertificate } from '../../../src/certificates/public-certificate';
import { PublicCertificateValidation } from '../../../src/certificates/public-certificate-validation';
import { CertificateMonitor } from '../../../src/monitoring/certificate-monitor';
import { CertificateExpiryThreshold } from '../../../src/monitoring/expiry-threshold';
import { maybe, mostly } from '../arbitraries';
import { AdversarialSpec, Finding, must } from '../harness';
import { resourcesOf } from '../oracle/template';

/*
 * CertificateMonitor: the documented prop rules (threshold a whole number of days 1-397, AcmEventType values only, every
 * certificate in the stack's region) and what the template must hold (one DaysToExpiry alarm per certificate with the
 * threshold, missing data breaching; event patterns within EventBridge's 2,048 characters; every watched ARN covered).
 */

const UUID = (n: number): string => `${String(n).padStart(8, '0')}-2222-3333-4444-555555555555`;
const ALL_EVENTS = Object.values(AcmEventType) as string[];

type LocalKind = 'local' | 'email' | 'exportable';

interface MonitorInput {
  threshold?: number;
  /** Issue 17: `expiryThreshold` (days, fraction of the lifetime, or the renewal window) and a lifetime per certificate. */
  expiryThreshold?: { days: number } | { fraction: number } | { window: true };
  lifetimeDays?: number;
  certificates?: Array<{ kind: 'arn'; region: string } | { kind: LocalKind }>;
  events?: string[];
  healthEvents?: boolean;
  accountWide?: boolean;
  dashboard?: boolean;
  stackRegion: string;
}

const monitorInput: fc.Arbitrary<MonitorInput> = fc.record({
  threshold: maybe(mostly(
    fc.integer({ min: 1, max: 397 }),
    fc.constantFrom(0, 1, 45, 397, 398, -1, 1.5, 1000, Number.NaN, Number.POSITIVE_INFINITY),
  )),
  expiryThreshold: maybe(fc.oneof(
    fc.record({ days: fc.constantFrom(1, 15, 16, 30, 45, 53, 54, 397, 0, 398, 2.5) }),
    fc.record({ fraction: fc.constantFrom(0.05, 0.1, 0.2, 0.33, 0.5, 0.99, 0, 1, 1.5, -0.1, Number.NaN) }),
    fc.constant({ window: true as const }),
  )),
  lifetimeDays: maybe(fc.constantFrom(395, 198, 100, 47, 1, 0.5, 0)),
  certificates: maybe(fc.oneof(
    {
      weight: 4,
      arbitrary: fc.array(fc.oneof(
        { weight: 6, arbitrary: fc.constant({ kind: 'arn' as const, region: 'eu-west-1' }) },
        {
          weight: 2,
          arbitrary: fc.constantFrom({ kind: 'arn' as const, region: 'us-east-1' }, { kind: 'local' as const }, { kind: 'email' as const }, { kind: 'exportable' as const }),
        },
      ), { maxLength: 5 }),
    },
    { weight: 1, arbitrary: fc.integer({ min: 14, max: 46 }).map((n) => Array.from({ length: n }, () => ({ kind: 'arn' as const, region: 'eu-west-1' }))) },
  )),
  events: maybe(fc.oneof(
    { weight: 4, arbitrary: fc.subarray(ALL_EVENTS) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...ALL_EVENTS, 'ACM Certificate Bogus', '', 'aws.acm'), { maxLength: 3 }) },
  )),
  healthEvents: maybe(fc.boolean()),
  accountWide: maybe(fc.boolean()),
  dashboard: maybe(fc.boolean()),
  stackRegion: fc.constantFrom('eu-west-1', 'eu-west-1', 'us-east-1'),
}, { requiredKeys: ['stackRegion'] });

/**
 * The default threshold by kind, from the digests (acm-digest §4.2, §5) as the README's table states them: ACM renews
 * DNS-validated, private and exported certificates from 60 days before expiry, email-validated ones from 45 days
 * (renewal emails); thresholds 30 (DNS, email, unknown) and 38 (exported). A lifetime shorter than 120 days moves the
 * renewal start to half the lifetime, and the threshold leaves the renewal at least 7 days.
 */
const ROW: Record<'arn' | LocalKind, { start: number; threshold: number }> = {
  arn: { start: 60, threshold: 30 },
  local: { start: 60, threshold: 30 },
  email: { start: 45, threshold: 30 },
  exportable: { start: 60, threshold: 38 },
};

/** ACM's public validity by date (acm-digest §3.4; 198 days from 2026-02-18; then the CA/B Forum SC-081 maximums). */
function publicLifetime(now: number): number {
  const day = new Date(now).toISOString().slice(0, 10);
  return day >= '2029-03-15' ? 47 : day >= '2027-03-15' ? 100 : day >= '2026-02-18' ? 198 : 395;
}

function expectedThreshold(i: MonitorInput, kind: 'arn' | LocalKind, now: number): number {
  if (i.threshold !== undefined) return i.threshold;
  const mode = i.expiryThreshold ?? { window: true as const };
  const lifetime = i.lifetimeDays !== undefined ? Math.floor(i.lifetimeDays) : publicLifetime(now);
  if ('days' in mode) return mode.days;
  if ('fraction' in mode) return Math.max(1, Math.floor(mode.fraction * lifetime));
  const start = Math.min(ROW[kind].start, Math.floor(lifetime / 2));
  return Math.max(1, Math.min(ROW[kind].threshold, start - 7));
}

/** The regions of the watched certificates: an ARN's own, or the stack's for a certificate built in it. */
const regionsOf = (i: MonitorInput): string[] => (i.certificates ?? []).map((c) => (c.kind === 'arn' ? c.region : i.stackRegion));

export const certificateMonitorSpec: AdversarialSpec<MonitorInput> = {
  construct: 'CertificateMonitor',
  arbitrary: monitorInput,
  numRuns: 80,
  region: (i) => i.stackRegion,
  build(stack, i) {
    const certificates = (i.certificates ?? []).map((c, n) => (c.kind === 'arn'
      ? PublicCertificate.fromCertificateArn(stack, `Cert${n}`, `arn:aws:acm:${c.region}:111111111111:certificate/${UUID(n)}`)
      : new PublicCertificate(stack, `Cert${n}`, {
        domainName: `n${n}.example.com`,
        validation: c.kind === 'email' ? PublicCertificateValidation.fromEmail() : undefined,
        allowExport: c.kind === 'exportable' ? true : undefined,
      })));
    const e = i.expiryThreshold;
    const monitor = new CertificateMonitor(stack, 'Monitor', {
      daysToExpiryThreshold: i.threshold,
      expiryThreshold: e === undefined ? undefined : 'days' in e ? CertificateExpiryThreshold.days(e.days)
        : 'fraction' in e ? CertificateExpiryThreshold.fractionOfLifetime(e.fraction) : CertificateExpiryThreshold.renewalWindow(),
      certificates: i.lifetimeDays === undefined ? certificates : [],
      events: i.events as AcmEventType[] | undefined,
      healthEvents: i.healthEvents,
      accountWide: i.accountWide ?? (i.lifetimeDays === undefined ? undefined : certificates.length === 0),
      dashboard: i.dashboard,
    });
    if (i.lifetimeDays !== undefined) certificates.forEach((c) => monitor.addCertificate(c, { lifetime: Duration.days(i.lifetimeDays!) }));
    return { path: 'Stack/Monitor' };
  },
  oracle(i) {
    const out: Finding[] = [];
    if (i.threshold !== undefined && !(Number.isInteger(i.threshold) && i.threshold >= 1 && i.threshold <= 397)) out.push(must('daysToExpiryThreshold a whole number 1-397', i.threshold));
    const mode = i.expiryThreshold;
    if (i.threshold !== undefined && mode !== undefined) out.push(must('daysToExpiryThreshold or expiryThreshold, not both', i.threshold));
    if (mode && 'days' in mode && !(Number.isInteger(mode.days) && mode.days >= 1 && mode.days <= 397)) out.push(must('days(n): a whole number 1-397', mode.days));
    if (mode && 'fraction' in mode && !(mode.fraction > 0 && mode.fraction < 1)) out.push(must('fractionOfLifetime: greater than 0, less than 1', mode.fraction));
    if (i.lifetimeDays !== undefined && i.lifetimeDays < 1 && (i.certificates ?? []).some((c) => c.kind !== 'arn' || c.region === i.stackRegion)) {
      out.push(must('a lifetime of at least 1 day', i.lifetimeDays));
    }
    for (const e of i.events ?? []) if (!ALL_EVENTS.includes(e)) out.push(must('events: AcmEventType values', e));
    for (const r of regionsOf(i)) if (r !== i.stackRegion) out.push(must('certificates in the stack\'s region (metrics and events are regional)', r));
    return out;
  },
  checkTemplate(t, i, now) {
    const problems: string[] = [];
    const alarms = resourcesOf(t, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.MetricName === 'DaysToExpiry');
    const certificates = i.certificates ?? [];
    if (alarms.length !== certificates.length) problems.push(`${alarms.length} DaysToExpiry alarms for ${certificates.length} certificates`);
    for (const [id, a] of alarms) {
      const n = certificates.findIndex((_, k) => String(a.AlarmDescription).startsWith(`certificate Stack/Cert${k} `));
      const threshold = n < 0 ? undefined : expectedThreshold(i, certificates[n].kind, now);
      if (a.Threshold !== threshold || a.ComparisonOperator !== 'LessThanThreshold' || a.TreatMissingData !== 'breaching' || a.Namespace !== 'AWS/CertificateManager') {
        problems.push(`alarm ${id}: ${JSON.stringify({ Threshold: a.Threshold, ComparisonOperator: a.ComparisonOperator, TreatMissingData: a.TreatMissingData })}`);
      }
      if (!(a.AlarmActions ?? []).length) problems.push(`alarm ${id} has no action`);
    }
    const rules = resourcesOf(t, 'AWS::Events::Rule');
    for (const [id, r] of rules) {
      // EventBridge's default limit on an event pattern: 2,048 characters.
      if (JSON.stringify(r.EventPattern).length > 2048) problems.push(`rule ${id}: event pattern of ${JSON.stringify(r.EventPattern).length} characters`);
    }
    const acmRules = rules.filter(([, r]) => (r.EventPattern?.source ?? []).includes('aws.acm'));
    const events = [...new Set(i.events ?? ALL_EVENTS)];
    const accountWide = i.accountWide ?? certificates.length === 0;
    if (events.length > 0 && acmRules.length === 0 && (accountWide || certificates.length > 0)) problems.push('no ACM event rule');
    for (const [id, r] of acmRules) {
      const types = r.EventPattern['detail-type'] ?? [];
      if (types.length !== events.length || !events.every((e) => types.includes(e))) problems.push(`rule ${id}: detail types ${JSON.stringify(types)}`);
      if (accountWide && r.EventPattern.resources !== undefined) problems.push(`account-wide rule ${id} filters resources`);
    }
    if (!accountWide && events.length > 0) {
      const covered = JSON.stringify(acmRules.map(([, r]) => r.EventPattern.resources));
      certificates.forEach((c, n) => {
        if (c.kind === 'arn' && !covered.includes(UUID(n))) problems.push(`certificate ${n} is in no ACM rule`);
      });
    }
    return problems;
  },
};
