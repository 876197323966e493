import { createPrivateKey } from 'crypto';

/**
 * Pure logic of the `Custom::CdkPkiCertificateExport` handler, which is invoked two ways:
 * by CloudFormation (through the Provider framework) and by the stack's shared EventBridge rules for
 * the renewal of exported certificates, whose input is `{ [RENEWAL_EVENT_KEY]: ExportProperties[],
 * event: { source, 'detail-type', resources, detail } }`: the exports of the rule's batch (ARNs and
 * options, never a secret value) and the fields of the event an input transformer keeps. The handler
 * re-exports only the exports whose certificate the event names.
 *
 * Nothing here logs, and nothing returned for logging holds a PEM block or the passphrase.
 */

/** The key of the EventBridge-invocation input that holds the properties of the rule's exports. */
export const RENEWAL_EVENT_KEY = 'cdkPkiCertificateExport';

/** ACM's event for an issued, renewed, imported or reimported certificate. */
export const ACM_AVAILABLE_DETAIL_TYPE = 'ACM Certificate Available';
/** The AWS Health event ACM writes each time it attempts a renewal. */
export const HEALTH_DETAIL_TYPE = 'AWS Health Event';
/** The Health event type code of an ACM renewal. */
export const HEALTH_RENEWAL_CODE = 'AWS_ACM_RENEWAL_STATE_CHANGE';

/** ACM and Secrets Manager errors worth retrying at once (throttling is the SDK's adaptive mode). */
export const RETRYABLE_ERRORS: readonly string[] = ['ThrottlingException', 'RequestInProgressException', 'InternalServiceError'];

/** What ExportCertificate accepts as a passphrase: 4 to 128 ASCII characters other than `#`, `$` and `%`. */
export const PASSPHRASE_MIN_LENGTH = 4;
export const PASSPHRASE_MAX_LENGTH = 128;
/** The ASCII characters ACM refuses in a passphrase. */
export const PASSPHRASE_FORBIDDEN = '#$%';

/** The properties of one export, as CloudFormation passes them (strings only). */
export interface ExportProperties {
  readonly CertificateArn: string;
  readonly SecretArn: string;
  readonly PassphraseSecretArn: string;
  readonly StoreDecryptedKey: boolean;
  readonly TopicArn?: string;
  readonly RenewalToken?: string;
}

/** The part of an EventBridge event the rule passes on. */
export interface ForwardedEvent {
  readonly 'source'?: string;
  readonly 'detail-type'?: string;
  readonly 'resources'?: string[];
  readonly 'detail'?: Record<string, unknown>;
}

/** What the handler does for one invocation. */
export type ExportPlan =
  | {
    /** A CloudFormation request: export one certificate into its secret. */
    readonly action: 'export';
    readonly trigger: 'Create' | 'Update';
    readonly props: ExportProperties;
    /** Force a renewal (RenewCertificate) before exporting: the renewal token changed. */
    readonly renew: boolean;
    readonly physicalResourceId?: string;
  }
  | {
    /** A renewal event: re-export each export of the rule's batch whose certificate the event names. */
    readonly action: 'reexport';
    readonly trigger: 'Renewal';
    readonly exports: readonly ExportProperties[];
  }
  | { readonly action: 'none'; readonly reason: string; readonly physicalResourceId?: string };

