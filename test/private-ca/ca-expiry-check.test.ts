import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { SCHEDULED_EVENT_KEY } from '../../src/handlers/ca-expiry/contract';
import { planCheck } from '../../src/handlers/ca-expiry/logic';
import { CertificateMonitor } from '../../src/monitoring/certificate-monitor';
import { CaExpiryCheck, CaExpiryTier } from '../../src/private-ca/ca-expiry-check';
import { RootCa } from '../../src/private-ca/root-ca';
import { SubordinateCa } from '../../src/private-ca/subordinate-ca';
import { validateCaExpiryThresholds } from '../../src/validation/ca-expiry';
import { synthTemplate } from '../harness/cfn-lint';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const arn = (n: number, region = REGION) => `arn:aws:acm-pca:${region}:${ACCOUNT}:certificate-authority/0000000${n}-89ab-cdef-0123-456789abcdef`;

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: REGION } });
}

function imported(stack: Stack, n: number, region = REGION): acmpca.ICertificateAuthority {
  return acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, `Ca${n}`, arn(n, region));
}

/** The alarms of the template keyed by `<metric> <threshold>` with the properties a user relies on. */
function alarms(t: Template): Array<Record<string, unknown>> {
  return Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties);
}

describe('CaExpiryCheck with a hierarchy of this app (synthesized once)', () => {
  const stack = newStack();
  const root = new RootCa(stack, 'Root', { subject: { commonName: 'Root' } });
  const intermediate = new SubordinateCa(stack, 'Intermediate', { parent: root, pathLength: 1, subject: { commonName: 'Intermediate' } });
  const issuing = new SubordinateCa(stack, 'Issuing', { parent: intermediate, subject: { commonName: 'Issuing' } });
  const check = new CaExpiryCheck(stack, 'Expiry', { certificateAuthorities: [root, intermediate] });
  const issuingAlarms = check.addCertificateAuthority(issuing);
  const t = synthTemplate(stack);
  const ref = (ca: RootCa | SubordinateCa) => stack.resolve(ca.certificateAuthorityArn);

  test('tiers come from the CA classes: root 365/180, intermediate and issuing 60/30, two daily periods, missing data breaching', () => {
    expect(issuingAlarms.tier).toBe(CaExpiryTier.ISSUING);
    const expiry = alarms(t).filter((a) => a.MetricName === 'DaysToCaExpiry');
    const byCa = (ca: RootCa | SubordinateCa) => expiry.filter((a) => JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'CertificateAuthorityArn', Value: ref(ca) }]))
      .map((a) => a.Threshold).sort((a: any, b: any) => a - b);
    expect(byCa(root)).toEqual([180, 365]);
    expect(byCa(intermediate)).toEqual([30, 60]);
    expect(byCa(issuing)).toEqual([30, 60]);
    for (const a of expiry) {
      expect(a).toMatchObject({
        Namespace: 'CdkPki',
        Statistic: 'Minimum',
        Period: 86400,
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      });
    }
    // CaOutlivesParent for the two subordinates only; one alarm on the check's errors.
    const outlives = alarms(t).filter((a) => a.MetricName === 'CaOutlivesParent');
    expect(outlives.map((a) => (a.Dimensions as any)[0].Value)).toEqual([ref(intermediate), ref(issuing)]);
    expect(outlives[0]).toMatchObject({ Statistic: 'Maximum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    expect(alarms(t).filter((a) => a.MetricName === 'Errors')).toHaveLength(1);
    expect(check.alarms).toHaveLength(6 + 2 + 1);
  });

  test('a daily schedule and a deploy-time run carry the same request, which the handler reads', () => {
    const handlerId = t.getResourceId('AWS::Lambda::Function', { Properties: { Description: 'src/handlers/ca-expiry/ca-expiry.lambda.ts' } });
    t.hasResourceProperties('AWS::Lambda::Function', { Description: 'src/handlers/ca-expiry/ca-expiry.lambda.ts', Runtime: 'nodejs22.x', Timeout: 300 });
    const tiers = [{ arn: root, Tier: 'ROOT' }, { arn: intermediate, Tier: 'INTERMEDIATE' }, { arn: issuing, Tier: 'ISSUING' }]
      .map((x) => ({ CertificateAuthorityArn: ref(x.arn), Tier: x.Tier }));
    t.hasResource('Custom::CdkPkiCaExpiryCheck', {
      Properties: { CertificateAuthorities: tiers },
      DependsOn: Match.arrayWith([t.getResourceId('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^ExpiryHandlerPolicy') } })]),
    });
    const rule = Object.values(t.findResources('AWS::Events::Rule'))[0] as any;
    expect(rule.Properties.ScheduleExpression).toBe('rate(1 day)');
    expect(rule.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [handlerId, 'Arn'] });
    const input = JSON.stringify(rule.Properties.Targets[0].Input);
    expect(input).toContain(SCHEDULED_EVENT_KEY);
    // Alarms are created after the deploy-time run, so they never start without data.
    const resourceId = t.getResourceId('Custom::CdkPkiCaExpiryCheck');
    for (const alarm of Object.values(t.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'CdkPki' } })) as any[]) {
      expect(alarm.DependsOn).toContain(resourceId);
    }
  });

  test('least privilege: the two read actions on exactly the watched CAs, PutMetricData only to the CdkPki namespace', () => {
    const policy = Object.values(t.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^ExpiryHandlerPolicy') } }))[0] as any;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificateAuthorityCertificate'],
        Resource: [ref(root), ref(intermediate), ref(issuing)],
      },
      { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'CdkPki' } } },
    ]);
    const all = (Object.values(t.findResources('AWS::IAM::Policy')) as any[]).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(all.filter((s) => JSON.stringify(s.Action).includes('acm-pca:'))).toHaveLength(1);
  });

  test('cdk-nag: no unacknowledged finding in AwsSolutions, HIPAA, NIST 800-53 R5 and PCI DSS', () => {
    const findings = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()]
      .flatMap((pack) => pack.validateScope(stack).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)))
      .filter((f) => f.includes('/Expiry/') || f.includes('CdkPkiCaExpiryProvider'));
    expect(findings).toEqual([]);
  });
});

