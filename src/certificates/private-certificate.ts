import { Annotations, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { CertificateBase, importCertificateArn, IPkiCertificate } from './certificate-base';
import { applyCertificateRequest, CertificateRequestProps } from './certificate-request';
import { CertificateKeyAlgorithm } from './key-algorithm';
import { CaUsageMode } from '../private-ca/ca-algorithms';
import { PrivateCertificateAuthority } from '../private-ca/private-certificate-authority';
import { REQUESTABLE_KEY_ALGORITHMS } from '../validation/acm-facts';
import { validateCertificateRequest } from '../validation/certificate-request';
import { throwIfProblems } from '../validation/errors';

/** Properties of a `PrivateCertificate`. */
export interface PrivateCertificateProps extends CertificateRequestProps {
  /**
   * The Private CA that issues the certificate: a `RootCa`/`SubordinateCa` of this library, or any
   * `acmpca.ICertificateAuthority` (e.g. imported by ARN). It must be ACTIVE and in general-purpose
   * mode; a CA of this library in the same account gets ACM's renewal permission automatically.
   */
  readonly certificateAuthority: acmpca.ICertificateAuthority;

  /**
   * What happens to the certificate when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An ACM private certificate issued by an AWS Private CA, renewed by ACM (60 days before expiry)
 * and exportable with its private key (see `CertificateExport`).
 *
 * When the CA is a `RootCa`/`SubordinateCa` of this library, the certificate's key family is
 * checked against the CA's, a short-lived CA is refused (ACM cannot issue from it), and ACM's
 * renewal permission on the CA is added when both live in the same account.
 *
 * @example
 * declare const issuing: SubordinateCa;
 * new PrivateCertificate(this, 'Api', {
 *   domainName: 'api.internal.example.com',
 *   certificateAuthority: issuing,
 * });
 */
export class PrivateCertificate extends CertificateBase {
  /**
   * Refers to an existing ACM private certificate by ARN. A concrete ARN is checked for shape
   * (`arn:<partition>:acm:<region>:<account>:certificate/<uuid>`); metrics and event rules of the
   * returned certificate use the ARN's region. Same as `PublicCertificate.fromCertificateArn`.
   */
  public static fromCertificateArn(scope: Construct, id: string, certificateArn: string): IPkiCertificate {
    return importCertificateArn(scope, id, certificateArn);
  }

  public readonly certificateArn: string;
  /** The key algorithm of the certificate. */
  public readonly keyAlgorithm: CertificateKeyAlgorithm;
  protected readonly exportable?: boolean = true;

  constructor(scope: Construct, id: string, props: PrivateCertificateProps) {
    super(scope, id);
    const ca = props.certificateAuthority instanceof PrivateCertificateAuthority ? props.certificateAuthority : undefined;
    this.keyAlgorithm = props.keyAlgorithm
      ?? (ca?.keyAlgorithm.family === 'EC' ? CertificateKeyAlgorithm.EC_PRIME256V1 : CertificateKeyAlgorithm.RSA_2048);
    const request = validateCertificateRequest(this.node.path, { ...props, keyAlgorithm: this.keyAlgorithm.name, publicCertificate: false });
    throwIfProblems(this.node.path, [...request.problems, ...this.validateAgainstCa(ca)]);

    const cfn = new acm.CfnCertificate(this, 'Resource', {
      domainName: props.domainName,
      subjectAlternativeNames: props.subjectAlternativeNames?.length ? props.subjectAlternativeNames : undefined,
      certificateAuthorityArn: props.certificateAuthority.certificateAuthorityArn,
      // Left out when it is ACM's default and not given, as aws-cdk-lib does: KeyAlgorithm is create-only, so writing
      // RSA_2048 would replace a migrated certificate. An EC CA's default (EC_prime256v1) differs from ACM's, so it is written.
      keyAlgorithm: props.keyAlgorithm === undefined && this.keyAlgorithm === CertificateKeyAlgorithm.RSA_2048 ? undefined : this.keyAlgorithm.name,
    });
    cfn.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.DESTROY);
    applyCertificateRequest(cfn, request);
    this.certificateArn = cfn.ref;

    if (ca && sameAccount(this, ca)) {
      // ACM issues and renews through this permission; without it renewal fails silently.
      cfn.node.addDependency(ca.allowAcmRenewal());
    } else {
      Annotations.of(this).addWarningV2(
        'cdk-pki:private-certificate-renewal-permission',
        'ACM renews this certificate only if the CA lets it: in the CA\'s account, an AWS::ACMPCA::Permission for acm.amazonaws.com ' +
          '(IssueCertificate, GetCertificate, ListPermissions); from another account, a CA resource policy (CertificateAuthorityPolicy or RAM) ' +
          'and the ACM service-linked role. This library adds the permission itself only for its own CAs in the same account.',
      );
    }
  }

  private validateAgainstCa(ca: PrivateCertificateAuthority | undefined): string[] {
    const problems: string[] = [];
    if (ca === undefined) return problems;
    if (ca.usageMode === CaUsageMode.SHORT_LIVED_CERTIFICATE) {
      problems.push(
        `${ca.node.path} is a SHORT_LIVED_CERTIFICATE CA, which ACM cannot issue from: use a GENERAL_PURPOSE CA, ` +
          'or issue short-lived certificates with acm-pca:IssueCertificate (grantIssueCertificate)',
      );
    }
    const caFamily = ca.keyAlgorithm.family;
    if (caFamily !== undefined && caFamily !== this.keyAlgorithm.family) {
      const fix = REQUESTABLE_KEY_ALGORITHMS.filter((name) => CertificateKeyAlgorithm.of(name).family === caFamily).join(' or ');
      problems.push(
        `key algorithm ${this.keyAlgorithm.name} is ${this.keyAlgorithm.family} but CA ${ca.node.path} has a ${caFamily} key (${ca.keyAlgorithm.name}): ` +
          `a private certificate's key must be of the CA's family, so choose ${fix}`,
      );
    }
    return problems;
  }
}

function sameAccount(a: Construct, b: Construct): boolean {
  const x = Stack.of(a).account;
  const y = Stack.of(b).account;
  return x === y || (Token.isUnresolved(x) && Token.isUnresolved(y) && Stack.of(a) === Stack.of(b));
}
