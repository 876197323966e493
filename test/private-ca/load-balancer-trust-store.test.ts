import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { PkiChecks } from '../../src/checks/pki-checks';
import { CA_BUNDLE_KEY_PREFIX } from '../../src/handlers/ca-bundle/contract';
import { CRL_SYNC_RESOURCE_TYPE } from '../../src/handlers/crl-sync/contract';
import { CrlBucket } from '../../src/private-ca/crl-bucket';
import { LoadBalancerTrustStore, LoadBalancerTrustStoreProps } from '../../src/private-ca/load-balancer-trust-store';
import { RootCa } from '../../src/private-ca/root-ca';
import { SubordinateCa } from '../../src/private-ca/subordinate-ca';
import { synthTemplate } from '../harness/cfn-lint';

/**
 * LoadBalancerTrustStore: the CA bundle published by a custom resource after the CA's activation, the
 * `AWS::ElasticLoadBalancingV2::TrustStore` reading it, the ALB listener wiring, the CRL sync decision, IAM and the nag
 * packs. Templates are linted (cfn-lint and @aws/cloudformation-validate) after the file (synthTemplate).
 */

const ENV = { account: '111111111111', region: 'eu-west-1' };
const CA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/01234567-89ab-cdef-0123-456789abcdef';
const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';
const TRUST_STORE = 'AWS::ElasticLoadBalancingV2::TrustStore';
const BUNDLE = 'Custom::CdkPkiCaBundle';

function newStack(id = 'Stack'): Stack {
  return new Stack(new App(), id, { env: ENV });
}

function rootWithCrl(stack: Stack, crl = true): RootCa {
  return new RootCa(stack, 'Root', {
    subject: { commonName: 'Clients Root CA' },
    revocation: crl ? { crlBucket: new CrlBucket(stack, 'Crl', { publicDistribution: false, customCname: 'crl.example.com' }) } : { ocsp: true },
  });
}

function logicalIdOf(t: Template, type: string): string {
  const ids = Object.keys(t.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('no error');
}

function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data));
}

