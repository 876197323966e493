import { execFileSync } from 'child_process';
import { X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CertificateMaterial } from '../../src/certificates/certificate-material';
import { ImportedCertificate } from '../../src/certificates/imported-certificate';
import { PrivateCertificate } from '../../src/certificates/private-certificate';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { PublicCertificateValidation } from '../../src/certificates/public-certificate-validation';
import { CertificateMonitor } from '../../src/monitoring/certificate-monitor';
import { MIN_DAYS_TO_ACT, MIN_RENEWAL_ALLOWANCE_DAYS, RenewalKind, renewalStartDays } from '../../src/validation/renewal-windows';
import { synthTemplate } from '../harness/cfn-lint';

/*
 * Issue 17's matrix: certificates of 395, 198, 100 and 47 days, made with openssl with chosen NotBefore/NotAfter,
 * watched by a CertificateMonitor with its default (renewal-window) thresholds. For each kind and lifetime, the
 * DaysToExpiry curve is simulated day by day from the certificate's real dates through the Threshold the monitor
 * synthesized (read from the template), with a model of managed renewal, and both properties are asserted:
 *   1. no alarm while a normal renewal is in progress (ACM starts at the renewal window, the new certificate
 *      replaces the old one up to MIN_RENEWAL_ALLOWANCE_DAYS later, or as late as the table allows);
 *   2. when renewal is stuck (or never comes: imported), the alarm fires with at least MIN_DAYS_TO_ACT days left.
 */

const DAY = 86_400_000;
const LIFETIMES = [395, 198, 100, 47];
const KINDS: RenewalKind[] = ['PUBLIC_DNS', 'PUBLIC_EMAIL', 'PRIVATE', 'EXPORTED', 'IMPORTED', 'UNKNOWN'];
/** NotBefore: not at midnight, so that the daily alarm periods do not line up with the certificate. */
const NOT_BEFORE = new Date('2026-03-20T09:30:00Z');

/** The thresholds the table must give (pinned: a change to the table must change this too). */
const EXPECTED: Record<RenewalKind, number[]> = {
  PUBLIC_DNS: [30, 30, 30, 16],
  PUBLIC_EMAIL: [30, 30, 30, 16],
  PRIVATE: [45, 45, 43, 16],
  EXPORTED: [38, 38, 38, 16],
  IMPORTED: [45, 45, 45, 23],
  UNKNOWN: [30, 30, 30, 16],
};

