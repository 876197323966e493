import { Token } from 'aws-cdk-lib';
import { validateAlgorithmName } from '../validation/algorithm-name';

/**
 * The family of a key algorithm. A private certificate's key must be of the same family as
 * its CA's key.
 */
export enum KeyFamily {
  /** RSA keys. */
  RSA = 'RSA',
  /** Elliptic-curve (ECDSA) keys. */
  EC = 'EC',
}

/**
 * The key algorithm of an ACM certificate.
 *
 * ACM issues (requests) certificates with `RSA_2048`, `EC_prime256v1` and `EC_secp384r1`. The other
 * algorithms exist only for imported certificates.
 *
 * @see https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate-characteristics.html
 */
export class CertificateKeyAlgorithm {
  /** RSA 2048-bit key: the default, and what every client supports. */
  public static readonly RSA_2048 = new CertificateKeyAlgorithm('RSA_2048', KeyFamily.RSA, true);
  /** ECDSA key on NIST P-256: smaller and faster; not every old client supports ECDSA. */
  public static readonly EC_PRIME256V1 = new CertificateKeyAlgorithm('EC_prime256v1', KeyFamily.EC, true);
  /** ECDSA key on NIST P-384. CloudFront does not accept P-384 certificates. */
  public static readonly EC_SECP384R1 = new CertificateKeyAlgorithm('EC_secp384r1', KeyFamily.EC, true);
  /** RSA 1024-bit key: import only, and weak. */
  public static readonly RSA_1024 = new CertificateKeyAlgorithm('RSA_1024', KeyFamily.RSA, false);
  /** RSA 3072-bit key: import only. */
  public static readonly RSA_3072 = new CertificateKeyAlgorithm('RSA_3072', KeyFamily.RSA, false);
  /** RSA 4096-bit key: import only. */
  public static readonly RSA_4096 = new CertificateKeyAlgorithm('RSA_4096', KeyFamily.RSA, false);
  /** ECDSA key on NIST P-521: import only. */
  public static readonly EC_SECP521R1 = new CertificateKeyAlgorithm('EC_secp521r1', KeyFamily.EC, false);

  /**
   * An algorithm by its ACM name, for values this library does not know yet.
   *
   * The family is taken from the prefix (`RSA` or `EC`); an algorithm given this way is assumed to
   * be requestable, so ACM has the last word. A blank name, or one with characters other than ASCII
   * letters, digits and underscores, is refused by the certificate that uses it.
   *
   * @param name the ACM `KeyAlgorithm` value, e.g. `EC_prime256v1`
   */
  public static of(name: string): CertificateKeyAlgorithm {
    const known = [
      CertificateKeyAlgorithm.RSA_2048,
      CertificateKeyAlgorithm.EC_PRIME256V1,
      CertificateKeyAlgorithm.EC_SECP384R1,
      CertificateKeyAlgorithm.RSA_1024,
      CertificateKeyAlgorithm.RSA_3072,
      CertificateKeyAlgorithm.RSA_4096,
      CertificateKeyAlgorithm.EC_SECP521R1,
    ].find((a) => a.name === name);
    if (known) {
      return known;
    }
    const family = !Token.isUnresolved(name) && name.toUpperCase().startsWith('EC') ? KeyFamily.EC : KeyFamily.RSA;
    return new CertificateKeyAlgorithm(name, family, true);
  }

  /**
   * @param name the value CloudFormation and the ACM API use
   * @param family RSA or EC
   * @param requestable whether ACM can issue a certificate with this algorithm (otherwise import only)
   */
  private constructor(
    public readonly name: string,
    public readonly family: KeyFamily,
    public readonly requestable: boolean,
  ) {}

  /**
   * Problems with the name (blank, or characters no ACM name has), for the certificate to report
   * under its construct path. Empty for every predefined algorithm.
   *
   * @internal
   */
  public _nameProblems(): string[] {
    return validateAlgorithmName('key algorithm', this.name, 'RSA_2048, EC_prime256v1 or EC_secp384r1');
  }

  /** The ACM name of the algorithm. */
  public toString(): string {
    return this.name;
  }
}
