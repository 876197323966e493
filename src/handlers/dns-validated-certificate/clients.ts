import { ACMClient } from '@aws-sdk/client-acm';
import { Route53Client } from '@aws-sdk/client-route-53';
import { STSClient } from '@aws-sdk/client-sts';
import type { DnsValidatedCertificateDeps } from './records';

const acmClients = new Map<string, ACMClient>();
const ownRoute53 = new Route53Client({ retryMode: 'adaptive' });
const sts = new STSClient({ retryMode: 'adaptive' });

/**
 * The SDK clients of both Lambda entry points (onEvent and isComplete). Clients live for the
 * container, with adaptive retries; a Route 53 client with an assumed role's credentials is made per
 * invocation, so no credentials outlive it. Tests pass moto clients to the handler factories instead.
 */
export const runtimeDeps: DnsValidatedCertificateDeps = {
  acm: (region) => {
    if (!acmClients.has(region)) acmClients.set(region, new ACMClient({ region, retryMode: 'adaptive' }));
    return acmClients.get(region)!;
  },
  route53: (credentials) => (credentials === undefined ? ownRoute53 : new Route53Client({ retryMode: 'adaptive', credentials })),
  sts,
};
