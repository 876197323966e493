import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CA_TYPE, concreteRegion, stringValue, UNRESOLVED, viewOf } from '../cfn-references';
import { LEVEL_2_ONLY_REGIONS } from '../pki-facts';

/**
 * PKI-PCA6: a CA asking for FIPS 140-2 level 2 key storage in a region that offers level 3 (every
 * region but those that support only level 2, such as ap-northeast-3).
 */
export function pca6KeyStorage(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CA_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const standard = stringValue(node, viewOf(node).properties.KeyStorageSecurityStandard);
  if (standard === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  if (standard !== 'FIPS_140_2_LEVEL_2_OR_HIGHER') return NagRuleCompliance.COMPLIANT;
  const region = concreteRegion(node);
  if (region === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return LEVEL_2_ONLY_REGIONS.includes(region) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
