import { Lazy } from 'aws-cdk-lib';
import { CaKeyAlgorithm, CaSigningAlgorithm, CertificateKeyAlgorithm } from '../../src';
import { validateAlgorithmName } from '../../src/validation/algorithm-name';
import { validateAlgorithmFamilies } from '../../src/validation/ca-rules';
import { validateKeyAlgorithm } from '../../src/validation/certificate-request';

const EXAMPLES = 'RSA_2048 or EC_prime256v1';

describe('validateAlgorithmName', () => {
  test.each(['RSA_2048', 'EC_prime256v1', 'SHA512WITHECDSA', 'SM2', 'SM3WITHSM2', 'ML_DSA_65', 'x'.repeat(64)])('%j is a name', (name) => {
    expect(validateAlgorithmName('key algorithm', name, EXAMPLES)).toEqual([]);
  });

  test.each<[string, string]>([
    ['', 'key algorithm "" is empty: use one of RSA_2048 or EC_prime256v1, or leave it unset for the default'],
    [' ', 'key algorithm " " is blank (only whitespace): use one of RSA_2048 or EC_prime256v1, or leave it unset for the default'],
    ['\t\n', 'key algorithm "\\t\\n" is blank (only whitespace): use one of RSA_2048 or EC_prime256v1, or leave it unset for the default'],
    ['RSA 2048', 'key algorithm "RSA 2048" contains " ": algorithm names have only ASCII letters, digits and underscores, as in RSA_2048 or EC_prime256v1'],
    [' RSA_2048', 'key algorithm " RSA_2048" contains " ": algorithm names have only ASCII letters, digits and underscores, as in RSA_2048 or EC_prime256v1'],
    ['EC-prime256v1;', 'key algorithm "EC-prime256v1;" contains "-", ";": algorithm names have only ASCII letters, digits and underscores, as in RSA_2048 or EC_prime256v1'],
    ['RSÄ_2048', 'key algorithm "RSÄ_2048" contains "Ä": algorithm names have only ASCII letters, digits and underscores, as in RSA_2048 or EC_prime256v1'],
    ['x'.repeat(65), `key algorithm "${'x'.repeat(65)}" is 65 characters long: algorithm names are short words such as RSA_2048 or EC_prime256v1`],
  ])('%j is refused', (name, message) => {
    expect(validateAlgorithmName('key algorithm', name, EXAMPLES)).toEqual([message]);
  });

  test('tokens pass (CloudFormation has the last word); a non-string is refused', () => {
    expect(validateAlgorithmName('key algorithm', Lazy.string({ produce: () => '' }), EXAMPLES)).toEqual([]);
    expect(validateAlgorithmName('signing algorithm', 42 as any, EXAMPLES)).toEqual(['signing algorithm 42 is not a string: use one of RSA_2048 or EC_prime256v1']);
  });
});

describe('CertificateKeyAlgorithm (B1)', () => {
  test('of() stays lenient for future names; the certificate reports a blank name', () => {
    expect(CertificateKeyAlgorithm.of('').name).toBe('');
    expect(validateKeyAlgorithm(CertificateKeyAlgorithm.of('').name)).toEqual([
      'key algorithm "" is empty: use one of RSA_2048, EC_prime256v1 or EC_secp384r1, or leave it unset for the default',
    ]);
    expect(validateKeyAlgorithm(CertificateKeyAlgorithm.of(' ').name)).toEqual([expect.stringMatching(/^key algorithm " " is blank \(only whitespace\)/)]);
    expect(validateKeyAlgorithm(CertificateKeyAlgorithm.of('SM2').name)).toEqual([]);
    for (const known of [CertificateKeyAlgorithm.RSA_2048, CertificateKeyAlgorithm.EC_PRIME256V1, CertificateKeyAlgorithm.EC_SECP384R1,
      CertificateKeyAlgorithm.RSA_1024, CertificateKeyAlgorithm.RSA_3072, CertificateKeyAlgorithm.RSA_4096, CertificateKeyAlgorithm.EC_SECP521R1]) {
      // Every predefined name is well formed; the import-only ones are refused for requested certificates, in one wording.
      expect(validateKeyAlgorithm(known.name)).toEqual(known.requestable ? [] : [
        `key algorithm ${known.name} is only for imported certificates: ACM issues RSA_2048, EC_prime256v1 and EC_secp384r1. ` +
          'Choose one of those, or import your own certificate with ImportedCertificate.',
      ]);
    }
  });
});

describe('CA algorithm names (B4)', () => {
  test('blank or malformed names are refused before the family check', () => {
    expect(validateAlgorithmFamilies(CaKeyAlgorithm.of(''), CaSigningAlgorithm.SHA256_WITH_RSA)).toEqual([
      'key algorithm "" is empty: use one of RSA_2048, RSA_4096, EC_prime256v1 or EC_secp384r1, or leave it unset for the default',
    ]);
    expect(validateAlgorithmFamilies(CaKeyAlgorithm.RSA_2048, CaSigningAlgorithm.of(' '))).toEqual([
      'signing algorithm " " is blank (only whitespace): use one of SHA256WITHRSA, SHA384WITHRSA, SHA512WITHRSA, SHA256WITHECDSA, ' +
        'SHA384WITHECDSA or SHA512WITHECDSA, or leave it unset for the default',
    ]);
    expect(validateAlgorithmFamilies(CaKeyAlgorithm.of('EC prime'), CaSigningAlgorithm.of('SHA256 WITH RSA'))).toHaveLength(2);
    expect(validateAlgorithmFamilies(CaKeyAlgorithm.of('SM2'), CaSigningAlgorithm.of('SM3WITHSM2'))).toEqual([]);
  });
});
