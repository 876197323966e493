import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { viewOf } from '../cfn-references';

/** The IAM resource types whose policies PKI-PCA13 reads, and where their policy documents are. */
export const IAM_POLICY_TYPES: readonly string[] = [
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
];

/** The policy documents of an IAM resource: its own `PolicyDocument`, or its inline `Policies`. */
function policyDocuments(properties: Record<string, any>): unknown[] {
  if (properties.PolicyDocument !== undefined) return [properties.PolicyDocument];
  const inline = properties.Policies;
  return Array.isArray(inline) ? inline.map((p) => p?.PolicyDocument) : [];
}

function statementsOf(document: unknown): Array<Record<string, any>> {
  if (document === null || typeof document !== 'object') return [];
  const raw = (document as Record<string, any>).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((s): s is Record<string, any> => s !== null && typeof s === 'object' && !Array.isArray(s));
}

/**
 * Whether an `Action` entry names `acm-pca:IssueCertificate`, literally or by a wildcard within the
 * `acm-pca` service (`acm-pca:*`, `acm-pca:Issue*`). A bare `*` is left to cdk-nag's IAM rules.
 */
export function namesIssueCertificate(action: unknown): boolean {
  if (typeof action !== 'string') return false;
  const lower = action.toLowerCase();
  if (!lower.startsWith('acm-pca:')) return false;
  const pattern = new RegExp('^' + lower.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return pattern.test('acm-pca:issuecertificate');
}

/**
 * Whether a statement restricts `acm-pca:TemplateArn`: any operator but `Null`, with a value that is
 * not only a wildcard (`StringLike "*"` restricts nothing).
 */
export function restrictsTemplate(statement: Record<string, any>): boolean {
  const condition = statement.Condition;
  if (condition === null || typeof condition !== 'object') return false;
  return Object.entries(condition).some(([operator, block]) => {
    if (operator.startsWith('Null') || block === null || typeof block !== 'object') return false;
    return Object.entries(block as Record<string, unknown>).some(([key, value]) => {
      if (key.toLowerCase() !== 'acm-pca:templatearn') return false;
      const values = [value].flat();
      return values.length > 0 && !values.every((v) => typeof v === 'string' && /^\*+$/.test(v));
    });
  });
}

/**
 * PKI-PCA13: an IAM policy that allows `acm-pca:IssueCertificate` without an `acm-pca:TemplateArn`
 * condition. IssueCertificate acts only on CAs, and without the condition the grantee may pick any
 * template, `SubordinateCACertificate_PathLen*` included: it can mint a subordinate CA that every
 * client trusting the hierarchy trusts (a rogue CA). Allow end-entity templates only, and name CA
 * templates explicitly where a principal must issue CAs.
 */
export function pca13UnconditionedIssue(node: CfnResource): NagRuleResult {
  if (!IAM_POLICY_TYPES.includes(node.cfnResourceType)) return NagRuleCompliance.NOT_APPLICABLE;
  const issuing = policyDocuments(viewOf(node).properties)
    .flatMap(statementsOf)
    .filter((s) => s.Effect === 'Allow' && [s.Action].flat().some(namesIssueCertificate));
  if (issuing.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  return issuing.every(restrictsTemplate) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
