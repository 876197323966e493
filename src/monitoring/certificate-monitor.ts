import { Annotations, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CertificateKind } from './certificate-kind';
import { CertificateExpiryThreshold, resolveExpiryThreshold } from './expiry-threshold';
import {
  ACM_HEALTH_EVENT_TYPE_CODES,
  ALL_ACM_EVENT_TYPES,
  ARNS_PER_RULE,
  acmEventMessage,
  assertSameRegion,
  certificateRegionOf,
  describeCertificate,
  healthEventMessage,
  validateDaysToExpiryThreshold,
} from './monitoring-helpers';
import { AcmEventType } from '../certificates/certificate-base';
import { CaExpiryCheck, CaMonitoringOptions } from '../private-ca/ca-expiry-check';
import { createCaAlarm, IPkiCertificateAuthority } from '../private-ca/certificate-authority-base';
import { PkiValidationError, quoteValue, throwIfProblems } from '../validation/errors';
import { acmPublicLifetimeDays, validateLifetimeFraction } from '../validation/renewal-windows';

/** Properties of a `CertificateMonitor`. */
export interface CertificateMonitorProps {
  /**
   * Certificates to watch: one DaysToExpiry alarm each, and event rules filtered on their ARNs.
   *
   * Any `acm.ICertificate` works. Each must live in this stack's region (its
   * `certificateRegion`, else the region of a concrete ARN; a token ARN is taken to be in the
   * stack's region): the metric and the events exist only there.
   *
   * @default - no certificate alarms
   */
  readonly certificates?: acm.ICertificate[];

  /**
   * Whether the event rules cover every certificate of the account in this stack's region (no
   * `resources` filter). When true, no per-certificate rule filter is added.
   *
   * @default - true when no `certificates` are given, false otherwise
   */
  readonly accountWide?: boolean;

  /**
   * The alarm of every certificate fires when the minimum DaysToExpiry of a day is below this many
   * days (whole days, 1 to 397). Same as `expiryThreshold: CertificateExpiryThreshold.days(n)`; give
   * one or the other.
   *
   * @default - `expiryThreshold`
   */
  readonly daysToExpiryThreshold?: number;

  /**
   * When the DaysToExpiry alarms fire: a number of days, a fraction of the lifetime, or from each
   * certificate's kind and ACM's renewal window for it (no alarm during a normal renewal, at least 14
   * days to act when it is stuck). `addCertificate` can override it per certificate.
   *
   * @default CertificateExpiryThreshold.renewalWindow()
   */
  readonly expiryThreshold?: CertificateExpiryThreshold;

  /**
   * The topic that receives alarms and events. Bring your own topic encrypted with a customer
   * managed key? Its key policy must let `cloudwatch.amazonaws.com` and `events.amazonaws.com`
   * use the key (`kms:Decrypt`, `kms:GenerateDataKey*`).
   *
   * @default - a new topic encrypted with a new KMS key (rotation on) that allows exactly that
   */
  readonly topic?: sns.ITopic;

  /**
   * Extra targets of every event rule (ACM and Health events), added after the topic.
   *
   * @default - only the topic
   */
  readonly targets?: events.IRuleTarget[];

  /**
   * The ACM event detail types to forward. Pass an empty list for none.
   *
   * @default - all five `AcmEventType` values
   */
  readonly events?: AcmEventType[];

  /**
   * Whether to forward AWS Health events of ACM (`AWS_ACM_RENEWAL_STATE_CHANGE`,
   * `CAA_CHECK_FAILURE`, `AWS_ACM_RENEWAL_FAILURE`).
   *
   * @default true
   */
  readonly healthEvents?: boolean;

  /**
   * Whether to create a CloudWatch dashboard with a DaysToExpiry graph of the watched certificates.
   *
   * @default false
   */
  readonly dashboard?: boolean;

  /**
   * Name of the dashboard, when `dashboard` is true.
   *
   * @default - a generated name
   */
  readonly dashboardName?: string;
}

/** How `CertificateMonitor.addCertificate` watches one certificate. */
export interface CertificateWatchOptions {
  /**
   * How the certificate is renewed, which decides its default threshold.
   *
   * @default - inferred from the construct (this library's certificates and aws-cdk-lib's); a
   *            certificate imported by ARN is taken as DNS-validated public (a 30-day threshold: it
   *            fires during no normal managed renewal, and leaves 30 days if the certificate is
   *            really imported)
   */
  readonly kind?: CertificateKind;

