import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { VENV_BIN, WORK_DIR } from './paths';
import { postJson, workerEndpoint } from './workers';

/** One cfn-lint finding. */
export interface LintFinding {
  readonly level: 'Error' | 'Warning' | 'Informational';
  readonly rule: string;
  readonly message: string;
  readonly file: string;
  readonly path: string;
}

const recorded: Array<{ name: string; template: unknown }> = [];

/**
 * Synthesizes `stack` for assertions and records its template, so the `afterAll` hook of
 * `lint-after-all.ts` runs cfn-lint over it. Use it instead of `Template.fromStack`.
 */
export function synthTemplate(stack: Stack): Template {
  const template = Template.fromStack(stack);
  recorded.push({ name: stack.node.path || stack.stackName, template: template.toJSON() });
  return template;
}

/** Takes (and forgets) the templates recorded since the last call. */
export function takeRecordedTemplates(): Array<{ name: string; template: unknown }> {
  return recorded.splice(0, recorded.length);
}

/**
 * The templates with byte-identical duplicates left out (the first of each keeps its name): the
 * validators are deterministic, so a template synthesized twice needs checking once. Large
 * templates cost seconds of cfn-lint each.
 */
export function distinctTemplates<T extends { name: string; template: unknown }>(templates: readonly T[]): T[] {
  const seen = new Set<string>();
  return templates.filter((t) => {
    const key = JSON.stringify(t.template);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Runs cfn-lint once over the given template files and returns its findings: through this jest
 * worker's cfn-lint server (started by the global setup; it keeps cfn-lint's rules loaded), or the
 * cfn-lint command when there is none.
 */
export async function lintTemplates(files: readonly string[]): Promise<LintFinding[]> {
  if (files.length === 0) return [];
  const servers = process.env.CFN_LINT_ENDPOINTS?.split(',');
  if (!servers) return lintTemplatesWithCommand(files);
  const output = await postJson(workerEndpoint(servers), { files });
  return parseFindings(output, () => `the cfn-lint server gave no JSON output:\n${output}`);
}

/** Runs the cfn-lint command once over the given template files and returns its findings. */
export function lintTemplatesWithCommand(files: readonly string[]): LintFinding[] {
  const bin = path.join(VENV_BIN, 'cfn-lint');
  const res = spawnSync(bin, ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) {
    throw new Error(`cannot run ${bin} (run scripts/setup-venv.sh): ${res.error.message}`);
  }
  return parseFindings(res.stdout, () => `cfn-lint exited ${res.status} without JSON output:\n${res.stdout}\n${res.stderr}`);
}

/** Reads cfn-lint's `--format json` output. */
function parseFindings(output: string, explain: () => string): LintFinding[] {
  let raw: any[];
  try {
    raw = JSON.parse(output || '[]');
  } catch {
    throw new Error(explain());
  }
  return raw.map((m) => ({
    level: m.Level,
    rule: m.Rule?.Id,
    message: m.Message,
    file: m.Filename,
    path: (m.Location?.Path ?? []).join('/'),
  }));
}

/** Writes the templates to `.test-work/cfn-lint/<label>/` and returns the file paths. */
export function writeTemplates(label: string, templates: ReadonlyArray<{ name: string; template: unknown }>): string[] {
  const dir = path.join(WORK_DIR, 'cfn-lint', label.replace(/[^A-Za-z0-9_.-]/g, '_'));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return templates.map((t, i) => {
    const file = path.join(dir, `${String(i).padStart(3, '0')}-${t.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
    fs.writeFileSync(file, JSON.stringify(t.template, undefined, 1));
    return file;
  });
}

/** Writes the templates to `.test-work/cfn-lint/<label>/` and lints them in one run. */
export function lintTemplateObjects(label: string, templates: ReadonlyArray<{ name: string; template: unknown }>): Promise<LintFinding[]> {
  return lintTemplates(writeTemplates(label, templates));
}

/** Formats findings for an error message. */
export function formatFindings(findings: readonly LintFinding[]): string {
  return findings.map((f) => `  ${f.rule} ${path.basename(f.file)} ${f.path}: ${f.message}`).join('\n');
}
