import {
  AddTagsToCertificateCommand,
  DeleteCertificateCommand,
  RemoveTagsFromCertificateCommand,
  UpdateCertificateOptionsCommand,
} from '@aws-sdk/client-acm';
import { AcmLike, describeCertificate, listTags, ownedBy, requestCertificate, RequestIdentity } from './acm';
import { runtimeDeps } from './clients';
import { describeInvocation, inUseMessage, notOwnedMessage, RETRYABLE_ERRORS } from './logic';
import { CertificateProperties, inPlaceChanges, readProperties, replacementReasons } from './properties';
import {
  cleanupValidationRecords,
  DnsValidatedCertificateDeps,
  ensureValidationRecords,
  failure,
  invocationContext,
  InvocationContext,
  LambdaContextLike,
} from './records';
import { isCertificateArn, regionOfArn } from '../../validation/arn-patterns';
import { errorName, loggedRetries } from '../shared/retry';

/**
 * onEvent handler of `Custom::CdkPkiDnsValidatedCertificate` (CDK Provider framework):
 * - Create requests the certificate (DNS validation) and returns its ARN at once; the isComplete
 *   handler writes the validation records and waits for issuance.
 * - Update requests a new certificate when a name, the region, the key algorithm or the export
 *   option changed (CloudFormation then deletes the old one); otherwise it applies tags, the CT
 *   logging preference and a changed zone mapping in place.
 * - Delete removes the validation records this resource created (when asked to) and the
 *   certificate, waiting while it is still in use.
 */

/** What the Provider framework gets back. */
export interface OnEventResponse {
  readonly PhysicalResourceId?: string;
  readonly Data?: { readonly CertificateArn: string };
}

/** ResourceInUseException retry defaults: 12 attempts, 5 s doubling up to 60 s (about 8 minutes). */
const IN_USE_RETRY = { attempts: 12, baseDelayMs: 5_000, maxDelayMs: 60_000 };

