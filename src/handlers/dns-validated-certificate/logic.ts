import { Tag, ValidationEntry } from './contract';
import { baseName, bareZoneId, normalizeName } from './properties';
import { shortDigest } from '../shared/digest';
import { boundedText, FailureText } from '../shared/reason';

/**
 * Pure logic of the `Custom::CdkPkiDnsValidatedCertificate` handlers (onEvent and isComplete):
 * matching ACM's validation records to hosted zones, the record-ownership tags, the clean-up
 * decision and the messages. Nothing here calls AWS or logs.
 */

/**
 * Tag holding short hashes of the validation records this resource created (and so may delete);
 * continued in `cdk-pki:created-records:2`, `:3`, ... when longer than a tag value may be.
 */
export const CREATED_RECORDS_TAG = 'cdk-pki:created-records';
/** ACM's longest tag value. */
export const MAX_TAG_VALUE_LENGTH = 256;
/** The RoleSessionName of the roles assumed to reach a hosted zone of another account. */
export const ROLE_SESSION_NAME = 'cdk-pki-dns-validation';
/** TTL of the validation CNAME records. */
export const RECORD_TTL = 300;
/** Certificate statuses in which another certificate may still need a validation record. */
export const LIVE_STATUSES = ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE'];
/** Statuses from which a certificate never becomes ISSUED. */
export const FAILED_STATUSES = ['FAILED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'EXPIRED', 'INACTIVE'];

/** Throttling and eventual consistency of ACM, STS and Route 53 (retried at once, with backoff). */
export const RETRYABLE_ERRORS: readonly string[] = [
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'PriorRequestNotComplete',
  'RequestInProgressException',
  'InternalServiceError',
  'InternalFailure',
  'ServiceUnavailable',
];
/** The same, plus `ResourceNotFoundException`: a certificate just requested may not be visible yet. */
export const RETRYABLE_AFTER_REQUEST: readonly string[] = [...RETRYABLE_ERRORS, 'ResourceNotFoundException'];

/** The zone entry for a name: an exact match, or the entry of its wildcard/apex twin (`*.x` and `x` share one record). */
export function entryFor(domainName: string, entries: readonly ValidationEntry[]): ValidationEntry | undefined {
  const n = normalizeName(domainName);
  return entries.find((e) => normalizeName(e.DomainName) === n) ?? entries.find((e) => baseName(e.DomainName) === baseName(n));
}

/** One `DomainValidationOptions` entry of DescribeCertificate (the fields we read). */
export interface DomainValidation {
  readonly DomainName?: string;
  readonly ValidationStatus?: string;
  readonly ResourceRecord?: { readonly Name?: string; readonly Type?: string; readonly Value?: string };
}

/** A validation record and the zone it belongs in. */
export interface PlannedRecord {
  /** The record name as ACM gives it (with the trailing dot). */
  readonly name: string;
  readonly type: string;
  readonly value: string;
  readonly zoneId: string;
  readonly roleArn?: string;
  readonly externalId?: string;
  /** The certificate names this record validates. */
  readonly domainNames: string[];
  /** Short hash of zone + name: what the ownership tags hold. */
  readonly hash: string;
}

/** The records of a certificate, or why they cannot be planned yet. */
export interface RecordPlan {
  readonly records: PlannedRecord[];
  /** Names whose ResourceRecord ACM has not published yet (eventual consistency). */
  readonly pending: string[];
  /** Names without a Validation entry (a contract break: the construct maps every name). */
  readonly unmapped: string[];
}

/** Groups ACM's validation records by name and assigns each the zone of its Validation entry. */
export function planRecords(validations: readonly DomainValidation[], entries: readonly ValidationEntry[]): RecordPlan {
  const byName = new Map<string, { record: Omit<PlannedRecord, 'domainNames'>; domainNames: string[] }>();
  const pending: string[] = [];
  const unmapped: string[] = [];
  for (const dv of validations) {
    const domainName = dv.DomainName ?? '';
    const rr = dv.ResourceRecord;
    if (rr?.Name === undefined || rr.Value === undefined) {
      pending.push(domainName);
      continue;
    }
    const key = normalizeName(rr.Name);
    const existing = byName.get(key);
    if (existing !== undefined) {
      existing.domainNames.push(domainName);
      continue;
    }
    const entry = entryFor(domainName, entries);
    if (entry === undefined) {
      unmapped.push(domainName);
      continue;
    }
    byName.set(key, {
      record: {
        name: rr.Name,
        type: rr.Type ?? 'CNAME',
        value: rr.Value,
        zoneId: entry.HostedZoneId,
        ...(entry.RoleArn === undefined ? {} : { roleArn: entry.RoleArn }),
        ...(entry.ExternalId === undefined ? {} : { externalId: entry.ExternalId }),
        hash: recordHash(entry.HostedZoneId, rr.Name),
      },
      domainNames: [domainName],
    });
  }
  return { records: [...byName.values()].map((r) => ({ ...r.record, domainNames: r.domainNames })), pending, unmapped };
}

/** The short hash that stands for "record `name` in zone `zoneId`" in the ownership tags. */
export function recordHash(zoneId: string, name: string): string {
  return shortDigest(`${bareZoneId(zoneId)}|${normalizeName(name)}`, 12);
}

/** The record hashes a certificate's tags say it created. */
export function createdRecordHashes(tags: readonly Tag[]): Set<string> {
  const hashes = new Set<string>();
  for (const t of tags) {
    if (t.Key === CREATED_RECORDS_TAG || t.Key.startsWith(`${CREATED_RECORDS_TAG}:`)) {
      for (const h of (t.Value ?? '').split(' ')) {
        if (h !== '') hashes.add(h);
      }
    }
  }
  return hashes;
}

/** The ownership tags for a set of hashes, split so that no value exceeds ACM's 256 characters. */
export function createdRecordTags(hashes: Iterable<string>): Tag[] {
  const sorted = [...new Set(hashes)].sort();
  const tags: Tag[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) {
      tags.push({ Key: tags.length === 0 ? CREATED_RECORDS_TAG : `${CREATED_RECORDS_TAG}:${tags.length + 1}`, Value: current.join(' ') });
      current = [];
    }
  };
  for (const h of sorted) {
    if ([...current, h].join(' ').length > MAX_TAG_VALUE_LENGTH) flush();
    current.push(h);
  }
  flush();
  return tags;
}

