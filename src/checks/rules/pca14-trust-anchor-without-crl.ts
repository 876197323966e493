import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { certificateAuthorityOf, isTrue, stringValue, UNRESOLVED, viewOf } from '../cfn-references';

/** The CloudFormation type of an IAM Roles Anywhere trust anchor. */
export const TRUST_ANCHOR_TYPE = 'AWS::RolesAnywhere::TrustAnchor';

/**
 * PKI-PCA14: an IAM Roles Anywhere trust anchor with source `AWS_ACM_PCA` whose CA is in this
 * stack (named directly or through its activation) and has no CRL enabled. Roles Anywhere checks
 * revocation only against CRLs imported for the trust anchor, so without one it keeps vending
 * credentials to revoked certificates. A CA outside the stack is not judged.
 */
export function pca14TrustAnchorWithoutCrl(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== TRUST_ANCHOR_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const source = viewOf(node).properties.Source;
  const type = stringValue(node, source?.SourceType);
  if (type !== 'AWS_ACM_PCA') return NagRuleCompliance.NOT_APPLICABLE;
  const arn = source?.SourceData?.AcmPcaArn;
  if (arn === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const ca = certificateAuthorityOf(node, arn);
  if (ca === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const crl = isTrue(ca.properties.RevocationConfiguration?.CrlConfiguration?.Enabled);
  if (crl === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  return crl === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
