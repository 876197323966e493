import { Aws, Fn, Lazy, Token } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import {
  baseName,
  isSameOrSubdomain,
  isWildcard,
  longestSuffixMatch,
  normalizeDomainName,
  validateCommonName,
  validateDomainName,
  validateDomainNameList,
  validationRecordKey,
} from '../../src/validation/domain-name';
import { quoteValue } from '../../src/validation/errors';

/** ACM's documented pattern for `DomainName`. */
const ACM_PATTERN = /^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$/;
const NUM_RUNS = 500;

const lazy = Lazy.string({ produce: () => 'x' });
const intrinsic = Token.asString({ Ref: 'DomainParameter' });
const TOKENS: Array<[string, string]> = [
  ['Lazy.string', lazy],
  ['Aws.REGION', Aws.REGION],
  ['Token.asString', intrinsic],
  ['Fn.importValue', Fn.importValue('Domain')],
  ['a token inside a name', `www.${Aws.REGION}.example.com`],
  ['a token next to invalid text', `*.*.${lazy}.`],
];

/** `n` labels of `size` characters joined by dots: n * size + n - 1 characters. */
function labels(n: number, size: number): string {
  return Array.from({ length: n }, (_, i) => String.fromCharCode(97 + i).repeat(size)).join('.');
}
const NAME_253 = `${labels(3, 63)}.${'d'.repeat(61)}`;
const NAME_254 = `${labels(3, 63)}.${'d'.repeat(62)}`;

/** Arbitraries for valid names. */
const label = fc
  .stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/)
  .filter((l) => l.slice(2, 4) !== '--');
const topLabel = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]$/).filter((l) => l.slice(2, 4) !== '--');
const validName = fc
  .tuple(fc.boolean(), fc.array(label, { minLength: 1, maxLength: 4 }), topLabel)
  .map(([wildcard, ls, top]) => `${wildcard ? '*.' : ''}${[...ls, top].join('.')}`)
  .filter((name) => name.length <= 253);
/** Strings close to domain names: made of the characters that matter. */
const nearName = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '-', '.', '*', '_', ' ', 'ü', 'x', 'n'), maxLength: 40 }),
  fc.array(fc.oneof(label, fc.constantFrom('*', '', '-a', 'a-', 'ab--c', 'xn--a', '1', '12', 'a_b')), { minLength: 1, maxLength: 5 })
    .map((ls) => ls.join('.')),
);
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('\ud800', '\udc00', 'a', '.') }));

