import { ACMClient } from '@aws-sdk/client-acm';
import { CreateHostedZoneCommand, ListResourceRecordSetsCommand, ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53';
import { STSClient } from '@aws-sdk/client-sts';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createDnsValidatedCertificateCompleteHandler } from '../../src/handlers/dns-validated-certificate/dns-validated-certificate-complete.lambda';
import { createDnsValidatedCertificateHandler } from '../../src/handlers/dns-validated-certificate/dns-validated-certificate.lambda';
import { DnsValidatedCertificateDeps } from '../../src/handlers/dns-validated-certificate/records';
import { RoleCredentials } from '../../src/handlers/dns-validated-certificate/route53';
import { cfnEvent } from '../harness/cfn-event';
import { Fault, instrument, SentCall } from '../harness/faults';
import { motoClientConfig, motoEndpoint } from '../harness/moto';

/*
 * Test wiring of the DnsValidatedCertificate handlers against moto_server: clients per region and
 * per account, instrumented by test/harness/faults.ts (every call recorded; faults, answers for what
 * moto lacks and patched outputs injected above the SDK's retries), and builders for the
 * custom-resource events.
 */

export type { Fault, SentCall } from '../harness/faults';

export const RESOURCE_TYPE = 'Custom::CdkPkiDnsValidatedCertificate';
/** moto's default account (the handler's own). */
export const OWN_ACCOUNT = '123456789012';
/** The account of a hosted zone reached through an assumed role. */
export const ZONE_ACCOUNT = '210987654321';

/** Adds moto's account header to every request of a client (a resource in another account). */
export function inAccount<C extends { middlewareStack: any }>(client: C, accountId: string): C {
  client.middlewareStack.add((next: any) => async (args: any) => {
    args.request.headers['x-moto-account-id'] = accountId;
    return next(args);
  }, { step: 'build', name: 'motoAccount' });
  return client;
}

/** Everything one test's handlers did. */
export interface Harness {
  readonly onEvent: ReturnType<typeof createDnsValidatedCertificateHandler>;
  readonly isComplete: ReturnType<typeof createDnsValidatedCertificateCompleteHandler>;
  readonly acm: (region: string) => ACMClient;
  readonly calls: SentCall[];
  readonly faults: Fault[];
  readonly logs: string[];
  /** The credentials every AssumeRole returned (must never be logged). */
  readonly issuedCredentials: string[];
}

/** Handlers wired to moto, with recording clients; `now` overrides the clock. */
export function harness(o: { now?: () => Date; faults?: Fault[]; logs?: string[] } = {}): Harness {
  const calls: SentCall[] = [];
  const faults = o.faults ?? [];
  const logs = o.logs ?? [];
  const issuedCredentials: string[] = [];
  const acmClients = new Map<string, ACMClient>();
  const acm = (region: string) => {
    if (!acmClients.has(region)) acmClients.set(region, instrument(new ACMClient(motoClientConfig(region)), calls, faults));
    return acmClients.get(region)!;
  };
  const sts = instrument(new STSClient(motoClientConfig()), calls, [...faults, {
    command: 'AssumeRoleCommand',
    times: Number.MAX_SAFE_INTEGER,
    patch: (out: any) => {
      issuedCredentials.push(out.Credentials.SecretAccessKey, out.Credentials.SessionToken);
      return out;
    },
  }]);
  const ownRoute53 = instrument(new Route53Client(motoClientConfig()), calls, faults);
  const deps: DnsValidatedCertificateDeps = {
    acm,
    sts,
    route53: (credentials?: RoleCredentials) => (credentials === undefined
      ? ownRoute53
      : instrument(new Route53Client({ ...motoClientConfig(), credentials }), calls, faults)),
    now: o.now,
    retry: { baseDelayMs: 1, maxDelayMs: 2, attempts: 4 },
    inUseRetry: { baseDelayMs: 1, maxDelayMs: 2, attempts: 4 },
    log: (line) => logs.push(line),
  };
  return {
    onEvent: createDnsValidatedCertificateHandler(deps),
    isComplete: createDnsValidatedCertificateCompleteHandler(deps),
    acm,
    calls,
    faults,
    logs,
    issuedCredentials,
  };
}

/** A hosted zone in moto (of `account`, default the handler's own); returns its bare ID. */
export async function createZone(name: string, account = OWN_ACCOUNT): Promise<string> {
  const r53 = inAccount(new Route53Client(motoClientConfig()), account);
  const res = await r53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `${name}-${Date.now()}-${Math.random()}` }));
  return res.HostedZone!.Id!.replace('/hostedzone/', '');
}

/** The CNAME records of a zone. */
export async function cnames(zoneId: string, account = OWN_ACCOUNT): Promise<ResourceRecordSet[]> {
  const r53 = inAccount(new Route53Client(motoClientConfig()), account);
  const res = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  return (res.ResourceRecordSets ?? []).filter((r) => r.Type === 'CNAME');
}

/** Creates an IAM role in moto (IAM query API: the SDK's IAM client is not installed here). */
export async function createRole(account: string, roleName: string): Promise<string> {
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
  });
  const body = new URLSearchParams({ Action: 'CreateRole', Version: '2010-05-08', RoleName: roleName, AssumeRolePolicyDocument: trust });
  const res = await fetch(motoEndpoint(), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-moto-account-id': account,
      'authorization': 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: body.toString(),
  });
  const text = await res.text();
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
  if (!res.ok || arn === undefined) {
    throw new Error(`CreateRole failed: HTTP ${res.status} ${text.slice(0, 300)}`);
  }
  return arn;
}

/** The custom-resource event of the tests. */
export function dnsEvent(requestType: 'Create' | 'Update' | 'Delete', props: Record<string, unknown>,
  extra: { physicalId?: string; oldProps?: Record<string, unknown>; requestId?: string } = {}): CloudFormationCustomResourceEvent {
  const event = cfnEvent(requestType, { resourceType: RESOURCE_TYPE, logicalId: 'SiteCertificate', props, physicalId: extra.physicalId, oldProps: extra.oldProps });
  return extra.requestId === undefined ? event : { ...event, RequestId: extra.requestId };
}

/** The properties the construct sends, with the tests' defaults. */
export function certProps(o: {
  domainName?: string;
  sans?: string[];
  region?: string;
  validation: { DomainName: string; HostedZoneId: string; RoleArn?: string; ExternalId?: string }[];
  tags?: { Key: string; Value: string }[];
  keyAlgorithm?: string;
  logging?: 'ENABLED' | 'DISABLED';
  cleanup?: boolean;
  timeoutSeconds?: number;
}): Record<string, unknown> {
  return {
    DomainName: o.domainName ?? 'app.example.com',
    ...(o.sans === undefined ? {} : { SubjectAlternativeNames: o.sans }),
    Region: o.region ?? 'eu-west-1',
    KeyAlgorithm: o.keyAlgorithm ?? 'RSA_2048',
    TransparencyLogging: o.logging ?? 'ENABLED',
    Export: 'DISABLED',
    Tags: o.tags ?? [{ Key: 'team', Value: 'platform' }],
    Validation: o.validation,
    CleanupValidationRecords: o.cleanup === false ? 'false' : 'true',
    ValidationTimeoutSeconds: String(o.timeoutSeconds ?? 300),
  };
}

/** Merges the onEvent response into the event, as the Provider framework does before isComplete. */
export function withResponse(event: CloudFormationCustomResourceEvent, response: { PhysicalResourceId?: string }): CloudFormationCustomResourceEvent {
  return { ...event, PhysicalResourceId: response.PhysicalResourceId } as CloudFormationCustomResourceEvent;
}
