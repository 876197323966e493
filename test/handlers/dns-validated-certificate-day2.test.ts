import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand } from '@aws-sdk/client-acm';
import { Route53Client } from '@aws-sdk/client-route-53';
import { STSClient } from '@aws-sdk/client-sts';
import { certProps, cnames, createZone, dnsEvent, withResponse } from './dns-validated-certificate-fixtures';
import { createDnsValidatedCertificateCompleteHandler } from '../../src/handlers/dns-validated-certificate/dns-validated-certificate-complete.lambda';
import { createDnsValidatedCertificateHandler } from '../../src/handlers/dns-validated-certificate/dns-validated-certificate.lambda';
import { recordHash } from '../../src/handlers/dns-validated-certificate/logic';
import { DnsValidatedCertificateDeps } from '../../src/handlers/dns-validated-certificate/records';
import { RoleCredentials } from '../../src/handlers/dns-validated-certificate/route53';
import { MAX_REASON_BYTES } from '../../src/handlers/shared/reason';
import {
  fullJitterDelay,
  isTransientError,
  RetriesExhaustedError,
  RetryDeadlineError,
  withRetries,
} from '../../src/handlers/shared/retry';
import { Fault, fault, faultInjector, FaultInjector, faultScenarios, injectedError, toFault, TRANSIENT_FAULT_KINDS } from '../harness/faults';
import { motoClientConfig, resetMoto } from '../harness/moto';
import { RESPONSE_URL_SECRET, runThroughProvider } from '../harness/provider-runtime';

/*
 * Day-2 behaviour of the DnsValidatedCertificate handlers against moto_server (issue 13): record
 * clean-up across regions (1), ownership checks (7), transient errors and the retry deadline (6),
 * failure reasons within CloudFormation's limit (8), a table of injected faults (test/harness/faults.ts,
 * above the SDK's retries), concurrent and duplicate events, and runs through aws-cdk-lib's real
 * provider-framework runtime (test/harness/provider-runtime.ts).
 *
 * moto gives every name the same validation record in every region, as ACM does for one account.
 */

const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/SiteStack/1';
const RECORD = (name: string) => `_d930b28be6c5927595552b219965053e.${name}.`;

interface Wired {
  readonly onEvent: ReturnType<typeof createDnsValidatedCertificateHandler>;
  readonly isComplete: ReturnType<typeof createDnsValidatedCertificateCompleteHandler>;
  readonly faults: FaultInjector;
  readonly logs: string[];
}

/** The handlers with moto clients instrumented by test/harness/faults.ts; short retry delays. */
function wired(o: { faults?: Fault[]; now?: () => Date; retry?: DnsValidatedCertificateDeps['retry'] } = {}): Wired {
  const faults = faultInjector(o.faults ?? []);
  const logs: string[] = [];
  const acmClients = new Map<string, ACMClient>();
  const ownRoute53 = faults.attach(new Route53Client(motoClientConfig()));
  const deps: DnsValidatedCertificateDeps = {
    acm: (region) => {
      if (!acmClients.has(region)) acmClients.set(region, faults.attach(new ACMClient(motoClientConfig(region))));
      return acmClients.get(region)!;
    },
    route53: (credentials?: RoleCredentials) => (credentials === undefined ? ownRoute53
      : faults.attach(new Route53Client({ ...motoClientConfig(), credentials }))),
    sts: faults.attach(new STSClient(motoClientConfig())),
    now: o.now,
    retry: o.retry ?? { baseDelayMs: 1, maxDelayMs: 4, attempts: 5 },
    inUseRetry: { baseDelayMs: 1, maxDelayMs: 2, attempts: 4 },
    log: (line) => logs.push(line),
  };
  return { onEvent: createDnsValidatedCertificateHandler(deps), isComplete: createDnsValidatedCertificateCompleteHandler(deps), faults, logs };
}

/** A custom-resource event of stack STACK for logical ID `logicalId`. */
function event(type: 'Create' | 'Update' | 'Delete', logicalId: string, props: Record<string, unknown>,
  extra: { physicalId?: string; oldProps?: Record<string, unknown>; requestId?: string; stackId?: string } = {}) {
  return { ...dnsEvent(type, props, extra), StackId: extra.stackId ?? STACK, LogicalResourceId: logicalId };
}

