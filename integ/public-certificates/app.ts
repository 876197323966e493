/**
 * Integration app: public certificates validated in a real Route 53 hosted zone.
 *
 * Deploy for real (this requests real certificates and creates validation records):
 *
 *   CDK_PKI_INTEG_ZONE_ID=Z0123456789ABC CDK_PKI_INTEG_ZONE_NAME=example.com \
 *     npx cdk deploy --app 'npx ts-node --project test/tsconfig.json integ/public-certificates/app.ts' --all
 *
 * The account and region come from your AWS credentials (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION).
 * Offline, `test/integ/public-certificates.test.ts` synthesizes the same app with fixed values and
 * compares it with the committed snapshot in `integ/public-certificates/snapshot/`.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { CertificateKeyAlgorithm, PublicCertificate, PublicCertificateValidation } from '../../src';

/** What the integration needs from the real world. */
export interface PublicCertificatesIntegConfig {
  readonly hostedZoneId: string;
  readonly zoneName: string;
  readonly account?: string;
  readonly region?: string;
}

/** Public certificates in every validation shape a real zone allows without human action. */
export class PublicCertificatesIntegStack extends Stack {
  constructor(scope: Construct, id: string, config: PublicCertificatesIntegConfig, props?: StackProps) {
    super(scope, id, props);
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: config.hostedZoneId,
      zoneName: config.zoneName,
    });
    const apexAndWildcard = new PublicCertificate(this, 'ApexAndWildcard', {
      domainName: `integ-pki.${config.zoneName}`,
      subjectAlternativeNames: [`*.integ-pki.${config.zoneName}`],
      validation: PublicCertificateValidation.fromDns(zone),
    });
    new PublicCertificate(this, 'EllipticCurve', {
      domainName: `ec.integ-pki.${config.zoneName}`,
      validation: PublicCertificateValidation.fromDnsMultiZone([zone]),
      keyAlgorithm: CertificateKeyAlgorithm.EC_SECP384R1,
      tags: { purpose: 'cdk-pki-integ' },
    });
    new cloudwatch.Alarm(this, 'ExpiryAlarm', {
      metric: apexAndWildcard.metricDaysToExpiry(),
      threshold: 30,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    apexAndWildcard.onAvailable('Available');
  }
}

/** Builds the integration app. */
export function buildPublicCertificatesApp(config: PublicCertificatesIntegConfig, outdir?: string): App {
  const app = new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
  new PublicCertificatesIntegStack(app, 'CdkPkiIntegPublicCertificates', config, {
    env: { account: config.account, region: config.region },
  });
  return app;
}

/** Reads the configuration for a real deployment, failing fast with what is missing. */
export function configFromEnv(env: NodeJS.ProcessEnv): PublicCertificatesIntegConfig {
  const missing = ['CDK_PKI_INTEG_ZONE_ID', 'CDK_PKI_INTEG_ZONE_NAME'].filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new Error(
      `integ/public-certificates needs ${missing.join(' and ')}: the ID and name of a public Route 53 hosted zone ` +
        'in the account you deploy to (certificates and validation records are created in it).',
    );
  }
  return {
    hostedZoneId: env.CDK_PKI_INTEG_ZONE_ID!,
    zoneName: env.CDK_PKI_INTEG_ZONE_NAME!,
    account: env.CDK_DEFAULT_ACCOUNT,
    region: env.CDK_DEFAULT_REGION,
  };
}

if (require.main === module) {
  buildPublicCertificatesApp(configFromEnv(process.env)).synth();
}
