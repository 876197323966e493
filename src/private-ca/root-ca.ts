import { Duration } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { Construct } from 'constructs';
import { CaValidity } from './ca-validity';
import { importCertificateAuthorityArn, IPkiCertificateAuthority } from './certificate-authority-base';
import { CertificateTemplate } from './certificate-template';
import { CertificateAuthorityOptions, DEFAULT_ROOT_VALIDITY_DAYS, PrivateCertificateAuthority } from './private-certificate-authority';

/** Properties of a `RootCa`. */
export interface RootCaProps extends CertificateAuthorityOptions {}

/**
 * A root Private CA, self-signed and activated in the same deployment: the CA is created, issues
 * its own certificate from its CSR with `RootCACertificate/V1`, and imports it.
 *
 * @example
 * const root = new RootCa(this, 'Root', {
 *   subject: { commonName: 'Example Corp Root CA', organization: 'Example Corp', country: 'US' },
 *   keyAlgorithm: CaKeyAlgorithm.RSA_4096,
 *   revocation: { crlBucket: new CrlBucket(this, 'Crl') },
 * });
 */
export class RootCa extends PrivateCertificateAuthority {
  /**
   * Refers to an existing root CA by ARN (one of another stack or made outside CDK), for grants,
   * metrics and `PrivateCertificate`. A concrete ARN is checked for shape
   * (`arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>`); the returned CA's
   * metrics use the ARN's region. The same as `SubordinateCa.fromCertificateAuthorityArn`: nothing
   * checks that the CA is a root.
   */
  public static fromCertificateAuthorityArn(scope: Construct, id: string, certificateAuthorityArn: string): IPkiCertificateAuthority {
    return importCertificateAuthorityArn(scope, id, certificateAuthorityArn);
  }

  /**
   * The ARN of the CA. Referencing it makes a resource wait for the activation, so the CA is
   * ACTIVE by the time anything issues from it.
   */
  public readonly certificateAuthorityArn: string;
  /** A root certificate has no path length limit. */
  public readonly pathLength?: number = undefined;
  /** The root's self-signed certificate, PEM (a CloudFormation attribute). */
  public readonly certificatePem: string;
  /** The activation resource (ACTIVE once deployed). */
  public readonly activation: acmpca.CfnCertificateAuthorityActivation;

  constructor(scope: Construct, id: string, props: RootCaProps) {
    super(scope, id, props, CaValidity.duration(Duration.days(DEFAULT_ROOT_VALIDITY_DAYS)));

    const certificate = new acmpca.CfnCertificate(this, 'Certificate', {
      certificateAuthorityArn: this.resource.attrArn,
      certificateSigningRequest: this.resource.attrCertificateSigningRequest,
      signingAlgorithm: this.signingAlgorithm.name,
      templateArn: CertificateTemplate.ROOT_CA.templateArn,
      validity: this.validity._render(),
    });
    this.activation = new acmpca.CfnCertificateAuthorityActivation(this, 'Activation', {
      certificateAuthorityArn: this.resource.attrArn,
      certificate: certificate.attrCertificate,
      status: 'ACTIVE',
    });
    // Deleting the activation disables the CA: both follow the CA's removal policy.
    this._retainWithCa(certificate);
    this._retainWithCa(this.activation);
    this.certificatePem = certificate.attrCertificate;
    // The activation's Ref is the CA ARN: consumers then depend on the activation.
    this.certificateAuthorityArn = this.activation.ref;
  }

  /** @internal */
  protected _caType(): 'ROOT' {
    return 'ROOT';
  }

  /**
   * The chain to give a subordinate's activation: the root certificate.
   *
   * @internal
   */
  public get _chainForChildren(): string {
    return this.activation.attrCompleteCertificateChain;
  }
}
