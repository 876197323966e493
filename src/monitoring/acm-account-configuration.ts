import { Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { quoteValue, throwIfProblems } from '../validation/errors';

/** Properties of an `AcmAccountConfiguration`. */
export interface AcmAccountConfigurationProps {
  /**
   * How many days before expiry ACM starts sending the daily "ACM Certificate Approaching
   * Expiration" event (whole days, 1 to 45).
   *
   * @default 45
   */
  readonly daysBeforeExpiry?: number;
}

/**
 * The account-level ACM setting of the stack's account and region: when the "ACM Certificate
 * Approaching Expiration" events start (`PutAccountConfiguration`'s `DaysBeforeExpiry`).
 *
 * Uses the native `AWS::CertificateManager::Account` resource. It is one setting per account and
 * region: declare it in a single stack of each account/region.
 */
export class AcmAccountConfiguration extends Construct {
  /** The configured number of days. */
  public readonly daysBeforeExpiry: number;

  constructor(scope: Construct, id: string, props: AcmAccountConfigurationProps = {}) {
    super(scope, id);
    this.daysBeforeExpiry = props.daysBeforeExpiry ?? 45;
    const days = this.daysBeforeExpiry;
    const bad = !Token.isUnresolved(days) && (!Number.isInteger(days) || days < 1 || days > 45);
    throwIfProblems(this.node.path, bad ? [`daysBeforeExpiry must be a whole number of days from 1 to 45, got ${quoteValue(days)}`] : []);
    new acm.CfnAccount(this, 'Resource', {
      expiryEventsConfiguration: { daysBeforeExpiry: days },
    });
  }
}
