import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, CfnParameter, Duration, Fn, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT } from 'aws-cdk-lib/cx-api';
import {
  CaUsageMode,
  CaValidity,
  CertificateExport,
  CertificateMaterial,
  CertificateMonitor,
  ImportedCertificate,
  PkiChecks,
  PrivateCertificate,
  PublicCertificate,
  PublicCertificateValidation,
  RootCa,
  SubordinateCa,
} from '../../src';

/** Small apps for the report's tests, synthesized into temporary folders. */

export const ENV = { account: '111111111111', region: 'eu-west-1' };
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:certs/legacy-AbCdEf';
export const LEGACY_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cdk-pki-report-${prefix}-`));
}

/** An App writing into a temporary folder, with PkiChecks as a validation plugin that neither prints nor sets the exit code. */
export function newApp(prefix: string, withChecks = true): App {
  const app = new App({
    outdir: tempDir(prefix),
    context: { 'aws:cdk:disable-creation-stack-traces': true, [FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false },
  });
  if (withChecks) Validations.of(app).addPlugins(new PkiChecks());
  return app;
}

/**
 * A hierarchy (root → intermediate → issuing, and a short-lived CA) with a private certificate and
 * its export; public certificates validated by DNS and by email; an imported certificate; a monitor
 * alarm; a certificate referenced by ARN; and a second stack that requests a certificate from the
 * issuing CA across stacks.
 */
export function synthEstateApp(): string {
  const app = newApp('estate');
  const pki = new Stack(app, 'Pki', { env: ENV });
  const root = new RootCa(pki, 'Root', { subject: { commonName: 'Test Root CA' }, validity: CaValidity.duration(Duration.days(3650)) });
  const intermediate = new SubordinateCa(pki, 'Intermediate', { parent: root, subject: { commonName: 'Test Intermediate CA' } });
  const issuing = new SubordinateCa(pki, 'Issuing', {
    parent: intermediate,
    subject: { commonName: 'Test Issuing CA' },
    keyAlgorithm: undefined,
    validity: CaValidity.duration(Duration.days(730)),
  });
  issuing.allowAcmRenewal();
  new SubordinateCa(pki, 'ShortLived', { parent: intermediate, subject: { commonName: 'Test Short-Lived CA' }, usageMode: CaUsageMode.SHORT_LIVED_CERTIFICATE });
  const internal = new PrivateCertificate(pki, 'Internal', { domainName: 'internal.example.com', certificateAuthority: issuing });
  new CertificateExport(pki, 'InternalExport', { certificate: internal });

  const zone = new route53.PublicHostedZone(pki, 'Zone', { zoneName: 'example.com' });
  const site = new PublicCertificate(pki, 'Site', {
    domainName: 'example.com',
    subjectAlternativeNames: ['*.example.com'],
    validation: PublicCertificateValidation.fromDns(zone),
  });
  new PublicCertificate(pki, 'Mail', {
    domainName: 'mail.example.org',
    validation: PublicCertificateValidation.fromEmail({ 'mail.example.org': 'example.org' }),
  });
  new ImportedCertificate(pki, 'Imported', {
    material: CertificateMaterial.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(pki, 'LegacySecret', SECRET_ARN)),
  });
  const legacy = acm.Certificate.fromCertificateArn(pki, 'Legacy', LEGACY_ARN);
  new CertificateMonitor(pki, 'Monitor', { certificates: [site] });
  new cloudwatch.Alarm(pki, 'LegacyAlarm', {
    metric: legacy.metricDaysToExpiry(),
    threshold: 20,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  });

  const workloads = new Stack(app, 'Workloads', { env: ENV });
  new PrivateCertificate(workloads, 'Api', { domainName: 'api.internal.example.com', certificateAuthority: issuing });
  app.synth();
  return app.outdir;
}

/**
 * Values only CloudFormation knows at deploy time: a domain name from a parameter, an
 * environment-agnostic stack, a CA ARN built with Fn::Join, and a CA outside the app by ARN.
 */
export function synthTokenApp(): string {
  const app = newApp('tokens', false);
  const stack = new Stack(app, 'Agnostic');
  const domain = new CfnParameter(stack, 'DomainName', { type: 'String' });
  new acm.CfnCertificate(stack, 'FromParameter', { domainName: domain.valueAsString, validationMethod: 'DNS' });
  new acm.CfnCertificate(stack, 'JoinedIssuer', {
    domainName: 'joined.example.com',
    certificateAuthorityArn: Fn.join('', ['arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/', domain.valueAsString]),
  });
  new acm.CfnCertificate(stack, 'OutsideIssuer', {
    domainName: 'outside.example.com',
    certificateAuthorityArn: 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/12345678-1234-1234-1234-123456789012',
  });
  const ca = new acmpca.CfnCertificateAuthority(stack, 'RawCa', {
    type: 'ROOT',
    keyAlgorithm: 'EC_secp384r1',
    signingAlgorithm: 'SHA384WITHECDSA',
    subject: { commonName: 'Raw <CA> & Co' },
    usageMode: 'SHORT_LIVED_CERTIFICATE',
  });
  new CfnOutput(stack, 'CaArn', { value: ca.attrArn, exportName: 'raw-ca-arn' });
  app.synth();
  return app.outdir;
}

/** An app with no stacks. */
export function synthEmptyApp(): string {
  const app = newApp('empty', false);
  app.synth();
  return app.outdir;
}

/**
 * A stage (a nested assembly) with a private certificate, a root CA that gives ACM no permission with a
 * raw ACM certificate from it, a certificate Private CA issues directly.
 */
export function synthStageApp(): string {
  const app = newApp('stage');
  const stage = new Stage(app, 'Prod', { env: ENV });
  const stack = new Stack(stage, 'Pki');
  const root = new RootCa(stack, 'Root', { subject: { commonName: 'Stage Root CA' }, revocation: { ocsp: true } });
  new PrivateCertificate(stack, 'Leaf', { domainName: 'leaf.example.com', certificateAuthority: root });
  const bare = new RootCa(stack, 'Bare', { subject: { commonName: 'Bare Root CA' }, revocation: { ocsp: true } });
  new acm.CfnCertificate(stack, 'Raw', { domainName: 'raw.example.com', certificateAuthorityArn: bare.certificateAuthorityArn });
  new acmpca.CfnCertificate(stack, 'Direct', {
    certificateAuthorityArn: bare.certificateAuthorityArn,
    certificateSigningRequest: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----',
    signingAlgorithm: 'SHA256WITHRSA',
    validity: { type: 'DAYS', value: 7 },
  });
  app.synth();
  return app.outdir;
}
