import {
  ACMClient,
  AddTagsToCertificateCommand,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  ImportCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
  RemoveTagsFromCertificateCommand,
} from '@aws-sdk/client-acm';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AcmTag, CREATE_REQUEST_TAG, HANDLER_TAGS, ImportedCertificateProperties, MaterialSource, OWNER_ENV, OWNER_TAG, VERSION_TAG } from './contract';
import {
  createRequestKey,
  describeEvent,
  describeSource,
  inUseMessage,
  materialFromSecretString,
  MAX_REIMPORT_ROUNDS,
  NOT_FOUND,
  ownershipProblem,
  planImport,
  RETRYABLE_ERRORS,
  ssmVersionId,
  survivorOf,
} from './logic';
import { CertificateMaterialPem, checkMaterial, checkReimport, MaterialFacts } from './material';
import { withShortReason } from '../shared/reason';
import { errorMessage, errorName, invocationRetries, LambdaDeadline, RetryOptions, retryingClient, SINGLE_ATTEMPT, sleep } from '../shared/retry';

/**
 * `Custom::CdkPkiImportedCertificate` handler, behind the CDK Provider framework and on EventBridge
 * (schedule or secret-change rule): imports PEM material from Secrets Manager or SSM into ACM,
 * reimports it in place (same ARN) when it changes, and deletes the certificate on Delete.
 *
 * The material is checked before ACM is called. No PEM ever reaches a log line, an error message or
 * the response `Data`.
 *
 * Ownership: every certificate it imports carries `cdk-pki:owner=<the stack ID>` (from the
 * `CDK_PKI_OWNER` environment variable, never from the invocation), and it refuses to reimport over,
 * tag or delete a certificate without that tag; its IAM policy says the same. A Create is idempotent
 * (the `cdk-pki:create-request` tag finds what an earlier delivery imported), and a reimport checks
 * the material again after importing, so overlapping checks end with the newest material. Clients are created once per container; their endpoint follows the standard
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
  /** The value of the owner tag. @default the `CDK_PKI_OWNER` environment variable */
  readonly owner?: string;
  /** How long a Create waits after importing before it looks for concurrent imports of the same request. @default 1000 */
  readonly settleMs?: number;
  /** How to wait. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A certificate imported for a Create, with when. */
interface ImportedCandidate {
  readonly arn: string;
  readonly importedAt: number;
}

/** Material with the version it was read at. */
interface VersionedMaterial {
  readonly pem: CertificateMaterialPem;
  readonly versionId: string;
}

