import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { PkiChecks } from '../../src/checks/pki-checks';
import { CRL_GENERATION_DETAIL_TYPE, CRL_SYNC_RESOURCE_TYPE, CRL_SYNC_TAG_KEY, SYNC_EVENT_KEY } from '../../src/handlers/crl-sync/contract';
import { CrlBucket } from '../../src/private-ca/crl-bucket';
import { RolesAnywhereTrustAnchor, RolesAnywhereTrustAnchorProps } from '../../src/private-ca/roles-anywhere-trust-anchor';
import { RootCa } from '../../src/private-ca/root-ca';
import { PkiValidationError } from '../../src/validation/errors';
import { synthTemplate } from '../harness/cfn-lint';
import { resolveIntrinsics, simulate } from '../harness/template-change';

/**
 * Issue 16 §1: RolesAnywhereTrustAnchor on a CA of this library or an imported one, its profiles and roles, the
 * CRL sync's wiring and IAM (checked with the offline IAM simulator), and the synth-time refusals. Templates are
 * linted (cfn-lint and @aws/cloudformation-validate) after the file (synthTemplate).
 */

const ENV = { account: '123456789012', region: 'us-east-1' };
const CA_ID = '12345678-1234-1234-1234-123456789012';
const CA_ARN = `arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/${CA_ID}`;
const ANCHOR_ARN = 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/aaaaaaaa-0000-4000-8000-000000000001';
const OTHER_ANCHOR_ARN = 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/bbbbbbbb-0000-4000-8000-000000000002';

const newStack = (env = ENV) => new Stack(new App(), 'Stack', { env });
const ofType = (t: any, type: string) => Object.entries<any>(t.Resources).filter(([, r]) => r.Type === type);

