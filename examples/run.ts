/* eslint-disable no-console */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExampleApp } from './app';

/**
 * Synthesizes the example app (no AWS account needed) and prints: the stacks, their resources by
 * type, and the findings of the synth-time checks (warnings and errors the constructs reported).
 */
function main(): void {
  const outdir = process.env.CDK_PKI_EXAMPLE_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-example-'));
  const assembly = buildExampleApp(outdir).synth();
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
  }
  console.log(`Synthesized ${assembly.stacks.length} stack(s) into ${outdir}`);
  if (errors > 0) {
    process.exitCode = 1;
  }
}

main();
