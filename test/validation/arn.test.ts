import { App, Arn, ArnFormat, Aws, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import * as fc from 'fast-check';
import {
  PARTITIONS,
  parseArn,
  validateCertificateArn,
  validateCertificateAuthorityArn,
} from '../../src/validation/arn';
import { regionOfArn } from '../../src/validation/arn-patterns';

const NUM_RUNS = 500;
const UUID = '12345678-90ab-cdef-1234-567890abcdef';
const CERT = `arn:aws:acm:us-east-1:123456789012:certificate/${UUID}`;
const CA = `arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/${UUID}`;
const CERT_FORM = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const CA_FORM = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012';

const TOKENS: Array<[string, string]> = [
  ['Lazy.string', Lazy.string({ produce: () => CERT })],
  ['Token.asString', Token.asString({ Ref: 'CertificateArn' })],
  ['Fn.importValue', Fn.importValue('CertificateArn')],
  ['pseudo parameters inside', `arn:${Aws.PARTITION}:acm:${Aws.REGION}:${Aws.ACCOUNT_ID}:certificate/${UUID}`],
  ['a token with wrong literal parts (skipped entirely)', `arn:${Aws.PARTITION}:s3:nowhere:1:bucket`],
  ['Aws.REGION alone', Aws.REGION],
];

describe('parseArn', () => {
  test('splits the fields, keeping colons in the resource', () => {
    expect(parseArn(CERT)).toEqual({ partition: 'aws', service: 'acm', region: 'us-east-1', account: '123456789012', resource: `certificate/${UUID}` });
    expect(parseArn('arn:aws:logs:us-east-1:123456789012:log-group:name:*')).toEqual(expect.objectContaining({ resource: 'log-group:name:*' }));
    expect(parseArn('arn:aws:s3:::bucket')).toEqual({ partition: 'aws', service: 's3', region: '', account: '', resource: 'bucket' });
  });

  test.each([
    'arn:aws:acm:us-east-1:123456789012',
    'ARN:aws:acm:us-east-1:123456789012:certificate/x',
    'not an arn',
    '',
    ...TOKENS.map(([, token]) => token),
  ])('returns undefined for %j', (value) => {
    expect(parseArn(value)).toBeUndefined();
  });

  test('returns undefined for non-strings', () => {
    expect(parseArn(undefined as any)).toBeUndefined();
    expect(parseArn(42 as any)).toBeUndefined();
  });
});

describe('regionOfArn', () => {
  test.each<[string, string | undefined]>([
    [CERT, 'us-east-1'],
    [CA, 'eu-west-1'],
    [`arn:aws-cn:acm:cn-north-1:123456789012:certificate/${UUID}`, 'cn-north-1'],
    ['arn:aws:s3:::bucket', undefined],
    ['not an arn', undefined],
  ])('regionOfArn(%j) is %j', (arn, region) => {
    expect(regionOfArn(arn)).toBe(region);
  });

  test.each(TOKENS)('is undefined for %s', (_, arn) => {
    expect(regionOfArn(arn)).toBeUndefined();
  });
});

describe('validateCertificateArn', () => {
  const regions = RegionInfo.regions.map((r) => [r.partition, r.name] as const);

  test('knows every partition and region of aws-cdk-lib', () => {
    expect(regions.length).toBeGreaterThan(40);
    for (const [partition, region] of regions) {
      expect(PARTITIONS).toContain(partition);
      expect(validateCertificateArn(`arn:${partition}:acm:${region}:123456789012:certificate/${UUID}`)).toEqual([]);
      expect(validateCertificateAuthorityArn(`arn:${partition}:acm-pca:${region}:123456789012:certificate-authority/${UUID}`)).toEqual([]);
    }
  });

  test.each([
    CERT,
    `arn:aws-cn:acm:cn-northwest-1:000000000000:certificate/${UUID}`,
    `arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/${UUID}`,
    `arn:aws-iso:acm:us-iso-east-1:123456789012:certificate/${UUID}`,
    `arn:aws-iso-b:acm:us-isob-east-1:123456789012:certificate/${UUID}`,
    `arn:aws-iso-e:acm:eu-isoe-west-1:123456789012:certificate/${UUID}`,
    `arn:aws-iso-f:acm:us-isof-south-1:123456789012:certificate/${UUID}`,
    `arn:aws-eusc:acm:eusc-de-east-1:123456789012:certificate/${UUID}`,
    `arn:aws:acm:ap-southeast-7:123456789012:certificate/${UUID}`,
    'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
  ])('accepts %j', (arn) => {
    expect(validateCertificateArn(arn)).toEqual([]);
  });

  test.each<[string, string]>([
    [`arn:aws:acm:us-east-1:123456789012:certificate/${UUID.toUpperCase()}`, 'followed by a lowercase UUID such as 12345678-1234-1234-1234-123456789012 (write the ID in lowercase)'],
    ['arn:aws:acm:us-east-1:123456789012:certificate/123', 'has the resource "certificate/123": expected "certificate/" followed by a lowercase UUID'],
    [`arn:aws:acm:us-east-1:123456789012:certificate/${UUID}:extra`, `has the resource "certificate/${UUID}:extra"`],
    [`arn:aws:acm:us-east-1:123456789012:cert/${UUID}`, 'expected "certificate/"'],
    [`arn:aws:acm:us-east-1:123456789012:certificate-authority/${UUID}`, 'expected "certificate/"'],
    ['arn:aws:acm:us-east-1:123456789012:', 'has the resource ""'],
    [`arn:aws:acm:us-east-1:123456789012:certificate/${UUID.slice(0, -1)}g`, 'lowercase UUID'],
    [`arn:aws-xx:acm:us-east-1:123456789012:certificate/${UUID}`, 'has the unknown partition "aws-xx": use one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc'],
    [`arn::acm:us-east-1:123456789012:certificate/${UUID}`, 'unknown partition ""'],
    [`arn:AWS:acm:us-east-1:123456789012:certificate/${UUID}`, 'unknown partition "AWS"'],
    [`arn:aws:ACM:us-east-1:123456789012:certificate/${UUID}`, 'names the service "ACM", not "acm": pass the ARN of an ACM certificate'],
    [`arn:aws:iam:us-east-1:123456789012:certificate/${UUID}`, 'names the service "iam"'],
    [`arn:aws:acm:US-EAST-1:123456789012:certificate/${UUID}`, 'has the region "US-EAST-1", which is not a region such as "us-east-1": acm resources are regional'],
    [`arn:aws:acm::123456789012:certificate/${UUID}`, 'has the region ""'],
    [`arn:aws:acm:useast1:123456789012:certificate/${UUID}`, 'has the region "useast1"'],
    [`arn:aws:acm:us-east:123456789012:certificate/${UUID}`, 'has the region "us-east"'],
    [`arn:aws:acm:us-east-1:12345678901:certificate/${UUID}`, 'has the account "12345678901": an account ID is exactly 12 digits'],
    [`arn:aws:acm:us-east-1:1234567890123:certificate/${UUID}`, 'has the account "1234567890123"'],
    [`arn:aws:acm:us-east-1:abcdefghijkl:certificate/${UUID}`, 'has the account "abcdefghijkl"'],
    [`arn:aws:acm:us-east-1::certificate/${UUID}`, 'has the account ""'],
    ['arn:aws:acm:us-east-1:123456789012', 'is not an ARN'],
    [`arn:aws:acm:us-east-1/123456789012/certificate/${UUID}`, 'is not an ARN'],
    [`ARN:aws:acm:us-east-1:123456789012:certificate/${UUID}`, 'is not an ARN'],
    [` ${CERT}`, 'is not an ARN'],
    [`acm:us-east-1:123456789012:certificate/${UUID}:x:y`, 'is not an ARN'],
  ])('refuses %j: %s', (arn, message) => {
    const problems = validateCertificateArn(arn);
    expect(problems).toEqual([expect.stringContaining(message)]);
    expect(problems[0]).toContain(`certificate ARN ${JSON.stringify(arn)}`);
    expect(problems[0]).toContain(`expected the form ${CERT_FORM}`);
  });

  test.each<[string, string[]]>([
    ['', ['is 0 characters long: it must be 20 to 2048 characters', 'is not an ARN']],
    ['not-an-arn', ['is 10 characters long', 'is not an ARN']],
    ['arn:a:b:c:d:e', ['is 13 characters long', 'unknown partition "a"', 'service "b"', 'region "c"', 'account "d"', 'resource "e"']],
  ])('refuses %j with the problems %j', (arn, messages) => {
    expect(validateCertificateArn(arn)).toEqual(messages.map((m) => expect.stringContaining(m)));
  });

  test('the length is bounded to 2048 characters', () => {
    const prefix = 'arn:aws:acm:us-east-1:123456789012:certificate/';
    const at2048 = prefix + 'a'.repeat(2048 - prefix.length);
    const at2049 = prefix + 'a'.repeat(2049 - prefix.length);
    expect(validateCertificateArn(at2048)).toEqual([expect.stringContaining('lowercase UUID')]);
    expect(validateCertificateArn(at2049)).toEqual([
      expect.stringContaining('is 2049 characters long: it must be 20 to 2048 characters'),
      expect.stringContaining('lowercase UUID'),
    ]);
    expect(validateCertificateArn(at2049).every((p) => p.length < 1500)).toBe(true);
  });

  test('the shortest form is 20 characters', () => {
    expect(validateCertificateArn('arn:aws:acm:a:b:c/de')).not.toEqual(expect.arrayContaining([expect.stringContaining('characters long')]));
    expect(validateCertificateArn('arn:aws:acm:a:b:c/d')).toEqual(expect.arrayContaining([expect.stringContaining('is 19 characters long')]));
  });

  test.each(TOKENS)('skips %s', (_, arn) => {
    expect(validateCertificateArn(arn)).toEqual([]);
    expect(validateCertificateAuthorityArn(arn)).toEqual([]);
  });

  test('skips ARNs built by Stack.formatArn', () => {
    const stack = new Stack(new App(), 'Stack');
    const arn = stack.formatArn({ service: 'acm', resource: 'certificate', resourceName: UUID, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    expect(validateCertificateArn(arn)).toEqual([]);
    expect(Arn.split(CERT, ArnFormat.SLASH_RESOURCE_NAME).resourceName).toBe(UUID);
  });

  test.each([undefined, null, 42, {}])('reports the non-string %j without throwing', (value) => {
    expect(validateCertificateArn(value as any)).toEqual([expect.stringContaining(`is not a string: expected the form ${CERT_FORM}`)]);
    expect(validateCertificateAuthorityArn(value as any)).toEqual([expect.stringContaining(`is not a string: expected the form ${CA_FORM}`)]);
  });
});

describe('validateCertificateAuthorityArn', () => {
  test.each([
    CA,
    `arn:aws-us-gov:acm-pca:us-gov-east-1:123456789012:certificate-authority/${UUID}`,
    `arn:aws-cn:acm-pca:cn-north-1:123456789012:certificate-authority/${UUID}`,
  ])('accepts %j', (arn) => {
    expect(validateCertificateAuthorityArn(arn)).toEqual([]);
  });

  test.each<[string, string[]]>([
    [CERT, ['names the service "acm", not "acm-pca": pass the ARN of an AWS Private CA certificate authority', 'expected "certificate-authority/"']],
    [`arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/${UUID}/certificate/0123`, [`resource "certificate-authority/${UUID}/certificate/0123"`]],
    [`arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/${UUID.toUpperCase()}`, ['(write the ID in lowercase)']],
    [`arn:aws-foo:acm-pca:eu-west-1:123456789012:certificate-authority/${UUID}`, ['unknown partition "aws-foo"']],
    [`arn:aws:acm-pca:eu-west-1:123:certificate-authority/${UUID}`, ['account "123"']],
    [`arn:aws:acm-pca:europe:123456789012:certificate-authority/${UUID}`, ['region "europe"']],
    ['arn', ['is 3 characters long: it must be 5 to 200 characters', 'is not an ARN']],
    ['arn:a', ['is not an ARN']],
  ])('refuses %j with the problems %j', (arn, messages) => {
    const problems = validateCertificateAuthorityArn(arn);
    expect(problems).toEqual(messages.map((m) => expect.stringContaining(m)));
    expect(problems.every((p) => p.includes(`certificate authority ARN ${JSON.stringify(arn)}`) && p.includes(CA_FORM))).toBe(true);
  });

  test('the length is bounded to 200 characters', () => {
    const base = `arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/${UUID}`;
    expect(validateCertificateAuthorityArn(base + ':'.repeat(200 - base.length))).toEqual([expect.stringContaining('has the resource')]);
    expect(validateCertificateAuthorityArn(base + ':'.repeat(201 - base.length))).toEqual([
      expect.stringContaining('is 201 characters long: it must be 5 to 200 characters'),
      expect.stringContaining('has the resource'),
    ]);
  });
});

describe('properties', () => {
  const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('arn', ':', 'aws', 'acm', '/', '-', '1') }));
  const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
  const uuid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join('-'));
  const region = fc.constantFrom(...RegionInfo.regions.map((r) => r.name));
  const account = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 12, maxLength: 12 });
  const partition = fc.constantFrom(...PARTITIONS);
  const STRICT = /^arn:aws(-cn|-us-gov|-iso|-iso-[bef]|-eusc)?:acm:[a-z]{2,4}(-[a-z]+)+-\d+:\d{12}:certificate\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

  test('never throw and return strings for any input', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.anything() as fc.Arbitrary<any>), (value) => {
        for (const problems of [validateCertificateArn(value), validateCertificateAuthorityArn(value)]) {
          expect(problems.every((p) => typeof p === 'string' && p.length > 0)).toBe(true);
        }
        parseArn(value);
        regionOfArn(value);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('generated valid ARNs are accepted and parse back', () => {
    fc.assert(
      fc.property(partition, region, account, uuid, (p, r, a, id) => {
        const arn = `arn:${p}:acm:${r}:${a}:certificate/${id}`;
        expect(validateCertificateArn(arn)).toEqual([]);
        expect(validateCertificateAuthorityArn(`arn:${p}:acm-pca:${r}:${a}:certificate-authority/${id}`)).toEqual([]);
        expect(parseArn(arn)).toEqual({ partition: p, service: 'acm', region: r, account: a, resource: `certificate/${id}` });
        expect(regionOfArn(arn)).toBe(r);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('every accepted certificate ARN has the strict form; every problem quotes the ARN', () => {
    const mutated = fc.tuple(partition, region, account, uuid, fc.nat(), anyString).map(([p, r, a, id, at, text]) => {
      const arn = `arn:${p}:acm:${r}:${a}:certificate/${id}`;
      const i = at % (arn.length + 1);
      return arn.slice(0, i) + text + arn.slice(i + (at % 3));
    });
    fc.assert(
      fc.property(fc.oneof(mutated, anyString), (arn) => {
        const problems = validateCertificateArn(arn);
        if (problems.length === 0) {
          expect(arn).toMatch(STRICT);
        }
        for (const problem of problems) {
          expect(problem).toContain(arn.length <= 300 ? JSON.stringify(arn) : JSON.stringify(arn.slice(0, 300)));
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