describe('LoadBalancerTrustStore with a RootCa that has a CRL, on an ALB listener', () => {
  const stack = newStack();
  const ca = rootWithCrl(stack);
  const trustStore = new LoadBalancerTrustStore(stack, 'Clients', { certificateAuthority: ca });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a', 'eu-west-1b'], publicSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
  });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  alb.addListener('Https', {
    port: 443,
    certificates: [acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN)],
    mutualAuthentication: { mutualAuthenticationMode: elbv2.MutualAuthenticationMode.VERIFY, trustStore },
    defaultAction: elbv2.ListenerAction.fixedResponse(200, { contentType: 'text/plain', messageBody: 'hello, client' }),
  });
  const t = synthTemplate(stack);
  const json = t.toJSON();
  const storeId = logicalIdOf(t, TRUST_STORE);
  const bundleId = logicalIdOf(t, BUNDLE);
  const activationId = logicalIdOf(t, 'AWS::ACMPCA::CertificateAuthorityActivation');

  test('the listener verifies client certificates against the trust store', () => {
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      MutualAuthentication: { Mode: 'verify', TrustStoreArn: { 'Fn::GetAtt': [storeId, 'TrustStoreArn'] } },
    });
  });

  test('the trust store reads the published bundle: the bundle\'s bucket and content-addressed key, a valid generated name', () => {
    const bucketId = Object.keys(t.findResources('AWS::S3::Bucket')).find((id) => id.startsWith('ClientsBundleBucket'))!;
    const store = json.Resources[storeId];
    expect(store.Properties).toEqual({
      Name: expect.stringMatching(/^([a-zA-Z0-9]+-)*[a-zA-Z0-9]+$/),
      CaCertificatesBundleS3Bucket: { Ref: bucketId },
      CaCertificatesBundleS3Key: { 'Fn::GetAtt': [bundleId, 'Key'] },
    });
    expect(store.Properties.Name.length).toBeLessThanOrEqual(32);
    expect(stack.resolve(trustStore.trustStoreArn)).toEqual({ 'Fn::GetAtt': [storeId, 'TrustStoreArn'] });
    expect(stack.resolve(trustStore.trustStoreRef)).toEqual({ trustStoreArn: { 'Fn::GetAtt': [storeId, 'TrustStoreArn'] } });
    expect(stack.resolve(trustStore.trustStoreName)).toEqual({ Ref: storeId });
  });

  test('the bundle is published after the CA\'s activation and again whenever the activation\'s chain changes', () => {
    const bundle = json.Resources[bundleId];
    expect(bundle.Properties).toMatchObject({
      CertificateAuthorityArn: { Ref: activationId },
      KeyPrefix: CA_BUNDLE_KEY_PREFIX,
      BucketOwner: '111111111111',
      CaCertificateRevision: { 'Fn::GetAtt': [activationId, 'CompleteCertificateChain'] },
    });
    expect(bundle.DependsOn).toEqual(expect.arrayContaining([activationId]));
  });

  test('the new bundle bucket is private, TLS-only, versioned, encrypted and retained', () => {
    const [id, bucket] = Object.entries(t.findResources('AWS::S3::Bucket')).find(([k]) => k.startsWith('ClientsBundleBucket'))!;
    expect(bucket).toMatchObject({
      UpdateReplacePolicy: 'Retain',
      DeletionPolicy: 'Retain',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the handler may read only this CA\'s certificate and write only under ca-bundles/ of the bundle bucket', () => {
    const bucketId = Object.keys(t.findResources('AWS::S3::Bucket')).find((k) => k.startsWith('ClientsBundleBucket'))!;
    const [, policy] = Object.entries(t.findResources('AWS::IAM::Policy')).find(([k]) => k.startsWith('ClientsBundleHandlerPolicy'))!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'acm-pca:GetCertificateAuthorityCertificate', Resource: { Ref: activationId } },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${CA_BUNDLE_KEY_PREFIX}*`]] } },
    ]);
    expect(json.Resources[bundleId].DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ClientsBundleHandlerPolicy/)]));
  });

  test('revocation: the CRL sync targets the trust store; no TrustStoreRevocation resource (the sync manages the entries)', () => {
    t.hasResourceProperties(CRL_SYNC_RESOURCE_TYPE, {
      CertificateAuthorityArn: { Ref: activationId },
      TrustStoreArn: { 'Fn::GetAtt': [storeId, 'TrustStoreArn'] },
    });
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::TrustStoreRevocation', 0);
    expect(trustStore.crlSyncFunction).toBeDefined();
    expect(trustStore.crlSyncFailureAlarm).toBeDefined();
    expect(warnings(stack).filter((w) => w.includes('revocation'))).toEqual([]);
  });

  test('the nag packs and PkiChecks find nothing unacknowledged outside the app\'s own ALB', () => {
    const packs: NagPack[] = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks(), new PkiChecks()];
    const found = packs.flatMap((pack) => pack.validateScope(stack).violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)));
    expect(found.filter((f) => !/ Stack\/Alb\//.test(f))).toEqual([]);
  });
});

describe('LoadBalancerTrustStore: revocation choices', () => {
  const imported = (stack: Stack) => RootCa.fromCertificateAuthorityArn(stack, 'Imported', CA_ARN);

  test('a CA without a CRL: no sync, and a warning naming the fix; syncCrl: true is an error naming path, value and fix', () => {
    const stack = newStack();
    const ca = rootWithCrl(stack, false);
    new LoadBalancerTrustStore(stack, 'Clients', { certificateAuthority: ca });
    expect(warnings(stack).filter((w) => w.includes('accepts revoked client certificates'))).toEqual([
      expect.stringContaining('give the CA a CRL (revocation: { crlBucket: new CrlBucket(...) }), or set syncCrl: false'),
    ]);
    expect(Object.keys(Template.fromStack(stack).findResources(CRL_SYNC_RESOURCE_TYPE))).toEqual([]);

    expect(errorOf(() => new LoadBalancerTrustStore(stack, 'Strict', { certificateAuthority: ca, syncCrl: true })))
      .toBe('Stack/Strict: syncCrl is true but the CA writes no CRL: give the CA a CRL (revocation: { crlBucket: new CrlBucket(...) }), ' +
        'or set syncCrl: false to trust its certificates without revocation checks.');
  });

  test('syncCrl: false turns the sync off without a warning; with a crlBucket too it is an error', () => {
    const stack = newStack();
    const ca = rootWithCrl(stack);
    new LoadBalancerTrustStore(stack, 'Clients', { certificateAuthority: ca, syncCrl: false });
    expect(Template.fromStack(stack).findResources(CRL_SYNC_RESOURCE_TYPE)).toEqual({});
    expect(warnings(stack).filter((w) => w.includes('revoked'))).toEqual([]);
    const other = s3.Bucket.fromBucketName(stack, 'Other', 'other-crl');
    expect(errorOf(() => new LoadBalancerTrustStore(stack, 'Both', { certificateAuthority: ca, syncCrl: false, crlBucket: other })))
      .toMatch(/^Stack\/Both: crlBucket is given but syncCrl is false/);
  });

  test('a library CA with a CRL and another crlBucket is an error; the same bucket is fine', () => {
    const stack = newStack();
    const ca = rootWithCrl(stack);
    const other = s3.Bucket.fromBucketName(stack, 'Other', 'other-crl');
    expect(errorOf(() => new LoadBalancerTrustStore(stack, 'Elsewhere', { certificateAuthority: ca, crlBucket: other })))
      .toMatch(/crlBucket names another bucket than the one the CA writes its CRLs to/);
    expect(() => new LoadBalancerTrustStore(stack, 'Same', { certificateAuthority: ca, crlBucket: ca.crlBucket!.bucket })).not.toThrow();
  });

  test('a partitioned CRL cannot be synced: a warning by default, an error when the sync is asked for', () => {
    const stack = newStack();
    const ca = new RootCa(stack, 'Root', {
      subject: { commonName: 'Partitioned Root' },
      revocation: { crlBucket: new CrlBucket(stack, 'Crl', { customCname: 'crl.example.com' }), crlPartitioned: true },
    });
    new LoadBalancerTrustStore(stack, 'Clients', { certificateAuthority: ca });
    expect(warnings(stack).some((w) => w.includes('partitioned CRL') && w.includes('set crlPartitioned: false'))).toBe(true);
    expect(errorOf(() => new LoadBalancerTrustStore(stack, 'Strict', { certificateAuthority: ca, syncCrl: true })))
      .toMatch(/^Stack\/Strict: syncCrl is true but the CA writes a partitioned CRL/);
  });

  test('an imported CA syncs from the given crlBucket; without one it warns, or fails when syncCrl: true', () => {
    const stack = newStack();
    const crl = s3.Bucket.fromBucketName(stack, 'ImportedCrl', 'imported-ca-crl');
    new LoadBalancerTrustStore(stack, 'Synced', { certificateAuthority: imported(stack), crlBucket: crl });
    new LoadBalancerTrustStore(stack, 'Unsynced', { certificateAuthority: RootCa.fromCertificateAuthorityArn(stack, 'Imported2', CA_ARN) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties(CRL_SYNC_RESOURCE_TYPE, { CertificateAuthorityArn: CA_ARN, BucketName: 'imported-ca-crl' });
    t.resourceCountIs(CRL_SYNC_RESOURCE_TYPE, 1);
    // An imported CA: no revision property and no dependency to wait for.
    t.hasResourceProperties(BUNDLE, { CertificateAuthorityArn: CA_ARN, CaCertificateRevision: Match.absent() });
    expect(warnings(stack)).toEqual(expect.arrayContaining([expect.stringContaining('The CA is imported and no crlBucket is given')]));
    expect(errorOf(() => new LoadBalancerTrustStore(stack, 'Strict', { certificateAuthority: imported(newStack()), syncCrl: true })))
      .toMatch(/syncCrl is true but the CA is imported and no crlBucket is given.*give crlBucket/);
  });
});

describe('LoadBalancerTrustStore: names, buckets, CAs', () => {
  const build = (props: Partial<LoadBalancerTrustStoreProps>, stack = newStack()) =>
    new LoadBalancerTrustStore(stack, 'Clients', { certificateAuthority: RootCa.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN), syncCrl: false, ...props });

  test('a given name is used; bad names fail with the value and the fix; a token name passes', () => {
    const stack = newStack();
    build({ trustStoreName: 'partner-clients' }, stack);
    Template.fromStack(stack).hasResourceProperties(TRUST_STORE, { Name: 'partner-clients' });
    expect(errorOf(() => build({ trustStoreName: '-bad' }))).toBe('Stack/Clients: trustStoreName "-bad" starts or ends with a hyphen, or has two ' +
      'in a row: use letters, digits and single hyphens between them, such as "partner-clients".');
    expect(errorOf(() => build({ trustStoreName: 'a'.repeat(33) }))).toMatch(/is 33 characters long: ELB trust store names are 1 to 32 characters\. Shorten it\./);
    expect(errorOf(() => build({ trustStoreName: 'with_underscore' }))).toMatch(/has characters ELB does not allow \("_"\)/);
    expect(() => build({ trustStoreName: Lazy.string({ produce: () => 'late-name' }) })).not.toThrow();
  });

  test('a given bucket is used, nothing else created; a KMS-encrypted one lets the handler generate data keys', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'Mine', { encryptionKey: key, enforceSSL: true });
    build({ bucket }, stack);
    const t = Template.fromStack(stack);
    expect(Object.keys(t.findResources('AWS::S3::Bucket'))).toEqual([expect.stringMatching(/^Mine/)]);
    t.hasResourceProperties(TRUST_STORE, { CaCertificatesBundleS3Bucket: { Ref: Match.stringLikeRegexp('^Mine') } });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } }]) },
    });
  });

  test('two trust stores share one bundle provider; a subordinate CA\'s bundle waits for its own activation', () => {
    const stack = newStack();
    const root = rootWithCrl(stack);
    const issuing = new SubordinateCa(stack, 'Issuing', { parent: root, subject: { commonName: 'Issuing' }, revocation: { crlBucket: root.crlBucket } });
    new LoadBalancerTrustStore(stack, 'A', { certificateAuthority: root });
    new LoadBalancerTrustStore(stack, 'B', { certificateAuthority: issuing });
    const t = synthTemplate(stack);
    expect(Object.keys(t.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith('CdkPkiCaBundleProviderHandler'))).toHaveLength(1);
    const issuingActivation = stack.resolve(issuing.activation!.ref);
    t.hasResourceProperties(BUNDLE, { CertificateAuthorityArn: issuingActivation });
  });

  test('a subordinate CA with an external parent and not yet activated: a warning that the bundle needs the import first', () => {
    const stack = newStack();
    const pending = new SubordinateCa(stack, 'Pending', { subject: { commonName: 'External child' } });
    new LoadBalancerTrustStore(stack, 'Clients', { certificateAuthority: pending, syncCrl: false });
    expect(warnings(stack)).toEqual(expect.arrayContaining([expect.stringMatching(/has an external parent and is not activated in this app/)]));
  });

  test('a malformed imported CA ARN fails at synth', () => {
    const stack = newStack();
    const bad = { certificateAuthorityArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/x' } as any;
    bad.node = stack.node;
    expect(() => new LoadBalancerTrustStore(stack, 'Bad', { certificateAuthority: bad, syncCrl: false })).toThrow(/^Stack\/Bad\/Bundle:[\s\S]*names the service "acm", not "acm-pca"/);
  });
});
