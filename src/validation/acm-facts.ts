/**
 * ACM facts shared by the certificate constructs (synth time), the handlers (deploy time) and the
 * PkiChecks rules: one home for each.
 *
 * Source: the ACM API reference (RequestCertificate `KeyAlgorithm`: "Algorithms supported for an ACM
 * certificate request include RSA_2048, EC_prime256v1, EC_secp384r1. Other listed algorithms are for
 * imported certificates only", for public and private requests alike) and the ACM quotas.
 *
 * This module imports nothing, so the handler bundles stay free of aws-cdk-lib.
 */

/** The key algorithms ACM can issue a requested (public or private) certificate with. */
export const REQUESTABLE_KEY_ALGORITHMS = ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] as const;

/** A key algorithm ACM can issue a requested certificate with. */
export type RequestableKeyAlgorithm = (typeof REQUESTABLE_KEY_ALGORITHMS)[number];

/** Every key algorithm ACM lists (the requestable ones and those for imported certificates only). */
export const ACM_KEY_ALGORITHMS: readonly string[] = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'];

/** The requestable key algorithms for messages: `RSA_2048, EC_prime256v1 or EC_secp384r1` (or `... and ...`). */
export function requestableKeyAlgorithmsText(conjunction: 'and' | 'or'): string {
  return `${REQUESTABLE_KEY_ALGORITHMS.slice(0, -1).join(', ')} ${conjunction} ${REQUESTABLE_KEY_ALGORITHMS[REQUESTABLE_KEY_ALGORITHMS.length - 1]}`;
}

/** Whether ACM can issue a requested certificate with `name` (one of `REQUESTABLE_KEY_ALGORITHMS`). */
export function isRequestableKeyAlgorithm(name: string): name is RequestableKeyAlgorithm {
  return (REQUESTABLE_KEY_ALGORITHMS as readonly string[]).includes(name);
}

/**
 * Whether `name` is a key algorithm ACM lists for imported certificates only. A name ACM does not
 * list at all (a newer algorithm, say) is not: ACM has the last word on it.
 */
export function isImportOnlyKeyAlgorithm(name: string): boolean {
  return ACM_KEY_ALGORITHMS.includes(name) && !isRequestableKeyAlgorithm(name);
}

/** ACM's default quota of names (domain name + subject alternative names) per certificate. */
export const DEFAULT_MAX_NAMES = 10;

/** The highest quota of names per certificate ACM grants (through Service Quotas). */
export const MAX_NAMES_CEILING = 100;

/** The CloudFormation metadata key in which a certificate construct records a raised name quota (for PkiChecks). */
export const MAX_NAMES_METADATA_KEY = 'cdk-pki:max-names';
