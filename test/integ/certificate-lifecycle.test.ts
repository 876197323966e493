import * as fs from 'fs';
import * as path from 'path';
import { expectMatchesSnapshot } from './snapshot';
import { buildLifecycleApp, configFromEnv } from '../../integ/certificate-lifecycle/app';
import { checkTemplateFiles } from '../harness/template-checks';

const SNAPSHOT_DIR = path.join(__dirname, '..', '..', 'integ', 'certificate-lifecycle', 'snapshot');

describe('integ/certificate-lifecycle', () => {
  test('synthesizes exactly the committed snapshot, which passes both validators and holds no PEM', async () => {
    const app = buildLifecycleApp({
      certificateAuthorityArn: 'arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012',
      materialSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:integ/material-AbCdEf',
      account: '123456789012',
      region: 'eu-west-1',
    });
    const files = expectMatchesSnapshot(app, SNAPSHOT_DIR);
    expect(files.length).toBe(1);
    expect((await checkTemplateFiles(files)).errors).toEqual([]);
    expect(fs.readFileSync(files[0], 'utf8')).not.toMatch(/-----BEGIN/);
  });

  test('a real deployment fails fast without a CA and a secret', () => {
    expect(() => configFromEnv({})).toThrow(/needs CDK_PKI_INTEG_CA_ARN and CDK_PKI_INTEG_SECRET_ARN/);
  });
});