function rootCa(stack: Stack, revocation?: 'crl' | 'partitioned' | 'none'): RootCa {
  const bucket = revocation === 'none' ? undefined : new CrlBucket(stack, 'Crl');
  return new RootCa(stack, 'Root', {
    subject: { commonName: 'Hosts Root CA' },
    revocation: bucket === undefined ? { ocsp: true } : { crlBucket: bucket, crlPartitioned: revocation === 'partitioned' },
  });
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PkiValidationError);
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('a trust anchor on a RootCa with a CRL, with a role and a profile', () => {
  const stack = newStack();
  const ca = rootCa(stack, 'crl');
  const anchor = ca.addRolesAnywhereTrustAnchor('Hosts', { endEntityCertificateExpiry: { threshold: Duration.days(14) } });
  const role = anchor.addRole('Deploy', { commonName: 'build-01.example.com', organizationalUnit: 'ci' });
  const profile = anchor.addProfile('Ci', { roles: [role], duration: Duration.hours(2) });
  const t = synthTemplate(stack).toJSON();
  const [[anchorId, anchorResource]] = ofType(t, 'AWS::RolesAnywhere::TrustAnchor');
  const refs = { [anchorId]: { TrustAnchorArn: ANCHOR_ARN } };

  test('an AWS_ACM_PCA trust anchor on the CA, after its activation, with both expiry notifications', () => {
    // RootCa's ARN is a Ref of its activation, so whatever uses it waits for the CA to be active.
    const caId = ofType(t, 'AWS::ACMPCA::CertificateAuthorityActivation')[0][0];
    expect(anchorResource.Properties).toEqual({
      Name: expect.stringMatching(/^[ a-zA-Z0-9\-_]{1,255}$/),
      Enabled: true,
      Source: { SourceType: 'AWS_ACM_PCA', SourceData: { AcmPcaArn: { Ref: caId } } },
      NotificationSettings: [
        { Event: 'CA_CERTIFICATE_EXPIRY', Enabled: true, Channel: 'ALL', Threshold: 45 },
        { Event: 'END_ENTITY_CERTIFICATE_EXPIRY', Enabled: true, Channel: 'ALL', Threshold: 14 },
      ],
    });
    expect(anchor.crlSyncFailureAlarm).toBeDefined();
  });

  test('the CRL sync: a custom resource, a CRL Generation rule on the CA and a daily rule, with a constant input', () => {
    const [[, sync]] = ofType(t, CRL_SYNC_RESOURCE_TYPE);
    const caRef = { Ref: ofType(t, 'AWS::ACMPCA::CertificateAuthorityActivation')[0][0] };
    expect(sync.Properties).toMatchObject({
      CertificateAuthorityArn: caRef,
      BucketName: { Ref: ofType(t, 'AWS::S3::Bucket')[0][0] },
      TrustAnchorArn: { 'Fn::GetAtt': [anchorId, 'TrustAnchorArn'] },
    });
    const rules = ofType(t, 'AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules.find((r) => r.EventPattern)?.EventPattern).toEqual({ 'source': ['aws.acm-pca'], 'detail-type': [CRL_GENERATION_DETAIL_TYPE], 'resources': [caRef] });
    expect(rules.find((r) => r.ScheduleExpression)?.ScheduleExpression).toBe('rate(1 day)');
    for (const rule of rules) {
      const input = JSON.parse(resolveIntrinsics(t, rule.Targets[0].Input, { refs }));
      expect(input[SYNC_EVENT_KEY]).toEqual({ CertificateAuthorityArn: expect.stringMatching(/^arn:aws:acm-pca:/), BucketName: expect.any(String), TrustAnchorArn: ANCHOR_ARN });
      expect(rule.Targets[0].DeadLetterConfig).toBeDefined();
    }
  });

  test('a stack output per profile role with the aws_signing_helper command line', () => {
    const outputs = Object.values<any>(t.Outputs ?? {});
    expect(outputs).toHaveLength(1);
    const joined = JSON.stringify(outputs[0].Value);
    expect(joined).toContain('aws_signing_helper credential-process --certificate /path/to/certificate.pem --private-key /path/to/private-key.pem --trust-anchor-arn ');
    expect(joined).toContain(' --profile-arn ');
    expect(joined).toContain(' --role-arn ');
    expect(profile.credentialProcess(role)).toContain('--role-arn');
    const [[, p]] = ofType(t, 'AWS::RolesAnywhere::Profile');
    expect(p.Properties).toMatchObject({ DurationSeconds: 7200, Enabled: true, RoleArns: [{ 'Fn::GetAtt': [expect.stringMatching(/^RootHostsDeploy/), 'Arn'] }] });
  });

  test('simulated: the role trusts Roles Anywhere from this anchor, for the given CN and OU only', async () => {
    const [[, r]] = ofType(t, 'AWS::IAM::Role').filter(([id]) => id.startsWith('RootHostsDeploy'));
    const trust = resolveIntrinsics(t, r.Properties.AssumeRolePolicyDocument, { refs });
    expect(trust.Statement).toHaveLength(1);
    const call = (action: string, sourceArn: string, cn: string, ou = 'ci') => simulate({
      action,
      resource: 'arn:aws:iam::123456789012:role/deploy',
      principal: 'rolesanywhere.amazonaws.com',
      resourcePolicy: trust,
      context: { 'aws:SourceArn': sourceArn, 'aws:PrincipalTag/x509Subject/CN': cn, 'aws:PrincipalTag/x509Subject/OU': ou },
    });
    for (const action of ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']) {
      expect(await call(action, ANCHOR_ARN, 'build-01.example.com')).toBe('Allowed');
    }
    expect(await call('sts:AssumeRole', OTHER_ANCHOR_ARN, 'build-01.example.com')).toBe('ImplicitlyDenied');
    expect(await call('sts:AssumeRole', ANCHOR_ARN, 'laptop.example.com')).toBe('ImplicitlyDenied');
    expect(await call('sts:AssumeRole', ANCHOR_ARN, 'build-01.example.com', 'dev')).toBe('ImplicitlyDenied');
  });

  test('simulated: the sync may read only its CA\'s CRL and change only the CRLs it tagged for that CA', async () => {
    const [[, policy]] = ofType(t, 'AWS::IAM::Policy').filter(([id]) => id.includes('CrlSyncHandlerPolicy'));
    const statements = resolveIntrinsics(t, policy.Properties.PolicyDocument, { refs }).Statement;
    const bucket = resolveIntrinsics(t, { Ref: ofType(t, 'AWS::S3::Bucket')[0][0] }, { refs });
    const crl = 'arn:aws:rolesanywhere:us-east-1:123456789012:crl/cccccccc-0000-4000-8000-000000000003';
    const name = `cdk-pki-${CA_ID}`;
    const caIdOfTemplate = resolveIntrinsics(t, { Ref: ofType(t, 'AWS::ACMPCA::CertificateAuthorityActivation')[0][0] }, { refs }).split('/').pop();
    expect(await simulate({ statements, action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/crl/${caIdOfTemplate}.crl` })).toBe('Allowed');
    expect(await simulate({ statements, action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/audit-report/x.json` })).toBe('ImplicitlyDenied');
    const tagged = (n: string) => ({ [`aws:ResourceTag/${CRL_SYNC_TAG_KEY}`]: n });
    const own = `cdk-pki-${caIdOfTemplate}`;
    expect(await simulate({ statements, action: 'rolesanywhere:UpdateCrl', resource: crl, context: tagged(own) })).toBe('Allowed');
    expect(await simulate({ statements, action: 'rolesanywhere:UpdateCrl', resource: crl, context: tagged(name) })).toBe('ImplicitlyDenied');
    expect(await simulate({ statements, action: 'rolesanywhere:DeleteCrl', resource: crl })).toBe('ImplicitlyDenied');
    const request = (n: string) => ({ [`aws:RequestTag/${CRL_SYNC_TAG_KEY}`]: n, 'aws:TagKeys': [CRL_SYNC_TAG_KEY] });
    expect(await simulate({ statements, action: 'rolesanywhere:ImportCrl', resource: '*', context: request(own) })).toBe('Allowed');
    expect(await simulate({ statements, action: 'rolesanywhere:ImportCrl', resource: '*', context: request(name) })).toBe('ImplicitlyDenied');
    expect(await simulate({ statements, action: 'rolesanywhere:ImportCrl', resource: '*' })).toBe('ImplicitlyDenied');
  });

  test('the nag packs and PkiChecks find nothing unacknowledged', () => {
    const packs: NagPack[] = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks(), new PkiChecks()];
    const found = packs.flatMap((pack) => pack.validateScope(stack).violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)));
    // The CRL bucket and the CA have their own tests and acknowledgements; only the trust anchor's resources count here.
    expect(found.filter((f) => f.includes('/Hosts/') || f.includes('CdkPkiCrlSync'))).toEqual([]);
  });
});

