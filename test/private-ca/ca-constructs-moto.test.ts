import { X509Certificate } from 'crypto';
import { App, Stack } from 'aws-cdk-lib';
import { CaKeyAlgorithm, PrivateCaHierarchy } from '../../src';
import { synthTemplate } from '../harness/cfn-lint';
import { resetMoto } from '../harness/moto';
import { verifyChain } from '../harness/openssl';
import { deployPcaTemplate, splitPem } from '../harness/pca-template-driver';
import { printedExtensions } from '../harness/x509';

/*
 * The activation sequence exactly as our constructs put it in the template (subjects, algorithms,
 * templates, references, dependency order), executed against moto_server by the template driver.
 * moto ignores key/signing algorithms and validity, and issues subordinate certificates without
 * CA extensions (see activation-moto.test.ts): what moto does produce is checked with openssl and
 * node's X509Certificate.
 */
describe('PrivateCaHierarchy deployed against moto', () => {
  beforeEach(resetMoto);

  test('root -> policy -> issuing: every CA ACTIVE, each certificate issued by its parent, chains in order', async () => {
    const app = new App();
    const stack = new Stack(app, 'Pki', { env: { account: '123456789012', region: 'us-east-1' } });
    const pki = new PrivateCaHierarchy(stack, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Moto Root', organization: 'cdk-pki', country: 'US' }, keyAlgorithm: CaKeyAlgorithm.RSA_4096 },
      intermediates: [{ id: 'Policy', subject: { commonName: 'Moto Policy', organization: 'cdk-pki', country: 'US' } }],
      issuing: [{ id: 'Issuing', subject: { commonName: 'Moto Issuing', organization: 'cdk-pki', country: 'US' } }],
    });
    const template = synthTemplate(stack).toJSON();
    const deployed = await deployPcaTemplate(template);

    const id = (c: any) => stack.getLogicalId(c);
    const [root, policy, issuing] = [pki.root, pki.intermediates[0], pki.issuingCas[0]];
    for (const ca of [root, policy, issuing]) {
      expect(deployed[id(ca.node.defaultChild)].status).toBe('ACTIVE');
      expect(deployed[id(ca.activation!)].status).toBe('ACTIVE');
    }

    // The root: self-signed with RootCACertificate/V1, a strict CA certificate.
    const rootPem = deployed[id(root.node.findChild('Certificate'))].certificatePem!;
    const rootCert = new X509Certificate(rootPem);
    expect(rootCert.subject).toBe('C=US\nO=cdk-pki\nCN=Moto Root');
    expect(rootCert.issuer).toBe(rootCert.subject);
    expect(rootCert.ca).toBe(true);
    expect(verifyChain({ leafPem: rootPem, rootPem }).ok).toBe(true);
    expect(printedExtensions(rootPem, ['basicConstraints'])['X509v3 Basic Constraints']).toEqual({ critical: true, value: 'CA:TRUE' });

    // Policy issued by the root, issuing by the policy: issuer names and signatures.
    const policyPem = deployed[id(policy.node.findChild('Certificate'))].certificatePem!;
    const issuingPem = deployed[id(issuing.node.findChild('Certificate'))].certificatePem!;
    const policyCert = new X509Certificate(policyPem);
    const issuingCert = new X509Certificate(issuingPem);
    expect(policyCert.issuer).toBe(rootCert.subject);
    expect(policyCert.verify(rootCert.publicKey)).toBe(true);
    expect(issuingCert.issuer).toBe(policyCert.subject);
    expect(issuingCert.verify(policyCert.publicKey)).toBe(true);
    expect(issuingCert.verify(rootCert.publicKey)).toBe(false);

    // Each activation got its parent's complete chain: the issuing CA's is [issuing, policy, root].
    const chain = splitPem(deployed[id(issuing.activation!)].chainPem!).map((p) => new X509Certificate(p).subject);
    expect(chain).toEqual(['C=US\nO=cdk-pki\nCN=Moto Issuing', 'C=US\nO=cdk-pki\nCN=Moto Policy', 'C=US\nO=cdk-pki\nCN=Moto Root']);
  });
});
