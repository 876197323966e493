import {
  LOGICAL_ID_TAG,
  MAX_CLEANUP_REGIONS,
  MAX_VALIDATION_TIMEOUT_SECONDS,
  MIN_VALIDATION_TIMEOUT_SECONDS,
  OWN_TAG_PREFIX,
  STACK_ID_TAG,
  Tag,
  ValidationEntry,
} from './contract';
import { REQUESTABLE_KEY_ALGORITHMS, RequestableKeyAlgorithm } from '../../validation/acm-facts';
import { REGION_NAME } from '../../validation/arn-patterns';
import { quoteValue, throwIfProblems } from '../../validation/errors';
import { shortDigest } from '../shared/digest';

/**
 * The resource properties of `Custom::CdkPkiDnsValidatedCertificate` (as `contract.ts` says the construct
 * sends them), read, checked and converted in one place, and the pure decisions made from them: the
 * request, replacement or in-place update.
 */

/** The resource properties, checked and typed. */
export interface CertificateProperties {
  readonly DomainName: string;
  readonly SubjectAlternativeNames: string[];
  readonly Region: string;
  readonly KeyAlgorithm: RequestableKeyAlgorithm;
  readonly TransparencyLogging: 'ENABLED' | 'DISABLED';
  readonly Export: 'ENABLED' | 'DISABLED';
  readonly Tags: Tag[];
  readonly Validation: ValidationEntry[];
  readonly CleanupValidationRecords: boolean;
  /**
   * The regions whose certificates may share the validation records (checked before one is removed);
   * the certificate's own region always among them. Resources written before this property existed
   * send none: then only the certificate's region.
   */
  readonly CleanupRegions: string[];
  readonly ValidationTimeoutSeconds: number;
}

/** Most problems one error names (the rest are counted), so the reason fits CloudFormation's limit. */
const MAX_PROBLEMS_SHOWN = 10;

