import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CERTIFICATE_TYPE, stringValue, UNRESOLVED, viewOf } from '../cfn-references';

/**
 * PKI-ACM1: a public ACM certificate validated by email. CloudFormation's default for a public
 * certificate without `ValidationMethod` is EMAIL, so absent counts as EMAIL.
 */
export function acm1EmailValidation(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CERTIFICATE_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const { properties } = viewOf(node);
  if (properties.CertificateAuthorityArn !== undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const method = stringValue(node, properties.ValidationMethod);
  if (method === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  return method === undefined || method === 'EMAIL' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
