import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isRequestableKeyAlgorithm } from '../../validation/acm-facts';
import { CERTIFICATE_TYPE, stringValue, UNRESOLVED, viewOf } from '../cfn-references';

/**
 * PKI-ACM3: an ACM certificate request with a key algorithm ACM cannot issue. Public and private
 * requests take the same three (RSA_2048, EC_prime256v1, EC_secp384r1); the others are for
 * imported certificates only. Absent means RSA_2048.
 */
export function acm3KeyAlgorithm(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CERTIFICATE_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const algorithm = stringValue(node, viewOf(node).properties.KeyAlgorithm);
  if (algorithm === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  return algorithm === undefined || isRequestableKeyAlgorithm(algorithm)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
