import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import {
  CA_ACTIVATION_TYPE,
  CA_TYPE,
  certificateAuthorityOf,
  isRetained,
  PCA_PERMISSION_TYPE,
  referencedResource,
  viewOf,
  viewsOfType,
} from '../cfn-references';

/**
 * PKI-PCA12: a retained CA (DeletionPolicy Retain or RetainExceptOnCreate) whose
 * `AWS::ACMPCA::CertificateAuthorityActivation` or `AWS::ACMPCA::Permission` of this stack is not
 * retained. Deleting the activation disables the CA; deleting the permission stops ACM renewals
 * from it. After a stack deletion or a refactor the CA survives but every ACM private certificate it
 * issued fails to renew, in every stack and account.
 */
export function pca12RetainedCaDependents(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CA_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const ca = viewOf(node);
  if (!isRetained(ca.deletionPolicy)) return NagRuleCompliance.NOT_APPLICABLE;
  const activations = viewsOfType(node, CA_ACTIVATION_TYPE)
    .filter((a) => referencedResource(a.node, a.properties.CertificateAuthorityArn)?.logicalId === ca.logicalId);
  const permissions = viewsOfType(node, PCA_PERMISSION_TYPE)
    .filter((p) => certificateAuthorityOf(p.node, p.properties.CertificateAuthorityArn)?.logicalId === ca.logicalId);
  return [...activations, ...permissions].every((d) => isRetained(d.deletionPolicy))
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
