import { WireBoolean } from '../shared/wire';

/**
 * The wire contract of `Custom::CdkPkiDnsValidatedCertificate` between the `DnsValidatedCertificate`
 * construct, which writes the resource properties, and its handlers, which read them
 * (`properties.ts` checks them and converts them in one place), and the tags they share.
 *
 * This module imports no aws-cdk-lib: the handler bundles include it.
 */

/** The tag-key prefix reserved for the handler: neither props nor `Tags.of()` may set keys starting with it. */
export const OWN_TAG_PREFIX = 'cdk-pki:';
/** Tag holding the CloudFormation stack ID of the certificate (the IAM conditions of the handler's role use it). */
export const STACK_ID_TAG = 'cdk-pki:stack-id';
/** Tag holding the logical ID of the custom resource. */
export const LOGICAL_ID_TAG = 'cdk-pki:logical-id';

/** The shortest `ValidationTimeoutSeconds`: ACM needs a minute or so even when all is well. */
export const MIN_VALIDATION_TIMEOUT_SECONDS = 60;
/**
 * The longest `ValidationTimeoutSeconds`, and the default. CloudFormation waits at most one hour for a
 * custom resource, and the handler fails with its own message at the deadline, so it must leave room
 * for the last poll and the framework's response: 55 minutes.
 */
export const MAX_VALIDATION_TIMEOUT_SECONDS = 55 * 60;

/** The most regions `CleanupRegions` may list. */
export const MAX_CLEANUP_REGIONS = 100;

/** The zone a validation record goes into. */
export interface ValidationEntry {
  readonly DomainName: string;
  readonly HostedZoneId: string;
  /** A role of the zone's account to assume. */
  readonly RoleArn?: string;
  /** The external ID the role's trust policy requires. */
  readonly ExternalId?: string;
}

/** An ACM tag. */
export interface Tag {
  readonly Key: string;
  readonly Value?: string;
}

/** The resource properties, as the construct writes them and CloudFormation passes them. */
export interface DnsValidatedCertificateResourceProperties {
  readonly DomainName: string;
  /** Left out when there are none. */
  readonly SubjectAlternativeNames?: string[];
  /** The region to request the certificate in. */
  readonly Region: string;
  /** One of `REQUESTABLE_KEY_ALGORITHMS`; left out for RSA_2048 unless given, so an absent one compares as RSA_2048. */
  readonly KeyAlgorithm?: string;
  /** Left out for ACM's default (logged). */
  readonly TransparencyLogging?: 'ENABLED' | 'DISABLED';
  readonly Export: 'ENABLED' | 'DISABLED';
  /** The `Name` tag and the user's tags (never `cdk-pki:` ones). */
  readonly Tags: Tag[];
  /** One entry per validation record: a wildcard and its apex share one. */
  readonly Validation: ValidationEntry[];
  readonly CleanupValidationRecords: WireBoolean;
  /**
   * The regions whose certificates may share the validation records (checked before one is removed),
   * when records are cleaned up. Resources written before this property existed send none: then only
   * the certificate's region.
   */
  readonly CleanupRegions?: string[];
  /** Whole seconds from `MIN_VALIDATION_TIMEOUT_SECONDS` to `MAX_VALIDATION_TIMEOUT_SECONDS`. */
  readonly ValidationTimeoutSeconds: string;
}
