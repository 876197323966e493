import { App, CfnElement, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import {
  CaSharePermission,
  CaSharePrincipal,
  CertificateTemplate,
  PrivateCaHierarchy,
  RootCa,
} from '../../src';
import { PkiValidationError } from '../../src/validation/errors';
import { RAM_CA_ACTIONS, ramPermissionName, renderSharePolicyTemplate } from '../../src/validation/share-permission';
import { synthTemplate } from '../harness/cfn-lint';
import { resolveIntrinsics, simulate } from '../harness/template-change';

/*
 * shareWith's permission: RAM's AWS managed permission by default (no PermissionArns, as before), or a customer managed
 * permission (AWS::RAM::Permission) with only the listed Private CA actions. Templates pass cfn-lint and
 * @aws/cloudformation-validate (synthTemplate); the policy RAM would build from the template is evaluated with the
 * offline IAM simulator, as the other account's request would be.
 */

const ENV = { account: '123456789012', region: 'eu-west-1' };
const PARTNER = '111122223333';

function stack(): Stack {
  return new Stack(new App(), 'Stack', { env: ENV });
}

function root(s: Stack): RootCa {
  return new RootCa(s, 'Root', { subject: { commonName: 'Example Root CA' }, revocation: { ocsp: true } });
}

function templateArn(nameAndVersion: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:acm-pca:::template/${nameAndVersion}`]] };
}

describe('shareWith permission', () => {
  test('default and CaSharePermission.managed(): no customer managed permission, no PermissionArns (as before)', () => {
    const s = stack();
    const ca = root(s);
    const plain = ca.shareWith('Plain', [CaSharePrincipal.account(PARTNER)]);
    const managed = ca.shareWith('Managed', [CaSharePrincipal.account(PARTNER)], { permission: CaSharePermission.managed() });
    const t = synthTemplate(s);
    t.resourceCountIs('AWS::RAM::Permission', 0);
    t.resourceCountIs('AWS::RAM::ResourceShare', 2);
    t.allResourcesProperties('AWS::RAM::ResourceShare', { PermissionArns: Match.absent() });
    // The share's logical ID does not move: existing shares are left alone.
    expect(plain.resourceShare.node.path).toBe('Stack/Root/Plain');
    expect(s.getLogicalId(plain.resourceShare as CfnElement)).toMatch(/^RootPlain[0-9A-F]{8}$/);
    expect(plain.permission).toBeUndefined();
    expect(managed.permissionArn).toBeUndefined();
  });

  test('actions(...): an AWS::RAM::Permission for acm-pca:CertificateAuthority with only those actions, attached to the share', () => {
    const s = stack();
    const ca = root(s);
    const share = ca.shareWith('Partners', [CaSharePrincipal.account(PARTNER)], {
      permission: CaSharePermission.actions(['acm-pca:GetCertificate', 'acm-pca:IssueCertificate', 'acm-pca:GetCertificateAuthorityCertificate']),
    });
    const t = synthTemplate(s);
    t.resourceCountIs('AWS::RAM::Permission', 1);
    const permissionId = s.getLogicalId(share.permission as CfnElement);
    expect(share.permission!.node.path).toBe('Stack/Root/PartnersRamPermission');
    t.hasResourceProperties('AWS::RAM::Permission', {
      Name: Match.stringLikeRegexp('^Root-PartnersRamPermission-[0-9a-f]{8}$'),
      ResourceType: 'acm-pca:CertificateAuthority',
      PolicyTemplate: {
        Effect: 'Allow',
        // In the user guide's order, whatever order they were given in.
        Action: ['acm-pca:GetCertificate', 'acm-pca:GetCertificateAuthorityCertificate', 'acm-pca:IssueCertificate'],
        // One statement for all actions: IfExists, so the read actions (no template in their context) still pass.
        Condition: { StringEqualsIfExists: { 'acm-pca:TemplateArn': [templateArn('EndEntityCertificate/V1')] } },
      },
    });
    t.hasResourceProperties('AWS::RAM::ResourceShare', {
      Principals: [PARTNER],
      ResourceArns: [s.resolve(ca.certificateAuthorityArn)],
      PermissionArns: [{ 'Fn::GetAtt': [permissionId, 'Arn'] }],
    });
    expect(s.resolve(share.permissionArn)).toEqual({ 'Fn::GetAtt': [permissionId, 'Arn'] });
    const name = t.findResources('AWS::RAM::Permission')[permissionId].Properties.Name as string;
    expect(name.length).toBeLessThanOrEqual(36);
  });

  test('IssueCertificate alone is limited with StringEquals; read-only permissions carry no condition', () => {
    const s = stack();
    const ca = root(s);
    ca.shareWith('Issuers', [CaSharePrincipal.account(PARTNER)], {
      permission: CaSharePermission.actions(['acm-pca:IssueCertificate'], {
        templates: [CertificateTemplate.END_ENTITY_SERVER_AUTH, CertificateTemplate.END_ENTITY_CLIENT_AUTH],
      }),
    });
    ca.shareWith('Readers', [CaSharePrincipal.account('444455556666')], {
      permission: CaSharePermission.actions(['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificateAuthorityCertificate', 'acm-pca:ListTags']),
    });
    const t = synthTemplate(s);
    t.hasResourceProperties('AWS::RAM::Permission', {
      PolicyTemplate: {
        Effect: 'Allow',
        Action: ['acm-pca:IssueCertificate'],
        Condition: {
          StringEquals: {
            'acm-pca:TemplateArn': [templateArn('EndEntityServerAuthCertificate/V1'), templateArn('EndEntityClientAuthCertificate/V1')],
          },
        },
      },
    });
    t.hasResourceProperties('AWS::RAM::Permission', {
      PolicyTemplate: {
        Effect: 'Allow',
        Action: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificateAuthorityCertificate', 'acm-pca:ListTags'],
        Condition: Match.absent(),
      },
    });
    const names = Object.values(t.findResources('AWS::RAM::Permission')).map((r) => r.Properties.Name);
    expect(new Set(names).size).toBe(2);
  });

  test('the name follows the construct path and what the permission allows, so a changed template is a new permission', () => {
    const nameOf = (actions: string[], id = 'Partners') => {
      const s = stack();
      const share = root(s).shareWith(id, [CaSharePrincipal.account(PARTNER)], { permission: CaSharePermission.actions(actions) });
      return synthTemplate(s).findResources('AWS::RAM::Permission')[s.getLogicalId(share.permission as CfnElement)].Properties.Name;
    };
    const a = nameOf(['acm-pca:GetCertificate', 'acm-pca:IssueCertificate']);
    expect(nameOf(['acm-pca:IssueCertificate', 'acm-pca:GetCertificate'])).toBe(a); // the order does not matter
    expect(nameOf(['acm-pca:GetCertificate', 'acm-pca:IssueCertificate', 'acm-pca:RevokeCertificate'])).not.toBe(a);
    expect(nameOf(['acm-pca:GetCertificate', 'acm-pca:IssueCertificate'], 'Others')).not.toBe(a);
    // Long paths are cut from the start; RAM's limit (36, [\w.-]) always holds.
    expect(ramPermissionName('Stack/A-very-long-construct-path/With.Many_Parts/AndMore', 'abcdef0123456789'))
      .toBe('ath-With.Many_Parts-AndMore-abcdef01');
    expect(ramPermissionName('Stack/A-very-long-construct-path/With.Many_Parts/AndMore', 'abcdef0123456789')).toMatch(/^[\w.-]{1,36}$/);
    expect(ramPermissionName('', 'abcdef0123456789')).toBe('abcdef01');
  });

  test('a PrivateCaHierarchy shares each issuing CA with its own customer managed permission', () => {
    const s = stack();
    const pki = new PrivateCaHierarchy(s, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' } },
      issuing: [{ id: 'A', subject: { commonName: 'A' } }, { id: 'B', subject: { commonName: 'B' } }],
      shareWith: [CaSharePrincipal.account(PARTNER)],
      sharePermission: CaSharePermission.actions(['acm-pca:IssueCertificate', 'acm-pca:GetCertificate']),
    });
    const t = synthTemplate(s);
    t.resourceCountIs('AWS::RAM::Permission', 2);
    t.resourceCountIs('AWS::RAM::ResourceShare', 2);
    for (const ca of pki.issuingCas) {
      const permission = ca.node.findChild('ShareRamPermission') as CfnElement;
      t.hasResourceProperties('AWS::RAM::ResourceShare', { PermissionArns: [{ 'Fn::GetAtt': [s.getLogicalId(permission), 'Arn'] }] });
    }
  });

  test('refuses a sharePermission on a hierarchy that shares with nobody', () => {
    expect(() => new PrivateCaHierarchy(stack(), 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' } },
      issuing: [{ id: 'A', subject: { commonName: 'A' } }],
      sharePermission: CaSharePermission.actions(['acm-pca:GetCertificate']),
    })).toThrow('Stack/Pki: sharePermission is set, but shareWith names nobody to share the issuing CAs with: give shareWith principals, ' +
      'or leave sharePermission out');
  });

  test('tokens are used as they are: an action and a template from Lazy', () => {
    const s = stack();
    root(s).shareWith('Partners', [CaSharePrincipal.account(PARTNER)], {
      permission: CaSharePermission.actions(['acm-pca:IssueCertificate', Lazy.string({ produce: () => 'acm-pca:GetCertificate' })], {
        templates: [CertificateTemplate.of(Lazy.string({ produce: () => 'arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1' }))],
      }),
    });
    const t = synthTemplate(s);
    t.hasResourceProperties('AWS::RAM::Permission', {
      PolicyTemplate: {
        Action: ['acm-pca:IssueCertificate', 'acm-pca:GetCertificate'],
        Condition: { StringEqualsIfExists: { 'acm-pca:TemplateArn': ['arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1'] } },
      },
    });
  });

  test('an unknown template name warns, as CertificateAuthorityPolicy does', () => {
    const s = stack();
    root(s).shareWith('Partners', [CaSharePrincipal.account(PARTNER)], {
      permission: CaSharePermission.actions(['acm-pca:IssueCertificate'], { templates: [CertificateTemplate.of('EndEntityCertificat/V1')] }),
    });
    Annotations.fromStack(s).hasWarning('/Stack/Root', Match.stringLikeRegexp('Template EndEntityCertificat/V1 is not a Private CA template'));
  });

  test.each<[string, string[], { templates?: CertificateTemplate[] } | undefined, string | RegExp]>([
    ['an empty list', [], undefined,
      'Stack/Root/Partners: permission actions [] grant nothing: list at least one of acm-pca:DescribeCertificateAuthority, acm-pca:GetCertificate, ' +
      'acm-pca:GetCertificateAuthorityCertificate, acm-pca:ListPermissions, acm-pca:ListTags, acm-pca:IssueCertificate or ' +
      'acm-pca:RevokeCertificate, or use CaSharePermission.managed() for the AWS managed permission.'],
    ['another service\'s action', ['acm-pca:GetCertificate', 's3:GetObject'], undefined,
      /^Stack\/Root\/Partners: permission actions\[1\] "s3:GetObject" is not a Private CA action: a permission for a shared CA grants only acm-pca:Describe/],
    ['a Private CA action RAM does not share', ['acm-pca:DeleteCertificateAuthority'], undefined,
      /^Stack\/Root\/Partners: permission actions\[0\] "acm-pca:DeleteCertificateAuthority" is not an action AWS RAM allows on a shared Private CA: use only /],
    ['an action without its prefix', ['IssueCertificate'], undefined,
      'Stack/Root/Partners: permission actions[0] "IssueCertificate" is not written as RAM lists it: write "acm-pca:IssueCertificate".'],
    ['another spelling', ['ACM-PCA:getcertificate'], undefined,
      'Stack/Root/Partners: permission actions[0] "ACM-PCA:getcertificate" is not written as RAM lists it: write "acm-pca:GetCertificate".'],
    ['a wildcard', ['acm-pca:Get*'], undefined,
      `Stack/Root/Partners: permission actions[0] "acm-pca:Get*" has a wildcard, which would grant whatever Private CA adds later: list the actions by name, from ${
        RAM_CA_ACTIONS.slice(0, -1).join(', ')} or acm-pca:RevokeCertificate.`],
    ['an action twice', ['acm-pca:GetCertificate', 'acm-pca:GetCertificate'], undefined,
      'Stack/Root/Partners: permission action "acm-pca:GetCertificate" is listed twice: list each action once.'],
    ['templates without IssueCertificate', ['acm-pca:GetCertificate'], { templates: [CertificateTemplate.END_ENTITY] },
      'Stack/Root/Partners: permission templates only limit acm-pca:IssueCertificate, which the actions do not include: add it to the actions, ' +
      'or leave templates out.'],
    ['an empty template list', ['acm-pca:IssueCertificate'], { templates: [] },
      'Stack/Root/Partners: permission templates is empty, so IssueCertificate would match no template: leave templates out to allow ' +
      'EndEntityCertificate/V1, or list the templates to allow.'],
    ['a malformed template ARN', ['acm-pca:IssueCertificate'], { templates: [CertificateTemplate.of('arn:aws:acm-pca:eu-west-1::template/X/V1')] },
      /^Stack\/Root\/Partners: permission template ARN "arn:aws:acm-pca:eu-west-1::template\/X\/V1" is not a Private CA template ARN/],
  ])('refuses %s, naming the share and the fix', (_name, actions, options, message) => {
    const s = stack();
    const ca = root(s);
    let error: unknown;
    try {
      ca.shareWith('Partners', [CaSharePrincipal.account(PARTNER)], { permission: CaSharePermission.actions(actions, options) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PkiValidationError);
    expect((error as Error).message).toMatch(message);
    // Nothing was created for the refused share.
    expect(ca.node.tryFindChild('Partners')).toBeUndefined();
    expect(ca.node.tryFindChild('PartnersRamPermission')).toBeUndefined();
  });

  test('lists every problem at once, principals first', () => {
    const ca = root(stack());
    expect(() => ca.shareWith('Partners', [CaSharePrincipal.account('everyone')], { permission: CaSharePermission.actions(['s3:GetObject']) }))
      .toThrow(/^Stack\/Root: account ID "everyone" is not 12 digits/);
    expect(() => ca.shareWith('Partners', [CaSharePrincipal.account(PARTNER)],
      { permission: CaSharePermission.actions(['s3:GetObject', 'acm-pca:Get*']) }))
      .toThrow(/^Stack\/Root\/Partners: \n {2}- permission actions\[0\] "s3:GetObject" .*\n {2}- permission actions\[1\] "acm-pca:Get\*" has a wildcard/);
  });
});

describe('the policy RAM builds from the permission, in the IAM simulator', () => {
  const CA_ARN = 'arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/11223344-1234-1122-2233-112233445566';
  const PRINCIPAL = `arn:aws:iam::${PARTNER}:role/issuer`;
  // The partner account's own IAM lets its role do anything with Private CA: only the CA's policy decides.
  const identity = [{ Effect: 'Allow', Action: 'acm-pca:*', Resource: '*' }];

  /** What RAM attaches to the CA: the permission's statement, with the share's principal and the CA as resource. */
  function ramPolicy(actions: string[], templates?: CertificateTemplate[]) {
    const s = stack();
    const share = root(s).shareWith('Partners', [CaSharePrincipal.account(PARTNER)], { permission: CaSharePermission.actions(actions, { templates }) });
    const t = synthTemplate(s);
    const statement = resolveIntrinsics(t, t.toJSON().Resources[s.getLogicalId(share.permission as CfnElement)].Properties.PolicyTemplate);
    return { Version: '2012-10-17', Statement: [{ ...statement, Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Resource: CA_ARN }] };
  }
  const request = (resourcePolicy: unknown, action: string, template?: string) => simulate({
    statements: identity,
    principal: PRINCIPAL,
    action,
    resource: CA_ARN,
    resourcePolicy,
    context: template === undefined ? {} : { 'acm-pca:TemplateArn': `arn:aws:acm-pca:::template/${template}` },
  });

  test('issue with the allowed templates and read back; nothing else, no CA template', async () => {
    const policy = ramPolicy(['acm-pca:IssueCertificate', 'acm-pca:GetCertificate', 'acm-pca:GetCertificateAuthorityCertificate']);
    expect(await request(policy, 'acm-pca:IssueCertificate', 'EndEntityCertificate/V1')).toBe('Allowed');
    expect(await request(policy, 'acm-pca:GetCertificate')).toBe('Allowed');
    expect(await request(policy, 'acm-pca:GetCertificateAuthorityCertificate')).toBe('Allowed');
    expect(await request(policy, 'acm-pca:IssueCertificate', 'SubordinateCACertificate_PathLen0/V1')).toBe('ImplicitlyDenied');
    expect(await request(policy, 'acm-pca:IssueCertificate', 'EndEntityCertificate_APIPassthrough/V1')).toBe('ImplicitlyDenied');
    expect(await request(policy, 'acm-pca:RevokeCertificate')).toBe('ImplicitlyDenied');
    expect(await request(policy, 'acm-pca:DescribeCertificateAuthority')).toBe('ImplicitlyDenied');
    expect(await request(policy, 'acm-pca:DeleteCertificateAuthority')).toBe('ImplicitlyDenied');
  });

  test('IssueCertificate alone: only the listed templates', async () => {
    const policy = ramPolicy(['acm-pca:IssueCertificate'], [CertificateTemplate.END_ENTITY_SERVER_AUTH]);
    expect(await request(policy, 'acm-pca:IssueCertificate', 'EndEntityServerAuthCertificate/V1')).toBe('Allowed');
    expect(await request(policy, 'acm-pca:IssueCertificate', 'EndEntityCertificate/V1')).toBe('ImplicitlyDenied');
    expect(await request(policy, 'acm-pca:GetCertificate')).toBe('ImplicitlyDenied');
  });

  test('a read-only permission issues nothing', async () => {
    const policy = ramPolicy(['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificateAuthorityCertificate']);
    expect(await request(policy, 'acm-pca:DescribeCertificateAuthority')).toBe('Allowed');
    expect(await request(policy, 'acm-pca:IssueCertificate', 'EndEntityCertificate/V1')).toBe('ImplicitlyDenied');
  });
});

describe('renderSharePolicyTemplate', () => {
  test('no condition without IssueCertificate; unknown (token) actions after the known ones', () => {
    expect(renderSharePolicyTemplate({ actions: ['acm-pca:ListTags', 'acm-pca:GetCertificate'], templateArns: ['x'] }))
      .toEqual({ Effect: 'Allow', Action: ['acm-pca:GetCertificate', 'acm-pca:ListTags'] });
  });
});
