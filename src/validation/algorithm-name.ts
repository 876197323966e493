import { Token } from 'aws-cdk-lib';
import { badCharacters, quoteValue } from './errors';

/*
 * The shape of an algorithm name given through an `of(name)` escape hatch (CertificateKeyAlgorithm, CaKeyAlgorithm,
 * CaSigningAlgorithm). `of()` stays lenient so names newer than this library (SM2, ML_DSA_65, ...) keep working, but
 * every name ACM and Private CA use is one word of ASCII letters, digits and underscores (RSA_2048, EC_prime256v1,
 * SHA256WITHRSA): a blank name, or one with spaces or symbols, can only be a mistake. The constructs call this, so
 * the error names the construct path.
 */

/** Longest name accepted: the longest names in the APIs are about 16 characters. */
export const MAX_ALGORITHM_NAME_LENGTH = 64;

const NAME_CHARACTER = /[A-Za-z0-9_]/;

/**
 * Problems with an algorithm name: blank, characters other than ASCII letters, digits and underscores, or longer
 * than 64 characters. An unresolved token yields no problems.
 *
 * @param what what the name is, for the message: `key algorithm` or `signing algorithm`
 * @param name the name as given to `of()`
 * @param examples the documented names to suggest, e.g. `RSA_2048, EC_prime256v1`
 */
export function validateAlgorithmName(what: string, name: string, examples: string): string[] {
  if (typeof name !== 'string') {
    return [`${what} ${quoteValue(name)} is not a string: use one of ${examples}`];
  }
  if (Token.isUnresolved(name)) {
    return [];
  }
  if (name.trim() === '') {
    return [`${what} ${quoteValue(name)} is ${name === '' ? 'empty' : 'blank (only whitespace)'}: use one of ${examples}, ` +
      'or leave it unset for the default'];
  }
  if (name.length > MAX_ALGORITHM_NAME_LENGTH) {
    return [`${what} ${quoteValue(name)} is ${name.length} characters long: algorithm names are short words such as ${examples}`];
  }
  const bad = badCharacters(name, NAME_CHARACTER);
  if (bad !== '') {
    return [`${what} ${quoteValue(name)} contains ${bad}: algorithm names have only ASCII letters, digits and underscores, ` +
      `as in ${examples}`];
  }
  return [];
}