const CERT_ARN = /^arn:[\w-]+:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/;
const SECRET_ARN = /^arn:[\w-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;
const TOPIC_ARN = /^arn:[\w-]+:sns:[a-z0-9-]+:\d{12}:[\w-]+(\.fifo)?$/;

/** Reads and checks the export properties of an event. */
export function readProperties(raw: unknown): ExportProperties {
  const p = (raw ?? {}) as Record<string, unknown>;
  const str = (name: string, re: RegExp, what: string): string => {
    const v = p[name];
    if (typeof v !== 'string' || !re.test(v)) {
      throw new Error(`${name} ${JSON.stringify(v)} is not ${what}`);
    }
    return v;
  };
  const store = p.StoreDecryptedKey;
  if (store !== undefined && store !== true && store !== false && store !== 'true' && store !== 'false') {
    throw new Error(`StoreDecryptedKey ${JSON.stringify(store)} is not "true" or "false"`);
  }
  const topic = p.TopicArn === undefined || p.TopicArn === '' ? undefined : str('TopicArn', TOPIC_ARN, 'an SNS topic ARN');
  const token = p.RenewalToken === undefined || p.RenewalToken === '' ? undefined : String(p.RenewalToken);
  return {
    CertificateArn: str('CertificateArn', CERT_ARN, 'an ACM certificate ARN'),
    SecretArn: str('SecretArn', SECRET_ARN, 'a Secrets Manager secret ARN'),
    PassphraseSecretArn: str('PassphraseSecretArn', SECRET_ARN, 'a Secrets Manager secret ARN'),
    StoreDecryptedKey: store === true || store === 'true',
    ...(topic === undefined ? {} : { TopicArn: topic }),
    ...(token === undefined ? {} : { RenewalToken: token }),
  };
}

/**
 * Reads the exports of a renewal rule's input: a list of export properties (one object, the input of
 * the rules of earlier versions that had one rule per export, is read as a list of one). The
 * renewal token is dropped: a renewal event never forces a renewal.
 */
export function readRuleExports(raw: unknown): ExportProperties[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) {
    throw new Error(`${RENEWAL_EVENT_KEY} holds no export`);
  }
  return list.map((entry, i) => {
    try {
      const p = readProperties(entry);
      return {
        CertificateArn: p.CertificateArn,
        SecretArn: p.SecretArn,
        PassphraseSecretArn: p.PassphraseSecretArn,
        StoreDecryptedKey: p.StoreDecryptedKey,
        ...(p.TopicArn === undefined ? {} : { TopicArn: p.TopicArn }),
      };
    } catch (err) {
      throw new Error(`${RENEWAL_EVENT_KEY}[${i}]: ${(err as Error).message}`);
    }
  });
}

/**
 * Whether an EventBridge event says that `certificateArn` was renewed: an ACM "Certificate Available"
 * event with `Action: RENEWAL`, or an AWS Health `AWS_ACM_RENEWAL_STATE_CHANGE` event, naming the
 * certificate in `resources`.
 */
export function isRenewalEventFor(event: ForwardedEvent | undefined, certificateArn: string): boolean {
  if (event === undefined || !Array.isArray(event.resources) || !event.resources.includes(certificateArn)) {
    return false;
  }
  const detail = event.detail ?? {};
  if (event.source === 'aws.acm') {
    return event['detail-type'] === ACM_AVAILABLE_DETAIL_TYPE && detail.Action === 'RENEWAL';
  }
  if (event.source === 'aws.health') {
    return event['detail-type'] === HEALTH_DETAIL_TYPE && detail.service === 'ACM' && detail.eventTypeCode === HEALTH_RENEWAL_CODE;
  }
  return false;
}

/** Classifies an invocation: a CloudFormation request, or an EventBridge renewal event for our certificate. */
export function planExport(event: unknown): ExportPlan {
  const e = (event ?? {}) as Record<string, any>;
  if (e[RENEWAL_EVENT_KEY] !== undefined) {
    const ruleExports = readRuleExports(e[RENEWAL_EVENT_KEY]);
    const forwarded = e.event as ForwardedEvent | undefined;
    const renewed = ruleExports.filter((props) => isRenewalEventFor(forwarded, props.CertificateArn));
    if (renewed.length === 0) {
      return { action: 'none', reason: 'not a renewal event for a certificate of this rule' };
    }
    return { action: 'reexport', trigger: 'Renewal', exports: renewed };
  }
  switch (e.RequestType) {
    case 'Create':
      return { action: 'export', trigger: 'Create', props: readProperties(e.ResourceProperties), renew: false };
    case 'Update': {
      const props = readProperties(e.ResourceProperties);
      const old = (e.OldResourceProperties ?? {}) as Record<string, unknown>;
      const renew = props.RenewalToken !== undefined && props.RenewalToken !== (old.RenewalToken ?? undefined);
      return { action: 'export', trigger: 'Update', props, renew, physicalResourceId: e.PhysicalResourceId };
    }
    case 'Delete':
      // Nothing to undo in ACM; CloudFormation deletes (or keeps) the secrets.
      return { action: 'none', reason: 'delete: nothing to undo in ACM', physicalResourceId: String(e.PhysicalResourceId) };
    default:
      throw new Error(`not a CloudFormation or renewal event (RequestType ${JSON.stringify(e.RequestType)})`);
  }
}

