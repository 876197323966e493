import { App, CfnParameter, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { findingsOf, newStack } from './rules/findings';
import { CertificateExport } from '../../src/certificates/certificate-export';
import { CertificateMaterial } from '../../src/certificates/certificate-material';
import { ImportedCertificate } from '../../src/certificates/imported-certificate';
import { PrivateCertificate } from '../../src/certificates/private-certificate';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { PublicCertificateValidation } from '../../src/certificates/public-certificate-validation';
import { PkiChecks } from '../../src/checks/pki-checks';
import { pkiRuleCatalog } from '../../src/checks/rule-catalog';
import { CertificateMonitor } from '../../src/monitoring/certificate-monitor';
import { CrlBucket } from '../../src/private-ca/crl-bucket';
import { PrivateCaHierarchy } from '../../src/private-ca/private-ca-hierarchy';
import { RootCa } from '../../src/private-ca/root-ca';
import { SubordinateCa } from '../../src/private-ca/subordinate-ca';

/** The rule IDs are a public contract (shared with rules/pki-checks.guard): changing this list is a breaking change. */
const PINNED = {
  Error: ['PKI-ACM2', 'PKI-ACM3', 'PKI-ACM4', 'PKI-ACM5', 'PKI-PCA1', 'PKI-PCA2', 'PKI-PCA4', 'PKI-PCA5', 'PKI-PCA8', 'PKI-PCA9', 'PKI-PCA12', 'PKI-PCA13',
    'PKI-PCA14'],
  Warning: ['PKI-ACM1', 'PKI-ACM6', 'PKI-ACM7', 'PKI-PCA3', 'PKI-PCA6', 'PKI-PCA7', 'PKI-PCA10', 'PKI-PCA11'],
};

describe('the rule catalog', () => {
  const catalog = pkiRuleCatalog();

  test('pins every rule ID with its level', () => {
    expect(catalog.filter((r) => r.level === 'Error').map((r) => r.id)).toEqual(PINNED.Error);
    expect(catalog.filter((r) => r.level === 'Warning').map((r) => r.id)).toEqual(PINNED.Warning);
  });

  test('IDs are PKI-<suffix>, unique, with resource types and messages', () => {
    expect(new Set(catalog.map((r) => r.id)).size).toBe(catalog.length);
    for (const rule of catalog) {
      expect(rule.id).toBe(`PKI-${rule.suffix}`);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
      expect(rule.info.length).toBeGreaterThan(40);
      expect(rule.explanation.length).toBeGreaterThan(40);
    }
  });

  test('is a copy: changing it does not change the pack', () => {
    (pkiRuleCatalog()[0].resourceTypes as string[]).push('AWS::S3::Bucket');
    expect(pkiRuleCatalog()[0].resourceTypes).toEqual(['AWS::CertificateManager::Certificate']);
  });
});

/** A stack with raw Cfn resources that breaks every rule once. */
function everythingWrong(stack: Stack): void {
  const names = Array.from({ length: 11 }, (_, i) => `host${i}.example.com`);
  // ACM1 (email), ACM2, ACM3, ACM6, ACM7
  const email = new acm.CfnCertificate(stack, 'EmailCert', {
    domainName: 'www.example.com',
    subjectAlternativeNames: names,
    certificateTransparencyLoggingPreference: 'DISABLED',
    keyAlgorithm: 'RSA_4096',
    certificateExport: 'ENABLED',
  });
  // ACM4
  new acm.CfnCertificate(stack, 'HttpCert', { domainName: '*.example.com', validationMethod: 'HTTP' });
  // ACM5
  new cloudfront.CfnDistribution(stack, 'Cdn', {
    distributionConfig: {
      enabled: true,
      aliases: ['www.example.com'],
      origins: [{ id: 'origin', domainName: 'origin.example.com', customOriginConfig: { originProtocolPolicy: 'https-only' } }],
      defaultCacheBehavior: { targetOriginId: 'origin', viewerProtocolPolicy: 'redirect-to-https', cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
      viewerCertificate: { acmCertificateArn: email.ref, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' },
    },
  });
  // PCA1 (SHA-1), PCA2 (EC key, RSA signature), PCA3, PCA6, PCA10, PCA11
  const root = new acmpca.CfnCertificateAuthority(stack, 'Root', {
    type: 'ROOT',
    keyAlgorithm: 'EC_prime256v1',
    signingAlgorithm: 'SHA1WITHRSA',
    subject: { commonName: 'Root' },
    keyStorageSecurityStandard: 'FIPS_140_2_LEVEL_2_OR_HIGHER',
  });
  // PCA7 (from the root), PCA8 (no permission)
  new acm.CfnCertificate(stack, 'FromRoot', { domainName: 'a.internal.example', certificateAuthorityArn: root.attrArn });
  // PCA4 (default ACL), PCA5 (bucket without BPA or policy)
  const bucket = new s3.CfnBucket(stack, 'CrlBucket');
  const crlCa = new acmpca.CfnCertificateAuthority(stack, 'CrlCa', {
    type: 'ROOT',
    keyAlgorithm: 'RSA_2048',
    signingAlgorithm: 'SHA256WITHRSA',
    subject: { commonName: 'Crl' },
    revocationConfiguration: { crlConfiguration: { enabled: true, s3BucketName: bucket.ref } },
    tags: [{ key: 'owner', value: 'pki' }],
  });
  crlCa.applyRemovalPolicy(RemovalPolicy.RETAIN);
  // PCA9
  const shortLived = new acmpca.CfnCertificateAuthority(stack, 'ShortLived', {
    type: 'SUBORDINATE',
    keyAlgorithm: 'RSA_2048',
    signingAlgorithm: 'SHA256WITHRSA',
    subject: { commonName: 'Short' },
    usageMode: 'SHORT_LIVED_CERTIFICATE',
    tags: [{ key: 'owner', value: 'pki' }],
  });
  shortLived.applyRemovalPolicy(RemovalPolicy.RETAIN);
  // PCA12: the CA is retained, its ACM permission is not
  new acmpca.CfnPermission(stack, 'ShortLivedPermission', {
    certificateAuthorityArn: shortLived.attrArn, principal: 'acm.amazonaws.com', actions: ['IssueCertificate', 'GetCertificate', 'ListPermissions'],
  });
  new acm.CfnCertificate(stack, 'FromShortLived', { domainName: 'b.internal.example', certificateAuthorityArn: shortLived.attrArn });
  // PCA13: IssueCertificate with any template
  new iam.CfnManagedPolicy(stack, 'Issuer', {
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'acm-pca:IssueCertificate', Resource: crlCa.attrArn }] },
  });
  // PCA14: a Roles Anywhere trust anchor on a CA without a CRL
  new rolesanywhere.CfnTrustAnchor(stack, 'Anchor', { name: 'hosts', source: { sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn: root.attrArn } } });
}

