import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { CaKeyAlgorithm, CaUsageMode, PrivateCaHierarchy } from '../../src';
import { synthTemplate } from '../harness/cfn-lint';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function stack() {
  return new Stack(new App(), 'Stack', { env: ENV });
}

describe('PrivateCaHierarchy', () => {
  test('root -> policy -> two issuing CAs: path lengths, validities, one CRL bucket, ACM permission on issuing CAs', () => {
    const s = stack();
    const pki = new PrivateCaHierarchy(s, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' }, keyAlgorithm: CaKeyAlgorithm.RSA_4096 },
      intermediates: [{ id: 'Policy', subject: { commonName: 'Policy' } }],
      issuing: [{ id: 'IssuingA', subject: { commonName: 'A' } }, { id: 'IssuingB', subject: { commonName: 'B' }, keyAlgorithm: CaKeyAlgorithm.EC_PRIME256V1 }],
      tags: { pki: 'example' },
    });
    const t = synthTemplate(s);
    t.resourceCountIs('AWS::ACMPCA::CertificateAuthority', 4);
    t.resourceCountIs('AWS::ACMPCA::CertificateAuthorityActivation', 4);
    t.resourceCountIs('AWS::S3::Bucket', 1);
    t.resourceCountIs('AWS::ACMPCA::Permission', 2);
    t.resourceCountIs('AWS::RAM::ResourceShare', 0);
    expect(pki.intermediates[0].pathLength).toBe(1);
    expect(pki.issuingCas.map((c) => c.pathLength)).toEqual([0, 0]);
    expect(pki.issuingCas.map((c) => c.validity._days())).toEqual([912, 912]);
    const bucketRef = s.resolve(pki.crlBucket!.bucketName);
    const cas = t.findResources('AWS::ACMPCA::CertificateAuthority');
    for (const ca of Object.values(cas)) {
      expect(ca.Properties.RevocationConfiguration.CrlConfiguration).toEqual(expect.objectContaining({ Enabled: true, S3BucketName: bucketRef }));
      expect(ca.Properties.Tags).toEqual([{ Key: 'pki', Value: 'example' }]);
    }
  });

  test('no CRL, OCSP, sharing, no ACM permission for short-lived issuing CAs', () => {
    const s = stack();
    new PrivateCaHierarchy(s, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' } },
      issuing: [{ id: 'Mesh', subject: { commonName: 'Mesh' }, usageMode: CaUsageMode.SHORT_LIVED_CERTIFICATE }, { id: 'Web', subject: { commonName: 'Web' } }],
      crl: false,
      ocsp: true,
      shareWith: ['111122223333'],
    });
    const t = synthTemplate(s);
    t.resourceCountIs('AWS::S3::Bucket', 0);
    t.resourceCountIs('AWS::ACMPCA::Permission', 1);
    t.resourceCountIs('AWS::RAM::ResourceShare', 2);
    t.allResourcesProperties('AWS::ACMPCA::CertificateAuthority', { RevocationConfiguration: { OcspConfiguration: { Enabled: true }, CrlConfiguration: Match.absent() } });
  });

  test('allowAcmRenewal false and a custom CRL expiration', () => {
    const s = stack();
    new PrivateCaHierarchy(s, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' } },
      issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' } }],
      allowAcmRenewal: false,
      crlExpiration: Duration.days(2),
    });
    const t = synthTemplate(s);
    t.resourceCountIs('AWS::ACMPCA::Permission', 0);
    t.allResourcesProperties('AWS::ACMPCA::CertificateAuthority', { RevocationConfiguration: { CrlConfiguration: Match.objectLike({ ExpirationInDays: 2 }) } });
  });

  test('disableRootAfterIssuance: UpdateCertificateAuthority DISABLED after the level below is activated, ACTIVE again on delete', () => {
    const s = stack();
    const pki = new PrivateCaHierarchy(s, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' } },
      intermediates: [{ id: 'Policy', subject: { commonName: 'Policy' } }],
      issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' } }],
      disableRootAfterIssuance: true,
    });
    const t = synthTemplate(s);
    const rootArn = { Ref: s.getLogicalId(pki.root.activation) };
    const resources = t.findResources('Custom::AWS');
    const [custom] = Object.values(resources);
    expect(Object.keys(resources)).toHaveLength(1);
    expect(custom.DependsOn).toContain(s.getLogicalId(pki.intermediates[0].activation!));
    expect(custom.DependsOn).not.toContain(s.getLogicalId(pki.issuingCas[0].activation!));
    const rendered = JSON.stringify(s.resolve(custom.Properties));
    expect(rendered).toContain('\\"Status\\":\\"DISABLED\\"');
    expect(rendered).toContain('\\"Status\\":\\"ACTIVE\\"');
    expect(rendered).toContain('UpdateCertificateAuthority');
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'acm-pca:UpdateCertificateAuthority', Effect: 'Allow', Resource: rootArn }] },
    });
  });

  test.each([
    ['no issuing CA', { issuing: [] }, /Stack\/Pki: a hierarchy needs at least one issuing CA/],
    ['four intermediates', { intermediates: [1, 2, 3, 4].map((i) => ({ id: `I${i}`, subject: { commonName: `I${i}` } })) }, /4 intermediate levels is too deep/],
    ['a CRL expiration without a CRL', { crl: false, crlExpiration: Duration.days(3) }, /Stack\/Pki\/Root: revocation.crlExpiration given without a CRL/],
    ['duplicate ids', { issuing: [{ id: 'Root', subject: { commonName: 'x' } }] }, /CA id "Root" is used twice/],
  ])('refuses %s', (_n, overrides, message) => {
    expect(() => new PrivateCaHierarchy(stack(), 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' } },
      issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' } }],
      ...overrides,
    } as any)).toThrow(message);
  });
});
