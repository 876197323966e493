import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CertificateExport } from '../../src/certificates/certificate-export';
import { CertificateMaterial } from '../../src/certificates/certificate-material';
import { ImportedCertificate } from '../../src/certificates/imported-certificate';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { OWNER_TAG } from '../../src/handlers/imported-certificate/contract';
import { synthTemplate } from '../harness/cfn-lint';
import { handlerRoles, policiesInForceAtDelete, resolveIntrinsics, simulate, type SimulateRequest } from '../harness/template-change';

/**
 * Issue 13, item 7 (least privilege on shared handlers), checked with the offline IAM simulator
 * (@cloud-copilot/iam-simulate through test/harness/template-change.ts) on the synthesized templates
 * of ImportedCertificate and CertificateExport. The handler roles' attached policies are resolved with
 * account 123456789012 and region us-east-1 (the stack's environment below, and the harness's).
 */

const ENV = { account: '123456789012', region: 'us-east-1' };
const REGION = ENV.region;
const MATERIAL_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:certs/web-AbCdEf';
const OTHER_STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/OtherStack/00000000-1111-2222-3333-444444444444';
/** A certificate of this account and region that the stack did not import (any ID: the policy cannot tell by ARN). */
const SOME_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/99999999-8888-7777-6666-555555555555';
const OWNER_KEY = `aws:ResourceTag/${OWNER_TAG}`;
const REQUEST_KEY = `aws:RequestTag/${OWNER_TAG}`;

interface Synth {
  readonly template: any;
  readonly stack: Stack;
}

function synth(build: (s: Stack) => void): Synth {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  build(stack);
  return { template: synthTemplate(stack).toJSON(), stack };
}

function customResourceOf(template: any, type: string): string {
  const ids = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === type);
  expect(ids).toHaveLength(1);
  return ids[0];
}

/**
 * The policies attached to the handler role of the custom resource, intrinsics resolved (inline
 * AWS::IAM::Policy, overflow managed policies, inline role policies): what `policiesInForceAtDelete`
 * gives when the template does not change.
 */
function handlerPolicies(template: any, customResourceId: string): Array<{ name: string; document: any }> {
  const roles = handlerRoles(template, customResourceId);
  expect(roles).toHaveLength(1);
  const policies = policiesInForceAtDelete(template, template, customResourceId, roles[0]);
  expect(policies.length).toBeGreaterThan(0);
  return policies.map((p) => ({ name: p.name, document: p.document }));
}

function stackIdOf(template: any): string {
  return resolveIntrinsics(template, { Ref: 'AWS::StackId' });
}

