import { Aws, Lazy, Token } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { certificateTags, validateTags } from '../../src/validation/tags';

const NUM_RUNS = 500;
const AWS_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** U+1D49C MATHEMATICAL SCRIPT CAPITAL A: one letter, two UTF-16 units. */
const ASTRAL_LETTER = '\u{1D49C}';

function manyTags(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, `value${i}`]));
}

describe('validateTags', () => {
  test.each<[string, Record<string, string>]>([
    ['no tags', {}],
    ['a simple tag', { Name: 'my-certificate' }],
    ['spaces', { 'Cost Center': 'Team A' }],
    ['every allowed symbol', { 'a_b.c:d/e=f+g-h@i': '_.:/=+-@' }],
    ['an empty value', { Owner: '' }],
    ['unicode letters', { Ключ: 'Значение', 名前: '証明書', Ñandú: 'Ärger' }],
    ['unicode digits and separators', { 'k\u3000v': '٣٤\u00a0x' }],
    ['a key that only contains "aws"', { 'aws': 'x', 'awsome': 'y', 'my-aws:key': 'z' }],
    ['a key of 128 characters', { ['k'.repeat(128)]: 'v' }],
    ['a value of 256 characters', { k: 'v'.repeat(256) }],
    ['128 astral letters (256 UTF-16 units)', { [ASTRAL_LETTER.repeat(128)]: ASTRAL_LETTER.repeat(256) }],
    ['50 tags', manyTags(50)],
  ])('accepts %s', (_, tags) => {
    expect(validateTags(tags)).toEqual([]);
  });

  test.each<[string, Record<string, string>, string]>([
    ['an empty key', { '': 'v' }, 'tag key "" is empty: a tag key must be 1 to 128 characters'],
    ['a key of 129 characters', { ['k'.repeat(129)]: 'v' }, `tag key "${'k'.repeat(129)}" is 129 characters long: a tag key must be 1 to 128`],
    ['129 astral letters', { [ASTRAL_LETTER.repeat(129)]: 'v' }, 'is 129 characters long'],
    ['a value of 257 characters', { k: 'v'.repeat(257) }, `tag value "${'v'.repeat(257)}" (key "k") is 257 characters long: a tag value may have at most 256`],
    ['a key with "#"', { 'a#b': 'v' }, 'tag key "a#b" contains "#", which AWS does not allow in tags: use only letters, digits, spaces and _ . : / = + - @'],
    ['a key with a tab', { 'a\tb': 'v' }, 'contains "\\t"'],
    ['a key with an emoji', { 'ok😀': 'v' }, 'contains "😀"'],
    ['a key with a lone surrogate', { 'a\ud800': 'v' }, 'contains "\\ud800"'],
    ['a key with many bad characters', { '!#$%&*()': 'v' }, 'contains "!", "#", "$", "%", "&" and 3 more'],
    ['a value with "!"', { k: 'hi!' }, 'tag value "hi!" (key "k") contains "!"'],
    ['a value with a line break', { k: 'a\nb' }, 'contains "\\n"'],
    ['a value with quotes', { k: 'say "x"' }, 'contains "\\""'],
    ['a key starting with aws:', { 'aws:cloudformation:stack': 'v' }, 'tag key "aws:cloudformation:stack" starts with "aws:", a prefix AWS reserves'],
    ['a key starting with AWS:', { 'AWS:x': 'v' }, 'starts with "aws:"'],
    ['a key starting with Aws:', { 'Aws:x': 'v' }, 'choose another key'],
    ['51 tags', manyTags(51), '51 tags given, but a resource may have at most 50: remove 1 of them'],
  ])('refuses %s', (_, tags, message) => {
    expect(validateTags(tags)).toEqual([expect.stringContaining(message)]);
  });

  test('reports every problem of every tag', () => {
    expect(validateTags({ 'aws:a#': 'x'.repeat(300) + '!', '': '' })).toEqual([
      expect.stringContaining('tag key "aws:a#" contains "#"'),
      expect.stringContaining('tag key "aws:a#" starts with "aws:"'),
      expect.stringContaining('is 301 characters long'),
      expect.stringContaining('contains "!"'),
      expect.stringContaining('tag key "" is empty'),
    ]);
  });

  test.each<[number, number, boolean]>([
    [10, 10, true],
    [11, 10, false],
    [1, 1, true],
    [2, 1, false],
    [60, 100, true],
  ])('%d tags with maxTags %d: valid = %j', (count, maxTags, valid) => {
    const problems = validateTags(manyTags(count), { maxTags });
    expect(problems).toEqual(valid ? [] : [expect.stringContaining(`${count} tags given, but a resource may have at most ${maxTags}`)]);
  });

  test.each([{}, { maxTags: undefined }, { maxTags: NaN }, { maxTags: -1 }, { maxTags: 1.5 }, { maxTags: Token.asNumber({ Ref: 'Max' }) }])(
    'falls back to 50 tags for the options %j', (options) => {
      expect(validateTags(manyTags(50), options as any)).toEqual([]);
      expect(validateTags(manyTags(51), options as any)).toEqual([expect.stringContaining('at most 50')]);
    });

  describe('tokens', () => {
    test('a token value skips the value checks', () => {
      expect(validateTags({ Stack: Aws.STACK_NAME, Lazy: Lazy.string({ produce: () => '!!!' }), Mixed: `x#${Aws.REGION}` })).toEqual([]);
    });

    test('a token key skips the key checks, but not the value checks', () => {
      expect(validateTags({ [Aws.REGION]: 'v', [`aws:${Aws.ACCOUNT_ID}#`]: 'ok' })).toEqual([]);
      expect(validateTags({ [Token.asString({ Ref: 'Key' })]: 'bad!' })).toEqual([expect.stringContaining('contains "!"')]);
    });

    test('token keys count toward the total', () => {
      const tags = manyTags(50);
      tags[Lazy.string({ produce: () => 'extra' })] = 'v';
      expect(validateTags(tags)).toEqual([expect.stringContaining('51 tags given')]);
    });

    test('a token for the whole map is skipped', () => {
      expect(validateTags(Lazy.any({ produce: () => ({ 'aws:x': '!' }) }) as any)).toEqual([]);
    });
  });

  test.each<[string, unknown, unknown[]]>([
    ['undefined', undefined, []],
    ['null', null, []],
    ['a string', 'Name=x', [expect.stringContaining('tags "Name=x" are not a map of keys to values')]],
    ['a number', 5, [expect.stringContaining('tags 5 are not a map')]],
    ['an array', [['k', 'v']], [expect.stringContaining('are not a map')]],
    ['a number value', { k: 5 }, [expect.stringContaining('tag value 5 (key "k") is not a string')]],
    ['an undefined value', { k: undefined }, [expect.stringContaining('tag value (undefined) (key "k") is not a string')]],
  ])('reports %s without throwing', (_, tags, expected) => {
    expect(validateTags(tags as any)).toEqual(expected);
  });

  describe('properties', () => {
    const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('\ud800', 'a', '#', ':', ' ') }));
    const allowedString = (maxLength: number) => fc.string({
      unit: fc.constantFrom('a', 'Z', '0', ' ', '_', '.', ':', '/', '=', '+', '-', '@', 'é', '名', '٣', '\u3000', ASTRAL_LETTER),
      maxLength,
    });

    test('never throws and returns strings, for any record or value', () => {
      fc.assert(
        fc.property(fc.oneof(fc.dictionary(anyString, anyString) as fc.Arbitrary<unknown>, fc.anything()), fc.anything(), (tags, options) => {
          const problems = validateTags(tags as any, options as any);
          expect(problems.every((p) => typeof p === 'string' && p.length > 0)).toBe(true);
        }),
        { numRuns: NUM_RUNS },
      );
    });

    test('accepted tags follow the AWS rules', () => {
      fc.assert(
        fc.property(fc.dictionary(fc.oneof(anyString, allowedString(130)), fc.oneof(anyString, allowedString(260)), { maxKeys: 55 }), (tags) => {
          if (validateTags(tags).length === 0) {
            const entries = Object.entries(tags);
            expect(entries.length).toBeLessThanOrEqual(50);
            for (const [key, value] of entries) {
              expect([...key].length).toBeGreaterThanOrEqual(1);
              expect([...key].length).toBeLessThanOrEqual(128);
              expect([...value].length).toBeLessThanOrEqual(256);
              expect(key).toMatch(AWS_PATTERN);
              expect(value).toMatch(AWS_PATTERN);
              expect(key.toLowerCase().startsWith('aws:')).toBe(false);
            }
          }
        }),
        { numRuns: NUM_RUNS },
      );
    });

    test('generated valid tags are accepted', () => {
      const key = allowedString(128).filter((k) => k.length > 0 && !k.toLowerCase().startsWith('aws:'));
      fc.assert(
        fc.property(fc.dictionary(key, allowedString(256), { maxKeys: 50 }), (tags) => {
          expect(validateTags(tags)).toEqual([]);
        }),
        { numRuns: NUM_RUNS },
      );
    });
  });
});

