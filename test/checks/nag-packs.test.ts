import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { CertificateExport } from '../../src/certificates/certificate-export';
import { CertificateMaterial } from '../../src/certificates/certificate-material';
import { DnsValidatedCertificate } from '../../src/certificates/dns-validated-certificate';
import { ImportedCertificate } from '../../src/certificates/imported-certificate';
import { PrivateCertificate } from '../../src/certificates/private-certificate';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { PublicCertificateValidation } from '../../src/certificates/public-certificate-validation';
import { PkiChecks } from '../../src/checks/pki-checks';
import { AcmAccountConfiguration } from '../../src/monitoring/acm-account-configuration';
import { CertificateMonitor } from '../../src/monitoring/certificate-monitor';
import { acknowledgeNag, flattenReference, wildcardResourceFinding } from '../../src/private/acknowledgements';
import { CertificateAuthorityAuditReport } from '../../src/private-ca/audit-report';
import { CaExpiryCheck } from '../../src/private-ca/ca-expiry-check';
import { CaExternalParent } from '../../src/private-ca/ca-external-parent';
import { CertificateAuthorityPolicy } from '../../src/private-ca/ca-policy';
import { CaSharePrincipal } from '../../src/private-ca/ca-share-principal';
import { CloudFrontTrustStore } from '../../src/private-ca/cloudfront-trust-store';
import { CrlBucket } from '../../src/private-ca/crl-bucket';
import { LoadBalancerTrustStore } from '../../src/private-ca/load-balancer-trust-store';
import { PrivateCaHierarchy } from '../../src/private-ca/private-ca-hierarchy';
import { RolesAnywhereTrustAnchor } from '../../src/private-ca/roles-anywhere-trust-anchor';
import { RootCa } from '../../src/private-ca/root-ca';
import { SubordinateCa } from '../../src/private-ca/subordinate-ca';
import { synthTemplate } from '../harness/cfn-lint';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const CERT_ARN = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`;
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:pki/imported-AbCdEf`;

function root(stack: Stack): RootCa {
  return new RootCa(stack, 'Root', { subject: { commonName: 'Example Root CA' } });
}

