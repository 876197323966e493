import { Token } from 'aws-cdk-lib';
import { KeyFamily } from '../common/key-family';

/**
 * The key algorithm of a Private CA: the type and size of the key pair the CA creates for itself.
 *
 * A subordinate CA must use a key algorithm its parent supports, and every certificate a CA
 * signs is signed with an algorithm of the CA key's family.
 *
 * @see https://docs.aws.amazon.com/privateca/latest/APIReference/API_CertificateAuthorityConfiguration.html
 */
export class CaKeyAlgorithm {
  /** RSA 2048-bit key: every client supports it. */
  public static readonly RSA_2048 = new CaKeyAlgorithm('RSA_2048', KeyFamily.RSA, 2048);
  /** RSA 4096-bit key: the usual choice for a long-lived root. */
  public static readonly RSA_4096 = new CaKeyAlgorithm('RSA_4096', KeyFamily.RSA, 4096);
  /** ECDSA key on NIST P-256. */
  public static readonly EC_PRIME256V1 = new CaKeyAlgorithm('EC_prime256v1', KeyFamily.EC, 256);
  /** ECDSA key on NIST P-384. */
  public static readonly EC_SECP384R1 = new CaKeyAlgorithm('EC_secp384r1', KeyFamily.EC, 384);

  /**
   * An algorithm by its Private CA name, for values this library does not know yet (an escape hatch).
   *
   * The family is taken from the prefix (`EC` or `RSA`); anything else is passed through unchecked.
   * A blank name, or one with characters other than ASCII letters, digits and underscores, is
   * refused by the CA that uses it.
   *
   * @param name the `KeyAlgorithm` value, e.g. `EC_prime256v1`
   */
  public static of(name: string): CaKeyAlgorithm {
    const known = [CaKeyAlgorithm.RSA_2048, CaKeyAlgorithm.RSA_4096, CaKeyAlgorithm.EC_PRIME256V1, CaKeyAlgorithm.EC_SECP384R1].find(
      (a) => a.name === name,
    );
    return known ?? new CaKeyAlgorithm(name, familyOf(name), undefined);
  }

  /**
   * @param name the value CloudFormation and the Private CA API use
   * @param family RSA, EC, or undefined when unknown
   * @param bits the key size in bits, when known
   */
  private constructor(
    public readonly name: string,
    public readonly family: KeyFamily | undefined,
    public readonly bits: number | undefined,
  ) {}

  /** The Private CA name of the algorithm. */
  public toString(): string {
    return this.name;
  }
}

/**
 * The algorithm a Private CA signs with. Its family (RSA or ECDSA) must match the family of the
 * CA's key.
 *
 * @see https://docs.aws.amazon.com/privateca/latest/APIReference/API_CertificateAuthorityConfiguration.html
 */
export class CaSigningAlgorithm {
  /** SHA-256 with RSA. */
  public static readonly SHA256_WITH_RSA = new CaSigningAlgorithm('SHA256WITHRSA', KeyFamily.RSA);
  /** SHA-384 with RSA. */
  public static readonly SHA384_WITH_RSA = new CaSigningAlgorithm('SHA384WITHRSA', KeyFamily.RSA);
  /** SHA-512 with RSA. */
  public static readonly SHA512_WITH_RSA = new CaSigningAlgorithm('SHA512WITHRSA', KeyFamily.RSA);
  /** SHA-256 with ECDSA. */
  public static readonly SHA256_WITH_ECDSA = new CaSigningAlgorithm('SHA256WITHECDSA', KeyFamily.EC);
  /** SHA-384 with ECDSA. */
  public static readonly SHA384_WITH_ECDSA = new CaSigningAlgorithm('SHA384WITHECDSA', KeyFamily.EC);
  /** SHA-512 with ECDSA. */
  public static readonly SHA512_WITH_ECDSA = new CaSigningAlgorithm('SHA512WITHECDSA', KeyFamily.EC);

