/**
 * Integration app: a CloudFront distribution in a stack of any region, with its certificate in
 * us-east-1 (DnsValidatedCertificate), validated in a hosted zone of this account and, optionally,
 * in a zone of a separate DNS account reached through a role there.
 *
 * Deploy for real (this requests real certificates and writes validation records):
 *
 *   CDK_PKI_INTEG_ZONE_ID=Z0123456789ABC CDK_PKI_INTEG_ZONE_NAME=example.com \
 *   [CDK_PKI_INTEG_DNS_ACCOUNT=222222222222 CDK_PKI_INTEG_DNS_ZONE_ID=Z0987654321 CDK_PKI_INTEG_DNS_ZONE_NAME=example.org \
 *    CDK_PKI_INTEG_DNS_ROLE_ARN=arn:aws:iam::222222222222:role/dns-validation CDK_PKI_INTEG_DNS_EXTERNAL_ID=cdk-pki] \
 *     npx cdk deploy --app 'npx ts-node --project test/tsconfig.json integ/dns-validated-certificate/app.ts' --all
 *
 * The role in the DNS account must trust this account (with the external ID) and allow
 * route53:ListResourceRecordSets and route53:ChangeResourceRecordSets on that zone.
 * Offline, `test/integ/dns-validated-certificate.test.ts` synthesizes the same app with fixed values
 * and compares it with the committed snapshot in `integ/dns-validated-certificate/snapshot/`.
 */
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { DnsValidatedCertificate, DnsValidationZone } from '../../src';

/** A hosted zone of a separate DNS account and the role to assume there. */
export interface CrossAccountZoneConfig {
  readonly account: string;
  readonly hostedZoneId: string;
  readonly zoneName: string;
  readonly roleArn: string;
  readonly externalId?: string;
}

/** What the integration needs from the real world. */
export interface DnsValidatedCertificateIntegConfig {
  readonly hostedZoneId: string;
  readonly zoneName: string;
  readonly crossAccountZone?: CrossAccountZoneConfig;
  readonly account?: string;
  readonly region?: string;
}

/** A CloudFront distribution with a us-east-1 certificate, from a stack of another region. */
export class DnsValidatedCertificateIntegStack extends Stack {
  constructor(scope: Construct, id: string, config: DnsValidatedCertificateIntegConfig, props?: StackProps) {
    super(scope, id, props);
    const zones: DnsValidationZone[] = [{
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: config.hostedZoneId, zoneName: config.zoneName }),
    }];
    const names = [`cdn.integ-pki.${config.zoneName}`];
    const other = config.crossAccountZone;
    if (other !== undefined) {
      zones.push({
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(this, 'DnsAccountZone', { hostedZoneId: other.hostedZoneId, zoneName: other.zoneName }),
        account: other.account,
        role: iam.Role.fromRoleArn(this, 'DnsAccountRole', other.roleArn),
        externalId: other.externalId,
      });
      names.push(`cdn.integ-pki.${other.zoneName}`);
    }
    const certificate = new DnsValidatedCertificate(this, 'CdnCertificate', {
      domainName: names[0],
      subjectAlternativeNames: names.slice(1),
      region: 'us-east-1',
      hostedZones: zones,
      validationTimeout: Duration.minutes(30),
      tags: { purpose: 'cdk-pki-integ' },
    });
    new cloudfront.Distribution(this, 'Cdn', {
      defaultBehavior: { origin: new origins.HttpOrigin(`origin.integ-pki.${config.zoneName}`) },
      domainNames: names,
      certificate,
      comment: 'cdk-pki integ: certificate from us-east-1',
    });
  }
}

/** Builds the integration app. */
export function buildDnsValidatedCertificateApp(config: DnsValidatedCertificateIntegConfig, outdir?: string): App {
  const app = new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
  new DnsValidatedCertificateIntegStack(app, 'CdkPkiIntegDnsValidatedCertificate', config, {
    env: { account: config.account, region: config.region },
  });
  return app;
}

/** Reads the configuration for a real deployment, failing fast with what is missing. */
export function configFromEnv(env: NodeJS.ProcessEnv): DnsValidatedCertificateIntegConfig {
  const missing = ['CDK_PKI_INTEG_ZONE_ID', 'CDK_PKI_INTEG_ZONE_NAME'].filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new Error(
      `integ/dns-validated-certificate needs ${missing.join(' and ')}: the ID and name of a public Route 53 hosted zone ` +
        'in the account you deploy to (a certificate and validation records are created in it).',
    );
  }
  const crossKeys = ['CDK_PKI_INTEG_DNS_ACCOUNT', 'CDK_PKI_INTEG_DNS_ZONE_ID', 'CDK_PKI_INTEG_DNS_ZONE_NAME', 'CDK_PKI_INTEG_DNS_ROLE_ARN'];
  const given = crossKeys.filter((k) => env[k]);
  if (given.length > 0 && given.length < crossKeys.length) {
    throw new Error(`integ/dns-validated-certificate: for a zone in a DNS account set all of ${crossKeys.join(', ')} (missing: ${crossKeys.filter((k) => !env[k]).join(', ')}).`);
  }
  return {
    hostedZoneId: env.CDK_PKI_INTEG_ZONE_ID!,
    zoneName: env.CDK_PKI_INTEG_ZONE_NAME!,
    crossAccountZone: given.length === 0 ? undefined : {
      account: env.CDK_PKI_INTEG_DNS_ACCOUNT!,
      hostedZoneId: env.CDK_PKI_INTEG_DNS_ZONE_ID!,
      zoneName: env.CDK_PKI_INTEG_DNS_ZONE_NAME!,
      roleArn: env.CDK_PKI_INTEG_DNS_ROLE_ARN!,
      externalId: env.CDK_PKI_INTEG_DNS_EXTERNAL_ID,
    },
    account: env.CDK_DEFAULT_ACCOUNT,
    region: env.CDK_DEFAULT_REGION,
  };
}

if (require.main === module) {
  buildDnsValidatedCertificateApp(configFromEnv(process.env)).synth();
}
