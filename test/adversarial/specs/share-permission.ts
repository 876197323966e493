import * as fc from 'fast-check';
import { resolveString } from './issuer-role';
import { CaSharePermission } from '../../../src/private-ca/ca-share-permission';
import { CaSharePrincipal } from '../../../src/private-ca/ca-share-principal';
import { CertificateTemplate } from '../../../src/private-ca/certificate-template';
import { RootCa } from '../../../src/private-ca/root-ca';
import { filled } from '../arbitraries';
import { AdversarialSpec, Finding, may, must } from '../harness';
import { resourcesOf } from '../oracle/template';

/*
 * `ca.shareWith(id, principals, { permission: CaSharePermission.actions([...], { templates }) })` (issue 16 §6). The
 * documented rules, written from the props' docs, the Private CA user guide's list of actions a RAM customer managed
 * permission may grant on a shared CA, and the RAM CreatePermission reference (never calling src/validation):
 * - actions: at least one, each once, each of DescribeCertificateAuthority, GetCertificate,
 *   GetCertificateAuthorityCertificate, ListPermissions, ListTags, IssueCertificate, RevokeCertificate written as
 *   `acm-pca:<Action>`; no wildcards, no other service's or CA-administration actions (other casing: either way);
 * - templates: only with IssueCertificate, not an empty list, each a template name `Name/V<n>` (a bare `Name` or a
 *   template ARN: either way); the default is EndEntityCertificate/V1;
 * The template must hold one AWS::RAM::Permission for acm-pca:CertificateAuthority named 1-36 of [A-Za-z0-9_.-],
 * whose one statement allows exactly the asked actions (no Principal or Resource: RAM fills them in) and, with
 * IssueCertificate, conditions acm-pca:TemplateArn on exactly the asked templates (StringEquals when IssueCertificate
 * is the only action, StringEqualsIfExists otherwise); the share uses that permission. `managed()` creates none.
 */

const ACTIONS = ['DescribeCertificateAuthority', 'GetCertificate', 'GetCertificateAuthorityCertificate', 'ListPermissions', 'ListTags',
  'IssueCertificate', 'RevokeCertificate'].map((a) => `acm-pca:${a}`);
const ISSUE = 'acm-pca:IssueCertificate';
const HOSTILE_ACTIONS = ['acm-pca:*', 'acm-pca:Issue*', 'IssueCertificate', 'acm-pca:DeleteCertificateAuthority', 'acm-pca:ImportCertificateAuthorityCertificate',
  's3:GetObject', '', ' acm-pca:GetCertificate', 'acm-pca:GetCertificate?', '*'];
const ODD_ACTIONS = ['acm-pca:issuecertificate', 'ACM-PCA:GetCertificate'];

const GOOD_TEMPLATES = ['EndEntityCertificate/V1', 'EndEntityServerAuthCertificate/V1', 'EndEntityClientAuthCertificate/V1',
  'SubordinateCACertificate_PathLen0/V1', 'BlankEndEntityCertificate_APICSRPassthrough/V1', 'MyOwnTemplate/V3'];
const BAD_TEMPLATES = ['', 'End Entity/V1', 'arn:aws:acm-pca:eu-west-1:111111111111:template/EndEntityCertificate/V1', '*', 'EndEntityCertificate/V1/V2',
  'arn:aws:acm-pca:::template/EndEntityCertificate'];
const ODD_TEMPLATES = ['EndEntityCertificate', 'arn:aws:acm-pca:::template/CodeSigningCertificate/V1', 'arn:aws-cn:acm-pca:::template/EndEntityCertificate/V1'];

interface ShareInput {
  managed: boolean;
  actions: string[];
  templates?: string[];
  id: string;
}

const input: fc.Arbitrary<ShareInput> = fc.record({
  managed: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 7, arbitrary: fc.constant(false) }),
  actions: fc.oneof(
    { weight: 6, arbitrary: fc.shuffledSubarray(ACTIONS, { minLength: 1 }) },
    { weight: 2, arbitrary: fc.constant<string[]>([ISSUE]) },
    { weight: 1, arbitrary: fc.tuple(fc.shuffledSubarray(ACTIONS), fc.constantFrom(...HOSTILE_ACTIONS, ...ODD_ACTIONS)).map(([a, b]) => [...a, b]) },
    { weight: 1, arbitrary: fc.constantFrom<string[]>([], [ISSUE, ISSUE], ['acm-pca:GetCertificate', 'acm-pca:GetCertificate', ISSUE]) },
  ),
  templates: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
      weight: 4,
      arbitrary: fc.array(fc.oneof(
        { weight: 10, arbitrary: fc.constantFrom(...GOOD_TEMPLATES) },
        { weight: 1, arbitrary: fc.constantFrom(...BAD_TEMPLATES) },
        { weight: 1, arbitrary: fc.constantFrom(...ODD_TEMPLATES) },
      ), { minLength: 1, maxLength: 3 }),
    },
    { weight: 1, arbitrary: fc.constant<string[]>([]) },
  ),
  id: fc.constantFrom('Share', 'Partners', `Share${filled(100)}`),
}, { requiredKeys: ['managed', 'actions', 'id'] });

