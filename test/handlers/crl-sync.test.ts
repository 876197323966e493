import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { crlConvert, crlText, elbClient, FakeElb, FakeRolesAnywhere, Gate, makeCrl, rolesAnywhereClient } from './crl-sync-fixtures';
import {
  CRL_SYNC_RESOURCE_TYPE, CRL_SYNC_TAG_KEY, CrlSyncRequest, pemCrlKey, rolesAnywhereCrlName, SYNC_EVENT_KEY,
} from '../../src/handlers/crl-sync/contract';
import { createCrlSyncHandler } from '../../src/handlers/crl-sync/crl-sync.lambda';
import {
  derToPem, isDerCrl, mergeState, parseState, physicalIdOf, pickCrl, planSync, readRequest, sameCrl, staleRevocations, stateKey,
} from '../../src/handlers/crl-sync/logic';
import { cfnEvent } from '../harness/cfn-event';
import { fault, faultInjector } from '../harness/faults';
import { motoClientConfig, resetMoto } from '../harness/moto';
import { KeyPair, makeSelfSignedCa } from '../harness/openssl';
import { runThroughProvider } from '../harness/provider-runtime';

/*
 * The CRL sync against moto's S3, with typed fakes for IAM Roles Anywhere and ELB trust stores
 * (moto has neither; see crl-sync-fixtures.ts). The CRLs are real, made by openssl, and every PEM
 * the handler produces is read back by openssl.
 */

const CA_ID = '11111111-2222-3333-4444-555555555555';
const CA = `arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/${CA_ID}`;
const ANCHOR = 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/aaaaaaaa-0000-4000-8000-000000000001';
const STORE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:truststore/ts/0123456789abcdef';
const BUCKET = 'crl-bucket';
const RA_REQUEST: CrlSyncRequest = { CertificateAuthorityArn: CA, BucketName: BUCKET, TrustAnchorArn: ANCHOR };
const ELB_REQUEST: CrlSyncRequest = { CertificateAuthorityArn: CA, BucketName: BUCKET, TrustStoreArn: STORE };
const NAME = rolesAnywhereCrlName(CA_ID);

let ca: KeyPair;
let crl1: Buffer;
let crl2: Buffer;
beforeAll(() => {
  ca = makeSelfSignedCa({ commonName: 'CRL Sync Test CA', keyType: 'ec' });
  crl1 = makeCrl(ca, 2);
  crl2 = makeCrl(ca, 3);
});

