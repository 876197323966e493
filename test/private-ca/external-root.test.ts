import { X509Certificate } from 'crypto';
import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CaExternalParent, CaValidity, PrivateCertificate, SubordinateCa } from '../../src';
import { PkiValidationError } from '../../src/validation/errors';
import { synthTemplate } from '../harness/cfn-lint';
import { documentedCaExtensions, signCsr } from '../harness/external-ca';
import { makeLeaf, makeSelfSignedCa } from '../harness/openssl';
import { makeCsr } from '../harness/x509';

/*
 * A SubordinateCa signed by an external (offline) root in two deployments: the first publishes the CSR, the second
 * activates the CA with the signed certificate and chain (PEM, SSM or Secrets Manager). The material is made with
 * openssl, the CSR standing in for Private CA's (test/private-ca/external-root-moto.test.ts signs moto's real CSR).
 */

const ENV = { account: '123456789012', region: 'eu-west-1' };
const root = makeSelfSignedCa({ commonName: 'Offline Root', keyType: 'ec' });
const request = makeCsr({ commonName: 'Example Issuing CA', keyType: 'ec' });
const certificate = signCsr(root, request.csrPem, { extensions: documentedCaExtensions(1), days: 730 });

function stack(): Stack {
  return new Stack(new App(), 'Stack', { env: ENV });
}

function issuing(s: Stack, externalParent: CaExternalParent, extra: { pathLength?: number; validity?: CaValidity } = {}): SubordinateCa {
  return new SubordinateCa(s, 'Issuing', { subject: { commonName: 'Example Issuing CA' }, revocation: { ocsp: true }, externalParent, ...extra });
}

function caught(build: () => unknown): Error {
  try {
    build();
  } catch (e) {
    expect(e).toBeInstanceOf(PkiValidationError);
    return e as Error;
  }
  throw new Error('expected a PkiValidationError');
}

describe('phase 1: CaExternalParent.awaitingSignature()', () => {
  const s = stack();
  const ca = issuing(s, CaExternalParent.awaitingSignature(), { pathLength: 1 });
  const t = synthTemplate(s);
  const caId = s.getLogicalId(ca.node.defaultChild as any);

  test('creates the subordinate CA, without certificate or activation, and outputs its CSR with the openssl command line', () => {
    t.resourceCountIs('AWS::ACMPCA::CertificateAuthority', 1);
    t.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', { Type: 'SUBORDINATE' });
    t.resourceCountIs('AWS::ACMPCA::Certificate', 0);
    t.resourceCountIs('AWS::ACMPCA::CertificateAuthorityActivation', 0);
    const outputs = Object.values(t.toJSON().Outputs) as Array<{ Value: unknown; Description: string }>;
    expect(outputs).toHaveLength(1);
    expect(outputs[0].Value).toEqual({ 'Fn::GetAtt': [caId, 'CertificateSigningRequest'] });
    expect(outputs[0].Description).toContain('CSR of the subordinate CA Stack/Issuing.');
    expect(outputs[0].Description).toContain('basicConstraints=critical,CA:TRUE,pathlen:1\\nkeyUsage=critical,keyCertSign,cRLSign');
    expect(outputs[0].Description).toContain('openssl x509 -req -in ca.csr -CA root.pem -CAkey root.key -CAcreateserial -days 1825 -sha256 -extfile ext.cnf');
    expect(Buffer.byteLength(outputs[0].Description)).toBeLessThanOrEqual(1024);
    expect(s.resolve(ca.certificateAuthorityArn)).toEqual({ 'Fn::GetAtt': [caId, 'Arn'] });
    expect(ca.activation).toBeUndefined();
    expect(ca.certificatePem).toBeUndefined();
  });

  test('fails for a CA or an ACM certificate issued from it before it is active', () => {
    expect(caught(() => new SubordinateCa(s, 'Child', { parent: ca, subject: { commonName: 'Child' } })).message).toBe(
      'Stack/Child: parent Stack/Issuing is awaiting its certificate from its external parent (the first deployment), so it cannot issue this CA yet. ' +
        'Deploy without this CA first, then add it once the parent has externalParent: CaExternalParent.fromPem(...), fromSsmParameters(...) or fromSecret(...)');
    expect(caught(() => new PrivateCertificate(s, 'Www', { domainName: 'www.example.com', certificateAuthority: ca })).message).toBe(
      'Stack/Issuing: this CA is awaiting its certificate from its external parent (the first deployment), so nothing can issue from it yet. ' +
        'Deploy it alone first, then add the certificates once externalParent is CaExternalParent.fromPem(...), fromSsmParameters(...) or fromSecret(...)');
  });

  test('a SubordinateCa with neither parent nor externalParent is unchanged: pending, and no output', () => {
    const plain = stack();
    new SubordinateCa(plain, 'Pending', { subject: { commonName: 'Pending' }, revocation: { ocsp: true } });
    expect(synthTemplate(plain).toJSON().Outputs).toBeUndefined();
  });
});

