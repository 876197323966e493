import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { NameConstraintsOptions } from '../../../src/private-ca/name-constraints';
import { PrivateCaHierarchy } from '../../../src/private-ca/private-ca-hierarchy';
import { RootCa } from '../../../src/private-ca/root-ca';
import { SubordinateCa } from '../../../src/private-ca/subordinate-ca';
import { filled, maybe } from '../arbitraries';
import { AdversarialSpec, CfnTemplate, Finding, may, must } from '../harness';
import { resourcesOf } from '../oracle/template';

/*
 * `nameConstraints` on SubordinateCa and on PrivateCaHierarchy's CAs (issue 16 §4). The documented rules, written
 * from RFC 5280 §4.2.1.10, the props' docs (NameConstraintsOptions, NameConstraints.validate) and Private CA's
 * CustomExtension limits (never calling src/validation). Every value comes from a pool whose defect is known by
 * construction; free-form strings only get `may` findings.
 * - DNS: a domain, optionally with one leading dot ("only the names below"), a single label allowed; no wildcard,
 *   email address or IP. IP: CIDR with the network address and a prefix in range. Email: a mailbox, a host or
 *   a ".domain".
 * - at least one subtree; an exclusion that lies outside every permitted subtree of its kind has no effect (refused);
 *   an exclusion covering a whole permitted subtree, or a repeat, is pointless (either outcome);
 * - the encoded extension fits Private CA's CustomExtension.Value (at most 4,096 base64 characters);
 * - a SubordinateCa needs a parent in the app to carry the constraints; the hierarchy's root takes none (the trust
 *   anchor is not bound by them).
 * The template must issue each constrained CA with a SubordinateCACertificate_PathLen{N}_APIPassthrough template and
 * exactly one critical 2.5.29.30 custom extension whose DER holds exactly the asked subtrees (decoded here by a
 * separate DER reader); unconstrained CAs get no ApiPassthrough.
 */

type Kind = 'dns' | 'ip' | 'email';
const LISTS: Array<[Kind, keyof NameConstraintsOptions, keyof NameConstraintsOptions]> = [
  ['dns', 'permittedDnsDomains', 'excludedDnsDomains'],
  ['ip', 'permittedIpRanges', 'excludedIpRanges'],
  ['email', 'permittedEmailDomains', 'excludedEmailDomains'],
];

const GOOD: Record<Kind, string[]> = {
  dns: ['example.com', '.example.com', 'a.example.com', '.a.example.com', 'b.example.com', 'corp', 'x.corp', 'example.org', 'sub.example.org'],
  ip: ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.0.0.1/32', '192.168.0.0/16', '0.0.0.0/0', '::/0', '2001:db8::/32', '2001:db8:1::/48', 'fd00::/8'],
  email: ['admin@example.com', 'example.com', '.example.com', 'a.example.com', 'ops@a.example.com', 'example.org'],
};
/** Values every reading of the rules refuses, with the reason. */
const BAD: Record<Kind, Record<string, string>> = {
  dns: {
    '': 'empty',
    '*.example.com': 'wildcard',
    'admin@example.com': 'an email address',
    '10.0.0.0/8': 'an IP range',
    '1.2.3.4': 'an IP address',
    '..example.com': 'empty label',
    'exa mple.com': 'space',
    '-a.example.com': 'leading hyphen',
    'a..b.com': 'empty label',
    [`${filled(64)}.com`]: 'label over 63',
    'ünï.example.com': 'not ASCII',
    'example.com/': 'a slash',
  },
  ip: {
    '10.0.0.1/8': 'host bits set',
    '10.0.0.0': 'no prefix',
    '10.0.0.0/33': 'prefix over 32',
    '2001:db8::/129': 'prefix over 128',
    '/8': 'no address',
    'a.b.c.d/8': 'not an address',
    '10.0.0.0/-1': 'negative prefix',
    '2001:db8::1/32': 'host bits set',
    '10.0.0/8': 'three octets',
    '': 'empty',
    '256.0.0.0/8': 'octet over 255',
    '2001:db8:::/32': 'malformed IPv6',
  },
  email: {
    '': 'empty',
    '@example.com': 'empty mailbox',
    'a@b@example.com': 'two @',
    'admin@.example.com': 'a domain after @',
    'admin@': 'no host',
    'adm in@example.com': 'space',
    '*@example.com': 'wildcard mailbox',
    'ünï@example.com': 'not ASCII',
    '*.example.com': 'wildcard',
  },
};
/** Values whose treatment the documents leave open. */
const ODD: Record<Kind, string[]> = {
  dns: ['example.com.', 'EXAMPLE.com', 'xn--bcher-kva.example', '123', '_srv.example.com'],
  ip: ['010.0.0.0/8', '10.0.0.0/08', '::ffff:10.0.0.0/104', '2001:DB8::/32'],
  email: ['"quoted"@example.com', 'Admin@Example.com', 'corp', 'a+b@example.com'],
};