describe('CaExpiryCheck options', () => {
  test('imported CAs with tiers and overrides; alarm actions on every alarm; the request read by the handler', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    const check = new CaExpiryCheck(stack, 'Expiry', { alarmActions: [new cloudwatchActions.SnsAction(topic)] });
    const r = check.addCertificateAuthority(imported(stack, 1), { tier: CaExpiryTier.ROOT, warningDays: 730, criticalDays: 400 });
    check.addCertificateAuthority(imported(stack, 2), { tier: CaExpiryTier.INTERMEDIATE, criticalDays: 14 });
    const again = check.addCertificateAuthority(check.node.scope!.node.findChild('Ca2') as acmpca.ICertificateAuthority, { criticalDays: 1 });
    expect(r.outlivesParent).toBeUndefined();
    expect(again.critical).toBe(check.alarms[4]);
    const t = synthTemplate(stack);
    const thresholds = alarms(t).filter((a) => a.MetricName === 'DaysToCaExpiry').map((a) => [(a.Dimensions as any)[0].Value, a.Threshold]);
    expect(thresholds).toEqual([[arn(1), 730], [arn(1), 400], [arn(2), 60], [arn(2), 14]]);
    for (const a of alarms(t)) expect(a.AlarmActions).toEqual([{ Ref: t.getResourceId('AWS::SNS::Topic') }]);
    const rule = Object.values(t.findResources('AWS::Events::Rule'))[0] as any;
    expect(planCheck(JSON.parse(rule.Properties.Targets[0].Input))).toEqual({
      action: 'check',
      trigger: 'Schedule',
      request: {
        CertificateAuthorities: [
          { CertificateAuthorityArn: arn(1), Tier: 'ROOT' }, { CertificateAuthorityArn: arn(2), Tier: 'INTERMEDIATE' },
        ],
      },
    });
  });

  test('tokens pass the threshold checks', () => {
    const stack = newStack();
    const check = new CaExpiryCheck(stack, 'Expiry');
    expect(() => check.addCertificateAuthority(imported(stack, 1), {
      tier: CaExpiryTier.ISSUING, warningDays: Lazy.number({ produce: () => 90 }), criticalDays: Lazy.number({ produce: () => 10 }),
    })).not.toThrow();
    expect(validateCaExpiryThresholds('ROOT', Lazy.number({ produce: () => 1 }), 180)).toEqual([]);
  });
});

