import { Lazy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { FORWARDED_EVENT_FIELDS, RENEWAL_EVENT_KEY, RuleExportEntry } from '../handlers/certificate-export/contract';

/**
 * Batching of the renewal rules that `CertificateExport`s share in a stack (internal).
 *
 * A rule's `resources` filter holds at most `CERTIFICATES_PER_RULE` certificate ARNs (EventBridge
 * limits an event pattern to 2,048 characters), and its input template, which carries the
 * properties of the batch's exports, at most `INPUT_TEMPLATE_MAX` characters once deployed
 * (CloudFormation's `InputTemplate` limit): a new batch starts when either would be exceeded.
 */

/** Certificate ARNs per rule, as in `CertificateMonitor`. */
export const CERTIFICATES_PER_RULE = 15;

/** The `InputTemplate` length limit of an EventBridge target (AWS::Events::Rule schema). */
export const INPUT_TEMPLATE_MAX = 8192;

/** Room kept for the template's fixed part (the forwarded event fields) and a margin. */
const FIXED_TEMPLATE_ROOM = 400;

/** Assumed deployed length of a value known only at deployment, by kind. */
const DEPLOYED_LENGTH = {
  /** arn:<partition>:acm:<region>:<account>:certificate/<uuid>, with the longest partition and region. */
  certificateArn: 110,
  /** arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-XXXXXX without the name. */
  secretArnWithoutName: 80,
  /** What CloudFormation appends to the logical ID in a name it generates for a secret (`-` and 12 characters). */
  generatedNameSuffix: 13,
  /** arn:<partition>:sns:<region>:<account>:<name up to 256>. */
  topicArn: 330,
} as const;

/** What is known of the names of an entry's secrets, whose ARNs are deploy-time values. */
export interface SecretNameHints {
  /** The export secret's name when given. */
  readonly secretName?: string;
  /** The export secret's logical ID (CloudFormation generates its name from it when none is given). */
  readonly secretLogicalId: string;
  /** The passphrase secret's logical ID. */
  readonly passphraseLogicalId: string;
}

/**
 * The largest length `entry` can have in the deployed input template: literal values count as
 * they are, deploy-time values by the longest value of their kind (a secret's ARN by its name:
 * the given one, or the one CloudFormation generates from the logical ID).
 */
export function estimateEntryLength(entry: RuleExportEntry, hints: SecretNameHints): number {
  const len = (value: string | undefined, deployed: number) =>
    value === undefined ? 0 : Token.isUnresolved(value) ? deployed : value.length;
  const generated = (logicalId: string) => Token.isUnresolved(logicalId) ? 255 : logicalId.length + DEPLOYED_LENGTH.generatedNameSuffix;
  const secretName = hints.secretName !== undefined && !Token.isUnresolved(hints.secretName)
    ? hints.secretName.length
    : hints.secretName !== undefined ? 512 : generated(hints.secretLogicalId);
  const keys = JSON.stringify(Object.fromEntries(Object.keys(entry).map((k) => [k, '']))).length;
  return keys
    + len(entry.CertificateArn, DEPLOYED_LENGTH.certificateArn)
    + len(entry.SecretArn, DEPLOYED_LENGTH.secretArnWithoutName + secretName)
    + len(entry.PassphraseSecretArn, DEPLOYED_LENGTH.secretArnWithoutName + generated(hints.passphraseLogicalId))
    + entry.StoreDecryptedKey.length
    + len(entry.TopicArn, DEPLOYED_LENGTH.topicArn);
}

/**
 * The exports and certificates of one pair of renewal rules. `accepts` says whether one more export
 * fits; `add` records it and returns whether its certificate is new to the batch.
 */
export class RuleBatch {
  public readonly entries: RuleExportEntry[] = [];
  private readonly certificates = new Set<string>();
  private readonly lengths: Array<() => number> = [];
  private length = FIXED_TEMPLATE_ROOM;

  constructor(private readonly stack: Stack) {}

  /** Whether the batch can take an export of this certificate with this deployed length. */
  public accepts(certificateArn: string, entryLength: number): boolean {
    const newCertificate = !this.certificates.has(this.key(certificateArn));
    if (newCertificate && this.certificates.size >= CERTIFICATES_PER_RULE) return false;
    return this.entries.length === 0 || this.length + entryLength + 1 <= INPUT_TEMPLATE_MAX;
  }

  /**
   * Adds the export; true when its certificate is not yet in the batch's `resources` filter.
   * `entryLength` estimates the entry again at synthesis (logical IDs may change until then).
   */
  public add(entry: RuleExportEntry, entryLength: () => number): boolean {
    this.entries.push(entry);
    this.lengths.push(entryLength);
    this.length += entryLength() + 1;
    const key = this.key(entry.CertificateArn);
    const isNew = !this.certificates.has(key);
    this.certificates.add(key);
    return isNew;
  }

  /** The largest deployed length of the input template, estimated with the current logical IDs. */
  public estimatedTemplateLength(): number {
    return this.lengths.reduce((sum, length) => sum + length() + 1, FIXED_TEMPLATE_ROOM);
  }

  /** The number of distinct certificates in the batch. */
  public get certificateCount(): number {
    return this.certificates.size;
  }

  private key(arn: string): string {
    return JSON.stringify(this.stack.resolve(arn));
  }
}

/**
 * The rule target's input: `{ [RENEWAL_EVENT_KEY]: <the batch's entries>, event: { source,
 * 'detail-type', resources, detail } }`, an input transformer whose template is rendered at
 * synthesis, once every export of the stack has joined its batch.
 */
export class BatchRuleInput extends events.RuleTargetInput {
  constructor(private readonly batch: RuleBatch) {
    super();
  }

  public bind(rule: events.IRule): events.RuleTargetInputProperties {
    const stack = Stack.of(rule);
    const event = `{${FORWARDED_EVENT_FIELDS.map((f) => `"${f}":<${f}>`).join(',')}}`;
    return {
      inputPathsMap: Object.fromEntries(FORWARDED_EVENT_FIELDS.map((f) => [f, `$.${f}`])),
      inputTemplate: Lazy.string({
        produce: () => `{"${RENEWAL_EVENT_KEY}":${stack.toJsonString(this.batch.entries)},"event":${event}}`,
      }),
    };
  }
}
