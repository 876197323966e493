import { CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { findingsOfRule, newStack } from './findings';
import { PublicCertificate } from '../../../src/certificates/public-certificate';
import { synthTemplate } from '../../harness/cfn-lint';

const CA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/01234567-89ab-cdef-0123-456789abcdef';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

function cert(stack: Stack, props: Partial<acm.CfnCertificateProps> = {}, id = 'Cert'): acm.CfnCertificate {
  return new acm.CfnCertificate(stack, id, { domainName: 'www.example.com', validationMethod: 'DNS', ...props });
}

function param(stack: Stack, id: string): string {
  return new CfnParameter(stack, id, { type: 'String' }).valueAsString;
}

describe('PKI-ACM1 email validation (Warning)', () => {
  test('DNS validation is compliant', () => {
    const stack = newStack();
    cert(stack);
    expect(findingsOfRule(stack, 'PKI-ACM1')).toEqual([]);
  });

  test('EMAIL is flagged', () => {
    const stack = newStack();
    cert(stack, { validationMethod: 'EMAIL' });
    expect(findingsOfRule(stack, 'PKI-ACM1')).toEqual(['Warning Cert']);
  });

  test('an absent ValidationMethod on a public certificate counts as EMAIL', () => {
    const stack = newStack();
    cert(stack, { validationMethod: undefined });
    expect(findingsOfRule(stack, 'PKI-ACM1')).toEqual(['Warning Cert']);
  });

  test('a private certificate (CertificateAuthorityArn) has no validation, so the rule does not apply', () => {
    const stack = newStack();
    cert(stack, { validationMethod: undefined, certificateAuthorityArn: CA_ARN });
    expect(findingsOfRule(stack, 'PKI-ACM1')).toEqual([]);
  });

  test('a method known only at deploy time (parameter) is not reported', () => {
    const stack = newStack();
    cert(stack, { validationMethod: param(stack, 'Method') });
    expect(findingsOfRule(stack, 'PKI-ACM1')).toEqual([]);
  });
});

describe('PKI-ACM2 transparency logging disabled (Error)', () => {
  test('ENABLED (or absent) is compliant', () => {
    const stack = newStack();
    cert(stack, { certificateTransparencyLoggingPreference: 'ENABLED' });
    cert(stack, {}, 'Plain');
    expect(findingsOfRule(stack, 'PKI-ACM2')).toEqual([]);
  });

  test('DISABLED on a public certificate is flagged', () => {
    const stack = newStack();
    cert(stack, { certificateTransparencyLoggingPreference: 'DISABLED' });
    expect(findingsOfRule(stack, 'PKI-ACM2')).toEqual(['Error Cert']);
  });

  test('DISABLED on a private certificate is not (private certificates are never logged)', () => {
    const stack = newStack();
    cert(stack, { certificateTransparencyLoggingPreference: 'DISABLED', certificateAuthorityArn: CA_ARN, validationMethod: undefined });
    expect(findingsOfRule(stack, 'PKI-ACM2')).toEqual([]);
  });
});

describe('PKI-ACM3 key algorithm ACM cannot issue (Error)', () => {
  test.each(['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'])('%s is compliant', (keyAlgorithm) => {
    const stack = newStack();
    cert(stack, { keyAlgorithm });
    expect(findingsOfRule(stack, 'PKI-ACM3')).toEqual([]);
  });

  test('absent (RSA_2048) is compliant', () => {
    const stack = newStack();
    cert(stack);
    expect(findingsOfRule(stack, 'PKI-ACM3')).toEqual([]);
  });

  test.each(['RSA_4096', 'RSA_1024', 'EC_secp521r1'])('%s on a public certificate is flagged', (keyAlgorithm) => {
    const stack = newStack();
    cert(stack, { keyAlgorithm });
    expect(findingsOfRule(stack, 'PKI-ACM3')).toEqual(['Error Cert']);
  });

  test('RSA_3072 on a private certificate is flagged too (import-only algorithm)', () => {
    const stack = newStack();
    cert(stack, { keyAlgorithm: 'RSA_3072', certificateAuthorityArn: CA_ARN, validationMethod: undefined });
    expect(findingsOfRule(stack, 'PKI-ACM3')).toEqual(['Error Cert']);
  });

  test('an algorithm from a parameter is not reported', () => {
    const stack = newStack();
    cert(stack, { keyAlgorithm: param(stack, 'Algorithm') });
    expect(findingsOfRule(stack, 'PKI-ACM3')).toEqual([]);
  });
});

describe('PKI-ACM4 HTTP validation with a wildcard (Error)', () => {
  test('HTTP validation of plain host names is compliant', () => {
    const stack = newStack();
    cert(stack, { validationMethod: 'HTTP', subjectAlternativeNames: ['static.example.com'] });
    expect(findingsOfRule(stack, 'PKI-ACM4')).toEqual([]);
  });

  test('DNS validation of a wildcard is compliant', () => {
    const stack = newStack();
    cert(stack, { domainName: '*.example.com' });
    expect(findingsOfRule(stack, 'PKI-ACM4')).toEqual([]);
  });

  test('HTTP validation of a wildcard DomainName is flagged', () => {
    const stack = newStack();
    cert(stack, { validationMethod: 'HTTP', domainName: '*.example.com' });
    expect(findingsOfRule(stack, 'PKI-ACM4')).toEqual(['Error Cert']);
  });

  test('HTTP validation of a wildcard SAN is flagged', () => {
    const stack = newStack();
    cert(stack, { validationMethod: 'HTTP', subjectAlternativeNames: ['example.com', '*.example.com'] });
    expect(findingsOfRule(stack, 'PKI-ACM4')).toEqual(['Error Cert']);
  });

  test('HTTP validation with a name known only at deploy time is not reported', () => {
    const stack = newStack();
    cert(stack, { validationMethod: 'HTTP', subjectAlternativeNames: [param(stack, 'Name')] });
    expect(findingsOfRule(stack, 'PKI-ACM4')).toEqual([]);
  });
});

describe('PKI-ACM5 CloudFront certificate outside us-east-1 (Error)', () => {
  function distribution(stack: Stack, acmCertificateArn: string): cloudfront.CfnDistribution {
    return new cloudfront.CfnDistribution(stack, 'Cdn', {
      distributionConfig: {
        enabled: true,
        aliases: ['www.example.com'],
        origins: [{ id: 'origin', domainName: 'origin.example.com', customOriginConfig: { originProtocolPolicy: 'https-only' } }],
        defaultCacheBehavior: { targetOriginId: 'origin', viewerProtocolPolicy: 'redirect-to-https', cachePolicyId: CACHING_OPTIMIZED },
        viewerCertificate: { acmCertificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' },
      },
    });
  }
  const arnIn = (region: string) => `arn:aws:acm:${region}:111111111111:certificate/11111111-2222-3333-4444-555555555555`;

  test('a concrete us-east-1 ARN is compliant', () => {
    const stack = newStack();
    distribution(stack, arnIn('us-east-1'));
    expect(findingsOfRule(stack, 'PKI-ACM5')).toEqual([]);
  });

  test('a concrete ARN of another region is flagged', () => {
    const stack = newStack('us-east-1');
    distribution(stack, arnIn('eu-west-1'));
    expect(findingsOfRule(stack, 'PKI-ACM5')).toEqual(['Error Cdn']);
  });

  test('an ARN built with the partition pseudo parameter is read too', () => {
    const stack = newStack();
    distribution(stack, stack.formatArn({ service: 'acm', region: 'eu-central-1', resource: 'certificate', resourceName: '11111111-2222-3333-4444-555555555555' }));
    expect(findingsOfRule(stack, 'PKI-ACM5')).toEqual(['Error Cdn']);
  });

  test('a certificate of this stack in eu-west-1 is flagged', () => {
    const stack = newStack('eu-west-1');
    distribution(stack, cert(stack).ref);
    expect(findingsOfRule(stack, 'PKI-ACM5')).toEqual(['Error Cdn']);
  });

  test('a certificate of this stack in us-east-1 is compliant', () => {
    const stack = newStack('us-east-1');
    distribution(stack, cert(stack).ref);
    expect(findingsOfRule(stack, 'PKI-ACM5')).toEqual([]);
  });

  test('in an environment-agnostic stack, or from a parameter, the region is unknown: not reported', () => {
    const agnostic = newStack(null);
    distribution(agnostic, cert(agnostic).ref);
    expect(findingsOfRule(agnostic, 'PKI-ACM5')).toEqual([]);
    const stack = newStack();
    distribution(stack, param(stack, 'CertificateArn'));
    expect(findingsOfRule(stack, 'PKI-ACM5')).toEqual([]);
  });
});

describe('PKI-ACM6 more than 10 names (Warning)', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `host${i}.example.com`);

  test('10 names are compliant; duplicates (case, trailing dot) count once', () => {
    const stack = newStack();
    cert(stack, { subjectAlternativeNames: names(9) });
    cert(stack, { subjectAlternativeNames: [...names(9), 'HOST0.example.com', 'host1.example.com.', 'www.example.com'] }, 'Dups');
    expect(findingsOfRule(stack, 'PKI-ACM6')).toEqual([]);
  });

  test('11 names are flagged', () => {
    const stack = newStack();
    cert(stack, { subjectAlternativeNames: names(10) });
    expect(findingsOfRule(stack, 'PKI-ACM6')).toEqual(['Warning Cert']);
  });

  test('metadata cdk-pki:max-names at least the count makes it compliant; a smaller one does not', () => {
    const stack = newStack();
    cert(stack, { subjectAlternativeNames: names(14) }).addMetadata('cdk-pki:max-names', 15);
    cert(stack, { subjectAlternativeNames: names(14) }, 'Short').addMetadata('cdk-pki:max-names', 12);
    expect(findingsOfRule(stack, 'PKI-ACM6')).toEqual(['Warning Short']);
  });

  test('PublicCertificate records a raised maxNames in the metadata, and only then', () => {
    const stack = newStack();
    new PublicCertificate(stack, 'Raised', { domainName: 'www.example.com', subjectAlternativeNames: names(14), maxNames: 20 });
    new PublicCertificate(stack, 'Default', { domainName: 'www.example.com' });
    const t = synthTemplate(stack);
    const metadata = Object.values(t.findResources('AWS::CertificateManager::Certificate')).map((r: any) => r.Metadata?.['cdk-pki:max-names']);
    expect(metadata.sort()).toEqual([20, undefined]);
    expect(findingsOfRule(stack, 'PKI-ACM6')).toEqual([]);
  });

  test('11 known names plus one from a parameter are still too many; 2 known plus a parameter are not reported', () => {
    const stack = newStack();
    cert(stack, { subjectAlternativeNames: [...names(10), param(stack, 'Extra')] });
    cert(stack, { subjectAlternativeNames: ['a.example.com', param(stack, 'Other')] }, 'Few');
    expect(findingsOfRule(stack, 'PKI-ACM6')).toEqual(['Warning Cert']);
  });
});