const BUILDERS: Record<string, (stack: Stack) => void> = {
  PublicCertificate: (s) => {
    const zone = new route53.PublicHostedZone(s, 'Zone', { zoneName: 'example.com' });
    new PublicCertificate(s, 'Cert', { domainName: 'www.example.com', validation: PublicCertificateValidation.fromDns(zone) });
  },
  PrivateCertificate: (s) => {
    const issuing = new SubordinateCa(s, 'Issuing', { parent: root(s), subject: { commonName: 'Example Issuing CA' } });
    new PrivateCertificate(s, 'Cert', { domainName: 'api.internal.example.com', certificateAuthority: issuing });
  },
  DnsValidatedCertificate: (s) => {
    const zone = new route53.PublicHostedZone(s, 'Zone', { zoneName: 'example.com' });
    new DnsValidatedCertificate(s, 'Cert', { domainName: 'www.example.com', region: 'us-east-1', hostedZones: [{ hostedZone: zone }] });
  },
  PrivateCaHierarchy: (s) => {
    new PrivateCaHierarchy(s, 'Pki', { root: { id: 'Root', subject: { commonName: 'Root' } }, issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' } }] });
  },
  RootAndSubordinateCa: (s) => {
    new SubordinateCa(s, 'Issuing', { parent: root(s), subject: { commonName: 'Example Issuing CA' } });
  },
  CrlBucket: (s) => {
    new CrlBucket(s, 'Crl');
  },
  CertificateAuthorityPolicy: (s) => {
    new CertificateAuthorityPolicy(s, 'Policy', { certificateAuthority: root(s), principals: [CaSharePrincipal.account('222222222222')] });
  },
  CertificateAuthorityAuditReport: (s) => {
    new CertificateAuthorityAuditReport(s, 'Report', { certificateAuthority: root(s), bucket: new CrlBucket(s, 'Crl').bucket });
  },
  ImportedCertificate: (s) => {
    const secret = secretsmanager.Secret.fromSecretCompleteArn(s, 'Material', SECRET_ARN);
    new ImportedCertificate(s, 'Cert', { material: CertificateMaterial.fromSecret(secret) });
  },
  CertificateExport: (s) => {
    new CertificateExport(s, 'Export', { certificate: PublicCertificate.fromCertificateArn(s, 'Cert', CERT_ARN) });
  },
  CertificateMonitor: (s) => {
    const cert = new PublicCertificate(s, 'Cert', { domainName: 'www.example.com' });
    const monitor = new CertificateMonitor(s, 'Monitor', { certificates: [cert] });
    monitor.addCertificateAuthority(root(s));
  },
  AcmAccountConfiguration: (s) => {
    new AcmAccountConfiguration(s, 'Account');
  },
  RolesAnywhereTrustAnchor: (s) => {
    const ca = new RootCa(s, 'Root', { subject: { commonName: 'Example Root CA' }, revocation: { crlBucket: new CrlBucket(s, 'Crl') } });
    const anchor = new RolesAnywhereTrustAnchor(s, 'Anchor', { certificateAuthority: ca });
    anchor.addProfile('Profile', { roles: [anchor.addRole('Role', { commonName: 'host.example.com' })] });
  },
  LoadBalancerTrustStore: (s) => {
    const ca = new RootCa(s, 'Root', { subject: { commonName: 'Example Root CA' }, revocation: { crlBucket: new CrlBucket(s, 'Crl') } });
    new LoadBalancerTrustStore(s, 'TrustStore', { certificateAuthority: ca });
  },
  CloudFrontTrustStore: (s) => {
    new CloudFrontTrustStore(s, 'TrustStore', { certificateAuthority: root(s) });
  },
  CaExpiryCheck: (s) => {
    const ca = root(s);
    new CaExpiryCheck(s, 'Expiry', { certificateAuthorities: [ca, new SubordinateCa(s, 'Issuing', { parent: ca, subject: { commonName: 'Example Issuing CA' } })] });
  },
  ExternallySignedSubordinateCa: (s) => {
    new SubordinateCa(s, 'Issuing', { subject: { commonName: 'Example Issuing CA' }, externalParent: CaExternalParent.awaitingSignature() });
  },
};

function packs(): NagPack[] {
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
}

/** One stack per construct, synthesized (the template is linted after the suite) before the packs run, as in a real app. */
const built = new Map<string, Stack>();
function build(name: string): Stack {
  const cached = built.get(name);
  if (cached) return cached;
  const stack = new Stack(new App(), name, { env: { account: ACCOUNT, region: REGION } });
  BUILDERS[name](stack);
  synthTemplate(stack);
  built.set(name, stack);
  return stack;
}

/** Every unacknowledged finding of the given packs, as `severity rule path`. */
function findings(stack: Stack, packList: NagPack[] = packs()): string[] {
  return packList.flatMap((pack) => pack.validateScope(stack).violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity} ${v.ruleName} ${r.constructPath}`)));
}

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement recorded in the stack's construct tree, with the path relative to the stack. */
function acknowledgements(stack: Stack): Acknowledgement[] {
  return stack.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
      path: c.node.path.slice(stack.node.path.length + 1),
      id: id.replace(/^annotation::/i, ''),
      reason,
    }))));
}

/**
 * `path-pattern rule` for the pinned list: the singleton providers' IDs and their handlers' logical
 * IDs become `CdkPki*Provider` and `<Handler.Arn>`, so one line covers every provider.
 */
function pattern(a: Acknowledgement): string {
  const specific = a.id.startsWith('AwsSolutions-IAM5[') && !/ProviderHandler[0-9A-F]{8}\.Arn>:\*\]$/.test(a.id);
  const path = specific ? a.path : a.path.replace(/^CdkPki\w+Provider\//, 'CdkPki*Provider/');
  const id = a.id.replace(/<CdkPki\w+ProviderHandler[0-9A-F]{8}\.Arn>/, '<Handler.Arn>');
  return `${path} ${id}`;
}

/** Every acknowledgement pattern over all stacks; a new one must be added here on purpose, with its reason in the code. */
const PINNED: string[] = [
  'Anchor/CrlSync/HandlerPolicy AwsSolutions-IAM5[Resource::*]',
  'Anchor/CrlSync/HandlerPolicy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:rolesanywhere:eu-west-1:111111111111:crl/*]',
  'Anchor/CrlSync/HandlerPolicy HIPAA.Security-IAMNoInlinePolicy',
  'Anchor/CrlSync/HandlerPolicy NIST.800.53.R5-IAMNoInlinePolicy',
  'Anchor/CrlSync/HandlerPolicy PCI.DSS.321-IAMNoInlinePolicy',
  'CdkPki*Provider/CompleteHandler/Resource AwsSolutions-L1',
  'CdkPki*Provider/CompleteHandler/Resource HIPAA.Security-LambdaConcurrency',
  'CdkPki*Provider/CompleteHandler/Resource HIPAA.Security-LambdaDLQ',
  'CdkPki*Provider/CompleteHandler/Resource HIPAA.Security-LambdaInsideVPC',
  'CdkPki*Provider/CompleteHandler/Resource NIST.800.53.R5-LambdaConcurrency',
  'CdkPki*Provider/CompleteHandler/Resource NIST.800.53.R5-LambdaDLQ',
  'CdkPki*Provider/CompleteHandler/Resource NIST.800.53.R5-LambdaInsideVPC',
  'CdkPki*Provider/CompleteHandler/Resource PCI.DSS.321-LambdaInsideVPC',
  'CdkPki*Provider/DnsZone789FC362 HIPAA.Security-IAMNoInlinePolicy',
  'CdkPki*Provider/DnsZone789FC362 NIST.800.53.R5-IAMNoInlinePolicy',
  'CdkPki*Provider/DnsZone789FC362 PCI.DSS.321-IAMNoInlinePolicy',
  'CdkPki*Provider/FailureAlarm HIPAA.Security-CloudWatchAlarmAction',
  'CdkPki*Provider/FailureAlarm NIST.800.53.R5-CloudWatchAlarmAction',
  'CdkPki*Provider/FailureQueue AwsSolutions-SQS3',
  'CdkPki*Provider/Handler/Resource AwsSolutions-L1',
  'CdkPki*Provider/Handler/Resource HIPAA.Security-LambdaConcurrency',
  'CdkPki*Provider/Handler/Resource HIPAA.Security-LambdaDLQ',
  'CdkPki*Provider/Handler/Resource HIPAA.Security-LambdaInsideVPC',
  'CdkPki*Provider/Handler/Resource NIST.800.53.R5-LambdaConcurrency',
  'CdkPki*Provider/Handler/Resource NIST.800.53.R5-LambdaDLQ',
  'CdkPki*Provider/Handler/Resource NIST.800.53.R5-LambdaInsideVPC',
  'CdkPki*Provider/Handler/Resource PCI.DSS.321-LambdaInsideVPC',
  'CdkPki*Provider/Handler/ServiceRole HIPAA.Security-IAMNoInlinePolicy',
  'CdkPki*Provider/Handler/ServiceRole NIST.800.53.R5-IAMNoInlinePolicy',
  'CdkPki*Provider/Handler/ServiceRole PCI.DSS.321-IAMNoInlinePolicy',
  'CdkPki*Provider/Handler/ServiceRole/Resource AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  'CdkPki*Provider/Provider/framework-isComplete/Resource AwsSolutions-L1',
  'CdkPki*Provider/Provider/framework-isComplete/Resource HIPAA.Security-LambdaConcurrency',
  'CdkPki*Provider/Provider/framework-isComplete/Resource HIPAA.Security-LambdaDLQ',
  'CdkPki*Provider/Provider/framework-isComplete/Resource HIPAA.Security-LambdaInsideVPC',
  'CdkPki*Provider/Provider/framework-isComplete/Resource NIST.800.53.R5-LambdaConcurrency',
  'CdkPki*Provider/Provider/framework-isComplete/Resource NIST.800.53.R5-LambdaDLQ',
  'CdkPki*Provider/Provider/framework-isComplete/Resource NIST.800.53.R5-LambdaInsideVPC',
  'CdkPki*Provider/Provider/framework-isComplete/Resource PCI.DSS.321-LambdaInsideVPC',
  'CdkPki*Provider/Provider/framework-isComplete/ServiceRole AwsSolutions-IAM5[Resource::<Handler.Arn>:*]',
  'CdkPki*Provider/Provider/framework-isComplete/ServiceRole HIPAA.Security-IAMNoInlinePolicy',
  'CdkPki*Provider/Provider/framework-isComplete/ServiceRole NIST.800.53.R5-IAMNoInlinePolicy',
  'CdkPki*Provider/Provider/framework-isComplete/ServiceRole PCI.DSS.321-IAMNoInlinePolicy',
  'CdkPki*Provider/Provider/framework-isComplete/ServiceRole/Resource AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  'CdkPki*Provider/Provider/framework-onEvent/Resource AwsSolutions-L1',
  'CdkPki*Provider/Provider/framework-onEvent/Resource HIPAA.Security-LambdaConcurrency',
  'CdkPki*Provider/Provider/framework-onEvent/Resource HIPAA.Security-LambdaDLQ',
  'CdkPki*Provider/Provider/framework-onEvent/Resource HIPAA.Security-LambdaInsideVPC',
  'CdkPki*Provider/Provider/framework-onEvent/Resource NIST.800.53.R5-LambdaConcurrency',
  'CdkPki*Provider/Provider/framework-onEvent/Resource NIST.800.53.R5-LambdaDLQ',
  'CdkPki*Provider/Provider/framework-onEvent/Resource NIST.800.53.R5-LambdaInsideVPC',
  'CdkPki*Provider/Provider/framework-onEvent/Resource PCI.DSS.321-LambdaInsideVPC',
  'CdkPki*Provider/Provider/framework-onEvent/ServiceRole AwsSolutions-IAM5[Resource::<Handler.Arn>:*]',
  'CdkPki*Provider/Provider/framework-onEvent/ServiceRole HIPAA.Security-IAMNoInlinePolicy',
  'CdkPki*Provider/Provider/framework-onEvent/ServiceRole NIST.800.53.R5-IAMNoInlinePolicy',
  'CdkPki*Provider/Provider/framework-onEvent/ServiceRole PCI.DSS.321-IAMNoInlinePolicy',
  'CdkPki*Provider/Provider/framework-onEvent/ServiceRole/Resource AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  'CdkPki*Provider/Provider/framework-onTimeout/Resource AwsSolutions-L1',
  'CdkPki*Provider/Provider/framework-onTimeout/Resource HIPAA.Security-LambdaConcurrency',
  'CdkPki*Provider/Provider/framework-onTimeout/Resource HIPAA.Security-LambdaDLQ',
  'CdkPki*Provider/Provider/framework-onTimeout/Resource HIPAA.Security-LambdaInsideVPC',
  'CdkPki*Provider/Provider/framework-onTimeout/Resource NIST.800.53.R5-LambdaConcurrency',
  'CdkPki*Provider/Provider/framework-onTimeout/Resource NIST.800.53.R5-LambdaDLQ',
  'CdkPki*Provider/Provider/framework-onTimeout/Resource NIST.800.53.R5-LambdaInsideVPC',
  'CdkPki*Provider/Provider/framework-onTimeout/Resource PCI.DSS.321-LambdaInsideVPC',
  'CdkPki*Provider/Provider/framework-onTimeout/ServiceRole AwsSolutions-IAM5[Resource::<Handler.Arn>:*]',
  'CdkPki*Provider/Provider/framework-onTimeout/ServiceRole HIPAA.Security-IAMNoInlinePolicy',
  'CdkPki*Provider/Provider/framework-onTimeout/ServiceRole NIST.800.53.R5-IAMNoInlinePolicy',
  'CdkPki*Provider/Provider/framework-onTimeout/ServiceRole PCI.DSS.321-IAMNoInlinePolicy',
  'CdkPki*Provider/Provider/framework-onTimeout/ServiceRole/Resource AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  'CdkPki*Provider/Provider/waiter-state-machine/Resource AwsSolutions-SF1',
  'CdkPki*Provider/Provider/waiter-state-machine/Resource AwsSolutions-SF2',
  'CdkPki*Provider/Provider/waiter-state-machine/Role HIPAA.Security-IAMNoInlinePolicy',
  'CdkPki*Provider/Provider/waiter-state-machine/Role NIST.800.53.R5-IAMNoInlinePolicy',
  'CdkPki*Provider/Provider/waiter-state-machine/Role PCI.DSS.321-IAMNoInlinePolicy',
  'CdkPkiCertificateExportShared/FailureAlarm HIPAA.Security-CloudWatchAlarmAction',
  'CdkPkiCertificateExportShared/FailureAlarm NIST.800.53.R5-CloudWatchAlarmAction',
  'CdkPkiCertificateExportShared/FailureQueue AwsSolutions-SQS3',
  'CdkPkiDnsValidatedCertificateProvider/DnsZone789FC362 AwsSolutions-IAM5[Resource::*]',
  'CdkPkiDnsValidatedCertificateProvider/Handler/ServiceRole AwsSolutions-IAM5[Resource::*]',
  'CdkPkiDnsValidatedCertificateProvider/Handler/ServiceRole AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:acm:*:<AWS::AccountId>:certificate/*]',
  'CdkPkiDnsValidatedCertificateProvider/Provider/framework-isComplete/ServiceRole AwsSolutions-IAM5[Resource::<CdkPkiDnsValidatedCertificateProviderCompleteHandlerCED3A80F.Arn>:*]',
  'CdkPkiDnsValidatedCertificateProvider/Provider/framework-onEvent/ServiceRole AwsSolutions-IAM5[Resource::<CdkPkiDnsValidatedCertificateProviderCompleteHandlerCED3A80F.Arn>:*]',
  'CdkPkiDnsValidatedCertificateProvider/Provider/framework-onTimeout/ServiceRole AwsSolutions-IAM5[Resource::<CdkPkiDnsValidatedCertificateProviderCompleteHandlerCED3A80F.Arn>:*]',
  'CdkPkiDnsValidatedCertificateProvider/Provider/waiter-state-machine/Role AwsSolutions-IAM5[Resource::<CdkPkiDnsValidatedCertificateProviderframeworkisCompleteE787B5C0.Arn>:*]',
  'CdkPkiDnsValidatedCertificateProvider/Provider/waiter-state-machine/Role AwsSolutions-IAM5[Resource::<CdkPkiDnsValidatedCertificateProviderframeworkonTimeoutA3C43DB9.Arn>:*]',
  'CdkPkiImportedCertificateProvider/Handler/ServiceRole AwsSolutions-IAM5[Resource::*]',
  'CdkPkiImportedCertificateProvider/Handler/ServiceRole AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:acm:eu-west-1:111111111111:certificate/*]',
  'Crl/Bucket/Resource AwsSolutions-S1',
  'Crl/Bucket/Resource HIPAA.Security-S3BucketLoggingEnabled',
  'Crl/Bucket/Resource HIPAA.Security-S3BucketReplicationEnabled',
  'Crl/Bucket/Resource HIPAA.Security-S3DefaultEncryptionKMS',
  'Crl/Bucket/Resource NIST.800.53.R5-S3BucketLoggingEnabled',
  'Crl/Bucket/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
  'Crl/Bucket/Resource NIST.800.53.R5-S3DefaultEncryptionKMS',
  'Crl/Bucket/Resource PCI.DSS.321-S3BucketLoggingEnabled',
  'Crl/Bucket/Resource PCI.DSS.321-S3BucketReplicationEnabled',
  'Crl/Bucket/Resource PCI.DSS.321-S3DefaultEncryptionKMS',
  'Expiry/CaOutlivesParentCaExpiryCheckIssuing74E170DF HIPAA.Security-CloudWatchAlarmAction',
  'Expiry/CaOutlivesParentCaExpiryCheckIssuing74E170DF NIST.800.53.R5-CloudWatchAlarmAction',
  'Expiry/CheckErrors HIPAA.Security-CloudWatchAlarmAction',
  'Expiry/CheckErrors NIST.800.53.R5-CloudWatchAlarmAction',
  'Expiry/DaysToCaExpiryCriticalCaExpiryCheckIssuing74E170DF HIPAA.Security-CloudWatchAlarmAction',
  'Expiry/DaysToCaExpiryCriticalCaExpiryCheckIssuing74E170DF NIST.800.53.R5-CloudWatchAlarmAction',
  'Expiry/DaysToCaExpiryCriticalCaExpiryCheckRoot4D20242D HIPAA.Security-CloudWatchAlarmAction',
  'Expiry/DaysToCaExpiryCriticalCaExpiryCheckRoot4D20242D NIST.800.53.R5-CloudWatchAlarmAction',
  'Expiry/DaysToCaExpiryWarningCaExpiryCheckIssuing74E170DF HIPAA.Security-CloudWatchAlarmAction',
  'Expiry/DaysToCaExpiryWarningCaExpiryCheckIssuing74E170DF NIST.800.53.R5-CloudWatchAlarmAction',
  'Expiry/DaysToCaExpiryWarningCaExpiryCheckRoot4D20242D HIPAA.Security-CloudWatchAlarmAction',
  'Expiry/DaysToCaExpiryWarningCaExpiryCheckRoot4D20242D NIST.800.53.R5-CloudWatchAlarmAction',
  'Expiry/HandlerPolicy AwsSolutions-IAM5[Resource::*]',
  'Expiry/HandlerPolicy HIPAA.Security-IAMNoInlinePolicy',
  'Expiry/HandlerPolicy NIST.800.53.R5-IAMNoInlinePolicy',
  'Expiry/HandlerPolicy PCI.DSS.321-IAMNoInlinePolicy',
  'Export/Passphrase/Resource AwsSolutions-SMG4',
  'Export/Passphrase/Resource HIPAA.Security-SecretsManagerRotationEnabled',
  'Export/Passphrase/Resource NIST.800.53.R5-SecretsManagerRotationEnabled',
  'Export/Secret/Resource AwsSolutions-SMG4',
  'Export/Secret/Resource HIPAA.Security-SecretsManagerRotationEnabled',
  'Export/Secret/Resource NIST.800.53.R5-SecretsManagerRotationEnabled',
  'Issuing/Resource PKI-PCA3',
  'Pki/CrlBucket/Bucket/Resource AwsSolutions-S1',
  'Pki/CrlBucket/Bucket/Resource HIPAA.Security-S3BucketLoggingEnabled',
  'Pki/CrlBucket/Bucket/Resource HIPAA.Security-S3BucketReplicationEnabled',
  'Pki/CrlBucket/Bucket/Resource HIPAA.Security-S3DefaultEncryptionKMS',
  'Pki/CrlBucket/Bucket/Resource NIST.800.53.R5-S3BucketLoggingEnabled',
  'Pki/CrlBucket/Bucket/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
  'Pki/CrlBucket/Bucket/Resource NIST.800.53.R5-S3DefaultEncryptionKMS',
  'Pki/CrlBucket/Bucket/Resource PCI.DSS.321-S3BucketLoggingEnabled',
  'Pki/CrlBucket/Bucket/Resource PCI.DSS.321-S3BucketReplicationEnabled',
  'Pki/CrlBucket/Bucket/Resource PCI.DSS.321-S3DefaultEncryptionKMS',
  'Policy/HandlerPolicy HIPAA.Security-IAMNoInlinePolicy',
  'Policy/HandlerPolicy NIST.800.53.R5-IAMNoInlinePolicy',
  'Policy/HandlerPolicy PCI.DSS.321-IAMNoInlinePolicy',
  'Report/HandlerPolicy AwsSolutions-IAM5[Resource::<CrlBucketBE7D698E.Arn>/*]',
  'Report/HandlerPolicy HIPAA.Security-IAMNoInlinePolicy',
  'Report/HandlerPolicy NIST.800.53.R5-IAMNoInlinePolicy',
  'Report/HandlerPolicy PCI.DSS.321-IAMNoInlinePolicy',
  'Root/Resource PKI-PCA3',
  'TrustStore/Bundle/Bucket/Resource AwsSolutions-S1',
  'TrustStore/Bundle/Bucket/Resource HIPAA.Security-S3BucketLoggingEnabled',
  'TrustStore/Bundle/Bucket/Resource HIPAA.Security-S3BucketReplicationEnabled',
  'TrustStore/Bundle/Bucket/Resource HIPAA.Security-S3DefaultEncryptionKMS',
  'TrustStore/Bundle/Bucket/Resource NIST.800.53.R5-S3BucketLoggingEnabled',
  'TrustStore/Bundle/Bucket/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
  'TrustStore/Bundle/Bucket/Resource NIST.800.53.R5-S3DefaultEncryptionKMS',
  'TrustStore/Bundle/Bucket/Resource PCI.DSS.321-S3BucketLoggingEnabled',
  'TrustStore/Bundle/Bucket/Resource PCI.DSS.321-S3BucketReplicationEnabled',
  'TrustStore/Bundle/Bucket/Resource PCI.DSS.321-S3DefaultEncryptionKMS',
  'TrustStore/Bundle/HandlerPolicy AwsSolutions-IAM5[Resource::<TrustStoreBundleBucketBB8D6A33.Arn>/ca-bundles/*]',
  'TrustStore/Bundle/HandlerPolicy HIPAA.Security-IAMNoInlinePolicy',
  'TrustStore/Bundle/HandlerPolicy NIST.800.53.R5-IAMNoInlinePolicy',
  'TrustStore/Bundle/HandlerPolicy PCI.DSS.321-IAMNoInlinePolicy',
  'TrustStore/CrlSync/HandlerPolicy AwsSolutions-IAM5[Resource::*]',
  'TrustStore/CrlSync/HandlerPolicy AwsSolutions-IAM5[Resource::<CrlBucketBE7D698E.Arn>/pem/{"Fn::Select":[1,{"Fn::Split":["/",{"Fn::Select":[5,{"Fn::Split":[":",{"Ref":"RootActivation5C67B8FA"}]}]}]}]}.*]',
  'TrustStore/CrlSync/HandlerPolicy HIPAA.Security-IAMNoInlinePolicy',
  'TrustStore/CrlSync/HandlerPolicy NIST.800.53.R5-IAMNoInlinePolicy',
  'TrustStore/CrlSync/HandlerPolicy PCI.DSS.321-IAMNoInlinePolicy',
];

let savedExitCode: typeof process.exitCode;
beforeEach(() => {
  savedExitCode = process.exitCode;
});
afterEach(() => {
  // A failing validation sets process.exitCode = 1 (cdk-nag v3 reports instead of throwing).
  process.exitCode = savedExitCode;
});

describe('cdk-nag packs (AwsSolutions, HIPAA Security, NIST 800-53 R5, PCI DSS 3.2.1) and PkiChecks with default props', () => {
  test.each(Object.keys(BUILDERS))('%s has no unacknowledged finding', (name) => {
    expect(findings(build(name))).toEqual([]);
  });

  test.each(Object.keys(BUILDERS))('PkiChecks has no unacknowledged finding on %s either', (name) => {
    expect(findings(build(name), [new PkiChecks()])).toEqual([]);
  });

  test('the packs do report findings: an unacknowledged Lambda function fails them', () => {
    const stack = new Stack(new App(), 'Control', { env: { account: ACCOUNT, region: REGION } });
    new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1') });
    expect(findings(stack)).toEqual(expect.arrayContaining([
      'error AwsSolutions-L1 Control/Fn/Resource',
      'error HIPAA.Security-LambdaInsideVPC Control/Fn/Resource',
      'error NIST.800.53.R5-LambdaDLQ Control/Fn/Resource',
      'error PCI.DSS.321-LambdaInsideVPC Control/Fn/Resource',
    ]));
  });

  test('the acknowledged rules are exactly the pinned list, each with a reason of at least one sentence', () => {
    const all = Object.keys(BUILDERS).flatMap((name) => acknowledgements(build(name)));
    expect([...new Set(all.map(pattern))].sort()).toEqual(PINNED);
    for (const a of all) {
      expect(a.id).not.toMatch(/^\*$|-\*$/);
      const words = a.reason.trim().split(/\s+/);
      if (!/^[A-Z`].*[.!?]$/s.test(a.reason.trim()) || words.length < 8 || /\b(TODO|TBD|FIXME|placeholder)\b/i.test(a.reason)) {
        throw new Error(`${a.path} ${a.id}: the reason ${JSON.stringify(a.reason)} is not a full sentence saying why the finding is fine`);
      }
    }
  });
});

