import { App, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CaIssuerRole, CaIssuerRoleProps } from '../../src/private-ca/ca-issuer-role';
import { CaIssuerTrust } from '../../src/private-ca/ca-issuer-trust';
import { IPkiCertificateAuthority } from '../../src/private-ca/certificate-authority-base';
import { CertificateTemplate } from '../../src/private-ca/certificate-template';
import { RootCa } from '../../src/private-ca/root-ca';
import { SubordinateCa } from '../../src/private-ca/subordinate-ca';
import { PkiValidationError } from '../../src/validation/errors';
import { synthTemplate } from '../harness/cfn-lint';
import { resolveIntrinsics, simulate } from '../harness/template-change';

/**
 * Issue 16 §3: an IAM role for cert-manager's aws-privateca-issuer. The role's policies are checked with the offline
 * IAM simulator (@cloud-copilot/iam-simulate, through test/harness/template-change.ts); every template goes through
 * cfn-lint (synthTemplate).
 */

const ENV = { account: '123456789012', region: 'us-east-1' };
const CA_ARN = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012';
const OTHER_CA_ARN = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/87654321-4321-4321-4321-210987654321';
const OIDC_ARN = 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const OIDC_ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const template = (name: string) => `arn:aws:acm-pca:::template/${name}`;

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: ENV });
}

function importedCa(stack: Stack): IPkiCertificateAuthority {
  return RootCa.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN);
}

type Props = Omit<CaIssuerRoleProps, 'certificateAuthority'> & { certificateAuthority?: IPkiCertificateAuthority };

/** Synthesizes one CaIssuerRole (on an imported CA unless given) and returns the stack's template as JSON. */
function synth(props: Props, build?: (s: Stack) => IPkiCertificateAuthority): { t: any; issuer: CaIssuerRole } {
  const s = newStack();
  const ca = props.certificateAuthority ?? build?.(s) ?? importedCa(s);
  const issuer = new CaIssuerRole(s, 'Issuer', { ...props, certificateAuthority: ca });
  return { t: synthTemplate(s).toJSON(), issuer };
}

const ofType = (t: any, type: string) => Object.entries<any>(t.Resources).filter(([, r]) => r.Type === type);
/** The issuer's role (other roles belong to aws-cdk-lib's own custom resource providers). */
const issuerRoles = (t: any) => ofType(t, 'AWS::IAM::Role').filter(([id]) => id.startsWith('IssuerRole'));

/** The trust statement of the issuer's AWS::IAM::Role. */
function trustOf(t: any): any {
  const roles = issuerRoles(t);
  expect(roles).toHaveLength(1);
  const statements = roles[0][1].Properties.AssumeRolePolicyDocument.Statement;
  expect(statements).toHaveLength(1);
  return statements[0];
}

/** The identity-policy statements attached to the issuer's role, resolved. */
function statementsOf(t: any): any[] {
  const [[roleId]] = issuerRoles(t);
  const policies = ofType(t, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleId));
  expect(policies).toHaveLength(1);
  return resolveIntrinsics(t, policies[0][1].Properties.PolicyDocument).Statement;
}

const issue = (statements: any[], templateName: string | undefined, resource = CA_ARN) =>
  simulate({
    statements,
    action: 'acm-pca:IssueCertificate',
    resource,
    context: templateName === undefined ? undefined : { 'acm-pca:TemplateArn': template(templateName) },
  });