/** What may be logged about an invocation: no ResponseURL, no event body, no secret. */
export function describeInvocation(event: unknown): Record<string, unknown> {
  const e = (event ?? {}) as Record<string, any>;
  if (e[RENEWAL_EVENT_KEY] !== undefined) {
    const fwd = (e.event ?? {}) as ForwardedEvent;
    return { invocation: 'EventBridge', source: fwd.source, detailType: fwd['detail-type'], resources: fwd.resources };
  }
  return {
    invocation: 'CloudFormation',
    requestType: e.RequestType,
    logicalResourceId: e.LogicalResourceId,
    physicalResourceId: e.PhysicalResourceId,
    certificateArn: e.ResourceProperties?.CertificateArn,
  };
}

/** Problems with a passphrase for ExportCertificate; the messages never quote the passphrase. */
export function passphraseProblems(passphrase: string | undefined): string[] {
  if (passphrase === undefined || passphrase === '') {
    return ['the passphrase secret has no SecretString'];
  }
  const problems: string[] = [];
  if (passphrase.length < PASSPHRASE_MIN_LENGTH || passphrase.length > PASSPHRASE_MAX_LENGTH) {
    problems.push(`the passphrase is ${passphrase.length} characters long; ExportCertificate accepts ${PASSPHRASE_MIN_LENGTH} to ${PASSPHRASE_MAX_LENGTH}`);
  }
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(passphrase)) {
    problems.push('the passphrase holds non-ASCII characters; ExportCertificate accepts ASCII only');
  }
  if ([...PASSPHRASE_FORBIDDEN].some((c) => passphrase.includes(c))) {
    problems.push(`the passphrase holds one of ${[...PASSPHRASE_FORBIDDEN].join(' ')}, which ExportCertificate refuses`);
  }
  return problems;
}

/** What ExportCertificate returns. */
export interface ExportedMaterial {
  readonly Certificate?: string;
  readonly CertificateChain?: string;
  readonly PrivateKey?: string;
}

/** The JSON the export secret receives. */
export interface ExportSecretValue {
  readonly certificate: string;
  readonly certificateChain: string;
  readonly privateKey: string;
}

/**
 * Decrypts an encrypted PKCS #8 PEM key (a PEM block of type ENCRYPTED PRIVATE KEY) with the passphrase
 * and returns it as an unencrypted PKCS #8 PEM. The error never holds the key or the passphrase.
 */
export function decryptPrivateKey(encryptedPem: string, passphrase: string): string {
  try {
    return createPrivateKey({ key: encryptedPem, format: 'pem', passphrase }).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new Error(`cannot decrypt the exported private key with the passphrase (${typeof code === 'string' ? code : 'unknown error'})`);
  }
}

/** Builds the export secret's value; the key is decrypted only when `storeDecryptedKey` is set. */
export function buildSecretValue(material: ExportedMaterial, passphrase: string, storeDecryptedKey: boolean): ExportSecretValue {
  if (!material.Certificate || !material.PrivateKey) {
    throw new Error('ExportCertificate returned no certificate or no private key');
  }
  return {
    certificate: material.Certificate,
    certificateChain: material.CertificateChain ?? '',
    privateKey: storeDecryptedKey ? decryptPrivateKey(material.PrivateKey, passphrase) : material.PrivateKey,
  };
}

/** The SNS message about a new version: names and IDs only, never material. */
export function notificationMessage(props: ExportProperties, versionId: string, trigger: string): string {
  return JSON.stringify({
    message: 'A new version of the exported certificate is stored in Secrets Manager',
    certificateArn: props.CertificateArn,
    secretArn: props.SecretArn,
    versionId,
    trigger,
  });
}

/** The region of an ARN (its fourth field). */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3] ?? '';
}
