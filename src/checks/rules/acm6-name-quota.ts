import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { DEFAULT_MAX_NAMES, MAX_NAMES_METADATA_KEY } from '../../validation/acm-facts';
import { certificateNames } from '../certificate-names';
import { CERTIFICATE_TYPE, viewOf } from '../cfn-references';

/**
 * PKI-ACM6: more names than ACM's default quota of 10 per certificate (DomainName + SANs,
 * de-duplicated), unless the resource's CloudFormation metadata `cdk-pki:max-names` records a raised
 * quota at least that large.
 */
export function acm6NameQuota(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CERTIFICATE_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const { properties, metadata } = viewOf(node);
  const names = certificateNames(node, properties);
  const count = names.known.length;
  if (count <= DEFAULT_MAX_NAMES) {
    return names.complete ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
  }
  const declared = Number(metadata[MAX_NAMES_METADATA_KEY]);
  return Number.isFinite(declared) && declared >= count ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
