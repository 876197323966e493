import { Arn, ArnFormat, Aws, CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { IPkiCertificateAuthority } from './certificate-authority-base';
import {
  CRL_GENERATION_DETAIL_TYPE,
  CRL_SYNC_RESOURCE_TYPE,
  CRL_SYNC_TAG_KEY,
  CrlSyncRequest,
  derCrlKey,
  rolesAnywhereCrlName,
  SYNC_EVENT_KEY,
} from '../handlers/crl-sync/contract';
import { CrlSyncFunction } from '../handlers/crl-sync/crl-sync-function';
import { acknowledgeNag, NagRules, wildcardResourceFinding } from '../private/acknowledgements';
import { SingletonProvider } from '../private/singleton-provider';
import { throwIfProblems } from '../validation/errors';

/**
 * The PEM CRL sync (internal): Private CA writes DER CRLs to S3, while IAM Roles Anywhere and ELB
 * trust stores take PEM only. `syncCrlAsPem` keeps one target in step with one CA's CRL.
 */

/** Where a CA's CRL goes: exactly one of the two. @internal */
export interface CrlPemSyncTarget {
  /** An IAM Roles Anywhere trust anchor: ImportCrl the first time, UpdateCrl after. */
  readonly rolesAnywhereTrustAnchorArn?: string;
  /**
   * An ELB trust store: the PEM CRL is written to the CRL bucket under `pem/<ca-id>.crl.pem`, then
   * AddTrustStoreRevocations, and the revocation this sync added before is removed.
   */
  readonly loadBalancerTrustStoreArn?: string;
}

/** What `syncCrlAsPem` wires. @internal */
export interface CrlPemSyncOptions {
  /** Whose CRL. */
  readonly certificateAuthority: IPkiCertificateAuthority;
  /** Where that CA writes DER CRLs: `crl/<ca-id>.crl`. */
  readonly crlBucket: s3.IBucket;
  /** Exactly one of the two targets. */
  readonly target: CrlPemSyncTarget;
}

/** What `syncCrlAsPem` created. @internal */
export interface CrlPemSyncResult {
  /** The stack's sync Lambda (one per stack, shared by every sync). */
  readonly syncFunction: lambda.IFunction;
  /** The stack's alarm on a failed sync (an event or daily run that failed after its retries, e.g. a CRL over the limit). */
  readonly failureAlarm: cloudwatch.Alarm;
}

/** The construct ID of the stack's sync provider; part of the library's contract, so never change it. */
const PROVIDER_ID = 'CdkPkiCrlSyncProvider';

/**
 * Wires one CA → one target: an EventBridge rule on the CA's "ACM Private CA CRL Generation" events,
 * a daily schedule (in case an event is lost), both invoking the stack's sync Lambda with a constant
 * input naming the CA, bucket and target; a sync at deploy time (a custom resource, whose Delete
 * removes what the sync imported); least-privilege grants in a policy of this sync's own; and the
 * stack's alarm on a failed sync.
 *
 * @internal
 */
export function syncCrlAsPem(scope: Construct, id: string, options: CrlPemSyncOptions): CrlPemSyncResult {
  const { certificateAuthority: ca, crlBucket: bucket, target } = options;
  const chosen = [target.rolesAnywhereTrustAnchorArn, target.loadBalancerTrustStoreArn].filter((t) => t !== undefined);
  throwIfProblems(`${scope.node.path}/${id}`, chosen.length === 1 ? [] : [
    `the CRL sync needs exactly one target, got ${chosen.length}: give rolesAnywhereTrustAnchorArn or loadBalancerTrustStoreArn`,
  ]);
  const container = new Construct(scope, id);
  const provider = SingletonProvider.of(container, {
    id: PROVIDER_ID,
    createHandler: (s, i) => new CrlSyncFunction(s, i, {
      timeout: Duration.minutes(5),
      description: 'cdk-pki: converts Private CA DER CRLs to PEM for IAM Roles Anywhere trust anchors and ELB trust stores',
    }),
  });
  const shared = failurePath(provider);

  const request: CrlSyncRequest = {
    CertificateAuthorityArn: ca.certificateAuthorityArn,
    BucketName: bucket.bucketName,
    TrustAnchorArn: target.rolesAnywhereTrustAnchorArn,
    TrustStoreArn: target.loadBalancerTrustStoreArn,
  };
  const resource = new CustomResource(container, 'Resource', {
    serviceToken: provider.serviceToken,
    resourceType: CRL_SYNC_RESOURCE_TYPE,
    properties: request,
  });
  // No dependency on the CA construct: the ARN of a CA of this library is a Ref of its activation (the sync waits for
  // an active CA), and a sync made by a child of the CA (a trust anchor) is under it, with rules that depend on this resource.

  const policy = new iam.Policy(container, 'HandlerPolicy', {
    roles: [provider.handler.role!],
    statements: syncStatements(container, options),
  });
  resource.node.addDependency(policy);
  acknowledgePolicy(container, policy, resource, options);

  const input = events.RuleTargetInput.fromObject({ [SYNC_EVENT_KEY]: request });
  const ruleTarget = () => new targets.LambdaFunction(provider.handler, {
    event: input,
    deadLetterQueue: shared.queue,
    retryAttempts: 8,
    maxEventAge: Duration.hours(6),
  });
  const what = request.TrustAnchorArn !== undefined ? 'IAM Roles Anywhere trust anchor' : 'ELB trust store';
  const generated = new events.Rule(container, 'CrlGenerated', {
    description: `cdk-pki: syncs the CRL of a Private CA as PEM into an ${what} when the CA writes a new CRL`,
    eventPattern: { source: ['aws.acm-pca'], detailType: [CRL_GENERATION_DETAIL_TYPE], resources: [ca.certificateAuthorityArn] },
    targets: [ruleTarget()],
  });
  const daily = new events.Rule(container, 'Daily', {
    description: `cdk-pki: syncs the CRL of a Private CA as PEM into an ${what} once a day, in case an event was lost`,
    schedule: events.Schedule.rate(Duration.days(1)),
    targets: [ruleTarget()],
  });
  // The rules use the sync's own policy: they start once it (and the first sync) exists.
  generated.node.addDependency(resource);
  daily.node.addDependency(resource);
  return { syncFunction: provider.handler, failureAlarm: shared.alarm };
}

/** The CA's ID: the last part of its ARN (a token for a deploy-time ARN). */
function caIdOf(arn: string): string {
  if (!Token.isUnresolved(arn)) return arn.split('/').pop() ?? arn;
  return Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
}

/** What one sync may do: read its CA's CRL, and change only its own target. */
function syncStatements(scope: Construct, options: CrlPemSyncOptions): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const caId = caIdOf(options.certificateAuthority.certificateAuthorityArn);
  const bucket = options.crlBucket;
  const statements = [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(derCrlKey(caId))] })];
  const anchor = options.target.rolesAnywhereTrustAnchorArn;
  if (anchor !== undefined) {
    const name = rolesAnywhereCrlName(caId);
    const tagged = { 'StringEquals': { [`aws:RequestTag/${CRL_SYNC_TAG_KEY}`]: name }, 'ForAllValues:StringEquals': { 'aws:TagKeys': [CRL_SYNC_TAG_KEY] } };
    const crls = stack.formatArn({ service: 'rolesanywhere', resource: 'crl', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    statements.push(
      // ListCrls has no resource type and no filter: the handler looks for its CRL by trust anchor ARN and name.
      new iam.PolicyStatement({ actions: ['rolesanywhere:ListCrls'], resources: ['*'] }),
      // ImportCrl has no resource type either: it is limited to a request carrying the sync's tag for this CA.
      new iam.PolicyStatement({ actions: ['rolesanywhere:ImportCrl'], resources: ['*'], conditions: tagged }),
      new iam.PolicyStatement({ actions: ['rolesanywhere:TagResource'], resources: [crls], conditions: tagged }),
      new iam.PolicyStatement({
        actions: ['rolesanywhere:UpdateCrl', 'rolesanywhere:DeleteCrl'],
        resources: [crls],
        conditions: { StringEquals: { [`aws:ResourceTag/${CRL_SYNC_TAG_KEY}`]: name } },
      }),
    );
  }
  const store = options.target.loadBalancerTrustStoreArn;
  if (store !== undefined) {
    statements.push(
      // The PEM CRL and this sync's state object (pem/<CA id>.crl.pem, pem/<CA id>.crl.<store digest>.json); ELB reads
      // the PEM with the caller's permissions, at the version the sync wrote.
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion'],
        resources: [bucket.arnForObjects(`pem/${caId}.*`)],
      }),
      new iam.PolicyStatement({
        actions: ['elasticloadbalancing:AddTrustStoreRevocations', 'elasticloadbalancing:RemoveTrustStoreRevocations'],
        resources: [store],
      }),
      // DescribeTrustStoreRevocations has no resource type.
      new iam.PolicyStatement({ actions: ['elasticloadbalancing:DescribeTrustStoreRevocations'], resources: ['*'] }),
    );
  }
  const key = bucket.encryptionKey;
  if (key !== undefined) {
    statements.push(new iam.PolicyStatement({
      actions: store !== undefined ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.${Aws.URL_SUFFIX}` } },
    }));
  }
  return statements;
}

/** Acknowledges the cdk-nag findings of one sync's policy, with the reasons. */
function acknowledgePolicy(scope: Construct, policy: iam.Policy, resource: CustomResource, options: CrlPemSyncOptions): void {
  acknowledgeNag(policy, NagRules.IAM_INLINE_POLICY,
    `The policy holds only the permissions the CRL sync ${resource.node.path} needs, on its own CA's CRL and its own target; it is ` +
    'separate from the shared sync role\'s policy so that CloudFormation deletes it after the sync resource, whose Delete still needs it.');
  const caId = caIdOf(options.certificateAuthority.certificateAuthorityArn);
  const findings = [wildcardResourceFinding(scope, '*')];
  if (options.target.rolesAnywhereTrustAnchorArn !== undefined) {
    findings.push(wildcardResourceFinding(scope, Stack.of(scope).formatArn({
      service: 'rolesanywhere', resource: 'crl', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    })));
  }
  if (options.target.loadBalancerTrustStoreArn !== undefined) {
    findings.push(wildcardResourceFinding(scope, options.crlBucket.arnForObjects(`pem/${caId}.*`)));
  }
  acknowledgeNag(policy, findings,
    'The actions rolesanywhere:ListCrls, rolesanywhere:ImportCrl and elasticloadbalancing:DescribeTrustStoreRevocations support no resource ' +
    'type; ImportCrl is limited by the aws:RequestTag condition to a CRL tagged for this CA, and UpdateCrl/DeleteCrl (whose CRL IDs ' +
    'Roles Anywhere chooses) by aws:ResourceTag to such CRLs; the S3 statement covers only this CA\'s PEM CRL and sync state objects.');
}

/** The stack's dead-letter path of the sync Lambda: a queue for failed asynchronous runs, and an alarm on it. */
function failurePath(provider: SingletonProvider): { queue: sqs.Queue; alarm: cloudwatch.Alarm } {
  const existing = provider.node.tryFindChild('FailureQueue');
  if (existing instanceof sqs.Queue) {
    return { queue: existing, alarm: provider.node.findChild('FailureAlarm') as cloudwatch.Alarm };
  }
  const queue = new sqs.Queue(provider, 'FailureQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledgeNag(queue, ['AwsSolutions-SQS3'],
    'This queue is itself the dead-letter queue (Lambda on-failure destination and EventBridge target DLQ) of the CRL sync; ' +
    'a message in it raises the failure alarm, and the next daily run syncs again.');
  // CRL events and daily runs invoke the handler asynchronously: Lambda retries twice, then records the event here.
  provider.handler.configureAsyncInvoke({
    onFailure: new destinations.SqsDestination(queue),
    retryAttempts: 2,
    maxEventAge: Duration.hours(6),
  });
  const alarm = new cloudwatch.Alarm(provider, 'FailureAlarm', {
    alarmDescription: `A cdk-pki CRL sync of the stack ${Stack.of(provider).stackName} failed after its retries (for example a CRL over ` +
      'the target\'s size limit): the dead-letter queue holds the event. Read the sync handler\'s log; the next daily run syncs again.',
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  acknowledgeNag(alarm, NagRules.CLOUDWATCH_ALARM_ACTION,
    'Where the alarm goes (an SNS topic, a pager, a ticket queue) is the app\'s choice: add it with failureAlarm.addAlarmAction(); ' +
    'the alarm is there so that a failed CRL sync is never only a log line.');
  return { queue, alarm };
}
