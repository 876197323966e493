import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { median } from './protocol';

/** Size and cold import time of one handler bundle. */
export interface BundleStats {
  /** Path relative to the repository, e.g. `assets/handlers/ca-policy/ca-policy.lambda/index.js`. */
  readonly bundle: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Median wall clock of `require()` of the bundle in a fresh node process, in ms. */
  readonly importMs: number;
  readonly importRuns: number[];
  /** Median CPU time (user + system) of the same `require()`, in ms: steadier on a busy machine. */
  readonly importCpuMs: number;
}

/** Every `assets/handlers/** /index.js` (run `npx projen bundle` first). */
export function findBundles(repoRoot: string): string[] {
  const root = path.join(repoRoot, 'assets', 'handlers');
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'index.js') out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

// Runs in the fresh process: times the require() of the bundle (module-scope SDK clients included).
const IMPORT_PROBE = [
  'const c0 = process.cpuUsage();',
  'const t0 = process.hrtime.bigint();',
  'require(process.argv[1]);',
  'const t1 = process.hrtime.bigint();',
  'const c = process.cpuUsage(c0);',
  'process.stdout.write(JSON.stringify({ wall: Number(t1 - t0) / 1e6, cpu: (c.user + c.system) / 1000 }));',
].join('\n');

/**
 * Measures each bundle: bytes, gzip bytes, and the median of `runs` cold `require()` times, each
 * in a fresh node process, with the AWS SDK packages (external to the bundles) resolved from the
 * repository's node_modules through NODE_PATH.
 */
export function measureBundles(repoRoot: string, runs: number): BundleStats[] {
  return findBundles(repoRoot).map((file) => {
    const content = fs.readFileSync(file);
    const times: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < runs; r++) {
      const proc = spawnSync(process.execPath, ['-e', IMPORT_PROBE, file], {
        encoding: 'utf-8',
        env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules'), AWS_REGION: 'eu-west-1' },
      });
      if (proc.status !== 0) {
        throw new Error(`require(${file}) failed:\n${proc.stderr}`);
      }
      const probe = JSON.parse(proc.stdout.trim()) as { wall: number; cpu: number };
      times.push(probe.wall);
      cpu.push(probe.cpu);
    }
    return {
      bundle: path.relative(repoRoot, file),
      bytes: content.length,
      gzipBytes: zlib.gzipSync(content, { level: 9 }).length,
      importMs: median(times),
      importRuns: times,
      importCpuMs: median(cpu),
    };
  });
}
