import { ACMClient } from '@aws-sdk/client-acm';
import { Route53Client } from '@aws-sdk/client-route-53';
import { STSClient } from '@aws-sdk/client-sts';
import type { DnsValidatedCertificateDeps } from './records';
import { SINGLE_ATTEMPT } from '../shared/retry';

/**
 * One attempt per SDK call: the handlers retry throttling, 5xx and network errors themselves (full
 * jitter, within the Lambda's remaining time), so the SDK's retries would stack on top of them.
 */
const options = { ...SINGLE_ATTEMPT, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } };
const acmClients = new Map<string, ACMClient>();
const ownRoute53 = new Route53Client(options);
const sts = new STSClient(options);

/**
 * The SDK clients of both Lambda entry points (onEvent and isComplete). Clients live for the
 * container, with one attempt per call (see above); a Route 53 client with an assumed role's credentials is made per
 * invocation, so no credentials outlive it. Tests pass moto clients to the handler factories instead.
 */
export const runtimeDeps: DnsValidatedCertificateDeps = {
  acm: (region) => {
    if (!acmClients.has(region)) acmClients.set(region, new ACMClient({ region, ...options }));
    return acmClients.get(region)!;
  },
  route53: (credentials) => (credentials === undefined ? ownRoute53 : new Route53Client({ ...options, credentials })),
  sts,
};
