import * as path from 'path';
import { expectMatchesSnapshot } from './snapshot';
import { buildPublicCertificatesApp, configFromEnv } from '../../integ/public-certificates/app';
import { checkTemplateFiles } from '../harness/template-checks';

const SNAPSHOT_DIR = path.join(__dirname, '..', '..', 'integ', 'public-certificates', 'snapshot');

describe('integ/public-certificates', () => {
  test('synthesizes exactly the committed snapshot, which passes cfn-lint and @aws/cloudformation-validate', async () => {
    const app = buildPublicCertificatesApp({
      hostedZoneId: 'Z0000000000INTEG',
      zoneName: 'integ.example.com',
      account: '123456789012',
      region: 'us-east-1',
    });
    const files = expectMatchesSnapshot(app, SNAPSHOT_DIR);
    expect(files.length).toBe(1);
    expect((await checkTemplateFiles(files)).errors).toEqual([]);
  });

  test('a real deployment fails fast without a hosted zone', () => {
    expect(() => configFromEnv({})).toThrow(/needs CDK_PKI_INTEG_ZONE_ID and CDK_PKI_INTEG_ZONE_NAME/);
    expect(configFromEnv({ CDK_PKI_INTEG_ZONE_ID: 'Z1', CDK_PKI_INTEG_ZONE_NAME: 'example.com', CDK_DEFAULT_REGION: 'eu-west-1' }))
      .toEqual({ hostedZoneId: 'Z1', zoneName: 'example.com', account: undefined, region: 'eu-west-1' });
  });
});
