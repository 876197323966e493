import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { CertificateBase, importCertificateArn, IPkiCertificate } from './certificate-base';
import { applyCertificateRequest, CertificateRequestProps } from './certificate-request';
import { renderTransparencyLogging, warnIfTransparencyLoggingOff } from './certificate-warnings';
import { describeZone } from './hosted-zones';
import { CertificateKeyAlgorithm } from './key-algorithm';
import { PublicCertificateValidation, ValidationMethod } from './public-certificate-validation';
import { registerCostEstimate } from '../common/pki-cost-estimate';
import { validateCertificateRequest } from '../validation/certificate-request';
import { throwIfProblems } from '../validation/errors';
import { planDnsValidation, planEmailValidation } from '../validation/public-certificate-rules';

/** Properties of a `PublicCertificate`. */
export interface PublicCertificateProps extends CertificateRequestProps {
  /**
   * How ACM validates that you own the names.
   *
   * @default PublicCertificateValidation.fromDnsManual() - DNS validation with records you create
   */
  readonly validation?: PublicCertificateValidation;

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
   * What happens to the certificate when it leaves the stack. A public certificate can be
   * requested again at no cost, so it is deleted by default.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
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
   * Refers to an existing ACM certificate by ARN. A concrete ARN is checked for shape
   * (`arn:<partition>:acm:<region>:<account>:certificate/<uuid>`); metrics and event rules of the
   * returned certificate use the ARN's region.
   */
  public static fromCertificateArn(scope: Construct, id: string, certificateArn: string): IPkiCertificate {
    return importCertificateArn(scope, id, certificateArn);
  }

  public readonly certificateArn: string;

  /** The key algorithm of the certificate. */
  public readonly keyAlgorithm: CertificateKeyAlgorithm;

  /** How the certificate is validated. */
  public readonly validationMethod: ValidationMethod;

  protected readonly exportable?: boolean;

  constructor(scope: Construct, id: string, props: PublicCertificateProps) {
    super(scope, id);
    const validation = props.validation ?? PublicCertificateValidation.fromDnsManual();
    this.keyAlgorithm = props.keyAlgorithm ?? CertificateKeyAlgorithm.RSA_2048;
    this.validationMethod = validation.method;
    this.exportable = props.allowExport ?? false;

    const request = validateCertificateRequest(this.node.path, { ...props, keyAlgorithm: this.keyAlgorithm.name, publicCertificate: true });
    throwIfProblems(this.node.path, request.problems);

    const cfn = new acm.CfnCertificate(this, 'Resource', {
      domainName: props.domainName,
      subjectAlternativeNames: props.subjectAlternativeNames?.length ? props.subjectAlternativeNames : undefined,
      validationMethod: validation.method,
      domainValidationOptions: this.renderValidationOptions(request.names, validation),
      // Only when given, as aws-cdk-lib does: KeyAlgorithm is create-only, so writing ACM's default would replace a migrated certificate.
      keyAlgorithm: props.keyAlgorithm?.name,
      certificateTransparencyLoggingPreference: renderTransparencyLogging(props.transparencyLogging),
      certificateExport: this.exportable ? 'ENABLED' : undefined,
    });
    cfn.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.DESTROY);
    if (this.exportable) registerCostEstimate(this); // issue 17: exportable public certificates cost at issuance and renewal
    applyCertificateRequest(cfn, request);
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
