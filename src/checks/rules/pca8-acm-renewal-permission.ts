import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { certificateAuthorityOf, CERTIFICATE_TYPE, listValue, PCA_PERMISSION_TYPE, stringValue, UNRESOLVED, viewOf, viewsOfType } from '../cfn-references';

/** What ACM needs on a CA to issue and renew private certificates. */
const ACM_ACTIONS = ['IssueCertificate', 'GetCertificate', 'ListPermissions'];

/**
 * PKI-PCA8: a private ACM certificate from a CA of this stack that has no `AWS::ACMPCA::Permission`
 * for `acm.amazonaws.com` with IssueCertificate, GetCertificate and ListPermissions: ACM can issue
 * it once (the requester's rights) but cannot renew it.
 */
export function pca8AcmRenewalPermission(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CERTIFICATE_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const { properties } = viewOf(node);
  const ca = certificateAuthorityOf(node, properties.CertificateAuthorityArn);
  if (ca === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const granted = viewsOfType(node, PCA_PERMISSION_TYPE).some((p) => {
    if (stringValue(p.node, p.properties.Principal) !== 'acm.amazonaws.com') return false;
    const actions = listValue(p.properties.Actions);
    if (actions === UNRESOLVED || !ACM_ACTIONS.every((a) => actions.includes(a))) return false;
    return certificateAuthorityOf(p.node, p.properties.CertificateAuthorityArn)?.logicalId === ca.logicalId;
  });
  return granted ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