describe('acknowledgement helpers', () => {
  test('wildcardResourceFinding flattens references like cdk-nag', () => {
    const stack = new Stack(new App(), 'Flat', { env: { account: ACCOUNT, region: REGION } });
    const bucket = new s3.Bucket(stack, 'Bucket');
    const id = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    expect(wildcardResourceFinding(stack, bucket.arnForObjects('*'))).toBe(`AwsSolutions-IAM5[Resource::<${id}.Arn>/*]`);
    expect(wildcardResourceFinding(stack, stack.formatArn({ service: 'acm', resource: 'certificate', resourceName: '*' })))
      .toBe(`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:acm:${REGION}:${ACCOUNT}:certificate/*]`);
    expect(flattenReference({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::x' })).toBe('arn:<AWS::Partition>:s3:::x');
    expect(flattenReference({ 'Fn::ImportValue': 'Out' })).toBe('Out');
    expect(flattenReference({ Ref: 'Thing' })).toBe('<Thing>');
    expect(flattenReference(undefined)).toBe('');
    expect(flattenReference(7)).toBe('7');
  });

  test('acknowledgeNag records IDs that Validations.acknowledge refuses (more than one "::") so cdk-nag honours them', () => {
    const stack = new Stack(new App(), 'Ack', { env: { account: ACCOUNT, region: REGION } });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const resource = `arn:${stack.partition}:s3:::some-bucket/*`;
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [resource] }));
    const finding = wildcardResourceFinding(stack, resource);
    expect(() => Validations.of(role).acknowledge({ id: finding, reason: 'x' })).toThrow(/Invalid validation rule ID/);
    const before = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(before).toContain(finding);
    acknowledgeNag(role, [finding], 'The role reads the objects of one bucket, whose keys are not known in advance.');
    const after = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(after).not.toContain(finding);
  });
});
