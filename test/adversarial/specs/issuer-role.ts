import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as fc from 'fast-check';
import { CaIssuerRole } from '../../../src/private-ca/ca-issuer-role';
import { CaIssuerTrust } from '../../../src/private-ca/ca-issuer-trust';
import { IPkiCertificateAuthority } from '../../../src/private-ca/certificate-authority-base';
import { CertificateTemplate } from '../../../src/private-ca/certificate-template';
import { RootCa } from '../../../src/private-ca/root-ca';
import { filled, maybe, mostly } from '../arbitraries';
import { AdversarialSpec, CfnTemplate, Finding, must } from '../harness';
import { resourcesOf } from '../oracle/template';

/*
 * CaIssuerRole (issue 16 §3): the IAM role of cert-manager's aws-privateca-issuer. The documented rules, written from
 * the props' docs, Kubernetes' object names (DNS-1123), the EKS CreateCluster and IAM CreateRole API references and
 * the Private CA template ARN form (never calling src/validation):
 * - namespace: a DNS-1123 label (1-63 of [a-z0-9-], starting and ending with a letter or digit);
 * - service account: a Kubernetes DNS subdomain name (1-253 characters, dot-separated DNS-1123 labels, no per-label limit);
 * - clusterName: 1-100 of [A-Za-z0-9_-], starting with a letter or digit;
 * - the cross-account issuer role: `arn:<aws|aws-cn|aws-us-gov|...>:iam::<12 digits>:role/<path/><name>`, not an account;
 * - roleName: 1-64 of [A-Za-z0-9+=,.@_-];
 * - templates: at least one; a CA template (Root/Subordinate CA, Blank variants) only with allowCaTemplates: true; each
 *   is `Name/V<n>`, a bare `Name` (version 1, as Private CA's policies read it) or the template ARN
 *   `arn:<partition>:acm-pca:::template/Name/V<n>`; anything else would be an ARN IAM never matches, so it is refused.
 * The template must hold one role that allows exactly DescribeCertificateAuthority and GetCertificate on the CA and
 * IssueCertificate on the CA only under StringEquals acm-pca:TemplateArn = exactly the asked templates' ARNs, trusted
 * by exactly the asked principal with the asked namespace / service account / cluster, and a Pod Identity association
 * exactly when a cluster is named.
 */

type TrustKind = 'podIdentity' | 'irsa-imported' | 'irsa-created' | 'crossAccountRole';

interface IssuerRoleInput {
  trust: TrustKind;
  ca: 'root' | 'imported';
  namespace?: string;
  serviceAccount?: string;
  clusterName?: string;
  issuerRoleArn: string;
  templates?: string[];
  allowCaTemplates?: boolean;
  roleName?: string;
}

