import { App, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import {
  CertificateExport,
  CertificateMonitor,
  PrivateCaHierarchy,
  PrivateCertificate,
  PublicCertificate,
  PublicCertificateValidation,
} from '../src';

/** Every stack of the benchmark apps deploys here (concrete, so same-account checks hold). */
export const BENCH_ENV = { account: '111111111111', region: 'eu-west-1' };

/** The zone of the public certificates. */
export const ZONE_NAME = 'bench.example.com';

/** A fresh app; creation stack traces off, as in the integ apps (they only cost time). */
export function newApp(outdir: string): App {
  return new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
}

/**
 * Splits `total` certificates into stacks of `perStack` (the last may be smaller); each chunk is
 * `[firstIndex, count]`. Half of each chunk is public, half private (public gets the odd one).
 */
export function chunks(total: number, perStack: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let first = 0; first < total; first += perStack) {
    out.push([first, Math.min(perStack, total - first)]);
  }
  return out;
}

/**
 * The app written with cdk-pki: one shared stack with the hosted zone and a `PrivateCaHierarchy`
 * (root + one issuing CA, CRL bucket), then stacks of `perStack` certificates, half
 * `PublicCertificate` (DNS validation in the zone), half `PrivateCertificate` with a
 * `CertificateExport` (unless `withExport` is false: the like-for-like comparison with the raw app,
 * which cannot export), all watched by one `CertificateMonitor` per stack.
 */
export function buildOursApp(app: App, total: number, perStack: number, withExport = true): void {
  const shared = new Stack(app, 'Shared', { env: BENCH_ENV });
  const zone = new route53.PublicHostedZone(shared, 'Zone', { zoneName: ZONE_NAME });
  const pki = new PrivateCaHierarchy(shared, 'Pki', {
    root: { id: 'Root', subject: { commonName: 'Bench Root CA', organization: 'Bench' } },
    issuing: [{ id: 'Issuing', subject: { commonName: 'Bench Issuing CA', organization: 'Bench' } }],
  });
  const issuing = pki.issuingCas[0];

  chunks(total, perStack).forEach(([first, count], s) => {
    const stack = new Stack(app, `Certificates${s}`, { env: BENCH_ENV });
    const certificates = [];
    const publicCount = Math.ceil(count / 2);
    for (let i = first; i < first + count; i++) {
      if (i - first < publicCount) {
        certificates.push(new PublicCertificate(stack, `Public${i}`, {
          domainName: `site${i}.${ZONE_NAME}`,
          validation: PublicCertificateValidation.fromDns(zone),
        }));
      } else {
        const cert = new PrivateCertificate(stack, `Private${i}`, {
          domainName: `svc${i}.internal.example.com`,
          certificateAuthority: issuing,
        });
        if (withExport) new CertificateExport(stack, `Export${i}`, { certificate: cert });
        certificates.push(cert);
      }
    }
    new CertificateMonitor(stack, 'Monitor', { certificates });
  });
}

/**
 * The same app with aws-cdk-lib only: `acm.Certificate` with `CertificateValidation.fromDns(zone)`,
 * `acm.CfnCertificate` issued by a root + subordinate CA written with `acmpca.Cfn*` resources
 * (certificates, activations, ACM permission, a CRL bucket with the Private CA policy), and one
 * `cloudwatch.Alarm` on DaysToExpiry per certificate. No export: aws-cdk-lib has nothing like it.
 */
export function buildRawApp(app: App, total: number, perStack: number, withExport = false): void {
  const shared = new Stack(app, 'Shared', { env: BENCH_ENV });
  const zone = new route53.PublicHostedZone(shared, 'Zone', { zoneName: ZONE_NAME });
  const issuingArn = rawHierarchy(shared);

  chunks(total, perStack).forEach(([first, count], s) => {
    const stack = new Stack(app, `Certificates${s}`, { env: BENCH_ENV });
    stack.addDependency(shared);
    const publicCount = Math.ceil(count / 2);
    const exporter = withExport ? rawExporter(stack) : undefined;
    for (let i = first; i < first + count; i++) {
      let arn: string;
      if (i - first < publicCount) {
        arn = new acm.Certificate(stack, `Public${i}`, {
          domainName: `site${i}.${ZONE_NAME}`,
          validation: acm.CertificateValidation.fromDns(zone),
        }).certificateArn;
      } else {
        const cert = new acm.CfnCertificate(stack, `Private${i}`, {
          domainName: `svc${i}.internal.example.com`,
          certificateAuthorityArn: issuingArn,
          keyAlgorithm: 'RSA_2048',
        });
        cert.applyRemovalPolicy(RemovalPolicy.DESTROY);
        arn = cert.ref;
        exporter?.(`Export${i}`, arn);
      }
      daysToExpiryAlarm(stack, `DaysToExpiry${i}`, arn);
    }
  });
}

