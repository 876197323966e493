import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CERTIFICATE_EXPORT_TYPE, CERTIFICATE_TYPE, referencedLogicalId, stringValue, UNRESOLVED, viewOf, viewsOfType } from '../cfn-references';

/**
 * PKI-ACM7: an exportable (charged) certificate that no `CertificateExport` of this stack exports:
 * no `Custom::CdkPkiCertificateExport` whose `CertificateArn` refers to it.
 */
export function acm7UnexportedExportable(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CERTIFICATE_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  const exportOption = stringValue(node, view.properties.CertificateExport);
  if (exportOption === UNRESOLVED) return NagRuleCompliance.NOT_APPLICABLE;
  if (exportOption !== 'ENABLED') return NagRuleCompliance.COMPLIANT;
  const exported = viewsOfType(node, CERTIFICATE_EXPORT_TYPE)
    .some((e) => referencedLogicalId(e.properties.CertificateArn) === view.logicalId);
  return exported ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
