import { Engine, RegoEngine, StandardDiagnostic, TemplateFile } from '@aws/cloudformation-validate';

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

/** Validates template files with the built-in rule set; one engine per test file. */
export function validateTemplateFiles(files: readonly string[]): ValidateFinding[] {
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