describe('CaIssuerRole permissions (simulated)', () => {
  const { t } = synth({ trust: CaIssuerTrust.podIdentity() });
  const statements = statementsOf(t);

  test('the issuer may issue with EndEntityServerAuthCertificate/V1 and the other end-entity templates it asks for', async () => {
    expect(await issue(statements, 'EndEntityServerAuthCertificate/V1')).toBe('Allowed');
    expect(await issue(statements, 'EndEntityClientAuthCertificate/V1')).toBe('Allowed');
    expect(await issue(statements, 'EndEntityCertificate/V1')).toBe('Allowed');
  });

  test('it may not issue with a CA template (SubordinateCACertificate_PathLen0/V1, RootCACertificate/V1)', async () => {
    expect(await issue(statements, 'SubordinateCACertificate_PathLen0/V1')).toBe('ImplicitlyDenied');
    expect(await issue(statements, 'RootCACertificate/V1')).toBe('ImplicitlyDenied');
  });

  test('by default it may not issue with a passthrough template, nor without a TemplateArn in the request', async () => {
    expect(await issue(statements, 'BlankEndEntityCertificate_APICSRPassthrough/V1')).toBe('ImplicitlyDenied');
    expect(await issue(statements, 'EndEntityCertificate_APIPassthrough/V1')).toBe('ImplicitlyDenied');
    expect(await issue(statements, undefined)).toBe('ImplicitlyDenied');
  });

  test('it may not issue from another CA, even with an allowed template', async () => {
    expect(await issue(statements, 'EndEntityServerAuthCertificate/V1', OTHER_CA_ARN)).toBe('ImplicitlyDenied');
  });

  test.each(['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate'])('it may call %s on the CA only', async (action) => {
    expect(await simulate({ statements, action, resource: CA_ARN })).toBe('Allowed');
    expect(await simulate({ statements, action, resource: OTHER_CA_ARN })).toBe('ImplicitlyDenied');
  });

  test.each([
    'acm-pca:RevokeCertificate', 'acm-pca:GetCertificateAuthorityCertificate', 'acm-pca:GetCertificateAuthorityCsr', 'acm-pca:ListPermissions',
    'acm-pca:UpdateCertificateAuthority', 'acm-pca:DeleteCertificateAuthority', 'acm-pca:PutPolicy', 'acm-pca:CreatePermission',
  ])('it may not call %s on the CA', async (action) => {
    expect(await simulate({ statements, action, resource: CA_ARN })).toBe('ImplicitlyDenied');
  });

  test('exactly three actions, all on the CA, IssueCertificate conditioned on acm-pca:TemplateArn', () => {
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.sort()).toEqual(['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:IssueCertificate']);
    expect(new Set(statements.flatMap((s) => [s.Resource].flat()))).toEqual(new Set([CA_ARN]));
    const issueStatement = statements.find((s) => [s.Action].flat().includes('acm-pca:IssueCertificate'));
    expect([issueStatement.Action].flat()).toEqual(['acm-pca:IssueCertificate']);
    expect(issueStatement.Condition).toEqual({
      StringEquals: { 'acm-pca:TemplateArn': ['EndEntityCertificate/V1', 'EndEntityClientAuthCertificate/V1', 'EndEntityServerAuthCertificate/V1'].map(template) },
    });
  });

  test('a CA made in the stack: the role names its ARN (resolved) and may issue from it', async () => {
    const { t: t2 } = synth({ trust: CaIssuerTrust.podIdentity() },
      (s) => new RootCa(s, 'Root', { subject: { commonName: 'Root' }, revocation: { ocsp: true } }));
    const caId = ofType(t2, 'AWS::ACMPCA::CertificateAuthority')[0][0];
    const caArn = resolveIntrinsics(t2, { Ref: caId });
    const s2 = statementsOf(t2);
    expect(await issue(s2, 'EndEntityServerAuthCertificate/V1', caArn)).toBe('Allowed');
    expect(await issue(s2, 'SubordinateCACertificate_PathLen0/V1', caArn)).toBe('ImplicitlyDenied');
    expect(await simulate({ statements: s2, action: 'acm-pca:DescribeCertificateAuthority', resource: caArn })).toBe('Allowed');
  });
});

