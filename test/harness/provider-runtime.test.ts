import {
  ACMPCAClient,
  GetPolicyCommand,
} from '@aws-sdk/client-acm-pca';
import { cfnEvent } from './cfn-event';
import { motoClientConfig, resetMoto } from './moto';
import { createRootCa } from './pca-moto';
import { RESPONSE_URL_SECRET, runThroughProvider } from './provider-runtime';
import { createCaPolicyHandler } from '../../src/handlers/ca-policy/ca-policy.lambda';
import { markPolicy, ownerMark } from '../../src/handlers/ca-policy/logic';
import { renderCaPolicy } from '../../src/validation/ca-policy';
import { certProps, createZone, dnsEvent, harness } from '../handlers/dns-validated-certificate-fixtures';

/*
 * test/harness/provider-runtime.ts: trivial handlers through aws-cdk-lib's provider-framework
 * runtime (sync and async), then real handlers of the library against moto (ca-policy, and the
 * asynchronous DnsValidatedCertificate handlers).
 */

const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
const event = (type: 'Create' | 'Update' | 'Delete', props: Record<string, unknown> = {}, physicalId?: string) =>
  cfnEvent(type, { resourceType: 'Custom::Test', logicalId: 'Thing', props, physicalId });

describe('synchronous provider (onEvent only)', () => {
  test('the response carries the handler\'s physical ID and Data; the handler got the ResponseURL, the framework log not', async () => {
    const seen: any[] = [];
    const res = await runThroughProvider({
      onEvent: async (e) => {
        seen.push(e);
        return { PhysicalResourceId: 'thing-1', Data: { Answer: 42, When: new Date(0) } };
      },
      event: event('Create', { Size: '3' }),
    });
    expect(res).toMatchObject({
      Status: 'SUCCESS',
      Reason: 'SUCCESS',
      PhysicalResourceId: 'thing-1',
      RequestId: 'req-1',
      LogicalResourceId: 'Thing',
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
      // Lambda returns JSON: the Date arrives as a string.
      Data: { Answer: 42, When: '1970-01-01T00:00:00.000Z' },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ RequestType: 'Create', ResourceProperties: { Size: '3' } });
    expect(seen[0].ResponseURL).toBe(res.trace.responseUrl);
    expect(res.trace.responseUrl).toContain(RESPONSE_URL_SECRET);
    expect(res.trace.responses).toHaveLength(1);
    // The PUT CloudFormation's pre-signed S3 URL accepts: empty content type, the URL's path and query.
    expect(res.trace.responses[0].headers['content-type']).toBe('');
    expect(res.trace.responses[0].path).toContain(`X-Amz-Signature=${RESPONSE_URL_SECRET}`);
    expect(res.trace.frameworkLogs.join('\n')).toContain('[provider-framework] onEventHandler');
    expect(res.trace.frameworkLogs.join('\n')).not.toContain(RESPONSE_URL_SECRET);
  });

  test('no physical ID: the framework uses the RequestId on Create; undefined results are fine', async () => {
    const res = await runThroughProvider({ onEvent: async () => undefined, event: event('Create') });
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'req-1' });
    expect(res.trace.invocations).toEqual([expect.objectContaining({ function: 'onEvent', result: null })]);
  });

  test('a failed Create is FAILED with the error and the marker; the Delete that follows never reaches the handler', async () => {
    const failed = await runThroughProvider({
      onEvent: async () => { throw new Error('CA arn:aws:acm-pca:x is not ACTIVE'); },
      event: event('Create'),
    });
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toContain('CA arn:aws:acm-pca:x is not ACTIVE');
    expect(failed.Reason).toContain('Logs: /aws/lambda/cdk-pki-test-user-onEvent');
    expect(failed.PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(failed.trace.invocations[0].error).toEqual({ errorType: 'Error', errorMessage: 'CA arn:aws:acm-pca:x is not ACTIVE' });

    const onEvent = jest.fn(async () => ({}));
    const deleted = await runThroughProvider({ onEvent, event: event('Delete', {}, CREATE_FAILED_MARKER) });
    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(onEvent).not.toHaveBeenCalled();
  });

  test('a Delete answering another physical ID fails; a Lambda timeout fails with Lambda\'s message', async () => {
    const moved = await runThroughProvider({ onEvent: async () => ({ PhysicalResourceId: 'other' }), event: event('Delete', {}, 'thing-1') });
    expect(moved).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'thing-1' });
    expect(moved.Reason).toContain('DELETE: cannot change the physical resource ID from "thing-1" to "other" during deletion');

    let remaining = -1;
    const slow = await runThroughProvider({
      onEvent: async (_e, context) => {
        remaining = context.getRemainingTimeInMillis();
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { PhysicalResourceId: 'late' };
      },
      event: event('Update', {}, 'thing-1'),
      functionTimeoutMs: 100,
    });
    expect(remaining).toBeGreaterThan(50);
    expect(remaining).toBeLessThanOrEqual(100);
    expect(slow).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'thing-1' });
    expect(slow.Reason).toMatch(/Task timed out after 0\.10 seconds/);
  });
});