describe('PKI-ACM7 exportable certificate nobody exports (Warning)', () => {
  function exportOf(stack: Stack, certificateArn: string, id = 'Export'): CfnResource {
    return new CfnResource(stack, id, {
      type: 'Custom::CdkPkiCertificateExport',
      properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:export', CertificateArn: certificateArn },
    });
  }

  test('a certificate that is not exportable is compliant', () => {
    const stack = newStack();
    cert(stack, { certificateExport: 'DISABLED' });
    cert(stack, {}, 'Plain');
    expect(findingsOfRule(stack, 'PKI-ACM7')).toEqual([]);
  });

  test('an exportable certificate with a CertificateExport of this stack is compliant', () => {
    const stack = newStack();
    exportOf(stack, cert(stack, { certificateExport: 'ENABLED' }).ref);
    expect(findingsOfRule(stack, 'PKI-ACM7')).toEqual([]);
  });

  test('an exportable certificate without one is flagged, even when another certificate is exported', () => {
    const stack = newStack();
    cert(stack, { certificateExport: 'ENABLED' });
    exportOf(stack, cert(stack, { certificateExport: 'ENABLED' }, 'Other').ref);
    expect(findingsOfRule(stack, 'PKI-ACM7')).toEqual(['Warning Cert']);
  });
});
