import { createHash } from 'crypto';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import {
  CrlSyncRequest,
  LOAD_BALANCER_CRL_MAX_BYTES,
  pemCrlKey,
  ROLES_ANYWHERE_CRL_MAX_BYTES,
  SYNC_EVENT_KEY,
} from './contract';
import { shortDigest } from '../shared/digest';
import { pemBlock } from '../shared/pem';

/**
 * The pure part of the CRL sync: what an invocation asks for, DER→PEM, the size limits, which
 * Roles Anywhere CRL is ours, and the state the ELB branch keeps of the revocations it added.
 */

/** Errors worth another attempt beyond the transient ones (throttling, 5xx, network). */
export const RETRYABLE_ERRORS: readonly string[] = ['ConflictException'];

/** Errors that mean "already gone" (a Delete of something another run removed). */
export const GONE_ERRORS: readonly string[] = ['ResourceNotFoundException', 'RevocationIdNotFound', 'RevocationIdNotFoundException', 'NotFound'];

/** The errors S3 gives for an object that is not there. */
export const MISSING_OBJECT_ERRORS: readonly string[] = ['NoSuchKey', 'NotFound'];

const CA_ARN = /^arn:[a-z-]+:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The CA's ID, from its ARN; throws on anything else. */
export function caIdOf(certificateAuthorityArn: string): string {
  const match = CA_ARN.exec(certificateAuthorityArn);
  if (match === null) {
    throw new Error(`CertificateAuthorityArn ${JSON.stringify(certificateAuthorityArn)} is not a Private CA ARN ` +
      '(arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>)');
  }
  return match[1];
}

/** Reads and checks a sync request (resource properties or a rule's input). */
export function readRequest(raw: unknown): CrlSyncRequest {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (name: string): string | undefined => {
    const v = r[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw new Error(`${name} must be a string, got ${typeof v}`);
    return v;
  };
  const ca = text('CertificateAuthorityArn');
  const bucket = text('BucketName');
  if (ca === undefined || bucket === undefined) throw new Error('the sync request needs CertificateAuthorityArn and BucketName');
  caIdOf(ca);
  const anchor = text('TrustAnchorArn');
  const store = text('TrustStoreArn');
  if ((anchor === undefined) === (store === undefined)) {
    throw new Error('the sync request needs exactly one of TrustAnchorArn and TrustStoreArn');
  }
  return { CertificateAuthorityArn: ca, BucketName: bucket, TrustAnchorArn: anchor, TrustStoreArn: store };
}

/** What one invocation does. */
export type SyncPlan =
  | { readonly action: 'sync'; readonly trigger: 'deploy' | 'event'; readonly request: CrlSyncRequest; readonly physicalResourceId?: string }
  | { readonly action: 'remove'; readonly request: CrlSyncRequest; readonly physicalResourceId: string }
  | { readonly action: 'none'; readonly physicalResourceId: string; readonly reason: string };

/** The physical ID of a sync resource: its target and CA (a new target or CA is a new resource). */
export function physicalIdOf(request: CrlSyncRequest): string {
  return `crl-sync:${request.TrustAnchorArn ?? request.TrustStoreArn}:${caIdOf(request.CertificateAuthorityArn)}`;
}

/** What to do for a custom-resource event or a rule's input. */
export function planSync(event: unknown): SyncPlan {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  if (SYNC_EVENT_KEY in e) {
    return { action: 'sync', trigger: 'event', request: readRequest(e[SYNC_EVENT_KEY]) };
  }
  const cfn = event as CloudFormationCustomResourceEvent;
  if (cfn.RequestType === 'Create' || cfn.RequestType === 'Update') {
    const request = readRequest(cfn.ResourceProperties);
    return { action: 'sync', trigger: 'deploy', request, physicalResourceId: physicalIdOf(request) };
  }
  if (cfn.RequestType === 'Delete') {
    let request: CrlSyncRequest;
    try {
      request = readRequest(cfn.ResourceProperties);
    } catch (err) {
      return { action: 'none', physicalResourceId: cfn.PhysicalResourceId, reason: `unreadable properties: ${(err as Error).message}` };
    }
    // A Create that failed before it synced anything has the Provider framework's placeholder ID.
    if (cfn.PhysicalResourceId !== physicalIdOf(request)) {
      return { action: 'none', physicalResourceId: cfn.PhysicalResourceId, reason: 'the resource never synced (failed create)' };
    }
    return { action: 'remove', request, physicalResourceId: cfn.PhysicalResourceId };
  }
  throw new Error(`unknown invocation: neither a CloudFormation event nor a ${SYNC_EVENT_KEY} rule input`);
}

/** The length of a DER element starting at `offset`: [header bytes, content bytes], or undefined when malformed. */
function derLength(bytes: Uint8Array, offset: number): [number, number] | undefined {
  if (offset + 2 > bytes.length) return undefined;
  const first = bytes[offset + 1];
  if (first < 0x80) return [2, first];
  const count = first - 0x80;
  // Indefinite lengths are not DER; more than 4 length bytes is more than any CRL.
  if (count === 0 || count > 4 || offset + 2 + count > bytes.length) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i];
  return [2 + count, length];
}

/**
 * Whether `bytes` look like a DER CRL: one SEQUENCE spanning the whole object, whose first element
 * (tbsCertList) is a SEQUENCE too. A sanity check, not a parser: it catches a PEM file, an empty or
 * truncated object, or something else in the CRL's place.
 */
