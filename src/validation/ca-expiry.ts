import { Token } from 'aws-cdk-lib';
import { quoteValue } from './errors';

/**
 * The alarm tiers of the CA expiry check, and the checks of their overrides.
 *
 * The defaults follow HashiCorp Vault's PKI health check `ca_validity_period`
 * (hashicorp/vault `command/healthcheck/pki_ca_validity_period.go`, `vault pki health-check`): a root
 * is "warning" under 365 days and "critical" under 180; an intermediate (every CA that is not a root,
 * issuing CAs included) is "warning" under 60 days and "critical" under 30. A root needs the longer
 * notice: every certificate under it must be re-issued, and the new root distributed to every trust
 * store, before it expires; and Private CA refuses to issue past the end of a CA's validity, so a CA's
 * remaining life also caps the validity of what it can still issue.
 */

/** Default thresholds (days) per tier: `[warning, critical]`. */
export const CA_EXPIRY_DEFAULT_DAYS: Readonly<Record<'ROOT' | 'INTERMEDIATE' | 'ISSUING', readonly [number, number]>> = {
  ROOT: [365, 180],
  INTERMEDIATE: [60, 30],
  ISSUING: [60, 30],
};

/** The largest threshold accepted: 100 years, beyond any CA certificate's validity. */
export const MAX_CA_EXPIRY_DAYS = 36_500;

/** The most CAs one check lists (its schedule's input must stay under EventBridge's 8,192 characters). */
export const MAX_CAS_PER_CHECK = 50;

/**
 * Problems with a tier's thresholds: whole numbers of days from 1 to `MAX_CA_EXPIRY_DAYS`, and the
 * warning threshold above the critical one (the warning comes first). `defaulted` names the
 * thresholds the user left to the tier's default, for the message. Tokens pass.
 */
export function validateCaExpiryThresholds(tier: string, warningDays: number, criticalDays: number,
  defaulted: { readonly warning: boolean; readonly critical: boolean } = { warning: false, critical: false }): string[] {
  const problems: string[] = [];
  const known = (n: number) => !Token.isUnresolved(n);
  for (const [name, value] of [['warningDays', warningDays], ['criticalDays', criticalDays]] as const) {
    if (known(value) && (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CA_EXPIRY_DAYS)) {
      problems.push(`${name} ${quoteValue(value)} is not a whole number of days from 1 to ${MAX_CA_EXPIRY_DAYS}: give e.g. ` +
        `${name === 'warningDays' ? CA_EXPIRY_DEFAULT_DAYS.ROOT[0] : CA_EXPIRY_DEFAULT_DAYS.ROOT[1]} for a root CA`);
    }
  }
  if (problems.length === 0 && known(warningDays) && known(criticalDays) && warningDays <= criticalDays) {
    const label = (name: string, value: number, isDefault: boolean) => `${name} ${value}${isDefault ? ` (the ${tier} default)` : ''}`;
    problems.push(`${label('warningDays', warningDays, defaulted.warning)} must be more than ${label('criticalDays', criticalDays, defaulted.critical)}: ` +
      'the warning comes first, so give a larger warningDays or a smaller criticalDays');
  }
  return problems;
}