describe('CaIssuerRole templates', () => {
  test('named templates: only those; templateArns lists them', async () => {
    const { t, issuer } = synth({
      trust: CaIssuerTrust.podIdentity(),
      templates: [CertificateTemplate.END_ENTITY_SERVER_AUTH, CertificateTemplate.of('BlankEndEntityCertificate_APICSRPassthrough/V1')],
    });
    const statements = statementsOf(t);
    expect(await issue(statements, 'EndEntityServerAuthCertificate/V1')).toBe('Allowed');
    expect(await issue(statements, 'BlankEndEntityCertificate_APICSRPassthrough/V1')).toBe('Allowed');
    expect(await issue(statements, 'EndEntityClientAuthCertificate/V1')).toBe('ImplicitlyDenied');
    expect(issuer.templateArns).toHaveLength(2);
  });

  test('the default templates are CertificateTemplate.endEntityTemplates(), the same as grantIssueCertificate\'s', () => {
    const { issuer } = synth({ trust: CaIssuerTrust.podIdentity() });
    expect(issuer.templateArns).toEqual(CertificateTemplate.endEntityTemplates().map((x) => x.templateArn));
  });

  test('a CA template is refused unless allowCaTemplates is true, naming the path, the template and the fix', () => {
    const props = { trust: CaIssuerTrust.podIdentity(), templates: [CertificateTemplate.END_ENTITY, CertificateTemplate.subordinateCa(0)] };
    expect(() => synth(props)).toThrow(PkiValidationError);
    expect(() => synth(props)).toThrow(
      /^Stack\/Issuer: templates include the CA template "SubordinateCACertificate_PathLen0\/V1": .*set allowCaTemplates: true/);
    expect(() => synth({ ...props, templates: [CertificateTemplate.of('BlankSubordinateCACertificate_PathLen0_APIPassthrough/V1'), CertificateTemplate.ROOT_CA] }))
      .toThrow(/CA templates "BlankSubordinateCACertificate_PathLen0_APIPassthrough\/V1", "RootCACertificate\/V1"/);
  });

  test('with allowCaTemplates: true the CA template is allowed (and only what is named)', async () => {
    const { t } = synth({ trust: CaIssuerTrust.podIdentity(), templates: [CertificateTemplate.subordinateCa(0)], allowCaTemplates: true });
    const statements = statementsOf(t);
    expect(await issue(statements, 'SubordinateCACertificate_PathLen0/V1')).toBe('Allowed');
    expect(await issue(statements, 'EndEntityCertificate/V1')).toBe('ImplicitlyDenied');
  });

  test('an empty list of templates is refused', () => {
    expect(() => synth({ trust: CaIssuerTrust.podIdentity(), templates: [] })).toThrow(/^Stack\/Issuer: templates is an empty list/);
  });

  test('a template whose name is a token is not judged', () => {
    const name = Lazy.string({ produce: () => 'SubordinateCACertificate_PathLen0/V1' });
    expect(() => synth({ trust: CaIssuerTrust.podIdentity(), templates: [CertificateTemplate.of(name)] })).not.toThrow();
  });
});

describe('CaIssuerTrust.podIdentity', () => {
  test('trusts pods.eks.amazonaws.com (AssumeRole + TagSession) for the default service account aws-privateca-issuer/aws-privateca-issuer', () => {
    const { t } = synth({ trust: CaIssuerTrust.podIdentity() });
    expect(trustOf(t)).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:RequestTag/kubernetes-namespace': 'aws-privateca-issuer',
          'aws:RequestTag/kubernetes-service-account': 'aws-privateca-issuer',
        },
      },
    });
    expect(ofType(t, 'AWS::EKS::PodIdentityAssociation')).toEqual([]);
  });

  test('with a cluster name: the eks-cluster-name tag is required too, and the association is created', () => {
    const { t } = synth({ trust: CaIssuerTrust.podIdentity({ clusterName: 'prod', namespace: 'cert-manager', serviceAccount: 'pca-issuer' }) });
    expect(trustOf(t).Condition).toEqual({
      StringEquals: {
        'aws:RequestTag/kubernetes-namespace': 'cert-manager',
        'aws:RequestTag/kubernetes-service-account': 'pca-issuer',
        'aws:RequestTag/eks-cluster-name': 'prod',
      },
    });
    const associations = ofType(t, 'AWS::EKS::PodIdentityAssociation');
    expect(associations).toHaveLength(1);
    const [[roleId]] = issuerRoles(t);
    expect(associations[0][1].Properties).toEqual({
      ClusterName: 'prod', Namespace: 'cert-manager', ServiceAccount: 'pca-issuer', RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
  });

  test('simulated: the trust lets Pod Identity in for the service account only', async () => {
    const { t } = synth({ trust: CaIssuerTrust.podIdentity() });
    const trust = { Version: '2012-10-17', Statement: [trustOf(t)] };
    const assume = (namespace: string, serviceAccount: string) => simulate({
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::123456789012:role/issuer',
      principal: 'pods.eks.amazonaws.com',
      resourcePolicy: trust,
      context: { 'aws:RequestTag/kubernetes-namespace': namespace, 'aws:RequestTag/kubernetes-service-account': serviceAccount },
    });
    expect(await assume('aws-privateca-issuer', 'aws-privateca-issuer')).toBe('Allowed');
    expect(await assume('default', 'aws-privateca-issuer')).toBe('ImplicitlyDenied');
    expect(await assume('aws-privateca-issuer', 'default')).toBe('ImplicitlyDenied');
  });
});

