import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, WORK_DIR } from '../../harness/paths';

/** The rule file under test: the one that ships in the npm package. */
export const GUARD_RULES = path.join(ROOT, 'rules', 'pki-checks.guard');

/** Scratch directory for templates and input-parameter files of these tests. */
export const GUARD_WORK_DIR = path.join(WORK_DIR, 'guard');

const PLATFORM_DIRS: Record<string, string> = { linux: 'ubuntu', darwin: 'macos' };
const ARCH_DIRS: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64' };

/**
 * The cfn-guard binary that @cdklabs/cdk-validator-cfnguard ships for this platform and architecture.
 * Throws when there is none, so the tests fail instead of skipping.
 */
export function guardBinary(packageDir = path.join(ROOT, 'node_modules', '@cdklabs', 'cdk-validator-cfnguard')): string {
  const os = PLATFORM_DIRS[process.platform];
  const arch = ARCH_DIRS[process.arch];
  if (!os || !arch) {
    throw new Error(`no cfn-guard binary for ${process.platform}/${process.arch} in @cdklabs/cdk-validator-cfnguard`);
  }
  const bin = path.join(packageDir, 'bin', os, arch, 'cfn-guard');
  if (!fs.existsSync(bin)) {
    throw new Error(`cfn-guard binary not found at ${bin}: install the devDependency @cdklabs/cdk-validator-cfnguard (npm install)`);
  }
  return bin;
}

/** The PkiChecks input parameters of the rule file. */
export interface GuardParams {
  /** Runs the Warning-level rules too. */
  readonly includeWarnings?: boolean;
  /** The stack's region (PKI-ACM5 Ref case, PKI-PCA6). */
  readonly region?: string;
}

/** One rule's outcome, taken from cfn-guard's JSON output. */
export interface GuardResult {
  /** cfn-guard's overall status of the data file. */
  readonly status: 'PASS' | 'FAIL' | 'SKIP';
  /** Guard rule name (e.g. PKI_ACM1) → the custom messages of its failing clauses. */
  readonly failed: ReadonlyMap<string, string[]>;
  /** Guard rule names that passed. */
  readonly passed: readonly string[];
  /** Guard rule names that did not apply. */
  readonly skipped: readonly string[];
}

/** All non-empty `custom_message` strings anywhere below `node`. */
function customMessages(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    node.forEach((n) => customMessages(n, out));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'custom_message' && typeof value === 'string' && value.trim() !== '') {
        out.push(value.trim());
      } else {
        customMessages(value, out);
      }
    }
  }
  return out;
}

/** Writes the input-parameter file for `params` and returns its path. */
function paramsFile(params: GuardParams): string {
  const body: Record<string, unknown> = {};
  if (params.includeWarnings !== undefined) body.IncludeWarnings = params.includeWarnings;
  if (params.region !== undefined) body.Region = params.region;
  fs.mkdirSync(GUARD_WORK_DIR, { recursive: true });
  const file = path.join(GUARD_WORK_DIR, `params-${process.pid}-${params.includeWarnings ? 'w' : 'e'}-${params.region ?? 'none'}.json`);
  fs.writeFileSync(file, JSON.stringify({ PkiChecks: body }));
  return file;
}

/**
 * Runs `cfn-guard validate` with the rule file on one template (JSON or YAML) and parses its JSON
 * output. Throws on anything but a PASS/FAIL/SKIP run (exit codes 0 and 19).
 */
export function runGuard(dataFile: string, params?: GuardParams, rules = GUARD_RULES): GuardResult {
  const args = ['validate', '--rules', rules, '--data', dataFile, '--output-format', 'json', '--show-summary', 'none'];
  if (params) {
    args.push('--input-params', paramsFile(params));
  }
  const res = spawnSync(guardBinary(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) {
    throw new Error(`cannot run cfn-guard: ${res.error.message}`);
  }
  if (res.status !== 0 && res.status !== 19) {
    throw new Error(`cfn-guard exited ${res.status} on ${dataFile}:\n${res.stdout}\n${res.stderr}`);
  }
  const report = JSON.parse(res.stdout);
  const failed = new Map<string, string[]>();
  for (const entry of report.not_compliant as Array<{ Rule: { name: string } }>) {
    failed.set(entry.Rule.name, customMessages(entry.Rule));
  }
  return { status: report.status, failed, passed: report.compliant, skipped: report.not_applicable };
}

/** Writes a synthesized template where cfn-guard can read it and returns the path. */
export function writeTemplate(name: string, template: unknown): string {
  fs.mkdirSync(GUARD_WORK_DIR, { recursive: true });
  const file = path.join(GUARD_WORK_DIR, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  fs.writeFileSync(file, JSON.stringify(template, null, 1));
  return file;
}
