import * as path from 'path';
import { expectMatchesSnapshot } from './snapshot';
import { buildPrivateCaApp, configFromEnv } from '../../integ/private-ca/app';
import { checkTemplateFiles } from '../harness/template-checks';

const SNAPSHOT_DIR = path.join(__dirname, '..', '..', 'integ', 'private-ca', 'snapshot');

describe('integ/private-ca', () => {
  test('synthesizes exactly the committed snapshot, which passes cfn-lint and @aws/cloudformation-validate', async () => {
    const app = buildPrivateCaApp({ shareWith: '111122223333', account: '123456789012', region: 'eu-west-1' });
    const files = expectMatchesSnapshot(app, SNAPSHOT_DIR);
    expect(files.length).toBe(1);
    expect((await checkTemplateFiles(files)).errors).toEqual([]);
  });

  test('a real deployment fails fast without an account to share with', () => {
    expect(() => configFromEnv({})).toThrow(/needs CDK_PKI_INTEG_SHARE_WITH/);
    expect(configFromEnv({ CDK_PKI_INTEG_SHARE_WITH: '111122223333', CDK_DEFAULT_REGION: 'eu-west-1' }))
      .toEqual({ shareWith: '111122223333', account: undefined, region: 'eu-west-1' });
  });
});
