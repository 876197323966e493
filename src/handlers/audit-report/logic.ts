import { AUDIT_REPORT_FORMATS, AuditReportRequest, SCHEDULED_EVENT_KEY } from './contract';
import { isCertificateAuthorityArn } from '../../validation/arn-patterns';

/**
 * Pure logic of the `Custom::CdkPkiCaAuditReport` handler, which is invoked two ways:
 * by CloudFormation (through the Provider framework) and by an EventBridge schedule whose input is
 * `{ [SCHEDULED_EVENT_KEY]: AuditReportRequest }` (see `contract.ts`).
 */

/** Errors that mean "too soon": one report per CA every 30 minutes, or a report still being made. */
export const TOO_SOON_ERRORS: readonly string[] = ['RequestInProgressException', 'LimitExceededException'];

/** Private CA errors worth retrying at once. */
export const RETRYABLE_ERRORS: readonly string[] = ['ThrottlingException', 'ConcurrentModificationException'];

/** Why the handler was invoked. */
export type AuditTrigger = 'Create' | 'Update' | 'Schedule';

/** What the handler does for one invocation. */
export type AuditReportPlan =
  | { readonly action: 'create'; readonly trigger: AuditTrigger; readonly request: AuditReportRequest; readonly physicalResourceId?: string }
  | { readonly action: 'none'; readonly physicalResourceId: string };

/** Reads and checks the report parameters of an event. */
export function readRequest(props: unknown): AuditReportRequest {
  const p = (props ?? {}) as Record<string, unknown>;
  const arn = p.CertificateAuthorityArn;
  const bucket = p.S3BucketName;
  const format = p.AuditReportResponseFormat ?? 'JSON';
  if (!isCertificateAuthorityArn(arn)) {
    throw new Error(`CertificateAuthorityArn ${JSON.stringify(arn)} is not a Private CA ARN`);
  }
  if (typeof bucket !== 'string' || bucket.length < 3 || bucket.length > 63) {
    throw new Error(`S3BucketName ${JSON.stringify(bucket)} is not a bucket name (3 to 63 characters)`);
  }
  const knownFormat = AUDIT_REPORT_FORMATS.find((f) => f === format);
  if (knownFormat === undefined) {
    throw new Error(`AuditReportResponseFormat ${JSON.stringify(format)} is not one of ${AUDIT_REPORT_FORMATS.join(', ')}`);
  }
  return { CertificateAuthorityArn: arn, S3BucketName: bucket, AuditReportResponseFormat: knownFormat };
}

/** Decides what to do for a CloudFormation or scheduled event. Delete does nothing: reports stay in the bucket. */
export function planAuditReport(event: unknown): AuditReportPlan {
  const e = (event ?? {}) as Record<string, any>;
  if (e[SCHEDULED_EVENT_KEY] !== undefined) {
    return { action: 'create', trigger: 'Schedule', request: readRequest(e[SCHEDULED_EVENT_KEY]) };
  }
  switch (e.RequestType) {
    case 'Create':
      return { action: 'create', trigger: 'Create', request: readRequest(e.ResourceProperties) };
    case 'Update':
      return { action: 'create', trigger: 'Update', request: readRequest(e.ResourceProperties), physicalResourceId: e.PhysicalResourceId };
    case 'Delete':
      return { action: 'none', physicalResourceId: String(e.PhysicalResourceId) };
    default:
      throw new Error(`not a CloudFormation or scheduled audit-report event (RequestType ${JSON.stringify(e.RequestType)})`);
  }
}

/**
 * What to do when Private CA refuses a report because one was made less than 30 minutes ago.
 *
 * - `Schedule`: skip; the next run makes the report.
 * - `Update`: skip, keeping the previous report's ID, so an update (and its rollback, which runs the
 *   handler again) never fails on the quota.
 * - `Create`: fail, so the deployment reports that no report was made; unless an earlier attempt of
 *   the same Create failed on the way back (a lost response, a timeout): the report it made is what
 *   Private CA refers to, so skip.
 */
export function onTooSoon(trigger: AuditTrigger, afterLostAttempt = false): 'skip' | 'fail' {
  return trigger === 'Create' && !afterLostAttempt ? 'fail' : 'skip';
}

/** The message of a Create that hit the quota. */
export function tooSoonMessage(request: AuditReportRequest, cause: string): string {
  return `Private CA refused an audit report for ${request.CertificateAuthorityArn} (${cause}): it makes at most one report ` +
    'every 30 minutes per CA, and another report was made or is being made. Deploy again after 30 minutes, and keep to one ' +
    'CertificateAuthorityAuditReport per CA.';
}

/** The message of a report Private CA could not write. */
export function failedReportMessage(request: AuditReportRequest, reportId: string): string {
  return `audit report ${reportId} for ${request.CertificateAuthorityArn} FAILED: check that the policy of bucket ` +
    `${request.S3BucketName} lets acm-pca.amazonaws.com s3:PutObject, s3:PutObjectAcl, s3:GetBucketAcl and ` +
    's3:GetBucketLocation, and that a KMS key, if any, lets Private CA use it.';
}
