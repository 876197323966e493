import { CfnJson, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CaIssuerTrust, CaIssuerTrustFacts } from './ca-issuer-trust';
import { IPkiCertificateAuthority } from './certificate-authority-base';
import { CertificateTemplate } from './certificate-template';
import {
  validateEksClusterName, validateIssuerRoleArn, validateIssuerTemplates, validateKubernetesNamespace, validateRoleName,
  validateServiceAccountName,
} from '../validation/ca-issuer';
import { throwIfProblems } from '../validation/errors';

/** What aws-privateca-issuer calls besides IssueCertificate. */
const ISSUER_READ_ACTIONS = ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate'];

/** Properties of a `CaIssuerRole`. */
export interface CaIssuerRoleProps {
  /**
   * The CA the issuer issues from: a CA of this library or one imported with
   * `RootCa.fromCertificateAuthorityArn` / `SubordinateCa.fromCertificateAuthorityArn`. It is the
   * `spec.arn` of the `AWSPCAIssuer` / `AWSPCAClusterIssuer`.
   */
  readonly certificateAuthority: IPkiCertificateAuthority;

  /**
   * Who assumes the role: `CaIssuerTrust.podIdentity()`, `CaIssuerTrust.irsa(provider)` or
   * `CaIssuerTrust.crossAccountRole(issuerRoleArn)`.
   */
  readonly trust: CaIssuerTrust;

  /**
   * The templates `acm-pca:IssueCertificate` is limited to (`StringEquals acm-pca:TemplateArn`).
   *
   * aws-privateca-issuer picks the template from the cert-manager `Certificate`'s `usages`:
   * `server auth` alone → `EndEntityServerAuthCertificate/V1`, `client auth` alone →
   * `EndEntityClientAuthCertificate/V1`, both → `EndEntityCertificate/V1`, `code signing` →
   * `CodeSigningCertificate/V1`, `ocsp signing` → `OCSPSigningCertificate/V1`, `isCA: true` →
   * `SubordinateCACertificate_PathLen0/V1`, and anything else (cert-manager's default usages
   * `digital signature, key encipherment` too) → `BlankEndEntityCertificate_APICSRPassthrough/V1`.
   * So with the default, set `usages` on each `Certificate`, or add
   * `CertificateTemplate.of('BlankEndEntityCertificate_APICSRPassthrough/V1')` (CA:FALSE, the other
   * extensions come from the CSR).
   *
   * @default - the end-entity templates `CertificateTemplate.endEntityTemplates()`:
   *   `EndEntityCertificate/V1`, `EndEntityClientAuthCertificate/V1`, `EndEntityServerAuthCertificate/V1`
   */
  readonly templates?: CertificateTemplate[];

  /**
   * Whether `templates` may include CA templates (`RootCACertificate*`,
   * `SubordinateCACertificate_PathLen*`, their `Blank...` variants). Without it such a list is refused:
   * an issuer that can issue a CA certificate can mint a CA that everything trusting the hierarchy trusts.
   *
   * @default false
   */
  readonly allowCaTemplates?: boolean;

  /**
   * The role's name. A fixed name gives a role ARN that the cluster's side (Helm values, the
   * `AWSPCAIssuer`'s `role`, the issuer role's `sts:AssumeRole` permission) can name without a
   * cross-stack reference; it also stops CloudFormation from replacing the role on some changes.
   *
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;
}

/**
 * An IAM role for cert-manager's AWS Private CA issuer (aws-privateca-issuer, also the EKS add-on
 * `aws-privateca-connector-for-kubernetes`), allowed exactly what the issuer calls on one CA:
 * `acm-pca:DescribeCertificateAuthority`, `acm-pca:GetCertificate` and `acm-pca:IssueCertificate`,
 * the last only with the allowed templates (`acm-pca:TemplateArn`, through the CA's
 * `grantIssueCertificate`).
 *
 * The trust is EKS Pod Identity or IRSA for the issuer's service account, or, across accounts, the
 * issuer's own role (which then assumes this one through the `AWSPCAIssuer`'s `role` field).
 * The README ("An issuer role for cert-manager") shows the matching Helm values and issuer manifest.
 *
 * When the CA is in another account than the role (shared with RAM or a `CertificateAuthorityPolicy`),
 * the CA's resource policy must also allow these actions; across accounts, prefer
 * `CaIssuerTrust.crossAccountRole` in the CA's account.
 */
export class CaIssuerRole extends Construct implements iam.IGrantable {
  /** The role the issuer runs with (or assumes). */
  public readonly role: iam.IRole;
  /** The role's ARN: the IRSA annotation, the `AWSPCAIssuer`'s `role` across accounts, or the Pod Identity association's. */
  public readonly roleArn: string;
  /** The role, to grant it more (a principal for `grant*` methods). */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The template ARNs `acm-pca:IssueCertificate` is limited to. */
  public readonly templateArns: string[];

