import { Token } from 'aws-cdk-lib';
import { KeyFamily } from '../common/key-family';
import { isImportOnlyKeyAlgorithm } from '../validation/acm-facts';

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
  public static readonly RSA_2048 = new CertificateKeyAlgorithm('RSA_2048', KeyFamily.RSA);
  /** ECDSA key on NIST P-256: smaller and faster; not every old client supports ECDSA. */
  public static readonly EC_PRIME256V1 = new CertificateKeyAlgorithm('EC_prime256v1', KeyFamily.EC);
  /** ECDSA key on NIST P-384. CloudFront does not accept P-384 certificates. */
  public static readonly EC_SECP384R1 = new CertificateKeyAlgorithm('EC_secp384r1', KeyFamily.EC);
  /** RSA 1024-bit key: import only, and weak. */
  public static readonly RSA_1024 = new CertificateKeyAlgorithm('RSA_1024', KeyFamily.RSA);
  /** RSA 3072-bit key: import only. */
  public static readonly RSA_3072 = new CertificateKeyAlgorithm('RSA_3072', KeyFamily.RSA);
  /** RSA 4096-bit key: import only. */
  public static readonly RSA_4096 = new CertificateKeyAlgorithm('RSA_4096', KeyFamily.RSA);
  /** ECDSA key on NIST P-521: import only. */
  public static readonly EC_SECP521R1 = new CertificateKeyAlgorithm('EC_secp521r1', KeyFamily.EC);

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
    return new CertificateKeyAlgorithm(name, family);
  }

  /** Whether ACM can issue a requested certificate with this algorithm (otherwise it is for imported certificates only). */
  public readonly requestable: boolean;

  /**
   * @param name the value CloudFormation and the ACM API use
   * @param family RSA or EC
   */
  private constructor(
    public readonly name: string,
    public readonly family: KeyFamily,
  ) {
    this.requestable = !isImportOnlyKeyAlgorithm(name);
  }

  /** The ACM name of the algorithm. */
  public toString(): string {
    return this.name;
  }
}