const CA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/01234567-89ab-cdef-0123-456789abcdef';
const OIDC_ARN = 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
const OIDC_URL = 'https://oidc.eks.eu-west-1.amazonaws.com/id/FEDCBA9876543210FEDCBA9876543210';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const EKS_CLUSTER = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::\d{12}:role\/([\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/;
const TEMPLATE_NAME = /^[\w+=,.@-]+\/V\d+$/;
const BARE_TEMPLATE_NAME = /^[\w+=,.@-]+$/;
const TEMPLATE_ARN = /^arn:aws[\w-]*:acm-pca:::template\/([\w+=,.@-]+\/V\d+)$/;

/** `Name/V<n>` of an accepted template form (`Name/V<n>`, `Name`, or its ARN), or undefined for a malformed one. */
function templateNameAndVersion(t: string): string | undefined {
  if (TEMPLATE_NAME.test(t)) return t;
  if (BARE_TEMPLATE_NAME.test(t)) return `${t}/V1`;
  return TEMPLATE_ARN.exec(t)?.[1];
}
const CA_TEMPLATE = /^(Blank)?(Root|Subordinate)CACertificate/;

/** Kubernetes' "DNS subdomain name": at most 253 characters, no limit per label (unlike RFC 1123). */
const isSubdomain = (s: string) => s.length >= 1 && s.length <= 253 && s.split('.').every((l) => DNS1123_LABEL.test(l));

const k8sName = mostly(
  fc.oneof(fc.constantFrom('aws-privateca-issuer', 'cert-manager', 'a', filled(63, 'abcdefghijklmnopqrstuvwxyz')), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/)),
  fc.constantFrom('', 'Cert-Manager', '-lead', 'trail-', 'under_score', filled(64, 'abcdefghijklmnopqrstuvwxyz'), 'dot.ted', 'a b', 'ünï', 'system:sa'),
  3,
);
const clusterName = mostly(
  fc.oneof(fc.constantFrom('prod', 'Prod_Cluster-1', filled(100)), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/)),
  fc.constantFrom('', '-prod', '_prod', filled(101), 'prod.eu', 'arn:aws:eks:eu-west-1:111111111111:cluster/prod', 'a b'),
  3,
);
const roleArn = mostly(
  fc.constantFrom('arn:aws:iam::222222222222:role/aws-privateca-issuer', 'arn:aws:iam::222222222222:role/eks/issuers/pca-issuer',
    'arn:aws-cn:iam::222222222222:role/issuer', `arn:aws:iam::222222222222:role/${filled(64)}`),
  fc.constantFrom('arn:aws:iam::222222222222:root', '222222222222', 'arn:aws:iam::22222222222:role/issuer', 'arn:aws:iam::222222222222:user/issuer',
    'arn:aws:sts::222222222222:assumed-role/issuer/session', 'arn:foo:iam::222222222222:role/issuer', 'arn:aws:iam::222222222222:role/',
    `arn:aws:iam::222222222222:role/${filled(65)}`, ''),
  3,
);
const template = mostly(
  fc.constantFrom('EndEntityCertificate/V1', 'EndEntityServerAuthCertificate/V1', 'EndEntityClientAuthCertificate/V1', 'CodeSigningCertificate/V1',
    'BlankEndEntityCertificate_APICSRPassthrough/V1', 'EndEntityCertificate_APIPassthrough/V1', 'SubordinateCACertificate_PathLen0/V1',
    'RootCACertificate/V1', 'BlankSubordinateCACertificate_PathLen1_APIPassthrough/V1', 'MyOwnTemplate/V2'),
  fc.constantFrom('', 'EndEntityCertificate', 'End Entity/V1', 'arn:aws:acm-pca:::template/EndEntityCertificate/V1',
    'arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1', 'EndEntityCertificate/V1 ', '*'),
  9,
);

const input: fc.Arbitrary<IssuerRoleInput> = fc.record({
  trust: fc.constantFrom<TrustKind>('podIdentity', 'podIdentity', 'irsa-imported', 'irsa-created', 'crossAccountRole'),
  ca: fc.constantFrom('root' as const, 'imported' as const),
  namespace: maybe(k8sName),
  serviceAccount: maybe(fc.oneof(k8sName, fc.constantFrom('issuer.sa', 'a.b-c.d', 'a..b', '.a'))),
  clusterName: maybe(clusterName),
  issuerRoleArn: roleArn,
  templates: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.array(template, { maxLength: 3 }) }),
  allowCaTemplates: maybe(fc.boolean()),
  roleName: maybe(mostly(fc.constantFrom('aws-privateca-issuer', 'pca+issuer=a,b.c@d_e', filled(64)), fc.constantFrom('', 'a b', filled(65), 'role/x', 'ünï'), 3)),
}, { requiredKeys: ['trust', 'ca', 'issuerRoleArn'] });

const DEFAULT_TEMPLATES = ['EndEntityCertificate/V1', 'EndEntityClientAuthCertificate/V1', 'EndEntityServerAuthCertificate/V1'];

