import { ACMPCAClient, DescribeCertificateAuthorityCommand, GetCertificateAuthorityCertificateCommand } from '@aws-sdk/client-acm-pca';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CaExpiryTarget, METRIC_NAMESPACE } from './contract';
import {
  batches,
  CaExpiryResult,
  CaFacts,
  evaluateCa,
  failedCasMessage,
  metricData,
  METRICS_PER_CALL,
  outlivesMessage,
  planCheck,
  RETRYABLE_ERRORS,
  STATUSES_WITH_CERTIFICATE,
} from './logic';
import { limitReason, withShortReason } from '../shared/reason';
import { errorMessage, errorName, invocationRetries, LambdaDeadline, retryingClient, SINGLE_ATTEMPT } from '../shared/retry';

/**
 * The CA expiry check (`Custom::CdkPkiCaExpiryCheck` behind the CDK Provider framework, and a daily
 * EventBridge schedule): reads each monitored CA (DescribeCertificateAuthority,
 * GetCertificateAuthorityCertificate) and publishes `DaysToCaExpiry` and, for subordinates,
 * `CaOutlivesParent` to CloudWatch. One CA's failure does not stop the others; a scheduled run in which a
 * CA could not be read fails after publishing the rest (the Lambda's Errors metric), a deployment never
 * fails for it (the missing data alarms).
 *
 * The SDK clients are created once per container, with one attempt each: every call goes through the
 * invocation's retry layer. Tests pass their own clients to `createCaExpiryHandler`.
 */

/** What the Provider framework expects back. */
export interface CaExpiryResponse {
  readonly PhysicalResourceId: string;
  readonly Data: { readonly Checked: number; readonly NotActive: number; readonly Failed: number; readonly OutlivesParent: number };
}

/** What the handler needs from outside. */
export interface CaExpiryHandlerDeps {
  readonly pca: ACMPCAClient;
  readonly cloudwatch: CloudWatchClient;
  /** The clock. @default () => new Date() */
  readonly now?: () => Date;
  /** How to wait between retries (tests skip the waits). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
  /** Random numbers in [0, 1) for the full-jitter retry delays. @default Math.random */
  readonly random?: () => number;
}

