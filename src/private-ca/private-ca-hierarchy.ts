import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { CaUsageMode } from './ca-algorithms';
import { CaRevocationOptions } from './ca-revocation';
import { CaSharePermission } from './ca-share-permission';
import { CaSharePrincipal } from './ca-share-principal';
import { CrlBucket, CrlBucketProps } from './crl-bucket';
import { NameConstraintsOptions } from './name-constraints';
import { CaCommonOptions, PrivateCertificateAuthority } from './private-certificate-authority';
import { RootCa } from './root-ca';
import { SubordinateCa } from './subordinate-ca';
import { throwIfProblems } from '../validation/errors';

/**
 * One CA of a `PrivateCaHierarchy`: its construct id and the options of a single CA (revocation,
 * removal policy and sharing are set on the hierarchy).
 */
export interface HierarchyCaOptions extends CaCommonOptions {
  /**
   * The construct id of the CA inside the hierarchy, e.g. `Root`, `Policy`, `IssuingEu`: non-empty, unique in the
   * hierarchy, and not `CrlBucket` (with a CRL) or `DisableRoot` (with `disableRootAfterIssuance`).
   */
  readonly id: string;

  /**
   * Name constraints for the CA's certificate (RFC 5280 §4.2.1.10, marked critical): the DNS domains, IP ranges and
   * email addresses this CA and every CA below it may certify (see `SubordinateCaProps.nameConstraints`). For
   * intermediate and issuing CAs only: the root's self-signed certificate is the trust anchor, which RFC 5280 does not
   * constrain, so it is refused on `root`. Constraints on an intermediate also bind every CA below it.
   *
   * @default - no name constraints
   */
  readonly nameConstraints?: NameConstraintsOptions;
}

/** Properties of a `PrivateCaHierarchy`. */
export interface PrivateCaHierarchyProps {
  /** The root CA. */
  readonly root: HierarchyCaOptions;
  /**
   * Intermediate (policy) CAs between the root and the issuing CAs, top down, each issued by the
   * one before it. At most 3 (Private CA's templates allow path lengths up to 3).
   *
   * @default - none: the issuing CAs sit right below the root
   */
  readonly intermediates?: HierarchyCaOptions[];
  /** The issuing CAs, each issued by the last intermediate (or the root). At least one. */
  readonly issuing: HierarchyCaOptions[];
  /**
   * Publish CRLs for every CA of the hierarchy into one `CrlBucket`.
   *
   * @default true
   */
  readonly crl?: boolean;
  /**
   * Properties of the CRL bucket the hierarchy creates.
   *
   * @default - a private bucket with default settings
   */
  readonly crlBucketProps?: CrlBucketProps;
  /**
   * How long each CRL is valid.
   *
   * @default - 7 days
   */
  readonly crlExpiration?: Duration;
  /**
   * Answer revocation queries with OCSP on every CA.
   *
   * @default false
   */
  readonly ocsp?: boolean;
  /**
   * Give ACM the permission to issue and renew private certificates from the issuing CAs
   * (skipped for short-lived issuing CAs, which ACM cannot use).
   *
   * @default true
   */
  readonly allowAcmRenewal?: boolean;
  /**
   * Disable the root CA once it has issued the CAs right below it (Security Hub control PCA.1: a
   * root should not stay active). A custom resource calls UpdateCertificateAuthority with status
   * DISABLED after their activation; removing the option (or the hierarchy) makes the root ACTIVE
   * again. Re-enable it yourself before a CA below it needs a new certificate.
   *
   * @default false
   */
  readonly disableRootAfterIssuance?: boolean;

  /**
   * Share the issuing CAs through AWS RAM with these principals: accounts, or organizations and
   * organizational units by ARN (see `PrivateCertificateAuthority.shareWith`).
   *
   * @default - not shared
   */
  readonly shareWith?: CaSharePrincipal[];
  /**
   * What the principals of `shareWith` may do with the issuing CAs: RAM's AWS managed permission, or a customer
   * managed permission (one per issuing CA) with only the Private CA actions you list (`CaSharePermission.actions`).
   *
   * @default CaSharePermission.managed()
   */
  readonly sharePermission?: CaSharePermission;
  /**
   * Tags for every CA of the hierarchy.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
  /**
   * Removal policy of every CA (and of its activation, CA certificate and ACM permission).
   *
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A whole Private CA hierarchy in one construct: a root, optional intermediate levels and issuing
 * CAs, all activated in one deployment with path lengths computed, each CA's validity ending
 * before its parent's, one CRL bucket for all, the ACM renewal permission on the issuing CAs and
 * optional RAM sharing.
 *
 * @example
 * const pki = new PrivateCaHierarchy(this, 'Pki', {
 *   root: { id: 'Root', subject: { commonName: 'Example Root CA' }, keyAlgorithm: CaKeyAlgorithm.RSA_4096 },
 *   intermediates: [{ id: 'Policy', subject: { commonName: 'Example Policy CA' } }],
 *   issuing: [{ id: 'Issuing', subject: { commonName: 'Example Issuing CA' } }],
 * });
 */
export class PrivateCaHierarchy extends Construct {
  /** The root CA. */
  public readonly root: RootCa;
  /** The intermediate CAs, top down. */
  public readonly intermediates: SubordinateCa[];
  /** The issuing CAs. */
  public readonly issuingCas: SubordinateCa[];
  /** The CRL bucket, unless `crl` is false. */
  public readonly crlBucket?: CrlBucket;

