import { Annotations, CustomResource, Duration, Resource, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CrlBucket } from './crl-bucket';
import { attachOwnHandlerPolicy } from './handler-policy';
import { AuditReportFunction } from '../handlers/audit-report/audit-report-function';
import { AuditReportRequest, SCHEDULED_EVENT_KEY } from '../handlers/audit-report/contract';
import { SingletonProvider } from '../private/singleton-provider';
import { validateCertificateAuthorityArn } from '../validation/arn';
import { validateAuditSchedule } from '../validation/audit-schedule';
import { quoteValue, throwIfProblems } from '../validation/errors';
import { validateS3BucketName } from '../validation/s3-bucket-name';

/** The format of a Private CA audit report. */
export enum AuditReportFormat {
  /** A JSON document. */
  JSON = 'JSON',
  /** Comma-separated values. */
  CSV = 'CSV',
}

/** Properties of a `CertificateAuthorityAuditReport`. */
export interface CertificateAuthorityAuditReportProps {
  /** The CA whose private-key use (IssueCertificate, RevokeCertificate) the report lists. It must be active. */
  readonly certificateAuthority: acmpca.ICertificateAuthority;

  /** The bucket Private CA writes the report to, under `audit-report/<CA id>/`. */
  readonly bucket: s3.IBucket;

  /**
   * The report format.
   *
   * @default AuditReportFormat.JSON
   */
  readonly format?: AuditReportFormat;

  /**
   * Also create a report on this EventBridge schedule. Private CA makes at most one report every 30
   * minutes per CA, so a more frequent schedule is refused; a run that comes too soon is skipped.
   *
   * @default - a report only when the construct is created or its properties change
   */
  readonly schedule?: events.Schedule;

  /**
   * Add the statement Private CA needs to the bucket policy (principal `acm-pca.amazonaws.com`,
   * `aws:SourceAccount` and `aws:SourceArn` conditions). Only possible for a bucket of this stack;
   * skipped for the bucket of a `CrlBucket`, whose policy already lets the account's CAs write.
   * Turn it off when the CA writes its CRLs to this bucket through your own policy: naming the CA
   * in the policy the CA depends on is a circular dependency.
   *
   * @default true
   */
  readonly addBucketPolicy?: boolean;
}

/**
 * An AWS Private CA audit report (CreateCertificateAuthorityAuditReport), which CloudFormation has no
 * resource for: made when the construct is deployed and, optionally, on a schedule.
 *
 * The handler waits briefly for the report, so a bucket Private CA cannot write to fails the
 * deployment. Deleting the construct keeps the reports in the bucket.
 */
export class CertificateAuthorityAuditReport extends Construct {
  /** The CloudFormation type of the custom resource. */
  public static readonly RESOURCE_TYPE = 'Custom::CdkPkiCaAuditReport';

  /**
   * The ID of the report made at deployment. Empty when an update came within 30 minutes of another
   * report, which Private CA does not allow.
   */
  public readonly auditReportId: string;

  /** The S3 key of the report made at deployment (empty in the same case as `auditReportId`). */
  public readonly s3Key: string;

  /** The EventBridge rule of the schedule, when one is given. */
  public readonly scheduleRule?: events.Rule;

  constructor(scope: Construct, id: string, props: CertificateAuthorityAuditReportProps) {
    super(scope, id);
    const ca = props.certificateAuthority;
    const bucket = props.bucket;
    const format = props.format ?? AuditReportFormat.JSON;
    throwIfProblems(this.node.path, [
      ...validateCertificateAuthorityArn(ca.certificateAuthorityArn),
      ...validateS3BucketName(bucket.bucketName),
      ...(Object.values(AuditReportFormat).includes(format) ? [] : [`format ${quoteValue(format)} is not JSON or CSV: use AuditReportFormat.JSON or AuditReportFormat.CSV.`]),
      ...(props.schedule === undefined ? [] : validateAuditSchedule(props.schedule.expressionString)),
    ]);

    const provider = SingletonProvider.of(this, {
      id: 'CdkPkiAuditReportProvider',
      createHandler: (s, i) => new AuditReportFunction(s, i, { timeout: Duration.minutes(2) }),
    });

    const request: AuditReportRequest = {
      CertificateAuthorityArn: ca.certificateAuthorityArn,
      S3BucketName: bucket.bucketName,
      AuditReportResponseFormat: format,
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CertificateAuthorityAuditReport.RESOURCE_TYPE,
      properties: request,
    });
    // The handler's permissions for this report live and die with this resource (see handler-policy.ts); the schedule
    // below uses them too.
    attachOwnHandlerPolicy(this, provider, resource, [
      {
        actions: ['acm-pca:CreateCertificateAuthorityAuditReport', 'acm-pca:DescribeCertificateAuthorityAuditReport'],
        resources: [ca.certificateAuthorityArn],
      },
      {
        // Private CA also checks that the caller may write to the bucket.
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        wildcardReason: 'CreateCertificateAuthorityAuditReport checks that the caller may write to the report bucket, whose ' +
          'object keys (audit-report/<CA id>/<report id>) Private CA chooses; the statement covers the objects of this one bucket only.',
      },
      { actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn] },
    ]);
    this.auditReportId = resource.getAttString('AuditReportId');
    this.s3Key = resource.getAttString('S3Key');
    // After every resource of the CA construct (its activation included: Private CA needs an ACTIVE CA). CDK skips
    // the dependency of this resource on itself when the CA construct contains this one.
    resource.node.addDependency(ca);
    this.allowPrivateCaWrites(props, resource);

    if (props.schedule !== undefined) {
      this.scheduleRule = new events.Rule(this, 'Schedule', {
        schedule: props.schedule,
        description: `cdk-pki: Private CA audit report for ${this.node.path}`.slice(0, 512),
        targets: [new targets.LambdaFunction(provider.handler, {
          event: events.RuleTargetInput.fromObject({ [SCHEDULED_EVENT_KEY]: request }),
        })],
      });
      this.scheduleRule.node.addDependency(resource);
    }
  }

  /** Adds the bucket policy statement Private CA needs, or says why it cannot. */
  private allowPrivateCaWrites(props: CertificateAuthorityAuditReportProps, resource: CustomResource): void {
    const bucket = props.bucket;
    if (props.addBucketPolicy === false || bucket.node.scope instanceof CrlBucket) {
      return;
    }
    const stack = Stack.of(this);
    const owned = Resource.isOwnedResource(bucket) && Stack.of(bucket) === stack;
    const result = owned ? bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('acm-pca.amazonaws.com')],
      actions: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketAcl', 's3:GetBucketLocation'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': props.certificateAuthority.certificateAuthorityArn },
      },
    })) : { statementAdded: false };
    if (result.statementAdded && result.policyDependable) {
      resource.node.addDependency(result.policyDependable);
    } else {
      Annotations.of(this).addWarningV2('cdk-pki:audit-bucket-policy',
        `The policy of bucket ${bucket.node.path} is not managed by this stack: make sure it lets the service principal ` +
        'acm-pca.amazonaws.com s3:PutObject, s3:PutObjectAcl, s3:GetBucketAcl and s3:GetBucketLocation on the bucket and its ' +
        'objects (with aws:SourceAccount and aws:SourceArn conditions), or every audit report fails.');
    }
    if (bucket.encryptionKey !== undefined) {
      Annotations.of(this).addWarningV2('cdk-pki:audit-bucket-kms',
        'The bucket is encrypted with a KMS key: its key policy must let acm-pca.amazonaws.com use kms:GenerateDataKey ' +
        'and kms:Decrypt, or every audit report fails.');
    }
  }
}
