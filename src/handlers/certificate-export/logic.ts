import { createPrivateKey, X509Certificate } from 'crypto';
import {
  ACM_AVAILABLE_DETAIL_TYPE,
  ForwardedEvent,
  HEALTH_DETAIL_TYPE,
  HEALTH_RENEWAL_CODE,
  PASSPHRASE_FORBIDDEN,
  PASSPHRASE_MAX_LENGTH,
  PASSPHRASE_MIN_LENGTH,
  RENEWAL_EVENT_KEY,
  SCHEDULED_DETAIL_TYPE,
} from './contract';
import { CERTIFICATE_ARN } from '../../validation/arn-patterns';
import { shortDigest } from '../shared/digest';

/**
 * Pure logic of the `Custom::CdkPkiCertificateExport` handler, which is invoked two ways:
 * by CloudFormation (through the Provider framework) and by the stack's shared EventBridge rules for
 * the renewal of exported certificates, whose input is `{ [RENEWAL_EVENT_KEY]: RuleExportEntry[],
 * event: ForwardedEvent }` (see `contract.ts`): the exports of the rule's batch (ARNs and
 * options, never a secret value) and the fields of the event an input transformer keeps. The handler
 * re-exports only the exports whose certificate the event names.
 *
 * Nothing here logs, and nothing returned for logging holds a PEM block or the passphrase.
 */

/** ACM and Secrets Manager errors worth retrying at once (throttling is the SDK's adaptive mode). */
export const RETRYABLE_ERRORS: readonly string[] = ['ThrottlingException', 'RequestInProgressException', 'InternalServiceError'];

/**
 * The properties of one export, read from what travels (`CertificateExportResourceProperties` of
 * `contract.ts`), checked and converted.
 */
export interface ExportProperties {
  readonly CertificateArn: string;
  readonly SecretArn: string;
  readonly PassphraseSecretArn: string;
  readonly StoreDecryptedKey: boolean;
  readonly TopicArn?: string;
  readonly RenewalToken?: string;
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
    /**
     * A renewal event (re-export each export of the rule's batch whose certificate the event names)
     * or a reconcile run of the batch's schedule (every export of the batch). Either way an export
     * is written only when the certificate in ACM differs from the one its secret holds.
     */
    readonly action: 'reexport';
    readonly trigger: 'Renewal' | 'Reconcile';
    readonly exports: readonly ExportProperties[];
  }
  | { readonly action: 'none'; readonly reason: string; readonly physicalResourceId?: string };

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
  // A wire boolean: 'true' or 'false' (absent: 'false').
  const store = p.StoreDecryptedKey;
  if (store !== undefined && store !== 'true' && store !== 'false') {
    throw new Error(`StoreDecryptedKey ${JSON.stringify(store)} is not "true" or "false"`);
  }
  const topic = p.TopicArn === undefined || p.TopicArn === '' ? undefined : str('TopicArn', TOPIC_ARN, 'an SNS topic ARN');
  const token = p.RenewalToken === undefined || p.RenewalToken === '' ? undefined : stringField('RenewalToken', p.RenewalToken);
  return {
    CertificateArn: str('CertificateArn', CERTIFICATE_ARN, 'an ACM certificate ARN'),
    SecretArn: str('SecretArn', SECRET_ARN, 'a Secrets Manager secret ARN'),
    PassphraseSecretArn: str('PassphraseSecretArn', SECRET_ARN, 'a Secrets Manager secret ARN'),
    StoreDecryptedKey: store === 'true',
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
    if (forwarded?.source === 'aws.events' && forwarded['detail-type'] === SCHEDULED_DETAIL_TYPE) {
      return { action: 'reexport', trigger: 'Reconcile', exports: ruleExports };
    }
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
      return { action: 'none', reason: 'delete: nothing to undo in ACM', physicalResourceId: stringField('PhysicalResourceId', e.PhysicalResourceId) };
    default:
      throw new Error(`not a CloudFormation or renewal event (RequestType ${JSON.stringify(e.RequestType)})`);
  }
}