describe('crl-sync logic (pure)', () => {
  test('DER→PEM is what openssl writes, and openssl reads it back to the same DER', () => {
    const pem = derToPem(crl1);
    expect(pem).toBe(crlConvert(crl1, 'DER', 'PEM').toString('utf8'));
    expect(pem.split('\n').slice(1, -2).every((line) => line.length <= 64)).toBe(true);
    expect(crlConvert(pem, 'PEM', 'DER').equals(crl1)).toBe(true);
    expect(crlText(pem, 'PEM')).toContain('Issuer: CN = CRL Sync Test CA');
  });

  test('only a whole DER CRL passes the sanity check', () => {
    expect(isDerCrl(crl1)).toBe(true);
    expect(isDerCrl(Buffer.from(derToPem(crl1)))).toBe(false);
    expect(isDerCrl(crl1.subarray(0, crl1.length - 1))).toBe(false);
    expect(isDerCrl(Buffer.concat([crl1, Buffer.from([0])]))).toBe(false);
    expect(isDerCrl(Buffer.alloc(0))).toBe(false);
    expect(isDerCrl(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]))).toBe(false);
  });

  test('requests are checked: a Private CA ARN, a bucket, exactly one target', () => {
    expect(readRequest(RA_REQUEST)).toEqual(RA_REQUEST);
    expect(() => readRequest({ ...RA_REQUEST, CertificateAuthorityArn: 'arn:aws:s3:::x' })).toThrow('is not a Private CA ARN');
    expect(() => readRequest({ ...RA_REQUEST, TrustStoreArn: STORE })).toThrow('exactly one of TrustAnchorArn and TrustStoreArn');
    expect(() => readRequest({ CertificateAuthorityArn: CA, TrustAnchorArn: ANCHOR })).toThrow('needs CertificateAuthorityArn and BucketName');
  });

  test('rule inputs sync; Create and Update sync; Delete removes only what a sync made', () => {
    const event = (t: 'Create' | 'Update' | 'Delete', physicalId?: string) =>
      cfnEvent(t, { resourceType: CRL_SYNC_RESOURCE_TYPE, logicalId: 'Sync', props: { ...RA_REQUEST }, physicalId });
    const id = physicalIdOf(RA_REQUEST);
    expect(planSync({ [SYNC_EVENT_KEY]: RA_REQUEST })).toEqual({ action: 'sync', trigger: 'event', request: RA_REQUEST });
    expect(planSync(event('Create'))).toMatchObject({ action: 'sync', trigger: 'deploy', physicalResourceId: id });
    expect(planSync(event('Delete', id))).toMatchObject({ action: 'remove', physicalResourceId: id });
    expect(planSync(event('Delete', 'placeholder-of-a-failed-create'))).toMatchObject({ action: 'none' });
    expect(() => planSync({ source: 'aws.acm-pca' })).toThrow('neither a CloudFormation event nor');
  });

  test('of several CRLs of one anchor, every run keeps the same one', () => {
    const crls = [
      { crlId: 'b', name: NAME, trustAnchorArn: ANCHOR, createdAt: new Date(2) },
      { crlId: 'a', name: NAME, trustAnchorArn: ANCHOR, createdAt: new Date(2) },
      { crlId: 'c', name: NAME, trustAnchorArn: 'other', createdAt: new Date(1) },
      { crlId: 'd', name: 'someone-elses', trustAnchorArn: ANCHOR, createdAt: new Date(1) },
    ];
    expect(pickCrl(crls, ANCHOR, NAME).keep?.crlId).toBe('a');
    expect(pickCrl([...crls].reverse(), ANCHOR, NAME).extra.map((c) => c.crlId)).toEqual(['b']);
    expect(sameCrl(Buffer.from(derToPem(crl1)), derToPem(crl1), crl1)).toBe(true);
    expect(sameCrl(crl1, derToPem(crl1), crl1)).toBe(true);
    expect(sameCrl(undefined, derToPem(crl1), crl1)).toBe(false);
  });

  test('the trust store state merges runs and never loses a revocation it added', () => {
    const merged = mergeState({ sha256: 'x', current: 5, revocationIds: [4, 5] }, 'y', 7, [6]);
    expect(merged).toEqual({ sha256: 'y', current: 7, revocationIds: [4, 5, 6, 7] });
    expect(staleRevocations(merged)).toEqual([4, 5, 6]);
    expect(parseState('not json')).toEqual({ revocationIds: [] });
  });

  test('what the sync stores in AWS keeps its name across versions (a later Delete must find it)', () => {
    expect(stateKey(CA_ID, STORE)).toBe(`pem/${CA_ID}.crl.dfff3f7abdddfc4b.json`);
    expect(pemCrlKey(CA_ID)).toBe(`pem/${CA_ID}.crl.pem`);
    expect(NAME).toBe(`cdk-pki-${CA_ID}`);
    expect(CRL_SYNC_TAG_KEY).toBe('cdk-pki:crl-sync');
    expect(physicalIdOf(RA_REQUEST)).toBe(`crl-sync:${ANCHOR}:${CA_ID}`);
  });
});

