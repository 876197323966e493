import { X509Certificate } from 'crypto';
import {
  CA_ARN_DIMENSION,
  CA_OUTLIVES_PARENT,
  CA_TIERS,
  CaExpiryCheckRequest,
  CaExpiryTarget,
  DAYS_TO_CA_EXPIRY,
  SCHEDULED_EVENT_KEY,
} from './contract';
import { isCertificateAuthorityArn } from '../../validation/arn-patterns';
import { boundedText, FailureText } from '../shared/reason';

/**
 * Pure logic of the CA expiry check, which is invoked two ways: by CloudFormation (through the Provider
 * framework, so the first metrics exist as soon as the stack is deployed) and by a daily EventBridge
 * schedule whose input is `{ [SCHEDULED_EVENT_KEY]: CaExpiryCheckRequest }` (see `contract.ts`).
 */

/** Private CA errors worth retrying at once (every transient error is retried too). */
export const RETRYABLE_ERRORS: readonly string[] = ['ThrottlingException', 'ConcurrentModificationException'];

/** CA statuses whose CA still has its certificate (GetCertificateAuthorityCertificate may answer). */
export const STATUSES_WITH_CERTIFICATE: readonly string[] = ['ACTIVE', 'DISABLED', 'EXPIRED'];

/** The most metric data of one PutMetricData call this handler sends (the API takes 1,000; older quotas were 20). */
export const METRICS_PER_CALL = 20;

const DAY_MS = 86_400_000;

/** Why the handler was invoked. */
export type CheckTrigger = 'Create' | 'Update' | 'Schedule';

/** What the handler does for one invocation. */
export type CheckPlan =
  | { readonly action: 'check'; readonly trigger: CheckTrigger; readonly request: CaExpiryCheckRequest; readonly physicalResourceId?: string }
  | { readonly action: 'none'; readonly physicalResourceId: string };

/** Reads and checks the request of an event: at least one CA, each a Private CA ARN with a known tier, no ARN twice. */
export function readCheckRequest(props: unknown): CaExpiryCheckRequest {
  const list = ((props ?? {}) as Record<string, unknown>).CertificateAuthorities;
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error(`CertificateAuthorities ${JSON.stringify(list)} is not a non-empty list of { CertificateAuthorityArn, Tier }`);
  }
  const seen = new Set<string>();
  const targets = list.map((item: unknown, i): CaExpiryTarget => {
    const t = (item ?? {}) as Record<string, unknown>;
    const arn = t.CertificateAuthorityArn;
    if (!isCertificateAuthorityArn(arn)) {
      throw new Error(`CertificateAuthorities[${i}].CertificateAuthorityArn ${JSON.stringify(arn)} is not a Private CA ARN`);
    }
    const tier = CA_TIERS.find((x) => x === t.Tier);
    if (tier === undefined) {
      throw new Error(`CertificateAuthorities[${i}].Tier ${JSON.stringify(t.Tier)} is not one of ${CA_TIERS.join(', ')}`);
    }
    if (seen.has(arn)) {
      throw new Error(`CertificateAuthorities[${i}]: ${arn} is listed twice`);
    }
    seen.add(arn);
    return { CertificateAuthorityArn: arn, Tier: tier };
  });
  return { CertificateAuthorities: targets };
}

/** Decides what to do for a CloudFormation or scheduled event. Delete does nothing: the metrics simply stop. */
export function planCheck(event: unknown): CheckPlan {
  const e = (event ?? {}) as Record<string, any>;
  if (e[SCHEDULED_EVENT_KEY] !== undefined) {
    return { action: 'check', trigger: 'Schedule', request: readCheckRequest(e[SCHEDULED_EVENT_KEY]) };
  }
  switch (e.RequestType) {
    case 'Create':
      return { action: 'check', trigger: 'Create', request: readCheckRequest(e.ResourceProperties) };
    case 'Update':
      return { action: 'check', trigger: 'Update', request: readCheckRequest(e.ResourceProperties), physicalResourceId: e.PhysicalResourceId };
    case 'Delete':
      return { action: 'none', physicalResourceId: String(e.PhysicalResourceId) };
    default:
      throw new Error(`not a CloudFormation or scheduled CA expiry check event (RequestType ${JSON.stringify(e.RequestType)})`);
  }
}

/** What the handler learned about one CA from Private CA. */
export interface CaFacts {
  readonly target: CaExpiryTarget;
  /** DescribeCertificateAuthority's Status. */
  readonly status: string;
  /** DescribeCertificateAuthority's Type (ROOT or SUBORDINATE). */
  readonly type?: string;
  /** DescribeCertificateAuthority's NotAfter. */
  readonly notAfter?: Date;
  /** GetCertificateAuthorityCertificate's Certificate (PEM), when it answered. */
  readonly certificatePem?: string;
  /** GetCertificateAuthorityCertificate's CertificateChain (PEM, the parent first), when there is one. */
  readonly chainPem?: string;
}

/** An issuer in a subordinate's chain whose certificate expires before the subordinate's. */
export interface OutlivedIssuer {
  readonly subject: string;
  readonly notAfter: string;
  /** Whether it is the parent (the certificate that signed the CA's), rather than an issuer higher up. */
  readonly isParent: boolean;
}

/** The result for one CA. */
export interface CaExpiryResult {
  readonly certificateAuthorityArn: string;
  readonly tier: string;
  readonly status: string;
  readonly type?: string;
  /** `checked`: its expiry is known (and published); `not-active`: the CA has no certificate to check. */
  readonly state: 'checked' | 'not-active';
  /** NotAfter, ISO 8601. */
  readonly notAfter?: string;
  readonly daysToExpiry?: number;
  /** For a subordinate with a chain: whether its certificate outlives an issuer's. */
  readonly outlivesParent?: boolean;
  /** The issuer it outlives, the one expiring first. */
  readonly outlived?: OutlivedIssuer;
  /** Something worth a look that is not an error (e.g. a tier that contradicts the CA's type). */
  readonly notes: string[];
}