/** Builds a handler around the given clients. */
export function createCaExpiryHandler(deps: CaExpiryHandlerDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());

  return (event: unknown, context?: LambdaDeadline): Promise<CaExpiryResponse> => withShortReason(() => handle(event, context), log);

  async function handle(event: unknown, context?: LambdaDeadline): Promise<CaExpiryResponse> {
    const plan = planCheck(event);
    if (plan.action === 'none') {
      log(JSON.stringify({ message: 'delete: the CA expiry metrics stop with the schedule', physicalResourceId: plan.physicalResourceId }));
      return { PhysicalResourceId: plan.physicalResourceId, Data: { Checked: 0, NotActive: 0, Failed: 0, OutlivesParent: 0 } };
    }
    const retry = invocationRetries(log, RETRYABLE_ERRORS, context, { random: deps.random, sleep: deps.sleep });
    const pca = retryingClient(deps.pca, retry);
    const cloudwatch = retryingClient(deps.cloudwatch, retry);
    const at = now();
    const targets = plan.request.CertificateAuthorities;

    const results: CaExpiryResult[] = [];
    const failures: Array<{ arn: string; reason: string }> = [];
    for (const target of targets) {
      try {
        const result = evaluateCa(await readCa(pca, target), at);
        results.push(result);
        logResult(result);
      } catch (err) {
        // The retry layer's errors name the call and the AWS error (callFailure, RetriesExhaustedError).
        const reason = limitReason(errorMessage(err), 400);
        failures.push({ arn: target.CertificateAuthorityArn, reason });
        log(JSON.stringify({ message: 'could not check the CA', certificateAuthorityArn: target.CertificateAuthorityArn, error: reason }));
      }
    }

    const data = metricData(results, at);
    let publishError: unknown;
    try {
      for (const batch of batches(data, METRICS_PER_CALL)) {
        await cloudwatch.send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData: batch }));
      }
    } catch (err) {
      publishError = err;
    }
    const summary = {
      Checked: results.filter((r) => r.state === 'checked').length,
      NotActive: results.filter((r) => r.state === 'not-active').length,
      Failed: failures.length,
      OutlivesParent: results.filter((r) => r.outlivesParent === true).length,
    };
    log(JSON.stringify({
      message: 'CA expiry check done',
      trigger: plan.trigger,
      ...summary,
      metrics: publishError ? 0 : data.length,
      ...(publishError ? { publishError: `${errorName(publishError) ?? 'Error'}: ${limitReason(errorMessage(publishError), 400)}` } : {}),
    }));

    // A deployment never fails for monitoring: the alarms fire on the missing data. A scheduled run fails, so the
    // Lambda's Errors metric (and its alarm) records it.
    if (plan.trigger === 'Schedule') {
      if (publishError !== undefined) throw publishError;
      if (failures.length > 0) {
        const text = failedCasMessage(failures, targets.length);
        if (text.reason !== text.full) log(JSON.stringify({ message: 'failed CAs (full list)', error: text.full }));
        throw new Error(text.reason);
      }
    }
    return { PhysicalResourceId: plan.physicalResourceId ?? 'CdkPkiCaExpiryCheck', Data: summary };
  }

  async function readCa(pca: ACMPCAClient, target: CaExpiryTarget): Promise<CaFacts> {
    const arn = target.CertificateAuthorityArn;
    const ca = (await pca.send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: arn }))).CertificateAuthority;
    const status = ca?.Status ?? 'UNKNOWN';
    const facts: CaFacts = { target, status, type: ca?.Type, notAfter: ca?.NotAfter };
    if (!STATUSES_WITH_CERTIFICATE.includes(status)) return facts;
    try {
      const got = await pca.send(new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: arn }));
      return { ...facts, certificatePem: got.Certificate, chainPem: got.CertificateChain };
    } catch (err) {
      // A disabled or expired CA may refuse to hand out its certificate: Describe's NotAfter still tells its expiry.
      if (status !== 'ACTIVE' && errorName(err) === 'InvalidStateException') return facts;
      throw err;
    }
  }

  function logResult(r: CaExpiryResult): void {
    if (r.state === 'not-active') {
      log(JSON.stringify({
        message: `the CA is ${r.status}, without a certificate to check: no DaysToCaExpiry is published, so its alarm fires`,
        certificateAuthorityArn: r.certificateAuthorityArn,
        tier: r.tier,
        status: r.status,
        notes: r.notes,
      }));
      return;
    }
    log(JSON.stringify({
      message: 'CA checked',
      certificateAuthorityArn: r.certificateAuthorityArn,
      tier: r.tier,
      status: r.status,
      type: r.type,
      notAfter: r.notAfter,
      daysToExpiry: r.daysToExpiry,
      outlivesParent: r.outlivesParent,
      ...(r.notes.length ? { notes: r.notes } : {}),
    }));
    if (r.outlivesParent) {
      log(JSON.stringify({
        message: outlivesMessage(r),
        certificateAuthorityArn: r.certificateAuthorityArn,
        notAfter: r.notAfter,
        parentSubject: r.outlived!.subject,
        parentNotAfter: r.outlived!.notAfter,
        isParent: r.outlived!.isParent,
      }));
    }
  }
}

// The handler retries every call itself (invocationRetries): no SDK retries stacked on top.
const pcaClient = new ACMPCAClient({ ...SINGLE_ATTEMPT });
const cloudwatchClient = new CloudWatchClient({ ...SINGLE_ATTEMPT });

/** The Lambda entry point. */
export const handler = createCaExpiryHandler({ pca: pcaClient, cloudwatch: cloudwatchClient });
