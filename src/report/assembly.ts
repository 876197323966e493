import * as fs from 'fs';
import * as path from 'path';
import { Template } from './intrinsics';

/**
 * Reads a synthesized cloud assembly (what `cdk synth` writes, `cdk.out` by default) as plain
 * JSON: the manifest, the stacks of the assembly and of its nested assemblies (stages), their
 * templates and metadata, and the policy-validation report (`validation-report.json`) that holds
 * the findings of `PkiChecks` when the app registered it as a validation plugin.
 *
 * Internal to the report (not exported from the package index).
 */

/** Bad input: the message names the path and the fix. */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
    Object.setPrototypeOf(this, ReportInputError.prototype);
  }
}

/** One metadata entry of a construct path (`aws:cdk:warning`, `aws:cdk:info`, `aws:cdk:logicalId`, ...). */
export interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
}

/** One stack of the assembly. */
export interface AssemblyStack {
  /** The artifact ID, unique within its assembly. */
  readonly artifactId: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** The stack's path in the app (`Stage/Stack` for a stack of a stage). */
  readonly displayName: string;
  /** The account, or `undefined` when the stack is environment-agnostic. */
  readonly account?: string;
  /** The region, or `undefined` when the stack is environment-agnostic. */
  readonly region?: string;
  readonly templateFile: string;
  readonly template: Template;
  /** Metadata by construct path (`/Stack/Construct/Resource`). */
  readonly metadata: Record<string, MetadataEntry[]>;
}

/** One violation of a policy-validation report, flattened per construct. */
export interface ValidationFinding {
  /** The rule, e.g. `PKI-ACM1`. */
  readonly ruleName: string;
  /** `error`, `warning`, `info` or `fatal`. */
  readonly severity: string;
  readonly description: string;
  /** The construct path of the violating construct (usually its `Resource`). */
  readonly constructPath: string;
  /** The reason when the finding is acknowledged in code. */
  readonly acknowledged?: string;
}

/** A cloud assembly, with its nested assemblies' stacks flattened. */
export interface CloudAssembly {
  readonly directory: string;
  readonly version: string;
  readonly stacks: AssemblyStack[];
  /** Findings of the validation plugins; `undefined` when no plugin ran (no `validation-report.json`). */
  readonly validationFindings?: ValidationFinding[];
}

const STACK_TYPE = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY_TYPE = 'cdk:cloud-assembly';
const VALIDATION_REPORT = 'validation-report.json';

/**
 * Reads the cloud assembly in `directory`.
 *
 * @throws ReportInputError when the folder is missing, is not a cloud assembly, or a file it names
 *   cannot be read
 */
export function readCloudAssembly(directory: string): CloudAssembly {
  const dir = path.resolve(directory);
  if (!fs.existsSync(dir)) {
    throw new ReportInputError(`${dir} does not exist: synthesize the app first (npx cdk synth) or pass the folder of its cloud assembly`);
  }
  if (!fs.statSync(dir).isDirectory()) {
    throw new ReportInputError(`${dir} is not a folder: pass the folder of a cloud assembly (what cdk synth writes, cdk.out by default)`);
  }
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new ReportInputError(`${dir} is not a cloud assembly (no manifest.json): pass the folder cdk synth writes (cdk.out by default, or the App's outdir)`);
  }
  const stacks: AssemblyStack[] = [];
  const findings: ValidationFinding[] = [];
  let sawReport = false;
  const visit = (assemblyDir: string, manifest: any, prefix: string) => {
    const reportFile = path.join(assemblyDir, VALIDATION_REPORT);
    if (fs.existsSync(reportFile)) {
      sawReport = true;
      findings.push(...readValidationReport(reportFile));
    }
    for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
      if (artifact?.type === STACK_TYPE) {
        stacks.push(readStack(assemblyDir, artifactId, artifact, prefix));
      } else if (artifact?.type === NESTED_ASSEMBLY_TYPE && typeof artifact.properties?.directoryName === 'string') {
        const nestedDir = path.join(assemblyDir, artifact.properties.directoryName);
        const nestedManifest = readJson(path.join(nestedDir, 'manifest.json'));
        const name = typeof artifact.properties.displayName === 'string' ? artifact.properties.displayName : artifactId;
        visit(nestedDir, nestedManifest, name.startsWith(prefix) ? name : `${prefix}${name}`);
      }
    }
  };
  const manifest = readJson(manifestFile);
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new ReportInputError(`${manifestFile} is not a cloud assembly manifest: synthesize the app again (npx cdk synth)`);
  }
  visit(dir, manifest, '');
  return {
    directory: dir,
    version: typeof manifest.version === 'string' ? manifest.version : 'unknown',
    stacks,
    validationFindings: sawReport ? findings : undefined,
  };
}

function readStack(assemblyDir: string, artifactId: string, artifact: any, stagePrefix: string): AssemblyStack {
  const props = artifact.properties ?? {};
  const templateFile = path.join(assemblyDir, String(props.templateFile ?? `${artifactId}.template.json`));
  const template = readJson(templateFile) as Template;
  const metadata: Record<string, MetadataEntry[]> = {};
  const addMetadata = (entries: Record<string, MetadataEntry[]> | undefined) => {
    for (const [key, list] of Object.entries(entries ?? {})) {
      metadata[key] = [...(metadata[key] ?? []), ...(Array.isArray(list) ? list : [])];
    }
  };
  addMetadata(artifact.metadata);
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = path.join(assemblyDir, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) addMetadata(readJson(file));
  }
  const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(String(artifact.environment ?? ''));
  const stackName = typeof props.stackName === 'string' ? props.stackName : artifactId;
  const displayName = typeof artifact.displayName === 'string' ? artifact.displayName : `${stagePrefix ? `${stagePrefix}/` : ''}${stackName}`;
  return {
    artifactId,
    stackName,
    displayName,
    account: env && env[1] !== 'unknown-account' ? env[1] : undefined,
    region: env && env[2] !== 'unknown-region' ? env[2] : undefined,
    templateFile,
    template,
    metadata,
  };
}

function readValidationReport(file: string): ValidationFinding[] {
  const report = readJson(file);
  const findings: ValidationFinding[] = [];
  for (const plugin of Array.isArray(report.pluginReports) ? report.pluginReports : []) {
    const add = (violation: any, acknowledged?: string) => {
      for (const construct of Array.isArray(violation?.violatingConstructs) ? violation.violatingConstructs : []) {
        findings.push({
          ruleName: String(violation.ruleName),
          severity: String(violation.severity ?? 'error'),
          description: String(violation.description ?? ''),
          constructPath: String(construct.constructPath ?? ''),
          acknowledged,
        });
      }
    };
    for (const v of Array.isArray(plugin.violations) ? plugin.violations : []) add(v);
    for (const v of Array.isArray(plugin.suppressedViolations) ? plugin.suppressedViolations : []) add(v, String(v.reason ?? 'acknowledged'));
  }
  return findings;
}

function readJson(file: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ReportInputError(`${file} cannot be read: synthesize the app again (npx cdk synth) so the cloud assembly is complete`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ReportInputError(`${file} is not valid JSON: synthesize the app again (npx cdk synth) so the cloud assembly is complete`);
  }
}
