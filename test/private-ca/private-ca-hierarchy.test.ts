import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { CaKeyAlgorithm, CaSharePrincipal, CaUsageMode, PrivateCaHierarchy } from '../../src';
import { PkiValidationError } from '../../src/validation/errors';
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
      // Every CA gets a Name tag with its path, next to the hierarchy's tags.
      expect(ca.Properties.Tags).toEqual([{ Key: 'Name', Value: expect.stringMatching(/^Stack\/Pki\//) }, { Key: 'pki', Value: 'example' }]);
    }
  });

  test('no CRL, OCSP, sharing, no ACM permission for short-lived issuing CAs', () => {
    const s = stack();
    new PrivateCaHierarchy(s, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' } },
      issuing: [{ id: 'Mesh', subject: { commonName: 'Mesh' }, usageMode: CaUsageMode.SHORT_LIVED_CERTIFICATE }, { id: 'Web', subject: { commonName: 'Web' } }],
      crl: false,
      ocsp: true,
      shareWith: [CaSharePrincipal.account('111122223333')],
    });
    const t = synthTemplate(s);
    t.resourceCountIs('AWS::S3::Bucket', 0);
    t.resourceCountIs('AWS::ACMPCA::Permission', 1);
    t.resourceCountIs('AWS::RAM::ResourceShare', 2);
    t.allResourcesProperties('AWS::RAM::ResourceShare', { Principals: ['111122223333'], AllowExternalPrincipals: true });
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
    ['an empty CA id', { root: { id: '', subject: { commonName: 'Root' } } },
      /^Stack\/Pki: CA id "" is empty: give every CA of the hierarchy a non-empty id, such as "Root" or "Issuing"$/],
    ['the id of the CRL bucket', { root: { id: 'CrlBucket', subject: { commonName: 'Root' } } },
      /^Stack\/Pki: CA id "CrlBucket" is taken by the hierarchy's own CRL bucket: give the CA another id$/],
    ['the id of the root-disabling resource', { disableRootAfterIssuance: true, issuing: [{ id: 'DisableRoot', subject: { commonName: 'x' } }] },
      /^Stack\/Pki: CA id "DisableRoot" is taken by the hierarchy's own custom resource that disables the root: give the CA another id$/],
    ['ids that constructs makes equal', { intermediates: [{ id: 'A/B', subject: { commonName: 'x' } }], issuing: [{ id: 'A--B', subject: { commonName: 'y' } }] },
      /^Stack\/Pki: CA ids "A\/B" and "A--B" are the same construct id \(constructs turns "\/" into "--"\): give every CA of the hierarchy its own id$/],
    ['several bad ids at once', { intermediates: [{ id: '', subject: { commonName: 'x' } }, { id: '', subject: { commonName: 'x' } }], issuing: [{ id: 'Root', subject: { commonName: 'y' } }, { id: 'Root', subject: { commonName: 'z' } }] },
      /^Stack\/Pki: \n {2}- CA id "" is empty[^\n]*\n {2}- CA id "Root" is used twice[^\n]*$/],
  ])('refuses %s', (_n, overrides, message) => {
    expect(() => new PrivateCaHierarchy(stack(), 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' } },
      issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' } }],
      ...overrides,
    } as any)).toThrow(message);
  });

  test('CA ids are refused with a PkiValidationError before any child is created', () => {
    const s = stack();
    expect(() => new PrivateCaHierarchy(s, 'Pki', { root: { id: '', subject: { commonName: 'Root' } }, issuing: [{ id: 'Issuing', subject: { commonName: 'I' } }] }))
      .toThrow(PkiValidationError);
    expect(s.node.findChild('Pki').node.children).toHaveLength(0);
  });

  test('the reserved ids are free when the hierarchy does not use them', () => {
    const s = stack();
    const pki = new PrivateCaHierarchy(s, 'Pki', {
      root: { id: 'CrlBucket', subject: { commonName: 'Root' } },
      issuing: [{ id: 'DisableRoot', subject: { commonName: 'Issuing' } }],
      crl: false,
      ocsp: true,
    });
    expect([pki.root.node.path, pki.issuingCas[0].node.path]).toEqual(['Stack/Pki/CrlBucket', 'Stack/Pki/DisableRoot']);
    synthTemplate(s).resourceCountIs('AWS::ACMPCA::CertificateAuthority', 2);
  });
});
