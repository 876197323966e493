/**
 * Integration app: the certificate lifecycle CloudFormation cannot do alone. A private certificate
 * from an existing Private CA, exported into Secrets Manager (and re-exported on renewal), and a
 * third-party certificate imported from a secret and reimported when the secret changes.
 *
 * Deploy for real (needs an ACTIVE general-purpose Private CA that lets ACM issue in this account,
 * and a secret holding PEM material as JSON {certificate, privateKey, certificateChain}):
 *
 *   CDK_PKI_INTEG_CA_ARN=arn:aws:acm-pca:...:certificate-authority/... \
 *   CDK_PKI_INTEG_SECRET_ARN=arn:aws:secretsmanager:...:secret:... \
 *     npx cdk deploy --app 'npx ts-node --project test/tsconfig.json integ/certificate-lifecycle/app.ts' --all
 *
 * Offline, `test/integ/certificate-lifecycle.test.ts` synthesizes it with fixed values and compares
 * it with the committed snapshot in `integ/certificate-lifecycle/snapshot/`.
 */
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as events from 'aws-cdk-lib/aws-events';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CertificateExport, CertificateMaterial, ImportedCertificate, PrivateCertificate } from '../../src';

/** What the integration needs from the real world. */
export interface LifecycleIntegConfig {
  readonly certificateAuthorityArn: string;
  readonly materialSecretArn: string;
  readonly account?: string;
  readonly region?: string;
}

/** Private certificate + export, imported certificate + reimport. */
export class LifecycleIntegStack extends Stack {
  constructor(scope: Construct, id: string, config: LifecycleIntegConfig, props?: StackProps) {
    super(scope, id, props);
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(this, 'Ca', config.certificateAuthorityArn);
    const privateCertificate = new PrivateCertificate(this, 'Private', { domainName: 'integ.cdk-pki.internal', certificateAuthority: ca });
    new CertificateExport(this, 'Export', { certificate: privateCertificate });

    const secret = secretsmanager.Secret.fromSecretCompleteArn(this, 'Material', config.materialSecretArn);
    new ImportedCertificate(this, 'Imported', {
      material: CertificateMaterial.fromSecret(secret),
      reimportSchedule: events.Schedule.rate(Duration.hours(1)),
    });
  }
}

/** Builds the integration app. */
export function buildLifecycleApp(config: LifecycleIntegConfig): App {
  const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
  new LifecycleIntegStack(app, 'CdkPkiIntegCertificateLifecycle', config, { env: { account: config.account, region: config.region } });
  return app;
}

/** Reads the configuration of a real deployment from the environment, failing fast without it. */
export function configFromEnv(env: NodeJS.ProcessEnv): LifecycleIntegConfig {
  const missing = ['CDK_PKI_INTEG_CA_ARN', 'CDK_PKI_INTEG_SECRET_ARN'].filter((k) => !env[k]);
  if (missing.length) {
    throw new Error(`integ/certificate-lifecycle needs ${missing.join(' and ')}: an ACTIVE Private CA ARN and the ARN of a secret with PEM material`);
  }
  return {
    certificateAuthorityArn: env.CDK_PKI_INTEG_CA_ARN!,
    materialSecretArn: env.CDK_PKI_INTEG_SECRET_ARN!,
    account: env.CDK_DEFAULT_ACCOUNT,
    region: env.CDK_DEFAULT_REGION,
  };
}

if (require.main === module) {
  buildLifecycleApp(configFromEnv(process.env)).synth();
}
