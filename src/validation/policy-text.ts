/**
 * Rules for the text of a Private CA resource-based policy (PutPolicy `Policy`), shared by the
 * `CertificateAuthorityPolicy` construct (at synth time) and its handler (at deploy time).
 *
 * This module imports nothing, so the handler bundle stays free of aws-cdk-lib.
 */

/** PutPolicy accepts a policy of 1 to 20480 characters. */
export const MAX_CA_POLICY_LENGTH = 20480;

/** Every statement the library renders has a `Sid` starting with this prefix; the handler uses it to recognise its own policy. */
export const CA_POLICY_SID_PREFIX = 'CdkPki';

/** The characters PutPolicy accepts: tab, line feed, carriage return and U+0020 to U+00FF (Latin-1). */
const LATIN1 = /^[\u0009\u000A\u000D\u0020-\u00FF]*$/;

/** Options of `validateCaPolicyText`. */
export interface CaPolicyTextOptions {
  /**
   * The text leaves out values only known at deploy time, so its length is a lower bound.
   * Messages then say "at least".
   */
  readonly partial?: boolean;
}

/**
 * Checks a resource-based policy against PutPolicy's limits: 1 to 20480 characters, Latin-1 only.
 *
 * @returns one message per problem, empty when the text is acceptable
 */
export function validateCaPolicyText(policy: string, options: CaPolicyTextOptions = {}): string[] {
  const problems: string[] = [];
  if (policy.length === 0) {
    problems.push('the resource policy is empty: PutPolicy needs 1 to 20480 characters of JSON.');
  }
  if (policy.length > MAX_CA_POLICY_LENGTH) {
    const size = options.partial ? `at least ${policy.length}` : `${policy.length}`;
    problems.push(`the resource policy is ${size} characters long, over PutPolicy's limit of ${MAX_CA_POLICY_LENGTH}: ` +
      'grant fewer accounts, or grant an organization or organizational units instead of listing their accounts.');
  }
  if (!LATIN1.test(policy)) {
    const bad = [...new Set([...policy].filter((c) => !LATIN1.test(c)))].slice(0, 5).map((c) => JSON.stringify(c)).join(', ');
    problems.push(`the resource policy contains characters outside Latin-1 (${bad}): PutPolicy accepts only tab, line breaks ` +
      'and U+0020 to U+00FF. Remove or replace them.');
  }
  return problems;
}

/**
 * Whether a policy read back with GetPolicy holds at least one statement this library wrote.
 * Text that is not JSON, or has no statements, is not ours.
 */
export function isLibraryPolicy(policy: string | undefined): boolean {
  if (!policy) {
    return false;
  }
  try {
    const doc = JSON.parse(policy);
    const statements = Array.isArray(doc?.Statement) ? doc.Statement : [doc?.Statement];
    return statements.some((s: any) => typeof s?.Sid === 'string' && s.Sid.startsWith(CA_POLICY_SID_PREFIX));
  } catch {
    return false;
  }
}
