import {
  ACMClient,
  AddTagsToCertificateCommand,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  ImportCertificateCommand,
  ListTagsForCertificateCommand,
  RemoveTagsFromCertificateCommand,
} from '@aws-sdk/client-acm';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  AcmTag,
  describeEvent,
  describeSource,
  ImportedCertificateProperties,
  inUseMessage,
  MaterialSource,
  materialFromSecretString,
  NOT_FOUND,
  planImport,
  RETRYABLE_ERRORS,
  ssmVersionId,
  VERSION_TAG,
} from './logic';
import { CertificateMaterialPem, checkMaterial, checkReimport, MaterialFacts } from './material';
import { errorMessage, errorName, loggedRetries, RetryOptions } from '../shared/retry';

/**
 * `Custom::CdkPkiImportedCertificate` handler, behind the CDK Provider framework and on EventBridge
 * (schedule or secret-change rule): imports PEM material from Secrets Manager or SSM into ACM,
 * reimports it in place (same ARN) when it changes, and deletes the certificate on Delete.
 *
 * The material is checked before ACM is called. No PEM ever reaches a log line, an error message or
 * the response `Data`. Clients are created once per container; their endpoint follows the standard
 * SDK settings (`AWS_ENDPOINT_URL` included). Tests may pass their own clients.
 */

/** What the Provider framework expects back. */
export interface ImportedCertificateResponse {
  readonly PhysicalResourceId: string;
  readonly Data: {
    readonly CertificateArn: string;
    readonly ImportedVersionId: string;
    readonly KeyAlgorithm: string;
  };
}

/** What a reimport trigger returns (EventBridge ignores it; tests read it). */
export interface ReimportCheckResult {
  readonly certificateArn: string;
  readonly reimported: boolean;
  readonly importedVersionId?: string;
}

/** What the handler needs from outside. */
export interface ImportedCertificateHandlerDeps {
  readonly acm: ACMClient;
  readonly secretsManager: SecretsManagerClient;
  readonly ssm: SSMClient;
  /** Overrides of the retry behaviour (tests shorten the delays). */
  readonly retry?: Omit<RetryOptions, 'retryOn'>;
  readonly log?: (line: string) => void;
  /** The time the validity check uses. @default the current time */
  readonly now?: () => Date;
}

/** Material with the version it was read at. */
interface VersionedMaterial {
  readonly pem: CertificateMaterialPem;
  readonly versionId: string;
}