/** A record set as Route 53 lists it (the fields compared). */
export interface FoundRecord {
  readonly Name?: string;
  readonly Type?: string;
  readonly ResourceRecords?: { readonly Value?: string }[];
}

/** Whether a record set read from Route 53 is the planned record with the planned value. */
export function sameRecord(found: FoundRecord | undefined, record: PlannedRecord): boolean {
  return found !== undefined
    && normalizeName(found.Name ?? '') === normalizeName(record.name)
    && found.Type === record.type
    && (found.ResourceRecords ?? []).length === 1
    && normalizeName(found.ResourceRecords![0].Value ?? '') === normalizeName(record.value);
}

/** Which records a Delete removes and which it keeps (and why). */
export interface CleanupPlan {
  readonly remove: PlannedRecord[];
  readonly keep: { readonly record: PlannedRecord; readonly reason: string }[];
}

/**
 * The clean-up decision: remove only records this resource created (by its tags) and that no other
 * live certificate uses (`usedByOthers`: normalized record names).
 */
export function planCleanup(records: readonly PlannedRecord[], created: ReadonlySet<string>, usedByOthers: ReadonlySet<string>): CleanupPlan {
  const remove: PlannedRecord[] = [];
  const keep: { record: PlannedRecord; reason: string }[] = [];
  for (const record of records) {
    if (!created.has(record.hash)) {
      keep.push({ record, reason: 'not created by this resource (it existed before)' });
    } else if (usedByOthers.has(normalizeName(record.name))) {
      keep.push({ record, reason: 'another certificate still uses it' });
    } else {
      remove.push(record);
    }
  }
  return { remove, keep };
}

/** The names of a ListCertificates summary. */
export interface CertificateSummaryNames {
  readonly DomainName?: string;
  readonly SubjectAlternativeNameSummaries?: string[];
  readonly HasAdditionalSubjectAlternativeNames?: boolean;
}

/** Whether the certificate's summary may share a validation record with ours (same names, or names unknown). */
export function mayShareNames(summary: CertificateSummaryNames,
  ourNames: readonly string[]): boolean {
  if (summary.SubjectAlternativeNameSummaries === undefined || summary.HasAdditionalSubjectAlternativeNames) {
    return true;
  }
  const ours = new Set(ourNames.map(baseName));
  return [summary.DomainName ?? '', ...summary.SubjectAlternativeNameSummaries].some((n) => ours.has(baseName(n)));
}

