import { Aws, Fn, Lazy, Token } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { MAX_CUSTOM_CNAME_LENGTH, validateCustomCname } from '../../src/validation/cname';
import { MAX_BUCKET_NAME_LENGTH, validateS3BucketName } from '../../src/validation/s3-bucket-name';

const NUM_RUNS = 500;
/** S3's naming rules as one expression, for the properties (reserved prefixes and suffixes checked apart). */
const S3_PATTERN = /^(?!\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$)[a-z0-9](?:[a-z0-9]|[.-](?=[a-z0-9])|-(?=-))*$/;
/** Private CA's own `S3BucketName` pattern. */
const PCA_BUCKET_PATTERN = /^[-a-zA-Z0-9._/]+$/;
const PCA_CNAME_PATTERN = /^[-a-zA-Z0-9;/?:@&=+$,%_.!~*()']*$/;

const TOKENS: Array<[string, string]> = [
  ['Lazy.string', Lazy.string({ produce: () => 'Not A Bucket' })],
  ['Token.asString', Token.asString({ Ref: 'BucketName' })],
  ['Fn.importValue', Fn.importValue('BucketName')],
  ['a token inside a literal with bad parts', `UPPER_${Aws.ACCOUNT_ID}_`],
];

describe('validateS3BucketName', () => {
  test.each([
    ['abc'],
    ['a'.repeat(MAX_BUCKET_NAME_LENGTH)],
    ['example-corp-crl'],
    ['crl.example.com'],
    ['123'],
    ['1-2'],
    ['a--b'],
    ['my-bucket-1234567890'],
    ['xn-not-quite'],
    ['sthree'],
    ['my-xn--bucket'],
    ['s3alias'],
    ['bucket-s3alias-not-at-end'],
    ['1.2.3'],
    ['1.2.3.4.5'],
    ['1234.1.1.1'],
    ['amzn-s3-demo'],
  ])('accepts %p', (name) => {
    expect(validateS3BucketName(name)).toEqual([]);
  });

  test.each<[string, string, string]>([
    ['too short', 'ab', 'bucket name "ab" is 2 characters long: S3 bucket names must be 3 to 63 characters. Lengthen it.'],
    ['too long', 'a'.repeat(64), `bucket name "${'a'.repeat(64)}" is 64 characters long: S3 bucket names must be 3 to 63 characters. Shorten it.`],
    ['uppercase', 'Example-Crl', 'bucket name "Example-Crl" contains uppercase letters: S3 bucket names are all lowercase (as in "example-crl").'],
    ['an underscore', 'my_bucket', 'bucket name "my_bucket" contains "_", which S3 does not allow: use only lowercase letters, digits, dots and hyphens.'],
    ['a space', 'my bucket', 'contains " ", which S3 does not allow'],
    ['non-ASCII', 'bücket', 'contains "ü"'],
    ['many symbols', 'a!@#$%^&*b', 'contains "!", "@", "#", "$", "%" and 3 more'],
    ['a path (allowed by Private CA, not by S3)', 'bucket/crl', 'contains "/", which S3 does not allow: use only lowercase letters, digits, dots and hyphens. Give only the bucket name, without a path'],
    ['an s3:// URI', 's3://my-bucket/crl', 'Give the bare bucket name ("my-bucket"), not an S3 URI or ARN.'],
    ['an s3:// URI without a bucket', 's3:///crl', 'contains ":", "/", which S3 does not allow: use only lowercase letters, digits, dots and hyphens. Give the bare bucket name, not an S3 URI or ARN.'],
    ['an S3 ARN', 'arn:aws:s3:::my-bucket', 'Give the bare bucket name ("my-bucket"), not an S3 URI or ARN.'],
    ['a leading hyphen', '-bucket', 'bucket name "-bucket" starts or ends with "-": a bucket name must start and end with a lowercase letter or a digit.'],
    ['a trailing dot', 'bucket.', 'starts or ends with "."'],
    ['both ends bad', '.bucket-', 'starts or ends with "." and "-"'],
    ['two adjacent dots', 'my..bucket', 'bucket name "my..bucket" contains two adjacent dots "..": remove the extra dot.'],
    ['a hyphen after a dot', 'my.-bucket', 'bucket name "my.-bucket" has a hyphen next to a dot'],
    ['a hyphen before a dot', 'my-.bucket', 'has a hyphen next to a dot'],
    ['an IP address', '192.168.5.4', 'bucket name "192.168.5.4" is formatted as an IP address, which S3 does not allow'],
    ['the xn-- prefix', 'xn--bucket', 'bucket name "xn--bucket" starts with "xn--", a prefix S3 does not allow in bucket names (it is reserved for punycode'],
    ['the sthree- prefix', 'sthree-bucket', 'starts with "sthree-"'],
    ['the sthree-configurator prefix', 'sthree-configurator-x', 'starts with "sthree-"'],
    ['the amzn-s3-demo- prefix', 'amzn-s3-demo-bucket', 'starts with "amzn-s3-demo-"'],
    ['the -s3alias suffix', 'bucket-s3alias', 'bucket name "bucket-s3alias" ends with "-s3alias", a suffix S3 reserves for access point aliases: choose another name.'],
    ['the --ol-s3 suffix', 'bucket--ol-s3', 'ends with "--ol-s3", a suffix S3 reserves for Object Lambda access point aliases'],
    ['the .mrap suffix', 'bucket.mrap', 'ends with ".mrap"'],
    ['the --x-s3 suffix', 'bucket--x-s3', 'ends with "--x-s3"'],
    ['the --table-s3 suffix', 'bucket--table-s3', 'ends with "--table-s3"'],
  ])('refuses %s', (_, name, message) => {
    const problems = validateS3BucketName(name);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  test('an empty name says how to get a generated one', () => {
    expect(validateS3BucketName('')).toEqual([
      'bucket name "" is empty: give a name of 3 to 63 lowercase letters, digits, dots and hyphens, such as "example-corp-crl", ' +
        'or leave it out to get a generated one.',
    ]);
  });

  test('reports every problem of a name at once', () => {
    expect(validateS3BucketName('-Bad_Name..')).toEqual([
      expect.stringContaining('contains uppercase letters'),
      expect.stringContaining('contains "_"'),
      expect.stringContaining('starts or ends with "-" and "."'),
      expect.stringContaining('two adjacent dots'),
    ]);
  });

  test('uppercase letters are not also reported as bad ends', () => {
    expect(validateS3BucketName('Bucket')).toEqual([expect.stringContaining('uppercase')]);
  });

  test('a long name is quoted short', () => {
    const [problem] = validateS3BucketName('a'.repeat(1000));
    expect(problem).toContain('… (1000 characters)');
  });

  test.each(TOKENS)('skips an unresolved token (%s)', (_, token) => {
    expect(validateS3BucketName(token)).toEqual([]);
  });

  test.each<[unknown, string]>([
    [undefined, 'bucket name (undefined) is not a string'],
    [42, 'bucket name 42 is not a string: give a name such as "example-corp-crl".'],
    [{ name: 'x' }, 'bucket name {"name":"x"} is not a string'],
  ])('refuses the non-string %p', (value, message) => {
    expect(validateS3BucketName(value as any)).toEqual([expect.stringContaining(message)]);
  });
});

describe('validateCustomCname', () => {
  test.each([
    ['crl.example.com'],
    ['abcdef012345.cloudfront.net'],
    ['my-bucket.s3.dualstack.eu-west-1.amazonaws.com'],
    ['crl.example.com/pki'],
    ['a'.repeat(MAX_CUSTOM_CNAME_LENGTH)],
    ["every-allowed;/?:@&=+$,%_.!~*()'"],
    ['httpcrl.example.com'],
    ['crl.example.com:8080'],
  ])('accepts %p', (cname) => {
    expect(validateCustomCname(cname)).toEqual([]);
  });

  test.each<[string, string, string]>([
    // The seed's own examples of a wrong CNAME.
    ['http://', 'http://somename.crl', 'customCname "http://somename.crl" starts with the protocol prefix "http://": Private CA adds "http://" itself, so give only the host name, as in "somename.crl".'],
    ['https://', 'https://somename.crl', 'starts with the protocol prefix "https://"'],
    ['an uppercase HTTPS://', 'HTTPS://crl.example.com', 'starts with the protocol prefix "HTTPS://"'],
    ['a mixed-case Http://', 'Http://crl.example.com', 'starts with the protocol prefix "Http://"'],
    ['another scheme', 'ldap://crl.example.com', 'starts with the protocol prefix "ldap://"'],
    ['only a scheme', 'https://', 'starts with the protocol prefix "https://": Private CA adds "http://" itself, so give only the host name.'],
    ['too long', 'a'.repeat(254), `customCname "${'a'.repeat(254)}" is 254 characters long: Private CA allows at most 253. Use a shorter name.`],
    ['a space', 'crl example.com', 'customCname "crl example.com" contains " ", which Private CA does not allow: use only letters, digits and the RFC 2396 characters'],
    ['non-ASCII', 'crl.exämple.com', 'contains "ä"'],
    ['brackets and quotes', 'crl<"x">', 'contains "<", "\\"", ">"'],
  ])('refuses %s', (_, cname, message) => {
    expect(validateCustomCname(cname)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  test('an empty name says to leave the property out', () => {
    expect(validateCustomCname('')).toEqual(['customCname "" is empty: give a host name such as "crl.example.com", or leave customCname out.']);
  });

  test('names the given property (for OCSP)', () => {
    expect(validateCustomCname('https://ocsp.example.com', 'ocspCustomCname')).toEqual([
      expect.stringMatching(/^ocspCustomCname "https:\/\/ocsp.example.com" starts with/),
    ]);
  });

  test('reports every problem at once', () => {
    expect(validateCustomCname(`https://${'a '.repeat(200)}`)).toEqual([
      expect.stringContaining('protocol prefix'),
      expect.stringContaining('408 characters long'),
      expect.stringContaining('contains " "'),
    ]);
  });

  test.each(TOKENS)('skips an unresolved token (%s)', (_, token) => {
    expect(validateCustomCname(token)).toEqual([]);
  });

  test('skips a token after a protocol prefix too (the token may stand for anything)', () => {
    expect(validateCustomCname(`https://${Aws.URL_SUFFIX}`)).toEqual([]);
  });

  test('refuses a non-string', () => {
    expect(validateCustomCname(7 as any)).toEqual(['customCname 7 is not a string: give a host name such as "crl.example.com".']);
  });
});

describe('properties', () => {
  const nearName = fc.string({ unit: fc.constantFrom('a', 'z', 'A', '0', '9', '.', '-', '_', '/', ' ', 'x', 'n', 's', '3', 'ü'), maxLength: 70 });
  const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('\ud800', '\udc00', 'a', '.') }));
  const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
  const validName = fc
    .array(label, { minLength: 1, maxLength: 4 })
    .map((labels) => labels.join('.'))
    .filter((name) => name.length >= 3 && name.length <= 63 && !/^\d+\.\d+\.\d+\.\d+$/.test(name))
    .filter((name) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) && !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name));

  test('the validators never throw and return arrays of non-empty strings', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, nearName, fc.anything() as fc.Arbitrary<any>), (value) => {
        for (const problems of [validateS3BucketName(value), validateCustomCname(value), validateCustomCname(value, 'ocspCustomCname')]) {
          expect(Array.isArray(problems)).toBe(true);
          expect(problems.every((p) => typeof p === 'string' && p.length > 0)).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('every accepted bucket name follows the S3 rules and Private CA\'s pattern', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(nearName, validName, anyString), (name) => {
        if (validateS3BucketName(name).length === 0) {
          accepted++;
          expect(name).toMatch(S3_PATTERN);
          expect(name).toMatch(PCA_BUCKET_PATTERN);
          expect(name.length).toBeGreaterThanOrEqual(3);
          expect(name.length).toBeLessThanOrEqual(63);
        }
      }),
      { numRuns: NUM_RUNS * 2 },
    );
    expect(accepted).toBeGreaterThan(50);
  });

  test('generated valid bucket names are accepted', () => {
    fc.assert(fc.property(validName, (name) => {
      expect(validateS3BucketName(name)).toEqual([]);
    }), { numRuns: NUM_RUNS });
  });

  test('every accepted CNAME matches Private CA\'s pattern, fits 253 characters and has no protocol prefix', () => {
    const nearCname = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', '-', ':', '/', 'h', 't', 'p', 's', ' ', '<', '~'), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(nearCname, anyString), (cname) => {
        if (validateCustomCname(cname).length === 0) {
          expect(cname).toMatch(PCA_CNAME_PATTERN);
          expect(cname.length).toBeLessThanOrEqual(253);
          expect(cname).not.toMatch(/^https?:\/\//i);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