describe('phase 2: CaExternalParent.fromPem() with a certificate signed by the openssl root', () => {
  const s = stack();
  const ca = issuing(s, CaExternalParent.fromPem({ certificate, chain: root.certPem, csr: request.csrPem }));
  const child = new SubordinateCa(s, 'Team', { parent: ca, subject: { commonName: 'Team CA' }, revocation: { ocsp: true } });
  new PrivateCertificate(s, 'Www', { domainName: 'www.example.com', certificateAuthority: child });
  new PrivateCertificate(s, 'Api', { domainName: 'api.example.com', certificateAuthority: ca });
  const t = synthTemplate(s);
  const caId = s.getLogicalId(ca.node.defaultChild as any);
  const activationId = s.getLogicalId(ca.activation!);

  test('activates the CA with the certificate and chain, kept with the CA; the CSR stays an output', () => {
    t.hasResource('AWS::ACMPCA::CertificateAuthorityActivation', {
      Properties: { CertificateAuthorityArn: { 'Fn::GetAtt': [caId, 'Arn'] }, Certificate: certificate, CertificateChain: root.certPem, Status: 'ACTIVE' },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
    expect(s.resolve(ca.certificateAuthorityArn)).toEqual({ Ref: activationId });
    expect(ca.certificatePem).toBe(certificate);
    expect(Object.keys(t.toJSON().Outputs)).toHaveLength(1);
  });

  test('takes its validity and path length from the certificate; a CA below it is issued by it and chained through it', () => {
    expect(ca.validity.validityEndDate).toEqual(new Date(new X509Certificate(certificate).validTo));
    expect(ca.pathLength).toBe(1);
    // Half the days the certificate has left (730 days): the child ends before it.
    t.hasResourceProperties('AWS::ACMPCA::Certificate', {
      CertificateAuthorityArn: { Ref: activationId },
      TemplateArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':acm-pca:::template/SubordinateCACertificate_PathLen0/V1'])] }),
      Validity: { Type: 'DAYS', Value: Match.anyValue() },
    });
    const days = Object.values(t.findResources('AWS::ACMPCA::Certificate')).map((r: any) => r.Properties.Validity.Value);
    expect(days).toHaveLength(1);
    expect(days[0]).toBeGreaterThanOrEqual(363);
    expect(days[0]).toBeLessThanOrEqual(365);
    t.hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', {
      CertificateChain: { 'Fn::GetAtt': [activationId, 'CompleteCertificateChain'] },
    });
    t.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'api.example.com', CertificateAuthorityArn: { Ref: activationId } });
  });

  test('fails for a CA below it that the certificate\'s pathlen has no room for', () => {
    const tight = stack();
    const zero = issuing(tight, CaExternalParent.fromPem({ certificate: signCsr(root, request.csrPem), chain: root.certPem }));
    expect(zero.pathLength).toBe(0);
    expect(caught(() => new SubordinateCa(tight, 'Team', { parent: zero, subject: { commonName: 'Team CA' } })).message).toMatch(
      /^Stack\/Team: path length exhausted: ancestor Stack\/Issuing has pathLength 0, which allows 0 CA level\(s\) below it, but this CA sits 1 level\(s\) below it/);
    const zeroMaterial = CaExternalParent.fromPem({ certificate: signCsr(root, request.csrPem), chain: root.certPem });
    expect(caught(() => issuing(stack(), zeroMaterial, { pathLength: 2 })).message)
      .toMatch(/^Stack\/Issuing: pathLength 2 is more than the certificate "CN=Example Issuing CA" \(serial [0-9A-F]+\) allows \(0 CA level\(s\) below it/);
  });
});

