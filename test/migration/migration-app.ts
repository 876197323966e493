import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { synthTemplate } from '../harness/cfn-lint';
import { compareTemplates, describeMigration, migrationProblems, TemplateMigration } from '../harness/template-migration';

/*
 * The migration suite (issue 14): each recipe of the README's "Migrating from aws-cdk-lib" table is
 * an app written twice, with aws-cdk-lib (before) and with cdk-pki (after), in a stack of the same
 * name and environment. The two templates are compared with test/harness/template-migration.ts.
 * Both are recorded with `synthTemplate`, so cfn-lint and @aws/cloudformation-validate check them too.
 */

/** The environment of every migration app. */
export const ENV = { account: '123456789012', region: 'us-east-1' };

/** What a migration test looks at. */
export interface Migration {
  readonly migration: TemplateMigration;
  /** `describeMigration`, one line per entry: `['no change']` when the templates are equivalent. */
  readonly lines: string[];
  /** `migrationProblems`: every replacement, removal and refused update. */
  readonly problems: string[];
  readonly before: any;
  readonly after: any;
}

/** A new stack `Web` in a new app, in `ENV`. */
export function appStack(): Stack {
  return new Stack(new App(), 'Web', { env: ENV });
}

/**
 * Synthesizes the app twice, `before` (aws-cdk-lib) and `after` (cdk-pki), and compares the
 * templates. `after` receives what `before` returned (e.g. logical IDs to keep).
 */
export function migrate<T>(before: (stack: Stack) => T, after: (stack: Stack, fromBefore: T) => void): Migration {
  const b = appStack();
  const kept = before(b);
  const a = appStack();
  after(a, kept);
  const bt = synthTemplate(b).toJSON();
  const at = synthTemplate(a).toJSON();
  const migration = compareTemplates(bt, at, { region: ENV.region, account: ENV.account });
  return { migration, lines: describeMigration(migration).split('\n'), problems: migrationProblems(migration), before: bt, after: at };
}

/** The logical ID of an L1 resource in its stack (overrides included). */
export function logicalIdOf(element: CfnElement): string {
  return Stack.of(element).resolve(element.logicalId);
}
