// The SDK is a devDependency: the Lambda runtime provides it and the bundles keep it external.
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  ResourceRecordSet,
  Route53Client,
  RRType,
} from '@aws-sdk/client-route-53';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { PlannedRecord, RECORD_TTL, ROLE_SESSION_NAME } from './logic';
import { normalizeName } from './properties';
import { errorName } from '../shared/retry';

/**
 * Thin Route 53 / STS wrappers of the DnsValidatedCertificate handlers: reading, upserting and
 * deleting one validation record, and reaching a zone of another account through an assumed role.
 * Credentials stay inside the client objects: nothing here logs or returns them.
 */

export type Route53Like = Pick<Route53Client, 'send'>;
export type StsLike = Pick<STSClient, 'send'>;
/** Runs an SDK call with the handler's retries. */
export type Retry = <T>(fn: () => Promise<T>) => Promise<T>;

/** Temporary credentials of an assumed role, as the SDK clients take them. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/** Where a record's zone is reached: with the handler's own credentials, or through a role. */
export interface ZoneAccess {
  readonly roleArn?: string;
  readonly externalId?: string;
}

/**
 * Returns the Route 53 client for a zone's access, assuming each role once per invocation
 * (create a new one per invocation so that no credentials outlive it).
 */
export function zoneClients(o: {
  readonly route53: (credentials?: RoleCredentials) => Route53Like;
  readonly sts: StsLike;
  readonly retry: Retry;
  readonly log: (line: string) => void;
}): (access: ZoneAccess) => Promise<Route53Like> {
  const cache = new Map<string, Promise<Route53Like>>();
  return (access) => {
    if (access.roleArn === undefined) {
      return Promise.resolve(o.route53());
    }
    const key = `${access.roleArn}\n${access.externalId ?? ''}`;
    let client = cache.get(key);
    if (client === undefined) {
      client = (async () => {
        const res = await o.retry(() => o.sts.send(new AssumeRoleCommand({
          RoleArn: access.roleArn,
          RoleSessionName: ROLE_SESSION_NAME,
          DurationSeconds: 900,
          ...(access.externalId === undefined ? {} : { ExternalId: access.externalId }),
        })));
        const c = res.Credentials;
        if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined) {
          throw new Error(`AssumeRole of ${access.roleArn} returned no credentials`);
        }
        o.log(JSON.stringify({ message: 'assumed role', roleArn: access.roleArn, assumedRoleArn: res.AssumedRoleUser?.Arn }));
        return o.route53({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration });
      })();
      client.catch(() => cache.delete(key));
      cache.set(key, client);
    }
    return client;
  };
}

/** The record set named `name` of type `type` in the zone, if there is one. */
export async function findRecord(r53: Route53Like, zoneId: string, name: string, type: string, retry: Retry): Promise<ResourceRecordSet | undefined> {
  const res = await retry(() => r53.send(new ListResourceRecordSetsCommand({
    HostedZoneId: zoneId,
    StartRecordName: name,
    StartRecordType: type as RRType,
    MaxItems: 1,
  })));
  const found = res.ResourceRecordSets?.[0];
  return found !== undefined && normalizeName(found.Name ?? '') === normalizeName(name) && found.Type === type ? found : undefined;
}

/** UPSERTs validation records into one zone (one change batch). */
export async function upsertRecords(r53: Route53Like, zoneId: string, records: readonly PlannedRecord[], retry: Retry): Promise<string | undefined> {
  const res = await retry(() => r53.send(new ChangeResourceRecordSetsCommand({
    HostedZoneId: zoneId,
    ChangeBatch: {
      Comment: 'cdk-pki: ACM DNS validation',
      Changes: records.map((r) => ({
        Action: 'UPSERT',
        ResourceRecordSet: { Name: r.name, Type: r.type as RRType, TTL: RECORD_TTL, ResourceRecords: [{ Value: r.value }] },
      })),
    },
  })));
  return res.ChangeInfo?.Id;
}

/**
 * Deletes exactly the record set read from the zone. `gone` when Route 53 says it no longer
 * exists (InvalidChangeBatch: someone deleted it in between).
 */
export async function deleteRecord(r53: Route53Like, zoneId: string, found: ResourceRecordSet, retry: Retry): Promise<'deleted' | 'gone'> {
  try {
    await retry(() => r53.send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Comment: 'cdk-pki: ACM DNS validation clean-up', Changes: [{ Action: 'DELETE', ResourceRecordSet: found }] },
    })));
    return 'deleted';
  } catch (err) {
    if (errorName(err) === 'InvalidChangeBatch') {
      return 'gone';
    }
    throw err;
  }
}
