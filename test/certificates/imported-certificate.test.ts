import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { CertificateMaterial } from '../../src/certificates/certificate-material';
import { ImportedCertificate } from '../../src/certificates/imported-certificate';
import { synthTemplate } from '../harness/cfn-lint';

const CR = 'Custom::CdkPkiImportedCertificate';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:certs/web-AbCdEf';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function importedSecret(stack: Stack, id = 'Secret'): secretsmanager.ISecret {
  return secretsmanager.Secret.fromSecretCompleteArn(stack, id, SECRET_ARN);
}

/** Every statement of every IAM policy in the template. */
function statements(template: ReturnType<typeof synthTemplate>): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('ImportedCertificate defaults', () => {
  test('a custom resource naming the secret and fields (no PEM), Name tag, DESTROY; one provider', () => {
    const stack = newStack();
    const cert = new ImportedCertificate(stack, 'Cert', { material: CertificateMaterial.fromSecret(importedSecret(stack)) });
    const t = synthTemplate(stack);
    t.resourceCountIs(CR, 1);
    t.hasResourceProperties(CR, {
      Source: {
        Type: 'SecretsManager',
        SecretArn: SECRET_ARN,
        CertificateField: 'certificate',
        PrivateKeyField: 'privateKey',
        ChainField: 'certificateChain',
        ChainRequired: 'false',
      },
      MaterialVersion: '',
      Tags: [{ Key: 'Name', Value: 'Stack/Cert' }],
      RemovalPolicy: 'destroy',
    });
    // Issue 13 (4): a daily reconcile of the material when no schedule is given.
    t.resourceCountIs('AWS::Events::Rule', 1);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    expect(cert.reimportScheduleRule).toBeDefined();
    expect(stack.resolve(cert.certificateArn)).toEqual({ Ref: expect.stringMatching(/^Cert/) });
    expect(stack.resolve(cert.importedVersionId)).toEqual({ 'Fn::GetAtt': [expect.any(String), 'ImportedVersionId'] });
    expect(stack.resolve(cert.keyAlgorithmName)).toEqual({ 'Fn::GetAtt': [expect.any(String), 'KeyAlgorithm'] });
    expect(cert.certificateRegion).toBe('eu-west-1');
    expect(stack.node.tryFindChild('CdkPkiImportedCertificateProvider')).toBeDefined();
    expect(JSON.stringify(t.toJSON())).not.toContain('BEGIN');
  });

  test('imported certificates cannot be exported', () => {
    const stack = newStack();
    const cert = new ImportedCertificate(stack, 'Cert', { material: CertificateMaterial.fromSecret(importedSecret(stack)) });
    expect(() => cert.grantExport(new iam.AccountRootPrincipal())).toThrow(/not exportable/);
  });
});

