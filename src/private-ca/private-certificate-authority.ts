import { Annotations, CfnResource, Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as ram from 'aws-cdk-lib/aws-ram';
import { Construct, IConstruct } from 'constructs';
import { CaKeyAlgorithm, CaSigningAlgorithm, CaUsageMode, KeyStorageSecurityStandard } from './ca-algorithms';
import { CaRevocationOptions, renderRevocation, revocationFacts } from './ca-revocation';
import { CaShareOptions } from './ca-share-permission';
import { CaSharePrincipal } from './ca-share-principal';
import { CaSubject } from './ca-subject';
import { CaValidity } from './ca-validity';
import { CertificateAuthorityBase } from './certificate-authority-base';
import type { CrlBucket } from './crl-bucket';
import { RolesAnywhereTrustAnchor, RolesAnywhereTrustAnchorOptions } from './roles-anywhere-trust-anchor';
import { registerCostEstimate } from '../common/pki-cost-estimate';
import { validateRevocation } from '../validation/ca-revocation';
import { validateAlgorithmFamilies, validateValidity } from '../validation/ca-rules';
import { validateCaSubject } from '../validation/ca-subject';
import { throwIfProblems } from '../validation/errors';
import { renderRamPrincipals, validateRamPrincipals } from '../validation/share-principal';
import { validateTags } from '../validation/tags';

/**
 * What configures one CA, alone (`RootCa`, `SubordinateCa`) or in a `PrivateCaHierarchy`
 * (`HierarchyCaOptions`): its name, keys, usage, validity and tags.
 */
export interface CaCommonOptions {
  /** The CA's distinguished name; at least one field, e.g. `{ commonName: 'Example Root CA' }`. */
  readonly subject: CaSubject;

  /**
   * The CA's key algorithm.
   *
   * @default CaKeyAlgorithm.RSA_2048
   */
  readonly keyAlgorithm?: CaKeyAlgorithm;

  /**
   * The algorithm the CA signs with; its family must match the key's.
   *
   * @default - SHA256WITHRSA for RSA keys, SHA256WITHECDSA for P-256, SHA384WITHECDSA for P-384, SM3WITHSM2 for SM2
   */
  readonly signingAlgorithm?: CaSigningAlgorithm;

  /**
   * Where the key is kept. Some regions (ap-northeast-3) only offer level 2 and need it set.
   *
   * @default - the service default, FIPS 140-2 level 3 or higher
   */
  readonly keyStorageSecurityStandard?: KeyStorageSecurityStandard;

  /**
   * General purpose, or short-lived certificates only (7 days at most, cheaper; ACM cannot issue
   * from such a CA, so only issuing CAs should be short-lived).
   *
   * @default CaUsageMode.GENERAL_PURPOSE
   */
  readonly usageMode?: CaUsageMode;

  /**
   * How long the CA's own certificate is valid.
   *
   * @default - 10 years for a root; half the parent's validity for a subordinate whose parent is in the app, else 5 years
   */
  readonly validity?: CaValidity;

  /**
   * Tags for the CA (at most 50; keys may not start with `aws:`). A `Name` tag is added unless you
   * give one, so every CA can be found and attributed (PkiChecks PKI-PCA10). In a
   * `PrivateCaHierarchy` they are added to the hierarchy's `tags`.
   *
   * @default - only the `Name` tag, with the construct path (and, in a hierarchy, the hierarchy's tags)
   */
  readonly tags?: { [key: string]: string };
}

/** What every CA of this library is configured with. */
export interface CertificateAuthorityOptions extends CaCommonOptions {
  /**
   * CRL and OCSP settings.
   *
   * @default - no revocation (a warning on a general-purpose CA: its certificates could not be revoked)
   */
  readonly revocation?: CaRevocationOptions;

  /**
   * What happens to the CA when it leaves the stack, is replaced or the stack is deleted. It applies
   * to everything whose deletion disables the CA: the CA, its activation (deleting it disables the
   * CA), its own CA certificate and its ACM renewal permission (without it ACM renews nothing). A CA
   * holds a private key you cannot get back, and deleting it invalidates every certificate below it,
   * so it is kept by default, except when its first deployment fails: CloudFormation's
   * `RetainExceptOnCreate` then deletes it, and a failed first deployment leaves no billed CA.
   * `RemovalPolicy.SNAPSHOT` is refused (Private CA resources have no snapshots).
   *
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** What `shareWith` created. */
export interface CaShareResult {
  /** The AWS RAM resource share, for `node.addDependency()`. */
  readonly resourceShare: IConstruct;
  /** The ARN of the resource share. */
  readonly resourceShareArn: string;
  /**
   * The customer managed permission (`AWS::RAM::Permission`) the share uses, for `CaSharePermission.actions`.
   *
   * @default - none: the share uses RAM's AWS managed permission
   */
  readonly permission?: IConstruct;
  /**
   * The ARN of the customer managed permission the share uses, for `CaSharePermission.actions`.
   *
   * @default - none: the share uses RAM's AWS managed permission
   */
  readonly permissionArn?: string;
}

/** @internal */
export const DEFAULT_ROOT_VALIDITY_DAYS = 3650;

/**
 * A Private CA created by this library (a `RootCa` or a `SubordinateCa`): the CA resource, its
 * CRL/OCSP wiring, the ACM renewal permission and sharing. Only `RootCa` and `SubordinateCa`
 * extend it; import an existing CA with `RootCa.fromCertificateAuthorityArn` or
 * `SubordinateCa.fromCertificateAuthorityArn`.
 */
export abstract class PrivateCertificateAuthority extends CertificateAuthorityBase {
  public abstract readonly certificateAuthorityArn: string;
  /** The CA's key algorithm. */
  public readonly keyAlgorithm: CaKeyAlgorithm;
  /** The CA's usage mode. */
  public readonly usageMode: CaUsageMode;
  /** The algorithm the CA signs with. */
  public readonly signingAlgorithm: CaSigningAlgorithm;
  /** How long the CA's own certificate is valid. */
  public readonly validity: CaValidity;
  /**
   * The path length of the CA's certificate: how many CA levels may follow below it;
   * `undefined` for a root (no limit).
   */
  public abstract readonly pathLength?: number;

  /** The underlying CloudFormation resource. */
  protected readonly resource: acmpca.CfnCertificateAuthority;
  private readonly children: PrivateCertificateAuthority[] = [];
  private acmPermission?: acmpca.CfnPermission;
  /**
   * The removal policy of the CA and of its activation, CA certificate and ACM permission.
   */
  public readonly removalPolicy: RemovalPolicy;
  /** The bucket the CA writes its CRLs to (`crl/<CA id>.crl`); `undefined` when the CA has no CRL. */
  public readonly crlBucket?: CrlBucket;
  /** Whether the CA's CRL is partitioned (Private CA then gives each partition a random name). */
  public readonly crlPartitioned: boolean;

  /**
   * @param scope the scope
   * @param id the construct id
   * @param props the CA's configuration
   * @param defaultValidity the validity when `props.validity` is not given
   */
  protected constructor(scope: Construct, id: string, props: CertificateAuthorityOptions, defaultValidity: CaValidity) {
    super(scope, id);
    this.keyAlgorithm = props.keyAlgorithm ?? CaKeyAlgorithm.RSA_2048;
    this.signingAlgorithm = props.signingAlgorithm ?? CaSigningAlgorithm.defaultFor(this.keyAlgorithm);
    this.usageMode = props.usageMode ?? CaUsageMode.GENERAL_PURPOSE;
    this.validity = props.validity ?? defaultValidity;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
    this.crlBucket = props.revocation?.crlBucket;
    this.crlPartitioned = props.revocation?.crlPartitioned === true;
    const tags = { Name: this.node.path.slice(0, 256), ...(props.tags ?? {}) };

    throwIfProblems(this.node.path, [
      ...validateCaSubject(props.subject),
      ...validateAlgorithmFamilies(this.keyAlgorithm, this.signingAlgorithm),
      ...validateValidity(this.validity._facts(), Date.now()),
      ...validateRevocation(revocationFacts(props.revocation)),
      ...validateTags(tags),
      ...this.validateKeyStorage(props.keyStorageSecurityStandard),
      ...validateRemovalPolicy(this.removalPolicy),
    ]);

    this.resource = new acmpca.CfnCertificateAuthority(this, 'Resource', {
      type: this._caType(),
      keyAlgorithm: this.keyAlgorithm.name,
      signingAlgorithm: this.signingAlgorithm.name,
      subject: props.subject,
      keyStorageSecurityStandard: props.keyStorageSecurityStandard,
      usageMode: props.usageMode,
      revocationConfiguration: renderRevocation(props.revocation),
    });
    this._retainWithCa(this.resource);
    registerCostEstimate(this); // issue 17: one synth-time cost annotation per stack
    for (const [key, value] of Object.entries(tags)) {
      Tags.of(this.resource).add(key, value);
    }
    props.revocation?.crlBucket?.addPolicyDependency(this.resource);

    if (props.revocation === undefined && this.usageMode === CaUsageMode.GENERAL_PURPOSE) {
      Annotations.of(this).addWarningV2(
        'cdk-pki:ca-without-revocation',
        'This general-purpose CA has neither CRL nor OCSP, so the certificates it issues can never be revoked. ' +
          'Set revocation: { crlBucket } (see CrlBucket) or revocation: { ocsp: true }.',
      );
      // The same advice as PKI-PCA3: the warning above keeps it visible, once.
      Validations.of(this.resource).acknowledge({
        id: 'PKI-PCA3',
        reason: 'The construct already reports this at synth time as the warning cdk-pki:ca-without-revocation, so the advice is not lost.',
      });
    }
  }

  /**
   * Gives ACM the permission to issue and renew private certificates from this CA in this account
   * (an `AWS::ACMPCA::Permission` for `acm.amazonaws.com` with IssueCertificate, GetCertificate and
   * ListPermissions). Without it ACM cannot renew the certificates. Idempotent: a second call
   * returns the same permission. `PrivateCertificate` calls it for you.
   *
   * @returns the permission, for `node.addDependency()`
   */
  public allowAcmRenewal(): IConstruct {
    if (this.usageMode === CaUsageMode.SHORT_LIVED_CERTIFICATE) {
      throwIfProblems(this.node.path, [
        'ACM cannot issue or renew certificates from a CA in SHORT_LIVED_CERTIFICATE usage mode: ' +
          'use a GENERAL_PURPOSE CA for ACM certificates, or issue short-lived certificates with acm-pca:IssueCertificate yourself',
      ]);
    }
    this.acmPermission ??= new acmpca.CfnPermission(this, 'AcmPermission', {
      certificateAuthorityArn: this.certificateAuthorityArn,
      principal: 'acm.amazonaws.com',
      actions: ['IssueCertificate', 'GetCertificate', 'ListPermissions'],
      sourceAccount: Stack.of(this).account,
    });
    // Deleting the permission stops every ACM renewal from this CA: it lives as long as the CA.
    this._retainWithCa(this.acmPermission);
    return this.acmPermission;
  }

  /**
   * Makes this CA an IAM Roles Anywhere trust anchor, whose CRL is kept in sync with the CA's (see
   * `RolesAnywhereTrustAnchor`). The CA needs a CRL (`revocation: { crlBucket }`).
   *
   * @param id construct id of the trust anchor (a child of the CA)
   * @param options name, notifications, CRL sync...; all optional
   */
  public addRolesAnywhereTrustAnchor(id: string, options: RolesAnywhereTrustAnchorOptions = {}): RolesAnywhereTrustAnchor {
    return new RolesAnywhereTrustAnchor(this, id, { ...options, certificateAuthority: this });
  }

  /**
   * The CA's `Type`. A method rather than a constructor argument, so the constructor's signature in other languages
   * takes no stringly-typed discriminator; `RootCa` and `SubordinateCa` implement it (the base constructor calls it,
   * so it may not read fields of the subclass).
   *
   * @internal
   */
  protected abstract _caType(): 'ROOT' | 'SUBORDINATE';

  /**
   * Gives `resource` the CA's removal policy: for what the CA cannot work without (its activation,
   * its own certificate, its ACM permission).
   *
   * @internal
   */
  public _retainWithCa(resource: CfnResource): void {
    resource.applyRemovalPolicy(this.removalPolicy);
  }

  /**
   * Shares the CA with other accounts, organizational units or an organization through AWS
   * Resource Access Manager, so their ACM can issue private certificates from it. RAM names an
   * organization or an OU by its ARN. Principals outside your organization are allowed only when
   * an account is among them.
   *
   * @param id construct id of the share
   * @param principals accounts (`CaSharePrincipal.account`), or organizations and organizational
   *   units by ARN (`CaSharePrincipal.organization`, `CaSharePrincipal.organizationalUnit`)
   * @param options what the principals may do (by default, what RAM's AWS managed permission allows). With
   *   `permission: CaSharePermission.actions([...])`, a customer managed permission (construct id
   *   `<id>RamPermission`) allows only the listed Private CA actions.
   */
  public shareWith(id: string, principals: CaSharePrincipal[], options: CaShareOptions = {}): CaShareResult {
    const facts = principals.map((p) => p._facts());
    throwIfProblems(this.node.path, validateRamPrincipals(facts));
    const bound = options.permission?._bind(this, `${id}RamPermission`, Stack.of(this).partition) ?? {};
    if (Array.isArray(bound)) throwIfProblems(`${this.node.path}/${id}`, bound);
    const { permission, permissionArns } = bound as Exclude<typeof bound, string[]>;
    const rendered = renderRamPrincipals(facts);
    const share = new ram.CfnResourceShare(this, id, {
      name: `${this.node.path}/${id}`.slice(-255),
      resourceArns: [this.certificateAuthorityArn],
      principals: rendered.principals,
      allowExternalPrincipals: rendered.allowExternalPrincipals,
      permissionArns,
    });
    return { resourceShare: share, resourceShareArn: share.attrArn, permission, permissionArn: permissionArns?.[0] };
  }

  /**
   * The deepest chain of CAs below this one (0 with no child CA), for path lengths.
   *
   * @internal
   */
  public _depthBelow(): number {
    return this.children.reduce((max, c) => Math.max(max, 1 + (c.pathLength ?? c._depthBelow())), 0);
  }

  /** @internal */
  public _registerChild(child: PrivateCertificateAuthority): void {
    this.children.push(child);
    if (this.removalPolicy === RemovalPolicy.DESTROY) {
      Annotations.of(this).addWarningV2(
        'cdk-pki:ca-destroy-with-children',
        'This CA has removalPolicy DESTROY and issues subordinate CAs: deleting it invalidates every CA and certificate below it.',
      );
    }
  }

  private validateKeyStorage(standard: KeyStorageSecurityStandard | undefined): string[] {
    const region = Stack.of(this).region;
    if (region === 'ap-northeast-3' && standard !== KeyStorageSecurityStandard.FIPS_140_2_LEVEL_2_OR_HIGHER) {
      return [
        'ap-northeast-3 supports only FIPS 140-2 level 2 key storage, and the CA must ask for it: ' +
          'set keyStorageSecurityStandard: KeyStorageSecurityStandard.FIPS_140_2_LEVEL_2_OR_HIGHER',
      ];
    }
    return [];
  }
}

/** SNAPSHOT is for databases and volumes: CloudFormation refuses it on Private CA resources. */
function validateRemovalPolicy(policy: RemovalPolicy): string[] {
  if (policy !== RemovalPolicy.SNAPSHOT) return [];
  return ['removalPolicy RemovalPolicy.SNAPSHOT is not supported: Private CA resources have no snapshots. ' +
    'Use RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (the default), RETAIN, or DESTROY'];
}

/** The default validity of a subordinate: half its parent's, when that is known in days. @internal */
export function halfOf(parent: CaValidity | undefined): CaValidity {
  const days = parent?._days();
  return CaValidity.duration(Duration.days(days !== undefined && days >= 2 ? Math.floor(days / 2) : 1825));
}
