import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
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
  test('from a CA of this library: ACM certificate with the CA ARN, RSA_2048 (ACM\'s default, not written), after the ACM permission', () => {
    const { s, issuing } = setup();
    const cert = new PrivateCertificate(s, 'Api', { domainName: 'api.internal.example.com', subjectAlternativeNames: ['api2.internal.example.com'], certificateAuthority: issuing });
    const t = synthTemplate(s);
    const permission = t.getResourceId('AWS::ACMPCA::Permission');
    t.hasResource('AWS::CertificateManager::Certificate', {
      Properties: {
        DomainName: 'api.internal.example.com',
        SubjectAlternativeNames: ['api2.internal.example.com'],
        CertificateAuthorityArn: { Ref: s.getLogicalId(issuing.activation!) },
        KeyAlgorithm: Match.absent(),
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
        .toThrow(/key algorithm RSA_4096 is only for imported certificates/);
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

  describe('issue 14: moving from aws-cdk-lib without surprises', () => {
    function certificateProperties(s: Stack): any {
      return Object.values(synthTemplate(s).findResources('AWS::CertificateManager::Certificate'))[0].Properties;
    }

    test('issue 14 (1): KeyAlgorithm is written only when given or when an EC CA needs it; nothing else acm.PrivateCertificate leaves out', () => {
      const id = `Api${'x'.repeat(300)}`;
      const ours = new Stack(new App(), 'Stack', { env: ENV });
      const cert = new PrivateCertificate(ours, id, {
        domainName: 'api.internal',
        certificateAuthority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(ours, 'Ca', IMPORTED_CA),
      });
      const theirs = new Stack(new App(), 'Stack', { env: ENV });
      new acm.PrivateCertificate(theirs, id, {
        domainName: 'api.internal',
        certificateAuthority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(theirs, 'Ca', IMPORTED_CA),
      });
      const { Tags, ...mine } = certificateProperties(ours);
      // Only the Name tag (updated in place, never a replacement) differs; it keeps 255 characters of the path like acm.Certificate.
      expect(mine).toEqual(certificateProperties(theirs));
      expect(Tags).toEqual([{ Key: 'Name', Value: `Stack/${id}`.slice(0, 255) }]);
      expect(cert.keyAlgorithm).toBe(CertificateKeyAlgorithm.RSA_2048);

      const { s, issuing } = setup(CaKeyAlgorithm.EC_SECP384R1);
      new PrivateCertificate(s, 'Ec', { domainName: 'ec.internal', certificateAuthority: issuing });
      new PrivateCertificate(s, 'Rsa', { domainName: 'rsa.internal', certificateAuthority: importedCa(s), keyAlgorithm: CertificateKeyAlgorithm.RSA_2048 });
      const t = synthTemplate(s);
      t.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'ec.internal', KeyAlgorithm: 'EC_prime256v1' });
      t.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'rsa.internal', KeyAlgorithm: 'RSA_2048' });
    });

    test('issue 14 (7): certificateName and tags.Name together are refused; tags.Name alone names the certificate', () => {
      const s = new Stack(new App(), 'Stack', { env: ENV });
      expect(() => new PrivateCertificate(s, 'Api', { domainName: 'api.internal', certificateAuthority: importedCa(s), certificateName: 'api', tags: { Name: 'other' } }))
        .toThrow(/^Stack\/Api: certificateName "api" and tags.Name "other" both set the certificate's Name tag.*as certificateName or as tags.Name, not both/);
      new PrivateCertificate(s, 'Named', { domainName: 'api.internal', certificateAuthority: importedCa(s, 'Ca2'), tags: { Name: 'other' } });
      expect(certificateProperties(s).Tags).toEqual([{ Key: 'Name', Value: 'other' }]);
    });
  });
});

function importedCa(s: Stack, id = 'Ca'): acmpca.ICertificateAuthority {
  return acmpca.CertificateAuthority.fromCertificateAuthorityArn(s, id, IMPORTED_CA);
}
