import { describeCertificate } from './acm';
import { runtimeDeps } from './clients';
import { describeInvocation, FAILED_STATUSES, failureMessage, RETRYABLE_ERRORS, timedOut, timeoutMessage } from './logic';
import { CertificateProperties, readProperties, replacementReasons } from './properties';
import { DnsValidatedCertificateDeps, ensureValidationRecords, failure, invocationContext, InvocationContext, LambdaContextLike } from './records';
import { isCertificateArn, regionOfArn } from '../../validation/arn-patterns';
import { errorName, isRetryable } from '../shared/retry';

/**
 * isComplete handler of `Custom::CdkPkiDnsValidatedCertificate`, called every 30 seconds by the
 * Provider framework after onEvent. For a Create (or an Update that requested a new certificate)
 * it writes ACM's validation records into their zones (as soon as ACM publishes them) and reports
 * completion once the certificate is ISSUED; it fails with the names and records to check when
 * ACM gives up or when `ValidationTimeoutSeconds` have passed since the request.
 */

/** What the Provider framework gets back. */
export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: { readonly CertificateArn: string };
}

/** Builds the isComplete handler around the given clients. */
export function createDnsValidatedCertificateCompleteHandler(deps: DnsValidatedCertificateDeps) {
  return async (event: unknown, context?: LambdaContextLike): Promise<IsCompleteResponse> => {
    const ctx = invocationContext(deps, context);
    const e = (event ?? {}) as Record<string, any>;
    const arn = e.PhysicalResourceId;
    if (e.RequestType === 'Delete') {
      return { IsComplete: true };
    }
    if (e.RequestType === 'Update' && replacementReasons(e.OldResourceProperties, e.ResourceProperties).length === 0) {
      return { IsComplete: true, Data: { CertificateArn: arn } };
    }
    if (e.RequestType !== 'Create' && e.RequestType !== 'Update') {
      throw new Error(`not a CloudFormation custom-resource event (RequestType ${JSON.stringify(e.RequestType)})`);
    }
    if (!isCertificateArn(arn)) {
      throw new Error(`PhysicalResourceId ${JSON.stringify(arn)} is not an ACM certificate ARN`);
    }
    const props = readProperties(e.ResourceProperties, e.LogicalResourceId);
    try {
      return await poll(ctx, e, arn, props);
    } catch (err) {
      // Throttling, 5xx, network trouble or too little time left: not a verdict on the certificate.
      // The next poll tries again; the validation deadline and the Provider's total timeout still hold.
      if (errorName(err) === 'RetryDeadlineError' || errorName(err) === 'RetriesExhaustedError' || isRetryable(err, { retryOn: RETRYABLE_ERRORS, retryTransient: true })) {
        ctx.log(JSON.stringify({ message: 'transient error: not complete yet', certificateArn: arn, error: errorName(err) ?? (err as { code?: string }).code }));
        return { IsComplete: false };
      }
      throw err;
    }
  };

  async function poll(ctx: InvocationContext, e: Record<string, any>, arn: string, props: CertificateProperties): Promise<IsCompleteResponse> {
    const acm = deps.acm(regionOfArn(arn) ?? '');
    const detail = await describeCertificate(acm, arn, ctx.retryFresh);
    const status = detail.Status ?? 'UNKNOWN';
    const validations = detail.DomainValidationOptions ?? [];
    if (FAILED_STATUSES.includes(status)) {
      throw failure(ctx, failureMessage(arn, status, detail.FailureReason, validations));
    }
    const { plan, written } = await ensureValidationRecords(ctx, acm, arn, detail, props);
    ctx.log(JSON.stringify({
      message: 'poll',
      ...describeInvocation(e),
      certificateArn: arn,
      status,
      validation: validations.map((v) => ({ domainName: v.DomainName, status: v.ValidationStatus })),
      recordsWritten: written.length,
    }));
    if (status === 'ISSUED') {
      return { IsComplete: true, Data: { CertificateArn: arn } };
    }
    if (timedOut(detail.CreatedAt, props.ValidationTimeoutSeconds, ctx.now())) {
      throw failure(ctx, timeoutMessage(arn, props.ValidationTimeoutSeconds, validations, plan.records));
    }
    return { IsComplete: false };
  }
}

/** The Lambda entry point, with the runtime's SDK clients. */
export const handler = createDnsValidatedCertificateCompleteHandler(runtimeDeps);
