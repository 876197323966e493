import {
  ACMPCAClient,
  CreateCertificateAuthorityCommand,
  GetCertificateAuthorityCsrCommand,
  GetCertificateCommand,
  GetPolicyCommand,
  ImportCertificateAuthorityCertificateCommand,
  IssueCertificateCommand,
  PutPolicyCommand,
} from '@aws-sdk/client-acm-pca';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createCaPolicyHandler, handler } from '../../src/handlers/ca-policy/ca-policy.lambda';
import { describeEvent, isCertificateAuthorityArn, planCaPolicy, readProperties } from '../../src/handlers/ca-policy/logic';
import { renderCaPolicy } from '../../src/validation/ca-policy';
import { isLibraryPolicy } from '../../src/validation/policy-text';
import { cfnEvent } from '../harness/cfn-event';
import { motoClientConfig, motoEndpoint, resetMoto } from '../harness/moto';

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

describe('ca-policy logic (pure)', () => {
  test('Create and Update put the policy on the CA of the properties', () => {
    const policy = policyFor(CA_A);
    expect(planCaPolicy(event('Create', { CertificateAuthorityArn: CA_A, Policy: policy })))
      .toEqual({ action: 'put', certificateAuthorityArn: CA_A, policy });
    const other = CA_A.replace('11111111', '99999999');
    expect(planCaPolicy(event('Update', { CertificateAuthorityArn: other, Policy: policy }, CA_A)))
      .toEqual({ action: 'put', certificateAuthorityArn: other, policy });
  });

  test('Delete removes the policy of the CA named by the physical ID, or nothing after a failed Create', () => {
    expect(planCaPolicy(event('Delete', { CertificateAuthorityArn: 'ignored' }, CA_A))).toEqual({ action: 'delete', certificateAuthorityArn: CA_A });
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
  async function newCa(cn: string, activate = true): Promise<string> {
    const arn = (await pca.send(new CreateCertificateAuthorityCommand({
      CertificateAuthorityType: 'ROOT',
      CertificateAuthorityConfiguration: { KeyAlgorithm: 'RSA_2048', SigningAlgorithm: 'SHA256WITHRSA', Subject: { CommonName: cn } },
    }))).CertificateAuthorityArn!;
    if (activate) {
      const { Csr } = await pca.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: arn }));
      const { CertificateArn } = await pca.send(new IssueCertificateCommand({
        CertificateAuthorityArn: arn,
        Csr: Buffer.from(Csr!),
        SigningAlgorithm: 'SHA256WITHRSA',
        TemplateArn: 'arn:aws:acm-pca:::template/RootCACertificate/V1',
        Validity: { Type: 'DAYS', Value: 365 },
      }));
      const { Certificate } = await pca.send(new GetCertificateCommand({ CertificateAuthorityArn: arn, CertificateArn }));
      await pca.send(new ImportCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: arn, Certificate: Buffer.from(Certificate!) }));
    }
    return arn;
  }

  async function policyOf(arn: string): Promise<string | undefined> {
    try {
      return (await pca.send(new GetPolicyCommand({ ResourceArn: arn }))).Policy;
    } catch (err: any) {
      if (err.name === 'ResourceNotFoundException') return undefined;
      throw err;
    }
  }

  beforeEach(async () => {
    lines.length = 0;
    await resetMoto();
  });

  test('Create puts the policy and returns the CA ARN as physical ID; Update replaces it', async () => {
    const ca = await newCa('Policy CA');
    const created = await run(event('Create', { CertificateAuthorityArn: ca, Policy: policyFor(ca) }));
    expect(created).toEqual({ PhysicalResourceId: ca });
    expect(JSON.parse((await policyOf(ca))!)).toEqual(JSON.parse(policyFor(ca)));

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
