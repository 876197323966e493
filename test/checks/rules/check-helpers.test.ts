import { App, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { blocksAllPublicAccess, deniesInsecureTransport, hasSourceCondition, letsPrivateCaWrite } from '../../../src/checks/bucket-policies';
import { isTrue, joinedText, referencedLogicalId, referencedResource, scalar, UNRESOLVED, viewOf, withResolutionCache } from '../../../src/checks/cfn-references';
import { isCaTemplate, keyFamily, signingFamily } from '../../../src/checks/pki-facts';
import { regionOfArn } from '../../../src/validation/arn-patterns';

describe('pki-facts', () => {
  test('families of keys and signing algorithms', () => {
    expect(['RSA_3072', 'EC_secp521r1', 'SM2', 'ML_DSA_65'].map(keyFamily)).toEqual(['RSA', 'EC', 'SM2', undefined]);
    expect(['SHA384WITHRSA', 'SHA512WITHECDSA', 'SM3WITHSM2', 'ML_DSA_65'].map(signingFamily)).toEqual(['RSA', 'EC', 'SM2', undefined]);
  });

  test('CA templates, end-entity templates and text that is not a template ARN', () => {
    expect(isCaTemplate('arn:aws:acm-pca:::template/RootCACertificate/V1')).toBe(true);
    expect(isCaTemplate('arn:${AWS::Partition}:acm-pca:::template/BlankSubordinateCACertificate_PathLen2_APIPassthrough/V1')).toBe(true);
    expect(isCaTemplate('arn:aws:acm-pca:::template/EndEntityCertificate/V1')).toBe(false);
    expect(isCaTemplate('arn:aws:acm-pca:::template/CodeSigningCertificate/V1')).toBe(false);
    expect(isCaTemplate('RootCACertificate/V1')).toBeUndefined();
  });

  test('regionOfArn', () => {
    expect(regionOfArn('arn:aws:acm:ap-south-1:111111111111:certificate/x')).toBe('ap-south-1');
    expect(regionOfArn('arn:${AWS::Partition}:acm:${AWS::Region}:111111111111:certificate/x')).toBeUndefined();
    expect(regionOfArn('arn:${AWS::Partition}:acm:eu-central-1:${AWS::AccountId}:certificate/x')).toBe('eu-central-1');
    expect(regionOfArn('not-an-arn')).toBeUndefined();
  });
});

describe('cfn-references', () => {
  test('references: Ref, GetAtt (array and dotted), pseudo parameters and other values', () => {
    expect(referencedLogicalId({ Ref: 'Ca' })).toBe('Ca');
    expect(referencedLogicalId({ 'Fn::GetAtt': ['Ca', 'Arn'] })).toBe('Ca');
    expect(referencedLogicalId({ 'Fn::GetAtt': 'Ca.Arn' })).toBe('Ca');
    expect(referencedLogicalId({ Ref: 'AWS::Region' })).toBeUndefined();
    expect(referencedLogicalId({ Ref: 'Ca', Extra: 1 })).toBeUndefined();
    expect(referencedLogicalId('arn:aws:acm-pca:eu-west-1:1:certificate-authority/x')).toBeUndefined();
  });

  test('joinedText flattens joins of strings and pseudo parameters only', () => {
    expect(joinedText({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm:', { Ref: 'AWS::Region' }]] })).toBe('arn:${AWS::Partition}:acm:${AWS::Region}');
    expect(joinedText({ 'Fn::Join': ['', ['arn:', { Ref: 'Param' }]] })).toBeUndefined();
    expect(joinedText(42)).toBeUndefined();
  });

  test('isTrue and scalar tell absent, known and unresolved apart', () => {
    expect([true, 'True', false, 'false', undefined].map(isTrue)).toEqual([true, true, false, false, false]);
    expect(isTrue({ Ref: 'Flag' })).toBe(UNRESOLVED);
    const stack = new Stack(new App(), 'Stack');
    const node = new CfnResource(stack, 'R', { type: 'AWS::SNS::Topic' });
    expect(scalar(node, 'x')).toBe('x');
    expect(scalar(node, undefined)).toBeUndefined();
    expect(scalar(node, stack.region)).toBe(UNRESOLVED);
  });

  test('viewOf renders overrides; referencedResource finds overridden logical IDs; the cache is per pass', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    bucket.overrideLogicalId('CrlBucket');
    bucket.addPropertyOverride('BucketName', 'crl-bucket');
    const view = viewOf(bucket);
    expect(view.logicalId).toBe('CrlBucket');
    expect(view.properties).toEqual({ BucketName: 'crl-bucket' });
    expect(referencedResource(bucket, { Ref: 'CrlBucket' })?.node).toBe(bucket);
    expect(referencedResource(bucket, Fn.getAtt('Missing', 'Arn'))).toBeUndefined();

    withResolutionCache(() => {
      expect(viewOf(bucket)).toBe(viewOf(bucket));
    });
    bucket.addPropertyOverride('BucketName', 'renamed');
    expect(viewOf(bucket).properties.BucketName).toBe('renamed');
  });
});

describe('bucket-policies', () => {
  const write = { Effect: 'Allow', Principal: { Service: 'acm-pca.amazonaws.com' }, Action: 's3:PutObject', Resource: '*' };

  test('Block Public Access: all four on, one off, or not known', () => {
    const on = { BlockPublicAcls: true, BlockPublicPolicy: 'true', IgnorePublicAcls: true, RestrictPublicBuckets: true };
    const view = (config?: object) => ({ properties: { PublicAccessBlockConfiguration: config } }) as any;
    expect(blocksAllPublicAccess(view(on))).toBe(true);
    expect(blocksAllPublicAccess(view({ ...on, IgnorePublicAcls: false }))).toBe(false);
    expect(blocksAllPublicAccess(view())).toBe(false);
    expect(blocksAllPublicAccess(view({ ...on, BlockPublicAcls: { Ref: 'Flag' } }))).toBeUndefined();
  });

  test('TLS-only deny statements', () => {
    expect(deniesInsecureTransport({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': false } } })).toBe(true);
    expect(deniesInsecureTransport({ Effect: 'Deny', Condition: { Bool: { 'aws:securetransport': ['false'] } } })).toBe(true);
    expect(deniesInsecureTransport({ Effect: 'Allow', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })).toBe(false);
    expect(deniesInsecureTransport({ Effect: 'Deny' })).toBe(false);
  });

  test('statements that let Private CA write, and their scoping', () => {
    expect(letsPrivateCaWrite(write)).toBe(true);
    expect(letsPrivateCaWrite({ ...write, Principal: { Service: ['lambda.amazonaws.com', 'acm-pca.ap-east-1.amazonaws.com'] }, Action: ['s3:*'] })).toBe(true);
    expect(letsPrivateCaWrite({ ...write, Action: 's3:GetObject' })).toBe(false);
    expect(letsPrivateCaWrite({ ...write, Principal: { Service: 'cloudfront.amazonaws.com' } })).toBe(false);
    expect(letsPrivateCaWrite({ ...write, Principal: { Service: { Ref: 'Principal' } } })).toBeUndefined();
    expect(letsPrivateCaWrite({ ...write, Effect: 'Deny' })).toBe(false);
    expect(hasSourceCondition({ ...write, Condition: { StringEquals: { 'AWS:SourceAccount': '111111111111' } } })).toBe(true);
    expect(hasSourceCondition({ ...write, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } })).toBe(false);
    expect(hasSourceCondition(write)).toBe(false);
  });
});
