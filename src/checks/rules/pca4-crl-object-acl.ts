import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CA_TYPE, isTrue, stringValue, UNRESOLVED, viewOf } from '../cfn-references';

/**
 * PKI-PCA4: a CRL written with the PUBLIC_READ object ACL, which is also the API default when CRLs
 * are enabled and `S3ObjectAcl` is absent.
 */
export function pca4CrlObjectAcl(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CA_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const crl = viewOf(node).properties.RevocationConfiguration?.CrlConfiguration;
  const enabled = isTrue(crl?.Enabled);
  if (enabled !== true) return NagRuleCompliance.NOT_APPLICABLE;
  const acl = stringValue(node, crl.S3ObjectAcl);
  if (acl === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  return acl === undefined || acl === 'PUBLIC_READ' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
