import * as path from 'path';
import { formatFindings, lintTemplateObjects, takeRecordedTemplates } from './cfn-lint';

/*
 * setupFilesAfterEnv: after each test file, cfn-lint runs once over every template the file
 * synthesized with `synthTemplate`. An Error-level finding fails the file; warnings are printed.
 */
afterAll(() => {
  const templates = takeRecordedTemplates();
  if (templates.length === 0) return;
  const label = path.relative(process.cwd(), expect.getState().testPath ?? 'unknown');
  const findings = lintTemplateObjects(label, templates);
  const errors = findings.filter((f) => f.level === 'Error');
  const warnings = findings.filter((f) => f.level !== 'Error');
  if (warnings.length > 0) {
    process.stderr.write(`cfn-lint warnings in ${label}:\n${formatFindings(warnings)}\n`);
  }
  if (errors.length > 0) {
    throw new Error(`cfn-lint found ${errors.length} error(s) in templates synthesized by ${label}:\n${formatFindings(errors)}`);
  }
}, 120_000);
