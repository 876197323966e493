import { execFileSync } from 'child_process';
import { randomBytes, X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ACMPCAClient,
  CreateCertificateAuthorityCommand,
  GetCertificateAuthorityCsrCommand,
  ImportCertificateAuthorityCertificateCommand,
  UpdateCertificateAuthorityCommand,
} from '@aws-sdk/client-acm-pca';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { createCaExpiryHandler } from '../../src/handlers/ca-expiry/ca-expiry.lambda';
import { CA_ARN_DIMENSION, METRIC_NAMESPACE, SCHEDULED_EVENT_KEY } from '../../src/handlers/ca-expiry/contract';
import { daysUntil, evaluateCa, planCheck, readCheckRequest, splitPem } from '../../src/handlers/ca-expiry/logic';
import { cfnEvent } from '../harness/cfn-event';
import { fault, faultInjector, FaultInjector } from '../harness/faults';
import { motoClientConfig, resetMoto } from '../harness/moto';
import { KeyPair, makeSelfSignedCa, verifyChain } from '../harness/openssl';
import { runThroughProvider } from '../harness/provider-runtime';

/*
 * The CA expiry check against moto_server's ACM-PCA and CloudWatch. moto ignores the Validity of
 * IssueCertificate (every certificate it signs is valid 365 days), so the CA certificates come from
 * openssl with the lifetimes each case needs: a root (openssl key, 10 years) is imported into a moto
 * ROOT CA, and each subordinate's CSR (moto's key) is signed with that root's key and imported with
 * the root as its chain, as the subordinate flow of a real external parent does.
 */

const DAY = 86_400_000;
let pca: ACMPCAClient;
let cloudwatch: CloudWatchClient;
let faults: FaultInjector;

function clients(): { pca: ACMPCAClient; cloudwatch: CloudWatchClient } {
  faults = faultInjector();
  pca = faults.attach(new ACMPCAClient(motoClientConfig()));
  cloudwatch = faults.attach(new CloudWatchClient(motoClientConfig()));
  return { pca, cloudwatch };
}

/** Signs `csrPem` with the issuer's key as a CA certificate (pathlen 0) valid `days` days. */
function signCaCsr(csrPem: string, issuer: KeyPair, days: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-ca-expiry-'));
  try {
    fs.writeFileSync(path.join(dir, 'req.csr'), csrPem);
    fs.writeFileSync(path.join(dir, 'issuer.pem'), issuer.certPem);
    fs.writeFileSync(path.join(dir, 'issuer.key'), issuer.keyPem);
    fs.writeFileSync(path.join(dir, 'ext.cnf'), '[ext]\nbasicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' +
      'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n');
    execFileSync('openssl', ['x509', '-req', '-in', 'req.csr', '-CA', 'issuer.pem', '-CAkey', 'issuer.key',
      '-set_serial', `0x1${randomBytes(15).toString('hex')}`, '-days', String(days), '-sha256', '-extfile', 'ext.cnf', '-extensions', 'ext', '-out', 'cert.pem'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    return fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function createCa(type: 'ROOT' | 'SUBORDINATE', commonName: string): Promise<string> {
  return (await pca.send(new CreateCertificateAuthorityCommand({
    CertificateAuthorityType: type,
    CertificateAuthorityConfiguration: { KeyAlgorithm: 'RSA_2048', SigningAlgorithm: 'SHA256WITHRSA', Subject: { CommonName: commonName } },
  }))).CertificateAuthorityArn!;
}

interface Estate {
  readonly root: { arn: string; certPem: string };
  readonly sub: { arn: string; certPem: string };
  readonly outliving: { arn: string; certPem: string };
  readonly pending: string;
}

/** A root (10 years), a subordinate (5 years), a subordinate that outlives the root (5,000 days), a pending CA. */
async function buildEstate(rootPair: KeyPair): Promise<Estate> {
  const rootArn = await createCa('ROOT', 'Expiry Root');
  await pca.send(new ImportCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: rootArn, Certificate: Buffer.from(rootPair.certPem) }));
  const subordinate = async (name: string, days: number) => {
    const arn = await createCa('SUBORDINATE', name);
    const { Csr } = await pca.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: arn }));
    const certPem = signCaCsr(Csr!, rootPair, days);
    await pca.send(new ImportCertificateAuthorityCertificateCommand({
      CertificateAuthorityArn: arn, Certificate: Buffer.from(certPem), CertificateChain: Buffer.from(rootPair.certPem),
    }));
    return { arn, certPem };
  };
  return {
    root: { arn: rootArn, certPem: rootPair.certPem },
    sub: await subordinate('Expiry Issuing', 1825),
    outliving: await subordinate('Expiry Outliving', 5000),
    pending: await createCa('SUBORDINATE', 'Expiry Pending'),
  };
}

