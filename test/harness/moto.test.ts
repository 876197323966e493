import {
  ACMClient,
  DescribeCertificateCommand,
  GetCertificateCommand,
  ImportCertificateCommand,
  ListCertificatesCommand,
  RequestCertificateCommand,
} from '@aws-sdk/client-acm';
import { motoClientConfig, motoEndpoint, resetMoto } from './moto';
import { makeLeaf, makeSelfSignedCa } from './openssl';

const acm = new ACMClient(motoClientConfig('us-east-1'));

beforeEach(resetMoto);

describe('moto_server started by the global setup', () => {
  test('listens on 127.0.0.1', () => {
    expect(motoEndpoint()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('requests and describes a DNS-validated certificate through SDK v3', async () => {
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({
      DomainName: 'www.example.com',
      SubjectAlternativeNames: ['www.example.com', 'api.example.com'],
      ValidationMethod: 'DNS',
    }));
    expect(CertificateArn).toMatch(/^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/);
    const { Certificate } = await acm.send(new DescribeCertificateCommand({ CertificateArn }));
    expect(Certificate?.DomainName).toBe('www.example.com');
    expect(Certificate?.SubjectAlternativeNames).toEqual(expect.arrayContaining(['www.example.com', 'api.example.com']));
    expect(Certificate?.Type).toBe('AMAZON_ISSUED');
    const options = Certificate?.DomainValidationOptions ?? [];
    expect(options.length).toBeGreaterThan(0);
    expect(options[0].ResourceRecord?.Type).toBe('CNAME');
  });

  test('imports a certificate made by openssl and returns it unchanged', async () => {
    const ca = makeSelfSignedCa({ commonName: 'Test Root' });
    const leaf = makeLeaf(ca, { commonName: 'www.example.com' });
    const { CertificateArn } = await acm.send(new ImportCertificateCommand({
      Certificate: Buffer.from(leaf.certPem),
      PrivateKey: Buffer.from(leaf.keyPem),
      CertificateChain: Buffer.from(ca.certPem),
    }));
    const got = await acm.send(new GetCertificateCommand({ CertificateArn }));
    expect(got.Certificate?.trim()).toBe(leaf.certPem.trim());
    const { Certificate } = await acm.send(new DescribeCertificateCommand({ CertificateArn }));
    expect(Certificate?.Type).toBe('IMPORTED');
  });

  test('reset empties the account', async () => {
    await acm.send(new RequestCertificateCommand({ DomainName: 'reset.example.com', ValidationMethod: 'DNS' }));
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList).toHaveLength(1);
    await resetMoto();
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList).toHaveLength(0);
  });
});
