import { Token } from 'aws-cdk-lib';
import { badCharacters, quoteValue } from './errors';

/** Private CA's maximum length of a CRL or OCSP custom CNAME. */
export const MAX_CUSTOM_CNAME_LENGTH = 253;
/** The characters RFC 2396 allows, which is what Private CA accepts in `CustomCname`. */
const CNAME_PATTERN = /^[-a-zA-Z0-9;/?:@&=+$,%_.!~*()']*$/;
const CNAME_CHAR = /^[-a-zA-Z0-9;/?:@&=+$,%_.!~*()']$/;
/** `scheme://` at the start of a value, in any case. */
const SCHEME_PREFIX = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/**
 * Checks a custom CNAME that Private CA writes into certificates in place of the bucket's S3 host name
 * (`CrlConfiguration.CustomCname`; the same rules hold for `OcspConfiguration.OcspCustomCname`): at most 253
 * characters of the RFC 2396 set `^[-a-zA-Z0-9;/?:@&=+$,%_.!~*()']*$`, and no protocol prefix. The pattern alone lets
 * `http://x` through (`:` and `/` are allowed), so a `scheme://` prefix is refused explicitly, in any case.
 *
 * @param cname the name, such as `crl.example.com`; a string containing an unresolved token yields no problems
 * @param property the property named in messages
 * @returns problems, empty when the name is valid
 */
export function validateCustomCname(cname: string, property: string = 'customCname'): string[] {
  if (typeof cname !== 'string') {
    return [`${property} ${quoteValue(cname)} is not a string: give a host name such as "crl.example.com".`];
  }
  if (Token.isUnresolved(cname)) {
    return [];
  }
  const q = quoteValue(cname);
  if (cname.length === 0) {
    return [`${property} "" is empty: give a host name such as "crl.example.com", or leave ${property} out.`];
  }
  const problems: string[] = [];
  const scheme = SCHEME_PREFIX.exec(cname);
  if (scheme) {
    const bare = cname.slice(scheme[0].length);
    problems.push(`${property} ${q} starts with the protocol prefix ${JSON.stringify(scheme[0])}: Private CA adds ` +
      `"http://" itself, so give only the host name${bare ? `, as in ${quoteValue(bare)}` : ''}.`);
  }
  if (cname.length > MAX_CUSTOM_CNAME_LENGTH) {
    problems.push(`${property} ${q} is ${cname.length} characters long: Private CA allows at most ${MAX_CUSTOM_CNAME_LENGTH}. ` +
      'Use a shorter name.');
  }
  if (!CNAME_PATTERN.test(cname)) {
    problems.push(`${property} ${q} contains ${badCharacters(cname, CNAME_CHAR)}, which Private CA does not allow: ` +
      'use only letters, digits and the RFC 2396 characters - ; / ? : @ & = + $ , % _ . ! ~ * ( ) \'.');
  }
  return problems;
}
