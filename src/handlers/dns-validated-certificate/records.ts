import type { CertificateDetail } from '@aws-sdk/client-acm';
import { addCreatedRecords, AcmLike, listTags, otherCertificates } from './acm';
import {
  createdRecordHashes,
  planCleanup,
  PlannedRecord,
  planRecords,
  RecordPlan,
  RETRYABLE_AFTER_REQUEST,
  RETRYABLE_ERRORS,
  sameRecord,
} from './logic';
import { CertificateProperties, normalizeName } from './properties';
import { deleteRecord, findRecord, Retry, RoleCredentials, Route53Like, StsLike, upsertRecords, zoneClients, ZoneAccess } from './route53';
import { regionOfArn } from '../../validation/arn-patterns';
import { FailureText } from '../shared/reason';
import { loggedRetries, RetryOptions } from '../shared/retry';

/**
 * The two record operations both handlers share: writing ACM's validation records into their
 * zones (remembering which ones this resource created) and removing them on Delete.
 */

/** What the handlers need from outside; tests pass clients for moto. */
export interface DnsValidatedCertificateDeps {
  /** The ACM client of a region. */
  readonly acm: (region: string) => AcmLike;
  /** A Route 53 client: with the handler's own credentials, or with an assumed role's. */
  readonly route53: (credentials?: RoleCredentials) => Route53Like;
  readonly sts: StsLike;
  /** The clock (tests move it past the validation deadline). @default the system clock */
  readonly now?: () => Date;
  /** Overrides of the retry behaviour for throttling (tests shorten the delays). */
  readonly retry?: Omit<RetryOptions, 'retryOn'>;
  /**
   * Retries of DeleteCertificate while the certificate is in use.
   * @default 12 attempts, 5 s doubling to at most 60 s (about 8 minutes of the Lambda's 15)
   */
  readonly inUseRetry?: Omit<RetryOptions, 'retryOn'>;
  readonly log?: (line: string) => void;
}

/** One invocation's helpers. */
export interface InvocationContext {
  readonly log: (line: string) => void;
  /** Retries throttling. */
  readonly retry: Retry;
  /** Retries throttling and ResourceNotFoundException (a certificate just requested). */
  readonly retryFresh: Retry;
  readonly zone: (access: ZoneAccess) => Promise<Route53Like>;
  readonly now: () => Date;
  /** Milliseconds the Lambda has left, when the handler got its context. */
  readonly remainingTimeMs?: () => number;
}

/** The part of the Lambda context the handlers read. */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

/**
 * Builds the helpers of one invocation (assumed roles are cached for this invocation only). Retries
 * cover throttling, 5xx and network errors (the SDK clients make one attempt each: see clients.ts),
 * with full jitter, and stop in time before the Lambda's deadline when a context is given.
 */
export function invocationContext(deps: DnsValidatedCertificateDeps, context?: LambdaContextLike): InvocationContext {
  const log = deps.log ?? ((line: string) => console.log(line));
  const options = { operation: 'an AWS API call of the DnsValidatedCertificate handler', ...deps.retry };
  const retry = loggedRetries(log, RETRYABLE_ERRORS, options, context);
  return {
    log,
    retry,
    retryFresh: loggedRetries(log, RETRYABLE_AFTER_REQUEST, options, context),
    zone: zoneClients({ route53: deps.route53, sts: deps.sts, retry, log }),
    now: deps.now ?? (() => new Date()),
    ...(context === undefined ? {} : { remainingTimeMs: () => context.getRemainingTimeInMillis() }),
  };
}

/** Logs the full text of a failure and returns the error to throw, whose message fits CloudFormation's Reason. */
export function failure(ctx: Pick<InvocationContext, 'log'>, text: FailureText): Error {
  ctx.log(JSON.stringify({ message: 'failed', reason: text.full }));
  return new Error(text.reason);
}

/** Plans the records of a described certificate; throws when a name has no zone. */
export function recordPlanOf(arn: string, detail: CertificateDetail, props: CertificateProperties): RecordPlan {
  const plan = planRecords(detail.DomainValidationOptions ?? [], props.Validation);
  if (plan.unmapped.length > 0) {
    throw new Error(`certificate ${arn}: no hosted zone for ${plan.unmapped.join(', ')} ` +
      `(Validation names ${props.Validation.map((v) => v.DomainName).join(', ')}): give a hosted zone for every name`);
  }
  return plan;
}

/**
 * Makes sure every validation record of the certificate is in its zone with ACM's value. Records
 * that are missing or differ are first noted in the certificate's ownership tags, then UPSERTed;
 * a record already there with the same value is left alone (and, if this resource did not write
 * it, never deleted by it). Returns the plan (with `pending` names when ACM has not published all
 * records yet) and the records written.
 */
