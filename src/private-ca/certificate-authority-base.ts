import { Duration, Resource, Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_acmpca as acmpcaRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { CertificateTemplate } from './certificate-template';
import { validateCertificateAuthorityArn } from '../validation/arn';
import { quoteValue, throwIfProblems } from '../validation/errors';

/**
 * A Private CA of this library, or one imported by ARN: an `acmpca.ICertificateAuthority` with
 * grants and CloudWatch metrics.
 */
export interface IPkiCertificateAuthority extends acmpca.ICertificateAuthority {
  /**
   * Lets the grantee issue certificates (`acm-pca:IssueCertificate`), always limited to templates
   * through the `acm-pca:TemplateArn` condition: the given ones, or by default the end-entity templates
   * of `CertificateTemplate.endEntityTemplates()`. A grant without the condition would let the grantee
   * mint a subordinate CA (a rogue CA everything trusting the hierarchy trusts), so CA templates such
   * as `CertificateTemplate.subordinateCa(0)` must be named explicitly.
   *
   * @param grantee the principal
   * @param templates the templates the grantee may issue with (at least one); default: the end-entity templates
   */
  grantIssueCertificate(grantee: iam.IGrantable, templates?: CertificateTemplate[]): iam.Grant;
  /** Lets the grantee revoke certificates the CA issued. */
  grantRevokeCertificate(grantee: iam.IGrantable): iam.Grant;
  /** Lets the grantee fetch certificates the CA issued (`acm-pca:GetCertificate`). */
  grantGetCertificate(grantee: iam.IGrantable): iam.Grant;
  /** Lets the grantee describe the CA and read its certificate, chain, CSR and tags. */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /** A metric of this CA in the `AWS/ACMPrivateCA` namespace. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * Options of a CA alarm such as `alarmMisconfiguredCrlBucket`. Every field is optional (unlike
 * `cloudwatch.CreateAlarmOptions`), so Python, Java, .NET and Go callers can leave them out too.
 */
export interface CaAlarmOptions {
  /**
   * The value the metric is compared with.
   *
   * @default 1
   */
  readonly threshold?: number;
  /**
   * How the metric is compared with the threshold.
   *
   * @default cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
   */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /**
   * The number of periods over which data is compared with the threshold.
   *
   * @default 1
   */
  readonly evaluationPeriods?: number;
  /**
   * The number of breaching datapoints (within `evaluationPeriods`) that fire the alarm.
   *
   * @default - `evaluationPeriods`
   */
  readonly datapointsToAlarm?: number;
  /**
   * The length of one period: the metric is summed over it.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
  /**
   * How missing data is treated. The CA publishes the metric only when something goes wrong, so
   * missing data means no problem.
   *
   * @default cloudwatch.TreatMissingData.NOT_BREACHING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  /**
   * The name of the alarm.
   *
   * @default - a name CloudFormation generates
   */
  readonly alarmName?: string;
  /**
   * The description of the alarm.
   *
   * @default - what the alarm means and what to check, naming the CA's construct path
   */
  readonly alarmDescription?: string;
  /**
   * Whether the alarm's actions run when its state changes.
   *
   * @default true
   */
  readonly actionsEnabled?: boolean;
}

/** What every CA of this library and every imported CA share: grants and metrics. */
export abstract class CertificateAuthorityBase extends Resource implements IPkiCertificateAuthority {
  /**
   * Refers to an existing CA by ARN. A concrete ARN is checked for shape
   * (`arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>`); the returned CA's
   * metrics use the ARN's region.
   */
  public static fromCertificateAuthorityArn(scope: Construct, id: string, certificateAuthorityArn: string): IPkiCertificateAuthority {
    throwIfProblems(`${scope.node.path}/${id}`, validateCertificateAuthorityArn(certificateAuthorityArn));
    class Import extends CertificateAuthorityBase {
      public readonly certificateAuthorityArn = certificateAuthorityArn;
    }
    return new Import(scope, id, { environmentFromArn: certificateAuthorityArn });
  }

  public abstract readonly certificateAuthorityArn: string;

  /** A reference for aws-cdk-lib's L1 interop. */
  public get certificateAuthorityRef(): acmpcaRefs.CertificateAuthorityReference {
    return { certificateAuthorityArn: this.certificateAuthorityArn };
  }

  public grantIssueCertificate(grantee: iam.IGrantable, templates?: CertificateTemplate[]): iam.Grant {
    if (templates !== undefined && templates.length === 0) {
      throwIfProblems(this.node.path, [
        'grantIssueCertificate was given an empty list of templates, and IssueCertificate is never granted without the ' +
          'acm-pca:TemplateArn condition: leave templates out to allow the end-entity templates ' +
          '(CertificateTemplate.endEntityTemplates()), or list the templates to allow',
      ]);
    }
    const arns = [...new Set((templates ?? CertificateTemplate.endEntityTemplates()).map((t) => t.templateArn))];
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['acm-pca:IssueCertificate'],
      resourceArns: [this.certificateAuthorityArn],
      conditions: { StringEquals: { 'acm-pca:TemplateArn': arns } },
    });
  }

  public grantRevokeCertificate(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'acm-pca:RevokeCertificate');
  }

  public grantGetCertificate(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'acm-pca:GetCertificate');
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(
      grantee,
      'acm-pca:DescribeCertificateAuthority',
      'acm-pca:GetCertificateAuthorityCertificate',
      'acm-pca:GetCertificateAuthorityCsr',
      'acm-pca:ListTags',
    );
  }

  /**
   * A metric of this CA in the `AWS/ACMPrivateCA` namespace, dimension `PrivateCAArn`, in the CA's
   * region. Sum over five minutes by default.
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const region = this.env.region;
    return new cloudwatch.Metric({
      period: Duration.minutes(5),
      statistic: cloudwatch.Stats.SUM,
      ...props,
      namespace: 'AWS/ACMPrivateCA',
      metricName,
      dimensionsMap: { ...props?.dimensionsMap, PrivateCAArn: this.certificateAuthorityArn },
      region: Token.isUnresolved(region) ? undefined : region,
    });
  }

  /** CRLs generated by this CA (published only when a CRL is written). */
  public metricCrlGenerated(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CRLGenerated', props);
  }

  /**
   * Published when the CA cannot write its CRL because the bucket is misconfigured (check the
   * bucket policy). No data means no problem.
   */
  public metricMisconfiguredCrlBucket(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('MisconfiguredCRLBucket', props);
  }

  /** Certificates issued successfully (`IssueCertificate`). */
  public metricSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.issueMetric('Success', props);
  }

  /** Failed `IssueCertificate` operations. */
  public metricFailure(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.issueMetric('Failure', props);
  }

  /** Milliseconds between an issuance request and its completion or failure (average by default). */
  public metricTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.issueMetric('Time', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /**
   * An alarm that fires when the CA reports a misconfigured CRL bucket (the metric's sum over five
   * minutes is at least 1). Missing data is not breaching: the metric is only published when the
   * CA fails to write its CRL.
   *
   * @param id construct id of the alarm (a child of the CA)
   * @param options threshold, periods, name, description...; all optional
   */
  public alarmMisconfiguredCrlBucket(id: string, options: CaAlarmOptions = {}): cloudwatch.Alarm {
    throwIfProblems(`${this.node.path}/${id}`, validateAlarmNumbers(options));
    const metric = this.metricMisconfiguredCrlBucket(options.period ? { period: options.period } : undefined);
    return metric.createAlarm(this, id, {
      threshold: options.threshold ?? 1,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm,
      comparisonOperator: options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmName: options.alarmName,
      alarmDescription: options.alarmDescription ?? `Private CA ${this.node.path} cannot write its CRL: check the CRL bucket policy and encryption`,
      actionsEnabled: options.actionsEnabled,
    });
  }

  private issueMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(metricName, { ...props, dimensionsMap: { ...props?.dimensionsMap, Operation: 'IssueCertificate' } });
  }

  private grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.certificateAuthorityArn] });
  }
}

