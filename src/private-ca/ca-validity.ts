import { Duration, Token } from 'aws-cdk-lib';
import type { ValidityFacts } from '../validation/ca-rules';

/**
 * How long a CA certificate is valid: a duration from issuance, or a fixed end date.
 *
 * A CA's certificate must end before its parent's: a subordinate issued during the same
 * deployment as its parent needs a strictly shorter duration.
 */
export class CaValidity {
  /**
   * Valid for a number of whole days from issuance.
   *
   * @param duration at least one day, in whole days (e.g. `Duration.days(3650)`)
   */
  public static duration(duration: Duration): CaValidity {
    return new CaValidity(duration, undefined);
  }

  /**
   * Valid until a fixed date and time (UTC).
   *
   * @param date the end of validity; must lie in the future, and no later than 9999-12-31T23:59:59Z
   */
  public static endDate(date: Date): CaValidity {
    return new CaValidity(undefined, date);
  }

  /** The duration, when the validity is given as one. */
  public readonly validityDuration?: Duration;
  /** The end date, when the validity is given as one. */
  public readonly validityEndDate?: Date;

  private constructor(duration: Duration | undefined, endDate: Date | undefined) {
    this.validityDuration = duration;
    this.validityEndDate = endDate;
  }

  /**
   * The whole number of days, when given as a concrete duration; `undefined` for an end date or
   * a token. Fractional days are returned as they are, for the validator to refuse.
   *
   * @internal
   */
  public _days(): number | undefined {
    if (this.validityDuration === undefined) return undefined;
    const days = this.validityDuration.toDays({ integral: false });
    return Token.isUnresolved(days) ? undefined : days;
  }

  /**
   * What the validation rules check (src/validation/ca-rules.ts).
   *
   * @internal
   */
  public _facts(): ValidityFacts {
    return { days: this._days(), endDate: this.validityEndDate, text: this.toString() };
  }

  /**
   * The CloudFormation `Validity` of an `AWS::ACMPCA::Certificate`.
   *
   * @internal
   */
  public _render(): { type: string; value: number } {
    if (this.validityEndDate !== undefined) {
      return { type: 'END_DATE', value: Number(generalizedTime(this.validityEndDate)) };
    }
    return { type: 'DAYS', value: this.validityDuration!.toDays({ integral: false }) };
  }

  /** A readable form for messages. */
  public toString(): string {
    if (this.validityEndDate !== undefined) {
      return Number.isNaN(this.validityEndDate.getTime()) ? 'an end date that is not a valid date' : `until ${this.validityEndDate.toISOString()}`;
    }
    const days = this._days();
    return days === undefined ? 'a duration given as a token' : `${days} days`;
  }
}

/** `YYYYMMDDHHMMSS` (GeneralizedTime, UTC), the END_DATE format of Private CA. */
export function generalizedTime(date: Date): string {
  const iso = date.toISOString(); // 2030-01-02T03:04:05.000Z
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
}