function request(e: Estate, ...extra: string[]) {
  return {
    CertificateAuthorities: [
      { CertificateAuthorityArn: e.root.arn, Tier: 'ROOT' },
      { CertificateAuthorityArn: e.sub.arn, Tier: 'ISSUING' },
      { CertificateAuthorityArn: e.outliving.arn, Tier: 'ISSUING' },
      { CertificateAuthorityArn: e.pending, Tier: 'ISSUING' },
      ...extra.map((arn) => ({ CertificateAuthorityArn: arn, Tier: 'INTERMEDIATE' })),
    ],
  };
}

/** What moto holds for one CA's metric in the minute of `at`, read back with GetMetricStatistics (undefined: no data). */
async function published(metricName: string, arn: string, at: Date): Promise<number | undefined> {
  const { Datapoints } = await cloudwatch.send(new GetMetricStatisticsCommand({
    Namespace: METRIC_NAMESPACE,
    MetricName: metricName,
    Dimensions: [{ Name: CA_ARN_DIMENSION, Value: arn }],
    StartTime: at,
    EndTime: new Date(at.getTime() + 60_000),
    Period: 60,
    Statistics: ['Minimum', 'Maximum', 'SampleCount'],
  }));
  if (!Datapoints || Datapoints.length === 0) return undefined;
  expect(Datapoints).toHaveLength(1);
  expect(Datapoints[0].Minimum).toBe(Datapoints[0].Maximum);
  return Datapoints[0].Minimum;
}

/** The DaysToCaExpiry the check must publish for a certificate, computed here from openssl's NotAfter. */
function expectedDays(certPem: string, at: Date): number {
  return Math.floor((new Date(new X509Certificate(certPem).validTo).getTime() - at.getTime()) / DAY);
}

function handlerWith(at: Date, lines: string[]) {
  return createCaExpiryHandler({ ...clients(), now: () => at, log: (l) => lines.push(l), sleep: async () => {}, random: () => 0 });
}

/*
 * moto is reset and the estate built once for the file (moto makes an RSA key per CA); each test publishes
 * at a minute of its own (`minute(n)`, in the past as CloudWatch allows) and reads back only that minute.
 */
let rootPair: KeyPair;
let estate: Estate;
const start = Math.floor(Date.now() / 60_000) * 60_000;
const minute = (n: number) => new Date(start - n * 60_000);
beforeAll(async () => {
  await resetMoto();
  rootPair = makeSelfSignedCa({ commonName: 'Expiry Root', days: 3650, keyType: 'ec' });
  clients();
  estate = await buildEstate(rootPair);
});

describe('CA expiry logic (pure)', () => {
  const ARN = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555';

  test('requests are checked: a Private CA ARN with a known tier, at least one, no ARN twice', () => {
    expect(readCheckRequest({ CertificateAuthorities: [{ CertificateAuthorityArn: ARN, Tier: 'ROOT' }] }).CertificateAuthorities).toHaveLength(1);
    expect(() => readCheckRequest({ CertificateAuthorities: [] })).toThrow('is not a non-empty list');
    expect(() => readCheckRequest({ CertificateAuthorities: [{ CertificateAuthorityArn: 'arn:aws:s3:::b', Tier: 'ROOT' }] }))
      .toThrow('CertificateAuthorities[0].CertificateAuthorityArn "arn:aws:s3:::b" is not a Private CA ARN');
    expect(() => readCheckRequest({ CertificateAuthorities: [{ CertificateAuthorityArn: ARN, Tier: 'LEAF' }] }))
      .toThrow('CertificateAuthorities[0].Tier "LEAF" is not one of ROOT, INTERMEDIATE, ISSUING');
    expect(() => readCheckRequest({ CertificateAuthorities: [{ CertificateAuthorityArn: ARN, Tier: 'ROOT' }, { CertificateAuthorityArn: ARN, Tier: 'ROOT' }] }))
      .toThrow('is listed twice');
  });

  test('scheduled and CloudFormation events are told apart; Delete does nothing', () => {
    const props = { CertificateAuthorities: [{ CertificateAuthorityArn: ARN, Tier: 'ROOT' }] };
    expect(planCheck({ [SCHEDULED_EVENT_KEY]: props })).toMatchObject({ action: 'check', trigger: 'Schedule' });
    expect(planCheck(cfnEvent('Create', { resourceType: 'Custom::CdkPkiCaExpiryCheck', logicalId: 'C', props }))).toMatchObject({ action: 'check', trigger: 'Create' });
    expect(planCheck(cfnEvent('Delete', { resourceType: 'Custom::CdkPkiCaExpiryCheck', logicalId: 'C', props, physicalId: 'p' })))
      .toEqual({ action: 'none', physicalResourceId: 'p' });
    expect(() => planCheck({ 'detail-type': 'Scheduled Event' })).toThrow('not a CloudFormation or scheduled CA expiry check event');
  });

  test('days are whole days rounded down, negative once expired', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(daysUntil(new Date('2030-01-31T23:59:59Z'), now)).toBe(30);
    expect(daysUntil(new Date('2030-01-01T12:00:00Z'), now)).toBe(0);
    expect(daysUntil(new Date('2029-12-31T00:00:00Z'), now)).toBe(-1);
  });

  test('a subordinate compared with a chain whose first certificate is not its parent still finds the parent; an unreadable certificate throws', () => {
    const other = makeSelfSignedCa({ commonName: 'Unrelated', days: 100, keyType: 'ec' });
    const subPem = signCaCsr(execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null',
      '-subj', '/CN=Sub'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), rootPair, 200);
    const target = { CertificateAuthorityArn: ARN, Tier: 'ISSUING' as const };
    const r = evaluateCa({ target, status: 'ACTIVE', type: 'SUBORDINATE', certificatePem: subPem, chainPem: other.certPem + rootPair.certPem }, new Date());
    // It outlives the unrelated 100-day certificate in the chain, which is not its parent.
    expect(r.outlivesParent).toBe(true);
    expect(r.outlived).toMatchObject({ subject: 'CN=Unrelated', isParent: false });
    expect(splitPem(other.certPem + rootPair.certPem)).toHaveLength(2);
    expect(() => evaluateCa({ target, status: 'ACTIVE', type: 'ROOT', certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }, new Date()))
      .toThrow(`the certificate of ${ARN} is not a readable X.509 certificate`);
  });
});

