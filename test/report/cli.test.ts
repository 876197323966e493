import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { synthEmptyApp, synthTokenApp, tempDir } from './synth-apps';
import { main, USAGE } from '../../src/report/cli';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'lib', 'report', 'cli.js');
const SOURCE_DIR = path.join(ROOT, 'src', 'report');

/**
 * The command line as npm runs it: `lib/report/cli.js` (the package's bin) when it is compiled and
 * no older than its sources, as in CI, where the jsii compile runs before jest (on CI it must be);
 * otherwise the TypeScript source through ts-node.
 */
function command(): string[] {
  const compiled = fs.existsSync(BIN)
    && fs.readdirSync(SOURCE_DIR).every((f) => fs.statSync(path.join(SOURCE_DIR, f)).mtimeMs <= fs.statSync(BIN).mtimeMs);
  if (compiled || process.env.CI === 'true') {
    return [BIN];
  }
  return [path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--swc', '--project', path.join(ROOT, 'test', 'tsconfig.json'), path.join(SOURCE_DIR, 'cli.ts')];
}

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [...command(), ...args], { encoding: 'utf8', cwd: tempDir('cwd'), timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `main` with its output captured. */
function mainWith(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = main(args, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { status, out, err };
}

describe('npx cdk-pki report (child process)', () => {
  test('the bin starts with a node shebang', () => {
    expect(fs.readFileSync(path.join(SOURCE_DIR, 'cli.ts'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    if (fs.existsSync(BIN)) expect(fs.readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('writes the report of a cloud assembly and says where, exit code 0', () => {
    const assembly = synthTokenApp();
    const out = tempDir('out');
    const result = run('report', assembly, '--out', out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Estate report: ${path.join(out, 'pki-report.html')}`);
    expect(result.stdout).toContain('1 stack(s), 1 CA(s), 3 certificate(s)');
    expect(fs.readFileSync(path.join(out, 'pki-report.html'), 'utf8')).toContain('data-kind="ca"');
    expect(fs.existsSync(path.join(out, 'pki-report.md'))).toBe(true);
  });

  test('a folder that is not a cloud assembly: exit code 1 and one line naming the path and the fix', () => {
    const dir = tempDir('not-assembly');
    const result = run('report', dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`cdk-pki report: ${dir} is not a cloud assembly (no manifest.json): pass the folder cdk synth writes (cdk.out by default, or the App's outdir)\n`);
  });
});

describe('cdk-pki arguments', () => {
  test('without a folder it reads cdk.out of the working directory', () => {
    const cwd = process.cwd();
    const dir = tempDir('default');
    try {
      process.chdir(dir);
      const result = mainWith('report');
      expect(result.status).toBe(1);
      expect(result.err).toEqual([`cdk-pki report: ${path.join(fs.realpathSync(dir), 'cdk.out')} does not exist: synthesize the app first (npx cdk synth) or pass the folder of its cloud assembly`]);
    } finally {
      process.chdir(cwd);
    }
  });

  test('an empty app: the report is written and says the assembly has no stacks', () => {
    const assembly = synthEmptyApp();
    const result = mainWith('report', assembly);
    expect(result).toEqual({ status: 0, err: [], out: [`Estate report: ${path.join(assembly, 'pki-report.html')}`, `         and: ${path.join(assembly, 'pki-report.md')}`, '  (the cloud assembly has no stacks)'] });
  });

  test('--out=, help, and usage errors', () => {
    const assembly = synthEmptyApp();
    const out = tempDir('out-eq');
    expect(mainWith('report', `--out=${out}`, assembly).status).toBe(0);
    expect(fs.existsSync(path.join(out, 'pki-report.html'))).toBe(true);
    expect(mainWith('--help')).toEqual({ status: 0, out: [USAGE], err: [] });
    expect(mainWith('report', '-h')).toEqual({ status: 0, out: [USAGE], err: [] });
    expect(mainWith().err).toEqual(['cdk-pki: no command: run "cdk-pki report [cdk.out]"']);
    expect(mainWith('raport').err).toEqual(['cdk-pki: unknown command "raport": run "cdk-pki report [cdk.out]"']);
    expect(mainWith('report', '--out')).toEqual({ status: 1, out: [], err: ['cdk-pki report: --out needs a folder: cdk-pki report cdk.out --out reports'] });
    expect(mainWith('report', '--verbose').err).toEqual(['cdk-pki report: unknown option "--verbose": the only option is --out <folder>']);
    expect(mainWith('report', 'a', 'b')).toEqual({ status: 1, out: [], err: ['cdk-pki report: one cloud assembly at a time, got "a" and "b"'] });
  });

  test('a manifest that is not an object is bad input', () => {
    const assembly = synthEmptyApp();
    fs.writeFileSync(path.join(assembly, 'manifest.json'), 'null');
    expect(mainWith('report', assembly).err).toEqual([`cdk-pki report: ${path.join(assembly, 'manifest.json')} is not a cloud assembly manifest: synthesize the app again (npx cdk synth)`]);
  });
});