const ZONE_ID = /^[A-Z0-9]{1,32}$/;
const ROLE_ARN = /^arn:[\w-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const DOMAIN = /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{1,63}\.?$/i;

/** A domain name of at most 253 characters (the length is checked before the pattern). */
function isDomainName(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 253 && DOMAIN.test(v);
}

/** Reads and checks the resource properties; throws one error naming every problem. */
export function readProperties(raw: unknown, path = 'DnsValidatedCertificate'): CertificateProperties {
  const p = (raw ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const q = quoteValue;
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = p[name] ?? fallback;
    if (!allowed.includes(v as T)) {
      problems.push(`${name} ${q(v)} is not one of ${allowed.join(', ')}`);
      return fallback;
    }
    return v as T;
  };

  const domainName = p.DomainName;
  if (!isDomainName(domainName)) {
    problems.push(`DomainName ${q(domainName)} is not a domain name`);
  }
  const sans = p.SubjectAlternativeNames ?? [];
  if (!Array.isArray(sans) || sans.length > 100 || sans.some((s) => !isDomainName(s))) {
    problems.push(`SubjectAlternativeNames ${q(sans)} is not a list of domain names`);
  }
  const region = p.Region;
  if (typeof region !== 'string' || !REGION_NAME.test(region)) {
    problems.push(`Region ${q(region)} is not a region name such as "us-east-1"`);
  }
  const keyAlgorithm = oneOf('KeyAlgorithm', REQUESTABLE_KEY_ALGORITHMS, 'RSA_2048');
  const logging = oneOf('TransparencyLogging', ['ENABLED', 'DISABLED'] as const, 'ENABLED');
  const exportOption = oneOf('Export', ['ENABLED', 'DISABLED'] as const, 'DISABLED');
  const cleanup = oneOf('CleanupValidationRecords', ['true', 'false'] as const, 'false');

  const tags = p.Tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t?.Key !== 'string' || (t.Value !== undefined && typeof t.Value !== 'string'))) {
    problems.push(`Tags ${q(tags)} is not a list of {Key, Value}`);
  } else {
    for (const t of tags as Tag[]) {
      if (t.Key.startsWith(OWN_TAG_PREFIX) || t.Key.startsWith('aws:')) {
        problems.push(`tag key ${q(t.Key)} is reserved (keys starting with "${OWN_TAG_PREFIX}" or "aws:"): rename the tag`);
      }
    }
  }

  const validation = p.Validation;
  if (!Array.isArray(validation) || validation.length === 0 || validation.length > 100) {
    problems.push(`Validation ${q(validation)} is not a list of 1 to 100 {DomainName, HostedZoneId, RoleArn?, ExternalId?}`);
  } else {
    for (const v of validation as Record<string, unknown>[]) {
      const entry = `Validation entry for ${q(v?.DomainName)}`;
      if (!isDomainName(v?.DomainName)) {
        problems.push(`${entry}: DomainName is not a domain name`);
      }
      if (typeof v?.HostedZoneId !== 'string' || !ZONE_ID.test(bareZoneId(v.HostedZoneId))) {
        problems.push(`${entry}: HostedZoneId ${q(v?.HostedZoneId)} is not a Route 53 hosted zone ID`);
      }
      if (v?.RoleArn !== undefined && (typeof v.RoleArn !== 'string' || !ROLE_ARN.test(v.RoleArn))) {
        problems.push(`${entry}: RoleArn ${q(v.RoleArn)} is not an IAM role ARN`);
      }
      if (v?.ExternalId !== undefined && (typeof v.ExternalId !== 'string' || !EXTERNAL_ID.test(v.ExternalId))) {
        // The external ID is a shared secret of sorts: never quoted.
        problems.push(`${entry}: ExternalId is not 2 to 1224 characters of [\\w+=,.@:/-]`);
      }
    }
  }

  const cleanupRegions = p.CleanupRegions ?? [];
  if (!Array.isArray(cleanupRegions) || cleanupRegions.length > MAX_CLEANUP_REGIONS
    || cleanupRegions.some((r) => typeof r !== 'string' || !REGION_NAME.test(r))) {
    problems.push(`CleanupRegions ${q(cleanupRegions)} is not a list of at most ${MAX_CLEANUP_REGIONS} region names such as "us-east-1"`);
  }

  const timeoutRaw = p.ValidationTimeoutSeconds ?? String(MAX_VALIDATION_TIMEOUT_SECONDS);
  const timeout = Number(timeoutRaw);
  if (!Number.isInteger(timeout) || timeout < MIN_VALIDATION_TIMEOUT_SECONDS || timeout > MAX_VALIDATION_TIMEOUT_SECONDS) {
    problems.push(`ValidationTimeoutSeconds ${q(timeoutRaw)} is not an integer from ${MIN_VALIDATION_TIMEOUT_SECONDS} to ${MAX_VALIDATION_TIMEOUT_SECONDS}`);
  }
  throwIfProblems(path, problems.length <= MAX_PROBLEMS_SHOWN ? problems
    : [...problems.slice(0, MAX_PROBLEMS_SHOWN), `…and ${problems.length - MAX_PROBLEMS_SHOWN} more problems`]);

  return {
    DomainName: domainName as string,
    SubjectAlternativeNames: sans as string[],
    Region: region as string,
    KeyAlgorithm: keyAlgorithm,
    TransparencyLogging: logging,
    Export: exportOption,
    Tags: (tags as Tag[]).map((t) => (t.Value === undefined ? { Key: t.Key } : { Key: t.Key, Value: t.Value })),
    Validation: (validation as ValidationEntry[]).map((v) => ({
      DomainName: v.DomainName,
      HostedZoneId: bareZoneId(v.HostedZoneId),
      ...(v.RoleArn === undefined ? {} : { RoleArn: v.RoleArn }),
      ...(v.ExternalId === undefined ? {} : { ExternalId: v.ExternalId }),
    })),
    CleanupValidationRecords: cleanup === 'true',
    CleanupRegions: [...new Set([region as string, ...(cleanupRegions as string[])])],
    ValidationTimeoutSeconds: timeout,
  };
}