  constructor(scope: Construct, id: string, props: CaIssuerRoleProps) {
    super(scope, id);
    const facts = props.trust._facts();
    const templates = props.templates ?? CertificateTemplate.endEntityTemplates();
    throwIfProblems(this.node.path, [
      ...validateIssuerTemplates(templates.map((t) => t.nameAndVersion), props.allowCaTemplates ?? false),
      ...trustProblems(facts),
      ...(props.roleName === undefined ? [] : validateRoleName(props.roleName)),
    ]);

    const role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `cert-manager aws-privateca-issuer: issues from the Private CA ${props.certificateAuthority.node.path}`.slice(0, 1000),
      assumedBy: this.principal(facts),
    });
    const ca = props.certificateAuthority;
    ca.grantIssueCertificate(role, templates);
    // What the issuer reads: the CA's signing algorithm (Describe) and the issued certificate with its chain (Get).
    iam.Grant.addToPrincipal({ grantee: role, actions: ISSUER_READ_ACTIONS, resourceArns: [ca.certificateAuthorityArn] });

    if (facts.kind === 'podIdentity' && facts.clusterName !== undefined) {
      new eks.CfnPodIdentityAssociation(this, 'PodIdentityAssociation', {
        clusterName: facts.clusterName,
        namespace: facts.namespace,
        serviceAccount: facts.serviceAccount,
        roleArn: role.roleArn,
      });
    }

    this.role = role;
    this.roleArn = role.roleArn;
    this.grantPrincipal = role;
    this.templateArns = [...new Set(templates.map((t) => t.templateArn))];
  }

  private principal(facts: CaIssuerTrustFacts): iam.IPrincipal {
    switch (facts.kind) {
      case 'podIdentity': {
        const tags: Record<string, string> = {
          'aws:RequestTag/kubernetes-namespace': facts.namespace,
          'aws:RequestTag/kubernetes-service-account': facts.serviceAccount,
        };
        if (facts.clusterName !== undefined) tags['aws:RequestTag/eks-cluster-name'] = facts.clusterName;
        return new iam.PrincipalWithConditions(new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags(), { StringEquals: tags });
      }
      case 'irsa': {
        const issuer = facts.provider.openIdConnectProviderIssuer;
        const claims = {
          [`${issuer}:sub`]: `system:serviceaccount:${facts.namespace}:${facts.serviceAccount}`,
          [`${issuer}:aud`]: 'sts.amazonaws.com',
        };
        // A token in a JSON key (an OIDC provider made in this app) needs CfnJson, as in aws-eks's ServiceAccount.
        const stringEquals = Token.isUnresolved(issuer) ? new CfnJson(this, 'IrsaConditions', { value: claims }) : claims;
        return new iam.OpenIdConnectPrincipal(facts.provider, { StringEquals: stringEquals });
      }
      case 'crossAccountRole':
        return new iam.ArnPrincipal(facts.roleArn).withSessionTags();
    }
  }
}

function trustProblems(facts: CaIssuerTrustFacts): string[] {
  switch (facts.kind) {
    case 'podIdentity':
      return [
        ...validateKubernetesNamespace(facts.namespace),
        ...validateServiceAccountName(facts.serviceAccount),
        ...(facts.clusterName === undefined ? [] : validateEksClusterName(facts.clusterName)),
      ];
    case 'irsa':
      return [...validateKubernetesNamespace(facts.namespace), ...validateServiceAccountName(facts.serviceAccount)];
    case 'crossAccountRole':
      return validateIssuerRoleArn(facts.roleArn);
  }
}
