import { Token } from 'aws-cdk-lib';
import { REGION_NAME } from './arn-patterns';
import { quoteValue } from './errors';

/**
 * Partition-aware validators for the ARNs of ACM certificates and AWS Private CA certificate authorities.
 *
 * Token handling: an ARN that is, or merely contains, an unresolved CDK token (for example
 * `arn:${AWS::Partition}:acm:...` from `Stack.formatArn`) is skipped entirely. A token may stand for any number of
 * ARN fields, colons included, so no field of such a string can be checked without risking false alarms.
 */

/** The AWS partitions. */
export const PARTITIONS: readonly string[] = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

const ACCOUNT = /^\d{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EXAMPLE_UUID = '12345678-1234-1234-1234-123456789012';

/** The fields of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the fifth colon (it may contain colons itself). */
  readonly resource: string;
}

/**
 * Splits an ARN into its fields, without checking them.
 *
 * @returns the fields, or `undefined` when the value is not a string, contains a token, does not start with `arn:` or
 *   has fewer than six fields
 */
export function parseArn(arn: string): ParsedArn | undefined {
  if (typeof arn !== 'string' || Token.isUnresolved(arn)) {
    return undefined;
  }
  const fields = arn.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') {
    return undefined;
  }
  return { partition: fields[1], service: fields[2], region: fields[3], account: fields[4], resource: fields.slice(5).join(':') };
}

/** What one kind of ARN looks like. */
interface ArnSpec {
  readonly kind: string;
  readonly service: string;
  readonly resourceType: string;
  readonly minLength: number;
  readonly maxLength: number;
}

function validateArn(arn: string, spec: ArnSpec): string[] {
  const example = `arn:aws:${spec.service}:us-east-1:123456789012:${spec.resourceType}/${EXAMPLE_UUID}`;
  if (typeof arn !== 'string') {
    return [`${spec.kind} ${quoteValue(arn)} is not a string: expected the form ${example}.`];
  }
  if (Token.isUnresolved(arn)) {
    return [];
  }
  const q = `${spec.kind} ${quoteValue(arn)}`;
  const problems: string[] = [];
  if (arn.length < spec.minLength || arn.length > spec.maxLength) {
    problems.push(`${q} is ${arn.length} characters long: it must be ${spec.minLength} to ${spec.maxLength} characters ` +
      `(expected the form ${example}).`);
  }
  const parsed = parseArn(arn);
  if (parsed === undefined) {
    problems.push(`${q} is not an ARN: expected the form ${example}.`);
    return problems;
  }
  if (!PARTITIONS.includes(parsed.partition)) {
    problems.push(`${q} has the unknown partition ${quoteValue(parsed.partition)}: use one of ${PARTITIONS.join(', ')} ` +
      `(expected the form ${example}).`);
  }
  if (parsed.service !== spec.service) {
    problems.push(`${q} names the service ${quoteValue(parsed.service)}, not ${JSON.stringify(spec.service)}: pass the ARN of ` +
      `${spec.kind === 'certificate ARN' ? 'an ACM certificate' : 'an AWS Private CA certificate authority'} (expected the form ${example}).`);
  }
  if (!REGION_NAME.test(parsed.region)) {
    problems.push(`${q} has the region ${quoteValue(parsed.region)}, which is not a region such as "us-east-1": ` +
      `${spec.service} resources are regional (expected the form ${example}).`);
  }
  if (!ACCOUNT.test(parsed.account)) {
    problems.push(`${q} has the account ${quoteValue(parsed.account)}: an account ID is exactly 12 digits (expected the form ${example}).`);
  }
  const prefix = `${spec.resourceType}/`;
  const id = parsed.resource.startsWith(prefix) ? parsed.resource.slice(prefix.length) : undefined;
  if (id === undefined || !UUID.test(id)) {
    const hint = id !== undefined && UUID.test(id.toLowerCase()) ? ' (write the ID in lowercase)' : '';
    problems.push(`${q} has the resource ${quoteValue(parsed.resource)}: expected ${JSON.stringify(prefix)} followed by ` +
      `a lowercase UUID such as ${EXAMPLE_UUID}${hint} (expected the form ${example}).`);
  }
  return problems;
}

/**
 * Checks an ACM certificate ARN: `arn:<partition>:acm:<region>:<account>:certificate/<lowercase uuid>`, 20 to 2048
 * characters. An ARN containing a token is skipped (see the module notes).
 */
export function validateCertificateArn(arn: string): string[] {
  return validateArn(arn, { kind: 'certificate ARN', service: 'acm', resourceType: 'certificate', minLength: 20, maxLength: 2048 });
}

/**
 * Checks an AWS Private CA ARN: `arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<lowercase uuid>`, 5 to
 * 200 characters. An ARN containing a token is skipped (see the module notes).
 */
export function validateCertificateAuthorityArn(arn: string): string[] {
  return validateArn(arn, {
    kind: 'certificate authority ARN',
    service: 'acm-pca',
    resourceType: 'certificate-authority',
    minLength: 5,
    maxLength: 200,
  });
}
