import { Lazy, Names, Resource } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { aws_cloudfront as cloudfrontRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { CaCertificateBundle } from './ca-certificate-bundle';
import type { IPkiCertificateAuthority } from './certificate-authority-base';
import { throwIfProblems } from '../validation/errors';
import { validateCloudFrontTrustStoreName } from '../validation/trust-store';

/** Properties of a `CloudFrontTrustStore`. */
export interface CloudFrontTrustStoreProps {
  /** The CA whose client certificates the distribution accepts: a CA of this library, or one imported by ARN. */
  readonly certificateAuthority: IPkiCertificateAuthority;

  /**
   * The bucket for the CA bundle (`ca-bundles/<CA id>-<digest>.pem`).
   *
   * @default - a new private bucket (see `CaCertificateBundle`)
   */
  readonly bucket?: s3.IBucket;

  /**
   * The name of the trust store (1-128 characters, no whitespace). Changing it replaces the trust store.
   *
   * @default - a name generated from the construct path
   */
  readonly trustStoreName?: string;

  /**
   * Check revocation during the handshake with OCSP: CloudFront queries the OCSP responder named in each client
   * certificate (and in each intermediate; not the root), and refuses the connection when a certificate of the
   * chain names none. CloudFront trust stores take no CRL, so this is their only built-in revocation check: enable
   * OCSP on the CA (`revocation: { ocsp: true }`), and on every CA between it and the root, before turning it on.
   * CloudFront caches OCSP answers for about 30 minutes.
   *
   * @default false
   */
  readonly useClientCertificateOcspEndpoint?: boolean;
}

/**
 * A CloudFront trust store (`AWS::CloudFront::TrustStore`) holding a Private CA's certificate and chain, for viewer
 * mutual TLS on a CloudFront distribution.
 *
 * At deploy time the CA bundle is published to S3 (`CaCertificateBundle`) and the trust store reads it; a new CA
 * certificate gives a new bundle key, which CloudFormation applies to the trust store in place. aws-cdk-lib's
 * `cloudfront.Distribution` has no viewer mTLS property yet: set `DistributionConfig.ViewerMtlsConfig` with
 * `trustStoreId` through the distribution's `CfnDistribution` (see the README).
 *
 * Revocation: CloudFront trust stores take no CRL; use `useClientCertificateOcspEndpoint` with a CA that has OCSP.
 */
export class CloudFrontTrustStore extends Resource implements cloudfrontRefs.ITrustStoreRef {
  /** The ID of the trust store, for `ViewerMtlsConfig.TrustStoreConfig.TrustStoreId`. */
  public readonly trustStoreId: string;

  /** The ARN of the trust store. */
  public readonly trustStoreArn: string;

  /** The name of the trust store. */
  public readonly trustStoreName: string;

  /** The CA bundle the trust store reads. */
  public readonly bundle: CaCertificateBundle;

  constructor(scope: Construct, id: string, props: CloudFrontTrustStoreProps) {
    super(scope, id, {
      physicalName: props.trustStoreName ?? Lazy.string({ produce: () => Names.uniqueResourceName(this, { maxLength: 64 }) }),
    });
    throwIfProblems(this.node.path, props.trustStoreName === undefined ? [] : validateCloudFrontTrustStoreName(props.trustStoreName));

    this.bundle = new CaCertificateBundle(this, 'Bundle', { certificateAuthority: props.certificateAuthority, bucket: props.bucket });
    const resource = new cloudfront.CfnTrustStore(this, 'Resource', {
      name: this.physicalName,
      caCertificatesBundleSource: {
        caCertificatesBundleS3Location: {
          bucket: this.bundle.bucket.bucketName,
          key: this.bundle.objectKey,
          region: this.bundle.bucket.env.region,
        },
      },
      useClientCertificateOcspEndpoint: props.useClientCertificateOcspEndpoint,
    });
    this.trustStoreId = resource.attrId;
    this.trustStoreArn = resource.attrArn;
    this.trustStoreName = this.physicalName;
  }

  /** A reference to this trust store, for aws-cdk-lib's CloudFront interop. */
  public get trustStoreRef(): cloudfrontRefs.TrustStoreReference {
    return { trustStoreId: this.trustStoreId, trustStoreArn: this.trustStoreArn };
  }
}
