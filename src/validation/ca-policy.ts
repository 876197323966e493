import { Token } from 'aws-cdk-lib';
import { quoteValue } from './errors';
import { CA_POLICY_SID_PREFIX } from './policy-text';

/**
 * Pure, token-aware rules and rendering for Private CA resource-based policies (digest §3.18, §6.5).
 * A value that is an unresolved token is never checked.
 */

/** The read-only actions of the PutPolicy example (digest §3.18). */
export const CA_POLICY_READ_ACTIONS: readonly string[] = [
  'acm-pca:DescribeCertificateAuthority',
  'acm-pca:GetCertificate',
  'acm-pca:GetCertificateAuthorityCertificate',
  'acm-pca:ListPermissions',
  'acm-pca:ListTags',
];

/** `Name` or `Name/V<n>`; the name part follows the seed's ARN resource pattern minus `/`. */
const TEMPLATE_NAME = /^([\w+=,.@-]+)(\/V\d+)?$/;
const TEMPLATE_ARN = /^arn:[\w+=/,.@-]+:acm-pca:::template\/[\w+=,.@-]+\/V\d+$/;

/** The service-owned template names (digest §5.2 [outside]); others only warn, as new ones appear. */
const KNOWN_TEMPLATES = [
  /^(EndEntity|EndEntityClientAuth|EndEntityServerAuth|CodeSigning|OCSPSigning)Certificate(_CSRPassthrough|_APIPassthrough|_APICSRPassthrough)?$/,
  /^RootCACertificate(_APIPassthrough)?$/,
  /^BlankRootCACertificate(_PathLen[0-3])?_APIPassthrough$/,
  /^SubordinateCACertificate_PathLen[0-3](_CSRPassthrough|_APIPassthrough|_APICSRPassthrough)?$/,
  /^BlankSubordinateCACertificate_PathLen[0-3]_(CSRPassthrough|APIPassthrough|APICSRPassthrough)$/,
  /^BlankEndEntityCertificate(_CriticalBasicConstraints)?_(CSRPassthrough|APIPassthrough|APICSRPassthrough)$/,
];

/** Whether a template name (without version) is one of the service-owned templates this library knows. */
export function isKnownTemplateName(name: string): boolean {
  return KNOWN_TEMPLATES.some((re) => re.test(name));
}

/** The result of reading one `templates` entry. */
export interface ParsedTemplate {
  /** The full ARN, using `partition` when a name was given. */
  readonly arn: string;
  /** The template name without version, when it is concrete. */
  readonly name?: string;
}

/**
 * Turns a template given as an ARN, `Name/V<n>` or `Name` (meaning `Name/V1`) into its ARN
 * `arn:<partition>:acm-pca:::template/<Name>/V<n>`.
 *
 * @returns the ARN, or an error message
 */
export function parseTemplate(template: string, partition: string): ParsedTemplate | string {
  if (Token.isUnresolved(template)) {
    return { arn: template };
  }
  const example = '"EndEntityCertificate/V1" or "arn:aws:acm-pca:::template/EndEntityCertificate/V1"';
  if (typeof template !== 'string') {
    return `template ${quoteValue(template)} is not a string: give a name such as ${example}.`;
  }
  if (template.startsWith('arn:')) {
    if (!TEMPLATE_ARN.test(template)) {
      return `template ARN ${quoteValue(template)} is not a Private CA template ARN: expected ` +
        'arn:<partition>:acm-pca:::template/<Name>/V<n> (region and account empty), such as ' +
        '"arn:aws:acm-pca:::template/EndEntityCertificate/V1".';
    }
    return { arn: template, name: template.split('/')[1] };
  }
  const m = TEMPLATE_NAME.exec(template);
  if (!m) {
    return `template ${quoteValue(template)} is not a template name: give ${example}.`;
  }
  return { arn: `arn:${partition}:acm-pca:::template/${m[1]}${m[2] ?? '/V1'}`, name: m[1] };
}

/** What a Private CA resource policy grants. */
export interface CaPolicyGrants {
  /** The CA the policy is attached to: every statement's `Resource`. */
  readonly certificateAuthorityArn: string;
  readonly accounts: readonly string[];
  readonly organizationId?: string;
  readonly organizationalUnitPaths: readonly string[];
  /** The template ARNs `acm-pca:IssueCertificate` is restricted to. */
  readonly templateArns: readonly string[];
}

/**
 * Renders the policy document: for each kind of grantee, a read statement and an
 * `IssueCertificate` statement conditioned on `acm-pca:TemplateArn` (digest §3.18).
 */
export function renderCaPolicy(grants: CaPolicyGrants): { Version: string; Statement: object[] } {
  const statements: object[] = [];
  const add = (kind: string, principal: unknown, condition: Record<string, Record<string, unknown>>) => {
    const base = { Effect: 'Allow', Principal: principal, Resource: grants.certificateAuthorityArn };
    const read = { Sid: `${CA_POLICY_SID_PREFIX}${kind}Read`, ...base, Action: [...CA_POLICY_READ_ACTIONS] };
    statements.push(Object.keys(condition).length ? { ...read, Condition: condition } : read);
    const issueCondition = {
      ...condition,
      StringEquals: { ...(condition.StringEquals ?? {}), 'acm-pca:TemplateArn': [...grants.templateArns] },
    };
    statements.push({ Sid: `${CA_POLICY_SID_PREFIX}${kind}Issue`, ...base, Action: ['acm-pca:IssueCertificate'], Condition: issueCondition });
  };
  if (grants.accounts.length > 0) {
    add('Accounts', { AWS: [...grants.accounts] }, {});
  }
  if (grants.organizationId !== undefined) {
    add('Organization', '*', { StringEquals: { 'aws:PrincipalOrgID': grants.organizationId } });
  }
  if (grants.organizationalUnitPaths.length > 0) {
    add('OrganizationalUnits', '*', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [...grants.organizationalUnitPaths] } });
  }
  return { Version: '2012-10-17', Statement: statements };
}
