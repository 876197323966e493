import { ACMPCAClient, GetCertificateAuthorityCertificateCommand } from '@aws-sdk/client-acm-pca';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { CaBundleData } from './contract';
import { buildCaBundle, bundleKey, describeEvent, notActiveMessage, physicalIdOf, planCaBundle, RETRYABLE_ERRORS } from './logic';
import { limitReason, withShortReason } from '../shared/reason';
import { errorMessage, errorName, invocationRetries, LambdaDeadline, RetryOptions, SINGLE_ATTEMPT } from '../shared/retry';

/**
 * `Custom::CdkPkiCaBundle` handler, behind the CDK Provider framework: reads a Private CA's certificate and
 * chain (GetCertificateAuthorityCertificate), writes them as one PEM bundle to S3 (PutObject) under a
 * content-addressed key, and returns the bucket, key and version for a trust store. A Delete leaves the
 * object (see logic.ts).
 *
 * The SDK clients are created once per container; their endpoints follow the standard SDK settings
 * (`AWS_ENDPOINT_URL` included). Tests pass their own clients to `createCaBundleHandler`.
 */

/** What the Provider framework expects back. */
export interface CaBundleResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: CaBundleData;
}

/** What the handler needs from outside. */
export interface CaBundleHandlerDeps {
  readonly pca: ACMPCAClient;
  readonly s3: S3Client;
  /** Overrides of the retry behaviour (tests shorten the delays). */
  readonly retry?: Omit<RetryOptions, 'retryOn'>;
  readonly log?: (line: string) => void;
}

/** Builds a handler around the given clients. */
export function createCaBundleHandler(deps: CaBundleHandlerDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));

  return (event: CloudFormationCustomResourceEvent, context?: LambdaDeadline): Promise<CaBundleResponse> =>
    withShortReason(() => handle(event, context), log);

  async function handle(event: CloudFormationCustomResourceEvent, context?: LambdaDeadline): Promise<CaBundleResponse> {
    // Throttling, 5xx, network errors and lost responses are retried with full jitter until the Lambda's deadline:
    // both calls are idempotent (a repeated PutObject writes the same bytes to the same key).
    const retry = invocationRetries(log, RETRYABLE_ERRORS, context, deps.retry);
    const plan = planCaBundle(event);
    log(JSON.stringify({ message: 'event', action: plan.action, ...describeEvent(event) }));

    if (plan.action === 'none') {
      log(JSON.stringify({ message: 'nothing to delete', reason: plan.reason }));
      return { PhysicalResourceId: (event as { PhysicalResourceId: string }).PhysicalResourceId };
    }

    const { CertificateAuthorityArn: arn, BucketName: bucket, KeyPrefix: prefix, BucketOwner: owner } = plan.properties;
    let answer;
    try {
      answer = await retry(`GetCertificateAuthorityCertificate on ${arn}`,
        () => deps.pca.send(new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: arn })));
    } catch (err) {
      if (errorName(err) === 'InvalidStateException') {
        throw new Error(notActiveMessage(arn, `InvalidStateException: ${limitReason(errorMessage(err), 512)}`));
      }
      throw err;
    }
    const bundle = buildCaBundle(arn, answer.Certificate, answer.CertificateChain);
    const key = bundleKey(prefix, arn, bundle);
    const put = await retry(`PutObject s3://${bucket}/${key}`, () => deps.s3.send(new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: bundle.pem,
      ContentType: 'application/x-pem-file',
      ExpectedBucketOwner: owner,
    })));
    const data: CaBundleData = {
      Bucket: bucket,
      Key: key,
      VersionId: put.VersionId ?? '',
      CertificateCount: String(bundle.count),
      Sha256: bundle.sha256,
    };
    log(JSON.stringify({ message: 'bundle published', certificateAuthorityArn: arn, bucket, key, certificates: bundle.count }));
    return { PhysicalResourceId: physicalIdOf(bucket, key), Data: data };
  }
}

// The handler retries every call itself (invocationRetries): no SDK retries stacked on top.
const pca = new ACMPCAClient({ ...SINGLE_ATTEMPT });
const s3 = new S3Client({ ...SINGLE_ATTEMPT });

/** The Lambda entry point. */
export const handler = createCaBundleHandler({ pca, s3 });
