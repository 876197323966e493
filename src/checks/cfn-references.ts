import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { NagRules } from 'cdk-nag';

/**
 * Helpers for the PkiChecks rules: a resource as CloudFormation will see it (properties resolved,
 * overrides and tags applied), scalar reads that tell "absent" from "not known at synth time", and
 * references from one resource to another of the same stack.
 *
 * Everything here is internal: not exported from the package index.
 */

/** A resource as rendered into the template. */
export interface CfnView {
  /** The construct. */
  readonly node: CfnResource;
  /** Its logical ID in the template. */
  readonly logicalId: string;
  /** `Type`, e.g. `AWS::ACMPCA::CertificateAuthority`. */
  readonly type: string;
  /** `Properties`, resolved (intrinsics stay as `{ Ref }` / `{ Fn::... }` objects). */
  readonly properties: Record<string, any>;
  /** `DeletionPolicy`, if set. */
  readonly deletionPolicy?: string;
  /** `Metadata` (empty when none). */
  readonly metadata: Record<string, any>;
}

/** A value that only CloudFormation knows: a parameter, an attribute, an import, a condition. */
export const UNRESOLVED: unique symbol = Symbol('unresolved');

/** What a scalar read gives: the value, `undefined` when absent, or `UNRESOLVED`. */
export type Scalar = string | number | boolean | undefined | typeof UNRESOLVED;

export const CERTIFICATE_TYPE = 'AWS::CertificateManager::Certificate';
export const CA_TYPE = 'AWS::ACMPCA::CertificateAuthority';
export const CA_ACTIVATION_TYPE = 'AWS::ACMPCA::CertificateAuthorityActivation';
export const PCA_CERTIFICATE_TYPE = 'AWS::ACMPCA::Certificate';
export const PCA_PERMISSION_TYPE = 'AWS::ACMPCA::Permission';
export const DISTRIBUTION_TYPE = 'AWS::CloudFront::Distribution';
export const BUCKET_TYPE = 'AWS::S3::Bucket';
export const BUCKET_POLICY_TYPE = 'AWS::S3::BucketPolicy';
/** The type of `CertificateExport`'s custom resource (a public contract of this library). */
export const CERTIFICATE_EXPORT_TYPE = 'Custom::CdkPkiCertificateExport';

/** The DeletionPolicy values that keep a resource when it leaves the stack or the stack is deleted. */
export const RETAINING_DELETION_POLICIES: readonly string[] = ['Retain', 'RetainExceptOnCreate'];

/** Whether a DeletionPolicy keeps the resource once it exists (Retain, or RetainExceptOnCreate). */
export function isRetained(deletionPolicy: string | undefined): boolean {
  return deletionPolicy !== undefined && RETAINING_DELETION_POLICIES.includes(deletionPolicy);
}

/** What one validation pass has already worked out (see `withResolutionCache`). */
interface ResolutionCache {
  readonly views: Map<CfnResource, CfnView>;
  readonly stacks: Map<Stack, StackIndex>;
}

/** The CloudFormation resources of one stack, and the same by logical ID. */
interface StackIndex {
  readonly resources: CfnResource[];
  readonly byLogicalId: Map<string, CfnResource>;
}

let cache: ResolutionCache | undefined;

/**
 * Runs `fn` with rendered resources and stack indexes remembered, so a pass over a large app
 * renders each resource once instead of once per rule and reference. Only for a pass in which the
 * construct tree does not change (a validation run); outside it nothing is remembered.
 */
export function withResolutionCache<T>(fn: () => T): T {
  const outer = cache;
  cache = outer ?? { views: new Map(), stacks: new Map() };
  try {
    return fn();
  } finally {
    cache = outer;
  }
}

/** Renders `node` as the template will hold it. */
export function viewOf(node: CfnResource): CfnView {
  const known = cache?.views.get(node);
  if (known) return known;
  const view = renderView(node);
  cache?.views.set(node, view);
  return view;
}

function renderView(node: CfnResource): CfnView {
  const rendered = Stack.of(node).resolve(node._toCloudFormation()) as { Resources: Record<string, any> };
  const [logicalId, body] = Object.entries(rendered.Resources)[0];
  return {
    node,
    logicalId,
    type: body.Type,
    properties: body.Properties ?? {},
    deletionPolicy: body.DeletionPolicy,
    metadata: body.Metadata ?? {},
  };
}

/**
 * Reads a scalar the way cdk-nag does (`NagRules.resolveIfPrimitive`), except that a value that is
 * not known at synth time gives `UNRESOLVED` instead of an error: the rules then do not apply.
 */
