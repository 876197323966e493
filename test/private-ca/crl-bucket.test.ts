import { App, Fn, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CrlBucket } from '../../src/private-ca/crl-bucket';
import { synthTemplate } from '../harness/cfn-lint';

const BUCKET = 'AWS::S3::Bucket';
const POLICY = 'AWS::S3::BucketPolicy';
const DISTRIBUTION = 'AWS::CloudFront::Distribution';
const ACCOUNT = '111111111111';

function newStack(env = true): Stack {
  return new Stack(new App(), 'Stack', env ? { env: { account: ACCOUNT, region: 'eu-west-1' } } : {});
}

/** The logical ID of the only resource of `type` in the stack. */
function logicalIdOf(stack: Stack, type: string): string {
  const ids = Object.keys(synthTemplate(stack).findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

const bucketArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const objectsArn = (id: string, pattern: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, pattern]] });
const distributionArn = (id: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudfront::${ACCOUNT}:distribution/`, { Ref: id }]],
});

/** The statement that lets Private CA write, exactly. */
function privateCaStatement(bucketId: string, account: unknown = ACCOUNT, caArn: unknown = undefined) {
  return {
    Sid: 'AllowPrivateCaToWriteCrls',
    Effect: 'Allow',
    Principal: { Service: 'acm-pca.amazonaws.com' },
    Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketAcl', 's3:GetBucketLocation'],
    Resource: [bucketArn(bucketId), objectsArn(bucketId, '/*')],
    Condition: {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: {
        'aws:SourceArn': caArn ?? { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:acm-pca:eu-west-1:${ACCOUNT}:certificate-authority/*`]] },
      },
    },
  };
}

/** The TLS-only statement of `enforceSSL: true`. */
function sslDenyStatement(bucketId: string) {
  return {
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:*',
    Resource: [bucketArn(bucketId), objectsArn(bucketId, '/*')],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

describe('CrlBucket defaults', () => {
  test('private, TLS-only, versioned, SSE-S3, ACLs disabled, retained, with the Private CA policy', () => {
    const stack = newStack();
    const crl = new CrlBucket(stack, 'Crl');
    const t = synthTemplate(stack);
    const bucketId = logicalIdOf(stack, BUCKET);

    t.resourceCountIs(BUCKET, 1);
    t.hasResource(BUCKET, {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BucketName: Match.absent(),
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LoggingConfiguration: Match.absent(),
      },
    });
    t.resourceCountIs(POLICY, 1);
    t.hasResourceProperties(POLICY, {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: [sslDenyStatement(bucketId), privateCaStatement(bucketId)] },
    });
    // Objects are never deleted automatically, and there is no CloudFront.
    t.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    t.resourceCountIs(DISTRIBUTION, 0);
    t.resourceCountIs('AWS::CloudFront::OriginAccessControl', 0);

    expect(crl.bucket).toBeInstanceOf(s3.Bucket);
    expect(stack.resolve(crl.bucketName)).toEqual({ Ref: bucketId });
    expect(crl.distribution).toBeUndefined();
    expect(crl.crlCname).toBeUndefined();
  });

  test('warns that a private bucket without a distribution or CNAME cannot serve CRLs to clients', () => {
    const stack = newStack();
    new CrlBucket(stack, 'Crl');
    Annotations.fromStack(stack).hasWarning('/Stack/Crl', Match.stringLikeRegexp('clients outside AWS cannot fetch CRLs.*publicDistribution: true'));
  });

  test('in an environment-agnostic stack the conditions use the pseudo parameters', () => {
    const stack = newStack(false);
    new CrlBucket(stack, 'Crl');
    const bucketId = logicalIdOf(stack, BUCKET);
    synthTemplate(stack).hasResourceProperties(POLICY, {
      PolicyDocument: {
        Statement: Match.arrayWith([privateCaStatement(bucketId, { Ref: 'AWS::AccountId' }, {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm-pca:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':certificate-authority/*']],
        })]),
      },
    });
  });
});

