/**
 * The wire contract of `Custom::CdkPkiCaAuditReport` between the `CertificateAuthorityAuditReport`
 * construct and its handler: the resource properties, which the schedule rule's input repeats. The
 * handler reads and checks them in one place (`readRequest` in `logic.ts`).
 *
 * This module imports nothing: the handler bundle includes it.
 */

/** The key of the schedule rule's input: `{ [SCHEDULED_EVENT_KEY]: AuditReportRequest }`. */
export const SCHEDULED_EVENT_KEY = 'cdkPkiScheduledAuditReport';

/** The report formats of CreateCertificateAuthorityAuditReport. */
export const AUDIT_REPORT_FORMATS = ['JSON', 'CSV'] as const;

/** The parameters of one report: the resource properties, and the schedule rule's input. */
export interface AuditReportRequest {
  /** A Private CA ARN (`CERTIFICATE_AUTHORITY_ARN`). */
  readonly CertificateAuthorityArn: string;
  /** The bucket that receives the report. */
  readonly S3BucketName: string;
  /** One of `AUDIT_REPORT_FORMATS` (absent: JSON). */
  readonly AuditReportResponseFormat: (typeof AUDIT_REPORT_FORMATS)[number];
}
