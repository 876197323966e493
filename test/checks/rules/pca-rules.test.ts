import { CfnParameter, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { findingsOfRule, newStack } from './findings';
import { SubordinateCa } from '../../../src/private-ca/subordinate-ca';

const IMPORTED_CA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/01234567-89ab-cdef-0123-456789abcdef';
const OCSP_ON = { ocspConfiguration: { enabled: true } };

/** A CA that passes every rule unless `props` says otherwise: tagged, retained, OCSP on. */
function ca(stack: Stack, props: Partial<acmpca.CfnCertificateAuthorityProps> = {}, id = 'Ca'): acmpca.CfnCertificateAuthority {
  const resource = new acmpca.CfnCertificateAuthority(stack, id, {
    type: 'ROOT',
    keyAlgorithm: 'RSA_2048',
    signingAlgorithm: 'SHA256WITHRSA',
    subject: { commonName: `${id} CA` },
    revocationConfiguration: OCSP_ON,
    tags: [{ key: 'owner', value: 'platform' }],
    ...props,
  });
  resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return resource;
}

/** The root's self-signed certificate and activation; returns the activation (whose Ref is the CA ARN). */
function activate(stack: Stack, root: acmpca.CfnCertificateAuthority): acmpca.CfnCertificateAuthorityActivation {
  const id = root.node.id;
  const certificate = new acmpca.CfnCertificate(stack, `${id}Certificate`, {
    certificateAuthorityArn: root.attrArn,
    certificateSigningRequest: root.attrCertificateSigningRequest,
    signingAlgorithm: 'SHA256WITHRSA',
    templateArn: `arn:${stack.partition}:acm-pca:::template/RootCACertificate/V1`,
    validity: { type: 'YEARS', value: 10 },
  });
  return new acmpca.CfnCertificateAuthorityActivation(stack, `${id}Activation`, {
    certificateAuthorityArn: root.attrArn,
    certificate: certificate.attrCertificate,
    status: 'ACTIVE',
  });
}

function acmPermission(stack: Stack, certificateAuthorityArn: string, actions = ['IssueCertificate', 'GetCertificate', 'ListPermissions']): acmpca.CfnPermission {
  return new acmpca.CfnPermission(stack, 'AcmPermission', { certificateAuthorityArn, principal: 'acm.amazonaws.com', actions, sourceAccount: stack.account });
}

function privateCert(stack: Stack, certificateAuthorityArn: string, id = 'Cert'): acm.CfnCertificate {
  return new acm.CfnCertificate(stack, id, { domainName: 'api.internal.example', certificateAuthorityArn });
}

function param(stack: Stack, id: string): string {
  return new CfnParameter(stack, id, { type: 'String' }).valueAsString;
}

describe('PKI-PCA1 weak or unknown CA algorithms (Error)', () => {
  test.each([
    ['RSA_4096', 'SHA512WITHRSA'],
    ['EC_secp521r1', 'SHA512WITHECDSA'],
    ['EC_prime256v1', 'SHA256WITHECDSA'],
    ['SM2', 'SM3WITHSM2'],
  ])('%s with %s is compliant', (keyAlgorithm, signingAlgorithm) => {
    const stack = newStack();
    ca(stack, { keyAlgorithm, signingAlgorithm });
    expect(findingsOfRule(stack, 'PKI-PCA1')).toEqual([]);
  });

  test('an RSA_1024 key is flagged', () => {
    const stack = newStack();
    ca(stack, { keyAlgorithm: 'RSA_1024' });
    expect(findingsOfRule(stack, 'PKI-PCA1')).toEqual(['Error Ca']);
  });

  test('a SHA-1 signature is flagged, even when the key is not known at synth time', () => {
    const stack = newStack();
    ca(stack, { signingAlgorithm: 'SHA1WITHRSA' });
    ca(stack, { keyAlgorithm: param(stack, 'Key'), signingAlgorithm: 'SHA1WITHRSA' }, 'Param');
    expect(findingsOfRule(stack, 'PKI-PCA1')).toEqual(['Error Ca', 'Error Param']);
  });

  test('algorithms from parameters are not reported', () => {
    const stack = newStack();
    ca(stack, { keyAlgorithm: param(stack, 'Key'), signingAlgorithm: param(stack, 'Signing') });
    expect(findingsOfRule(stack, 'PKI-PCA1')).toEqual([]);
  });
});

describe('PKI-PCA2 key and signing families differ (Error)', () => {
  test('matching families are compliant', () => {
    const stack = newStack();
    ca(stack, { keyAlgorithm: 'EC_secp384r1', signingAlgorithm: 'SHA384WITHECDSA' });
    ca(stack, { keyAlgorithm: 'RSA_3072', signingAlgorithm: 'SHA256WITHRSA' }, 'Rsa');
    expect(findingsOfRule(stack, 'PKI-PCA2')).toEqual([]);
  });

  test.each([
    ['RSA_2048', 'SHA256WITHECDSA'],
    ['EC_prime256v1', 'SHA256WITHRSA'],
    ['SM2', 'SHA256WITHRSA'],
  ])('%s with %s is flagged', (keyAlgorithm, signingAlgorithm) => {
    const stack = newStack();
    ca(stack, { keyAlgorithm, signingAlgorithm });
    expect(findingsOfRule(stack, 'PKI-PCA2')).toEqual(['Error Ca']);
  });

  test('a signing algorithm from a parameter is not reported', () => {
    const stack = newStack();
    ca(stack, { keyAlgorithm: 'RSA_2048', signingAlgorithm: param(stack, 'Signing') });
    expect(findingsOfRule(stack, 'PKI-PCA2')).toEqual([]);
  });
});

describe('PKI-PCA3 general-purpose CA without revocation (Warning)', () => {
  test('OCSP or a CRL is compliant', () => {
    const stack = newStack();
    ca(stack);
    ca(stack, { revocationConfiguration: { crlConfiguration: { enabled: true, s3BucketName: 'outside-crl-bucket', s3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL' } } }, 'Crl');
    expect(findingsOfRule(stack, 'PKI-PCA3')).toEqual([]);
  });

  test('no revocation configuration, or both disabled, is flagged', () => {
    const stack = newStack();
    ca(stack, { revocationConfiguration: undefined });
    ca(stack, { usageMode: 'GENERAL_PURPOSE', revocationConfiguration: { crlConfiguration: { enabled: false }, ocspConfiguration: { enabled: false } } }, 'Off');
    expect(findingsOfRule(stack, 'PKI-PCA3')).toEqual(['Warning Ca', 'Warning Off']);
  });

  test('a SHORT_LIVED_CERTIFICATE CA needs no revocation', () => {
    const stack = newStack();
    ca(stack, { usageMode: 'SHORT_LIVED_CERTIFICATE', revocationConfiguration: undefined });
    expect(findingsOfRule(stack, 'PKI-PCA3')).toEqual([]);
  });
});

describe('PKI-PCA4 public CRL object ACL (Error)', () => {
  const crl = (s3ObjectAcl?: string) => ({ crlConfiguration: { enabled: true, s3BucketName: 'outside-crl-bucket', s3ObjectAcl } });

  test('BUCKET_OWNER_FULL_CONTROL, or no CRL, is compliant', () => {
    const stack = newStack();
    ca(stack, { revocationConfiguration: crl('BUCKET_OWNER_FULL_CONTROL') });
    ca(stack, {}, 'NoCrl');
    expect(findingsOfRule(stack, 'PKI-PCA4')).toEqual([]);
  });

  test('PUBLIC_READ, or no S3ObjectAcl (the API default is PUBLIC_READ), is flagged', () => {
    const stack = newStack();
    ca(stack, { revocationConfiguration: crl('PUBLIC_READ') });
    ca(stack, { revocationConfiguration: crl() }, 'NoAcl');
    expect(findingsOfRule(stack, 'PKI-PCA4')).toEqual(['Error Ca', 'Error NoAcl']);
  });
});

describe('PKI-PCA5 CRL bucket of the stack not locked down (Error)', () => {
  /** The policy is only read, never deployed: one concrete resource ARN keeps cfn-lint content. */
  const OBJECTS = 'arn:aws:s3:::my-crl-bucket/*';
  const BPA = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
  const TLS_ONLY = {
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:*',
    Resource: OBJECTS,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  const pcaWrite = (condition?: object) => ({
    Effect: 'Allow',
    Principal: { Service: 'acm-pca.amazonaws.com' },
    Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketAcl', 's3:GetBucketLocation'],
    Resource: OBJECTS,
    ...(condition ? { Condition: condition } : {}),
  });
  const SCOPED = { StringEquals: { 'aws:SourceAccount': '111111111111' } };

  function crlCa(stack: Stack, bucket: s3.CfnBucket | string): void {
    ca(stack, {
      revocationConfiguration: {
        crlConfiguration: {
          enabled: true,
          s3BucketName: typeof bucket === 'string' ? bucket : bucket.ref,
          s3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL',
        },
      },
    });
  }

  function bucketWith(stack: Stack, statements: object[], bpa: object | undefined = BPA, bucketName?: string): s3.CfnBucket {
    const bucket = new s3.CfnBucket(stack, 'CrlBucket', { publicAccessBlockConfiguration: bpa, bucketName });
    new s3.CfnBucketPolicy(stack, 'CrlBucketPolicy', {
      bucket: bucketName ?? bucket.ref,
      policyDocument: { Version: '2012-10-17', Statement: statements },
    });
    return bucket;
  }

  test('BPA, a TLS-only deny and a scoped Private CA statement are compliant', () => {
    const stack = newStack();
    crlCa(stack, bucketWith(stack, [TLS_ONLY, pcaWrite(SCOPED)]));
    expect(findingsOfRule(stack, 'PKI-PCA5')).toEqual([]);
  });

  test('aws:SourceArn scoping is enough too, and a bucket named concretely is found by its BucketName', () => {
    const stack = newStack();
    bucketWith(stack, [TLS_ONLY, pcaWrite({ ArnLike: { 'aws:SourceArn': 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/*' } })], BPA, 'my-crl-bucket');
    crlCa(stack, 'my-crl-bucket');
    expect(findingsOfRule(stack, 'PKI-PCA5')).toEqual([]);
  });

  test('missing Block Public Access is flagged', () => {
    const stack = newStack();
    crlCa(stack, bucketWith(stack, [TLS_ONLY, pcaWrite(SCOPED)], { ...BPA, restrictPublicBuckets: false }));
    expect(findingsOfRule(stack, 'PKI-PCA5')).toEqual(['Error Ca']);
  });

  test('no TLS-only deny is flagged', () => {
    const stack = newStack();
    crlCa(stack, bucketWith(stack, [pcaWrite(SCOPED)]));
    expect(findingsOfRule(stack, 'PKI-PCA5')).toEqual(['Error Ca']);
  });

  test('an unscoped Private CA statement (the console default) is flagged', () => {
    const stack = newStack();
    crlCa(stack, bucketWith(stack, [TLS_ONLY, pcaWrite()]));
    expect(findingsOfRule(stack, 'PKI-PCA5')).toEqual(['Error Ca']);
  });

  test('a bucket outside the stack is not checked', () => {
    const stack = newStack();
    crlCa(stack, 'someone-elses-crl-bucket');
    expect(findingsOfRule(stack, 'PKI-PCA5')).toEqual([]);
  });
});

describe('PKI-PCA6 FIPS level 2 where level 3 exists (Warning)', () => {
  test('the default (level 3) is compliant', () => {
    const stack = newStack();
    ca(stack);
    ca(stack, { keyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER' }, 'Explicit');
    expect(findingsOfRule(stack, 'PKI-PCA6')).toEqual([]);
  });

  test('level 2 in eu-west-1 is flagged', () => {
    const stack = newStack('eu-west-1');
    ca(stack, { keyStorageSecurityStandard: 'FIPS_140_2_LEVEL_2_OR_HIGHER' });
    expect(findingsOfRule(stack, 'PKI-PCA6')).toEqual(['Warning Ca']);
  });

  test('level 2 in ap-northeast-3 (level 2 only) or in an environment-agnostic stack is not', () => {
    const osaka = newStack('ap-northeast-3');
    ca(osaka, { keyStorageSecurityStandard: 'FIPS_140_2_LEVEL_2_OR_HIGHER' });
    expect(findingsOfRule(osaka, 'PKI-PCA6')).toEqual([]);
    const agnostic = newStack(null);
    ca(agnostic, { keyStorageSecurityStandard: 'FIPS_140_2_LEVEL_2_OR_HIGHER' });
    expect(findingsOfRule(agnostic, 'PKI-PCA6')).toEqual([]);
  });
});

describe('PKI-PCA7 end-entity certificate straight from a root (Warning)', () => {
  test('the root\'s own certificate and a subordinate CA certificate are compliant', () => {
    const stack = newStack();
    const root = ca(stack);
    const rootActivation = activate(stack, root);
    const sub = ca(stack, { type: 'SUBORDINATE' }, 'Sub');
    new acmpca.CfnCertificate(stack, 'SubCertificate', {
      certificateAuthorityArn: rootActivation.ref,
      certificateSigningRequest: sub.attrCertificateSigningRequest,
      signingAlgorithm: 'SHA256WITHRSA',
      templateArn: Fn.join('', ['arn:', stack.partition, ':acm-pca:::template/SubordinateCACertificate_PathLen0/V1']),
      validity: { type: 'YEARS', value: 5 },
    });
    expect(findingsOfRule(stack, 'PKI-PCA7')).toEqual([]);
  });

  test('an ACM certificate from a subordinate is compliant; from the root (CA or activation ARN) it is flagged', () => {
    const stack = newStack();
    const root = ca(stack);
    const activation = activate(stack, root);
    const sub = ca(stack, { type: 'SUBORDINATE' }, 'Sub');
    privateCert(stack, sub.attrArn, 'FromSub');
    privateCert(stack, root.attrArn, 'FromRootArn');
    privateCert(stack, activation.ref, 'FromRootActivation');
    expect(findingsOfRule(stack, 'PKI-PCA7')).toEqual(['Warning FromRootActivation', 'Warning FromRootArn']);
  });

  test('an ACMPCA certificate from the root with an end-entity template (or none: the default) is flagged', () => {
    const stack = newStack();
    const root = ca(stack);
    const activation = activate(stack, root);
    const common = { certificateAuthorityArn: activation.ref, certificateSigningRequest: 'CSR', signingAlgorithm: 'SHA256WITHRSA', validity: { type: 'DAYS', value: 30 } };
    new acmpca.CfnCertificate(stack, 'Leaf', { ...common, templateArn: 'arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1' });
    new acmpca.CfnCertificate(stack, 'DefaultTemplate', common);
    expect(findingsOfRule(stack, 'PKI-PCA7')).toEqual(['Warning DefaultTemplate', 'Warning Leaf']);
  });

  test('an imported CA is not checked', () => {
    const stack = newStack();
    privateCert(stack, IMPORTED_CA_ARN);
    expect(findingsOfRule(stack, 'PKI-PCA7')).toEqual([]);
  });
});

describe('PKI-PCA8 CA without the ACM renewal permission (Error)', () => {
  test('a permission for acm.amazonaws.com with the three actions is compliant (permission on the activation ARN)', () => {
    const stack = newStack();
    const activation = activate(stack, ca(stack));
    acmPermission(stack, activation.ref);
    privateCert(stack, activation.ref);
    expect(findingsOfRule(stack, 'PKI-PCA8')).toEqual([]);
  });

  test('a permission on the CA\'s own ARN counts for a certificate that names the activation', () => {
    const stack = newStack();
    const root = ca(stack);
    acmPermission(stack, root.attrArn);
    privateCert(stack, activate(stack, root).ref);
    expect(findingsOfRule(stack, 'PKI-PCA8')).toEqual([]);
  });

  test('no permission is flagged', () => {
    const stack = newStack();
    privateCert(stack, ca(stack).attrArn);
    expect(findingsOfRule(stack, 'PKI-PCA8')).toEqual(['Error Cert']);
  });

  test('a permission without ListPermissions, or on another CA, is flagged', () => {
    const stack = newStack();
    const root = ca(stack);
    acmPermission(stack, root.attrArn, ['IssueCertificate', 'GetCertificate']);
    privateCert(stack, root.attrArn);
    expect(findingsOfRule(stack, 'PKI-PCA8')).toEqual(['Error Cert']);

    const other = newStack();
    acmPermission(other, ca(other, {}, 'Other').attrArn);
    privateCert(other, ca(other).attrArn);
    expect(findingsOfRule(other, 'PKI-PCA8')).toEqual(['Error Cert']);
  });

  test('an imported CA or a CA ARN from a parameter is not checked', () => {
    const stack = newStack();
    privateCert(stack, IMPORTED_CA_ARN);
    privateCert(stack, param(stack, 'CaArn'), 'FromParam');
    expect(findingsOfRule(stack, 'PKI-PCA8')).toEqual([]);
  });
});

describe('PKI-PCA9 ACM certificate from a short-lived CA (Error)', () => {
  test('a general-purpose CA is compliant', () => {
    const stack = newStack();
    const root = ca(stack, { usageMode: 'GENERAL_PURPOSE' });
    acmPermission(stack, root.attrArn);
    privateCert(stack, root.attrArn);
    expect(findingsOfRule(stack, 'PKI-PCA9')).toEqual([]);
  });

  test('a SHORT_LIVED_CERTIFICATE CA is flagged', () => {
    const stack = newStack();
    const root = ca(stack, { usageMode: 'SHORT_LIVED_CERTIFICATE' });
    privateCert(stack, activate(stack, root).ref);
    expect(findingsOfRule(stack, 'PKI-PCA9')).toEqual(['Error Cert']);
  });
});

describe('PKI-PCA10 CA without tags (Warning)', () => {
  test('a tagged CA is compliant', () => {
    const stack = newStack();
    ca(stack);
    expect(findingsOfRule(stack, 'PKI-PCA10')).toEqual([]);
  });

  test('a CA without tags, or with an empty list, is flagged', () => {
    const stack = newStack();
    ca(stack, { tags: undefined });
    ca(stack, { tags: [] }, 'Empty');
    expect(findingsOfRule(stack, 'PKI-PCA10')).toEqual(['Warning Ca', 'Warning Empty']);
  });
});

describe('PKI-PCA11 CA not retained (Warning)', () => {
  test('DeletionPolicy Retain is compliant', () => {
    const stack = newStack();
    ca(stack);
    expect(findingsOfRule(stack, 'PKI-PCA11')).toEqual([]);
  });

  test('DeletionPolicy RetainExceptOnCreate (RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, the constructs\' default) is compliant', () => {
    const stack = newStack();
    ca(stack).applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    expect(findingsOfRule(stack, 'PKI-PCA11')).toEqual([]);
  });

  test('no DeletionPolicy (CloudFormation deletes) or Delete is flagged', () => {
    const stack = newStack();
    const kept = ca(stack);
    kept.cfnOptions.deletionPolicy = undefined;
    kept.cfnOptions.updateReplacePolicy = undefined;
    ca(stack, {}, 'Destroy').applyRemovalPolicy(RemovalPolicy.DESTROY);
    expect(findingsOfRule(stack, 'PKI-PCA11')).toEqual(['Warning Ca', 'Warning Destroy']);
  });
});

describe('PKI-PCA12 retained CA whose activation or ACM permission is not retained (Error)', () => {
  /** A retained root with its activation and an ACM permission on the activation's Ref, each with its own policy. */
  function retainedCa(stack: Stack, policies: { ca?: RemovalPolicy; activation?: RemovalPolicy; permission?: RemovalPolicy }) {
    const root = ca(stack);
    if (policies.ca) root.applyRemovalPolicy(policies.ca);
    const activation = activate(stack, root);
    const permission = acmPermission(stack, activation.ref);
    for (const [resource, policy] of [[activation, policies.activation], [permission, policies.permission]] as const) {
      if (policy) resource.applyRemovalPolicy(policy);
    }
    return { root, activation, permission };
  }

  test.each([
    ['Retain everywhere', { activation: RemovalPolicy.RETAIN, permission: RemovalPolicy.RETAIN }],
    ['RetainExceptOnCreate everywhere', {
      ca: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      activation: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      permission: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    }],
    ['a Retain CA with RetainExceptOnCreate dependents', { activation: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, permission: RemovalPolicy.RETAIN }],
  ])('%s is compliant', (_name, policies) => {
    const stack = newStack();
    retainedCa(stack, policies);
    expect(findingsOfRule(stack, 'PKI-PCA12')).toEqual([]);
  });

  test('a retained CA whose activation has no DeletionPolicy (CloudFormation deletes it, disabling the CA) is flagged', () => {
    const stack = newStack();
    retainedCa(stack, { permission: RemovalPolicy.RETAIN });
    expect(findingsOfRule(stack, 'PKI-PCA12')).toEqual(['Error Ca']);
  });

  test('a retained CA whose ACM permission is deleted (DESTROY), named directly by the CA\'s ARN, is flagged', () => {
    const stack = newStack();
    const root = ca(stack);
    activate(stack, root).applyRemovalPolicy(RemovalPolicy.RETAIN);
    acmPermission(stack, root.attrArn).applyRemovalPolicy(RemovalPolicy.DESTROY);
    expect(findingsOfRule(stack, 'PKI-PCA12')).toEqual(['Error Ca']);
  });

  test('a CA that is not retained is left to PKI-PCA11; a retained CA without activation or permission is compliant', () => {
    const stack = newStack();
    retainedCa(stack, { ca: RemovalPolicy.DESTROY });
    ca(stack, {}, 'Alone');
    expect(findingsOfRule(stack, 'PKI-PCA12')).toEqual([]);
  });

  test('a permission on another CA, or on an imported CA, does not count', () => {
    const stack = newStack();
    retainedCa(stack, { activation: RemovalPolicy.RETAIN, permission: RemovalPolicy.RETAIN });
    new acmpca.CfnPermission(stack, 'Imported', { certificateAuthorityArn: IMPORTED_CA_ARN, principal: 'acm.amazonaws.com', actions: ['IssueCertificate'] });
    new acmpca.CfnPermission(stack, 'Param', { certificateAuthorityArn: param(stack, 'CaArn'), principal: 'acm.amazonaws.com', actions: ['IssueCertificate'] });
    expect(findingsOfRule(stack, 'PKI-PCA12')).toEqual([]);
  });
});

describe('PKI-PCA13 IssueCertificate without an acm-pca:TemplateArn condition (Error)', () => {
  const END_ENTITY = 'arn:aws:acm-pca:::template/EndEntityCertificate/V1';

  function policy(stack: Stack, id: string, statement: Record<string, unknown>): void {
    new iam.CfnManagedPolicy(stack, id, { policyDocument: { Version: '2012-10-17', Statement: [statement] } });
  }

  test('IssueCertificate restricted to templates (StringEquals, ArnLike, or StringNotEquals listing the CA templates) is compliant', () => {
    const stack = newStack();
    policy(stack, 'Equals', { Effect: 'Allow', Action: 'acm-pca:IssueCertificate', Resource: IMPORTED_CA_ARN, Condition: { StringEquals: { 'acm-pca:TemplateArn': END_ENTITY } } });
    policy(stack, 'Like', { Effect: 'Allow', Action: ['acm-pca:Issue*'], Resource: '*', Condition: { ArnLike: { 'acm-pca:TemplateArn': ['arn:aws:acm-pca:::template/EndEntity*'] } } });
    policy(stack, 'Not', {
      Effect: 'Allow',
      Action: 'acm-pca:*',
      Resource: '*',
      Condition: { StringNotLike: { 'acm-pca:TemplateArn': 'arn:aws:acm-pca:::template/*CACertificate*' } },
    });
    expect(findingsOfRule(stack, 'PKI-PCA13')).toEqual([]);
  });

  test.each([
    ['the exact action', 'acm-pca:IssueCertificate', undefined],
    ['a service wildcard', 'acm-pca:*', undefined],
    ['a prefix wildcard in another case', 'ACM-PCA:issue*', undefined],
    ['a condition on another key only', 'acm-pca:IssueCertificate', { StringEquals: { 'aws:PrincipalAccount': '111111111111' } }],
    ['a TemplateArn condition that matches everything', 'acm-pca:IssueCertificate', { StringLike: { 'acm-pca:TemplateArn': '*' } }],
    ['a Null test on TemplateArn', 'acm-pca:IssueCertificate', { Null: { 'acm-pca:TemplateArn': 'false' } }],
  ])('%s without a real TemplateArn condition is flagged', (_name, action, condition) => {
    const stack = newStack();
    policy(stack, 'Issuer', { Effect: 'Allow', Action: action, Resource: IMPORTED_CA_ARN, ...(condition ? { Condition: condition } : {}) });
    expect(findingsOfRule(stack, 'PKI-PCA13')).toEqual(['Error Issuer']);
  });

  test('inline policies of a role, user or group, and AWS::IAM::Policy, are read too', () => {
    const stack = newStack();
    const statement = { Effect: 'Allow', Action: ['acm-pca:GetCertificate', 'acm-pca:IssueCertificate'], Resource: '*' };
    const assumedBy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    new iam.CfnRole(stack, 'Role', { assumeRolePolicyDocument: assumedBy, policies: [{ policyName: 'issue', policyDocument: { Statement: [statement] } }] });
    new iam.CfnUser(stack, 'User', { policies: [{ policyName: 'issue', policyDocument: { Statement: statement } }] });
    new iam.CfnGroup(stack, 'Group', { policies: [{ policyName: 'issue', policyDocument: { Statement: [statement] } }] });
    new iam.CfnPolicy(stack, 'Inline', { policyName: 'issue', groups: ['g'], policyDocument: { Statement: [statement] } });
    expect(findingsOfRule(stack, 'PKI-PCA13')).toEqual(['Error Group', 'Error Inline', 'Error Role', 'Error User']);
  });

  test('Deny statements, other acm-pca actions and a bare * action are not this rule\'s business', () => {
    const stack = newStack();
    policy(stack, 'Deny', { Effect: 'Deny', Action: 'acm-pca:IssueCertificate', Resource: '*' });
    policy(stack, 'Revoke', { Effect: 'Allow', Action: ['acm-pca:RevokeCertificate', 'acm-pca:Get*'], Resource: '*' });
    policy(stack, 'Admin', { Effect: 'Allow', Action: '*', Resource: '*' });
    expect(findingsOfRule(stack, 'PKI-PCA13')).toEqual([]);
  });

  test('grantIssueCertificate of aws-cdk-lib-style raw grants is flagged; this library\'s default grant is not', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Raw', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['acm-pca:IssueCertificate'], resources: [IMPORTED_CA_ARN] }));
    const granted = new iam.Role(stack, 'Granted', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    SubordinateCa.fromCertificateAuthorityArn(stack, 'Imported', IMPORTED_CA_ARN).grantIssueCertificate(granted);
    expect(findingsOfRule(stack, 'PKI-PCA13')).toEqual(['Error Raw/DefaultPolicy/Resource']);
  });
});