/** Whole days from `now` until `notAfter`, rounded down (so a CA that expires in 12 hours has 0 days left). */
export function daysUntil(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

/** The certificates of a PEM bundle, in order. */
export function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function parse(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new Error(`${what} is not a readable X.509 certificate (${err instanceof Error ? err.message : String(err)})`);
  }
}

/**
 * Evaluates one CA: its days to expiry (from its certificate, else Describe's NotAfter) and, for a
 * subordinate with a chain, whether its certificate outlives an issuer in the chain.
 * Throws when Private CA's answer cannot be read (an unreadable certificate).
 */
export function evaluateCa(facts: CaFacts, now: Date): CaExpiryResult {
  const { target } = facts;
  const base = { certificateAuthorityArn: target.CertificateAuthorityArn, tier: target.Tier, status: facts.status, type: facts.type };
  const notes: string[] = [];
  if (facts.type === 'ROOT' && target.Tier !== 'ROOT') notes.push(`the CA is a root but is monitored as ${target.Tier}`);
  if (facts.type === 'SUBORDINATE' && target.Tier === 'ROOT') notes.push('the CA is a subordinate but is monitored as ROOT');

  const certificate = facts.certificatePem ? parse(facts.certificatePem, `the certificate of ${target.CertificateAuthorityArn}`) : undefined;
  const notAfter = certificate ? new Date(certificate.validTo) : facts.notAfter;
  if (notAfter === undefined || Number.isNaN(notAfter.getTime())) {
    return { ...base, state: 'not-active', notes };
  }
  if (facts.status !== 'ACTIVE') notes.push(`the CA is ${facts.status}, not ACTIVE: it issues nothing until it is enabled again`);
  const result = { ...base, state: 'checked' as const, notAfter: notAfter.toISOString(), daysToExpiry: daysUntil(notAfter, now), notes };
  if (facts.type !== 'SUBORDINATE') return result;
  if (!certificate || !facts.chainPem) {
    notes.push('no certificate chain to compare with: whether the CA outlives its parent is unknown');
    return result;
  }
  const chain = splitPem(facts.chainPem).map((pem, i) => parse(pem, `certificate ${i + 1} of the chain of ${target.CertificateAuthorityArn}`));
  if (chain.length === 0) {
    notes.push('the certificate chain holds no certificate: whether the CA outlives its parent is unknown');
    return result;
  }
  const parent = chain.find((c) => certificate.checkIssued(c)) ?? chain[0];
  const expiry = (c: X509Certificate) => new Date(c.validTo).getTime();
  const outlived = chain.filter((c) => expiry(c) < notAfter.getTime()).sort((a, b) => expiry(a) - expiry(b))[0];
  return {
    ...result,
    outlivesParent: outlived !== undefined,
    outlived: outlived === undefined ? undefined : {
      subject: outlived.subject.replace(/\n/g, ', '),
      notAfter: new Date(outlived.validTo).toISOString(),
      isParent: outlived === parent,
    },
  };
}

/** A CloudWatch datum, in the shape of PutMetricData's `MetricData` entries. */
export interface MetricDatum {
  readonly MetricName: string;
  readonly Dimensions: Array<{ readonly Name: string; readonly Value: string }>;
  readonly Timestamp: Date;
  readonly Value: number;
  readonly Unit: 'None' | 'Count';
}

/** The data of the checked CAs: DaysToCaExpiry for each, CaOutlivesParent for subordinates whose chain was compared. */
export function metricData(results: readonly CaExpiryResult[], now: Date): MetricDatum[] {
  return results.flatMap((r) => {
    if (r.state !== 'checked' || r.daysToExpiry === undefined) return [];
    const Dimensions = [{ Name: CA_ARN_DIMENSION, Value: r.certificateAuthorityArn }];
    const data: MetricDatum[] = [{ MetricName: DAYS_TO_CA_EXPIRY, Dimensions, Timestamp: now, Value: r.daysToExpiry, Unit: 'None' }];
    if (r.outlivesParent !== undefined) {
      data.push({ MetricName: CA_OUTLIVES_PARENT, Dimensions, Timestamp: now, Value: r.outlivesParent ? 1 : 0, Unit: 'Count' });
    }
    return data;
  });
}

/** `items` in runs of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The log line of a CA whose certificate outlives an issuer's, naming both. */
export function outlivesMessage(r: CaExpiryResult): string {
  const o = r.outlived!;
  return `the certificate of subordinate CA ${r.certificateAuthorityArn} expires ${r.notAfter}, after ${o.isParent ? 'its parent' : 'an issuer in its chain'} ` +
    `"${o.subject}" (${o.notAfter}): the CA cannot issue anything valid past ${o.notAfter}; re-issue its certificate within the parent's validity, ` +
    'or renew the parent first.';
}

/** The error of a scheduled run in which some CAs could not be checked (bounded for the Lambda's error report). */
export function failedCasMessage(failures: ReadonlyArray<{ readonly arn: string; readonly reason: string }>, total: number): FailureText {
  return boundedText(
    `the CA expiry check could not read ${failures.length} of ${total} CA(s); the others were published:`,
    failures.map((f) => `${f.arn}: ${f.reason}`),
    ['Their DaysToCaExpiry alarms fire on the missing data. Check that the CAs exist in this region and that the handler may ' +
      'acm-pca:DescribeCertificateAuthority and acm-pca:GetCertificateAuthorityCertificate on them.'],
  );
}