describe('ImportedCertificate handler: ACM actions only on certificates its stack owns (simulated)', () => {
  const s = synth((stack) => {
    new ImportedCertificate(stack, 'Cert', {
      material: CertificateMaterial.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(stack, 'Material', MATERIAL_SECRET_ARN)),
    });
  });
  const crId = customResourceOf(s.template, 'Custom::CdkPkiImportedCertificate');
  const policies = handlerPolicies(s.template, crId);
  const ownArn = resolveIntrinsics(s.template, { Ref: crId });
  const stackId = stackIdOf(s.template);
  const sim = (req: Omit<SimulateRequest, 'policies' | 'statements'>) => simulate({ policies, ...req });

  test('the handler gets the stack ID as its owner value, and the policy conditions on the same tag key and value', () => {
    const fnId = Object.keys(s.template.Resources).find((id) => {
      const r = s.template.Resources[id];
      return r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.CDK_PKI_OWNER !== undefined;
    })!;
    expect(s.template.Resources[fnId].Properties.Environment.Variables.CDK_PKI_OWNER).toEqual({ Ref: 'AWS::StackId' });
    const conditions = JSON.stringify(policies.map((p) => p.document));
    expect(OWNER_TAG).toBe('cdk-pki:owner');
    expect(conditions).toContain(`"${OWNER_KEY}":"${stackId}"`);
    expect(conditions).toContain(`"${REQUEST_KEY}":"${stackId}"`);
  });

  test('it can reimport its own certificate (acm:ImportCertificate with aws:ResourceTag/cdk-pki:owner = the stack ID)', async () => {
    expect(ownArn).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\//);
    for (const resource of [ownArn, SOME_CERT]) {
      expect(await sim({ action: 'acm:ImportCertificate', resource, context: { [OWNER_KEY]: stackId } })).toBe('Allowed');
    }
    // and what a reimport does next: state its tags again
    expect(await sim({ action: 'acm:AddTagsToCertificate', resource: ownArn, context: { [OWNER_KEY]: stackId } })).toBe('Allowed');
    expect(await sim({ action: 'acm:RemoveTagsFromCertificate', resource: ownArn, context: { [OWNER_KEY]: stackId } })).toBe('Allowed');
  });

  test('it cannot reimport another certificate: another stack\'s owner tag, or no owner tag, is denied', async () => {
    expect(await sim({ action: 'acm:ImportCertificate', resource: SOME_CERT, context: { [OWNER_KEY]: OTHER_STACK_ID } })).toBe('ImplicitlyDenied');
    expect(await sim({ action: 'acm:ImportCertificate', resource: SOME_CERT, context: { [OWNER_KEY]: '' } })).toBe('ImplicitlyDenied');
    // An existing certificate without the tag: only a new import carrying this stack's tag would match, and ACM
    // takes no tags on a reimport (so no aws:RequestTag), hence denied.
    expect(await sim({ action: 'acm:ImportCertificate', resource: SOME_CERT })).toBe('ImplicitlyDenied');
    // A reimport that tries to smuggle this stack's tag onto a certificate owned by another stack
    expect(await sim({
      action: 'acm:ImportCertificate', resource: SOME_CERT, context: { [OWNER_KEY]: OTHER_STACK_ID, [REQUEST_KEY]: stackId },
    })).toBe('ImplicitlyDenied');
    // nor retag one of another stack (to take it over)
    expect(await sim({
      action: 'acm:AddTagsToCertificate', resource: SOME_CERT, context: { [OWNER_KEY]: OTHER_STACK_ID, [REQUEST_KEY]: stackId },
    })).toBe('ImplicitlyDenied');
    expect(await sim({ action: 'acm:RemoveTagsFromCertificate', resource: SOME_CERT, context: { [OWNER_KEY]: OTHER_STACK_ID } })).toBe('ImplicitlyDenied');
  });

  test('a new import must carry this stack\'s owner tag', async () => {
    expect(await sim({ action: 'acm:ImportCertificate', resource: SOME_CERT, context: { [REQUEST_KEY]: stackId } })).toBe('Allowed');
    expect(await sim({ action: 'acm:ImportCertificate', resource: SOME_CERT, context: { [REQUEST_KEY]: OTHER_STACK_ID } })).toBe('ImplicitlyDenied');
  });

  test('it can delete its own certificate; it cannot delete another stack\'s, nor an untagged one', async () => {
    expect(await sim({ action: 'acm:DeleteCertificate', resource: ownArn, context: { [OWNER_KEY]: stackId } })).toBe('Allowed');
    expect(await sim({ action: 'acm:DeleteCertificate', resource: SOME_CERT, context: { [OWNER_KEY]: OTHER_STACK_ID } })).toBe('ImplicitlyDenied');
    expect(await sim({ action: 'acm:DeleteCertificate', resource: SOME_CERT })).toBe('ImplicitlyDenied');
    // another region or account is out of reach, whatever the tag
    for (const resource of [SOME_CERT.replace('us-east-1', 'eu-west-1'), SOME_CERT.replace('123456789012', '222222222222')]) {
      expect(await sim({ action: 'acm:DeleteCertificate', resource, context: { [OWNER_KEY]: stackId } })).toBe('ImplicitlyDenied');
    }
  });

  test('reads (DescribeCertificate, ListTagsForCertificate) are unconditioned, so it can check ownership first', async () => {
    for (const action of ['acm:DescribeCertificate', 'acm:ListTagsForCertificate']) {
      expect(await sim({ action, resource: SOME_CERT })).toBe('Allowed');
    }
  });
});