describe('CrlBucket props', () => {
  test('bucketName names the bucket and is exposed as given', () => {
    const stack = newStack();
    const crl = new CrlBucket(stack, 'Crl', { bucketName: 'example-corp-crl' });
    synthTemplate(stack).hasResourceProperties(BUCKET, { BucketName: 'example-corp-crl' });
    expect(stack.resolve(crl.bucketName)).toEqual({ Ref: logicalIdOf(stack, BUCKET) });
  });

  test('a bucketName token skips the check', () => {
    const stack = newStack();
    expect(() => new CrlBucket(stack, 'Crl', { bucketName: Lazy.string({ produce: () => 'crl-from-a-token' }) })).not.toThrow();
    synthTemplate(stack).hasResourceProperties(BUCKET, { BucketName: 'crl-from-a-token' });
  });

  test('an owned KMS key encrypts the bucket and lets Private CA use it', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    new CrlBucket(stack, 'Crl', { encryptionKey: key });
    const t = synthTemplate(stack);
    const keyId = logicalIdOf(stack, 'AWS::KMS::Key');
    t.hasResourceProperties(BUCKET, {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        }],
      },
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Principal: { Service: 'acm-pca.amazonaws.com' },
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        }]),
      },
    });
    // No CloudFront statement without a distribution.
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.not(Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' } })])) },
    });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Crl', Match.stringLikeRegexp('imported KMS key'));
  });

  test('an imported KMS key encrypts the bucket and warns that its policy needs the Private CA statement', () => {
    const stack = newStack();
    const arn = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/12345678-1234-1234-1234-123456789012`;
    new CrlBucket(stack, 'Crl', { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', arn) });
    synthTemplate(stack).hasResourceProperties(BUCKET, {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arn } }] },
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Crl', Match.stringLikeRegexp(
      `imported KMS key ${arn} cannot be changed here: allow the service principal acm-pca.amazonaws.com kms:GenerateDataKey and kms:Decrypt`,
    ));
  });

  test('the warning about an imported key whose ARN is a token leaves the ARN out', () => {
    const stack = newStack();
    new CrlBucket(stack, 'Crl', { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', Fn.importValue('CrlKeyArn')), publicDistribution: true });
    Annotations.fromStack(stack).hasWarning('/Stack/Crl', Match.stringLikeRegexp(
      '^The key policy of the imported KMS key cannot be changed here: .*cloudfront.amazonaws.com kms:Decrypt',
    ));
  });

  test('serverAccessLogsBucket turns on access logging', () => {
    // The flag `cdk init` sets: log delivery through the target's bucket policy, not the legacy ACL.
    const app = new App({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
    const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const logs = new s3.Bucket(stack, 'Logs', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED, enforceSSL: true });
    const crl = new CrlBucket(stack, 'Crl', { serverAccessLogsBucket: logs });
    synthTemplate(stack).hasResourceProperties(BUCKET, {
      LoggingConfiguration: { DestinationBucketName: { Ref: stack.getLogicalId(logs.node.defaultChild as s3.CfnBucket) } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(crl.bucket.node.path).toBe('Stack/Crl/Bucket');
  });

  test('removalPolicy DESTROY deletes the bucket with the stack, but never its objects', () => {
    const stack = newStack();
    new CrlBucket(stack, 'Crl', { removalPolicy: RemovalPolicy.DESTROY });
    const t = synthTemplate(stack);
    t.hasResource(BUCKET, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    t.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('customCname without a distribution becomes crlCname without a warning about it', () => {
    const stack = newStack();
    const crl = new CrlBucket(stack, 'Crl', { customCname: 'crl.example.com' });
    synthTemplate(stack).resourceCountIs(DISTRIBUTION, 0);
    expect(crl.crlCname).toBe('crl.example.com');
    Annotations.fromStack(stack).hasNoWarning('/Stack/Crl', Match.anyValue());
  });
});

describe('CrlBucket publicDistribution', () => {
  test('serves crl/* through CloudFront with Origin Access Control while the bucket stays private', () => {
    const stack = newStack();
    const crl = new CrlBucket(stack, 'Crl', { publicDistribution: true });
    const t = synthTemplate(stack);
    const bucketId = logicalIdOf(stack, BUCKET);
    const distributionId = logicalIdOf(stack, DISTRIBUTION);
    const oacId = logicalIdOf(stack, 'AWS::CloudFront::OriginAccessControl');
    const cachePolicyId = logicalIdOf(stack, 'AWS::CloudFront::CachePolicy');

    t.hasResourceProperties(BUCKET, {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    t.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    t.hasResourceProperties(DISTRIBUTION, {
      DistributionConfig: {
        Enabled: true,
        Aliases: Match.absent(),
        Origins: [{
          DomainName: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
          OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
          S3OriginConfig: { OriginAccessIdentity: '' },
        }],
        DefaultCacheBehavior: {
          ViewerProtocolPolicy: 'allow-all',
          AllowedMethods: ['GET', 'HEAD'],
          CachedMethods: ['GET', 'HEAD'],
          CachePolicyId: { Ref: cachePolicyId },
          Compress: false,
        },
      },
    });
    t.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: {
        MinTTL: 0,
        DefaultTTL: 300,
        MaxTTL: 86400,
        ParametersInCacheKeyAndForwardedToOrigin: {
          CookiesConfig: { CookieBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'none' },
          EnableAcceptEncodingGzip: false,
          EnableAcceptEncodingBrotli: false,
        },
      },
    });
    t.hasResourceProperties(POLICY, {
      PolicyDocument: {
        Statement: [
          privateCaStatement(bucketId),
          {
            Sid: 'AllowCloudFrontToReadCrls',
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Resource: objectsArn(bucketId, '/crl/*'),
            Condition: { StringEquals: { 'AWS:SourceArn': distributionArn(distributionId) } },
          },
          {
            Sid: 'DenyInsecureTransportExceptCrlDistribution',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: [bucketArn(bucketId), objectsArn(bucketId, '/*')],
            Condition: {
              Bool: { 'aws:SecureTransport': 'false' },
              ArnNotEquals: { 'aws:SourceArn': distributionArn(distributionId) },
            },
          },
        ],
      },
    });

    expect(crl.distribution).toBeDefined();
    expect(stack.resolve(crl.crlCname)).toEqual({ 'Fn::GetAtt': [distributionId, 'DomainName'] });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Crl', Match.anyValue());
  });

  test('CloudFront can read nothing outside crl/ (audit reports stay private)', () => {
    const stack = newStack();
    new CrlBucket(stack, 'Crl', { publicDistribution: true });
    const statements: any[] = Object.values(synthTemplate(stack).findResources(POLICY))[0].Properties.PolicyDocument.Statement;
    const cloudFront = statements.filter((s) => s.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(cloudFront).toHaveLength(1);
    expect(JSON.stringify(cloudFront[0].Resource)).toContain('/crl/*');
  });

  test('customCname wins over the distribution domain and warns that DNS and the certificate are up to the user', () => {
    const stack = newStack();
    const crl = new CrlBucket(stack, 'Crl', { publicDistribution: true, customCname: 'crl.example.com' });
    synthTemplate(stack).hasResourceProperties(DISTRIBUTION, { DistributionConfig: { Aliases: Match.absent() } });
    expect(crl.crlCname).toBe('crl.example.com');
    Annotations.fromStack(stack).hasWarning('/Stack/Crl', Match.stringLikeRegexp(
      'customCname crl.example.com goes into the CRL distribution point.*creates no DNS record or certificate',
    ));
  });

  test('with an owned KMS key, CloudFront may decrypt through any distribution of the account (no cycle)', () => {
    const stack = newStack();
    new CrlBucket(stack, 'Crl', { publicDistribution: true, encryptionKey: new kms.Key(stack, 'Key') });
    synthTemplate(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { ArnLike: { 'AWS:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudfront::${ACCOUNT}:distribution/*`]] } } },
        }]),
      },
    });
  });

  test('publicDistribution false is the default', () => {
    const stack = newStack();
    new CrlBucket(stack, 'Crl', { publicDistribution: false });
    synthTemplate(stack).resourceCountIs(DISTRIBUTION, 0);
  });
});