describe('asynchronous provider (onEvent + isComplete through the waiter)', () => {
  test('isComplete is polled until complete; its Data is merged into the response', async () => {
    let polls = 0;
    const res = await runThroughProvider({
      onEvent: async () => ({ PhysicalResourceId: 'job-1', Data: { Started: 'yes' } }),
      isComplete: async (e) => {
        polls++;
        expect(e).toMatchObject({ PhysicalResourceId: 'job-1', Data: { Started: 'yes' } });
        return polls < 3 ? { IsComplete: false } : { IsComplete: true, Data: { Done: 'yes' } };
      },
      event: event('Create'),
    });
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'job-1', Data: { Started: 'yes', Done: 'yes' } });
    expect(res.trace.invocations.map((i) => i.function)).toEqual(['onEvent', 'isComplete', 'isComplete', 'isComplete']);
    expect(res.trace.timedOut).toBe(false);
  });

  test('never complete: after the waiter\'s attempts onTimeout answers "Operation timed out"', async () => {
    const res = await runThroughProvider({
      onEvent: async () => ({ PhysicalResourceId: 'job-2' }),
      isComplete: async () => ({ IsComplete: false }),
      event: event('Create'),
      maxAttempts: 2,
      queryIntervalMs: 5,
      backoffRate: 2,
    });
    expect(res).toMatchObject({ Status: 'FAILED', Reason: 'Operation timed out', PhysicalResourceId: 'job-2' });
    expect(res.trace.invocations.filter((i) => i.function === 'isComplete')).toHaveLength(3);
    expect(res.trace.timedOut).toBe(true);
  });

  test('isComplete throwing fails at once with its message; Data with IsComplete false is refused', async () => {
    const thrown = await runThroughProvider({
      onEvent: async () => ({ PhysicalResourceId: 'job-3' }),
      isComplete: async () => { throw new Error('validation failed for app.example.com'); },
      event: event('Create'),
    });
    expect(thrown).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'job-3' });
    expect(thrown.Reason).toContain('validation failed for app.example.com');
    expect(thrown.trace.invocations).toHaveLength(2);

    const bad = await runThroughProvider({
      onEvent: async () => ({ PhysicalResourceId: 'job-4' }),
      isComplete: async () => ({ IsComplete: false, Data: { X: '1' } }),
      event: event('Create'),
    });
    expect(bad.Status).toBe('FAILED');
    expect(bad.Reason).toContain('"Data" is not allowed if "IsComplete" is "False"');
  });

  test('runs are independent: concurrent runs with different handlers', async () => {
    const runs = await Promise.all([1, 2, 3].map((n) => runThroughProvider({
      onEvent: async () => ({ PhysicalResourceId: `p-${n}` }),
      ...(n === 2 ? { isComplete: async () => ({ IsComplete: true }) } : {}),
      event: { ...event('Create'), RequestId: `req-${n}` },
    })));
    expect(runs.map((r) => [r.RequestId, r.PhysicalResourceId, r.Status])).toEqual([
      ['req-1', 'p-1', 'SUCCESS'], ['req-2', 'p-2', 'SUCCESS'], ['req-3', 'p-3', 'SUCCESS'],
    ]);
    expect(runs.map((r) => r.trace.invocations.length)).toEqual([1, 2, 1]);
  });
});

