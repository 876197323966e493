import { CustomResource, Duration, Lazy, Names, Stack, Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { RootCa } from './root-ca';
import { SubordinateCa } from './subordinate-ca';
import { CaExpiryFunction } from '../handlers/ca-expiry/ca-expiry-function';
import {
  CA_ARN_DIMENSION,
  CA_OUTLIVES_PARENT,
  CaExpiryCheckRequest,
  DAYS_TO_CA_EXPIRY,
  METRIC_NAMESPACE,
  SCHEDULED_EVENT_KEY,
} from '../handlers/ca-expiry/contract';
import { acknowledgeNag, NagRules, wildcardResourceFinding } from '../private/acknowledgements';
import { SingletonProvider } from '../private/singleton-provider';
import { validateCertificateAuthorityArn } from '../validation/arn';
import { regionOfArn } from '../validation/arn-patterns';
import { CA_EXPIRY_DEFAULT_DAYS, MAX_CAS_PER_CHECK, validateCaExpiryThresholds } from '../validation/ca-expiry';
import { quoteValue, throwIfProblems } from '../validation/errors';

/** The role of a CA in its hierarchy, which sets the default thresholds of its expiry alarms. */
export enum CaExpiryTier {
  /** A root CA: warning under 365 days, critical under 180. */
  ROOT = 'ROOT',
  /** A subordinate CA that signs other CAs: warning under 60 days, critical under 30. */
  INTERMEDIATE = 'INTERMEDIATE',
  /** A subordinate CA that signs end-entity certificates: warning under 60 days, critical under 30. */
  ISSUING = 'ISSUING',
}

/** How one CA's expiry is watched. */
export interface CaExpiryOptions {
  /**
   * The CA's role, which sets the default thresholds.
   *
   * @default - ROOT for a `RootCa`, ISSUING for a `SubordinateCa` of path length 0, INTERMEDIATE for
   *   another `SubordinateCa`; required for any other CA (an imported one)
   */
  readonly tier?: CaExpiryTier;

  /**
   * The warning alarm fires when fewer than this many whole days are left (1 to 36,500; more than
   * `criticalDays`).
   *
   * @default 365 for a root, 60 otherwise
   */
  readonly warningDays?: number;

  /**
   * The critical alarm fires when fewer than this many whole days are left (1 to 36,500).
   *
   * @default 180 for a root, 30 otherwise
   */
  readonly criticalDays?: number;
}

/** The alarms of one watched CA. */
export interface CaExpiryAlarms {
  /** The tier the thresholds come from. */
  readonly tier: CaExpiryTier;
  /** Fires when DaysToCaExpiry is below `warningDays`, or missing (the check did not publish it). */
  readonly warning: cloudwatch.Alarm;
  /** Fires when DaysToCaExpiry is below `criticalDays`, or missing. */
  readonly critical: cloudwatch.Alarm;
  /** Fires when the CA's certificate outlives its parent's (subordinate tiers only). */
  readonly outlivesParent?: cloudwatch.Alarm;
}

/** Options of `CertificateMonitor.addCertificateAuthority`. */
export interface CaMonitoringOptions {
  /**
   * Also watch the expiry of the CA's own certificate: the monitor's `CaExpiryCheck` (one per monitor,
   * created on first use) adds the CA with these options, and its alarms go to the monitor's topic.
   * Pass `{}` for the defaults of the CA's tier.
   *
   * @default - no CA expiry check
   */
  readonly expiry?: CaExpiryOptions;
}

/** Properties of a `CaExpiryCheck`. */
export interface CaExpiryCheckProps {
  /**
   * CAs to watch with the defaults of their tier; add others with `addCertificateAuthority`. Each
   * must live in this stack's region. At least one CA in all.
   *
   * @default - none yet
   */
  readonly certificateAuthorities?: acmpca.ICertificateAuthority[];

  /**
   * Actions of every alarm (e.g. `new cloudwatch_actions.SnsAction(topic)`).
   *
   * @default - no actions: add them to `alarms` yourself
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/**
 * CA certificate expiry monitoring. No AWS event fires before a Private CA's own certificate expires,
 * and when a root expires everything under it stops. A Lambda reads each watched CA once a day
 * (DescribeCertificateAuthority, GetCertificateAuthorityCertificate), and once when deployed, and
 * publishes `DaysToCaExpiry` (namespace `CdkPki`, dimension `CertificateAuthorityArn`) and, for a
 * subordinate, `CaOutlivesParent` (1 when its certificate expires after its parent's).
 *
 * Per CA: a warning and a critical alarm on `DaysToCaExpiry` with thresholds by tier (root 365/180
 * days, other CAs 60/30, as HashiCorp Vault's PKI health check `ca_validity_period`), and for
 * subordinate tiers an alarm on `CaOutlivesParent`. The expiry alarms treat missing data as breaching:
 * a CA that is deleted or has no certificate, or a check that stopped running, alarms after two days
 * without data. One more alarm watches the check's Lambda errors.
 */
export class CaExpiryCheck extends Construct {
  /** The CloudFormation type of the custom resource that runs the check at deployment. */
  public static readonly RESOURCE_TYPE = 'Custom::CdkPkiCaExpiryCheck';

  /** The CloudWatch namespace of the check's metrics. */
  public static readonly METRIC_NAMESPACE = METRIC_NAMESPACE;

  /** Whole days until the CA's certificate expires (minimum over a day), as the check publishes it. */
  public static metricDaysToCaExpiry(ca: acmpca.ICertificateAuthority, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      period: Duration.days(1),
      statistic: cloudwatch.Stats.MINIMUM,
      ...props,
      namespace: METRIC_NAMESPACE,
      metricName: DAYS_TO_CA_EXPIRY,
      dimensionsMap: { [CA_ARN_DIMENSION]: ca.certificateAuthorityArn },
    });
  }

  /** 1 when a subordinate CA's certificate outlives its parent's, else 0 (maximum over a day). */
  public static metricCaOutlivesParent(ca: acmpca.ICertificateAuthority, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      period: Duration.days(1),
      statistic: cloudwatch.Stats.MAXIMUM,
      ...props,
      namespace: METRIC_NAMESPACE,
      metricName: CA_OUTLIVES_PARENT,
      dimensionsMap: { [CA_ARN_DIMENSION]: ca.certificateAuthorityArn },
    });
  }

  /** Every alarm so far: the expiry alarms of each CA, and the alarm on the check's errors. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  /** Fires when a scheduled run failed (a CA could not be read, or the metrics not published). */
  public readonly errorAlarm: cloudwatch.Alarm;

  /** The daily schedule. */
  public readonly scheduleRule: events.Rule;

  private readonly provider: SingletonProvider;
  private readonly resource: CustomResource;
  private readonly readStatement: iam.PolicyStatement;
  private readonly alarmActions: cloudwatch.IAlarmAction[];
  private readonly watched = new Map<acmpca.ICertificateAuthority, CaExpiryAlarms>();
  private readonly targets: Array<{ readonly arn: string; readonly tier: CaExpiryTier }> = [];

  constructor(scope: Construct, id: string, props: CaExpiryCheckProps = {}) {
    super(scope, id);
    this.alarmActions = props.alarmActions ?? [];
    this.provider = SingletonProvider.of(this, {
      id: 'CdkPkiCaExpiryProvider',
      createHandler: (s, i) => new CaExpiryFunction(s, i, {
        timeout: Duration.minutes(5),
      }),
    });
    const request = Lazy.any({ produce: (): CaExpiryCheckRequest => this.renderRequest() });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: CaExpiryCheck.RESOURCE_TYPE,
      properties: { CertificateAuthorities: Lazy.any({ produce: () => this.renderRequest().CertificateAuthorities }) },
    });
    this.readStatement = new iam.PolicyStatement({
      actions: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificateAuthorityCertificate'],
    });
    this.attachPolicy();

    this.scheduleRule = new events.Rule(this, 'Schedule', {
      schedule: events.Schedule.rate(Duration.days(1)),
      description: `cdk-pki: CA certificate expiry check of ${this.node.path}`.slice(0, 512),
      targets: [new targets.LambdaFunction(this.provider.handler, {
        event: events.RuleTargetInput.fromObject({ [SCHEDULED_EVENT_KEY]: request }),
      })],
    });
    this.scheduleRule.node.addDependency(this.resource);

    this.errorAlarm = this.provider.handler.metricErrors({ period: Duration.days(1), statistic: cloudwatch.Stats.SUM })
      .createAlarm(this, 'CheckErrors', {
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `The CA expiry check of the stack ${Stack.of(this).stackName} failed: a CA could not be read or its ` +
          'metrics not published. Read the check\'s log (the CdkPkiCaExpiryProvider handler); the CAs concerned also alarm on missing data.',
      });
    this.addActions(this.errorAlarm);

    this.node.addValidation({ validate: () => this.validateCount() });
    for (const ca of props.certificateAuthorities ?? []) {
      this.addCertificateAuthority(ca);
    }
  }

  /**
   * Watches one more CA: adds it to the check and creates its alarms. Watching the same CA again
   * returns the alarms made the first time (and ignores the new options).
   */
  public addCertificateAuthority(ca: acmpca.ICertificateAuthority, options: CaExpiryOptions = {}): CaExpiryAlarms {
    const known = this.watched.get(ca);
    if (known !== undefined) return known;
    const path = `${this.node.path} (CA ${ca.node.path})`;
    const tier = options.tier ?? defaultTier(ca);
    if (tier === undefined) {
      throwIfProblems(path, ['cannot tell whether this CA is a root, an intermediate or an issuing CA (it is not a RootCa or SubordinateCa ' +
        'of this app): pass tier: CaExpiryTier.ROOT, CaExpiryTier.INTERMEDIATE or CaExpiryTier.ISSUING']);
    }
    const tierName = tier!;
    if (!Object.values(CaExpiryTier).includes(tierName)) {
      throwIfProblems(path, [`tier ${quoteValue(tierName)} is not one of ROOT, INTERMEDIATE, ISSUING: use the CaExpiryTier values`]);
    }
    const [defaultWarning, defaultCritical] = CA_EXPIRY_DEFAULT_DAYS[tierName];
    const warningDays = options.warningDays ?? defaultWarning;
    const criticalDays = options.criticalDays ?? defaultCritical;
    throwIfProblems(path, [
      ...validateCertificateAuthorityArn(ca.certificateAuthorityArn),
      ...this.validateRegion(ca.certificateAuthorityArn),
      ...validateCaExpiryThresholds(tierName, warningDays, criticalDays,
        { warning: options.warningDays === undefined, critical: options.criticalDays === undefined }),
    ]);

    this.targets.push({ arn: ca.certificateAuthorityArn, tier: tierName });
    // The ARN of a RootCa or SubordinateCa refers to its activation: the deployment's run reads the CA once it is active.
    this.readStatement.addResources(ca.certificateAuthorityArn);

    const name = Token.isUnresolved(ca.certificateAuthorityArn) ? `Private CA ${ca.node.path}` : `Private CA ${ca.node.path} (${ca.certificateAuthorityArn})`;
    const uid = Names.nodeUniqueId(ca.node);
    const metric = CaExpiryCheck.metricDaysToCaExpiry(ca);
    const expiryAlarm = (level: string, days: number) => this.newAlarm(metric.createAlarm(this, `DaysToCaExpiry${level}${uid}`, {
      threshold: days,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // Two daily periods: one late run must not page, and a CA certificate's expiry is known months ahead.
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // No data means the check could not read the CA (deleted, no certificate, no permission) or stopped running.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `${level.toUpperCase()}: the certificate of ${tierName.toLowerCase()} ${name} expires in fewer than ${days} days, ` +
        'or the CA expiry check published no DaysToCaExpiry for it for two days (the CA is not active, deleted or unreadable, or the ' +
        'check stopped: see its log). Renew the CA certificate, and re-issue what it signed, before it expires.',
    }));
    const warning = expiryAlarm('Warning', warningDays);
    const critical = expiryAlarm('Critical', criticalDays);
    let outlivesParent: cloudwatch.Alarm | undefined;
    if (tierName !== CaExpiryTier.ROOT) {
      outlivesParent = this.newAlarm(CaExpiryCheck.metricCaOutlivesParent(ca).createAlarm(this, `CaOutlivesParent${uid}`, {
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // Missing data is the expiry alarms' concern.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `The certificate of ${name} expires after its parent's: it cannot issue anything valid past the parent's ` +
          'expiry. Re-issue the CA certificate within the parent\'s validity, or renew the parent first (the check\'s log names both).',
      }));
    }
    const alarms: CaExpiryAlarms = { tier: tierName, warning, critical, outlivesParent };
    this.watched.set(ca, alarms);
    return alarms;
  }

  private newAlarm(alarm: cloudwatch.Alarm): cloudwatch.Alarm {
    // Created after the deployment's first run, so the alarm never starts without data.
    alarm.node.addDependency(this.resource);
    this.addActions(alarm);
    return alarm;
  }

  private addActions(alarm: cloudwatch.Alarm): void {
    this.alarms.push(alarm);
    if (this.alarmActions.length > 0) {
      alarm.addAlarmAction(...this.alarmActions);
    } else {
      acknowledgeNag(alarm, NagRules.CLOUDWATCH_ALARM_ACTION,
        'No alarmActions were given to the CA expiry check: where its alarms go (an SNS topic, a pager) is the app\'s choice, ' +
        'added with alarm.addAlarmAction() (CertificateMonitor.addCertificateAuthority wires them to its topic).');
    }
  }

  /** The check's own policy on the shared handler's role: read the watched CAs, publish to the CdkPki namespace. */
  private attachPolicy(): void {
    const policy = new iam.Policy(this, 'HandlerPolicy', {
      roles: [this.provider.handler.role!],
      statements: [
        this.readStatement,
        new iam.PolicyStatement({
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
        }),
      ],
    });
    this.resource.node.addDependency(policy);
    acknowledgeNag(policy, NagRules.IAM_INLINE_POLICY,
      `The policy holds only what the CA expiry check ${this.node.path} needs: reading its own CAs and publishing its metrics; ` +
      'a managed policy would be no narrower.');
    acknowledgeNag(policy, [wildcardResourceFinding(this, '*')],
      `The action cloudwatch:PutMetricData has no resource-level permissions; the statement is limited to the ${METRIC_NAMESPACE} namespace by ` +
      'the cloudwatch:namespace condition.');
  }

  private renderRequest(): CaExpiryCheckRequest {
    return { CertificateAuthorities: this.targets.map((t) => ({ CertificateAuthorityArn: t.arn, Tier: t.tier })) };
  }

  private validateRegion(arn: string): string[] {
    const region = regionOfArn(arn);
    const stackRegion = Stack.of(this).region;
    if (region === undefined || (!Token.isUnresolved(stackRegion) && region === stackRegion)) return [];
    return [`the CA lives in ${region}, but this stack deploys to ${Token.isUnresolved(stackRegion) ? 'a region unknown at synth time' : stackRegion}: ` +
      `the check reads CAs and publishes metrics in its own region. Watch the CA from a stack in ${region} ` +
      `(env: { region: '${region}' }), importing it with RootCa.fromCertificateAuthorityArn.`];
  }

  private validateCount(): string[] {
    if (this.targets.length === 0) {
      return [`${this.node.path}: the CA expiry check watches no CA: pass certificateAuthorities or call addCertificateAuthority(ca).`];
    }
    if (this.targets.length > MAX_CAS_PER_CHECK) {
      return [`${this.node.path}: the CA expiry check watches ${this.targets.length} CAs, more than ${MAX_CAS_PER_CHECK} (its daily schedule's ` +
        'input must stay under the 8,192 characters EventBridge accepts): split them across two CaExpiryCheck constructs.'];
    }
    return [];
  }
}

/** The tier of a CA of this app: ROOT for a RootCa, ISSUING / INTERMEDIATE for a SubordinateCa by path length. */
function defaultTier(ca: acmpca.ICertificateAuthority): CaExpiryTier | undefined {
  if (ca instanceof RootCa) return CaExpiryTier.ROOT;
  if (ca instanceof SubordinateCa) return (ca.pathLength ?? 0) === 0 ? CaExpiryTier.ISSUING : CaExpiryTier.INTERMEDIATE;
  return undefined;
}
