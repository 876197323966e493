import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CertificateExport, CertificateExportProps } from '../../src/certificates/certificate-export';
import { CERTIFICATES_PER_RULE, estimateEntryLength, INPUT_TEMPLATE_MAX } from '../../src/certificates/certificate-export-rules';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { RENEWAL_EVENT_KEY } from '../../src/handlers/certificate-export/contract';
import { RESOURCES_PER_STATEMENT } from '../../src/private/statement-merge';
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
    const keyRef = { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkPkiCertificateExportSharedKey'), 'Arn'] };
    for (const secret of Object.values(t.findResources(SECRET)) as any[]) {
      // Issue 13 (3): retained, except when the first deployment fails.
      expect(secret.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(secret.UpdateReplacePolicy).toBe('Retain');
      expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CdkPkiCertificateExportSharedKey/), 'Arn'] });
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
    t.resourceCountIs(RULE, 3);
    expect(stack.resolve((exp.reconcileRule.node.defaultChild as any).scheduleExpression)).toBe('rate(1 day)');
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
      // A delivery EventBridge cannot make lands in the dead-letter queue.
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^CdkPkiCertificateExportSharedFailureQueue/), 'Arn'] } });
    }
    t.resourceCountIs('AWS::Lambda::Permission', 3); // one per rule
  });
});

describe('CertificateExport IAM', () => {
  test('the handler gets resource-scoped statements and never a * resource', () => {
    const stack = newStack();
    new CertificateExport(stack, 'Export', { certificate: exportable(stack) });
    const t = synthTemplate(stack);
    expect(statementFor(t, 'acm:ExportCertificate')).toEqual({
      Action: ['acm:ExportCertificate', 'acm:DescribeCertificate'], Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^Cert/) },
    });
    expect(statementFor(t, 'secretsmanager:PutSecretValue')).toEqual({
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
      Effect: 'Allow',
      Resource: { Ref: expect.stringMatching(/^ExportSecret/) },
    });
    expect(statements(t).filter((s) => s.Action === 'secretsmanager:GetSecretValue').map((s) => s.Resource))
      .toEqual([{ Ref: expect.stringMatching(/^ExportPassphrase/) }]);
    // Issue 13 (7): the key only through Secrets Manager, for secrets, and never kms:Encrypt.
    expect(stack.resolve(statementFor(t, 'kms:GenerateDataKey'))).toEqual({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^CdkPkiCertificateExportSharedKey/), 'Arn'] },
      Condition: {
        StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] } },
        StringLike: { 'kms:EncryptionContext:SecretARN': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:eu-west-1:111111111111:secret:*']] } },
      },
    });
    expect(JSON.stringify(statements(t))).not.toContain('kms:Encrypt"');
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

/** The ARN of the n-th imported certificate. */
function certArn(n: number): string {
  return `arn:aws:acm:eu-west-1:111111111111:certificate/${String(n).padStart(8, '0')}-2222-3333-4444-555555555555`;
}

/** A stack with `n` exports of certificates imported by ARN. */
function stackWithExports(n: number, options: Partial<CertificateExportProps> = {}): { stack: Stack; exports: CertificateExport[] } {
  const stack = newStack();
  const exports = Array.from({ length: n }, (_, i) => new CertificateExport(stack, `Export${i}`, {
    certificate: PublicCertificate.fromCertificateArn(stack, `Cert${i}`, certArn(i)),
    ...options,
  }));
  return { stack, exports };
}

/** The policies (inline and overflow managed) attached to the export handler's role. */
function handlerPolicies(t: Template): { inline: any[]; managed: any[] } {
  const role = Object.keys(t.findResources('AWS::IAM::Role')).find((id) => id.startsWith('CdkPkiCertificateExportProviderHandlerServiceRole'))!;
  const attached = (type: string) => Object.values(t.findResources(type)).filter((p: any) => JSON.stringify(p.Properties.Roles ?? []).includes(role));
  return { inline: attached('AWS::IAM::Policy'), managed: attached('AWS::IAM::ManagedPolicy') };
}

