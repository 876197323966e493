import { App, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { synthTemplate } from './cfn-lint';
import {
  deleteAllowed,
  dependenciesOf,
  handlerRoles,
  policiesInForceAtDelete,
  removedCustomResources,
  resolveIntrinsics,
  simulate,
} from './template-change';
import { CertificateAuthorityPolicy } from '../../src/private-ca/ca-policy';
import { CaSharePrincipal } from '../../src/private-ca/ca-share-principal';
import { RootCa } from '../../src/private-ca/root-ca';

/*
 * test/harness/template-change.ts: the IAM simulator helper with condition keys, intrinsic
 * resolution, hand-made before/after pairs (the Delete permission lost, or kept by a per-resource
 * policy the custom resource depends on), and the library's CertificateAuthorityPolicy.
 */

const CA1 = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-1111-1111-1111-111111111111';
const CA2 = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/22222222-2222-2222-2222-222222222222';
const END_ENTITY = 'arn:aws:acm-pca:::template/EndEntityCertificate/V1';
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0b1f7e0c-1111-2222-3333-444455556666';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cdk-pki/site-AbCdEf';
const VIA_SM = 'secretsmanager.us-east-1.amazonaws.com';

describe('simulate (least-privilege assertions)', () => {
  test('resource-scoped statements: the own resource only; an explicit Deny wins', async () => {
    const statements = [{ Effect: 'Allow', Action: ['acm-pca:GetPolicy', 'acm-pca:DeletePolicy'], Resource: CA1 }];
    expect(await simulate({ statements, action: 'acm-pca:DeletePolicy', resource: CA1 })).toBe('Allowed');
    expect(await simulate({ statements, action: 'acm-pca:DeletePolicy', resource: CA2 })).toBe('ImplicitlyDenied');
    expect(await simulate({ statements, action: 'acm-pca:PutPolicy', resource: CA1 })).toBe('ImplicitlyDenied');
    const denied = [...statements, { Effect: 'Deny', Action: 'acm-pca:*', Resource: '*' }];
    expect(await simulate({ statements: denied, action: 'acm-pca:DeletePolicy', resource: CA1 })).toBe('ExplicitlyDenied');
  });

  test('tag conditions: reimport only a certificate the stack owns; request only with the owner tag', async () => {
    const statements = [
      { Effect: 'Allow', Action: 'acm:ImportCertificate', Resource: 'arn:aws:acm:us-east-1:123456789012:certificate/*', Condition: { StringEquals: { 'aws:ResourceTag/cdk-pki:stack': 'Stack' } } },
      { Effect: 'Allow', Action: ['acm:RequestCertificate', 'acm:AddTagsToCertificate'], Resource: '*', Condition: { 'StringEquals': { 'aws:RequestTag/cdk-pki:stack': 'Stack' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['cdk-pki:stack', 'team'] } } },
    ];
    expect(await simulate({ statements, action: 'acm:ImportCertificate', resource: CERT, context: { 'aws:ResourceTag/cdk-pki:stack': 'Stack' } })).toBe('Allowed');
    expect(await simulate({ statements, action: 'acm:ImportCertificate', resource: CERT, context: { 'aws:ResourceTag/cdk-pki:stack': 'Other' } })).toBe('ImplicitlyDenied');
    expect(await simulate({ statements, action: 'acm:ImportCertificate', resource: CERT })).toBe('ImplicitlyDenied');
    const tags = (stack: string, keys: string[]) => ({ 'aws:RequestTag/cdk-pki:stack': stack, 'aws:TagKeys': keys });
    expect(await simulate({ statements, action: 'acm:RequestCertificate', resource: '*', context: tags('Stack', ['cdk-pki:stack']) })).toBe('Allowed');
    expect(await simulate({ statements, action: 'acm:RequestCertificate', resource: '*', context: tags('Stack', ['cdk-pki:stack', 'evil']) })).toBe('ImplicitlyDenied');
    expect(await simulate({ statements, action: 'acm:RequestCertificate', resource: '*', context: tags('Other', ['cdk-pki:stack']) })).toBe('ImplicitlyDenied');
  });

  test('KMS only through Secrets Manager, for the own secret\'s encryption context; the key policy takes part', async () => {
    const statements = [{
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: KEY,
      Condition: { StringEquals: { 'kms:ViaService': VIA_SM, 'kms:EncryptionContext:SecretARN': SECRET } },
    }];
    const ctx = (via: string, secret: string) => ({ 'kms:ViaService': via, 'kms:EncryptionContext:SecretARN': secret });
    expect(await simulate({ statements, action: 'kms:Decrypt', resource: KEY, context: ctx(VIA_SM, SECRET) })).toBe('Allowed');
    expect(await simulate({ statements, action: 'kms:Decrypt', resource: KEY, context: ctx(VIA_SM, `${SECRET}x`) })).toBe('ImplicitlyDenied');
    expect(await simulate({ statements, action: 'kms:Decrypt', resource: KEY, context: ctx('s3.us-east-1.amazonaws.com', SECRET) })).toBe('ImplicitlyDenied');
    expect(await simulate({ statements, action: 'kms:Decrypt', resource: KEY, context: { 'kms:ViaService': VIA_SM } })).toBe('ImplicitlyDenied');
    expect(await simulate({ statements, action: 'kms:Decrypt', resource: KEY })).toBe('ImplicitlyDenied');
    // A key policy that does not delegate to IAM: the identity policy alone is not enough.
    const keyPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/admin' }, Action: 'kms:*', Resource: '*' }] };
    expect(await simulate({ statements, action: 'kms:Decrypt', resource: KEY, context: ctx(VIA_SM, SECRET), resourcePolicy: keyPolicy })).toBe('ImplicitlyDenied');
    expect(await simulate({ statements: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY, Condition: { StringEquals: { 'kms:ViaService': VIA_SM } } }], action: 'kms:Decrypt', resource: KEY, context: { 'kms:ViaService': VIA_SM } })).toBe('Allowed');
  });

  test('IssueCertificate limited to end-entity templates (acm-pca:TemplateArn)', async () => {
    const statements = [{ Effect: 'Allow', Action: 'acm-pca:IssueCertificate', Resource: CA1, Condition: { StringEquals: { 'acm-pca:TemplateArn': [END_ENTITY] } } }];
    expect(await simulate({ statements, action: 'acm-pca:IssueCertificate', resource: CA1, context: { 'acm-pca:TemplateArn': END_ENTITY } })).toBe('Allowed');
    expect(await simulate({ statements, action: 'acm-pca:IssueCertificate', resource: CA1, context: { 'acm-pca:TemplateArn': 'arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1' } })).toBe('ImplicitlyDenied');
  });

  test('a context key that does not apply, an unresolved intrinsic or a bad resource ARN is an error, not a silent deny', async () => {
    const statements = [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }];
    await expect(simulate({ statements, action: 'kms:Decrypt', resource: KEY, context: { 'acm-pca:TemplateArn': END_ENTITY } }))
      .rejects.toThrow(`context key(s) acm-pca:TemplateArn do not apply to kms:Decrypt on ${KEY}`);
    await expect(simulate({ statements: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': ['Key', 'Arn'] } }], action: 'kms:Decrypt', resource: KEY }))
      .rejects.toThrow(/the IAM simulator refused kms:Decrypt .*Must be a string or array of strings/);
    await expect(simulate({ statements, action: 'acm-pca:DeletePolicy', resource: 'not-an-arn' })).rejects.toThrow('the IAM simulator refused');
  });

  test('a resource in another account needs its resource policy', async () => {
    const other = CA1.replace('123456789012', '210987654321');
    const statements = [{ Effect: 'Allow', Action: 'acm-pca:DeletePolicy', Resource: other }];
    expect(await simulate({ statements, action: 'acm-pca:DeletePolicy', resource: other })).toBe('ImplicitlyDenied');
    expect(await simulate({ statements, action: 'acm-pca:DeletePolicy', resource: other, principal: 'arn:aws:iam::210987654321:role/handler' })).toBe('Allowed');
  });
});

describe('resolveIntrinsics', () => {
  const template = {
    Parameters: { Env: { Type: 'String', Default: 'prod' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
    Mappings: { Zones: { prod: { Id: 'Z123' } } },
    Resources: {
      Ca: { Type: 'AWS::ACMPCA::CertificateAuthority', Properties: {} },
      Activation: { Type: 'AWS::ACMPCA::CertificateAuthorityActivation', Properties: { CertificateAuthorityArn: { 'Fn::GetAtt': ['Ca', 'Arn'] } } },
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'cdk-pki/site' } },
      Cert: { Type: 'AWS::CertificateManager::Certificate', Properties: {} },
      Dns: { Type: 'Custom::CdkPkiDnsValidatedCertificate', Properties: { Region: 'eu-west-1' } },
      Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'handler' } },
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
    },
  };
  const r = (v: unknown, env = {}) => resolveIntrinsics(template, v, env);

  test('ARNs of the known types, the same for a logical ID in any template', () => {
    const ca = r({ Ref: 'Ca' });
    expect(ca).toMatch(/^arn:aws:acm-pca:us-east-1:123456789012:certificate-authority\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(r({ 'Fn::GetAtt': ['Ca', 'Arn'] })).toBe(ca);
    expect(r({ Ref: 'Activation' })).toBe(ca);
    expect(resolveIntrinsics({ Resources: { Ca: template.Resources.Ca } }, { Ref: 'Ca' })).toBe(ca);
    expect(r({ Ref: 'Key' })).toMatch(/^[0-9a-f-]{36}$/);
    expect(r({ 'Fn::GetAtt': ['Key', 'Arn'] })).toBe(`arn:aws:kms:us-east-1:123456789012:key/${r({ Ref: 'Key' })}`);
    expect(r({ Ref: 'Secret' })).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:cdk-pki\/site-[0-9a-f]{6}$/);
    expect(r({ Ref: 'Cert' })).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\//);
    expect(r({ Ref: 'Dns' })).toMatch(/^arn:aws:acm:eu-west-1:123456789012:certificate\//);
    expect(r({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('arn:aws:iam::123456789012:role/handler');
    expect(r({ 'Fn::GetAtt': 'Fn.Arn' })).toMatch(/^arn:aws:lambda:us-east-1:123456789012:function:Stack-Fn-/);
  });

  test('Join, Sub, Select, Split, If, FindInMap, ImportValue, NoValue, parameters and the environment', () => {
    expect(r({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm-pca:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':x']] }, { account: '111111111111', region: 'eu-west-1', partition: 'aws-cn' }))
      .toBe('arn:aws-cn:acm-pca:eu-west-1:111111111111:x');
    expect(r({ 'Fn::Sub': '${Key.Arn}|${AWS::Region}|${!Literal}' })).toBe(`${r({ 'Fn::GetAtt': ['Key', 'Arn'] })}|us-east-1|\${Literal}`);
    expect(r({ 'Fn::Sub': ['${A}-${Role}', { A: { Ref: 'Env' } }] })).toBe('prod-handler');
    expect(r({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('b');
    expect(r({ 'Fn::If': ['IsProd', 'yes', 'no'] })).toBe('yes');
    expect(r({ 'Fn::FindInMap': ['Zones', { Ref: 'Env' }, 'Id'] })).toBe('Z123');
    expect(r({ 'Fn::ImportValue': 'Shared-Arn' })).toBe('imported:Shared-Arn');
    expect(r({ A: { Ref: 'AWS::NoValue' }, B: [1, { Ref: 'AWS::NoValue' }] })).toEqual({ B: [1] });
    expect(r({ Ref: 'Fn' }, { refs: { Fn: { Ref: 'given-name' } } })).toBe('given-name');
    expect(() => r({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] })).toThrow('cannot resolve Fn::Cidr');
    expect(() => r({ Ref: 'Missing' })).toThrow('Ref to Missing: no such resource');
  });
});

/** A hand-made stack: one shared handler role behind a provider framework function, custom resources on CAs. */
function handMade(o: {
  shared: string[];
  own?: Record<string, string>;
  resources: Record<string, { ca: string; dependsOnOwn?: boolean }>;
  inline?: string[];
  managed?: string[];
}) {
  const statement = (cas: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['acm-pca:GetPolicy', 'acm-pca:DeletePolicy'], Resource: cas }] });
  const Resources: Record<string, any> = {
    HandlerRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {},
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }, ...(o.managed ? [{ Ref: 'Managed' }] : [])],
        ...(o.inline ? { Policies: [{ PolicyName: 'inline', PolicyDocument: statement(o.inline) }] } : {}),
      },
    },
    SharedPolicy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'shared', Roles: [{ Ref: 'HandlerRole' }], PolicyDocument: statement(o.shared) } },
    Handler: { Type: 'AWS::Lambda::Function', DependsOn: ['SharedPolicy', 'HandlerRole'], Properties: { Role: { 'Fn::GetAtt': ['HandlerRole', 'Arn'] } } },
    FrameworkRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    Framework: {
      Type: 'AWS::Lambda::Function',
      Properties: { Role: { 'Fn::GetAtt': ['FrameworkRole', 'Arn'] }, Environment: { Variables: { USER_ON_EVENT_FUNCTION_ARN: { 'Fn::GetAtt': ['Handler', 'Arn'] } } } },
    },
    ...(o.managed ? { Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: statement(o.managed) } } } : {}),
  };
  for (const [id, cas] of Object.entries(o.own ?? {})) {
    Resources[id] = { Type: 'AWS::IAM::Policy', Properties: { PolicyName: id, Roles: [{ Ref: 'HandlerRole' }], PolicyDocument: statement([cas]) } };
  }
  for (const [id, r] of Object.entries(o.resources)) {
    Resources[id] = {
      Type: 'Custom::CdkPkiCaPolicy',
      ...(r.dependsOnOwn ? { DependsOn: [`${id}Own`] } : {}),
      Properties: { ServiceToken: { 'Fn::GetAtt': ['Framework', 'Arn'] }, CertificateAuthorityArn: r.ca },
    };
  }
  return { Resources };
}

