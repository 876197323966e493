import { Duration, Lazy } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { CaKeyAlgorithm, CaSigningAlgorithm, CaValidity } from '../../src';
import { validateRevocation } from '../../src/validation/ca-revocation';
import {
  MAX_END_MS,
  validateAlgorithmFamilies,
  validateChildValidity as validateChildFacts,
  validatePathLength,
  validateValidity as validateValidityFacts,
} from '../../src/validation/ca-rules';
import { validateCaSubject } from '../../src/validation/ca-subject';
import { validateCustomCname } from '../../src/validation/cname';

// The rules take plain facts (src/validation imports no construct); CaValidity gives them, as the constructs do.
const validateValidity = (v: CaValidity, now: number) => validateValidityFacts(v._facts(), now);
const validateChildValidity = (child: CaValidity, parent: CaValidity, now: number) => validateChildFacts(child._facts(), parent._facts(), now);

const NOW = Date.UTC(2026, 10, 23);
const days = (n: number) => CaValidity.duration(Duration.days(n));

describe('validateAlgorithmFamilies', () => {
  test.each([
    [CaKeyAlgorithm.RSA_2048, CaSigningAlgorithm.SHA256_WITH_RSA, 0],
    [CaKeyAlgorithm.RSA_4096, CaSigningAlgorithm.SHA512_WITH_RSA, 0],
    [CaKeyAlgorithm.EC_PRIME256V1, CaSigningAlgorithm.SHA256_WITH_ECDSA, 0],
    [CaKeyAlgorithm.EC_SECP384R1, CaSigningAlgorithm.SHA384_WITH_ECDSA, 0],
    [CaKeyAlgorithm.EC_SECP384R1, CaSigningAlgorithm.SHA256_WITH_RSA, 1],
    [CaKeyAlgorithm.RSA_2048, CaSigningAlgorithm.SHA256_WITH_ECDSA, 1],
    [CaKeyAlgorithm.of('SM2'), CaSigningAlgorithm.of('SM3WITHSM2'), 0],
  ])('%s with %s: %i problem(s)', (key, signing, count) => {
    expect(validateAlgorithmFamilies(key, signing)).toHaveLength(count);
  });

  test('defaults follow the key', () => {
    expect(CaSigningAlgorithm.defaultFor(CaKeyAlgorithm.RSA_4096)).toBe(CaSigningAlgorithm.SHA256_WITH_RSA);
    expect(CaSigningAlgorithm.defaultFor(CaKeyAlgorithm.EC_PRIME256V1)).toBe(CaSigningAlgorithm.SHA256_WITH_ECDSA);
    expect(CaSigningAlgorithm.defaultFor(CaKeyAlgorithm.EC_SECP384R1)).toBe(CaSigningAlgorithm.SHA384_WITH_ECDSA);
  });
});

describe('validateAlgorithmFamilies: weak and SM2 algorithms', () => {
  test('RSA keys below 2,048 bits and SHA-1/MD5 signatures are refused, even through of()', () => {
    expect(validateAlgorithmFamilies(CaKeyAlgorithm.of('RSA_1024'), CaSigningAlgorithm.SHA256_WITH_RSA))
      .toEqual(['key algorithm "RSA_1024" is weaker than RSA_2048, the smallest key Private CA offers: use RSA_2048, RSA_4096, EC_prime256v1 or EC_secp384r1']);
    expect(validateAlgorithmFamilies(CaKeyAlgorithm.RSA_2048, CaSigningAlgorithm.of('SHA1WITHRSA')))
      .toEqual(['signing algorithm "SHA1WITHRSA" uses a broken hash: use SHA256 or stronger (e.g. SHA256WITHRSA or SHA256WITHECDSA)']);
  });

  test('SM2 pairs only with SM3WITHSM2, which is also its default', () => {
    const sm2 = CaKeyAlgorithm.of('SM2');
    expect(CaSigningAlgorithm.defaultFor(sm2).name).toBe('SM3WITHSM2');
    expect(validateAlgorithmFamilies(sm2, CaSigningAlgorithm.defaultFor(sm2))).toEqual([]);
    expect(validateAlgorithmFamilies(CaKeyAlgorithm.RSA_2048, CaSigningAlgorithm.of('SM3WITHSM2'))[0])
      .toMatch(/^key algorithm RSA_2048 and signing algorithm SM3WITHSM2 do not belong together/);
    expect(validateAlgorithmFamilies(sm2, CaSigningAlgorithm.SHA256_WITH_RSA)[0]).toMatch(/an SM2 key signs only with SM3WITHSM2/);
  });
});

