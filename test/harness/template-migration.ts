import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './paths';
import { referencesIn } from './template-change';

/**
 * Before/after template comparison for migrations (issue 14): an app written with aws-cdk-lib
 * (before) and the same app written with cdk-pki (after), compared resource by resource by logical ID,
 * with every changed top-level property classified by the CloudFormation resource schemas that ship
 * with cfn-lint (`createOnlyProperties`: changing one replaces the resource).
 *
 * What is compared: `Resources` only, and of each resource its `Type`, `Properties`, `DeletionPolicy`,
 * `UpdateReplacePolicy` and `Condition`. `Metadata` (aws:cdk:path, cdk-nag acknowledgements, ...) and
 * `DependsOn` never change the physical resource and are ignored, as are the `AWS::CDK::Metadata`
 * resource, parameters (BootstrapVersion, asset parameters), rules and outputs. Values are compared
 * in a canonical form (see `canonical`): spellings CloudFormation resolves to the same value, such as
 * `arn:${AWS::Partition}:...` and `arn:aws:...`, or `Ref` and `Fn::GetAtt Arn` of a Private CA, are equal
 * (CloudFormation compares resolved values, so neither updates nor replaces anything).
 *
 * What counts as a replacement:
 * - a create-only property changes (a nested change inside a create-only top-level property, or one
 *   that touches a nested create-only pointer, counts as create-only);
 * - a property's text is unchanged but it references (Ref, Fn::GetAtt, Fn::Sub) a resource that is
 *   replaced, so its value changes at deploy time (`viaReplacementOf`);
 * - the logical ID changes (`logicalIdChanges`: a resource removed and one of the same type added):
 *   CloudFormation creates the new one and deletes the old one;
 * - the type changes: CloudFormation refuses the update ("Update of resource type is not permitted"),
 *   so this is worse than a replacement: the stack cannot be updated until the logical ID changes too.
 *
 * Custom resources (`Custom::*`, `AWS::CloudFormation::CustomResource`) have no schema: a property change
 * sends an Update to their handler, which may replace the physical resource (kind `handler`).
 *
 * Usage:
 *   const m = compareTemplates(Template.fromStack(before), Template.fromStack(after));
 *   expect(migrationProblems(m)).toEqual([]);              // readable lines on failure
 *   expect(m.changed.find((c) => c.logicalId === 'Cert')?.properties.map((p) => p.property)).toEqual(['Tags']);
 *   console.log(describeMigration(m));
 */

/** A CloudFormation template (JSON), or anything with `toJSON()` returning one (an assertions `Template`). */
export type TemplateLike = { Resources?: Record<string, any> } | { toJSON(): any };

/**
 * How a property change is applied:
 * - `create-only`: the resource is replaced (a new physical resource, the old one deleted);
 * - `updatable`: updated in place;
 * - `handler`: a custom resource's handler gets an Update event and decides;
 * - `unknown`: no schema was found for the type (treated as a possible replacement).
 */
export type ChangeKind = 'create-only' | 'updatable' | 'handler' | 'unknown';

/** One changed top-level property of a resource present in both templates with the same type. */
export interface PropertyChange {
  /** The top-level property name, e.g. `KeyAlgorithm`. */
  readonly property: string;
  readonly kind: ChangeKind;
  /** The value before (undefined: absent). */
  readonly before: unknown;
  /** The value after (undefined: absent). */
  readonly after: unknown;
  /**
   * The JSON pointers (from the property, e.g. `/Subject/Organization`, `` for the whole value) that
   * differ. Empty when the text is equal and the value changes through `viaReplacementOf`.
   */
  readonly paths: string[];
  /**
   * The replaced resources (logical IDs) this property references, when its text is equal but its
   * value changes at deploy time because they are replaced.
   */
  readonly viaReplacementOf?: string[];
}

/** A resource attribute outside `Properties` that changed. */
export interface AttributeChange {
  readonly before: unknown;
  readonly after: unknown;
}

