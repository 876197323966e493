import { ACMClient, ExportCertificateCommand, RenewCertificateCommand } from '@aws-sdk/client-acm';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  buildSecretValue,
  describeInvocation,
  ExportProperties,
  notificationMessage,
  passphraseProblems,
  planExport,
  regionOfArn,
  RETRYABLE_ERRORS,
} from './logic';
import { errorMessage, errorName, loggedRetries, RetryOptions } from '../shared/retry';

/**
 * `Custom::CdkPkiCertificateExport` handler, behind the CDK Provider framework and the target of
 * the stack's shared EventBridge rules for the renewal of exported certificates: reads the passphrase
 * secret, exports the certificate (acm:ExportCertificate) and stores `{certificate, certificateChain,
 * privateKey}` as a new version of the export secret (PutSecretValue). A renewal event re-exports
 * only the exports of the rule's batch whose certificate it names.
 *
 * Secrets never leave Secrets Manager: the logs and the response hold ARNs and version IDs only.
 * SDK clients are created once per container; their endpoint follows the standard SDK settings
 * (`AWS_ENDPOINT_URL` included). Tests pass their own clients to `createCertificateExportHandler`.
 */

/** One secret version stored by an invocation. */
export interface StoredExport {
  readonly SecretArn: string;
  readonly VersionId: string;
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
  const retry = loggedRetries(log, RETRYABLE_ERRORS, deps.retry);

  /** Exports one certificate into its secret (a new version) and notifies its topic. */
  const exportOne = async (props: ExportProperties, trigger: string, renew: boolean): Promise<StoredExport> => {
    const acm = deps.acm(regionOfArn(props.CertificateArn));
    if (renew) {
      log(JSON.stringify({ message: 'renewal token changed: renewing', certificateArn: props.CertificateArn }));
      await retry(() => acm.send(new RenewCertificateCommand({ CertificateArn: props.CertificateArn })));
    }

    const passphrase = (await retry(() => deps.secretsManager.send(new GetSecretValueCommand({ SecretId: props.PassphraseSecretArn })))).SecretString;
    const problems = passphraseProblems(passphrase);
    if (problems.length > 0) {
      throw new Error(`passphrase secret ${props.PassphraseSecretArn}: ${problems.join('; ')}`);
    }

    let exported;
    try {
      exported = await retry(() => acm.send(new ExportCertificateCommand({
        CertificateArn: props.CertificateArn,
        Passphrase: Buffer.from(passphrase!, 'ascii'),
      })));
    } catch (err) {
      // ACM's messages name the certificate, never the request (the passphrase).
      throw new Error(`ExportCertificate of ${props.CertificateArn} failed: ${errorName(err) ?? 'error'}: ${errorMessage(err).slice(0, 300)}`);
    }
    const value = buildSecretValue(exported, passphrase!, props.StoreDecryptedKey);
    const put = await retry(() => deps.secretsManager.send(new PutSecretValueCommand({
      SecretId: props.SecretArn,
      SecretString: JSON.stringify(value),
    })));
    const versionId = put.VersionId ?? '';
    log(JSON.stringify({ message: 'exported', trigger, certificateArn: props.CertificateArn, secretArn: props.SecretArn, versionId }));

    if (props.TopicArn !== undefined && deps.publish !== undefined) {
      await deps.publish(props.TopicArn, notificationMessage(props, versionId, trigger));
      log(JSON.stringify({ message: 'notified', topicArn: props.TopicArn }));
    }
    return { SecretArn: props.SecretArn, VersionId: versionId };
  };

  return async (event: unknown): Promise<CertificateExportResponse> => {
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
          stored.push(await exportOne(props, plan.trigger, false));
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
    const data = await exportOne(props, trigger, plan.renew);
    return { PhysicalResourceId: plan.physicalResourceId ?? props.CertificateArn, Data: data };
  };
}

const acmClients = new Map<string, ACMClient>();
function acmFor(region: string): ACMClient {
  let client = acmClients.get(region);
  if (client === undefined) {
    client = new ACMClient({ region, retryMode: 'adaptive' });
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
  const client = new sns.SNSClient({ region: regionOfArn(topicArn), retryMode: 'adaptive' });
  await client.send(new sns.PublishCommand({ TopicArn: topicArn, Message: message }));
}

/** The Lambda entry point. */
export const handler = createCertificateExportHandler({
  acm: acmFor,
  secretsManager: new SecretsManagerClient({ retryMode: 'adaptive' }),
  publish,
});