interface CaConstraints {
  lists: Partial<Record<keyof NameConstraintsOptions, string[]>>;
  /** Values drawn as free-form strings (their findings are `may`). */
  free: string[];
}

const value = (kind: Kind) => fc.oneof(
  { weight: 24, arbitrary: fc.constantFrom(...GOOD[kind]) },
  { weight: 1, arbitrary: fc.constantFrom(...Object.keys(BAD[kind])) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD[kind]) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => `~${s}`) },
);
const list = (kind: Kind, weight: number) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight, arbitrary: fc.array(value(kind), { maxLength: 2 }) });
/** 70-80 distinct 36-character domains: the DER crosses Private CA's 3,072-byte (4,096 base64) limit in this range. */
const bulk = fc.integer({ min: 70, max: 80 }).map((n) => Array.from({ length: n }, (_, i) => `${String(i).padStart(3, '0')}${filled(21, 'abcdefghijklmnopqrstuvwxyz')}.example.com`));

const constraints: fc.Arbitrary<CaConstraints> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ dP: list('dns', 4), dE: list('dns', 2), iP: list('ip', 3), iE: list('ip', 2), eP: list('email', 2), eE: list('email', 1) }) },
  { weight: 1, arbitrary: bulk.map((b) => ({ dP: b, dE: undefined, iP: undefined, iE: undefined, eP: undefined, eE: undefined })) },
).map((r) => {
  const lists: CaConstraints['lists'] = {};
  const raw = [r.dP, r.dE, r.iP, r.iE, r.eP, r.eE];
  LISTS.flatMap(([, p, e]) => [p, e]).forEach((name, i) => {
    if (raw[i] !== undefined) lists[name] = raw[i]!.map((v) => (v.startsWith('~') ? v.slice(1) : v));
  });
  const free = raw.flatMap((l) => l ?? []).filter((v) => v.startsWith('~')).map((v) => v.slice(1));
  return { lists, free };
});

interface NameConstraintsInput {
  mode: 'subordinate' | 'no-parent' | 'hierarchy';
  /** By CA: the subordinate, or the hierarchy's root, intermediate and issuing CAs. */
  root?: CaConstraints;
  intermediate?: CaConstraints;
  issuing: CaConstraints;
  withIntermediate: boolean;
  secondIssuing?: CaConstraints;
}

const input: fc.Arbitrary<NameConstraintsInput> = fc.record({
  mode: fc.constantFrom<NameConstraintsInput['mode']>('subordinate', 'subordinate', 'subordinate', 'no-parent', 'hierarchy', 'hierarchy'),
  root: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: constraints }),
  intermediate: maybe(constraints),
  issuing: constraints,
  withIntermediate: fc.boolean(),
  secondIssuing: maybe(constraints),
}, { requiredKeys: ['mode', 'issuing', 'withIntermediate'] });

// ---- an independent reading of the subtrees -------------------------------------------------------------------