describe('certificateTags', () => {
  const PATH = `Stack/${'p'.repeat(300)}`;

  test('issue 14 (7): certificateName and tags.Name both given is a problem naming both values and the fix', () => {
    expect(certificateTags(PATH, 'web', { Name: 'frontend', team: 'x' }).problems).toEqual([
      'certificateName "web" and tags.Name "frontend" both set the certificate\'s Name tag (the tag would silently win): ' +
        'give the name once, as certificateName or as tags.Name, not both.',
    ]);
  });

  test('issue 14 (1): Name from certificateName, else tags.Name, else the path cut to 255 characters; Name first', () => {
    expect(certificateTags(PATH, 'web', { team: 'x' })).toEqual({ tags: { Name: 'web', team: 'x' }, problems: [] });
    expect(Object.entries(certificateTags(PATH, undefined, { team: 'x', Name: 'frontend' }).tags)).toEqual([['Name', 'frontend'], ['team', 'x']]);
    expect(certificateTags(PATH, undefined, undefined)).toEqual({ tags: { Name: PATH.slice(0, 255) }, problems: [] });
    // A token name is still a name given twice; a token for the whole map cannot be checked.
    expect(certificateTags(PATH, Aws.STACK_NAME, { Name: 'x' }).problems).toHaveLength(1);
    expect(certificateTags(PATH, 'web', Lazy.any({ produce: () => ({ Name: 'x' }) }) as any).problems).toEqual([]);
  });
});