  /**
   * An algorithm by its Private CA name, for values this library does not know yet (an escape hatch).
   * A blank name, or one with characters other than ASCII letters, digits and underscores, is
   * refused by the CA that uses it.
   *
   * @param name the `SigningAlgorithm` value, e.g. `SHA256WITHRSA`
   */
  public static of(name: string): CaSigningAlgorithm {
    const known = [
      CaSigningAlgorithm.SHA256_WITH_RSA,
      CaSigningAlgorithm.SHA384_WITH_RSA,
      CaSigningAlgorithm.SHA512_WITH_RSA,
      CaSigningAlgorithm.SHA256_WITH_ECDSA,
      CaSigningAlgorithm.SHA384_WITH_ECDSA,
      CaSigningAlgorithm.SHA512_WITH_ECDSA,
    ].find((a) => a.name === name);
    if (known) {
      return known;
    }
    const upper = Token.isUnresolved(name) ? '' : name.toUpperCase();
    const family = upper.endsWith('WITHRSA') ? KeyFamily.RSA : upper.endsWith('WITHECDSA') ? KeyFamily.EC : undefined;
    return new CaSigningAlgorithm(name, family);
  }

  /**
   * The signing algorithm a CA with this key uses unless told otherwise: SHA-256 for RSA and P-256,
   * SHA-384 for P-384, SM3 for SM2.
   */
  public static defaultFor(key: CaKeyAlgorithm): CaSigningAlgorithm {
    if (key === CaKeyAlgorithm.EC_SECP384R1) {
      return CaSigningAlgorithm.SHA384_WITH_ECDSA;
    }
    if (key.name === 'SM2') {
      // SM2 keys (China regions) sign only with SM3.
      return CaSigningAlgorithm.of('SM3WITHSM2');
    }
    return key.family === KeyFamily.EC ? CaSigningAlgorithm.SHA256_WITH_ECDSA : CaSigningAlgorithm.SHA256_WITH_RSA;
  }

  /**
   * @param name the value CloudFormation and the Private CA API use
   * @param family the key family it signs with, or undefined when unknown
   */
  private constructor(
    public readonly name: string,
    public readonly family: KeyFamily | undefined,
  ) {}

  /** The Private CA name of the algorithm. */
  public toString(): string {
    return this.name;
  }
}

function familyOf(name: string): KeyFamily | undefined {
  if (Token.isUnresolved(name)) {
    return undefined;
  }
  const upper = name.toUpperCase();
  return upper.startsWith('RSA') ? KeyFamily.RSA : upper.startsWith('EC') ? KeyFamily.EC : undefined;
}

/**
 * Where the CA's private key is kept.
 *
 * @see https://docs.aws.amazon.com/privateca/latest/APIReference/API_CreateCertificateAuthority.html
 */
export enum KeyStorageSecurityStandard {
  /** FIPS 140-2 level 3 or higher: the service default, not available in every region (e.g. ap-northeast-3). */
  FIPS_140_2_LEVEL_3_OR_HIGHER = 'FIPS_140_2_LEVEL_3_OR_HIGHER',
  /** FIPS 140-2 level 2 or higher: required in regions without level 3 (e.g. ap-northeast-3). */
  FIPS_140_2_LEVEL_2_OR_HIGHER = 'FIPS_140_2_LEVEL_2_OR_HIGHER',
}

/**
 * What a CA issues.
 *
 * @see https://docs.aws.amazon.com/privateca/latest/userguide/short-lived-certificates.html
 */
export enum CaUsageMode {
  /** Certificates of any validity; ACM can issue and renew private certificates from the CA. */
  GENERAL_PURPOSE = 'GENERAL_PURPOSE',
  /** Certificates valid 7 days at most, at a lower monthly price. ACM cannot issue from such a CA. */
  SHORT_LIVED_CERTIFICATE = 'SHORT_LIVED_CERTIFICATE',
}
