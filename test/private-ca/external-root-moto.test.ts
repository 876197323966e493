import { X509Certificate } from 'crypto';
import {
  ACMPCAClient,
  DescribeCertificateAuthorityCommand,
  GetCertificateAuthorityCertificateCommand,
  GetCertificateCommand,
  ImportCertificateAuthorityCertificateCommand,
  IssueCertificateCommand,
} from '@aws-sdk/client-acm-pca';
import { App, Stack } from 'aws-cdk-lib';
import { CaExternalParent, SubordinateCa } from '../../src';
import { PkiValidationError } from '../../src/validation/errors';
import { synthTemplate } from '../harness/cfn-lint';
import { signCsr } from '../harness/external-ca';
import { motoClientConfig, resetMoto } from '../harness/moto';
import { makeSelfSignedCa, verifyChain } from '../harness/openssl';
import { deployPcaTemplate } from '../harness/pca-template-driver';
import { makeCsr } from '../harness/x509';

/*
 * The two deployments of a SubordinateCa under an offline root, against moto's Private CA:
 *
 * 1. the phase-1 template is deployed by the template driver: moto creates the CA (PENDING_CERTIFICATE) and its CSR;
 * 2. an openssl root signs moto's CSR with the command line of the CSR output; the phase-2 app gets the certificate,
 *    the chain and the CSR, passes the synth-time checks (moto's CSR and the certificate carry the same key), and its
 *    activation's properties are imported into the phase-1 CA, as CloudFormation's update of the stack would do.
 *
 * The template driver only creates resources, so the update is the one ImportCertificateAuthorityCertificate call that
 * AWS::ACMPCA::CertificateAuthorityActivation makes, with the properties the phase-2 template holds.
 */

const pca = new ACMPCAClient(motoClientConfig('us-east-1'));
const ENV = { account: '123456789012', region: 'us-east-1' };
const offlineRoot = makeSelfSignedCa({ commonName: 'Offline Root' });

beforeEach(resetMoto);
afterAll(() => pca.destroy());

function app(externalParent: CaExternalParent): { stack: Stack; ca: SubordinateCa } {
  const stack = new Stack(new App(), 'ExternalRoot', { env: ENV });
  const ca = new SubordinateCa(stack, 'Issuing', {
    subject: { commonName: 'Example Issuing CA', organization: 'Example Corp' },
    revocation: { ocsp: true },
    externalParent,
  });
  return { stack, ca };
}

/** Phase 1 through the template driver: the CA's ARN and moto's CSR, read from the CSR output's GetAtt. */
async function phase1(): Promise<{ arn: string; csrPem: string; caLogicalId: string }> {
  const { stack, ca } = app(CaExternalParent.awaitingSignature());
  const template = synthTemplate(stack).toJSON();
  const caLogicalId = stack.getLogicalId(ca.node.defaultChild as any);
  const [output] = Object.values(template.Outputs) as Array<{ Value: { 'Fn::GetAtt': [string, string] } }>;
  expect(output.Value).toEqual({ 'Fn::GetAtt': [caLogicalId, 'CertificateSigningRequest'] });
  const deployed = await deployPcaTemplate(template);
  expect(deployed[caLogicalId].status).toBe('PENDING_CERTIFICATE');
  return { arn: deployed[caLogicalId].arn, csrPem: deployed[caLogicalId].csrPem!, caLogicalId };
}

describe('a subordinate CA under an openssl root, deployed in two phases against moto', () => {
  test('phase 2 material signed over moto\'s CSR passes the synth checks, imports, and the CA becomes ACTIVE; its chain verifies strictly', async () => {
    const { arn, csrPem, caLogicalId } = await phase1();
    const certificate = signCsr(offlineRoot, csrPem, { days: 730 });

    const { stack, ca } = app(CaExternalParent.fromPem({ certificate, chain: offlineRoot.certPem, csr: csrPem }));
    const template = synthTemplate(stack).toJSON();
    // The same CA resource in both phases: the update adds the activation to it.
    expect(stack.getLogicalId(ca.node.defaultChild as any)).toBe(caLogicalId);
    const activation = template.Resources[stack.getLogicalId(ca.activation!)].Properties;
    expect(activation.CertificateAuthorityArn).toEqual({ 'Fn::GetAtt': [caLogicalId, 'Arn'] });

    await pca.send(new ImportCertificateAuthorityCertificateCommand({
      CertificateAuthorityArn: arn,
      Certificate: Buffer.from(activation.Certificate),
      CertificateChain: Buffer.from(activation.CertificateChain),
    }));
    const described = await pca.send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: arn }));
    expect(described.CertificateAuthority?.Status).toBe('ACTIVE');
    const installed = await pca.send(new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: arn }));
    expect(`${installed.Certificate!.trim()}\n`).toBe(certificate);
    expect(`${installed.CertificateChain!.trim()}\n`).toBe(offlineRoot.certPem);
    expect(verifyChain({ leafPem: certificate, rootPem: offlineRoot.certPem }).ok).toBe(true);

    // The active CA issues: an end entity from it verifies strictly up to the offline root (sslserver, hostname).
    const leafCsr = makeCsr({ commonName: 'www.example.com' });
    const { CertificateArn } = await pca.send(new IssueCertificateCommand({
      CertificateAuthorityArn: arn,
      Csr: Buffer.from(leafCsr.csrPem),
      SigningAlgorithm: 'SHA256WITHRSA',
      TemplateArn: 'arn:aws:acm-pca:::template/EndEntityCertificate/V1',
      Validity: { Type: 'DAYS', Value: 30 },
    }));
    const leaf = await pca.send(new GetCertificateCommand({ CertificateAuthorityArn: arn, CertificateArn }));
    expect(new X509Certificate(leaf.Certificate!).checkIssued(new X509Certificate(certificate))).toBe(true);
    const strict = verifyChain({ leafPem: leaf.Certificate!, intermediatesPem: certificate, rootPem: offlineRoot.certPem, purpose: 'sslserver', hostname: 'www.example.com' });
    expect(strict.output).toMatch(/: OK$/m);
    expect(strict.ok).toBe(true);
  });

  test('a certificate signed over another CA\'s CSR is refused at synth time, before anything is imported', async () => {
    const first = await phase1();
    const second = await phase1(); // another CA, another key
    const certificate = signCsr(offlineRoot, second.csrPem);
    expect(() => app(CaExternalParent.fromPem({ certificate, chain: offlineRoot.certPem, csr: first.csrPem })))
      .toThrow(PkiValidationError);
    expect(() => app(CaExternalParent.fromPem({ certificate, chain: offlineRoot.certPem, csr: first.csrPem })))
      .toThrow(/^ExternalRoot\/Issuing: certificate "O=Example Corp, CN=Example Issuing CA" \(serial [0-9A-F]+\) has public key sha256:\w+, but this CA's CSR has/);
    const described = await pca.send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: first.arn }));
    expect(described.CertificateAuthority?.Status).toBe('PENDING_CERTIFICATE');
  });
});
