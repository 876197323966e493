import { ACMClient, ListCertificatesCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { ACMPCAClient, ListCertificateAuthoritiesCommand } from '@aws-sdk/client-acm-pca';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  fault,
  Fault,
  faultInjector,
  faultScenarios,
  injectedError,
  instrument,
  isInjectedFault,
  SentCall,
  toFault,
  TRANSIENT_FAULT_KINDS,
} from './faults';
import { motoClientConfig, resetMoto } from './moto';

/*
 * test/harness/faults.ts against moto_server: where the faults sit relative to the SDK's own
 * retries (clients with maxAttempts 2), the errors of each kind, lost responses that took effect.
 */

beforeEach(resetMoto);

async function certificateCount(): Promise<number> {
  const res = await new ACMClient(motoClientConfig()).send(new ListCertificatesCommand({}));
  return (res.CertificateSummaryList ?? []).length;
}

const request = (name = 'app.example.com') => new RequestCertificateCommand({ DomainName: name, ValidationMethod: 'DNS' });

describe('handler layer (above the SDK retries)', () => {
  test('fails the nth call only, records every call, and the SDK does not retry the fault', async () => {
    const handlerView = faultInjector([fault('throttling', 'ListCertificates', { nth: 2 })]);
    const httpView = faultInjector();
    // The same client seen at both layers: each send() above, each HTTP attempt below the retries.
    const acm = httpView.attach(handlerView.attach(new ACMClient(motoClientConfig())), 'sdk');
    await acm.send(new ListCertificatesCommand({}));
    const err = await acm.send(new ListCertificatesCommand({ MaxItems: 5 })).then(() => undefined, (e) => e);
    await acm.send(new ListCertificatesCommand({}));
    expect(err).toMatchObject({
      name: 'ThrottlingException',
      $fault: 'client',
      $retryable: { throttling: true },
      $metadata: { httpStatusCode: 400 },
    });
    expect(isInjectedFault(err)).toBe(true);
    expect(handlerView.calls.map((c) => [c.command, c.injected])).toEqual([
      ['ListCertificatesCommand', undefined],
      ['ListCertificatesCommand', 'throttling'],
      ['ListCertificatesCommand', undefined],
    ]);
    expect(handlerView.calls[1]).toMatchObject({ input: { MaxItems: 5 }, client: 'ACMClient' });
    // Two HTTP attempts in all: the faulted call never reached the SDK's retry strategy or moto.
    expect(httpView.count('ListCertificatesCommand')).toBe(2);
    expect(handlerView.injected()).toHaveLength(1);
  });

  test('times: the next N calls from nth fail, then calls pass again', async () => {
    const f = faultInjector([fault('unavailable', 'ListCertificatesCommand', { times: 2 })]);
    const acm = f.attach(new ACMClient(motoClientConfig()));
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push(await acm.send(new ListCertificatesCommand({})).then(() => 'ok', (e) => `${e.name} ${e.$metadata.httpStatusCode}`));
    }
    expect(outcomes).toEqual(['ServiceUnavailable 503', 'ServiceUnavailable 503', 'ok']);
    expect(f.faults[0].times).toBe(0);
  });

  test('a lost response: the request took effect at moto, the caller still gets a network error', async () => {
    const f = faultInjector([fault('lost-response', 'RequestCertificate')]);
    const acm = f.attach(new ACMClient(motoClientConfig()));
    await expect(acm.send(request())).rejects.toMatchObject({ name: 'Error', code: 'ECONNRESET', message: expect.stringContaining('socket hang up') });
    expect(await certificateCount()).toBe(1);
    expect(f.calls).toEqual([expect.objectContaining({ command: 'RequestCertificateCommand', injected: 'lost-response' })]);
  });

  test.each(faultScenarios(['ListCertificates'], TRANSIENT_FAULT_KINDS, { nth: 2 }))('scenario table: $name', async (s) => {
    const f = faultInjector([toFault(s)]);
    const acm = f.attach(new ACMClient(motoClientConfig()));
    await expect(acm.send(new ListCertificatesCommand({}))).resolves.toBeDefined();
    const err = await acm.send(new ListCertificatesCommand({})).then(() => undefined, (e) => e);
    expect(isInjectedFault(err)).toBe(true);
    expect(err).toBeInstanceOf(Error);
    expect(f.injected().map((c) => c.injected)).toEqual([s.kind]);
    await expect(acm.send(new ListCertificatesCommand({}))).resolves.toBeDefined();
  });

  test('respond answers without reaching moto; patch changes moto\'s answer; faults added later apply', async () => {
    const faults: Fault[] = [];
    const calls: SentCall[] = [];
    const acm = instrument(new ACMClient(motoClientConfig()), calls, faults);
    faults.push({ command: 'RequestCertificateCommand', times: 1, respond: () => ({ CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/answered' }) });
    expect((await acm.send(request())).CertificateArn).toBe('arn:aws:acm:us-east-1:123456789012:certificate/answered');
    expect(await certificateCount()).toBe(0);
    faults.push({ command: 'ListCertificatesCommand', times: 1, patch: (out) => ({ ...out, NextToken: 'patched' }) });
    expect((await acm.send(new ListCertificatesCommand({}))).NextToken).toBe('patched');
    expect((await acm.send(new ListCertificatesCommand({}))).NextToken).toBeUndefined();
    expect(calls.map((c) => c.command)).toEqual(['RequestCertificateCommand', 'ListCertificatesCommand', 'ListCertificatesCommand']);
  });

  test('a named service error (the fixture form { error }) and the first due fault in list order', async () => {
    const faults: Fault[] = [
      { command: 'ListCertificatesCommand', times: 1, nth: 2, error: 'AccessDeniedException' },
      { command: 'ListCertificates', times: 5, kind: 'internal' },
    ];
    const acm = instrument(new ACMClient(motoClientConfig()), [], faults);
    await expect(acm.send(new ListCertificatesCommand({}))).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    await expect(acm.send(new ListCertificatesCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException', $fault: 'client' });
    await expect(acm.send(new ListCertificatesCommand({}))).rejects.toMatchObject({ name: 'InternalFailure' });
    expect(faults.map((f) => f.times)).toEqual([0, 3]);
    expect(() => fault('error', 'ListCertificates')).toThrow('needs an error name');
  });

  test('clients of older SDK releases are recorded by command name too (ACM PCA, STS)', async () => {
    const f = faultInjector([fault('timeout', 'GetCallerIdentity'), fault('throttling', 'GetCallerIdentity', { nth: 2, error: 'Throttling' })]);
    const pca = f.attach(new ACMPCAClient(motoClientConfig()));
    const sts = f.attach(new STSClient(motoClientConfig()));
    await pca.send(new ListCertificateAuthoritiesCommand({}));
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'Throttling', $retryable: { throttling: true } });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
    expect(f.calls.map((c) => `${c.client}.${c.command}`)).toEqual([
      'ACMPCAClient.ListCertificateAuthoritiesCommand',
      'STSClient.GetCallerIdentityCommand',
      'STSClient.GetCallerIdentityCommand',
      'STSClient.GetCallerIdentityCommand',
    ]);
  });
});

describe('sdk layer (below the SDK retries: one call per HTTP attempt)', () => {
  test.each(['throttling', 'unavailable', 'internal', 'timeout', 'network'] as const)('the SDK classifies %s as retryable and retries it once (maxAttempts 2)', async (kind) => {
    const f = faultInjector([fault(kind, 'ListCertificates')]);
    const acm = f.attach(new ACMClient(motoClientConfig()), 'sdk');
    const res = await acm.send(new ListCertificatesCommand({}));
    expect(res.$metadata.attempts).toBe(2);
    // The SDK's backoff wait is taken out (withoutSdkBackoff): the test does not sleep.
    expect(res.$metadata.totalRetryDelay).toBe(0);
    expect(f.calls.map((c) => c.injected)).toEqual([kind, undefined]);
  });

  test('clients of older SDK releases (ACM PCA) retry at the sdk layer without a backoff wait too', async () => {
    const f = faultInjector([fault('throttling', 'ListCertificateAuthorities')]);
    const pca = f.attach(new ACMPCAClient(motoClientConfig()), 'sdk');
    const res = await pca.send(new ListCertificateAuthoritiesCommand({}));
    expect(res.$metadata).toMatchObject({ attempts: 2, totalRetryDelay: 0 });
    expect(f.calls.map((c) => c.injected)).toEqual(['throttling', undefined]);
  });

  test('a fault on every attempt reaches the caller after maxAttempts; a client error is not retried', async () => {
    const f = faultInjector([fault('unavailable', 'ListCertificates', { times: 5 }), fault('error', 'RequestCertificate', { error: 'ValidationException' })]);
    const acm = f.attach(new ACMClient(motoClientConfig()), 'sdk');
    await expect(acm.send(new ListCertificatesCommand({}))).rejects.toMatchObject({ name: 'ServiceUnavailable', $metadata: { attempts: 2 } });
    await expect(acm.send(request())).rejects.toMatchObject({ name: 'ValidationException' });
    expect(f.count('ListCertificates')).toBe(2);
    expect(f.count('RequestCertificateCommand')).toBe(1);
  });

  test('respond and patch work below the retries too (outputs keep their $metadata)', async () => {
    const f = faultInjector([
      { command: 'ListCertificates', times: 1, respond: () => ({ CertificateSummaryList: [{ CertificateArn: 'answered' }] }) },
      { command: 'ListCertificates', times: 1, nth: 2, patch: (out) => ({ ...out, NextToken: 'patched' }) },
    ]);
    const acm = f.attach(new ACMClient(motoClientConfig()), 'sdk');
    const answered = await acm.send(new ListCertificatesCommand({}));
    expect(answered.CertificateSummaryList).toEqual([{ CertificateArn: 'answered' }]);
    expect(answered.$metadata.attempts).toBe(1);
    expect((await acm.send(new ListCertificatesCommand({}))).NextToken).toBe('patched');
  });

  test('a lost response retried by the SDK repeats the request: without an idempotency token, two certificates', async () => {
    const f = faultInjector([fault('lost-response', 'RequestCertificate')]);
    const acm = f.attach(new ACMClient(motoClientConfig()), 'sdk');
    const res = await acm.send(request());
    expect(res.CertificateArn).toMatch(/^arn:aws:acm:/);
    expect(f.count('RequestCertificate')).toBe(2);
    expect(await certificateCount()).toBe(2);
  });
});

test('injectedError shapes match the SDK error classification fields', () => {
  expect(injectedError('throttling', 'X', 'Throttling')).toMatchObject({ name: 'Throttling', $retryable: { throttling: true } });
  expect(injectedError('internal', 'X')).toMatchObject({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } });
  expect(injectedError('network', 'X')).toMatchObject({ name: 'Error', code: 'ECONNRESET' });
  expect(injectedError('network', 'X')).not.toHaveProperty('$metadata');
  expect(() => injectedError('error', 'X')).toThrow('needs an error name');
  expect(faultScenarios(['ImportCertificateCommand', 'DescribeCertificate'], ['throttling', 'lost-response'], { times: 2 }).map((s) => s.name)).toEqual([
    'throttling on ImportCertificate #1 x2',
    'lost-response on ImportCertificate #1 x2',
    'throttling on DescribeCertificate #1 x2',
    'lost-response on DescribeCertificate #1 x2',
  ]);
});
