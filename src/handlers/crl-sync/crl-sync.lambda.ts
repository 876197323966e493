import {
  AddTrustStoreRevocationsCommand,
  DescribeTrustStoreRevocationsCommand,
  ElasticLoadBalancingV2Client,
  RemoveTrustStoreRevocationsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeleteCrlCommand, ImportCrlCommand, ListCrlsCommand, RolesAnywhereClient, UpdateCrlCommand } from '@aws-sdk/client-rolesanywhere';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CRL_SYNC_TAG_KEY, CrlSyncRequest, derCrlKey, pemCrlKey, rolesAnywhereCrlName } from './contract';
import {
  caIdOf, CrlTooLargeError, derToPem, GONE_ERRORS, isDerCrl, limitOf, mergeState, MISSING_OBJECT_ERRORS, notDerMessage, parseState,
  pickCrl, planSync, RETRYABLE_ERRORS, sameCrl, sha256Hex, staleRevocations, stateKey, TrustStoreSyncState,
} from './logic';
import { withShortReason } from '../shared/reason';
import { callFailure, errorName, invocationRetries, InvocationRetry, LambdaDeadline, RetryOptions, retryingClient, SINGLE_ATTEMPT } from '../shared/retry';

/**
 * The CRL sync: reads a Private CA's DER CRL from its bucket, converts it to PEM, and imports it
 * into an IAM Roles Anywhere trust anchor (ImportCrl the first time, UpdateCrl after) or adds it to
 * an ELB trust store (AddTrustStoreRevocations, then RemoveTrustStoreRevocations of what it added
 * before). Invoked by `Custom::CdkPkiCrlSync` (deploy time, behind the Provider framework), by the
 * CA's CRL Generation events and by a daily schedule. An unchanged CRL is skipped; a CA that has not
 * written a CRL yet is logged and skipped.
 *
 * Clients are created once per container; tests pass their own to `createCrlSyncHandler`.
 */

/** What the handler needs from outside. */
export interface CrlSyncHandlerDeps {
  readonly s3: S3Client;
  readonly rolesAnywhere: RolesAnywhereClient;
  readonly elb: ElasticLoadBalancingV2Client;
  /** Overrides of the retry behaviour (tests shorten the delays). */
  readonly retry?: Omit<RetryOptions, 'retryOn'>;
  readonly log?: (line: string) => void;
}

/** What one sync did. */
export type SyncResult = 'imported' | 'updated' | 'added' | 'unchanged' | 'no-crl-yet';

/** What the handler returns (the Provider framework reads PhysicalResourceId and Data). */
export interface CrlSyncResponse {
  readonly PhysicalResourceId?: string;
  readonly Data?: { readonly Result: string };
  readonly Result?: string;
}