describe('RolesAnywhereTrustAnchor: CAs, buckets and the sync', () => {
  test('an imported CA with a crlBucket syncs from it; two anchors share one sync Lambda', () => {
    const stack = newStack();
    const ca = RootCa.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN);
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-crls');
    new RolesAnywhereTrustAnchor(stack, 'A', { certificateAuthority: ca, crlBucket: bucket, name: 'hosts a' });
    new RolesAnywhereTrustAnchor(stack, 'B', { certificateAuthority: ca, crlBucket: bucket, enabled: false });
    const t = synthTemplate(stack).toJSON();
    expect(ofType(t, CRL_SYNC_RESOURCE_TYPE).map(([, r]) => r.Properties.BucketName)).toEqual(['my-crls', 'my-crls']);
    expect(ofType(t, 'AWS::Lambda::Function').filter(([, f]) => String(f.Properties.Description).startsWith('cdk-pki: converts'))).toHaveLength(1);
    const anchors = ofType(t, 'AWS::RolesAnywhere::TrustAnchor').map(([, r]) => r.Properties);
    expect(anchors.map((a) => [a.Name, a.Enabled, a.Source.SourceData.AcmPcaArn])).toEqual([['hosts a', true, CA_ARN], [expect.any(String), false, CA_ARN]]);
  });

  test('syncCrl: false on a CA without a CRL makes the trust anchor alone', () => {
    const stack = newStack();
    const anchor = rootCa(stack, 'none').addRolesAnywhereTrustAnchor('Hosts', { syncCrl: false, caCertificateExpiry: { enabled: false } });
    const t = synthTemplate(stack).toJSON();
    expect(ofType(t, CRL_SYNC_RESOURCE_TYPE)).toEqual([]);
    expect(anchor.crlSyncFailureAlarm).toBeUndefined();
    expect(ofType(t, 'AWS::RolesAnywhere::TrustAnchor')[0][1].Properties.NotificationSettings[0]).toEqual(
      { Event: 'CA_CERTIFICATE_EXPIRY', Enabled: false, Channel: 'ALL', Threshold: 45 });
  });

  test('a CA without a CRL, a partitioned CRL, an imported CA without a bucket: errors naming path and fix', () => {
    expect(errorOf(() => rootCa(newStack(), 'none').addRolesAnywhereTrustAnchor('Hosts'))).toBe(
      'Stack/Root/Hosts: the CA Stack/Root has no CRL, so IAM Roles Anywhere could never learn of a revoked certificate and would keep ' +
      'vending credentials for it: give the CA revocation: { crlBucket } (see CrlBucket), or set syncCrl: false if you import CRLs yourself.');
    expect(errorOf(() => rootCa(newStack(), 'partitioned').addRolesAnywhereTrustAnchor('Hosts'))).toMatch(
      /^Stack\/Root\/Hosts: the CA Stack\/Root writes a partitioned CRL, .* set crlPartitioned: false on the CA/);
    const stack = newStack();
    expect(errorOf(() => new RolesAnywhereTrustAnchor(stack, 'Hosts', { certificateAuthority: RootCa.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN) })))
      .toMatch(/^Stack\/Hosts: the CA Stack\/Ca is imported, so where it writes its CRL is unknown: give crlBucket/);
  });

  test('a CA of another region is refused', () => {
    const stack = newStack({ ...ENV, region: 'eu-west-1' });
    const props: RolesAnywhereTrustAnchorProps = {
      certificateAuthority: RootCa.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN), crlBucket: s3.Bucket.fromBucketName(stack, 'B', 'bbb'),
    };
    expect(errorOf(() => new RolesAnywhereTrustAnchor(stack, 'Hosts', props))).toMatch(/is in us-east-1, the trust anchor in eu-west-1/);
  });
});

