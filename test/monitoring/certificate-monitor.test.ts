import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AcmEventType } from '../../src/certificates/certificate-base';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { AcmAccountConfiguration } from '../../src/monitoring/acm-account-configuration';
import { CertificateMonitor } from '../../src/monitoring/certificate-monitor';
import { ARNS_PER_RULE, certificateRegionOf, chunk } from '../../src/monitoring/monitoring-helpers';
import { RootCa } from '../../src/private-ca/root-ca';
import { acmPublicLifetimeDays, renewalWindowThresholdDays } from '../../src/validation/renewal-windows';
import { synthTemplate } from '../harness/cfn-lint';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const ALL_TYPES = [
  'ACM Certificate Approaching Expiration',
  'ACM Certificate Expired',
  'ACM Certificate Available',
  'ACM Certificate Renewal Action Required',
  'ACM Certificate Revoked',
];
const HEALTH_CODES = ['AWS_ACM_RENEWAL_STATE_CHANGE', 'CAA_CHECK_FAILURE', 'AWS_ACM_RENEWAL_FAILURE'];
// Issue 17: the default threshold of a certificate imported by ARN (kind unknown) follows the renewal window of a
// DNS-validated certificate: 30 days (16 once public certificates live 47 days, from 2029-03-15); it was 45.
const UNKNOWN_KIND_DEFAULT = renewalWindowThresholdDays('UNKNOWN', acmPublicLifetimeDays(new Date()));

function arn(i: number, region = REGION): string {
  const hex = i.toString(16).padStart(12, '0');
  return `arn:aws:acm:${region}:${ACCOUNT}:certificate/01234567-89ab-cdef-0123-${hex}`;
}

function newStack(region: string | null = REGION, app = new App()): Stack {
  return new Stack(app, `Stack${(region ?? 'Agnostic').replace(/-/g, '')}`, region ? { env: { account: ACCOUNT, region } } : {});
}

function imported(stack: Stack, i: number, region = REGION) {
  return PublicCertificate.fromCertificateArn(stack, `Cert${i}`, arn(i, region));
}

function rulesWithSource(t: Template, source: string): any[] {
  return Object.values(t.findResources('AWS::Events::Rule'))
    .filter((r: any) => r.Properties.EventPattern.source[0] === source);
}

describe('CertificateMonitor defaults', () => {
  const stack = newStack();
  const cert = imported(stack, 1);
  const monitor = new CertificateMonitor(stack, 'Monitor', { certificates: [cert] });
  const t = synthTemplate(stack);

  test('one DaysToExpiry alarm: Minimum over one day below the default of an unknown kind, missing data breaching, topic as action', () => {
    t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/CertificateManager',
      MetricName: 'DaysToExpiry',
      Dimensions: [{ Name: 'CertificateArn', Value: arn(1) }],
      Statistic: 'Minimum',
      Period: 86400,
      EvaluationPeriods: 1,
      Threshold: UNKNOWN_KIND_DEFAULT,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^MonitorTopic') }],
      Region: Match.absent(),
    });
    expect(UNKNOWN_KIND_DEFAULT).toBe(new Date() < new Date('2029-03-15') ? 30 : 16);
    expect(monitor.daysToExpiryThreshold).toBeUndefined();
    expect(monitor.thresholdOf(cert)).toBe(UNKNOWN_KIND_DEFAULT);
    expect(monitor.alarms).toHaveLength(1);
  });

  test('ACM rule: source aws.acm, the five detail types, the certificate ARN, readable message to the topic', () => {
    const acmRules = rulesWithSource(t, 'aws.acm');
    expect(acmRules).toHaveLength(1);
    expect(acmRules[0].Properties.EventPattern).toEqual({
      'source': ['aws.acm'],
      'detail-type': ALL_TYPES,
      'resources': [arn(1)],
    });
    const target = acmRules[0].Properties.Targets[0];
    expect(target.Arn).toEqual({ Ref: expect.stringMatching(/^MonitorTopic/) });
    const paths = Object.values(target.InputTransformer.InputPathsMap);
    expect(paths).toEqual(expect.arrayContaining(['$.detail-type', '$.resources[0]', '$.detail.CommonName', '$.detail.DaysToExpiry']));
    expect(target.InputTransformer.InputTemplate).toMatch(/^"<detail-type> in <region> \(account <account>\): certificate <resources-0->, common name <detail-CommonName>, days to expiry <detail-DaysToExpiry>, /);
  });

  test('Health rule: aws.health, AWS Health Event, service ACM, the three ACM codes, the certificate ARN', () => {
    const health = rulesWithSource(t, 'aws.health');
    expect(health).toHaveLength(1);
    expect(health[0].Properties.EventPattern).toEqual({
      'source': ['aws.health'],
      'detail-type': ['AWS Health Event'],
      'detail': { service: ['ACM'], eventTypeCode: HEALTH_CODES },
      'resources': [arn(1)],
    });
    expect(Object.values(health[0].Properties.Targets[0].InputTransformer.InputPathsMap))
      .toEqual(expect.arrayContaining(['$.detail.eventTypeCode', '$.resources[0]']));
  });

  test('topic encrypted with a rotating KMS key usable by CloudWatch and EventBridge; SSL enforced', () => {
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitorKey'), 'Arn'] } });
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        })]),
      },
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
    expect(monitor.encryptionKey).toBeDefined();
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });
});