describe('CertificateExport: the handler uses the export key only through Secrets Manager; the two secrets are granted separately (simulated)', () => {
  let readers: { passphrase: string; certificate: string } = { passphrase: '', certificate: '' };
  const s = synth((stack) => {
    const exp = new CertificateExport(stack, 'Export', {
      certificate: new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', allowExport: true }),
    });
    const passphraseReader = new iam.Role(stack, 'PassphraseReader', { assumedBy: new iam.AccountRootPrincipal() });
    const certificateReader = new iam.Role(stack, 'CertificateReader', { assumedBy: new iam.AccountRootPrincipal() });
    exp.grantReadPassphrase(passphraseReader);
    exp.grantReadCertificate(certificateReader);
    readers = {
      passphrase: stack.getLogicalId(passphraseReader.node.defaultChild as iam.CfnRole),
      certificate: stack.getLogicalId(certificateReader.node.defaultChild as iam.CfnRole),
    };
  });
  const crId = customResourceOf(s.template, 'Custom::CdkPkiCertificateExport');
  const policies = handlerPolicies(s.template, crId);
  const props = s.template.Resources[crId].Properties;
  const exportSecret = resolveIntrinsics(s.template, props.SecretArn);
  const passphraseSecret = resolveIntrinsics(s.template, props.PassphraseSecretArn);
  const keyId = Object.keys(s.template.Resources).find((id) => s.template.Resources[id].Type === 'AWS::KMS::Key')!;
  const keyArn = resolveIntrinsics(s.template, { 'Fn::GetAtt': [keyId, 'Arn'] });
  const VIA_SM = `secretsmanager.${REGION}.amazonaws.com`;
  /** The key's own policy, resolved: the KMS requests below are evaluated against it, as KMS does. */
  const keyPolicy = resolveIntrinsics(s.template, s.template.Resources[keyId].Properties.KeyPolicy);
  const roleArn = (roleId: string) => resolveIntrinsics(s.template, { 'Fn::GetAtt': [roleId, 'Arn'] });
  const handlerArn = roleArn(handlerRoles(s.template, crId)[0]);
  const sim = (req: Omit<SimulateRequest, 'policies' | 'statements'>) => simulate({
    policies, principal: handlerArn, ...(req.action.startsWith('kms:') ? { resourcePolicy: keyPolicy } : {}), ...req,
  });

  test('the ARNs resolve as expected', () => {
    expect(exportSecret).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:/);
    expect(passphraseSecret).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:/);
    expect(exportSecret).not.toBe(passphraseSecret);
    expect(keyArn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
  });

  test('it can decrypt and generate data keys with the export key through Secrets Manager, for a secret of its account and region', async () => {
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
      for (const secret of [exportSecret, passphraseSecret]) {
        expect(await sim({ action, resource: keyArn, context: { 'kms:ViaService': VIA_SM, 'kms:EncryptionContext:SecretARN': secret } })).toBe('Allowed');
      }
    }
  });

  test('it cannot decrypt outside Secrets Manager', async () => {
    // a direct call (no kms:ViaService)
    expect(await sim({ action: 'kms:Decrypt', resource: keyArn, context: { 'kms:EncryptionContext:SecretARN': exportSecret } })).toBe('ImplicitlyDenied');
    expect(await sim({ action: 'kms:Decrypt', resource: keyArn })).toBe('ImplicitlyDenied');
    // through another service, or Secrets Manager of another region
    for (const via of [`s3.${REGION}.amazonaws.com`, `ssm.${REGION}.amazonaws.com`, 'secretsmanager.eu-west-1.amazonaws.com']) {
      expect(await sim({ action: 'kms:Decrypt', resource: keyArn, context: { 'kms:ViaService': via, 'kms:EncryptionContext:SecretARN': exportSecret } }))
        .toBe('ImplicitlyDenied');
    }
    // through Secrets Manager, but without a secret's encryption context, or for a secret of another account
    expect(await sim({ action: 'kms:Decrypt', resource: keyArn, context: { 'kms:ViaService': VIA_SM } })).toBe('ImplicitlyDenied');
    expect(await sim({
      action: 'kms:Decrypt',
      resource: keyArn,
      context: { 'kms:ViaService': VIA_SM, 'kms:EncryptionContext:SecretARN': exportSecret.replace('123456789012', '222222222222') },
    })).toBe('ImplicitlyDenied');
  });

  test('it has no kms:Encrypt, in any context, and names no kms:Encrypt or kms:* action', async () => {
    const contexts: Array<Record<string, string>> = [{}, { 'kms:ViaService': VIA_SM, 'kms:EncryptionContext:SecretARN': exportSecret }];
    for (const context of contexts) {
      expect(await sim({ action: 'kms:Encrypt', resource: keyArn, context })).toBe('ImplicitlyDenied');
    }
    const actions = policies.flatMap((p) => p.document.Statement.flatMap((st: any) => [st.Action].flat()));
    expect(actions.filter((a: string) => a.startsWith('kms:'))).not.toContainEqual(expect.stringMatching(/^kms:(Encrypt|\*)$/));
  });

  test('it can read the passphrase and write the export secret, but not write the passphrase', async () => {
    expect(await sim({ action: 'secretsmanager:GetSecretValue', resource: passphraseSecret })).toBe('Allowed');
    expect(await sim({ action: 'secretsmanager:PutSecretValue', resource: exportSecret })).toBe('Allowed');
    expect(await sim({ action: 'secretsmanager:PutSecretValue', resource: passphraseSecret })).toBe('ImplicitlyDenied');
  });

  /** The statements attached to one of the reader roles, resolved. */
  function readerPolicies(roleId: string): Array<{ name: string; document: any }> {
    return Object.entries<any>(s.template.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
      .map(([id, r]) => ({ name: id, document: resolveIntrinsics(s.template, r.Properties.PolicyDocument) }));
  }

  /**
   * What a reader role may do: its identity policies, and for KMS the key policy (CDK's Secret.grantRead
   * puts the reader's kms:Decrypt, conditioned on kms:ViaService, in the key policy of a key of the same stack).
   * The two secrets share the key, so which secret a reader gets is decided by the Secrets Manager actions.
   */
  async function readerCan(roleId: string, action: string, resource: string, context?: Record<string, string>) {
    return simulate({
      policies: readerPolicies(roleId),
      principal: roleArn(roleId),
      action,
      resource,
      context,
      ...(action.startsWith('kms:') ? { resourcePolicy: keyPolicy } : {}),
    });
  }

  test.each([
    ['grantReadPassphrase(): the grantee reads the passphrase secret, not the certificate secret', 'passphrase'],
    ['grantReadCertificate(): the grantee reads the certificate secret, not the passphrase secret', 'certificate'],
  ] as const)('%s', async (_name, which) => {
    const roleId = readers[which];
    const [granted, other] = which === 'passphrase' ? [passphraseSecret, exportSecret] : [exportSecret, passphraseSecret];
    expect(readerPolicies(roleId).length).toBeGreaterThan(0);
    for (const action of ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']) {
      expect(await readerCan(roleId, action, granted)).toBe('Allowed');
      expect(await readerCan(roleId, action, other)).toBe('ImplicitlyDenied');
    }
    expect(await readerCan(roleId, 'secretsmanager:PutSecretValue', granted)).toBe('ImplicitlyDenied');
    // the key, only through Secrets Manager
    expect(await readerCan(roleId, 'kms:Decrypt', keyArn, { 'kms:ViaService': VIA_SM })).toBe('Allowed');
    expect(await readerCan(roleId, 'kms:Decrypt', keyArn)).toBe('ImplicitlyDenied');
    expect(await readerCan(roleId, 'kms:Decrypt', keyArn, { 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
  });

  test('a role granted nothing can read neither secret', async () => {
    const nobody = { policies: [] as Array<{ name: string; document: any }>, principal: 'arn:aws:iam::123456789012:role/nobody' };
    for (const resource of [exportSecret, passphraseSecret]) {
      expect(await simulate({ ...nobody, action: 'secretsmanager:GetSecretValue', resource })).toBe('ImplicitlyDenied');
    }
  });
});
