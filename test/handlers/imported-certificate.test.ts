import {
  ACMClient,
  DescribeCertificateCommand,
  GetCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
} from '@aws-sdk/client-acm';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { decimalSerial, encryptedPkcs8, Hierarchy, makeHierarchy } from './imported-certificate-fixtures';
import { REIMPORT_EVENT_KEY, VERSION_TAG } from '../../src/handlers/imported-certificate/contract';
import { createImportedCertificateHandler, handler, ImportedCertificateResponse, ReimportCheckResult } from '../../src/handlers/imported-certificate/imported-certificate.lambda';
import { describeEvent, materialFromSecretString, planImport } from '../../src/handlers/imported-certificate/logic';
import { cfnEvent as buildEvent } from '../harness/cfn-event';
import { motoClientConfig, motoEndpoint, resetMoto } from '../harness/moto';
import { KeyPair, verifyChain } from '../harness/openssl';

const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

type RequestType = 'Create' | 'Update' | 'Delete';

/** The stack that owns the certificates of these tests (the handler's CDK_PKI_OWNER). */
const OWNER = 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1';

let requestSeq = 0;

/** A CloudFormation event; each one is a new request (a re-delivery reuses an event object). */
function cfnEvent(requestType: RequestType, props: Record<string, unknown>, physicalId?: string, oldProps?: Record<string, unknown>) {
  return { ...buildEvent(requestType, { resourceType: 'Custom::CdkPkiImportedCertificate', logicalId: 'Cert', props, physicalId, oldProps: oldProps ?? props }), RequestId: `req-${++requestSeq}` };
}

function secretSource(secretArn: string) {
  return { Type: 'SecretsManager', SecretArn: secretArn, CertificateField: 'certificate', PrivateKeyField: 'privateKey', ChainField: 'certificateChain', ChainRequired: 'false' };
}

function secretProps(secretArn: string, extra: Record<string, unknown> = {}) {
  return { Source: secretSource(secretArn), MaterialVersion: '', Tags: [{ Key: 'Name', Value: 'Stack/Cert' }], RemovalPolicy: 'destroy', ...extra };
}

function secretValue(pair: KeyPair, chain?: string): string {
  return JSON.stringify({ certificate: pair.certPem, privateKey: pair.keyPem, ...(chain ? { certificateChain: chain } : {}) });
}

/** Everything the handler wrote to the console or returned, for the no-PEM check at the end. */
const captured: string[] = [];

let h: Hierarchy;
const acm = new ACMClient(motoClientConfig());
const sm = new SecretsManagerClient(motoClientConfig());
const ssm = new SSMClient(motoClientConfig());
const run = createImportedCertificateHandler({ acm, secretsManager: sm, ssm, retry: { baseDelayMs: 1, attempts: 2 }, owner: OWNER, settleMs: 10 });

/** Runs the handler, recording its result and the message of its error. */
async function call(event: unknown): Promise<any> {
  try {
    const result = await run(event);
    captured.push(JSON.stringify(result));
    return result;
  } catch (err) {
    captured.push(String(err));
    throw err;
  }
}

async function newSecret(value: string): Promise<string> {
  return (await sm.send(new CreateSecretCommand({ Name: `cert-${Math.random().toString(36).slice(2)}`, SecretString: value }))).ARN!;
}

async function describe_(arn: string) {
  return (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
}

async function certificateCount(): Promise<number> {
  return (await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1'] } }))).CertificateSummaryList?.length ?? 0;
}

async function tagsOf(arn: string): Promise<Record<string, string>> {
  const tags = (await acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn }))).Tags ?? [];
  return Object.fromEntries(tags.map((t) => [t.Key!, t.Value ?? '']));
}

const consoleSpies: jest.SpyInstance[] = [];

beforeAll(() => {
  h = makeHierarchy();
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    consoleSpies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      captured.push(args.map(String).join(' '));
    }));
  }
});

afterAll(() => {
  for (const spy of consoleSpies) spy.mockRestore();
});

beforeEach(async () => {
  await resetMoto();
});