describe('CaIssuerTrust.irsa', () => {
  test('an imported OIDC provider: Federated provider, AssumeRoleWithWebIdentity, StringEquals on <issuer>:sub and <issuer>:aud', () => {
    const s = newStack();
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(s, 'Oidc', OIDC_ARN);
    new CaIssuerRole(s, 'Issuer', { certificateAuthority: importedCa(s), trust: CaIssuerTrust.irsa(provider, { namespace: 'cert-manager' }) });
    const t = synthTemplate(s).toJSON();
    expect(trustOf(t)).toEqual({
      Effect: 'Allow',
      Principal: { Federated: OIDC_ARN },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${OIDC_ISSUER}:sub`]: 'system:serviceaccount:cert-manager:aws-privateca-issuer',
          [`${OIDC_ISSUER}:aud`]: 'sts.amazonaws.com',
        },
      },
    });
    expect(ofType(t, 'Custom::AWSCDKCfnJson')).toEqual([]);
  });

  test('an OIDC provider made in the app (its issuer is a token): the condition keys go through CfnJson', () => {
    const s = newStack();
    const provider = new iam.OpenIdConnectProvider(s, 'Oidc', { url: `https://${OIDC_ISSUER}` });
    new CaIssuerRole(s, 'Issuer', { certificateAuthority: importedCa(s), trust: CaIssuerTrust.irsa(provider) });
    const t = synthTemplate(s).toJSON();
    const [[jsonId, json]] = ofType(t, 'Custom::AWSCDKCfnJson');
    const [[providerId]] = ofType(t, 'Custom::AWSCDKOpenIdConnectProvider');
    expect(trustOf(t)).toEqual({
      Effect: 'Allow',
      Principal: { Federated: { Ref: providerId } },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'Fn::GetAtt': [jsonId, 'Value'] } },
    });
    const value = JSON.parse(resolveIntrinsics(t, json.Properties.Value, { refs: { [providerId]: { Ref: OIDC_ARN } } }));
    expect(value).toEqual({
      [`${OIDC_ISSUER}:sub`]: 'system:serviceaccount:aws-privateca-issuer:aws-privateca-issuer',
      [`${OIDC_ISSUER}:aud`]: 'sts.amazonaws.com',
    });
  });
});

describe('CaIssuerTrust.crossAccountRole', () => {
  const ISSUER_ROLE = 'arn:aws:iam::444455556666:role/eks/aws-privateca-issuer';

  test('trusts exactly the issuer\'s role (AssumeRole + TagSession), with no condition; roleName fixes the ARN', () => {
    const { t, issuer } = synth({ trust: CaIssuerTrust.crossAccountRole(ISSUER_ROLE), roleName: 'cert-manager-pca' });
    expect(trustOf(t)).toEqual({ Effect: 'Allow', Principal: { AWS: ISSUER_ROLE }, Action: ['sts:AssumeRole', 'sts:TagSession'] });
    expect(issuerRoles(t)[0][1].Properties.RoleName).toBe('cert-manager-pca');
    expect(Stack.of(issuer).resolve(issuer.roleArn)).toEqual({ 'Fn::GetAtt': [issuerRoles(t)[0][0], 'Arn'] });
  });

  test('simulated: the issuer\'s role may assume it, another role of that account may not', async () => {
    const { t } = synth({ trust: CaIssuerTrust.crossAccountRole(ISSUER_ROLE) });
    const trust = { Version: '2012-10-17', Statement: [trustOf(t)] };
    // The caller's own account must allow sts:AssumeRole too (an identity policy there).
    const caller = [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }];
    const assume = (principal: string) => simulate({
      statements: caller, action: 'sts:AssumeRole', resource: 'arn:aws:iam::123456789012:role/cert-manager-pca', principal, resourcePolicy: trust,
    });
    expect(await assume(ISSUER_ROLE)).toBe('Allowed');
    expect(await assume('arn:aws:iam::444455556666:role/someone-else')).toBe('ImplicitlyDenied');
  });

  test.each([
    ['arn:aws:iam::444455556666:root', /not an IAM role ARN: .*an account principal would let every role/],
    ['arn:aws:iam::4444:role/x', /not an IAM role ARN/],
    ['arn:aws:iam::444455556666:user/x', /not an IAM role ARN/],
    ['arn:nope:iam::444455556666:role/x', /unknown partition "nope"/],
  ])('refuses %s', (arn, message) => {
    expect(() => synth({ trust: CaIssuerTrust.crossAccountRole(arn) })).toThrow(message);
  });

  test('a role ARN that is a token is not judged', () => {
    const arn = Lazy.string({ produce: () => 'arn:aws:iam::444455556666:role/from-a-token' });
    expect(() => synth({ trust: CaIssuerTrust.crossAccountRole(arn) })).not.toThrow();
  });
});