describe('CrlBucket.addPolicyDependency', () => {
  test('a CA depends on the bucket policy', () => {
    const stack = newStack();
    const crl = new CrlBucket(stack, 'Crl', { publicDistribution: true });
    const ca = new acmpca.CfnCertificateAuthority(stack, 'Ca', {
      type: 'ROOT',
      keyAlgorithm: 'RSA_2048',
      signingAlgorithm: 'SHA256WITHRSA',
      subject: { commonName: 'Example Root CA' },
      revocationConfiguration: {
        crlConfiguration: {
          enabled: true,
          s3BucketName: crl.bucketName,
          s3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL',
          customCname: crl.crlCname,
          expirationInDays: 7,
        },
      },
    });
    crl.addPolicyDependency(ca);
    const policyId = logicalIdOf(stack, POLICY);
    synthTemplate(stack).hasResource('AWS::ACMPCA::CertificateAuthority', {
      DependsOn: Match.arrayWith([policyId]),
      Properties: {
        RevocationConfiguration: {
          CrlConfiguration: {
            S3BucketName: { Ref: logicalIdOf(stack, BUCKET) },
            CustomCname: { 'Fn::GetAtt': [logicalIdOf(stack, DISTRIBUTION), 'DomainName'] },
          },
        },
      },
    });
  });

  test('a construct that wraps the CA passes the dependency to its resources', () => {
    const stack = newStack();
    const crl = new CrlBucket(stack, 'Crl');
    const wrapper = new Construct(stack, 'Wrapper');
    new acmpca.CfnCertificateAuthority(wrapper, 'Resource', {
      type: 'ROOT',
      keyAlgorithm: 'EC_prime256v1',
      signingAlgorithm: 'SHA256WITHECDSA',
      subject: { commonName: 'Example Root CA' },
      revocationConfiguration: { crlConfiguration: { enabled: true, s3BucketName: crl.bucketName, s3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL' } },
    });
    crl.addPolicyDependency(wrapper);
    synthTemplate(stack).hasResource('AWS::ACMPCA::CertificateAuthority', { DependsOn: [logicalIdOf(stack, POLICY)] });
  });
});

describe('CrlBucket validation', () => {
  test.each<[string, object, string]>([
    ['an uppercase bucket name', { bucketName: 'Example-Crl' },
      'Stack/Crl: bucket name "Example-Crl" contains uppercase letters: S3 bucket names are all lowercase (as in "example-crl").'],
    ['a bucket name with a path', { bucketName: 'example-crl/crl' }, 'Stack/Crl: bucket name "example-crl/crl" contains "/", which S3 does not allow'],
    ['a bucket name of 2 characters', { bucketName: 'ab' }, 'Stack/Crl: bucket name "ab" is 2 characters long: S3 bucket names must be 3 to 63 characters. Lengthen it.'],
    ['an IP-shaped bucket name', { bucketName: '10.0.0.1' }, 'Stack/Crl: bucket name "10.0.0.1" is formatted as an IP address'],
    ['a reserved suffix', { bucketName: 'crl-s3alias' }, 'Stack/Crl: bucket name "crl-s3alias" ends with "-s3alias"'],
    ['a CNAME with http://', { customCname: 'http://crl.example.com' },
      'Stack/Crl: customCname "http://crl.example.com" starts with the protocol prefix "http://": Private CA adds "http://" itself, so give only the host name, as in "crl.example.com".'],
    ['a CNAME with HTTPS://', { customCname: 'HTTPS://crl.example.com', publicDistribution: true }, 'Stack/Crl: customCname "HTTPS://crl.example.com" starts with the protocol prefix "HTTPS://"'],
    ['a CNAME with bad characters', { customCname: 'crl example.com' }, 'Stack/Crl: customCname "crl example.com" contains " ", which Private CA does not allow'],
    ['a CNAME that is too long', { customCname: `${'a'.repeat(250)}.com` }, 'is 254 characters long: Private CA allows at most 253'],
  ])('refuses %s', (_, props, message) => {
    const stack = newStack();
    expect(() => new CrlBucket(stack, 'Crl', props)).toThrow(message);
  });

  test('lists every problem, and creates nothing before throwing', () => {
    const stack = newStack();
    expect(() => new CrlBucket(stack, 'Crl', { bucketName: 'Bad_Name', customCname: 'https://x y' })).toThrow(
      /^Stack\/Crl: \n {2}- bucket name "Bad_Name" contains uppercase.*\n {2}- bucket name "Bad_Name" contains "_".*\n {2}- customCname "https:\/\/x y" starts with.*\n {2}- customCname "https:\/\/x y" contains " "/,
    );
    expect(stack.node.tryFindChild('Crl')?.node.children ?? []).toHaveLength(0);
  });

  test('the error is a PkiValidationError', () => {
    expect(() => new CrlBucket(newStack(), 'Crl', { bucketName: 'x' })).toThrow(expect.objectContaining({ name: 'PkiValidationError' }));
  });

  test('a customCname token skips the check', () => {
    const stack = newStack();
    const crl = new CrlBucket(stack, 'Crl', { customCname: Lazy.string({ produce: () => 'https://not-checked' }) });
    expect(stack.resolve(crl.crlCname)).toBe('https://not-checked');
  });
});