describe('imported-certificate logic (pure)', () => {
  test('plans: Create imports, Update reimports into the physical ID, Delete follows the removal policy, triggers check', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
    const props = secretProps('arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf');
    expect(planImport(cfnEvent('Create', props))).toMatchObject({ action: 'import' });
    expect(planImport(cfnEvent('Update', props, arn))).toMatchObject({ action: 'update', certificateArn: arn, forceReimport: false, removedTagKeys: [] });
    expect(planImport(cfnEvent('Update', { ...props, MaterialVersion: '2', Tags: [] }, arn, props)))
      .toMatchObject({ forceReimport: true, removedTagKeys: ['Name'] });
    expect(planImport(cfnEvent('Update', props, CREATE_FAILED_MARKER))).toMatchObject({ action: 'import' });
    expect(planImport(cfnEvent('Delete', props, arn))).toEqual({ action: 'delete', certificateArn: arn });
    expect(planImport(cfnEvent('Delete', { ...props, RemovalPolicy: 'retain' }, arn))).toMatchObject({ action: 'none', reason: expect.stringContaining('RETAIN') });
    expect(planImport(cfnEvent('Delete', props, CREATE_FAILED_MARKER))).toMatchObject({ action: 'none' });
    expect(planImport({ [REIMPORT_EVENT_KEY]: { CertificateArn: arn, Source: props.Source, Trigger: 'Schedule' } }))
      .toMatchObject({ action: 'check', certificateArn: arn, trigger: 'Schedule' });
    expect(() => planImport({ [REIMPORT_EVENT_KEY]: { CertificateArn: 'x', Source: props.Source } })).toThrow(/is not an ACM certificate ARN/);
    expect(() => planImport({ RequestType: 'Bogus' })).toThrow(/unknown event: RequestType "Bogus"/);
    expect(() => planImport(cfnEvent('Create', { Source: { Type: 'S3' } }))).toThrow('Source.Type "S3" is neither SecretsManager nor SSM');
    expect(() => planImport(cfnEvent('Create', { Source: { Type: 'SSM', CertificateParameter: 'c' } }))).toThrow('Source.PrivateKeyParameter is missing');
  });

  test('secret values: fields by name, messages without the values', () => {
    const source = secretSource('arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf') as any;
    expect(materialFromSecretString(JSON.stringify({ certificate: 'C', privateKey: 'K' }), source)).toEqual({ certificate: 'C', privateKey: 'K', chain: undefined });
    expect(() => materialFromSecretString('PEM-TEXT', source)).toThrow(/is not a JSON object/);
    expect(() => materialFromSecretString(undefined, source)).toThrow(/has no SecretString/);
    expect(() => materialFromSecretString(JSON.stringify({ cert: 'SECRETPEM' }), source)).toThrow('has no field "certificate"; it has ["cert"]');
    expect(() => materialFromSecretString(JSON.stringify({ certificate: 'C', privateKey: 'K' }), { ...source, ChainRequired: 'true' })).toThrow('has no field "certificateChain"');
    expect(() => materialFromSecretString(JSON.stringify({ certificate: 1, privateKey: 'K' }), source)).toThrow('field "certificate" is a number, not a PEM string');
  });

  test('what is logged about an event leaves out the ResponseURL and the properties', () => {
    const logged = JSON.stringify(describeEvent(cfnEvent('Create', secretProps('arn:aws:secretsmanager:us-east-1:123456789012:secret:s'))));
    expect(logged).not.toContain('SECRET-PRESIGNED-TOKEN');
    expect(logged).not.toContain('secretsmanager');
  });
});

