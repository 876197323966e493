import { Token } from 'aws-cdk-lib';
import { quoteValue } from './errors';

/**
 * Pure, token-aware rules and rendering for the principals a CA is shared with (`CaSharePrincipal`): AWS RAM
 * (`shareWith`) names an organization or organizational unit by its ARN, a CA resource policy
 * (`CertificateAuthorityPolicy`) by its ID and its `aws:PrincipalOrgPaths` path. A value that is an unresolved token
 * is never checked: it is used as the form the API needs.
 */

/** What a principal names. */
export type SharePrincipalKind = 'account' | 'organization' | 'organizationalUnit';

/** One principal as given to `CaSharePrincipal` (its `_facts()`). */
export interface SharePrincipalFacts {
  readonly kind: SharePrincipalKind;
  /** An account ID, an organization ID or ARN, or an organizational unit path or ARN; may be a token. */
  readonly value: string;
}

const ACCOUNT = /^\d{12}$/;
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const ORGANIZATION_ARN = /^arn:[\w-]+:organizations::\d{12}:organization\/(o-[a-z0-9]{10,32})$/;
const OU_PATH = /^o-[a-z0-9]{10,32}\/(r-[0-9a-z]{4,32}\/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}\/)*)?\*?$/;
const OU_ARN = /^arn:[\w-]+:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const OU_IN_PATH = /(o-[a-z0-9]+)\/.*?(ou-[0-9a-z]+-[a-z0-9]+)\/\*?$/;
const ORG_IN_OU_ARN = /:ou\/(o-[a-z0-9]+)\//;

const ORG_ARN_EXAMPLE = 'arn:aws:organizations::<management-account>:organization/o-a1b2c3d4e5';
const OU_ARN_EXAMPLE = 'arn:aws:organizations::<management-account>:ou/o-a1b2c3d4e5/ou-ab12-11111111';
const OU_PATH_EXAMPLE = 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/';

const isArn = (value: string) => typeof value === 'string' && value.startsWith('arn:');

/** Checks AWS account IDs: exactly 12 digits. */
export function validateAccountIds(accounts: readonly string[]): string[] {
  return accounts
    .filter((a) => !Token.isUnresolved(a) && (typeof a !== 'string' || !ACCOUNT.test(a)))
    .map((a) => `account ID ${quoteValue(a)} is not 12 digits: write it like "123456789012" (no dashes, keep leading zeros).`);
}

/** Checks an AWS Organizations ID such as `o-a1b2c3d4e5`. */
export function validateOrganizationId(id: string): string[] {
  if (Token.isUnresolved(id) || (typeof id === 'string' && ORGANIZATION.test(id))) {
    return [];
  }
  return [`organization ID ${quoteValue(id)} is not an AWS Organizations ID: expected "o-" followed by 10 to 32 lowercase ` +
    'letters or digits, such as "o-a1b2c3d4e5" (aws organizations describe-organization shows it).'];
}

/** Checks organizational unit paths for `aws:PrincipalOrgPaths`, such as `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`. */
export function validateOrganizationalUnitPaths(paths: readonly string[]): string[] {
  const problems: string[] = [];
  for (const p of paths) {
    if (Token.isUnresolved(p)) continue;
    const shapeOk = typeof p === 'string' && OU_PATH.test(p);
    if (!shapeOk || !(p.includes('/r-') || p.endsWith('*'))) {
      problems.push(`organizational unit path ${quoteValue(p)} is not an aws:PrincipalOrgPaths value: write ` +
        '"o-<org>/r-<root>/ou-<root>-<ou>/" (one "ou-" segment per level, ending in "/", optionally followed by "*"), ' +
        `for example "${OU_PATH_EXAMPLE}".`);
    }
  }
  return problems;
}

/** Concrete principals given more than once (the same kind and value). */
function duplicates(principals: readonly SharePrincipalFacts[]): string[] {
  const seen = new Set<string>();
  const reported = new Set<string>();
  const problems: string[] = [];
  for (const { kind, value } of principals) {
    if (Token.isUnresolved(value)) continue;
    const key = `${kind} ${value}`;
    if (seen.has(key) && !reported.has(key)) {
      reported.add(key);
      problems.push(`${kind === 'account' ? 'account ID' : kind === 'organization' ? 'organization' : 'organizational unit'} ` +
        `${quoteValue(value)} is listed twice in principals: list each principal once.`);
    }
    seen.add(key);
  }
  return problems;
}

/**
 * Checks the principals of an AWS RAM share (`shareWith`): at least one, each an account ID, an organization ARN or
 * an organizational unit ARN, each listed once.
 */