describe('ImportedCertificate props', () => {
  test('field names, materialVersion, tags and RETAIN reach the resource', () => {
    const stack = newStack();
    new ImportedCertificate(stack, 'Cert', {
      material: CertificateMaterial.fromSecret(importedSecret(stack), { certificate: 'crt', privateKey: 'key', chain: 'ca' }),
      materialVersion: '7',
      certificateName: 'web',
      tags: { team: 'platform' },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    synthTemplate(stack).hasResourceProperties(CR, {
      Source: Match.objectLike({ CertificateField: 'crt', PrivateKeyField: 'key', ChainField: 'ca', ChainRequired: 'true' }),
      MaterialVersion: '7',
      Tags: [{ Key: 'Name', Value: 'web' }, { Key: 'team', Value: 'platform' }],
      RemovalPolicy: 'retain',
    });
  });

  test('SSM parameters: names in the resource, read access on each, decrypt with their key', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const param = (name: string, id: string) =>
      ssm.StringParameter.fromSecureStringParameterAttributes(stack, id, { parameterName: name, encryptionKey: key });
    new ImportedCertificate(stack, 'Cert', {
      material: CertificateMaterial.fromSsmParameters({
        certificate: param('/certs/web/cert', 'C'),
        privateKey: param('/certs/web/key', 'K'),
        chain: param('/certs/web/chain', 'H'),
      }),
      reimportOnChange: true,
    });
    const t = synthTemplate(stack);
    t.hasResourceProperties(CR, {
      Source: { Type: 'SSM', CertificateParameter: '/certs/web/cert', PrivateKeyParameter: '/certs/web/key', ChainParameter: '/certs/web/chain' },
    });
    const all = JSON.stringify(stack.resolve(statements(t)));
    for (const name of ['cert', 'key', 'chain']) expect(all).toContain(`:parameter/certs/web/${name}`);
    expect(all).toContain('kms:Decrypt');
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.ssm'],
        'detail-type': ['Parameter Store Change'],
        'detail': { name: ['/certs/web/cert', '/certs/web/key', '/certs/web/chain'], operation: ['Create', 'Update'] },
      },
    });
  });

  test('reimportOnChange on a secret: a CloudTrail rule for that secret, invoking the handler with the certificate ARN', () => {
    const stack = newStack();
    const cert = new ImportedCertificate(stack, 'Cert', { material: CertificateMaterial.fromSecret(importedSecret(stack)), reimportOnChange: true });
    const t = synthTemplate(stack);
    expect(cert.reimportRule).toBeDefined();
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.secretsmanager'],
        'detail-type': ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'],
        'detail': {
          $or: [
            { eventName: ['PutSecretValue', 'UpdateSecret', 'RotateSecret', 'UpdateSecretVersionStage'], requestParameters: { secretId: Match.arrayWith([SECRET_ARN]) } },
            { eventName: ['RotationSucceeded'], additionalEventData: { SecretId: Match.arrayWith([SECRET_ARN]) } },
          ],
        },
      },
    });
    const input = JSON.stringify(Object.values(t.findResources('AWS::Events::Rule'))[0]);
    expect(input).toContain('{\\"cdkPkiImportedCertificateReimport\\":{\\"CertificateArn\\":\\"');
    expect(input).toMatch(/"Ref":"Cert[0-9A-F]+"/);
    expect(input).toContain(`\\"SecretArn\\":\\"${SECRET_ARN}\\"`);
    expect(input).toContain('\\"Trigger\\":\\"Change\\"');
    t.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com' });
  });

  test('reimportSchedule: a scheduled rule with the trigger input', () => {
    const stack = newStack();
    const cert = new ImportedCertificate(stack, 'Cert', {
      material: CertificateMaterial.fromSecret(importedSecret(stack)),
      reimportSchedule: events.Schedule.rate(Duration.hours(6)),
    });
    expect(cert.reimportScheduleRule).toBeDefined();
    const t = synthTemplate(stack);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(6 hours)' });
    expect(JSON.stringify(t.findResources('AWS::Events::Rule'))).toContain('\\"Trigger\\":\\"Schedule\\"');
  });
});

