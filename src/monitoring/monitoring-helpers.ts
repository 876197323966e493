import { Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as events from 'aws-cdk-lib/aws-events';
import { IConstruct } from 'constructs';
import { AcmEventType } from '../certificates/certificate-base';
import { regionOfArn } from '../validation/arn-patterns';
import { PkiValidationError, quoteValue } from '../validation/errors';

/** All five ACM detail types, in a stable order. */
export const ALL_ACM_EVENT_TYPES: readonly AcmEventType[] = [
  AcmEventType.APPROACHING_EXPIRATION,
  AcmEventType.EXPIRED,
  AcmEventType.AVAILABLE,
  AcmEventType.RENEWAL_ACTION_REQUIRED,
  AcmEventType.REVOKED,
];

/**
 * The AWS Health event type codes ACM publishes (`detail.service` = `ACM`).
 *
 * @see https://docs.aws.amazon.com/acm/latest/userguide/supported-events.html
 */
export const ACM_HEALTH_EVENT_TYPE_CODES: readonly string[] = [
  'AWS_ACM_RENEWAL_STATE_CHANGE',
  'CAA_CHECK_FAILURE',
  'AWS_ACM_RENEWAL_FAILURE',
];

/**
 * How many certificate ARNs one rule's `resources` filter holds. EventBridge limits an event
 * pattern to 2,048 characters by default; an ACM ARN takes at most ~97 characters quoted, so 15
 * ARNs plus the source and the five detail types stay well under it.
 */
export const ARNS_PER_RULE = 15;

/** Smallest and largest accepted DaysToExpiry alarm threshold. */
export const MIN_THRESHOLD_DAYS = 1;
export const MAX_THRESHOLD_DAYS = 397;

/** Problems with a DaysToExpiry threshold (empty when fine or a token). */
export function validateDaysToExpiryThreshold(days: number): string[] {
  if (Token.isUnresolved(days)) return [];
  if (!Number.isInteger(days) || days < MIN_THRESHOLD_DAYS || days > MAX_THRESHOLD_DAYS) {
    return [
      `daysToExpiryThreshold must be a whole number of days from ${MIN_THRESHOLD_DAYS} to ${MAX_THRESHOLD_DAYS} ` +
        `(public certificates are valid for at most 395 days), got ${quoteValue(days)}`,
    ];
  }
  return [];
}

/**
 * The region a certificate lives in, when known at synth time: the certificate's own
 * `certificateRegion` (certificates of this library), else the region of a concrete ARN,
 * else `undefined` (meaning: the stack's region, e.g. a certificate created in the same stack).
 */
export function certificateRegionOf(certificate: acm.ICertificate): string | undefined {
  const own = (certificate as { certificateRegion?: unknown }).certificateRegion;
  if (typeof own === 'string' && !Token.isUnresolved(own)) {
    return own;
  }
  return regionOfArn(certificate.certificateArn);
}

/**
 * Throws when a metric or event of `what` lives in `region` but `scope`'s stack deploys elsewhere
 * (or to a region unknown at synth time): alarms and rules only see their own region.
 */
export function assertSameRegion(scope: IConstruct, what: string, region: string | undefined): void {
  if (region === undefined) return;
  const stackRegion = Stack.of(scope).region;
  if (Token.isUnresolved(stackRegion)) {
    throw new PkiValidationError(
      `${scope.node.path}: ${what} lives in ${region}, but the stack's region is not known at synth time; ` +
        `its DaysToExpiry metric and ACM events exist only in ${region}. Give the stack \`env: { region: '${region}' }\`.`,
    );
  }
  if (stackRegion !== region) {
    throw new PkiValidationError(
      `${scope.node.path}: ${what} lives in ${region} but this stack deploys to ${stackRegion}; ` +
        'CloudWatch alarms and EventBridge rules only see metrics and events of their own region. ' +
        `Monitor it with a CertificateMonitor in a stack in ${region} (import it there with PublicCertificate.fromCertificateArn).`,
    );
  }
}

/** A readable name for a certificate in messages. */
export function describeCertificate(certificate: acm.ICertificate): string {
  const arn = certificate.certificateArn;
  return Token.isUnresolved(arn) ? `certificate ${certificate.node.path}` : `certificate ${certificate.node.path} (${arn})`;
}

/** The SNS message sent for an ACM event: readable text built by an input transformer. */
export function acmEventMessage(): events.RuleTargetInput {
  return events.RuleTargetInput.fromText(
    `${events.EventField.fromPath('$.detail-type')} in ${events.EventField.region} ` +
      `(account ${events.EventField.account}): certificate ${events.EventField.fromPath('$.resources[0]')}, ` +
      `common name ${events.EventField.fromPath('$.detail.CommonName')}, ` +
      `days to expiry ${events.EventField.fromPath('$.detail.DaysToExpiry')}, ` +
      `expires ${events.EventField.fromPath('$.detail.CertificateExpirationDate')}.`,
  );
}

/** The SNS message sent for an AWS Health event of ACM. */
export function healthEventMessage(): events.RuleTargetInput {
  return events.RuleTargetInput.fromText(
    `AWS Health ${events.EventField.fromPath('$.detail.eventTypeCode')} for ACM in ${events.EventField.region} ` +
      `(account ${events.EventField.account}): ${events.EventField.fromPath('$.resources[0]')}: ` +
      `${events.EventField.fromPath('$.detail.eventDescription[0].latestDescription')}`,
  );
}

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
