/* eslint-disable no-console */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileForChildren, runChild } from './child-runner';
import { measureBundles } from './handler-bundles';
import { ChildResult, ChildSpec, MAX_RESOURCES, MAX_TEMPLATE_BYTES, VariantInfo, median } from './protocol';
import { renderMarkdown, targetLines } from './report';
import { AppMeasurement, BenchConfig, BenchResults, ComparisonRow, MachineInfo, UnitRow } from './results-model';

/*
 * The cdk-pki benchmark: `ts-node --project test/tsconfig.json bench/run.ts` (after `npx projen bundle`).
 * Every app is synthesized in a fresh node process; see BENCHMARKS.md for what is measured.
 *
 * Environment:
 *   BENCH_QUICK=1          1 run per app, 2 import runs, sizes 10 and 100 (a smoke test of the script)
 *   BENCH_RUNS=n           runs per app (default 3)
 *   BENCH_IMPORT_RUNS=n    fresh processes per bundle import (default 5)
 *   BENCH_SIZES=10,100     certificate counts of item 1 (default 10,100,1000)
 *   BENCH_PER_STACK=n      certificates per stack in item 1 (default 50)
 *   BENCH_OUT=dir          where latest.md / latest.json go (default bench/results)
 */

const REPO_ROOT = path.resolve(__dirname, '..');

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

function readConfig(): BenchConfig {
  const quick = process.env.BENCH_QUICK === '1';
  const sizes = (process.env.BENCH_SIZES ?? (quick ? '10,100' : '10,100,1000')).split(',').map((s) => Number(s.trim()));
  if (sizes.some((s) => !Number.isInteger(s) || s < 2)) throw new Error(`BENCH_SIZES must be integers >= 2, got ${process.env.BENCH_SIZES}`);
  return {
    runs: intEnv('BENCH_RUNS', quick ? 1 : 3),
    importRuns: intEnv('BENCH_IMPORT_RUNS', quick ? 2 : 5),
    sizes,
    perStack: intEnv('BENCH_PER_STACK', 50),
    unitCount: 31,
    hierarchyIssuing: 50,
    quick,
  };
}

function machineInfo(loadAtStart: number): MachineInfo {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/aws-cdk-lib/package.json'), 'utf-8'));
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf-8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    awsCdkLib: pkg.version,
    commit,
    date: new Date().toISOString(),
    loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
  };
}

function summarize(runs: ChildResult[]): AppMeasurement {
  const first = runs[0];
  return {
    stacks: first.stacks.length,
    resources: first.stacks.reduce((a, s) => a + s.resources, 0),
    maxStackResources: Math.max(...first.stacks.map((s) => s.resources)),
    maxStackBytes: Math.max(...first.stacks.map((s) => s.bytes)),
    totalBytes: first.stacks.reduce((a, s) => a + s.bytes, 0),
    errors: first.stacks.reduce((a, s) => a + s.errors, 0),
    buildMs: median(runs.map((r) => r.buildMs)),
    synthMs: median(runs.map((r) => r.synthMs)),
    buildCpuMs: median(runs.map((r) => r.buildCpuMs)),
    synthCpuMs: median(runs.map((r) => r.synthCpuMs)),
    synthSpread: Math.max(...runs.map((r) => r.synthMs)) / Math.min(...runs.map((r) => r.synthMs)),
    maxRssMb: median(runs.map((r) => r.maxRssMb)),
    runs,
  };
}