describe('CertificateExport shared per stack', () => {
  test('one rotating key for all exports without encryptionKey; its policy delegates to IAM, and the handler has one kms statement', () => {
    const stack = newStack();
    const given = new kms.Key(stack, 'Given');
    const a = new CertificateExport(stack, 'A', { certificate: PublicCertificate.fromCertificateArn(stack, 'CertA', certArn(1)) });
    const b = new CertificateExport(stack, 'B', { certificate: PublicCertificate.fromCertificateArn(stack, 'CertB', certArn(2)) });
    const c = new CertificateExport(stack, 'C', { certificate: PublicCertificate.fromCertificateArn(stack, 'CertC', certArn(3)), encryptionKey: given });
    const d = new CertificateExport(stack, 'D', { certificate: PublicCertificate.fromCertificateArn(stack, 'CertD', certArn(4)), encryptionKey: given });
    const t = synthTemplate(stack);
    t.resourceCountIs('AWS::KMS::Key', 2);
    expect(a.encryptionKey).toBe(b.encryptionKey);
    expect(c.encryptionKey).toBe(given);
    expect(d.encryptionKey).toBe(given);
    const keys = t.findResources('AWS::KMS::Key');
    const sharedId = Object.keys(keys).find((id) => id.startsWith('CdkPkiCertificateExportSharedKey'))!;
    expect(keys[sharedId].Properties.EnableKeyRotation).toBe(true);
    expect(keys[sharedId].DeletionPolicy).toBe('RetainExceptOnCreate');
    // The CDK default key policy: the account's root may do everything, so IAM policies grant the key.
    expect(keys[sharedId].Properties.KeyPolicy.Statement).toContainEqual({
      Action: 'kms:*',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } },
      Resource: '*',
    });
    const kmsStatements = statements(t).filter((s) => [s.Action].flat().includes('kms:GenerateDataKey'));
    expect(kmsStatements.map((s) => s.Resource)).toEqual(expect.arrayContaining([
      { 'Fn::GetAtt': [sharedId, 'Arn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^Given/), 'Arn'] },
    ]));
    expect(kmsStatements).toHaveLength(2); // one per key, not one per export
    for (const secret of Object.values(t.findResources(SECRET)) as any[]) {
      expect(secret.Properties.KmsKeyId['Fn::GetAtt'][0]).toMatch(/^(CdkPkiCertificateExportSharedKey|Given)/);
    }
  });

  test('the shared key is deleted with the stack only when every export using it says DESTROY', () => {
    const destroyOnly = stackWithExports(2, { removalPolicy: RemovalPolicy.DESTROY }).stack;
    synthTemplate(destroyOnly).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    const mixed = newStack();
    new CertificateExport(mixed, 'A', { certificate: PublicCertificate.fromCertificateArn(mixed, 'CertA', certArn(1)), removalPolicy: RemovalPolicy.DESTROY });
    new CertificateExport(mixed, 'B', { certificate: PublicCertificate.fromCertificateArn(mixed, 'CertB', certArn(2)) });
    new CertificateExport(mixed, 'C', { certificate: PublicCertificate.fromCertificateArn(mixed, 'CertC', certArn(3)), removalPolicy: RemovalPolicy.DESTROY });
    synthTemplate(mixed).hasResource('AWS::KMS::Key', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    // The most retaining policy wins: one RETAIN export keeps the key for good.
    const retain = newStack();
    new CertificateExport(retain, 'A', { certificate: PublicCertificate.fromCertificateArn(retain, 'CertA', certArn(1)), removalPolicy: RemovalPolicy.RETAIN });
    new CertificateExport(retain, 'B', { certificate: PublicCertificate.fromCertificateArn(retain, 'CertB', certArn(2)) });
    synthTemplate(retain).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test(`renewal rules are shared: ${CERTIFICATES_PER_RULE} certificates per pair of rules, one Lambda permission per rule`, () => {
    const { stack, exports } = stackWithExports(CERTIFICATES_PER_RULE + 1);
    // A second export of the first certificate joins the first batch without a new ARN in its filter.
    const again = new CertificateExport(stack, 'Again', { certificate: PublicCertificate.fromCertificateArn(stack, 'CertAgain', certArn(0)) });
    const t = synthTemplate(stack);
    t.resourceCountIs(RULE, 6);
    t.resourceCountIs('AWS::Lambda::Permission', 6);
    expect(again.reconcileRule).toBe(exports[0].reconcileRule);
    expect(exports[0].renewalRule).toBe(exports[CERTIFICATES_PER_RULE - 1].renewalRule);
    expect(exports[0].renewalRule).not.toBe(exports[CERTIFICATES_PER_RULE].renewalRule);
    expect(again.renewalRule).toBe(exports[0].renewalRule);
    expect(again.healthRule).toBe(exports[0].healthRule);

    const pattern = (rule: any) => stack.resolve((rule.node.defaultChild as any).eventPattern);
    expect(pattern(exports[0].renewalRule)).toEqual({
      'source': ['aws.acm'],
      'detail-type': ['ACM Certificate Available'],
      'detail': { Action: ['RENEWAL'] },
      'resources': Array.from({ length: CERTIFICATES_PER_RULE }, (_, i) => certArn(i)),
    });
    expect(pattern(exports[CERTIFICATES_PER_RULE].healthRule)).toEqual({
      'source': ['aws.health'],
      'detail-type': ['AWS Health Event'],
      'detail': { service: ['ACM'], eventTypeCategory: ['scheduledChange'], eventTypeCode: ['AWS_ACM_RENEWAL_STATE_CHANGE'] },
      'resources': [certArn(CERTIFICATES_PER_RULE)],
    });

    // The input lists the batch's exports: ARNs and options only; the forwarded event fields are placeholders.
    const rules = t.findResources(RULE);
    const firstId = stack.getLogicalId(exports[0].renewalRule.node.defaultChild as any);
    const [target] = rules[firstId].Properties.Targets;
    expect(target.InputTransformer.InputPathsMap).toEqual({ 'source': '$.source', 'detail-type': '$.detail-type', 'resources': '$.resources', 'detail': '$.detail' });
    const rendered = (target.InputTransformer.InputTemplate['Fn::Join'][1] as unknown[]).filter((p) => typeof p === 'string').join('');
    for (let i = 0; i < CERTIFICATES_PER_RULE; i++) expect(rendered).toContain(certArn(i));
    expect(rendered).not.toContain(certArn(CERTIFICATES_PER_RULE));
    expect(rendered).toContain(`${RENEWAL_EVENT_KEY}`);
    expect(rendered).toContain('"event":{"source":<source>,"detail-type":<detail-type>,"resources":<resources>,"detail":<detail>}');
    expect(rendered).not.toMatch(/SecretString|GenerateSecretString|BEGIN/);
    // Each rule waits for the custom resources of its batch's exports.
    expect(rules[firstId].DependsOn).toHaveLength(CERTIFICATES_PER_RULE + 1);
  });

  test('the rule input is valid JSON once deployed (references replaced by ARNs) and lists every export of the batch', () => {
    const { stack } = stackWithExports(3, { storeDecryptedKey: true });
    const t = synthTemplate(stack);
    const [rule] = Object.values(t.findResources(RULE, { Properties: { EventPattern: { source: ['aws.acm'] } } })) as any[];
    const template = rule.Properties.Targets[0].InputTransformer.InputTemplate;
    const parts: unknown[] = template['Fn::Join'][1];
    const deployed = parts.map((p) => (typeof p === 'string' ? p : 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:name-AbCdEf')).join('')
      .replace(/<(source|detail-type|resources|detail)>/g, '"x"');
    const input = JSON.parse(deployed);
    expect(input[RENEWAL_EVENT_KEY]).toHaveLength(3);
    expect(input[RENEWAL_EVENT_KEY][0]).toEqual({
      CertificateArn: certArn(0),
      SecretArn: expect.stringMatching(/^arn:aws:secretsmanager:/),
      PassphraseSecretArn: expect.stringMatching(/^arn:aws:secretsmanager:/),
      StoreDecryptedKey: 'true',
    });
  });

  test('long secret names start a new batch before the input template can pass its limit', () => {
    const name = (i: number) => `pki/${'n'.repeat(480)}-${i}`;
    const stack = newStack();
    const exports = Array.from({ length: 12 }, (_, i) => new CertificateExport(stack, `Export${i}`, {
      certificate: PublicCertificate.fromCertificateArn(stack, `Cert${i}`, certArn(i)),
      secretName: name(i),
    }));
    const t = synthTemplate(stack);
    const batches = new Set(exports.map((e) => e.renewalRule));
    expect(batches.size).toBeGreaterThan(1);
    // Each rule's template, with references at their longest, stays under the limit.
    for (const rule of Object.values(t.findResources(RULE)) as any[]) {
      const parts: unknown[] = rule.Properties.Targets[0].InputTransformer.InputTemplate['Fn::Join'][1];
      const length = parts.reduce((sum: number, p) => sum + (typeof p === 'string' ? p.length : 80 + 13 + 255), 0);
      expect(length).toBeLessThanOrEqual(INPUT_TEMPLATE_MAX);
    }
    const entry = { CertificateArn: certArn(1), SecretArn: 'x', PassphraseSecretArn: 'y', StoreDecryptedKey: 'false' } as const;
    expect(estimateEntryLength(entry, { secretLogicalId: 'A', passphraseLogicalId: 'B' })).toBe(JSON.stringify(entry).length);
  });
});

describe('CertificateExport IAM for many exports', () => {
  // The stack of 100 exports, synthesized once for the two tests that read it (a synthesis and
  // the template checks of it take seconds).
  let hundredExports: { stack: Stack; t: Template } | undefined;
  const hundred = () => {
    if (hundredExports === undefined) {
      const { stack } = stackWithExports(100, { renewalToken: '1' });
      hundredExports = { stack, t: synthTemplate(stack) };
    }
    return hundredExports;
  };

  test('100 exports: statements grow by ARNs, bounded per statement, and the role holds them in at most 8 overflow managed policies', () => {
    const { t } = hundred();
    const all = statements(t).concat(...Object.values(t.findResources('AWS::IAM::ManagedPolicy')).map((p: any) => p.Properties.PolicyDocument.Statement));
    const byAction = (action: string) => all.filter((s) => [s.Action].flat().includes(action));
    for (const [action, perExport] of [['acm:ExportCertificate', 1], ['acm:RenewCertificate', 1], ['secretsmanager:PutSecretValue', 1], ['secretsmanager:GetSecretValue', 2]] as const) {
      const found = byAction(action);
      expect(found).toHaveLength(perExport * Math.ceil(100 / RESOURCES_PER_STATEMENT));
      expect(found.flatMap((s) => [s.Resource].flat())).toHaveLength(perExport * 100);
      for (const s of found) expect([s.Resource].flat().length).toBeLessThanOrEqual(RESOURCES_PER_STATEMENT);
    }
    expect(byAction('kms:Decrypt')).toHaveLength(1);

    const { inline, managed } = handlerPolicies(t);
    const size = (p: any) => JSON.stringify(p.Properties.PolicyDocument).length;
    const total = [...inline, ...managed].reduce((sum, p) => sum + size(p), 0);
    // IAM: 10,240 characters of inline policy per role, 6,144 per managed policy, 10 managed policies per role
    // (one is AWSLambdaBasicExecutionRole). CDK splits by its estimate (150 characters per ARN reference).
    expect(inline.reduce((sum, p) => sum + size(p), 0)).toBeLessThanOrEqual(10_240);
    for (const p of managed) expect(size(p)).toBeLessThanOrEqual(6_144);
    // 400 ARN references (certificates twice: export and renewal) fill 8, which leaves room for AWSLambdaBasicExecutionRole.
    expect(managed.length).toBeLessThanOrEqual(8);
    expect(managed.length + 1).toBeLessThanOrEqual(10);
    // eslint-disable-next-line no-console
    console.info(`policy size for 100 exports: ${total} characters of policy JSON in ${inline.length} inline and ${managed.length} managed policies`);
    // What one role can hold: the inline aggregate plus 9 managed policies next to AWSLambdaBasicExecutionRole.
    expect(total).toBeLessThanOrEqual(10_240 + 9 * 6_144);
  });

  test('a stack whose handler role needs more than 10 managed policies gets a warning; 100 exports do not', () => {
    // The warnings of the synthesis synthTemplate made (Annotations.fromStack would synthesize the big stacks again).
    const warnings = (stack: Stack) => (stack.node.root as App).synth().getStackArtifact(stack.artifactId).messages
      .filter((m) => m.level === 'warning' && /overflow managed policies/.test(String(m.entry.data)));
    const many = stackWithExports(120, { renewalToken: '1' }).stack;
    synthTemplate(many);
    const found = warnings(many);
    expect(found).toHaveLength(1);
    expect(found[0].id).toBe('/Stack/CdkPkiCertificateExportShared');
    expect(found[0].entry.data).toMatch(/^The certificate exports of this stack need 10 overflow managed policies on the export handler's role \(11 with AWSLambdaBasicExecutionRole\)/);
    expect(warnings(hundred().stack)).toHaveLength(0);
  });

  test('an imported certificate gets acm:ExportCertificate through the shared statement', () => {
    const { stack } = stackWithExports(2);
    const t = synthTemplate(stack);
    expect(statementFor(t, 'acm:ExportCertificate')).toEqual({
      Action: ['acm:ExportCertificate', 'acm:DescribeCertificate'], Effect: 'Allow', Resource: [certArn(0), certArn(1)],
    });
  });

  test('a topic shared by exports is granted once', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    new CertificateExport(stack, 'A', { certificate: PublicCertificate.fromCertificateArn(stack, 'CertA', certArn(1)), notifyTopic: topic });
    new CertificateExport(stack, 'B', { certificate: PublicCertificate.fromCertificateArn(stack, 'CertB', certArn(2)), notifyTopic: topic });
    expect(statementFor(synthTemplate(stack), 'sns:Publish').Resource).toEqual({ Ref: expect.stringMatching(/^Topic/) });
  });
});

describe('issue 13: Day-2 behaviour of CertificateExport', () => {
  test('issue 13 (3): the secrets and the shared key default to RETAIN_ON_UPDATE_OR_DELETE (RetainExceptOnCreate); SNAPSHOT is refused', () => {
    const stack = newStack();
    new CertificateExport(stack, 'Export', { certificate: exportable(stack) });
    const t = synthTemplate(stack);
    for (const type of [SECRET, 'AWS::KMS::Key']) {
      for (const r of Object.values(t.findResources(type)) as any[]) {
        expect([r.DeletionPolicy, r.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
      }
    }
    const other = newStack();
    expect(() => new CertificateExport(other, 'Export', { certificate: exportable(other), removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow('Stack/Export: removalPolicy RemovalPolicy.SNAPSHOT is not supported by secrets and KMS keys: use RETAIN_ON_UPDATE_OR_DELETE (the default), RETAIN or DESTROY.');
  });

  test('issue 13 (4): failed async invocations go to an encrypted, TLS-only dead-letter queue with an alarm; one per stack', () => {
    const { stack, exports } = stackWithExports(2);
    const t = synthTemplate(stack);
    t.resourceCountIs('AWS::SQS::Queue', 1);
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const queuePolicy = JSON.stringify(t.findResources('AWS::SQS::QueuePolicy'));
    expect(queuePolicy).toContain('"aws:SecureTransport":"false"');
    expect(queuePolicy).toContain('events.amazonaws.com');
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^CdkPkiCertificateExportProviderHandler') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkPkiCertificateExportSharedFailureQueue'), 'Arn'] } } },
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkPkiCertificateExportSharedFailureQueue'), 'QueueName'] } }],
    });
    expect(exports[0].failureQueue).toBe(exports[1].failureQueue);
    expect(exports[0].failureAlarm).toBe(exports[1].failureAlarm);
    // The handler may send to the queue (the on-failure destination).
    expect(statementFor(t, 'sqs:SendMessage').Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CdkPkiCertificateExportSharedFailureQueue/), 'Arn'] });
  });

  test('issue 13 (4): a reconcile rule per batch, daily by default; exports with another schedule get their own batch', () => {
    const stack = newStack();
    const a = new CertificateExport(stack, 'A', { certificate: PublicCertificate.fromCertificateArn(stack, 'CertA', certArn(1)) });
    const b = new CertificateExport(stack, 'B', { certificate: PublicCertificate.fromCertificateArn(stack, 'CertB', certArn(2)) });
    const hourly = new CertificateExport(stack, 'C', {
      certificate: PublicCertificate.fromCertificateArn(stack, 'CertC', certArn(3)),
      reconcileSchedule: events.Schedule.rate(Duration.hours(1)),
    });
    const t = synthTemplate(stack);
    expect(a.reconcileRule).toBe(b.reconcileRule);
    expect(hourly.reconcileRule).not.toBe(a.reconcileRule);
    expect(hourly.renewalRule).not.toBe(a.renewalRule);
    t.hasResourceProperties(RULE, { ScheduleExpression: 'rate(1 day)' });
    t.hasResourceProperties(RULE, { ScheduleExpression: 'rate(1 hour)' });
    const rule = t.findResources(RULE)[stack.getLogicalId(a.reconcileRule.node.defaultChild as any)];
    const [target] = rule.Properties.Targets;
    const rendered = JSON.stringify(stack.resolve(target.InputTransformer.InputTemplate));
    expect(rendered).toContain(certArn(1));
    expect(rendered).toContain(certArn(2));
    expect(rendered).not.toContain(certArn(3));
    expect(target.InputTransformer.InputPathsMap).toMatchObject({ 'source': '$.source', 'detail-type': '$.detail-type' });
  });

  test('issue 13 (7): the passphrase can be granted apart from the certificate secret', () => {
    const stack = newStack();
    const exp = new CertificateExport(stack, 'Export', { certificate: exportable(stack) });
    const certReader = new iam.Role(stack, 'CertReader', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const passReader = new iam.Role(stack, 'PassReader', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    exp.grantReadCertificate(certReader);
    exp.grantReadPassphrase(passReader);
    const t = synthTemplate(stack);
    const resourcesOf = (role: string) => (Object.values(t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${role}`) }] } }))[0] as any)
      .Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Resource].flat());
    expect(resourcesOf('CertReader')).toEqual([{ Ref: expect.stringMatching(/^ExportSecret/) }]);
    expect(resourcesOf('PassReader')).toEqual([{ Ref: expect.stringMatching(/^ExportPassphrase/) }]);
  });
});
