import * as fc from 'fast-check';

/*
 * Generators of hostile and boundary props, weighted so that roughly half of the generated values are valid: both
 * the accepting and the refusing paths must be exercised.
 */

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = `${LOWER}0123456789`;

/** A string of `n` characters cycling through `alphabet`, starting at `offset`. */
export function filled(n: number, alphabet = ALNUM, offset = 0): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[(i + offset) % alphabet.length];
  return s;
}

const alnumChar = fc.constantFrom(...ALNUM.split(''));
const ldhChar = fc.constantFrom(...`${ALNUM}-`.split(''));

/** A valid DNS label of 1-`max` characters. */
export const validLabel = (max = 20): fc.Arbitrary<string> =>
  fc.tuple(alnumChar, fc.array(ldhChar, { maxLength: Math.max(0, max - 2) }), alnumChar, fc.boolean())
    .map(([a, mid, z, one]) => (one ? a : a + mid.join('') + z).replace(/^(..)--/, '$1-x'));

/** Labels at and over every boundary, and hostile ones. */
export const edgeLabel: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(filled(63), filled(64), `${filled(62)}-`, `-${filled(5)}`, 'WWW', 'Api', 'xn--bcher-kva', 'XN--BCHER-KVA',
    'xn--example', 'xn--a', 'ab--cd', 'a--b', 'abc--d', '_acme', 'a_b', 'bücher', 'δοκιμή', '例え', '*', 'a*', '*a', '',
    ' ', 'a b', '\t', 'a\nb', '123', '0', 'a.b', '\u200b', '😀', 'ﬀ'),
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }),
);

const tld = fc.oneof(fc.constantFrom('com', 'org', 'io', 'COM', 'example', 'xn--p1ai', 'c', '1', '12', 'co.uk', 'internal'), validLabel(8));

/** Names of exactly 253 and 254 octets (acm-digest DN-3). */
export const lengthBoundaryName = fc.constantFrom(
  `${filled(63)}.${filled(63, ALNUM, 1)}.${filled(63, ALNUM, 2)}.${filled(61, LOWER, 3)}`,
  `${filled(63)}.${filled(63, ALNUM, 1)}.${filled(63, ALNUM, 2)}.${filled(62, LOWER, 3)}`,
  `${filled(64)}.${filled(63, ALNUM, 1)}.${filled(63, ALNUM, 2)}.${filled(61, LOWER, 3)}`,
  `${filled(60, LOWER)}.com`, `${filled(61, LOWER)}.com`, `${filled(62, LOWER)}.com`, `*.${filled(58, LOWER)}.com`, `*.${filled(59, LOWER)}.com`,
);

/** Well-formed names (with a possibly odd top label), optionally wildcards. */
export const plainDomain: fc.Arbitrary<string> = fc.tuple(fc.array(validLabel(), { minLength: 1, maxLength: 3 }), fc.oneof({ weight: 4, arbitrary: fc.constantFrom('com', 'org', 'io', 'COM', 'net') }, { weight: 1, arbitrary: tld }), fc.boolean())
  .map(([ls, t, star]) => `${star ? '*.' : ''}${[...ls, t].join('.')}`);

/** Well-formed names under example.com (so hosted zones and validation domains can cover them). */
export const exampleDomain: fc.Arbitrary<string> = fc.oneof(
  validLabel().map((l) => `${l}.example.com`),
  fc.constantFrom('example.com', '*.example.com', 'a.sub.example.com', '*.sub.example.com', 'WWW.Example.Com', 'www.example.org'),
);

/** Domain names: mostly well-formed, with wildcards, edge labels, trailing dots, case and Amazon-owned suffixes. */
export const domainName: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: plainDomain },
  { weight: 3, arbitrary: fc.tuple(fc.array(fc.oneof(validLabel(), edgeLabel), { minLength: 1, maxLength: 3 }), tld).map(([ls, t]) => [...ls, t].join('.')) },
  { weight: 1, arbitrary: fc.tuple(validLabel(), fc.constantFrom('amazonaws.com', 's3.amazonaws.com', 'cloudfront.net', 'elasticbeanstalk.com', 'notamazonaws.com')).map(([a, b]) => `${a}.${b}`) },
  { weight: 1, arbitrary: fc.tuple(validLabel(), tld, fc.constantFrom('.', '..', ' ', '\n')).map(([a, t, end]) => `${a}.${t}${end}`) },
  { weight: 1, arbitrary: fc.tuple(validLabel(), tld, fc.constantFrom('.', '*', '*.*.', '**.', '-')).map(([a, t, start]) => `${start}${a}.${t}`) },
  { weight: 1, arbitrary: lengthBoundaryName },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('xn--example', 'xn--a', 'xn--zz', 'xn--xyz', 'xn--bcher-kva', 'XN--BCHER-KVA', 'ab--example', 'a--example', 'abc--example'), fc.constantFrom('com', 'example.com'))
      .map(([a, b]) => `${a}.${b}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('', '*', 'localhost', '1.2.3.4', '10.0.0.300', 'example.com', 'EXAMPLE.COM', 'a.b', 'a.bc', '*.com', '_dmarc.example.com') },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);

/** Tag keys and values at and over their limits, with reserved prefixes and bad characters. */
export const tagKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.:/=+@ -]{0,15}$/) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(filled(127), filled(128), filled(129), 'aws:team', 'AWS:team', 'Aws:x', 'awsteam', '', ' ', 'a#b', 'tab\tkey',
      'new\nline', 'ünïcødé', '日本', 'key,comma', 'emoji😀', '𝐀𝐁', 'a'.repeat(64) + 'é'.repeat(64), 'é'.repeat(129), 'cdk-pki:imported-version', 'Name'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);
export const tagValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:/=+@ -]{0,20}$/) },
  { weight: 2, arbitrary: fc.constantFrom('', filled(255), filled(256), filled(257), 'a#b', 'semi;colon', 'line\nbreak', 'ünïcødé', 'x'.repeat(255) + '😀', '𝐀'.repeat(256), '\u00a0nbsp') },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);

/** Tag maps: none, a few hostile ones, or 48-52 valid ones (around the 50-tag limit). */
export const tags: fc.Arbitrary<Record<string, string> | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.array(fc.tuple(tagKey, tagValue), { maxLength: 4 }).map((es) => Object.fromEntries(es.filter(([k]) => k !== '__proto__'))) },
  { weight: 1, arbitrary: fc.integer({ min: 47, max: 52 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]))) },
);

/** Mostly `good`, sometimes `hostile`: keeps records with many fields from being almost always invalid. */
export const mostly = <T>(good: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>, goodWeight = 4): fc.Arbitrary<T> =>
  fc.oneof({ weight: goodWeight, arbitrary: good }, { weight: 1, arbitrary: hostile });

/** `undefined` half of the time (fc.option gives undefined only one time in five). */
export const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof(fc.constant(undefined), arb);

/** A number prop around its limits, with non-integers and non-finite values. */
export const aroundInts = (values: number[]): fc.Arbitrary<number> =>
  fc.oneof(fc.constantFrom(...values, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY), fc.integer({ min: -5, max: 6000 }));