/** Builds the onEvent handler around the given clients. */
export function createDnsValidatedCertificateHandler(deps: DnsValidatedCertificateDeps) {
  return async (event: unknown, context?: LambdaContextLike): Promise<OnEventResponse> => {
    const ctx = invocationContext(deps, context);
    const e = (event ?? {}) as Record<string, any>;
    ctx.log(JSON.stringify({ message: 'invocation', ...describeInvocation(event) }));
    switch (e.RequestType) {
      case 'Create':
        return { PhysicalResourceId: await request(ctx, readProperties(e.ResourceProperties, e.LogicalResourceId), e as RequestIdentity) };
      case 'Update':
        return update(ctx, e);
      case 'Delete':
        return remove(ctx, e);
      default:
        throw new Error(`not a CloudFormation custom-resource event (RequestType ${JSON.stringify(e.RequestType)})`);
    }
  };

  async function request(ctx: InvocationContext, props: CertificateProperties, e: RequestIdentity): Promise<string> {
    const arn = await requestCertificate(deps.acm(props.Region), props, e, ctx.retry);
    ctx.log(JSON.stringify({ message: 'certificate requested', certificateArn: arn, domainName: props.DomainName, region: props.Region }));
    return arn;
  }

  async function update(ctx: InvocationContext, e: Record<string, any>): Promise<OnEventResponse> {
    const props = readProperties(e.ResourceProperties, e.LogicalResourceId);
    const reasons = replacementReasons(e.OldResourceProperties, e.ResourceProperties);
    const arn = e.PhysicalResourceId;
    if (reasons.length > 0 || !isCertificateArn(arn)) {
      ctx.log(JSON.stringify({ message: 'replacing the certificate', changed: reasons, oldCertificateArn: arn }));
      return { PhysicalResourceId: await request(ctx, props, e as RequestIdentity) };
    }
    const acm = deps.acm(regionOfArn(arn) ?? '');
    const tags = await listTags(acm, arn, ctx.retry);
    if (!ownedBy(tags, e.StackId, e.LogicalResourceId)) {
      throw new Error(notOwnedMessage(arn, e.StackId, e.LogicalResourceId, tags));
    }
    const changes = inPlaceChanges(e.OldResourceProperties, props);
    if (changes.removeTags.length > 0) {
      await ctx.retry(() => acm.send(new RemoveTagsFromCertificateCommand({ CertificateArn: arn, Tags: changes.removeTags })));
    }
    if (changes.addTags.length > 0) {
      await ctx.retry(() => acm.send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: changes.addTags })));
    }
    if (changes.transparencyLogging !== undefined) {
      await ctx.retry(() => acm.send(new UpdateCertificateOptionsCommand({
        CertificateArn: arn,
        Options: { CertificateTransparencyLoggingPreference: changes.transparencyLogging },
      })));
    }
    if (changes.validationChanged) {
      // Renewals validate through the records: put them into the zones now mapped.
      const detail = await describeCertificate(acm, arn, ctx.retry);
      await ensureValidationRecords(ctx, acm, arn, detail, props);
    }
    ctx.log(JSON.stringify({
      message: 'certificate updated in place',
      certificateArn: arn,
      tagsAdded: changes.addTags.map((t) => t.Key),
      tagsRemoved: changes.removeTags.map((t) => t.Key),
      transparencyLogging: changes.transparencyLogging,
      validationChanged: changes.validationChanged,
    }));
    return { PhysicalResourceId: arn, Data: { CertificateArn: arn } };
  }

  async function remove(ctx: InvocationContext, e: Record<string, any>): Promise<OnEventResponse> {
    const arn = e.PhysicalResourceId;
    if (!isCertificateArn(arn)) {
      ctx.log(JSON.stringify({ message: 'nothing to delete: the physical ID is no certificate (a failed Create)', physicalResourceId: arn }));
      return { PhysicalResourceId: arn };
    }
    const acm = deps.acm(regionOfArn(arn) ?? '');
    const tags = await unlessDeleted(ctx, arn, () => listTags(acm, arn, ctx.retry));
    if (tags === undefined) return { PhysicalResourceId: arn };
    if (!ownedBy(tags, e.StackId, e.LogicalResourceId)) {
      // Never delete what this resource did not create; the Delete itself succeeds (nothing of ours is left).
      ctx.log(JSON.stringify({ message: 'certificate not deleted', reason: notOwnedMessage(arn, e.StackId, e.LogicalResourceId, tags) }));
      return { PhysicalResourceId: arn };
    }
    let props: CertificateProperties | undefined;
    try {
      props = readProperties(e.ResourceProperties, e.LogicalResourceId);
    } catch (err) {
      ctx.log(JSON.stringify({ message: 'properties unreadable: no record clean-up', error: errorName(err) }));
    }
    if (props?.CleanupValidationRecords) {
      const detail = await unlessDeleted(ctx, arn, () => describeCertificate(acm, arn, ctx.retry));
      if (detail === undefined) return { PhysicalResourceId: arn };
      await cleanupValidationRecords(ctx, deps.acm, arn, detail, props, String(e.StackId));
    }
    await deleteCertificate(ctx, acm, arn);
    return { PhysicalResourceId: arn };
  }

  /** `call()`'s answer, or undefined (logged) when the certificate is already deleted: a Delete then has nothing left to do. */
  async function unlessDeleted<T>(ctx: InvocationContext, arn: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      if (errorName(err) !== 'ResourceNotFoundException') throw err;
      ctx.log(JSON.stringify({ message: 'certificate already deleted', certificateArn: arn }));
      return undefined;
    }
  }

  async function deleteCertificate(ctx: InvocationContext, acm: AcmLike, arn: string): Promise<void> {
    const retryInUse = loggedRetries(ctx.log, ['ResourceInUseException', ...RETRYABLE_ERRORS], {
      ...IN_USE_RETRY,
      // Still in use after the last attempt: the catch below explains what uses it.
      namedGiveUp: false,
      ...(ctx.remainingTimeMs === undefined ? {} : { remainingTimeMs: ctx.remainingTimeMs, operation: `DeleteCertificate of ${arn}` }),
      ...deps.inUseRetry,
    });
    try {
      await retryInUse(() => acm.send(new DeleteCertificateCommand({ CertificateArn: arn })));
      ctx.log(JSON.stringify({ message: 'certificate deleted', certificateArn: arn }));
    } catch (err) {
      const name = errorName(err);
      if (name === 'ResourceNotFoundException') {
        ctx.log(JSON.stringify({ message: 'certificate already deleted', certificateArn: arn }));
        return;
      }
      if (name === 'ResourceInUseException') {
        const detail = await describeCertificate(acm, arn, ctx.retry).catch(() => undefined);
        throw failure(ctx, inUseMessage(arn, detail?.InUseBy ?? []));
      }
      throw err;
    }
  }
}

/** The Lambda entry point, with the runtime's SDK clients. */
export const handler = createDnsValidatedCertificateHandler(runtimeDeps);
