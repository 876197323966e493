import { Token } from 'aws-cdk-lib';
import { DEFAULT_MAX_NAMES, isImportOnlyKeyAlgorithm, MAX_NAMES_CEILING, requestableKeyAlgorithmsText } from './acm-facts';
import { validateAlgorithmName } from './algorithm-name';
import { isSameOrSubdomain, normalizeDomainName, validateDomainNameList } from './domain-name';
import { certificateTags, validateTags } from './tags';

/**
 * The checks every requested ACM certificate goes through (`PublicCertificate`, `DnsValidatedCertificate`,
 * `PrivateCertificate`): its names, the name quota, names under AWS-owned domains (public certificates),
 * its tags with the `Name` tag, and its key algorithm. The constructs add their own checks after these.
 */

/** Domains that belong to AWS: ACM refuses public certificates for them. */
const AMAZON_OWNED = ['amazonaws.com', 'cloudfront.net', 'elasticbeanstalk.com'];

/** What a certificate construct asks ACM for, as its props give it. */
export interface CertificateRequest {
  /** The first name, the subject common name. */
  readonly domainName: string;
  /** The other names. */
  readonly subjectAlternativeNames?: readonly string[];
  /** The name of the key algorithm the certificate gets (the construct's default when none is given). */
  readonly keyAlgorithm: string;
  /** The `certificateName` prop. */
  readonly certificateName?: string;
  /** The `tags` prop. */
  readonly tags?: Record<string, string>;
  /** The `maxNames` prop. */
  readonly maxNames?: number;
  /** A public certificate: ACM refuses names under AWS-owned domains. */
  readonly publicCertificate: boolean;
}

/** A certificate request after the checks. */
export interface CheckedCertificateRequest {
  /** The domain name followed by the subject alternative names. */
  readonly names: string[];
  /** `Name` first (see `certificateTags`), then the given tags. */
  readonly tags: Record<string, string>;
  /** The name quota (10 unless given). */
  readonly maxNames: number;
  /** What is wrong, empty when nothing is. */
  readonly problems: string[];
}

/**
 * Checks a certificate request: `maxNames`, a `Name` given twice, every name and their count against the
 * quota, names under AWS-owned domains (public certificates only), the tags and the key algorithm.
 *
 * @param path the construct path, the default `Name` tag
 * @param request the request as the props give it
 */
export function validateCertificateRequest(path: string, request: CertificateRequest): CheckedCertificateRequest {
  const names = [request.domainName, ...(request.subjectAlternativeNames ?? [])];
  const maxNames = request.maxNames ?? DEFAULT_MAX_NAMES;
  const { tags, problems: nameTagProblems } = certificateTags(path, request.certificateName, request.tags);
  const maxNamesProblems = validateMaxNames(maxNames);
  const problems = [
    ...maxNamesProblems,
    ...nameTagProblems,
    // With a bad maxNames, count against ACM's ceiling so the other problems still show.
    ...validateDomainNameList(names, { maxNames: maxNamesProblems.length ? MAX_NAMES_CEILING : maxNames }),
    ...(request.publicCertificate ? validateNotAmazonOwned(names) : []),
    ...validateTags(tags),
    ...validateKeyAlgorithm(request.keyAlgorithm),
  ];
  return { names, tags, maxNames, problems };
}

/** `maxNames` must be a whole number from 1 to 100 (ACM's ceiling for the quota). */
export function validateMaxNames(maxNames: number): string[] {
  if (Token.isUnresolved(maxNames)) {
    return [];
  }
  if (!Number.isInteger(maxNames) || maxNames < 1 || maxNames > MAX_NAMES_CEILING) {
    return [
      `maxNames ${maxNames} is not a whole number from 1 to ${MAX_NAMES_CEILING}: ACM allows ${DEFAULT_MAX_NAMES} names per certificate ` +
        `by default and at most ${MAX_NAMES_CEILING} after a Service Quotas increase; set it to your account's quota.`,
    ];
  }
  return [];
}

/** ACM does not issue public certificates for names under AWS-owned domains. */
export function validateNotAmazonOwned(names: readonly string[]): string[] {
  const problems: string[] = [];
  for (const name of names) {
    if (Token.isUnresolved(name)) continue;
    const owner = AMAZON_OWNED.find((domain) => isSameOrSubdomain(normalizeDomainName(name), domain));
    if (owner) {
      problems.push(
        `${JSON.stringify(name)} is under ${owner}, a domain owned by AWS: ACM cannot issue a public certificate for it. ` +
          'Use a custom domain you own.',
      );
    }
  }
  return problems;
}

/**
 * Problems with the key algorithm of a requested certificate: a name no ACM algorithm can have (blank,
 * characters other than ASCII letters, digits and underscores), or one ACM lists for imported
 * certificates only. A name ACM does not list passes: ACM has the last word on it.
 */
export function validateKeyAlgorithm(name: string): string[] {
  const nameProblems = validateAlgorithmName('key algorithm', name, requestableKeyAlgorithmsText('or'));
  if (nameProblems.length > 0 || !isImportOnlyKeyAlgorithm(name)) {
    return nameProblems;
  }
  return [
    `key algorithm ${name} is only for imported certificates: ACM issues ${requestableKeyAlgorithmsText('and')}. ` +
      'Choose one of those, or import your own certificate with ImportedCertificate.',
  ];
}
