import { Token } from 'aws-cdk-lib';
import { PARTITIONS } from './arn';
import { badCharacters, quoteValue } from './errors';

/**
 * Pure, token-aware rules for `CaIssuerRole` (the IAM role of cert-manager's aws-privateca-issuer): Kubernetes
 * names, EKS cluster names, the issuer's role ARN and the templates it may issue with. A value that is an
 * unresolved token is never checked.
 */

/** A Kubernetes DNS-1123 label: what a namespace name must be. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A Kubernetes DNS-1123 subdomain: what a service account name must be. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An EKS cluster name (the CreateCluster API's pattern, 1 to 100 characters). */
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]*$/;
/** An IAM role ARN: `arn:<partition>:iam::<account>:role/<path/><name>`. */
const IAM_ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/((?:[\x21-\x7e]+\/)?)([\w+=,.@-]{1,64})$/;
/** The CA templates: root and subordinate CA certificates and their Blank and passthrough variants. */
const CA_TEMPLATE = /^(Blank)?(Root|Subordinate)CACertificate/;

/** Whether a template (`Name/V1`, `Name` or its ARN `arn:<partition>:acm-pca:::template/Name/V1`) issues a CA certificate. */
export function isCaTemplateName(nameAndVersion: string): boolean {
  return CA_TEMPLATE.test(nameAndVersion.replace(/^arn:[^:]*:acm-pca:::template\//, ''));
}

/**
 * Checks a Kubernetes namespace name: a DNS-1123 label of 1 to 63 lowercase letters, digits and `-`, starting
 * and ending with a letter or digit.
 */
export function validateKubernetesNamespace(namespace: string): string[] {
  if (Token.isUnresolved(namespace)) return [];
  const q = `namespace ${quoteValue(namespace)}`;
  if (typeof namespace !== 'string' || namespace.length === 0) {
    return [`${q} is empty: give the namespace the issuer runs in, such as "aws-privateca-issuer"`];
  }
  const problems: string[] = [];
  if (namespace.length > 63) {
    problems.push(`${q} is ${namespace.length} characters long: a Kubernetes namespace name is at most 63 characters`);
  }
  if (!DNS1123_LABEL.test(namespace)) {
    const bad = badCharacters(namespace, /[a-z0-9-]/);
    problems.push(`${q} is not a Kubernetes namespace name (a DNS-1123 label): use lowercase letters, digits and "-", ` +
      `starting and ending with a letter or digit${bad ? ` (not ${bad})` : ''}, such as "aws-privateca-issuer"`);
  }
  return problems;
}

/**
 * Checks a Kubernetes service account name: a DNS-1123 subdomain of 1 to 253 characters, lowercase letters, digits,
 * `-` and `.`, each dot-separated part starting and ending with a letter or digit.
 */
export function validateServiceAccountName(serviceAccount: string): string[] {
  if (Token.isUnresolved(serviceAccount)) return [];
  const q = `service account ${quoteValue(serviceAccount)}`;
  if (typeof serviceAccount !== 'string' || serviceAccount.length === 0) {
    return [`${q} is empty: give the issuer's service account, such as "aws-privateca-issuer"`];
  }
  const problems: string[] = [];
  if (serviceAccount.length > 253) {
    problems.push(`${q} is ${serviceAccount.length} characters long: a Kubernetes service account name is at most 253 characters`);
  }
  if (!DNS1123_SUBDOMAIN.test(serviceAccount)) {
    const bad = badCharacters(serviceAccount, /[a-z0-9.-]/);
    problems.push(`${q} is not a Kubernetes service account name (a DNS-1123 subdomain): use lowercase letters, digits, "-" ` +
      `and ".", each part starting and ending with a letter or digit${bad ? ` (not ${bad})` : ''}, such as "aws-privateca-issuer"`);
  }
  return problems;
}

/** Checks an EKS cluster name: 1 to 100 letters, digits, `-` and `_`, starting with a letter or digit. */
export function validateEksClusterName(clusterName: string): string[] {
  if (Token.isUnresolved(clusterName)) return [];
  const q = `cluster name ${quoteValue(clusterName)}`;
  if (typeof clusterName !== 'string' || clusterName.length === 0 || clusterName.length > 100 || !EKS_CLUSTER_NAME.test(clusterName)) {
    return [`${q} is not an EKS cluster name: use 1 to 100 letters, digits, "-" and "_", starting with a letter or digit ` +
      '(the name, not the ARN, such as "prod")'];
  }
  return [];
}

/**
 * Checks the ARN of the role the issuer runs with, which a `CaIssuerRole` trusts:
 * `arn:<partition>:iam::<12-digit account>:role/<optional path/><name>`. An ARN containing a token is skipped.
 */
export function validateIssuerRoleArn(roleArn: string): string[] {
  if (Token.isUnresolved(roleArn)) return [];
  const example = 'arn:aws:iam::111122223333:role/aws-privateca-issuer';
  const q = `issuer role ARN ${quoteValue(roleArn)}`;
  const match = typeof roleArn === 'string' ? IAM_ROLE_ARN.exec(roleArn) : null;
  if (match === null) {
    const hint = typeof roleArn === 'string' && /:root$/.test(roleArn)
      ? ' (an account principal would let every role the other account allows assume this one: name the issuer\'s own role)'
      : '';
    return [`${q} is not an IAM role ARN: expected the form ${example}${hint}`];
  }
  if (!PARTITIONS.includes(match[1])) {
    return [`${q} has the unknown partition ${quoteValue(match[1])}: use one of ${PARTITIONS.join(', ')} (expected the form ${example})`];
  }
  return [];
}

/**
 * Checks the templates an issuer role may issue with: at least one, and no CA template unless `allowCaTemplates`
 * (a role allowed `SubordinateCACertificate_PathLen0/V1` can mint a CA that everything trusting the hierarchy
 * trusts). Template names that are tokens are skipped.
 *
 * @param nameAndVersions the templates' names, e.g. `EndEntityServerAuthCertificate/V1`
 * @param allowCaTemplates whether CA templates were allowed explicitly
 */
export function validateIssuerTemplates(nameAndVersions: readonly string[], allowCaTemplates: boolean): string[] {
  if (nameAndVersions.length === 0) {
    return ['templates is an empty list, and IssueCertificate is never granted without the acm-pca:TemplateArn condition: ' +
      'leave templates out to allow the end-entity templates (CertificateTemplate.endEntityTemplates()), or list the templates to allow'];
  }
  const ca = nameAndVersions.filter((t) => !Token.isUnresolved(t) && isCaTemplateName(t));
  if (ca.length > 0 && !allowCaTemplates) {
    return [`templates include the CA template${ca.length > 1 ? 's' : ''} ${ca.map((t) => quoteValue(t)).join(', ')}: ` +
      'a cert-manager issuer allowed a CA template can mint a subordinate CA that everything trusting the hierarchy trusts. ' +
      'Remove it (cert-manager asks for SubordinateCACertificate_PathLen0/V1 only for a Certificate with isCA: true), ' +
      'or set allowCaTemplates: true if the cluster must issue CAs'];
  }
  return [];
}

/** Checks an IAM role name: 1 to 64 letters, digits and `+=,.@_-`. */
export function validateRoleName(roleName: string): string[] {
  if (Token.isUnresolved(roleName)) return [];
  if (typeof roleName !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(roleName)) {
    const bad = typeof roleName === 'string' ? badCharacters(roleName, /[\w+=,.@-]/) : '';
    return [`roleName ${quoteValue(roleName)} is not an IAM role name: use 1 to 64 letters, digits and "+=,.@_-"` +
      `${bad ? ` (not ${bad})` : ''}, such as "aws-privateca-issuer"`];
  }
  return [];
}
