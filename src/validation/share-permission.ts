import { Token } from 'aws-cdk-lib';
import { quoteValue } from './errors';

/**
 * Pure, token-aware rules and rendering for an AWS RAM customer managed permission on a shared Private CA
 * (`CaSharePermission.actions`, `AWS::RAM::Permission`). A value that is an unresolved token is never checked.
 */

/** The RAM resource type of a Private CA, as RAM's ListResourceTypes names it (RAM compares it case-insensitively). */
export const RAM_CA_RESOURCE_TYPE = 'acm-pca:CertificateAuthority';

/**
 * The actions a customer managed permission may grant on a shared Private CA, in the order the Private CA user guide
 * lists them (read, then write): "Customer managed permissions in RAM".
 */
export const RAM_CA_ACTIONS: readonly string[] = [
  'acm-pca:DescribeCertificateAuthority',
  'acm-pca:GetCertificate',
  'acm-pca:GetCertificateAuthorityCertificate',
  'acm-pca:ListPermissions',
  'acm-pca:ListTags',
  'acm-pca:IssueCertificate',
  'acm-pca:RevokeCertificate',
];

/** The one action the `acm-pca:TemplateArn` condition key applies to. */
export const ISSUE_CERTIFICATE = 'acm-pca:IssueCertificate';

/** The longest name RAM accepts for a permission. */
export const RAM_PERMISSION_NAME_MAX = 36;

const ALLOWED = `${RAM_CA_ACTIONS.slice(0, -1).join(', ')} or ${RAM_CA_ACTIONS[RAM_CA_ACTIONS.length - 1]}`;

/**
 * Checks the actions of a customer managed permission for a shared CA: at least one; each one RAM allows for a Private
 * CA, written as `acm-pca:<Action>`, without wildcards; each listed once.
 *
 * @param actions the actions as given (the list or its entries may be tokens)
 */
export function validateShareActions(actions: readonly string[]): string[] {
  if (Token.isUnresolved(actions)) return [];
  if (!Array.isArray(actions) || actions.length === 0) {
    return [`permission actions ${quoteValue(actions)} grant nothing: list at least one of ${ALLOWED}, or use ` +
      'CaSharePermission.managed() for the AWS managed permission.'];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, action] of actions.entries()) {
    if (Token.isUnresolved(action)) continue;
    if (typeof action === 'string' && RAM_CA_ACTIONS.includes(action)) {
      if (seen.has(action)) {
        problems.push(`permission action ${quoteValue(action)} is listed twice: list each action once.`);
      }
      seen.add(action);
      continue;
    }
    problems.push(`permission actions[${i}] ${quoteValue(action)} ${whyNot(action)}`);
  }
  return problems;
}

/** Why `action` is not one of `RAM_CA_ACTIONS`, and what to write instead. */
function whyNot(action: unknown): string {
  if (typeof action !== 'string') {
    return `is not an action name: write one of ${ALLOWED}.`;
  }
  const bare = action.includes(':') ? action.slice(action.indexOf(':') + 1) : action;
  const match = RAM_CA_ACTIONS.find((a) => a.toLowerCase() === `acm-pca:${bare}`.toLowerCase());
  if (action.includes('*') || action.includes('?')) {
    return 'has a wildcard, which would grant whatever Private CA adds later: list the actions by name, ' +
      `from ${ALLOWED}.`;
  }
  if (match !== undefined) {
    return `is not written as RAM lists it: write ${quoteValue(match)}.`;
  }
  if (action.includes(':') && !action.toLowerCase().startsWith('acm-pca:')) {
    return `is not a Private CA action: a permission for a shared CA grants only ${ALLOWED}.`;
  }
  return `is not an action AWS RAM allows on a shared Private CA: use only ${ALLOWED} ` +
    '(a CA\'s own administration, such as DeleteCertificateAuthority or ImportCertificateAuthorityCertificate, stays with its account).';
}

/**
 * Checks the templates `IssueCertificate` is limited to: given only with `IssueCertificate`, and not an empty list.
 *
 * @param actions the actions of the permission (may hold tokens)
 * @param templateCount how many templates were given, `undefined` when none were
 */
export function validateShareTemplates(actions: readonly string[], templateCount: number | undefined): string[] {
  if (templateCount === undefined) return [];
  if (templateCount === 0) {
    return ['permission templates is empty, so IssueCertificate would match no template: leave templates out to allow ' +
      'EndEntityCertificate/V1, or list the templates to allow.'];
  }
  const issues = Token.isUnresolved(actions) || actions.some((a) => a === ISSUE_CERTIFICATE || Token.isUnresolved(a));
  return issues ? [] : [`permission templates only limit ${ISSUE_CERTIFICATE}, which the actions do not include: add it to the actions, ` +
    'or leave templates out.'];
}

/** What a permission's policy template grants. */
export interface SharePermissionGrants {
  /** The actions, checked by `validateShareActions`. */
  readonly actions: readonly string[];
  /** The template ARNs `IssueCertificate` is limited to (used only when it is among the actions). */
  readonly templateArns: readonly string[];
}

/**
 * Renders the `PolicyTemplate` of an `AWS::RAM::Permission`: one statement with `Effect`, `Action` and, with
 * `IssueCertificate`, a `Condition` on `acm-pca:TemplateArn` (RAM fills in `Principal` and `Resource`, which the template
 * may not hold). Known actions come in `RAM_CA_ACTIONS` order, so reordering them changes nothing.
 *
 * The statement is RAM's only one, so its condition covers every action: `StringEquals` when `IssueCertificate` is
 * the only action, else `StringEqualsIfExists`, because the other actions have no `acm-pca:TemplateArn` in their
 * request context and `StringEquals` would refuse them.
 */
export function renderSharePolicyTemplate(grants: SharePermissionGrants): Record<string, unknown> {
  const known = RAM_CA_ACTIONS.filter((a) => grants.actions.includes(a));
  const actions = Token.isUnresolved(grants.actions) ? grants.actions : [...known, ...grants.actions.filter((a) => !RAM_CA_ACTIONS.includes(a))];
  const issues = Token.isUnresolved(grants.actions) || grants.actions.includes(ISSUE_CERTIFICATE);
  if (!issues) {
    return { Effect: 'Allow', Action: actions };
  }
  const onlyIssue = !Token.isUnresolved(actions) && actions.length === 1 && actions[0] === ISSUE_CERTIFICATE;
  const operator = onlyIssue ? 'StringEquals' : 'StringEqualsIfExists';
  return { Effect: 'Allow', Action: actions, Condition: { [operator]: { 'acm-pca:TemplateArn': [...grants.templateArns] } } };
}

/**
 * A RAM permission name (at most 36 characters of `[A-Za-z0-9_.-]`) from a readable hint and a digest: the hint keeps
 * only allowed characters and is cut from the start, so the digest always fits.
 *
 * @param hint e.g. the construct path
 * @param digest hex digits that make the name unique (8 are enough)
 */
export function ramPermissionName(hint: string, digest: string): string {
  const suffix = `-${digest.slice(0, 8)}`;
  const readable = hint.replace(/[^\w.-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return `${readable.slice(-(RAM_PERMISSION_NAME_MAX - suffix.length))}${suffix}`.replace(/^-/, '');
}
