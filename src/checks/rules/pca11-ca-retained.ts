import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CA_TYPE, viewOf } from '../cfn-references';

/**
 * PKI-PCA11: a CA whose DeletionPolicy is not Retain. CloudFormation's default, Delete, deletes the
 * CA, and with it the trust of every certificate it issued, when it leaves the stack.
 */
export function pca11CaRetained(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CA_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  return viewOf(node).deletionPolicy === 'Retain' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