describe('CA expiry check against moto (ACM-PCA + CloudWatch)', () => {
  test('a root, a subordinate, a subordinate outliving its parent, a pending and a disabled CA: the metrics moto holds, the flag and the log', async () => {
    const lines: string[] = [];
    const at = minute(1);
    const run = handlerWith(at, lines);
    const e = estate;
    // The material is a real chain: openssl verifies the subordinate under the root.
    expect(verifyChain({ leafPem: e.sub.certPem, rootPem: rootPair.certPem }).ok).toBe(true);
    const disabled = await createCa('SUBORDINATE', 'Expiry Disabled');
    const { Csr } = await pca.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: disabled }));
    const disabledPem = signCaCsr(Csr!, rootPair, 90);
    await pca.send(new ImportCertificateAuthorityCertificateCommand({
      CertificateAuthorityArn: disabled, Certificate: Buffer.from(disabledPem), CertificateChain: Buffer.from(rootPair.certPem),
    }));
    await pca.send(new UpdateCertificateAuthorityCommand({ CertificateAuthorityArn: disabled, Status: 'DISABLED' }));

    const res = await run({ [SCHEDULED_EVENT_KEY]: request(e, disabled) });
    expect(res.Data).toEqual({ Checked: 4, NotActive: 1, Failed: 0, OutlivesParent: 1 });

    expect(await published('DaysToCaExpiry', e.root.arn, at)).toBe(expectedDays(e.root.certPem, at));
    expect(expectedDays(e.root.certPem, at)).toBeGreaterThanOrEqual(3649);
    expect(await published('DaysToCaExpiry', e.sub.arn, at)).toBe(expectedDays(e.sub.certPem, at));
    expect(await published('DaysToCaExpiry', e.outliving.arn, at)).toBe(expectedDays(e.outliving.certPem, at));
    // DISABLED: moto refuses its certificate (InvalidStateException); Describe's NotAfter still tells the days.
    expect(await published('DaysToCaExpiry', disabled, at)).toBe(expectedDays(disabledPem, at));
    expect(await published('CaOutlivesParent', e.outliving.arn, at)).toBe(1);
    expect(await published('CaOutlivesParent', e.sub.arn, at)).toBe(0);
    // A root has no parent: no CaOutlivesParent. A pending CA has no certificate: nothing at all.
    expect(await published('CaOutlivesParent', e.root.arn, at)).toBeUndefined();
    const { Metrics } = await cloudwatch.send(new ListMetricsCommand({ Namespace: METRIC_NAMESPACE }));
    const arns = new Set((Metrics ?? []).flatMap((m) => m.Dimensions ?? []).map((d) => d.Value));
    expect([...arns]).toEqual(expect.arrayContaining([e.root.arn, e.sub.arn, e.outliving.arn, disabled]));
    expect(arns.has(e.pending)).toBe(false);

    const logs = lines.map((l) => JSON.parse(l));
    const flag = logs.find((l) => l.parentSubject !== undefined);
    expect(flag).toMatchObject({ certificateAuthorityArn: e.outliving.arn, parentSubject: 'CN=Expiry Root', isParent: true });
    expect(flag.message).toContain(`subordinate CA ${e.outliving.arn} expires`);
    expect(flag.message).toContain('after its parent "CN=Expiry Root"');
    expect(logs.find((l) => l.certificateAuthorityArn === e.pending)?.message).toMatch(/PENDING_CERTIFICATE, without a certificate to check/);
    expect(logs.find((l) => l.certificateAuthorityArn === disabled && l.message === 'CA checked')?.notes).toEqual([
      expect.stringContaining('the CA is DISABLED, not ACTIVE'),
      'no certificate chain to compare with: whether the CA outlives its parent is unknown',
    ]);
    // No PEM in any log line.
    expect(lines.join('\n')).not.toMatch(/BEGIN CERTIFICATE/);
    // One PutMetricData call for 6 data: 4 DaysToCaExpiry, 2 CaOutlivesParent (the disabled CA gave no chain to compare).
    expect(faults.count('PutMetricData')).toBe(1);
    expect(faults.calls.find((c) => c.command === 'PutMetricDataCommand')?.input.MetricData).toHaveLength(6);
  });

  test('throttling goes through the retry layer: Describe and PutMetricData throttled, then everything is published', async () => {
    const lines: string[] = [];
    const at = minute(2);
    const run = handlerWith(at, lines);
    const e = estate;
    faults.add(fault('throttling', 'DescribeCertificateAuthority', { nth: 2, times: 2 }), fault('throttling', 'PutMetricData', { times: 1 }));
    const res = await run({ [SCHEDULED_EVENT_KEY]: request(e) });
    expect(res.Data).toMatchObject({ Checked: 3, Failed: 0, OutlivesParent: 1 });
    expect(faults.count('DescribeCertificateAuthority')).toBe(4 + 2);
    expect(faults.count('PutMetricData')).toBe(2);
    expect(await published('DaysToCaExpiry', e.sub.arn, at)).toBeGreaterThan(1800);
    const retries = lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'retrying');
    expect(retries.map((r) => r.operation)).toEqual(['DescribeCertificateAuthority', 'DescribeCertificateAuthority', 'PutMetricData']);
  });

  test('a CA that keeps failing does not stop the others: they are published, the scheduled run then fails naming it', async () => {
    const lines: string[] = [];
    const at = minute(3);
    const run = handlerWith(at, lines);
    const e = estate;
    // The second CA's certificate read is throttled on every attempt (6), then the next CA's succeeds.
    faults.add(fault('throttling', 'GetCertificateAuthorityCertificate', { nth: 2, times: 6 }));
    const missing = e.root.arn.replace(/[0-9a-f]{12}$/, '000000000000');
    await expect(run({ [SCHEDULED_EVENT_KEY]: request(e, missing) })).rejects.toThrow(
      new RegExp(`could not read 2 of 5 CA\\(s\\)[\\s\\S]*${e.sub.arn}: GetCertificateAuthorityCertificate still failed with ` +
        `ThrottlingException after 6 attempts[\\s\\S]*${missing}: DescribeCertificateAuthority failed: ResourceNotFoundException`));
    expect(faults.count('GetCertificateAuthorityCertificate')).toBe(1 + 6 + 1);
    expect(await published('DaysToCaExpiry', e.sub.arn, at)).toBeUndefined();
    expect(await published('DaysToCaExpiry', e.root.arn, at)).toBeGreaterThan(3600);
    expect(await published('CaOutlivesParent', e.outliving.arn, at)).toBe(1);
  });

  test('a deployment runs the check and never fails for a CA (the alarms do); Delete calls nothing', async () => {
    const lines: string[] = [];
    const at = minute(4);
    const run = handlerWith(at, lines);
    const e = estate;
    faults.add(fault('error', 'DescribeCertificateAuthority', { nth: 1, times: 1, error: 'AccessDeniedException' }));
    const event = (type: 'Create' | 'Delete') => cfnEvent(type, { resourceType: 'Custom::CdkPkiCaExpiryCheck', logicalId: 'Check', props: request(e), physicalId: 'CdkPkiCaExpiryCheck' });
    const res = await runThroughProvider({ onEvent: run as any, event: event('Create') as any });
    expect(res).toMatchObject({ Status: 'SUCCESS', Data: { Checked: 2, NotActive: 1, Failed: 1, OutlivesParent: 1 } });
    expect(await published('DaysToCaExpiry', e.root.arn, at)).toBeUndefined();
    expect(await published('DaysToCaExpiry', e.sub.arn, at)).toBeGreaterThan(1800);
    const before = faults.calls.length;
    expect((await runThroughProvider({ onEvent: run as any, event: event('Delete') as any })).Status).toBe('SUCCESS');
    expect(faults.calls.length).toBe(before);
  });
});
