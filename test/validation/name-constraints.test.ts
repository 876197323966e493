import { Lazy, Token } from 'aws-cdk-lib';
import {
  formatIpRange,
  parseIpRange,
  parseIpv6,
  subtreeContains,
  validateNameConstraints,
} from '../../src/validation/name-constraints';

const lazy = (v: string) => Lazy.string({ produce: () => v });

describe('validateNameConstraints', () => {
  test.each([
    [{ permittedDnsDomains: ['corp.example.com'] }],
    [{ permittedDnsDomains: ['.dev.example.com', 'corp', 'Example.COM'] }],
    [{ excludedDnsDomains: ['example.org'] }],
    [{ permittedIpRanges: ['10.0.0.0/8', '192.168.1.7/32', '0.0.0.0/0', '2001:db8::/32', '::/0', '::ffff:10.0.0.0/104', 'fe80::/10'] }],
    [{ excludedIpRanges: ['0.0.0.0/0', '::/0'] }],
    [{ permittedEmailDomains: ['admin@example.com', 'example.com', '.example.com', "o'brien+tag@mail.corp"] }],
    [{ permittedDnsDomains: ['example.com'], excludedDnsDomains: ['secret.example.com', '.internal.example.com'] }],
    [{ permittedDnsDomains: ['.example.com'], excludedDnsDomains: ['a.example.com'] }],
    [{ permittedIpRanges: ['10.0.0.0/8'], excludedIpRanges: ['10.9.0.0/16', '10.1.2.3/32'] }],
    [{ permittedEmailDomains: ['.example.com', 'example.com'], excludedEmailDomains: ['ceo@example.com', 'hr.example.com', '.secret.example.com'] }],
    // Exclusions of a kind without permitted subtrees are always meaningful.
    [{ permittedDnsDomains: ['example.com'], excludedIpRanges: ['0.0.0.0/0'], excludedEmailDomains: ['example.org'] }],
    [{ permittedDnsDomains: [], excludedDnsDomains: ['example.org'] }],
  ])('accepts %j', (spec) => {
    expect(validateNameConstraints(spec)).toEqual([]);
  });

  test('an empty spec is refused', () => {
    const message = 'name constraints are empty: give at least one permitted or excluded subtree, such as permittedDnsDomains: ' +
      '["corp.example.com"]. An empty extension constrains nothing; leave nameConstraints out for an unconstrained CA.';
    expect(validateNameConstraints({})).toEqual([message]);
    expect(validateNameConstraints({ permittedDnsDomains: [], excludedIpRanges: [] })).toEqual([message]);
  });

  test.each<[object, string]>([
    [{ permittedDnsDomains: [''] }, 'permittedDnsDomains[0] "" is empty: give a domain such as "example.com" (the domain and every name below it) or ".example.com" (only the names below it).'],
    [{ permittedDnsDomains: ['*.example.com'] }, 'permittedDnsDomains[0] "*.example.com" is a wildcard, which a name constraint does not take: ' +
      '"example.com" covers that domain and every name below it, ".example.com" only the names below it.'],
    [{ permittedDnsDomains: ['admin@example.com'] }, 'permittedDnsDomains[0] "admin@example.com" is an email address: put email constraints in permittedEmailDomains / excludedEmailDomains.'],
    [{ excludedDnsDomains: ['10.0.0.0/8'] }, 'excludedDnsDomains[0] "10.0.0.0/8" is an IP address or range: put IP constraints in permittedIpRanges / excludedIpRanges as CIDR ranges such as "10.0.0.0/8".'],
    [{ excludedDnsDomains: ['10.1.2.3'] }, 'excludedDnsDomains[0] "10.1.2.3" is an IP address or range: put IP constraints in permittedIpRanges / excludedIpRanges as CIDR ranges such as "10.0.0.0/8".'],
    [{ permittedDnsDomains: ['-corp'] }, 'permittedDnsDomains[0] "-corp": the single label "-corp" is not a valid domain: a label is 1-63 ASCII letters, digits and ' +
      'hyphens, not all digits, and neither starts nor ends with a hyphen.'],
    [{ permittedDnsDomains: ['a_b.example.com'] }, 'permittedDnsDomains[0] "a_b.example.com": domain name "a_b.example.com" contains an underscore "_", which ACM does not ' +
      'accept in domain names: use a hyphen "-" instead.'],
    [{ permittedDnsDomains: ['example.com.'] }, 'permittedDnsDomains[0] "example.com.": domain name "example.com." ends with a dot, which ACM does not accept: remove the trailing dot ("example.com").'],
    [{ permittedDnsDomains: ['..example.com'] }, 'permittedDnsDomains[0] "..example.com": domain name ".example.com" starts with a dot: remove the leading dot ("example.com").'],
    [{ permittedIpRanges: ['10.0.0.1'] }, 'permittedIpRanges[0] "10.0.0.1" has no prefix length: a name constraint takes a CIDR range; for this one address write "10.0.0.1/32".'],
    [{ permittedIpRanges: ['2001:db8::1'] }, 'permittedIpRanges[0] "2001:db8::1" has no prefix length: a name constraint takes a CIDR range; for this one address write "2001:db8::1/128".'],
    [{ permittedIpRanges: ['corp'] }, 'permittedIpRanges[0] "corp" is not a CIDR range: give an IPv4 or IPv6 network with its prefix length, as in "10.0.0.0/8" or "2001:db8::/32".'],
    [{ permittedIpRanges: ['10.0.0.256/8'] }, 'permittedIpRanges[0] "10.0.0.256/8" does not start with an IPv4 or IPv6 address: give a CIDR range such as "10.0.0.0/8" or ' +
      '"2001:db8::/32" (IPv4 octets without leading zeros, IPv6 without a zone).'],
    [{ permittedIpRanges: ['010.0.0.0/8'] }, 'permittedIpRanges[0] "010.0.0.0/8" does not start with an IPv4 or IPv6 address: give a CIDR range such as "10.0.0.0/8" or ' +
      '"2001:db8::/32" (IPv4 octets without leading zeros, IPv6 without a zone).'],
    [{ permittedIpRanges: ['fe80::1%eth0/64'] }, 'permittedIpRanges[0] "fe80::1%eth0/64" does not start with an IPv4 or IPv6 address: give a CIDR range such as "10.0.0.0/8" or ' +
      '"2001:db8::/32" (IPv4 octets without leading zeros, IPv6 without a zone).'],
    [{ permittedIpRanges: ['10.0.0.0/33'] }, 'permittedIpRanges[0] "10.0.0.0/33" has the prefix length "33": an IPv4 prefix length is a whole number from 0 to 32.'],
    [{ permittedIpRanges: ['2001:db8::/129'] }, 'permittedIpRanges[0] "2001:db8::/129" has the prefix length "129": an IPv6 prefix length is a whole number from 0 to 128.'],
    [{ permittedIpRanges: ['10.0.0.0/x'] }, 'permittedIpRanges[0] "10.0.0.0/x" has the prefix length "x": an IPv4 prefix length is a whole number from 0 to 32.'],
    [{ permittedIpRanges: ['10.1.2.3/8'] }, 'permittedIpRanges[0] "10.1.2.3/8" has bits set after its /8 prefix: the range is written with its network address, ' +
      '"10.0.0.0/8". Use that, or a longer prefix if you meant a smaller range.'],
    [{ permittedIpRanges: ['2001:db8:0:0:1::/32'] }, 'permittedIpRanges[0] "2001:db8:0:0:1::/32" has bits set after its /32 prefix: the range is written with its network ' +
      'address, "2001:db8::/32". Use that, or a longer prefix if you meant a smaller range.'],
    [{ permittedEmailDomains: ['a@b@example.com'] }, 'permittedEmailDomains[0] "a@b@example.com" has more than one "@": a mailbox constraint is one address, as in "admin@example.com".'],
    [{ permittedEmailDomains: ['@example.com'] }, 'permittedEmailDomains[0] "@example.com" has the local part "", which is not a plain mailbox name: use at most 64 ASCII ' +
      'letters, digits and !#$%&\'*+/=?^_`{|}~- characters, separated by single dots (quoted local parts are not supported).'],
    [{ permittedEmailDomains: ['admin@.example.com'] }, 'permittedEmailDomains[0] "admin@.example.com" needs a host after the "@" (as in "admin@example.com"); for every ' +
      'address in a domain write ".example.com" without a mailbox.'],
    [{ excludedEmailDomains: [''] }, 'excludedEmailDomains[0] "" is empty: give a mailbox ("admin@example.com"), a host ("example.com", every address at that host) or a ' +
      'domain (".example.com", every address at hosts below it).'],
    [{ permittedDnsDomains: ['example.com', 'EXAMPLE.com'] }, 'permittedDnsDomains[1] "EXAMPLE.com" repeats permittedDnsDomains[0]: list each subtree once.'],
    [{ permittedIpRanges: ['2001:db8::/32', '2001:0db8:0::/32'] }, 'permittedIpRanges[1] "2001:0db8:0::/32" repeats permittedIpRanges[0]: list each subtree once.'],
    [{ permittedDnsDomains: 'example.com' }, 'permittedDnsDomains "example.com" is not a list: give a list of DNS domains.'],
    [{ permittedIpRanges: [42] }, 'permittedIpRanges[0] 42 is not a string: give an IP range.'],
  ])('refuses %j', (spec, message) => {
    expect(validateNameConstraints(spec as any)).toEqual([message]);
  });

  test.each<[object, string]>([
    [{ permittedDnsDomains: ['corp.example.com'], excludedDnsDomains: ['example.org'] }, 'excludedDnsDomains[0] "example.org" lies outside every permitted DNS domain ' +
      '(permittedDnsDomains): names outside the permitted subtrees are refused anyway, so this exclusion has no effect. Remove it, or permit a subtree that contains it.'],
    // ".example.com" covers only names below example.com, so example.com itself is outside.
    [{ permittedDnsDomains: ['.example.com'], excludedDnsDomains: ['example.com'] }, 'excludedDnsDomains[0] "example.com" covers the whole permitted subtree ".example.com" ' +
      '(permittedDnsDomains), so that subtree permits nothing: remove one of them, or exclude a narrower subtree inside it.'],
    [{ permittedDnsDomains: ['a.example.com'], excludedDnsDomains: ['badexample.com'] }, 'excludedDnsDomains[0] "badexample.com" lies outside every permitted DNS domain ' +
      '(permittedDnsDomains): names outside the permitted subtrees are refused anyway, so this exclusion has no effect. Remove it, or permit a subtree that contains it.'],
    [{ permittedIpRanges: ['10.0.0.0/8'], excludedIpRanges: ['2001:db8::/32'] }, 'excludedIpRanges[0] "2001:db8::/32" lies outside every permitted IP range ' +
      '(permittedIpRanges): names outside the permitted subtrees are refused anyway, so this exclusion has no effect. Remove it, or permit a subtree that contains it.'],
    [{ permittedIpRanges: ['10.1.0.0/16'], excludedIpRanges: ['10.0.0.0/8'] }, 'excludedIpRanges[0] "10.0.0.0/8" covers the whole permitted subtree "10.1.0.0/16" ' +
      '(permittedIpRanges), so that subtree permits nothing: remove one of them, or exclude a narrower subtree inside it.'],
    // The host example.com and the domain .example.com are separate subtrees in rfc822Name constraints.
    [{ permittedEmailDomains: ['example.com'], excludedEmailDomains: ['.example.com'] }, 'excludedEmailDomains[0] ".example.com" lies outside every permitted email domain or ' +
      'address (permittedEmailDomains): names outside the permitted subtrees are refused anyway, so this exclusion has no effect. Remove it, or permit a subtree that contains it.'],
    [{ permittedEmailDomains: ['admin@example.com'], excludedEmailDomains: ['Admin@example.com'] }, 'excludedEmailDomains[0] "Admin@example.com" lies outside every ' +
      'permitted email domain or address (permittedEmailDomains): names outside the permitted subtrees are refused anyway, so this exclusion has no effect. ' +
      'Remove it, or permit a subtree that contains it.'],
  ])('refuses exclusions without effect or covering a permitted subtree: %j', (spec, message) => {
    expect(validateNameConstraints(spec)).toEqual([message]);
  });

  test('the same subtree permitted and excluded permits nothing', () => {
    expect(validateNameConstraints({ permittedDnsDomains: ['a.example.com', 'b.example.com'], excludedDnsDomains: ['A.example.com'] })).toEqual([
      'excludedDnsDomains[0] "A.example.com" covers the whole permitted subtree "a.example.com" (permittedDnsDomains), so that subtree permits nothing: ' +
        'remove one of them, or exclude a narrower subtree inside it.',
    ]);
  });

  test('the prefix names the prop in every message', () => {
    const problems = validateNameConstraints({ permittedDnsDomains: ['*.x.com'], permittedIpRanges: ['10.0.0.0/8'], excludedIpRanges: ['11.0.0.0/8'] }, 'nameConstraints.');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^nameConstraints\.permittedDnsDomains\[0\] "\*\.x\.com" is a wildcard/);
    expect(problems[1]).toMatch(/^nameConstraints\.excludedIpRanges\[0\] "11\.0\.0\.0\/8" lies outside every permitted IP range \(nameConstraints\.permittedIpRanges\)/);
  });

  test('reports every problem at once', () => {
    const problems = validateNameConstraints({ permittedDnsDomains: ['*.a.com', 'b.com'], permittedIpRanges: ['1.2.3.4/8'], excludedEmailDomains: ['a@b@c'] });
    expect(problems).toHaveLength(3);
  });

  test('unresolved tokens are skipped: whole lists, single values, and the whole spec', () => {
    expect(validateNameConstraints({ permittedDnsDomains: [lazy('example.com')] })).toEqual([]);
    expect(validateNameConstraints({ permittedDnsDomains: Token.asList(Lazy.list({ produce: () => ['x'] })) })).toEqual([]);
    expect(validateNameConstraints({ permittedIpRanges: ['10.0.0.0/8'], excludedIpRanges: [lazy('11.0.0.0/8')] })).toEqual([]);
    expect(validateNameConstraints(Lazy.any({ produce: () => ({}) }) as any)).toEqual([]);
    expect(validateNameConstraints(null as any)).toEqual(['name constraints null are not an object: give lists such as { permittedDnsDomains: ["corp.example.com"] }.']);
  });
});