describe('validateDomainName', () => {
  test.each([
    'example.com',
    'EXAMPLE.COM',
    'Www.Example.Com',
    '*.example.com',
    '*.a.b.example.com',
    'a.b.c.d.example.com',
    'my-site.co.uk',
    'a--b.example.com',
    '1example.com',
    '123.example.com',
    'a1.io',
    'x.co',
    'xn--bcher-kva.example',
    'XN--bcher-kva.example',
    'example.xn--p1ai',
    'www.xn--ls8h.la',
    '*.xn--nxasmq6b.com',
    'a.b-c.de',
    'a.b2',
    `${'a'.repeat(63)}.com`,
    `${'a'.repeat(63)}.${'b'.repeat(63)}`,
    NAME_253,
  ])('accepts %j', (name) => {
    expect(validateDomainName(name)).toEqual([]);
  });

  test.each<[string, string]>([
    ['', 'is empty'],
    ['*', 'bare wildcard'],
    ['com', 'has a single label'],
    ['localhost', 'at least two labels, such as "example.com"'],
    ['*.com', 'needs at least two labels after the "*." wildcard'],
    ['example.com.', 'remove the trailing dot ("example.com")'],
    ['*.example.com.', 'remove the trailing dot ("*.example.com")'],
    ['.example.com', 'remove the leading dot ("example.com")'],
    ['a..example.com', 'empty label (two dots in a row)'],
    ['a b.example.com', 'contains whitespace'],
    ['tab\t.example.com', 'contains whitespace'],
    [' example.com', 'contains whitespace'],
    ['_dmarc.example.com', 'contains an underscore "_"'],
    ['a_b.example.com', 'use a hyphen'],
    ['a*.example.com', 'has "*" inside the label "a*": a wildcard must be the whole leftmost label, followed by a dot (as in "*.example.com")'],
    ['*example.com', 'has "*" inside the label "*example"'],
    ['*example.com', '(as in "*.example.com")'],
    ['w*w.example.com', 'inside the label "w*w"'],
    ['a.b*', '(as in "*.example.com")'],
    ['www.*.example.com', 'has the wildcard "*" as label 2: it may only be the leftmost label (as in "*.example.com")'],
    ['example.*', 'it may only be the leftmost label (as in "*.example.com")'],
    ['*.*.example.com', 'has 2 wildcards "*": ACM allows at most one'],
    ['**.example.com', 'has 2 wildcards'],
    ['*.a.*.b.*', 'has 3 wildcards'],
    ['-a.example.com', 'start or end with a hyphen: "-a"'],
    ['a-.example.com', 'start or end with a hyphen: "a-"'],
    ['example.com-', 'start or end with a hyphen: "com-"'],
    ['-.example.com', 'start or end with a hyphen: "-"'],
    ['ab--cd.example.com', '"--" as their 3rd and 4th characters: "ab--cd"'],
    ['www.r3--x.example.com', 'RFC 5891'],
    ['example.ab--c', 'RFC 5891'],
    ['bücher.example', 'punycode form, whose labels start with "xn--" (here "xn--bcher-kva.example")'],
    ['例え.jp', 'Convert the name to punycode'],
    ['a.c', 'the one-character label "c": the top-level label must be at least 2 characters'],
    ['example.1', 'the one-character label "1"'],
    ['example.123', 'the all-digit label "123": a top-level label is never all digits'],
    ['1.2.3.4', 'looks like an IP address'],
    ['a!.example.com', 'contains "!", which is not allowed'],
    ['https://example.com', 'contains ":", "/", which is not allowed'],
    ['example.com:443', 'contains ":"'],
    ['a@b.example.com', 'contains "@"'],
    ['ex\u0000ample.com', 'contains "\\u0000"'],
    ['a!#$%&()+,.com', 'contains "!", "#", "$", "%", "&" and 4 more'],
    [`${'a'.repeat(64)}.com`, `longer than 63 octets: "${'a'.repeat(64)}" (64 octets)`],
    [`${'a'.repeat(64)}.${'b'.repeat(70)}.com`, '(64 octets), "' + 'b'.repeat(70) + '" (70 octets)'],
    [NAME_254, 'is 254 octets long, more than the 253 allowed'],
    // B2: the ACM guide's own example of an "xn--" name that is not a valid IDN.
    ['xn--example.com', 'domain name "xn--example.com" has labels starting with "xn--" that are not valid punycode (IDN) labels: "xn--example". ' +
      'ACM accepts "xn--" names only when they are valid internationalised domain names: convert the Unicode name with a punycode ' +
      'converter (e.g. "bücher" is "xn--bcher-kva"), or drop the "xn--" prefix.'],
    ['xn--a.com', 'not valid punycode (IDN) labels: "xn--a".'],
    ['XN--ZZ.com', 'not valid punycode (IDN) labels: "XN--ZZ".'],
    ['www.xn--a-ecp.example.com', 'not valid punycode (IDN) labels: "xn--a-ecp".'],
  ])('refuses %j with one problem: %s', (name, message) => {
    expect(validateDomainName(name)).toEqual([expect.stringContaining(message)]);
  });

  test.each<[string, string[]]>([
    ['.', ['remove the trailing dot', 'has a single label']],
    // Decodes, but to plain ASCII "abc": not an A-label (it does not encode back to itself).
    ['xn--abc-.com', ['start or end with a hyphen: "xn--abc-"', 'not valid punycode (IDN) labels: "xn--abc-".']],
    ['*.', ['remove the trailing dot', 'after the "*." wildcard']],
    ['example..', ['remove the trailing dot', 'empty label', 'has a single label']],
    ['..example.com', ['starts with a dot', 'empty label']],
    ['.com.', ['ends with a dot', 'starts with a dot', 'single label']],
    ['a b_c!.com', ['whitespace', 'underscore', '"!"']],
    ['ü', ['non-ASCII', 'single label']],
    ['-a--b.example.1', ['start or end with a hyphen: "-a--b"', 'RFC 5891', 'one-character label "1"']],
    ['bücher.example.', ['here "xn--bcher-kva.example")', 'remove the trailing dot']],
    [`${'ü'.repeat(100)}.com`, ['punycode form, whose labels start with "xn--". Convert', 'longer than 63 octets']],
    [`${'a'.repeat(300)}`, ['300 octets', 'longer than 63 octets', 'single label']],
  ])('refuses %j with the problems %j', (name, messages) => {
    expect(validateDomainName(name)).toEqual(messages.map((m) => expect.stringContaining(m)));
  });

  test('a bare "*" tells where the wildcard goes', () => {
    expect(validateDomainName('*')).toEqual([expect.stringMatching(/^domain name "\*" is a bare wildcard.*"\*\.example\.com"/)]);
  });

  test.each(TOKENS)('skips the token %s', (_, token) => {
    expect(validateDomainName(token)).toEqual([]);
  });

  test.each([undefined, null, 42, {}, ['example.com']])('reports the non-string %j without throwing', (value) => {
    expect(validateDomainName(value as any)).toEqual([expect.stringContaining('is not a string')]);
  });

  test('counts octets, not UTF-16 units, and quotes huge names short', () => {
    const huge = `${'ü'.repeat(200_000)}.com`;
    const problems = validateDomainName(huge);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('400004 octets long')]));
    expect(problems.every((p) => p.length < 2000)).toBe(true);
    expect(problems[0]).toContain('… (200004 characters)');
  });

  test('a name of many bad labels gives one message per rule', () => {
    const name = Array.from({ length: 1000 }, () => '-a').join('.') + '.com';
    expect(validateDomainName(name)).toEqual([
      expect.stringContaining('octets long'),
      expect.stringContaining('"-a", "-a", "-a", "-a", "-a" and 995 more'),
    ]);
  });
});

