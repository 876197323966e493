import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { CaPolicyResourceProperties } from './contract';
import { isCertificateAuthorityArn } from '../../validation/arn-patterns';
import { CA_POLICY_SID_PREFIX, validateCaPolicyText } from '../../validation/policy-text';
import { shortDigest } from '../shared/digest';
import { describeCfnEvent } from '../shared/event-log';

/**
 * Pure logic of the `Custom::CdkPkiCaPolicy` handler: what to do for a CloudFormation event.
 *
 * The physical resource ID is the CA ARN. When an update moves the policy to another CA, the new
 * ID makes CloudFormation send a Delete for the old one, which removes the policy from the old CA.
 */

/** Private CA errors worth retrying. */
export const RETRYABLE_ERRORS: readonly string[] = ['ConcurrentModificationException', 'ThrottlingException'];

/** Errors meaning the CA or its policy no longer exists. */
export const GONE_ERRORS: readonly string[] = ['ResourceNotFoundException'];

/** What the handler does for one event. */
export type CaPolicyPlan =
  | { readonly action: 'put'; readonly certificateAuthorityArn: string; readonly policy: string }
  | { readonly action: 'delete'; readonly certificateAuthorityArn: string; readonly owner: string }
  | { readonly action: 'none'; readonly reason: string };

/** Reads and checks the resource properties of a Create or Update event. */
export function readProperties(props: Record<string, unknown> | undefined): CaPolicyResourceProperties {
  const arn = props?.CertificateAuthorityArn;
  const policy = props?.Policy;
  if (!isCertificateAuthorityArn(arn)) {
    throw new Error(`CertificateAuthorityArn ${JSON.stringify(arn)} is not a Private CA ARN ` +
      '(arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>)');
  }
  if (typeof policy !== 'string') {
    throw new Error('Policy is missing: the resource needs the policy JSON as a string');
  }
  const problems = validateCaPolicyText(policy);
  if (problems.length > 0) {
    throw new Error(`the policy for ${arn} cannot be put: ${problems.join(' ')}`);
  }
  return { CertificateAuthorityArn: arn, Policy: policy };
}

/**
 * Decides what to do for a CloudFormation event.
 *
 * Create and Update put the policy on the CA named in the properties. Delete removes the policy of
 * the CA named by the physical ID; when that ID is not a CA ARN (a Create that failed before it
 * returned one), there is nothing to remove.
 */
export function planCaPolicy(event: CloudFormationCustomResourceEvent): CaPolicyPlan {
  switch (event.RequestType) {
    case 'Create':
    case 'Update': {
      const props = readProperties(event.ResourceProperties);
      const policy = markPolicy(props.Policy, ownerMark(event));
      const problems = validateCaPolicyText(policy);
      if (problems.length > 0) {
        throw new Error(`the policy for ${props.CertificateAuthorityArn} cannot be put once its statements carry the owner mark: ${problems.join(' ')}`);
      }
      return { action: 'put', certificateAuthorityArn: props.CertificateAuthorityArn, policy };
    }
    case 'Delete':
      if (isCertificateAuthorityArn(event.PhysicalResourceId)) {
        return { action: 'delete', certificateAuthorityArn: event.PhysicalResourceId, owner: ownerMark(event) };
      }
      return { action: 'none', reason: `physical ID ${JSON.stringify(event.PhysicalResourceId)} names no CA: the Create had failed` };
    default:
      throw new Error(`unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`);
  }
}

/**
 * The owner mark of a resource: its stack and logical ID, hashed, as a Sid suffix (Sids are
 * alphanumeric). A CA has one policy. When a `CertificateAuthorityPolicy` is renamed or replaced,
 * the new resource puts its policy in the update phase and the old resource's Delete runs in the
 * cleanup phase: the mark tells that Delete the policy is no longer its own.
 */
export function ownerMark(event: Pick<CloudFormationCustomResourceEvent, 'StackId' | 'LogicalResourceId'>): string {
  return `Owner${shortDigest(`${event.StackId}/${event.LogicalResourceId}`, 12)}`;
}

const MARK = /Owner[0-9a-f]{12}$/;

/** Appends `mark` to the Sid of every statement the library wrote; text that is not JSON is left as it is. */
export function markPolicy(policy: string, mark: string): string {
  let doc: any;
  try {
    doc = JSON.parse(policy);
  } catch {
    return policy;
  }
  const statements: any[] = Array.isArray(doc?.Statement) ? doc.Statement : [doc?.Statement];
  for (const s of statements) {
    if (typeof s?.Sid === 'string' && s.Sid.startsWith(CA_POLICY_SID_PREFIX)) {
      s.Sid = `${s.Sid.replace(MARK, '')}${mark}`;
    }
  }
  return JSON.stringify(doc);
}

/**
 * The owner marks on a policy read back with GetPolicy. Empty for a policy written before the marks
 * existed (or not by the library): such a policy is treated as the resource's own.
 */
export function policyOwners(policy: string | undefined): Set<string> {
  try {
    const doc = JSON.parse(policy ?? '');
    const statements: any[] = Array.isArray(doc?.Statement) ? doc.Statement : [doc?.Statement];
    return new Set(statements.flatMap((s) => (typeof s?.Sid === 'string' && s.Sid.startsWith(CA_POLICY_SID_PREFIX) ? [s.Sid.match(MARK)?.[0]] : []))
      .filter((m): m is string => m !== undefined));
  } catch {
    return new Set();
  }
}

/**
 * The message of a Delete the handler is not allowed to perform. Its IAM names only the CAs the stack's
 * policies use now, so after a policy moved to another CA, the old CA is out of reach.
 */
export function accessDeniedMessage(certificateAuthorityArn: string, cause: string): string {
  return `not allowed to remove the resource policy of ${certificateAuthorityArn} (${cause}): the handler may only touch the ` +
    'CAs that the stack\'s CertificateAuthorityPolicy constructs name now. If the policy was moved to another CA, remove the ' +
    `old one by hand: aws acm-pca delete-policy --resource-arn ${certificateAuthorityArn}`;
}

/** What is safe to log about an event: never the ResponseURL, the whole event or the policy. */
export function describeEvent(event: CloudFormationCustomResourceEvent): Record<string, unknown> {
  return describeCfnEvent(event);
}
