import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App } from 'aws-cdk-lib';
import { GUARD_RULES, guardBinary } from './guard-runner';

/**
 * The rule file through @cdklabs/cdk-validator-cfnguard's CfnGuardValidator, the CDK policy-validation
 * plugin: it runs cfn-guard without input parameters (so only the Error-level rules) and needs every
 * failing clause to name a resource and carry a message with a `[FIX]:` line.
 */
const FIXTURES = path.join(__dirname, 'fixtures');
const ERROR_RULES = ['PKI-ACM2', 'PKI-ACM3', 'PKI-ACM4', 'PKI-ACM5', 'PKI-PCA1', 'PKI-PCA2', 'PKI-PCA4', 'PKI-PCA5', 'PKI-PCA8', 'PKI-PCA9', 'PKI-PCA12', 'PKI-PCA13',
  'PKI-PCA14'];
const WARNING_RULES = ['PKI-ACM1', 'PKI-ACM6', 'PKI-ACM7', 'PKI-PCA3', 'PKI-PCA6', 'PKI-PCA7', 'PKI-PCA10', 'PKI-PCA11'];

function fixtures(ids: string[], outcome: string): Array<[string, string]> {
  return ids.flatMap((id) => fs.readdirSync(path.join(FIXTURES, id)).filter((f) => f.startsWith(`${outcome}-`)).map((f): [string, string] => [id, f]));
}

function validate(file: string) {
  const plugin = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: [GUARD_RULES] });
  // the plugin reads only the template files; the app is the (empty) construct tree it may walk
  return plugin.validate({ templatePaths: [file], appConstruct: new App() });
}

describe('rules/pki-checks.guard in CfnGuardValidator', () => {
  beforeAll(() => {
    guardBinary(); // the plugin runs the same binary: fail here, not with a vague plugin error
  });

  // PKI-ACM5's Ref case needs the Region input parameter, which the plugin cannot pass
  test.each(fixtures(ERROR_RULES, 'fail').filter(([, f]) => !f.startsWith('fail-ref-')))('%s %s: a violation with the ID, the fix and the resource', (id, file) => {
    const report = validate(path.join(FIXTURES, id, file));
    expect(report.success).toBe(false);
    const violations = report.violations.filter((v) => v.ruleName === id.replace(/-/g, '_'));
    expect(violations.length).toBeGreaterThan(0);
    for (const v of violations) {
      expect(v.description).toMatch(new RegExp(`^${id} \\[Error\\]: `));
      expect(v.fix).not.toMatch(/^(N\/A)?$/);
      expect(v.fix).not.toContain('[FIX]');
      // at least one logical ID of the template (a failed join on an empty set can add a location
      // without a resource next to it)
      const ids = v.violatingResources.map((r) => r.resourceLogicalId).filter((r) => r !== undefined);
      expect(ids.length).toBeGreaterThan(0);
      for (const r of ids) {
        expect(r).toMatch(/^[A-Za-z0-9]+$/);
      }
    }
  });

  test.each(fixtures(WARNING_RULES, 'fail'))('%s %s: Warning-level rules do not run in the plugin', (id, file) => {
    const report = validate(path.join(FIXTURES, id, file));
    expect(report.violations.filter((v) => v.ruleName === id.replace(/-/g, '_'))).toEqual([]);
  });

  test.each([
    ['PKI-PCA5', 'pass-crl-bucket.json'],
    ['PKI-PCA8', 'pass-permission-on-activation.json'],
    ['PKI-PCA9', 'pass-general-purpose.json'],
    ['PKI-PCA12', 'pass-all-retained.json'],
    ['PKI-PCA13', 'pass-template-condition.json'],
    ['PKI-PCA14', 'pass-ca-with-crl.json'],
  ])('%s %s: success', (id, file) => {
    expect(validate(path.join(FIXTURES, id, file))).toEqual({ success: true, violations: [] });
  });
});
