import { CfnOutput, Duration, Lazy } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { Construct, IConstruct } from 'constructs';
import { CaExternalParent, externalSigningHint } from './ca-external-parent';
import { CaValidity } from './ca-validity';
import { importCertificateAuthorityArn, IPkiCertificateAuthority } from './certificate-authority-base';
import { CertificateTemplate } from './certificate-template';
import { NameConstraints, NameConstraintsOptions } from './name-constraints';
import { CertificateAuthorityOptions, halfOf, PrivateCertificateAuthority } from './private-certificate-authority';
import { RootCa } from './root-ca';
import { MAX_PATH_LENGTH, validateChildValidity, validatePathLength } from '../validation/ca-rules';
import { throwIfProblems } from '../validation/errors';
import { validateExternalPathLength } from '../validation/external-ca-certificate';

/** Properties of a `SubordinateCa`. */
export interface SubordinateCaProps extends CertificateAuthorityOptions {
  /**
   * The CA that issues this CA's certificate. With a parent in the app, the subordinate is issued
   * and activated in the same deployment. Without one (and without `externalParent`), the CA stays
   * PENDING_CERTIFICATE: sign its `csr` with your external CA and import the certificate yourself.
   *
   * @default - an external parent: the CA is created but not activated
   */
  readonly parent?: PrivateCertificateAuthority;

  /**
   * An external (offline or on-premises) CA signs this CA, in two deployments: first
   * `CaExternalParent.awaitingSignature()` (the CA is created, its CSR is a stack output with the `openssl` command
   * that signs it), then `CaExternalParent.fromPem(...)`, `fromSsmParameters(...)` or `fromSecret(...)` with the
   * signed certificate and chain, which activates the CA. Not together with `parent`. The CA's `validity` and
   * `pathLength` then come from a certificate given as PEM; with one from SSM or a secret (unknown at synth time),
   * set `validity: CaValidity.endDate(...)` to its end, so the CAs below it are checked against it.
   *
   * @default - no external parent: the CA is issued by `parent`, or stays PENDING_CERTIFICATE without one
   */
  readonly externalParent?: CaExternalParent;

  /**
   * How many CA levels may follow below this one (the `PathLen` of its certificate, 0-3).
   *
   * @default - the depth of the CAs created below it in this app (0 when none)
   */
  readonly pathLength?: number;

  /**
   * Name constraints for this CA's certificate (RFC 5280 §4.2.1.10, marked critical): the DNS domains, IP ranges and
   * email addresses that this CA and every CA below it may certify. The parent then issues the certificate with the
   * `SubordinateCACertificate_PathLen{N}_APIPassthrough/V1` template, passing the extension. Needs a `parent` in the
   * app; for an external parent, put `NameConstraints.of(...).toCustomExtension()` in the certificate yourself.
   *
   * @default - no name constraints
   */
  readonly nameConstraints?: NameConstraintsOptions;
}

/**
 * A subordinate Private CA. With a `parent` of this library it is issued by the parent with the
 * `SubordinateCACertificate_PathLen{N}/V1` template and activated with the full chain in the same
 * deployment; with an external parent it exposes its CSR and waits for your certificate.
 *
 * @example
 * declare const root: RootCa;
 * const issuing = new SubordinateCa(this, 'Issuing', {
 *   parent: root,
 *   subject: { commonName: 'Example Corp Issuing CA' },
 * });
 */
export class SubordinateCa extends PrivateCertificateAuthority {
  /**
   * Refers to an existing subordinate CA by ARN (one of another stack or made outside CDK), for
   * grants, metrics and `PrivateCertificate`. A concrete ARN is checked for shape
   * (`arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>`); the returned CA's
   * metrics use the ARN's region. The same as `RootCa.fromCertificateAuthorityArn`: nothing checks
   * that the CA is a subordinate.
   */
  public static fromCertificateAuthorityArn(scope: Construct, id: string, certificateAuthorityArn: string): IPkiCertificateAuthority {
    return importCertificateAuthorityArn(scope, id, certificateAuthorityArn);
  }

  /**
   * The ARN of the CA. With a parent in the app, referencing it waits for the activation.
   */
  public readonly certificateAuthorityArn: string;
  /** The CA's certificate signing request, PEM (sign it with an external parent). */
  public readonly csr: string;
  /** The issuing parent, when it is in the app. */
  public readonly parent?: PrivateCertificateAuthority;
  /** The activation, when the parent is in the app or the external parent's certificate is given. */
  public readonly activation?: acmpca.CfnCertificateAuthorityActivation;
  /**
   * The CA's certificate, PEM, when the parent is in the app or the external parent's certificate is given (then it
   * may be a dynamic reference to SSM or Secrets Manager).
   */
  public readonly certificatePem?: string;
  private readonly explicitPathLength?: number;
  /**
   * The external parent, when an offline or on-premises CA signs this one.
   *
   * @internal
   */
  public readonly _externalParent?: CaExternalParent;

