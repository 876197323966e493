import { Duration } from 'aws-cdk-lib';
import type { CfnCertificateAuthority } from 'aws-cdk-lib/aws-acmpca';
import type { CrlBucket } from './crl-bucket';
import type { RevocationFacts } from '../validation/ca-revocation';

/**
 * How clients learn that a certificate of the CA was revoked: a CRL in a `CrlBucket`, OCSP, both
 * or neither.
 *
 * @see https://docs.aws.amazon.com/privateca/latest/userguide/revocation-setup.html
 */
export interface CaRevocationOptions {
  /**
   * Publish certificate revocation lists (CRLs) into this bucket. The CA writes them with the
   * `BUCKET_OWNER_FULL_CONTROL` ACL (Block Public Access stays on) and is created after the bucket
   * policy that lets Private CA write.
   *
   * @default - no CRL
   */
  readonly crlBucket?: CrlBucket;

  /**
   * How long each CRL is valid (its `nextUpdate`): 1 to 5000 whole days.
   *
   * @default Duration.days(7)
   */
  readonly crlExpiration?: Duration;

  /**
   * The host name written into the CRL distribution point of issued certificates instead of the
   * bucket's, without `http://`.
   *
   * @default - the bucket's `crlCname` (its CloudFront domain when it has one), else the S3 bucket URL
   */
  readonly crlCustomCname?: string;

  /**
   * Partition the CRL (clients then must check the issuing distribution point, which Private CA
   * marks critical). A complete CRL holds up to one million certificates.
   *
   * @default false - one complete CRL
   */
  readonly crlPartitioned?: boolean;

  /**
   * Leave the CRL distribution point extension out of issued certificates, for PKIs that
   * distribute CRL locations another way. Cannot be combined with a custom CNAME.
   *
   * @default false
   */
  readonly crlOmitDistributionPoint?: boolean;

  /**
   * Answer revocation queries with OCSP.
   *
   * @default false
   */
  readonly ocsp?: boolean;

  /**
   * A custom OCSP host name (without `http://`), CNAMEd to the AWS OCSP responder.
   *
   * @default - the AWS OCSP domain
   */
  readonly ocspCustomCname?: string;
}

/** @internal */
export function revocationFacts(r: CaRevocationOptions | undefined): RevocationFacts {
  return {
    crlEnabled: r?.crlBucket !== undefined,
    crlExpirationDays: r?.crlExpiration?.toDays({ integral: false }),
    crlCustomCname: r?.crlCustomCname,
    crlOmitDistributionPoint: r?.crlOmitDistributionPoint,
    crlPartitioned: r?.crlPartitioned,
    ocspEnabled: r?.ocsp === true,
    ocspCustomCname: r?.ocspCustomCname,
  };
}

/** The CloudFormation `RevocationConfiguration`, or undefined when neither CRL nor OCSP is on. @internal */
export function renderRevocation(r: CaRevocationOptions | undefined): CfnCertificateAuthority.RevocationConfigurationProperty | undefined {
  if (r?.crlBucket === undefined && r?.ocsp !== true) {
    return undefined;
  }
  const bucket = r.crlBucket;
  const cname = r.crlCustomCname ?? bucket?.crlCname;
  return {
    crlConfiguration: bucket
      ? {
        enabled: true,
        s3BucketName: bucket.bucketName,
        s3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL',
        expirationInDays: (r.crlExpiration ?? Duration.days(7)).toDays(),
        customCname: r.crlOmitDistributionPoint ? undefined : cname,
        crlType: r.crlPartitioned ? 'PARTITIONED' : undefined,
        crlDistributionPointExtensionConfiguration: r.crlOmitDistributionPoint ? { omitExtension: true } : undefined,
      }
      : undefined,
    ocspConfiguration: r.ocsp ? { enabled: true, ocspCustomCname: r.ocspCustomCname } : undefined,
  };
}
