import {
  ACMPCAClient,
  CreateCertificateAuthorityCommand,
  GetCertificateAuthorityCsrCommand,
  GetCertificateCommand,
  ImportCertificateAuthorityCertificateCommand,
  IssueCertificateCommand,
} from '@aws-sdk/client-acm-pca';

/**
 * Creates a root CA in moto's ACM PCA and, unless `activate` is false, activates it the way a
 * deployment does: the CA signs its own CSR with the RootCACertificate template and imports the
 * result (PutPolicy, RequestCertificate and exports need an ACTIVE CA). Returns the CA ARN.
 */
export async function createRootCa(pca: ACMPCAClient, commonName: string, options: { activate?: boolean } = {}): Promise<string> {
  const arn = (await pca.send(new CreateCertificateAuthorityCommand({
    CertificateAuthorityType: 'ROOT',
    CertificateAuthorityConfiguration: { KeyAlgorithm: 'RSA_2048', SigningAlgorithm: 'SHA256WITHRSA', Subject: { CommonName: commonName } },
  }))).CertificateAuthorityArn!;
  if (options.activate === false) return arn;
  const { Csr } = await pca.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: arn }));
  const { CertificateArn } = await pca.send(new IssueCertificateCommand({
    CertificateAuthorityArn: arn,
    Csr: Buffer.from(Csr!),
    SigningAlgorithm: 'SHA256WITHRSA',
    TemplateArn: 'arn:aws:acm-pca:::template/RootCACertificate/V1',
    Validity: { Type: 'YEARS', Value: 10 },
  }));
  const { Certificate } = await pca.send(new GetCertificateCommand({ CertificateAuthorityArn: arn, CertificateArn }));
  await pca.send(new ImportCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: arn, Certificate: Buffer.from(Certificate!) }));
  return arn;
}