describe('IP ranges', () => {
  test.each([
    ['10.0.0.0/8', { family: 4, bytes: [10, 0, 0, 0], prefix: 8 }],
    ['::/0', { family: 6, bytes: new Array(16).fill(0), prefix: 0 }],
    ['::ffff:10.0.0.0/104', { family: 6, bytes: [...new Array(10).fill(0), 255, 255, 10, 0, 0, 0], prefix: 104 }],
    ['2001:db8::/32', { family: 6, bytes: [0x20, 0x01, 0x0d, 0xb8, ...new Array(12).fill(0)], prefix: 32 }],
  ])('parses %s', (text, range) => {
    expect(parseIpRange(text)).toEqual(range);
  });

  test.each(['10.0.0/8', '10.0.0.0/08', '1:2:3:4:5:6:7:8:9/64', '1::2::3/64', ':1::/64', '1:::2/64', '::1.2.3.4:5/64', '1.2.3.4::/64', '12345::/16', '/8', '10.0.0.0/'])(
    'refuses %s', (text) => {
      expect(parseIpRange(text)).toBeUndefined();
    });

  test('IPv6 text forms', () => {
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(parseIpv6('1:2:3:4:5:6:1.2.3.4')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]);
    expect(parseIpv6('1:2:3:4:5:6:7::')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]);
    expect(parseIpv6('1:2:3:4:5:6:7:8::')).toBeUndefined();
  });

  test.each([
    ['2001:db8::/32', '2001:db8::/32'],
    ['0:0:1:0:0:0:1:0/128', '0:0:1::1:0/128'],
    ['1:2:3:4:5:6:7:8/128', '1:2:3:4:5:6:7:8/128'],
    ['::/0', '::/0'],
    ['1::/16', '1::/16'],
    ['10.0.0.0/8', '10.0.0.0/8'],
  ])('formats %s as %s', (text, canonical) => {
    expect(formatIpRange(parseIpRange(text)!)).toBe(canonical);
  });
});

