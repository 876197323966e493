import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AuditReportFormat, CertificateAuthorityAuditReport } from '../../src/private-ca/audit-report';
import { CrlBucket } from '../../src/private-ca/crl-bucket';
import { RootCa } from '../../src/private-ca/root-ca';
import { shortestCronGap, validateAuditSchedule } from '../../src/validation/audit-schedule';
import { synthTemplate } from '../harness/cfn-lint';

const TYPE = 'Custom::CdkPkiCaAuditReport';
const ACCOUNT = '111111111111';
const CA_ARN = `arn:aws:acm-pca:eu-west-1:${ACCOUNT}:certificate-authority/01234567-89ab-cdef-0123-456789abcdef`;
const PCA_ACTIONS = ['acm-pca:CreateCertificateAuthorityAuditReport', 'acm-pca:DescribeCertificateAuthorityAuditReport'];

function newStack(env = true): Stack {
  return new Stack(new App(), 'Stack', env ? { env: { account: ACCOUNT, region: 'eu-west-1' } } : {});
}

function imported(stack: Stack, arn = CA_ARN, id = 'Ca'): acmpca.ICertificateAuthority {
  return acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, id, arn);
}

/** Every statement of every IAM policy in the template. */
function iamStatements(t: Template): any[] {
  return (Object.values(t.findResources('AWS::IAM::Policy')) as any[]).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('CertificateAuthorityAuditReport', () => {
  test('defaults: a JSON report on deploy, the bucket policy Private CA needs, scoped IAM and no schedule', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const report = new CertificateAuthorityAuditReport(stack, 'Report', { certificateAuthority: imported(stack), bucket });
    const t = synthTemplate(stack);
    const bucketId = t.getResourceId('AWS::S3::Bucket');
    const bucketArn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
    const objectsArn = { 'Fn::Join': ['', [bucketArn, '/*']] };
    t.hasResource(TYPE, {
      Properties: { CertificateAuthorityArn: CA_ARN, S3BucketName: { Ref: bucketId }, AuditReportResponseFormat: 'JSON' },
      // its bucket policy, and its own IAM policy on the handler role (deleted after it: issue 13, item 2)
      DependsOn: [t.getResourceId('AWS::S3::BucketPolicy'), t.getResourceId('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^ReportHandlerPolicy') } })],
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'acm-pca.amazonaws.com' },
          Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketAcl', 's3:GetBucketLocation'],
          Resource: [bucketArn, objectsArn],
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': CA_ARN } },
        }],
      },
    });
    const statements = iamStatements(t);
    expect(statements).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: PCA_ACTIONS, Resource: CA_ARN },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: objectsArn },
      { Effect: 'Allow', Action: 's3:GetBucketAcl', Resource: bucketArn },
    ]));
    for (const s of statements) expect([s.Resource].flat()).not.toContain('*');
    t.resourceCountIs('AWS::Events::Rule', 0);
    t.resourcePropertiesCountIs('AWS::Lambda::Function', { Description: 'src/handlers/audit-report/audit-report.lambda.ts', Runtime: 'nodejs22.x' }, 1);
    const reportId = Object.keys(t.findResources(TYPE))[0];
    expect(stack.resolve(report.auditReportId)).toEqual({ 'Fn::GetAtt': [reportId, 'AuditReportId'] });
    expect(stack.resolve(report.s3Key)).toEqual({ 'Fn::GetAtt': [reportId, 'S3Key'] });
    expect(report.scheduleRule).toBeUndefined();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('CSV on a daily schedule: the rule invokes the shared handler with the report parameters', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const report = new CertificateAuthorityAuditReport(stack, 'Report', {
      certificateAuthority: imported(stack), bucket, format: AuditReportFormat.CSV, schedule: events.Schedule.rate(Duration.days(1)),
    });
    const t = synthTemplate(stack);
    t.hasResourceProperties(TYPE, { AuditReportResponseFormat: 'CSV' });
    const handlerId = t.getResourceId('AWS::Lambda::Function', { Properties: { Description: 'src/handlers/audit-report/audit-report.lambda.ts' } });
    const rule = Object.values(t.findResources('AWS::Events::Rule'))[0] as any;
    expect(rule.Properties.ScheduleExpression).toBe('rate(1 day)');
    expect(rule.DependsOn).toEqual([Object.keys(t.findResources(TYPE))[0]]);
    expect(rule.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [handlerId, 'Arn'] });
    const input = stack.resolve(rule.Properties.Targets[0].Input);
    expect(JSON.stringify(input)).toContain('cdkPkiScheduledAuditReport');
    expect(JSON.stringify(input)).toContain('\\"AuditReportResponseFormat\\":\\"CSV\\"');
    t.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com', FunctionName: { 'Fn::GetAtt': [handlerId, 'Arn'] } });
    expect(report.scheduleRule).toBeDefined();
  });

  test('one handler per stack; each report has its own IAM policy on the handler role, for its CA and bucket', () => {
    const stack = newStack();
    const a = new s3.Bucket(stack, 'A');
    const b = new s3.Bucket(stack, 'B');
    const other = CA_ARN.replace('01234567', '76543210');
    new CertificateAuthorityAuditReport(stack, 'R1', { certificateAuthority: imported(stack), bucket: a });
    new CertificateAuthorityAuditReport(stack, 'R2', { certificateAuthority: imported(stack, other, 'Other'), bucket: b });
    const t = synthTemplate(stack);
    t.resourcePropertiesCountIs('AWS::Lambda::Function', { Description: 'src/handlers/audit-report/audit-report.lambda.ts' }, 1);
    expect(stack.node.tryFindChild('CdkPkiAuditReportProvider')).toBeDefined();
    expect(iamStatements(t)).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: PCA_ACTIONS, Resource: CA_ARN },
      { Effect: 'Allow', Action: PCA_ACTIONS, Resource: other },
    ]));
    for (const id of ['R1', 'R2']) {
      const policy = t.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp(`^${id}HandlerPolicy`) } });
      expect(Object.keys(policy)).toHaveLength(1);
      expect(JSON.stringify(policy)).toContain(id === 'R1' ? CA_ARN : other);
    }
  });

  test('tokens: a CA of this app in an environment-agnostic stack, waited for through its activation', () => {
    const stack = newStack(false);
    const root = new RootCa(stack, 'Root', { subject: { commonName: 'Root' } });
    new CertificateAuthorityAuditReport(stack, 'Report', { certificateAuthority: root, bucket: new s3.Bucket(stack, 'Bucket') });
    const t = synthTemplate(stack);
    const activationId = t.getResourceId('AWS::ACMPCA::CertificateAuthorityActivation');
    t.hasResource(TYPE, { Properties: { CertificateAuthorityArn: { Ref: activationId } }, DependsOn: Match.arrayWith([activationId]) });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': { Ref: activationId } } },
        })],
      },
    });
  });

  test('an imported bucket gets a warning instead of a policy statement', () => {
    const stack = newStack();
    new CertificateAuthorityAuditReport(stack, 'Report', { certificateAuthority: imported(stack), bucket: s3.Bucket.fromBucketName(stack, 'Imported', 'my-audit-bucket') });
    const t = synthTemplate(stack);
    t.resourceCountIs('AWS::S3::BucketPolicy', 0);
    t.hasResourceProperties(TYPE, { S3BucketName: 'my-audit-bucket' });
    Annotations.fromStack(stack).hasWarning('/Stack/Report', Match.stringLikeRegexp('The policy of bucket Stack/Imported is not managed by this stack: make sure it lets the service principal acm-pca.amazonaws.com'));
  });

  test('the bucket of a CrlBucket already lets the account\'s CAs write; addBucketPolicy: false adds nothing either', () => {
    const stack = newStack();
    const ca = imported(stack);
    const crl = new CrlBucket(stack, 'Crl');
    new CertificateAuthorityAuditReport(stack, 'Report', { certificateAuthority: ca, bucket: crl.bucket });
    const own = new s3.Bucket(stack, 'Own');
    new CertificateAuthorityAuditReport(stack, 'Report2', { certificateAuthority: ca, bucket: own, addBucketPolicy: false });
    const t = synthTemplate(stack);
    t.resourceCountIs('AWS::S3::BucketPolicy', 1);
    expect(JSON.stringify(t.findResources('AWS::S3::BucketPolicy'))).not.toContain(CA_ARN);
    Annotations.fromStack(stack).hasNoWarning('/Stack/Report', Match.anyValue());
    Annotations.fromStack(stack).hasNoWarning('/Stack/Report2', Match.anyValue());
  });

  test('a KMS-encrypted bucket warns that the key policy must let Private CA in', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: new kms.Key(stack, 'Key') });
    new CertificateAuthorityAuditReport(stack, 'Report', { certificateAuthority: imported(stack), bucket });
    synthTemplate(stack);
    Annotations.fromStack(stack).hasWarning('/Stack/Report', Match.stringLikeRegexp('encrypted with a KMS key: its key policy must let acm-pca.amazonaws.com'));
  });

  test('a schedule of exactly 30 minutes is accepted, and a token expression is not checked', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const ca = imported(stack);
    new CertificateAuthorityAuditReport(stack, 'A', { certificateAuthority: ca, bucket, schedule: events.Schedule.rate(Duration.minutes(30)) });
    new CertificateAuthorityAuditReport(stack, 'B', {
      certificateAuthority: ca, bucket, schedule: events.Schedule.expression(Lazy.string({ produce: () => 'rate(1 hour)' })),
    });
    const rules = Object.values(synthTemplate(stack).findResources('AWS::Events::Rule')).map((r: any) => r.Properties.ScheduleExpression);
    expect(rules).toEqual(['rate(30 minutes)', 'rate(1 hour)']);
  });
});

