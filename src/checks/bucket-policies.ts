import { CfnResource } from 'aws-cdk-lib';
import { BUCKET_POLICY_TYPE, BUCKET_TYPE, CfnView, joinedText, referencedLogicalId, referencedResource, resourcesOfStack, stringValue, viewOf, viewsOfType } from './cfn-references';

/**
 * Reads S3 buckets and bucket policies of a stack for the CRL-bucket rule (internal).
 * Three-state answers: `true`, `false`, or `undefined` when the template does not tell at synth time.
 */

/** The `AWS::S3::Bucket` of `node`'s stack a bucket-name value names (its Ref, or its concrete BucketName). */
export function bucketOf(node: CfnResource, bucketName: unknown): CfnView | undefined {
  if (typeof bucketName === 'string') {
    const bucket = resourcesOfStack(node)
      .filter((r) => r.cfnResourceType === BUCKET_TYPE)
      .map(viewOf)
      .find((b) => b.properties.BucketName === bucketName);
    return bucket;
  }
  const target = referencedResource(node, bucketName);
  return target?.type === BUCKET_TYPE ? target : undefined;
}

/** The policy statements of every `AWS::S3::BucketPolicy` attached to `bucket`; `undefined` if one is not readable. */
export function bucketPolicyStatements(bucket: CfnView): Array<Record<string, any>> | undefined {
  const name = stringValue(bucket.node, bucket.properties.BucketName);
  const policies = viewsOfType(bucket.node, BUCKET_POLICY_TYPE).filter((p) => {
    const target = p.properties.Bucket;
    return referencedLogicalId(target) === bucket.logicalId || (typeof name === 'string' && target === name);
  });
  const statements: Array<Record<string, any>> = [];
  for (const policy of policies) {
    const raw = policy.properties.PolicyDocument?.Statement;
    const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    if (list.some((s) => s === null || typeof s !== 'object' || Array.isArray(s))) return undefined;
    statements.push(...list);
  }
  return statements;
}

/** Whether all four Block Public Access settings of the bucket are on. */
export function blocksAllPublicAccess(bucket: CfnView): boolean | undefined {
  const config = bucket.properties.PublicAccessBlockConfiguration ?? {};
  const settings = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].map((k) => config[k]);
  if (settings.some((s) => s === false || s === 'false' || s === undefined)) return false;
  return settings.every((s) => s === true || s === 'true') ? true : undefined;
}

/** The condition keys of a statement, lower-cased, whatever the operator. */
function conditionKeys(statement: Record<string, any>): string[] {
  const condition = statement.Condition;
  if (condition === null || typeof condition !== 'object') return [];
  return Object.values(condition).flatMap((block) => (block && typeof block === 'object' ? Object.keys(block) : []))
    .map((k) => k.toLowerCase());
}

/** The value a statement's condition compares `key` with (any operator whose name starts with `operatorPrefix`). */
function conditionValue(statement: Record<string, any>, operatorPrefix: string, key: string): unknown {
  const condition = statement.Condition;
  if (condition === null || typeof condition !== 'object') return undefined;
  for (const [operator, block] of Object.entries(condition)) {
    if (!operator.startsWith(operatorPrefix) || block === null || typeof block !== 'object') continue;
    for (const [k, v] of Object.entries(block as Record<string, unknown>)) {
      if (k.toLowerCase() === key) return v;
    }
  }
  return undefined;
}

/** Whether a statement denies requests made without TLS (`Bool aws:SecureTransport false`). */
export function deniesInsecureTransport(statement: Record<string, any>): boolean {
  if (statement.Effect !== 'Deny') return false;
  const value = conditionValue(statement, 'Bool', 'aws:securetransport');
  return [value].flat().some((v) => v === false || v === 'false');
}

function asList(value: unknown): unknown[] {
  return value === undefined ? [] : [value].flat();
}

/** Whether a statement lets the Private CA service principal write objects. */
export function letsPrivateCaWrite(statement: Record<string, any>): boolean | undefined {
  if (statement.Effect !== 'Allow') return false;
  const services = asList(statement.Principal?.Service).map(joinedText);
  if (services.some((s) => s === undefined)) return undefined;
  if (!services.some((s) => /^acm-pca\.([a-z0-9-]+\.|\$\{AWS::Region\}\.)?amazonaws\.com$/.test(s!))) return false;
  const actions = asList(statement.Action);
  if (actions.some((a) => typeof a !== 'string')) return undefined;
  return actions.some((a) => ['*', 's3:*', 's3:put*', 's3:putobject'].includes((a as string).toLowerCase()));
}

/** Whether a statement is scoped with `aws:SourceAccount` or `aws:SourceArn`. */
export function hasSourceCondition(statement: Record<string, any>): boolean {
  return conditionKeys(statement).some((k) => k === 'aws:sourceaccount' || k === 'aws:sourcearn');
}
