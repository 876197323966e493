import { Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { REGION_NAME } from './arn-patterns';
import { quoteValue } from './errors';

/** A region given to a construct must be a concrete region name (it decides where the resource lives). */
export function validateRegionName(region: string): string[] {
  if (Token.isUnresolved(region)) {
    return [
      'region is unresolved at synth time (a token or parameter): the certificate\'s region decides where its metrics, ' +
        'alarms and event rules live, so give a concrete region name such as "us-east-1", or leave region out to use the stack\'s.',
    ];
  }
  if (!REGION_NAME.test(region)) {
    return [`region ${quoteValue(region)} is not a region name: use one such as "us-east-1" or "eu-west-1".`];
  }
  return [];
}

/**
 * The certificate's region must be in the stack's partition: the handler runs in the stack's partition, and its
 * credentials cannot reach ACM in another one (aws, aws-cn, aws-us-gov, ...). Skipped when either region is a
 * token or aws-cdk-lib does not know its partition.
 */
export function validateSamePartition(stackRegion: string, certificateRegion: string): string[] {
  if (Token.isUnresolved(stackRegion) || Token.isUnresolved(certificateRegion)) {
    return [];
  }
  const stackPartition = RegionInfo.get(stackRegion).partition;
  const certificatePartition = RegionInfo.get(certificateRegion).partition;
  if (stackPartition === undefined || certificatePartition === undefined || stackPartition === certificatePartition) {
    return [];
  }
  return [
    `region ${quoteValue(certificateRegion)} is in partition ${quoteValue(certificatePartition)}, but the stack deploys to ` +
      `${quoteValue(stackRegion)} in partition ${quoteValue(stackPartition)}: the handler runs with credentials of the stack's partition, ` +
      `which cannot request a certificate in another partition. Choose a region of ${quoteValue(stackPartition)}, or create the ` +
      `certificate in a stack deployed to ${quoteValue(certificatePartition)}.`,
  ];
}

/**
 * Tag keys starting with the handler's prefix (`cdk-pki:`: stack and logical ID, created records) are the handler's own:
 * neither props nor `Tags.of()` may set them.
 */
export function validateHandlerTagKeys(keys: readonly string[], prefix: string): string[] {
  return keys.filter((k) => !Token.isUnresolved(k) && k.startsWith(prefix)).map((k) =>
    `tag key ${quoteValue(k)} starts with "${prefix}", which the handler uses for its own tags; choose another key ` +
      '(in the tags prop or in Tags.of(...).add()).');
}

/** The shortest and longest validation timeout, in seconds (the handler's contract says which). */
export interface ValidationTimeoutLimits {
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

/** The validation timeout must be whole seconds within the limits (1 to 55 minutes). */
export function validateValidationTimeout(seconds: number, limits: ValidationTimeoutLimits): string[] {
  if (Token.isUnresolved(seconds)) {
    return [];
  }
  if (!Number.isInteger(seconds) || seconds < limits.minSeconds || seconds > limits.maxSeconds) {
    return [
      `validationTimeout of ${seconds} seconds is outside ${limits.minSeconds / 60} to ${limits.maxSeconds / 60} minutes (whole seconds): ` +
        'CloudFormation waits at most one hour ' +
        'for a custom resource, and the handler must report which names are still unvalidated before that. ' +
        'Use e.g. Duration.minutes(30); for longer waits validate the names with PublicCertificate instead (up to 72 hours).',
    ];
  }
  return [];
}

/** What the planner knows of a zone's account and role. */
export interface ZoneAccess {
  /** The zone's name or ID, for messages. */
  readonly label: string;
  /** The account that owns the zone, when known at synth time. */
  readonly zoneAccount?: string;
  /** Whether a role to assume in the zone's account is given. */
  readonly hasRole: boolean;
  /** The external ID, when given. */
  readonly externalId?: string;
}

/**
 * A zone in another account can only be written through a role in that account; an external ID
 * without a role means nothing; an external ID must follow IAM's rules (2-1,224 characters of
 * `[\w+=,.@:/-]`).
 */
export function validateZoneAccess(stackAccount: string, zones: readonly ZoneAccess[]): string[] {
  const problems: string[] = [];
  for (const zone of zones) {
    const crossAccount = zone.zoneAccount !== undefined && !Token.isUnresolved(zone.zoneAccount)
      && !Token.isUnresolved(stackAccount) && zone.zoneAccount !== stackAccount;
    if (crossAccount && !zone.hasRole) {
      problems.push(
        `hosted zone ${zone.label} belongs to account ${zone.zoneAccount}, not to this stack's account ${stackAccount}: ` +
          'the handler cannot write its validation records without a role in that account. Pass `role` (a role in ' +
          `${zone.zoneAccount} that trusts this account and may change the zone's CNAME records) for this zone.`,
      );
    }
    if (zone.externalId !== undefined && !Token.isUnresolved(zone.externalId)) {
      if (!zone.hasRole) {
        problems.push(`hosted zone ${zone.label} has externalId ${quoteValue(zone.externalId)} but no role: the external ID is sent when assuming the role; pass both or neither.`);
      } else if (!/^[\w+=,.@:/-]{2,1224}$/.test(zone.externalId)) {
        problems.push(
          `externalId ${quoteValue(zone.externalId)} of hosted zone ${zone.label} is not a valid STS external ID: ` +
            '2 to 1,224 characters of letters, digits and +=,.@:/-_.',
        );
      }
    }
  }
  return problems;
}