describe('CertificateAuthorityAuditReport synth-time errors', () => {
  test.each([
    ['rate(5 minutes)', events.Schedule.rate(Duration.minutes(5)), /schedule "rate\(5 minutes\)" runs every 5 minute\(s\)\. Private CA makes at most one audit report every 30 minutes per CA: use a schedule of Schedule\.rate\(Duration\.minutes\(30\)\) or longer/],
    ['rate(29 minutes)', events.Schedule.rate(Duration.minutes(29)), /runs every 29 minute\(s\)/],
    ['cron every 10 minutes', events.Schedule.cron({ minute: '0/10' }), /schedule "cron\(0\/10 \* \* \* \? \*\)" runs as little as 10 minute\(s\) apart/],
  ])('a schedule more frequent than 30 minutes: %s', (_name, schedule, message) => {
    const stack = newStack();
    expect(() => new CertificateAuthorityAuditReport(stack, 'Report', {
      certificateAuthority: imported(stack), bucket: new s3.Bucket(stack, 'Bucket'), schedule,
    })).toThrow(message);
  });

  test('a bad format, bucket name and CA ARN are reported together with the path', () => {
    const stack = newStack();
    expect(() => new CertificateAuthorityAuditReport(stack, 'Report', {
      certificateAuthority: imported(stack, 'arn:aws:acm-pca:eu-west-1:111111111111:ca/x'),
      bucket: s3.Bucket.fromBucketName(stack, 'B', 'Bad_Bucket'),
      format: 'XML' as AuditReportFormat,
    })).toThrow(/^Stack\/Report: \n {2}- certificate authority ARN .*(\n {2}- bucket name "Bad_Bucket".*)+\n {2}- format "XML" is not JSON or CSV: use AuditReportFormat\.JSON or AuditReportFormat\.CSV\.$/);
  });
});

