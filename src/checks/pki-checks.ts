import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { withResolutionCache } from './cfn-references';
import { pkiRuleCatalog } from './rule-catalog';
import { acm1EmailValidation } from './rules/acm1-email-validation';
import { acm2TransparencyLogging } from './rules/acm2-transparency-logging';
import { acm3KeyAlgorithm } from './rules/acm3-key-algorithm';
import { acm4HttpWildcard } from './rules/acm4-http-wildcard';
import { acm5CloudFrontCertificateRegion } from './rules/acm5-cloudfront-certificate-region';
import { acm6NameQuota } from './rules/acm6-name-quota';
import { acm7UnexportedExportable } from './rules/acm7-unexported-exportable';
import { pca1CaAlgorithms } from './rules/pca1-ca-algorithms';
import { pca10CaTags } from './rules/pca10-ca-tags';
import { pca11CaRetained } from './rules/pca11-ca-retained';
import { pca12RetainedCaDependents } from './rules/pca12-retained-ca-dependents';
import { pca13UnconditionedIssue } from './rules/pca13-unconditioned-issue';
import { pca14TrustAnchorWithoutCrl } from './rules/pca14-trust-anchor-without-crl';
import { pca2AlgorithmFamilies } from './rules/pca2-algorithm-families';
import { pca3Revocation } from './rules/pca3-revocation';
import { pca4CrlObjectAcl } from './rules/pca4-crl-object-acl';
import { pca5CrlBucket } from './rules/pca5-crl-bucket';
import { pca6KeyStorage } from './rules/pca6-key-storage';
import { pca7IssuedByRoot } from './rules/pca7-issued-by-root';
import { pca8AcmRenewalPermission } from './rules/pca8-acm-renewal-permission';
import { pca9ShortLivedIssuer } from './rules/pca9-short-lived-issuer';

/** The check of each rule, by rule suffix. */
const CHECKS: Record<string, (node: CfnResource) => NagRuleResult> = {
  ACM1: acm1EmailValidation,
  ACM2: acm2TransparencyLogging,
  ACM3: acm3KeyAlgorithm,
  ACM4: acm4HttpWildcard,
  ACM5: acm5CloudFrontCertificateRegion,
  ACM6: acm6NameQuota,
  ACM7: acm7UnexportedExportable,
  PCA1: pca1CaAlgorithms,
  PCA2: pca2AlgorithmFamilies,
  PCA3: pca3Revocation,
  PCA4: pca4CrlObjectAcl,
  PCA5: pca5CrlBucket,
  PCA6: pca6KeyStorage,
  PCA7: pca7IssuedByRoot,
  PCA8: pca8AcmRenewalPermission,
  PCA9: pca9ShortLivedIssuer,
  PCA10: pca10CaTags,
  PCA11: pca11CaRetained,
  PCA12: pca12RetainedCaDependents,
  PCA13: pca13UnconditionedIssue,
  PCA14: pca14TrustAnchorWithoutCrl,
};

const RULES = pkiRuleCatalog().map((info) => ({
  ...info,
  level: info.level === 'Error' ? NagMessageLevel.ERROR : NagMessageLevel.WARN,
  check: CHECKS[info.suffix],
}));

/**
 * A cdk-nag v3 rule pack for ACM certificates and AWS Private CA resources, in any CDK app: it
 * reads the CloudFormation resources (`AWS::CertificateManager::Certificate`,
 * `AWS::ACMPCA::CertificateAuthority`, `AWS::ACMPCA::Certificate`,
 * `AWS::CloudFront::Distribution`, IAM policies that allow `acm-pca:IssueCertificate`,
 * `AWS::RolesAnywhere::TrustAnchor`, and the CRL
 * bucket, activations and permissions they refer to), so it checks
 * `Cfn*` resources, aws-cdk-lib's L2s and this library's constructs alike.
 *
 * Rule IDs are `PKI-ACM1`..`PKI-ACM7` and `PKI-PCA1`..`PKI-PCA14` (the README lists what each
 * checks). A value CloudFormation only knows at deploy time (a parameter, an imported ARN) is not
 * reported: rules check what the template tells at synth time.
 *
 * @example
 * const app = new App();
 * const stack = new Stack(app, 'Pki');
 * const root = new RootCa(stack, 'Root', { subject: { commonName: 'Lab Root CA' }, revocation: { ocsp: true } });
 * const device = new PrivateCertificate(stack, 'Device', { domainName: 'device.lab.example', certificateAuthority: root });
 * Validations.of(app).addPlugins(new PkiChecks());
 *
 * // Accept one finding on one construct (and everything below it), with the reason on record:
 * Validations.of(device).acknowledge({ id: 'PKI-PCA7', reason: 'Lab PKI: a single-level hierarchy on purpose' });
 */
export class PkiChecks extends NagPack {
  public readonly name: string = 'PKI';

  /**
   * @param scope where acknowledgements are written into CloudFormation metadata when
   *   `writeSuppressionsToCloudFormation` is set (usually the app)
   * @param props cdk-nag pack options
   */
  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'PKI';
  }

  /**
   * Checks every CloudFormation resource below `scope`.
   *
   * The entry point for tests and direct use; the CDK validation framework calls it through
   * `validate`. Each resource is rendered once per call, however many rules read it.
   *
   * @param scope an app, stage or stack
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return withResolutionCache(() => super.validateScope(scope));
  }

  protected checkResource(node: CfnResource): void {
    for (const rule of RULES) {
      if (!rule.resourceTypes.includes(node.cfnResourceType)) continue;
      this.applyRule({
        ruleSuffixOverride: rule.suffix,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level,
        node,
        rule: rule.check,
      });
    }
  }
}
