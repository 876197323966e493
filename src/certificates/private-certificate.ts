import { Annotations, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { CertificateBase } from './certificate-base';
import { CertificateKeyAlgorithm } from './key-algorithm';
import { CaUsageMode } from '../private-ca/ca-algorithms';
import { PrivateCertificateAuthority } from '../private-ca/private-certificate-authority';
import { validateDomainNameList } from '../validation/domain-name';
import { throwIfProblems } from '../validation/errors';
import { validateMaxNames } from '../validation/public-certificate-rules';
import { certificateTags, validateTags } from '../validation/tags';

/** Properties of a `PrivateCertificate`. */
export interface PrivateCertificateProps {
  /** The first name of the certificate, its subject common name (at most 64 octets), e.g. `api.internal.example.com`. */
  readonly domainName: string;

  /**
   * More names for the certificate.
   *
   * @default - only `domainName`
   */
  readonly subjectAlternativeNames?: string[];

  /**
   * The Private CA that issues the certificate: a `RootCa`/`SubordinateCa` of this library, or any
   * `acmpca.ICertificateAuthority` (e.g. imported by ARN). It must be ACTIVE and in general-purpose
   * mode; a CA of this library in the same account gets ACM's renewal permission automatically.
   */
  readonly certificateAuthority: acmpca.ICertificateAuthority;

  /**
   * The key algorithm. Its family (RSA or EC) must match the CA's key.
   *
   * The template carries `KeyAlgorithm` when you set this or when the CA is an EC CA of this library;
   * otherwise it is left out, like aws-cdk-lib's `acm.PrivateCertificate` (ACM's default is RSA_2048,
   * and adding the create-only property to an existing certificate would replace it).
   *
   * @default - RSA_2048 for an RSA CA (or an unknown one), EC_prime256v1 for an EC CA of this library
   */
  readonly keyAlgorithm?: CertificateKeyAlgorithm;

  /**
   * A friendly name, recorded in the certificate's `Name` tag. Give the name either here or as
   * `tags.Name`, not both.
   *
   * @default - `tags.Name`, else the construct path (its first 255 characters)
   */
  readonly certificateName?: string;

  /**
   * Your account's quota of names per certificate (10 by default, up to 100).
   *
   * @default 10
   */
  readonly maxNames?: number;

  /**
   * What happens to the certificate when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Tags for the certificate (at most 50 with the `Name` tag).
   *
   * @default - only the `Name` tag
   */
  readonly tags?: { [key: string]: string };
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
  public readonly certificateArn: string;
  /** The key algorithm of the certificate. */
  public readonly keyAlgorithm: CertificateKeyAlgorithm;
  protected readonly exportable?: boolean = true;

  constructor(scope: Construct, id: string, props: PrivateCertificateProps) {
    super(scope, id);
    const ca = props.certificateAuthority instanceof PrivateCertificateAuthority ? props.certificateAuthority : undefined;
    this.keyAlgorithm = props.keyAlgorithm
      ?? (ca?.keyAlgorithm.family === 'EC' ? CertificateKeyAlgorithm.EC_PRIME256V1 : CertificateKeyAlgorithm.RSA_2048);
    const names = [props.domainName, ...(props.subjectAlternativeNames ?? [])];
    const maxNames = props.maxNames ?? 10;
    const { tags, problems: nameTagProblems } = certificateTags(this.node.path, props.certificateName, props.tags);
    const maxNamesProblems = validateMaxNames(maxNames);
    throwIfProblems(this.node.path, [
      ...maxNamesProblems,
      ...nameTagProblems,
      ...validateDomainNameList(names, { maxNames: maxNamesProblems.length ? 100 : maxNames }),
      ...validateTags(tags),
      ...this.keyAlgorithm._nameProblems(),
      ...this.validateAgainstCa(ca),
    ]);

    const cfn = new acm.CfnCertificate(this, 'Resource', {
      domainName: props.domainName,
      subjectAlternativeNames: props.subjectAlternativeNames?.length ? props.subjectAlternativeNames : undefined,
      certificateAuthorityArn: props.certificateAuthority.certificateAuthorityArn,
      // Left out when it is ACM's default and not given, as aws-cdk-lib does: KeyAlgorithm is create-only, so writing
      // RSA_2048 would replace a migrated certificate. An EC CA's default (EC_prime256v1) differs from ACM's, so it is written.
      keyAlgorithm: props.keyAlgorithm === undefined && this.keyAlgorithm === CertificateKeyAlgorithm.RSA_2048 ? undefined : this.keyAlgorithm.name,
    });
    cfn.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.DESTROY);
    // The raised quota, for PkiChecks (PKI-ACM6) and other template checks.
    if (maxNames > 10) cfn.addMetadata('cdk-pki:max-names', maxNames);
    for (const [key, value] of Object.entries(tags)) {
      Tags.of(cfn).add(key, value);
    }
    this.certificateArn = cfn.ref;

    if (ca && sameAccount(this, ca)) {
      // ACM issues and renews through this permission; without it renewal fails silently.
      cfn.addDependency(ca.allowAcmRenewal());
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
    if (!this.keyAlgorithm.requestable) {
      problems.push(
        `key algorithm ${this.keyAlgorithm.name} cannot be requested: ACM issues private certificates with RSA_2048, EC_prime256v1 or EC_secp384r1`,
      );
    }
    if (ca === undefined) return problems;
    if (ca.usageMode === CaUsageMode.SHORT_LIVED_CERTIFICATE) {
      problems.push(
        `${ca.node.path} is a SHORT_LIVED_CERTIFICATE CA, which ACM cannot issue from: use a GENERAL_PURPOSE CA, ` +
          'or issue short-lived certificates with acm-pca:IssueCertificate (grantIssueCertificate)',
      );
    }
    const caFamily = ca.keyAlgorithm.family;
    if (caFamily !== undefined && caFamily !== this.keyAlgorithm.family) {
      const fix = caFamily === 'EC' ? 'EC_prime256v1 or EC_secp384r1' : 'RSA_2048';
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
