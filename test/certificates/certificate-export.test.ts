import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CertificateExport } from '../../src/certificates/certificate-export';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { RENEWAL_EVENT_KEY } from '../../src/handlers/certificate-export/logic';
import { synthTemplate } from '../harness/cfn-lint';

const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';
const SECRET = 'AWS::SecretsManager::Secret';
const RULE = 'AWS::Events::Rule';
const CR = 'Custom::CdkPkiCertificateExport';

function newStack(region = 'eu-west-1'): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region } });
}

function exportable(stack: Stack): PublicCertificate {
  return new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', allowExport: true });
}

/** All statements of all IAM policies of the template. */
function statements(t: Template): any[] {
  return Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function statementFor(t: Template, action: string): any {
  const found = statements(t).filter((s) => [s.Action].flat().includes(action));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('CertificateExport defaults', () => {
  test('two KMS-encrypted secrets, a rotating key, the custom resource and no secret value in the template', () => {
    const stack = newStack();
    const cert = exportable(stack);
    const exp = new CertificateExport(stack, 'Export', { certificate: cert });
    const t = synthTemplate(stack);

    t.resourceCountIs(SECRET, 2);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const keyRef = { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportKey'), 'Arn'] };
    for (const secret of Object.values(t.findResources(SECRET)) as any[]) {
      expect(secret.DeletionPolicy).toBe('Retain');
      expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ExportKey/), 'Arn'] });
      expect(secret.Properties.SecretString).toBeUndefined();
    }
    t.hasResourceProperties(SECRET, {
      Description: 'Passphrase of the private key exported by Stack/Export',
      KmsKeyId: keyRef,
      GenerateSecretString: { PasswordLength: 64, ExcludeCharacters: '#$%', IncludeSpace: false },
    });
    t.hasResourceProperties(SECRET, {
      Description: 'Certificate, chain and private key exported from ACM by Stack/Export',
      Name: Match.absent(),
    });

    t.resourceCountIs(CR, 1);
    t.hasResourceProperties(CR, {
      CertificateArn: { Ref: Match.stringLikeRegexp('^Cert') },
      SecretArn: { Ref: Match.stringLikeRegexp('^ExportSecret') },
      PassphraseSecretArn: { Ref: Match.stringLikeRegexp('^ExportPassphrase') },
      StoreDecryptedKey: 'false',
      TopicArn: Match.absent(),
      RenewalToken: Match.absent(),
    });
    expect(stack.resolve(exp.certificateArn)).toEqual(stack.resolve(cert.certificateArn));
    expect(stack.resolve(exp.exportVersionId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Export/), 'VersionId'] });

    expect(JSON.stringify(t.toJSON())).not.toContain('-----BEGIN');
  });

  test('one handler per stack for any number of exports', () => {
    const stack = newStack();
    const cert = exportable(stack);
    new CertificateExport(stack, 'A', { certificate: cert });
    new CertificateExport(stack, 'B', { certificate: PublicCertificate.fromCertificateArn(stack, 'Imported', CERT_ARN) });
    const t = synthTemplate(stack);
    t.resourceCountIs(CR, 2);
    const handlers = t.findResources('AWS::Lambda::Function', { Properties: { Description: 'src/handlers/certificate-export/certificate-export.lambda.ts' } });
    expect(Object.keys(handlers)).toHaveLength(1);
    expect(stack.node.tryFindChild('CdkPkiCertificateExportProvider')).toBeDefined();
  });
});

describe('CertificateExport props', () => {
  test('given key, secret name, decrypted key, renewal token, topic and removal policy reach the template', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'MyKey');
    const topic = new sns.Topic(stack, 'Topic');
    const exp = new CertificateExport(stack, 'Export', {
      certificate: exportable(stack),
      encryptionKey: key,
      secretName: 'pki/web',
      storeDecryptedKey: true,
      renewalToken: '2025-01',
      notifyTopic: topic,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const t = synthTemplate(stack);
    expect(exp.encryptionKey).toBe(key);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResource(SECRET, { DeletionPolicy: 'Delete', Properties: { Name: 'pki/web', KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyKey'), 'Arn'] } } });
    for (const secret of Object.values(t.findResources(SECRET)) as any[]) {
      expect(secret.DeletionPolicy).toBe('Delete');
    }
    t.hasResourceProperties(CR, {
      StoreDecryptedKey: 'true',
      RenewalToken: '2025-01',
      TopicArn: { Ref: Match.stringLikeRegexp('^Topic') },
    });
    expect(statementFor(t, 'acm:RenewCertificate')).toEqual({ Action: 'acm:RenewCertificate', Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^Cert/) } });
    expect(statementFor(t, 'sns:Publish').Resource).toEqual({ Ref: expect.stringMatching(/^Topic/) });
  });

  test('the new key follows the removal policy', () => {
    const stack = newStack();
    new CertificateExport(stack, 'Export', { certificate: exportable(stack), removalPolicy: RemovalPolicy.DESTROY });
    synthTemplate(stack).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { EnableKeyRotation: true } });
  });
});