describe('validateCommonName', () => {
  const name64 = `${'a'.repeat(30)}.${'b'.repeat(29)}.com`;
  const name65 = `${'a'.repeat(31)}.${'b'.repeat(29)}.com`;

  test('64 octets are allowed, 65 are not', () => {
    expect(name64).toHaveLength(64);
    expect(validateCommonName(name64)).toEqual([]);
    expect(validateCommonName(name65)).toEqual([
      expect.stringContaining(`the first domain name "${name65}" is 65 octets long`),
    ]);
    expect(validateCommonName(name65)[0]).toMatch(/RFC 5280 limits to 64 octets: move it to subjectAlternativeNames and use a shorter first name/);
  });

  test('counts octets of multi-byte characters', () => {
    expect(validateCommonName('ü'.repeat(32))).toEqual([]);
    expect(validateCommonName('ü'.repeat(33))).toEqual([expect.stringContaining('66 octets')]);
  });

  test.each(TOKENS)('skips the token %s', (_, token) => {
    expect(validateCommonName(token + 'x'.repeat(100))).toEqual([]);
  });

  test('ignores non-strings (validateDomainName reports them)', () => {
    expect(validateCommonName(undefined as any)).toEqual([]);
  });
});

describe('validateDomainNameList', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `n${i}.example.com`);

  test('accepts a valid list', () => {
    expect(validateDomainNameList(['example.com', '*.example.com', 'www.example.org'], { maxNames: 10 })).toEqual([]);
  });

  test('reports each invalid name', () => {
    expect(validateDomainNameList(['example.com', 'a_b.example.com', 'example.com.'], { maxNames: 10 })).toEqual([
      expect.stringContaining('"a_b.example.com" contains an underscore'),
      expect.stringContaining('"example.com." ends with a dot'),
    ]);
  });

  test('only the first name is held to the common-name limit', () => {
    const long = `${'a'.repeat(40)}.${'b'.repeat(40)}.com`;
    expect(validateDomainNameList(['example.com', long], { maxNames: 10 })).toEqual([]);
    expect(validateDomainNameList([long, 'example.com'], { maxNames: 10 })).toEqual([
      expect.stringContaining('move it to subjectAlternativeNames'),
    ]);
  });

  test.each<[string[], string[]]>([
    [['example.com', 'EXAMPLE.com'], ['"EXAMPLE.com" duplicates "example.com"']],
    [['Example.COM', 'example.com'], ['"example.com" duplicates "Example.COM"']],
    [['a.example.com', 'a.example.com'], ['"a.example.com" duplicates "a.example.com"']],
    [['x.io', 'X.io', 'x.IO'], ['"X.io" duplicates "x.io"', '"x.IO" duplicates "x.io"']],
    [['*.Example.com', '*.example.COM'], ['"*.example.COM" duplicates "*.Example.com"']],
  ])('reports case-insensitive duplicates in %j', (list, messages) => {
    expect(validateDomainNameList(list, { maxNames: 10 })).toEqual(
      messages.map((m) => expect.stringContaining(`${m}: domain names are case-insensitive`)),
    );
  });

  test('a wildcard and its apex are distinct names', () => {
    expect(validateDomainNameList(['example.com', '*.example.com'], { maxNames: 10 })).toEqual([]);
  });

  test.each<[number, number]>([
    [1, 1],
    [10, 10],
    [25, 25],
    [100, 100],
  ])('%d names fit a quota of %d', (count, maxNames) => {
    expect(validateDomainNameList(names(count), { maxNames })).toEqual([]);
  });

  test.each<[number, number]>([
    [2, 1],
    [11, 10],
    [26, 25],
  ])('%d names exceed a quota of %d', (count, maxNames) => {
    expect(validateDomainNameList(names(count), { maxNames })).toEqual([
      expect.stringContaining(`${count} domain names given, but the quota is ${maxNames} names per certificate`),
    ]);
    expect(validateDomainNameList(names(count), { maxNames })[0]).toMatch(/up to 100\) through Service Quotas and then set maxNames/);
  });

  test('beyond 100 names the advice is to split the certificate', () => {
    expect(validateDomainNameList(names(101), { maxNames: 100 })).toEqual([
      expect.stringContaining('101 domain names given, but the quota is 100 names per certificate: ACM never allows more than 100'),
    ]);
  });

  test('unresolved elements skip per-name checks but count toward the quota', () => {
    expect(validateDomainNameList([lazy, intrinsic, `${Aws.REGION}_x.`, 'example.com'], { maxNames: 4 })).toEqual([]);
    const tokens = Array.from({ length: 11 }, () => Lazy.string({ produce: () => 'x' }));
    expect(validateDomainNameList(tokens, { maxNames: 10 })).toEqual([expect.stringContaining('11 domain names given')]);
  });

  test('the same token twice is not a duplicate (its value is unknown)', () => {
    expect(validateDomainNameList([Aws.REGION, Aws.REGION], { maxNames: 10 })).toEqual([]);
  });

  test('a list token is skipped', () => {
    expect(validateDomainNameList(Token.asList({ Ref: 'Names' }), { maxNames: 1 })).toEqual([]);
  });

  test.each<[string, unknown, unknown, string]>([
    ['an empty list', [], { maxNames: 10 }, 'a certificate needs at least one'],
    ['a string', 'example.com', { maxNames: 10 }, '"example.com" are not a list'],
    ['undefined', undefined, { maxNames: 10 }, 'are not a list'],
    ['a list with a number', [42], { maxNames: 10 }, 'domain name 42 is not a string'],
  ])('reports %s without throwing', (_, list, options, message) => {
    expect(validateDomainNameList(list as any, options as any)).toEqual([expect.stringContaining(message)]);
  });

  test.each([undefined, {}, { maxNames: NaN }, { maxNames: 0 }, { maxNames: 2.5 }, { maxNames: 150 }, { maxNames: Token.asNumber({ Ref: 'Max' }) }])(
    'an unusable maxNames (%j) counts against ACM\'s ceiling of 100', (options) => {
      expect(validateDomainNameList(names(100), options as any)).toEqual([]);
      expect(validateDomainNameList(names(101), options as any)).toEqual([
        expect.stringContaining('101 domain names given, but the quota is 100 names per certificate: ACM never allows more than 100'),
      ]);
    });
});