/** Builds a handler around the given clients. */
export function createImportedCertificateHandler(deps: ImportedCertificateHandlerDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  const retry = loggedRetries(log, RETRYABLE_ERRORS, deps.retry);

  async function readMaterial(source: MaterialSource): Promise<VersionedMaterial> {
    if (source.Type === 'SecretsManager') {
      const res = await deps.secretsManager.send(new GetSecretValueCommand({ SecretId: source.SecretArn }));
      return { pem: materialFromSecretString(res.SecretString, source), versionId: res.VersionId ?? '' };
    }
    const names = [source.CertificateParameter, source.PrivateKeyParameter, ...(source.ChainParameter ? [source.ChainParameter] : [])];
    const res = await deps.ssm.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
    if (res.InvalidParameters && res.InvalidParameters.length > 0) {
      throw new Error(`SSM parameters not found: ${res.InvalidParameters.join(', ')}`);
    }
    const byName = new Map((res.Parameters ?? []).map((p) => [p.Name, p]));
    const param = (name: string) => byName.get(name) ?? byName.get(`/${name}`) ?? [...byName.values()].find((p) => p.ARN?.endsWith(name));
    return {
      pem: {
        certificate: param(source.CertificateParameter)?.Value ?? '',
        privateKey: param(source.PrivateKeyParameter)?.Value ?? '',
        chain: source.ChainParameter ? param(source.ChainParameter)?.Value : undefined,
      },
      versionId: ssmVersionId(names.map((n) => param(n)?.Version)),
    };
  }

  /** Checks the material; throws naming every problem (never the content). */
  function check(material: VersionedMaterial, source: MaterialSource): MaterialFacts {
    const result = checkMaterial(material.pem, now());
    if (!result.facts) {
      throw new Error(`the certificate material in ${describeSource(source)} cannot be imported into ACM: ${result.problems.join(' ')}`);
    }
    return result.facts;
  }

  function toBlob(text: string): Uint8Array {
    return Buffer.from(text.trim(), 'utf8');
  }

  async function importInto(certificateArn: string | undefined, material: VersionedMaterial, tags: AcmTag[]): Promise<string> {
    const res = await retry(() => deps.acm.send(new ImportCertificateCommand({
      CertificateArn: certificateArn,
      Certificate: toBlob(material.pem.certificate),
      PrivateKey: toBlob(material.pem.privateKey),
      CertificateChain: material.pem.chain?.trim() ? toBlob(material.pem.chain) : undefined,
      // ACM takes no tags on a reimport; they are added separately below.
      Tags: certificateArn === undefined ? tags : undefined,
    })));
    return res.CertificateArn ?? certificateArn!;
  }

  async function currentKeyAlgorithm(certificateArn: string): Promise<string | undefined> {
    const res = await retry(() => deps.acm.send(new DescribeCertificateCommand({ CertificateArn: certificateArn })));
    return res.Certificate?.KeyAlgorithm;
  }

  async function importedVersion(certificateArn: string): Promise<string | undefined> {
    const res = await retry(() => deps.acm.send(new ListTagsForCertificateCommand({ CertificateArn: certificateArn })));
    return res.Tags?.find((t) => t.Key === VERSION_TAG)?.Value;
  }

  /** Reimports `material` into `certificateArn` (same ARN), after the reimport rules. */
  async function reimport(certificateArn: string, material: VersionedMaterial, source: MaterialSource, tags: AcmTag[]): Promise<MaterialFacts> {
    const facts = check(material, source);
    const problems = checkReimport(await currentKeyAlgorithm(certificateArn), facts.keyAlgorithm);
    if (problems.length > 0) {
      throw new Error(`the certificate material in ${describeSource(source)} cannot be reimported into ${certificateArn}: ${problems.join(' ')}`);
    }
    await importInto(certificateArn, material, []);
    await retry(() => deps.acm.send(new AddTagsToCertificateCommand({
      CertificateArn: certificateArn,
      Tags: [...tags, { Key: VERSION_TAG, Value: material.versionId }],
    })));
    log(JSON.stringify({ message: 'reimported', certificateArn, versionId: material.versionId, keyAlgorithm: facts.keyAlgorithm, serialNumber: facts.serialNumber }));
    return facts;
  }

  function response(certificateArn: string, versionId: string, facts: MaterialFacts | undefined, keyAlgorithm?: string): ImportedCertificateResponse {
    return {
      PhysicalResourceId: certificateArn,
      Data: { CertificateArn: certificateArn, ImportedVersionId: versionId, KeyAlgorithm: facts?.keyAlgorithm ?? keyAlgorithm ?? '' },
    };
  }

  async function create(props: ImportedCertificateProperties): Promise<ImportedCertificateResponse> {
    const material = await readMaterial(props.Source);
    const facts = check(material, props.Source);
    const arn = await importInto(undefined, material, [...props.Tags, { Key: VERSION_TAG, Value: material.versionId }]);
    log(JSON.stringify({ message: 'imported', certificateArn: arn, versionId: material.versionId, keyAlgorithm: facts.keyAlgorithm, serialNumber: facts.serialNumber }));
    return response(arn, material.versionId, facts);
  }

  return async (event: unknown): Promise<ImportedCertificateResponse | ReimportCheckResult> => {
    const plan = planImport(event);
    log(JSON.stringify({ message: 'event', action: plan.action, ...describeEvent(event) }));

    switch (plan.action) {
      case 'import':
        return create(plan.props);

      case 'update': {
        const { certificateArn, props } = plan;
        let lastVersion: string | undefined;
        try {
          lastVersion = await importedVersion(certificateArn);
        } catch (err) {
          if (errorName(err) !== NOT_FOUND) throw err;
          // Deleted outside CloudFormation: import anew; CloudFormation then deletes the old (gone) ID.
          log(JSON.stringify({ message: 'certificate gone; importing a new one', certificateArn }));
          return create(props);
        }
        const material = await readMaterial(props.Source);
        let facts: MaterialFacts | undefined;
        if (plan.forceReimport || lastVersion !== material.versionId) {
          facts = await reimport(certificateArn, material, props.Source, props.Tags);
        } else if (props.Tags.length > 0) {
          await retry(() => deps.acm.send(new AddTagsToCertificateCommand({ CertificateArn: certificateArn, Tags: props.Tags })));
        }
        if (plan.removedTagKeys.length > 0) {
          await retry(() => deps.acm.send(new RemoveTagsFromCertificateCommand({
            CertificateArn: certificateArn,
            Tags: plan.removedTagKeys.map((Key) => ({ Key })),
          })));
        }
        return response(certificateArn, material.versionId, facts, facts ? undefined : await currentKeyAlgorithm(certificateArn));
      }

      case 'check': {
        const { certificateArn, source } = plan;
        let lastVersion: string | undefined;
        try {
          lastVersion = await importedVersion(certificateArn);
        } catch (err) {
          if (errorName(err) !== NOT_FOUND) throw err;
          log(JSON.stringify({ message: 'certificate gone; nothing to reimport', certificateArn }));
          return { certificateArn, reimported: false };
        }
        const material = await readMaterial(source);
        if (lastVersion === material.versionId) {
          log(JSON.stringify({ message: 'material unchanged', certificateArn, versionId: material.versionId }));
          return { certificateArn, reimported: false, importedVersionId: material.versionId };
        }
        await reimport(certificateArn, material, source, []);
        return { certificateArn, reimported: true, importedVersionId: material.versionId };
      }

      case 'delete': {
        const arn = plan.certificateArn;
        try {
          await retry(() => deps.acm.send(new DeleteCertificateCommand({ CertificateArn: arn })));
        } catch (err) {
          const name = errorName(err);
          if (name === NOT_FOUND) {
            log(JSON.stringify({ message: 'certificate already gone', certificateArn: arn }));
            return response(arn, '', undefined);
          }
          if (name === 'ResourceInUseException') {
            let inUseBy: string[] = [];
            try {
              inUseBy = (await deps.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.InUseBy ?? [];
            } catch {
              // the message is still clear without the list
            }
            throw new Error(inUseMessage(arn, inUseBy));
          }
          throw new Error(`cannot delete ${arn}: ${name ?? 'Error'}: ${errorMessage(err)}`);
        }
        log(JSON.stringify({ message: 'certificate deleted', certificateArn: arn }));
        return response(arn, '', undefined);
      }

      case 'none': {
        log(JSON.stringify({ message: 'nothing to delete', reason: plan.reason }));
        const physicalId = (event as { PhysicalResourceId: string }).PhysicalResourceId;
        return { PhysicalResourceId: physicalId, Data: { CertificateArn: '', ImportedVersionId: '', KeyAlgorithm: '' } };
      }
    }
  };
}

const clientOptions = { retryMode: 'adaptive' } as const;

/** The Lambda entry point. */
export const handler = createImportedCertificateHandler({
  acm: new ACMClient(clientOptions),
  secretsManager: new SecretsManagerClient(clientOptions),
  ssm: new SSMClient(clientOptions),
});