  constructor(scope: Construct, id: string, props: SubordinateCaProps) {
    super(scope, id, props, externalValidity(props.externalParent) ?? underExternal(props.parent) ?? halfOf(props.parent?.validity));
    this.parent = props.parent;
    this._externalParent = props.externalParent;
    const external = props.externalParent?._inspect(Date.now());
    this.explicitPathLength = props.pathLength ?? external?.facts?.pathLengthLimit;
    this.csr = this.resource.attrCertificateSigningRequest;
    const constraints = props.nameConstraints !== undefined ? NameConstraints.of(props.nameConstraints) : undefined;
    throwIfProblems(this.node.path, [
      ...(props.parent && props.externalParent ? [`parent ${props.parent.node.path} and externalParent are both given: a CA has one issuer. ` +
        'Give parent for a CA of this app, or externalParent for an offline or on-premises CA'] : []),
      ...(external?.problems ?? []),
      ...(external?.facts && props.validity ? [`validity ${props.validity.toString()} is given, but the external CA chose the certificate's validity ` +
        `(${external.facts.notBefore.toISOString()} to ${external.facts.notAfter.toISOString()}): leave validity out`] : []),
      ...validateExternalPathLength(props.pathLength, external?.facts),
      ...(constraints?._problems('nameConstraints.') ?? []),
      ...(constraints && !props.parent ? ['nameConstraints need a parent in the app, which issues the constrained certificate: with an external ' +
        'parent, add NameConstraints.of(...).toCustomExtension() to the certificate you issue (with an APIPassthrough template)'] : []),
      ...validatePathLength(props.pathLength),
      ...(props.parent ? validateChildValidity(this.validity._facts(), props.parent.validity._facts(), Date.now()) : []),
      // An invalid pathLength is reported above; measuring the ancestors with it would only add noise.
      ...(validatePathLength(props.pathLength).length ? [] : this.validateAncestorPathLengths()),
    ]);

    if (props.externalParent) this.addCsrOutput();
    const material = props.externalParent?._activation();
    if (!props.parent && material) {
      this.activation = new acmpca.CfnCertificateAuthorityActivation(this, 'Activation', {
        certificateAuthorityArn: this.resource.attrArn,
        certificate: material.certificate,
        certificateChain: material.chain,
        status: 'ACTIVE',
      });
      this._retainWithCa(this.activation);
      this.certificatePem = material.certificate;
      this.certificateAuthorityArn = this.activation.ref;
      return;
    }
    if (!props.parent) {
      this.certificateAuthorityArn = this.resource.attrArn;
      return;
    }
    const chain = chainOf(props.parent);
    if (chain === undefined) {
      const awaiting = props.parent instanceof SubordinateCa && props.parent._externalParent?._awaiting;
      throwIfProblems(this.node.path, [awaiting
        ? `parent ${props.parent.node.path} is awaiting its certificate from its external parent (the first deployment), so it cannot issue this CA yet. ` +
          'Deploy without this CA first, then add it once the parent has externalParent: CaExternalParent.fromPem(...), fromSsmParameters(...) or fromSecret(...)'
        : `parent ${props.parent.node.path} is not activated in this app (its own parent is external), so it cannot issue this CA during the deployment. ` +
          'Activate the parent first (import its certificate), or nest the hierarchy under a RootCa']);
    }
    props.parent._registerChild(this);
    const certificate = new acmpca.CfnCertificate(this, 'Certificate', {
      certificateAuthorityArn: props.parent.certificateAuthorityArn,
      certificateSigningRequest: this.resource.attrCertificateSigningRequest,
      // Signed with the parent's key, so with the parent's algorithm.
      signingAlgorithm: props.parent.signingAlgorithm.name,
      templateArn: Lazy.string({
        produce: () => (constraints
          ? CertificateTemplate.of(`SubordinateCACertificate_PathLen${this.pathLength ?? 0}_APIPassthrough/V1`)
          : CertificateTemplate.subordinateCa(this.pathLength ?? 0)).templateArn,
      }),
      apiPassthrough: constraints && { extensions: { customExtensions: [constraints.toCustomExtension()] } },
      validity: this.validity._render(),
    });
    this.activation = new acmpca.CfnCertificateAuthorityActivation(this, 'Activation', {
      certificateAuthorityArn: this.resource.attrArn,
      certificate: certificate.attrCertificate,
      certificateChain: chain,
      status: 'ACTIVE',
    });
    // Deleting the activation disables the CA: both follow the CA's removal policy.
    this._retainWithCa(certificate);
    this._retainWithCa(this.activation);
    this.certificatePem = certificate.attrCertificate;
    this.certificateAuthorityArn = this.activation.ref;
  }

