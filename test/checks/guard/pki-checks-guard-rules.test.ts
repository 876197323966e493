import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GUARD_RULES, GuardParams, guardBinary, runGuard } from './guard-runner';

/** The PkiChecks contract: rule ID → level (the same IDs as the cdk-nag pack). */
const LEVELS: Record<string, 'Error' | 'Warning'> = {
  'PKI-ACM1': 'Warning',
  'PKI-ACM2': 'Error',
  'PKI-ACM3': 'Error',
  'PKI-ACM4': 'Error',
  'PKI-ACM5': 'Error',
  'PKI-ACM6': 'Warning',
  'PKI-ACM7': 'Warning',
  'PKI-PCA1': 'Error',
  'PKI-PCA2': 'Error',
  'PKI-PCA3': 'Warning',
  'PKI-PCA4': 'Error',
  'PKI-PCA5': 'Error',
  'PKI-PCA6': 'Warning',
  'PKI-PCA7': 'Warning',
  'PKI-PCA8': 'Error',
  'PKI-PCA9': 'Error',
  'PKI-PCA10': 'Warning',
  'PKI-PCA11': 'Warning',
  'PKI-PCA12': 'Error',
  'PKI-PCA13': 'Error',
  'PKI-PCA14': 'Error',
};
const IDS = Object.keys(LEVELS);
const FIXTURES = path.join(__dirname, 'fixtures');

/** Guard rule names cannot contain "-": PKI-ACM1 is checked by rule PKI_ACM1. */
function guardName(id: string): string {
  return id.replace(/-/g, '_');
}

/**
 * The input parameters of a fixture: warnings on and region eu-west-1, unless its name says
 * `.region-<region>.` or `.no-region.`.
 */
function paramsOf(file: string): GuardParams {
  const region = /\.region-([a-z0-9-]+)\./.exec(file)?.[1];
  if (file.includes('.no-region.')) return { includeWarnings: true };
  return { includeWarnings: true, region: region ?? 'eu-west-1' };
}

/**
 * A custom message is `<ID> [<level>]: <what is wrong>` and, on its own line, `[FIX]: <how to fix it>`
 * (the line CfnGuardValidator reports as the violation's fix).
 */
function isMessageOf(id: string, message: string): boolean {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.length === 2 && lines[0].startsWith(`${id} [${LEVELS[id]}]: `) && /^\[FIX\]: \S/.test(lines[1]);
}

/** [rule ID, expected outcome, fixture file] for every fixture; the file name starts with the outcome. */
const cases: Array<[string, 'fail' | 'pass' | 'skip', string]> = IDS.flatMap((id) =>
  fs.readdirSync(path.join(FIXTURES, id)).sort().map((file): [string, 'fail' | 'pass' | 'skip', string] => {
    const outcome = file.split('-')[0];
    if (outcome !== 'fail' && outcome !== 'pass' && outcome !== 'skip') {
      throw new Error(`fixture ${id}/${file} must start with fail-, pass- or skip-`);
    }
    return [id, outcome, file];
  }),
);

describe('rules/pki-checks.guard with the real cfn-guard binary', () => {
  test('the binary is there and is cfn-guard 3', () => {
    const res = spawnSync(guardBinary(), ['--version'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^cfn-guard 3\./);
  });

  test('a missing binary is an error, not a skipped test', () => {
    expect(() => guardBinary('/nonexistent/cdk-validator-cfnguard')).toThrow(/cfn-guard binary not found at \/nonexistent/);
  });

  test('the rule file names exactly the contract IDs', () => {
    const names = [...fs.readFileSync(GUARD_RULES, 'utf8').matchAll(/^rule (\w+)/gm)].map((m) => m[1]).sort();
    expect(names).toEqual(IDS.map(guardName).sort());
  });

  test('every rule has at least one failing and one passing fixture', () => {
    for (const id of IDS) {
      const outcomes = cases.filter((c) => c[0] === id).map((c) => c[1]);
      expect({ id, fail: outcomes.includes('fail'), pass: outcomes.includes('pass') }).toEqual({ id, fail: true, pass: true });
    }
  });

  test.each(cases)('%s %s: %s', (id, outcome, file) => {
    const result = runGuard(path.join(FIXTURES, id, file), paramsOf(file));
    const name = guardName(id);
    if (outcome === 'fail') {
      const messages = result.failed.get(name);
      expect(messages).toBeDefined();
      // the ID, its level and a fix are in the message of the failing clause
      expect(messages!.some((m) => isMessageOf(id, m))).toBe(true);
      expect(result.status).toBe('FAIL');
    } else if (outcome === 'pass') {
      expect(result.failed.has(name)).toBe(false);
      expect(result.passed).toContain(name);
    } else {
      expect(result.failed.has(name)).toBe(false);
      expect(result.skipped).toContain(name);
    }
  });

  test('every custom message carries its own rule ID and the contract level', () => {
    const text = fs.readFileSync(GUARD_RULES, 'utf8');
    const blocks = text.split(/^rule /m).slice(1);
    expect(blocks).toHaveLength(IDS.length);
    for (const block of blocks) {
      const name = /^(\w+)/.exec(block)![1];
      const id = name.replace(/_/g, '-');
      const messages = [...block.matchAll(/<<\s*([^>]*?)\s*>>/g)].map((m) => m[1]);
      expect(messages.length).toBeGreaterThan(0);
      for (const m of messages) {
        expect({ m, ok: isMessageOf(id, m) }).toEqual({ m, ok: true });
      }
    }
  });

  test('Warning rules only run with PkiChecks.IncludeWarnings; Error rules always run', () => {
    const warningFixtures = cases.filter(([id, outcome]) => LEVELS[id] === 'Warning' && outcome === 'fail');
    for (const [id, , file] of warningFixtures) {
      const result = runGuard(path.join(FIXTURES, id, file), { region: 'eu-west-1' });
      expect({ file, failed: result.failed.has(guardName(id)) }).toEqual({ file, failed: false });
      expect(result.skipped).toContain(guardName(id));
    }
    const errorFixtures = cases.filter(([id, outcome]) => LEVELS[id] === 'Error' && outcome === 'fail' && !id.startsWith('PKI-ACM5'));
    for (const [id, , file] of errorFixtures) {
      // no input parameters at all: the Error rules still fail
      expect({ file, failed: runGuard(path.join(FIXTURES, id, file)).failed.has(guardName(id)) }).toEqual({ file, failed: true });
    }
  });

  test('PKI-ACM5: a concrete ARN is checked without a region, a Ref only with one', () => {
    expect(runGuard(path.join(FIXTURES, 'PKI-ACM5', 'fail-concrete-eu-west-1.json')).failed.has('PKI_ACM5')).toBe(true);
    const ref = path.join(FIXTURES, 'PKI-ACM5', 'fail-ref-in-eu-west-1.json');
    expect(runGuard(ref).skipped).toContain('PKI_ACM5');
    expect(runGuard(ref, { region: 'us-east-1' }).passed).toContain('PKI_ACM5');
    expect(runGuard(ref, { region: 'eu-central-1' }).failed.has('PKI_ACM5')).toBe(true);
  });
});
