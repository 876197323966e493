import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CaKeyAlgorithm, CaUsageMode, CertificateKeyAlgorithm, PrivateCertificate, RootCa, SubordinateCa } from '../../src';
import { synthTemplate } from '../harness/cfn-lint';

const ENV = { account: '123456789012', region: 'eu-west-1' };
const IMPORTED_CA = 'arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/12345678-1234-1234-1234-123456789012';

function setup(keyAlgorithm = CaKeyAlgorithm.RSA_2048, usageMode?: CaUsageMode) {
  const app = new App();
  const s = new Stack(app, 'Stack', { env: ENV });
  const root = new RootCa(s, 'Root', { subject: { commonName: 'Root' }, revocation: { ocsp: true } });
  const issuing = new SubordinateCa(s, 'Issuing', { parent: root, subject: { commonName: 'Issuing' }, keyAlgorithm, usageMode, revocation: { ocsp: true } });
  return { app, s, issuing };
}

function warnings(c: { node: { metadata: Array<{ type: string; data: unknown }> } }): string {
  return c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)).join('\n');
}

describe('PrivateCertificate', () => {
  test('from a CA of this library: ACM certificate with the CA ARN, RSA_2048, after the ACM permission', () => {
    const { s, issuing } = setup();
    const cert = new PrivateCertificate(s, 'Api', { domainName: 'api.internal.example.com', subjectAlternativeNames: ['api2.internal.example.com'], certificateAuthority: issuing });
    const t = synthTemplate(s);
    const permission = t.getResourceId('AWS::ACMPCA::Permission');
    t.hasResource('AWS::CertificateManager::Certificate', {
      Properties: {
        DomainName: 'api.internal.example.com',
        SubjectAlternativeNames: ['api2.internal.example.com'],
        CertificateAuthorityArn: { Ref: s.getLogicalId(issuing.activation!) },
        KeyAlgorithm: 'RSA_2048',
        ValidationMethod: Match.absent(),
        Tags: [{ Key: 'Name', Value: 'Stack/Api' }],
      },
      DependsOn: [permission],
      DeletionPolicy: 'Delete',
    });
    t.hasResourceProperties('AWS::ACMPCA::Permission', { Principal: 'acm.amazonaws.com', CertificateAuthorityArn: { Ref: s.getLogicalId(issuing.activation!) } });
    expect(warnings(cert)).toBe('');
  });

  test('the key follows an EC CA by default; exportable, so grantExport works', () => {
    const { s, issuing } = setup(CaKeyAlgorithm.EC_SECP384R1);
    const cert = new PrivateCertificate(s, 'Api', { domainName: 'api.internal', certificateAuthority: issuing });
    cert.grantExport(new iam.Role(s, 'Role', { assumedBy: new iam.AccountRootPrincipal() }));
    const t = synthTemplate(s);
    t.hasResourceProperties('AWS::CertificateManager::Certificate', { KeyAlgorithm: 'EC_prime256v1' });
    t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [Match.objectLike({ Action: 'acm:ExportCertificate' })] } });
    expect(cert.keyAlgorithm).toBe(CertificateKeyAlgorithm.EC_PRIME256V1);
  });

  test('several certificates share one ACM permission', () => {
    const { s, issuing } = setup();
    new PrivateCertificate(s, 'A', { domainName: 'a.internal', certificateAuthority: issuing });
    new PrivateCertificate(s, 'B', { domainName: 'b.internal', certificateAuthority: issuing });
    synthTemplate(s).resourceCountIs('AWS::ACMPCA::Permission', 1);
  });

  test('from an imported CA: no permission, a warning that explains what renewal needs', () => {
    const s = new Stack(new App(), 'Stack', { env: ENV });
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(s, 'Ca', IMPORTED_CA);
    const cert = new PrivateCertificate(s, 'Api', { domainName: 'api.internal', certificateAuthority: ca, keyAlgorithm: CertificateKeyAlgorithm.EC_SECP384R1 });
    const t = synthTemplate(s);
    t.resourceCountIs('AWS::ACMPCA::Permission', 0);
    t.hasResourceProperties('AWS::CertificateManager::Certificate', { CertificateAuthorityArn: IMPORTED_CA, KeyAlgorithm: 'EC_secp384r1' });
    expect(warnings(cert)).toMatch(/ACM renews this certificate only if the CA lets it/);
  });

  test('a CA of this library in another account gets no permission from here', () => {
    const app = new App();
    const caStack = new Stack(app, 'Ca', { env: { account: '111122223333', region: 'eu-west-1' } });
    const root = new RootCa(caStack, 'Root', { subject: { commonName: 'Root' }, revocation: { ocsp: true } });
    const s = new Stack(app, 'Stack', { env: ENV });
    new PrivateCertificate(s, 'Api', { domainName: 'api.internal', certificateAuthority: root });
    synthTemplate(caStack).resourceCountIs('AWS::ACMPCA::Permission', 0);
  });

  describe('synth-time errors', () => {
    test('key family differs from the CA', () => {
      const { s, issuing } = setup(CaKeyAlgorithm.EC_PRIME256V1);
      expect(() => new PrivateCertificate(s, 'Api', { domainName: 'api.internal', certificateAuthority: issuing, keyAlgorithm: CertificateKeyAlgorithm.RSA_2048 }))
        .toThrow(/Stack\/Api: key algorithm RSA_2048 is RSA but CA Stack\/Issuing has a EC key \(EC_prime256v1\).*EC_prime256v1 or EC_secp384r1/);
    });

    test('a short-lived CA', () => {
      const { s, issuing } = setup(CaKeyAlgorithm.RSA_2048, CaUsageMode.SHORT_LIVED_CERTIFICATE);
      expect(() => new PrivateCertificate(s, 'Api', { domainName: 'api.internal', certificateAuthority: issuing }))
        .toThrow(/Stack\/Issuing is a SHORT_LIVED_CERTIFICATE CA, which ACM cannot issue from/);
    });

    test('an import-only key algorithm', () => {
      const { s, issuing } = setup();
      expect(() => new PrivateCertificate(s, 'Api', { domainName: 'api.internal', certificateAuthority: issuing, keyAlgorithm: CertificateKeyAlgorithm.RSA_4096 }))
        .toThrow(/key algorithm RSA_4096 cannot be requested/);
    });

    test('bad names, duplicates and too many names', () => {
      const { s, issuing } = setup();
      expect(() => new PrivateCertificate(s, 'Bad', { domainName: '-bad.internal', certificateAuthority: issuing })).toThrow(/Stack\/Bad: /);
      expect(() => new PrivateCertificate(s, 'Dup', { domainName: 'a.internal', subjectAlternativeNames: ['A.internal'], certificateAuthority: issuing })).toThrow(/Stack\/Dup: .*A.internal/);
      const many = Array.from({ length: 11 }, (_, i) => `n${i}.internal`);
      expect(() => new PrivateCertificate(s, 'Many', { domainName: 'x.internal', subjectAlternativeNames: many, certificateAuthority: issuing })).toThrow(/Stack\/Many: /);
      expect(() => new PrivateCertificate(s, 'Quota', { domainName: 'x.internal', certificateAuthority: issuing, maxNames: 101 })).toThrow(/Stack\/Quota: /);
      // B2: an "xn--" label must be valid punycode.
      expect(() => new PrivateCertificate(s, 'Idn', { domainName: 'api.xn--a.internal', certificateAuthority: issuing }))
        .toThrow(/^Stack\/Idn: domain name "api.xn--a.internal" has labels starting with "xn--" that are not valid punycode \(IDN\) labels: "xn--a"\./);
      // Non-finite numbers are refused and printed as such (B7).
      expect(() => new PrivateCertificate(s, 'Inf', { domainName: 'x.internal', certificateAuthority: issuing, maxNames: Infinity }))
        .toThrow(/^Stack\/Inf: maxNames Infinity is not a whole number from 1 to 100/);
      expect(() => new PrivateCertificate(s, 'NaN', { domainName: 'x.internal', certificateAuthority: issuing, maxNames: NaN }))
        .toThrow(/^Stack\/NaN: maxNames NaN is not a whole number from 1 to 100/);
    });
  });
});