async function certificatesIn(region: string): Promise<string[]> {
  const res = await new ACMClient(motoClientConfig(region)).send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] } }));
  return (res.CertificateSummaryList ?? []).map((c) => c.CertificateArn!);
}

async function tagsOf(arn: string): Promise<Record<string, string>> {
  const res = await new ACMClient(motoClientConfig(arn.split(':')[3])).send(new ListTagsForCertificateCommand({ CertificateArn: arn }));
  return Object.fromEntries((res.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
}

/** Create, then one isComplete poll (the records are written). */
async function created(w: Wired, logicalId: string, props: Record<string, unknown>, requestId?: string): Promise<string> {
  const create = event('Create', logicalId, props, { requestId });
  const res = await w.onEvent(create);
  expect(await w.isComplete(withResponse(create, res))).toEqual({ IsComplete: false });
  return res.PhysicalResourceId!;
}

beforeEach(resetMoto);

describe('item 1: validation-record clean-up across regions', () => {
  test('a record that a certificate for the same name in another region uses is kept (and handed over), then removed with the last one', async () => {
    const zone = await createZone('example.com');
    const w = wired();
    const regions = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];
    const props = (region: string) => certProps({ region, validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const eu = await created(w, 'EuCertificate', { ...props('eu-west-1'), CleanupRegions: regions });
    const us = await created(w, 'CdnCertificate', { ...props('us-east-1'), CleanupRegions: regions });
    expect((await cnames(zone)).map((r) => r.Name)).toEqual([RECORD('app.example.com')]);

    await w.onEvent(event('Delete', 'EuCertificate', { ...props('eu-west-1'), CleanupRegions: regions }, { physicalId: eu }));
    expect(await certificatesIn('eu-west-1')).toEqual([]);
    // The us-east-1 certificate renews through this record: it stays, and is now that certificate's to remove.
    expect((await cnames(zone)).map((r) => r.Name)).toEqual([RECORD('app.example.com')]);
    expect((await tagsOf(us))['cdk-pki:created-records']).toBe(recordHash(zone, RECORD('app.example.com')));
    expect(w.logs.some((l) => l.includes('"validation record kept"') && l.includes('another certificate still uses it'))).toBe(true);

    await w.onEvent(event('Delete', 'CdnCertificate', { ...props('us-east-1'), CleanupRegions: regions }, { physicalId: us }));
    expect(await cnames(zone)).toEqual([]);
    // Every listed region was asked, in each Delete.
    expect(w.faults.calls.filter((c) => c.command === 'ListCertificatesCommand').length).toBeGreaterThanOrEqual(2 * regions.length - 1);
  });

  test('changing Region (a replacement): deleting the old region\'s certificate keeps the record the new one needs', async () => {
    const zone = await createZone('example.com');
    const w = wired();
    const regions = ['eu-west-1', 'us-east-1'];
    const oldProps = { ...certProps({ region: 'eu-west-1', validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] }), CleanupRegions: regions };
    const newProps = { ...oldProps, Region: 'us-east-1' };
    const oldArn = await created(w, 'SiteCertificate', oldProps);
    const update = event('Update', 'SiteCertificate', newProps, { physicalId: oldArn, oldProps, requestId: 'req-region' });
    const res = await w.onEvent(update);
    const newArn = res.PhysicalResourceId!;
    expect(newArn).toMatch(/^arn:aws:acm:us-east-1:/);
    expect(await w.isComplete(withResponse(update, res))).toEqual({ IsComplete: false });

    // CloudFormation deletes the old certificate with the old properties.
    await w.onEvent(event('Delete', 'SiteCertificate', oldProps, { physicalId: oldArn }));
    expect(await certificatesIn('eu-west-1')).toEqual([]);
    expect((await cnames(zone)).map((r) => r.Name)).toEqual([RECORD('app.example.com')]);

    await w.onEvent(event('Delete', 'SiteCertificate', newProps, { physicalId: newArn }));
    expect(await cnames(zone)).toEqual([]);
    expect(await certificatesIn('us-east-1')).toEqual([]);
  });

  test('a region the account has not enabled is skipped, and logged', async () => {
    const zone = await createZone('example.com');
    const w = wired();
    const props = { ...certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] }), CleanupRegions: ['eu-west-1', 'me-central-1'] };
    const arn = await created(w, 'SiteCertificate', props);
    // The second ListCertificates (me-central-1) fails as an opt-in region does.
    w.faults.add(fault('error', 'ListCertificates', { nth: 2, error: 'UnrecognizedClientException' }));
    await w.onEvent(event('Delete', 'SiteCertificate', props, { physicalId: arn }));
    expect(await cnames(zone)).toEqual([]);
    expect(w.logs.some((l) => l.includes('region skipped') && l.includes('me-central-1'))).toBe(true);
  });
});

