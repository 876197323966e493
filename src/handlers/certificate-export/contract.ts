import { WireBoolean } from '../shared/wire';

/**
 * The wire contract of `Custom::CdkPkiCertificateExport` between the `CertificateExport` construct and
 * its handler: the resource properties, the input of the stack's shared renewal and reconcile rules,
 * the events those rules match, and the passphrase rules the generated passphrase follows. The
 * handler reads and converts what travels in one place (`readProperties` in `logic.ts`).
 *
 * This module imports no aws-cdk-lib: the handler bundle includes it.
 */

/**
 * The key of the rule input that holds the exports of the rule's batch: a rule's input is
 * `{ [RENEWAL_EVENT_KEY]: RuleExportEntry[], event: ForwardedEvent }`.
 */
export const RENEWAL_EVENT_KEY = 'cdkPkiCertificateExport';

/** ACM's event for an issued, renewed, imported or reimported certificate. */
export const ACM_AVAILABLE_DETAIL_TYPE = 'ACM Certificate Available';
/** The AWS Health event ACM writes each time it attempts a renewal. */
export const HEALTH_DETAIL_TYPE = 'AWS Health Event';
/** The Health event type code of an ACM renewal. */
export const HEALTH_RENEWAL_CODE = 'AWS_ACM_RENEWAL_STATE_CHANGE';
/** The detail type of the events of an EventBridge schedule (the reconcile rules). */
export const SCHEDULED_DETAIL_TYPE = 'Scheduled Event';

/** What ExportCertificate accepts as a passphrase: 4 to 128 ASCII characters other than `#`, `$` and `%`. */
export const PASSPHRASE_MIN_LENGTH = 4;
export const PASSPHRASE_MAX_LENGTH = 128;
/** The ASCII characters ACM refuses in a passphrase. */
export const PASSPHRASE_FORBIDDEN = '#$%';

/** The resource properties of one export, as the construct writes them and CloudFormation passes them. */
export interface CertificateExportResourceProperties {
  readonly CertificateArn: string;
  /** The export secret. */
  readonly SecretArn: string;
  readonly PassphraseSecretArn: string;
  readonly StoreDecryptedKey: WireBoolean;
  /** Left out without a topic. */
  readonly TopicArn?: string;
  /** Left out without a renewal token; a new value forces a renewal. */
  readonly RenewalToken?: string;
}

/** One export in a rule's input: its resource properties without the renewal token (an event never forces a renewal). */
export type RuleExportEntry = Omit<CertificateExportResourceProperties, 'RenewalToken'>;

/** The fields of the matched event that a rule's input transformer passes on. */
export const FORWARDED_EVENT_FIELDS = ['source', 'detail-type', 'resources', 'detail'] as const;

/** The part of an EventBridge event the rule passes on. */
export interface ForwardedEvent {
  readonly 'source'?: string;
  readonly 'detail-type'?: string;
  readonly 'resources'?: string[];
  readonly 'detail'?: Record<string, unknown>;
}
