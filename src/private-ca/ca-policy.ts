import { Annotations, Aws, CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { Construct } from 'constructs';
import { CertificateTemplate } from './certificate-template';
import { attachOwnHandlerPolicy } from './handler-policy';
import { SingletonProvider } from '../custom-resources/singleton-provider';
import { CaPolicyFunction } from '../handlers/ca-policy/ca-policy-function';
import { parseArn, validateCertificateAuthorityArn } from '../validation/arn';
import {
  isKnownTemplateName,
  parseTemplate,
  renderCaPolicy,
  validateAccountIds,
  validateOrganizationalUnitPaths,
  validateOrganizationId,
} from '../validation/ca-policy';
import { throwIfProblems } from '../validation/errors';
import { validateCaPolicyText } from '../validation/policy-text';

/** Properties of a `CertificateAuthorityPolicy`. */
export interface CertificateAuthorityPolicyProps {
  /** The CA the policy is attached to; every statement's `Resource` is its ARN. */
  readonly certificateAuthority: acmpca.ICertificateAuthority;

  /**
   * AWS accounts (12-digit IDs) that may read the CA and issue certificates from it, for example
   * ACM users in another account. They also need the ACM service-linked role for renewals.
   *
   * @default - no account grant
   */
  readonly allowAccounts?: string[];

  /**
   * An AWS Organizations ID (`o-...`): every principal of the organization may read the CA and issue
   * from it (principal `*` with an `aws:PrincipalOrgID` condition). Cannot be combined with
   * `organizationalUnitPaths`, which it covers.
   *
   * @default - no organization grant
   */
  readonly organizationId?: string;

  /**
   * Organizational unit paths (`aws:PrincipalOrgPaths`) whose principals may read the CA and issue
   * from it, such as `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/` (a trailing `*` also covers child OUs).
   *
   * @default - no organizational-unit grant
   */
  readonly organizationalUnitPaths?: string[];

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
    const accounts = props.allowAccounts ?? [];
    const ouPaths = props.organizationalUnitPaths ?? [];
    const partition = parseArn(caArn)?.partition ?? Aws.PARTITION;

    const problems = [
      ...validateCertificateAuthorityArn(caArn),
      ...validateAccountIds(accounts),
      ...(props.organizationId === undefined ? [] : validateOrganizationId(props.organizationId)),
      ...validateOrganizationalUnitPaths(ouPaths),
    ];
    if (accounts.length === 0 && props.organizationId === undefined && ouPaths.length === 0) {
      problems.push('the policy grants nobody: give allowAccounts (12-digit account IDs), organizationId ("o-...") ' +
        'or organizationalUnitPaths.');
    }
    if (props.organizationId !== undefined && ouPaths.length > 0) {
      problems.push(`organizationId ${JSON.stringify(props.organizationId)} already grants every organizational unit: ` +
        'give either organizationId or organizationalUnitPaths, not both.');
    }
    if (props.templates !== undefined && props.templates.length === 0) {
      problems.push('templates is empty, so nobody could issue certificates: leave it out to allow EndEntityCertificate/V1, ' +
        'or list the templates to allow.');
    }
    const templateArns: string[] = [];
    for (const template of props.templates ?? [CertificateTemplate.END_ENTITY]) {
      const parsed = parseTemplate(template.nameAndVersion, partition);
      if (typeof parsed === 'string') {
        problems.push(parsed);
        continue;
      }
      if (parsed.name !== undefined && !isKnownTemplateName(parsed.name)) {
        Annotations.of(this).addWarningV2('cdk-pki:unknown-certificate-template',
          `Template ${template.nameAndVersion} is not a Private CA template this library knows: check the spelling, ` +
          'or IssueCertificate will match no request.');
      }
      if (!templateArns.includes(parsed.arn)) templateArns.push(parsed.arn);
    }
    throwIfProblems(this.node.path, problems);

    const grants = {
      certificateAuthorityArn: caArn,
      accounts,
      organizationId: props.organizationId,
      organizationalUnitPaths: ouPaths,
      templateArns,
    };
    // Deploy-time values count as empty, so the length is a lower bound and no check raises a false alarm.
    const known = (v: string) => (Token.isUnresolved(v) ? '' : v);
    const bound = JSON.stringify(renderCaPolicy({
      certificateAuthorityArn: known(caArn),
      accounts: accounts.map(known),
      organizationId: props.organizationId === undefined ? undefined : known(props.organizationId),
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
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CertificateAuthorityPolicy.RESOURCE_TYPE,
      properties: { CertificateAuthorityArn: caArn, Policy: this.policy },
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
