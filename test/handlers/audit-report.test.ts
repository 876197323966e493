import {
  ACMPCAClient,
  ACMPCAServiceException,
  CreateCertificateAuthorityAuditReportCommand,
  DescribeCertificateAuthorityAuditReportCommand,
  RequestInProgressException,
  ResourceNotFoundException,
} from '@aws-sdk/client-acm-pca';
import { createAuditReportHandler, handler } from '../../src/handlers/audit-report/audit-report.lambda';
import { SCHEDULED_EVENT_KEY } from '../../src/handlers/audit-report/contract';
import { onTooSoon, planAuditReport, readRequest } from '../../src/handlers/audit-report/logic';
import { backoffDelay, errorName, withRetries } from '../../src/handlers/shared/retry';
import { cfnEvent as buildEvent } from '../harness/cfn-event';
import { fault, faultInjector, faultScenarios, toFault } from '../harness/faults';
import { runThroughProvider } from '../harness/provider-runtime';

/*
 * moto does not implement audit reports (HTTP 500), so these tests stub only the SDK client's `send`;
 * everything of ours runs for real.
 */

const CA = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555';
const REPORT_ID = 'a1b2c3d4-0000-1111-2222-333344445555';
const S3_KEY = `audit-report/11111111-2222-3333-4444-555555555555/${REPORT_ID}.json`;
const PROPS = { CertificateAuthorityArn: CA, S3BucketName: 'audit-bucket', AuditReportResponseFormat: 'JSON' };

function cfnEvent(requestType: 'Create' | 'Update' | 'Delete', physicalId?: string): Record<string, unknown> {
  return { ...buildEvent(requestType, { resourceType: 'Custom::CdkPkiCaAuditReport', logicalId: 'Report', props: PROPS, physicalId }) };
}
const scheduled = { [SCHEDULED_EVENT_KEY]: PROPS };

function sdkError(name: string, message = name): Error {
  if (name === 'RequestInProgressException') return new RequestInProgressException({ message, $metadata: {} });
  if (name === 'ResourceNotFoundException') return new ResourceNotFoundException({ message, $metadata: {} });
  return new ACMPCAServiceException({ name, message, $fault: 'client', $metadata: {} });
}

describe('audit-report logic (pure)', () => {
  test('CloudFormation and scheduled events are told apart', () => {
    expect(planAuditReport(cfnEvent('Create'))).toEqual({ action: 'create', trigger: 'Create', request: PROPS });
    expect(planAuditReport(cfnEvent('Update', 'old-id'))).toEqual({ action: 'create', trigger: 'Update', request: PROPS, physicalResourceId: 'old-id' });
    expect(planAuditReport(cfnEvent('Delete', 'old-id'))).toEqual({ action: 'none', physicalResourceId: 'old-id' });
    expect(planAuditReport(scheduled)).toEqual({ action: 'create', trigger: 'Schedule', request: PROPS });
    expect(() => planAuditReport({ 'detail-type': 'Scheduled Event' })).toThrow('not a CloudFormation or scheduled audit-report event');
  });

  test('report parameters are checked, JSON by default', () => {
    expect(readRequest({ CertificateAuthorityArn: CA, S3BucketName: 'abc' }).AuditReportResponseFormat).toBe('JSON');
    expect(() => readRequest({ ...PROPS, CertificateAuthorityArn: 'arn:aws:s3:::bucket' })).toThrow('is not a Private CA ARN');
    expect(() => readRequest({ ...PROPS, S3BucketName: 'ab' })).toThrow('is not a bucket name');
    expect(() => readRequest({ ...PROPS, AuditReportResponseFormat: 'XML' })).toThrow('"XML" is not one of JSON, CSV');
  });

  test('only a Create fails on the 30-minute quota', () => {
    expect(onTooSoon('Create')).toBe('fail');
    expect(onTooSoon('Update')).toBe('skip');
    expect(onTooSoon('Schedule')).toBe('skip');
  });
});