  constructor(scope: Construct, id: string, props: PrivateCaHierarchyProps) {
    super(scope, id);
    const intermediates = props.intermediates ?? [];
    throwIfProblems(this.node.path, [
      ...(props.issuing?.length ? [] : ['a hierarchy needs at least one issuing CA: give issuing: [{ id, subject }]']),
      ...(intermediates.length > 3 ? [`${intermediates.length} intermediate levels is too deep: Private CA's templates allow path lengths up to 3`] : []),
      ...validateCaIds([props.root, ...intermediates, ...(props.issuing ?? [])], reservedIds(props)),
      ...(props.root?.nameConstraints !== undefined ? ['root.nameConstraints is set, but the root\'s self-signed certificate is the trust ' +
        'anchor, which RFC 5280 name constraints do not bind: move nameConstraints to the intermediates or issuing CAs'] : []),
      ...(props.sharePermission && !props.shareWith?.length ? ['sharePermission is set, but shareWith names nobody to share the issuing ' +
        'CAs with: give shareWith principals, or leave sharePermission out'] : []),
    ]);

    this.crlBucket = props.crl === false ? undefined : new CrlBucket(this, 'CrlBucket', props.crlBucketProps ?? {});
    // crlExpiration without a CRL reaches the CA's validation, which refuses it.
    const revocation: CaRevocationOptions | undefined = this.crlBucket || props.ocsp || props.crlExpiration
      ? { crlBucket: this.crlBucket, crlExpiration: props.crlExpiration, ocsp: props.ocsp }
      : undefined;
    const common = (o: HierarchyCaOptions) => ({
      subject: o.subject,
      keyAlgorithm: o.keyAlgorithm,
      signingAlgorithm: o.signingAlgorithm,
      validity: o.validity,
      usageMode: o.usageMode,
      keyStorageSecurityStandard: o.keyStorageSecurityStandard,
      tags: { ...props.tags, ...o.tags },
      revocation,
      removalPolicy: props.removalPolicy,
    });

    this.root = new RootCa(this, props.root.id, common(props.root));
    let parent: PrivateCertificateAuthority = this.root;
    this.intermediates = intermediates.map((o) => {
      const ca = new SubordinateCa(this, o.id, { ...common(o), parent, nameConstraints: o.nameConstraints });
      parent = ca;
      return ca;
    });
    this.issuingCas = props.issuing.map((o) => new SubordinateCa(this, o.id, { ...common(o), parent, nameConstraints: o.nameConstraints }));

    if (props.disableRootAfterIssuance) {
      this.disableRoot([...this.intermediates, ...this.issuingCas].filter((c) => c.parent === this.root));
    }

    for (const ca of this.issuingCas) {
      if (props.allowAcmRenewal !== false && ca.usageMode !== CaUsageMode.SHORT_LIVED_CERTIFICATE) {
        ca.allowAcmRenewal();
      }
      if (props.shareWith?.length) {
        ca.shareWith('Share', props.shareWith, { permission: props.sharePermission });
      }
    }
  }

  private disableRoot(children: SubordinateCa[]): void {
    const rootArn = this.root.certificateAuthorityArn;
    const setStatus = (status: string): cr.AwsSdkCall => ({
      service: 'ACMPCA',
      action: 'UpdateCertificateAuthority',
      parameters: { CertificateAuthorityArn: rootArn, Status: status },
      physicalResourceId: cr.PhysicalResourceId.of(rootArn),
    });
    const disable = new cr.AwsCustomResource(this, 'DisableRoot', {
      onCreate: setStatus('DISABLED'),
      onUpdate: setStatus('DISABLED'),
      onDelete: setStatus('ACTIVE'),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['acm-pca:UpdateCertificateAuthority'], resources: [rootArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    for (const child of children) {
      disable.node.addDependency(child.activation!);
    }
  }
}

/** The ids of the hierarchy's own children, which no CA may take. */
function reservedIds(props: PrivateCaHierarchyProps): string[] {
  return [...(props.crl === false ? [] : ['CrlBucket']), ...(props.disableRootAfterIssuance ? ['DisableRoot'] : [])];
}

/**
 * CA ids must be non-empty, unique (constructs turns "/" into "--", so "A/B" and "A--B" are the same id) and not one
 * of the hierarchy's own children.
 */
function validateCaIds(options: HierarchyCaOptions[], reserved: string[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const reported = new Set<string>();
  for (const { id } of options) {
    if (id === '') {
      if (!reported.has(id)) problems.push('CA id "" is empty: give every CA of the hierarchy a non-empty id, such as "Root" or "Issuing"');
      reported.add(id);
      continue;
    }
    if (reserved.includes(id)) {
      problems.push(`CA id ${JSON.stringify(id)} is taken by the hierarchy's own ${id === 'CrlBucket' ? 'CRL bucket' : 'custom resource that disables the root'}: ` +
        'give the CA another id');
      continue;
    }
    const key = id.replace(/\//g, '--');
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, id);
    } else if (!reported.has(key)) {
      reported.add(key);
      problems.push(first === id
        ? `CA id ${JSON.stringify(id)} is used twice: give every CA of the hierarchy its own id`
        : `CA ids ${JSON.stringify(first)} and ${JSON.stringify(id)} are the same construct id (constructs turns "/" into "--"): give every CA of the hierarchy its own id`);
    }
  }
  return problems;
}