describe('real handlers against moto', () => {
  beforeEach(resetMoto);

  test('ca-policy: Create puts the policy, Delete removes it, both through the framework', async () => {
    const pca = new ACMPCAClient(motoClientConfig('us-east-1'));
    const ca = await createRootCa(pca, 'Framework CA');

    const lines: string[] = [];
    const onEvent = createCaPolicyHandler({ client: pca, log: (l) => lines.push(l), retry: { baseDelayMs: 1, attempts: 2 } });
    const policy = JSON.stringify(renderCaPolicy({
      certificateAuthorityArn: ca,
      accounts: ['210987654321'],
      organizationalUnitPaths: [],
      templateArns: ['arn:aws:acm-pca:::template/EndEntityCertificate/V1'],
    }));
    const props = { CertificateAuthorityArn: ca, Policy: policy };
    const ev = (type: 'Create' | 'Delete', physicalId?: string) =>
      cfnEvent(type, { resourceType: 'Custom::CdkPkiCaPolicy', logicalId: 'Policy', props, physicalId });

    const created = await runThroughProvider({ onEvent, event: ev('Create') });
    expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: ca });
    // The policy as put, its statements marked with the resource as owner.
    expect(JSON.parse((await pca.send(new GetPolicyCommand({ ResourceArn: ca }))).Policy!)).toEqual(JSON.parse(markPolicy(policy, ownerMark(ev('Create')))));

    const deleted = await runThroughProvider({ onEvent, event: ev('Delete', ca) });
    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: ca });
    await expect(pca.send(new GetPolicyCommand({ ResourceArn: ca }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(lines.join('\n')).not.toContain(RESPONSE_URL_SECRET);
  });

  test('DnsValidatedCertificate: the waiter polls isComplete until moto issues the certificate', async () => {
    const zone = await createZone('example.com');
    const hh = harness();
    const res = await runThroughProvider({
      onEvent: hh.onEvent,
      isComplete: hh.isComplete,
      event: dnsEvent('Create', certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] })),
      queryIntervalMs: 1000,
      maxAttempts: 40,
    });
    expect(res.Status).toBe('SUCCESS');
    expect(res.PhysicalResourceId).toMatch(/^arn:aws:acm:eu-west-1:123456789012:certificate\//);
    expect(res.Data).toEqual({ CertificateArn: res.PhysicalResourceId });
    expect(res.trace.invocations.filter((i) => i.function === 'isComplete').length).toBeGreaterThanOrEqual(2);
    expect(hh.logs.join('\n')).not.toContain(RESPONSE_URL_SECRET);
  });

  test('DnsValidatedCertificate: past ValidationTimeoutSeconds the response is FAILED with the handler\'s message', async () => {
    const zone = await createZone('example.com');
    const hh = harness({ now: () => new Date(Date.now() + 125_000) });
    const res = await runThroughProvider({
      onEvent: hh.onEvent,
      isComplete: hh.isComplete,
      event: dnsEvent('Create', certProps({ timeoutSeconds: 120, validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] })),
    });
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain(`certificate ${res.PhysicalResourceId} was not validated within 120 seconds`);
    expect(res.PhysicalResourceId).toMatch(/^arn:aws:acm:eu-west-1:/);
  });
});
