import * as path from 'path';
import { formatFindings, LintFinding, lintTemplates } from './cfn-lint';
import { isBlocking, validateTemplateFiles } from './cfn-validate';

/** What the two independent template validators say about a set of template files. */
export interface TemplateCheckResult {
  /** Error-level findings of either validator, one line each; empty when the templates are clean. */
  readonly errors: string[];
  /** cfn-lint warnings and informational findings. */
  readonly warnings: LintFinding[];
}

/** Runs cfn-lint and @aws/cloudformation-validate over template files. */
export async function checkTemplateFiles(files: readonly string[]): Promise<TemplateCheckResult> {
  const [lint, validated] = await Promise.all([lintTemplates(files), validateTemplateFiles(files)]);
  const lintErrors = lint.filter((f) => f.level === 'Error');
  const validateErrors = validated.filter(isBlocking);
  return {
    errors: [
      ...(lintErrors.length ? [`cfn-lint:\n${formatFindings(lintErrors)}`] : []),
      ...validateErrors.map((f) => `@aws/cloudformation-validate: ${f.rule} ${path.basename(f.file)} ${f.resource ?? ''}: ${f.message}`),
    ],
    warnings: lint.filter((f) => f.level !== 'Error'),
  };
}