export function scalar(node: CfnResource, value: unknown): Scalar {
  if (value === undefined || value === null) {
    return undefined;
  }
  try {
    return NagRules.resolveIfPrimitive(node, value);
  } catch {
    return UNRESOLVED;
  }
}

/** `scalar` for a value that must be a string: anything else known is `UNRESOLVED` too. */
export function stringValue(node: CfnResource, value: unknown): string | undefined | typeof UNRESOLVED {
  const v = scalar(node, value);
  return v === undefined || v === UNRESOLVED || typeof v === 'string' ? v : UNRESOLVED;
}

/** Whether a boolean property is known to be true (CloudFormation also takes the strings `true`/`false`). */
export function isTrue(value: unknown): boolean | typeof UNRESOLVED {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  return UNRESOLVED;
}

/** Every CloudFormation resource of the stack `node` belongs to (nested stacks excluded). */
export function resourcesOfStack(node: CfnResource): CfnResource[] {
  return indexOf(Stack.of(node)).resources;
}

function indexOf(stack: Stack): StackIndex {
  const known = cache?.stacks.get(stack);
  if (known) return known;
  const resources = stack.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack);
  let byLogicalId: Map<string, CfnResource> | undefined;
  const index: StackIndex = {
    resources,
    // Built on first use: resolving every logical ID is the costly part.
    get byLogicalId() {
      byLogicalId ??= new Map(resources.map((r) => [stack.resolve(r.logicalId) as string, r]));
      return byLogicalId;
    },
  };
  cache?.stacks.set(stack, index);
  return index;
}

/** The resources of `node`'s stack with the given type, rendered. */
export function viewsOfType(node: CfnResource, type: string): CfnView[] {
  return resourcesOfStack(node).filter((r) => r.cfnResourceType === type).map(viewOf);
}

/** The logical ID a `{ Ref }` or `{ Fn::GetAtt }` points at, if `value` is one. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const v = value as Record<string, any>;
  if (typeof v.Ref === 'string' && !v.Ref.startsWith('AWS::')) return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** The resource of `node`'s stack that `value` refers to (`Ref` or `Fn::GetAtt`), rendered. */
export function referencedResource(node: CfnResource, value: unknown): CfnView | undefined {
  const logicalId = referencedLogicalId(value);
  if (logicalId === undefined) return undefined;
  const target = indexOf(Stack.of(node)).byLogicalId.get(logicalId);
  return target ? viewOf(target) : undefined;
}

/**
 * The `AWS::ACMPCA::CertificateAuthority` of this stack that a `CertificateAuthorityArn` value
 * names: a `Ref`/`GetAtt` of the CA itself, or the `Ref` of an
 * `AWS::ACMPCA::CertificateAuthorityActivation` (whose Ref is the CA's ARN; this library's CAs hand
 * that out so consumers wait until the CA is ACTIVE), followed to its own `CertificateAuthorityArn`.
 * `undefined` when the CA is not in the stack or the value is not known at synth time.
 */
export function certificateAuthorityOf(node: CfnResource, arnValue: unknown): CfnView | undefined {
  const target = referencedResource(node, arnValue);
  if (target === undefined) return undefined;
  if (target.type === CA_TYPE) return target;
  const isRef = typeof arnValue === 'object' && arnValue !== null && 'Ref' in arnValue;
  if (target.type === CA_ACTIVATION_TYPE && isRef) {
    const ca = referencedResource(target.node, target.properties.CertificateAuthorityArn);
    return ca?.type === CA_TYPE ? ca : undefined;
  }
  return undefined;
}

/**
 * The text of a string value with CloudFormation pseudo parameters written as `${AWS::Region}`
 * etc.: a concrete string, or an `Fn::Join` of strings and pseudo-parameter Refs (the usual shape
 * of an ARN built with `Aws.PARTITION`). `undefined` for anything else.
 */
export function joinedText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, any>;
  if (typeof v.Ref === 'string' && v.Ref.startsWith('AWS::')) return '${' + v.Ref + '}';
  const join = v['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(joinedText);
    return parts.every((p: string | undefined) => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

/** The concrete region of `node`'s stack, or `undefined` for an environment-agnostic stack. */
export function concreteRegion(node: CfnResource): string | undefined {
  const region = Stack.of(node).region;
  return Token.isUnresolved(region) ? undefined : region;
}

/** The values of a list property, or `UNRESOLVED` when the list itself is an intrinsic. */
export function listValue(value: unknown): unknown[] | typeof UNRESOLVED {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : UNRESOLVED;
}
