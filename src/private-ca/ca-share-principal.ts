import type { SharePrincipalFacts, SharePrincipalKind } from '../validation/share-principal';

/**
 * Whom a CA is shared with: an AWS account, an AWS Organizations organization or an organizational
 * unit, for `shareWith` (AWS RAM) and `CertificateAuthorityPolicy` (a resource policy).
 *
 * RAM names an organization or an organizational unit by its ARN; a resource policy names an
 * organization by its ID (an ARN works too) and an organizational unit by its
 * `aws:PrincipalOrgPaths` path. Each use checks the form it needs and says which one to give.
 * A value that is a token is used as it is.
 *
 * @example
 * CaSharePrincipal.account('111122223333');
 * CaSharePrincipal.organization('arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5'); // RAM or policy
 * CaSharePrincipal.organization('o-a1b2c3d4e5'); // policy
 * CaSharePrincipal.organizationalUnit('arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-11111111'); // RAM
 * CaSharePrincipal.organizationalUnit('o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/'); // policy
 */
export class CaSharePrincipal {
  /**
   * An AWS account.
   *
   * @param accountId the 12-digit account ID, such as `111122223333`
   */
  public static account(accountId: string): CaSharePrincipal {
    return new CaSharePrincipal('account', accountId);
  }

  /**
   * Every account of an AWS Organizations organization.
   *
   * @param organization the organization's ARN,
   *   `arn:aws:organizations::<management-account>:organization/o-...` (what `shareWith` needs;
   *   a policy takes it too), or its ID `o-...` (a `CertificateAuthorityPolicy` only)
   */
  public static organization(organization: string): CaSharePrincipal {
    return new CaSharePrincipal('organization', organization);
  }

  /**
   * The accounts of an organizational unit.
   *
   * @param organizationalUnit the OU's ARN,
   *   `arn:aws:organizations::<management-account>:ou/o-.../ou-...` (for `shareWith`, which also
   *   reaches its child OUs), or its `aws:PrincipalOrgPaths` path `o-.../r-.../ou-.../` (for a
   *   `CertificateAuthorityPolicy`; end it with `*` to cover child OUs)
   */
  public static organizationalUnit(organizationalUnit: string): CaSharePrincipal {
    return new CaSharePrincipal('organizationalUnit', organizationalUnit);
  }

  private constructor(private readonly kind: SharePrincipalKind, private readonly value: string) {}

  /**
   * What the rules in src/validation/share-principal.ts check and render.
   *
   * @internal
   */
  public _facts(): SharePrincipalFacts {
    return { kind: this.kind, value: this.value };
  }
}
