import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { certificateAuthorityOf, CERTIFICATE_TYPE, stringValue, UNRESOLVED, viewOf } from '../cfn-references';

/** PKI-PCA9: a private ACM certificate from a SHORT_LIVED_CERTIFICATE CA of this stack, which ACM cannot use. */
export function pca9ShortLivedIssuer(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CERTIFICATE_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const ca = certificateAuthorityOf(node, viewOf(node).properties.CertificateAuthorityArn);
  if (ca === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const usage = stringValue(ca.node, ca.properties.UsageMode);
  if (usage === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  return usage === 'SHORT_LIVED_CERTIFICATE' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
