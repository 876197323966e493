import { Aws, CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { Construct } from 'constructs';
import { CaSharePrincipal } from './ca-share-principal';
import { CertificateTemplate, templateArnsOf } from './certificate-template';
import { attachOwnHandlerPolicy } from './handler-policy';
import { CaPolicyFunction } from '../handlers/ca-policy/ca-policy-function';
import { CaPolicyResourceProperties } from '../handlers/ca-policy/contract';
import { SingletonProvider } from '../private/singleton-provider';
import { parseArn, validateCertificateAuthorityArn } from '../validation/arn';
import { renderCaPolicy } from '../validation/ca-policy';
import { throwIfProblems } from '../validation/errors';
import { validateCaPolicyText } from '../validation/policy-text';
import { renderPolicyGrantees, validatePolicyPrincipals } from '../validation/share-principal';

/** Properties of a `CertificateAuthorityPolicy`. */
export interface CertificateAuthorityPolicyProps {
  /** The CA the policy is attached to; every statement's `Resource` is its ARN. */
  readonly certificateAuthority: acmpca.ICertificateAuthority;

  /**
   * Who may read the CA and issue certificates from it (at least one):
   *
   * - `CaSharePrincipal.account('111122223333')`: an AWS account, for example ACM users in another
   *   account (they also need the ACM service-linked role for renewals);
   * - `CaSharePrincipal.organization('o-a1b2c3d4e5')` (or the organization's ARN): every principal
   *   of the organization (principal `*` with an `aws:PrincipalOrgID` condition); at most one, and
   *   not with organizational units, which it covers;
   * - `CaSharePrincipal.organizationalUnit('o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/')`: the principals
   *   of an OU by its `aws:PrincipalOrgPaths` path (a trailing `*` also covers child OUs).
   */
  readonly principals: CaSharePrincipal[];

  /**
   * The templates `acm-pca:IssueCertificate` is restricted to (`StringEquals acm-pca:TemplateArn`).
   *
   * @default - [CertificateTemplate.END_ENTITY] (`EndEntityCertificate/V1`) only
   */
  readonly templates?: CertificateTemplate[];
}

/**
 * A resource-based policy on an AWS Private CA (PutPolicy), which CloudFormation has no resource for:
 * it lets other accounts, an organization or organizational units use the CA, for example to issue
 * ACM private certificates from it. Deleting the construct deletes the policy (DeletePolicy).
 *
 * The policy has the shape of the Private CA API example: one statement with the read actions
 * (DescribeCertificateAuthority, GetCertificate, GetCertificateAuthorityCertificate, ListPermissions,
 * ListTags) and one with `IssueCertificate` limited to the given templates, for each kind of grantee.
 *
 * Do not also share the CA through AWS RAM: RAM manages the same policy, and deleting the policy
 * removes the CA from every share. A CA has one policy, so use one `CertificateAuthorityPolicy` per CA.
 *
 * Each policy gives the handler the permissions on its CA in an IAM policy of its own, which
 * CloudFormation deletes after the custom resource: removing or renaming the construct still removes
 * the policy from the CA. Pointing a policy at another CA leaves the old CA out of reach (the
 * handler's IAM names the new one when CloudFormation deletes the old policy): the clean-up then fails
 * and its message gives the `aws acm-pca delete-policy` command.
 */
export class CertificateAuthorityPolicy extends Construct {
  /** The CloudFormation type of the custom resource. */
  public static readonly RESOURCE_TYPE = 'Custom::CdkPkiCaPolicy';

  /** The ARN of the CA the policy is attached to. */
  public readonly certificateAuthorityArn: string;

  /** The template ARNs `IssueCertificate` is restricted to. */
  public readonly templateArns: string[];

  /** The policy JSON as sent to PutPolicy (a token when it holds deploy-time values). */
  public readonly policy: string;

  constructor(scope: Construct, id: string, props: CertificateAuthorityPolicyProps) {
    super(scope, id);
    const ca = props.certificateAuthority;
    const caArn = ca.certificateAuthorityArn;
    const principals = (props.principals ?? []).map((p) => p._facts());
    const { accounts, organizationId, organizationalUnitPaths: ouPaths } = renderPolicyGrantees(principals);
    const partition = parseArn(caArn)?.partition ?? Aws.PARTITION;

    const problems = [
      ...validateCertificateAuthorityArn(caArn),
      ...validatePolicyPrincipals(principals),
    ];
    if (props.templates !== undefined && props.templates.length === 0) {
      problems.push('templates is empty, so nobody could issue certificates: leave it out to allow EndEntityCertificate/V1, ' +
        'or list the templates to allow.');
    }
    const { arns: templateArns, problems: templateProblems } = templateArnsOf(this, props.templates, partition);
    problems.push(...templateProblems);
    throwIfProblems(this.node.path, problems);

    const grants = {
      certificateAuthorityArn: caArn,
      accounts,
      organizationId,
      organizationalUnitPaths: ouPaths,
      templateArns,
    };
    // Deploy-time values count as empty, so the length is a lower bound and no check raises a false alarm.
    const known = (v: string) => (Token.isUnresolved(v) ? '' : v);
    const bound = JSON.stringify(renderCaPolicy({
      certificateAuthorityArn: known(caArn),
      accounts: accounts.map(known),
      organizationId: organizationId === undefined ? undefined : known(organizationId),
      organizationalUnitPaths: ouPaths.map(known),
      templateArns: templateArns.map(known),
    }));
    const partial = Token.isUnresolved(JSON.stringify(renderCaPolicy(grants)));
    throwIfProblems(this.node.path, validateCaPolicyText(bound, { partial }));

    this.certificateAuthorityArn = caArn;
    this.templateArns = templateArns;
    this.policy = Stack.of(this).toJsonString(renderCaPolicy(grants));

    const provider = SingletonProvider.of(this, {
      id: 'CdkPkiCaPolicyProvider',
      createHandler: (s, i) => new CaPolicyFunction(s, i, { timeout: Duration.minutes(3) }),
    });
    const properties: CaPolicyResourceProperties = { CertificateAuthorityArn: caArn, Policy: this.policy };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CertificateAuthorityPolicy.RESOURCE_TYPE,
      properties,
    });
    // The handler's permissions on this CA live and die with this resource, so its Delete (DeletePolicy) is still
    // allowed when the construct is removed or renamed: CloudFormation deletes the policy after the resource.
    attachOwnHandlerPolicy(this, provider, resource, [
      { actions: ['acm-pca:PutPolicy', 'acm-pca:GetPolicy', 'acm-pca:DeletePolicy'], resources: [caArn] },
    ]);
    // After every resource of the CA construct (its activation included: Private CA needs an ACTIVE CA). CDK skips
    // the dependency of this resource on itself when the CA construct contains this one.
    resource.node.addDependency(ca);
  }
}
