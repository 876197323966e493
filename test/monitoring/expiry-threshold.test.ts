import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { PrivateCertificate } from '../../src/certificates/private-certificate';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { PublicCertificateValidation } from '../../src/certificates/public-certificate-validation';
import { CertificateKind } from '../../src/monitoring/certificate-kind';
import { CertificateMonitor } from '../../src/monitoring/certificate-monitor';
import { CertificateExpiryThreshold } from '../../src/monitoring/expiry-threshold';
import { synthTemplate } from '../harness/cfn-lint';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const CA_ARN = `arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/11111111-2222-3333-4444-555555555555`;

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: REGION } });
}

function byArn(stack: Stack, i: number) {
  return PublicCertificate.fromCertificateArn(stack, `Arn${i}`, `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/01234567-89ab-cdef-0123-${String(i).padStart(12, '0')}`);
}

function warningsOf(stack: Stack): string[] {
  return stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)))
    .filter((m) => m.includes('DaysToExpiry threshold'));
}

describe('CertificateMonitor: thresholds from the kind (renewalWindow, the default)', () => {
  const stack = newStack();
  const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN);
  const certs = {
    dns: new PublicCertificate(stack, 'Dns', { domainName: 'dns.example.com' }),
    email: new PublicCertificate(stack, 'Email', { domainName: 'email.example.com', validation: PublicCertificateValidation.fromEmail() }),
    exportable: new PublicCertificate(stack, 'Exportable', { domainName: 'export.example.com', allowExport: true }),
    private: new PrivateCertificate(stack, 'Private', { domainName: 'private.example.com', certificateAuthority: ca }),
    cdkDns: new acm.Certificate(stack, 'CdkDns', { domainName: 'cdk.example.com', validation: acm.CertificateValidation.fromDns() }),
    cdkPrivate: new acm.PrivateCertificate(stack, 'CdkPrivate', { domainName: 'cdkp.example.com', certificateAuthority: ca }),
    unknown: byArn(stack, 1),
    statedImported: byArn(stack, 2),
  };
  const monitor = new CertificateMonitor(stack, 'Monitor', { certificates: Object.values(certs).filter((c) => c !== certs.statedImported) });
  monitor.addCertificate(certs.statedImported, { kind: CertificateKind.IMPORTED });
  const template = synthTemplate(stack);

  test('each certificate gets the threshold of its kind, inferred from this library\'s and aws-cdk-lib\'s constructs', () => {
    const got = Object.fromEntries(Object.entries(certs).map(([k, c]) => [k, monitor.thresholdOf(c)]));
    expect(got).toEqual({ dns: 30, email: 30, exportable: 38, private: 45, cdkDns: 30, cdkPrivate: 45, unknown: 30, statedImported: 45 });
    expect(monitor.daysToExpiryThreshold).toBeUndefined();
    expect(warningsOf(stack)).toEqual([]);
  });

  test('the alarm says why: kind and renewal window', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const privateAlarm = alarms.find((a) => String(a.AlarmDescription).startsWith('certificate Stack/Private '));
    expect(privateAlarm).toMatchObject({ Threshold: 45 });
    expect(privateAlarm.AlarmDescription).toContain('expires in fewer than 45 days (default for a private certificate, whose managed renewal starts 60 days before expiry)');
    const imported = alarms.find((a) => String(a.AlarmDescription).startsWith('certificate Stack/Arn2 '));
    expect(imported.AlarmDescription).toContain('(default for an imported certificate, which ACM never renews)');
    const unknown = alarms.find((a) => String(a.AlarmDescription).startsWith('certificate Stack/Arn1 '));
    expect(unknown.AlarmDescription).toContain('default for a certificate of unknown kind, taken as DNS-validated');
  });
});

