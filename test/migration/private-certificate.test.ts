import { Stack, Tags } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import { migrate } from './migration-app';
import { CertificateKeyAlgorithm, PrivateCertificate, SubordinateCa } from '../../src';

/*
 * Recipes: `new acm.PrivateCertificate(this, 'C', { domainName, certificateAuthority })` →
 * `new PrivateCertificate(this, 'C', { domainName, certificateAuthority })`, and
 * `acmpca.CertificateAuthority.fromCertificateAuthorityArn` → `SubordinateCa.fromCertificateAuthorityArn` (or
 * `RootCa.fromCertificateAuthorityArn`: the same import).
 * Same construct ID: the certificate keeps its logical ID. The only change is the `Name` tag
 * cdk-pki puts on every certificate (Tags are updatable: no replacement).
 */

const CA_ARN = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555';
const CERT = 'Cert5C9FAEC1';
const NAME_TAG_ADDED = [
  `CHANGED ${CERT} (AWS::CertificateManager::Certificate)`,
  `  ${CERT} (AWS::CertificateManager::Certificate) Tags [updatable]: (absent) -> [{"Key":"Name","Value":"Web/Cert"}]`,
];

describe('acm.PrivateCertificate → PrivateCertificate', () => {
  test('defaults, a CA imported by ARN: only the Name tag is added (no KeyAlgorithm: ACM\'s default stays implicit)', () => {
    const { lines } = migrate(
      (s) => new acm.PrivateCertificate(s, 'Cert', {
        domainName: 'api.internal.example.com',
        certificateAuthority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(s, 'Ca', CA_ARN),
      }),
      (s) => new PrivateCertificate(s, 'Cert', {
        domainName: 'api.internal.example.com',
        certificateAuthority: SubordinateCa.fromCertificateAuthorityArn(s, 'Ca', CA_ARN),
      }),
    );
    expect(lines).toEqual(NAME_TAG_ADDED);
  });

  test('names and key algorithm given: only the Name tag is added', () => {
    const names = { domainName: 'api.internal.example.com', subjectAlternativeNames: ['api2.internal.example.com'] };
    const { lines } = migrate(
      (s) => new acm.PrivateCertificate(s, 'Cert', {
        ...names,
        keyAlgorithm: acm.KeyAlgorithm.EC_SECP384R1,
        certificateAuthority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(s, 'Ca', CA_ARN),
      }),
      (s) => new PrivateCertificate(s, 'Cert', {
        ...names,
        keyAlgorithm: CertificateKeyAlgorithm.EC_SECP384R1,
        // Any acmpca.ICertificateAuthority works, aws-cdk-lib's import included.
        certificateAuthority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(s, 'Ca', CA_ARN),
      }),
    );
    expect(lines).toEqual(NAME_TAG_ADDED);
  });

  test('the Name tag removed with Tags.of(cert).remove: nothing changes', () => {
    const { lines } = migrate(
      (s) => new acm.PrivateCertificate(s, 'Cert', {
        domainName: 'api.internal.example.com',
        keyAlgorithm: acm.KeyAlgorithm.RSA_2048,
        certificateAuthority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(s, 'Ca', CA_ARN),
      }),
      (s) => {
        const cert = new PrivateCertificate(s, 'Cert', {
          domainName: 'api.internal.example.com',
          keyAlgorithm: CertificateKeyAlgorithm.RSA_2048,
          certificateAuthority: SubordinateCa.fromCertificateAuthorityArn(s, 'Ca', CA_ARN),
        });
        // aws-cdk-lib's private certificate has no tags; the Name tag is harmless (updatable), but can be removed.
        Tags.of(cert).remove('Name');
      },
    );
    expect(lines).toEqual(['no change']);
  });

  test('documented: aws-cdk-lib\'s allowExport writes CertificateExport ENABLED (create-only); set it on the default child to keep the certificate', () => {
    const before = (s: Stack) => new acm.PrivateCertificate(s, 'Cert', {
      domainName: 'api.internal.example.com',
      allowExport: true,
      certificateAuthority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(s, 'Ca', CA_ARN),
    });
    const plain = migrate(before, (s) => new PrivateCertificate(s, 'Cert', {
      domainName: 'api.internal.example.com',
      certificateAuthority: SubordinateCa.fromCertificateAuthorityArn(s, 'Ca', CA_ARN),
    }));
    expect(plain.problems).toEqual([
      `${CERT} (AWS::CertificateManager::Certificate) CertificateExport [create-only]: "ENABLED" -> (absent)`,
    ]);

    const kept = migrate(before, (s) => {
      const cert = new PrivateCertificate(s, 'Cert', {
        domainName: 'api.internal.example.com',
        certificateAuthority: SubordinateCa.fromCertificateAuthorityArn(s, 'Ca', CA_ARN),
      });
      (cert.node.defaultChild as acm.CfnCertificate).certificateExport = 'ENABLED';
    });
    expect(kept.lines).toEqual(NAME_TAG_ADDED);
  });
});

describe('acmpca.CertificateAuthority.fromCertificateAuthorityArn → SubordinateCa.fromCertificateAuthorityArn', () => {
  test('the import creates nothing: an aws-cdk-lib certificate issued from it keeps its exact template', () => {
    const { lines } = migrate(
      (s) => new acm.PrivateCertificate(s, 'Cert', {
        domainName: 'api.internal.example.com',
        certificateAuthority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(s, 'Ca', CA_ARN),
      }),
      (s) => new acm.PrivateCertificate(s, 'Cert', {
        domainName: 'api.internal.example.com',
        certificateAuthority: SubordinateCa.fromCertificateAuthorityArn(s, 'Ca', CA_ARN),
      }),
    );
    expect(lines).toEqual(['no change']);
  });

  test('grants on the import add an IAM policy and change nothing else', () => {
    const { migration } = migrate(
      (s) => {
        acmpca.CertificateAuthority.fromCertificateAuthorityArn(s, 'Ca', CA_ARN);
        new iam.Role(s, 'Issuer', { assumedBy: new iam.AccountRootPrincipal() });
      },
      (s) => {
        const ca = SubordinateCa.fromCertificateAuthorityArn(s, 'Ca', CA_ARN);
        ca.grantIssueCertificate(new iam.Role(s, 'Issuer', { assumedBy: new iam.AccountRootPrincipal() }));
      },
    );
    expect(migration.added.map((r) => r.type)).toEqual(['AWS::IAM::Policy']);
    expect(migration.removed).toEqual([]);
    expect(migration.changed).toEqual([]);
  });
});