describe('CaIssuerRole refusals (Kubernetes and IAM names)', () => {
  test.each([
    ['Cert-Manager', /namespace "Cert-Manager" is not a Kubernetes namespace name \(a DNS-1123 label\).*\(not "C", "M"\)/],
    ['cert.manager', /namespace "cert.manager" is not a Kubernetes namespace name.*\(not "."\)/],
    ['-cert-manager', /namespace "-cert-manager" is not a Kubernetes namespace name/],
    ['a'.repeat(64), /is 64 characters long: a Kubernetes namespace name is at most 63 characters/],
    ['', /namespace "" is empty/],
  ])('namespace %j is refused', (namespace, message) => {
    expect(() => synth({ trust: CaIssuerTrust.podIdentity({ namespace }) })).toThrow(message);
    const s = newStack();
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(s, 'Oidc', OIDC_ARN);
    expect(() => synth({ trust: CaIssuerTrust.irsa(provider, { namespace }) })).toThrow(message);
  });

  test.each([
    ['Issuer', /service account "Issuer" is not a Kubernetes service account name \(a DNS-1123 subdomain\)/],
    ['issuer_sa', /service account "issuer_sa" is not a Kubernetes service account name.*\(not "_"\)/],
    ['issuer.', /service account "issuer." is not a Kubernetes service account name/],
    ['*', /service account "\*" is not a Kubernetes service account name/],
  ])('service account %j is refused, naming the construct path', (serviceAccount, message) => {
    expect(() => synth({ trust: CaIssuerTrust.podIdentity({ serviceAccount }) })).toThrow(PkiValidationError);
    expect(() => synth({ trust: CaIssuerTrust.podIdentity({ serviceAccount }) })).toThrow(new RegExp(`^Stack/Issuer: ${message.source}`));
  });

  test('dotted service account names and names that are tokens pass', () => {
    expect(() => synth({ trust: CaIssuerTrust.podIdentity({ serviceAccount: 'aws-privateca-issuer.v2' }) })).not.toThrow();
    const token = Lazy.string({ produce: () => 'Not_Checked' });
    expect(() => synth({ trust: CaIssuerTrust.podIdentity({ namespace: token, serviceAccount: token, clusterName: token }) })).not.toThrow();
  });

  test('a bad cluster name and a bad role name are refused, every problem at once', () => {
    expect(() => synth({ trust: CaIssuerTrust.podIdentity({ clusterName: 'arn:aws:eks:us-east-1:123456789012:cluster/prod' }), roleName: 'a b' }))
      .toThrow(/cluster name "arn:aws:eks:.*" is not an EKS cluster name[\s\S]*roleName "a b" is not an IAM role name: .*\(not " "\)/);
  });
});

describe('CaIssuerRole wiring', () => {
  test('grantPrincipal is the role: more can be granted to the issuer', () => {
    const s = newStack();
    const ca = SubordinateCa.fromCertificateAuthorityArn(s, 'Ca', CA_ARN);
    const issuer = new CaIssuerRole(s, 'Issuer', { certificateAuthority: ca, trust: CaIssuerTrust.podIdentity() });
    ca.grantRevokeCertificate(issuer);
    const t = synthTemplate(s).toJSON();
    expect(statementsOf(t).flatMap((x) => [x.Action].flat())).toContain('acm-pca:RevokeCertificate');
  });

  test('the role description names the CA', () => {
    const { t } = synth({ trust: CaIssuerTrust.podIdentity() });
    expect(issuerRoles(t)[0][1].Properties.Description).toBe('cert-manager aws-privateca-issuer: issues from the Private CA Stack/Ca');
  });
});
