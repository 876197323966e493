import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';

/**
 * Compares every stack template of `app` with the committed snapshot in `dir`
 * (`<stack>.template.json`), or rewrites the snapshots when UPDATE_INTEG_SNAPSHOTS=1
 * (`npx projen integ:snapshot`). Returns the snapshot file paths for cfn-lint.
 */
export function expectMatchesSnapshot(app: App, dir: string): string[] {
  const assembly = app.synth();
  const update = process.env.UPDATE_INTEG_SNAPSHOTS === '1';
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const stack of assembly.stacks) {
    const file = path.join(dir, `${stack.stackName}.template.json`);
    const actual = JSON.stringify(stack.template, undefined, 1) + '\n';
    if (update) {
      fs.writeFileSync(file, actual);
    }
    if (!fs.existsSync(file)) {
      throw new Error(`no snapshot ${file}: run \`npx projen integ:snapshot\` and commit it`);
    }
    const expected = fs.readFileSync(file, 'utf8');
    if (expected !== actual) {
      // Show a structural diff through jest, then fail.
      expect(JSON.parse(actual)).toEqual(JSON.parse(expected));
      expect(actual).toEqual(expected);
    }
    files.push(file);
  }
  return files;
}
