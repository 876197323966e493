import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CA_TYPE, listValue, UNRESOLVED, viewOf } from '../cfn-references';

/** PKI-PCA10: a CA without tags (no owner, cost centre or purpose to find it by). */
export function pca10CaTags(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CA_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const tags = listValue(viewOf(node).properties.Tags);
  if (tags === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  return tags.length > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
