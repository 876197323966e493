import { AcmTag, ImportedCertificateProperties, MaterialSource, OWNER_TAG, REIMPORT_EVENT_KEY, SecretSource } from './contract';
import type { CertificateMaterialPem } from './material';
import { isCertificateArn } from '../../validation/arn-patterns';
import { shortDigest } from '../shared/digest';

/**
 * Pure logic of the `Custom::CdkPkiImportedCertificate` handler: reading the resource properties and
 * the reimport trigger, deciding what to do, and turning secret values into PEM material.
 *
 * The physical resource ID is the certificate ARN, which a reimport keeps.
 */

/** Reimport attempts of one check when the material keeps changing under it. */
export const MAX_REIMPORT_ROUNDS = 3;

/** ACM errors worth retrying (ImportCertificate allows one call per second). */
export const RETRYABLE_ERRORS: readonly string[] = ['ThrottlingException', 'TooManyRequestsException'];

/** The ACM error of a certificate that does not exist (any more). */
export const NOT_FOUND = 'ResourceNotFoundException';

/** What the handler does for one invocation. */
export type ImportPlan =
  | {
    readonly action: 'import';
    readonly props: ImportedCertificateProperties;
    /** The value of the create-request tag: the same for every delivery of one Create. */
    readonly requestKey: string;
  }
  | {
    readonly action: 'update';
    readonly certificateArn: string;
    readonly props: ImportedCertificateProperties;
    /** The source or `materialVersion` changed, so reimport even if the version tag matches. */
    readonly forceReimport: boolean;
    /** User tags the update dropped. */
    readonly removedTagKeys: string[];
  }
  | { readonly action: 'delete'; readonly certificateArn: string }
  | { readonly action: 'none'; readonly reason: string }
  | { readonly action: 'check'; readonly certificateArn: string; readonly source: MaterialSource; readonly trigger: string };

