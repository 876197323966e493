import { Annotations, Lazy, Names, Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { aws_elasticloadbalancingv2 as elbv2Refs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { CaCertificateBundle } from './ca-certificate-bundle';
import type { IPkiCertificateAuthority } from './certificate-authority-base';
import { syncCrlAsPem } from './crl-pem-sync';
import { PrivateCertificateAuthority } from './private-certificate-authority';
import { throwIfProblems } from '../validation/errors';
import { decideCrlSync, MAX_ELB_TRUST_STORE_NAME_LENGTH, validateElbTrustStoreName } from '../validation/trust-store';

/** Properties of a `LoadBalancerTrustStore`. */
export interface LoadBalancerTrustStoreProps {
  /** The CA whose client certificates the listener accepts: a CA of this library, or one imported by ARN. */
  readonly certificateAuthority: IPkiCertificateAuthority;

  /**
   * The bucket for the CA bundle (`ca-bundles/<CA id>-<digest>.pem`). ELB reads it, when the trust store is created
   * or updated, with the permissions of the principal that deploys the stack.
   *
   * @default - a new private bucket (see `CaCertificateBundle`)
   */
  readonly bucket?: s3.IBucket;

  /**
   * The name of the trust store: 1-32 letters, digits and hyphens (not at either end), unique in the account and
   * region. Changing it replaces the trust store.
   *
   * @default - a name generated from the construct path
   */
  readonly trustStoreName?: string;

  /**
   * Keep the trust store's revocation list current from the CA's CRL. Private CA writes DER CRLs, ELB takes PEM
   * ones: a sync Lambda converts each new CRL (on the CA's "ACM Private CA CRL Generation" event, and daily in case
   * one is lost) and replaces the trust store's revocation entry (AddTrustStoreRevocations and
   * RemoveTrustStoreRevocations), with an alarm when a sync fails. It manages that revocation entry itself: this
   * construct creates no `AWS::ElasticLoadBalancingV2::TrustStoreRevocation` for the CA's CRL.
   *
   * With `true`, a CA without a CRL is an error; with the default, it is a warning, and the trust store accepts
   * revoked certificates.
   *
   * @default - true when the CA writes a CRL (a CA of this library with `revocation.crlBucket`, or an imported CA with
   *   `crlBucket`)
   */
  readonly syncCrl?: boolean;

  /**
   * The bucket an imported CA writes its CRLs to (`crl/<CA id>.crl`). Leave it out for a CA of this library, whose
   * CRL bucket is known.
   *
   * @default - the CRL bucket of a CA of this library; none for an imported CA (no revocation sync)
   */
  readonly crlBucket?: s3.IBucket;
}

/**
 * An ELB trust store (`AWS::ElasticLoadBalancingV2::TrustStore`) holding a Private CA's certificate and chain, for
 * mutual TLS on Application (and Network) Load Balancer listeners, with its revocation list kept current from the
 * CA's CRL.
 *
 * At deploy time the CA bundle is published to S3 (`CaCertificateBundle`: the CA's certificate, then its chain up to
 * the root) and the trust store reads it; a new CA certificate gives a new bundle key, which CloudFormation applies
 * to the trust store in place. Every certificate of the bundle is a trust anchor, so with a subordinate CA a client
 * certificate from a sibling CA under the same root is accepted too: give each trust domain its own root, or check
 * the client certificate's issuer in the application (the `X-Amzn-Mtls-Clientcert-Issuer` header).
 *
 * The construct is an `elbv2.ITrustStore`: give it as `mutualAuthentication.trustStore` of an `elbv2.ApplicationListener`
 * (with `mutualAuthenticationMode: elbv2.MutualAuthenticationMode.VERIFY`).
 */
export class LoadBalancerTrustStore extends Resource implements elbv2.ITrustStore {
  /** The name of the trust store. */
  public readonly trustStoreName: string;

  /** The ARN of the trust store. */
  public readonly trustStoreArn: string;

  /** The number of CA certificates in the trust store (a deploy-time value). */
  public readonly numberOfCaCertificates: number;

  /** The CA bundle the trust store reads. */
  public readonly bundle: CaCertificateBundle;

  /** The stack's CRL sync Lambda, when the revocation list is kept in sync. */
  public readonly crlSyncFunction?: lambda.IFunction;

  /**
   * The stack's alarm on a failed CRL sync, when the revocation list is kept in sync. It has no action: add one with
   * `addAlarmAction()`.
   */
  public readonly crlSyncFailureAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: LoadBalancerTrustStoreProps) {
    super(scope, id, {
      physicalName: props.trustStoreName
        ?? Lazy.string({ produce: () => Names.uniqueResourceName(this, { maxLength: MAX_ELB_TRUST_STORE_NAME_LENGTH }) }),
    });
    const ca = props.certificateAuthority;
    const crl = crlOf(ca);
    const decision = decideCrlSync({
      syncCrl: props.syncCrl,
      caHasCrl: crl.known ? crl.bucket !== undefined : undefined,
      crlPartitioned: crl.partitioned,
      crlBucketGiven: props.crlBucket !== undefined,
      crlBucketDiffersFromCa: props.crlBucket !== undefined && crl.bucket !== undefined && props.crlBucket.bucketName !== crl.bucket.bucketName,
    });
    throwIfProblems(this.node.path, [
      ...(props.trustStoreName === undefined ? [] : validateElbTrustStoreName(props.trustStoreName)),
      ...decision.problems,
    ]);
    if (decision.warning !== undefined) {
      Annotations.of(this).addWarningV2('cdk-pki:trust-store-without-crl', decision.warning);
    }

    this.bundle = new CaCertificateBundle(this, 'Bundle', { certificateAuthority: ca, bucket: props.bucket });
    const resource = new elbv2.CfnTrustStore(this, 'Resource', {
      name: this.physicalName,
      caCertificatesBundleS3Bucket: this.bundle.bucket.bucketName,
      caCertificatesBundleS3Key: this.bundle.objectKey,
    });
    this.trustStoreName = resource.ref;
    this.trustStoreArn = resource.attrTrustStoreArn;
    this.numberOfCaCertificates = resource.attrNumberOfCaCertificates;

    const crlBucket = props.crlBucket ?? crl.bucket;
    if (decision.sync && crlBucket !== undefined) {
      const sync = syncCrlAsPem(this, 'CrlSync', {
        certificateAuthority: ca,
        crlBucket,
        target: { loadBalancerTrustStoreArn: this.trustStoreArn },
      });
      this.crlSyncFunction = sync.syncFunction;
      this.crlSyncFailureAlarm = sync.failureAlarm;
    }
  }

  /** A reference to this trust store, for aws-cdk-lib's listeners. */
  public get trustStoreRef(): elbv2Refs.TrustStoreReference {
    return { trustStoreArn: this.trustStoreArn };
  }
}

/** Whether the CA's CRL bucket is known (a CA of this library), and which it is (none: no CRL). */
function crlOf(ca: IPkiCertificateAuthority): { readonly known: boolean; readonly bucket?: s3.IBucket; readonly partitioned?: boolean } {
  if (!(ca instanceof PrivateCertificateAuthority)) return { known: false };
  return { known: true, bucket: ca.crlBucket?.bucket, partitioned: ca.crlPartitioned };
}
