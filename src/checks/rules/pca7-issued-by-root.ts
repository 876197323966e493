import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { certificateAuthorityOf, CERTIFICATE_TYPE, joinedText, PCA_CERTIFICATE_TYPE, stringValue, UNRESOLVED, viewOf } from '../cfn-references';
import { isCaTemplate } from '../pki-facts';

/** Private CA's default template: an end-entity certificate. */
const DEFAULT_TEMPLATE = 'arn:aws:acm-pca:::template/EndEntityCertificate/V1';

/**
 * PKI-PCA7: an end-entity certificate issued directly by a ROOT CA of this stack: an ACM
 * certificate whose CertificateAuthorityArn is a root, or an `AWS::ACMPCA::Certificate` issued by a
 * root with a template that is not a CA template (the root's own certificate and subordinate CA
 * certificates use CA templates and are fine).
 */
export function pca7IssuedByRoot(node: CfnResource): NagRuleResult {
  const type = node.cfnResourceType;
  if (type !== CERTIFICATE_TYPE && type !== PCA_CERTIFICATE_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const { properties } = viewOf(node);
  if (properties.CertificateAuthorityArn === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const ca = certificateAuthorityOf(node, properties.CertificateAuthorityArn);
  if (ca === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const caType = stringValue(ca.node, ca.properties.Type);
  if (caType === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  if (caType !== 'ROOT') return NagRuleCompliance.COMPLIANT;
  if (type === CERTIFICATE_TYPE) return NagRuleCompliance.NON_COMPLIANT;

  const template = properties.TemplateArn === undefined ? DEFAULT_TEMPLATE : joinedText(properties.TemplateArn);
  const caTemplate = template === undefined ? undefined : isCaTemplate(template);
  if (caTemplate === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return caTemplate ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
