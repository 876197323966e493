import { ACMClient, DescribeCertificateCommand, ExportCertificateCommand, RenewCertificateCommand } from '@aws-sdk/client-acm';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  buildSecretValue,
  describeInvocation,
  ExportProperties,
  identityOfPem,
  notificationMessage,
  passphraseProblems,
  planExport,
  planVersionWrite,
  reexportReason,
  RETRYABLE_ERRORS,
  storedIdentity,
  versionToken,
} from './logic';
import { regionOfArn } from '../../validation/arn-patterns';
import { withShortReason } from '../shared/reason';
import { callFailure, errorMessage, errorName, invocationRetries, LambdaDeadline, RetryOptions, SINGLE_ATTEMPT } from '../shared/retry';

/**
 * `Custom::CdkPkiCertificateExport` handler, behind the CDK Provider framework and the target of
 * the stack's shared EventBridge rules for the renewal of exported certificates: reads the passphrase
 * secret, exports the certificate (acm:ExportCertificate) and stores `{certificate, certificateChain,
 * privateKey}` as a new version of the export secret (PutSecretValue). A renewal event re-exports
 * only the exports of the rule's batch whose certificate it names; a reconcile run (the batch's
 * schedule) checks every export of the batch.
 *
 * Idempotent per certificate serial: the version's `ClientRequestToken` is derived from the
 * certificate ARN and serial (`versionToken`), so duplicate events (ACM's and Health's for one
 * renewal), retries after a lost response and concurrent invocations write one version per serial.
 * Renewal events and reconcile runs first compare the serial and NotAfter in ACM with the stored
 * certificate, and export only on a mismatch.
 *
 * Secrets never leave Secrets Manager: the logs and the response hold ARNs and version IDs only.
 * SDK clients are created once per container; their endpoint follows the standard SDK settings
 * (`AWS_ENDPOINT_URL` included). Tests pass their own clients to `createCertificateExportHandler`.
 */

/** One secret version stored by an invocation. */
export interface StoredExport {
  readonly SecretArn: string;
  readonly VersionId: string;
  /** Whether this invocation wrote (or promoted) the version; absent in the custom resource's `Data`. */
  readonly Written?: boolean;
}

/**
 * What the Provider framework gets back (`PhysicalResourceId`, `Data`), or what an EventBridge
 * invocation returns (`Exports`: the secret versions stored for the renewed certificate).
 */
export interface CertificateExportResponse {
  readonly PhysicalResourceId?: string;
  readonly Data?: StoredExport;
  readonly Exports?: readonly StoredExport[];
}

/** What the handler needs from outside. */
export interface CertificateExportHandlerDeps {
  /** The ACM client for the certificate's region. */
  readonly acm: (region: string) => Pick<ACMClient, 'send'>;
  readonly secretsManager: Pick<SecretsManagerClient, 'send'>;
  /** Publishes a message (without secrets) to an SNS topic. */
  readonly publish?: (topicArn: string, message: string) => Promise<void>;
  /** Overrides of the retry behaviour (tests shorten the delays). */
  readonly retry?: Omit<RetryOptions, 'retryOn'>;
  readonly log?: (line: string) => void;
}