describe('item 7: the handler never touches a certificate this resource did not create', () => {
  test('a Delete for another stack\'s (or logical ID\'s) certificate leaves it and its records alone', async () => {
    const zone = await createZone('example.com');
    const w = wired();
    const props = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const arn = await created(w, 'SiteCertificate', props);
    for (const [logicalId, stackId] of [['OtherCertificate', STACK], ['SiteCertificate', 'arn:aws:cloudformation:us-east-1:123456789012:stack/Other/2']]) {
      await expect(w.onEvent(event('Delete', logicalId, props, { physicalId: arn, stackId }))).resolves.toEqual({ PhysicalResourceId: arn });
    }
    expect(await certificatesIn('eu-west-1')).toEqual([arn]);
    expect(await cnames(zone)).toHaveLength(1);
    expect(w.faults.count('DeleteCertificate')).toBe(0);
    expect(w.faults.count('ChangeResourceRecordSets')).toBe(1);
    expect(w.logs.filter((l) => l.includes('"certificate not deleted"') && l.includes('this resource did not create it'))).toHaveLength(2);
  });

  test('an in-place Update of another resource\'s certificate fails, naming its tags', async () => {
    const zone = await createZone('example.com');
    const w = wired();
    const oldProps = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const arn = await created(w, 'SiteCertificate', oldProps);
    const newProps = certProps({ tags: [{ Key: 'team', Value: 'other' }], validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    await expect(w.onEvent(event('Update', 'Intruder', newProps, { physicalId: arn, oldProps })))
      .rejects.toThrow(`certificate ${arn} is tagged cdk-pki:stack-id "${STACK}" and cdk-pki:logical-id "SiteCertificate", not "${STACK}" and "Intruder": this resource did not create it`);
    expect(w.faults.count('AddTagsToCertificate')).toBe(1); // the record-ownership tag of the Create only
    expect((await tagsOf(arn)).team).toBe('platform');
  });
});

describe('item 6: transient errors never fail a deployment; the retry deadline gives a clear error', () => {
  test.each(['throttling', 'unavailable', 'internal', 'timeout', 'network'] as const)('isComplete says "not complete" while every %s retry fails', async (kind) => {
    const zone = await createZone('example.com');
    const w = wired();
    const create = event('Create', 'SiteCertificate', certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] }));
    const res = await w.onEvent(create);
    w.faults.add(fault(kind, 'DescribeCertificate', { times: 100 }));
    await expect(w.isComplete(withResponse(create, res))).resolves.toEqual({ IsComplete: false });
    expect(w.faults.count('DescribeCertificate')).toBe(5);
    expect(w.logs.some((l) => l.includes('transient error: not complete yet'))).toBe(true);
    // Once the trouble is over, the next poll goes on.
    w.faults.faults.length = 0;
    await expect(w.isComplete(withResponse(create, res))).resolves.toEqual({ IsComplete: false });
    expect(await cnames(zone)).toHaveLength(1);
  });

  test('onEvent gives up before the Lambda timeout with a named error, never "Task timed out"', async () => {
    const zone = await createZone('example.com');
    const w = wired({ retry: { baseDelayMs: 200, maxDelayMs: 400, attempts: 1000, reserveMs: 1_000 } });
    w.faults.add(fault('throttling', 'RequestCertificate', { times: 10_000 }));
    const started = Date.now();
    const context = { getRemainingTimeInMillis: () => 3_000 - (Date.now() - started) };
    const err = await w.onEvent(event('Create', 'SiteCertificate', certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] })), context)
      .then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(RetryDeadlineError);
    expect(err!.message).toMatch(/^an AWS API call of the DnsValidatedCertificate handler still failed with ThrottlingException after \d+ attempts, and the handler has \d s left, too little for another one: it gave up before its Lambda timeout/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await certificatesIn('eu-west-1')).toEqual([]);
  });

  test('when the attempts run out the error names the transient error and what to do', async () => {
    const w = wired();
    w.faults.add(fault('unavailable', 'RequestCertificate', { times: 100 }));
    const zone = await createZone('example.com');
    await expect(w.onEvent(event('Create', 'SiteCertificate', certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] }))))
      .rejects.toThrow(new RetriesExhaustedError('an AWS API call of the DnsValidatedCertificate handler', 'ServiceUnavailable', 5).message);
  });
});