describe('retry helper (pure)', () => {
  test('retries the named errors with doubling, capped delays, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetries(async () => {
      calls++;
      if (calls < 4) throw sdkError(calls % 2 ? 'ConcurrentModificationException' : 'ThrottlingException');
      return 'done';
    }, { retryOn: ['ConcurrentModificationException', 'ThrottlingException'], baseDelayMs: 100, maxDelayMs: 300, sleep: async (ms) => { delays.push(ms); } });
    expect(result).toBe('done');
    expect(delays).toEqual([100, 200, 300]);
  });

  test('gives up after the last attempt and never retries other errors', async () => {
    let calls = 0;
    const failing = () => withRetries(async () => { calls++; throw sdkError('ThrottlingException'); }, { retryOn: ['ThrottlingException'], attempts: 3, sleep: async () => undefined });
    await expect(failing()).rejects.toThrow('ThrottlingException');
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetries(async () => { calls++; throw sdkError('InvalidPolicyException'); }, { retryOn: ['ThrottlingException'], sleep: async () => undefined }))
      .rejects.toThrow('InvalidPolicyException');
    expect(calls).toBe(1);
  });

  test('error names come from the SDK error, plain errors have none', () => {
    expect(errorName(sdkError('RequestInProgressException'))).toBe('RequestInProgressException');
    expect(errorName({ __type: 'com.amazonaws.acmpca#ThrottlingException' })).toBe('ThrottlingException');
    expect(errorName(new Error('boom'))).toBeUndefined();
    expect(errorName('text')).toBeUndefined();
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 16000))).toEqual([1000, 2000, 4000, 8000, 16000, 16000]);
  });
});

describe('audit-report handler (SDK client stubbed)', () => {
  const client = new ACMPCAClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  let send: jest.SpyInstance;
  let lines: string[];
  let sleeps: number[];
  const run = createAuditReportHandler({
    client, pollAttempts: 3, pollIntervalMs: 50, log: (l) => lines.push(l), sleep: async (ms) => { sleeps.push(ms); }, random: () => 0.5,
  });

  /** Stubs `send`: Create answers `create` (an error to throw, or the report), Describe answers the statuses in turn. */
  function stub(create: Error | 'ok' | Error[], statuses: string[] = ['SUCCESS']) {
    const errors = Array.isArray(create) ? [...create] : create === 'ok' ? [] : [create];
    send = jest.spyOn(client, 'send').mockImplementation(async (command: any) => {
      if (command instanceof CreateCertificateAuthorityAuditReportCommand) {
        const err = errors.shift();
        if (err) throw err;
        return { AuditReportId: REPORT_ID, S3Key: S3_KEY };
      }
      if (command instanceof DescribeCertificateAuthorityAuditReportCommand) {
        return { AuditReportStatus: statuses.length > 1 ? statuses.shift() : statuses[0] };
      }
      throw new Error(`unexpected command ${command.constructor.name}`);
    });
  }

  beforeEach(() => {
    lines = [];
    sleeps = [];
  });
  afterEach(() => send?.mockRestore());

  test('Create makes the report, waits until it succeeds and returns its ID and key', async () => {
    stub('ok', ['CREATING', 'CREATING', 'SUCCESS']);
    await expect(run(cfnEvent('Create'))).resolves.toEqual({ PhysicalResourceId: REPORT_ID, Data: { AuditReportId: REPORT_ID, S3Key: S3_KEY } });
    const commands = send.mock.calls.map(([c]) => c);
    expect(commands[0]).toBeInstanceOf(CreateCertificateAuthorityAuditReportCommand);
    expect(commands[0].input).toEqual(PROPS);
    expect(commands.slice(1).map((c) => c.input)).toEqual(Array(3).fill({ CertificateAuthorityArn: CA, AuditReportId: REPORT_ID }));
    expect(sleeps).toEqual([50, 50]);
  });

  test('a report Private CA could not write fails the deployment with the fix', async () => {
    stub('ok', ['CREATING', 'FAILED']);
    await expect(run(cfnEvent('Create'))).rejects.toThrow(/audit report a1b2c3d4-.* FAILED: check that the policy of bucket audit-bucket lets acm-pca.amazonaws.com/);
  });

  test('a report still being made after the last poll is left to finish', async () => {
    stub('ok', ['CREATING']);
    await expect(run(cfnEvent('Create'))).resolves.toMatchObject({ Data: { AuditReportId: REPORT_ID } });
    expect(sleeps).toEqual([50, 50]);
    expect(lines.some((l) => l.includes('"status":"CREATING"'))).toBe(true);
  });

  test('a scheduled run within 30 minutes of another report logs and succeeds', async () => {
    stub(sdkError('RequestInProgressException', 'Your request is already in progress'));
    await expect(run(scheduled)).resolves.toEqual({ PhysicalResourceId: CA, Data: { AuditReportId: '', S3Key: '' } });
    expect(lines.some((l) => l.includes('skipped') && l.includes('RequestInProgressException'))).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
  });

  test('an Update within 30 minutes keeps the previous physical ID, so it and its rollback never fail on the quota', async () => {
    stub(sdkError('LimitExceededException'));
    await expect(run(cfnEvent('Update', 'previous-report'))).resolves.toEqual({ PhysicalResourceId: 'previous-report', Data: { AuditReportId: '', S3Key: '' } });
  });

  test('a Create within 30 minutes fails and says why', async () => {
    stub(sdkError('RequestInProgressException', 'Your request is already in progress'));
    await expect(run(cfnEvent('Create'))).rejects.toThrow(/at most one report every 30 minutes per CA.*Deploy again after 30 minutes/);
  });

  test('other errors fail, on the schedule too; throttling is retried', async () => {
    stub(sdkError('ResourceNotFoundException', 'no such CA'));
    await expect(run(scheduled)).rejects.toThrow('no such CA');
    send.mockRestore();
    stub([sdkError('ThrottlingException')]);
    await expect(run(scheduled)).resolves.toMatchObject({ Data: { S3Key: S3_KEY } });
    // full jitter: half of the first backoff (50 ms) with random() = 0.5
    expect(sleeps).toEqual([25]);
  });

  test('Delete calls nothing and keeps the reports', async () => {
    stub('ok');
    await expect(run(cfnEvent('Delete', REPORT_ID))).resolves.toEqual({ PhysicalResourceId: REPORT_ID, Data: { AuditReportId: '', S3Key: '' } });
    expect(send).not.toHaveBeenCalled();
  });

  test('the Lambda entry point uses its module-scope client and never logs the ResponseURL', async () => {
    const protoSend = jest.spyOn(ACMPCAClient.prototype, 'send').mockImplementation(async (command: any) =>
      (command instanceof CreateCertificateAuthorityAuditReportCommand ? { AuditReportId: REPORT_ID, S3Key: S3_KEY } : { AuditReportStatus: 'SUCCESS' }));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await expect(handler(cfnEvent('Create'))).resolves.toEqual({ PhysicalResourceId: REPORT_ID, Data: { AuditReportId: REPORT_ID, S3Key: S3_KEY } });
      expect(protoSend).toHaveBeenCalledTimes(2);
      const logged = log.mock.calls.flat().join('\n');
      expect(logged).toContain(REPORT_ID);
      expect(logged).not.toContain('SECRET-PRESIGNED-TOKEN');
    } finally {
      protoSend.mockRestore();
      log.mockRestore();
    }
  });
});