describe('ImportedCertificate IAM', () => {
  test('ACM on certificate/* of the stack account and region only; secret read on its ARN; decrypt via its key; no other *', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const secret = new secretsmanager.Secret(stack, 'Secret', { encryptionKey: key });
    new ImportedCertificate(stack, 'A', { material: CertificateMaterial.fromSecret(secret) });
    new ImportedCertificate(stack, 'B', { material: CertificateMaterial.fromSecret(importedSecret(stack, 'Other')) });
    const t = synthTemplate(stack);
    const stmts = stack.resolve(statements(t));
    const acmStatements = stmts.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('acm:')));
    const certificates = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm:eu-west-1:111111111111:certificate/*']] };
    // Issue 13 (7): read on the account's certificates; every change conditioned on the owner tag (this stack's ID).
    expect(acmStatements.map((s: any) => ({ ...s, Action: [s.Action].flat().sort() }))).toEqual([
      { Effect: 'Allow', Action: ['acm:DescribeCertificate', 'acm:ListTagsForCertificate'], Resource: certificates },
      { Effect: 'Allow', Action: ['acm:ListCertificates'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['acm:AddTagsToCertificate', 'acm:ImportCertificate'],
        Resource: certificates,
        Condition: { StringEquals: { 'aws:RequestTag/cdk-pki:owner': { Ref: 'AWS::StackId' } }, Null: { 'aws:ResourceTag/cdk-pki:owner': 'true' } },
      },
      {
        Effect: 'Allow',
        Action: ['acm:AddTagsToCertificate', 'acm:DeleteCertificate', 'acm:ImportCertificate', 'acm:RemoveTagsFromCertificate'],
        Resource: certificates,
        Condition: { StringEquals: { 'aws:ResourceTag/cdk-pki:owner': { Ref: 'AWS::StackId' } } },
      },
    ]);
    // The handler learns its owner from its environment, never from an invocation.
    t.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('imports certificates'),
      Environment: { Variables: { CDK_PKI_OWNER: { Ref: 'AWS::StackId' } } },
    });
    const secretStatements = stmts.filter((s: any) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(secretStatements.map((s: any) => s.Resource)).toEqual([{ Ref: expect.stringMatching(/^Secret/) }, SECRET_ARN]);
    // The only * is ListCertificates, which has no resource-level permissions.
    for (const s of stmts) {
      if ([s.Resource].flat().includes('*')) expect(s.Action).toBe('acm:ListCertificates');
    }
    // The secret's key lets the handler decrypt through Secrets Manager only.
    expect(JSON.stringify(t.findResources('AWS::KMS::Key'))).toContain('kms:ViaService');
    // One provider for both certificates.
    t.resourceCountIs(CR, 2);
    expect(Object.keys(t.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('imports certificates') } }))).toHaveLength(1);
  });
});

describe('ImportedCertificate validation', () => {
  test.each([
    ['an empty field name', { certificate: '' }, /the secret field name for certificate is empty/],
    ['a field used twice', { certificate: 'pem', privateKey: 'pem' }, /the secret field names "pem" are used for more than one part/],
  ])('%s', (_name, fields, message) => {
    const stack = newStack();
    expect(() => new ImportedCertificate(stack, 'Cert', { material: CertificateMaterial.fromSecret(importedSecret(stack), fields) }))
      .toThrow(message);
  });

  test('the same SSM parameter twice', () => {
    const stack = newStack();
    const p = ssm.StringParameter.fromStringParameterName(stack, 'P', 'pem');
    expect(() => new ImportedCertificate(stack, 'Cert', { material: CertificateMaterial.fromSsmParameters({ certificate: p, privateKey: p }) }))
      .toThrow('Stack/Cert: the same SSM parameter is given for more than one part');
  });

  test('reserved and invalid tags, unsupported removal policies', () => {
    const stack = newStack();
    const material = CertificateMaterial.fromSecret(importedSecret(stack));
    for (const key of ['cdk-pki:imported-version', 'cdk-pki:owner', 'cdk-pki:create-request']) {
      expect(() => new ImportedCertificate(stack, `A${key.length}`, { material, tags: { [key]: 'x' } }))
        .toThrow(`Stack/A${key.length}: tag key "${key}" is reserved: the handler sets it (material version, owning stack, creating request); use another key.`);
    }
    expect(() => new ImportedCertificate(stack, 'B', { material, tags: { 'aws:x': 'y' } })).toThrow(/starts with "aws:"/);
    const many = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`k${i}`, 'v']));
    expect(() => new ImportedCertificate(stack, 'C', { material, tags: many })).toThrow(/48 tags given, but a resource may have at most 47/);
    expect(() => new ImportedCertificate(stack, 'D', { material, removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow('Stack/D: removalPolicy "snapshot" is not supported: use RemovalPolicy.DESTROY (delete the certificate) or RemovalPolicy.RETAIN (keep it in ACM).');
  });
});

describe('issue 14: moving from aws-cdk-lib without surprises', () => {
  test('applyRemovalPolicy() works like the removalPolicy prop, and refuses what the prop refuses', () => {
    const stack = newStack();
    const material = CertificateMaterial.fromSecret(importedSecret(stack));
    new ImportedCertificate(stack, 'ByProp', { material, removalPolicy: RemovalPolicy.RETAIN });
    const byMethod = new ImportedCertificate(stack, 'ByMethod', { material });
    byMethod.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const reverted = new ImportedCertificate(stack, 'Reverted', { material, removalPolicy: RemovalPolicy.RETAIN });
    reverted.applyRemovalPolicy(RemovalPolicy.DESTROY);
    const resources = synthTemplate(stack).findResources('Custom::CdkPkiImportedCertificate');
    const policyOf = (prefix: string) => Object.entries(resources).find(([id]) => id.startsWith(prefix))![1].Properties.RemovalPolicy;
    expect([policyOf('ByProp'), policyOf('ByMethod'), policyOf('Reverted')]).toEqual(['retain', 'retain', 'destroy']);
    expect(() => byMethod.applyRemovalPolicy(RemovalPolicy.SNAPSHOT)).toThrow(/^Stack\/ByMethod: removalPolicy "snapshot" is not supported/);
  });

  test('issue 14 (7): certificateName and tags.Name together are refused; tags.Name alone names the certificate', () => {
    const stack = newStack();
    const material = CertificateMaterial.fromSecret(importedSecret(stack));
    expect(() => new ImportedCertificate(stack, 'Cert', { material, certificateName: 'web', tags: { Name: 'frontend' } })).toThrow(
      /^Stack\/Cert: certificateName "web" and tags.Name "frontend" both set the certificate's Name tag.*as certificateName or as tags.Name, not both/,
    );
    new ImportedCertificate(stack, 'Named', { material, tags: { Name: 'frontend' } });
    synthTemplate(stack).hasResourceProperties(CR, { Tags: [{ Key: 'Name', Value: 'frontend' }] });
  });

  test('issue 14 (1): the default Name tag keeps 255 characters of the path, like acm.Certificate', () => {
    const stack = newStack();
    const id = `Cert${'x'.repeat(300)}`;
    new ImportedCertificate(stack, id, { material: CertificateMaterial.fromSecret(importedSecret(stack)) });
    synthTemplate(stack).hasResourceProperties(CR, { Tags: [{ Key: 'Name', Value: `Stack/${id}`.slice(0, 255) }] });
  });
});

describe('issue 13 (2): removing or renaming an ImportedCertificate keeps the permission its Delete needs', () => {
  /** The statements that allow `action` on a certificate tagged by this stack, as the after-template's role has them. */
  function deleteStatements(stack: Stack): any[] {
    return stack.resolve(statements(synthTemplate(stack))).filter((s: any) => [s.Action].flat().includes('acm:DeleteCertificate'));
  }

  function app(ids: string[]): Stack {
    const stack = newStack();
    ids.forEach((id, i) => new ImportedCertificate(stack, id, { material: CertificateMaterial.fromSecret(importedSecret(stack, `Secret${i}`)) }));
    return stack;
  }

  test.each([
    ['removal of one of two', ['A', 'B'], ['A']],
    ['rename (construct path change: new logical ID, the old resource is deleted)', ['A'], ['Renamed']],
    ['removal and rename together', ['A', 'B'], ['Renamed']],
  ])('%s: the before and after templates allow the same tag-conditioned DeleteCertificate, with no per-certificate resource', (_, before, after) => {
    const b = deleteStatements(app(before));
    const a = deleteStatements(app(after));
    expect(a).toEqual(b);
    expect(a).toHaveLength(1);
    expect(a[0].Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm:eu-west-1:111111111111:certificate/*']] });
    expect(a[0].Condition).toEqual({ StringEquals: { 'aws:ResourceTag/cdk-pki:owner': { Ref: 'AWS::StackId' } } });
    // The ownership check of the Delete reads the tags: also unconditioned on which certificates exist.
    const read = stackReadStatements(app(after));
    expect(read).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['acm:ListTagsForCertificate']) }));
  });

  function stackReadStatements(stack: Stack): any[] {
    return stack.resolve(statements(synthTemplate(stack))).filter((s: any) => [s.Action].flat().includes('acm:ListTagsForCertificate'));
  }
});
