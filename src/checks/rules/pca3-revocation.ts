import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CA_TYPE, isTrue, stringValue, UNRESOLVED, viewOf } from '../cfn-references';

/**
 * PKI-PCA3: a general-purpose CA (UsageMode absent or GENERAL_PURPOSE) with neither a CRL nor
 * OCSP enabled: its certificates cannot be revoked.
 */
export function pca3Revocation(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CA_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const { properties } = viewOf(node);
  const usage = stringValue(node, properties.UsageMode);
  if (usage === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  if (usage !== undefined && usage !== 'GENERAL_PURPOSE') return NagRuleCompliance.NOT_APPLICABLE;
  const revocation = properties.RevocationConfiguration;
  const crl = isTrue(revocation?.CrlConfiguration?.Enabled);
  const ocsp = isTrue(revocation?.OcspConfiguration?.Enabled);
  if (crl === true || ocsp === true) return NagRuleCompliance.COMPLIANT;
  if (crl === UNRESOLVED || ocsp === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  return NagRuleCompliance.NON_COMPLIANT;
}
