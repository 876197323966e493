import { ACMPCAClient, DescribeCertificateAuthorityCommand, ListTagsCommand } from '@aws-sdk/client-acm-pca';
import { motoClientConfig, resetMoto } from './moto';
import { deployPcaTemplate, fakeBucketName, PcaTemplateDeployError, splitPem } from './pca-template-driver';

/*
 * The template driver itself, on hand-written templates: intrinsics, conditions, skipped
 * resources, ordering and error messages. (The activation flows are in
 * test/private-ca/activation-moto.test.ts.)
 */

const pca = new ACMPCAClient(motoClientConfig('us-east-1'));

beforeEach(resetMoto);

const ROOT_TEMPLATE_ARN = 'arn:aws:acm-pca:::template/RootCACertificate/V1';

function ca(props: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::ACMPCA::CertificateAuthority',
    Properties: { Type: 'ROOT', KeyAlgorithm: 'RSA_2048', SigningAlgorithm: 'SHA256WITHRSA', Subject: { CommonName: 'Driver Root' }, ...props },
    ...extra,
  };
}

function selfCert(caId: string, props: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::ACMPCA::Certificate',
    Properties: {
      CertificateAuthorityArn: { 'Fn::GetAtt': [caId, 'Arn'] },
      CertificateSigningRequest: { 'Fn::GetAtt': [caId, 'CertificateSigningRequest'] },
      SigningAlgorithm: 'SHA256WITHRSA',
      TemplateArn: ROOT_TEMPLATE_ARN,
      Validity: { Type: 'YEARS', Value: 10 },
      ...props,
    },
    ...extra,
  };
}

function activation(caId: string, certId: string, props: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::ACMPCA::CertificateAuthorityActivation',
    Properties: { CertificateAuthorityArn: { Ref: caId }, Certificate: { 'Fn::GetAtt': [certId, 'Certificate'] }, ...props },
  };
}

async function describeCa(arn: string) {
  return (await pca.send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: arn }))).CertificateAuthority!;
}

async function tags(arn: string): Promise<Record<string, string>> {
  const res = await pca.send(new ListTagsCommand({ CertificateAuthorityArn: arn }));
  return Object.fromEntries((res.Tags ?? []).map((t) => [t.Key!, t.Value!]));
}

async function deployError(template: unknown, options = {}): Promise<PcaTemplateDeployError> {
  try {
    await deployPcaTemplate(template, options);
  } catch (e) {
    expect(e).toBeInstanceOf(PcaTemplateDeployError);
    return e as PcaTemplateDeployError;
  }
  throw new Error('deployPcaTemplate did not throw');
}