/** A hosted zone ID without the `/hostedzone/` prefix Route 53 sometimes adds. */
export function bareZoneId(id: string): string {
  return id.replace(/^\/?hostedzone\//, '');
}

/**
 * The IdempotencyToken of RequestCertificate: ACM allows 1 to 32 `\w` characters, so the first 32
 * hex digits of a SHA-256 over stack, logical ID and request ID. A retried invocation of the same
 * request gets the same certificate; another request (an Update replacing it) a new one.
 */
export function idempotencyToken(stackId: string, logicalId: string, requestId: string): string {
  return shortDigest(`${stackId}\n${logicalId}\n${requestId}`, 32);
}

/** The tags of a new certificate: the user's and the two identifying the resource. */
export function requestTags(props: CertificateProperties, stackId: string, logicalId: string): Tag[] {
  return [...props.Tags, { Key: STACK_ID_TAG, Value: stackId }, { Key: LOGICAL_ID_TAG, Value: logicalId }];
}

/** A DNS name compared the way DNS does: lower case, no trailing dot, Route 53's `\NNN` escapes decoded. */
export function normalizeName(name: string): string {
  return name
    .replace(/\\(\d{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)))
    .toLowerCase()
    .replace(/\.$/, '');
}

/** The name a wildcard validates through (`*.x` → `x`). */
export function baseName(name: string): string {
  const n = normalizeName(name);
  return n.startsWith('*.') ? n.slice(2) : n;
}

function nameSet(names: readonly string[]): string[] {
  return [...new Set(names.map(normalizeName))].sort();
}

/** The raw property of an (old) event, with the contract's default. */
function rawProp(p: Record<string, unknown>, name: string, fallback: string): string {
  const v = p[name];
  return v === undefined || v === null || v === '' ? fallback : String(v);
}

/**
 * Why an Update needs a new certificate (DomainName, names, Region, KeyAlgorithm or Export
 * changed), or an empty list when it can be applied in place. Reads the raw properties so an
 * Update from properties an older version wrote still compares.
 */
export function replacementReasons(oldRaw: unknown, newRaw: unknown): string[] {
  const o = (oldRaw ?? {}) as Record<string, unknown>;
  const n = (newRaw ?? {}) as Record<string, unknown>;
  const reasons: string[] = [];
  if (normalizeName(rawProp(o, 'DomainName', '')) !== normalizeName(rawProp(n, 'DomainName', ''))) {
    reasons.push('DomainName');
  }
  const sans = (p: Record<string, unknown>) =>
    JSON.stringify(nameSet(Array.isArray(p.SubjectAlternativeNames) ? p.SubjectAlternativeNames.map(String) : []));
  if (sans(o) !== sans(n)) {
    reasons.push('SubjectAlternativeNames');
  }
  for (const [name, fallback] of [['Region', ''], ['KeyAlgorithm', 'RSA_2048'], ['Export', 'DISABLED']]) {
    if (rawProp(o, name, fallback) !== rawProp(n, name, fallback)) {
      reasons.push(name);
    }
  }
  return reasons;
}

/** What an in-place Update changes on the certificate. */
export interface InPlaceChanges {
  readonly addTags: Tag[];
  readonly removeTags: Tag[];
  /** The new CT logging preference, when it changed. */
  readonly transparencyLogging?: 'ENABLED' | 'DISABLED';
  /** Whether the Validation mapping changed (the records go into the new zones). */
  readonly validationChanged: boolean;
}

/** Diffs old and new properties of an in-place Update (user tags only; `cdk-pki:` tags are never touched). */
export function inPlaceChanges(oldRaw: unknown, props: CertificateProperties): InPlaceChanges {
  const o = (oldRaw ?? {}) as Record<string, unknown>;
  const oldTags = (Array.isArray(o.Tags) ? o.Tags : []) as Tag[];
  const oldByKey = new Map(oldTags.filter((t) => typeof t?.Key === 'string' && !t.Key.startsWith(OWN_TAG_PREFIX)).map((t) => [t.Key, t.Value ?? '']));
  const newByKey = new Map(props.Tags.map((t) => [t.Key, t.Value ?? '']));
  const addTags = props.Tags.filter((t) => oldByKey.get(t.Key) !== (t.Value ?? ''));
  const removeTags = [...oldByKey.keys()].filter((k) => !newByKey.has(k)).map((Key) => ({ Key }));
  const oldLogging = rawProp(o, 'TransparencyLogging', 'ENABLED');
  const canonical = (v: unknown) => JSON.stringify((Array.isArray(v) ? v : [])
    .map((e: Record<string, unknown>) => [normalizeName(String(e?.DomainName ?? '')), bareZoneId(String(e?.HostedZoneId ?? '')), e?.RoleArn ?? '', e?.ExternalId ?? ''])
    .sort());
  return {
    addTags,
    removeTags,
    ...(oldLogging === props.TransparencyLogging ? {} : { transparencyLogging: props.TransparencyLogging }),
    validationChanged: canonical(o.Validation) !== canonical(props.Validation),
  };
}