describe('shared retry helper (src/handlers/shared/retry.ts)', () => {
  test('full jitter: each delay is uniform in [0, backoff), from the random source', async () => {
    expect([0, 0.5, 0.999].map((r) => fullJitterDelay(3, 100, 10_000, () => r))).toEqual([0, 200, 399]);
    const delays: number[] = [];
    let calls = 0;
    await withRetries(async () => { if (++calls < 5) throw injectedError('throttling', 'X'); }, {
      retryOn: [], retryTransient: true, jitter: 'full', baseDelayMs: 100, maxDelayMs: 250, random: () => 0.5, sleep: async (ms) => { delays.push(ms); },
    });
    expect(delays).toEqual([50, 100, 125, 125]);
  });

  test('transient: throttling, 5xx, timeouts and network errors (which have no name), not client errors', () => {
    for (const kind of ['throttling', 'unavailable', 'internal', 'timeout', 'network'] as const) {
      expect(isTransientError(injectedError(kind, 'X'))).toBe(true);
    }
    expect(isTransientError(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 502 } }))).toBe(true);
    expect(isTransientError(injectedError('error', 'X', 'ValidationException'))).toBe(false);
    expect(isTransientError('ThrottlingException')).toBe(false);
  });

  test('the deadline: no wait that would end within reserveMs of the remaining time; a named error instead', async () => {
    const waits: number[] = [];
    let remaining = 30_000;
    const err = await withRetries(async () => { throw injectedError('network', 'PutThing'); }, {
      retryOn: [],
      retryTransient: true,
      attempts: 100,
      baseDelayMs: 4_000,
      maxDelayMs: 8_000,
      operation: 'PutThing',
      remainingTimeMs: () => remaining,
      sleep: async (ms) => { waits.push(ms); remaining -= ms; },
    }).then(() => undefined, (e: Error) => e);
    // 30 s left: waits of 4 s, 8 s and 8 s each leave at least the 10 s reserve; a fourth would not.
    expect(waits).toEqual([4_000, 8_000, 8_000]);
    expect(err).toBeInstanceOf(RetryDeadlineError);
    expect(err).toMatchObject({ name: 'RetryDeadlineError', lastError: 'ECONNRESET', attempts: 4 });
    expect(err!.message).toContain('PutThing still failed with ECONNRESET after 4 attempts, and the handler has 10 s left');
  });
});