/** Builds a handler around the given clients. */
export function createCertificateExportHandler(deps: CertificateExportHandlerDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));

  // A failure reason over CloudFormation's 4,096-byte response is cut (the whole message is logged).
  return (event: unknown, context?: LambdaDeadline): Promise<CertificateExportResponse> =>
    withShortReason(() => invocation(context).handle(event), log);

  /** The helpers of one invocation: every SDK call retries transient errors until the Lambda's deadline. */
  function invocation(context?: LambdaDeadline) {
    const retry = invocationRetries(log, RETRYABLE_ERRORS, context, deps.retry);

    /** Runs an SDK call with retries; when it gives up, the error names the call, the resource and the AWS error. */
    const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
      try {
        return await retry(what, fn);
      } catch (err) {
        throw callFailure(what, err);
      }
    };

    /** The identity of the certificate in the secret's current version, or undefined when it holds none. */
    const storedCertificate = async (secretArn: string) => {
      try {
        const current = await retry(`GetSecretValue of ${secretArn}`, () => deps.secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn })));
        return { identity: storedIdentity(current.SecretString), versionId: current.VersionId ?? '' };
      } catch (err) {
        if (errorName(err) === 'ResourceNotFoundException' && /version|AWSCURRENT/i.test(errorMessage(err))) return { identity: undefined, versionId: '' };
        throw callFailure(`GetSecretValue of ${secretArn}`, err);
      }
    };

    /**
     * Stores the value as the version `token` of the secret: nothing when that version is already
     * current, a stage move when it exists but is not current, PutSecretValue otherwise. A concurrent
     * writer of the same token wins without a second version.
     */
    const storeVersion = async (secretArn: string, token: string, value: string): Promise<boolean> => {
      const stages = async () => (await call(`DescribeSecret of ${secretArn}`, () => deps.secretsManager.send(new DescribeSecretCommand({ SecretId: secretArn })))).VersionIdsToStages;
      const before = await stages();
      const plan = planVersionWrite(token, before);
      if (plan === 'current') return false;
      if (plan === 'promote') {
        const current = Object.entries(before ?? {}).find(([, s]) => s?.includes('AWSCURRENT'))?.[0];
        await call(`UpdateSecretVersionStage of ${secretArn}`, () => deps.secretsManager.send(new UpdateSecretVersionStageCommand({
          SecretId: secretArn, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: current,
        })));
        return true;
      }
      try {
        // A retry after a lost response sends the same token and value: Secrets Manager answers with the version it stored.
        await retry(`PutSecretValue of ${secretArn}`, () => deps.secretsManager.send(new PutSecretValueCommand({ SecretId: secretArn, ClientRequestToken: token, SecretString: value })));
        return true;
      } catch (err) {
        // Another invocation stored this serial first (its value differs only by the key's encryption salt).
        if (errorName(err) === 'ResourceExistsException' && planVersionWrite(token, await stages()) !== 'put') return false;
        throw callFailure(`PutSecretValue of ${secretArn}`, err);
      }
    };

    /**
     * Exports one certificate into its secret and notifies its topic when a version was written.
     * With `onlyWhenChanged` (events, reconcile) nothing is exported while the secret holds the
     * certificate that ACM has (same serial and NotAfter).
     */
    const exportOne = async (props: ExportProperties, trigger: string, renew: boolean, onlyWhenChanged: boolean): Promise<StoredExport> => {
      const acm = deps.acm(regionOfArn(props.CertificateArn) ?? '');
      if (renew) {
        log(JSON.stringify({ message: 'renewal token changed: renewing', certificateArn: props.CertificateArn }));
        await call(`RenewCertificate of ${props.CertificateArn}`, () => acm.send(new RenewCertificateCommand({ CertificateArn: props.CertificateArn })));
      }

      if (onlyWhenChanged) {
        const described = (await call(`DescribeCertificate of ${props.CertificateArn}`,
          () => acm.send(new DescribeCertificateCommand({ CertificateArn: props.CertificateArn })))).Certificate;
        const stored = await storedCertificate(props.SecretArn);
        const reason = reexportReason({ serial: described?.Serial, notAfter: described?.NotAfter }, stored.identity);
        if (reason === undefined) {
          log(JSON.stringify({ message: 'up to date: the secret holds the certificate in ACM', trigger, certificateArn: props.CertificateArn, secretArn: props.SecretArn }));
          return { SecretArn: props.SecretArn, VersionId: stored.versionId, Written: false };
        }
        log(JSON.stringify({ message: 're-exporting', reason, trigger, certificateArn: props.CertificateArn, secretArn: props.SecretArn }));
      }

      const passphrase = (await call(`GetSecretValue of ${props.PassphraseSecretArn}`,
        () => deps.secretsManager.send(new GetSecretValueCommand({ SecretId: props.PassphraseSecretArn })))).SecretString;
      const problems = passphraseProblems(passphrase);
      if (problems.length > 0) {
        throw new Error(`passphrase secret ${props.PassphraseSecretArn}: ${problems.join('; ')}`);
      }

      // ACM's messages name the certificate, never the request (the passphrase).
      const exported = await call(`ExportCertificate of ${props.CertificateArn}`, () => acm.send(new ExportCertificateCommand({
        CertificateArn: props.CertificateArn,
        Passphrase: Buffer.from(passphrase!, 'ascii'),
      })));
      const value = buildSecretValue(exported, passphrase!, props.StoreDecryptedKey);
      const identity = identityOfPem(value.certificate);
      const versionId = versionToken(props.CertificateArn, identity.serial, props.StoreDecryptedKey);
      const written = await storeVersion(props.SecretArn, versionId, JSON.stringify(value));
      log(JSON.stringify({
        message: written ? 'exported' : 'already stored: this serial has its version',
        trigger,
        certificateArn: props.CertificateArn,
        secretArn: props.SecretArn,
        versionId,
        serial: identity.serial,
        notAfter: identity.notAfter,
      }));

      if (written && props.TopicArn !== undefined && deps.publish !== undefined) {
        await call(`Publish to ${props.TopicArn}`, () => deps.publish!(props.TopicArn!, notificationMessage(props, versionId, trigger)));
        log(JSON.stringify({ message: 'notified', topicArn: props.TopicArn }));
      }
      return { SecretArn: props.SecretArn, VersionId: versionId, Written: written };
    };


    async function handle(event: unknown): Promise<CertificateExportResponse> {
      const plan = planExport(event);
      log(JSON.stringify({ message: 'invocation', action: plan.action, ...describeInvocation(event) }));
      if (plan.action === 'none') {
        log(JSON.stringify({ message: 'nothing to do', reason: plan.reason }));
        return plan.physicalResourceId === undefined ? {} : { PhysicalResourceId: plan.physicalResourceId };
      }

      if (plan.action === 'reexport') {
        // Every export of the renewed certificate is tried, even when one fails; the failures are reported together.
        const stored: StoredExport[] = [];
        const failures: string[] = [];
        for (const props of plan.exports) {
          try {
            stored.push(await exportOne(props, plan.trigger, false, true));
          } catch (err) {
            failures.push(`${props.SecretArn}: ${errorMessage(err)}`);
          }
        }
        if (failures.length > 0) {
          throw new Error(`re-export failed for ${failures.length} of ${plan.exports.length} exports: ${failures.join('; ')}`);
        }
        return { Exports: stored };
      }

      const { props, trigger } = plan;
      const data = await exportOne(props, trigger, plan.renew, false);
      return { PhysicalResourceId: plan.physicalResourceId ?? props.CertificateArn, Data: { SecretArn: data.SecretArn, VersionId: data.VersionId } };
    }
    return { handle };
  }
}

const acmClients = new Map<string, ACMClient>();
function acmFor(region: string): ACMClient {
  let client = acmClients.get(region);
  if (client === undefined) {
    client = new ACMClient({ region, ...SINGLE_ATTEMPT });
    acmClients.set(region, client);
  }
  return client;
}

/**
 * Publishes with the SNS client of the Lambda Node.js runtime, which ships the whole AWS SDK v3
 * (`@aws-sdk/*` stays external to the bundle); loaded only when an export has a topic.
 */
async function publish(topicArn: string, message: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sns = require('@aws-sdk/client-sns');
  const client = new sns.SNSClient({ region: regionOfArn(topicArn) ?? '', ...SINGLE_ATTEMPT });
  await client.send(new sns.PublishCommand({ TopicArn: topicArn, Message: message }));
}

/** The Lambda entry point. */
export const handler = createCertificateExportHandler({
  acm: acmFor,
  secretsManager: new SecretsManagerClient(SINGLE_ATTEMPT),
  publish,
});