export function isDerCrl(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x30) return false;
  const outer = derLength(bytes, 0);
  if (outer === undefined || outer[0] + outer[1] !== bytes.length) return false;
  const inner = outer[0];
  if (bytes[inner] !== 0x30) return false;
  const tbs = derLength(bytes, inner);
  return tbs !== undefined && inner + tbs[0] + tbs[1] <= bytes.length;
}

/** A DER CRL as PEM: `-----BEGIN X509 CRL-----`, base64 in lines of 64 characters, `-----END X509 CRL-----`, newline. */
export function derToPem(der: Uint8Array): string {
  return pemBlock('X509 CRL', der);
}

/** The hex SHA-256 of some bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The message of an object in the CRL's place that is not a DER CRL. */
export function notDerMessage(request: CrlSyncRequest, key: string, size: number): string {
  return `s3://${request.BucketName}/${key} (${size} bytes) is not a DER-encoded CRL, so the CRL of ${request.CertificateAuthorityArn} ` +
    'was not synced: Private CA writes DER there; make sure nothing else writes to that key.';
}

/** The limit of the request's target, in bytes of PEM, and its name. */
export function limitOf(request: CrlSyncRequest): { readonly bytes: number; readonly target: string } {
  return request.TrustAnchorArn !== undefined
    ? { bytes: ROLES_ANYWHERE_CRL_MAX_BYTES, target: 'IAM Roles Anywhere (ImportCrl/UpdateCrl crlData)' }
    : { bytes: LOAD_BALANCER_CRL_MAX_BYTES, target: 'an ELB trust store revocation file' };
}

/** Thrown when the PEM CRL is over the target's limit. */
export class CrlTooLargeError extends Error {
  constructor(request: CrlSyncRequest, size: number) {
    const limit = limitOf(request);
    super(`The CRL of ${request.CertificateAuthorityArn} is ${size} bytes as PEM, more than the ${limit.bytes} bytes ${limit.target} ` +
      `accepts, so ${request.TrustAnchorArn ?? request.TrustStoreArn} keeps its previous CRL. Private CA lists each revoked certificate ` +
      'until it expires: issue shorter-lived certificates, or spread issuance over more CAs, to keep the CRL under the limit.');
    this.name = 'CrlTooLargeError';
  }
}

/** A Roles Anywhere CRL as ListCrls describes it (the fields the sync reads). */
export interface RolesAnywhereCrl {
  readonly crlId?: string;
  readonly name?: string;
  readonly trustAnchorArn?: string;
  readonly crlData?: Uint8Array;
  readonly enabled?: boolean;
  readonly createdAt?: Date;
}

/**
 * The sync's CRLs of one trust anchor (by name): the one to keep (the oldest, then the smallest
 * ID, so concurrent runs agree) and the extra ones (left by a concurrent import or a lost answer),
 * to delete.
 */
export function pickCrl<C extends RolesAnywhereCrl>(crls: readonly C[], trustAnchorArn: string, name: string): { keep?: C; extra: C[] } {
  const ours = crls
    .filter((c) => c.trustAnchorArn === trustAnchorArn && c.name === name && c.crlId !== undefined)
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || (a.crlId! < b.crlId! ? -1 : a.crlId! > b.crlId! ? 1 : 0));
  return { keep: ours[0], extra: ours.slice(1) };
}

/** Whether a stored CRL already holds this CRL (Roles Anywhere may keep what it was sent, PEM, or DER). */
export function sameCrl(stored: Uint8Array | undefined, pem: string, der: Uint8Array): boolean {
  if (stored === undefined || stored.length === 0) return false;
  const digest = sha256Hex(stored);
  return digest === sha256Hex(pem) || digest === sha256Hex(der);
}

/** What the ELB branch remembers of one trust store: the CRL it last added, and the revocations it added and did not remove yet. */
export interface TrustStoreSyncState {
  /** The SHA-256 of the DER CRL last added. */
  readonly sha256?: string;
  /** The revocation of that CRL. */
  readonly current?: number;
  /** Every revocation the sync added and has not removed yet (`current` included). */
  readonly revocationIds: readonly number[];
}

/** The key of the state object of one trust store's sync, next to the PEM CRL. */
export function stateKey(caId: string, trustStoreArn: string): string {
  return `${pemCrlKey(caId).replace(/\.pem$/, '')}.${shortDigest(trustStoreArn, 16)}.json`;
}

/** Reads a state object; anything unreadable is an empty state (the sync then adds the CRL again). */
export function parseState(text: string | undefined): TrustStoreSyncState {
  if (text === undefined) return { revocationIds: [] };
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const ids = Array.isArray(raw.revocationIds) ? raw.revocationIds.filter((i): i is number => typeof i === 'number') : [];
    return {
      sha256: typeof raw.sha256 === 'string' ? raw.sha256 : undefined,
      current: typeof raw.current === 'number' ? raw.current : undefined,
      revocationIds: ids,
    };
  } catch {
    return { revocationIds: [] };
  }
}

/** The state after adding `current` (and finding `orphans`), merged with what another run wrote meanwhile. */
export function mergeState(stored: TrustStoreSyncState, sha256: string, current: number, orphans: readonly number[] = []): TrustStoreSyncState {
  const ids = [...new Set([...stored.revocationIds, ...(stored.current === undefined ? [] : [stored.current]), ...orphans, current])];
  return { sha256, current, revocationIds: ids };
}

/** The revocations to remove: every one the sync added except the current one. */
export function staleRevocations(state: TrustStoreSyncState): number[] {
  return state.revocationIds.filter((id) => id !== state.current);
}
