import { adversarial } from './harness';
import { dnsValidatedCertificateSpec } from './specs/dns-validated-certificate';

describe('adversarial: DnsValidatedCertificate', () => {
  adversarial(dnsValidatedCertificateSpec);
});
