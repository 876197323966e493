import { Annotations, ArnFormat, Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IDependable } from 'constructs';
import { AcmEventType } from './certificate-base';
import { BatchRuleInput, estimateEntryLength, INPUT_TEMPLATE_MAX, RuleBatch, SecretNameHints } from './certificate-export-rules';
import { HEALTH_DETAIL_TYPE, HEALTH_RENEWAL_CODE, RuleExportEntry } from '../handlers/certificate-export/contract';
import { acknowledgeNag, NagRules } from '../private/acknowledgements';
import { SingletonProvider } from '../private/singleton-provider';
import { stackSingleton } from '../private/stack-singleton';

/** Managed policies IAM attaches to a role by default (the quota can be raised to 20). */
const DEFAULT_MANAGED_POLICIES_PER_ROLE = 10;

/** The renewal rules of one batch. */
export interface RenewalRules {
  /** ACM's "Certificate Available" events with `Action: RENEWAL` of the batch's certificates. */
  readonly renewalRule: events.Rule;
  /** The AWS Health `AWS_ACM_RENEWAL_STATE_CHANGE` events of the batch's certificates. */
  readonly healthRule: events.Rule;
  /** The schedule that reconciles the batch's exports with ACM. */
  readonly reconcileRule: events.Rule;
}

/** The order of removal policies from the least to the most retaining. */
const RETENTION_ORDER = [RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, RemovalPolicy.RETAIN];

/**
 * What the `CertificateExport`s of a stack share (internal): the default KMS key, the renewal rules
 * (one pair per batch of up to 15 certificates, one Lambda permission each) and the handler's
 * grants on keys and topics, added once per key or topic. Created by the first export of the stack.
 */
export class CertificateExportShared extends Construct {
  /** The construct ID at the stack's root; part of the library's contract, so never change it. */
  public static readonly ID = 'CdkPkiCertificateExportShared';

  /** Returns the stack's shared export resources, creating them on first use. */
  public static of(scope: Construct, provider: SingletonProvider): CertificateExportShared {
    return stackSingleton(scope, CertificateExportShared.ID, CertificateExportShared, "cdk-pki's certificate exports",
      (stack) => new CertificateExportShared(stack, provider));
  }

  private key?: kms.Key;
  private keyRemovalPolicies: RemovalPolicy[] = [];
  private readonly grantedTopics = new Set<sns.ITopic>();
  private readonly batches: Array<{ readonly batch: RuleBatch; readonly rules: RenewalRules; readonly schedule: string }> = [];
  private readonly grantedKeys = new Set<kms.IKey>();

  /** The dead-letter queue of the handler's asynchronous invocations (renewal events, reconcile runs). */
  public readonly failureQueue: sqs.Queue;

  /** The alarm on a message in the dead-letter queue. */
  public readonly failureAlarm: cloudwatch.Alarm;