/** A resource in both templates, with the same type, that changed. */
export interface ResourceChange {
  readonly logicalId: string;
  readonly type: string;
  /** Changed top-level properties, sorted by name. */
  readonly properties: PropertyChange[];
  /** `DeletionPolicy`, compared with CloudFormation's default (Delete; Snapshot for RDS instances/clusters). */
  readonly deletionPolicy?: AttributeChange;
  /** `UpdateReplacePolicy`, compared with CloudFormation's default (Delete). */
  readonly updateReplacePolicy?: AttributeChange;
  readonly condition?: AttributeChange;
  /** Whether the update replaces the resource (a create-only, or unknown, property change). */
  readonly replaced: boolean;
}

/** A resource that is in one template only. */
export interface ResourceRef {
  readonly logicalId: string;
  readonly type: string;
}

/** The same resource (same type) under another logical ID: removed from before, added in after. */
export interface LogicalIdChange {
  readonly type: string;
  readonly before: string;
  readonly after: string;
}

/** The comparison of two templates. */
export interface TemplateMigration {
  /** Resources of before that after does not have (sorted by logical ID). */
  readonly removed: ResourceRef[];
  /** Resources of after that before does not have (sorted by logical ID). */
  readonly added: ResourceRef[];
  /** Same logical ID, another type: CloudFormation refuses the update. */
  readonly typeChanged: Array<{ logicalId: string; before: string; after: string }>;
  /**
   * A removed and an added resource of the same type, paired (by the number of equal properties):
   * the same resource under a new logical ID, so a replacement. Every pair is also in `removed`/`added`.
   */
  readonly logicalIdChanges: LogicalIdChange[];
  /** Resources in both with the same type that changed (sorted by logical ID). */
  readonly changed: ResourceChange[];
}

/** Where to find the schemas, and for which region. */
export interface SchemaOptions {
  /**
   * cfn-lint's `data/schemas` directory.
   *
   * @default - found in the project's `.venv` (`.venv/lib/python3.X/site-packages/cfnlint/data/schemas`)
   */
  readonly schemaDir?: string;
  /** The region whose schemas are read, and the value of `AWS::Region`. @default 'us-east-1' */
  readonly region?: string;
}

/** How the templates are compared. */
export interface CompareOptions extends SchemaOptions {
  /**
   * The value of `AWS::AccountId` (other pseudo parameters follow from the region).
   *
   * @default - `AWS::AccountId` stays unresolved
   */
  readonly account?: string;
}

/** The parts of a resource schema the comparison uses. */
export interface ResourceSchemaFacts {
  readonly type: string;
  /** JSON pointers such as `/properties/KeyAlgorithm` or `/properties/Foo/*\/Bar`. */
  readonly createOnlyProperties: string[];
  /** The property `Ref` returns: the schema's primary identifier when it is a single property. */
  readonly refProperty?: string;
  /** Whether `refProperty` is read-only (an attribute, `Fn::GetAtt`), rather than a property of the template. */
  readonly refIsAttribute: boolean;
}

const schemaCache = new Map<string, ResourceSchemaFacts | undefined>();
const providerCache = new Map<string, Record<string, string> | undefined>();

/** cfn-lint's `data/schemas` directory inside the project's venv. */
export function findSchemaDir(root: string = ROOT): string {
  const lib = path.join(root, '.venv', 'lib');
  const pythons = fs.existsSync(lib) ? fs.readdirSync(lib).filter((d) => d.startsWith('python')).sort() : [];
  for (const py of pythons) {
    const dir = path.join(lib, py, 'site-packages', 'cfnlint', 'data', 'schemas');
    if (fs.existsSync(path.join(dir, 'providers'))) return dir;
  }
  throw new Error(`cfn-lint's resource schemas are not in ${lib}/python*/site-packages/cfnlint/data/schemas (run scripts/setup-venv.sh)`);
}

/**
 * The schema facts of a resource type, read from cfn-lint's schemas (cached per directory, region
 * and type); `undefined` when cfn-lint has no schema for it (custom resources, unknown types).
 *
 * Two layouts are understood: `providers/<region>.json` mapping each type to
 * `resources/<hash>.json` (cfn-lint >= 1.3x), and `providers/<region_with_underscores>/<type>.json`
 * (older cfn-lint 1.x, file names like `aws-certificatemanager-certificate.json`).
 */
