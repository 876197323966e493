import { Token } from 'aws-cdk-lib';
import { quoteValue } from './errors';

/**
 * IAM Roles Anywhere's rules (the `AWS::RolesAnywhere::TrustAnchor` and `AWS::RolesAnywhere::Profile`
 * schemas), as pure, token-aware validators returning problem messages.
 */

/** The name of a trust anchor or profile: 1 to 255 letters, digits, spaces, `-` and `_`. */
export const ROLES_ANYWHERE_NAME = /^[ a-zA-Z0-9\-_]{1,255}$/;
/** Days before expiry a notification may be sent (the schema's `Threshold`). */
export const NOTIFICATION_THRESHOLD_DAYS = { min: 1, max: 360 } as const;
/** The lifetime of the credentials a profile vends (`DurationSeconds`). */
export const PROFILE_DURATION_SECONDS = { min: 900, max: 43_200 } as const;
/** Roles per profile (`RoleArns`). */
export const MAX_PROFILE_ROLES = 250;
/** Managed policies per profile (`ManagedPolicyArns`). */
export const MAX_PROFILE_MANAGED_POLICIES = 50;
/** Tags per trust anchor or profile. */
export const MAX_ROLES_ANYWHERE_TAGS = 200;
/** Roles Anywhere's tag characters (narrower than the common rules: ASCII letters and digits only). */
const TAG_TEXT = /^[ a-zA-Z0-9_.:/=+@-]*$/;

/** A trust anchor or profile name. */
export function validateRolesAnywhereName(name: string | undefined, what: string): string[] {
  if (name === undefined || Token.isUnresolved(name)) return [];
  if (ROLES_ANYWHERE_NAME.test(name)) return [];
  return [`${what} name ${quoteValue(name)} is not valid: IAM Roles Anywhere takes 1 to 255 characters of letters, digits, ` +
    'spaces, "-" and "_"; rename it.'];
}

/** A notification threshold, in days (`undefined`: not given). */
export function validateNotificationThreshold(days: number | undefined, which: string): string[] {
  if (days === undefined || Token.isUnresolved(days)) return [];
  const { min, max } = NOTIFICATION_THRESHOLD_DAYS;
  if (Number.isInteger(days) && days >= min && days <= max) return [];
  return [`${which} threshold ${quoteValue(days)} days is not a whole number of days from ${min} to ${max}: ` +
    `IAM Roles Anywhere notifies ${min} to ${max} days before expiry; give e.g. Duration.days(45).`];
}

/** What a profile is made of, for `validateProfile`. */
export interface ProfileFacts {
  readonly roleCount: number;
  readonly durationSeconds?: number;
  readonly managedPolicyCount: number;
}

/** A profile's roles, duration and managed policies. */
export function validateProfile(f: ProfileFacts): string[] {
  const problems: string[] = [];
  if (f.roleCount === 0) {
    problems.push('roles is empty: a profile names the roles its sessions may assume; give at least one (e.g. trustAnchor.addRole(...)).');
  } else if (f.roleCount > MAX_PROFILE_ROLES) {
    problems.push(`roles lists ${f.roleCount} roles, more than the ${MAX_PROFILE_ROLES} a profile takes: split them over several profiles.`);
  }
  const d = f.durationSeconds;
  if (d !== undefined && !Token.isUnresolved(d)) {
    const { min, max } = PROFILE_DURATION_SECONDS;
    if (!Number.isInteger(d) || d < min || d > max) {
      problems.push(`duration ${quoteValue(d)} seconds is not a whole number of seconds from ${min} (15 minutes) to ${max} (12 hours): ` +
        'give e.g. Duration.hours(1).');
    }
  }
  if (f.managedPolicyCount > MAX_PROFILE_MANAGED_POLICIES) {
    problems.push(`managedPolicies lists ${f.managedPolicyCount} policies, more than the ${MAX_PROFILE_MANAGED_POLICIES} a profile takes: ` +
      'merge some, or use a session policy.');
  }
  return problems;
}

