import * as fs from 'fs';
import * as path from 'path';
import { expectMatchesSnapshot } from './snapshot';
import { buildDnsValidatedCertificateApp, configFromEnv } from '../../integ/dns-validated-certificate/app';
import { checkTemplateFiles } from '../harness/template-checks';

const SNAPSHOT_DIR = path.join(__dirname, '..', '..', 'integ', 'dns-validated-certificate', 'snapshot');

describe('integ/dns-validated-certificate', () => {
  test('synthesizes exactly the committed snapshot, which passes cfn-lint and @aws/cloudformation-validate', async () => {
    const app = buildDnsValidatedCertificateApp({
      hostedZoneId: 'Z0000000000INTEG',
      zoneName: 'integ.example.com',
      crossAccountZone: {
        account: '210987654321',
        hostedZoneId: 'Z0000000000DNSACCT',
        zoneName: 'integ.example.org',
        roleArn: 'arn:aws:iam::210987654321:role/cdk-pki-dns-validation',
        externalId: 'cdk-pki-integ',
      },
      account: '123456789012',
      region: 'eu-west-1',
    });
    const files = expectMatchesSnapshot(app, SNAPSHOT_DIR);
    expect(files.length).toBe(1);
    expect((await checkTemplateFiles(files)).errors).toEqual([]);
    // The distribution in eu-west-1 uses the certificate requested in us-east-1.
    const template = JSON.parse(fs.readFileSync(files[0], 'utf8'));
    const resources = Object.values(template.Resources) as any[];
    const cert = resources.find((r) => r.Type === 'Custom::CdkPkiDnsValidatedCertificate');
    expect(cert.Properties.Region).toBe('us-east-1');
    expect(cert.Properties.Validation.map((v: any) => v.RoleArn)).toEqual([undefined, 'arn:aws:iam::210987654321:role/cdk-pki-dns-validation']);
    const cdn = resources.find((r) => r.Type === 'AWS::CloudFront::Distribution');
    expect(cdn.Properties.DistributionConfig.ViewerCertificate.AcmCertificateArn.Ref).toMatch(/^CdnCertificate/);
  });

  test('a real deployment fails fast without a hosted zone, or with half a DNS-account configuration', () => {
    expect(() => configFromEnv({})).toThrow(/needs CDK_PKI_INTEG_ZONE_ID and CDK_PKI_INTEG_ZONE_NAME/);
    const base = { CDK_PKI_INTEG_ZONE_ID: 'Z1', CDK_PKI_INTEG_ZONE_NAME: 'example.com' };
    expect(() => configFromEnv({ ...base, CDK_PKI_INTEG_DNS_ACCOUNT: '222222222222' })).toThrow(/missing: CDK_PKI_INTEG_DNS_ZONE_ID/);
    expect(configFromEnv({ ...base, CDK_DEFAULT_REGION: 'eu-west-1' }))
      .toEqual({ hostedZoneId: 'Z1', zoneName: 'example.com', crossAccountZone: undefined, account: undefined, region: 'eu-west-1' });
  });
});