describe('phase 2: bad material fails at synth time, naming the construct, the certificate and the fix', () => {
  const other = makeCsr({ commonName: 'Example Issuing CA', keyType: 'ec' });
  const shortRoot = makeSelfSignedCa({ commonName: 'Short Root', days: 30, keyType: 'ec' });
  const intermediate = { certPem: signCsr(root, other.csrPem, { extensions: documentedCaExtensions(1), days: 3000 }), keyPem: other.keyPem };
  const cases: Array<[string, () => { certificate: string; chain: string; csr?: string }, RegExp]> = [
    ['an end-entity certificate (CA:FALSE)', () => ({ certificate: makeLeaf(root, { commonName: 'www.example.com', keyType: 'ec' }).certPem, chain: root.certPem }),
      /^Stack\/Issuing: certificate "CN=www.example.com" \(serial [0-9A-F]+\) is not a CA certificate \(basicConstraints CA:FALSE\): sign the CSR again as a CA/],
    ['a key that does not match the CSR', () => ({ certificate, chain: root.certPem, csr: other.csrPem }),
      /^Stack\/Issuing: certificate "CN=Example Issuing CA" \(serial [0-9A-F]+\) has public key sha256:\w+, but this CA's CSR has sha256:\w+: the external CA signed another request/],
    ['a chain out of order', () => ({ certificate: signCsr(intermediate, request.csrPem), chain: root.certPem + intermediate.certPem }),
      /^Stack\/Issuing: chain is out of order: certificate "CN=Example Issuing CA" \(serial [0-9A-F]+\) is issued by chain certificate 2 "CN=Example Issuing CA"/],
    ['a certificate valid beyond its parent', () => ({ certificate: signCsr(shortRoot, request.csrPem, { days: 365 }), chain: shortRoot.certPem }),
      /^Stack\/Issuing: certificate "CN=Example Issuing CA" \(serial [0-9A-F]+\) is valid from \S+ to \S+, beyond its issuer \(chain certificate 1 "CN=Short Root"/],
    ['an expired certificate', () => ({ certificate: signCsr(root, request.csrPem, { days: -1 }), chain: root.certPem }),
      /^Stack\/Issuing: certificate "CN=Example Issuing CA" \(serial [0-9A-F]+\) expired on \S+: have the external CA sign a new certificate$/],
    ['garbage PEM', () => ({ certificate: 'MIIB...', chain: root.certPem }),
      /^Stack\/Issuing: certificate "MIIB\.\.\." is not PEM: give the text from "-----BEGIN CERTIFICATE-----" to "-----END CERTIFICATE-----"$/],
  ];
  test.each(cases)('fails for %s', (_name, material, message) => {
    expect(caught(() => issuing(stack(), CaExternalParent.fromPem(material()))).message).toMatch(message);
  });

  test('fails for parent and externalParent together, and for a validity next to a known certificate', () => {
    const s = stack();
    const first = issuing(s, CaExternalParent.fromPem({ certificate, chain: root.certPem }));
    expect(caught(() => new SubordinateCa(s, 'Both', { parent: first, externalParent: CaExternalParent.awaitingSignature(), subject: { commonName: 'B' } })).message)
      .toBe('Stack/Both: parent Stack/Issuing and externalParent are both given: a CA has one issuer. Give parent for a CA of this app, or externalParent for an offline or on-premises CA');
    const validity = CaValidity.duration(Duration.days(365));
    const withValidity = () => issuing(stack(), CaExternalParent.fromPem({ certificate, chain: root.certPem }), { validity });
    expect(caught(withValidity).message)
      .toMatch(/^Stack\/Issuing: validity 365 days is given, but the external CA chose the certificate's validity \(\S+ to \S+\): leave validity out$/);
  });

  test('PEM given as tokens is not checked at synth time', () => {
    const s = stack();
    const lazy = (v: string) => Lazy.string({ produce: () => v });
    issuing(s, CaExternalParent.fromPem({ certificate: lazy(certificate), chain: lazy(root.certPem) }));
    synthTemplate(s).hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', { Certificate: certificate, CertificateChain: root.certPem });
  });
});

describe('phase 2 from SSM parameters or a secret: dynamic references, resolved by CloudFormation', () => {
  test('fromSsmParameters: {{resolve:ssm:...}} with the optional versions', () => {
    const s = stack();
    issuing(s, CaExternalParent.fromSsmParameters({
      certificateParameterName: '/pki/issuing/certificate', chainParameterName: '/pki/issuing/chain', chainParameterVersion: 3,
    }));
    synthTemplate(s).hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', {
      Certificate: '{{resolve:ssm:/pki/issuing/certificate}}', CertificateChain: '{{resolve:ssm:/pki/issuing/chain:3}}', Status: 'ACTIVE',
    });
  });

  test('fromSecret: {{resolve:secretsmanager:...}} of the JSON fields (defaults, or the given ones)', () => {
    const s = stack();
    const secret = new secretsmanager.Secret(s, 'Material');
    issuing(s, CaExternalParent.fromSecret(secret, { chainField: 'chain' }));
    const t = synthTemplate(s);
    const secretId = s.getLogicalId(secret.node.defaultChild as any);
    t.hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', {
      Certificate: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:certificate::}}']] },
      CertificateChain: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:chain::}}']] },
    });
    // The PEM never enters the template: only the reference does.
    expect(JSON.stringify(t.toJSON())).not.toContain('BEGIN CERTIFICATE');
  });

  test('fails for bad parameter names, versions and secret fields', () => {
    const ssm = (o: object) => caught(() => issuing(stack(), CaExternalParent.fromSsmParameters({
      certificateParameterName: '/pki/cert', chainParameterName: '/pki/chain', ...o,
    }))).message;
    expect(ssm({ certificateParameterName: 'pki/cert:2' })).toBe('Stack/Issuing: certificateParameterName "pki/cert:2" is not an SSM parameter name: use letters, ' +
      'digits and _ . - /, start a path with "/" (e.g. "/pki/issuing-ca/certificate"); give a version with the *ParameterVersion options, not ":N"');
    expect(ssm({ chainParameterName: '/pki/cert' })).toBe('Stack/Issuing: certificateParameterName and chainParameterName are both "/pki/cert": ' +
      'the certificate and the chain need a parameter each');
    expect(ssm({ certificateParameterVersion: 0 })).toBe('Stack/Issuing: certificateParameterVersion 0 is not a parameter version: give a whole number of at least 1, ' +
      'or leave it out for the latest');
    const s = stack();
    const secret = new secretsmanager.Secret(s, 'Material');
    expect(caught(() => issuing(s, CaExternalParent.fromSecret(secret, { certificateField: 'pem', chainField: 'pem' }))).message)
      .toBe('Stack/Issuing: certificateField and chainField are both "pem": the certificate and the chain need a field each');
    // A parameter shared from another account cannot be read by a dynamic reference.
    expect(ssm({ certificateParameterName: 'arn:aws:ssm:eu-west-1:111122223333:parameter/pki/cert' })).toBe('Stack/Issuing: certificateParameterName ' +
      '"arn:aws:ssm:eu-west-1:111122223333:parameter/pki/cert" is an ARN: CloudFormation\'s {{resolve:ssm:...}} reads parameters of this account and region ' +
      'only, by name. Copy the PEM into a parameter here, or read it in your app and use CaExternalParent.fromPem');
  });
});