function trustOf(stack: Stack, i: IssuerRoleInput): CaIssuerTrust {
  const names = { namespace: i.namespace, serviceAccount: i.serviceAccount };
  switch (i.trust) {
    case 'podIdentity':
      return CaIssuerTrust.podIdentity({ ...names, clusterName: i.clusterName });
    case 'irsa-imported':
      return CaIssuerTrust.irsa(iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc', OIDC_ARN), names);
    case 'irsa-created':
      return CaIssuerTrust.irsa(new iam.OidcProviderNative(stack, 'Oidc', { url: OIDC_URL, clientIds: ['sts.amazonaws.com'] }), names);
    default:
      return CaIssuerTrust.crossAccountRole(i.issuerRoleArn);
  }
}

function findings(i: IssuerRoleInput): Finding[] {
  const out: Finding[] = [];
  if (i.trust !== 'crossAccountRole') {
    const ns = i.namespace ?? 'aws-privateca-issuer';
    const sa = i.serviceAccount ?? 'aws-privateca-issuer';
    if (!(ns.length <= 63 && DNS1123_LABEL.test(ns))) out.push(must('namespace: a DNS-1123 label', ns));
    if (!isSubdomain(sa)) out.push(must('service account: a DNS-1123 subdomain', sa));
  }
  if (i.trust === 'podIdentity' && i.clusterName !== undefined && !EKS_CLUSTER.test(i.clusterName)) out.push(must('EKS cluster name', i.clusterName));
  if (i.trust === 'crossAccountRole' && !ROLE_ARN.test(i.issuerRoleArn)) out.push(must('issuer role ARN: arn:<partition>:iam::<account>:role/<name>', i.issuerRoleArn));
  if (i.roleName !== undefined && !ROLE_NAME.test(i.roleName)) out.push(must('IAM role name: 1-64 of [\\w+=,.@-]', i.roleName));
  const templates = i.templates ?? DEFAULT_TEMPLATES;
  if (templates.length === 0) out.push(must('at least one template', []));
  for (const t of templates) {
    const nameAndVersion = templateNameAndVersion(t);
    if (nameAndVersion === undefined) out.push(must('a template is Name/V<n>, Name or its ARN', t));
    else if (CA_TEMPLATE.test(nameAndVersion) && i.allowCaTemplates !== true) out.push(must('a CA template needs allowCaTemplates', t));
  }
  return out;
}

/** A string with `Ref: AWS::Partition` joined in as `aws`; undefined for any other token. */
export function resolveString(v: any): string | undefined {
  if (typeof v === 'string') return v;
  const join = v?.['Fn::Join'];
  if (!Array.isArray(join)) return undefined;
  const parts = (join[1] as any[]).map((p) => (p?.Ref === 'AWS::Partition' ? 'aws' : resolveString(p)));
  return parts.every((p) => p !== undefined) ? parts.join(join[0]) : undefined;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const setOf = (a: unknown[]) => JSON.stringify([...new Set(a.map(String))].sort());
const sameSet = (a: unknown[], b: unknown[]) => setOf(a) === setOf(b);

/** The CA's ARN as the template refers to it. */
function caArnOf(t: CfnTemplate, i: IssuerRoleInput): string {
  if (i.ca === 'imported') return JSON.stringify(CA_ARN);
  const [[id]] = resourcesOf(t, 'AWS::ACMPCA::CertificateAuthorityActivation');
  return JSON.stringify({ Ref: id });
}

function checkTrust(t: CfnTemplate, i: IssuerRoleInput, statements: any[]): string[] {
  const problems: string[] = [];
  if (statements.length !== 1) return [`${statements.length} trust statements`];
  const [s] = statements;
  const actions = asList(s.Action);
  const ns = i.namespace ?? 'aws-privateca-issuer';
  const sa = i.serviceAccount ?? 'aws-privateca-issuer';
  if (i.trust === 'podIdentity') {
    if (s.Principal?.Service !== 'pods.eks.amazonaws.com' || !sameSet(actions, ['sts:AssumeRole', 'sts:TagSession'])) problems.push(`pod identity trust ${JSON.stringify(s)}`);
    const tags = s.Condition?.StringEquals ?? {};
    const expected: Record<string, string> = { 'aws:RequestTag/kubernetes-namespace': ns, 'aws:RequestTag/kubernetes-service-account': sa };
    if (i.clusterName !== undefined) expected['aws:RequestTag/eks-cluster-name'] = i.clusterName;
    if (JSON.stringify(tags, Object.keys(tags).sort()) !== JSON.stringify(expected, Object.keys(expected).sort())) problems.push(`session tag condition ${JSON.stringify(tags)}`);
  } else if (i.trust === 'crossAccountRole') {
    if (s.Principal?.AWS !== i.issuerRoleArn || !sameSet(actions, ['sts:AssumeRole', 'sts:TagSession']) || s.Condition !== undefined) {
      problems.push(`cross-account trust ${JSON.stringify(s)}`);
    }
  } else {
    if (s.Principal?.Federated === undefined || !sameSet(actions, ['sts:AssumeRoleWithWebIdentity'])) problems.push(`IRSA trust ${JSON.stringify(s)}`);
    // With a provider of this app the claims go through CfnJson; either way both claims must be exact.
    const jsons = resourcesOf(t, 'Custom::AWSCDKCfnJson').map(([, p]) => JSON.stringify(p.Value));
    const where = JSON.stringify(s.Condition) + jsons.join('');
    // In a CfnJson value the claims are JSON text inside a Fn::Join, so their quotes come escaped.
    const exact = (value: string) => [`"${value}"`, `\\"${value}\\"`].some((q) => where.includes(q));
    if (!exact(`system:serviceaccount:${ns}:${sa}`) || !exact('sts.amazonaws.com') || !where.includes(':sub')) {
      problems.push(`IRSA claims ${where}`);
    }
  }
  return problems;
}

export const issuerRoleSpec: AdversarialSpec<IssuerRoleInput> = {
  construct: 'CaIssuerRole',
  arbitrary: input,
  numRuns: 36,
  build(stack, i) {
    const ca: IPkiCertificateAuthority = i.ca === 'imported'
      ? RootCa.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN)
      : new RootCa(stack, 'Ca', { subject: { commonName: 'Issuer Root' }, revocation: { ocsp: true } });
    new CaIssuerRole(stack, 'Issuer', {
      certificateAuthority: ca,
      trust: trustOf(stack, i),
      templates: i.templates?.map((t) => CertificateTemplate.of(t)),
      allowCaTemplates: i.allowCaTemplates,
      roleName: i.roleName,
    });
    return { path: 'Stack/Issuer' };
  },
  oracle: findings,
  checkTemplate(t, i) {
    const problems: string[] = [];
    const roles = resourcesOf(t, 'AWS::IAM::Role').filter(([id]) => id.startsWith('IssuerRole'));
    if (roles.length !== 1) return [`${roles.length} issuer roles`];
    const [[roleId, role]] = roles;
    if (role.RoleName !== i.roleName) problems.push(`RoleName ${JSON.stringify(role.RoleName)}, asked ${JSON.stringify(i.roleName)}`);
    problems.push(...checkTrust(t, i, role.AssumeRolePolicyDocument?.Statement ?? []));

    const caArn = caArnOf(t, i);
    const statements = resourcesOf(t, 'AWS::IAM::Policy')
      .filter(([, p]) => asList(p.Roles).some((r: any) => r?.Ref === roleId))
      .flatMap(([, p]) => p.PolicyDocument.Statement as any[]);
    const granted = new Set<string>();
    for (const s of statements) {
      const resources = asList(s.Resource).map((r) => JSON.stringify(r));
      if (s.Effect !== 'Allow' || resources.length !== 1 || resources[0] !== caArn) problems.push(`statement not scoped to the CA: ${JSON.stringify(s)}`);
      for (const a of asList(s.Action).map(String)) {
        granted.add(a);
        if (a === 'acm-pca:IssueCertificate') {
          const conditions = s.Condition ?? {};
          const arns = asList(conditions.StringEquals?.['acm-pca:TemplateArn']).map(resolveString);
          const expected = [...new Set((i.templates ?? DEFAULT_TEMPLATES).map((n) => `arn:aws:acm-pca:::template/${templateNameAndVersion(n)}`))];
          if (asList(s.Action).length !== 1 || Object.keys(conditions).length !== 1 || !sameSet(arns, expected)) {
            problems.push(`IssueCertificate allowed with ${JSON.stringify(conditions)}, asked ${JSON.stringify(expected)}`);
          }
        } else if (s.Condition !== undefined) {
          problems.push(`${a} under a condition`);
        }
      }
    }
    const want = ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:IssueCertificate'];
    if (!sameSet([...granted], want)) problems.push(`actions ${[...granted].join(', ')}, expected exactly ${want.join(', ')}`);

    const associations = resourcesOf(t, 'AWS::EKS::PodIdentityAssociation');
    const wantAssociation = i.trust === 'podIdentity' && i.clusterName !== undefined;
    if (associations.length !== (wantAssociation ? 1 : 0)) problems.push(`${associations.length} Pod Identity associations`);
    for (const [, a] of associations) {
      if (a.ClusterName !== i.clusterName || a.Namespace !== (i.namespace ?? 'aws-privateca-issuer')
        || a.ServiceAccount !== (i.serviceAccount ?? 'aws-privateca-issuer') || a.RoleArn?.['Fn::GetAtt']?.[0] !== roleId) {
        problems.push(`Pod Identity association ${JSON.stringify(a)}`);
      }
    }
    return problems;
  },
};