describe('CertificateMonitor props', () => {
  test('no certificates: account-wide rules without a resources filter, no alarms', () => {
    const stack = newStack();
    new CertificateMonitor(stack, 'Monitor');
    const t = synthTemplate(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(rulesWithSource(t, 'aws.acm')[0].Properties.EventPattern).toEqual({ 'source': ['aws.acm'], 'detail-type': ALL_TYPES });
    expect(rulesWithSource(t, 'aws.health')[0].Properties.EventPattern).toEqual({
      'source': ['aws.health'], 'detail-type': ['AWS Health Event'], 'detail': { service: ['ACM'], eventTypeCode: HEALTH_CODES },
    });
  });

  test('accountWide with certificates: alarms per certificate, rules without resources', () => {
    const stack = newStack();
    new CertificateMonitor(stack, 'Monitor', { certificates: [imported(stack, 1), imported(stack, 2)], accountWide: true });
    const t = synthTemplate(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    t.resourceCountIs('AWS::Events::Rule', 2);
    expect(rulesWithSource(t, 'aws.acm')[0].Properties.EventPattern.resources).toBeUndefined();
  });

  test('accountWide false without certificates: no rules (CA monitoring only)', () => {
    const stack = newStack();
    new CertificateMonitor(stack, 'Monitor', { accountWide: false });
    synthTemplate(stack).resourceCountIs('AWS::Events::Rule', 0);
  });

  test('daysToExpiryThreshold sets the alarm threshold', () => {
    const stack = newStack();
    new CertificateMonitor(stack, 'Monitor', { certificates: [imported(stack, 1)], daysToExpiryThreshold: 14 });
    synthTemplate(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 14 });
  });

  // B7: non-finite numbers are refused and printed as JavaScript writes them, not as JSON's null.
  test.each([0, 398, 1.5, -3, Infinity, -Infinity, NaN])('daysToExpiryThreshold %p is refused', (days) => {
    const stack = newStack();
    expect(() => new CertificateMonitor(stack, 'Monitor', { daysToExpiryThreshold: days }))
      .toThrow(`Stackeuwest1/Monitor: daysToExpiryThreshold must be a whole number of days from 1 to 397 (public certificates are valid for at most 395 days), got ${days}`);
  });

  test('a token daysToExpiryThreshold is not validated at synth time', () => {
    const stack = newStack();
    new CertificateMonitor(stack, 'Monitor', { certificates: [imported(stack, 1)], daysToExpiryThreshold: Lazy.number({ produce: () => 30 }) });
    synthTemplate(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 30 });
  });

  test.each([1, 397])('daysToExpiryThreshold %p is accepted', (days) => {
    expect(() => new CertificateMonitor(newStack(), 'Monitor', { daysToExpiryThreshold: days })).not.toThrow();
  });

  test('a given topic: no topic or key created, alarms and rules use it', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Mine');
    const monitor = new CertificateMonitor(stack, 'Monitor', { certificates: [imported(stack, 1)], topic });
    const t = synthTemplate(stack);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.resourceCountIs('AWS::KMS::Key', 0);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^Mine') }] });
    expect(rulesWithSource(t, 'aws.acm')[0].Properties.Targets[0].Arn).toEqual({ Ref: expect.stringMatching(/^Mine/) });
    expect(monitor.topic).toBe(topic);
    expect(monitor.encryptionKey).toBeUndefined();
  });

  test('extra targets are added to every rule after the topic', () => {
    const stack = newStack();
    const queue = new sqs.Queue(stack, 'Queue');
    new CertificateMonitor(stack, 'Monitor', { targets: [new targets.SqsQueue(queue)] });
    const t = synthTemplate(stack);
    for (const rule of Object.values(t.findResources('AWS::Events::Rule')) as any[]) {
      expect(rule.Properties.Targets).toHaveLength(2);
      expect(rule.Properties.Targets[1].Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Queue/), 'Arn'] });
    }
  });

  test('events selects the detail types; an empty list and healthEvents false create no rules', () => {
    const stack = newStack();
    new CertificateMonitor(stack, 'Some', { events: [AcmEventType.EXPIRED, AcmEventType.REVOKED, AcmEventType.EXPIRED], healthEvents: false });
    const t = synthTemplate(stack);
    expect(rulesWithSource(t, 'aws.acm')[0].Properties.EventPattern['detail-type']).toEqual(['ACM Certificate Expired', 'ACM Certificate Revoked']);
    expect(rulesWithSource(t, 'aws.health')).toHaveLength(0);

    const other = newStack();
    new CertificateMonitor(other, 'None', { events: [], healthEvents: false });
    synthTemplate(other).resourceCountIs('AWS::Events::Rule', 0);
  });

  test('an unknown event type is refused', () => {
    expect(() => new CertificateMonitor(newStack(), 'Monitor', { events: ['ACM Something' as AcmEventType] }))
      .toThrow('Stackeuwest1/Monitor: unknown ACM event type "ACM Something"; use the AcmEventType values');
  });

  test('dashboard: a DaysToExpiry graph of the certificates with the threshold, 50 metrics per graph', () => {
    const stack = newStack();
    const certs = Array.from({ length: 60 }, (_, i) => imported(stack, i));
    const monitor = new CertificateMonitor(stack, 'Monitor', { certificates: certs, dashboard: true, dashboardName: 'certs' });
    const t = synthTemplate(stack);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const raw = Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody;
    const body = JSON.parse(typeof raw === 'string' ? raw : raw['Fn::Join'][1].join(''));
    expect(body.widgets).toHaveLength(2);
    expect(body.widgets[0].properties.metrics).toHaveLength(50);
    expect(body.widgets[1].properties.metrics).toHaveLength(10);
    // The certificate's own metricDaysToExpiry(): it names the certificate's region.
    expect(body.widgets[0].properties.metrics[0]).toEqual(['AWS/CertificateManager', 'DaysToExpiry', 'CertificateArn', arn(0), { label: arn(0), stat: 'Minimum', period: 86400, region: REGION }]);
    expect(body.widgets[0].properties.annotations.horizontal[0]).toMatchObject({ value: UNKNOWN_KIND_DEFAULT, label: 'alarm threshold' });
    expect(monitor.dashboard).toBeDefined();
  });
});

