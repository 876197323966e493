import { Token } from 'aws-cdk-lib';
import { validateCustomCname } from './cname';
import { quoteValue } from './errors';

/** What the revocation validator needs to know, independent of the construct types. */
export interface RevocationFacts {
  readonly crlEnabled: boolean;
  readonly crlExpirationDays?: number;
  readonly crlCustomCname?: string;
  readonly crlOmitDistributionPoint?: boolean;
  readonly crlPartitioned?: boolean;
  readonly ocspEnabled: boolean;
  readonly ocspCustomCname?: string;
}

/**
 * Checks a revocation configuration against the Private CA rules: CRL validity 1-5000 whole days,
 * CNAMEs, the distribution-point omission not combined with a CNAME, and no CRL or OCSP setting
 * given while that mechanism is off (a disabled configuration may hold only `Enabled: false`).
 */
export function validateRevocation(f: RevocationFacts): string[] {
  const problems: string[] = [];
  const days = f.crlExpirationDays;
  if (days !== undefined && !Token.isUnresolved(days) && (!Number.isInteger(days) || days < 1 || days > 5000)) {
    problems.push(`revocation.crlExpiration of ${quoteValue(days)} days is not allowed: Private CA needs a whole number of days from 1 to 5000`);
  }
  if (f.crlCustomCname !== undefined) problems.push(...validateCustomCname(f.crlCustomCname, 'revocation.crlCustomCname'));
  if (f.ocspCustomCname !== undefined) problems.push(...validateCustomCname(f.ocspCustomCname, 'revocation.ocspCustomCname'));
  if (f.crlOmitDistributionPoint && f.crlCustomCname !== undefined) {
    problems.push('revocation.crlOmitDistributionPoint cannot be combined with a CRL custom CNAME: Private CA refuses it. Drop one of the two');
  }
  if (!f.crlEnabled) {
    const given = [
      ['crlExpiration', days],
      ['crlCustomCname', f.crlCustomCname],
      ['crlOmitDistributionPoint', f.crlOmitDistributionPoint],
      ['crlPartitioned', f.crlPartitioned],
    ].filter(([, v]) => v !== undefined).map(([k]) => k);
    if (given.length) {
      problems.push(`revocation.${given.join(', revocation.')} given without a CRL: set revocation.crlBucket to enable CRLs, or remove these settings`);
    }
  }
  if (!f.ocspEnabled && f.ocspCustomCname !== undefined) {
    problems.push('revocation.ocspCustomCname given while OCSP is off: set revocation.ocsp to true, or remove the CNAME');
  }
  return problems;
}