describe('PkiChecks', () => {
  test('reports each rule with its catalog level, on the resource that breaks it', () => {
    const stack = newStack();
    everythingWrong(stack);
    expect(findingsOf(stack).map((f) => `${f.ruleId} ${f.level} ${f.resourcePath}`)).toEqual([
      'PKI-ACM1 Warning EmailCert',
      'PKI-ACM2 Error EmailCert',
      'PKI-ACM3 Error EmailCert',
      'PKI-ACM4 Error HttpCert',
      'PKI-ACM5 Error Cdn',
      'PKI-ACM6 Warning EmailCert',
      'PKI-ACM7 Warning EmailCert',
      'PKI-PCA1 Error Root',
      'PKI-PCA10 Warning Root',
      'PKI-PCA11 Warning Root',
      'PKI-PCA12 Error ShortLived',
      'PKI-PCA13 Error Issuer',
      'PKI-PCA14 Error Anchor',
      'PKI-PCA2 Error Root',
      'PKI-PCA3 Warning Root',
      'PKI-PCA4 Error CrlCa',
      'PKI-PCA5 Error CrlCa',
      'PKI-PCA6 Warning Root',
      'PKI-PCA7 Warning FromRoot',
      'PKI-PCA8 Error FromRoot',
      'PKI-PCA9 Error FromShortLived',
    ]);
    const levels = new Map(pkiRuleCatalog().map((r) => [r.id, r.level]));
    for (const f of findingsOf(stack)) expect(f.level).toBe(levels.get(f.ruleId));
  });

  test('the report is a failure with the info as description, and the explanation too when verbose', () => {
    const stack = newStack();
    new acm.CfnCertificate(stack, 'Cert', { domainName: 'www.example.com', validationMethod: 'EMAIL' });
    const info = pkiRuleCatalog().find((r) => r.id === 'PKI-ACM1')!;
    const report = new PkiChecks().validateScope(stack);
    expect(report.success).toBe(false);
    expect(report.violations).toEqual([expect.objectContaining({ ruleName: 'PKI-ACM1', severity: 'warning', description: info.info })]);
    const verbose = new PkiChecks(undefined, { verbose: true }).validateScope(stack);
    expect(verbose.violations[0].description).toBe(`${info.info} ${info.explanation}`);
    expect(new PkiChecks().name).toBe('PKI');
    expect(new PkiChecks().readPackName).toBe('PKI');
  });

  test('values known only at deploy time are never reported (no "rule threw" findings)', () => {
    const stack = newStack(null);
    const p = (id: string) => new CfnParameter(stack, id, { type: 'String' }).valueAsString;
    new acm.CfnCertificate(stack, 'Cert', {
      domainName: p('Domain'),
      validationMethod: p('Method'),
      certificateTransparencyLoggingPreference: p('Ct'),
      keyAlgorithm: p('Key'),
      certificateExport: p('Export'),
      certificateAuthorityArn: p('CaArn'),
    });
    const ca = new acmpca.CfnCertificateAuthority(stack, 'Ca', {
      type: p('Type'),
      keyAlgorithm: p('CaKey'),
      signingAlgorithm: p('Signing'),
      subject: { commonName: p('Cn') },
      usageMode: p('Usage'),
      keyStorageSecurityStandard: p('Storage'),
      revocationConfiguration: { crlConfiguration: { enabled: true, s3BucketName: p('Bucket'), s3ObjectAcl: p('Acl') } },
      tags: [{ key: 'owner', value: p('Owner') }],
    });
    ca.applyRemovalPolicy(RemovalPolicy.RETAIN);
    expect(findingsOf(stack)).toEqual([]);
  });

  test('aws-cdk-lib L2s are checked too: acm.Certificate defaults to email validation', () => {
    const stack = newStack();
    new acm.Certificate(stack, 'Cdk', { domainName: 'www.example.com' });
    expect(findingsOf(stack)).toEqual([{ ruleId: 'PKI-ACM1', level: 'Warning', resourcePath: 'Cdk/Resource' }]);
  });

  test('Validations.acknowledge on the resource or an ancestor hides exactly that rule there', () => {
    const stack = newStack();
    const cert = new acm.CfnCertificate(stack, 'Cert', { domainName: 'www.example.com', validationMethod: 'EMAIL', keyAlgorithm: 'RSA_4096' });
    new acm.CfnCertificate(stack, 'Other', { domainName: 'www.example.com', validationMethod: 'EMAIL' });
    Validations.of(cert).acknowledge({ id: 'PKI-ACM1', reason: 'The domain owner approves by email on purpose' });
    expect(findingsOf(stack).map((f) => `${f.ruleId} ${f.resourcePath}`)).toEqual(['PKI-ACM1 Other', 'PKI-ACM3 Cert']);

    const scoped = newStack();
    const group = new Construct(scoped, 'Group');
    new acm.CfnCertificate(group, 'Cert', { domainName: 'www.example.com', validationMethod: 'EMAIL', keyAlgorithm: 'RSA_4096' });
    Validations.of(group).acknowledge({ id: 'PKI-ACM1', reason: 'The domain owner approves by email on purpose' });
    expect(findingsOf(scoped).map((f) => `${f.ruleId} ${f.resourcePath}`)).toEqual(['PKI-ACM3 Group/Cert']);
  });

  test('as a validation plugin of the app: synth reports the findings and sets the exit code', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    new acm.CfnCertificate(stack, 'Cert', { domainName: 'www.example.com', validationMethod: 'EMAIL' });
    Validations.of(app).addPlugins(new PkiChecks());
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { errors.push(args.join(' ')); });
    const exitCode = process.exitCode;
    try {
      app.synth();
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = exitCode;
      spy.mockRestore();
    }
    const output = errors.join('\n');
    expect(output).toContain('PKI-ACM1');
    expect(output).toContain('Stack/Cert');
  });
});

