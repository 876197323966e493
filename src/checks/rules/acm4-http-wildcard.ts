import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { certificateNames } from '../certificate-names';
import { CERTIFICATE_TYPE, stringValue, UNRESOLVED, viewOf } from '../cfn-references';

/** PKI-ACM4: HTTP validation (CloudFront only) for a certificate with a wildcard name. */
export function acm4HttpWildcard(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CERTIFICATE_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const { properties } = viewOf(node);
  const method = stringValue(node, properties.ValidationMethod);
  if (method === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  if (method !== 'HTTP') return NagRuleCompliance.COMPLIANT;
  const names = certificateNames(node, properties);
  if (names.known.some((n) => n.startsWith('*'))) return NagRuleCompliance.NON_COMPLIANT;
  return names.complete ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}
