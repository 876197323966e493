import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { regionOfArn } from '../../validation/arn-patterns';
import { CERTIFICATE_TYPE, concreteRegion, DISTRIBUTION_TYPE, joinedText, referencedResource, viewOf } from '../cfn-references';
import { CLOUDFRONT_CERTIFICATE_REGION } from '../pki-facts';

/**
 * PKI-ACM5: a CloudFront distribution whose viewer certificate is not in us-east-1: a concrete ACM
 * ARN of another region, or a certificate of this stack when the stack's region is another one.
 */
export function acm5CloudFrontCertificateRegion(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== DISTRIBUTION_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const arn = viewOf(node).properties.DistributionConfig?.ViewerCertificate?.AcmCertificateArn;
  if (arn === undefined) return NagRuleCompliance.NOT_APPLICABLE;

  const text = joinedText(arn);
  if (text !== undefined) {
    // No region name there (e.g. `${AWS::Region}`): CloudFormation decides.
    const region = regionOfArn(text);
    if (region === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    return region === CLOUDFRONT_CERTIFICATE_REGION ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  }

  const certificate = referencedResource(node, arn);
  const region = concreteRegion(node);
  if (certificate?.type !== CERTIFICATE_TYPE || region === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return region === CLOUDFRONT_CERTIFICATE_REGION ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
