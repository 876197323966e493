import { createHash } from 'crypto';
import { Lazy, Stack } from 'aws-cdk-lib';
import * as ram from 'aws-cdk-lib/aws-ram';
import { Construct, IConstruct } from 'constructs';
import { CertificateTemplate, templateArnsOf } from './certificate-template';
import {
  ramPermissionName,
  RAM_CA_RESOURCE_TYPE,
  renderSharePolicyTemplate,
  validateShareActions,
  validateShareTemplates,
} from '../validation/share-permission';

/** Options of `CaSharePermission.actions`. */
export interface CaSharePermissionOptions {
  /**
   * The templates `acm-pca:IssueCertificate` is limited to (a condition on `acm-pca:TemplateArn`); only with
   * `acm-pca:IssueCertificate` among the actions. RAM's permission has a single statement, so with other actions the
   * condition is `StringEqualsIfExists` (they carry no template ARN); with `IssueCertificate` alone it is
   * `StringEquals`. A request that names no template gets Private CA's default, `EndEntityCertificate/V1`.
   *
   * @default - [CertificateTemplate.END_ENTITY] (`EndEntityCertificate/V1`) only, when the actions include
   *   `acm-pca:IssueCertificate`
   */
  readonly templates?: CertificateTemplate[];
}

/** Options of `shareWith`. */
export interface CaShareOptions {
  /**
   * What the principals may do with the CA: RAM's AWS managed permission, or a customer managed permission with only
   * the Private CA actions you list (`CaSharePermission.actions`).
   *
   * @default CaSharePermission.managed()
   */
  readonly permission?: CaSharePermission;
}

/** What a `CaSharePermission` created for a share. @internal */
export interface BoundSharePermission {
  /** The permission ARNs for the share's `PermissionArns`; `undefined` for the AWS managed default. */
  readonly permissionArns?: string[];
  /** The `AWS::RAM::Permission`, when one was created. */
  readonly permission?: IConstruct;
}

/**
 * What the accounts a CA is shared with may do with it (`shareWith`'s `permission`): the AWS managed permission
 * RAM attaches by default, or a customer managed permission (`AWS::RAM::Permission`) with only the Private CA actions
 * you list.
 *
 * @example
 * // Other accounts may issue end-entity certificates and read them back, nothing else.
 * CaSharePermission.actions(['acm-pca:IssueCertificate', 'acm-pca:GetCertificate', 'acm-pca:GetCertificateAuthorityCertificate']);
 */
export class CaSharePermission {
  /**
   * RAM's default AWS managed permission for Private CA (the share has no `PermissionArns`): read the CA and issue
   * end-entity certificates.
   */
  public static managed(): CaSharePermission {
    return new CaSharePermission(undefined, undefined);
  }

  /**
   * A customer managed permission (`AWS::RAM::Permission` for `acm-pca:CertificateAuthority`) that allows only these
   * actions, of those RAM allows on a shared CA: `acm-pca:DescribeCertificateAuthority`, `acm-pca:GetCertificate`,
   * `acm-pca:GetCertificateAuthorityCertificate`, `acm-pca:ListPermissions`, `acm-pca:ListTags`,
   * `acm-pca:IssueCertificate` and `acm-pca:RevokeCertificate`. Its name comes from the share's construct path and a
   * digest of what it allows, so changing the actions creates a new permission and moves the share to it.
   *
   * @param actions at least one, each once, written as `acm-pca:<Action>`
   * @param options the templates `IssueCertificate` is limited to
   */
  public static actions(actions: string[], options: CaSharePermissionOptions = {}): CaSharePermission {
    return new CaSharePermission(actions, options);
  }

  private constructor(
    private readonly allowed: string[] | undefined,
    private readonly options: CaSharePermissionOptions | undefined,
  ) {}

  /**
   * Checks the permission and, for `actions(...)`, creates the `AWS::RAM::Permission` in `scope` with id `id`.
   *
   * @param scope where the permission goes (the CA)
   * @param id the permission's construct id
   * @param partition the CA's partition, for template ARNs
   * @returns the problems (nothing is created when there are any), or what the share needs
   * @internal
   */
  public _bind(scope: Construct, id: string, partition: string): string[] | BoundSharePermission {
    if (this.allowed === undefined) return {};
    const actions = this.allowed;
    const templates = this.options?.templates;
    const problems = [...validateShareActions(actions), ...validateShareTemplates(actions, templates?.length)];
    const { arns: templateArns, problems: templateProblems } = templateArnsOf(scope, templates, partition);
    problems.push(...templateProblems.map((p) => `permission ${p}`));
    if (problems.length > 0) return problems;

    const policyTemplate = renderSharePolicyTemplate({ actions, templateArns });
    const permission = new ram.CfnPermission(scope, id, {
      // PolicyTemplate cannot change in place: a new template is a new permission, so the name carries its digest
      // (resolved at synth time, when tokens such as the partition render the same way every time).
      name: Lazy.string({
        produce: () => {
          const path = `${scope.node.path}/${id}`;
          const digest = createHash('sha256').update(`${path}\n${JSON.stringify(Stack.of(scope).resolve(policyTemplate))}`).digest('hex');
          return ramPermissionName(path, digest);
        },
      }),
      resourceType: RAM_CA_RESOURCE_TYPE,
      policyTemplate,
    });
    return { permissionArns: [permission.attrArn], permission };
  }
}
