/* eslint-disable no-console */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { buildExampleApp } from './app';
import { PkiChecks } from '../src';

/**
 * Synthesizes the example app (no AWS account needed) and prints: the stacks, their resources by
 * type, the findings of the synth-time checks (warnings and errors the constructs reported) and
 * the findings of the PkiChecks rule pack.
 */
function main(): void {
  const outdir = process.env.CDK_PKI_EXAMPLE_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-example-'));
  const app = buildExampleApp(outdir);
  const assembly = app.synth();
  const pkiFindings = new Map<string, string[]>();
  for (const stack of app.node.children.filter((c): c is Stack => c instanceof Stack)) {
    const report = new PkiChecks().validateScope(stack);
    pkiFindings.set(stack.stackName, report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `[${v.severity}] ${v.ruleName} ${r.constructPath}`)));
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
      if (line.startsWith('[error]')) errors++;
      console.log(`    ${line}`);
    }
  }
  console.log(`Synthesized ${assembly.stacks.length} stack(s) into ${outdir}`);
  if (errors > 0) {
    process.exitCode = 1;
  }
}

main();
