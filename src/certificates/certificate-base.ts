import { Duration, Resource, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_certificatemanager as acmRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { validateCertificateArn } from '../validation/arn';
import { PkiValidationError, throwIfProblems } from '../validation/errors';

/**
 * The EventBridge detail types ACM emits for a certificate.
 *
 * @see https://docs.aws.amazon.com/acm/latest/userguide/supported-events.html
 */
export enum AcmEventType {
  /** Daily from 45 days (or the account's DaysBeforeExpiry) before expiry; also for imported certificates. */
  APPROACHING_EXPIRATION = 'ACM Certificate Approaching Expiration',
  /** The certificate expired (ACM-issued public and private certificates). */
  EXPIRED = 'ACM Certificate Expired',
  /** Issued, renewed, imported or reimported; `detail.Action` tells which. */
  AVAILABLE = 'ACM Certificate Available',
  /** Managed renewal failed and needs you; at 45, 30, 15, 3 and 1 days before expiry. */
  RENEWAL_ACTION_REQUIRED = 'ACM Certificate Renewal Action Required',
  /** The certificate was revoked (only exported certificates can be). */
  REVOKED = 'ACM Certificate Revoked',
}

/**
 * A certificate of this library, or one imported by ARN: an `acm.ICertificate` with metrics,
 * event rules and grants.
 */
export interface IPkiCertificate extends acm.ICertificate {
  /**
   * The region the certificate lives in, when known at synth time.
   *
   * Metrics, alarms and event rules for the certificate exist only in this region.
   *
   * @attribute
   */
  readonly certificateRegion?: string;

  /** Rule for "ACM Certificate Approaching Expiration" events of this certificate. */
  onApproachingExpiration(id: string, options?: events.OnEventOptions): events.Rule;
  /** Rule for "ACM Certificate Expired" events of this certificate. */
  onExpired(id: string, options?: events.OnEventOptions): events.Rule;
  /** Rule for "ACM Certificate Available" events (issuance, renewal, import, reimport) of this certificate. */
  onAvailable(id: string, options?: events.OnEventOptions): events.Rule;
  /** Rule for "ACM Certificate Renewal Action Required" events of this certificate. */
  onRenewalActionRequired(id: string, options?: events.OnEventOptions): events.Rule;
  /** Rule for "ACM Certificate Revoked" events of this certificate. */
  onRevoked(id: string, options?: events.OnEventOptions): events.Rule;

  /** Lets the grantee describe the certificate, get its PEM (never a private key) and list its tags. */
  grantRead(grantee: iam.IGrantable): iam.Grant;
  /** Lets the grantee export the certificate with its private key (`acm:ExportCertificate`). */
  grantExport(grantee: iam.IGrantable): iam.Grant;
  /** Lets the grantee force a renewal (`acm:RenewCertificate`). */
  grantRenew(grantee: iam.IGrantable): iam.Grant;
}

/**
 * What every certificate class of this library shares: the DaysToExpiry metric in the
 * certificate's own region, one EventBridge rule method per ACM event, and grants.
 */
export abstract class CertificateBase extends Resource implements IPkiCertificate {
  public abstract readonly certificateArn: string;

  /**
   * Whether the certificate can be exported with its private key; `undefined` when unknown
   * (a certificate imported by ARN).
   */
  protected abstract readonly exportable?: boolean;

  /**
   * Whether the certificate can be exported with its private key (`undefined`: unknown), for the
   * constructs that export it.
   *
   * @internal
   */
  public get _exportable(): boolean | undefined {
    return this.exportable;
  }

  /**
   * The region the certificate lives in, when known at synth time.
   */
  public get certificateRegion(): string | undefined {
    const region = this.env.region;
    return Token.isUnresolved(region) ? undefined : region;
  }

  /** A reference for aws-cdk-lib's L1/L2 interop: ACM's `Ref` is the ARN. */
  public get certificateRef(): acmRefs.CertificateReference {
    return { certificateId: this.certificateArn };
  }

  /**
   * The `DaysToExpiry` metric of this certificate, in the certificate's region.
   *
   * The minimum over one day by default. ACM stops publishing it once the certificate has
   * expired, so an alarm on it should treat missing data as breaching.
   */
  public metricDaysToExpiry(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      period: Duration.days(1),
      statistic: cloudwatch.Stats.MINIMUM,
      ...props,
      namespace: 'AWS/CertificateManager',
      metricName: 'DaysToExpiry',
      dimensionsMap: { CertificateArn: this.certificateArn },
      region: this.certificateRegion,
    });
  }

  public onApproachingExpiration(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.onAcmEvent(id, AcmEventType.APPROACHING_EXPIRATION, options);
  }

  public onExpired(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.onAcmEvent(id, AcmEventType.EXPIRED, options);
  }

  public onAvailable(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.onAcmEvent(id, AcmEventType.AVAILABLE, options);
  }

  public onRenewalActionRequired(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.onAcmEvent(id, AcmEventType.RENEWAL_ACTION_REQUIRED, options);
  }

  public onRevoked(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.onAcmEvent(id, AcmEventType.REVOKED, options);
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'acm:DescribeCertificate', 'acm:GetCertificate', 'acm:ListTagsForCertificate');
  }

  public grantExport(grantee: iam.IGrantable): iam.Grant {
    if (this.exportable === false) {
      throw new PkiValidationError(
        `${this.node.path}: cannot grant acm:ExportCertificate on a certificate that is not exportable. ` +
          'Set `allowExport: true` on the certificate (public exportable certificates cost extra), or grant read access instead.',
      );
    }
    return this.grant(grantee, 'acm:ExportCertificate');
  }

  public grantRenew(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'acm:RenewCertificate');
  }

  private grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.certificateArn] });
  }

  private onAcmEvent(id: string, detailType: AcmEventType, options: events.OnEventOptions): events.Rule {
    const stackRegion = Stack.of(this).region;
    const region = this.certificateRegion;
    if (region !== undefined && !Token.isUnresolved(stackRegion) && region !== stackRegion) {
      throw new PkiValidationError(
        `${this.node.path}: the certificate lives in ${region} but this stack deploys to ${stackRegion}; ` +
          `ACM delivers "${detailType}" events only to EventBridge in ${region}. ` +
          `Create the rule in a stack in ${region} (import it there with PublicCertificate.fromCertificateArn).`,
      );
    }
    const rule = new events.Rule(this, id, {
      description: options.description,
      ruleName: options.ruleName,
      crossStackScope: options.crossStackScope,
    });
    rule.addEventPattern({ source: ['aws.acm'], detailType: [detailType], resources: [this.certificateArn] });
    if (options.eventPattern) {
      rule.addEventPattern(options.eventPattern);
    }
    if (options.target) {
      rule.addTarget(options.target);
    }
    return rule;
  }
}

/** A certificate referred to by ARN: no resource, just the ARN, metrics, event rules and grants. */
class CertificateFromArn extends CertificateBase {
  protected readonly exportable = undefined;

  constructor(scope: Construct, id: string, public readonly certificateArn: string) {
    super(scope, id, { environmentFromArn: certificateArn });
  }
}

/**
 * The one implementation behind the `fromCertificateArn` of every certificate class: a concrete ARN is checked for
 * shape (`arn:<partition>:acm:<region>:<account>:certificate/<uuid>`), and metrics and event rules of the returned
 * certificate use the ARN's region. Not exported from the package index.
 */
export function importCertificateArn(scope: Construct, id: string, certificateArn: string): IPkiCertificate {
  throwIfProblems(`${scope.node.path}/${id}`, validateCertificateArn(certificateArn));
  return new CertificateFromArn(scope, id, certificateArn);
}