export function resourceSchema(type: string, options: SchemaOptions = {}): ResourceSchemaFacts | undefined {
  const dir = options.schemaDir ?? findSchemaDir();
  const region = options.region ?? 'us-east-1';
  const key = `${dir}\n${region}\n${type}`;
  if (schemaCache.has(key)) return schemaCache.get(key);
  const file = schemaFile(dir, region, type);
  let facts: ResourceSchemaFacts | undefined;
  if (file !== undefined) {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    const ids: string[] = raw.primaryIdentifier ?? [];
    const refProperty = ids.length === 1 && /^\/properties\/[^/]+$/.test(ids[0]) ? ids[0].slice('/properties/'.length) : undefined;
    facts = {
      type,
      createOnlyProperties: [...(raw.createOnlyProperties ?? [])],
      refProperty,
      refIsAttribute: refProperty !== undefined && (raw.readOnlyProperties ?? []).includes(`/properties/${refProperty}`),
    };
  }
  schemaCache.set(key, facts);
  return facts;
}

function schemaFile(dir: string, region: string, type: string): string | undefined {
  const index = path.join(dir, 'providers', `${region}.json`);
  const indexKey = `${dir}\n${region}`;
  if (!providerCache.has(indexKey)) {
    providerCache.set(indexKey, fs.existsSync(index) ? JSON.parse(fs.readFileSync(index, 'utf8')) : undefined);
  }
  const hash = providerCache.get(indexKey)?.[type];
  if (hash !== undefined) {
    const file = path.join(dir, 'resources', `${hash}.json`);
    if (fs.existsSync(file)) return file;
  }
  const old = path.join(dir, 'providers', region.replace(/-/g, '_'), `${type.toLowerCase().replace(/::/g, '-')}.json`);
  return fs.existsSync(old) ? old : undefined;
}