function log(message: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Item 1: the three apps of each size, runs interleaved so drift hits them alike. */
function compare(dir: string, config: BenchConfig): ComparisonRow[] {
  return config.sizes.map((total) => {
    const sides = { 'ours': [] as ChildResult[], 'ours-no-export': [] as ChildResult[], 'raw': [] as ChildResult[], 'raw-export': [] as ChildResult[] };
    for (let r = 0; r < config.runs; r++) {
      for (const kind of ['ours', 'ours-no-export', 'raw', 'raw-export'] as const) {
        const result = runChild(dir, { kind, total, perStack: config.perStack });
        log(`${total} certificates, ${kind}, run ${r + 1}: synth ${result.synthMs.toFixed(0)} ms ` +
          `(CPU ${result.synthCpuMs.toFixed(0)} ms), RSS ${result.maxRssMb.toFixed(0)} MiB`);
        sides[kind].push(result);
      }
    }
    return { certificates: total, ours: summarize(sides.ours), oursNoExport: summarize(sides['ours-no-export']), raw: summarize(sides.raw), rawExport: summarize(sides['raw-export']) };
  });
}

/** Item 2: each variant with 1 and `unitCount` units; the difference is the cost per unit. */
function units(dir: string, config: BenchConfig): UnitRow[] {
  const variants = runChild<VariantInfo[]>(dir, { kind: 'variants', repoRoot: REPO_ROOT });
  return variants.map((v, variant) => {
    const spec = (count: number): ChildSpec => ({ kind: 'unit', variant, count, repoRoot: REPO_ROOT });
    try {
      const one = runChild(dir, spec(1)).stacks[0];
      const many = runChild(dir, spec(config.unitCount)).stacks[0];
      const n = config.unitCount - 1;
      const resourcesPerUnit = (many.resources - one.resources) / n;
      const bytesPerUnit = (many.bytes - one.bytes) / n;
      const fixedResources = Math.round(one.resources - resourcesPerUnit);
      const fixedBytes = Math.round(one.bytes - bytesPerUnit);
      log(`${v.name}: ${resourcesPerUnit.toFixed(2)} resources, ${bytesPerUnit.toFixed(0)} bytes per unit`);
      return {
        ...v,
        resourcesPerUnit,
        bytesPerUnit,
        fixedResources,
        fixedBytes,
        fitByResources: resourcesPerUnit > 0 ? Math.floor((MAX_RESOURCES - fixedResources) / resourcesPerUnit) : Infinity,
        fitByBytes: Math.floor((MAX_TEMPLATE_BYTES - fixedBytes) / bytesPerUnit),
      };
    } catch (err) {
      const first = String((err as Error).message).split('\n').find((l) => /Error|error/.test(l)) ?? String(err);
      log(`${v.name}: failed: ${first}`);
      const nothing = { resourcesPerUnit: NaN, bytesPerUnit: NaN, fixedResources: NaN, fixedBytes: NaN, fitByResources: NaN, fitByBytes: NaN };
      return { ...v, ...nothing, error: first.trim().slice(0, 200) };
    }
  });
}

function main(): void {
  const config = readConfig();
  const loadAtStart = os.loadavg()[0];
  const outDir = process.env.BENCH_OUT ?? path.join(REPO_ROOT, 'bench', 'results');
  log(`config ${JSON.stringify(config)}`);
  const dir = compileForChildren(REPO_ROOT);
  try {
    const comparison = compare(dir, config);
    const unitRows = units(dir, config);
    log('handler bundles');
    const bundles = measureBundles(REPO_ROOT, config.importRuns);
    if (bundles.length === 0) log('no bundles under assets/handlers: run `npx projen bundle` first');
    const hierarchyRuns = Array.from({ length: config.runs }, () => runChild(dir, { kind: 'hierarchy', issuing: config.hierarchyIssuing }));
    const results: BenchResults = {
      machine: machineInfo(loadAtStart),
      config,
      comparison,
      units: unitRows,
      bundles,
      hierarchy: { issuingCas: config.hierarchyIssuing, measurement: summarize(hierarchyRuns) },
    };
    const markdown = renderMarkdown(results);
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'latest.md'), markdown + '\n');
    fs.writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(results, (_, v) => (v === Infinity ? null : v), 2) + '\n');
    console.log(markdown);
    console.log(targetLines(results).join('\n'));
    const errors = [
      ...comparison.flatMap((c) => [c.ours, c.oursNoExport, c.raw, c.rawExport]),
      results.hierarchy.measurement,
    ].reduce((a, m) => a + m.errors, 0);
    if (errors > 0) {
      console.error(`${errors} error annotation(s) in the synthesized apps: the figures are of invalid apps`);
      process.exitCode = 1;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
