import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CA_TYPE, isRetained, viewOf } from '../cfn-references';

/**
 * PKI-PCA11: a CA whose DeletionPolicy is neither Retain nor RetainExceptOnCreate. CloudFormation's
 * default, Delete, deletes the CA, and with it the trust of every certificate it issued, when it
 * leaves the stack. (RetainExceptOnCreate deletes it only when its own creation fails.)
 */
export function pca11CaRetained(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CA_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  return isRetained(viewOf(node).deletionPolicy) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
