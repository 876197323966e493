import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { NameConstraints, PrivateCaHierarchy } from '../../src';
import { PkiValidationError } from '../../src/validation/errors';
import { synthTemplate } from '../harness/cfn-lint';

/*
 * PrivateCaHierarchy passes `nameConstraints` of its intermediate and issuing CAs to SubordinateCa: the parent issues
 * that CA's certificate with the APIPassthrough template of its path length and the critical extension. The
 * encoding itself is checked against openssl in name-constraints.test.ts.
 */

const ENV = { account: '123456789012', region: 'eu-west-1' };
const CORP = { permittedDnsDomains: ['corp.example.com'], excludedIpRanges: ['0.0.0.0/0', '::/0'] };
const EU = { permittedDnsDomains: ['eu.corp.example.com'] };

function templateArn(name: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:acm-pca:::template/${name}/V1`]] };
}

function csrOf(s: Stack, ca: { node: { defaultChild?: unknown } }) {
  return { 'Fn::GetAtt': [s.getLogicalId(ca.node.defaultChild as CfnElement), 'CertificateSigningRequest'] };
}

describe('PrivateCaHierarchy nameConstraints', () => {
  test('an intermediate and an issuing CA carry their own constraints; the others keep the plain templates', () => {
    const s = new Stack(new App(), 'Stack', { env: ENV });
    const pki = new PrivateCaHierarchy(s, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' } },
      intermediates: [{ id: 'Policy', subject: { commonName: 'Policy' }, nameConstraints: CORP }],
      issuing: [
        { id: 'Eu', subject: { commonName: 'EU' }, nameConstraints: EU },
        { id: 'Other', subject: { commonName: 'Other' } },
      ],
    });
    const t = synthTemplate(s);
    const [policy] = pki.intermediates;
    const [eu, other] = pki.issuingCas;
    const extension = (spec: typeof CORP | typeof EU) =>
      ({ Extensions: { CustomExtensions: [{ ObjectIdentifier: '2.5.29.30', Critical: true, Value: NameConstraints.of(spec).extensionValue }] } });
    t.hasResourceProperties('AWS::ACMPCA::Certificate', {
      CertificateSigningRequest: csrOf(s, policy),
      TemplateArn: templateArn('SubordinateCACertificate_PathLen1_APIPassthrough'),
      ApiPassthrough: extension(CORP),
    });
    t.hasResourceProperties('AWS::ACMPCA::Certificate', {
      CertificateSigningRequest: csrOf(s, eu),
      TemplateArn: templateArn('SubordinateCACertificate_PathLen0_APIPassthrough'),
      ApiPassthrough: extension(EU),
    });
    // Below a constrained intermediate, an issuing CA without its own constraints is bound by the intermediate's.
    t.hasResourceProperties('AWS::ACMPCA::Certificate', {
      CertificateSigningRequest: csrOf(s, other),
      TemplateArn: templateArn('SubordinateCACertificate_PathLen0'),
      ApiPassthrough: Match.absent(),
    });
    t.hasResourceProperties('AWS::ACMPCA::Certificate', { TemplateArn: templateArn('RootCACertificate'), ApiPassthrough: Match.absent() });
  });

  test('refuses constraints on the root, whose self-signed certificate they would not bind', () => {
    const s = new Stack(new App(), 'Stack', { env: ENV });
    expect(() => new PrivateCaHierarchy(s, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' }, nameConstraints: CORP },
      issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' } }],
    })).toThrow('Stack/Pki: root.nameConstraints is set, but the root\'s self-signed certificate is the trust anchor, which RFC 5280 name ' +
      'constraints do not bind: move nameConstraints to the intermediates or issuing CAs');
  });

  test('a bad subtree is refused with the path of the CA it was given for', () => {
    const s = new Stack(new App(), 'Stack', { env: ENV });
    let error: unknown;
    try {
      new PrivateCaHierarchy(s, 'Pki', {
        root: { id: 'Root', subject: { commonName: 'Root' } },
        issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' }, nameConstraints: { permittedDnsDomains: ['*.example.com'] } }],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PkiValidationError);
    expect((error as Error).message).toMatch(/^Stack\/Pki\/Issuing: nameConstraints\.permittedDnsDomains\[0\] "\*\.example\.com" is a wildcard/);
  });
});
