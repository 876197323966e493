import { outcome, adversarial } from './harness';
import { issuerRoleSpec } from './specs/issuer-role';
import { nameConstraintsSpec } from './specs/name-constraints';
import { sharePermissionSpec } from './specs/share-permission';
import { CaIssuerRole } from '../../src/private-ca/ca-issuer-role';
import { CaIssuerTrust } from '../../src/private-ca/ca-issuer-trust';
import { CertificateTemplate } from '../../src/private-ca/certificate-template';
import { RootCa } from '../../src/private-ca/root-ca';
import { PkiValidationError } from '../../src/validation/errors';

describe('adversarial: issue 16 props (issuer role, name constraints, share permission)', () => {
  adversarial(issuerRoleSpec);
  adversarial(nameConstraintsSpec);
  adversarial(sharePermissionSpec);
});

/*
 * Found by issuerRoleSpec: CaIssuerRole (through grantIssueCertificate) put any CertificateTemplate.of(...) text after
 * `arn:<partition>:acm-pca:::template/` unchecked, so "", "EndEntityCertificate" (no version) or a template ARN gave a
 * TemplateArn condition IAM never matches, and an ARN-form CA template passed the allowCaTemplates check. Fixed:
 * grantIssueCertificate reads templates as CA policies and share permissions do (a bare name is version 1, an ARN is
 * kept, anything else is refused), and the CA-template check reads the name inside an ARN.
 */
describe('bugs found by the issue 16 properties (fixed)', () => {
  const issuer = (name: string, allowCaTemplates?: boolean) => outcome((stack) => new CaIssuerRole(stack, 'Issuer', {
    certificateAuthority: new RootCa(stack, 'Ca', { subject: { commonName: 'Root' }, revocation: { ocsp: true } }),
    trust: CaIssuerTrust.podIdentity(),
    templates: [CertificateTemplate.of(name)],
    allowCaTemplates,
  }));

  it.each(['', '*', 'End Entity/V1', 'arn:aws:acm-pca:us-east-1:111111111111:template/EndEntityCertificate/V1'])(
    'CaIssuerRole refuses the malformed template %j with a PkiValidationError', (name) => {
      const result = issuer(name);
      expect(result.kind).toBe('rejected');
      expect((result as { error: unknown }).error).toBeInstanceOf(PkiValidationError);
      expect(String((result as { error: unknown }).error)).toContain('grantIssueCertificate: template');
    });

  it('CaIssuerRole refuses a CA template given as an ARN unless allowCaTemplates is set', () => {
    const arn = 'arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1';
    expect(issuer(arn).kind).toBe('rejected');
    expect(issuer(arn, true).kind).toBe('accepted');
  });

  it('CaIssuerRole reads a bare template name as version 1, as Private CA policies do', () => {
    const result = issuer('EndEntityCertificate');
    expect(result.kind).toBe('accepted');
    expect(JSON.stringify((result as { template: unknown }).template)).toContain(':acm-pca:::template/EndEntityCertificate/V1"');
  });
});