/** A field CloudFormation passes as a string (a number is accepted as its text); anything else is refused, naming the field. */
function stringField(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Error(`${name} ${String(JSON.stringify(value)).slice(0, 100)} is not a string`);
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

/** What identifies one issued certificate: its serial number (lower-case hex, no leading zeros) and its end of validity. */
export interface CertificateIdentity {
  readonly serial: string;
  /** NotAfter, to the second, as an ISO 8601 string. */
  readonly notAfter: string;
}

/** A serial number as lower-case hex without leading zeros (`0` for zero). */
function canonicalHex(hex: string): string {
  const trimmed = hex.toLowerCase().replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}

/** An instant to the second, as ACM and X.509 both keep it. */
export function toSecond(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}

/** The serial number and NotAfter of a PEM certificate; the error never holds the PEM. */
export function identityOfPem(pem: string): CertificateIdentity {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new Error('the exported certificate does not parse as an X.509 certificate');
  }
  return { serial: canonicalHex(cert.serialNumber), notAfter: toSecond(new Date(cert.validTo)) };
}

/**
 * The serial numbers an ACM `Serial` may stand for, as canonical hex. ACM writes the bytes in hex
 * separated by colons (`0f:33:...`). KNOWN MOTO GAP: moto writes the decimal integer, so a value
 * without colons is read both ways (a one-byte ACM serial without colon is the only overlap, and a
 * false match there would need the two readings to differ by exactly the other certificate's serial).
 */
export function acmSerialCandidates(serial: string | undefined): string[] {
  const s = (serial ?? '').trim().toLowerCase();
  if (s === '') return [];
  const candidates = new Set<string>();
  if (/^[0-9a-f]{1,2}(:[0-9a-f]{1,2})*$/.test(s)) candidates.add(canonicalHex(s.replace(/:/g, '')));
  if (/^\d+$/.test(s)) candidates.add(BigInt(s).toString(16));
  return [...candidates];
}

/**
 * Why the export secret must be written again, or `undefined` when the certificate it holds is the
 * one in ACM (same serial and NotAfter). `stored` is undefined when the secret holds no readable certificate.
 */
export function reexportReason(inAcm: { serial?: string; notAfter?: Date }, stored: CertificateIdentity | undefined): string | undefined {
  if (stored === undefined) return 'the secret holds no certificate yet';
  const serials = acmSerialCandidates(inAcm.serial);
  if (serials.length === 0 || inAcm.notAfter === undefined) return 'ACM reports no serial number or NotAfter';
  if (!serials.includes(stored.serial)) return 'the serial number in ACM differs from the stored one';
  if (toSecond(inAcm.notAfter) !== stored.notAfter) return 'the NotAfter in ACM differs from the stored one';
  return undefined;
}

/** The identity of the certificate an export secret's value holds, or `undefined` when it holds none. */
export function storedIdentity(secretString: string | undefined): CertificateIdentity | undefined {
  try {
    const value = JSON.parse(secretString ?? '') as Partial<ExportSecretValue>;
    return typeof value.certificate === 'string' ? identityOfPem(value.certificate) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The idempotency token of the secret version that holds one export of one certificate: the
 * `ClientRequestToken` (and so the `VersionId`) of PutSecretValue, derived from the certificate ARN,
 * its serial number and the stored key's form. A second event for the same serial, a retried call
 * or a concurrent invocation writes no second version. Shaped as a UUID (36 characters).
 */
export function versionToken(certificateArn: string, serial: string, storeDecryptedKey: boolean): string {
  const hex = shortDigest(`cdk-pki-export|${certificateArn}|${canonicalHex(serial)}|${storeDecryptedKey ? 'plain' : 'encrypted'}`, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** What to do with the version token given the secret's versions (`VersionIdsToStages` of DescribeSecret). */
export function planVersionWrite(token: string, versionStages: Record<string, string[] | undefined> | undefined): 'current' | 'promote' | 'put' {
  const stages = versionStages?.[token];
  if (stages === undefined) return 'put';
  return stages.includes('AWSCURRENT') ? 'current' : 'promote';
}