describe('CertificateMonitor certificates, regions and tokens', () => {
  test('100 certificates: 100 alarms, rules of at most 15 ARNs under the 2,048-character pattern limit, one topic and key', () => {
    const stack = newStack();
    const certs = Array.from({ length: 100 }, (_, i) => imported(stack, i));
    new CertificateMonitor(stack, 'Monitor', { certificates: certs });
    const t = synthTemplate(stack);
    const ruleCount = Math.ceil(100 / ARNS_PER_RULE);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 100);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.resourceCountIs('AWS::KMS::Key', 1);
    for (const source of ['aws.acm', 'aws.health']) {
      const rules = rulesWithSource(t, source);
      expect(rules).toHaveLength(ruleCount);
      const all = rules.flatMap((r) => r.Properties.EventPattern.resources);
      expect(all).toEqual(certs.map((c) => c.certificateArn));
      for (const r of rules) {
        expect(r.Properties.EventPattern.resources.length).toBeLessThanOrEqual(ARNS_PER_RULE);
        expect(JSON.stringify(r.Properties.EventPattern).length).toBeLessThan(2048);
      }
    }
    // Per certificate: one alarm; everything else is constant or one rule pair per 15 certificates.
    const total = Object.keys(t.toJSON().Resources).length;
    expect(total).toBe(100 + 2 * ruleCount + 3 /* key, topic, topic policy */);
  });

  test('a worst-case ARN (GovCloud) keeps a full rule under 2,048 characters', () => {
    const longArn = 'arn:aws-us-gov:acm:us-gov-west-1:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef';
    const pattern = { 'source': ['aws.acm'], 'detail-type': ALL_TYPES, 'resources': Array(ARNS_PER_RULE).fill(longArn) };
    expect(JSON.stringify(pattern).length).toBeLessThan(2048);
    expect(chunk([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
  });

  test('certificates added later and twice: one alarm each, ARNs appended', () => {
    const stack = newStack();
    const a = imported(stack, 1);
    const monitor = new CertificateMonitor(stack, 'Monitor', { certificates: [a, a] });
    monitor.addCertificate(imported(stack, 2));
    monitor.addCertificate(a);
    const t = synthTemplate(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    expect(rulesWithSource(t, 'aws.acm')[0].Properties.EventPattern.resources).toEqual([arn(1), arn(2)]);
  });

  test('token ARNs work: a certificate of the same stack and a Lazy ARN', () => {
    const stack = newStack();
    const native = new acm.Certificate(stack, 'Native', { domainName: 'example.com' });
    const ours = new PublicCertificate(stack, 'Ours', { domainName: 'www.example.com' });
    const lazy = acm.Certificate.fromCertificateArn(stack, 'Lazy', Lazy.string({ produce: () => arn(9) }));
    new CertificateMonitor(stack, 'Monitor', { certificates: [native, ours, lazy] });
    const t = synthTemplate(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: [{ Name: 'CertificateArn', Value: { Ref: Match.stringLikeRegexp('^Native') } }] });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: [{ Name: 'CertificateArn', Value: arn(9) }] });
    expect(rulesWithSource(t, 'aws.acm')[0].Properties.EventPattern.resources).toHaveLength(3);
  });

  test('token certificate in an environment-agnostic stack is taken to be in the stack region', () => {
    const stack = newStack(null);
    const native = new acm.Certificate(stack, 'Native', { domainName: 'example.com' });
    new CertificateMonitor(stack, 'Monitor', { certificates: [native] });
    synthTemplate(stack).resourceCountIs('AWS::CloudWatch::Alarm', 1);
  });

  test('a certificate ARN of another region is refused, naming the certificate, its region and the fix', () => {
    const stack = newStack();
    const cert = imported(stack, 7, 'us-east-1');
    expect(() => new CertificateMonitor(stack, 'Monitor', { certificates: [cert] })).toThrow(
      `Stackeuwest1/Monitor: certificate Stackeuwest1/Cert7 (${arn(7, 'us-east-1')}) lives in us-east-1 but this stack deploys to eu-west-1; ` +
        'CloudWatch alarms and EventBridge rules only see metrics and events of their own region. ' +
        'Monitor it with a CertificateMonitor in a stack in us-east-1 (import it there with PublicCertificate.fromCertificateArn).',
    );
  });

  test('a certificate of a stack in another region (certificateRegion) is refused; an aws-cdk-lib import by ARN too', () => {
    const app = new App();
    const east = newStack('us-east-1', app);
    const cert = new PublicCertificate(east, 'CloudFront', { domainName: 'example.com' });
    const stack = newStack(REGION, app);
    expect(certificateRegionOf(cert)).toBe('us-east-1');
    expect(() => new CertificateMonitor(stack, 'Monitor', { certificates: [cert] }))
      .toThrow(/certificate Stackuseast1\/CloudFront lives in us-east-1 but this stack deploys to eu-west-1/);
    const plain = acm.Certificate.fromCertificateArn(stack, 'Plain', arn(3, 'us-west-2'));
    expect(() => new CertificateMonitor(stack, 'Monitor2', { certificates: [plain] })).toThrow(/lives in us-west-2 but this stack deploys to eu-west-1/);
  });

  test('a concrete ARN in an environment-agnostic stack is refused: the region must be known', () => {
    const stack = newStack(null);
    const cert = acm.Certificate.fromCertificateArn(stack, 'Cert', arn(1));
    expect(() => new CertificateMonitor(stack, 'Monitor', { certificates: [cert] })).toThrow(
      `StackAgnostic/Monitor: certificate StackAgnostic/Cert (${arn(1)}) lives in eu-west-1, but the stack's region is not known at synth time; ` +
        "its DaysToExpiry metric and ACM events exist only in eu-west-1. Give the stack `env: { region: 'eu-west-1' }`.",
    );
  });
});

