import * as path from 'path';
import { distinctTemplates, formatFindings, takeRecordedTemplates, writeTemplates } from './cfn-lint';
import { checkTemplateFiles } from './template-checks';

/*
 * setupFilesAfterEnv: after each test file, cfn-lint and @aws/cloudformation-validate run once over
 * every distinct template the file synthesized with `synthTemplate` (identical ones once). An error
 * from either fails the file; cfn-lint warnings are printed.
 */
afterAll(async () => {
  const templates = distinctTemplates(takeRecordedTemplates());
  if (templates.length === 0) return;
  const label = path.relative(process.cwd(), expect.getState().testPath ?? 'unknown');
  const { errors, warnings } = await checkTemplateFiles(writeTemplates(label, templates));
  if (warnings.length > 0) {
    process.stderr.write(`cfn-lint warnings in ${label}:\n${formatFindings(warnings)}\n`);
  }
  if (errors.length > 0) {
    throw new Error(`templates synthesized by ${label} have errors:\n${errors.join('\n')}`);
  }
}, 120_000);