/**
 * A fake of the two audit-report APIs (moto answers them with HTTP 500), answering inside the SDK client's middleware
 * stack, below the fault-injection middleware of test/harness/faults.ts: the handler's whole call path runs, faults
 * included. It keeps Private CA's rule of one report per CA every 30 minutes (RequestInProgressException).
 */
function fakePrivateCa(client: ACMPCAClient) {
  const reports: Array<{ id: string; ca: string; key: string }> = [];
  client.middlewareStack.add((_next: any, context: any) => async (args: any) => {
    const input = args.input;
    if (context.commandName === 'CreateCertificateAuthorityAuditReportCommand') {
      if (reports.some((r) => r.ca === input.CertificateAuthorityArn)) {
        throw new RequestInProgressException({ message: 'a report was made less than 30 minutes ago', $metadata: {} });
      }
      const id = `0000000${reports.length}-0000-1111-2222-333344445555`;
      const key = `audit-report/11111111-2222-3333-4444-555555555555/${id}.json`;
      reports.push({ id, ca: input.CertificateAuthorityArn, key });
      return { output: { AuditReportId: id, S3Key: key, $metadata: {} }, response: {} };
    }
    if (context.commandName === 'DescribeCertificateAuthorityAuditReportCommand') {
      if (!reports.some((r) => r.id === input.AuditReportId)) throw new ResourceNotFoundException({ message: 'no such report', $metadata: {} });
      return { output: { AuditReportStatus: 'SUCCESS', $metadata: {} }, response: {} };
    }
    throw new Error(`the fake Private CA does not answer ${context.commandName}`);
  }, { step: 'initialize', priority: 'low', name: 'fakePrivateCa' });
  return reports;
}

