import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CA_TYPE, stringValue, viewOf } from '../cfn-references';
import { keyFamily, signingFamily } from '../pki-facts';

/**
 * PKI-PCA2: a CA whose signing algorithm is of another family than its key (RSA key with
 * *WITHRSA, EC key with *WITHECDSA, SM2 with SM3WITHSM2).
 */
export function pca2AlgorithmFamilies(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CA_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const { properties } = viewOf(node);
  const key = stringValue(node, properties.KeyAlgorithm);
  const signing = stringValue(node, properties.SigningAlgorithm);
  const keyFam = typeof key === 'string' ? keyFamily(key) : undefined;
  const signingFam = typeof signing === 'string' ? signingFamily(signing) : undefined;
  if (keyFam === undefined || signingFam === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return keyFam === signingFam ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