describe('CertificateMonitor.addCertificateAuthority with expiry', () => {
  test('delegates to one CaExpiryCheck of the monitor, whose alarms go to the monitor\'s topic', () => {
    const stack = newStack();
    const root = new RootCa(stack, 'Root', { subject: { commonName: 'Root' } });
    const issuing = new SubordinateCa(stack, 'Issuing', { parent: root, subject: { commonName: 'Issuing' } });
    const monitor = new CertificateMonitor(stack, 'Monitor');
    const rootAlarms = monitor.addCertificateAuthority(root, { expiry: { warningDays: 500 } });
    const issuingAlarms = monitor.addCertificateAuthority(issuing, { expiry: {} });
    // Without expiry: only the CRL and issuance alarms, as before.
    expect(monitor.addCertificateAuthority(RootCa.fromCertificateAuthorityArn(stack, 'Other', arn(3)))).toHaveLength(2);
    expect(rootAlarms).toHaveLength(2 + 2);
    expect(issuingAlarms).toHaveLength(2 + 3);
    const t = synthTemplate(stack);
    t.resourceCountIs('Custom::CdkPkiCaExpiryCheck', 1);
    const topic = { Ref: t.getResourceId('AWS::SNS::Topic') };
    const ours = alarms(t).filter((a) => a.Namespace === 'CdkPki' || a.MetricName === 'Errors');
    expect(ours.map((a) => a.Threshold).sort((a: any, b: any) => a - b)).toEqual([1, 1, 30, 60, 180, 500]);
    for (const a of ours) expect(a.AlarmActions).toEqual([topic]);
    expect(monitor.alarms).toHaveLength(2 + 2 + 2 + 3 + 2 + 1);
  });
});

describe('CaExpiryCheck refuses bad input with the path, the value and the fix', () => {
  const add = (options: Record<string, unknown>, n = 1, region = REGION) => {
    const stack = newStack();
    const check = new CaExpiryCheck(stack, 'Expiry');
    return () => check.addCertificateAuthority(imported(stack, n, region), options as any);
  };

  test('an imported CA without a tier', () => {
    expect(add({})).toThrow('Stack/Expiry (CA Stack/Ca1): cannot tell whether this CA is a root, an intermediate or an issuing CA ' +
      '(it is not a RootCa or SubordinateCa of this app): pass tier: CaExpiryTier.ROOT, CaExpiryTier.INTERMEDIATE or CaExpiryTier.ISSUING');
    expect(add({ tier: 'LEAF' })).toThrow('tier "LEAF" is not one of ROOT, INTERMEDIATE, ISSUING: use the CaExpiryTier values');
  });

  test('warning not above critical, naming the defaults involved', () => {
    expect(add({ tier: CaExpiryTier.ROOT, criticalDays: 400 })).toThrow(
      'warningDays 365 (the ROOT default) must be more than criticalDays 400: the warning comes first, so give a larger warningDays or a smaller criticalDays');
    expect(add({ tier: CaExpiryTier.ISSUING, warningDays: 30, criticalDays: 30 })).toThrow('warningDays 30 must be more than criticalDays 30');
  });

  test('days that are not whole numbers from 1 to 36500', () => {
    expect(add({ tier: CaExpiryTier.ISSUING, criticalDays: 0 })).toThrow('criticalDays 0 is not a whole number of days from 1 to 36500: give e.g. 180 for a root CA');
    expect(add({ tier: CaExpiryTier.ISSUING, warningDays: 59.5 })).toThrow('warningDays 59.5 is not a whole number of days from 1 to 36500');
    expect(add({ tier: CaExpiryTier.ROOT, warningDays: NaN })).toThrow('warningDays NaN is not a whole number');
  });

  test('a CA of another region', () => {
    expect(add({ tier: CaExpiryTier.ROOT }, 1, 'us-east-1')).toThrow('the CA lives in us-east-1, but this stack deploys to eu-west-1');
  });

  test('a check with no CA, or too many', () => {
    const stack = newStack();
    new CaExpiryCheck(stack, 'Expiry');
    expect(() => Template.fromStack(stack)).toThrow('the CA expiry check watches no CA: pass certificateAuthorities or call addCertificateAuthority(ca).');
    const big = newStack();
    const check = new CaExpiryCheck(big, 'Expiry');
    for (let n = 0; n < 51; n++) {
      const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(big, `Ca${n}`, arn(1).replace(/abcdef$/, n.toString(16).padStart(6, '0')));
      check.addCertificateAuthority(ca, { tier: CaExpiryTier.ISSUING });
    }
    expect(() => Template.fromStack(big)).toThrow('watches 51 CAs, more than 50');
  });
});