/** The raw side's expiry alarm: aws-cdk-lib's `cloudwatch.Alarm` on ACM's DaysToExpiry metric. */
export function daysToExpiryAlarm(scope: Construct, id: string, arn: string): void {
  new cloudwatch.Alarm(scope, id, {
    metric: new cloudwatch.Metric({
      namespace: 'AWS/CertificateManager',
      metricName: 'DaysToExpiry',
      dimensionsMap: { CertificateArn: arn },
      statistic: cloudwatch.Stats.MINIMUM,
      period: Duration.days(1),
    }),
    threshold: 45,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
}

/**
 * What a user writes with aws-cdk-lib alone to export private certificates into Secrets Manager and
 * re-export them on renewal: per stack a KMS key and one Lambda behind a Provider; per certificate
 * two secrets (export and passphrase), a custom resource and an EventBridge renewal rule.
 */
function rawExporter(stack: Stack): (id: string, certificateArn: string) => void {
  const key = new kms.Key(stack, 'ExportKey', { enableKeyRotation: true });
  const fn = new lambda.Function(stack, 'ExportFunction', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    timeout: Duration.minutes(2),
  });
  const provider = new cr.Provider(stack, 'ExportProvider', { onEventHandler: fn });
  return (id, certificateArn) => {
    const secret = new secretsmanager.Secret(stack, `${id}Secret`, { encryptionKey: key });
    const passphrase = new secretsmanager.Secret(stack, `${id}Passphrase`, {
      encryptionKey: key,
      generateSecretString: { passwordLength: 64 },
    });
    secret.grantWrite(fn);
    passphrase.grantRead(fn);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['acm:ExportCertificate'], resources: [certificateArn] }));
    new CustomResource(stack, id, {
      serviceToken: provider.serviceToken,
      properties: { CertificateArn: certificateArn, SecretArn: secret.secretArn, PassphraseSecretArn: passphrase.secretArn },
    });
    new events.Rule(stack, `${id}Renewal`, {
      eventPattern: { source: ['aws.acm'], detailType: ['ACM Certificate Available'], resources: [certificateArn] },
      targets: [new targets.LambdaFunction(fn)],
    });
  };
}

/** Root + issuing CA with `Cfn*` resources, activated, CRLs in a bucket; returns the issuing CA's ARN. */
function rawHierarchy(stack: Stack): string {
  const bucket = new s3.Bucket(stack, 'CrlBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
  });
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('acm-pca.amazonaws.com')],
    actions: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketAcl', 's3:GetBucketLocation'],
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  const revocation = {
    crlConfiguration: { enabled: true, expirationInDays: 7, s3BucketName: bucket.bucketName, s3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL' },
  };
  const root = new acmpca.CfnCertificateAuthority(stack, 'RootCa', {
    type: 'ROOT',
    keyAlgorithm: 'RSA_2048',
    signingAlgorithm: 'SHA256WITHRSA',
    subject: { commonName: 'Bench Root CA', organization: 'Bench' },
    revocationConfiguration: revocation,
  });
  root.node.addDependency(bucket.policy!);
  const rootCert = new acmpca.CfnCertificate(stack, 'RootCaCertificate', {
    certificateAuthorityArn: root.attrArn,
    certificateSigningRequest: root.attrCertificateSigningRequest,
    signingAlgorithm: 'SHA256WITHRSA',
    templateArn: `arn:${stack.partition}:acm-pca:::template/RootCACertificate/V1`,
    validity: { type: 'YEARS', value: 10 },
  });
  const rootActivation = new acmpca.CfnCertificateAuthorityActivation(stack, 'RootCaActivation', {
    certificateAuthorityArn: root.attrArn,
    certificate: rootCert.attrCertificate,
    status: 'ACTIVE',
  });
  const issuing = new acmpca.CfnCertificateAuthority(stack, 'IssuingCa', {
    type: 'SUBORDINATE',
    keyAlgorithm: 'RSA_2048',
    signingAlgorithm: 'SHA256WITHRSA',
    subject: { commonName: 'Bench Issuing CA', organization: 'Bench' },
    revocationConfiguration: revocation,
  });
  issuing.node.addDependency(bucket.policy!);
  const issuingCert = new acmpca.CfnCertificate(stack, 'IssuingCaCertificate', {
    certificateAuthorityArn: root.attrArn,
    certificateSigningRequest: issuing.attrCertificateSigningRequest,
    signingAlgorithm: 'SHA256WITHRSA',
    templateArn: `arn:${stack.partition}:acm-pca:::template/SubordinateCACertificate_PathLen0/V1`,
    validity: { type: 'YEARS', value: 5 },
  });
  issuingCert.node.addDependency(rootActivation);
  const issuingActivation = new acmpca.CfnCertificateAuthorityActivation(stack, 'IssuingCaActivation', {
    certificateAuthorityArn: issuing.attrArn,
    certificate: issuingCert.attrCertificate,
    certificateChain: rootActivation.attrCompleteCertificateChain,
    status: 'ACTIVE',
  });
  const permission = new acmpca.CfnPermission(stack, 'IssuingCaAcmPermission', {
    certificateAuthorityArn: issuing.attrArn,
    principal: 'acm.amazonaws.com',
    actions: ['IssueCertificate', 'GetCertificate', 'ListPermissions'],
    sourceAccount: stack.account,
  });
  permission.node.addDependency(issuingActivation);
  return issuing.attrArn;
}