describe('validity', () => {
  test('whole days of at least one, end dates in the future', () => {
    expect(validateValidity(days(1), NOW)).toEqual([]);
    expect(validateValidity(days(0), NOW)).toEqual([expect.stringMatching(/0 days is not allowed/)]);
    expect(validateValidity(CaValidity.duration(Duration.hours(12)), NOW)).toEqual([expect.stringMatching(/0.5 days/)]);
    expect(validateValidity(CaValidity.endDate(new Date(NOW + 1000)), NOW)).toEqual([]);
    expect(validateValidity(CaValidity.endDate(new Date(NOW)), NOW)).toEqual([expect.stringMatching(/in the past/)]);
    expect(validateValidity(CaValidity.endDate(new Date('nonsense')), NOW)).toEqual(['validity end date is not a valid date']);
    expect(validateValidity(CaValidity.duration(Duration.days(Lazy.number({ produce: () => 0 }))), NOW)).toEqual([]);
  });

  test('B3: a certificate cannot end after 9999-12-31T23:59:59Z (GeneralizedTime has four-digit years)', () => {
    expect(validateValidity(CaValidity.endDate(new Date(Date.UTC(9999, 11, 31, 23, 59, 59))), NOW)).toEqual([]);
    expect(CaValidity.endDate(new Date(Date.UTC(9999, 11, 31, 23, 59, 59)))._render()).toEqual({ type: 'END_DATE', value: 99991231235959 });
    expect(validateValidity(CaValidity.endDate(new Date(Date.UTC(10000, 0, 2))), NOW)).toEqual([
      'validity ends +010000-01-02T00:00:00.000Z, after 9999-12-31T23:59:59Z, the last date a certificate\'s GeneralizedTime ' +
        '(YYYYMMDDHHMMSS) can hold: give an end date no later than that',
    ]);
    expect(validateValidity(CaValidity.endDate(new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999))), NOW)).toEqual([]);
    expect(validateValidity(CaValidity.endDate(new Date(Date.UTC(10000, 0, 1))), NOW)).toEqual([expect.stringMatching(/^validity ends \+010000-01-01T00:00:00.000Z, after 9999-12-31T23:59:59Z/)]);
    const maxDays = Math.floor((MAX_END_MS - NOW) / 86_400_000);
    expect(validateValidity(days(maxDays), NOW)).toEqual([]);
    expect(validateValidity(days(maxDays + 1), NOW)).toEqual([
      `validity of ${maxDays + 1} days would end after 9999-12-31T23:59:59Z, the last date a certificate's GeneralizedTime (YYYYMMDDHHMMSS) can hold: give at most ${maxDays} days`,
    ]);
  });

  test('B7: non-finite durations are refused and quoted as JavaScript writes them', () => {
    expect(validateValidity(CaValidity.duration(Duration.days(Infinity)), NOW)).toEqual([
      'validity of Infinity days is not allowed: Private CA needs a whole number of days, at least 1 (e.g. Duration.days(365))',
    ]);
    expect(validateValidity(CaValidity.duration(Duration.days(NaN)), NOW)).toEqual([expect.stringMatching(/^validity of NaN days is not allowed/)]);
    expect(validatePathLength(Infinity)).toEqual(["pathLength Infinity is not allowed: Private CA's subordinate templates support path lengths 0 to 3"]);
    expect(validatePathLength(NaN)).toEqual(["pathLength NaN is not allowed: Private CA's subordinate templates support path lengths 0 to 3"]);
    expect(validateRevocation({ crlEnabled: true, crlExpirationDays: -Infinity, ocspEnabled: false })).toEqual([
      'revocation.crlExpiration of -Infinity days is not allowed: Private CA needs a whole number of days from 1 to 5000',
    ]);
  });

  test('a child ends strictly before its parent', () => {
    expect(validateChildValidity(days(364), days(365), NOW)).toEqual([]);
    expect(validateChildValidity(days(365), days(365), NOW)).toHaveLength(1);
    const end = (d: number) => CaValidity.endDate(new Date(NOW + d * 86_400_000));
    expect(validateChildValidity(end(10), end(11), NOW)).toEqual([]);
    expect(validateChildValidity(end(11), end(10), NOW)).toEqual([expect.stringMatching(/ends after the parent CA's validity until/)]);
    expect(validateChildValidity(days(30), end(31), NOW)).toEqual([]);
    expect(validateChildValidity(days(32), end(31), NOW)).toHaveLength(1);
    expect(validateChildValidity(CaValidity.duration(Duration.days(Lazy.number({ produce: () => 1 }))), days(1), NOW)).toEqual([]);
  });

  test('rendering: DAYS, or END_DATE as GeneralizedTime', () => {
    expect(days(90)._render()).toEqual({ type: 'DAYS', value: 90 });
    expect(CaValidity.endDate(new Date('2049-12-31T23:59:59Z'))._render()).toEqual({ type: 'END_DATE', value: 20491231235959 });
    expect(days(90).toString()).toBe('90 days');
    expect(CaValidity.endDate(new Date('2049-12-31T23:59:59Z')).toString()).toBe('until 2049-12-31T23:59:59.000Z');
  });

  test('path lengths 0-3 only', () => {
    expect([0, 1, 2, 3, undefined].flatMap(validatePathLength)).toEqual([]);
    expect([-1, 4, 1.5].map((n) => validatePathLength(n).length)).toEqual([1, 1, 1]);
  });
});

describe('revocation', () => {
  test.each([
    ['crl.example.com', 0],
    ['d111111abcdef8.cloudfront.net', 0],
    ['http://crl.example.com', 1],
    ['HTTPS://crl.example.com', 1],
    ['crl example.com', 1],
    ['x'.repeat(254), 1],
    ['http://bad name', 2],
    ['', 1],
  ])('CNAME %j: %i problem(s)', (cname, count) => {
    expect(validateCustomCname(cname, 'c')).toHaveLength(count);
  });

  test('CRL expiration 1-5000 whole days', () => {
    for (const [d, n] of [[1, 0], [5000, 0], [0, 1], [5001, 1], [1.5, 1]] as const) {
      expect(validateRevocation({ crlEnabled: true, ocspEnabled: false, crlExpirationDays: d })).toHaveLength(n);
    }
  });
});

describe('validateCaSubject', () => {
  test.each([
    [{ commonName: 'a' }, 0],
    [{ organization: 'Example' }, 0],
    [{ customAttributes: [{ objectIdentifier: '2.5.4.3', value: 'CN' }] }, 0],
    [{ distinguishedNameQualifier: "a-Z 0'()+,-.?:/=" }, 0],
    [{ distinguishedNameQualifier: 'a_b' }, 1],
    [{ serialNumber: 'x'.repeat(65) }, 1],
    [{ initials: 'ABCDEF' }, 1],
    [{ generationQualifier: 'Jr.x' }, 1],
    [{ surname: 'x'.repeat(41) }, 1],
    [{ pseudonym: 'x'.repeat(129), locality: 'x'.repeat(129), state: 'x'.repeat(129) }, 3],
    [{ title: 'x'.repeat(65), organizationalUnit: 'x'.repeat(65) }, 2],
    [{ commonName: '' }, 1],
    [{ customAttributes: [] }, 1],
    [{ customAttributes: Array.from({ length: 151 }, () => ({ objectIdentifier: '1.2.3', value: 'v' })) }, 1],
    [{ customAttributes: [{ objectIdentifier: '3.1', value: 'v' }] }, 1],
    [{ customAttributes: [{ objectIdentifier: '1.2', value: '' }] }, 1],
    [{ customAttributes: 'x' }, 1],
    [{ commonName: 42 }, 1],
  ])('%j: %i problem(s)', (subject, count) => {
    expect(validateCaSubject(subject as any)).toHaveLength(count);
  });

  test('an absent subject is a problem', () => {
    expect(validateCaSubject(undefined)).toEqual([expect.stringMatching(/the subject is required/)]);
  });

  test('property: no input makes the validators throw', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), (subject, cname) => {
      validateCaSubject(subject as any);
      validateCustomCname(cname as any, 'c');
      validateRevocation({ crlEnabled: false, ocspEnabled: false, crlCustomCname: cname as any, crlExpirationDays: subject as any });
    }), { numRuns: 500 });
  });
});
