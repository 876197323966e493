import { isImportOnlyKeyAlgorithm, isRequestableKeyAlgorithm, requestableKeyAlgorithmsText } from '../../src/validation/acm-facts';
import { validateCertificateRequest } from '../../src/validation/certificate-request';

/* The one pipeline of checks every requested certificate goes through (PublicCertificate, DnsValidatedCertificate, PrivateCertificate). */

const request = { domainName: 'www.example.com', keyAlgorithm: 'RSA_2048', publicCertificate: true };

describe('validateCertificateRequest', () => {
  test('a good request: names, the Name tag first, the default quota', () => {
    expect(validateCertificateRequest('Stack/Cert', { ...request, subjectAlternativeNames: ['example.com'], tags: { team: 'a' } })).toEqual({
      names: ['www.example.com', 'example.com'],
      tags: { Name: 'Stack/Cert', team: 'a' },
      maxNames: 10,
      problems: [],
    });
  });

  test('every kind of problem, in order: quota, Name twice, names, AWS-owned names, tags, key algorithm', () => {
    const checked = validateCertificateRequest('Stack/Cert', {
      ...request,
      domainName: 'x.cloudfront.net',
      subjectAlternativeNames: ['bad_-name.example.com'],
      maxNames: 0,
      certificateName: 'a',
      tags: { 'Name': 'b', 'aws:x': 'y' },
      keyAlgorithm: 'RSA_4096',
    });
    expect(checked.problems).toEqual([
      expect.stringMatching(/^maxNames 0 is not a whole number from 1 to 100/),
      expect.stringMatching(/^certificateName "a" and tags.Name "b" both set/),
      expect.stringMatching(/^domain name "bad_-name.example.com"/),
      expect.stringMatching(/^"x.cloudfront.net" is under cloudfront.net, a domain owned by AWS/),
      expect.stringMatching(/^tag key "aws:x" starts with "aws:"/),
      'key algorithm RSA_4096 is only for imported certificates: ACM issues RSA_2048, EC_prime256v1 and EC_secp384r1. ' +
        'Choose one of those, or import your own certificate with ImportedCertificate.',
    ]);
  });

  test('private certificates may have names under AWS-owned domains', () => {
    expect(validateCertificateRequest('Stack/Cert', { ...request, domainName: 'x.amazonaws.com', publicCertificate: false }).problems).toEqual([]);
  });

  test('the quota counts the names', () => {
    const names = Array.from({ length: 12 }, (_, i) => `n${i}.example.com`);
    expect(validateCertificateRequest('S/C', { ...request, subjectAlternativeNames: names }).problems)
      .toEqual([expect.stringMatching(/^13 domain names given, but the quota is 10 names per certificate/)]);
    expect(validateCertificateRequest('S/C', { ...request, subjectAlternativeNames: names, maxNames: 20 })).toMatchObject({ maxNames: 20, problems: [] });
  });
});

describe('ACM key algorithm facts', () => {
  test('three requestable algorithms; the other ACM algorithms are import only; unknown names are left to ACM', () => {
    expect(['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'].every(isRequestableKeyAlgorithm)).toBe(true);
    expect(['RSA_1024', 'RSA_3072', 'RSA_4096', 'EC_secp521r1'].filter(isImportOnlyKeyAlgorithm)).toHaveLength(4);
    expect(isImportOnlyKeyAlgorithm('ML_DSA_65')).toBe(false);
    expect(isRequestableKeyAlgorithm('ML_DSA_65')).toBe(false);
    expect(requestableKeyAlgorithmsText('or')).toBe('RSA_2048, EC_prime256v1 or EC_secp384r1');
  });
});
