/**
 * ACM and Private CA facts the PkiChecks rules compare against (internal).
 *
 * Sources: the ACM API reference (RequestCertificate `KeyAlgorithm`: "Algorithms supported for an
 * ACM certificate request include RSA_2048, EC_prime256v1, EC_secp384r1. Other listed algorithms are
 * for imported certificates only", for public and private requests alike), the Private CA user guide
 * ("Supported cryptographic algorithms") and the Private CA API reference
 * (`KeyStorageSecurityStandard`, `S3ObjectAcl`).
 */

/** The key algorithms ACM can issue a requested (public or private) certificate with. */
export const REQUESTABLE_KEY_ALGORITHMS: readonly string[] = ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'];

/** The key algorithms of a Private CA. */
export const CA_KEY_ALGORITHMS: readonly string[] = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1', 'SM2',
];

/** The SHA-256-or-stronger signing algorithms of a Private CA. */
export const CA_SIGNING_ALGORITHMS: readonly string[] = [
  'SHA256WITHRSA', 'SHA384WITHRSA', 'SHA512WITHRSA',
  'SHA256WITHECDSA', 'SHA384WITHECDSA', 'SHA512WITHECDSA',
  'SM3WITHSM2',
];

/** Regions whose Private CA offers only FIPS 140-2 level 2 key storage. */
export const LEVEL_2_ONLY_REGIONS: readonly string[] = ['ap-northeast-3'];

/** ACM's default quota of names (domain name + SANs) per certificate. */
export const DEFAULT_MAX_NAMES = 10;

/** The CloudFormation metadata key in which `PublicCertificate` records a raised name quota. */
export const MAX_NAMES_METADATA_KEY = 'cdk-pki:max-names';

/** The region CloudFront reads viewer certificates from. */
export const CLOUDFRONT_CERTIFICATE_REGION = 'us-east-1';

/** The family of a key algorithm: RSA, EC or SM2; `undefined` when unknown. */
export function keyFamily(keyAlgorithm: string): 'RSA' | 'EC' | 'SM2' | undefined {
  if (keyAlgorithm.startsWith('RSA_')) return 'RSA';
  if (keyAlgorithm.startsWith('EC_')) return 'EC';
  if (keyAlgorithm === 'SM2') return 'SM2';
  return undefined;
}

/** The key family a signing algorithm signs with; `undefined` when unknown. */
export function signingFamily(signingAlgorithm: string): 'RSA' | 'EC' | 'SM2' | undefined {
  if (signingAlgorithm.endsWith('WITHRSA')) return 'RSA';
  if (signingAlgorithm.endsWith('WITHECDSA')) return 'EC';
  if (signingAlgorithm === 'SM3WITHSM2') return 'SM2';
  return undefined;
}

/**
 * Whether a Private CA template ARN (or its text with `${AWS::Partition}`) names a CA template:
 * `RootCACertificate*`, `SubordinateCACertificate_PathLenN*` or their `Blank...` variants.
 * `undefined` when the text is not a template ARN.
 */
export function isCaTemplate(templateArnText: string): boolean | undefined {
  const match = /:acm-pca:::template\/([^/]+)\/V\d+$/.exec(templateArnText);
  if (!match) return undefined;
  return /^(Blank)?(Root|Subordinate)CACertificate/.test(match[1]);
}

/** The region field of an ARN (`arn:partition:service:region:account:resource`), if it has one. */
export function arnRegion(arnText: string): string | undefined {
  const parts = arnText.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[3] : undefined;
}
