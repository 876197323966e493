import { App, Aws, CfnElement, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  CaKeyAlgorithm,
  CaSigningAlgorithm,
  CaUsageMode,
  CaValidity,
  CaSharePrincipal,
  CertificateAuthorityBase,
  CertificateTemplate,
  CrlBucket,
  KeyStorageSecurityStandard,
  RootCa,
  SubordinateCa,
} from '../../src';
import { synthTemplate } from '../harness/cfn-lint';

const ENV = { account: '123456789012', region: 'eu-west-1' };
const SUBJECT = { commonName: 'Example Root CA', organization: 'Example Corp', country: 'US' };

function stack(region = ENV.region): Stack {
  return new Stack(new App(), 'Stack', { env: { ...ENV, region } });
}

describe('RootCa', () => {
  test('defaults: RSA_2048 / SHA256WITHRSA ROOT CA, self-issued with RootCACertificate/V1 for 10 years, activated, retained', () => {
    const s = stack();
    const root = new RootCa(s, 'Root', { subject: SUBJECT });
    const t = synthTemplate(s);
    t.hasResource('AWS::ACMPCA::CertificateAuthority', {
      Properties: {
        Type: 'ROOT',
        KeyAlgorithm: 'RSA_2048',
        SigningAlgorithm: 'SHA256WITHRSA',
        Subject: { CommonName: 'Example Root CA', Organization: 'Example Corp', Country: 'US' },
        RevocationConfiguration: Match.absent(),
        UsageMode: Match.absent(),
        KeyStorageSecurityStandard: Match.absent(),
      },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    const caId = t.getResourceId('AWS::ACMPCA::CertificateAuthority');
    t.hasResourceProperties('AWS::ACMPCA::Certificate', {
      CertificateAuthorityArn: { 'Fn::GetAtt': [caId, 'Arn'] },
      CertificateSigningRequest: { 'Fn::GetAtt': [caId, 'CertificateSigningRequest'] },
      SigningAlgorithm: 'SHA256WITHRSA',
      TemplateArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm-pca:::template/RootCACertificate/V1']] },
      Validity: { Type: 'DAYS', Value: 3650 },
    });
    const certId = t.getResourceId('AWS::ACMPCA::Certificate');
    t.hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', {
      CertificateAuthorityArn: { 'Fn::GetAtt': [caId, 'Arn'] },
      Certificate: { 'Fn::GetAtt': [certId, 'Certificate'] },
      CertificateChain: Match.absent(),
      Status: 'ACTIVE',
    });
    expect(s.resolve(root.certificateAuthorityArn)).toEqual({ Ref: t.getResourceId('AWS::ACMPCA::CertificateAuthorityActivation') });
    expect(root.pathLength).toBeUndefined();
    expect(root.usageMode).toBe(CaUsageMode.GENERAL_PURPOSE);
  });

  test('warns that a general-purpose CA without revocation cannot revoke', () => {
    const s = stack();
    new RootCa(s, 'Root', { subject: SUBJECT });
    const warnings = s.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)));
    expect(warnings.join('\n')).toMatch(/neither CRL nor OCSP/);
  });

  test('every prop reaches the template', () => {
    const s = stack();
    const crl = new CrlBucket(s, 'Crl');
    new RootCa(s, 'Root', {
      subject: { ...SUBJECT, organizationalUnit: 'PKI', state: 'WA', locality: 'Seattle', serialNumber: '01', title: 'CA' },
      keyAlgorithm: CaKeyAlgorithm.EC_SECP384R1,
      keyStorageSecurityStandard: KeyStorageSecurityStandard.FIPS_140_2_LEVEL_2_OR_HIGHER,
      usageMode: CaUsageMode.SHORT_LIVED_CERTIFICATE,
      validity: CaValidity.endDate(new Date('2045-01-02T03:04:05Z')),
      revocation: { crlBucket: crl, crlExpiration: Duration.days(30), crlCustomCname: 'crl.example.com', crlPartitioned: true, ocsp: true, ocspCustomCname: 'ocsp.example.com' },
      tags: { team: 'pki' },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const t = synthTemplate(s);
    t.hasResource('AWS::ACMPCA::CertificateAuthority', {
      Properties: {
        KeyAlgorithm: 'EC_secp384r1',
        SigningAlgorithm: 'SHA384WITHECDSA',
        KeyStorageSecurityStandard: 'FIPS_140_2_LEVEL_2_OR_HIGHER',
        UsageMode: 'SHORT_LIVED_CERTIFICATE',
        Subject: Match.objectLike({ OrganizationalUnit: 'PKI', State: 'WA', Locality: 'Seattle', SerialNumber: '01', Title: 'CA' }),
        RevocationConfiguration: {
          CrlConfiguration: {
            Enabled: true,
            S3BucketName: { Ref: Match.stringLikeRegexp('^Crl') },
            S3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL',
            ExpirationInDays: 30,
            CustomCname: 'crl.example.com',
            CrlType: 'PARTITIONED',
          },
          OcspConfiguration: { Enabled: true, OcspCustomCname: 'ocsp.example.com' },
        },
        Tags: [{ Key: 'Name', Value: 'Stack/Root' }, { Key: 'team', Value: 'pki' }],
      },
      DeletionPolicy: 'Delete',
      // the CA waits for the bucket policy that lets Private CA write its CRL
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^CrlBucketPolicy')]),
    });
    t.hasResourceProperties('AWS::ACMPCA::Certificate', { Validity: { Type: 'END_DATE', Value: 20450102030405 }, SigningAlgorithm: 'SHA384WITHECDSA' });
  });

  test('CRL defaults: 7 days, BUCKET_OWNER_FULL_CONTROL, complete CRL, no OCSP', () => {
    const s = stack();
    new RootCa(s, 'Root', { subject: SUBJECT, revocation: { crlBucket: new CrlBucket(s, 'Crl') } });
    synthTemplate(s).hasResourceProperties('AWS::ACMPCA::CertificateAuthority', {
      RevocationConfiguration: {
        CrlConfiguration: { Enabled: true, ExpirationInDays: 7, S3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL', CrlType: Match.absent() },
        OcspConfiguration: Match.absent(),
      },
    });
  });

  test('omitting the distribution point renders OmitExtension and no CNAME', () => {
    const s = stack();
    new RootCa(s, 'Root', { subject: SUBJECT, revocation: { crlBucket: new CrlBucket(s, 'Crl'), crlOmitDistributionPoint: true } });
    synthTemplate(s).hasResourceProperties('AWS::ACMPCA::CertificateAuthority', {
      RevocationConfiguration: {
        CrlConfiguration: Match.objectLike({ CrlDistributionPointExtensionConfiguration: { OmitExtension: true }, CustomCname: Match.absent() }),
      },
    });
  });

  test('OCSP alone renders only the OCSP configuration', () => {
    const s = stack();
    new RootCa(s, 'Root', { subject: SUBJECT, revocation: { ocsp: true } });
    synthTemplate(s).hasResourceProperties('AWS::ACMPCA::CertificateAuthority', {
      RevocationConfiguration: { CrlConfiguration: Match.absent(), OcspConfiguration: { Enabled: true } },
    });
  });

  describe('synth-time errors name the construct path, the value and the fix', () => {
    const cases: Array<[string, Partial<ConstructorParameters<typeof RootCa>[2]>, RegExp]> = [
      ['key/signing family mismatch', { keyAlgorithm: CaKeyAlgorithm.EC_PRIME256V1, signingAlgorithm: CaSigningAlgorithm.SHA256_WITH_RSA },
        /Stack\/Root: signing algorithm SHA256WITHRSA is of the RSA family but key algorithm EC_prime256v1 is EC.*SHA256WITHECDSA/],
      ['RSA key with ECDSA signing', { keyAlgorithm: CaKeyAlgorithm.RSA_4096, signingAlgorithm: CaSigningAlgorithm.SHA384_WITH_ECDSA }, /ECDSA family but key algorithm RSA_4096 is RSA/],
      ['empty subject', { subject: {} }, /the subject has no field: set at least a commonName/],
      ['common name over 64', { subject: { commonName: 'x'.repeat(65) } }, /subject.commonName "x{65}" has 65 characters; Private CA allows 1-64/],
      ['country not two letters', { subject: { country: 'USA' } }, /subject.country "USA" has 3 characters; Private CA allows exactly 2/],
      ['given name over 16', { subject: { givenName: 'Maximilianusxxxxx' } }, /subject.givenName .* 1-16/],
      ['custom attributes mixed with standard fields', { subject: { commonName: 'x', customAttributes: [{ objectIdentifier: '2.5.4.3', value: 'x' }] } }, /cannot be combined with standard fields/],
      ['bad OID', { subject: { customAttributes: [{ objectIdentifier: 'cn', value: 'x' }] } }, /objectIdentifier "cn" is not an OID/],
      ['fractional validity', { validity: CaValidity.duration(Duration.hours(36)) }, /validity of 1.5 days is not allowed: .*whole number of days/],
      ['validity end in the past', { validity: CaValidity.endDate(new Date('2001-01-01T00:00:00Z')) }, /validity ends 2001-01-01T00:00:00.000Z, which is in the past/],
      ['CRL expiration over 5000 days', { revocation: { crlExpiration: Duration.days(5001) } }, /crlExpiration of 5001 days is not allowed: .*1 to 5000/],
      ['CNAME with protocol', { revocation: { ocsp: true, ocspCustomCname: 'https://ocsp.example.com' } }, /ocspCustomCname "https:\/\/ocsp.example.com" starts with the protocol prefix/],
      ['CNAME with a space', { revocation: { ocsp: true, ocspCustomCname: 'ocsp example.com' } }, /contains " ", which Private CA does not allow/],
      ['CRL settings without a CRL', { revocation: { crlExpiration: Duration.days(3), crlCustomCname: 'crl.example.com' } }, /revocation.crlExpiration, revocation.crlCustomCname given without a CRL: set revocation.crlBucket/],
      ['OCSP CNAME without OCSP', { revocation: { ocspCustomCname: 'ocsp.example.com' } }, /ocspCustomCname given while OCSP is off/],
      ['reserved tag key', { tags: { 'aws:owner': 'x' } }, /aws:/],
      // B3: GeneralizedTime has four-digit years.
      ['validity end after 9999', { validity: CaValidity.endDate(new Date(Date.UTC(10000, 0, 2))) },
        /^Stack\/Root: validity ends \+010000-01-02T00:00:00.000Z, after 9999-12-31T23:59:59Z, the last date a certificate's GeneralizedTime \(YYYYMMDDHHMMSS\) can hold: give an end date no later than that$/],
      ['a duration ending after 9999', { validity: CaValidity.duration(Duration.days(3_000_000)) }, /^Stack\/Root: validity of 3000000 days would end after 9999-12-31T23:59:59Z.*give at most \d+ days$/],
      ['an infinite duration', { validity: CaValidity.duration(Duration.days(Infinity)) }, /^Stack\/Root: validity of Infinity days is not allowed/],
      // B4: blank or malformed names given through of().
      ['a blank key algorithm', { keyAlgorithm: CaKeyAlgorithm.of('') },
        /^Stack\/Root: key algorithm "" is empty: use one of RSA_2048, RSA_4096, EC_prime256v1 or EC_secp384r1, or leave it unset for the default$/],
      ['a whitespace signing algorithm', { signingAlgorithm: CaSigningAlgorithm.of(' ') },
        /^Stack\/Root: signing algorithm " " is blank \(only whitespace\): use one of SHA256WITHRSA, .*or leave it unset for the default$/],
      ['a key algorithm with a space', { keyAlgorithm: CaKeyAlgorithm.of('RSA 2048') }, /^Stack\/Root: key algorithm "RSA 2048" contains " ": algorithm names have only ASCII letters, digits and underscores/],
    ];
    test.each(cases)('%s', (_name, overrides, message) => {
      const s = stack();
      expect(() => new RootCa(s, 'Root', { subject: SUBJECT, ...overrides } as any)).toThrow(message);
    });

    test('omitting the distribution point with a custom CNAME', () => {
      const s = stack();
      expect(() => new RootCa(s, 'Root', {
        subject: SUBJECT,
        revocation: { crlBucket: new CrlBucket(s, 'Crl'), crlOmitDistributionPoint: true, crlCustomCname: 'crl.example.com' },
      })).toThrow(/crlOmitDistributionPoint cannot be combined with a CRL custom CNAME/);
    });

    test('ap-northeast-3 needs level 2 key storage, set explicitly', () => {
      expect(() => new RootCa(stack('ap-northeast-3'), 'Root', { subject: SUBJECT }))
        .toThrow(/Stack\/Root: ap-northeast-3 supports only FIPS 140-2 level 2 key storage.*FIPS_140_2_LEVEL_2_OR_HIGHER/);
      expect(() => new RootCa(stack('ap-northeast-3'), 'Root', { subject: SUBJECT, keyStorageSecurityStandard: KeyStorageSecurityStandard.FIPS_140_2_LEVEL_2_OR_HIGHER })).not.toThrow();
    });

    test('several problems are reported together', () => {
      expect(() => new RootCa(stack(), 'Root', { subject: { country: 'X' }, keyAlgorithm: CaKeyAlgorithm.EC_PRIME256V1, signingAlgorithm: CaSigningAlgorithm.SHA512_WITH_RSA }))
        .toThrow(/Stack\/Root: \n  - subject.country[\s\S]*\n  - signing algorithm/);
    });
  });

  test('tokens skip the concrete checks', () => {
    const s = new Stack(new App(), 'Agnostic');
    new RootCa(s, 'Root', {
      subject: { commonName: Lazy.string({ produce: () => 'x'.repeat(64) }), country: Aws.REGION },
      validity: CaValidity.duration(Duration.days(Lazy.number({ produce: () => 365 }))),
      revocation: { ocsp: true, ocspCustomCname: Lazy.string({ produce: () => 'ocsp.example.com' }) },
    });
    synthTemplate(s).resourceCountIs('AWS::ACMPCA::CertificateAuthority', 1);
  });

  test('escape hatches for algorithms the library does not know', () => {
    const s = stack();
    new RootCa(s, 'Root', { subject: SUBJECT, keyAlgorithm: CaKeyAlgorithm.of('RSA_8192'), signingAlgorithm: CaSigningAlgorithm.of('SHA512WITHRSA') });
    expect(CaKeyAlgorithm.of('EC_prime256v1')).toBe(CaKeyAlgorithm.EC_PRIME256V1);
    expect(CaKeyAlgorithm.of('SM2').family).toBeUndefined();
    expect(CaSigningAlgorithm.of('SM3WITHSM2').family).toBeUndefined();
    expect(CaSigningAlgorithm.of('SHA1WITHECDSA').family).toBe('EC');
    expect(() => new RootCa(stack(), 'Other', { subject: SUBJECT, keyAlgorithm: CaKeyAlgorithm.of('RSA_8192'), signingAlgorithm: CaSigningAlgorithm.of('SHA512WITHECDSA') }))
      .toThrow(/family/);
    // A broken hash is refused even through the escape hatch.
    expect(() => new RootCa(stack(), 'Weak', { subject: SUBJECT, keyAlgorithm: CaKeyAlgorithm.of('RSA_8192'), signingAlgorithm: CaSigningAlgorithm.of('SHA1WITHECDSA') }))
      .toThrow(/Stack\/Weak: signing algorithm "SHA1WITHECDSA" uses a broken hash/);
    expect(`${CaKeyAlgorithm.RSA_4096}/${CaSigningAlgorithm.SHA384_WITH_RSA}`).toBe('RSA_4096/SHA384WITHRSA');
    synthTemplate(s).hasResourceProperties('AWS::ACMPCA::CertificateAuthority', { KeyAlgorithm: 'RSA_8192', SigningAlgorithm: 'SHA512WITHRSA' });
  });

  describe('grants', () => {
    test('grantIssueCertificate with an empty list of templates is refused (it never grants without the condition)', () => {
      const s = stack();
      const root = new RootCa(s, 'Root', { subject: SUBJECT });
      const role = new iam.Role(s, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      expect(() => root.grantIssueCertificate(role, [])).toThrow(
        /^Stack\/Root: grantIssueCertificate was given an empty list of templates, .*leave templates out to allow the end-entity templates \(CertificateTemplate\.endEntityTemplates\(\)\), or list the templates to allow$/);
    });

    test('grantIssueCertificate refuses a malformed template, which would give a condition no request matches', () => {
      const s = stack();
      const root = new RootCa(s, 'Root', { subject: SUBJECT });
      const role = new iam.Role(s, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      expect(() => root.grantIssueCertificate(role, [CertificateTemplate.of('End Entity/V1')])).toThrow(
        /^Stack\/Root: grantIssueCertificate: template "End Entity\/V1" is not a template name: give "EndEntityCertificate\/V1"/);
    });

    test('grantIssueCertificate scopes to the CA and, with templates, to their ARNs', () => {
      const s = stack();
      const root = new RootCa(s, 'Root', { subject: SUBJECT });
      const role = new iam.Role(s, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      root.grantIssueCertificate(role, [CertificateTemplate.END_ENTITY_SERVER_AUTH, CertificateTemplate.subordinateCa(0)]);
      root.grantIssueCertificate(role);
      root.grantRevokeCertificate(role);
      root.grantGetCertificate(role);
      root.grantRead(role);
      const t = synthTemplate(s);
      const activationRef = { Ref: t.getResourceId('AWS::ACMPCA::CertificateAuthorityActivation') };
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {
              Action: 'acm-pca:IssueCertificate',
              Effect: 'Allow',
              Resource: activationRef,
              Condition: {
                StringEquals: {
                  'acm-pca:TemplateArn': [
                    { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm-pca:::template/EndEntityServerAuthCertificate/V1']] },
                    { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm-pca:::template/SubordinateCACertificate_PathLen0/V1']] },
                  ],
                },
              },
            },
            {
              // Without templates: the end-entity templates only, never unconditioned (a rogue subordinate CA)
              Action: 'acm-pca:IssueCertificate',
              Effect: 'Allow',
              Resource: activationRef,
              Condition: {
                StringEquals: {
                  'acm-pca:TemplateArn': ['EndEntityCertificate', 'EndEntityClientAuthCertificate', 'EndEntityServerAuthCertificate'].map((name) => (
                    { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:acm-pca:::template/${name}/V1`]] })),
                },
              },
            },
            { Action: 'acm-pca:RevokeCertificate', Effect: 'Allow', Resource: activationRef },
            { Action: 'acm-pca:GetCertificate', Effect: 'Allow', Resource: activationRef },
            {
              Action: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificateAuthorityCertificate', 'acm-pca:GetCertificateAuthorityCsr', 'acm-pca:ListTags'],
              Effect: 'Allow',
              Resource: activationRef,
            },
          ],
        },
      });
    });

    test('allowAcmRenewal adds one permission for acm.amazonaws.com with the three actions', () => {
      const s = stack();
      const root = new RootCa(s, 'Root', { subject: SUBJECT });
      expect(root.allowAcmRenewal()).toBe(root.allowAcmRenewal());
      const t = synthTemplate(s);
      t.resourceCountIs('AWS::ACMPCA::Permission', 1);
      t.hasResourceProperties('AWS::ACMPCA::Permission', {
        CertificateAuthorityArn: { Ref: t.getResourceId('AWS::ACMPCA::CertificateAuthorityActivation') },
        Principal: 'acm.amazonaws.com',
        Actions: ['IssueCertificate', 'GetCertificate', 'ListPermissions'],
        SourceAccount: '123456789012',
      });
    });

    test('allowAcmRenewal refuses a short-lived CA: ACM cannot use it', () => {
      const root = new RootCa(stack(), 'Root', { subject: SUBJECT, usageMode: CaUsageMode.SHORT_LIVED_CERTIFICATE });
      expect(() => root.allowAcmRenewal()).toThrow(/Stack\/Root: ACM cannot issue or renew certificates from a CA in SHORT_LIVED_CERTIFICATE usage mode/);
    });
  });

  describe('metrics and alarm', () => {
    test('metrics use AWS/ACMPrivateCA, the PrivateCAArn dimension and the CA region', () => {
      const s = stack();
      const root = new RootCa(s, 'Root', { subject: SUBJECT });
      const arn = s.resolve(root.certificateAuthorityArn);
      const crl = root.metricCrlGenerated().toMetricConfig().metricStat!;
      expect(crl.namespace).toBe('AWS/ACMPrivateCA');
      expect(crl.metricName).toBe('CRLGenerated');
      expect(crl.statistic).toBe('Sum');
      expect(crl.period.toMinutes()).toBe(5);
      expect(s.resolve(crl.dimensions)).toEqual([{ name: 'PrivateCAArn', value: arn }]);
      expect(crl.region).toBe('eu-west-1');
      expect(root.metricMisconfiguredCrlBucket().metricName).toBe('MisconfiguredCRLBucket');
      for (const [m, name, stat] of [[root.metricSuccess(), 'Success', 'Sum'], [root.metricFailure(), 'Failure', 'Sum'], [root.metricTime(), 'Time', 'Average']] as const) {
        const cfg = m.toMetricConfig().metricStat!;
        expect([cfg.metricName, cfg.statistic]).toEqual([name, stat]);
        expect(s.resolve(cfg.dimensions)).toEqual(expect.arrayContaining([{ name: 'Operation', value: 'IssueCertificate' }, { name: 'PrivateCAArn', value: arn }]));
      }
      expect(root.metricTime({ statistic: 'p99' }).statistic).toBe('p99');
    });

    test('alarmMisconfiguredCrlBucket takes optional CaAlarmOptions', () => {
      const s = stack();
      const root = new RootCa(s, 'Root', { subject: SUBJECT, revocation: { crlBucket: new CrlBucket(s, 'Crl') } });
      root.alarmMisconfiguredCrlBucket('Strict', { evaluationPeriods: 3 });
      root.alarmMisconfiguredCrlBucket('Custom', {
        threshold: 2,
        evaluationPeriods: 4,
        datapointsToAlarm: 2,
        period: Duration.minutes(1),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
        alarmName: 'crl-bucket',
        alarmDescription: 'CRL bucket broken',
        actionsEnabled: false,
      });
      const t = synthTemplate(s);
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'MisconfiguredCRLBucket',
        Threshold: 1,
        EvaluationPeriods: 3,
        Period: 300,
        TreatMissingData: 'notBreaching',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmDescription: 'Private CA Stack/Root cannot write its CRL: check the CRL bucket policy and encryption',
      });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'MisconfiguredCRLBucket',
        Threshold: 2,
        EvaluationPeriods: 4,
        DatapointsToAlarm: 2,
        Period: 60,
        TreatMissingData: 'missing',
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmName: 'crl-bucket',
        AlarmDescription: 'CRL bucket broken',
        ActionsEnabled: false,
      });
    });

    test.each<[string, object, string]>([
      ['an infinite threshold', { threshold: Infinity }, 'Stack/Root/Alarm: threshold Infinity is not a finite number: give a number such as 1'],
      ['a NaN threshold', { threshold: NaN }, 'Stack/Root/Alarm: threshold NaN is not a finite number: give a number such as 1'],
      ['zero evaluation periods', { evaluationPeriods: 0 }, 'Stack/Root/Alarm: evaluationPeriods 0 is not a whole number of at least 1: give e.g. 1'],
      ['fractional datapoints', { datapointsToAlarm: 1.5 }, 'Stack/Root/Alarm: datapointsToAlarm 1.5 is not a whole number of at least 1: give e.g. 1'],
      ['more datapoints than periods', { datapointsToAlarm: 3, evaluationPeriods: 2 },
        'Stack/Root/Alarm: datapointsToAlarm 3 is more than evaluationPeriods 2: at most every evaluated period can breach, so lower datapointsToAlarm or raise evaluationPeriods'],
      ['more datapoints than the default single period', { datapointsToAlarm: 2 }, 'Stack/Root/Alarm: datapointsToAlarm 2 is more than evaluationPeriods 1'],
    ])('alarmMisconfiguredCrlBucket refuses %s', (_n, options, message) => {
      const root = new RootCa(stack(), 'Root', { subject: SUBJECT, revocation: { ocsp: true } });
      expect(() => root.alarmMisconfiguredCrlBucket('Alarm', options)).toThrow(message);
    });

    test('alarmMisconfiguredCrlBucket lets token numbers through', () => {
      const s = stack();
      const root = new RootCa(s, 'Root', { subject: SUBJECT, revocation: { ocsp: true } });
      root.alarmMisconfiguredCrlBucket('Alarm', { threshold: Lazy.number({ produce: () => 5 }), datapointsToAlarm: Lazy.number({ produce: () => 1 }) });
      synthTemplate(s).hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 5, DatapointsToAlarm: 1 });
    });

    test('alarmMisconfiguredCrlBucket fires on one occurrence and treats missing data as fine', () => {
      const s = stack();
      const root = new RootCa(s, 'Root', { subject: SUBJECT, revocation: { crlBucket: new CrlBucket(s, 'Crl') } });
      root.alarmMisconfiguredCrlBucket('CrlAlarm');
      synthTemplate(s).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ACMPrivateCA',
        MetricName: 'MisconfiguredCRLBucket',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        EvaluationPeriods: 1,
      });
    });
  });

  describe('fromCertificateAuthorityArn', () => {
    test('imports a concrete ARN with its region for metrics and grants on it', () => {
      const s = stack();
      const arn = 'arn:aws:acm-pca:us-west-2:111122223333:certificate-authority/12345678-1234-1234-1234-123456789012';
      const ca = RootCa.fromCertificateAuthorityArn(s, 'Imported', arn);
      expect(ca.certificateAuthorityArn).toBe(arn);
      expect((ca as any).keyAlgorithm).toBeUndefined();
      expect((ca as CertificateAuthorityBase).metricFailure().region).toBe('us-west-2');
      expect(ca.certificateAuthorityRef.certificateAuthorityArn).toBe(arn);
    });

    test.each([
      ['RootCa', RootCa.fromCertificateAuthorityArn],
      ['SubordinateCa', SubordinateCa.fromCertificateAuthorityArn],
    ])('%s.fromCertificateAuthorityArn refuses a malformed ARN, and takes a token', (_name, fromArn) => {
      expect(() => fromArn(stack(), 'Bad', 'arn:aws:acm:us-east-1:123456789012:certificate/abc'))
        .toThrow(/^Stack\/Bad: \n {2}- certificate authority ARN "arn:aws:acm:us-east-1:123456789012:certificate\/abc" names the service "acm", not "acm-pca"/);
      expect(() => fromArn(stack(), 'Token', Lazy.string({ produce: () => 'x' }))).not.toThrow();
    });

    test('RootCa and SubordinateCa share one implementation', () => {
      const s = stack();
      const arn = 'arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/12345678-1234-1234-1234-123456789012';
      const a = RootCa.fromCertificateAuthorityArn(s, 'A', arn);
      const b = SubordinateCa.fromCertificateAuthorityArn(s, 'B', arn);
      expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
      expect(a).toBeInstanceOf(CertificateAuthorityBase);
    });
  });

  describe('shareWith', () => {
    const ORG_ARN = 'arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5';
    const OU_ARN = 'arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-11111111';

    test('creates a RAM share for accounts, organizations and OUs; external principals only with an account', () => {
      const s = stack();
      const root = new RootCa(s, 'Root', { subject: SUBJECT });
      const share = root.shareWith('Accounts', [CaSharePrincipal.account('111122223333')]);
      root.shareWith('Org', [CaSharePrincipal.organization(ORG_ARN), CaSharePrincipal.organizationalUnit(OU_ARN)]);
      root.shareWith('Mixed', [CaSharePrincipal.organization(ORG_ARN), CaSharePrincipal.account('444455556666')]);
      root.shareWith('TokenOrg', [CaSharePrincipal.organization(Lazy.string({ produce: () => ORG_ARN }))]);
      const t = synthTemplate(s);
      t.hasResourceProperties('AWS::RAM::ResourceShare', { Principals: ['111122223333'], AllowExternalPrincipals: true });
      t.hasResourceProperties('AWS::RAM::ResourceShare', { Principals: [ORG_ARN, OU_ARN], AllowExternalPrincipals: false });
      t.hasResourceProperties('AWS::RAM::ResourceShare', { Principals: [ORG_ARN, '444455556666'], AllowExternalPrincipals: true });
      expect(t.findResources('AWS::RAM::ResourceShare', { Properties: { Principals: [ORG_ARN], AllowExternalPrincipals: false } }))
        .not.toEqual({});
      // The result is the share (to depend on) and its ARN, not the L1.
      expect(share.resourceShare.node.path).toBe('Stack/Root/Accounts');
      expect(s.resolve(share.resourceShareArn)).toEqual({ 'Fn::GetAtt': [s.getLogicalId(share.resourceShare as CfnElement), 'Arn'] });
    });

    test.each<[string, CaSharePrincipal[], RegExp | string]>([
      ['no principal', [], /Stack\/Root: shareWith needs at least one principal: CaSharePrincipal.account\("111122223333"\)/],
      ['a bad account ID', [CaSharePrincipal.account('everyone')], 'Stack/Root: account ID "everyone" is not 12 digits: write it like "123456789012" (no dashes, keep leading zeros).'],
      ['an organization by ID', [CaSharePrincipal.organization('o-a1b2c3d4e5')],
        'Stack/Root: cannot share with organization "o-a1b2c3d4e5" by its ID: AWS RAM names an organization by its ARN, so give ' +
        'CaSharePrincipal.organization("arn:aws:organizations::<management-account>:organization/o-a1b2c3d4e5")'],
      ['a bad organization ARN', [CaSharePrincipal.organization('arn:aws:organizations::111122223333:organization/o-abc')],
        /organization ARN "arn:aws:organizations::111122223333:organization\/o-abc" is not an AWS Organizations organization ARN: expected the form/],
      ['an OU by path', [CaSharePrincipal.organizationalUnit('o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/')],
        /cannot share with organizational unit "o-a1b2c3d4e5\/r-ab12\/ou-ab12-11111111\/" by its path: AWS RAM names an organizational unit by its ARN .* give CaSharePrincipal.organizationalUnit\("arn:aws:organizations::<management-account>:ou\/o-a1b2c3d4e5\/ou-ab12-11111111"\)/],
      ['a bad OU ARN', [CaSharePrincipal.organizationalUnit('arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5')],
        /organizational unit ARN "arn:aws:organizations::111122223333:ou\/o-a1b2c3d4e5" is not an AWS Organizations OU ARN/],
      ['an account twice', [CaSharePrincipal.account('111122223333'), CaSharePrincipal.account('111122223333')],
        /account ID "111122223333" is listed twice in principals: list each principal once/],
    ])('refuses %s', (_name, principals, message) => {
      const root = new RootCa(stack(), 'Root', { subject: SUBJECT });
      expect(() => root.shareWith('Share', principals)).toThrow(message);
    });
  });

  test('allowAcmRenewal returns the permission construct, the same one each time', () => {
    const s = stack();
    const root = new RootCa(s, 'Root', { subject: SUBJECT });
    const permission = root.allowAcmRenewal();
    expect(root.allowAcmRenewal()).toBe(permission);
    expect(permission.node.path).toBe('Stack/Root/AcmPermission');
  });
});