/**
 * Issue 13: fault injection. Table: every transient kind (throttling, 503, 500, timeout, network error, lost response
 * after success) on CreateCertificateAuthorityAuditReport and on DescribeCertificateAuthorityAuditReport, for a Create
 * event: 6 kinds x 2 commands = 12 scenarios, plus a give-up. The assertion each time: the deployment succeeds, and
 * Private CA made exactly one report (a retry after a lost response is not a second report, nor a failed Create).
 */
describe('audit-report handler with injected faults (fake Private CA in the SDK middleware stack)', () => {
  function setup() {
    const faults = faultInjector();
    const client = faults.attach(new ACMPCAClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
    const reports = fakePrivateCa(client);
    const lines: string[] = [];
    const run = createAuditReportHandler({ client, pollAttempts: 3, pollIntervalMs: 1, log: (l) => lines.push(l), sleep: async () => undefined });
    return { faults, reports, lines, run };
  }

  test.each(faultScenarios(['CreateCertificateAuthorityAuditReport', 'DescribeCertificateAuthorityAuditReport']))('Create, $name: one report, and the deployment succeeds', async (row) => {
    const { faults, reports, lines, run } = setup();
    faults.add(toFault(row));
    const res = await run(cfnEvent('Create'));
    expect(reports).toHaveLength(1);
    if (row.kind === 'lost-response' && row.command === 'CreateCertificateAuthorityAuditReport') {
      // The report was made, its ID lost with the response: the retry meets the 30-minute rule, which is not a failure.
      expect(res).toEqual({ PhysicalResourceId: CA, Data: { AuditReportId: '', S3Key: '' } });
      expect(lines.join('\n')).toMatch(/skipped: Private CA makes one report every 30 minutes per CA/);
    } else {
      expect(res).toEqual({ PhysicalResourceId: reports[0].id, Data: { AuditReportId: reports[0].id, S3Key: reports[0].key } });
    }
    expect(faults.injected()).toHaveLength(1);
  });

  test('persistent throttling of Create gives up with a named error that says what to do', async () => {
    const { faults, reports, run } = setup();
    faults.add(fault('throttling', 'CreateCertificateAuthorityAuditReport', { times: 10 }));
    await expect(run(cfnEvent('Create'))).rejects.toThrow(
      /^CreateCertificateAuthorityAuditReport for arn:aws:acm-pca:.* still failed with ThrottlingException after 6 attempts with backoff: .*retry the deployment later/);
    expect(reports).toHaveLength(0);
    expect(faults.count('CreateCertificateAuthorityAuditReport')).toBe(6);
  });

  test('persistent trouble while polling leaves the requested report to finish', async () => {
    const { faults, reports, lines, run } = setup();
    faults.add(fault('internal', 'DescribeCertificateAuthorityAuditReport', { times: 10 }));
    await expect(run(cfnEvent('Create'))).resolves.toMatchObject({ PhysicalResourceId: reports[0].id });
    expect(lines.join('\n')).toContain('could not learn the report status');
  });

  test('a second Create without a lost response still fails on the 30-minute rule, with the fix', async () => {
    const { run } = setup();
    await run(cfnEvent('Create'));
    await expect(run(cfnEvent('Create'))).rejects.toThrow(/at most one report every 30 minutes per CA/);
  });

  test('concurrent scheduled runs and an Update make one report; none fails', async () => {
    const { reports, run } = setup();
    const results = await Promise.all([run(scheduled), run(scheduled), run(cfnEvent('Update', 'old-id'))]);
    expect(reports).toHaveLength(1);
    expect(results.filter((r) => r.Data.AuditReportId !== '')).toHaveLength(1);
  });

  test('through aws-cdk-lib\'s real provider framework: SUCCESS with the report ID as physical ID and its data', async () => {
    const { reports, run } = setup();
    const res = await runThroughProvider({ onEvent: run as any, event: cfnEvent('Create') as any });
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: reports[0].id, Data: { AuditReportId: reports[0].id, S3Key: reports[0].key } });
    const failed = await runThroughProvider({ onEvent: run as any, event: cfnEvent('Create') as any });
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toMatch(/at most one report every 30 minutes per CA/);
    expect(Buffer.byteLength(failed.trace.responses[0].body)).toBeLessThan(4096);
  });
});
