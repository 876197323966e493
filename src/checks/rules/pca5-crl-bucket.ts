import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { blocksAllPublicAccess, bucketOf, bucketPolicyStatements, deniesInsecureTransport, hasSourceCondition, letsPrivateCaWrite } from '../bucket-policies';
import { CA_TYPE, isTrue, viewOf } from '../cfn-references';

/**
 * PKI-PCA5: the CRL bucket of a CA (an `AWS::S3::Bucket` of this stack) lacks one of: all four
 * Block Public Access settings; a bucket-policy statement denying `aws:SecureTransport: false`; an
 * `aws:SourceAccount`/`aws:SourceArn` condition on every statement that lets
 * `acm-pca.amazonaws.com` write. Buckets outside the stack are not checked.
 */
export function pca5CrlBucket(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== CA_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
  const crl = viewOf(node).properties.RevocationConfiguration?.CrlConfiguration;
  if (isTrue(crl?.Enabled) !== true) return NagRuleCompliance.NOT_APPLICABLE;
  const bucket = bucketOf(node, crl.S3BucketName);
  if (bucket === undefined) return NagRuleCompliance.NOT_APPLICABLE;

  const blocked = blocksAllPublicAccess(bucket);
  if (blocked === false) return NagRuleCompliance.NON_COMPLIANT;
  const statements = bucketPolicyStatements(bucket);
  if (statements === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  if (!statements.some(deniesInsecureTransport)) return NagRuleCompliance.NON_COMPLIANT;
  const writes = statements.map((s) => ({ statement: s, writes: letsPrivateCaWrite(s) }));
  if (writes.some((w) => w.writes === true && !hasSourceCondition(w.statement))) return NagRuleCompliance.NON_COMPLIANT;
  if (blocked === undefined || writes.some((w) => w.writes === undefined)) return NagRuleCompliance.NOT_APPLICABLE;
  return writes.some((w) => w.writes === true) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