describe('audit schedule rules (pure)', () => {
  test('rate expressions in minutes, hours and days', () => {
    expect(validateAuditSchedule('rate(1 minute)')).toHaveLength(1);
    expect(validateAuditSchedule('rate(30 minutes)')).toEqual([]);
    expect(validateAuditSchedule('rate(1 hour)')).toEqual([]);
    expect(validateAuditSchedule('rate(7 days)')).toEqual([]);
    expect(validateAuditSchedule('at(2030-01-01T00:00:00)')).toEqual([]);
  });

  test('cron: the shortest gap between runs, across hours and midnight', () => {
    expect(shortestCronGap('0/30 * * * ? *')).toBe(30);
    expect(shortestCronGap('0,20 * * * ? *')).toBe(20);
    expect(shortestCronGap('50 * * * ? *')).toBe(60);
    expect(shortestCronGap('0 0/6 * * ? *')).toBe(360);
    expect(shortestCronGap('50 23,0 * * ? *')).toBe(60);
    expect(shortestCronGap('10 0,23 * * ? *')).toBe(60);
    expect(shortestCronGap('55 23 * * ? *')).toBe(1440);
    expect(shortestCronGap('0 12 ? * MON-FRI *')).toBeUndefined();
    expect(shortestCronGap('50,5 23,0 ? * MON *')).toBe(45);
    expect(shortestCronGap('L * * * ? *')).toBeUndefined();
    expect(validateAuditSchedule('cron(15-40/5 8 * * ? *)')).toEqual([expect.stringContaining('as little as 5 minute(s) apart')]);
    expect(validateAuditSchedule('cron(0 8 * * ? *)')).toEqual([]);
  });
});