const DELETE = ['acm-pca:GetPolicy', 'acm-pca:DeletePolicy'];

describe('hand-made before/after pairs', () => {
  test('the shared policy shrinks in the update phase: the removed resource\'s Delete is denied', async () => {
    const before = handMade({ shared: [CA1, CA2], resources: { X1: { ca: CA1 }, X2: { ca: CA2 } } });
    const after = handMade({ shared: [CA2], resources: { X2: { ca: CA2 } } });
    expect(removedCustomResources(before, after)).toEqual(['X1']);
    expect(handlerRoles(before, 'X1')).toEqual(['HandlerRole']);
    const v = await deleteAllowed({ before, after, logicalId: 'X1', actions: DELETE, resources: [{ Ref: 'X1' }] });
    expect(v.allowed).toBe(false);
    expect(v.denied).toEqual([
      { role: 'HandlerRole', action: 'acm-pca:GetPolicy', resource: CA1, result: 'ImplicitlyDenied' },
      { role: 'HandlerRole', action: 'acm-pca:DeletePolicy', resource: CA1, result: 'ImplicitlyDenied' },
    ]);
    expect(v.policies.HandlerRole.map((p) => p.name)).toEqual(['after:SharedPolicy']);
    // The remaining resource is still allowed (the simulation is not denying everything).
    expect((await deleteAllowed({ before, after: before, logicalId: 'X2', actions: DELETE, resources: [CA2] })).allowed).toBe(true);
  });

  test('a per-resource policy the custom resource DependsOn is deleted after it: the Delete is allowed', async () => {
    const before = handMade({ shared: [CA2], own: { X1Own: CA1 }, resources: { X1: { ca: CA1, dependsOnOwn: true }, X2: { ca: CA2 } } });
    const after = handMade({ shared: [CA2], resources: { X2: { ca: CA2 } } });
    expect(dependenciesOf(before, 'X1')).toEqual(new Set(['X1Own', 'Framework', 'FrameworkRole', 'Handler', 'SharedPolicy', 'HandlerRole']));
    const v = await deleteAllowed({ before, after, logicalId: 'X1', actions: DELETE, resources: [CA1] });
    expect(v).toMatchObject({ allowed: true, denied: [] });
    expect(v.policies.HandlerRole.map((p) => `${p.name} ${p.from}`)).toEqual(['after:SharedPolicy after', 'before:X1Own before']);
  });

  test('a removed per-resource policy without the dependency may be gone first: it does not count', async () => {
    const before = handMade({ shared: [CA2], own: { X1Own: CA1 }, resources: { X1: { ca: CA1 }, X2: { ca: CA2 } } });
    const after = handMade({ shared: [CA2], resources: { X2: { ca: CA2 } } });
    expect((await deleteAllowed({ before, after, logicalId: 'X1', actions: DELETE, resources: [CA1] })).allowed).toBe(false);
  });

  test('inline and customer managed policies count in their after form; renaming makes a removed resource', async () => {
    const before = handMade({ shared: [], inline: [CA1], managed: [CA2], resources: { X1: { ca: CA1 }, X2: { ca: CA2 } } });
    const renamed = handMade({ shared: [], inline: [CA1], managed: [CA2], resources: { X1Renamed: { ca: CA1 }, X2: { ca: CA2 } } });
    expect(removedCustomResources(before, renamed)).toEqual(['X1']);
    expect(policiesInForceAtDelete(before, renamed, 'X1').map((p) => p.name)).toEqual(['after:HandlerRole/inline', 'after:SharedPolicy', 'after:Managed']);
    expect((await deleteAllowed({ before, after: renamed, logicalId: 'X1', actions: DELETE, resources: [CA1] })).allowed).toBe(true);
    const narrowed = handMade({ shared: [], inline: [], managed: [CA1], resources: { X2: { ca: CA2 } } });
    const v = await deleteAllowed({ before, after: narrowed, logicalId: 'X2', actions: DELETE, resources: [CA2] });
    expect(v.allowed).toBe(false);
  });

  test('the whole provider removed: the role and its policies go after the resource, so they count', async () => {
    const before = handMade({ shared: [CA1], resources: { X1: { ca: CA1 } } });
    const v = await deleteAllowed({ before, after: { Resources: {} }, logicalId: 'X1', actions: DELETE, resources: [CA1] });
    expect(v.allowed).toBe(true);
    expect(v.policies.HandlerRole.map((p) => p.name)).toEqual(['before:SharedPolicy']);
  });

  test('refuses what is not a custom resource or has no handler function', () => {
    const before = handMade({ shared: [CA1], resources: { X1: { ca: CA1 } } });
    expect(() => policiesInForceAtDelete(before, before, 'SharedPolicy')).toThrow('SharedPolicy is not a custom resource of the before template');
    const literalToken = { Resources: { X: { Type: 'Custom::Thing', Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:f' } } } };
    expect(() => handlerRoles(literalToken, 'X')).toThrow('the ServiceToken of X is not a function of the template');
  });
});

describe('CertificateAuthorityPolicy (the library)', () => {
  const IMPORTED = (n: number) => `arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/0000000${n}-89ab-cdef-0123-456789abcdef`;
  const ENV = { account: '111111111111', region: 'eu-west-1' };

  function synth(policies: Array<[id: string, ca: number]>, rootPolicy?: string) {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    for (const [id, n] of policies) {
      const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, `Ca${n}`, IMPORTED(n));
      new CertificateAuthorityPolicy(stack, id, { certificateAuthority: ca, principals: [CaSharePrincipal.account('012345678901')] });
    }
    if (rootPolicy !== undefined) {
      const root = new RootCa(stack, 'Root', { subject: { commonName: 'Root' } });
      new CertificateAuthorityPolicy(stack, rootPolicy, { certificateAuthority: root, principals: [CaSharePrincipal.organization('o-a1b2c3d4e5')] });
    }
    return synthTemplate(stack).toJSON();
  }

  function withoutOwnPolicyDependency(template: any, logicalId: string): any {
    const copy = JSON.parse(JSON.stringify(template));
    const r = copy.Resources[logicalId];
    r.DependsOn = [r.DependsOn ?? []].flat().filter((d: string) => copy.Resources[d]?.Type !== 'AWS::IAM::Policy');
    return copy;
  }

  test('removing one of two policies: its Delete keeps GetPolicy and DeletePolicy on its CA', async () => {
    const before = synth([['Policy1', 1], ['Policy2', 2]]);
    const after = synth([['Policy2', 2]]);
    const [removed] = removedCustomResources(before, after);
    expect(removed).toMatch(/^Policy1/);
    const check = (b: any, resources: unknown[]) => deleteAllowed({ before: b, after, logicalId: removed, actions: DELETE, resources, env: ENV });
    const v = await check(before, [before.Resources[removed].Properties.CertificateAuthorityArn]);
    expect(v.denied).toEqual([]);
    // Control: the same check on a CA the removed policy never named is denied.
    expect((await check(before, [IMPORTED(3)])).allowed).toBe(false);
    // Without the custom resource's dependency on its own policy (the shape before the fix of issue 13 item 2),
    // the permission is gone by the time the Delete runs.
    const v2 = await check(withoutOwnPolicyDependency(before, removed), [IMPORTED(1)]);
    expect(v2.allowed).toBe(false);
    expect(v2.denied.map((d) => d.action)).toEqual(DELETE);
  });

  test('renaming a policy (new construct path) and removing the policy of a RootCa keep the Delete allowed', async () => {
    const before = synth([['Policy1', 1]], 'RootPolicy');
    const renamed = synth([['PolicyRenamed', 1]]);
    const removed = removedCustomResources(before, renamed);
    expect(removed).toHaveLength(2);
    for (const id of removed) {
      const v = await deleteAllowed({
        before, after: renamed, logicalId: id, actions: DELETE, resources: [before.Resources[id].Properties.CertificateAuthorityArn], env: ENV,
      });
      expect({ id, denied: v.denied }).toEqual({ id, denied: [] });
    }
  });
});