describe('subtreeContains', () => {
  test.each<['dns' | 'ip' | 'email', string, string, boolean]>([
    ['dns', 'example.com', 'example.com', true],
    ['dns', 'example.com', 'a.b.example.com', true],
    ['dns', 'example.com', '.example.com', true],
    ['dns', '.example.com', 'a.example.com', true],
    ['dns', '.example.com', '.example.com', true],
    ['dns', '.example.com', 'example.com', false],
    ['dns', 'example.com', 'badexample.com', false],
    ['dns', 'Example.COM', 'a.example.com', true],
    ['ip', '10.0.0.0/8', '10.200.0.0/16', true],
    ['ip', '10.0.0.0/8', '11.0.0.0/16', false],
    ['ip', '10.0.0.0/16', '10.0.0.0/8', false],
    ['ip', '::/0', '2001:db8::/32', true],
    ['ip', '0.0.0.0/0', '2001:db8::/32', false],
    ['ip', 'x', '10.0.0.0/8', false],
    ['email', 'example.com', 'a@example.com', true],
    ['email', 'example.com', 'a@sub.example.com', false],
    ['email', '.example.com', 'a@sub.example.com', true],
    ['email', '.example.com', 'sub.example.com', true],
    ['email', '.example.com', 'a@example.com', false],
    ['email', 'a@example.com', 'a@EXAMPLE.com', true],
    ['email', 'a@example.com', 'A@example.com', false],
    ['email', 'a@example.com', 'example.com', false],
  ])('%s: %s contains %s: %s', (kind, parent, child, expected) => {
    expect(subtreeContains(kind, parent, child)).toBe(expected);
  });
});
