import * as iam from 'aws-cdk-lib/aws-iam';

/** Which Kubernetes service account runs cert-manager's aws-privateca-issuer. */
export interface CaIssuerServiceAccountOptions {
  /**
   * The namespace the issuer runs in (a DNS-1123 label). This is the issuer's own namespace, not
   * cert-manager's: `helm install aws-privateca-issuer awspca/aws-privateca-issuer --namespace
   * aws-privateca-issuer --create-namespace` puts it there.
   *
   * @default 'aws-privateca-issuer'
   */
  readonly namespace?: string;
  /**
   * The issuer's service account (a DNS-1123 subdomain). The Helm chart names it after the release
   * (`serviceAccount.name` overrides): `aws-privateca-issuer` for a release of that name, and
   * `<release>-aws-privateca-issuer` for any release name that does not contain it.
   *
   * @default 'aws-privateca-issuer'
   */
  readonly serviceAccount?: string;
}

/** Options of `CaIssuerTrust.podIdentity`. */
export interface CaIssuerPodIdentityOptions extends CaIssuerServiceAccountOptions {
  /**
   * The EKS cluster the issuer runs in (its name, in the role's account and region). When set, the
   * role also requires the `eks-cluster-name` session tag to be this cluster, and the construct creates
   * the Pod Identity association (`AWS::EKS::PodIdentityAssociation`) for the service account.
   *
   * @default - any cluster of the account whose Pod Identity association names this role; create the
   *   association yourself (`aws eks create-pod-identity-association`, `eks.CfnPodIdentityAssociation`,
   *   or the `podIdentityAssociations` of the `aws-privateca-connector-for-kubernetes` EKS add-on)
   */
  readonly clusterName?: string;
}

/** What a `CaIssuerTrust` trusts, as `CaIssuerRole` reads it. Not exported from the package index. */
export type CaIssuerTrustFacts =
  | { readonly kind: 'podIdentity'; readonly namespace: string; readonly serviceAccount: string; readonly clusterName?: string }
  | { readonly kind: 'irsa'; readonly provider: iam.IOpenIdConnectProvider; readonly namespace: string; readonly serviceAccount: string }
  | { readonly kind: 'crossAccountRole'; readonly roleArn: string };

/** The namespace and service account the issuer's Helm chart uses when installed as `aws-privateca-issuer`. */
const DEFAULT_NAME = 'aws-privateca-issuer';

/**
 * Who may assume a `CaIssuerRole`: cert-manager's aws-privateca-issuer through EKS Pod Identity or
 * IAM roles for service accounts (IRSA), or the issuer's own role in another account (cross-account).
 * The first two default to the namespace and service account `aws-privateca-issuer`.
 */
export class CaIssuerTrust {
  /**
   * EKS Pod Identity: the role trusts `pods.eks.amazonaws.com` (`sts:AssumeRole` and `sts:TagSession`),
   * only for the issuer's service account: the trust requires the `kubernetes-namespace` and
   * `kubernetes-service-account` session tags that Pod Identity sets (so an association made with
   * `disableSessionTags: true` cannot use the role). Nothing goes into the Helm values: EKS injects
   * the credentials into the pods of the associated service account.
   *
   * @param options the namespace, service account and, optionally, the cluster
   */
  public static podIdentity(options: CaIssuerPodIdentityOptions = {}): CaIssuerTrust {
    return new CaIssuerTrust({
      kind: 'podIdentity',
      namespace: options.namespace ?? DEFAULT_NAME,
      serviceAccount: options.serviceAccount ?? DEFAULT_NAME,
      clusterName: options.clusterName,
    });
  }

  /**
   * IAM roles for service accounts (IRSA): the role trusts the cluster's OIDC provider
   * (`sts:AssumeRoleWithWebIdentity`) when the token's `sub` is
   * `system:serviceaccount:<namespace>:<serviceAccount>` and its `aud` is `sts.amazonaws.com`
   * (`StringEquals`). Annotate the service account with the role's ARN
   * (Helm value `serviceAccount.annotations."eks.amazonaws.com/role-arn"`). With a provider made in
   * the same app, whose issuer is known only at deploy time, the condition goes through aws-cdk-lib's
   * `CfnJson` (a small custom resource), as aws-eks's own service accounts do.
   *
   * @param provider the cluster's IAM OIDC provider, e.g. `cluster.openIdConnectProvider` or
   *   `iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(...)`
   * @param options the namespace and service account
   */
  public static irsa(provider: iam.IOpenIdConnectProvider, options: CaIssuerServiceAccountOptions = {}): CaIssuerTrust {
    return new CaIssuerTrust({
      kind: 'irsa',
      provider,
      namespace: options.namespace ?? DEFAULT_NAME,
      serviceAccount: options.serviceAccount ?? DEFAULT_NAME,
    });
  }

  /**
   * Cross-account: the issuer runs with its own role (typically in the cluster's account, trusted
   * through Pod Identity or IRSA there) and assumes this one, in the CA's account, through the
   * `role` field of its `AWSPCAIssuer` / `AWSPCAClusterIssuer`, or as the `targetRoleArn` of an EKS
   * Pod Identity association. The role trusts exactly that role ARN (`sts:AssumeRole`, and
   * `sts:TagSession`, which Pod Identity's role chaining needs). The issuer's role also needs
   * `sts:AssumeRole` on this role in its own account's IAM.
   *
   * No external ID: the issuer's assume-role call sends none, so a role that required one could not
   * be used; trusting one role ARN (not an account) is what keeps other principals out. IAM stores the
   * trusted role by its unique ID, so if that role is deleted and created again, redeploy this one.
   *
   * @param issuerRoleArn the ARN of the role the issuer runs with, `arn:aws:iam::<account>:role/<name>`
   */
  public static crossAccountRole(issuerRoleArn: string): CaIssuerTrust {
    return new CaIssuerTrust({ kind: 'crossAccountRole', roleArn: issuerRoleArn });
  }

  private constructor(private readonly facts: CaIssuerTrustFacts) {}

  /**
   * What `CaIssuerRole` checks and turns into the trust policy.
   *
   * @internal
   */
  public _facts(): CaIssuerTrustFacts {
    return this.facts;
  }
}