/** Builds a handler around the given clients. */
export function createCrlSyncHandler(deps: CrlSyncHandlerDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));

  return (event: unknown, context?: LambdaDeadline): Promise<CrlSyncResponse> => withShortReason(() => handle(event, context), log);

  async function handle(event: unknown, context?: LambdaDeadline): Promise<CrlSyncResponse> {
    const retry = invocationRetries(log, RETRYABLE_ERRORS, context, deps.retry);
    const s3 = retryingClient(deps.s3, retry);
    const ra = retryingClient(deps.rolesAnywhere, retry);
    const elb = retryingClient(deps.elb, retry);
    const plan = planSync(event);
    if (plan.action === 'none') {
      log(JSON.stringify({ message: 'nothing to remove', reason: plan.reason }));
      return { PhysicalResourceId: plan.physicalResourceId };
    }
    const request = plan.request;
    const target = request.TrustAnchorArn ?? request.TrustStoreArn;
    if (plan.action === 'remove') {
      log(JSON.stringify({ message: 'removing what the sync imported', certificateAuthorityArn: request.CertificateAuthorityArn, target }));
      if (request.TrustAnchorArn !== undefined) await removeFromTrustAnchor(request, request.TrustAnchorArn);
      else await removeFromTrustStore(request, request.TrustStoreArn!);
      return { PhysicalResourceId: plan.physicalResourceId };
    }

    log(JSON.stringify({ message: 'syncing CRL', trigger: plan.trigger, certificateAuthorityArn: request.CertificateAuthorityArn, target }));
    const result = await sync(request);
    log(JSON.stringify({ message: 'CRL sync done', result, certificateAuthorityArn: request.CertificateAuthorityArn, target }));
    return plan.trigger === 'deploy' ? { PhysicalResourceId: plan.physicalResourceId, Data: { Result: result } } : { Result: result };

    async function sync(r: CrlSyncRequest): Promise<SyncResult> {
      const caId = caIdOf(r.CertificateAuthorityArn);
      const key = derCrlKey(caId);
      const der = await readObject(r.BucketName, key);
      if (der === undefined) {
        log(JSON.stringify({ message: 'the CA has not written a CRL yet; nothing to sync', bucket: r.BucketName, key }));
        return 'no-crl-yet';
      }
      if (!isDerCrl(der)) throw new Error(notDerMessage(r, key, der.length));
      const pem = derToPem(der);
      const size = Buffer.byteLength(pem, 'utf8');
      if (size > limitOf(r).bytes) throw new CrlTooLargeError(r, size);
      return r.TrustAnchorArn !== undefined
        ? syncTrustAnchor(r.TrustAnchorArn, rolesAnywhereCrlName(caId), pem, der)
        : syncTrustStore(r, r.TrustStoreArn!, caId, pem, der);
    }

    async function readObject(bucket: string, key: string): Promise<Uint8Array | undefined> {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await out.Body!.transformToByteArray();
      } catch (err) {
        if (MISSING_OBJECT_ERRORS.includes(errorName(err) ?? '')) return undefined;
        throw err;
      }
    }

    // ---- IAM Roles Anywhere ----

    async function listCrls() {
      const all = [];
      let nextToken: string | undefined;
      do {
        const page = await ra.send(new ListCrlsCommand({ nextToken, pageSize: 100 }));
        all.push(...(page.crls ?? []));
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      return all;
    }

    /** The sync's CRL of the anchor, after deleting duplicates (a concurrent run's or a lost answer's import). */
    async function ourCrl(anchor: string, name: string) {
      const { keep, extra } = pickCrl(await listCrls(), anchor, name);
      for (const crl of extra) {
        log(JSON.stringify({ message: 'deleting a duplicate CRL', crlId: crl.crlId }));
        await ignoreGone(() => ra.send(new DeleteCrlCommand({ crlId: crl.crlId })));
      }
      return keep;
    }

    async function syncTrustAnchor(anchor: string, name: string, pem: string, der: Uint8Array): Promise<SyncResult> {
      let crl = await ourCrl(anchor, name);
      const data = Buffer.from(pem, 'utf8');
      let outcome: SyncResult = 'updated';
      if (crl === undefined) {
        const tags = [{ key: CRL_SYNC_TAG_KEY, value: name }];
        await ra.send(new ImportCrlCommand({ name, crlData: data, enabled: true, trustAnchorArn: anchor, tags }));
        crl = await ourCrl(anchor, name);
        outcome = 'imported';
      }
      if (crl === undefined) throw new Error(`ImportCrl for ${anchor} succeeded but ListCrls does not show the CRL ${name}; the next run imports it again`);
      if (sameCrl(crl.crlData, pem, der)) return outcome === 'imported' ? outcome : 'unchanged';
      await ra.send(new UpdateCrlCommand({ crlId: crl.crlId, crlData: data }));
      if (crl.enabled === false) {
        log(JSON.stringify({ message: 'the CRL is disabled in Roles Anywhere; it was updated but stays disabled', crlId: crl.crlId }));
      }
      return outcome;
    }

    async function removeFromTrustAnchor(r: CrlSyncRequest, anchor: string): Promise<void> {
      const name = rolesAnywhereCrlName(caIdOf(r.CertificateAuthorityArn));
      const { keep, extra } = pickCrl(await listCrls(), anchor, name);
      for (const crl of [...(keep ? [keep] : []), ...extra]) {
        await ignoreGone(() => ra.send(new DeleteCrlCommand({ crlId: crl.crlId })));
      }
    }

    // ---- ELB trust stores ----

    async function revocationIds(store: string): Promise<Set<number>> {
      const ids = new Set<number>();
      let marker: string | undefined;
      do {
        const page = await elb.send(new DescribeTrustStoreRevocationsCommand({ TrustStoreArn: store, Marker: marker }));
        for (const rev of page.TrustStoreRevocations ?? []) if (rev.RevocationId !== undefined) ids.add(rev.RevocationId);
        marker = page.NextMarker;
      } while (marker !== undefined);
      return ids;
    }

    async function readState(bucket: string, key: string): Promise<{ state: TrustStoreSyncState; etag?: string }> {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return { state: parseState(await out.Body!.transformToString()), etag: out.ETag };
      } catch (err) {
        if (MISSING_OBJECT_ERRORS.includes(errorName(err) ?? '')) return { state: parseState(undefined) };
        throw err;
      }
    }

    /**
     * Writes the state only if nobody else wrote it since it was read (S3 conditional write); on a
     * conflict, merges with the other run's state and tries again. Returns what was written.
     */
    async function writeState(bucket: string, key: string, read: { state: TrustStoreSyncState; etag?: string },
      next: (stored: TrustStoreSyncState) => TrustStoreSyncState): Promise<TrustStoreSyncState> {
      let current = read;
      for (let attempt = 1; ; attempt++) {
        const state = next(current.state);
        try {
          await s3.send(new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: JSON.stringify(state),
            ContentType: 'application/json',
            ...(current.etag === undefined ? { IfNoneMatch: '*' } : { IfMatch: current.etag }),
          }));
          return state;
        } catch (err) {
          if (!['PreconditionFailed', 'ConditionalRequestConflict'].includes(errorName(err) ?? '') || attempt >= 5) throw err;
          current = await readState(bucket, key);
        }
      }
    }

    async function syncTrustStore(r: CrlSyncRequest, store: string, caId: string, pem: string, der: Uint8Array): Promise<SyncResult> {
      const key = stateKey(caId, store);
      const sha256 = sha256Hex(der);
      const read = await readState(r.BucketName, key);
      const before = await revocationIds(store);
      if (read.state.sha256 === sha256 && read.state.current !== undefined && before.has(read.state.current)) {
        await removeStale(r, store, key, read);
        return 'unchanged';
      }
      const put = await s3.send(new PutObjectCommand({
        Bucket: r.BucketName, Key: pemCrlKey(caId), Body: pem, ContentType: 'application/x-pem-file',
      }));
      let retried = false;
      const added = await addRevocation(retry, () => deps.elb.send(new AddTrustStoreRevocationsCommand({
        TrustStoreArn: store,
        RevocationContents: [{ S3Bucket: r.BucketName, S3Key: pemCrlKey(caId), S3ObjectVersion: put.VersionId, RevocationType: 'CRL' }],
      })), () => { retried = true; });
      const id = added.TrustStoreRevocations?.[0]?.RevocationId;
      if (id === undefined) throw new Error(`AddTrustStoreRevocations on ${store} returned no revocation ID`);
      // A retried call may have added the CRL already, its answer lost: such revocations are ours too.
      const orphans = retried ? [...await revocationIds(store)].filter((i) => !before.has(i) && i !== id) : [];
      const written = await writeState(r.BucketName, key, read, (stored) => mergeState(stored, sha256, id, orphans));
      await removeStale(r, store, key, { state: written });
      return 'added';
    }

    /** Removes every revocation the sync added except the current one, then forgets them. */
    async function removeStale(r: CrlSyncRequest, store: string, key: string, read: { state: TrustStoreSyncState; etag?: string }) {
      const stale = staleRevocations(read.state);
      if (stale.length === 0) return;
      for (const id of stale) {
        await ignoreGone(() => elb.send(new RemoveTrustStoreRevocationsCommand({ TrustStoreArn: store, RevocationIds: [id] })));
      }
      log(JSON.stringify({ message: 'removed the previous revocations', revocationIds: stale }));
      // Best effort: a conflict leaves them listed, and the next run's Remove finds them gone.
      try {
        const fresh = await readState(r.BucketName, key);
        await writeState(r.BucketName, key, fresh, (s) => ({ ...s, revocationIds: s.revocationIds.filter((i) => !stale.includes(i)) }));
      } catch (err) {
        log(JSON.stringify({ message: 'could not record the removal; the next run removes them again', error: errorName(err) }));
      }
    }

    async function removeFromTrustStore(r: CrlSyncRequest, store: string): Promise<void> {
      const key = stateKey(caIdOf(r.CertificateAuthorityArn), store);
      const read = await readState(r.BucketName, key);
      for (const id of read.state.revocationIds) {
        await ignoreGone(() => elb.send(new RemoveTrustStoreRevocationsCommand({ TrustStoreArn: store, RevocationIds: [id] })));
      }
      await writeState(r.BucketName, key, read, () => ({ revocationIds: [] }));
    }
  }
}

/**
 * AddTrustStoreRevocations through the retry layer (on the bare client: one layer only), telling the
 * caller when an attempt was repeated, since a lost answer may have added the CRL already.
 */
async function addRevocation<T>(retry: InvocationRetry, call: () => Promise<T>, onRetry: () => void): Promise<T> {
  try {
    return await retry('AddTrustStoreRevocations', call, onRetry);
  } catch (err) {
    throw callFailure('AddTrustStoreRevocations', err);
  }
}

/** Runs a delete, treating "already gone" (and a trust store that is gone) as done. */
async function ignoreGone(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (![...GONE_ERRORS, 'TrustStoreNotFoundException', 'TrustStoreNotFound'].includes(errorName(err) ?? '')) throw err;
  }
}

// The handler retries every call itself (invocationRetries): no SDK retries stacked on top.
const s3Client = new S3Client({ ...SINGLE_ATTEMPT });
const rolesAnywhereClient = new RolesAnywhereClient({ ...SINGLE_ATTEMPT });
const elbClient = new ElasticLoadBalancingV2Client({ ...SINGLE_ATTEMPT });

/** The Lambda entry point. */
export const handler = createCrlSyncHandler({ s3: s3Client, rolesAnywhere: rolesAnywhereClient, elb: elbClient });