function findings(i: ShareInput): Finding[] {
  if (i.managed) return [];
  const out: Finding[] = [];
  if (i.actions.length === 0) out.push(must('at least one action', i.actions));
  const seen = new Set<string>();
  for (const a of i.actions) {
    if (ODD_ACTIONS.includes(a)) out.push(may('an action in another casing', a));
    else if (!ACTIONS.includes(a)) out.push(must('an action RAM allows on a shared CA, written acm-pca:<Action>', a));
    else if (seen.has(a)) out.push(must('each action once', a));
    seen.add(a);
  }
  const issues = i.actions.includes(ISSUE);
  if (i.templates !== undefined) {
    if (i.templates.length === 0) out.push((issues ? must : may)('templates is not an empty list', i.templates));
    else if (!issues) out.push(must('templates only with IssueCertificate', 'templates'));
    for (const t of i.templates) {
      if (BAD_TEMPLATES.includes(t)) out.push(must('a template name Name/V<n>', t));
      else if (ODD_TEMPLATES.includes(t)) out.push(may('a bare name or a template ARN', t));
    }
  }
  return out;
}

const templateArn = (t: string) => (t.startsWith('arn:') ? t : `arn:aws:acm-pca:::template/${/\/V\d+$/.test(t) ? t : `${t}/V1`}`);
const sorted = (a: unknown[]) => JSON.stringify([...new Set(a.map(String))].sort());

export const sharePermissionSpec: AdversarialSpec<ShareInput> = {
  construct: 'CaSharePermission',
  arbitrary: input,
  numRuns: 36,
  build(stack, i) {
    const ca = new RootCa(stack, 'Ca', { subject: { commonName: 'Shared Root' }, revocation: { ocsp: true } });
    const permission = i.managed ? CaSharePermission.managed()
      : CaSharePermission.actions(i.actions, { templates: i.templates?.map((t) => CertificateTemplate.of(t)) });
    ca.shareWith(i.id, [CaSharePrincipal.account('222222222222')], { permission });
    return { path: 'Stack/Ca' };
  },
  oracle: findings,
  checkTemplate(t, i) {
    const problems: string[] = [];
    const shares = resourcesOf(t, 'AWS::RAM::ResourceShare');
    const permissions = resourcesOf(t, 'AWS::RAM::Permission');
    if (shares.length !== 1) return [`${shares.length} resource shares`];
    const [[, share]] = shares;
    if (JSON.stringify(share.Principals) !== '["222222222222"]' || share.ResourceArns?.length !== 1) problems.push(`share ${JSON.stringify(share)}`);
    if (i.managed) {
      if (permissions.length !== 0 || share.PermissionArns !== undefined) problems.push('managed(), but a customer managed permission');
      return problems;
    }
    if (permissions.length !== 1) return [...problems, `${permissions.length} RAM permissions`];
    const [[permissionId, p]] = permissions;
    if (JSON.stringify(share.PermissionArns) !== JSON.stringify([{ 'Fn::GetAtt': [permissionId, 'Arn'] }])) problems.push(`share PermissionArns ${JSON.stringify(share.PermissionArns)}`);
    if (p.ResourceType !== 'acm-pca:CertificateAuthority') problems.push(`ResourceType ${p.ResourceType}`);
    if (typeof p.Name !== 'string' || !/^[\w.-]{1,36}$/.test(p.Name)) problems.push(`permission name ${JSON.stringify(p.Name)}`);
    const statement = p.PolicyTemplate ?? {};
    const extra = Object.keys(statement).filter((k) => !['Effect', 'Action', 'Condition'].includes(k));
    if (statement.Effect !== 'Allow' || extra.length > 0) problems.push(`statement ${JSON.stringify(statement)}`);
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    if (sorted(actions) !== sorted(i.actions) || actions.length !== i.actions.length) problems.push(`actions ${JSON.stringify(actions)}, asked ${JSON.stringify(i.actions)}`);
    if (!i.actions.includes(ISSUE)) {
      if (statement.Condition !== undefined) problems.push(`a condition without IssueCertificate: ${JSON.stringify(statement.Condition)}`);
      return problems;
    }
    const operator = i.actions.length === 1 ? 'StringEquals' : 'StringEqualsIfExists';
    const condition = statement.Condition ?? {};
    const arns = condition[operator]?.['acm-pca:TemplateArn'];
    const expected = (i.templates ?? ['EndEntityCertificate/V1']).map(templateArn);
    if (Object.keys(condition).length !== 1 || Object.keys(condition[operator] ?? {}).length !== 1 || !Array.isArray(arns)
      || sorted(arns.map(resolveString)) !== sorted(expected)) {
      problems.push(`condition ${JSON.stringify(condition)}, expected ${operator} acm-pca:TemplateArn ${JSON.stringify(expected)}`);
    }
    return problems;
  },
};
