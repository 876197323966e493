import { isCaTemplateName } from '../validation/ca-issuer';
/**
 * Private CA facts the PkiChecks rules compare against (internal); the ACM facts they share with the
 * constructs and handlers are in `src/validation/acm-facts.ts`.
 *
 * Sources: the Private CA user guide ("Supported cryptographic algorithms") and the Private CA API
 * reference (`KeyStorageSecurityStandard`, `S3ObjectAcl`).
 */

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
  return isCaTemplateName(match[1]);
}
