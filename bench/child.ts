/* eslint-disable no-console */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildOursApp, buildRawApp, newApp } from './comparison-apps';
import { ChildResult, ChildSpec, RESULT_MARKER, StackStats, VariantInfo } from './protocol';
import { buildHierarchyApp, buildUnitApp, unitVariants } from './unit-apps';

/**
 * One measurement in a fresh process: builds the app the spec names, synthesizes it, and prints
 * the result as one JSON line. Peak memory is this process's maxRSS, so each measurement needs
 * its own process.
 */
function main(): void {
  const spec = JSON.parse(process.argv[2]) as ChildSpec;
  if (spec.kind === 'variants') {
    const info: VariantInfo[] = unitVariants(spec.repoRoot).map((v) => ({ name: v.name, note: v.note }));
    console.log(RESULT_MARKER + JSON.stringify(info));
    return;
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-bench-'));
  try {
    const app = newApp(outdir);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    switch (spec.kind) {
      case 'ours': buildOursApp(app, spec.total, spec.perStack); break;
      case 'ours-no-export': buildOursApp(app, spec.total, spec.perStack, false); break;
      case 'raw': buildRawApp(app, spec.total, spec.perStack); break;
      case 'raw-export': buildRawApp(app, spec.total, spec.perStack, true); break;
      case 'unit': buildUnitApp(app, unitVariants(spec.repoRoot)[spec.variant], spec.count); break;
      case 'hierarchy': buildHierarchyApp(app, spec.issuing); break;
    }
    const t1 = process.hrtime.bigint();
    const buildCpu = process.cpuUsage(c0);
    const c1 = process.cpuUsage();
    const assembly = app.synth();
    const t2 = process.hrtime.bigint();
    const c2 = process.cpuUsage(c1);
    const stacks: StackStats[] = assembly.stacks.map((s) => ({
      name: s.stackName,
      resources: Object.keys(s.template.Resources ?? {}).length,
      // The file as the CDK CLI uploads it (CloudFormation's 1 MB limit applies to it).
      bytes: fs.statSync(s.templateFullPath).size,
      errors: s.messages.filter((m) => m.level === 'error').length,
    }));
    const result: ChildResult = {
      buildMs: Number(t1 - t0) / 1e6,
      synthMs: Number(t2 - t1) / 1e6,
      buildCpuMs: cpuMs(buildCpu),
      synthCpuMs: cpuMs(c2),
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      stacks,
    };
    console.log(RESULT_MARKER + JSON.stringify(result));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

main();