export function validateRamPrincipals(principals: readonly SharePrincipalFacts[]): string[] {
  if (principals.length === 0) {
    return ['shareWith needs at least one principal: CaSharePrincipal.account("111122223333"), ' +
      `CaSharePrincipal.organization("${ORG_ARN_EXAMPLE}") or CaSharePrincipal.organizationalUnit("${OU_ARN_EXAMPLE}")`];
  }
  const problems: string[] = [];
  for (const { kind, value } of principals) {
    if (Token.isUnresolved(value)) continue;
    if (kind === 'account') {
      problems.push(...validateAccountIds([value]));
    } else if (kind === 'organization' && !isArn(value)) {
      const id = ORGANIZATION.test(value) ? value : 'o-a1b2c3d4e5';
      problems.push(`cannot share with organization ${quoteValue(value)} by its ID: AWS RAM names an organization by its ARN, so give ` +
        `CaSharePrincipal.organization("arn:aws:organizations::<management-account>:organization/${id}")`);
    } else if (kind === 'organization' && !ORGANIZATION_ARN.test(value)) {
      problems.push(`organization ARN ${quoteValue(value)} is not an AWS Organizations organization ARN: expected the form ${ORG_ARN_EXAMPLE}`);
    } else if (kind === 'organizationalUnit' && !isArn(value)) {
      const m = OU_IN_PATH.exec(value);
      const arn = m ? `arn:aws:organizations::<management-account>:ou/${m[1]}/${m[2]}` : OU_ARN_EXAMPLE;
      problems.push(`cannot share with organizational unit ${quoteValue(value)} by its path: AWS RAM names an organizational unit ` +
        `by its ARN (and shares with its child OUs too), so give CaSharePrincipal.organizationalUnit("${arn}")`);
    } else if (kind === 'organizationalUnit' && !OU_ARN.test(value)) {
      problems.push(`organizational unit ARN ${quoteValue(value)} is not an AWS Organizations OU ARN: expected the form ${OU_ARN_EXAMPLE}`);
    }
  }
  return [...problems, ...duplicates(principals)];
}

/** What an AWS RAM share (`AWS::RAM::ResourceShare`) gets from the principals. */
export interface RamShareFacts {
  /** `Principals`: account IDs and organization / OU ARNs, as given. */
  readonly principals: string[];
  /** `AllowExternalPrincipals`: false only when every principal is an organization or an OU (so inside the organization). */
  readonly allowExternalPrincipals: boolean;
}

/** Renders the principals of an AWS RAM share. */
export function renderRamPrincipals(principals: readonly SharePrincipalFacts[]): RamShareFacts {
  return {
    principals: principals.map((p) => p.value),
    allowExternalPrincipals: principals.some((p) => p.kind === 'account'),
  };
}

/** Whom a CA resource policy grants, in the form `renderCaPolicy` takes. */
export interface PolicyGrantees {
  readonly accounts: string[];
  readonly organizationId?: string;
  readonly organizationalUnitPaths: string[];
}

/** The organization ID of an organization principal given as an ID or an ARN (a token as it is). */
function organizationIdOf(value: string): string {
  return ORGANIZATION_ARN.exec(value)?.[1] ?? value;
}

/**
 * Checks the principals of a CA resource policy (`CertificateAuthorityPolicy`): at least one; accounts by 12-digit ID;
 * at most one organization, by ID or ARN; organizational units by `aws:PrincipalOrgPaths` path; not both an
 * organization and organizational units; each listed once.
 */
export function validatePolicyPrincipals(principals: readonly SharePrincipalFacts[]): string[] {
  if (principals.length === 0) {
    return ['the policy grants nobody: give principals, such as CaSharePrincipal.account("123456789012"), ' +
      `CaSharePrincipal.organization("o-a1b2c3d4e5") or CaSharePrincipal.organizationalUnit("${OU_PATH_EXAMPLE}").`];
  }
  const problems: string[] = [];
  const organizations = principals.filter((p) => p.kind === 'organization');
  const units = principals.filter((p) => p.kind === 'organizationalUnit');
  for (const { kind, value } of principals) {
    if (Token.isUnresolved(value)) continue;
    if (kind === 'account') {
      problems.push(...validateAccountIds([value]));
    } else if (kind === 'organization' && isArn(value)) {
      if (!ORGANIZATION_ARN.test(value)) {
        problems.push(`organization ARN ${quoteValue(value)} is not an AWS Organizations organization ARN: expected the form ${ORG_ARN_EXAMPLE}, ` +
          'or give the organization ID ("o-a1b2c3d4e5").');
      }
    } else if (kind === 'organization') {
      problems.push(...validateOrganizationId(value));
    } else if (isArn(value)) {
      const org = ORG_IN_OU_ARN.exec(value)?.[1] ?? 'o-a1b2c3d4e5';
      problems.push(`organizational unit ${quoteValue(value)} is an ARN, but a CA policy matches organizational units by their ` +
        'aws:PrincipalOrgPaths path, which also names the root and the parent OUs: give CaSharePrincipal.organizationalUnit(' +
        `"${org}/r-<root>/<parent OUs>/<this OU>/"), such as "${OU_PATH_EXAMPLE}" (add "*" to cover child OUs).`);
    } else {
      problems.push(...validateOrganizationalUnitPaths([value]));
    }
  }
  if (organizations.length > 1) {
    problems.push(`principals names ${organizations.length} organizations (${organizations.map((o) => quoteValue(o.value)).join(', ')}): ` +
      'a CA policy grants one organization, the one its principals belong to: keep one CaSharePrincipal.organization.');
  }
  if (organizations.length > 0 && units.length > 0) {
    problems.push(`organization ${quoteValue(organizations[0].value)} already grants every organizational unit: ` +
      'give either CaSharePrincipal.organization or CaSharePrincipal.organizationalUnit, not both.');
  }
  return [...problems, ...duplicates(principals)];
}

/** Renders the principals of a CA resource policy for `renderCaPolicy`. */
export function renderPolicyGrantees(principals: readonly SharePrincipalFacts[]): PolicyGrantees {
  const organization = principals.find((p) => p.kind === 'organization');
  return {
    accounts: principals.filter((p) => p.kind === 'account').map((p) => p.value),
    organizationId: organization === undefined ? undefined : organizationIdOf(organization.value),
    organizationalUnitPaths: principals.filter((p) => p.kind === 'organizationalUnit').map((p) => p.value),
  };
}