/** Tags of a trust anchor or profile (Roles Anywhere's own character set and count). */
export function validateRolesAnywhereTags(tags: { readonly [key: string]: string } | undefined): string[] {
  if (tags === undefined) return [];
  const problems: string[] = [];
  const entries = Object.entries(tags);
  if (entries.length > MAX_ROLES_ANYWHERE_TAGS) {
    problems.push(`tags has ${entries.length} entries, more than the ${MAX_ROLES_ANYWHERE_TAGS} IAM Roles Anywhere allows: drop some.`);
  }
  for (const [key, value] of entries) {
    if (!Token.isUnresolved(key) && (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key) || /^aws:/i.test(key))) {
      problems.push(`tag key ${quoteValue(key)} is not valid: IAM Roles Anywhere takes 1 to 128 characters of ASCII letters, digits, ` +
        'spaces and _ . : / = + @ -, not starting with "aws:".');
    }
    if (typeof value !== 'string' || (!Token.isUnresolved(value) && (value.length > 256 || !TAG_TEXT.test(value)))) {
      problems.push(`tag value ${quoteValue(value)} (key ${quoteValue(key)}) is not valid: IAM Roles Anywhere takes 0 to 256 characters ` +
        'of ASCII letters, digits, spaces and _ . : / = + @ -.');
    }
  }
  return problems;
}

/** A certificate subject field a role's trust is limited to (`aws:PrincipalTag/x509Subject/<field>`). */
export function validateSubjectCondition(value: string | undefined, field: string): string[] {
  if (value === undefined || Token.isUnresolved(value)) return [];
  if (typeof value === 'string' && value.length > 0 && value.length <= 64 && value.trim() === value) return [];
  return [`${field} ${quoteValue(value)} is not a certificate subject value the role can be limited to: give the exact ` +
    `${field} of the certificates (1 to 64 characters, no leading or trailing spaces), or leave it out.`];
}

/** What is known of the CA's CRL, for `validateTrustAnchorCrl`. */
export interface TrustAnchorCrlFacts {
  /** The CA's path, for the messages. */
  readonly caPath: string;
  /** A CA of this library (its CRL settings are known), or an imported one. */
  readonly libraryCa: boolean;
  /** A library CA with a CRL bucket. */
  readonly crlEnabled: boolean;
  /** A library CA with a partitioned CRL. */
  readonly crlPartitioned: boolean;
  /** Whether the construct was given a CRL bucket. */
  readonly crlBucketGiven: boolean;
  /** A library CA with a CRL bucket, and the construct was given another one. */
  readonly otherCrlBucket: boolean;
  /** Whether the CRL is synced. */
  readonly syncCrl: boolean;
}

/** A trust anchor needs a CA whose complete CRL it can import. */
export function validateTrustAnchorCrl(f: TrustAnchorCrlFacts): string[] {
  if (!f.syncCrl) return [];
  if (f.libraryCa && !f.crlEnabled) {
    return [`the CA ${f.caPath} has no CRL, so IAM Roles Anywhere could never learn of a revoked certificate and would keep vending ` +
      'credentials for it: give the CA revocation: { crlBucket } (see CrlBucket), or set syncCrl: false if you import CRLs yourself.'];
  }
  if (f.libraryCa && f.crlPartitioned) {
    return [`the CA ${f.caPath} writes a partitioned CRL, whose partitions Private CA names at random, so no complete CRL can be ` +
      'imported into IAM Roles Anywhere: set crlPartitioned: false on the CA (a complete CRL holds up to one million certificates), ' +
      'or set syncCrl: false if you import CRLs yourself.'];
  }
  if (f.libraryCa && f.otherCrlBucket) {
    return [`crlBucket is not the bucket the CA ${f.caPath} writes its CRL to, so the sync would import another CRL: leave ` +
      'crlBucket out (the CA\'s revocation.crlBucket is used).'];
  }
  if (!f.libraryCa && !f.crlBucketGiven) {
    return [`the CA ${f.caPath} is imported, so where it writes its CRL is unknown: give crlBucket (the bucket of the CA's ` +
      'CrlConfiguration, where it writes crl/<CA id>.crl), or set syncCrl: false if you import CRLs yourself.'];
  }
  return [];
}
