import { maskBytes, NameConstraintsFacts, parseIpRange, SUBTREE_LISTS, SubtreeKind } from '../validation/name-constraints';

/*
 * A DER encoder for the RFC 5280 NameConstraints extension value (OID 2.5.29.30), with no dependency:
 *
 *   NameConstraints ::= SEQUENCE {
 *     permittedSubtrees [0] GeneralSubtrees OPTIONAL,
 *     excludedSubtrees  [1] GeneralSubtrees OPTIONAL }
 *   GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree
 *   GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }
 *
 * The module uses implicit tags, so [0]/[1] replace the SEQUENCE tag (constructed 0xA0/0xA1) and the GeneralName
 * choices replace the string tags: rfc822Name [1] IA5String (0x81), dNSName [2] IA5String (0x82), iPAddress [7]
 * OCTET STRING (0x87, the network address followed by its mask). `minimum` is its default and `maximum` is absent, so
 * DER leaves both out. Callers validate first (validateNameConstraints); values here are concrete strings.
 */

/** The object identifier of the name-constraints extension. */
export const NAME_CONSTRAINTS_OID = '2.5.29.30';

/**
 * The most base64 characters Private CA takes in a `CustomExtension.Value` (so at most 3,072 bytes of DER).
 *
 * @see https://docs.aws.amazon.com/privateca/latest/APIReference/API_CustomExtension.html
 */
export const MAX_CUSTOM_EXTENSION_BASE64 = 4096;

const TAG_SEQUENCE = 0x30;
const TAG_PERMITTED = 0xa0;
const TAG_EXCLUDED = 0xa1;
const TAG_NAME: Record<SubtreeKind, number> = { email: 0x81, dns: 0x82, ip: 0x87 };

/** A DER length: short form below 128, else 0x80 + the count of big-endian length bytes. */
function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return [0x80 + bytes.length, ...bytes];
}

/** One tag-length-value. */
export function tlv(tag: number, content: readonly number[]): number[] {
  return [tag, ...derLength(content.length), ...content];
}

/** The content octets of a GeneralName of `kind`: IA5 (ASCII) text, or an IP network address and its mask. */
function nameContent(kind: SubtreeKind, value: string): number[] {
  if (kind !== 'ip') {
    return [...Buffer.from(value, 'ascii')];
  }
  const range = parseIpRange(value);
  if (!range) throw new Error(`not a CIDR range: ${JSON.stringify(value)}`);
  const mask = maskBytes(range.bytes.map(() => 0xff), range.prefix);
  return [...maskBytes(range.bytes, range.prefix), ...mask];
}

/** GeneralSubtrees of one side (permitted or excluded) in the order DNS, IP, email, each list as given. */
function subtrees(spec: NameConstraintsFacts, side: 'permitted' | 'excluded'): number[] {
  const content: number[] = [];
  for (const lists of SUBTREE_LISTS) {
    for (const value of spec[lists[side]] ?? []) {
      content.push(...tlv(TAG_SEQUENCE, tlv(TAG_NAME[lists.kind], nameContent(lists.kind, value))));
    }
  }
  return content;
}

/**
 * The DER of a NameConstraints value. Empty sides are left out (GeneralSubtrees has at least one element).
 *
 * @param spec a validated spec with concrete values
 */
export function encodeNameConstraints(spec: NameConstraintsFacts): Buffer {
  const permitted = subtrees(spec, 'permitted');
  const excluded = subtrees(spec, 'excluded');
  const content = [
    ...(permitted.length > 0 ? tlv(TAG_PERMITTED, permitted) : []),
    ...(excluded.length > 0 ? tlv(TAG_EXCLUDED, excluded) : []),
  ];
  return Buffer.from(tlv(TAG_SEQUENCE, content));
}

/**
 * The base64 of the extension value's DER: what Private CA's `ApiPassthrough.Extensions.CustomExtensions[].Value`
 * takes (the contents of the certificate's `extnValue` OCTET STRING, without the OID or the critical flag).
 */
export function nameConstraintsExtensionValue(spec: NameConstraintsFacts): string {
  return encodeNameConstraints(spec).toString('base64');
}
