import { ACMPCAClient, DeletePolicyCommand, GetPolicyCommand, PutPolicyCommand } from '@aws-sdk/client-acm-pca';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { accessDeniedMessage, describeEvent, GONE_ERRORS, planCaPolicy, policyOwners, RETRYABLE_ERRORS } from './logic';
import { isLibraryPolicy } from '../../validation/policy-text';
import { limitReason, withShortReason } from '../shared/reason';
import { errorMessage, errorName, invocationRetries, LambdaDeadline, RetryOptions, SINGLE_ATTEMPT } from '../shared/retry';

/**
 * `Custom::CdkPkiCaPolicy` handler, behind the CDK Provider framework: puts a resource-based policy
 * on a Private CA (PutPolicy) and removes it on Delete (DeletePolicy).
 *
 * The SDK client is created once per container; its endpoint follows the standard SDK settings
 * (`AWS_ENDPOINT_URL` included). Tests may pass their own client to `createCaPolicyHandler`.
 */

/** What the Provider framework expects back. */
export interface CaPolicyResponse {
  readonly PhysicalResourceId: string;
}

/** What the handler needs from outside. */
export interface CaPolicyHandlerDeps {
  readonly client: ACMPCAClient;
  /** Overrides of the retry behaviour (tests shorten the delays). */
  readonly retry?: Omit<RetryOptions, 'retryOn'>;
  readonly log?: (line: string) => void;
}

function isGone(err: unknown): boolean {
  return GONE_ERRORS.includes(errorName(err) ?? '');
}

/** Rethrows `err`, explaining an AccessDeniedException on a CA the handler's IAM no longer covers. */
function rethrowForDelete(err: unknown, arn: string): never {
  if (errorName(err) === 'AccessDeniedException') {
    throw new Error(accessDeniedMessage(arn, `AccessDeniedException: ${limitReason(errorMessage(err), 512)}`));
  }
  throw err;
}

/** Builds a handler around the given client. */
export function createCaPolicyHandler(deps: CaPolicyHandlerDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));

  return (event: CloudFormationCustomResourceEvent, context?: LambdaDeadline): Promise<CaPolicyResponse> =>
    withShortReason(() => handle(event, context), log);

  async function handle(event: CloudFormationCustomResourceEvent, context?: LambdaDeadline): Promise<CaPolicyResponse> {
    // Private CA's own retryable errors, and every transient one (throttling, 5xx, network, a lost response: PutPolicy
    // and DeletePolicy are idempotent), with full jitter, until the Lambda's deadline; then a named error.
    const retry = invocationRetries(log, RETRYABLE_ERRORS, context, deps.retry);
    const plan = planCaPolicy(event);
    log(JSON.stringify({ message: 'event', action: plan.action, ...describeEvent(event) }));

    if (plan.action === 'put') {
      await retry(`PutPolicy on ${plan.certificateAuthorityArn}`, () => deps.client.send(new PutPolicyCommand({ ResourceArn: plan.certificateAuthorityArn, Policy: plan.policy })));
      return { PhysicalResourceId: plan.certificateAuthorityArn };
    }

    const physicalId = (event as { PhysicalResourceId: string }).PhysicalResourceId;
    if (plan.action === 'none') {
      log(JSON.stringify({ message: 'nothing to delete', reason: plan.reason }));
      return { PhysicalResourceId: physicalId };
    }

    const arn = plan.certificateAuthorityArn;
    let current: string | undefined;
    try {
      current = (await retry(`GetPolicy on ${arn}`, () => deps.client.send(new GetPolicyCommand({ ResourceArn: arn })))).Policy;
    } catch (err) {
      if (!isGone(err)) rethrowForDelete(err, arn);
      log(JSON.stringify({ message: 'the CA or its policy is already gone', certificateAuthorityArn: arn }));
      return { PhysicalResourceId: physicalId };
    }
    if (!isLibraryPolicy(current)) {
      // Someone replaced our policy (for example a RAM share): deleting it would remove their grants.
      log(JSON.stringify({ message: 'the policy on the CA is not ours any more; leaving it in place', certificateAuthorityArn: arn }));
      return { PhysicalResourceId: physicalId };
    }
    const owners = policyOwners(current);
    if (owners.size > 0 && !owners.has(plan.owner)) {
      // A renamed or replaced CertificateAuthorityPolicy already put its policy (update phase) before this Delete
      // (cleanup phase): removing it would take the new resource's grants away.
      log(JSON.stringify({ message: 'the policy on the CA belongs to another resource now; leaving it in place', certificateAuthorityArn: arn }));
      return { PhysicalResourceId: physicalId };
    }
    try {
      await retry(`DeletePolicy on ${arn}`, () => deps.client.send(new DeletePolicyCommand({ ResourceArn: arn })));
    } catch (err) {
      if (!isGone(err)) rethrowForDelete(err, arn);
    }
    log(JSON.stringify({ message: 'policy deleted', certificateAuthorityArn: arn }));
    return { PhysicalResourceId: physicalId };
  }
}

// The handler retries every call itself (withRetries): no SDK retries stacked on top.
const client = new ACMPCAClient({ ...SINGLE_ATTEMPT });

/** The Lambda entry point. */
export const handler = createCaPolicyHandler({ client });