/** The bytes of an IPv4 or IPv6 address in the forms GOOD uses. */
function addressBytes(text: string): number[] {
  if (!text.includes(':')) return text.split('.').map(Number);
  const groupsOf = (h: string) => (h === '' ? [] : h.split(':').flatMap((g) => (g.includes('.')
    ? [0, 2].map((k) => { const v4 = g.split('.').map(Number); return v4[k] * 256 + v4[k + 1]; }) : [parseInt(g, 16)])));
  const [head, tail] = text.split('::').map(groupsOf);
  const groups = tail === undefined ? head : [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  return groups.flatMap((g) => [Math.floor(g / 256), g % 256]);
}
/** Network address and mask, as the iPAddress GeneralName carries them (RFC 5280 §4.2.1.10). */
function ipOctets(cidr: string): number[] {
  const [address, prefix] = cidr.split('/');
  const bytes = addressBytes(address);
  const mask = bytes.map((_, i) => 256 - 2 ** (8 - Math.max(0, Math.min(8, Number(prefix) - 8 * i))));
  return [...bytes, ...mask];
}

/** Whether every name of subtree `c` is in subtree `p` (both valid values of `kind`). */
function contains(kind: Kind, p: string, c: string): boolean {
  if (kind === 'ip') {
    // The network's leading bits: a range holds another when its bits are a prefix of the other's (same family).
    const bits = (cidr: string) => {
      const [address, prefix] = cidr.split('/');
      const bytes = addressBytes(address);
      return `${bytes.length}:${bytes.map((b) => b.toString(2).padStart(8, '0')).join('').slice(0, Number(prefix))}`;
    };
    return bits(c).startsWith(bits(p));
  }
  const [pl, cl] = [p.toLowerCase(), c.toLowerCase()];
  if (kind === 'email') {
    if (pl.includes('@')) return pl === cl;
    const host = cl.includes('@') ? cl.split('@')[1] : cl;
    // ".d" holds the hosts below d (and ".x.d", ".d"); a host holds itself and its mailboxes.
    return pl.startsWith('.') ? host.endsWith(pl) || host === pl : host === pl;
  }
  const [pb, cb] = [pl.replace(/^\./, ''), cl.replace(/^\./, '')];
  if (cb.endsWith(`.${pb}`)) return true;
  return cb === pb && (!pl.startsWith('.') || cl.startsWith('.'));
}

/** Independent DER length of the extension value, in base64 characters. */
function base64Size(lists: CaConstraints['lists']): number {
  const len = (n: number) => (n < 0x80 ? 1 : 1 + Math.ceil(Math.log2(n + 1) / 8));
  const tlv = (n: number) => 1 + len(n) + n;
  const side = (names: string[], kindOf: (name: string) => Kind) => names.reduce((s, v) => s + tlv(tlv(kindOf(v) === 'ip' ? ipOctets(v).length : Buffer.byteLength(v))), 0);
  const sides = (['permitted', 'excluded'] as const).map((which) => {
    const entries = LISTS.flatMap(([kind, p, e]) => (lists[which === 'permitted' ? p : e] ?? []).map((v) => [kind, v] as const));
    const n = side(entries.map(([, v]) => v), (v) => entries.find(([, w]) => w === v)![0]);
    return entries.length ? tlv(n) : 0;
  });
  return 4 * Math.ceil(tlv(sides[0] + sides[1]) / 3);
}

function caFindings(where: string, c: CaConstraints): Finding[] {
  const out: Finding[] = [];
  let any = false;
  let sure = true;
  for (const [kind, pName, eName] of LISTS) {
    const valid: Record<'p' | 'e', string[]> = { p: [], e: [] };
    let freeHere = false;
    for (const [side, name] of [['p', pName], ['e', eName]] as const) {
      const values = c.lists[name];
      if (values?.length) any = true;
      const seen = new Set<string>();
      for (const v of values ?? []) {
        if (c.free.includes(v) && !GOOD[kind].includes(v)) {
          freeHere = true;
          if (!ODD[kind].includes(v) && !(v in BAD[kind])) out.push(may(`${where} ${name}: a free-form value`, v));
        }
        if (v in BAD[kind] && !GOOD[kind].includes(v)) {out.push(must(`${where} ${name}: ${BAD[kind][v]}`, v));} else if (ODD[kind].includes(v)) {out.push(may(`${where} ${name}: left open by the documents`, v));} else if (GOOD[kind].includes(v)) {
          const key = kind === 'ip' ? v : v.toLowerCase();
          if (seen.has(key)) out.push(may(`${where} ${name}: listed twice`, v));
          seen.add(key);
          valid[side].push(v);
        }
      }
    }
    if (freeHere || (c.lists[pName] ?? []).some((v) => ODD[kind].includes(v))) sure = false;
    for (const e of valid.e) {
      const covers = valid.p.filter((p) => contains(kind, e, p));
      if (covers.length > 0) {out.push(may(`${where} ${eName}: covers a whole permitted subtree`, e));} else if (valid.p.length > 0 && !valid.p.some((p) => contains(kind, p, e))) {
        out.push((sure ? must : may)(`${where} ${eName}: outside every permitted subtree, so without effect`, e));
      }
    }
  }
  if (!any) out.push(must(`${where}: at least one subtree`, {}));
  if (out.every((f) => f.severity === 'may') && base64Size(c.lists) > 4096) out.push(must(`${where}: CustomExtension.Value at most 4,096 base64 characters`, 4096));
  return out;
}

function findings(i: NameConstraintsInput): Finding[] {
  if (i.mode !== 'hierarchy') {
    const out = caFindings('subordinate', i.issuing);
    if (i.mode === 'no-parent') out.push(must('nameConstraints need a parent in the app', 'nameConstraints'));
    return out;
  }
  const out: Finding[] = [];
  if (i.root !== undefined) out.push(must('root.nameConstraints: the trust anchor takes none', 'root.nameConstraints'));
  if (i.withIntermediate && i.intermediate !== undefined) out.push(...caFindings('intermediate', i.intermediate));
  out.push(...caFindings('issuing', i.issuing));
  if (i.secondIssuing !== undefined) out.push(...caFindings('second issuing', i.secondIssuing));
  return out;
}

// ---- the template ------------------------------------------------------------------------------------------------

/** A DER TLV reader: [tag, content, rest]. */
function readTlv(b: Buffer): [number, Buffer, Buffer] {
  let len = b[1];
  let head = 2;
  if (len >= 0x80) {
    const n = len - 0x80;
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + b[2 + k];
    head = 2 + n;
  }
  return [b[0], b.subarray(head, head + len), b.subarray(head + len)];
}

/** The subtrees of a NameConstraints DER value, as sorted "side kind value" strings. */
function decode(base64: string): string[] {
  const [tag, body, rest] = readTlv(Buffer.from(base64, 'base64'));
  if (tag !== 0x30 || rest.length) return ['not one SEQUENCE'];
  const out: string[] = [];
  for (let side = body; side.length;) {
    const [sideTag, subtrees, after] = readTlv(side);
    side = after;
    for (let s = subtrees; s.length;) {
      const [seqTag, subtree, next] = readTlv(s);
      s = next;
      const [nameTag, name, extra] = readTlv(subtree);
      const kind = ({ 0x81: 'email', 0x82: 'dns', 0x87: 'ip' } as Record<number, string>)[nameTag] ?? `tag${nameTag}`;
      const text = kind === 'ip' ? [...name].join('.') : name.toString('latin1');
      out.push(`${sideTag === 0xa0 ? 'permitted' : sideTag === 0xa1 ? 'excluded' : `side${sideTag}`} ${kind} ${text}${seqTag !== 0x30 || extra.length ? ' (malformed)' : ''}`);
    }
  }
  return out.sort();
}

function expected(c: CaConstraints): string[] {
  return LISTS.flatMap(([kind, p, e]) => [['permitted', p], ['excluded', e]].flatMap(([side, name]) =>
    (c.lists[name as keyof NameConstraintsOptions] ?? []).map((v) => `${side} ${kind} ${kind === 'ip' ? ipOctets(v).join('.') : v}`))).sort();
}

/** The CfnCertificate issuing the CA whose construct path ends in `/<id>`. */
function certificateOf(t: CfnTemplate, idPrefix: string): any {
  const found = resourcesOf(t, 'AWS::ACMPCA::Certificate').filter(([id]) => id.startsWith(idPrefix));
  return found.length === 1 ? found[0][1] : undefined;
}

function checkCa(t: CfnTemplate, idPrefix: string, c: CaConstraints | undefined): string[] {
  const cert = certificateOf(t, idPrefix);
  if (cert === undefined) return [`no single certificate for ${idPrefix}`];
  const template = JSON.stringify(cert.TemplateArn);
  if (c === undefined) {
    return cert.ApiPassthrough !== undefined || template.includes('Passthrough') ? [`${idPrefix}: unconstrained, but issued with ${template} / ApiPassthrough`] : [];
  }
  const problems: string[] = [];
  if (!/SubordinateCACertificate_PathLen[0-3]_APIPassthrough\/V1"/.test(template)) problems.push(`${idPrefix}: template ${template}`);
  const extensions = cert.ApiPassthrough?.Extensions?.CustomExtensions ?? [];
  if (extensions.length !== 1 || Object.keys(cert.ApiPassthrough?.Extensions ?? {}).length !== 1) return [...problems, `${idPrefix}: extensions ${JSON.stringify(cert.ApiPassthrough)}`];
  const [x] = extensions;
  if (x.ObjectIdentifier !== '2.5.29.30' || x.Critical !== true || typeof x.Value !== 'string' || x.Value.length > 4096) problems.push(`${idPrefix}: extension ${JSON.stringify(x)}`);
  const got = decode(String(x.Value));
  if (JSON.stringify(got) !== JSON.stringify(expected(c))) problems.push(`${idPrefix}: subtrees ${JSON.stringify(got)}, asked ${JSON.stringify(expected(c))}`);
  return problems;
}

export const nameConstraintsSpec: AdversarialSpec<NameConstraintsInput> = {
  construct: 'SubordinateCa and PrivateCaHierarchy (nameConstraints)',
  arbitrary: input,
  numRuns: 36,
  build(stack: Stack, i) {
    if (i.mode !== 'hierarchy') {
      const parent = i.mode === 'subordinate' ? new RootCa(stack, 'Root', { subject: { commonName: 'NC Root' }, revocation: { ocsp: true } }) : undefined;
      new SubordinateCa(stack, 'Sub', { parent, subject: { commonName: 'NC Sub' }, revocation: { ocsp: true }, nameConstraints: i.issuing.lists });
      return { path: 'Stack/Sub' };
    }
    new PrivateCaHierarchy(stack, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'NC Root' }, nameConstraints: i.root?.lists },
      intermediates: i.withIntermediate ? [{ id: 'Policy', subject: { commonName: 'NC Policy' }, nameConstraints: i.intermediate?.lists }] : undefined,
      issuing: [
        { id: 'Issuing', subject: { commonName: 'NC Issuing' }, nameConstraints: i.issuing.lists },
        ...(i.secondIssuing ? [{ id: 'Second', subject: { commonName: 'NC Second' }, nameConstraints: i.secondIssuing.lists }] : []),
      ],
    });
    return { path: 'Stack/Pki' };
  },
  oracle: findings,
  checkTemplate(t, i) {
    if (i.mode === 'subordinate') return checkCa(t, 'Sub', i.issuing);
    return [
      ...(i.withIntermediate ? checkCa(t, 'PkiPolicy', i.intermediate) : []),
      ...checkCa(t, 'PkiIssuing', i.issuing),
      ...(i.secondIssuing ? checkCa(t, 'PkiSecond', i.secondIssuing) : []),
    ];
  },
};
