/**
 * The wire contract of `Custom::CdkPkiCaBundle` between the `CaCertificateBundle` construct and its
 * handler. The handler reads and checks the properties in one place (`readProperties` in `logic.ts`).
 *
 * This module imports nothing: the handler bundle includes it.
 */

/** The resource properties, as the construct writes them and CloudFormation passes them. */
export interface CaBundleResourceProperties {
  /** The Private CA whose certificate and chain are published. */
  readonly CertificateAuthorityArn: string;
  /** The bucket the bundle is written to. */
  readonly BucketName: string;
  /**
   * The account that must own the bucket (PutObject's `ExpectedBucketOwner`), so a bucket of the same
   * name in another account is never written to.
   */
  readonly BucketOwner?: string;
  /** The key prefix (ends with `/`); the key is `<prefix><CA id>-<digest>.pem`. */
  readonly KeyPrefix: string;
  /**
   * A value that changes whenever the CA's certificate changes (for the CAs of this library, their
   * activation's complete chain), so CloudFormation sends an Update and the bundle is published
   * again. The handler reads nothing from it.
   */
  readonly CaCertificateRevision?: string;
}

/** The attributes the handler returns in `Data` (`getAttString`). */
export interface CaBundleData {
  /** The bucket the bundle is in. */
  readonly Bucket: string;
  /** The bundle's key: content-addressed, so another CA certificate gives another key. */
  readonly Key: string;
  /** The object version PutObject returned; empty for a bucket without versioning. */
  readonly VersionId: string;
  /** How many certificates the bundle holds (the CA's own and its chain), as a string. */
  readonly CertificateCount: string;
  /** The SHA-256 of the bundle, hex. */
  readonly Sha256: string;
}

/** The key prefix the constructs use. */
export const CA_BUNDLE_KEY_PREFIX = 'ca-bundles/';