  /**
   * Gives ACM the permission to issue and renew private certificates from this CA (see
   * `PrivateCertificateAuthority.allowAcmRenewal`). Refused while the CA awaits its certificate from an external
   * parent: a CA that is not active cannot issue.
   */
  public allowAcmRenewal(): IConstruct {
    if (this._externalParent?._awaiting) {
      throwIfProblems(this.node.path, [
        'this CA is awaiting its certificate from its external parent (the first deployment), so nothing can issue from it yet. ' +
          'Deploy it alone first, then add the certificates once externalParent is CaExternalParent.fromPem(...), fromSsmParameters(...) or fromSecret(...)',
      ]);
    }
    return super.allowAcmRenewal();
  }

  /** @internal */
  protected _caType(): 'SUBORDINATE' {
    return 'SUBORDINATE';
  }

  /** The path length of the CA's certificate: the given one, or the depth of the CAs below it. */
  public get pathLength(): number | undefined {
    return this.explicitPathLength ?? this._depthBelow();
  }

  /**
   * Each ancestor must leave room for this CA and its own path length: one with a fixed path length must allow it,
   * and one without gets the depth of the CAs below it, which may not exceed Private CA's deepest template. The
   * children of a CA are all created after it, so checking here, when this CA is attached, covers every chain.
   */
  private validateAncestorPathLengths(): string[] {
    const own = this.explicitPathLength ?? 0;
    const problems: string[] = [];
    let distance = 1;
    for (let a = this.parent; a instanceof SubordinateCa; a = a.parent, distance++) {
      const limit = a.explicitPathLength;
      const needed = distance + own;
      const where = `this CA sits ${distance} level(s) below it${own ? ` with pathLength ${own}` : ''}`;
      if (limit !== undefined && limit < needed) {
        problems.push(
          `path length exhausted: ancestor ${a.node.path} has pathLength ${limit}, which allows ${limit} CA level(s) below it, ` +
            `but ${where}. Raise that ancestor's pathLength (or leave it unset to compute it), or attach this CA higher up`,
        );
      } else if (limit === undefined && !a._externalParent && needed > MAX_PATH_LENGTH) {
        problems.push(
          `path length too deep: ancestor ${a.node.path} has no pathLength, so it gets the depth of the CAs below it, and ${where}, ` +
            `which needs path length ${needed}; Private CA's subordinate templates stop at ${MAX_PATH_LENGTH}. ` +
            `${own ? 'Lower this CA\'s pathLength, attach' : 'Attach'} this CA higher up, or flatten the hierarchy`,
        );
      }
    }
    return problems;
  }

  /** The CA's CSR as a stack output, with the command line that signs it as a CA certificate (a literal of at most 1,024 bytes). */
  private addCsrOutput(): void {
    new CfnOutput(this, 'Csr', {
      value: this.csr,
      description: Lazy.string({ produce: () => externalSigningHint(this.node.path, this.pathLength ?? 0) }),
    });
  }
}

/** A CA signed externally is valid as long as its certificate, when that is known at synth time and current. */
function externalValidity(external: CaExternalParent | undefined): CaValidity | undefined {
  const facts = external?._inspect(Date.now()).facts;
  return facts && facts.notAfter.getTime() > Date.now() ? CaValidity.endDate(facts.notAfter) : undefined;
}

/** Under an externally signed CA (whose validity is its certificate's end date): half the days it has left. */
function underExternal(parent: PrivateCertificateAuthority | undefined): CaValidity | undefined {
  const end = parent instanceof SubordinateCa && parent._externalParent ? parent.validity.validityEndDate : undefined;
  const days = end ? Math.floor((end.getTime() - Date.now()) / 86_400_000 / 2) : 0;
  return days >= 1 ? CaValidity.duration(Duration.days(days)) : undefined;
}

/** The chain a child's activation needs: the parent's certificate and the parent's own chain. */
function chainOf(parent: PrivateCertificateAuthority): string | undefined {
  if (parent instanceof RootCa) return parent._chainForChildren;
  return (parent as SubordinateCa).activation?.attrCompleteCertificateChain;
}
