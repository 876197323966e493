import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CA_TYPE, stringValue, viewOf } from '../cfn-references';
import { CA_KEY_ALGORITHMS, CA_SIGNING_ALGORITHMS } from '../pki-facts';

/**
 * PKI-PCA1: a CA key algorithm Private CA does not offer (e.g. RSA_1024), or a signing algorithm
 * weaker than SHA-256 (e.g. SHA1WITHRSA).
 */
export function pca1CaAlgorithms(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CA_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const { properties } = viewOf(node);
  const key = stringValue(node, properties.KeyAlgorithm);
  const signing = stringValue(node, properties.SigningAlgorithm);
  const badKey = typeof key === 'string' && !CA_KEY_ALGORITHMS.includes(key);
  const badSigning = typeof signing === 'string' && !CA_SIGNING_ALGORITHMS.includes(signing);
  if (badKey || badSigning) return NagRuleCompliance.NON_COMPLIANT;
  return typeof key === 'string' && typeof signing === 'string' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}