/** Threshold finite; periods and datapoints whole numbers of at least 1, datapoints not above periods. Tokens pass. */
function validateAlarmNumbers(o: CaAlarmOptions): string[] {
  const known = (n: number | undefined): n is number => n !== undefined && !Token.isUnresolved(n);
  const problems: string[] = [];
  if (known(o.threshold) && !Number.isFinite(o.threshold)) {
    problems.push(`threshold ${quoteValue(o.threshold)} is not a finite number: give a number such as 1`);
  }
  for (const [name, value] of [['evaluationPeriods', o.evaluationPeriods], ['datapointsToAlarm', o.datapointsToAlarm]] as const) {
    if (known(value) && (!Number.isInteger(value) || value < 1)) {
      problems.push(`${name} ${quoteValue(value)} is not a whole number of at least 1: give e.g. 1`);
    }
  }
  const periods = known(o.evaluationPeriods) ? o.evaluationPeriods : 1;
  if (problems.length === 0 && known(o.datapointsToAlarm) && o.datapointsToAlarm > periods) {
    problems.push(`datapointsToAlarm ${o.datapointsToAlarm} is more than evaluationPeriods ${periods}: ` +
      'at most every evaluated period can breach, so lower datapointsToAlarm or raise evaluationPeriods');
  }
  return problems;
}