function utcTime(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

/** A self-signed certificate valid from `notBefore` for `days` days, made with `openssl ca` (which sets both dates). */
function certificateWithDates(notBefore: Date, days: number): X509Certificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-lifetime-'));
  try {
    fs.writeFileSync(path.join(dir, 'ca.cnf'), [
      '[ca]', 'default_ca = own', '[own]', 'database = index.txt', 'new_certs_dir = .', 'serial = serial', 'default_md = sha256',
      'policy = any', 'unique_subject = no', '[any]', 'commonName = supplied', '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = x', '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'index.txt'), '');
    fs.writeFileSync(path.join(dir, 'serial'), '01\n');
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem']);
    run(['req', '-new', '-config', 'ca.cnf', '-key', 'key.pem', '-subj', `/CN=lifetime-${days}.example.com`, '-out', 'req.csr']);
    run(['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'key.pem', '-in', 'req.csr', '-notext', '-out', 'cert.pem',
      '-startdate', utcTime(notBefore), '-enddate', utcTime(new Date(notBefore.getTime() + days * DAY))]);
    return new X509Certificate(fs.readFileSync(path.join(dir, 'cert.pem')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What the simulation found. */
interface Outcome {
  /** When the alarm first went to ALARM, and the days the old certificate had left then. */
  readonly firedAt?: Date;
  readonly daysLeftAtAlarm?: number;
}

/**
 * ACM publishes DaysToExpiry (whole days) twice a day until the certificate expires; the alarm reads the minimum
 * of each UTC day and goes to ALARM at the end of a day whose minimum is below the threshold, or that has no data
 * (missing data is breaching). A renewal replaces the certificate (same ARN) with one of the same lifetime.
 */
function simulate(notBefore: Date, notAfter: Date, threshold: number, replacedAt: Date | undefined, until: Date): Outcome {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  const dayStart = (t: number) => Math.floor(t / DAY) * DAY;
  for (let day = dayStart(notBefore.getTime()); day < until.getTime(); day += DAY) {
    let min: number | undefined;
    for (const t of [day, day + DAY / 2]) {
      if (t < notBefore.getTime()) continue;
      const expiry = replacedAt && t >= replacedAt.getTime() ? replacedAt.getTime() + lifetime : notAfter.getTime();
      if (t >= expiry) continue; // expired: no data
      const value = Math.floor((expiry - t) / DAY);
      min = min === undefined ? value : Math.min(min, value);
    }
    const firstDay = day === dayStart(notBefore.getTime());
    if ((min === undefined && !firstDay) || (min !== undefined && min < threshold)) {
      const end = day + DAY;
      return { firedAt: new Date(end), daysLeftAtAlarm: (notAfter.getTime() - end) / DAY };
    }
  }
  return {};
}

describe('renewal-window matrix: 395/198/100/47-day certificates (openssl) x kind, through the synthesized thresholds', () => {
  const certificates = LIFETIMES.map((days) => certificateWithDates(NOT_BEFORE, days));
  const app = new App();
  const stack = new Stack(app, 'Matrix', { env: { account: '111111111111', region: 'eu-west-1' } });
  const monitor = new CertificateMonitor(stack, 'Monitor', { accountWide: true });
  const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca',
    'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555');
  const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Material', 'imported-material');
  const paths = new Map<string, string>();

  function certificateOf(kind: RenewalKind, days: number): acm.ICertificate {
    const id = `${kind}${days}`;
    const domainName = `${kind.toLowerCase().replace('_', '-')}-${days}.example.com`;
    switch (kind) {
      case 'PUBLIC_DNS': return new PublicCertificate(stack, id, { domainName });
      case 'PUBLIC_EMAIL': return new PublicCertificate(stack, id, { domainName, validation: PublicCertificateValidation.fromEmail() });
      case 'EXPORTED': return new PublicCertificate(stack, id, { domainName, allowExport: true });
      case 'PRIVATE': return new PrivateCertificate(stack, id, { domainName, certificateAuthority: ca });
      case 'IMPORTED': return new ImportedCertificate(stack, id, { material: CertificateMaterial.fromSecret(secret) });
      default: return PublicCertificate.fromCertificateArn(stack, id,
        `arn:aws:acm:eu-west-1:111111111111:certificate/01234567-89ab-cdef-0123-${String(days).padStart(12, '0')}`);
    }
  }

  for (const kind of KINDS) {
    LIFETIMES.forEach((days, i) => {
      const certificate = certificateOf(kind, days);
      const real = certificates[i];
      const lifetimeDays = (Date.parse(real.validTo) - Date.parse(real.validFrom)) / DAY;
      // The kind is inferred from the construct; the lifetime comes from the certificate.
      monitor.addCertificate(certificate, { lifetime: Duration.days(lifetimeDays) });
      paths.set(`${kind}${days}`, certificate.node.path);
    });
  }
  const alarms = Object.values(synthTemplate(stack).findResources('AWS::CloudWatch::Alarm'));
  const warnings = app.synth().getStackByName('Matrix').messages.filter((m) => m.level === 'warning' && String(m.entry.data).includes('DaysToExpiry threshold'));

  function synthesizedThreshold(kind: RenewalKind, days: number): number {
    const p = paths.get(`${kind}${days}`)!;
    const found = alarms.filter((a) => String(a.Properties.AlarmDescription).startsWith(`certificate ${p} `));
    expect(found).toHaveLength(1);
    return found[0].Properties.Threshold;
  }

  test('openssl made the certificates with the chosen NotBefore and NotAfter', () => {
    certificates.forEach((c, i) => {
      expect(new Date(c.validFrom).toISOString()).toBe(NOT_BEFORE.toISOString());
      expect((Date.parse(c.validTo) - Date.parse(c.validFrom)) / DAY).toBe(LIFETIMES[i]);
    });
  });

  test('the synthesized thresholds are the table\'s (pinned), and none of them warns', () => {
    const got = Object.fromEntries(KINDS.map((k) => [k, LIFETIMES.map((d) => synthesizedThreshold(k, d))]));
    expect(got).toEqual(EXPECTED);
    expect(warnings).toEqual([]);
  });

  test('the 47-day assumption: ACM renews a certificate shorter than 120 days at half its lifetime (23 days for 47)', () => {
    expect(renewalStartDays('PUBLIC_DNS', 47)).toBe(23);
    expect(renewalStartDays('PRIVATE', 100)).toBe(50);
    expect(renewalStartDays('PUBLIC_DNS', 198)).toBe(60);
    expect(renewalStartDays('PUBLIC_EMAIL', 47)).toBe(23);
    expect(renewalStartDays('IMPORTED', 47)).toBeUndefined();
  });

  const cases = KINDS.flatMap((kind) => LIFETIMES.map((days, i) => ({ kind, days, i })));

  test.each(cases)('$kind, $days days: no alarm during a normal renewal; a stuck renewal alarms with >= 14 days left', ({ kind, days, i }) => {
    const real = certificates[i];
    const notBefore = new Date(real.validFrom);
    const notAfter = new Date(real.validTo);
    const threshold = synthesizedThreshold(kind, days);
    const start = renewalStartDays(kind, days);

    if (start !== undefined) {
      // Normal renewals: quick, the minimum allowance, and the latest the table allows (renewal start minus threshold).
      const starts = [start, ...(['PUBLIC_DNS', 'EXPORTED', 'UNKNOWN'].includes(kind) && days > 90 ? [45] : [])];
      for (const s of starts) {
        for (const duration of [0.25, MIN_RENEWAL_ALLOWANCE_DAYS, s - threshold]) {
          if (duration > s - threshold) continue; // the 45-day start of the 2026 reports: only the 7-day allowance must hold
          const replacedAt = new Date(notAfter.getTime() - (s - duration) * DAY);
          const outcome = simulate(notBefore, notAfter, threshold, replacedAt, new Date(replacedAt.getTime() + 3 * DAY));
          expect({ kind, days, start: s, duration, ...outcome }).toEqual({ kind, days, start: s, duration });
        }
      }
    }
    // Stuck (or, for imported certificates, never renewed): the alarm fires, with days left to act.
    const stuck = simulate(notBefore, notAfter, threshold, undefined, new Date(notAfter.getTime() + 2 * DAY));
    expect(stuck.firedAt).toBeDefined();
    expect(stuck.daysLeftAtAlarm!).toBeGreaterThanOrEqual(MIN_DAYS_TO_ACT);
    // And not from the start of the certificate's life.
    expect(stuck.firedAt!.getTime()).toBeGreaterThan(notBefore.getTime() + days * DAY / 2);
  });

  test('the simulation can fail: a 45-day threshold on a 198-day DNS certificate alarms during its renewal', () => {
    const real = certificates[1];
    const notAfter = new Date(real.validTo);
    const replacedAt = new Date(notAfter.getTime() - (60 - MIN_RENEWAL_ALLOWANCE_DAYS) * DAY);
    // Renewal started at 45 days (as some 2026 reports say) and took the 7-day allowance: a 45-day alarm fires.
    const late = new Date(notAfter.getTime() - (45 - MIN_RENEWAL_ALLOWANCE_DAYS) * DAY);
    expect(simulate(new Date(real.validFrom), notAfter, 45, replacedAt, new Date(replacedAt.getTime() + DAY)).firedAt).toBeUndefined();
    expect(simulate(new Date(real.validFrom), notAfter, 45, late, new Date(late.getTime() + DAY)).firedAt).toBeDefined();
    // And a 10-day threshold leaves fewer than 14 days.
    const tooLate = simulate(new Date(real.validFrom), notAfter, 10, undefined, new Date(notAfter.getTime() + DAY));
    expect(tooLate.daysLeftAtAlarm!).toBeLessThan(MIN_DAYS_TO_ACT);
  });
});