describe('CertificateExport renewal rules', () => {
  test('ACM Certificate Available with Action RENEWAL and the Health renewal event, for this certificate only', () => {
    const stack = newStack();
    const exp = new CertificateExport(stack, 'Export', { certificate: PublicCertificate.fromCertificateArn(stack, 'Imported', CERT_ARN) });
    const t = synthTemplate(stack);
    t.resourceCountIs(RULE, 2);
    expect(stack.resolve(exp.renewalRule.node.defaultChild && (exp.renewalRule.node.defaultChild as any).eventPattern)).toEqual({
      'source': ['aws.acm'],
      'detail-type': ['ACM Certificate Available'],
      'resources': [CERT_ARN],
      'detail': { Action: ['RENEWAL'] },
    });
    expect(stack.resolve((exp.healthRule.node.defaultChild as any).eventPattern)).toEqual({
      'source': ['aws.health'],
      'detail-type': ['AWS Health Event'],
      'resources': [CERT_ARN],
      'detail': { service: ['ACM'], eventTypeCategory: ['scheduledChange'], eventTypeCode: ['AWS_ACM_RENEWAL_STATE_CHANGE'] },
    });
    for (const rule of Object.values(t.findResources(RULE)) as any[]) {
      const [target] = rule.Properties.Targets;
      expect(target.Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CdkPkiCertificateExportProviderHandler/), 'Arn'] });
      expect(target.InputTransformer.InputPathsMap).toEqual({
        'source': '$.source', 'detail-type': '$.detail-type', 'resources': '$.resources', 'detail': '$.detail',
      });
      const template = JSON.stringify(stack.resolve(target.InputTransformer.InputTemplate));
      expect(template).toContain(RENEWAL_EVENT_KEY);
      expect(template).toContain(CERT_ARN);
      expect(rule.DependsOn).toEqual([expect.stringMatching(/^Export/)]);
    }
    t.resourceCountIs('AWS::Lambda::Permission', 2); // one per rule
  });
});

describe('CertificateExport IAM', () => {
  test('the handler gets resource-scoped statements and never a * resource', () => {
    const stack = newStack();
    new CertificateExport(stack, 'Export', { certificate: exportable(stack) });
    const t = synthTemplate(stack);
    expect(statementFor(t, 'acm:ExportCertificate').Resource).toEqual({ Ref: expect.stringMatching(/^Cert/) });
    expect(statementFor(t, 'secretsmanager:PutSecretValue').Resource).toEqual({ Ref: expect.stringMatching(/^ExportSecret/) });
    expect(statementFor(t, 'secretsmanager:GetSecretValue').Resource).toEqual({ Ref: expect.stringMatching(/^ExportPassphrase/) });
    expect(statementFor(t, 'kms:GenerateDataKey')).toEqual({
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ExportKey/), 'Arn'] },
    });
    expect(statements(t).filter((s) => [s.Action].flat().includes('acm:RenewCertificate'))).toHaveLength(0);
    const handlerStatements = statements(t).filter((s) => JSON.stringify(s).match(/acm:|secretsmanager:|kms:/));
    for (const s of handlerStatements) {
      expect([s.Resource].flat()).not.toContain('*');
    }
  });

  test('grantRead gives read access to both secrets and decrypt on the key', () => {
    const stack = newStack();
    const exp = new CertificateExport(stack, 'Export', { certificate: exportable(stack) });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const grant = exp.grantRead(role);
    expect(grant.success).toBe(true);
    const t = synthTemplate(stack);
    const policy = Object.values(t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }] } }))[0] as any;
    const readerStatements = policy.Properties.PolicyDocument.Statement;
    const secretReads = readerStatements.filter((s: any) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(secretReads.flatMap((s: any) => [s.Resource].flat())).toEqual(expect.arrayContaining([
      { Ref: expect.stringMatching(/^ExportSecret/) },
      { Ref: expect.stringMatching(/^ExportPassphrase/) },
    ]));
    for (const s of secretReads) expect([s.Action].flat()).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
    // Secrets Manager's grantRead puts kms:Decrypt for the reader into the key policy, only via Secrets Manager.
    const keyPolicy = (Object.values(t.findResources('AWS::KMS::Key'))[0] as any).Properties.KeyPolicy.Statement;
    const decrypt = keyPolicy.filter((s: any) => s.Action === 'kms:Decrypt' && JSON.stringify(s.Principal).includes('Reader'));
    expect(decrypt).toHaveLength(1);
    expect(decrypt[0].Condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } });
  });
});

describe('CertificateExport refusals', () => {
  test('a PublicCertificate without allowExport is refused by message', () => {
    const stack = newStack();
    const cert = new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com' });
    expect(() => new CertificateExport(stack, 'Export', { certificate: cert })).toThrow(
      'Stack/Export: cannot export Stack/Cert, which is not exportable. Set `allowExport: true` on the PublicCertificate',
    );
  });

  test('an imported certificate (exportability unknown) is allowed', () => {
    const stack = newStack();
    expect(() => new CertificateExport(stack, 'Export', { certificate: PublicCertificate.fromCertificateArn(stack, 'Imported', CERT_ARN) })).not.toThrow();
  });

  test('a certificate of another region is refused, since its renewal events stay there', () => {
    const stack = newStack('us-east-1');
    expect(() => new CertificateExport(stack, 'Export', { certificate: PublicCertificate.fromCertificateArn(stack, 'Imported', CERT_ARN) }))
      .toThrow('Stack/Export: the certificate lives in eu-west-1 but this stack deploys to us-east-1');
  });

  test('a bad secret name is refused', () => {
    const stack = newStack();
    expect(() => new CertificateExport(stack, 'Export', { certificate: exportable(stack), secretName: 'bad name!' }))
      .toThrow('secretName "bad name!" is not a Secrets Manager name');
  });
});
