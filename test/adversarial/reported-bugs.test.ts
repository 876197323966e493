import { Duration, Stack } from 'aws-cdk-lib';
import { outcome } from './harness';
import { CertificateKeyAlgorithm } from '../../src/certificates/key-algorithm';
import { PrivateCertificate } from '../../src/certificates/private-certificate';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { CertificateMonitor } from '../../src/monitoring/certificate-monitor';
import { CaKeyAlgorithm, CaSigningAlgorithm } from '../../src/private-ca/ca-algorithms';
import { CaValidity } from '../../src/private-ca/ca-validity';
import { PrivateCaHierarchy } from '../../src/private-ca/private-ca-hierarchy';
import { RootCa } from '../../src/private-ca/root-ca';
import { SubordinateCa } from '../../src/private-ca/subordinate-ca';
import { PkiValidationError } from '../../src/validation/errors';

/*
 * Minimal demonstrations of the bugs the adversarial properties found (fast-check counterexamples, shrunk). Each test
 * asserts the correct behaviour and is marked `it.failing` until the construct is fixed; the properties skip the same
 * inputs through their `knownBug` predicates. After a fix: flip the test to `it` and delete the predicate.
 * B1-B7 are fixed.
 */

/** The construct must refuse with a PkiValidationError naming `path` and quoting `value`. */
function expectRefused(build: (stack: Stack) => void, path: string, value: string): void {
  const result = outcome(build);
  expect(result.kind).toBe('rejected');
  const error = (result as { error: unknown }).error;
  expect(error).toBeInstanceOf(PkiValidationError);
  expect((error as Error).message).toContain(path);
  expect((error as Error).message).toContain(value);
}

describe('bugs found by the adversarial properties', () => {
  // B1: ACM's KeyAlgorithm is an enum (RSA_2048, EC_prime256v1, EC_secp384r1); a blank name is accepted and reaches
  // the template as KeyAlgorithm "" (CloudFormation fails at deploy).
  it('B1 PublicCertificate refuses CertificateKeyAlgorithm.of("")', () => {
    expectRefused((stack) => new PublicCertificate(stack, 'Cert', { domainName: 'aa.example.com', keyAlgorithm: CertificateKeyAlgorithm.of('') }), 'Stack/Cert', 'key algorithm');
  });
  it('B1 PrivateCertificate refuses CertificateKeyAlgorithm.of(" ")', () => {
    expectRefused((stack) => new PrivateCertificate(stack, 'Cert', {
      domainName: 'aa.com',
      certificateAuthority: new RootCa(stack, 'Ca', { subject: { commonName: 'Root' }, revocation: { ocsp: true } }),
      keyAlgorithm: CertificateKeyAlgorithm.of(' '),
    }), 'Stack/Cert', 'key algorithm');
  });

  // B2: the ACM user guide (seed 003, DN-6): "Domain names beginning with xn-- must also be valid Internationalized
  // Domain Names" - its own example: xn--example.com is not valid. The validator never decodes punycode.
  it('B2 PublicCertificate refuses xn--example.com (not a valid IDN)', () => {
    expectRefused((stack) => new PublicCertificate(stack, 'Cert', { domainName: 'xn--example.com' }), 'Stack/Cert', '"xn--example.com"');
  });

  // B3: an end date after 9999-12-31 is accepted, and generalizedTime() renders the END_DATE from
  // "+010000-01-02T…" as a value that is not YYYYMMDDHHMMSS (IS-03).
  it('B3 RootCa refuses an end date after year 9999', () => {
    expectRefused((stack) => new RootCa(stack, 'Root', {
      subject: { commonName: 'Root' },
      validity: CaValidity.endDate(new Date(Date.UTC(10000, 0, 2))),
      revocation: { ocsp: true },
    }), 'Stack/Root', '+010000');
  });

  // B4: a blank CA key or signing algorithm name (CaKeyAlgorithm.of('')) is accepted and reaches the template.
  it('B4 RootCa refuses CaKeyAlgorithm.of("")', () => {
    expectRefused((stack) => new RootCa(stack, 'Root', { subject: { commonName: 'Root' }, keyAlgorithm: CaKeyAlgorithm.of(''), revocation: { ocsp: true } }), 'Stack/Root', 'key algorithm');
  });
  it('B4 RootCa refuses CaSigningAlgorithm.of(" ")', () => {
    expectRefused((stack) => new RootCa(stack, 'Root', { subject: { commonName: 'Root' }, signingAlgorithm: CaSigningAlgorithm.of(' '), revocation: { ocsp: true } }), 'Stack/Root', 'signing algorithm');
  });

  // B5: a path length computed over 3 surfaces in CDK's validation phase at synth (UnscopedValidationError), not as
  // a PkiValidationError when the construct is built. Counterexample: root -> Sub0 (unset) -> Sub1 (pathLength 3).
  it('B5 SubordinateCa refuses a computed path length of 4 with a PkiValidationError', () => {
    expectRefused((stack) => {
      const root = new RootCa(stack, 'Root', { subject: { commonName: 'Root' }, revocation: { ocsp: true } });
      const sub0 = new SubordinateCa(stack, 'Sub0', { parent: root, subject: { commonName: 'S0' }, revocation: { ocsp: true } });
      new SubordinateCa(stack, 'Sub1', { parent: sub0, subject: { commonName: 'S1' }, pathLength: 3, validity: CaValidity.duration(Duration.days(1)), revocation: { ocsp: true } });
      // The refusal must come while building, not from synthesis.
      for (const c of stack.node.findAll()) c.node.validate().forEach((m) => { throw new Error(m); });
    }, 'Stack/Sub', '4');
  });

  // B6: CA ids the hierarchy cannot use throw constructs' plain Error ("Only root constructs may have an empty ID",
  // "There is already a Construct with name 'CrlBucket'") instead of a PkiValidationError naming the hierarchy.
  it('B6 PrivateCaHierarchy refuses an empty CA id with a PkiValidationError', () => {
    expectRefused((stack) => new PrivateCaHierarchy(stack, 'Pki', {
      root: { id: '', subject: { commonName: 'Root' } },
      issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' } }],
    }), 'Stack/Pki', '""');
  });
  it('B6 PrivateCaHierarchy refuses (or renames) a CA with the id "CrlBucket"', () => {
    const result = outcome((stack) => new PrivateCaHierarchy(stack, 'Pki', {
      root: { id: 'CrlBucket', subject: { commonName: 'Root' } },
      issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' } }],
    }));
    expect(result.kind === 'accepted' || (result as { error: unknown }).error instanceof PkiValidationError).toBe(true);
  });

  // B7: quoteValue() (src/validation/errors.ts) quotes NaN and ±Infinity with JSON.stringify, which gives "null":
  // "daysToExpiryThreshold must be a whole number of days from 1 to 397 ..., got null".
  it('B7 CertificateMonitor quotes an infinite threshold as Infinity, not null', () => {
    expectRefused((stack) => new CertificateMonitor(stack, 'Monitor', { daysToExpiryThreshold: Number.POSITIVE_INFINITY }), 'Stack/Monitor', 'Infinity');
  });
});