function isCustomResource(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

function resourcesOf(t: TemplateLike): Record<string, any> {
  const raw = typeof (t as any).toJSON === 'function' ? (t as any).toJSON() : t;
  const out: Record<string, any> = {};
  for (const [id, r] of Object.entries<any>(raw?.Resources ?? {})) {
    if (r?.Type === 'AWS::CDK::Metadata') continue;
    out[id] = r;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The JSON pointers (relative to the two values) at which they differ. */
export function differingPaths(before: unknown, after: unknown, at = ''): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => differingPaths(before[k], after[k], `${at}/${escapePointer(k)}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((v, i) => differingPaths(v, after[i], `${at}/${i}`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [at];
}

/** `/properties/A/*\/B` as ['A', '*', 'B']. */
function pointerSegments(pointer: string): string[] {
  return pointer.replace(/^\/properties/, '').split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function segmentsMatch(a: string[], b: string[]): boolean {
  return a.every((s, i) => s === b[i] || s === '*' || b[i] === '*');
}

/**
 * Whether a change at `changed` (segments from the top-level property, the property name first)
 * touches a create-only pointer: the pointer covers it, or it covers the pointer (a whole value
 * replaced around a nested create-only property: conservatively create-only).
 */
function touchesCreateOnly(changed: string[], createOnly: string[][]): boolean {
  return createOnly.some((p) => (p.length <= changed.length
    ? segmentsMatch(p, changed.slice(0, p.length))
    : segmentsMatch(changed, p.slice(0, changed.length))));
}

/** The pseudo parameters resolved before comparing: partition and URL suffix from the region, region and account when given. */
function pseudoParameters(options: CompareOptions): Record<string, string> {
  const region = options.region ?? 'us-east-1';
  const [partition, urlSuffix] = region.startsWith('cn-') ? ['aws-cn', 'amazonaws.com.cn']
    : region.startsWith('us-gov-') ? ['aws-us-gov', 'amazonaws.com'] : ['aws', 'amazonaws.com'];
  return {
    'AWS::Partition': partition,
    'AWS::URLSuffix': urlSuffix,
    ...(options.region !== undefined ? { 'AWS::Region': options.region } : {}),
    ...(options.account !== undefined ? { 'AWS::AccountId': options.account } : {}),
  };
}

/**
 * A value in a canonical form, so that two spellings CloudFormation resolves alike compare equal:
 * pseudo parameters resolved (`arn:${AWS::Partition}:...` equals `arn:aws:...`), `Fn::Join` and
 * `Fn::Sub` of known strings folded, `Fn::GetAtt` as an array, and `Ref` of a resource replaced by
 * what it returns according to its schema (the primary identifier): `{ Fn::GetAtt: [X, Arn] }` for a
 * read-only identifier (`Ref` of an `AWS::ACMPCA::CertificateAuthority` is its `Arn`), or the
 * resource's own property (`Ref` of an `AWS::ACMPCA::CertificateAuthorityActivation` is its
 * `CertificateAuthorityArn`). That `Ref` returns the primary identifier is the CloudFormation
 * registry's convention; it holds for the ACM, Private CA, S3, IAM and Lambda types these tests use.
 */
function canonical(
  value: unknown, resources: Record<string, any>, pseudo: Record<string, string>, options: CompareOptions, seen: string[] = [],
): unknown {
  const again = (v: unknown, more: string[] = []) => canonical(v, resources, pseudo, options, [...seen, ...more]);
  if (Array.isArray(value)) return value.map((v) => again(v));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [k] = keys;
    const v = value[k];
    if (k === 'Ref' && typeof v === 'string') {
      if (v in pseudo) return pseudo[v];
      const r = resources[v];
      const schema = r === undefined || seen.includes(v) || isCustomResource(String(r.Type)) ? undefined : resourceSchema(String(r.Type), options);
      if (schema?.refProperty !== undefined) {
        if (schema.refIsAttribute) return { 'Fn::GetAtt': [v, schema.refProperty] };
        const own = r.Properties?.[schema.refProperty];
        if (own !== undefined) return again(own, [v]);
      }
      return value;
    }
    if (k === 'Fn::GetAtt') {
      const [id, ...attribute] = Array.isArray(v) ? v.map(String) : String(v).split('.');
      return { 'Fn::GetAtt': [id, attribute.join('.')] };
    }
    if (k === 'Fn::Join' && Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && Array.isArray(v[1])) {
      const parts = (v[1] as unknown[]).map((x) => again(x));
      if (parts.every((x) => typeof x === 'string')) return parts.join(v[0]);
      return { 'Fn::Join': [v[0], parts] };
    }
    if (k === 'Fn::Sub' && (typeof v === 'string' || (Array.isArray(v) && typeof v[0] === 'string'))) {
      const vars: Record<string, unknown> = { ...pseudo, ...(Array.isArray(v) && isObject(v[1]) ? (again(v[1]) as Record<string, unknown>) : {}) };
      const text = String(Array.isArray(v) ? v[0] : v).replace(/\$\{([^!}][^}]*)\}/g, (whole: string, name: string) => {
        const known = vars[name];
        return typeof known === 'string' ? known : whole;
      });
      if (!/\$\{[^!}]/.test(text)) return text.replace(/\$\{!/g, '${');
      return { 'Fn::Sub': Array.isArray(v) && v.length > 1 ? [text, again(v[1])] : text };
    }
  }
  return Object.fromEntries(keys.map((k) => [k, again(value[k])]));
}

function defaultDeletionPolicy(type: string): string {
  return type === 'AWS::RDS::DBCluster' || type === 'AWS::RDS::DBInstance' ? 'Snapshot' : 'Delete';
}

function attributeChange(before: unknown, after: unknown, fallback: unknown): AttributeChange | undefined {
  return (before ?? fallback) === (after ?? fallback) ? undefined : { before, after };
}

function kindOf(type: string, property: string, paths: string[], options: SchemaOptions): ChangeKind {
  if (isCustomResource(type)) return 'handler';
  const schema = resourceSchema(type, options);
  if (schema === undefined) return 'unknown';
  const createOnly = schema.createOnlyProperties.map(pointerSegments);
  const touched = paths.some((p) => touchesCreateOnly([property, ...pointerSegments(`/properties${p}`)], createOnly));
  return touched ? 'create-only' : 'updatable';
}

function replacing(kind: ChangeKind): boolean {
  return kind === 'create-only' || kind === 'unknown';
}

/** Pairs removed and added resources of the same type, most equal top-level properties first. */
function pairLogicalIds(removed: ResourceRef[], added: ResourceRef[], b: Record<string, any>, a: Record<string, any>): LogicalIdChange[] {
  const candidates: Array<{ r: ResourceRef; n: ResourceRef; score: number }> = [];
  for (const r of removed) {
    for (const n of added.filter((x) => x.type === r.type)) {
      const bp = b[r.logicalId].Properties ?? {};
      const ap = a[n.logicalId].Properties ?? {};
      const keys = new Set([...Object.keys(bp), ...Object.keys(ap)]);
      const score = [...keys].filter((k) => JSON.stringify(bp[k]) === JSON.stringify(ap[k])).length;
      candidates.push({ r, n, score });
    }
  }
  candidates.sort((x, y) => y.score - x.score || x.r.logicalId.localeCompare(y.r.logicalId) || x.n.logicalId.localeCompare(y.n.logicalId));
  const used = new Set<string>();
  const pairs: LogicalIdChange[] = [];
  for (const { r, n } of candidates) {
    if (used.has(`b:${r.logicalId}`) || used.has(`a:${n.logicalId}`)) continue;
    used.add(`b:${r.logicalId}`);
    used.add(`a:${n.logicalId}`);
    pairs.push({ type: r.type, before: r.logicalId, after: n.logicalId });
  }
  return pairs.sort((x, y) => x.before.localeCompare(y.before));
}

/**
 * Compares two templates resource by resource by logical ID (see the file comment).
 *
 * @param before the template of the app written with aws-cdk-lib
 * @param after the template of the same app written with cdk-pki
 */
export function compareTemplates(before: TemplateLike, after: TemplateLike, options: CompareOptions = {}): TemplateMigration {
  const b = resourcesOf(before);
  const a = resourcesOf(after);
  const pseudo = pseudoParameters(options);
  const canonicalBefore = (v: unknown) => canonical(v, b, pseudo, options);
  const canonicalAfter = (v: unknown) => canonical(v, a, pseudo, options);
  const byId = (x: { logicalId: string }, y: { logicalId: string }) => x.logicalId.localeCompare(y.logicalId);
  const removed = Object.keys(b).filter((id) => !(id in a)).map((id) => ({ logicalId: id, type: String(b[id].Type) })).sort(byId);
  const added = Object.keys(a).filter((id) => !(id in b)).map((id) => ({ logicalId: id, type: String(a[id].Type) })).sort(byId);
  const common = Object.keys(b).filter((id) => id in a).sort();
  const typeChanged = common.filter((id) => b[id].Type !== a[id].Type).map((id) => ({ logicalId: id, before: b[id].Type, after: a[id].Type }));
  const logicalIdChanges = pairLogicalIds(removed, added, b, a);

  // Text changes first, then properties whose value changes because what they reference is replaced,
  // until nothing new is replaced.
  const sameType = common.filter((id) => b[id].Type === a[id].Type);
  const changes = new Map<string, PropertyChange[]>();
  for (const id of sameType) {
    const bp = b[id].Properties ?? {};
    const ap = a[id].Properties ?? {};
    const props = [...new Set([...Object.keys(bp), ...Object.keys(ap)])].sort();
    changes.set(id, props.flatMap((p) => {
      const paths = differingPaths(canonicalBefore(bp[p]), canonicalAfter(ap[p]));
      if (paths.length === 0) return [];
      return [{ property: p, kind: kindOf(a[id].Type, p, paths, options), before: bp[p], after: ap[p], paths }];
    }));
  }
  const replaced = new Set<string>([
    ...typeChanged.map((t) => t.logicalId),
    ...logicalIdChanges.map((c) => c.after),
    ...sameType.filter((id) => changes.get(id)!.some((c) => replacing(c.kind))),
  ]);
  for (let grew = true; grew;) {
    grew = false;
    for (const id of sameType) {
      const list = changes.get(id)!;
      const ap = a[id].Properties ?? {};
      for (const p of Object.keys(ap).sort()) {
        if (list.some((c) => c.property === p)) continue;
        const via = [...referencesIn(canonicalAfter(ap[p]))].filter((r) => replaced.has(r)).sort();
        if (via.length === 0) continue;
        const kind = kindOf(a[id].Type, p, [''], options);
        list.push({ property: p, kind, before: b[id].Properties?.[p], after: ap[p], paths: [], viaReplacementOf: via });
        list.sort((x, y) => x.property.localeCompare(y.property));
        if (replacing(kind) && !replaced.has(id)) {
          replaced.add(id);
          grew = true;
        }
      }
    }
  }

  const changed: ResourceChange[] = [];
  for (const id of sameType) {
    const type = a[id].Type;
    const properties = changes.get(id)!;
    const deletionPolicy = attributeChange(b[id].DeletionPolicy, a[id].DeletionPolicy, defaultDeletionPolicy(type));
    const updateReplacePolicy = attributeChange(b[id].UpdateReplacePolicy, a[id].UpdateReplacePolicy, 'Delete');
    const condition = attributeChange(b[id].Condition, a[id].Condition, undefined);
    if (properties.length === 0 && !deletionPolicy && !updateReplacePolicy && !condition) continue;
    changed.push({
      logicalId: id,
      type,
      properties,
      ...(deletionPolicy ? { deletionPolicy } : {}),
      ...(updateReplacePolicy ? { updateReplacePolicy } : {}),
      ...(condition ? { condition } : {}),
      replaced: properties.some((c) => replacing(c.kind)),
    });
  }
  return { removed, added, typeChanged, logicalIdChanges, changed };
}

/** The logical IDs (after) that the update replaces: type changes, new logical IDs, replacing property changes. */
export function replacedResources(m: TemplateMigration): string[] {
  return [...new Set([
    ...m.typeChanged.map((t) => t.logicalId),
    ...m.logicalIdChanges.map((c) => `${c.before} -> ${c.after}`),
    ...m.changed.filter((c) => c.replaced).map((c) => c.logicalId),
  ])].sort();
}

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** One line per property change, e.g. `Cert5C9FAEC1 (AWS::CertificateManager::Certificate) KeyAlgorithm [create-only]: (absent) -> "RSA_2048"`. */
function propertyLine(c: ResourceChange, p: PropertyChange): string {
  const where = p.viaReplacementOf ? ` (unchanged text; references replaced ${p.viaReplacementOf.join(', ')})` : '';
  return `${c.logicalId} (${c.type}) ${p.property} [${p.kind}]${where}: ${show(p.before)} -> ${show(p.after)}`;
}

/**
 * Everything that replaces, removes or refuses to update a resource, one readable line each: empty
 * for a migration that keeps every resource. Resources only added, updatable property changes and
 * policy changes are not problems (see `describeMigration`).
 */
export function migrationProblems(m: TemplateMigration): string[] {
  const paired = new Set(m.logicalIdChanges.flatMap((c) => [`b:${c.before}`, `a:${c.after}`]));
  return [
    ...m.typeChanged.map((t) => `${t.logicalId}: type ${t.before} -> ${t.after} (CloudFormation refuses the update)`),
    ...m.logicalIdChanges.map((c) => `${c.before} -> ${c.after} (${c.type}): logical ID changed, the resource is replaced`),
    ...m.removed.filter((r) => !paired.has(`b:${r.logicalId}`)).map((r) => `${r.logicalId} (${r.type}): removed`),
    ...m.changed.flatMap((c) => c.properties.filter((p) => replacing(p.kind)).map((p) => propertyLine(c, p))),
  ];
}

/** A readable report of the whole comparison, for failure messages and the README. */
export function describeMigration(m: TemplateMigration): string {
  const lines: string[] = [];
  for (const t of m.typeChanged) lines.push(`TYPE CHANGED ${t.logicalId}: ${t.before} -> ${t.after} (CloudFormation refuses the update)`);
  for (const c of m.logicalIdChanges) lines.push(`LOGICAL ID CHANGED ${c.before} -> ${c.after} (${c.type}): replaced`);
  for (const r of m.removed) lines.push(`REMOVED ${r.logicalId} (${r.type})`);
  for (const r of m.added) lines.push(`ADDED ${r.logicalId} (${r.type})`);
  for (const c of m.changed) {
    lines.push(`CHANGED ${c.logicalId} (${c.type})${c.replaced ? ': REPLACED' : ''}`);
    for (const p of c.properties) lines.push(`  ${propertyLine(c, p)}`);
    if (c.deletionPolicy) lines.push(`  DeletionPolicy: ${show(c.deletionPolicy.before)} -> ${show(c.deletionPolicy.after)}`);
    if (c.updateReplacePolicy) lines.push(`  UpdateReplacePolicy: ${show(c.updateReplacePolicy.before)} -> ${show(c.updateReplacePolicy.after)}`);
    if (c.condition) lines.push(`  Condition: ${show(c.condition.before)} -> ${show(c.condition.after)}`);
  }
  return lines.length === 0 ? 'no change' : lines.join('\n');
}