describe('item 8: failure reasons fit CloudFormation\'s 4,096 bytes; the full list is logged', () => {
  test('a validation timeout with 300 pending names: "…and N more" in the error, every name in the log', async () => {
    const zone = await createZone('example.com');
    const w = wired({ now: () => new Date(Date.now() + 4_000_000) });
    const names = Array.from({ length: 300 }, (_, i) => `a-fairly-long-host-name-number-${i}.example.com`);
    w.faults.add({
      command: 'DescribeCertificate',
      times: 100,
      patch: (out) => ({ ...out, Certificate: { ...out.Certificate, DomainValidationOptions: names.map((n) => ({ DomainName: n, ValidationStatus: 'PENDING_VALIDATION' })) } }),
    });
    const create = event('Create', 'SiteCertificate', certProps({ validation: [{ DomainName: 'example.com', HostedZoneId: zone }] }));
    const res = await w.onEvent(create);
    const err = await w.isComplete(withResponse(create, res)).then(() => undefined, (e: Error) => e);
    expect(Buffer.byteLength(err!.message)).toBeLessThanOrEqual(MAX_REASON_BYTES);
    expect(err!.message).toMatch(/…and \d+ more \(the full list is in the handler's log\)/);
    expect(err!.message).toContain('raise `validationTimeout`');
    const logged = w.logs.find((l) => l.includes('"failed"'))!;
    expect(names.every((n) => logged.includes(n))).toBe(true);
  });

  test('through the provider framework: the FAILED Reason CloudFormation gets is under 4,096 bytes', async () => {
    const zone = await createZone('example.com');
    const w = wired();
    const users = Array.from({ length: 200 }, (_, i) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web-${i}/50dc6c495c0c9188`);
    const props = certProps({ cleanup: false, validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const arn = await created(w, 'SiteCertificate', props);
    w.faults.add(
      { command: 'DeleteCertificate', times: 100, error: 'ResourceInUseException' },
      { command: 'DescribeCertificate', times: 100, patch: (out) => ({ ...out, Certificate: { ...out.Certificate, InUseBy: users } }) },
    );
    const run = await runThroughProvider({ onEvent: w.onEvent, isComplete: w.isComplete, event: event('Delete', 'SiteCertificate', props, { physicalId: arn }) });
    expect(run.Status).toBe('FAILED');
    expect(Buffer.byteLength(JSON.stringify(run.Reason))).toBeLessThan(4_096);
    expect(run.Reason).toContain(`certificate ${arn} is still in use by ${users[0]},`);
    expect(run.Reason).toMatch(/…and \d+ more/);
    expect(w.logs.find((l) => l.includes('"failed"'))).toContain(users[199]);
  });
});

describe('through aws-cdk-lib\'s provider-framework runtime', () => {
  test('throttling storms in isComplete are polled through: SUCCESS with one certificate and its record', async () => {
    const zone = await createZone('example.com');
    const w = wired();
    // Every DescribeCertificate attempt of the first polls fails: 12 calls, more than two polls retry.
    w.faults.add(fault('throttling', 'DescribeCertificate', { times: 12 }));
    const run = await runThroughProvider({
      onEvent: w.onEvent,
      isComplete: w.isComplete,
      event: event('Create', 'SiteCertificate', certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] })),
      queryIntervalMs: 1_000,
      maxAttempts: 40,
    });
    expect(run).toMatchObject({ Status: 'SUCCESS', Data: { CertificateArn: run.PhysicalResourceId } });
    expect(run.trace.invocations.filter((i) => i.function === 'isComplete' && i.result?.IsComplete === false).length).toBeGreaterThanOrEqual(2);
    expect(run.trace.invocations.every((i) => i.error === undefined)).toBe(true);
    expect(await certificatesIn('eu-west-1')).toEqual([run.PhysicalResourceId]);
    expect(await cnames(zone)).toHaveLength(1);
    expect([...w.logs, ...run.trace.frameworkLogs].join('\n')).not.toContain(RESPONSE_URL_SECRET);
  }, 60_000);

  test('a handler out of time answers FAILED with the named retry error, not "Task timed out"', async () => {
    const zone = await createZone('example.com');
    const w = wired({ retry: { baseDelayMs: 100, maxDelayMs: 300, attempts: 10_000, reserveMs: 1_000 } });
    w.faults.add(fault('throttling', 'RequestCertificate', { times: 100_000 }));
    const run = await runThroughProvider({
      onEvent: w.onEvent,
      event: event('Create', 'SiteCertificate', certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] })),
      functionTimeoutMs: 2_500,
    });
    expect(run.Status).toBe('FAILED');
    expect(run.Reason).toContain('still failed with ThrottlingException');
    expect(run.Reason).toContain('gave up before its Lambda timeout');
    expect(run.Reason).not.toContain('Task timed out');
  }, 30_000);
});

/** The commands of the DNS handlers' life cycle, each faulted in turn. */
const FAULTED_COMMANDS = [
  'RequestCertificate', 'DescribeCertificate', 'ListTagsForCertificate', 'AddTagsToCertificate',
  'ListResourceRecordSets', 'ChangeResourceRecordSets', 'ListCertificates', 'DeleteCertificate',
];

describe('fault scenarios: Create, poll, Delete with one injected fault (above the SDK retries)', () => {
  const table = faultScenarios(FAULTED_COMMANDS, TRANSIENT_FAULT_KINDS);
  test('the table has every command × transient kind', () => {
    expect(table).toHaveLength(FAULTED_COMMANDS.length * TRANSIENT_FAULT_KINDS.length);
  });

  test.each(table)('$name', async (scenario) => {
    const zone = await createZone('example.com');
    const w = wired({ faults: [toFault(scenario)] });
    const props = certProps({ sans: ['www.example.com'], validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }, { DomainName: 'www.example.com', HostedZoneId: zone }] });
    const arn = await created(w, 'SiteCertificate', props);
    // No duplicated certificate, no lost record.
    expect(await certificatesIn('eu-west-1')).toEqual([arn]);
    expect((await cnames(zone)).map((r) => r.Name).sort()).toEqual([RECORD('app.example.com'), RECORD('www.example.com')]);
    const detail = await new ACMClient(motoClientConfig('eu-west-1')).send(new DescribeCertificateCommand({ CertificateArn: arn }));
    expect(detail.Certificate!.DomainName).toBe('app.example.com');

    await expect(w.onEvent(event('Delete', 'SiteCertificate', props, { physicalId: arn }))).resolves.toEqual({ PhysicalResourceId: arn });
    expect(await certificatesIn('eu-west-1')).toEqual([]);
    expect(await cnames(zone)).toEqual([]);
    // The fault fired (every command is part of this life cycle), and the handler got past it.
    expect(w.faults.injected()).toHaveLength(1);
  });
});

describe('concurrency: duplicate and overlapping events', () => {
  test('a Create re-delivered while the first is still running makes one certificate', async () => {
    const zone = await createZone('example.com');
    // moto's idempotency-token check is not atomic (two requests in the same millisecond can both
    // create), unlike ACM's: the duplicate starts once the first RequestCertificate reached moto.
    let requested!: () => void;
    const reached = new Promise<void>((resolve) => { requested = resolve; });
    const w = wired({ faults: [{ command: 'RequestCertificate', times: 1, patch: (out) => { requested(); return out; } }] });
    const create = event('Create', 'SiteCertificate', certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] }));
    const [a, b] = await Promise.all([w.onEvent(create), reached.then(() => w.onEvent(create))]);
    expect(a.PhysicalResourceId).toBe(b.PhysicalResourceId);
    expect(await certificatesIn('eu-west-1')).toEqual([a.PhysicalResourceId]);
  });

  test('overlapping isComplete polls write each record once, with the same value', async () => {
    const zone = await createZone('example.com');
    const w = wired();
    const create = event('Create', 'SiteCertificate', certProps({ sans: ['www.example.com'], validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }, { DomainName: 'www.example.com', HostedZoneId: zone }] }));
    const res = await w.onEvent(create);
    const polls = await Promise.all([1, 2, 3].map(() => w.isComplete(withResponse(create, res))));
    expect(polls).toEqual([{ IsComplete: false }, { IsComplete: false }, { IsComplete: false }]);
    const records = await cnames(zone);
    expect(records.map((r) => r.Name).sort()).toEqual([RECORD('app.example.com'), RECORD('www.example.com')]);
    expect(new Set(records.map((r) => r.ResourceRecords![0].Value)).size).toBe(1);
  });

  test('two overlapping Deletes of one certificate both succeed; nothing is left', async () => {
    const zone = await createZone('example.com');
    const w = wired();
    const props = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const arn = await created(w, 'SiteCertificate', props);
    const del = event('Delete', 'SiteCertificate', props, { physicalId: arn });
    await expect(Promise.all([w.onEvent(del), w.onEvent(del)])).resolves.toEqual([{ PhysicalResourceId: arn }, { PhysicalResourceId: arn }]);
    expect(await certificatesIn('eu-west-1')).toEqual([]);
    expect(await cnames(zone)).toEqual([]);
  });

  test('a Delete overlapping the Create of another certificate for the same name never removes the record it uses', async () => {
    const zone = await createZone('example.com');
    const w = wired();
    const props = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const arn = await created(w, 'OldCertificate', props);
    const create = event('Create', 'NewCertificate', props, { requestId: 'req-new' });
    const [, res] = await Promise.all([w.onEvent(event('Delete', 'OldCertificate', props, { physicalId: arn })), w.onEvent(create)]);
    // Whatever the order, the new certificate's next poll puts its record back if the Delete removed it.
    expect(await w.isComplete(withResponse(create, res))).toEqual({ IsComplete: false });
    expect((await cnames(zone)).map((r) => r.Name)).toEqual([RECORD('app.example.com')]);
    expect(await certificatesIn('eu-west-1')).toEqual([res.PhysicalResourceId]);
  });
});
