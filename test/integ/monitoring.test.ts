import * as path from 'path';
import { expectMatchesSnapshot } from './snapshot';
import { buildMonitoringApp, configFromEnv } from '../../integ/monitoring/app';
import { checkTemplateFiles } from '../harness/template-checks';

const SNAPSHOT_DIR = path.join(__dirname, '..', '..', 'integ', 'monitoring', 'snapshot');

describe('integ/monitoring', () => {
  test('synthesizes exactly the committed snapshot, which passes cfn-lint and @aws/cloudformation-validate', async () => {
    const app = buildMonitoringApp({ certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012', account: '123456789012' });
    const files = expectMatchesSnapshot(app, SNAPSHOT_DIR);
    expect(files.length).toBe(1);
    expect((await checkTemplateFiles(files)).errors).toEqual([]);
  });

  test('a real deployment fails fast without a certificate', () => {
    expect(() => configFromEnv({})).toThrow(/needs CDK_PKI_INTEG_CERTIFICATE_ARN/);
  });
});
