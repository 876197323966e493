import { Duration, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { IPkiCertificateAuthority } from './certificate-authority-base';
import { syncCrlAsPem } from './crl-pem-sync';
import { PrivateCertificateAuthority } from './private-certificate-authority';
import { RolesAnywhereProfile, RolesAnywhereProfileOptions } from './roles-anywhere-profile';
import { quoteValue, throwIfProblems } from '../validation/errors';
import {
  validateNotificationThreshold, validateRolesAnywhereName, validateRolesAnywhereTags, validateSubjectCondition, validateTrustAnchorCrl,
} from '../validation/roles-anywhere';

/** The service principal of IAM Roles Anywhere. */
const ROLES_ANYWHERE_PRINCIPAL = 'rolesanywhere.amazonaws.com';

/** One expiry notification of a trust anchor (CloudWatch metrics, EventBridge and AWS Health). */
export interface RolesAnywhereExpiryNotification {
  /**
   * Whether the notification is sent.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How long before expiry it is sent: 1 to 360 whole days.
   *
   * @default Duration.days(45)
   */
  readonly threshold?: Duration;
}

/** How a `RolesAnywhereTrustAnchor` is configured (`PrivateCertificateAuthority.addRolesAnywhereTrustAnchor`). */
export interface RolesAnywhereTrustAnchorOptions {
  /**
   * The trust anchor's name: 1 to 255 letters, digits, spaces, `-` and `_`.
   *
   * @default - a name made from the construct path
   */
  readonly name?: string;

  /**
   * Whether the trust anchor is enabled (a disabled one vends no credentials).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The bucket the CA writes its CRL to (`crl/<CA id>.crl`), read by the CRL sync. Required for an
   * imported CA; for a CA of this library leave it out (its `revocation.crlBucket` is used, and
   * another bucket is refused).
   *
   * @default - the CA's CRL bucket, for a CA of this library
   */
  readonly crlBucket?: s3.IBucket;

  /**
   * Keep the trust anchor's CRL in step with the CA's: on each "ACM Private CA CRL Generation"
   * event, once a day and at deployment, a Lambda converts the CA's DER CRL to PEM and imports it
   * (ImportCrl, then UpdateCrl). A CRL over Roles Anywhere's 300 KB limit fails the sync and raises
   * `crlSyncFailureAlarm`. Turn it off only if you import the CRLs yourself: without a CRL, Roles
   * Anywhere vends credentials to revoked certificates.
   *
   * @default true
   */
  readonly syncCrl?: boolean;

  /**
   * The notification before the CA's certificate expires (`CA_CERTIFICATE_EXPIRY`).
   *
   * @default - enabled, 45 days before expiry
   */
  readonly caCertificateExpiry?: RolesAnywhereExpiryNotification;

  /**
   * The notification before a certificate used with the trust anchor expires (`END_ENTITY_CERTIFICATE_EXPIRY`).
   *
   * @default - enabled, 45 days before expiry
   */
  readonly endEntityCertificateExpiry?: RolesAnywhereExpiryNotification;

  /**
   * Tags of the trust anchor (at most 200; ASCII letters, digits, spaces and `_ . : / = + @ -`).
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** Properties of a `RolesAnywhereTrustAnchor`. */
export interface RolesAnywhereTrustAnchorProps extends RolesAnywhereTrustAnchorOptions {
  /**
   * The CA whose certificates get AWS credentials: a CA of this library with a CRL, or an imported
   * one (then give `crlBucket`). It must be in the stack's region.
   */
  readonly certificateAuthority: IPkiCertificateAuthority;
}

/** What a role made by `RolesAnywhereTrustAnchor.addRole` trusts. */
export interface RolesAnywhereRoleOptions {
  /**
   * Only certificates with this subject common name (`aws:PrincipalTag/x509Subject/CN`) may assume the role.
   *
   * @default - any common name
   */
  readonly commonName?: string;

  /**
   * Only certificates with this subject organizational unit (`aws:PrincipalTag/x509Subject/OU`) may assume the role.
   *
   * @default - any organizational unit
   */
  readonly organizationalUnit?: string;

  /**
   * The role's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;

  /**
   * The role's description.
   *
   * @default - says which trust anchor it trusts
   */
  readonly description?: string;

  /**
   * The longest session of the role (a profile's `duration` may not exceed it): 1 to 12 hours.
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * An IAM Roles Anywhere trust anchor on a Private CA (`AWS::RolesAnywhere::TrustAnchor`, source
 * `AWS_ACM_PCA`): hosts outside AWS that hold a certificate of the CA get temporary AWS credentials
 * through `aws_signing_helper`. The construct keeps the trust anchor's CRL in step with the CA's
 * (see `syncCrl`), sets the expiry notifications, and makes profiles (`addProfile`) and roles
 * (`addRole`), each profile with a stack output holding the `aws_signing_helper credential-process`
 * command line.
 */
export class RolesAnywhereTrustAnchor extends Resource {
  /** The trust anchor's ARN (`--trust-anchor-arn`; the `aws:SourceArn` of its sessions). */
  public readonly trustAnchorArn: string;
  /** The trust anchor's ID. */
  public readonly trustAnchorId: string;
  /** The CA whose certificates the trust anchor accepts. */
  public readonly certificateAuthority: IPkiCertificateAuthority;
  /**
   * The stack's alarm on a failed CRL sync (a CRL over the limit, a bucket the sync cannot read...):
   * add an action to be told. Shared by every CRL sync of the stack.
   */
  public readonly crlSyncFailureAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RolesAnywhereTrustAnchorProps) {
    super(scope, id);
    const ca = props.certificateAuthority;
    const libraryCa = ca instanceof PrivateCertificateAuthority ? ca : undefined;
    const syncCrl = props.syncCrl ?? true;
    const name = props.name ?? Names.uniqueResourceName(this, { maxLength: 255, separator: '-', allowedSpecialCharacters: '-_' });
    const caExpiry = props.caCertificateExpiry ?? {};
    const endEntityExpiry = props.endEntityCertificateExpiry ?? {};
    const days = (n: RolesAnywhereExpiryNotification) => (n.threshold ?? Duration.days(45)).toDays({ integral: false });
    throwIfProblems(this.node.path, [
      ...validateRolesAnywhereName(name, 'trust anchor'),
      ...validateNotificationThreshold(days(caExpiry), 'caCertificateExpiry'),
      ...validateNotificationThreshold(days(endEntityExpiry), 'endEntityCertificateExpiry'),
      ...validateRolesAnywhereTags(props.tags),
      ...validateTrustAnchorCrl({
        caPath: ca.node.path,
        libraryCa: libraryCa !== undefined,
        crlEnabled: libraryCa?.crlBucket !== undefined,
        crlPartitioned: libraryCa?.crlPartitioned === true,
        crlBucketGiven: props.crlBucket !== undefined,
        otherCrlBucket: props.crlBucket !== undefined && libraryCa?.crlBucket !== undefined && props.crlBucket !== libraryCa.crlBucket.bucket,
        syncCrl,
      }),
      ...this.validateRegion(ca),
    ]);

    const notification = (event: string, n: RolesAnywhereExpiryNotification) => {
      const enabled = n.enabled ?? true;
      return { event, enabled, channel: 'ALL', threshold: days(n) };
    };
    const resource = new rolesanywhere.CfnTrustAnchor(this, 'Resource', {
      name,
      enabled: props.enabled ?? true,
      source: { sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn: ca.certificateAuthorityArn } },
      notificationSettings: [
        notification('CA_CERTIFICATE_EXPIRY', caExpiry),
        notification('END_ENTITY_CERTIFICATE_EXPIRY', endEntityExpiry),
      ],
      tags: props.tags === undefined ? undefined : Object.entries(props.tags).map(([key, value]) => ({ key, value })),
    });
    // Roles Anywhere reads the CA's certificate: the ARN of a CA of this library is a Ref of its activation, so the
    // trust anchor comes after it.
    this.trustAnchorArn = resource.attrTrustAnchorArn;
    this.trustAnchorId = resource.attrTrustAnchorId;
    this.certificateAuthority = ca;

    const bucket = props.crlBucket ?? libraryCa?.crlBucket?.bucket;
    if (syncCrl && bucket !== undefined) {
      const sync = syncCrlAsPem(this, 'CrlSync', {
        certificateAuthority: ca,
        crlBucket: bucket,
        target: { rolesAnywhereTrustAnchorArn: this.trustAnchorArn },
      });
      this.crlSyncFailureAlarm = sync.failureAlarm;
    }
  }

  /**
   * Adds a profile: which roles sessions from this trust anchor may assume, for how long. The
   * profile's stack output holds the `aws_signing_helper credential-process` command line.
   *
   * @param id construct id of the profile
   * @param options roles, duration, policies...
   */
  public addProfile(id: string, options: RolesAnywhereProfileOptions): RolesAnywhereProfile {
    return new RolesAnywhereProfile(this, id, { ...options, trustAnchorArn: this.trustAnchorArn });
  }

  /**
   * Makes a role that sessions from this trust anchor may assume: it trusts
   * `rolesanywhere.amazonaws.com` (`sts:AssumeRole`, `sts:TagSession`, `sts:SetSourceIdentity`) on
   * the condition `aws:SourceArn` = this trust anchor, and optionally on the certificate's subject
   * common name and organizational unit. Give it permissions, then list it in a profile.
   *
   * @param id construct id of the role
   * @param options subject conditions, name...; all optional
   */
  public addRole(id: string, options: RolesAnywhereRoleOptions = {}): iam.Role {
    throwIfProblems(`${this.node.path}/${id}`, [
      ...validateSubjectCondition(options.commonName, 'commonName'),
      ...validateSubjectCondition(options.organizationalUnit, 'organizationalUnit'),
    ]);
    const subject: Record<string, string> = {};
    if (options.commonName !== undefined) subject['aws:PrincipalTag/x509Subject/CN'] = options.commonName;
    if (options.organizationalUnit !== undefined) subject['aws:PrincipalTag/x509Subject/OU'] = options.organizationalUnit;
    const conditions: Record<string, Record<string, string>> = { ArnEquals: { 'aws:SourceArn': this.trustAnchorArn } };
    if (Object.keys(subject).length > 0) conditions.StringEquals = subject;

    const principal = new iam.ServicePrincipal(ROLES_ANYWHERE_PRINCIPAL);
    const role = new iam.Role(this, id, {
      assumedBy: principal,
      roleName: options.roleName,
      description: options.description ?? `Assumed through the IAM Roles Anywhere trust anchor ${this.node.path}`.slice(0, 1000),
      maxSessionDuration: options.maxSessionDuration,
    });
    // One statement with the three actions Roles Anywhere calls, instead of the default sts:AssumeRole alone.
    (role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({
        principals: [principal],
        actions: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
        conditions,
      })],
    });
    return role;
  }

  /** The trust anchor and the CA must be in one region (when both are known). */
  private validateRegion(ca: IPkiCertificateAuthority): string[] {
    const here = Stack.of(this).region;
    const arn = ca.certificateAuthorityArn;
    if (Token.isUnresolved(here) || Token.isUnresolved(arn)) return [];
    const region = arn.split(':')[3];
    if (region === undefined || region === here) return [];
    return [`the CA ${quoteValue(arn)} is in ${region}, the trust anchor in ${here}: IAM Roles Anywhere takes a Private CA of its own ` +
      'region; create the trust anchor in a stack of the CA\'s region.'];
  }
}