/** Whether the validation deadline (CreatedAt + timeout) has passed. */
export function timedOut(createdAt: Date | undefined, timeoutSeconds: number, now: Date): boolean {
  return createdAt !== undefined && now.getTime() > createdAt.getTime() + timeoutSeconds * 1000;
}

function describeRecord(r: PlannedRecord): string {
  return `CNAME ${r.name} -> ${r.value} in hosted zone ${r.zoneId}${r.roleArn === undefined ? '' : ` (through role ${r.roleArn})`}`;
}

/** The error message of a validation that did not finish in time. */
export function timeoutMessage(certificateArn: string, timeoutSeconds: number,
  validations: readonly DomainValidation[], records: readonly PlannedRecord[]): FailureText {
  const waiting = validations.filter((v) => v.ValidationStatus !== 'SUCCESS');
  const lines = waiting.map((v) => {
    const record = records.find((r) => r.domainNames.includes(v.DomainName ?? ''));
    return `  - ${v.DomainName} (${v.ValidationStatus ?? 'unknown'}): ${record === undefined ? 'ACM has not published its validation record' : `check ${describeRecord(record)}`}`;
  });
  return boundedText(`certificate ${certificateArn} was not validated within ${timeoutSeconds} seconds; names still not validated:`, lines, [
    'Check that each record exists and that the hosted zone is the one the parent domain delegates to (its NS records).',
    'ACM can take up to 30 minutes after the records appear; raise `validationTimeout` (at most 55 minutes) if it needs longer.',
  ]);
}

/** The error message of a certificate that cannot be issued any more. */
export function failureMessage(certificateArn: string, status: string, failureReason: string | undefined,
  validations: readonly DomainValidation[]): FailureText {
  const names = validations.filter((v) => v.ValidationStatus !== 'SUCCESS').map((v) => `${v.DomainName} (${v.ValidationStatus ?? 'unknown'})`);
  const head = `certificate ${certificateArn} is ${status}${failureReason === undefined ? '' : ` (FailureReason ${failureReason})`}`;
  return boundedText(names.length === 0 ? `${head}.` : `${head}; names not validated:`, withPunctuation(names, '.'),
    ['ACM does not retry it: fix the cause and deploy again, which requests a new certificate.'], ' ');
}

/** The error message of a certificate still in use after the delete retries. */
export function inUseMessage(certificateArn: string, inUseBy: readonly string[]): FailureText {
  return boundedText(`certificate ${certificateArn} is still in use by`, withPunctuation(inUseBy.length === 0 ? ['another AWS resource'] : inUseBy, ':'),
    ['detach the certificate from these resources (or delete them) first, then delete the stack or resource again.'], ' ');
}

/** `a,` `b,` `c<end>`: list items to join with spaces. */
function withPunctuation(items: readonly string[], end: string): string[] {
  return items.map((item, i) => `${item}${i === items.length - 1 ? end : ','}`);
}

/** The error message of a certificate that is not this resource's (by its cdk-pki tags). */
export function notOwnedMessage(certificateArn: string, stackId: string, logicalId: string, tags: readonly Tag[]): string {
  const tag = (key: string) => tags.find((t) => t.Key === key)?.Value;
  return `certificate ${certificateArn} is tagged cdk-pki:stack-id ${JSON.stringify(tag('cdk-pki:stack-id') ?? null)} and ` +
    `cdk-pki:logical-id ${JSON.stringify(tag('cdk-pki:logical-id') ?? null)}, not ${JSON.stringify(stackId)} and ${JSON.stringify(logicalId)}: ` +
    'this resource did not create it, so the handler does not change or delete it. Point the resource at a certificate it created ' +
    '(or let it request a new one by changing its construct ID).';
}

/** What may be logged about an invocation: no ResponseURL, no properties beyond names and zone IDs. */
export function describeInvocation(event: unknown): Record<string, unknown> {
  const e = (event ?? {}) as Record<string, any>;
  const p = (e.ResourceProperties ?? {}) as Record<string, any>;
  return {
    requestType: e.RequestType,
    stackId: e.StackId,
    logicalResourceId: e.LogicalResourceId,
    physicalResourceId: e.PhysicalResourceId,
    domainName: p.DomainName,
    region: p.Region,
  };
}
