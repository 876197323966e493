import { WireBoolean } from '../shared/wire';

/**
 * The wire contract of `Custom::CdkPkiImportedCertificate` between the `ImportedCertificate` construct
 * and its handler: the resource properties, the input of the reimport rules, the tags the handler
 * sets and the environment variable it reads. The handler reads what travels in one place
 * (`readProperties` and `readSource` in `logic.ts`).
 *
 * This module imports no aws-cdk-lib: the handler bundle includes it.
 */

/** The key of the input that the reimport rules (schedule or material change) send the handler. */
export const REIMPORT_EVENT_KEY = 'cdkPkiImportedCertificateReimport';

/** The tag on the ACM certificate recording the material version last imported. */
export const VERSION_TAG = 'cdk-pki:imported-version';

/**
 * The tag the handler sets when it imports a certificate: its value names the owning stack (the
 * handler's `OWNER_ENV` environment variable, the stack ID). The handler's IAM policy lets it
 * import over, tag and delete only certificates with this tag (`aws:ResourceTag`), and create only
 * certificates carrying it (`aws:RequestTag`).
 */
export const OWNER_TAG = 'cdk-pki:owner';

/** The tag that records which CloudFormation Create imported the certificate, so a re-delivered Create finds it. */
export const CREATE_REQUEST_TAG = 'cdk-pki:create-request';

/** The tags the handler sets itself: props may not set them, and the handler never removes them as user tags. */
export const HANDLER_TAGS: readonly string[] = [VERSION_TAG, OWNER_TAG, CREATE_REQUEST_TAG];

/** The environment variable of the handler holding the owner tag's value. */
export const OWNER_ENV = 'CDK_PKI_OWNER';

/** Where the material comes from: a JSON secret. */
export interface SecretSource {
  readonly Type: 'SecretsManager';
  /** The secret's full ARN when known. */
  readonly SecretArn: string;
  readonly CertificateField: string;
  readonly PrivateKeyField: string;
  readonly ChainField: string;
  /** `'true'` when the user named the chain field, so a missing field is an error. */
  readonly ChainRequired: WireBoolean;
}

/** Where the material comes from: SecureString parameters. */
export interface SsmSource {
  readonly Type: 'SSM';
  readonly CertificateParameter: string;
  readonly PrivateKeyParameter: string;
  /** Left out without a chain. */
  readonly ChainParameter?: string;
}

/** A material source (names and ARNs only, never material). */
export type MaterialSource = SecretSource | SsmSource;

/** A tag as ACM takes it. */
export interface AcmTag {
  readonly Key: string;
  readonly Value: string;
}

/** The resource properties, as the construct writes them and CloudFormation passes them. */
export interface ImportedCertificateProperties {
  readonly Source: MaterialSource;
  /** Any string (`''` when not given); a change forces a reimport. */
  readonly MaterialVersion: string;
  /** The `Name` tag and the user's tags, sorted by key (never the handler's own tags). */
  readonly Tags: AcmTag[];
  /** What the handler does with the certificate on Delete. */
  readonly RemovalPolicy: 'destroy' | 'retain';
}

/** The input of a reimport rule, under `REIMPORT_EVENT_KEY`. */
export interface ReimportInput {
  readonly CertificateArn: string;
  readonly Source: MaterialSource;
  /** What invoked the check, for the logs: `Change` or `Schedule`. */
  readonly Trigger: string;
}