  /**
   * The certificate's lifetime (NotAfter minus NotBefore), for `fractionOfLifetime` and for the
   * renewal window of short-lived certificates.
   *
   * @default - from the kind: ACM's public validity on the day of synthesis, 395 days for private
   *            certificates, unknown for imported ones
   */
  readonly lifetime?: Duration;

  /**
   * When this certificate's alarm fires.
   *
   * @default - the monitor's `daysToExpiryThreshold` or `expiryThreshold`
   */
  readonly expiryThreshold?: CertificateExpiryThreshold;
}

/** Metrics per dashboard graph (CloudWatch allows 500; fewer keep the graph readable). */
const METRICS_PER_GRAPH = 50;

/**
 * Certificate expiry monitoring: a DaysToExpiry alarm per watched certificate, EventBridge rules for
 * the ACM events and the AWS Health events of ACM, all delivered to one SNS topic.
 *
 * Only the alarm is per certificate; the topic and the rules are shared. A rule's `resources`
 * filter holds at most 15 ARNs (EventBridge limits a pattern to 2,048 characters), so every 15
 * certificates add one ACM rule (and one Health rule).
 *
 * Everything lives in the stack's region: certificates of another region need a monitor in a stack
 * of that region (CloudFront certificates: us-east-1).
 */
export class CertificateMonitor extends Construct {
  /** The topic receiving alarms and events. */
  public readonly topic: sns.ITopic;

  /** The key encrypting the topic, when this construct created the topic. */
  public readonly encryptionKey?: kms.IKey;

  /** The alarm threshold in days given as `daysToExpiryThreshold`, if any (else each certificate has its own). */
  public readonly daysToExpiryThreshold?: number;

  /** The DaysToExpiry alarms created so far, one per certificate. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  /** The EventBridge rules created so far. */
  public readonly rules: events.Rule[] = [];

  /** The dashboard, when `dashboard` is true. */
  public readonly dashboard?: cloudwatch.Dashboard;

  private readonly accountWide: boolean;
  private readonly eventTypes: AcmEventType[];
  private readonly healthEvents: boolean;
  private readonly extraTargets: events.IRuleTarget[];
  private readonly watched = new Set<acm.ICertificate>();
  private readonly expiryThreshold: CertificateExpiryThreshold;
  /** ACM's public certificate lifetime on the day of synthesis (read once). */
  private readonly publicLifetimeDays = acmPublicLifetimeDays(new Date());
  private readonly graphs = new Map<number, { graph: cloudwatch.GraphWidget; metrics: number }>();
  private readonly thresholds = new Map<acm.ICertificate, number>();
  private acmRule?: events.Rule;
  private healthRule?: events.Rule;
  private arnsInRule = 0;
  private ruleCount = 0;
  private caCount = 0;
  private caExpiry?: CaExpiryCheck;