const OWN_CONSTRUCTS: Record<string, (stack: Stack) => void> = {
  'PublicCertificate (fromDns zone)': (s) => {
    const zone = new route53.PublicHostedZone(s, 'Zone', { zoneName: 'example.com' });
    new PublicCertificate(s, 'Cert', { domainName: 'www.example.com', validation: PublicCertificateValidation.fromDns(zone) });
  },
  'PrivateCaHierarchy + PrivateCertificate': (s) => {
    const pki = new PrivateCaHierarchy(s, 'Pki', { root: { id: 'Root', subject: { commonName: 'Root' } }, issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' } }] });
    new PrivateCertificate(s, 'Cert', { domainName: 'api.internal.example.com', certificateAuthority: pki.issuingCas[0] });
  },
  'RootCa + SubordinateCa': (s) => {
    const root = new RootCa(s, 'Root', { subject: { commonName: 'Root' } });
    new SubordinateCa(s, 'Sub', { parent: root, subject: { commonName: 'Issuing' } });
  },
  'CrlBucket on a RootCa': (s) => {
    new RootCa(s, 'Root', { subject: { commonName: 'Root' }, revocation: { crlBucket: new CrlBucket(s, 'Crl') } });
  },
  'ImportedCertificate': (s) => {
    const secret = secretsmanager.Secret.fromSecretCompleteArn(s, 'Material', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:pki/web-AbCdEf');
    new ImportedCertificate(s, 'Cert', { material: CertificateMaterial.fromSecret(secret) });
  },
  'CertificateExport of an exportable PublicCertificate': (s) => {
    new CertificateExport(s, 'Export', { certificate: new PublicCertificate(s, 'Cert', { domainName: 'www.example.com', allowExport: true }) });
  },
  'CertificateMonitor': (s) => {
    new CertificateMonitor(s, 'Monitor', { certificates: [new PublicCertificate(s, 'Cert', { domainName: 'www.example.com' })] });
  },
};

describe('our constructs with default props', () => {
  test.each(Object.keys(OWN_CONSTRUCTS))('%s: no finding', (name) => {
    const stack = newStack();
    OWN_CONSTRUCTS[name](stack);
    expect(findingsOf(stack)).toEqual([]);
  });

  test('CAs with tags and revocation pass every rule', () => {
    const stack = newStack();
    const root = new RootCa(stack, 'Root', { subject: { commonName: 'Root' }, tags: { owner: 'pki' }, revocation: { ocsp: true } });
    const sub = new SubordinateCa(stack, 'Sub', { parent: root, subject: { commonName: 'Issuing' }, tags: { owner: 'pki' }, revocation: { ocsp: true } });
    new PrivateCertificate(stack, 'Cert', { domainName: 'api.internal.example.com', certificateAuthority: sub });
    expect(findingsOf(stack)).toEqual([]);
  });

  test('a PrivateCertificate straight from a RootCa is flagged (PKI-PCA7), with the renewal permission in place (no PKI-PCA8)', () => {
    const stack = newStack();
    const root = new RootCa(stack, 'Root', { subject: { commonName: 'Root' }, tags: { owner: 'pki' }, revocation: { ocsp: true } });
    const cert = new PrivateCertificate(stack, 'Cert', { domainName: 'api.internal.example.com', certificateAuthority: root });
    expect(findingsOf(stack).map((f) => `${f.ruleId} ${f.resourcePath}`)).toEqual(['PKI-PCA7 Cert/Resource']);
    // As in the PkiChecks doc example: acknowledged on the construct, it is gone.
    Validations.of(cert).acknowledge({ id: 'PKI-PCA7', reason: 'Lab PKI: a single-level hierarchy on purpose' });
    expect(findingsOf(stack)).toEqual([]);
  });
});
