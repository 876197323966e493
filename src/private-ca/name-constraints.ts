import { Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { MAX_CUSTOM_EXTENSION_BASE64, NAME_CONSTRAINTS_OID, nameConstraintsExtensionValue } from './name-constraints-der';
import { throwIfProblems } from '../validation/errors';
import { SUBTREE_LISTS, validateNameConstraints } from '../validation/name-constraints';

/**
 * The names a CA may certify (RFC 5280 §4.2.1.10 name constraints): every certificate below the CA, its own
 * subordinates' included, must have its DNS names, IP addresses and email addresses inside the permitted subtrees of
 * their kind (when that kind has any) and outside every excluded subtree. Clients such as OpenSSL, browsers, Go and
 * Java refuse a certificate that breaks them, and Private CA refuses to issue one.
 *
 * Give at least one subtree. A kind with no permitted subtree is not restricted by the permitted side: permitting
 * only DNS domains still lets the CA certify any IP address, unless you exclude `0.0.0.0/0` and `::/0`.
 */
export interface NameConstraintsOptions {
  /**
   * DNS domains the CA may certify. `example.com` covers the domain and every name below it; `.example.com` (with a
   * leading dot) only the names below it. A single label such as `corp` covers a whole private top-level domain.
   * No wildcards: `example.com` already covers `*.example.com`.
   *
   * @default - DNS names are not restricted to a list
   */
  readonly permittedDnsDomains?: string[];

  /**
   * DNS domains the CA may not certify, written as in `permittedDnsDomains`. Exclusions win over permissions.
   *
   * @default - no DNS domain is excluded
   */
  readonly excludedDnsDomains?: string[];

  /**
   * IPv4 and IPv6 ranges, in CIDR notation with the network address (`10.0.0.0/8`, `2001:db8::/32`; one address is
   * `10.0.0.1/32`), whose addresses the CA may certify.
   *
   * @default - IP addresses are not restricted to a list
   */
  readonly permittedIpRanges?: string[];

  /**
   * IP ranges the CA may not certify, in CIDR notation. `0.0.0.0/0` and `::/0` forbid IP addresses altogether.
   *
   * @default - no IP range is excluded
   */
  readonly excludedIpRanges?: string[];

  /**
   * Email addresses (rfc822Name) the CA may certify: a mailbox (`admin@example.com`), every address at a host
   * (`example.com`), or every address at the hosts below a domain (`.example.com`; the host `example.com` itself is a
   * separate entry).
   *
   * @default - email addresses are not restricted to a list
   */
  readonly permittedEmailDomains?: string[];

  /**
   * Email addresses the CA may not certify, written as in `permittedEmailDomains`.
   *
   * @default - no email address is excluded
   */
  readonly excludedEmailDomains?: string[];
}

/**
 * A name-constraints extension for a CA certificate: validated, and DER-encoded as Private CA's API passthrough
 * takes it. `SubordinateCa` applies it through its `nameConstraints` prop; use this class when you issue the CA
 * certificate yourself (an external parent, or your own `CfnCertificate` with a `..._APIPassthrough` template):
 * `NameConstraints.of({ permittedDnsDomains: ['corp.example.com'], excludedIpRanges: ['0.0.0.0/0', '::/0'] })
 * .toCustomExtension()` is the entry for `ApiPassthrough.Extensions.CustomExtensions`.
 */
export class NameConstraints {
  /** The object identifier of the name-constraints extension, `2.5.29.30`. */
  public static readonly OBJECT_IDENTIFIER = NAME_CONSTRAINTS_OID;

  /**
   * Name constraints from lists of subtrees.
   *
   * @param options the permitted and excluded subtrees; at least one
   */
  public static of(options: NameConstraintsOptions): NameConstraints {
    return new NameConstraints(options);
  }

  /** The subtrees, as given. */
  public readonly options: NameConstraintsOptions;

  private constructor(options: NameConstraintsOptions) {
    this.options = options;
  }

  /**
   * What is wrong with these constraints (empty when they can be used): malformed values, an empty set, exclusions
   * without effect, values that are CDK tokens (the extension is encoded at synth time), an encoding larger than
   * Private CA takes.
   */
  public validate(): string[] {
    return this._problems('');
  }

  /**
   * `validate()` with `prefix` before each list's name in the messages (`nameConstraints.` in a construct's props).
   *
   * @internal
   */
  public _problems(prefix: string): string[] {
    const options = this.options ?? {};
    const problems = validateNameConstraints(options, prefix);
    for (const { permitted, excluded } of SUBTREE_LISTS) {
      for (const name of [permitted, excluded]) {
        const list: unknown = options[name];
        const tokens = Token.isUnresolved(list) ? [prefix + name] : Array.isArray(list)
          ? list.flatMap((v, i) => (Token.isUnresolved(v) ? [`${prefix}${name}[${i}]`] : [])) : [];
        problems.push(...tokens.map((where) => `${where} is a CDK token: name constraints are encoded into the CA certificate ` +
          'at synth time, so give literal values.'));
      }
    }
    if (problems.length === 0) {
      const size = nameConstraintsExtensionValue(options).length;
      if (size > MAX_CUSTOM_EXTENSION_BASE64) {
        problems.push(`${prefix ? `${prefix.replace(/\.$/, '')}: ` : ''}the name constraints encode to ${size} base64 characters, more than ` +
          `the ${MAX_CUSTOM_EXTENSION_BASE64} Private CA takes in a custom extension: list fewer subtrees, or cover several with a common ` +
          'parent domain or a shorter IP prefix.');
      }
    }
    return problems;
  }

  /**
   * The base64 of the extension value's DER encoding: what `CustomExtension.Value` takes.
   *
   * @throws when `validate()` reports problems
   */
  public get extensionValue(): string {
    throwIfProblems('NameConstraints', this.validate());
    return nameConstraintsExtensionValue(this.options);
  }

  /**
   * The extension for `ApiPassthrough.Extensions.CustomExtensions`, marked critical (RFC 5280 requires it for name
   * constraints, so that a client that cannot check them refuses the chain).
   *
   * @throws when `validate()` reports problems
   */
  public toCustomExtension(): acmpca.CfnCertificate.CustomExtensionProperty {
    return { objectIdentifier: NameConstraints.OBJECT_IDENTIFIER, value: this.extensionValue, critical: true };
  }
}