describe('crl-sync handler (moto S3, fake Roles Anywhere and ELB)', () => {
  let s3: S3Client;
  let ra: FakeRolesAnywhere;
  let elb: FakeElb;
  let logs: string[];
  let faults: ReturnType<typeof faultInjector>;

  beforeEach(async () => {
    await resetMoto();
    s3 = new S3Client({ ...motoClientConfig(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    ra = new FakeRolesAnywhere();
    elb = new FakeElb(s3);
    logs = [];
    faults = faultInjector();
  });

  function handler() {
    return createCrlSyncHandler({
      s3: faults.attach(new S3Client({ ...motoClientConfig(), forcePathStyle: true, maxAttempts: 1 })),
      rolesAnywhere: faults.attach(rolesAnywhereClient(ra)),
      elb: faults.attach(elbClient(elb)),
      retry: { sleep: async () => undefined, baseDelayMs: 1 },
      log: (line) => logs.push(line),
    });
  }
  const writeCrl = (der: Buffer) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `crl/${CA_ID}.crl`, Body: der }));
  const event = (request: CrlSyncRequest) => ({ [SYNC_EVENT_KEY]: request });
  const ours = () => [...ra.crls.values()].filter((c) => c.name === NAME && c.trustAnchorArn === ANCHOR);

  test('a CA without a CRL yet is logged and skipped, not a failure', async () => {
    await expect(handler()(event(RA_REQUEST))).resolves.toEqual({ Result: 'no-crl-yet' });
    expect(faults.count('ImportCrl')).toBe(0);
    expect(logs.join('\n')).toContain('has not written a CRL yet');
  });

  test('Roles Anywhere: ImportCrl the first time, then nothing while unchanged, then UpdateCrl of the same CRL', async () => {
    await writeCrl(crl1);
    await expect(handler()(event(RA_REQUEST))).resolves.toEqual({ Result: 'imported' });
    const [imported] = faults.calls.filter((c) => c.command === 'ImportCrlCommand');
    expect(imported.input).toMatchObject({ name: NAME, enabled: true, trustAnchorArn: ANCHOR, tags: [{ key: CRL_SYNC_TAG_KEY, value: NAME }] });
    expect(crlConvert(Buffer.from(ours()[0].crlData!), 'PEM', 'DER').equals(crl1)).toBe(true);

    await expect(handler()(event(RA_REQUEST))).resolves.toEqual({ Result: 'unchanged' });
    expect(faults.count('UpdateCrl')).toBe(0);

    await writeCrl(crl2);
    await expect(handler()(event(RA_REQUEST))).resolves.toEqual({ Result: 'updated' });
    expect(ours()).toHaveLength(1);
    expect(crlText(Buffer.from(ours()[0].crlData!), 'PEM')).toBe(crlText(crl2, 'DER'));
    expect(faults.count('ImportCrl')).toBe(1);
  });

  test('Roles Anywhere: two deliveries at once leave one CRL', async () => {
    await writeCrl(crl1);
    ra.gates.ListCrlsCommand = new Gate(2);
    const run = handler();
    await Promise.all([run(event(RA_REQUEST)), run(event(RA_REQUEST))]);
    expect(ours()).toHaveLength(1);
    expect(faults.count('ImportCrl')).toBe(2);
    expect(faults.count('DeleteCrl')).toBeGreaterThanOrEqual(1);
  });

  test('Roles Anywhere: a lost ImportCrl answer and throttling still end with one current CRL', async () => {
    await writeCrl(crl1);
    faults.add(fault('lost-response', 'ImportCrl'), fault('throttling', 'ListCrls', { times: 2 }), fault('throttling', 'GetObject'));
    await expect(handler()(event(RA_REQUEST))).resolves.toEqual({ Result: 'imported' });
    expect(faults.count('ImportCrl')).toBe(2);
    expect(ours()).toHaveLength(1);
    expect(logs.filter((l) => l.includes('"retrying"')).length).toBeGreaterThanOrEqual(4);
  });

  test('a CRL over Roles Anywhere\'s 300,000 bytes fails with a named error and leaves the old CRL', async () => {
    await writeCrl(crl1);
    await handler()(event(RA_REQUEST));
    const big = makeCrl(ca, 6600);
    expect(derToPem(big).length).toBeGreaterThan(300_000);
    await writeCrl(big);
    const failure = handler()(event(RA_REQUEST));
    await expect(failure).rejects.toThrow(/^The CRL of arn:aws:acm-pca:.* is \d+ bytes as PEM, more than the 300000 bytes IAM Roles Anywhere/);
    await expect(failure).rejects.toMatchObject({ name: 'CrlTooLargeError' });
    expect(faults.count('UpdateCrl')).toBe(0);
    expect(crlConvert(Buffer.from(ours()[0].crlData!), 'PEM', 'DER').equals(crl1)).toBe(true);
  });

  test('an object that is not a DER CRL fails with a clear error', async () => {
    await writeCrl(Buffer.from(derToPem(crl1)));
    await expect(handler()(event(RA_REQUEST))).rejects.toThrow(`s3://${BUCKET}/crl/${CA_ID}.crl`);
  });

  test('through the Provider framework: Create syncs, Delete removes the imported CRL', async () => {
    await writeCrl(crl1);
    const cfn = (t: 'Create' | 'Delete', physicalId?: string) =>
      cfnEvent(t, { resourceType: CRL_SYNC_RESOURCE_TYPE, logicalId: 'Sync', props: { ...RA_REQUEST }, physicalId });
    const created = await runThroughProvider({ onEvent: handler(), event: cfn('Create') });
    expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(RA_REQUEST), Data: { Result: 'imported' } });
    expect(ours()).toHaveLength(1);
    const deleted = await runThroughProvider({ onEvent: handler(), event: cfn('Delete', physicalIdOf(RA_REQUEST)) });
    expect(deleted.Status).toBe('SUCCESS');
    expect(ours()).toHaveLength(0);
  });

  test('ELB: the PEM goes to pem/<CA id>.crl.pem, is added, and replaces the revocation added before', async () => {
    await writeCrl(crl1);
    await expect(handler()(event(ELB_REQUEST))).resolves.toEqual({ Result: 'added' });
    const pem = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: pemCrlKey(CA_ID) }))).Body!.transformToString();
    expect(crlConvert(pem, 'PEM', 'DER').equals(crl1)).toBe(true);
    const [added] = faults.calls.filter((c) => c.command === 'AddTrustStoreRevocationsCommand');
    expect(added.input.RevocationContents[0]).toMatchObject({ S3Bucket: BUCKET, S3Key: pemCrlKey(CA_ID), RevocationType: 'CRL' });
    expect(added.input.RevocationContents[0].S3ObjectVersion).toEqual(expect.any(String));
    const first = [...elb.revocations.get(STORE)!.keys()];

    await expect(handler()(event(ELB_REQUEST))).resolves.toEqual({ Result: 'unchanged' });
    await writeCrl(crl2);
    await expect(handler()(event(ELB_REQUEST))).resolves.toEqual({ Result: 'added' });
    const now = elb.revocations.get(STORE)!;
    expect(now.size).toBe(1);
    expect([...now.keys()]).not.toEqual(first);
    expect(crlConvert([...now.values()][0], 'PEM', 'DER').equals(crl2)).toBe(true);
  });

  test('ELB: someone else\'s revocation stays; a lost AddTrustStoreRevocations answer leaves no extra revocation', async () => {
    elb.revocations.set(STORE, new Map([[1, 'not ours']]));
    await writeCrl(crl1);
    faults.add(fault('lost-response', 'AddTrustStoreRevocations'));
    await expect(handler()(event(ELB_REQUEST))).resolves.toEqual({ Result: 'added' });
    expect(faults.count('AddTrustStoreRevocations')).toBe(2);
    expect([...elb.revocations.get(STORE)!.keys()]).toHaveLength(2);
    expect(elb.revocations.get(STORE)!.has(1)).toBe(true);
  });

  test('ELB: two deliveries at once track every revocation, and the next CRL leaves exactly one of ours', async () => {
    await writeCrl(crl1);
    elb.gates.DescribeTrustStoreRevocationsCommand = new Gate(2);
    const run = handler();
    await Promise.all([run(event(ELB_REQUEST)), run(event(ELB_REQUEST))]);
    expect(faults.count('AddTrustStoreRevocations')).toBe(2);
    const state = parseState(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: stateKey(CA_ID, STORE) }))).Body!.transformToString());
    for (const id of elb.revocations.get(STORE)!.keys()) expect(state.revocationIds).toContain(id);
    await writeCrl(crl2);
    await run(event(ELB_REQUEST));
    expect(elb.revocations.get(STORE)!.size).toBe(1);
  });

  test('ELB: Delete removes what the sync added, and a trust store that is already gone is fine', async () => {
    await writeCrl(crl1);
    const id = physicalIdOf(ELB_REQUEST);
    const cfn = cfnEvent('Delete', { resourceType: CRL_SYNC_RESOURCE_TYPE, logicalId: 'Sync', props: { ...ELB_REQUEST }, physicalId: id });
    await handler()(event(ELB_REQUEST));
    await expect(handler()(cfn)).resolves.toEqual({ PhysicalResourceId: id });
    expect(elb.revocations.get(STORE)!.size).toBe(0);
    await handler()(event(ELB_REQUEST));
    faults.add(fault('error', 'RemoveTrustStoreRevocations', { error: 'TrustStoreNotFoundException' }));
    await expect(handler()(cfn)).resolves.toEqual({ PhysicalResourceId: id });
  });
});