  constructor(scope: Construct, id: string, props: CertificateMonitorProps = {}) {
    super(scope, id);
    const certificates = props.certificates ?? [];
    if (props.daysToExpiryThreshold !== undefined && props.expiryThreshold !== undefined) {
      throw new PkiValidationError(`${this.node.path}: give daysToExpiryThreshold (here ${quoteValue(props.daysToExpiryThreshold)}) ` +
        'or expiryThreshold, not both (daysToExpiryThreshold: n is expiryThreshold: CertificateExpiryThreshold.days(n))');
    }
    this.daysToExpiryThreshold = props.daysToExpiryThreshold;
    this.expiryThreshold = props.daysToExpiryThreshold !== undefined
      ? CertificateExpiryThreshold.days(props.daysToExpiryThreshold)
      : props.expiryThreshold ?? CertificateExpiryThreshold.renewalWindow();
    const given = this.expiryThreshold;
    throwIfProblems(this.node.path, [
      ...given.daysBeforeExpiry !== undefined ? validateDaysToExpiryThreshold(given.daysBeforeExpiry) : [],
      ...given.lifetimeFraction !== undefined ? validateLifetimeFraction(given.lifetimeFraction) : [],
    ]);
    this.accountWide = props.accountWide ?? certificates.length === 0;
    this.eventTypes = [...new Set(props.events ?? ALL_ACM_EVENT_TYPES)];
    for (const type of this.eventTypes) {
      if (!ALL_ACM_EVENT_TYPES.includes(type)) {
        throw new PkiValidationError(`${this.node.path}: unknown ACM event type ${JSON.stringify(type)}; use the AcmEventType values`);
      }
    }
    this.healthEvents = props.healthEvents ?? true;
    this.extraTargets = props.targets ?? [];

    if (props.topic) {
      this.topic = props.topic;
    } else {
      const key = new kms.Key(this, 'Key', {
        enableKeyRotation: true,
        description: `Encrypts the certificate notifications of ${this.node.path}`,
      });
      // Alarms and rules publish to the encrypted topic as these services: they need the key.
      key.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }));
      const topic = new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true });
      this.topic = topic;
      this.encryptionKey = key;
    }

    if (this.accountWide) {
      this.createRules(undefined);
    }

    if (props.dashboard) {
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    }
    for (const certificate of certificates) {
      this.addCertificate(certificate);
    }
  }

  /**
   * Watches one more certificate: adds its DaysToExpiry alarm and, unless the monitor is account
   * wide, its ARN to the rules' `resources` filter. Watching the same certificate twice does nothing.
   */
  public addCertificate(certificate: acm.ICertificate, options: CertificateWatchOptions = {}): void {
    if (this.watched.has(certificate)) return;
    assertSameRegion(this, describeCertificate(certificate), certificateRegionOf(certificate));
    const threshold = resolveExpiryThreshold(certificate, options.expiryThreshold ?? this.expiryThreshold, options.kind, options.lifetime,
      this.publicLifetimeDays);
    throwIfProblems(this.node.path, threshold.problems.map((p) => `${describeCertificate(certificate)}: ${p}`));
    threshold.warnings.forEach((w) => Annotations.of(this).addWarningV2('cdk-pki:expiry-threshold', `${describeCertificate(certificate)}: ${w}`));
    this.watched.add(certificate);
    this.thresholds.set(certificate, threshold.days);

    // The minimum over a day, in the certificate's region (checked above to be this stack's).
    const metric = certificate.metricDaysToExpiry();
    this.addToDashboard(metric.with({
      label: Token.isUnresolved(certificate.certificateArn) ? certificate.node.path : certificate.certificateArn,
    }), threshold.days);

    // ACM publishes DaysToExpiry twice a day until the certificate expires, then stops: missing
    // data means "expired" (or never issued), which must alarm, hence BREACHING.
    const alarm = metric.createAlarm(this, `DaysToExpiry${Names.nodeUniqueId(certificate.node)}`, {
      threshold: threshold.days,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription:
        `${describeCertificate(certificate)} expires in fewer than ${threshold.days} days${threshold.reason ? ` (${threshold.reason})` : ''}, ` +
        'or has expired (ACM no longer publishes DaysToExpiry)',
    });
    this.addAlarmActions(alarm);
    this.alarms.push(alarm);

    if (!this.accountWide) {
      if (!this.acmRule && !this.healthRule || this.arnsInRule >= ARNS_PER_RULE) {
        this.createRules(certificate.certificateArn);
      } else {
        this.acmRule?.addEventPattern({ resources: [certificate.certificateArn] });
        this.healthRule?.addEventPattern({ resources: [certificate.certificateArn] });
        this.arnsInRule++;
      }
    }
  }

  /**
   * Watches one more Private CA: alarms, sent to the topic, when the CA cannot write its CRL
   * (`metricMisconfiguredCrlBucket`) and when issuance fails (`metricFailure`); both when the
   * five-minute sum is at least 1, missing data not breaching (the metrics are only published when
   * something happens), as `alarmMisconfiguredCrlBucket` does. The CA must live in this stack's region.
   * With `options.expiry`, the CA's certificate expiry is watched too (a `CaExpiryCheck`, its alarms
   * sent to the topic and returned with the others).
   */
  public addCertificateAuthority(ca: IPkiCertificateAuthority, options: CaMonitoringOptions = {}): cloudwatch.Alarm[] {
    assertSameRegion(this, `certificate authority ${ca.node.path}`, ca.metricMisconfiguredCrlBucket().region);
    const id = `Ca${this.caCount++}`;
    const alarms = [
      createCaAlarm(this, `${id}MisconfiguredCrlBucket`, (props) => ca.metricMisconfiguredCrlBucket(props), {
        alarmDescription: `Private CA ${ca.node.path} cannot write its CRL: check the CRL bucket policy and encryption`,
      }),
      createCaAlarm(this, `${id}IssueFailure`, (props) => ca.metricFailure(props), {
        alarmDescription: `Private CA ${ca.node.path} failed to issue a certificate`,
      }),
    ];
    alarms.forEach((a) => this.addAlarmActions(a));
    if (options.expiry !== undefined) {
      if (this.caExpiry === undefined) {
        this.caExpiry = new CaExpiryCheck(this, 'CaExpiry', { alarmActions: [new cloudwatchActions.SnsAction(this.topic)] });
        this.alarms.push(this.caExpiry.errorAlarm);
      }
      const expiry = this.caExpiry.addCertificateAuthority(ca, options.expiry);
      alarms.push(...[expiry.warning, expiry.critical, expiry.outlivesParent].filter((a): a is cloudwatch.Alarm => a !== undefined));
    }
    this.alarms.push(...alarms);
    return alarms;
  }

  private addAlarmActions(alarm: cloudwatch.Alarm): void {
    const action = new cloudwatchActions.SnsAction(this.topic);
    alarm.addAlarmAction(action);
  }

  private createRules(firstArn: string | undefined): void {
    const n = this.ruleCount++;
    const suffix = n === 0 ? '' : `${n + 1}`;
    const resources = firstArn === undefined ? undefined : [firstArn];
    const scope = this.accountWide ? 'every certificate of the account' : 'the watched certificates';
    this.acmRule = undefined;
    this.healthRule = undefined;
    if (this.eventTypes.length > 0) {
      this.acmRule = this.newRule(`AcmEvents${suffix}`, `ACM events of ${scope} (${this.node.path})`, {
        source: ['aws.acm'],
        detailType: [...this.eventTypes],
        resources,
      }, acmEventMessage());
    }
    if (this.healthEvents) {
      // eventTypeCategory is not filtered: the codes are unique to ACM, and the documentation is
      // inconsistent about the category (scheduledChange vs accountNotification).
      this.healthRule = this.newRule(`HealthEvents${suffix}`, `AWS Health events of ACM for ${scope} (${this.node.path})`, {
        source: ['aws.health'],
        detailType: ['AWS Health Event'],
        detail: { service: ['ACM'], eventTypeCode: [...ACM_HEALTH_EVENT_TYPE_CODES] },
        resources,
      }, healthEventMessage());
    }
    this.arnsInRule = resources ? 1 : 0;
  }

  private newRule(id: string, description: string, pattern: events.EventPattern, message: events.RuleTargetInput): events.Rule {
    const rule = new events.Rule(this, id, { description: description.slice(0, 512), eventPattern: pattern });
    rule.addTarget(new targets.SnsTopic(this.topic, { message }));
    this.extraTargets.forEach((t) => rule.addTarget(t));
    this.rules.push(rule);
    return rule;
  }

  /**
   * The DaysToExpiry alarm threshold of a watched certificate, in days (the certificate's own: from its
   * kind unless a number was given); undefined for a certificate this monitor does not watch.
   */
  public thresholdOf(certificate: acm.ICertificate): number | undefined {
    return this.thresholds.get(certificate);
  }

  /** Adds the metric to the graph of its threshold (one graph per threshold, 50 metrics each). */
  private addToDashboard(metric: cloudwatch.IMetric, threshold: number): void {
    if (!this.dashboard) return;
    const current = this.graphs.get(threshold);
    if (current && current.metrics < METRICS_PER_GRAPH) {
      current.graph.addLeftMetric(metric);
      current.metrics++;
      return;
    }
    const graph = new cloudwatch.GraphWidget({
      // One threshold for all (given in days): the title of old; else each graph names its threshold.
      title: Token.isUnresolved(threshold) || threshold === this.expiryThreshold.daysBeforeExpiry
        ? 'Certificate DaysToExpiry' : `Certificate DaysToExpiry (alarm below ${threshold} days)`,
      left: [metric],
      leftAnnotations: [{ value: threshold, label: 'alarm threshold', color: cloudwatch.Color.RED }],
      leftYAxis: { min: 0, label: 'days', showUnits: false },
      width: 24,
    });
    this.graphs.set(threshold, { graph, metrics: 1 });
    this.dashboard.addWidgets(graph);
  }
}
