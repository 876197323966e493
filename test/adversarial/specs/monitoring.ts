import * as fc from 'fast-check';
import { AcmEventType } from '../../../src/certificates/certificate-base';
import { PublicCertificate } from '../../../src/certificates/public-certificate';
import { CertificateMonitor } from '../../../src/monitoring/certificate-monitor';
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

interface MonitorInput {
  threshold?: number;
  certificates?: Array<{ kind: 'arn'; region: string } | { kind: 'local' }>;
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
  certificates: maybe(fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.oneof({ weight: 6, arbitrary: fc.constant({ kind: 'arn' as const, region: 'eu-west-1' }) }, { weight: 1, arbitrary: fc.constantFrom({ kind: 'arn' as const, region: 'us-east-1' }, { kind: 'local' as const }) }), { maxLength: 5 }) },
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
      : new PublicCertificate(stack, `Cert${n}`, { domainName: `n${n}.example.com` })));
    new CertificateMonitor(stack, 'Monitor', {
      daysToExpiryThreshold: i.threshold,
      certificates,
      events: i.events as AcmEventType[] | undefined,
      healthEvents: i.healthEvents,
      accountWide: i.accountWide,
      dashboard: i.dashboard,
    });
    return { path: 'Stack/Monitor' };
  },
  oracle(i) {
    const out: Finding[] = [];
    if (i.threshold !== undefined && !(Number.isInteger(i.threshold) && i.threshold >= 1 && i.threshold <= 397)) out.push(must('daysToExpiryThreshold a whole number 1-397', i.threshold));
    for (const e of i.events ?? []) if (!ALL_EVENTS.includes(e)) out.push(must('events: AcmEventType values', e));
    for (const r of regionsOf(i)) if (r !== i.stackRegion) out.push(must('certificates in the stack\'s region (metrics and events are regional)', r));
    return out;
  },
  checkTemplate(t, i) {
    const problems: string[] = [];
    const threshold = i.threshold ?? 45;
    const alarms = resourcesOf(t, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.MetricName === 'DaysToExpiry');
    const certificates = i.certificates ?? [];
    if (alarms.length !== certificates.length) problems.push(`${alarms.length} DaysToExpiry alarms for ${certificates.length} certificates`);
    for (const [id, a] of alarms) {
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