function nonEmpty(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${what} is missing from the resource properties`);
  }
  return value;
}

/** Reads and checks a material source. */
export function readSource(value: unknown): MaterialSource {
  const s = (value ?? {}) as Record<string, unknown>;
  if (s.Type === 'SecretsManager') {
    return {
      Type: 'SecretsManager',
      SecretArn: nonEmpty(s.SecretArn, 'Source.SecretArn'),
      CertificateField: nonEmpty(s.CertificateField, 'Source.CertificateField'),
      PrivateKeyField: nonEmpty(s.PrivateKeyField, 'Source.PrivateKeyField'),
      ChainField: nonEmpty(s.ChainField, 'Source.ChainField'),
      ChainRequired: s.ChainRequired === 'true' ? 'true' : 'false',
    };
  }
  if (s.Type === 'SSM') {
    return {
      Type: 'SSM',
      CertificateParameter: nonEmpty(s.CertificateParameter, 'Source.CertificateParameter'),
      PrivateKeyParameter: nonEmpty(s.PrivateKeyParameter, 'Source.PrivateKeyParameter'),
      ChainParameter: typeof s.ChainParameter === 'string' && s.ChainParameter !== '' ? s.ChainParameter : undefined,
    };
  }
  throw new Error(`Source.Type ${JSON.stringify(s.Type)} is neither SecretsManager nor SSM`);
}

/** Reads the resource properties of a Create or Update event. */
export function readProperties(props: Record<string, unknown> | undefined): ImportedCertificateProperties {
  const tags = Array.isArray(props?.Tags) ? props!.Tags as unknown[] : [];
  return {
    Source: readSource(props?.Source),
    MaterialVersion: typeof props?.MaterialVersion === 'string' ? props.MaterialVersion : '',
    Tags: tags
      .filter((t): t is AcmTag => typeof (t as AcmTag)?.Key === 'string' && typeof (t as AcmTag)?.Value === 'string')
      .map((t) => ({ Key: t.Key, Value: t.Value })),
    RemovalPolicy: props?.RemovalPolicy === 'retain' ? 'retain' : 'destroy',
  };
}

/** A short description of a source for logs and messages (names and ARNs only). */
export function describeSource(source: MaterialSource): string {
  return source.Type === 'SecretsManager'
    ? `secret ${source.SecretArn}`
    : `SSM parameters ${[source.CertificateParameter, source.PrivateKeyParameter, source.ChainParameter].filter(Boolean).join(', ')}`;
}

/**
 * Decides what to do for a CloudFormation event or a reimport trigger from EventBridge.
 *
 * Create imports. Update reimports in place into the certificate named by the physical ID. Delete
 * deletes that certificate (or keeps it under the retain policy); when the physical ID is not a
 * certificate ARN (a Create that failed), there is nothing to delete. A trigger checks whether the
 * material changed since the last import.
 */
export function planImport(event: unknown): ImportPlan {
  const e = (event ?? {}) as Record<string, any>;
  if (e[REIMPORT_EVENT_KEY] !== undefined) {
    const input = (typeof e[REIMPORT_EVENT_KEY] === 'object' && e[REIMPORT_EVENT_KEY] !== null ? e[REIMPORT_EVENT_KEY] : {}) as Record<string, unknown>;
    if (!isCertificateArn(input.CertificateArn)) {
      throw new Error(`reimport trigger: CertificateArn ${JSON.stringify(input.CertificateArn)} is not an ACM certificate ARN`);
    }
    return {
      action: 'check',
      certificateArn: input.CertificateArn,
      source: readSource(input.Source),
      trigger: typeof input.Trigger === 'string' ? input.Trigger : 'unknown',
    };
  }
  switch (e.RequestType) {
    case 'Create':
      return { action: 'import', props: readProperties(e.ResourceProperties), requestKey: createRequestKey(e) };
    case 'Update': {
      const props = readProperties(e.ResourceProperties);
      if (!isCertificateArn(e.PhysicalResourceId)) {
        return { action: 'import', props, requestKey: createRequestKey(e) };
      }
      const old = e.OldResourceProperties ?? {};
      let oldSource: MaterialSource | undefined;
      try {
        oldSource = readSource(old.Source);
      } catch {
        oldSource = undefined;
      }
      const oldTags = readProperties({ ...old, Source: props.Source }).Tags;
      return {
        action: 'update',
        certificateArn: e.PhysicalResourceId,
        props,
        forceReimport: JSON.stringify(oldSource) !== JSON.stringify(props.Source) || (old.MaterialVersion ?? '') !== props.MaterialVersion,
        removedTagKeys: oldTags.map((t) => t.Key).filter((k) => !props.Tags.some((t) => t.Key === k)),
      };
    }
    case 'Delete': {
      if (!isCertificateArn(e.PhysicalResourceId)) {
        return { action: 'none', reason: `physical ID ${JSON.stringify(e.PhysicalResourceId)} names no certificate: the Create had failed` };
      }
      if (e.ResourceProperties?.RemovalPolicy === 'retain') {
        return { action: 'none', reason: `removal policy RETAIN: ${e.PhysicalResourceId} stays in ACM` };
      }
      return { action: 'delete', certificateArn: e.PhysicalResourceId };
    }
    default:
      throw new Error(`unknown event: RequestType ${JSON.stringify(e.RequestType)} and no ${REIMPORT_EVENT_KEY} input`);
  }
}

/** The create-request tag's value for a CloudFormation event: a hash of the stack, logical ID and request ID. */
export function createRequestKey(e: Record<string, unknown>): string {
  return shortDigest(`${String(e.StackId)}|${String(e.LogicalResourceId)}|${String(e.RequestId)}`, 40);
}

/**
 * Whether the certificate's tags say this stack owns it (the owner tag holds `owner`), and if not,
 * the message that refuses to touch it (what, why, the fix).
 */
export function ownershipProblem(certificateArn: string, tags: readonly { Key?: string; Value?: string }[], owner: string,
  action: string): string | undefined {
  const tag = tags.find((t) => t.Key === OWNER_TAG);
  if (tag?.Value === owner) return undefined;
  const found = tag === undefined ? `it has no ${OWNER_TAG} tag` : `its ${OWNER_TAG} tag names another owner (${JSON.stringify(tag.Value ?? '')})`;
  return `refusing to ${action} ${certificateArn}: ${found}, so this stack did not import it. The handler only touches ` +
    `certificates tagged ${OWNER_TAG}=${owner}. For a certificate this stack imported with an earlier cdk-pki version, add ` +
    `the tag once (aws acm add-tags-to-certificate --certificate-arn ${certificateArn} --tags Key=${OWNER_TAG},Value=${owner}).`;
}

/**
 * The certificate to keep when deliveries of one Create imported more than one: the first imported
 * (then the smallest ARN), which every delivery that lists them after its own import agrees on.
 */
export function survivorOf(candidates: readonly { readonly arn: string; readonly importedAt: number }[]): string | undefined {
  return [...candidates].sort((a, b) => a.importedAt - b.importedAt || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))[0]?.arn;
}

/**
 * Turns a secret's `SecretString` (a JSON object) into PEM material. Messages name the secret and
 * the fields, never the values.
 */
export function materialFromSecretString(secretString: string | undefined, source: SecretSource): CertificateMaterialPem {
  const where = `secret ${source.SecretArn}`;
  if (secretString === undefined) {
    throw new Error(`${where} has no SecretString (binary secrets are not supported): store a JSON object with the fields ` +
      `${JSON.stringify(source.CertificateField)}, ${JSON.stringify(source.PrivateKeyField)} and optionally ${JSON.stringify(source.ChainField)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${where} is not a JSON object: store {${JSON.stringify(source.CertificateField)}: "<PEM>", ` +
      `${JSON.stringify(source.PrivateKeyField)}: "<PEM>", ${JSON.stringify(source.ChainField)}: "<PEM>"}`);
  }
  const fields = parsed as Record<string, unknown>;
  const field = (name: string, required: boolean): string | undefined => {
    const value = fields[name];
    if (value === undefined || value === null || value === '') {
      if (required) {
        throw new Error(`${where} has no field ${JSON.stringify(name)}; it has ${JSON.stringify(Object.keys(fields))}`);
      }
      return undefined;
    }
    if (typeof value !== 'string') {
      throw new Error(`${where}: field ${JSON.stringify(name)} is a ${typeof value}, not a PEM string`);
    }
    return value;
  };
  return {
    certificate: field(source.CertificateField, true)!,
    privateKey: field(source.PrivateKeyField, true)!,
    chain: field(source.ChainField, source.ChainRequired === 'true'),
  };
}

/** The version of SSM material: the versions of its parameters, which change on every PutParameter. */
export function ssmVersionId(versions: Array<number | undefined>): string {
  return `ssm-${versions.map((v) => v ?? 0).join('.')}`;
}

/** The message of a Delete refused because services still use the certificate. */
export function inUseMessage(certificateArn: string, inUseBy: readonly string[]): string {
  const users = inUseBy.length > 0 ? ` by ${inUseBy.join(', ')}` : '';
  return `cannot delete ${certificateArn}: it is still in use${users}. Detach it from those resources (load balancers, ` +
    'CloudFront, API Gateway) first, or set removalPolicy: RemovalPolicy.RETAIN to keep it in ACM.';
}

/** What is safe to log about an event: never the ResponseURL, the whole event or any material. */
export function describeEvent(event: unknown): Record<string, unknown> {
  const e = (event ?? {}) as Record<string, any>;
  if (e[REIMPORT_EVENT_KEY] !== undefined) {
    return { trigger: e[REIMPORT_EVENT_KEY]?.Trigger, certificateArn: e[REIMPORT_EVENT_KEY]?.CertificateArn };
  }
  return {
    requestType: e.RequestType,
    logicalResourceId: e.LogicalResourceId,
    physicalResourceId: e.PhysicalResourceId,
  };
}
