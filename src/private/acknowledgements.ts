import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * cdk-nag rule IDs of the packs this library is checked against (AwsSolutions, HIPAA Security,
 * NIST 800-53 R5, PCI DSS 3.2.1), grouped by what they check, so a construct acknowledges one
 * finding in every pack that reports it.
 *
 * Internal (not exported from the package index).
 */
export const NagRules = {
  /** The function does not use the newest runtime of its family. */
  LAMBDA_LATEST_RUNTIME: ['AwsSolutions-L1'],
  /** The function has no reserved concurrency. */
  LAMBDA_CONCURRENCY: ['HIPAA.Security-LambdaConcurrency', 'NIST.800.53.R5-LambdaConcurrency'],
  /** The function has no dead-letter queue. */
  LAMBDA_DLQ: ['HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ'],
  /** The alarm has no action. */
  CLOUDWATCH_ALARM_ACTION: ['HIPAA.Security-CloudWatchAlarmAction', 'NIST.800.53.R5-CloudWatchAlarmAction'],
  /** The function is not attached to a VPC. */
  LAMBDA_IN_VPC: ['HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC'],
  /** The role's permissions are an inline `AWS::IAM::Policy` rather than a managed policy. */
  IAM_INLINE_POLICY: ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy'],
  /** The role uses the AWS managed policy AWSLambdaBasicExecutionRole. */
  IAM_LAMBDA_BASIC_EXECUTION: ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'],
  /** The bucket has no server access logging. */
  S3_ACCESS_LOGS: [
    'AwsSolutions-S1',
    'HIPAA.Security-S3BucketLoggingEnabled',
    'NIST.800.53.R5-S3BucketLoggingEnabled',
    'PCI.DSS.321-S3BucketLoggingEnabled',
  ],
  /** The bucket has no cross-region replication. */
  S3_REPLICATION: [
    'HIPAA.Security-S3BucketReplicationEnabled',
    'NIST.800.53.R5-S3BucketReplicationEnabled',
    'PCI.DSS.321-S3BucketReplicationEnabled',
  ],
  /** The bucket is encrypted with SSE-S3 rather than a KMS key. */
  S3_KMS_ENCRYPTION: [
    'HIPAA.Security-S3DefaultEncryptionKMS',
    'NIST.800.53.R5-S3DefaultEncryptionKMS',
    'PCI.DSS.321-S3DefaultEncryptionKMS',
  ],
  /** The secret has no Secrets Manager rotation. */
  SECRET_ROTATION: [
    'AwsSolutions-SMG4',
    'HIPAA.Security-SecretsManagerRotationEnabled',
    'NIST.800.53.R5-SecretsManagerRotationEnabled',
  ],
} as const;

/**
 * Acknowledges cdk-nag findings on `scope` (and its children) with a reason saying why they are
 * fine there. Uses `Validations.of(scope).acknowledge()`; an ID that API refuses, because a
 * finding such as `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:...]` holds more than one
 * `::`, is recorded in the same metadata entry the API writes and cdk-nag reads.
 *
 * @param scope the narrowest construct holding the findings
 * @param ids the rule or finding IDs, e.g. `NagRules.LAMBDA_DLQ`
 * @param reason why the finding is fine here: at least one full sentence
 */
export function acknowledgeNag(scope: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) {
    if (id.split('::').length <= 2) {
      Validations.of(scope).acknowledge({ id, reason });
    } else {
      scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
    }
  }
}

/**
 * The finding ID cdk-nag's AwsSolutions-IAM5 reports for an Allow statement on `resource` (an ARN
 * that may hold tokens, e.g. `bucket.arnForObjects('*')`): `AwsSolutions-IAM5[Resource::<flat ARN>]`,
 * with references flattened the way cdk-nag does (`<LogicalId.Arn>`, `<AWS::Partition>`).
 *
 * @param scope any construct of the stack the statement is in
 * @param resource the statement's resource
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(resource))}]`;
}

/** Flattens a resolved CloudFormation value as cdk-nag does for its finding IDs. */
export function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as Record<string, any>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenReference(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flattenReference(node['Fn::ImportValue']);
  if (node.Ref) return `<${flattenReference(node.Ref)}>`;
  return JSON.stringify(value);
}
