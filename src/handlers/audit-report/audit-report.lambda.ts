import {
  ACMPCAClient,
  CreateCertificateAuthorityAuditReportCommand,
  DescribeCertificateAuthorityAuditReportCommand,
} from '@aws-sdk/client-acm-pca';
import { failedReportMessage, onTooSoon, planAuditReport, RETRYABLE_ERRORS, TOO_SOON_ERRORS, tooSoonMessage } from './logic';
import { errorMessage, errorName, sleep, withRetries } from '../shared/retry';

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
}

/** Builds a handler around the given client. */
export function createAuditReportHandler(deps: AuditReportHandlerDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));
  const wait = deps.sleep ?? sleep;
  const interval = deps.pollIntervalMs ?? 3000;
  const retry = <T>(fn: () => Promise<T>) => withRetries(fn, { retryOn: RETRYABLE_ERRORS, sleep: wait, baseDelayMs: interval });

  return async (event: unknown): Promise<AuditReportResponse> => {
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
    try {
      created = await retry(() => deps.client.send(new CreateCertificateAuthorityAuditReportCommand(request)));
    } catch (err) {
      const name = errorName(err) ?? '';
      if (!TOO_SOON_ERRORS.includes(name)) throw err;
      if (onTooSoon(trigger) === 'fail') throw new Error(tooSoonMessage(request, `${name}: ${errorMessage(err)}`));
      log(JSON.stringify({ message: 'skipped: Private CA makes one report every 30 minutes per CA', trigger, error: name }));
      return { PhysicalResourceId: plan.physicalResourceId ?? request.CertificateAuthorityArn, Data: { AuditReportId: '', S3Key: '' } };
    }
    const reportId = created.AuditReportId ?? '';
    const s3Key = created.S3Key ?? '';

    let status: string | undefined;
    const attempts = deps.pollAttempts ?? 10;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      status = (await retry(() => deps.client.send(new DescribeCertificateAuthorityAuditReportCommand({
        CertificateAuthorityArn: request.CertificateAuthorityArn,
        AuditReportId: reportId,
      })))).AuditReportStatus;
      if (status !== 'CREATING' || attempt === attempts) break;
      await wait(interval);
    }
    if (status === 'FAILED') {
      throw new Error(failedReportMessage(request, reportId));
    }
    log(JSON.stringify({ message: 'audit report requested', trigger, auditReportId: reportId, s3Key, status }));
    return { PhysicalResourceId: reportId, Data: { AuditReportId: reportId, S3Key: s3Key } };
  };
}

const client = new ACMPCAClient({ retryMode: 'adaptive' });

/** The Lambda entry point. */
export const handler = createAuditReportHandler({ client });