describe('CertificateMonitor: days, fractions, lifetimes, overrides', () => {
  test('daysToExpiryThreshold keeps its meaning: every certificate, whatever its kind, no kind warning when sensible', () => {
    const stack = newStack();
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN);
    const priv = new PrivateCertificate(stack, 'Private', { domainName: 'p.example.com', certificateAuthority: ca });
    const monitor = new CertificateMonitor(stack, 'Monitor', { certificates: [byArn(stack, 1), priv], daysToExpiryThreshold: 20 });
    expect(monitor.daysToExpiryThreshold).toBe(20);
    expect(monitor.thresholdOf(priv)).toBe(20);
    // Linted templates: the first describe's (same resource types); these two only read properties.
    Template.fromStack(stack).allResourcesProperties('AWS::CloudWatch::Alarm', { Threshold: 20 });
    expect(warningsOf(stack)).toEqual([]);
  });

  test('fractionOfLifetime: of the lifetime given, else of the kind\'s (395 days for private certificates)', () => {
    const stack = newStack();
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN);
    const priv = new PrivateCertificate(stack, 'Private', { domainName: 'p.example.com', certificateAuthority: ca });
    const dns = new PublicCertificate(stack, 'Dns', { domainName: 'd.example.com' });
    const monitor = new CertificateMonitor(stack, 'Monitor', { expiryThreshold: CertificateExpiryThreshold.fractionOfLifetime(0.1) });
    monitor.addCertificate(priv);
    monitor.addCertificate(dns, { lifetime: Duration.days(198) });
    expect(monitor.thresholdOf(priv)).toBe(39);
    expect(monitor.thresholdOf(dns)).toBe(19);
    expect(warningsOf(stack)).toEqual([]);
  });

  test('fractionOfLifetime of an imported certificate without a lifetime is refused, naming the fix', () => {
    const stack = newStack();
    const monitor = new CertificateMonitor(stack, 'Monitor', { expiryThreshold: CertificateExpiryThreshold.fractionOfLifetime(0.25) });
    expect(() => monitor.addCertificate(byArn(stack, 1), { kind: CertificateKind.IMPORTED }))
      .toThrow(/Stack\/Monitor: certificate Stack\/Arn1 \(arn:.*\): it is an imported certificate, whose lifetime is not known at synth time, .*Duration\.days\(n\)/);
    monitor.addCertificate(byArn(stack, 2), { kind: CertificateKind.IMPORTED, lifetime: Duration.days(90) });
    expect(monitor.thresholdOf(byArn(new Stack(), 2))).toBeUndefined();
  });

  test('a per-certificate threshold overrides the monitor\'s', () => {
    const stack = newStack();
    const a = byArn(stack, 1);
    const b = byArn(stack, 2);
    const monitor = new CertificateMonitor(stack, 'Monitor', { certificates: [a], daysToExpiryThreshold: 21 });
    monitor.addCertificate(b, { expiryThreshold: CertificateExpiryThreshold.days(25) });
    expect([monitor.thresholdOf(a), monitor.thresholdOf(b)]).toEqual([21, 25]);
  });

  test.each([0, 1, 1.5, -0.2, Number.NaN])('fractionOfLifetime(%p) is refused', (f) => {
    expect(() => new CertificateMonitor(newStack(), 'Monitor', { expiryThreshold: CertificateExpiryThreshold.fractionOfLifetime(f) }))
      .toThrow('Stack/Monitor: a fraction of the lifetime must be greater than 0 and less than 1');
  });

  test.each([0, 1.5, 398])('days(%p) is refused', (d) => {
    expect(() => new CertificateMonitor(newStack(), 'Monitor', { expiryThreshold: CertificateExpiryThreshold.days(d) }))
      .toThrow('Stack/Monitor: daysToExpiryThreshold must be a whole number of days from 1 to 397');
  });

  test('daysToExpiryThreshold and expiryThreshold together are refused', () => {
    expect(() => new CertificateMonitor(newStack(), 'Monitor', { daysToExpiryThreshold: 30, expiryThreshold: CertificateExpiryThreshold.renewalWindow() }))
      .toThrow('Stack/Monitor: give daysToExpiryThreshold (here 30) or expiryThreshold, not both');
  });

  test('a lifetime under 1 day is refused', () => {
    const stack = newStack();
    const monitor = new CertificateMonitor(stack, 'Monitor');
    expect(() => monitor.addCertificate(byArn(stack, 1), { lifetime: Duration.hours(12) })).toThrow('a certificate lifetime must be at least 1 day, got 0');
  });

  test('warnings: inside the renewal window, too few days to act, not shorter than the lifetime; each names the fix', () => {
    const stack = newStack();
    const monitor = new CertificateMonitor(stack, 'Monitor');
    monitor.addCertificate(new PublicCertificate(stack, 'Dns', { domainName: 'd.example.com' }), { expiryThreshold: CertificateExpiryThreshold.days(55) });
    monitor.addCertificate(byArn(stack, 1), { expiryThreshold: CertificateExpiryThreshold.days(10) });
    monitor.addCertificate(byArn(stack, 2), {
      kind: CertificateKind.IMPORTED,
      lifetime: Duration.days(30),
      expiryThreshold: CertificateExpiryThreshold.days(30),
    });
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('certificate Stack/Dns: a DaysToExpiry threshold of 55 days alarms during a normal managed renewal: ACM starts renewing '
      + 'a PUBLIC_DNS certificate 60 days before expiry and may need 7 days. Use at most 53 days, or CertificateExpiryThreshold.renewalWindow()');
    expect(warnings[1]).toContain('a DaysToExpiry threshold of 10 days leaves fewer than 14 days to act when renewal is stuck');
    expect(warnings[1]).toContain('Use at least 16 days.');
    expect(warnings[2]).toContain('is not shorter than the certificate\'s 30-day lifetime');
  });

  test('dashboard: one graph per threshold, annotated with it', () => {
    const stack = newStack();
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN);
    const priv = new PrivateCertificate(stack, 'Private', { domainName: 'p.example.com', certificateAuthority: ca });
    new CertificateMonitor(stack, 'Monitor', { certificates: [byArn(stack, 1), priv, byArn(stack, 2)], dashboard: true });
    const raw = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody;
    const body = JSON.parse(typeof raw === 'string' ? raw : raw['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'x')).join(''));
    expect(body.widgets.map((w: any) => [w.properties.title, w.properties.metrics.length, w.properties.annotations.horizontal[0].value]))
      .toEqual([['Certificate DaysToExpiry (alarm below 30 days)', 2, 30], ['Certificate DaysToExpiry (alarm below 45 days)', 1, 45]]);
  });
});
