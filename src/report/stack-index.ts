import { AssemblyStack } from './assembly';
import { importedExportName, referencedLogicalId, Template, TemplateResource, UNKNOWN } from './intrinsics';

/**
 * The resources of every stack of an assembly, with their construct paths, and the resolution of a
 * reference (`Ref`, `Fn::GetAtt`, `Fn::ImportValue` of another stack's export, a literal ARN) to
 * the resource it names.
 *
 * Internal to the report (not exported from the package index).
 */

/** One stack, indexed. */
export interface IndexedStack {
  readonly stack: AssemblyStack;
  /** The stack's display name. */
  readonly name: string;
  /** The stack's region, or "unknown until deploy" when it is environment-agnostic. */
  readonly region: string;
  readonly template: Template;
  readonly resources: Record<string, TemplateResource>;
  /** The construct path of a logical ID (without `/Resource`), or `stack/logicalId` when the assembly does not say. */
  pathOf(logicalId: string): string;
}

/** A resource a reference resolves to. */
export interface ResourceTarget {
  readonly stack: IndexedStack;
  readonly logicalId: string;
  readonly resource: TemplateResource;
  /** The export name when the reference went through `Fn::ImportValue`. */
  readonly viaExport?: string;
}

/** What a value refers to: a resource of the assembly, or a literal string (e.g. an ARN). */
export type Resolved = ResourceTarget | { readonly literal: string };

/** The stacks of an assembly and their exports. */
export class AssemblyIndex {
  public readonly stacks: IndexedStack[];
  private readonly exports = new Map<string, { stack: IndexedStack; value: unknown }>();

  constructor(stacks: readonly AssemblyStack[]) {
    this.stacks = stacks.map(indexStack);
    for (const indexed of this.stacks) {
      for (const output of Object.values(indexed.template.Outputs ?? {})) {
        const name = output?.Export?.Name;
        if (typeof name === 'string') this.exports.set(name, { stack: indexed, value: output.Value });
      }
    }
  }

  /** The resource or literal a value of `stack` refers to; `undefined` for anything else (a `Fn::Join`, a parameter). */
  public resolve(stack: IndexedStack, value: unknown, depth = 0): Resolved | undefined {
    if (typeof value === 'string') {
      return { literal: value };
    }
    const logicalId = referencedLogicalId(value);
    if (logicalId !== undefined) {
      const resource = stack.resources[logicalId];
      return resource ? { stack, logicalId, resource } : undefined;
    }
    const exportName = importedExportName(value);
    const exported = exportName === undefined ? undefined : this.exports.get(exportName);
    if (exported && depth < 5) {
      const target = this.resolve(exported.stack, exported.value, depth + 1);
      return target && 'logicalId' in target ? { ...target, viaExport: exportName } : target;
    }
    return undefined;
  }
}

const RESOURCE_SUFFIXES = ['/Resource/Default', '/Resource', '/Default'];

function indexStack(stack: AssemblyStack): IndexedStack {
  const paths = new Map<string, string>();
  for (const [metadataPath, entries] of Object.entries(stack.metadata)) {
    for (const entry of entries) {
      if (entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        paths.set(entry.data, constructPath(metadataPath));
      }
    }
  }
  const resources = stack.template.Resources ?? {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    const cdkPath = resource.Metadata?.['aws:cdk:path'];
    if (typeof cdkPath === 'string' && !paths.has(logicalId)) paths.set(logicalId, constructPath(cdkPath));
  }
  return {
    stack,
    name: stack.displayName,
    region: stack.region ?? UNKNOWN,
    template: stack.template,
    resources,
    pathOf: (logicalId) => paths.get(logicalId) ?? `${stack.displayName}/${logicalId}`,
  };
}

/** `/Stack/Cert/Resource` → `Stack/Cert`: the path of the construct that owns a resource. */
export function constructPath(metadataPath: string): string {
  let p = metadataPath.replace(/^\//, '');
  for (const suffix of RESOURCE_SUFFIXES) {
    if (p.endsWith(suffix)) {
      p = p.slice(0, -suffix.length);
      break;
    }
  }
  return p;
}