describe('helpers', () => {
  test.each<[string, string]>([
    ['Example.COM.', 'example.com'],
    ['example.com', 'example.com'],
    ['example.com..', 'example.com.'],
    ['*.Example.com', '*.example.com'],
    ['.', ''],
    ['', ''],
  ])('normalizeDomainName(%j) is %j', (name, expected) => {
    expect(normalizeDomainName(name)).toBe(expected);
  });

  test('normalizeDomainName leaves tokens and non-strings unchanged', () => {
    expect(normalizeDomainName(intrinsic)).toBe(intrinsic);
    expect(Token.isUnresolved(normalizeDomainName(`${lazy}.Example.com.`))).toBe(true);
    expect(normalizeDomainName(undefined as any)).toBeUndefined();
  });

  test.each<[string, boolean, string]>([
    ['*.example.com', true, 'example.com'],
    ['example.com', false, 'example.com'],
    ['*example.com', false, '*example.com'],
    ['*', false, '*'],
    ['www.*.example.com', false, 'www.*.example.com'],
  ])('isWildcard(%j) is %j and baseName is %j', (name, wildcard, base) => {
    expect(isWildcard(name)).toBe(wildcard);
    expect(baseName(name)).toBe(base);
  });

  test('isWildcard and baseName accept non-strings', () => {
    expect(isWildcard(undefined as any)).toBe(false);
    expect(baseName(undefined as any)).toBeUndefined();
  });

  test.each<[string, string, boolean]>([
    ['example.com', 'example.com', true],
    ['a.example.com', 'example.com', true],
    ['a.b.c.example.com', 'example.com', true],
    ['A.Example.COM', 'example.com', true],
    ['a.example.com.', 'EXAMPLE.com.', true],
    ['*.a.example.com', 'example.com', true],
    ['*.example.com', 'example.com', true],
    ['a.example.com', '*.example.com', true],
    ['badexample.com', 'example.com', false],
    ['a.badexample.com', 'example.com', false],
    ['example.com', 'a.example.com', false],
    ['example.com.evil.net', 'example.com', false],
    ['example.co', 'example.com', false],
    ['com', 'example.com', false],
    ['', 'example.com', false],
    ['example.com', '', false],
    ['example.com', '.', false],
    [lazy, 'example.com', false],
    ['example.com', Aws.REGION, false],
  ])('isSameOrSubdomain(%j, %j) is %j', (name, parent, expected) => {
    expect(isSameOrSubdomain(name, parent)).toBe(expected);
  });

  test('isSameOrSubdomain is false for non-strings', () => {
    expect(isSameOrSubdomain(undefined as any, 'example.com')).toBe(false);
    expect(isSameOrSubdomain('example.com', 5 as any)).toBe(false);
  });

  describe('longestSuffixMatch', () => {
    const zones = [
      { name: 'example.com', value: 'apex' },
      { name: 'a.example.com.', value: 'sub' },
      { name: 'badexample.com', value: 'bad' },
      { name: 'b.a.example.com', value: 'deep' },
    ];

    test.each<[string, string | undefined]>([
      ['example.com', 'apex'],
      ['www.example.com', 'apex'],
      ['a.example.com', 'sub'],
      ['x.a.example.com', 'sub'],
      ['*.a.example.com', 'sub'],
      ['X.A.EXAMPLE.COM.', 'sub'],
      ['c.b.a.example.com', 'deep'],
      ['*.b.a.example.com', 'deep'],
      ['badexample.com', 'bad'],
      ['www.badexample.com', 'bad'],
      ['ba.example.com', 'apex'],
      ['other.org', undefined],
      ['com', undefined],
      ['', undefined],
    ])('%j is validated in the %j zone', (name, expected) => {
      expect(longestSuffixMatch(name, zones)).toBe(expected);
      expect(longestSuffixMatch(name, [...zones].reverse())).toBe(expected);
    });

    test('the first candidate wins a tie', () => {
      const tie = [{ name: 'example.com', value: 1 }, { name: 'EXAMPLE.com.', value: 2 }];
      expect(longestSuffixMatch('www.example.com', tie)).toBe(1);
    });

    test('tokens, holes and non-arrays never match', () => {
      expect(longestSuffixMatch(lazy, zones)).toBeUndefined();
      expect(longestSuffixMatch('a.example.com', [{ name: intrinsic, value: 'token' }, undefined as any])).toBeUndefined();
      expect(longestSuffixMatch('a.example.com', undefined as any)).toBeUndefined();
      expect(longestSuffixMatch('a.example.com', [])).toBeUndefined();
    });
  });

  test.each<[string, string]>([
    ['*.example.com', 'example.com'],
    ['example.com', 'example.com'],
    ['*.Example.COM.', 'example.com'],
    ['www.example.com', 'www.example.com'],
    ['*.www.example.com', 'www.example.com'],
  ])('validationRecordKey(%j) is %j', (name, key) => {
    expect(validationRecordKey(name)).toBe(key);
  });

  test('validationRecordKey leaves tokens alone', () => {
    expect(validationRecordKey(intrinsic)).toBe(intrinsic);
  });

  test.each<[unknown, string]>([
    ['short', '"short"'],
    ['x'.repeat(301), `"${'x'.repeat(300)}"… (301 characters)`],
    [42, '42'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [Number.NaN, 'NaN'],
    [[1, Number.NaN], '[1,null]'],
    [undefined, '(undefined)'],
    [() => 1, '(function)'],
    [BigInt(1), '(bigint)'],
    [{ a: 'y'.repeat(400) }, `{"a":"${'y'.repeat(294)}…`],
  ])('quoteValue(%p) is %j', (value, quoted) => {
    expect(quoteValue(value)).toBe(quoted);
  });

  test('quoteValue survives circular structures', () => {
    const circular: any = {};
    circular.self = circular;
    expect(quoteValue(circular)).toBe('(object)');
  });
});

describe('properties', () => {
  test('no validator or helper throws, and validators return arrays of strings', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, nearName), fc.oneof(anyString, nearName), (a, b) => {
        for (const problems of [validateDomainName(a), validateCommonName(a), validateDomainNameList([a, b], { maxNames: 1 })]) {
          expect(Array.isArray(problems)).toBe(true);
          expect(problems.every((p) => typeof p === 'string' && p.length > 0)).toBe(true);
        }
        normalizeDomainName(a);
        validationRecordKey(a);
        isSameOrSubdomain(a, b);
        longestSuffixMatch(a, [{ name: b, value: 1 }]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('validateDomainNameList never throws on arbitrary lists and options', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyString, nearName, fc.anything() as fc.Arbitrary<any>)), fc.anything(), (list, options) => {
        const problems = validateDomainNameList(list, options as any);
        expect(problems.every((p) => typeof p === 'string')).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('every accepted name matches ACM\'s pattern and is at most 253 long', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(anyString, nearName, validName), (name) => {
        if (validateDomainName(name).length === 0) {
          accepted++;
          expect(name).toMatch(ACM_PATTERN);
          expect(name.length).toBeLessThanOrEqual(253);
        }
      }),
      { numRuns: NUM_RUNS * 2 },
    );
    expect(accepted).toBeGreaterThan(50);
  });

  test('generated valid names are accepted (also as the first of a list)', () => {
    fc.assert(
      fc.property(validName, (name) => {
        expect(validateDomainName(name)).toEqual([]);
        expect(name).toMatch(ACM_PATTERN);
        if (name.length <= 64) {
          expect(validateDomainNameList([name], { maxNames: 1 })).toEqual([]);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('every problem quotes the offending name', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, nearName), (name) => {
        for (const problem of validateDomainName(name)) {
          expect(problem).toContain(quoteValue(name));
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('a name is under its parent, a glued prefix is not', () => {
    fc.assert(
      fc.property(label, validName, fc.boolean(), (sub, parent, dot) => {
        const zone = dot ? `${parent}.` : parent;
        expect(isSameOrSubdomain(`${sub}.${parent}`, zone)).toBe(true);
        expect(isSameOrSubdomain(`*.${sub}.${parent}`, zone)).toBe(true);
        expect(isSameOrSubdomain(parent, zone)).toBe(true);
        expect(isSameOrSubdomain(`${sub}${baseName(parent)}`, baseName(parent))).toBe(false);
        expect(longestSuffixMatch(`${sub}.${parent}`, [{ name: zone, value: 'p' }, { name: `${sub}${baseName(parent)}`, value: 'trap' }])).toBe('p');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('a wildcard and its apex share a validation record; zone names normalise', () => {
    fc.assert(
      fc.property(validName, (name) => {
        const base = baseName(name);
        expect(validationRecordKey(`*.${base}`)).toBe(validationRecordKey(base));
        expect(normalizeDomainName(`${name}.`)).toBe(name.toLowerCase());
        expect(normalizeDomainName(normalizeDomainName(name))).toBe(normalizeDomainName(name));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
