import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChildResult, ChildSpec, RESULT_MARKER } from './protocol';

/**
 * Transpiles src/ and bench/ to plain JavaScript (esbuild, file by file, tree kept) in a temporary
 * directory, so the children run under plain `node`: no TypeScript compiler in their memory or
 * their time. `assets/` and `node_modules/` are linked next to the output, so the handler classes'
 * relative asset paths and package imports resolve as they do in the repository.
 */
export function compileForChildren(repoRoot: string): string {
  // esbuild is a dev dependency of the project (projen bundles the handlers with it).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-bench-js-'));
  const entryPoints = [...listTs(path.join(repoRoot, 'src')), ...listTs(path.join(repoRoot, 'bench'))]
    .filter((f) => !f.endsWith('.lambda.ts') && !f.endsWith('.d.ts'));
  esbuild.buildSync({
    entryPoints,
    outdir,
    outbase: repoRoot,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    bundle: false,
    logLevel: 'error',
  });
  fs.symlinkSync(path.join(repoRoot, 'assets'), path.join(outdir, 'assets'));
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(outdir, 'node_modules'));
  return outdir;
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'results' && entry.name !== 'node_modules') out.push(...listTs(full));
    } else if (entry.name.endsWith('.ts')) {
      out.push(full);
    }
  }
  return out;
}

/** Runs one measurement in a fresh `node` process and returns what it reports. */
export function runChild<T = ChildResult>(compiledDir: string, spec: ChildSpec): T {
  const proc = spawnSync(process.execPath, [path.join(compiledDir, 'bench', 'child.js'), JSON.stringify(spec)], {
    encoding: 'utf-8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  const line = proc.stdout?.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (proc.status !== 0 || line === undefined) {
    throw new Error(`benchmark child ${JSON.stringify(spec)} failed (exit ${proc.status}):\n${proc.stderr}`);
  }
  return JSON.parse(line.slice(RESULT_MARKER.length)) as T;
}
