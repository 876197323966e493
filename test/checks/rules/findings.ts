import { App, Stack } from 'aws-cdk-lib';
import { PkiChecks } from '../../../src/checks/pki-checks';
import { synthTemplate } from '../../harness/cfn-lint';

export const ACCOUNT = '111111111111';

/** One finding of PkiChecks. */
export interface Finding {
  readonly ruleId: string;
  readonly level: 'Error' | 'Warning';
  /** The construct path relative to the stack, e.g. `Cert`. */
  readonly resourcePath: string;
}

/** A stack in `region` (`null` for an environment-agnostic stack). */
export function newStack(region: string | null = 'eu-west-1'): Stack {
  return new Stack(new App(), 'Stack', region === null ? {} : { env: { account: ACCOUNT, region } });
}

export interface FindingsOptions {
  /**
   * Record the template for cfn-lint and @aws/cloudformation-validate (after the suite). Off for
   * templates that are wrong on purpose in a way those tools also refuse.
   * @default true
   */
  readonly lint?: boolean;
}

/**
 * Synthesizes the app (so aspects such as tags are applied, as in a real `cdk synth`) and runs
 * PkiChecks over the stack. Resource paths are relative to the stack (`Cert`, or `Cert/Resource` for
 * the default child of a construct).
 */
export function findingsOf(stack: Stack, options: FindingsOptions = {}): Finding[] {
  if (options.lint ?? true) {
    synthTemplate(stack);
  } else {
    (stack.node.root as App).synth();
  }
  const report = new PkiChecks().validateScope(stack);
  const prefix = `${stack.node.path}/`;
  return report.violations
    .flatMap((v) => v.violatingResources.map((r): Finding => {
      const path = r.constructPath ?? '';
      return {
        ruleId: v.ruleName,
        level: v.severity === 'error' ? 'Error' : 'Warning',
        resourcePath: path.startsWith(prefix) ? path.slice(prefix.length) : path,
      };
    }))
    .sort((a, b) => `${a.ruleId} ${a.resourcePath}`.localeCompare(`${b.ruleId} ${b.resourcePath}`));
}

/** The findings of one rule, as `level path` strings. */
export function findingsOfRule(stack: Stack, ruleId: string, options?: FindingsOptions): string[] {
  return findingsOf(stack, options).filter((f) => f.ruleId === ruleId).map((f) => `${f.level} ${f.resourcePath}`);
}
