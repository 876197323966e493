import { Annotations, CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { IPkiCertificateAuthority } from './certificate-authority-base';
import { attachOwnHandlerPolicy, HandlerStatement } from './handler-policy';
import { RootCa } from './root-ca';
import { SubordinateCa } from './subordinate-ca';
import { CaBundleFunction } from '../handlers/ca-bundle/ca-bundle-function';
import { CA_BUNDLE_KEY_PREFIX, CaBundleResourceProperties } from '../handlers/ca-bundle/contract';
import { acknowledgeNag, NagRules } from '../private/acknowledgements';
import { SingletonProvider } from '../private/singleton-provider';
import { validateCertificateAuthorityArn } from '../validation/arn';
import { throwIfProblems } from '../validation/errors';

/** Properties of a `CaCertificateBundle`. */
export interface CaCertificateBundleProps {
  /** The CA whose certificate (and chain up to the root) is published. */
  readonly certificateAuthority: IPkiCertificateAuthority;

  /**
   * The bucket to write the bundle to, under `ca-bundles/`. The handler writes only to a bucket of the account the
   * bucket object names (`ExpectedBucketOwner`: the stack's account, unless imported with
   * `fromBucketAttributes({ account })`). The deploying principal (and so the trust store that reads it) needs
   * `s3:GetObject` on it; for a bucket encrypted with a KMS key, the handler is allowed `kms:GenerateDataKey` on the
   * key, whose key policy must let IAM policies grant it.
   *
   * @default - a new private bucket: Block Public Access on, TLS only, versioned, SSE-S3, ACLs disabled, retained
   */
  readonly bucket?: s3.IBucket;
}

/**
 * A Private CA's certificate and chain, published at deploy time as one PEM file in S3: the CA bundle that mTLS trust
 * stores read (ELB, CloudFront, API Gateway custom domains).
 *
 * A custom resource reads the CA's certificate and chain (GetCertificateAuthorityCertificate) once the CA is active,
 * and writes `ca-bundles/<CA id>-<digest>.pem`: the CA's certificate first, then its chain as Private CA returns it
 * (its issuer, ..., the root last). The key changes with the content, so when the CA's certificate changes the
 * trust stores that use `objectKey` are updated by CloudFormation. For a CA of this library the bundle is published
 * again whenever its activation changes; for an imported CA, on the next deployment that changes the bundle's
 * properties. Removing the construct leaves the object in the bucket (a trust store may read it during a
 * replacement; it holds only public certificates).
 *
 * Every certificate in the bundle is a trust anchor for the trust stores that read it: with the root in it, a
 * client certificate from another CA under the same root is accepted too when the client sends its chain.
 */
export class CaCertificateBundle extends Construct {
  /** The CloudFormation type of the custom resource. */
  public static readonly RESOURCE_TYPE = 'Custom::CdkPkiCaBundle';

  /** The bucket the bundle is in. */
  public readonly bucket: s3.IBucket;

  /** The bundle's key (content-addressed: a new CA certificate gives a new key). */
  public readonly objectKey: string;

  /** The object version written; empty for a bucket without versioning. */
  public readonly objectVersion: string;

  /** How many certificates the bundle holds (the CA's own and its chain), as a deploy-time string. */
  public readonly certificateCount: string;

  constructor(scope: Construct, id: string, props: CaCertificateBundleProps) {
    super(scope, id);
    const ca = props.certificateAuthority;
    throwIfProblems(this.node.path, validateCertificateAuthorityArn(ca.certificateAuthorityArn));
    this.bucket = props.bucket ?? this.createBucket();

    const provider = SingletonProvider.of(this, {
      id: 'CdkPkiCaBundleProvider',
      createHandler: (s, i) => new CaBundleFunction(s, i, {
        timeout: Duration.minutes(2),
        description: 'cdk-pki: publishes a Private CA\'s certificate and chain as a PEM bundle in S3 for mTLS trust stores',
      }),
    });
    const properties: CaBundleResourceProperties = {
      CertificateAuthorityArn: ca.certificateAuthorityArn,
      BucketName: this.bucket.bucketName,
      BucketOwner: this.bucket.env.account,
      KeyPrefix: CA_BUNDLE_KEY_PREFIX,
      CaCertificateRevision: revisionOf(ca),
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CaCertificateBundle.RESOURCE_TYPE,
      properties,
    });
    const statements: HandlerStatement[] = [
      { actions: ['acm-pca:GetCertificateAuthorityCertificate'], resources: [ca.certificateAuthorityArn] },
      {
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${CA_BUNDLE_KEY_PREFIX}*`)],
        wildcardReason: `The bundle's key is ${CA_BUNDLE_KEY_PREFIX}<CA id>-<digest of the content>.pem, chosen at deploy time ` +
          'so that a new CA certificate gets a new key; the statement covers only that prefix of this one bucket.',
      },
    ];
    if (this.bucket.encryptionKey !== undefined) {
      statements.push({ actions: ['kms:GenerateDataKey'], resources: [this.bucket.encryptionKey.keyArn] });
    }
    // The handler's permissions live and die with this resource (see handler-policy.ts).
    attachOwnHandlerPolicy(this, provider, resource, statements);
    // After every resource of the CA construct: its certificate exists once it is activated. (The CA ARN of a CA of
    // this library is its activation's Ref, so the reference alone already waits for the activation.)
    resource.node.addDependency(ca);
    if (ca instanceof SubordinateCa && ca.activation === undefined) {
      Annotations.of(this).addWarningV2('cdk-pki:ca-bundle-ca-not-activated',
        `The CA ${ca.node.path} has an external parent and is not activated in this app: its certificate can be read only once you ` +
          'have imported it, so deploying this bundle (and the trust store using it) fails until then. Deploy it after the import.');
    }

    this.objectKey = resource.getAttString('Key');
    this.objectVersion = resource.getAttString('VersionId');
    this.certificateCount = resource.getAttString('CertificateCount');
  }

  /** A private bucket for bundles, built like `CrlBucket`'s. */
  private createBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
      autoDeleteObjects: false,
    });
    const cfn = bucket.node.defaultChild as s3.CfnBucket;
    acknowledgeNag(cfn, NagRules.S3_ACCESS_LOGS,
      'The bucket holds only the public certificates of a CA, written by this construct\'s handler at deployment and read by ' +
      'trust stores; CloudTrail records those API calls, and bring your own bucket (the bucket prop) to log object access.');
    acknowledgeNag(cfn, NagRules.S3_REPLICATION,
      'Every object is rebuilt from Private CA at the next deployment, so a replica would hold nothing that cannot be regenerated.');
    acknowledgeNag(cfn, NagRules.S3_KMS_ENCRYPTION,
      'The objects are public CA certificates, encrypted at rest with SSE-S3; a KMS key would add cost and key-policy work for ' +
      'every trust store that reads them, and protect nothing secret. Bring your own bucket (the bucket prop) to use one.');
    return bucket;
  }
}

/**
 * What changes when the CA's certificate changes, for a CA of this library: its activation's complete chain (a
 * CloudFormation attribute). Imported CAs have none.
 */
function revisionOf(ca: IPkiCertificateAuthority): string | undefined {
  if (ca instanceof RootCa || ca instanceof SubordinateCa) {
    return ca.activation?.attrCompleteCertificateChain;
  }
  return undefined;
}
