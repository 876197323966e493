/**
 * Reading CloudFormation values of a synthesized template: literals, references (`Ref`,
 * `Fn::GetAtt`, `Fn::ImportValue`) and values only CloudFormation knows at deploy time.
 *
 * Internal to the report (not exported from the package index).
 */

/** What the report shows for a value CloudFormation only knows at deploy time. */
export const UNKNOWN = 'unknown until deploy';

/** A template as the report reads it. */
export interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Parameters?: Record<string, unknown>;
  readonly Outputs?: Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>;
}

/** One resource of a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
}

/** Whether a value is a CloudFormation intrinsic (`{ Ref }`, `{ Fn::... }`). */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** The logical ID a `{ Ref }` or `{ Fn::GetAtt }` points to, if the value is one. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isIntrinsic(value)) {
    return undefined;
  }
  const ref = value.Ref;
  if (typeof ref === 'string' && !ref.startsWith('AWS::')) {
    return ref;
  }
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
    return getAtt[0];
  }
  if (typeof getAtt === 'string') {
    return getAtt.split('.')[0];
  }
  return undefined;
}

/** The export name of a `{ Fn::ImportValue }` with a literal name. */
export function importedExportName(value: unknown): string | undefined {
  if (!isIntrinsic(value)) {
    return undefined;
  }
  const name = value['Fn::ImportValue'];
  return typeof name === 'string' ? name : undefined;
}

/**
 * A scalar as the report shows it: the literal, or "unknown until deploy" (naming the template
 * parameter when the value is one), or `undefined` when absent.
 */
export function shown(value: unknown, template?: Template): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (isIntrinsic(value) && typeof value.Ref === 'string' && template?.Parameters?.[value.Ref] !== undefined) {
    return `${UNKNOWN} (parameter ${value.Ref})`;
  }
  return UNKNOWN;
}

/** The literal string of a value, or `undefined` when absent or unresolved. */
export function literal(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The elements of a list value (an unresolved list gives one unknown element). */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** Every value nested in a property tree (objects and arrays walked), the tree itself included. */
export function* walk(value: unknown): Generator<unknown> {
  yield value;
  if (Array.isArray(value)) {
    for (const v of value) yield* walk(v);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) yield* walk(v);
  }
}
