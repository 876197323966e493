import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CERTIFICATE_TYPE, stringValue, UNRESOLVED, viewOf } from '../cfn-references';

/** PKI-ACM2: a public ACM certificate with Certificate Transparency logging turned off. */
export function acm2TransparencyLogging(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CERTIFICATE_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const { properties } = viewOf(node);
  if (properties.CertificateAuthorityArn !== undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const preference = stringValue(node, properties.CertificateTransparencyLoggingPreference);
  if (preference === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  return preference === 'DISABLED' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
