/* eslint-disable no-console */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT } from 'aws-cdk-lib/cx-api';
import { buildExampleApp } from './app';
import { PkiChecks } from '../src';
import { readCloudAssembly } from '../src/report/assembly';
import { writeReport } from '../src/report/report';

/**
 * Synthesizes the example app into `outdir` with PkiChecks as a validation plugin, so its findings
 * land in the cloud assembly (`validation-report.json`) where `cdk-pki report` reads them. The
 * framework's own printout and exit code are turned off (context
 * `@aws-cdk/core:failSynthOnValidationErrors`): `main` prints the findings and sets the exit code.
 */
export function synthesizeExample(outdir: string) {
  const previous = process.env.CDK_CONTEXT_JSON;
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...JSON.parse(previous ?? '{}'), [FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false });
  try {
    const app = buildExampleApp(outdir);
    Validations.of(app).addPlugins(new PkiChecks());
    return app.synth();
  } finally {
    if (previous === undefined) delete process.env.CDK_CONTEXT_JSON;
    else process.env.CDK_CONTEXT_JSON = previous;
  }
}

/**
 * Synthesizes the example app (no AWS account needed) and prints: the stacks, their resources by
 * type, the findings of the synth-time checks (warnings and errors the constructs reported), the
 * findings of the PkiChecks rule pack, and where the estate report (`cdk-pki report`) was written.
 */
function main(): void {
  const outdir = process.env.CDK_PKI_EXAMPLE_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-example-'));
  const assembly = synthesizeExample(outdir);
  const pkiFindings = new Map<string, string[]>();
  for (const f of readCloudAssembly(outdir).validationFindings ?? []) {
    if (f.acknowledged) continue;
    const stack = f.constructPath.split('/')[0];
    pkiFindings.set(stack, [...(pkiFindings.get(stack) ?? []), `[${f.severity}] ${f.ruleName} ${f.constructPath}`]);
  }
  let errors = 0;
  for (const stack of assembly.stacks) {
    const resources = Object.values<{ Type: string }>(stack.template.Resources ?? {});
    const byType = new Map<string, number>();
    for (const r of resources) byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);
    const bytes = Buffer.byteLength(JSON.stringify(stack.template));
    console.log(`Stack ${stack.stackName} (${stack.environment.account}/${stack.environment.region}): ${resources.length} resources, ${bytes} template bytes`);
    for (const [type, count] of [...byType.entries()].sort()) {
      console.log(`  ${String(count).padStart(3)}  ${type}`);
    }
    for (const m of stack.messages.filter((i) => i.level === 'info' && String(i.entry.data).startsWith('cdk-pki cost estimate'))) {
      console.log(`  ${String(m.entry.data).split('. ')[0]}`);
    }
    const findings = stack.messages.filter((m) => m.level !== 'info');
    console.log(`  check findings: ${findings.length}`);
    for (const m of findings) {
      if (m.level === 'error') errors++;
      const text = String(m.entry.data).split('\n')[0];
      console.log(`    [${m.level}] ${m.id}: ${text.length > 150 ? text.slice(0, 147) + '...' : text}`);
    }
    const pki = pkiFindings.get(stack.stackName) ?? [];
    console.log(`  PkiChecks findings: ${pki.length}`);
    for (const line of pki) {
      if (line.startsWith('[error]') || line.startsWith('[fatal]')) errors++;
      console.log(`    ${line}`);
    }
  }
  console.log(`Synthesized ${assembly.stacks.length} stack(s) into ${outdir}`);
  const report = writeReport(outdir);
  console.log(`Estate report: ${report.html} (and ${path.basename(report.markdown)}; open it in a browser, or run: npx cdk-pki report ${outdir})`);
  if (errors > 0) {
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main();
}