  private constructor(stack: Stack, private readonly provider: SingletonProvider) {
    super(stack, CertificateExportShared.ID);
    this.failureQueue = new sqs.Queue(this, 'FailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeNag(this.failureQueue, ['AwsSolutions-SQS3'],
      'This queue is itself the dead-letter queue (Lambda on-failure destination and EventBridge target DLQ) of the export handler; ' +
      'a message in it raises the failure alarm, and the next reconcile run retries the export.');
    // Renewal events and reconcile runs invoke the handler asynchronously: Lambda retries twice, then records the event here.
    provider.handler.configureAsyncInvoke({
      onFailure: new destinations.SqsDestination(this.failureQueue),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    this.failureAlarm = new cloudwatch.Alarm(this, 'FailureAlarm', {
      alarmDescription: `A re-export of a cdk-pki certificate export of the stack ${Stack.of(this).stackName} failed after its retries: ` +
        'the dead-letter queue holds the event. Read the export handler\'s log; the next reconcile run exports again.',
      metric: this.failureQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    acknowledgeNag(this.failureAlarm, NagRules.CLOUDWATCH_ALARM_ACTION,
      'Where the alarm goes (an SNS topic, a pager, a ticket queue) is the app\'s choice: add it with failureAlarm.addAlarmAction(); ' +
      'the alarm is there so that a failed re-export is never only a log line.');
    // After CDK has moved what the inline policy cannot hold into overflow managed policies (an aspect).
    this.node.addValidation({ validate: () => this.warnAboutManagedPolicies() });
  }

  /**
   * Warns when the handler's role needs more managed policies than IAM allows a role by default
   * (10, AWSLambdaBasicExecutionRole included): the deployment would fail without a quota increase.
   */
  private warnAboutManagedPolicies(): string[] {
    const role = this.provider.handler.role;
    if (role === undefined) return [];
    const overflow = role.node.findAll().filter((c) => c instanceof iam.ManagedPolicy).length;
    const total = overflow + 1;
    if (total > DEFAULT_MANAGED_POLICIES_PER_ROLE) {
      Annotations.of(this).addWarningV2('cdk-pki:export-role-managed-policies',
        `The certificate exports of this stack need ${overflow} overflow managed policies on the export handler's role ` +
        `(${total} with AWSLambdaBasicExecutionRole); IAM allows ${DEFAULT_MANAGED_POLICIES_PER_ROLE} per role unless the ` +
        'quota was raised (up to 20). Move some exports to another stack, or raise the quota before deploying.');
    }
    return [];
  }

  /**
   * The stack's default key (rotation on), created on first use. It follows the most retaining
   * policy of the exports using it (`DESTROY` only when every one asks for it), since a retained
   * secret stays encrypted with it.
   */
  public defaultKey(removalPolicy: RemovalPolicy): kms.Key {
    if (this.key === undefined) {
      this.key = new kms.Key(this, 'Key', {
        description: `Encrypts the secrets of the cdk-pki certificate exports of the stack ${Stack.of(this).stackName}`,
        enableKeyRotation: true,
      });
    }
    this.keyRemovalPolicies.push(removalPolicy);
    const rank = (p: RemovalPolicy) => Math.max(0, RETENTION_ORDER.indexOf(p));
    const strongest = this.keyRemovalPolicies.reduce((a, b) => (rank(b) > rank(a) ? b : a));
    this.key.applyRemovalPolicy(RETENTION_ORDER.includes(strongest) ? strongest : RemovalPolicy.RETAIN);
    return this.key;
  }

  /**
   * Lets the handler use `key` through Secrets Manager only: kms:Decrypt (reading the passphrase
   * and the stored certificate) and kms:GenerateDataKey (writing a version), without kms:Encrypt,
   * on the conditions `kms:ViaService` (Secrets Manager of the stack's region) and
   * `kms:EncryptionContext:SecretARN` (a secret of the stack's account and region; Secrets Manager
   * then lets the handler read or write only the secrets of its exports). One fixed-size statement
   * per key, however many exports use it. A `kms.Key` of another account also gets the grant in its
   * key policy.
   */
  public grantKey(key: kms.IKey): void {
    if (this.grantedKeys.has(key)) return;
    this.grantedKeys.add(key);
    if (key instanceof kms.Key && key !== this.key && !Token.isUnresolved(key.env.account) && key.env.account !== Stack.of(this).account) {
      key.grant(this.provider.handler, 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    const stack = Stack.of(this);
    this.provider.addToPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.${Aws.URL_SUFFIX}` },
        StringLike: { 'kms:EncryptionContext:SecretARN': stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
  }

  /** Lets the handler publish to `topic` (and use its key), once per topic. */
  public grantPublish(topic: sns.ITopic): void {
    if (!this.grantedTopics.has(topic)) {
      this.grantedTopics.add(topic);
      topic.grantPublish(this.provider.handler);
    }
  }

  /**
   * Lets the handler perform `actions` on `resource`: calls with the same actions share a statement
   * of up to `RESOURCES_PER_STATEMENT` ARNs, then a new one starts (the provider's `grant`).
   */
  public grant(actions: readonly string[], resource: string): void {
    this.provider.grant(actions, resource);
  }

  /**
   * Lets the handler do what `grant` gives a principal (e.g. `certificate.grantExport`), folding
   * unconditional statements into the provider's shared statements, with `alsoAllow` actions on
   * the same resources (one statement instead of two).
   */
  public grantLike(grant: (grantee: iam.IGrantable) => unknown, alsoAllow: readonly string[] = []): void {
    const collector = new StatementCollector(this.provider.handler);
    grant(collector);
    for (const statement of collector.statements) {
      const json = statement.toStatementJson();
      if (json.Condition === undefined && json.NotAction === undefined && json.NotResource === undefined && statement.effect === iam.Effect.ALLOW) {
        const actions = [...new Set([...statement.actions, ...alsoAllow])];
        for (const resource of statement.resources) this.grant(actions, resource);
      } else {
        this.provider.addToPolicy(statement, JSON.stringify(Stack.of(this).resolve(json)));
      }
    }
  }

  /**
   * Adds an export to the renewal rules of a batch with room for it (a new pair of rules when
   * none has), and returns those rules. The rules wait for `exportResource` (the first export).
   */
  public addToRenewalRules(entry: RuleExportEntry, hints: () => SecretNameHints, exportResource: IDependable,
    reconcile: events.Schedule): RenewalRules {
    const length = () => estimateEntryLength(entry, hints());
    const schedule = reconcile.expressionString;
    let found = this.batches.find((b) => b.schedule === schedule && b.batch.accepts(entry.CertificateArn, length()));
    if (found === undefined) {
      found = { ...this.newBatch(this.batches.length + 1, reconcile), schedule };
      this.batches.push(found);
    }
    const { batch, rules } = found;
    if (batch.add(entry, length)) {
      rules.renewalRule.addEventPattern({ resources: [entry.CertificateArn] });
      rules.healthRule.addEventPattern({ resources: [entry.CertificateArn] });
    }
    // Renewal events and reconcile runs re-export only once the first export has run.
    for (const rule of [rules.renewalRule, rules.healthRule, rules.reconcileRule]) rule.node.addDependency(exportResource);
    return rules;
  }

  private newBatch(n: number, reconcile: events.Schedule): { batch: RuleBatch; rules: RenewalRules } {
    const batch = new RuleBatch(Stack.of(this));
    this.node.addValidation({
      validate: () => {
        const length = batch.estimatedTemplateLength();
        return length <= INPUT_TEMPLATE_MAX ? [] : [`${this.node.path}: the input of the renewal rules of batch ${n} may reach ${length} ` +
          `characters once deployed, more than the ${INPUT_TEMPLATE_MAX} EventBridge accepts (logical IDs or secret names ` +
          'changed after the exports were created); give the secrets shorter names or move some exports to another stack.'];
      },
    });
    // A failed delivery (EventBridge could not invoke the handler) also lands in the dead-letter queue.
    const target = () => new targets.LambdaFunction(this.provider.handler, {
      event: new BatchRuleInput(batch),
      deadLetterQueue: this.failureQueue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(6),
    });
    const renewalRule = new events.Rule(this, `RenewalRule${n}`, {
      description: `Re-exports the certificates of cdk-pki certificate exports (batch ${n}) when ACM renews them`,
      eventPattern: { source: ['aws.acm'], detailType: [AcmEventType.AVAILABLE], detail: { Action: ['RENEWAL'] } },
      targets: [target()],
    });
    const healthRule = new events.Rule(this, `HealthRule${n}`, {
      description: `Re-exports the certificates of cdk-pki certificate exports (batch ${n}) on AWS Health ACM renewal events`,
      eventPattern: {
        source: ['aws.health'],
        detailType: [HEALTH_DETAIL_TYPE],
        detail: { service: ['ACM'], eventTypeCategory: ['scheduledChange'], eventTypeCode: [HEALTH_RENEWAL_CODE] },
      },
      targets: [target()],
    });
    // The scheduled event's source and detail-type tell the handler to reconcile every export of the batch.
    const reconcileRule = new events.Rule(this, `ReconcileRule${n}`, {
      description: `Re-exports the certificates of cdk-pki certificate exports (batch ${n}) whose secret differs from ACM`,
      schedule: reconcile,
      targets: [target()],
    });
    return { batch, rules: { renewalRule, healthRule, reconcileRule } };
  }
}

/**
 * A principal that only records the statements granted to it, for `grantLike`; what depends on
 * the grant depends on `policyDependable` (the handler, whose policy receives the statements).
 */
class StatementCollector extends iam.PrincipalBase {
  public readonly statements: iam.PolicyStatement[] = [];
  public readonly policyFragment = new iam.PrincipalPolicyFragment({});

  constructor(private readonly policyDependable: IDependable) {
    super();
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.statements.push(statement);
    return { statementAdded: true, policyDependable: this.policyDependable };
  }

  public dedupeString(): string | undefined {
    return undefined;
  }
}
