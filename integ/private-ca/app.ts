/**
 * Integration app: a three-level Private CA hierarchy (root -> policy -> issuing) with a CRL
 * bucket, activated in one deployment, the issuing CA shared through AWS RAM.
 *
 * Deploy for real (AWS Private CA charges per CA per month; destroy afterwards and delete the CAs,
 * which are retained by default):
 *
 *   CDK_PKI_INTEG_SHARE_WITH=111122223333 \
 *     npx cdk deploy --app 'npx ts-node --project test/tsconfig.json integ/private-ca/app.ts' --all
 *
 * The account and region come from your AWS credentials (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION).
 * Offline, `test/integ/private-ca.test.ts` synthesizes it with fixed values and compares it with the
 * committed snapshot in `integ/private-ca/snapshot/`.
 */
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CaKeyAlgorithm, CaSharePrincipal, CaValidity, PrivateCaHierarchy } from '../../src';

/** What the integration needs from the real world. */
export interface PrivateCaIntegConfig {
  /** The account the issuing CA is shared with. */
  readonly shareWith: string;
  readonly account?: string;
  readonly region?: string;
}

/** A three-level hierarchy with CRLs and sharing. */
export class PrivateCaIntegStack extends Stack {
  constructor(scope: Construct, id: string, config: PrivateCaIntegConfig, props?: StackProps) {
    super(scope, id, props);
    const pki = new PrivateCaHierarchy(this, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'cdk-pki integ root', organization: 'cdk-pki' }, keyAlgorithm: CaKeyAlgorithm.RSA_4096, validity: CaValidity.duration(Duration.days(3650)) },
      intermediates: [{ id: 'Policy', subject: { commonName: 'cdk-pki integ policy', organization: 'cdk-pki' } }],
      issuing: [{ id: 'Issuing', subject: { commonName: 'cdk-pki integ issuing', organization: 'cdk-pki' }, keyAlgorithm: CaKeyAlgorithm.EC_PRIME256V1 }],
      crlExpiration: Duration.days(1),
      shareWith: [CaSharePrincipal.account(config.shareWith)],
      tags: { purpose: 'cdk-pki-integ' },
    });
    pki.issuingCas[0].alarmMisconfiguredCrlBucket('CrlBucketAlarm');
  }
}

/** Builds the integration app. */
export function buildPrivateCaApp(config: PrivateCaIntegConfig): App {
  const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
  new PrivateCaIntegStack(app, 'CdkPkiIntegPrivateCa', config, { env: { account: config.account, region: config.region } });
  return app;
}

/** Reads the configuration of a real deployment from the environment, failing fast without it. */
export function configFromEnv(env: NodeJS.ProcessEnv): PrivateCaIntegConfig {
  const shareWith = env.CDK_PKI_INTEG_SHARE_WITH;
  if (!shareWith) {
    throw new Error('integ/private-ca needs CDK_PKI_INTEG_SHARE_WITH (an account ID to share the issuing CA with)');
  }
  return { shareWith, account: env.CDK_DEFAULT_ACCOUNT, region: env.CDK_DEFAULT_REGION };
}

if (require.main === module) {
  buildPrivateCaApp(configFromEnv(process.env)).synth();
}