describe('CertificateMonitor.addCertificateAuthority', () => {
  test('MisconfiguredCRLBucket and IssueCertificate Failure alarms to the topic', () => {
    const stack = newStack();
    const ca = new RootCa(stack, 'Root', { subject: { commonName: 'Root' } });
    const monitor = new CertificateMonitor(stack, 'Monitor', { accountWide: false });
    const alarms = monitor.addCertificateAuthority(ca);
    expect(alarms).toHaveLength(2);
    const t = synthTemplate(stack);
    const common = {
      Namespace: 'AWS/ACMPrivateCA',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^MonitorTopic') }],
    };
    const caArn = stack.resolve(ca.certificateAuthorityArn);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { ...common, MetricName: 'MisconfiguredCRLBucket', Dimensions: [{ Name: 'PrivateCAArn', Value: caArn }] });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...common,
      MetricName: 'Failure',
      Dimensions: [{ Name: 'Operation', Value: 'IssueCertificate' }, { Name: 'PrivateCAArn', Value: caArn }],
    });
  });

  test('an imported CA of another region is refused', () => {
    const stack = newStack();
    const ca = RootCa.fromCertificateAuthorityArn(stack, 'Ca',
      'arn:aws:acm-pca:us-east-1:111111111111:certificate-authority/01234567-89ab-cdef-0123-456789abcdef');
    const monitor = new CertificateMonitor(stack, 'Monitor');
    expect(() => monitor.addCertificateAuthority(ca)).toThrow(/certificate authority Stackeuwest1\/Ca lives in us-east-1 but this stack deploys to eu-west-1/);
  });
});

describe('AcmAccountConfiguration', () => {
  test('defaults to 45 days', () => {
    const stack = newStack();
    const cfg = new AcmAccountConfiguration(stack, 'Acm');
    expect(cfg.daysBeforeExpiry).toBe(45);
    synthTemplate(stack).hasResourceProperties('AWS::CertificateManager::Account', { ExpiryEventsConfiguration: { DaysBeforeExpiry: 45 } });
  });

  test('sets DaysBeforeExpiry', () => {
    const stack = newStack();
    new AcmAccountConfiguration(stack, 'Acm', { daysBeforeExpiry: 30 });
    synthTemplate(stack).hasResourceProperties('AWS::CertificateManager::Account', { ExpiryEventsConfiguration: { DaysBeforeExpiry: 30 } });
  });

  test.each([0, 46, 2.5, Infinity, NaN])('DaysBeforeExpiry %p is refused', (days) => {
    expect(() => new AcmAccountConfiguration(newStack(), 'Acm', { daysBeforeExpiry: days }))
      .toThrow(`Stackeuwest1/Acm: daysBeforeExpiry must be a whole number of days from 1 to 45, got ${days}`);
  });
});
