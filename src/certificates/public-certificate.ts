import { Annotations, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { CertificateBase, IPkiCertificate } from './certificate-base';
import { renderTransparencyLogging, warnIfTransparencyLoggingOff } from './certificate-warnings';
import { describeZone } from './hosted-zones';
import { CertificateKeyAlgorithm } from './key-algorithm';
import { PublicCertificateValidation, ValidationMethod } from './public-certificate-validation';
import { validateCertificateArn } from '../validation/arn';
import { validateDomainNameList } from '../validation/domain-name';
import { throwIfProblems } from '../validation/errors';
import { planDnsValidation, planEmailValidation, validateMaxNames, validateNotAmazonOwned } from '../validation/public-certificate-rules';
import { certificateTags, validateTags } from '../validation/tags';

/** Properties of a `PublicCertificate`. */
export interface PublicCertificateProps {
  /**
   * The first name of the certificate, its subject common name: a fully qualified domain name
   * such as `www.example.com` or a wildcard such as `*.example.com`. At most 64 octets.
   */
  readonly domainName: string;

  /**
   * More names for the certificate. A wildcard covers one level only, so add the apex
   * (`example.com`) next to `*.example.com` if you need both.
   *
   * @default - only `domainName`
   */
  readonly subjectAlternativeNames?: string[];

  /**
   * How ACM validates that you own the names.
   *
   * @default PublicCertificateValidation.fromDnsManual() - DNS validation with records you create
   */
  readonly validation?: PublicCertificateValidation;

  /**
   * The key algorithm. ACM issues RSA_2048, EC_prime256v1 and EC_secp384r1 certificates.
   *
   * The template carries `KeyAlgorithm` only when you set this, like aws-cdk-lib's `acm.Certificate`:
   * ACM's default is RSA_2048, and adding the property to an existing certificate would replace it.
   *
   * @default - ACM's default, RSA_2048 (the property is left out of the template)
   */
  readonly keyAlgorithm?: CertificateKeyAlgorithm;

  /**
   * Whether the certificate is recorded in public Certificate Transparency logs. Browsers
   * distrust public certificates that are not logged, so turning it off warns. `true` renders
   * `CertificateTransparencyLoggingPreference: ENABLED`, `false` renders `DISABLED`.
   *
   * @default - ACM's default, logged (the property is left out of the template)
   */
  readonly transparencyLogging?: boolean;

  /**
   * Issue an exportable public certificate, whose private key can be exported with
   * `ExportCertificate` (see `CertificateExport`). ACM charges for exportable public
   * certificates at issuance and at each renewal, and this cannot be changed later.
   *
   * @default false
   */
  readonly allowExport?: boolean;

  /**
   * A friendly name, recorded in the certificate's `Name` tag. Give the name either here or as
   * `tags.Name`, not both.
   *
   * @default - `tags.Name`, else the construct path (its first 255 characters)
   */
  readonly certificateName?: string;

  /**
   * Your account's quota of names per certificate (ACM's default is 10; it can be raised to 100
   * through Service Quotas). More names than this is a synth-time error.
   *
   * @default 10
   */
  readonly maxNames?: number;

  /**
   * What happens to the certificate when it leaves the stack. A public certificate can be
   * requested again at no cost, so it is deleted by default.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Tags for the certificate (at most 50 with the `Name` tag; keys may not start with `aws:`).
   *
   * @default - only the `Name` tag
   */
  readonly tags?: { [key: string]: string };
}

/**
 * A public ACM certificate, validated by DNS in one or several Route 53 zones, by DNS records
 * you create, or by email.
 *
 * Every name is checked at synth time against ACM's rules (length, labels, wildcards, punycode,
 * duplicates, the name quota, zone coverage), so mistakes fail `cdk synth` with a message that
 * names the construct and the fix, not a deployment an hour later.
 */
export class PublicCertificate extends CertificateBase {
  /**
   * Refers to an existing certificate by ARN. A concrete ARN is checked for shape
   * (`arn:<partition>:acm:<region>:<account>:certificate/<uuid>`); metrics and event rules of the
   * returned certificate use the ARN's region.
   */
  public static fromCertificateArn(scope: Construct, id: string, certificateArn: string): IPkiCertificate {
    throwIfProblems(`${scope.node.path}/${id}`, validateCertificateArn(certificateArn));
    class Import extends CertificateBase {
      public readonly certificateArn = certificateArn;
      protected readonly exportable = undefined;
    }
    return new Import(scope, id, { environmentFromArn: certificateArn });
  }

  public readonly certificateArn: string;

  /** The key algorithm of the certificate. */
  public readonly keyAlgorithm: CertificateKeyAlgorithm;

  /** How the certificate is validated. */
  public readonly validationMethod: ValidationMethod;

  protected readonly exportable?: boolean;

  constructor(scope: Construct, id: string, props: PublicCertificateProps) {
    super(scope, id);
    const names = [props.domainName, ...(props.subjectAlternativeNames ?? [])];
    const validation = props.validation ?? PublicCertificateValidation.fromDnsManual();
    this.keyAlgorithm = props.keyAlgorithm ?? CertificateKeyAlgorithm.RSA_2048;
    this.validationMethod = validation.method;
    this.exportable = props.allowExport ?? false;

    const maxNames = props.maxNames ?? 10;
    const { tags, problems: nameTagProblems } = certificateTags(this.node.path, props.certificateName, props.tags);
    const maxNamesProblems = validateMaxNames(maxNames);
    const problems = [
      ...maxNamesProblems,
      ...nameTagProblems,
      // With a bad maxNames, count against ACM's ceiling so the other problems still show.
      ...validateDomainNameList(names, { maxNames: maxNamesProblems.length ? 100 : maxNames }),
      ...validateNotAmazonOwned(names),
      ...validateTags(tags),
      ...this.keyAlgorithm._nameProblems(),
      ...this.validateKeyAlgorithm(),
    ];
    throwIfProblems(this.node.path, problems);

    const cfn = new acm.CfnCertificate(this, 'Resource', {
      domainName: props.domainName,
      subjectAlternativeNames: props.subjectAlternativeNames?.length ? props.subjectAlternativeNames : undefined,
      validationMethod: validation.method,
      domainValidationOptions: this.renderValidationOptions(names, validation),
      // Only when given, as aws-cdk-lib does: KeyAlgorithm is create-only, so writing ACM's default would replace a migrated certificate.
      keyAlgorithm: props.keyAlgorithm?.name,
      certificateTransparencyLoggingPreference: renderTransparencyLogging(props.transparencyLogging),
      certificateExport: this.exportable ? 'ENABLED' : undefined,
    });
    cfn.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.DESTROY);
    // The raised quota, for PkiChecks (PKI-ACM6) and other template checks.
    if (maxNames > 10) cfn.addMetadata('cdk-pki:max-names', maxNames);
    for (const [key, value] of Object.entries(tags)) {
      Tags.of(cfn).add(key, value);
    }
    this.certificateArn = cfn.ref;

    warnIfTransparencyLoggingOff(this, props.transparencyLogging);
    if (validation.method === ValidationMethod.EMAIL) {
      Annotations.of(this).addWarningV2(
        'cdk-pki:email-validation',
        'Email validation blocks the deployment until every validation email is approved, and each renewal needs approval again. ' +
          'Prefer PublicCertificateValidation.fromDns() so ACM renews on its own.',
      );
    }
  }

  private validateKeyAlgorithm(): string[] {
    if (this.keyAlgorithm.requestable) {
      return [];
    }
    return [
      `key algorithm ${this.keyAlgorithm.name} is only for imported certificates: ACM issues RSA_2048, EC_prime256v1 and EC_secp384r1. ` +
        'Choose one of those, or import your own certificate with ImportedCertificate.',
    ];
  }

  private renderValidationOptions(
    names: string[],
    validation: PublicCertificateValidation,
  ): acm.CfnCertificate.DomainValidationOptionProperty[] | undefined {
    if (validation.method === ValidationMethod.EMAIL) {
      const plan = planEmailValidation(names, validation.validationDomains);
      throwIfProblems(this.node.path, plan.problems);
      return plan.entries.length ? plan.entries : undefined;
    }
    if (validation.hostedZones.length === 0) {
      return undefined;
    }
    const plan = planDnsValidation(names, validation.hostedZones.map(describeZone));
    throwIfProblems(this.node.path, plan.problems);
    return plan.entries.map((e) => ({ domainName: e.domainName, hostedZoneId: e.zone.hostedZoneId }));
  }
}