describe('imported-certificate handler against moto', () => {
  test('Create imports the material with tags; ACM serves it and the chain verifies with openssl -x509_strict', async () => {
    const secretArn = await newSecret(secretValue(h.leaf, h.chain));
    const res = await call(cfnEvent('Create', secretProps(secretArn))) as ImportedCertificateResponse;
    const arn = res.PhysicalResourceId;
    expect(arn).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\//);
    expect(res.Data).toEqual({ CertificateArn: arn, ImportedVersionId: expect.any(String), KeyAlgorithm: 'RSA_2048' });
    expect(res.Data.ImportedVersionId).not.toBe('');

    const described = await describe_(arn);
    expect(described).toMatchObject({ Type: 'IMPORTED', KeyAlgorithm: 'RSA_2048', Serial: decimalSerial(h.leaf.certPem), DomainName: 'www.example.com' });
    expect(await tagsOf(arn)).toEqual({
      'Name': 'Stack/Cert',
      [VERSION_TAG]: res.Data.ImportedVersionId,
      'cdk-pki:owner': OWNER,
      'cdk-pki:create-request': expect.stringMatching(/^[0-9a-f]{40}$/),
    });

    const served = await acm.send(new GetCertificateCommand({ CertificateArn: arn }));
    const verified = verifyChain({ leafPem: served.Certificate!, intermediatesPem: served.CertificateChain, rootPem: h.root.certPem, purpose: 'sslserver', hostname: 'www.example.com' });
    expect(verified).toEqual({ ok: true, output: expect.stringContaining('OK') });
  });

  test('Update with new material reimports in place: same ARN, new serial, new version', async () => {
    const secretArn = await newSecret(secretValue(h.leaf, h.chain));
    const created = await call(cfnEvent('Create', secretProps(secretArn))) as ImportedCertificateResponse;
    const arn = created.PhysicalResourceId;
    const { VersionId } = await sm.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: secretValue(h.leaf2, h.chain) }));

    const updated = await call(cfnEvent('Update', secretProps(secretArn, { MaterialVersion: '2' }), arn, secretProps(secretArn))) as ImportedCertificateResponse;
    expect(updated).toEqual({ PhysicalResourceId: arn, Data: { CertificateArn: arn, ImportedVersionId: VersionId, KeyAlgorithm: 'RSA_2048' } });
    expect((await describe_(arn)).Serial).toBe(decimalSerial(h.leaf2.certPem));
    const served = await acm.send(new GetCertificateCommand({ CertificateArn: arn }));
    expect(verifyChain({ leafPem: served.Certificate!, intermediatesPem: served.CertificateChain, rootPem: h.root.certPem }).ok).toBe(true);
    expect(await tagsOf(arn)).toMatchObject({ [VERSION_TAG]: VersionId, Name: 'Stack/Cert' });
    expect(await certificateCount()).toBe(1);
  });

  test('an Update that changes only tags does not reimport, and removes dropped tags', async () => {
    const secretArn = await newSecret(secretValue(h.leaf, h.chain));
    const arn = (await call(cfnEvent('Create', secretProps(secretArn, { Tags: [{ Key: 'Name', Value: 'n' }, { Key: 'team', Value: 'a' }] })))).PhysicalResourceId;
    const importedAt = (await describe_(arn)).ImportedAt;
    const oldProps = secretProps(secretArn, { Tags: [{ Key: 'Name', Value: 'n' }, { Key: 'team', Value: 'a' }] });
    const res = await call(cfnEvent('Update', secretProps(secretArn, { Tags: [{ Key: 'Name', Value: 'm' }] }), arn, oldProps));
    expect(res.Data.KeyAlgorithm).toBe('RSA_2048');
    expect((await describe_(arn)).ImportedAt).toEqual(importedAt);
    const tags = await tagsOf(arn);
    expect(tags).toMatchObject({ Name: 'm' });
    expect(tags.team).toBeUndefined();
  });

  test('bad material fails with the problem and changes nothing in ACM (Create and Update)', async () => {
    const badKey = await newSecret(secretValue({ certPem: h.leaf.certPem, keyPem: encryptedPkcs8(h.leaf.keyPem) }, h.chain));
    await expect(call(cfnEvent('Create', secretProps(badKey)))).rejects.toThrow(
      `the certificate material in secret ${badKey} cannot be imported into ACM: the private key is encrypted (passphrase-protected)`);
    const mismatch = await newSecret(secretValue({ certPem: h.leaf.certPem, keyPem: h.leaf2.keyPem }, h.chain));
    await expect(call(cfnEvent('Create', secretProps(mismatch)))).rejects.toThrow(/the private key does not match the certificate/);
    const disorder = await newSecret(secretValue(h.leaf, h.root.certPem + h.intermediate.certPem));
    await expect(call(cfnEvent('Create', secretProps(disorder)))).rejects.toThrow(/the chain is out of order/);
    const withLeaf = await newSecret(secretValue(h.leaf, h.leaf.certPem + h.chain));
    await expect(call(cfnEvent('Create', secretProps(withLeaf)))).rejects.toThrow(/the chain contains the end-entity certificate/);
    const der = await newSecret(JSON.stringify({ certificate: Buffer.from(h.leaf.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64'), privateKey: h.leaf.keyPem }));
    await expect(call(cfnEvent('Create', secretProps(der)))).rejects.toThrow(/the certificate is DER \(binary\)/);
    expect(await certificateCount()).toBe(0);

    const good = await newSecret(secretValue(h.leaf, h.chain));
    const arn = (await call(cfnEvent('Create', secretProps(good)))).PhysicalResourceId;
    const swapped = secretValue({ certPem: h.leaf2.certPem, keyPem: h.leaf.keyPem }, h.chain);
    await sm.send(new PutSecretValueCommand({ SecretId: good, SecretString: swapped }));
    await expect(call(cfnEvent('Update', secretProps(good, { MaterialVersion: 'x' }), arn, secretProps(good)))).rejects.toThrow(/does not match/);
    expect((await describe_(arn)).Serial).toBe(decimalSerial(h.leaf.certPem));
  });

  test('an expired or not-yet-valid certificate is refused before ACM is called', async () => {
    const secretArn = await newSecret(secretValue(h.leaf, h.chain));
    const log = (l: string) => captured.push(l);
    const inYear = () => new Date(Date.now() + 400 * 86400_000);
    const future = createImportedCertificateHandler({ acm, secretsManager: sm, ssm, now: inYear, log, owner: OWNER });
    await expect(future(cfnEvent('Create', secretProps(secretArn)))).rejects.toThrow(/the certificate "CN=www.example.com" expired at/);
    const past = createImportedCertificateHandler({ acm, secretsManager: sm, ssm, now: () => new Date(Date.now() - 86400_000), log, owner: OWNER });
    await expect(past(cfnEvent('Create', secretProps(secretArn)))).rejects.toThrow(/is not valid yet/);
    expect(await certificateCount()).toBe(0);
  });

  test('a reimport may not change the key type', async () => {
    const secretArn = await newSecret(secretValue(h.leaf, h.chain));
    const arn = (await call(cfnEvent('Create', secretProps(secretArn)))).PhysicalResourceId;
    await sm.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: secretValue(h.ecLeaf, h.chain) }));
    await expect(call(cfnEvent('Update', secretProps(secretArn, { MaterialVersion: '2' }), arn, secretProps(secretArn)))).rejects.toThrow(
      `cannot be reimported into ${arn}: the new material has a EC_prime256v1 key but the certificate in ACM has RSA_2048`);
    expect((await describe_(arn)).KeyAlgorithm).toBe('RSA_2048');
  });

  test('the schedule/change trigger reimports only when the secret version changed', async () => {
    const secretArn = await newSecret(secretValue(h.leaf, h.chain));
    const created = await call(cfnEvent('Create', secretProps(secretArn))) as ImportedCertificateResponse;
    const arn = created.PhysicalResourceId;
    const trigger = { [REIMPORT_EVENT_KEY]: { CertificateArn: arn, Source: secretSource(secretArn), Trigger: 'Schedule' } };

    const unchanged: ReimportCheckResult = { certificateArn: arn, reimported: false, importedVersionId: created.Data.ImportedVersionId };
    expect(await call(trigger)).toEqual(unchanged);
    const { VersionId } = await sm.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: secretValue(h.leaf2, h.chain) }));
    expect(await call(trigger)).toEqual({ certificateArn: arn, reimported: true, importedVersionId: VersionId });
    const described = await describe_(arn);
    expect(described.Serial).toBe(decimalSerial(h.leaf2.certPem));
    expect(described.CertificateArn).toBe(arn);
    expect(await call(trigger)).toMatchObject({ reimported: false });

    // A trigger for a certificate deleted meanwhile does nothing.
    await call(cfnEvent('Delete', secretProps(secretArn), arn));
    expect(await call(trigger)).toEqual({ certificateArn: arn, reimported: false });
  });

  test('SSM parameters: import, then a new parameter version is reimported by the trigger', async () => {
    for (const [Name, Value] of [['/certs/web/cert', h.leaf.certPem], ['/certs/web/key', h.leaf.keyPem], ['/certs/web/chain', h.chain]]) {
      await ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString' }));
    }
    const source = { Type: 'SSM', CertificateParameter: '/certs/web/cert', PrivateKeyParameter: '/certs/web/key', ChainParameter: '/certs/web/chain' };
    const created = await call(cfnEvent('Create', { Source: source, Tags: [], RemovalPolicy: 'destroy' })) as ImportedCertificateResponse;
    expect(created.Data.ImportedVersionId).toBe('ssm-1.1.1');
    const arn = created.PhysicalResourceId;
    await ssm.send(new PutParameterCommand({ Name: '/certs/web/cert', Value: h.leaf2.certPem, Type: 'SecureString', Overwrite: true }));
    await ssm.send(new PutParameterCommand({ Name: '/certs/web/key', Value: h.leaf2.keyPem, Type: 'SecureString', Overwrite: true }));
    expect(await call({ [REIMPORT_EVENT_KEY]: { CertificateArn: arn, Source: source, Trigger: 'Change' } }))
      .toEqual({ certificateArn: arn, reimported: true, importedVersionId: 'ssm-2.2.1' });
    expect((await describe_(arn)).Serial).toBe(decimalSerial(h.leaf2.certPem));

    await expect(call(cfnEvent('Create', { Source: { ...source, ChainParameter: '/certs/missing' }, Tags: [], RemovalPolicy: 'destroy' })))
      .rejects.toThrow('SSM parameters not found: /certs/missing');
  });

  test('Delete deletes, succeeds twice, succeeds after a failed Create, and keeps the certificate under RETAIN', async () => {
    const secretArn = await newSecret(secretValue(h.leaf, h.chain));
    const arn = (await call(cfnEvent('Create', secretProps(secretArn)))).PhysicalResourceId;
    await expect(call(cfnEvent('Delete', secretProps(secretArn), arn))).resolves.toMatchObject({ PhysicalResourceId: arn });
    expect(await certificateCount()).toBe(0);
    await expect(call(cfnEvent('Delete', secretProps(secretArn), arn))).resolves.toMatchObject({ PhysicalResourceId: arn });
    await expect(call(cfnEvent('Delete', secretProps(secretArn), CREATE_FAILED_MARKER))).resolves.toMatchObject({ PhysicalResourceId: CREATE_FAILED_MARKER });

    const kept = (await call(cfnEvent('Create', secretProps(secretArn, { RemovalPolicy: 'retain' })))).PhysicalResourceId;
    await call(cfnEvent('Delete', secretProps(secretArn, { RemovalPolicy: 'retain' }), kept));
    expect(await certificateCount()).toBe(1);
  });

  test('an Update of a certificate deleted outside CloudFormation imports a new one', async () => {
    const secretArn = await newSecret(secretValue(h.leaf, h.chain));
    const arn = (await call(cfnEvent('Create', secretProps(secretArn)))).PhysicalResourceId;
    await call(cfnEvent('Delete', secretProps(secretArn), arn));
    const res = await call(cfnEvent('Update', secretProps(secretArn, { MaterialVersion: '2' }), arn, secretProps(secretArn)));
    expect(res.PhysicalResourceId).not.toBe(arn);
    expect(await certificateCount()).toBe(1);
  });

  test('a certificate still in use cannot be deleted: the message names the fix', async () => {
    // moto cannot attach a certificate to a load balancer through the API: only DeleteCertificate's answer is stubbed.
    const secretArn = await newSecret(secretValue(h.leaf, h.chain));
    const arn = (await call(cfnEvent('Create', secretProps(secretArn)))).PhysicalResourceId;
    const inUse = Object.assign(new Error('Certificate is in use'), { name: 'ResourceInUseException' });
    const send = jest.spyOn(acm, 'send').mockRejectedValueOnce(inUse as never);
    try {
      await expect(call(cfnEvent('Delete', secretProps(secretArn), arn))).rejects.toThrow(
        `cannot delete ${arn}: it is still in use. Detach it from those resources (load balancers, CloudFront, API Gateway) first, ` +
        'or set removalPolicy: RemovalPolicy.RETAIN to keep it in ACM.');
    } finally {
      send.mockRestore();
    }
    expect(await certificateCount()).toBe(1);
  });

  test('the Lambda entry point takes its endpoint from AWS_ENDPOINT_URL and logs to the console', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: motoEndpoint(),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      CDK_PKI_OWNER: OWNER,
    });
    const before = captured.length;
    try {
      const secretArn = await newSecret(secretValue(h.leaf, h.chain));
      const res = await handler(cfnEvent('Create', secretProps(secretArn))) as ImportedCertificateResponse;
      captured.push(JSON.stringify(res));
      expect((await describe_(res.PhysicalResourceId)).Serial).toBe(decimalSerial(h.leaf.certPem));
      await handler(cfnEvent('Delete', secretProps(secretArn), res.PhysicalResourceId));
      expect(await certificateCount()).toBe(0);
      expect(captured.length).toBeGreaterThan(before + 2);
    } finally {
      process.env = saved;
    }
  });

  test('nothing the handler logged, threw or returned in this file holds PEM, the ResponseURL or key material', () => {
    expect(captured.length).toBeGreaterThan(20);
    const all = captured.join('\n');
    expect(all).not.toContain('-----BEGIN');
    expect(all).not.toContain('-----END');
    expect(all).not.toContain('SECRET-PRESIGNED-TOKEN');
    for (const pem of [h.leaf.keyPem, h.leaf2.keyPem, h.leaf.certPem]) {
      const body = pem.split('\n')[1];
      expect(all).not.toContain(body);
    }
  });
});