/** Builds a handler around the given clients. */
export function createImportedCertificateHandler(given: ImportedCertificateHandlerDeps) {
  const log = given.log ?? ((line: string) => console.log(line));

  // A failure reason over CloudFormation's 4,096-byte response is cut (the whole message is logged).
  return (event: unknown, context?: LambdaDeadline): Promise<ImportedCertificateResponse | ReimportCheckResult> =>
    withShortReason(() => invocation(context).handle(event), log);

  /** The helpers of one invocation: every SDK call retries transient errors until the Lambda's deadline, then names the call. */
  function invocation(context?: LambdaDeadline) {
    const retry = invocationRetries(log, RETRYABLE_ERRORS, context, given.retry);
    const deps = {
      ...given,
      acm: retryingClient(given.acm, retry),
      secretsManager: retryingClient(given.secretsManager, retry),
      ssm: retryingClient(given.ssm, retry),
    };
    const now = deps.now ?? (() => new Date());

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

    function ownerValue(): string {
      const owner = deps.owner ?? process.env[OWNER_ENV];
      if (owner === undefined || owner === '') {
        throw new Error(`the handler has no ${OWNER_ENV} environment variable, so it cannot tell which certificates its stack owns: ` +
          'deploy the stack again with this cdk-pki version, which sets it.');
      }
      return owner;
    }

    /** User tags without the ones the handler manages. */
    function userTags(tags: readonly AcmTag[]): AcmTag[] {
      return tags.filter((t) => !HANDLER_TAGS.includes(t.Key));
    }

    async function importInto(certificateArn: string | undefined, material: VersionedMaterial, tags: AcmTag[]): Promise<string> {
      const res = await deps.acm.send(new ImportCertificateCommand({
        CertificateArn: certificateArn,
        Certificate: toBlob(material.pem.certificate),
        PrivateKey: toBlob(material.pem.privateKey),
        CertificateChain: material.pem.chain?.trim() ? toBlob(material.pem.chain) : undefined,
        // ACM takes no tags on a reimport; they are added separately below.
        Tags: certificateArn === undefined ? tags : undefined,
      }));
      return res.CertificateArn ?? certificateArn!;
    }

    async function currentKeyAlgorithm(certificateArn: string): Promise<string | undefined> {
      const res = await deps.acm.send(new DescribeCertificateCommand({ CertificateArn: certificateArn }));
      return res.Certificate?.KeyAlgorithm;
    }

    async function tagsOf(certificateArn: string) {
      return (await deps.acm.send(new ListTagsForCertificateCommand({ CertificateArn: certificateArn }))).Tags ?? [];
    }

    /** The version last imported into a certificate this stack owns; refuses one it does not own. */
    async function ownedVersion(certificateArn: string, action: string): Promise<string | undefined> {
      const tags = await tagsOf(certificateArn);
      const problem = ownershipProblem(certificateArn, tags, ownerValue(), action);
      if (problem !== undefined) throw new Error(problem);
      return tags.find((t) => t.Key === VERSION_TAG)?.Value;
    }

    /**
     * The certificates this stack imported for one Create (`requestKey`): imported ones with the
     * material's key algorithm and NotAfter, whose tags name this owner and request, with when they
     * were imported.
     */
    async function importedBy(requestKey: string, facts: MaterialFacts): Promise<ImportedCandidate[]> {
      const found: ImportedCandidate[] = [];
      let nextToken: string | undefined;
      do {
        const page = await deps.acm.send(new ListCertificatesCommand({
          Includes: { keyTypes: [facts.keyAlgorithm as never] },
          NextToken: nextToken,
        }));
        for (const summary of page.CertificateSummaryList ?? []) {
          if (summary.CertificateArn === undefined || (summary.Type !== undefined && summary.Type !== 'IMPORTED')) continue;
          const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
          if (summary.NotAfter !== undefined && seconds(summary.NotAfter) !== seconds(facts.notAfter)) continue;
          let tags;
          try {
            tags = await tagsOf(summary.CertificateArn);
          } catch (err) {
            if (errorName(err) === NOT_FOUND) continue;
            throw err;
          }
          const tag = (key: string) => tags.find((t) => t.Key === key)?.Value;
          if (tag(CREATE_REQUEST_TAG) === requestKey && tag(OWNER_TAG) === ownerValue()) {
            found.push({ arn: summary.CertificateArn, importedAt: (summary.ImportedAt ?? summary.CreatedAt)?.getTime() ?? 0 });
          }
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return found;
    }

    /** Keeps one certificate of a Create (the same one for every delivery: the first imported) and deletes the others it imported. */
    async function keepOne(candidates: readonly ImportedCandidate[]): Promise<string> {
      const keep = survivorOf(candidates)!;
      for (const arn of candidates.map((c) => c.arn).filter((a) => a !== keep)) {
        try {
          await deps.acm.send(new DeleteCertificateCommand({ CertificateArn: arn }));
          log(JSON.stringify({ message: 'deleted a duplicate import of the same Create', certificateArn: arn, kept: keep }));
        } catch (err) {
          if (errorName(err) !== NOT_FOUND) throw err;
        }
      }
      return keep;
    }

    /**
     * Reimports `material` into `certificateArn` (same ARN), after the reimport rules, then reads the
     * material again: when it changed meanwhile (an overlapping check or update read an older or newer
     * version), the newer version is imported, so the last writer always leaves the current material.
     */
    async function reimport(certificateArn: string, material: VersionedMaterial, source: MaterialSource,
      tags: AcmTag[]): Promise<{ facts: MaterialFacts; versionId: string }> {
      let current = material;
      for (let round = 1; ; round++) {
        const facts = check(current, source);
        const problems = checkReimport(await currentKeyAlgorithm(certificateArn), facts.keyAlgorithm);
        if (problems.length > 0) {
          throw new Error(`the certificate material in ${describeSource(source)} cannot be reimported into ${certificateArn}: ${problems.join(' ')}`);
        }
        await importInto(certificateArn, current, []);
        // ACM keeps a certificate's tags on reimport; the owner tag is stated again all the same (KNOWN
        // MOTO GAP: moto drops the tags on reimport), which the owner-tag condition allows.
        await deps.acm.send(new AddTagsToCertificateCommand({
          CertificateArn: certificateArn,
          Tags: [...userTags(tags), { Key: VERSION_TAG, Value: current.versionId }, { Key: OWNER_TAG, Value: ownerValue() }],
        }));
        log(JSON.stringify({ message: 'reimported', certificateArn, versionId: current.versionId, keyAlgorithm: facts.keyAlgorithm, serialNumber: facts.serialNumber }));
        const latest = await readMaterial(source);
        if (latest.versionId === current.versionId) return { facts, versionId: current.versionId };
        if (round >= MAX_REIMPORT_ROUNDS) {
          throw new Error(`the material in ${describeSource(source)} changed ${round} times while it was reimported into ${certificateArn}; ` +
            'the next check or deployment reimports its latest version. Stop writing the material while it is imported.');
        }
        log(JSON.stringify({ message: 'material changed during the reimport: importing the newer version', certificateArn, from: current.versionId, to: latest.versionId }));
        current = latest;
      }
    }

    function response(certificateArn: string, versionId: string, facts: MaterialFacts | undefined,
      keyAlgorithm?: string): ImportedCertificateResponse {
      return {
        PhysicalResourceId: certificateArn,
        Data: { CertificateArn: certificateArn, ImportedVersionId: versionId, KeyAlgorithm: facts?.keyAlgorithm ?? keyAlgorithm ?? '' },
      };
    }

    async function create(props: ImportedCertificateProperties, requestKey: string): Promise<ImportedCertificateResponse> {
      const material = await readMaterial(props.Source);
      const facts = check(material, props.Source);
      const owner = ownerValue();
      const earlier = await importedBy(requestKey, facts);
      if (earlier.length > 0) {
        // A re-delivered Create: what the first delivery imported is the answer.
        const arn = await keepOne(earlier);
        log(JSON.stringify({ message: 'already imported by this Create', certificateArn: arn }));
        return response(arn, (await ownedVersion(arn, 'report')) ?? material.versionId, facts);
      }
      const arn = await importInto(undefined, material, [
        ...userTags(props.Tags),
        { Key: VERSION_TAG, Value: material.versionId },
        { Key: OWNER_TAG, Value: owner },
        { Key: CREATE_REQUEST_TAG, Value: requestKey },
      ]);
      // Concurrent deliveries (or a retry after a lost response) may have imported more than one: keep the
      // first. Best effort: when the listing fails, this delivery's certificate is the answer.
      let keep = arn;
      try {
        await (deps.sleep ?? sleep)(deps.settleMs ?? 1000);
        const all = await importedBy(requestKey, facts);
        keep = await keepOne(all.some((c) => c.arn === arn) ? all : [...all, { arn, importedAt: Number.MAX_SAFE_INTEGER }]);
      } catch (err) {
        log(JSON.stringify({ message: 'could not look for duplicate imports of this Create', certificateArn: arn, error: errorName(err) ?? 'error' }));
      }
      log(JSON.stringify({ message: 'imported', certificateArn: keep, versionId: material.versionId, keyAlgorithm: facts.keyAlgorithm, serialNumber: facts.serialNumber }));
      return response(keep, material.versionId, facts);
    }


    async function handle(event: unknown): Promise<ImportedCertificateResponse | ReimportCheckResult> {
      const plan = planImport(event);
      log(JSON.stringify({ message: 'event', action: plan.action, ...describeEvent(event) }));

      switch (plan.action) {
        case 'import':
          return create(plan.props, plan.requestKey);

        case 'update': {
          const { certificateArn, props } = plan;
          let lastVersion: string | undefined;
          try {
            lastVersion = await ownedVersion(certificateArn, 'update');
          } catch (err) {
            if (errorName(err) !== NOT_FOUND) throw err;
            // Deleted outside CloudFormation: import anew; CloudFormation then deletes the old (gone) ID.
            log(JSON.stringify({ message: 'certificate gone; importing a new one', certificateArn }));
            return create(props, createRequestKey(event as Record<string, unknown>));
          }
          const material = await readMaterial(props.Source);
          let result: { facts: MaterialFacts; versionId: string } | undefined;
          if (plan.forceReimport || lastVersion !== material.versionId) {
            result = await reimport(certificateArn, material, props.Source, props.Tags);
          } else if (userTags(props.Tags).length > 0) {
            await deps.acm.send(new AddTagsToCertificateCommand({ CertificateArn: certificateArn, Tags: userTags(props.Tags) }));
          }
          const removed = plan.removedTagKeys.filter((k) => !HANDLER_TAGS.includes(k));
          if (removed.length > 0) {
            await deps.acm.send(new RemoveTagsFromCertificateCommand({
              CertificateArn: certificateArn,
              Tags: removed.map((Key) => ({ Key })),
            }));
          }
          return result
            ? response(certificateArn, result.versionId, result.facts)
            : response(certificateArn, material.versionId, undefined, await currentKeyAlgorithm(certificateArn));
        }

        case 'check': {
          const { certificateArn, source } = plan;
          let lastVersion: string | undefined;
          try {
            lastVersion = await ownedVersion(certificateArn, 'reimport into');
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
          const result = await reimport(certificateArn, material, source, []);
          return { certificateArn, reimported: true, importedVersionId: result.versionId };
        }

        case 'delete': {
          const arn = plan.certificateArn;
          try {
            const problem = ownershipProblem(arn, await tagsOf(arn), ownerValue(), 'delete');
            if (problem !== undefined) {
              // Never delete what this stack does not own; the resource's Delete still succeeds, so the stack can go.
              log(JSON.stringify({ message: 'left in ACM', reason: problem }));
              return response(arn, '', undefined);
            }
            await deps.acm.send(new DeleteCertificateCommand({ CertificateArn: arn }));
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
    }
    return { handle };
  }
}

// The handler retries every call itself (retryingClient): no SDK retries stacked on top.
const clientOptions = SINGLE_ATTEMPT;

/** The Lambda entry point. */
export const handler = createImportedCertificateHandler({
  acm: new ACMClient(clientOptions),
  secretsManager: new SecretsManagerClient(clientOptions),
  ssm: new SSMClient(clientOptions),
});
