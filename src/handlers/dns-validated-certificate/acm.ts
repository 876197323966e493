// The SDK is a devDependency: the Lambda runtime provides it and the bundles keep it external.
import {
  ACMClient,
  AddTagsToCertificateCommand,
  CertificateDetail,
  CertificateStatus,
  DescribeCertificateCommand,
  KeyAlgorithm,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
  RequestCertificateCommand,
} from '@aws-sdk/client-acm';
import { LOGICAL_ID_TAG, STACK_ID_TAG, Tag } from './contract';
import { createdRecordHashes, createdRecordTags, LIVE_STATUSES, mayShareNames } from './logic';
import { CertificateProperties, idempotencyToken, normalizeName, requestTags } from './properties';
import { Retry } from './route53';
import { ACM_KEY_ALGORITHMS } from '../../validation/acm-facts';
import { errorName } from '../shared/retry';

/** Thin ACM wrappers of the DnsValidatedCertificate handlers. */

export type AcmLike = Pick<ACMClient, 'send'>;

/** The parts of a CloudFormation event a request needs. */
export interface RequestIdentity {
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly RequestId: string;
}

/** Requests a DNS-validated certificate; the same event (a retried invocation) gets the same certificate. */
export async function requestCertificate(acm: AcmLike, props: CertificateProperties, event: RequestIdentity, retry: Retry): Promise<string> {
  const res = await retry(() => acm.send(new RequestCertificateCommand({
    DomainName: props.DomainName,
    ...(props.SubjectAlternativeNames.length === 0 ? {} : { SubjectAlternativeNames: props.SubjectAlternativeNames }),
    ValidationMethod: 'DNS',
    KeyAlgorithm: props.KeyAlgorithm as KeyAlgorithm,
    Options: { CertificateTransparencyLoggingPreference: props.TransparencyLogging, Export: props.Export },
    IdempotencyToken: idempotencyToken(event.StackId, event.LogicalResourceId, event.RequestId),
    Tags: requestTags(props, event.StackId, event.LogicalResourceId),
  })));
  if (res.CertificateArn === undefined) {
    throw new Error(`RequestCertificate for ${props.DomainName} returned no CertificateArn`);
  }
  return res.CertificateArn;
}

/** DescribeCertificate's detail. */
export async function describeCertificate(acm: AcmLike, arn: string, retry: Retry): Promise<CertificateDetail> {
  const res = await retry(() => acm.send(new DescribeCertificateCommand({ CertificateArn: arn })));
  if (res.Certificate === undefined) {
    throw new Error(`DescribeCertificate of ${arn} returned no certificate`);
  }
  return res.Certificate;
}

/** The certificate's tags. */
export async function listTags(acm: AcmLike, arn: string, retry: Retry): Promise<Tag[]> {
  const res = await retry(() => acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn })));
  return (res.Tags ?? []).map((t) => ({ Key: t.Key!, ...(t.Value === undefined ? {} : { Value: t.Value }) }));
}

/**
 * Adds record hashes to the certificate's ownership tags (read, merge, write). Returns the hashes
 * the tags hold afterwards.
 */
export async function addCreatedRecords(acm: AcmLike, arn: string, hashes: readonly string[], retry: Retry): Promise<Set<string>> {
  const before = createdRecordHashes(await listTags(acm, arn, retry));
  const after = new Set([...before, ...hashes]);
  if (after.size !== before.size) {
    await retry(() => acm.send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: createdRecordTags(after) })));
  }
  return after;
}

/** Another certificate of the account that may share validation records with ours. */
export interface OtherCertificate {
  readonly arn: string;
  /** Its region (where it is tagged when a record is handed over). */
  readonly region: string;
  readonly stackId?: string;
  /** Normalized names of its validation records. */
  readonly recordNames: Set<string>;
}

/**
 * Errors ACM gives in a region the account has not enabled (an opt-in region): no certificate can
 * be there, so the region is skipped.
 */
export const REGION_NOT_ENABLED_ERRORS: readonly string[] = ['UnrecognizedClientException', 'InvalidClientTokenId', 'OptInRequired', 'AuthFailure'];

/**
 * The live certificates (other than `arn`) in `regions` whose names overlap ours, with their
 * validation records and stack tag: in each region ListCertificates over every key type, then
 * DescribeCertificate and ListTagsForCertificate of the candidates only. ACM gives the same
 * validation record to a name in every region of the account, so every region counts. Regions not
 * enabled in the account are skipped (and logged).
 */
export async function otherCertificates(acmOf: (region: string) => AcmLike, regions: readonly string[], arn: string,
  ourNames: readonly string[], retry: Retry, log: (line: string) => void = () => undefined): Promise<OtherCertificate[]> {
  const others: OtherCertificate[] = [];
  for (const region of regions) {
    const acm = acmOf(region);
    let candidates: string[];
    try {
      candidates = await candidatesIn(acm, arn, ourNames, retry);
    } catch (err) {
      const name = errorName(err);
      if (name === undefined || !REGION_NOT_ENABLED_ERRORS.includes(name)) throw err;
      log(JSON.stringify({ message: 'region skipped: not enabled in this account', region, error: name }));
      continue;
    }
    for (const candidate of candidates) {
      let detail: CertificateDetail;
      let tags: Tag[];
      try {
        detail = await describeCertificate(acm, candidate, retry);
        tags = await listTags(acm, candidate, retry);
      } catch (err) {
        if (errorName(err) === 'ResourceNotFoundException') continue; // deleted in between
        throw err;
      }
      const recordNames = new Set((detail.DomainValidationOptions ?? [])
        .map((dv) => dv.ResourceRecord?.Name)
        .filter((n): n is string => n !== undefined)
        .map(normalizeName));
      const stackId = tags.find((t) => t.Key === STACK_ID_TAG)?.Value;
      others.push({ arn: candidate, region, ...(stackId === undefined ? {} : { stackId }), recordNames });
    }
  }
  return others;
}

async function candidatesIn(acm: AcmLike, arn: string, ourNames: readonly string[], retry: Retry): Promise<string[]> {
  const candidates: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await retry(() => acm.send(new ListCertificatesCommand({
      CertificateStatuses: LIVE_STATUSES as CertificateStatus[],
      Includes: { keyTypes: ACM_KEY_ALGORITHMS as KeyAlgorithm[] },
      MaxItems: 1000,
      NextToken: nextToken,
    })));
    for (const s of page.CertificateSummaryList ?? []) {
      if (s.CertificateArn !== undefined && s.CertificateArn !== arn && mayShareNames(s, ourNames)) {
        candidates.push(s.CertificateArn);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return candidates;
}

/** Whether the certificate's tags say it belongs to this custom resource (stack and logical ID). */
export function ownedBy(tags: readonly Tag[], stackId: string, logicalId: string): boolean {
  return tags.some((t) => t.Key === STACK_ID_TAG && t.Value === stackId) && tags.some((t) => t.Key === LOGICAL_ID_TAG && t.Value === logicalId);
}
