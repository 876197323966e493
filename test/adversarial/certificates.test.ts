import { adversarial } from './harness';
import { certificateExportSpec, importedCertificateSpec, privateCertificateSpec, publicCertificateSpec } from './specs/certificates';

describe('adversarial: certificates', () => {
  adversarial(publicCertificateSpec);
  adversarial(privateCertificateSpec);
  adversarial(importedCertificateSpec);
  adversarial(certificateExportSpec);
});
