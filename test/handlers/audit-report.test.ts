import {
  ACMPCAClient,
  ACMPCAServiceException,
  CreateCertificateAuthorityAuditReportCommand,
  DescribeCertificateAuthorityAuditReportCommand,
  RequestInProgressException,
  ResourceNotFoundException,
} from '@aws-sdk/client-acm-pca';
import { createAuditReportHandler, handler } from '../../src/handlers/audit-report/audit-report.lambda';
import { onTooSoon, planAuditReport, readRequest, SCHEDULED_EVENT_KEY } from '../../src/handlers/audit-report/logic';
import { backoffDelay, errorName, withRetries } from '../../src/handlers/shared/retry';
import { cfnEvent as buildEvent } from '../harness/cfn-event';

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
    client, pollAttempts: 3, pollIntervalMs: 50, log: (l) => lines.push(l), sleep: async (ms) => { sleeps.push(ms); },
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
    expect(sleeps).toEqual([50]);
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
