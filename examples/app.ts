import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import {
  CaKeyAlgorithm,
  CertificateMonitor,
  CertificateExport,
  CertificateKeyAlgorithm,
  CertificateTemplate,
  DnsValidatedCertificate,
  PrivateCaHierarchy,
  PrivateCertificate,
  PublicCertificate,
  PublicCertificateValidation,
} from '../src';

/**
 * The certificates of a small web platform: a site, an API in a delegated zone, an exportable
 * certificate for a workload outside AWS services, and a legacy certificate imported by ARN.
 */
export class WebCertificatesStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const zone = new route53.PublicHostedZone(this, 'ExampleZone', { zoneName: 'example.com' });
    const apiZone = new route53.PublicHostedZone(this, 'ApiZone', { zoneName: 'api.example.com' });

    // The site: apex and wildcard share one validation record.
    const site = new PublicCertificate(this, 'SiteCertificate', {
      domainName: 'example.com',
      subjectAlternativeNames: ['*.example.com'],
      validation: PublicCertificateValidation.fromDns(zone),
    });

    // Names in two zones: each goes to the zone with the longest matching suffix.
    new PublicCertificate(this, 'ApiCertificate', {
      domainName: 'api.example.com',
      subjectAlternativeNames: ['v1.api.example.com', 'status.example.com'],
      validation: PublicCertificateValidation.fromDnsMultiZone([zone, apiZone]),
      keyAlgorithm: CertificateKeyAlgorithm.EC_PRIME256V1,
    });

    // An exportable certificate for a host that terminates TLS itself.
    const edge = new PublicCertificate(this, 'EdgeHostCertificate', {
      domainName: 'edge.example.com',
      validation: PublicCertificateValidation.fromDns(zone),
      allowExport: true,
    });
    const exporter = new iam.Role(this, 'ExporterRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    edge.grantExport(exporter);
    site.grantRead(exporter);

    // A certificate created elsewhere: alarm before it expires.
    const legacy = PublicCertificate.fromCertificateArn(
      this,
      'LegacyCertificate',
      'arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012',
    );
    new cloudwatch.Alarm(this, 'LegacyExpiryAlarm', {
      metric: legacy.metricDaysToExpiry(),
      threshold: 30,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    legacy.onApproachingExpiration('LegacyApproachingExpiration', { description: 'Legacy certificate expires soon' });
    site.onRenewalActionRequired('SiteRenewalActionRequired');

    // Expiry alarms and ACM/Health event notifications for the certificates of this stack.
    new CertificateMonitor(this, 'CertificateMonitor', { certificates: [site, edge, legacy] });

    // Email validation still exists; it blocks the deployment until approved (a warning says so).
    new PublicCertificate(this, 'MailCertificate', {
      domainName: 'mail.example.org',
      validation: PublicCertificateValidation.fromEmail({ 'mail.example.org': 'example.org' }),
      maxNames: 10,
    });
  }
}

/**
 * A private PKI for internal services: root -> policy -> two issuing CAs, activated in one
 * deployment, CRLs in a private bucket served through CloudFront, ACM allowed to renew.
 */
export class InternalPkiStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const pki = new PrivateCaHierarchy(this, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Example Corp Root CA', organization: 'Example Corp', country: 'US' }, keyAlgorithm: CaKeyAlgorithm.RSA_4096 },
      intermediates: [{ id: 'Policy', subject: { commonName: 'Example Corp Policy CA', organization: 'Example Corp' } }],
      issuing: [
        { id: 'ServicesCa', subject: { commonName: 'Example Corp Services CA', organization: 'Example Corp' } },
        { id: 'DevicesCa', subject: { commonName: 'Example Corp Devices CA', organization: 'Example Corp' }, keyAlgorithm: CaKeyAlgorithm.EC_PRIME256V1 },
      ],
      crlBucketProps: { publicDistribution: true },
      tags: { 'cost-center': 'platform' },
    });

    // `cdk synth` prints this stack's cost estimate (four general-purpose CAs: about $1,600 a month), and a hint that
    // DevicesCa, from which ACM requests nothing, could be a cheaper short-lived-certificate CA.

    // A workload that issues client certificates for devices, and nothing else.
    const enrollment = new iam.Role(this, 'DeviceEnrollmentRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const devices = pki.issuingCas[1];
    devices.grantIssueCertificate(enrollment, [CertificateTemplate.END_ENTITY_CLIENT_AUTH]);
    devices.grantGetCertificate(enrollment);

    // An ACM private certificate for an internal load balancer, renewed by ACM.
    const internalApi = new PrivateCertificate(this, 'InternalApiCertificate', {
      domainName: 'api.internal.example.com',
      certificateAuthority: pki.issuingCas[0],
    });

    // The same certificate with its key for servers outside AWS services, re-exported on renewal.
    const exported = new CertificateExport(this, 'InternalApiExport', { certificate: internalApi });
    exported.grantRead(new iam.Role(this, 'ApiServerRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));

    for (const ca of [pki.root, ...pki.intermediates, ...pki.issuingCas]) {
      ca.alarmMisconfiguredCrlBucket('CrlBucketAlarm');
    }
  }
}

/**
 * A site served by CloudFront from a stack in eu-west-1: its certificate is requested in us-east-1
 * (CloudFront's region), validated in this account's zone and in a zone of a separate DNS account.
 */
export class EdgeDeliveryStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    const partnerZone = route53.HostedZone.fromHostedZoneAttributes(this, 'PartnerZone', { hostedZoneId: 'Z0987654321ABCDEFGHIJ', zoneName: 'example.org' });

    const certificate = new DnsValidatedCertificate(this, 'CdnCertificate', {
      domainName: 'www.example.com',
      subjectAlternativeNames: ['www.example.org'],
      region: 'us-east-1',
      hostedZones: [
        { hostedZone: zone },
        {
          hostedZone: partnerZone,
          account: '222222222222',
          role: iam.Role.fromRoleArn(this, 'PartnerDnsRole', 'arn:aws:iam::222222222222:role/dns-validation'),
          externalId: 'cdk-pki-example',
        },
      ],
      validationTimeout: Duration.minutes(30),
    });

    new cloudfront.Distribution(this, 'Cdn', {
      defaultBehavior: { origin: new origins.HttpOrigin('origin.example.com') },
      domainNames: ['www.example.com', 'www.example.org'],
      certificate,
    });
  }
}

/** Builds the example app; `examples/run.ts` synthesizes it and prints a summary. */
export function buildExampleApp(outdir?: string): App {
  const app = new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
  new WebCertificatesStack(app, 'WebCertificates', { env: { account: '111111111111', region: 'us-east-1' } });
  new InternalPkiStack(app, 'InternalPki', { env: { account: '111111111111', region: 'eu-west-1' } });
  new EdgeDeliveryStack(app, 'EdgeDelivery', { env: { account: '111111111111', region: 'eu-west-1' } });
  return app;
}
