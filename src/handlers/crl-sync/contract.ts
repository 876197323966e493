/**
 * The wire contract of `Custom::CdkPkiCrlSync` between `syncCrlAsPem` (src/private-ca/crl-pem-sync.ts)
 * and its handler: the resource properties, which the CRL-generation and daily rules repeat as their
 * constant input, and the facts both sides share (object keys, names, size limits). The handler reads
 * and checks them in one place (`readRequest` in `logic.ts`).
 *
 * This module imports nothing: the handler bundle includes it.
 */

/** The key of the rules' constant input: `{ [SYNC_EVENT_KEY]: CrlSyncRequest }`. */
export const SYNC_EVENT_KEY = 'cdkPkiCrlSync';

/** The CloudFormation type of the deploy-time sync. */
export const CRL_SYNC_RESOURCE_TYPE = 'Custom::CdkPkiCrlSync';

/** Private CA's EventBridge detail type for a CRL it wrote. */
export const CRL_GENERATION_DETAIL_TYPE = 'ACM Private CA CRL Generation';

/** Where Private CA writes a CA's complete (non-partitioned) CRL in its bucket, DER-encoded. */
export function derCrlKey(caId: string): string {
  return `crl/${caId}.crl`;
}

/** Where the sync writes a CA's CRL as PEM for ELB trust stores. */
export function pemCrlKey(caId: string): string {
  return `pem/${caId}.crl.pem`;
}

/** The CRL name (and tag value) the sync gives a CRL it imports into IAM Roles Anywhere. */
export function rolesAnywhereCrlName(caId: string): string {
  return `cdk-pki-${caId}`;
}

/** The tag the sync puts on the Roles Anywhere CRLs it imports; its IAM policy only lets it change CRLs with this tag. */
export const CRL_SYNC_TAG_KEY = 'cdk-pki:crl-sync';

/** IAM Roles Anywhere's limit on `crlData` (ImportCrl/UpdateCrl), in bytes of the PEM text it is sent. */
export const ROLES_ANYWHERE_CRL_MAX_BYTES = 300_000;

/** The limit on an ELB trust store's revocation file, in bytes ([outside]: ALB quotas, "revocation file size", 50 MB). */
export const LOAD_BALANCER_CRL_MAX_BYTES = 50 * 1024 * 1024;

/** The parameters of one sync (one CA, one target): the resource properties and the rules' input. */
export interface CrlSyncRequest {
  /** The CA whose CRL is synced (`arn:...:acm-pca:...:certificate-authority/<CA id>`). */
  readonly CertificateAuthorityArn: string;
  /** The bucket the CA writes its CRL to (`crl/<CA id>.crl`). */
  readonly BucketName: string;
  /** An IAM Roles Anywhere trust anchor (exactly one of the two targets). */
  readonly TrustAnchorArn?: string;
  /** An ELB trust store (exactly one of the two targets). */
  readonly TrustStoreArn?: string;
}
