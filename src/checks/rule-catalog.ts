/**
 * The PkiChecks rules as data: IDs, levels, resource types and messages. The same IDs name the
 * rules of the cfn-guard file `rules/pki-checks.guard`, so they are a public contract: never
 * renumber or reuse one. (Internal: not exported from the package index.)
 */

/** How serious a finding is (the values of cdk-nag's `NagMessageLevel`). */
export type PkiRuleLevel = 'Error' | 'Warning';

/** One rule of the pack. */
export interface PkiRuleInfo {
  /** The full rule ID, e.g. `PKI-ACM1`. */
  readonly id: string;
  /** The part after `PKI-`, e.g. `ACM1`. */
  readonly suffix: string;
  /** Error or Warning. */
  readonly level: PkiRuleLevel;
  /** The CloudFormation resource types the rule reports on. */
  readonly resourceTypes: readonly string[];
  /** What is wrong and how to fix it (cdk-nag's `info`). */
  readonly info: string;
  /** Why it matters (cdk-nag's `explanation`). */
  readonly explanation: string;
}

const CERTIFICATE = 'AWS::CertificateManager::Certificate';
const CA = 'AWS::ACMPCA::CertificateAuthority';

const RULES: readonly PkiRuleInfo[] = [
  {
    id: 'PKI-ACM1',
    suffix: 'ACM1',
    level: 'Warning',
    resourceTypes: [CERTIFICATE],
    info: 'The public ACM certificate is validated by email (ValidationMethod EMAIL, or absent, which CloudFormation treats as EMAIL). Set ValidationMethod: DNS (PublicCertificateValidation.fromDns()).',
    explanation: 'Email validation blocks the deployment until someone approves the emails, and every renewal needs approval again; DNS-validated certificates renew on their own.',
  },
  {
    id: 'PKI-ACM2',
    suffix: 'ACM2',
    level: 'Error',
    resourceTypes: [CERTIFICATE],
    info: 'The public ACM certificate has CertificateTransparencyLoggingPreference: DISABLED. Remove the property (or set ENABLED).',
    explanation: 'Browsers distrust public certificates that are not in Certificate Transparency logs, and ACM no longer honours the opt-out for new public certificates.',
  },
  {
    id: 'PKI-ACM3',
    suffix: 'ACM3',
    level: 'Error',
    resourceTypes: [CERTIFICATE],
    info: 'The ACM certificate asks for a key algorithm ACM cannot issue. Use RSA_2048, EC_prime256v1 or EC_secp384r1 (the others are for imported certificates only).',
    explanation: 'RequestCertificate accepts only RSA_2048, EC_prime256v1 and EC_secp384r1, for public and private certificates alike; any other value fails the deployment.',
  },
  {
    id: 'PKI-ACM4',
    suffix: 'ACM4',
    level: 'Error',
    resourceTypes: [CERTIFICATE],
    info: 'The ACM certificate uses HTTP validation for a wildcard name. Use DNS validation for wildcard names, or list the host names one by one.',
    explanation: 'HTTP validation, offered only for CloudFront, cannot validate wildcard names: the request fails.',
  },
  {
    id: 'PKI-ACM5',
    suffix: 'ACM5',
    level: 'Error',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    info: 'The CloudFront distribution uses a viewer certificate outside us-east-1. Request or import the certificate in us-east-1 (e.g. a stack in us-east-1 or DnsValidatedCertificate with region us-east-1).',
    explanation: 'CloudFront only accepts ACM certificates from US East (N. Virginia); any other region fails the deployment.',
  },
  {
    id: 'PKI-ACM6',
    suffix: 'ACM6',
    level: 'Warning',
    resourceTypes: [CERTIFICATE],
    info: 'The ACM certificate has more than 10 names (DomainName plus SANs), ACM\'s default quota. Raise the quota through Service Quotas and record it (PublicCertificate maxNames, or CloudFormation metadata cdk-pki:max-names), or split the names over several certificates.',
    explanation: 'ACM refuses a request with more names than the account\'s quota, which is 10 unless raised; the deployment fails.',
  },
  {
    id: 'PKI-ACM7',
    suffix: 'ACM7',
    level: 'Warning',
    resourceTypes: [CERTIFICATE],
    info: 'The ACM certificate is exportable (CertificateExport: ENABLED) but no CertificateExport of this stack exports it. Export it with CertificateExport, or remove CertificateExport (allowExport).',
    explanation: 'ACM charges for exportable public certificates at issuance and at every renewal: an exportable certificate nobody exports costs money for nothing.',
  },
  {
    id: 'PKI-PCA1',
    suffix: 'PCA1',
    level: 'Error',
    resourceTypes: [CA],
    info: 'The CA uses a key algorithm Private CA does not offer or a signing algorithm weaker than SHA-256. Use RSA_2048/3072/4096, EC_prime256v1/secp384r1/secp521r1 or SM2, signing with SHA256/384/512 WITHRSA or WITHECDSA (or SM3WITHSM2).',
    explanation: 'Weak keys and SHA-1 signatures are broken or refused by clients; unknown algorithms fail the deployment.',
  },
  {
    id: 'PKI-PCA2',
    suffix: 'PCA2',
    level: 'Error',
    resourceTypes: [CA],
    info: 'The CA signs with an algorithm of another family than its key. Pair RSA keys with *WITHRSA, EC keys with *WITHECDSA and SM2 with SM3WITHSM2.',
    explanation: 'A CA can only sign with its own key, so a mismatched signing algorithm fails the deployment.',
  },
  {
    id: 'PKI-PCA3',
    suffix: 'PCA3',
    level: 'Warning',
    resourceTypes: [CA],
    info: 'The general-purpose CA has neither a CRL nor OCSP. Enable RevocationConfiguration.CrlConfiguration (with a CrlBucket) or OcspConfiguration.',
    explanation: 'Without a CRL or OCSP, relying parties cannot learn that a certificate was revoked, so a compromised key stays trusted until the certificate expires.',
  },
  {
    id: 'PKI-PCA4',
    suffix: 'PCA4',
    level: 'Error',
    resourceTypes: [CA],
    info: 'The CA writes its CRL with the PUBLIC_READ object ACL (the default when S3ObjectAcl is absent). Set S3ObjectAcl: BUCKET_OWNER_FULL_CONTROL and serve CRLs through CloudFront (CrlBucket publicDistribution).',
    explanation: 'PUBLIC_READ needs a bucket that allows public ACLs, and fails against a bucket or account with Block Public Access on.',
  },
  {
    id: 'PKI-PCA5',
    suffix: 'PCA5',
    level: 'Error',
    resourceTypes: [CA],
    info: 'The CRL bucket lacks Block Public Access (all four settings), a bucket-policy statement denying aws:SecureTransport false, or an aws:SourceAccount / aws:SourceArn condition on the statement that lets acm-pca.amazonaws.com write. Use CrlBucket, or add what is missing.',
    explanation: 'Without these, the bucket can be made public, accepts plain-HTTP requests, and any account\'s CA could write into it through the service principal (confused deputy).',
  },
  {
    id: 'PKI-PCA6',
    suffix: 'PCA6',
    level: 'Warning',
    resourceTypes: [CA],
    info: 'The CA asks for FIPS 140-2 level 2 key storage in a region that offers level 3. Remove KeyStorageSecurityStandard (level 3 is the default) or set FIPS_140_2_LEVEL_3_OR_HIGHER.',
    explanation: 'Level 3 hardware protects the CA key better; level 2 is only needed in the few regions without level 3, such as ap-northeast-3.',
  },
  {
    id: 'PKI-PCA7',
    suffix: 'PCA7',
    level: 'Warning',
    resourceTypes: [CERTIFICATE, 'AWS::ACMPCA::Certificate'],
    info: 'An end-entity certificate is issued directly by a root CA. Issue it from a subordinate CA (PrivateCaHierarchy, SubordinateCa) and keep the root for signing CAs.',
    explanation: 'A root that issues end-entity certificates must stay online and be used often, which raises the risk to the key every certificate in the hierarchy trusts.',
  },
  {
    id: 'PKI-PCA8',
    suffix: 'PCA8',
    level: 'Error',
    resourceTypes: [CERTIFICATE],
    info: 'The private ACM certificate comes from a CA of this stack without an AWS::ACMPCA::Permission for acm.amazonaws.com (IssueCertificate, GetCertificate, ListPermissions). Add the permission (RootCa/SubordinateCa allowAcmRenewal()).',
    explanation: 'ACM renews private certificates only with this permission on the CA; without it renewal fails and the certificate expires.',
  },
  {
    id: 'PKI-PCA9',
    suffix: 'PCA9',
    level: 'Error',
    resourceTypes: [CERTIFICATE],
    info: 'The private ACM certificate comes from a CA in SHORT_LIVED_CERTIFICATE usage mode. Use a GENERAL_PURPOSE CA for ACM certificates, or issue short-lived certificates with acm-pca:IssueCertificate.',
    explanation: 'ACM cannot issue or renew certificates from a short-lived-certificate CA; the request fails.',
  },
  {
    id: 'PKI-PCA10',
    suffix: 'PCA10',
    level: 'Warning',
    resourceTypes: [CA],
    info: 'The CA has no tags. Tag it (e.g. owner, environment, purpose).',
    explanation: 'A CA costs money every month and anchors trust for many systems: tags tell who owns it and what depends on it.',
  },
  {
    id: 'PKI-PCA11',
    suffix: 'PCA11',
    level: 'Warning',
    resourceTypes: [CA],
    info: 'The CA\'s DeletionPolicy is neither Retain nor RetainExceptOnCreate. Set DeletionPolicy: RetainExceptOnCreate (removalPolicy RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, the default of RootCa and SubordinateCa) or Retain.',
    explanation: 'With CloudFormation\'s default, Delete, removing the CA from the stack deletes it, and every certificate it issued stops being trusted.',
  },
  {
    id: 'PKI-PCA12',
    suffix: 'PCA12',
    level: 'Error',
    resourceTypes: [CA],
    info: 'The CA is retained, but its AWS::ACMPCA::CertificateAuthorityActivation or its AWS::ACMPCA::Permission is not (DeletionPolicy neither Retain nor RetainExceptOnCreate). Give them the CA\'s DeletionPolicy (RootCa/SubordinateCa do it for you).',
    explanation: 'Deleting the activation disables the CA and deleting the permission stops ACM renewals: after a stack deletion or a refactor the retained CA is useless, and every ACM private certificate it issued fails to renew.',
  },
  {
    id: 'PKI-PCA13',
    suffix: 'PCA13',
    level: 'Error',
    resourceTypes: ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'],
    info: 'An IAM policy allows acm-pca:IssueCertificate without an acm-pca:TemplateArn condition. Restrict it to end-entity templates (grantIssueCertificate does by default) and name CA templates explicitly where a principal must issue CAs.',
    explanation: 'Without the condition the grantee may use any template, SubordinateCACertificate_PathLen* included, and mint a subordinate CA that everything trusting the hierarchy trusts.',
  },
  {
    id: 'PKI-PCA14',
    suffix: 'PCA14',
    level: 'Error',
    resourceTypes: ['AWS::RolesAnywhere::TrustAnchor'],
    info: 'The IAM Roles Anywhere trust anchor (source AWS_ACM_PCA) trusts a CA of this stack that has no CRL. Give the CA a CRL (revocation: { crlBucket }, see CrlBucket) and keep the trust anchor\'s CRL in sync (RolesAnywhereTrustAnchor does it).',
    explanation: 'Roles Anywhere checks revocation only against the CRLs imported for the trust anchor: without a CRL it keeps vending AWS credentials to hosts whose certificates were revoked.',
  },
];

/** Every rule of PkiChecks, in ID order (a copy; pure data, for tooling such as the cfn-guard file). */
export function pkiRuleCatalog(): PkiRuleInfo[] {
  return RULES.map((r) => ({ ...r, resourceTypes: [...r.resourceTypes] }));
}
