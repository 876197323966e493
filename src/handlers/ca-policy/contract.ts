/**
 * The wire contract of `Custom::CdkPkiCaPolicy` between the `CertificateAuthorityPolicy` construct and
 * its handler. The handler reads and checks the properties in one place (`readProperties` in
 * `logic.ts`); the policy text follows `src/validation/policy-text.ts` on both sides.
 *
 * This module imports nothing: the handler bundle includes it.
 */

/** The resource properties, as the construct writes them and CloudFormation passes them. */
export interface CaPolicyResourceProperties {
  /** A Private CA ARN (`CERTIFICATE_AUTHORITY_ARN`); the physical ID of the resource. */
  readonly CertificateAuthorityArn: string;
  /** The policy JSON, as a string. */
  readonly Policy: string;
}
