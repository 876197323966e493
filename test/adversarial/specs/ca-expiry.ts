import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as fc from 'fast-check';
import { CaExpiryCheck, CaExpiryTier } from '../../../src/private-ca/ca-expiry-check';
import { RootCa } from '../../../src/private-ca/root-ca';
import { SubordinateCa } from '../../../src/private-ca/subordinate-ca';
import { maybe, mostly } from '../arbitraries';
import { AdversarialSpec, Finding, must } from '../harness';
import { resourcesOf } from '../oracle/template';

/*
 * CaExpiryCheck (issue 17 §2): the documented rules of its options, written from the issue and Vault's health check
 * (never calling src/validation): a tier for a CA the check cannot classify; thresholds whole days from 1 to 36,500,
 * warning above critical, with the defaults root 365/180 and other tiers 60/30; every CA in the stack's region. The
 * template must hold, per CA, a warning and a critical DaysToCaExpiry alarm with those thresholds (missing data
 * breaching), a CaOutlivesParent alarm for each subordinate tier, and read permissions on exactly the watched CAs.
 */

const TIERS = Object.values(CaExpiryTier) as string[];
const DEFAULTS: Record<string, [number, number]> = { ROOT: [365, 180], INTERMEDIATE: [60, 30], ISSUING: [60, 30] };

type CaKind = { kind: 'arn'; region: string; tier: string | undefined } | { kind: 'root' } | { kind: 'sub'; pathLength: number };

interface CaEntry {
  ca: CaKind;
  warningDays?: number;
  criticalDays?: number;
}

interface ExpiryInput {
  cas: CaEntry[];
}

const HOSTILE_DAYS = fc.constantFrom(0, -5, 1, 30, 60, 180, 365, 36_500, 36_501, 2.5, Number.NaN, Number.POSITIVE_INFINITY);
/** Mostly a warning above any default critical and a critical below any default warning; sometimes hostile. */
const warning = maybe(mostly(fc.integer({ min: 181, max: 800 }), HOSTILE_DAYS, 8));
const critical = maybe(mostly(fc.integer({ min: 1, max: 59 }), HOSTILE_DAYS, 8));

const caKind: fc.Arbitrary<CaKind> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('arn' as const),
      region: mostly(fc.constant('eu-west-1'), fc.constant('us-east-1'), 8),
      tier: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...TIERS) }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'LEAF') }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'root' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sub' as const), pathLength: fc.constantFrom(0, 1) }) },
);

const input: fc.Arbitrary<ExpiryInput> = fc.record({
  cas: fc.array(fc.record({ ca: caKind, warningDays: warning, criticalDays: critical }, { requiredKeys: ['ca'] }), { minLength: 1, maxLength: 3 }),
});

/** The tier the documents give a CA: its own, else from the class; undefined when none can be told. */
function tierOf(ca: CaKind): string | undefined {
  if (ca.kind === 'arn') return ca.tier;
  if (ca.kind === 'root') return 'ROOT';
  return ca.pathLength === 0 ? 'ISSUING' : 'INTERMEDIATE';
}

const wholeDays = (n: number) => Number.isInteger(n) && n >= 1 && n <= 36_500;

export const caExpirySpec: AdversarialSpec<ExpiryInput> = {
  construct: 'CaExpiryCheck',
  arbitrary: input,
  numRuns: 40,
  build(stack, i) {
    const check = new CaExpiryCheck(stack, 'Expiry');
    let parent: RootCa | undefined;
    i.cas.forEach((entry, n) => {
      const c = entry.ca;
      const ca = c.kind === 'arn'
        ? acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, `Ca${n}`,
          `arn:aws:acm-pca:${c.region}:111111111111:certificate-authority/${String(n).padStart(8, '0')}-2222-3333-4444-555555555555`)
        : c.kind === 'root' ? new RootCa(stack, `Ca${n}`, { subject: { commonName: `Root ${n}` } })
          : new SubordinateCa(stack, `Ca${n}`, {
            parent: parent ??= new RootCa(stack, 'Parent', { subject: { commonName: 'Parent' } }),
            pathLength: c.pathLength,
            subject: { commonName: `Sub ${n}` },
          });
      check.addCertificateAuthority(ca, {
        tier: c.kind === 'arn' ? c.tier as CaExpiryTier | undefined : undefined,
        warningDays: entry.warningDays,
        criticalDays: entry.criticalDays,
      });
    });
    return { path: 'Stack/Expiry' };
  },
  oracle(i) {
    const out: Finding[] = [];
    for (const { ca, warningDays, criticalDays } of i.cas) {
      const tier = tierOf(ca);
      if (tier === undefined) out.push(must('a tier for a CA that is not a RootCa or SubordinateCa', 'tier'));
      else if (!TIERS.includes(tier)) out.push(must('tier: a CaExpiryTier value', tier));
      if (ca.kind === 'arn' && ca.region !== 'eu-west-1') out.push(must('the CA in the stack\'s region', ca.region));
      if (warningDays !== undefined && !wholeDays(warningDays)) out.push(must('warningDays whole days 1-36500', warningDays));
      if (criticalDays !== undefined && !wholeDays(criticalDays)) out.push(must('criticalDays whole days 1-36500', criticalDays));
      if (tier !== undefined && TIERS.includes(tier)) {
        const w = warningDays ?? DEFAULTS[tier][0];
        const c = criticalDays ?? DEFAULTS[tier][1];
        if (wholeDays(w) && wholeDays(c) && w <= c) out.push(must('warningDays above criticalDays', w));
      }
    }
    return out;
  },
  checkTemplate(t, i) {
    const problems: string[] = [];
    const alarms = resourcesOf(t, 'AWS::CloudWatch::Alarm');
    const expiry = alarms.filter(([, a]) => a.MetricName === 'DaysToCaExpiry');
    if (expiry.length !== 2 * i.cas.length) problems.push(`${expiry.length} DaysToCaExpiry alarms for ${i.cas.length} CAs (two each expected)`);
    const wanted = i.cas.flatMap(({ ca, warningDays, criticalDays }) => {
      const tier = tierOf(ca)!;
      return [warningDays ?? DEFAULTS[tier][0], criticalDays ?? DEFAULTS[tier][1]];
    }).sort((a, b) => a - b);
    const got = expiry.map(([, a]) => a.Threshold as number).sort((a, b) => a - b);
    if (JSON.stringify(got) !== JSON.stringify(wanted)) problems.push(`thresholds ${JSON.stringify(got)}, expected ${JSON.stringify(wanted)}`);
    for (const [id, a] of expiry) {
      if (a.TreatMissingData !== 'breaching' || a.ComparisonOperator !== 'LessThanThreshold') problems.push(`${id}: missing data must breach, below threshold`);
    }
    const subordinates = i.cas.filter(({ ca }) => tierOf(ca) !== 'ROOT').length;
    const outlives = alarms.filter(([, a]) => a.MetricName === 'CaOutlivesParent').length;
    if (outlives !== subordinates) problems.push(`${outlives} CaOutlivesParent alarms for ${subordinates} subordinate-tier CAs`);
    const reads = resourcesOf(t, 'AWS::IAM::Policy').flatMap(([, p]) => p.PolicyDocument.Statement as any[])
      .filter((s) => JSON.stringify(s.Action).includes('acm-pca:DescribeCertificateAuthority'));
    const resources = reads.flatMap((s) => [s.Resource].flat());
    if (reads.length !== 1 || resources.length !== i.cas.length || resources.includes('*')) {
      problems.push(`the read statement covers ${JSON.stringify(resources)}, not exactly the ${i.cas.length} watched CAs`);
    }
    return problems;
  },
};
