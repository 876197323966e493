import { Engine, RegoEngine, StandardDiagnostic, TemplateFile } from '@aws/cloudformation-validate';
import { postJson } from './workers';

/**
 * A finding of `@aws/cloudformation-validate`, the WASM CloudFormation validator that aws-cdk-lib
 * >= 2.262 runs inside `app.synth()` (our aws-cdk-lib floor, 2.258, does not bundle it yet, so the
 * harness runs it itself, next to cfn-lint).
 */
export interface ValidateFinding {
  readonly file: string;
  readonly severity: StandardDiagnostic['severity'];
  readonly rule: string;
  readonly resource?: string;
  readonly message: string;
}

let engine: Engine | undefined;

/**
 * Validates template files with the built-in rule set: through the validate server of the jest
 * run (one engine for the whole run, in the jest main process: starting an engine takes seconds),
 * or with an engine of this process when there is none.
 */
export async function validateTemplateFiles(files: readonly string[]): Promise<ValidateFinding[]> {
  const server = process.env.CFN_VALIDATE_ENDPOINT;
  return server ? JSON.parse(await postJson(server, { files })) : validateTemplateFilesHere(files);
}

/** Validates template files with an engine of this process. */
export function validateTemplateFilesHere(files: readonly string[]): ValidateFinding[] {
  engine ??= new RegoEngine();
  const findings: ValidateFinding[] = [];
  for (const file of files) {
    const report = engine.validateStandard(new TemplateFile(file));
    for (const d of report.diagnostics) {
      findings.push({ file, severity: d.severity, rule: d.ruleId, resource: d.entity?.logicalId, message: d.message });
    }
  }
  return findings;
}

/** Whether a finding is one that fails a test: CloudFormation would reject the template. */
export function isBlocking(f: ValidateFinding): boolean {
  return f.severity === 'ERROR' || f.severity === 'FATAL';
}