export async function ensureValidationRecords(ctx: InvocationContext, acm: AcmLike, arn: string, detail: CertificateDetail,
  props: CertificateProperties): Promise<{ plan: RecordPlan; written: PlannedRecord[] }> {
  const plan = recordPlanOf(arn, detail, props);
  if (plan.pending.length > 0) {
    ctx.log(JSON.stringify({ message: 'validation records not published yet', certificateArn: arn, names: plan.pending }));
    return { plan, written: [] };
  }
  const missing: PlannedRecord[] = [];
  for (const record of plan.records) {
    const r53 = await ctx.zone(record);
    const found = await findRecord(r53, record.zoneId, record.name, record.type, ctx.retry);
    if (sameRecord(found, record)) {
      continue;
    }
    missing.push(record);
  }
  if (missing.length === 0) {
    return { plan, written: [] };
  }
  // Ownership first: a crash between tag and UPSERT leaves a hash without a record, which a Delete tolerates.
  await addCreatedRecords(acm, arn, missing.map((r) => r.hash), ctx.retryFresh);
  const batches = new Map<string, PlannedRecord[]>();
  for (const record of missing) {
    const key = `${record.zoneId}\n${record.roleArn ?? ''}\n${record.externalId ?? ''}`;
    batches.set(key, [...(batches.get(key) ?? []), record]);
  }
  for (const records of batches.values()) {
    const first = records[0];
    const changeId = await upsertRecords(await ctx.zone(first), first.zoneId, records, ctx.retry);
    ctx.log(JSON.stringify({
      message: 'validation records upserted',
      certificateArn: arn,
      hostedZoneId: first.zoneId,
      roleArn: first.roleArn,
      records: records.map((r) => r.name),
      changeId,
    }));
  }
  return { plan, written: missing };
}

/**
 * Removes the validation records this resource created and no other live certificate of the account
 * uses in any of `CleanupRegions`. A record kept because another certificate of the same stack uses it (an Update that replaced
 * the certificate) is handed over: its hash goes into that certificate's ownership tags, so the
 * last one deleted removes it.
 */
export async function cleanupValidationRecords(ctx: InvocationContext, acmOf: (region: string) => AcmLike, arn: string,
  detail: CertificateDetail, props: CertificateProperties, stackId: string): Promise<void> {
  const region = regionOfArn(arn) ?? '';
  const acm = acmOf(region);
  const { records } = planRecords(detail.DomainValidationOptions ?? [], props.Validation);
  const created = createdRecordHashes(await listTags(acm, arn, ctx.retry));
  if (records.length === 0 || ![...records].some((r) => created.has(r.hash))) {
    ctx.log(JSON.stringify({ message: 'no validation records created by this resource', certificateArn: arn }));
    return;
  }
  const names = [detail.DomainName ?? props.DomainName, ...(detail.SubjectAlternativeNames ?? [])];
  const regions = [...new Set([region, ...props.CleanupRegions])];
  const others = await otherCertificates(acmOf, regions, arn, names, ctx.retry, ctx.log);
  const usedByOthers = new Set(others.flatMap((o) => [...o.recordNames]));
  const plan = planCleanup(records, created, usedByOthers);

  for (const { record, reason } of plan.keep) {
    ctx.log(JSON.stringify({ message: 'validation record kept', certificateArn: arn, record: record.name, hostedZoneId: record.zoneId, reason }));
    if (!created.has(record.hash)) continue;
    for (const heir of others.filter((o) => o.stackId === stackId && o.recordNames.has(normalizeName(record.name)))) {
      await addCreatedRecords(acmOf(heir.region), heir.arn, [record.hash], ctx.retry);
      ctx.log(JSON.stringify({ message: 'validation record handed over', record: record.name, hostedZoneId: record.zoneId, to: heir.arn }));
    }
  }
  for (const record of plan.remove) {
    const r53 = await ctx.zone(record);
    const found = await findRecord(r53, record.zoneId, record.name, record.type, ctx.retry);
    if (found === undefined || !sameRecord(found, record)) {
      ctx.log(JSON.stringify({
        message: found === undefined ? 'validation record already gone' : 'validation record changed by someone else: kept',
        certificateArn: arn,
        record: record.name,
        hostedZoneId: record.zoneId,
      }));
      continue;
    }
    const outcome = await deleteRecord(r53, record.zoneId, found, ctx.retry);
    ctx.log(JSON.stringify({ message: `validation record ${outcome}`, certificateArn: arn, record: record.name, hostedZoneId: record.zoneId }));
  }
}
