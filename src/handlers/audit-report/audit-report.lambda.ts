import {
  ACMPCAClient,
  CreateCertificateAuthorityAuditReportCommand,
  DescribeCertificateAuthorityAuditReportCommand,
} from '@aws-sdk/client-acm-pca';
import { failedReportMessage, onTooSoon, planAuditReport, RETRYABLE_ERRORS, TOO_SOON_ERRORS, tooSoonMessage } from './logic';
import { limitReason, withShortReason } from '../shared/reason';
import { errorMessage, errorName, invocationRetries, isTransientError, LambdaDeadline, SINGLE_ATTEMPT, sleep } from '../shared/retry';

/**
 * `Custom::CdkPkiCaAuditReport` handler, behind the CDK Provider framework and on an EventBridge
 * schedule: creates a Private CA audit report (CreateCertificateAuthorityAuditReport) and waits a
 * little for it to finish, so a bucket Private CA cannot write to fails the deployment.
 *
 * The SDK client is created once per container; its endpoint follows the standard SDK settings
 * (`AWS_ENDPOINT_URL` included). Tests may pass their own client to `createAuditReportHandler`.
 */

/** What the Provider framework expects back. */
export interface AuditReportResponse {
  readonly PhysicalResourceId: string;
  readonly Data: { readonly AuditReportId: string; readonly S3Key: string };
}

/** What the handler needs from outside. */
export interface AuditReportHandlerDeps {
  readonly client: ACMPCAClient;
  /** How often to ask whether the report is done. @default 10 */
  readonly pollAttempts?: number;
  /** Time between those questions, also the first retry delay. @default 3000 */
  readonly pollIntervalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
  /** Random numbers in [0, 1) for the full-jitter retry delays (tests fix them). @default Math.random */
  readonly random?: () => number;
}

/** Builds a handler around the given client. */
export function createAuditReportHandler(deps: AuditReportHandlerDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));
  const wait = deps.sleep ?? sleep;
  const interval = deps.pollIntervalMs ?? 3000;

  return (event: unknown, context?: LambdaDeadline): Promise<AuditReportResponse> => withShortReason(() => handle(event, context), log);

  async function handle(event: unknown, context?: LambdaDeadline): Promise<AuditReportResponse> {
    // Private CA's own retryable errors and every transient one, with full jitter, until the Lambda's deadline.
    const retry = invocationRetries(log, RETRYABLE_ERRORS, context, { random: deps.random, sleep: wait, baseDelayMs: interval });
    const plan = planAuditReport(event);
    if (plan.action === 'none') {
      log(JSON.stringify({ message: 'delete: audit reports stay in their bucket', physicalResourceId: plan.physicalResourceId }));
      return { PhysicalResourceId: plan.physicalResourceId, Data: { AuditReportId: '', S3Key: '' } };
    }
    const { request, trigger } = plan;
    log(JSON.stringify({
      message: 'creating audit report',
      trigger,
      certificateAuthorityArn: request.CertificateAuthorityArn,
      bucket: request.S3BucketName,
      format: request.AuditReportResponseFormat,
    }));

    let created;
    // Set when an attempt failed in a way that may hide a report made anyway (a lost response): the next
    // attempt's "too soon" then most likely refers to that report.
    let retried = false;
    try {
      created = await retry(`CreateCertificateAuthorityAuditReport for ${request.CertificateAuthorityArn}`,
        () => deps.client.send(new CreateCertificateAuthorityAuditReportCommand(request)), () => { retried = true; });
    } catch (err) {
      const name = errorName(err) ?? '';
      if (!TOO_SOON_ERRORS.includes(name)) throw err;
      if (onTooSoon(trigger, retried) === 'fail') throw new Error(tooSoonMessage(request, `${name}: ${limitReason(errorMessage(err), 512)}`));
      log(JSON.stringify({ message: 'skipped: Private CA makes one report every 30 minutes per CA', trigger, error: name }));
      return { PhysicalResourceId: plan.physicalResourceId ?? request.CertificateAuthorityArn, Data: { AuditReportId: '', S3Key: '' } };
    }
    const reportId = created.AuditReportId ?? '';
    const s3Key = created.S3Key ?? '';

    let status: string | undefined;
    const attempts = deps.pollAttempts ?? 10;
    try {
      for (let attempt = 1; attempt <= attempts; attempt++) {
        status = (await retry(`DescribeCertificateAuthorityAuditReport ${reportId}`, () => deps.client.send(new DescribeCertificateAuthorityAuditReportCommand({
          CertificateAuthorityArn: request.CertificateAuthorityArn,
          AuditReportId: reportId,
        })))).AuditReportStatus;
        if (status !== 'CREATING' || attempt === attempts) break;
        await wait(interval);
      }
    } catch (err) {
      // The report was requested; waiting for it is a courtesy. Transient trouble while polling does not undo it.
      const cause = (err as { lastError?: string }).lastError;
      if (cause === undefined && !isTransientError(err)) throw err;
      log(JSON.stringify({ message: 'could not learn the report status; it was requested and is left to finish', auditReportId: reportId, error: cause ?? errorName(err) }));
      status = undefined;
    }
    if (status === 'FAILED') {
      throw new Error(failedReportMessage(request, reportId));
    }
    log(JSON.stringify({ message: 'audit report requested', trigger, auditReportId: reportId, s3Key, status }));
    return { PhysicalResourceId: reportId, Data: { AuditReportId: reportId, S3Key: s3Key } };
  }
}

// The handler retries every call itself (withRetries): no SDK retries stacked on top.
const client = new ACMPCAClient({ ...SINGLE_ATTEMPT });

/** The Lambda entry point. */
export const handler = createAuditReportHandler({ client });
