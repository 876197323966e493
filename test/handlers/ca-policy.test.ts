import {
  ACMPCAClient,
  CreateCertificateAuthorityCommand,
  DeletePolicyCommand,
  GetPolicyCommand,
  PutPolicyCommand,
} from '@aws-sdk/client-acm-pca';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createCaPolicyHandler, handler } from '../../src/handlers/ca-policy/ca-policy.lambda';
import { describeEvent, markPolicy, ownerMark, planCaPolicy, policyOwners, readProperties } from '../../src/handlers/ca-policy/logic';
import { limitReason, MAX_REASON_BYTES } from '../../src/handlers/shared/reason';
import { isCertificateAuthorityArn } from '../../src/validation/arn-patterns';
import { renderCaPolicy } from '../../src/validation/ca-policy';
import { isLibraryPolicy } from '../../src/validation/policy-text';
import { cfnEvent } from '../harness/cfn-event';
import { fault, faultInjector, faultScenarios, toFault } from '../harness/faults';
import { motoClientConfig, motoEndpoint, resetMoto } from '../harness/moto';
import { createRootCa } from '../harness/pca-moto';
import { runThroughProvider } from '../harness/provider-runtime';

const CA_A = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555';
const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

function policyFor(caArn: string, accounts = ['210987654321']): string {
  return JSON.stringify(renderCaPolicy({
    certificateAuthorityArn: caArn,
    accounts,
    organizationalUnitPaths: [],
    templateArns: ['arn:aws:acm-pca:::template/EndEntityCertificate/V1'],
  }));
}

function event(requestType: 'Create' | 'Update' | 'Delete', props: Record<string, unknown>, physicalId?: string): CloudFormationCustomResourceEvent {
  return cfnEvent(requestType, { resourceType: 'Custom::CdkPkiCaPolicy', logicalId: 'Policy', props, physicalId });
}

