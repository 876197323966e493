/**
 * The shapes of region names and of the ARNs the custom resources pass, and the region of an ARN:
 * one definition for the constructs (synth time), the handlers (deploy time) and the checks.
 *
 * This module imports nothing, so the handler bundles stay free of aws-cdk-lib. It knows nothing of
 * CDK tokens either: a string holding a token has no region name where a region belongs, so
 * `regionOfArn` gives `undefined` for it.
 */

/** The text of a region name such as us-east-1, us-gov-west-1, eu-isoe-west-1 or eusc-de-east-1 (a 4-letter prefix). */
const REGION_TEXT = '[a-z]{2,4}(?:-[a-z]+)+-\\d+';

/** A region name: us-east-1, us-gov-west-1, eu-isoe-west-1, eusc-de-east-1. */
export const REGION_NAME = new RegExp(`^${REGION_TEXT}$`);

/** An ACM certificate ARN, as the handlers accept it: `arn:<partition>:acm:<region>:<account>:certificate/<id>`. */
export const CERTIFICATE_ARN = new RegExp(`^arn:[\\w-]+:acm:${REGION_TEXT}:\\d{12}:certificate/[\\w-]+$`);

/**
 * An AWS Private CA ARN (the API reference's pattern, at most 200 characters):
 * `arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>`.
 */
export const CERTIFICATE_AUTHORITY_ARN = /^arn:[\w+=/,.@-]+:acm-pca:[\w+=/,.@-]*:[0-9]*:certificate-authority\/[\w+=,.@-]+$/;

/** The longest Private CA ARN the API accepts. */
export const MAX_CERTIFICATE_AUTHORITY_ARN_LENGTH = 200;

/** Whether `value` is an ACM certificate ARN (`CERTIFICATE_ARN`). */
export function isCertificateArn(value: unknown): value is string {
  return typeof value === 'string' && CERTIFICATE_ARN.test(value);
}

/** Whether `value` is a Private CA ARN (`CERTIFICATE_AUTHORITY_ARN`, at most 200 characters). */
export function isCertificateAuthorityArn(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_CERTIFICATE_AUTHORITY_ARN_LENGTH && CERTIFICATE_AUTHORITY_ARN.test(value);
}

/**
 * The region of an ARN (`arn:<partition>:<service>:<region>:<account>:<resource>`): its fourth field when
 * that is a region name, else `undefined` (not an ARN, no region, or a token or `${AWS::Region}` there).
 * References such as `${AWS::Partition}` in another field are read as one field, colons and all.
 */
export function regionOfArn(arn: string): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const fields = arn.replace(/\$\{[^}]*\}/g, '${}').split(':');
  return fields.length >= 6 && fields[0] === 'arn' && REGION_NAME.test(fields[3]) ? fields[3] : undefined;
}
