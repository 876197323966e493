import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { AwsSolutionsChecks, NagPack, NIST80053R5Checks } from 'cdk-nag';
import { PkiChecks } from '../../src/checks/pki-checks';
import { CloudFrontTrustStore } from '../../src/private-ca/cloudfront-trust-store';
import { CrlBucket } from '../../src/private-ca/crl-bucket';
import { RootCa } from '../../src/private-ca/root-ca';
import { synthTemplate } from '../harness/cfn-lint';

/**
 * CloudFrontTrustStore: an `AWS::CloudFront::TrustStore` reading the published CA bundle (bucket, key and the bucket's
 * region), OCSP as its only revocation check, and the viewer mTLS wiring through the distribution's L1.
 */

const ENV = { account: '111111111111', region: 'us-east-1' };
const CA_ARN = 'arn:aws:acm-pca:us-east-1:111111111111:certificate-authority/01234567-89ab-cdef-0123-456789abcdef';
const TYPE = 'AWS::CloudFront::TrustStore';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: ENV });
}

describe('CloudFrontTrustStore on a RootCa with OCSP, wired into a distribution\'s viewer mTLS', () => {
  const stack = newStack();
  const ca = new RootCa(stack, 'Root', {
    subject: { commonName: 'Viewers Root CA' },
    revocation: { ocsp: true, crlBucket: new CrlBucket(stack, 'Crl', { customCname: 'crl.example.com' }) },
  });
  const trustStore = new CloudFrontTrustStore(stack, 'Viewers', { certificateAuthority: ca, useClientCertificateOcspEndpoint: true });
  const distribution = new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('origin.example.com') } });
  (distribution.node.defaultChild as cloudfront.CfnDistribution).addPropertyOverride('DistributionConfig.ViewerMtlsConfig', {
    Mode: 'required',
    TrustStoreConfig: { TrustStoreId: trustStore.trustStoreId },
  });
  const t = synthTemplate(stack);
  const storeId = Object.keys(t.findResources(TYPE))[0];
  const bundleId = Object.keys(t.findResources('Custom::CdkPkiCaBundle'))[0];
  const bucketId = Object.keys(t.findResources('AWS::S3::Bucket')).find((id) => id.startsWith('ViewersBundleBucket'))!;

  test('the trust store reads the bundle from its bucket, key and region, with OCSP checks on', () => {
    expect(t.toJSON().Resources[storeId].Properties).toEqual({
      Name: expect.stringMatching(/^\S{1,64}$/),
      CaCertificatesBundleSource: {
        CaCertificatesBundleS3Location: { Bucket: { Ref: bucketId }, Key: { 'Fn::GetAtt': [bundleId, 'Key'] }, Region: 'us-east-1' },
      },
      UseClientCertificateOCSPEndpoint: true,
    });
  });

  test('the distribution names the trust store by ID; the reference carries ID and ARN', () => {
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: { ViewerMtlsConfig: { Mode: 'required', TrustStoreConfig: { TrustStoreId: { 'Fn::GetAtt': [storeId, 'Id'] } } } },
    });
    expect(stack.resolve(trustStore.trustStoreRef)).toEqual({
      trustStoreId: { 'Fn::GetAtt': [storeId, 'Id'] },
      trustStoreArn: { 'Fn::GetAtt': [storeId, 'Arn'] },
    });
  });

  test('no unacknowledged nag or PkiChecks finding on the trust store and its bundle', () => {
    const packs: NagPack[] = [new AwsSolutionsChecks(), new NIST80053R5Checks(), new PkiChecks()];
    const found = packs.flatMap((pack) => pack.validateScope(stack).violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)));
    expect(found.filter((f) => / Stack\/(Viewers|CdkPkiCaBundleProvider)\//.test(f))).toEqual([]);
  });
});

describe('CloudFrontTrustStore props', () => {
  test('defaults: OCSP left to CloudFront\'s default (off); a given name is used; an env-agnostic stack uses the deploy region', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new CloudFrontTrustStore(stack, 'Viewers', { certificateAuthority: RootCa.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN), trustStoreName: 'partner_viewers' });
    Template.fromStack(stack).hasResourceProperties(TYPE, {
      Name: 'partner_viewers',
      UseClientCertificateOCSPEndpoint: Match.absent(),
      CaCertificatesBundleSource: { CaCertificatesBundleS3Location: { Region: { Ref: 'AWS::Region' } } },
    });
  });

  test('bad names fail with the path, the value and the fix', () => {
    const stack = newStack();
    const ca = RootCa.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN);
    expect(() => new CloudFrontTrustStore(stack, 'Empty', { certificateAuthority: ca, trustStoreName: '' }))
      .toThrow('Stack/Empty: trustStoreName "" is 0 characters long: give 1 to 128 characters, or leave it out to get a generated one.');
    expect(() => new CloudFrontTrustStore(stack, 'Spaced', { certificateAuthority: ca, trustStoreName: 'partner viewers' }))
      .toThrow(/^Stack\/Spaced: trustStoreName "partner viewers" has whitespace or control characters/);
  });
});