/** The resource policy on a CA in moto, or undefined when it has none. */
async function policyOn(pca: ACMPCAClient, arn: string): Promise<string | undefined> {
  try {
    return (await pca.send(new GetPolicyCommand({ ResourceArn: arn }))).Policy;
  } catch (err: any) {
    if (err.name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

describe('ca-policy logic (pure)', () => {
  test('Create and Update put the policy on the CA of the properties, each CdkPki statement marked with the resource as owner', () => {
    const policy = policyFor(CA_A);
    const owner = ownerMark(event('Create', {}));
    const marked = markPolicy(policy, owner);
    expect(planCaPolicy(event('Create', { CertificateAuthorityArn: CA_A, Policy: policy })))
      .toEqual({ action: 'put', certificateAuthorityArn: CA_A, policy: marked });
    const other = CA_A.replace('11111111', '99999999');
    expect(planCaPolicy(event('Update', { CertificateAuthorityArn: other, Policy: policy }, CA_A)))
      .toEqual({ action: 'put', certificateAuthorityArn: other, policy: marked });
    // Only the Sids change.
    const statements = JSON.parse(marked).Statement;
    expect(statements.every((st: any) => st.Sid.startsWith('CdkPki') && st.Sid.endsWith(owner))).toBe(true);
    const withoutSid = (st: any) => ({ ...st, Sid: undefined });
    expect(statements.map(withoutSid)).toEqual(JSON.parse(policy).Statement.map(withoutSid));
    expect(policyOwners(marked)).toEqual(new Set([owner]));
    expect(markPolicy(marked, owner)).toBe(marked);
  });

  test('owner marks: one per stack and logical ID, alphanumeric; an unmarked (older) or foreign policy has none', () => {
    const a = ownerMark({ StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1', LogicalResourceId: 'PolicyA' });
    const b = ownerMark({ StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1', LogicalResourceId: 'PolicyB' });
    expect(a).toMatch(/^Owner[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(policyOwners(policyFor(CA_A))).toEqual(new Set());
    expect(policyOwners(JSON.stringify({ Statement: [{ Sid: 'RamShare' }] }))).toEqual(new Set());
    expect(policyOwners('not json')).toEqual(new Set());
    expect(markPolicy('not json', a)).toBe('not json');
  });

  test('Delete removes the policy of the CA named by the physical ID, or nothing after a failed Create', () => {
    expect(planCaPolicy(event('Delete', { CertificateAuthorityArn: 'ignored' }, CA_A)))
      .toEqual({ action: 'delete', certificateAuthorityArn: CA_A, owner: ownerMark(event('Delete', {})) });
    expect(planCaPolicy(event('Delete', {}, CREATE_FAILED_MARKER))).toMatchObject({ action: 'none', reason: expect.stringContaining(CREATE_FAILED_MARKER) });
  });

  test('bad properties and request types are refused with the reason', () => {
    expect(() => readProperties({ CertificateAuthorityArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x', Policy: '{}' }))
      .toThrow(/CertificateAuthorityArn "arn:aws:acm:.*" is not a Private CA ARN/);
    expect(() => readProperties({ CertificateAuthorityArn: CA_A })).toThrow('Policy is missing');
    expect(() => readProperties({ CertificateAuthorityArn: CA_A, Policy: 'x'.repeat(20481) })).toThrow(/20481 characters long, over PutPolicy's limit of 20480/);
    expect(() => planCaPolicy({ ...event('Create', {}), RequestType: 'Bogus' } as any)).toThrow('unknown RequestType "Bogus"');
  });

  test('recognises Private CA ARNs only', () => {
    expect(isCertificateAuthorityArn(CA_A)).toBe(true);
    expect(isCertificateAuthorityArn('arn:aws-cn:acm-pca:cn-north-1:123456789012:certificate-authority/abc')).toBe(true);
    expect(isCertificateAuthorityArn(CREATE_FAILED_MARKER)).toBe(false);
    expect(isCertificateAuthorityArn(`${CA_A}/certificate/123`)).toBe(false);
    expect(isCertificateAuthorityArn(undefined)).toBe(false);
  });

  test('what is logged about an event leaves out the ResponseURL and the policy', () => {
    const logged = JSON.stringify(describeEvent(event('Create', { CertificateAuthorityArn: CA_A, Policy: policyFor(CA_A) })));
    expect(logged).toContain(CA_A);
    expect(logged).not.toContain('SECRET');
    expect(logged).not.toContain('210987654321');
  });

  test('only policies with a CdkPki statement count as ours', () => {
    expect(isLibraryPolicy(policyFor(CA_A))).toBe(true);
    expect(isLibraryPolicy(JSON.stringify({ Statement: { Sid: 'CdkPkiAccountsRead' } }))).toBe(true);
    expect(isLibraryPolicy(JSON.stringify({ Statement: [{ Sid: 'RamShare' }, { Effect: 'Allow' }] }))).toBe(false);
    expect(isLibraryPolicy('not json')).toBe(false);
    expect(isLibraryPolicy(undefined)).toBe(false);
  });
});

describe('ca-policy handler against moto', () => {
  const pca = new ACMPCAClient(motoClientConfig('us-east-1'));
  const lines: string[] = [];
  const run = createCaPolicyHandler({ client: pca, log: (l) => lines.push(l), retry: { baseDelayMs: 1, attempts: 2 } });

  /** Creates a root CA in moto and, unless told otherwise, activates it (PutPolicy needs an ACTIVE CA). */
  const newCa = (cn: string, activate = true) => createRootCa(pca, cn, { activate });

  const policyOf = (arn: string) => policyOn(pca, arn);

  beforeEach(async () => {
    lines.length = 0;
    await resetMoto();
  });

  test('Create puts the policy and returns the CA ARN as physical ID; Update replaces it', async () => {
    const ca = await newCa('Policy CA');
    const created = await run(event('Create', { CertificateAuthorityArn: ca, Policy: policyFor(ca) }));
    expect(created).toEqual({ PhysicalResourceId: ca });
    expect(JSON.parse((await policyOf(ca))!)).toEqual(JSON.parse(markPolicy(policyFor(ca), ownerMark(event('Create', {})))));

    const updated = await run(event('Update', { CertificateAuthorityArn: ca, Policy: policyFor(ca, ['333333333333']) }, ca));
    expect(updated).toEqual({ PhysicalResourceId: ca });
    expect(await policyOf(ca)).toContain('333333333333');
  });

  test('an Update to another CA puts the policy there; the Delete of the old physical ID cleans the old CA', async () => {
    const oldCa = await newCa('Old CA');
    const newCaArn = await newCa('New CA');
    await run(event('Create', { CertificateAuthorityArn: oldCa, Policy: policyFor(oldCa) }));
    const updated = await run(event('Update', { CertificateAuthorityArn: newCaArn, Policy: policyFor(newCaArn) }, oldCa));
    expect(updated.PhysicalResourceId).toBe(newCaArn);
    expect(await policyOf(newCaArn)).toBeDefined();
    expect(await policyOf(oldCa)).toBeDefined();

    await run(event('Delete', { CertificateAuthorityArn: oldCa, Policy: policyFor(oldCa) }, oldCa));
    expect(await policyOf(oldCa)).toBeUndefined();
    expect(await policyOf(newCaArn)).toBeDefined();
  });

  test('Delete removes the policy and succeeds again when it is already gone', async () => {
    const ca = await newCa('Delete CA');
    await run(event('Create', { CertificateAuthorityArn: ca, Policy: policyFor(ca) }));
    await expect(run(event('Delete', { CertificateAuthorityArn: ca }, ca))).resolves.toEqual({ PhysicalResourceId: ca });
    expect(await policyOf(ca)).toBeUndefined();
    await expect(run(event('Delete', { CertificateAuthorityArn: ca }, ca))).resolves.toEqual({ PhysicalResourceId: ca });
    expect(lines.some((l) => l.includes('already gone'))).toBe(true);
  });

  test('a Create on a CA that does not exist fails, and the Delete that follows succeeds', async () => {
    const missing = CA_A;
    await expect(run(event('Create', { CertificateAuthorityArn: missing, Policy: policyFor(missing) }))).rejects.toThrow();
    // The Provider framework reports the failed Create with its marker as physical ID...
    await expect(run(event('Delete', { CertificateAuthorityArn: missing }, CREATE_FAILED_MARKER)))
      .resolves.toEqual({ PhysicalResourceId: CREATE_FAILED_MARKER });
    // ...and a Delete naming a CA that does not exist succeeds too.
    await expect(run(event('Delete', { CertificateAuthorityArn: missing }, missing))).resolves.toEqual({ PhysicalResourceId: missing });
  });

  test('a Create on a CA that is not active yet fails with the service error (hence the dependency on the whole CA)', async () => {
    const pending = await newCa('Pending CA', false);
    await expect(run(event('Create', { CertificateAuthorityArn: pending, Policy: policyFor(pending) }))).rejects.toThrow(expect.objectContaining({ name: 'InvalidStateException' }));
    await expect(run(event('Delete', { CertificateAuthorityArn: pending }, pending))).resolves.toEqual({ PhysicalResourceId: pending });
  });

  test('renaming the construct: the old resource\'s Delete (cleanup phase) leaves the policy the new one put (update phase)', async () => {
    const ca = await newCa('Renamed CA');
    const renamed = (type: 'Create' | 'Delete', logicalId: string) =>
      cfnEvent(type, { resourceType: 'Custom::CdkPkiCaPolicy', logicalId, props: { CertificateAuthorityArn: ca, Policy: policyFor(ca) }, physicalId: type === 'Delete' ? ca : undefined });
    await run(renamed('Create', 'OldPathPolicy'));
    await run(renamed('Create', 'NewPathPolicy'));
    await run(renamed('Delete', 'OldPathPolicy'));
    const left = await policyOf(ca);
    expect(left).toBeDefined();
    expect(policyOwners(left)).toEqual(new Set([ownerMark(renamed('Create', 'NewPathPolicy'))]));
    expect(lines.some((l) => l.includes('belongs to another resource now'))).toBe(true);
    // The new resource's own Delete still removes it.
    await run(renamed('Delete', 'NewPathPolicy'));
    expect(await policyOf(ca)).toBeUndefined();
  });

  test('a policy put before owner marks existed is still removed by its resource\'s Delete', async () => {
    const ca = await newCa('Unmarked CA');
    await pca.send(new PutPolicyCommand({ ResourceArn: ca, Policy: policyFor(ca) }));
    await run(event('Delete', { CertificateAuthorityArn: ca }, ca));
    expect(await policyOf(ca)).toBeUndefined();
  });

  test('Delete leaves a policy that is not ours (for example one RAM manages) in place', async () => {
    const ca = await newCa('Shared CA');
    const foreign = JSON.stringify({ ...JSON.parse(policyFor(ca)), Statement: [{ ...JSON.parse(policyFor(ca)).Statement[0], Sid: 'RamShare' }] });
    await pca.send(new PutPolicyCommand({ ResourceArn: ca, Policy: foreign }));
    await run(event('Delete', { CertificateAuthorityArn: ca }, ca));
    expect(await policyOf(ca)).toBe(foreign);
    expect(lines.some((l) => l.includes('not ours'))).toBe(true);
  });

  test('a Delete the handler\'s IAM no longer allows (policy moved to another CA) fails and says how to clean up', async () => {
    // moto does not enforce IAM: only the SDK client's answer is stubbed, for GetPolicy.
    const ca = await newCa('Moved-from CA');
    const denied = Object.assign(new Error('User is not authorized to perform: acm-pca:GetPolicy'), { name: 'AccessDeniedException' });
    const send = jest.spyOn(pca, 'send').mockRejectedValueOnce(denied as never);
    try {
      await expect(run(event('Delete', { CertificateAuthorityArn: ca }, ca))).rejects.toThrow(
        `not allowed to remove the resource policy of ${ca} (AccessDeniedException: User is not authorized to perform: acm-pca:GetPolicy): ` +
        'the handler may only touch the CAs that the stack\'s CertificateAuthorityPolicy constructs name now. If the policy was moved to ' +
        `another CA, remove the old one by hand: aws acm-pca delete-policy --resource-arn ${ca}`);
    } finally {
      send.mockRestore();
    }
  });

  test('never logs the ResponseURL or the policy', async () => {
    const ca = await newCa('Log CA');
    await run(event('Create', { CertificateAuthorityArn: ca, Policy: policyFor(ca) }));
    await run(event('Delete', { CertificateAuthorityArn: ca }, ca));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).not.toContain('SECRET-PRESIGNED-TOKEN');
      expect(line).not.toContain('210987654321');
    }
  });

  test('the Lambda entry point takes its endpoint from AWS_ENDPOINT_URL', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: motoEndpoint(), AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing',
    });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const ca = await newCa('Entry point CA');
      await expect(handler(event('Create', { CertificateAuthorityArn: ca, Policy: policyFor(ca) }))).resolves.toEqual({ PhysicalResourceId: ca });
      expect(await policyOf(ca)).toBeDefined();
      await handler(event('Delete', { CertificateAuthorityArn: ca }, ca));
      expect(await policyOf(ca)).toBeUndefined();
      expect(log.mock.calls.flat().join('\n')).not.toContain('SECRET-PRESIGNED-TOKEN');
    } finally {
      log.mockRestore();
      process.env = saved;
    }
  });
});

/**
 * Issue 13: fault injection against moto (test/harness/faults.ts, at the handler layer: one send() is one call, the
 * handler's own retries are what is tested). Table of scenarios: every transient kind (throttling, 503, 500, timeout,
 * network error, lost response after success) on each command of Create (PutPolicy) and Delete (GetPolicy,
 * DeletePolicy): 6 kinds x 3 commands = 18 scenarios, plus a give-up and a non-transient error.
 * The assertion each time: the CA ends with exactly our policy (Create) or none (Delete), and the handler answers once.
 */
describe('ca-policy handler against moto with injected faults', () => {
  const faults = faultInjector();
  const pca = new ACMPCAClient(motoClientConfig('us-east-1'));
  const faulty = faults.attach(new ACMPCAClient(motoClientConfig('us-east-1')));
  const lines: string[] = [];
  const run = createCaPolicyHandler({ client: faulty, log: (l) => lines.push(l), retry: { baseDelayMs: 1, attempts: 4 } });

  /*
   * One ACTIVE CA for these tests (moto makes an RSA key for each CA, its slowest call): the handler
   * only reads, puts and deletes the CA's policy, so before each test the policy is removed and the
   * CA is as new for them.
   */
  let sharedCa: Promise<string> | undefined;
  const activeCa = (_cn: string) => {
    sharedCa ??= resetMoto().then(() => createRootCa(pca, 'Faulty'));
    return sharedCa;
  };

  const policyOf = (arn: string) => policyOn(pca, arn);

  beforeEach(async () => {
    lines.length = 0;
    faults.faults.length = 0;
    faults.calls.length = 0;
    if (sharedCa !== undefined) {
      const ca = await sharedCa;
      if (await policyOf(ca) !== undefined) await pca.send(new DeletePolicyCommand({ ResourceArn: ca }));
      expect(await policyOf(ca)).toBeUndefined();
    }
  });

  test.each(faultScenarios(['PutPolicy']))('Create, $name: the policy is on the CA once the handler answers', async (row) => {
    const ca = await activeCa('Faulty create');
    faults.add(toFault(row));
    await expect(run(event('Create', { CertificateAuthorityArn: ca, Policy: policyFor(ca) }))).resolves.toEqual({ PhysicalResourceId: ca });
    expect(JSON.parse((await policyOf(ca))!)).toEqual(JSON.parse(markPolicy(policyFor(ca), ownerMark(event('Create', {})))));
    expect(faults.count('PutPolicy')).toBe(2);
    expect(lines.some((l) => l.includes('"retrying"'))).toBe(true);
  });

  test.each(faultScenarios(['GetPolicy', 'DeletePolicy']))('Delete, $name: the policy is gone once the handler answers', async (row) => {
    const ca = await activeCa('Faulty delete');
    await pca.send(new PutPolicyCommand({ ResourceArn: ca, Policy: policyFor(ca) }));
    faults.add(toFault(row));
    await expect(run(event('Delete', { CertificateAuthorityArn: ca }, ca))).resolves.toEqual({ PhysicalResourceId: ca });
    expect(await policyOf(ca)).toBeUndefined();
  });

  test('gives up on persistent throttling with a named error that says what to do', async () => {
    const ca = await activeCa('Throttled');
    faults.add(fault('throttling', 'PutPolicy', { times: 10 }));
    await expect(run(event('Create', { CertificateAuthorityArn: ca, Policy: policyFor(ca) })))
      .rejects.toThrow(/^PutPolicy on arn:aws:acm-pca:.* still failed with ThrottlingException after 4 attempts with backoff: .*retry the deployment later/);
    expect(faults.count('PutPolicy')).toBe(4);
    expect(await policyOf(ca)).toBeUndefined();
  });

  test('stops before the Lambda deadline with a named error instead of "Task timed out"', async () => {
    const ca = await activeCa('Deadline');
    faults.add(fault('unavailable', 'PutPolicy', { times: 10 }));
    const err = await run(event('Create', { CertificateAuthorityArn: ca, Policy: policyFor(ca) }), { getRemainingTimeInMillis: () => 5_000 })
      .catch((e) => e);
    expect(err.name).toBe('RetryDeadlineError');
    expect(err.message).toMatch(/still failed with ServiceUnavailable after 1 attempt, and the handler has 5 s left/);
  });

  test('an error that is not transient fails at once', async () => {
    const ca = await activeCa('Invalid');
    faults.add(fault('error', 'PutPolicy', { error: 'InvalidPolicyException' }));
    await expect(run(event('Create', { CertificateAuthorityArn: ca, Policy: policyFor(ca) }))).rejects.toMatchObject({ name: 'InvalidPolicyException' });
    expect(faults.count('PutPolicy')).toBe(1);
  });

  test('duplicate and concurrent events (Create twice at once, then Delete twice at once) end in the right state', async () => {
    const ca = await activeCa('Concurrent');
    const create = event('Create', { CertificateAuthorityArn: ca, Policy: policyFor(ca) });
    await expect(Promise.all([run(create), run(create)])).resolves.toEqual([{ PhysicalResourceId: ca }, { PhysicalResourceId: ca }]);
    expect(JSON.parse((await policyOf(ca))!)).toEqual(JSON.parse(markPolicy(policyFor(ca), ownerMark(event('Create', {})))));
    const del = event('Delete', { CertificateAuthorityArn: ca }, ca);
    await expect(Promise.all([run(del), run(del)])).resolves.toEqual([{ PhysicalResourceId: ca }, { PhysicalResourceId: ca }]);
    expect(await policyOf(ca)).toBeUndefined();
  });
});

describe('ca-policy handler through aws-cdk-lib\'s real provider framework (against moto)', () => {
  const pca = new ACMPCAClient(motoClientConfig('us-east-1'));

  beforeEach(async () => {
    await resetMoto();
  });

  test('a Create on a CA that is not active answers FAILED with a short reason; the Delete that follows answers SUCCESS with the CA ARN', async () => {
    const lines: string[] = [];
    const onEvent = createCaPolicyHandler({ client: pca, log: (l) => lines.push(l), retry: { baseDelayMs: 1, attempts: 2 } });
    const arn = (await pca.send(new CreateCertificateAuthorityCommand({
      CertificateAuthorityType: 'ROOT',
      CertificateAuthorityConfiguration: { KeyAlgorithm: 'RSA_2048', SigningAlgorithm: 'SHA256WITHRSA', Subject: { CommonName: 'Framework' } },
    }))).CertificateAuthorityArn!;
    // A CA that is not ACTIVE: moto refuses PutPolicy, and the framework reports FAILED with the reason
    const failed = await runThroughProvider({ onEvent: onEvent as any, event: event('Create', { CertificateAuthorityArn: arn, Policy: policyFor(arn) }) });
    expect(failed.Status).toBe('FAILED');
    expect(Buffer.byteLength(failed.Reason)).toBeLessThan(4096);
    const deleted = await runThroughProvider({ onEvent: onEvent as any, event: event('Delete', { CertificateAuthorityArn: arn }, arn) });
    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn });
    for (const line of [...lines, ...deleted.trace.frameworkLogs]) expect(line).not.toContain('SECRET-PRESIGNED-TOKEN');
  });

  test('an over-long failure reaches CloudFormation under 4,096 bytes, and the whole message is in the log', async () => {
    const lines: string[] = [];
    const long = 'x'.repeat(10_000);
    // A service error with an over-long message (the SDK call itself is stubbed: this is about the reason's size)
    const client = new ACMPCAClient(motoClientConfig('us-east-1'));
    (jest.spyOn(client, 'send') as jest.SpyInstance).mockRejectedValue(Object.assign(new Error(`bad request: ${long}`), { name: 'ValidationException' }));
    const onEvent = createCaPolicyHandler({ client, log: (l) => lines.push(l) });
    const res = await runThroughProvider({ onEvent: onEvent as any, event: event('Create', { CertificateAuthorityArn: CA_A, Policy: policyFor(CA_A) }) });
    expect(res.Status).toBe('FAILED');
    // the body CloudFormation gets at the ResponseURL
    expect(Buffer.byteLength(res.trace.responses[0].body)).toBeLessThan(4096);
    expect(res.Reason).toMatch(/\.\.\.and \d+ more characters \(see the handler's log\)/);
    expect(lines.join('\n')).toContain(long);
  });
});

describe('limitReason (pure)', () => {
  test('keeps short messages and cuts long ones, multi-byte characters included, under the byte limit', () => {
    expect(limitReason('short')).toBe('short');
    for (const text of ['a'.repeat(5000), 'é'.repeat(3000), '🔐'.repeat(2000)]) {
      const cut = limitReason(text);
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(MAX_REASON_BYTES);
      expect(cut).toMatch(/ \.\.\.and \d+ more characters \(see the handler's log\)$/);
    }
  });
});