describe('RolesAnywhereTrustAnchor: validation', () => {
  const anchorOn = () => {
    const stack = newStack();
    return { stack, anchor: rootCa(stack, 'none').addRolesAnywhereTrustAnchor('Hosts', { syncCrl: false }) };
  };
  const make = (props: Partial<RolesAnywhereTrustAnchorProps>) => () => rootCa(newStack(), 'none').addRolesAnywhereTrustAnchor('Hosts', { syncCrl: false, ...props });

  test.each([
    [{ name: 'hosts/prod' }, 'trust anchor name "hosts/prod" is not valid: IAM Roles Anywhere takes 1 to 255 characters'],
    [{ caCertificateExpiry: { threshold: Duration.days(0) } }, 'caCertificateExpiry threshold 0 days is not a whole number of days from 1 to 360'],
    [{ endEntityCertificateExpiry: { threshold: Duration.days(400) } }, 'endEntityCertificateExpiry threshold 400 days'],
    [{ endEntityCertificateExpiry: { threshold: Duration.hours(36) } }, 'endEntityCertificateExpiry threshold 1.5 days'],
    [{ tags: { 'team': 'pki', 'aws:owner': 'x' } }, 'tag key "aws:owner" is not valid'],
    [{ tags: { team: 'pkí' } }, 'tag value "pkí" (key "team") is not valid'],
  ])('%j is refused', (props, message) => {
    expect(errorOf(make(props as Partial<RolesAnywhereTrustAnchorProps>))).toContain(message);
  });

  test('tokens are not checked at synth', () => {
    expect(() => make({ name: Lazy.string({ produce: () => 'late' }) })()).not.toThrow();
  });

  test('profiles: no role, too short or too long a duration, bad names are refused', () => {
    const { stack, anchor } = anchorOn();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('rolesanywhere.amazonaws.com') });
    expect(errorOf(() => anchor.addProfile('P1', { roles: [] }))).toMatch(/^Stack\/Root\/Hosts\/P1: roles is empty/);
    expect(errorOf(() => anchor.addProfile('P2', { roles: [role], duration: Duration.minutes(10) }))).toContain(
      'duration 600 seconds is not a whole number of seconds from 900 (15 minutes) to 43200 (12 hours)');
    expect(errorOf(() => anchor.addProfile('P3', { roles: [role], duration: Duration.hours(13) }))).toContain('duration 46800 seconds');
    expect(errorOf(() => anchor.addProfile('P4', { roles: [role], name: 'a.b' }))).toContain('profile name "a.b" is not valid');
    expect(errorOf(() => anchor.addRole('R2', { commonName: '' }))).toMatch(/^Stack\/Root\/Hosts\/R2: commonName "" is not a certificate subject value/);
  });

  test('a profile with two roles, managed and session policies: one output per role', () => {
    const { stack, anchor } = anchorOn();
    const a = anchor.addRole('A');
    const b = anchor.addRole('B', { commonName: 'b' });
    anchor.addProfile('P', {
      roles: [a, b],
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
      sessionPolicy: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] }),
      requireInstanceProperties: true,
      acceptRoleSessionName: true,
      tags: { team: 'pki' },
    });
    const t = synthTemplate(stack).toJSON();
    expect(Object.keys(t.Outputs)).toHaveLength(2);
    const [[, p]] = ofType(t, 'AWS::RolesAnywhere::Profile');
    expect(p.Properties).toMatchObject({ RequireInstanceProperties: true, AcceptRoleSessionName: true, DurationSeconds: 3600, Tags: [{ Key: 'team', Value: 'pki' }] });
    expect(JSON.parse(JSON.stringify(p.Properties.SessionPolicy))).toBeDefined();
    const trustA = ofType(t, 'AWS::IAM::Role').find(([id]) => id.startsWith('RootHostsA'))![1].Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trustA.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.any(String), 'TrustAnchorArn'] } } });
  });
});
