/**
 * Integration app: expiry alarms and ACM / AWS Health event notifications for an existing
 * certificate, account-wide event rules, and the account-level DaysBeforeExpiry setting.
 *
 * Deploy for real (subscribe to the topic to see notifications):
 *
 *   CDK_PKI_INTEG_CERTIFICATE_ARN=arn:aws:acm:...:certificate/... \
 *     npx cdk deploy --app 'npx ts-node --project test/tsconfig.json integ/monitoring/app.ts' --all
 *
 * The stack deploys to the certificate's region. Offline, `test/integ/monitoring.test.ts`
 * synthesizes it with fixed values and compares it with the committed snapshot.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AcmAccountConfiguration, CertificateMonitor, PublicCertificate } from '../../src';

/** What the integration needs from the real world. */
export interface MonitoringIntegConfig {
  readonly certificateArn: string;
  readonly account?: string;
}

/** A monitor over one existing certificate plus account-wide rules. */
export class MonitoringIntegStack extends Stack {
  constructor(scope: Construct, id: string, config: MonitoringIntegConfig, props?: StackProps) {
    super(scope, id, props);
    const certificate = PublicCertificate.fromCertificateArn(this, 'Certificate', config.certificateArn);
    new CertificateMonitor(this, 'Monitor', { certificates: [certificate], daysToExpiryThreshold: 30, dashboard: true });
    new CertificateMonitor(this, 'AccountWide', { accountWide: true, healthEvents: false });
    new AcmAccountConfiguration(this, 'AcmAccount', { daysBeforeExpiry: 30 });
  }
}

/** Builds the integration app in the certificate's region. */
export function buildMonitoringApp(config: MonitoringIntegConfig): App {
  const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
  const region = config.certificateArn.split(':')[3];
  new MonitoringIntegStack(app, 'CdkPkiIntegMonitoring', config, { env: { account: config.account, region } });
  return app;
}

/** Reads the configuration of a real deployment from the environment, failing fast without it. */
export function configFromEnv(env: NodeJS.ProcessEnv): MonitoringIntegConfig {
  if (!env.CDK_PKI_INTEG_CERTIFICATE_ARN) {
    throw new Error('integ/monitoring needs CDK_PKI_INTEG_CERTIFICATE_ARN: the ARN of an ACM certificate to watch');
  }
  return { certificateArn: env.CDK_PKI_INTEG_CERTIFICATE_ARN, account: env.CDK_DEFAULT_ACCOUNT };
}

if (require.main === module) {
  buildMonitoringApp(configFromEnv(process.env)).synth();
}