describe('deployPcaTemplate', () => {
  test('resolves pseudo parameters, Parameters, Fn::Join/Select/Split/Sub/Base64 and Fn::If', async () => {
    const template = {
      Parameters: {
        Org: { Type: 'String', Default: 'default-org' },
        Unit: { Type: 'String', Default: 'default-unit' },
      },
      Conditions: {
        IsUsEast1: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
        IsOther: { 'Fn::Not': [{ Condition: 'IsUsEast1' }] },
      },
      Resources: {
        Root: ca({
          Subject: {
            CommonName: { 'Fn::Join': ['-', ['ca', { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }]] },
            Organization: { Ref: 'Org' },
            OrganizationalUnit: { Ref: 'Unit' },
            Country: { 'Fn::Select': [1, { 'Fn::Split': [',', 'DE,US,FR'] }] },
          },
          Tags: [
            { Key: 'sub', Value: { 'Fn::Sub': '${AWS::Partition}/${AWS::URLSuffix}/${AWS::StackName}/${!Literal}' } },
            { Key: 'subvars', Value: { 'Fn::Sub': ['${X}-${Unit}', { X: { Ref: 'AWS::Region' } }] } },
            { Key: 'b64', Value: { 'Fn::Base64': 'hi' } },
            { Key: 'if', Value: { 'Fn::If': ['IsOther', 'other', 'east'] } },
          ],
          RevocationConfiguration: { 'Fn::If': ['IsOther', { CrlConfiguration: { Enabled: true } }, { Ref: 'AWS::NoValue' }] },
        }),
        Never: ca({ Subject: { CommonName: 'never' } }, { Condition: 'IsOther' }),
      },
    };
    const d = await deployPcaTemplate(template, { parameters: { Unit: 'given-unit' }, stackName: 'S' });
    expect(Object.keys(d)).toEqual(['Root']);
    const got = await describeCa(d.Root.arn);
    expect(got.CertificateAuthorityConfiguration?.Subject).toEqual({
      CommonName: 'ca-us-east-1-123456789012', Organization: 'default-org', OrganizationalUnit: 'given-unit', Country: 'US',
    });
    expect(got.RevocationConfiguration?.CrlConfiguration?.Enabled).toBe(false); // moto's default: the NoValue branch sent nothing
    expect(await tags(d.Root.arn)).toEqual({ sub: 'aws/amazonaws.com/S/${Literal}', subvars: 'us-east-1-given-unit', b64: 'aGk=', if: 'east' });
    expect(d.Root).toMatchObject({ type: 'AWS::ACMPCA::CertificateAuthority', status: 'PENDING_CERTIFICATE', certificateAuthorityArn: d.Root.arn });
    expect(d.Root.csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    expect(d.Root.certificatePem).toBeUndefined();
  });

  test('a root with Status DISABLED is imported, then disabled; Ref of a Certificate is its ARN', async () => {
    const d = await deployPcaTemplate({
      Resources: {
        Root: ca(),
        Cert: selfCert('Root'),
        Act: activation('Root', 'Cert', { Status: 'DISABLED' }),
        Tagged: ca({ Subject: { CommonName: 'tagged' }, Tags: [{ Key: 'certRef', Value: { Ref: 'Cert' } }, { Key: 'actRef', Value: { Ref: 'Act' } }] }),
      },
    });
    expect(d.Act.status).toBe('DISABLED');
    expect(d.Root.status).toBe('DISABLED');
    expect((await describeCa(d.Root.arn)).Status).toBe('DISABLED');
    expect(d.Cert).toMatchObject({ status: 'ISSUED', certificateAuthorityArn: d.Root.arn });
    expect(d.Cert.chainPem).toBeUndefined();
    expect(d.Root.certificatePem).toBe(d.Cert.certificatePem);
    expect(splitPem(d.Root.chainPem!)).toEqual([d.Cert.certificatePem]);
    expect(await tags(d.Tagged.arn)).toEqual({ certRef: d.Cert.arn, actRef: d.Root.arn });
  });

  test('references to skipped resources: S3 bucket fakes, generic placeholders, given placeholders, or an error', async () => {
    const template = {
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket' },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Missing', 'Arn'] } } },
        Root: ca({
          Tags: [
            { Key: 'bucket', Value: { Ref: 'Bucket' } },
            { Key: 'bucketArn', Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] } },
            { Key: 'bucketDomain', Value: { 'Fn::GetAtt': ['Bucket', 'RegionalDomainName'] } },
            { Key: 'fn', Value: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
          ],
        }, { DependsOn: ['Fn'] }),
      },
    };
    const d = await deployPcaTemplate(template);
    expect(Object.keys(d)).toEqual(['Root']);
    expect(fakeBucketName('Bucket')).toBe('cdk-pki-fake-bucket');
    expect(await tags(d.Root.arn)).toEqual({
      bucket: 'cdk-pki-fake-bucket',
      bucketArn: 'arn:aws:s3:::cdk-pki-fake-bucket',
      bucketDomain: 'cdk-pki-fake-bucket.s3.us-east-1.amazonaws.com',
      fn: 'skipped:AWS::Lambda::Function:Fn.Arn',
    });

    await resetMoto();
    const given = await deployPcaTemplate(template, { placeholders: { 'Fn.Arn': 'arn:aws:lambda:us-east-1:123456789012:function:f', 'Bucket': 'my-crls' } });
    expect(await tags(given.Root.arn)).toMatchObject({ bucket: 'my-crls', fn: 'arn:aws:lambda:us-east-1:123456789012:function:f' });

    const err = await deployError(template, { onSkippedReference: 'error' });
    expect(err.logicalId).toBe('Root');
    expect(err.message).toBe('deployPcaTemplate: AWS::ACMPCA::CertificateAuthority "Root": Fn::GetAtt [Fn, Arn] refers to the skipped '
      + 'AWS::Lambda::Function "Fn"; give a value in options.placeholders["Fn.Arn"]');
  });

  test('orders through skipped resources (transitive DependsOn) and rejects cycles', async () => {
    const d = await deployPcaTemplate({
      Resources: {
        Second: ca({ Subject: { CommonName: 'second' } }, { DependsOn: 'Wait' }),
        Wait: { Type: 'Custom::Wait', Properties: { ServiceToken: 'x', After: { 'Fn::GetAtt': ['First', 'Arn'] } } },
        First: ca({ Subject: { CommonName: 'first' } }),
      },
    });
    expect(Object.keys(d)).toEqual(['First', 'Second']);

    const err = await deployError({
      Resources: {
        A: ca({}, { DependsOn: 'B' }),
        B: { Type: 'AWS::IAM::Role', DependsOn: 'A' },
        C: ca(),
      },
    });
    expect(err.message).toBe('deployPcaTemplate: circular dependency between A, B');
  });

  test('fails with messages naming the logical id: unknown attribute, missing property, API error, bad PEM, bad template', async () => {
    let err = await deployError({ Resources: { Root: ca(), Cert: selfCert('Root', { CertificateSigningRequest: { 'Fn::GetAtt': ['Root', 'Csr'] } }) } });
    expect(err.logicalId).toBe('Cert');
    expect(err.message).toBe('deployPcaTemplate: AWS::ACMPCA::Certificate "Cert": Fn::GetAtt [Root, Csr]: AWS::ACMPCA::CertificateAuthority has no attribute Csr '
      + '(supported: Arn, CertificateSigningRequest)');

    err = await deployError({ Resources: { Root: ca({ KeyAlgorithm: undefined }) } });
    expect(err.message).toBe('deployPcaTemplate: AWS::ACMPCA::CertificateAuthority "Root": missing required property KeyAlgorithm');

    const missingCa = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/00000000-0000-0000-0000-000000000000';
    err = await deployError({ Resources: { Root: ca(), Cert: selfCert('Root', { CertificateAuthorityArn: missingCa }) } });
    expect(err.logicalId).toBe('Cert');
    expect(err.operation).toBe('IssueCertificate');
    expect(err.message).toMatch(/^deployPcaTemplate: AWS::ACMPCA::Certificate "Cert": IssueCertificate failed: ResourceNotFoundException \[HTTP 400\]: Resource arn:.* not found$/);

    // A PEM-looking CSR that is not one: moto answers HTTP 500 with HTML.
    const badCsr = '-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----\n';
    err = await deployError({ Resources: { Root: ca(), Cert: selfCert('Root', { CertificateSigningRequest: badCsr }) } });
    expect(err.logicalId).toBe('Cert');
    expect(err.message).toMatch(/^deployPcaTemplate: AWS::ACMPCA::Certificate "Cert": IssueCertificate failed: .*moto's HTTP 500/);

    err = await deployError({ Resources: { Root: ca(), Cert: selfCert('Root'), Act: activation('Root', 'Cert', { Certificate: 'not pem' }) } });
    expect(err.message).toBe('deployPcaTemplate: "Act": Certificate is neither PEM nor base64 of PEM: "not pem"...');

    err = await deployError({ Resources: { Root: ca({ Subject: { CommonName: { 'Fn::ImportValue': 'x' } } }) } });
    expect(err.message).toBe('deployPcaTemplate: AWS::ACMPCA::CertificateAuthority "Root": unsupported intrinsic Fn::ImportValue ("x")');

    err = await deployError({ Resources: { Root: ca({ Subject: { CommonName: { Ref: 'Nope' } } }) } });
    expect(err.message).toBe('deployPcaTemplate: AWS::ACMPCA::CertificateAuthority "Root" depends on or references "Nope", which is not in the template');

    await expect(deployPcaTemplate({})).rejects.toThrow('the template has no Resources section');
  });

  test('accepts base64 of PEM for certificate properties', async () => {
    const d = await deployPcaTemplate({
      Resources: {
        Root: ca(),
        Cert: selfCert('Root'),
        Act: activation('Root', 'Cert', { Certificate: { 'Fn::Base64': { 'Fn::GetAtt': ['Cert', 'Certificate'] } } }),
      },
    });
    expect(d.Act.status).toBe('ACTIVE');
    expect(d.Act.certificatePem).toBe(d.Cert.certificatePem);
  });
});
