import { X509Certificate } from 'crypto';
import {
  ACMPCAClient,
  CreateCertificateAuthorityCommand,
  GetCertificateAuthorityCertificateCommand,
  ImportCertificateAuthorityCertificateCommand,
} from '@aws-sdk/client-acm-pca';
import { CreateBucketCommand, GetObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createCaBundleHandler } from '../../src/handlers/ca-bundle/ca-bundle.lambda';
import { CA_BUNDLE_KEY_PREFIX } from '../../src/handlers/ca-bundle/contract';
import { buildCaBundle, bundleKey, describeEvent, planCaBundle, readProperties, splitPemCertificates } from '../../src/handlers/ca-bundle/logic';
import { cfnEvent } from '../harness/cfn-event';
import { fault, faultInjector, faultScenarios, toFault } from '../harness/faults';
import { motoClientConfig, resetMoto } from '../harness/moto';
import { makeIntermediate, makeLeaf, makeSelfSignedCa, verifyChain } from '../harness/openssl';
import { createRootCa } from '../harness/pca-moto';
import { runThroughProvider } from '../harness/provider-runtime';

/**
 * The `Custom::CdkPkiCaBundle` handler: pure logic (PEM splitting, bundle order, keys), then every path against moto's
 * ACM PCA and S3 (GetCertificateAuthorityCertificate after ImportCertificateAuthorityCertificate, PutObject), with
 * injected faults and through aws-cdk-lib's provider framework; the bundle is checked with `openssl verify`.
 */

const CA_ARN = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555';
const BUCKET = 'bundles';
const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

// Test material made once: an openssl root, an intermediate under it, a client leaf under the intermediate, and an
// unrelated root with its own leaf.
const root = makeSelfSignedCa({ commonName: 'Bundle Test Root' });
const intermediate = makeIntermediate(root, { commonName: 'Bundle Test Issuing CA' });
const leaf = makeLeaf(intermediate, { commonName: 'client.example.com' });
const strangerRoot = makeSelfSignedCa({ commonName: 'Stranger Root', keyType: 'ec' });
const strangerLeaf = makeLeaf(strangerRoot, { commonName: 'stranger.example.com', keyType: 'ec' });

function props(arn: string, bucket = BUCKET): Record<string, unknown> {
  return { CertificateAuthorityArn: arn, BucketName: bucket, KeyPrefix: CA_BUNDLE_KEY_PREFIX, BucketOwner: '123456789012' };
}

function event(requestType: 'Create' | 'Update' | 'Delete', p: Record<string, unknown>, physicalId?: string): CloudFormationCustomResourceEvent {
  return cfnEvent(requestType, { resourceType: 'Custom::CdkPkiCaBundle', logicalId: 'Bundle', props: p, physicalId, oldProps: p });
}

/** PEM with CRLF line ends and 76-character lines, the way other tools write it. */
function reflowed(pem: string): string {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\r\n${body.match(/.{1,76}/g)!.join('\r\n')}\r\n-----END CERTIFICATE-----\r\n`;
}

describe('ca-bundle logic (pure)', () => {
  test('PEM certificates are re-encoded canonically (64-character lines, \\n), in order, text around them ignored', () => {
    const text = `junk before\n${reflowed(intermediate.certPem)}between\n${root.certPem}`;
    const blocks = splitPemCertificates(text, 'the chain');
    expect(blocks).toEqual([intermediate.certPem, root.certPem].map((p) => splitPemCertificates(p, 'x')[0]));
    for (const block of blocks) {
      expect(block.split('\n').slice(1, -2).every((line) => line.length <= 64)).toBe(true);
      expect(block).not.toContain('\r');
      expect(new X509Certificate(block).fingerprint256).toBeDefined();
    }
    expect(new X509Certificate(blocks[0]).subject).toContain('Bundle Test Issuing CA');
  });

  test('a block that is not base64, or not a certificate, is refused with its position', () => {
    expect(() => splitPemCertificates(`${root.certPem}-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n`, 'the chain of X'))
      .toThrow('the chain of X, certificate 2 is not base64 between its PEM lines');
    expect(() => splitPemCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'the certificate of X'))
      .toThrow(/^the certificate of X, certificate 1 is not an X.509 certificate/);
  });

  test('the bundle is the CA certificate, then its chain up to the root, each once', () => {
    const bundle = buildCaBundle(CA_ARN, intermediate.certPem, `${root.certPem}${intermediate.certPem}`);
    expect(bundle.count).toBe(2);
    const subjects = splitPemCertificates(bundle.pem, 'b').map((p) => new X509Certificate(p).subject);
    expect(subjects).toEqual(['CN=Bundle Test Issuing CA', 'CN=Bundle Test Root']);
    expect(bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
    // a root: no chain
    expect(buildCaBundle(CA_ARN, root.certPem, undefined).count).toBe(1);
  });

  test('no certificate, or more than one where the CA\'s own is expected, is refused', () => {
    expect(() => buildCaBundle(CA_ARN, undefined, root.certPem)).toThrow(`returned 0 certificates for ${CA_ARN} where one was expected`);
    expect(() => buildCaBundle(CA_ARN, `${root.certPem}${intermediate.certPem}`, undefined)).toThrow('returned 2 certificates');
  });

  test('the key is content-addressed: the CA ID and 16 hex digits of the bundle digest', () => {
    const a = buildCaBundle(CA_ARN, root.certPem, undefined);
    const b = buildCaBundle(CA_ARN, intermediate.certPem, root.certPem);
    expect(bundleKey('ca-bundles/', CA_ARN, a)).toBe(`ca-bundles/11111111-2222-3333-4444-555555555555-${a.sha256.slice(0, 16)}.pem`);
    expect(bundleKey('ca-bundles/', CA_ARN, a)).toBe(bundleKey('ca-bundles/', CA_ARN, buildCaBundle(CA_ARN, reflowed(root.certPem), '')));
    expect(bundleKey('ca-bundles/', CA_ARN, b)).not.toBe(bundleKey('ca-bundles/', CA_ARN, a));
  });

  test('Create and Update publish; Delete leaves the bundle; bad properties are refused with the reason', () => {
    expect(planCaBundle(event('Create', props(CA_ARN)))).toEqual({ action: 'publish', properties: props(CA_ARN) });
    expect(planCaBundle(event('Update', props(CA_ARN), 's3://b/k'))).toMatchObject({ action: 'publish' });
    expect(planCaBundle(event('Delete', props(CA_ARN), 's3://b/k'))).toMatchObject({ action: 'none', reason: expect.stringContaining('stays in the bucket') });
    expect(() => readProperties({ ...props(CA_ARN), CertificateAuthorityArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' }))
      .toThrow(/CertificateAuthorityArn "arn:aws:acm:.*" is not a Private CA ARN/);
    expect(() => readProperties({ ...props(CA_ARN), BucketName: '' })).toThrow('BucketName "" is missing');
    expect(() => readProperties({ ...props(CA_ARN), KeyPrefix: 'no-slash' })).toThrow('KeyPrefix "no-slash" is not a key prefix');
    expect(() => readProperties({ ...props(CA_ARN), BucketOwner: 'someone' })).toThrow('BucketOwner "someone" is not a 12-digit account ID');
    expect(() => planCaBundle({ ...event('Create', {}), RequestType: 'Bogus' } as any)).toThrow('unknown RequestType "Bogus"');
  });

  test('what is logged about an event names the CA and bucket, never the ResponseURL', () => {
    const logged = JSON.stringify(describeEvent(event('Create', props(CA_ARN))));
    expect(logged).toContain(CA_ARN);
    expect(logged).not.toContain('SECRET-PRESIGNED-TOKEN');
  });
});

describe('ca-bundle handler against moto (ACM PCA + S3)', () => {
  const pca = new ACMPCAClient(motoClientConfig('us-east-1'));
  const s3 = new S3Client({ ...motoClientConfig('us-east-1'), forcePathStyle: true });
  const lines: string[] = [];
  const run = createCaBundleHandler({ pca, s3, log: (l) => lines.push(l), retry: { baseDelayMs: 1, attempts: 2 } });

  const read = async (bucket: string, key: string): Promise<string> => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return object.Body!.transformToString();
  };

  /** A CA in moto whose certificate is the openssl intermediate, with the openssl root as its chain. */
  async function subordinateCa(): Promise<string> {
    const arn = (await pca.send(new CreateCertificateAuthorityCommand({
      CertificateAuthorityType: 'SUBORDINATE',
      CertificateAuthorityConfiguration: { KeyAlgorithm: 'RSA_2048', SigningAlgorithm: 'SHA256WITHRSA', Subject: { CommonName: 'Bundle Test Issuing CA' } },
    }))).CertificateAuthorityArn!;
    await pca.send(new ImportCertificateAuthorityCertificateCommand({
      CertificateAuthorityArn: arn,
      Certificate: Buffer.from(intermediate.certPem),
      CertificateChain: Buffer.from(root.certPem),
    }));
    return arn;
  }

  beforeEach(async () => {
    lines.length = 0;
    await resetMoto();
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  });

  test('a root CA: Create writes its certificate under a content-addressed key and returns bucket, key and version', async () => {
    const ca = await createRootCa(pca, 'Bundle Root');
    const res = await run(event('Create', props(ca)));
    const { Certificate } = await pca.send(new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: ca }));
    const expected = buildCaBundle(ca, Certificate, undefined);
    const key = bundleKey(CA_BUNDLE_KEY_PREFIX, ca, expected);
    expect(res).toEqual({
      PhysicalResourceId: `s3://${BUCKET}/${key}`,
      Data: { Bucket: BUCKET, Key: key, VersionId: expect.stringMatching(/.+/), CertificateCount: '1', Sha256: expected.sha256 },
    });
    expect(await read(BUCKET, key)).toBe(expected.pem);
    expect(new X509Certificate(expected.pem).ca).toBe(true);
  });

  test('a subordinate CA: the bundle is its certificate then the root, and openssl verifies its clients against it (and only those)', async () => {
    const ca = await subordinateCa();
    const res = await run(event('Create', props(ca)));
    expect(res.Data!.CertificateCount).toBe('2');
    const pem = await read(BUCKET, res.Data!.Key);
    expect(splitPemCertificates(pem, 'bundle').map((p) => new X509Certificate(p).subject)).toEqual(['CN=Bundle Test Issuing CA', 'CN=Bundle Test Root']);
    // The oracle: the bundle as the trust store's CA file.
    expect(verifyChain({ leafPem: leaf.certPem, rootPem: pem })).toMatchObject({ ok: true });
    expect(verifyChain({ leafPem: strangerLeaf.certPem, rootPem: pem }).ok).toBe(false);
  });

  test('an Update with the same certificate writes the same key; a new CA certificate gives a new key; Delete leaves the objects', async () => {
    const ca = await subordinateCa();
    const first = await run(event('Create', props(ca)));
    const again = await run(event('Update', props(ca), first.PhysicalResourceId));
    expect(again.Data!.Key).toBe(first.Data!.Key);
    // The CA gets another certificate (a renewal): the key changes, so CloudFormation updates the trust store.
    const renewed = makeIntermediate(root, { commonName: 'Bundle Test Issuing CA' });
    await pca.send(new ImportCertificateAuthorityCertificateCommand({
      CertificateAuthorityArn: ca, Certificate: Buffer.from(renewed.certPem), CertificateChain: Buffer.from(root.certPem),
    }));
    const updated = await run(event('Update', props(ca), first.PhysicalResourceId));
    expect(updated.Data!.Key).not.toBe(first.Data!.Key);
    expect(updated.PhysicalResourceId).toBe(`s3://${BUCKET}/${updated.Data!.Key}`);
    expect(await read(BUCKET, updated.Data!.Key)).toContain(splitPemCertificates(renewed.certPem, 'x')[0]);

    // CloudFormation deletes the old physical ID in the cleanup phase: the object stays (a trust store may still read it).
    await expect(run(event('Delete', props(ca), first.PhysicalResourceId))).resolves.toEqual({ PhysicalResourceId: first.PhysicalResourceId });
    expect(await read(BUCKET, first.Data!.Key)).toContain('BEGIN CERTIFICATE');
  });

  test('a bucket without versioning: VersionId is empty', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
    const ca = await createRootCa(pca, 'Plain Root');
    const res = await run(event('Create', props(ca, 'plain')));
    expect(res.Data!.VersionId).toBe('');
    expect(await read('plain', res.Data!.Key)).toContain('BEGIN CERTIFICATE');
  });

  test('a CA that is not active yet fails with what to do; the Delete after the failed Create succeeds', async () => {
    const pending = await createRootCa(pca, 'Pending Root', { activate: false });
    await expect(run(event('Create', props(pending)))).rejects.toThrow(
      new RegExp(`^the CA ${pending} has no certificate to publish yet \\(InvalidStateException: .*\\): a CA is readable once it is ACTIVE`));
    await expect(run(event('Delete', props(pending), CREATE_FAILED_MARKER))).resolves.toEqual({ PhysicalResourceId: CREATE_FAILED_MARKER });
  });

  test('a missing bucket fails with S3\'s error; a CA that does not exist with Private CA\'s', async () => {
    const ca = await createRootCa(pca, 'No Bucket Root');
    await expect(run(event('Create', props(ca, 'missing-bucket')))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(run(event('Create', props(CA_ARN)))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('never logs the ResponseURL or the certificates', async () => {
    const ca = await subordinateCa();
    await run(event('Create', props(ca)));
    await run(event('Delete', props(ca), 's3://x/y'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      expect(line).not.toContain('SECRET-PRESIGNED-TOKEN');
      expect(line).not.toContain('BEGIN CERTIFICATE');
    }
  });
});

describe('ca-bundle handler against moto with injected faults', () => {
  const faults = faultInjector();
  const s3Plain = new S3Client({ ...motoClientConfig('us-east-1'), forcePathStyle: true });
  const pca = faults.attach(new ACMPCAClient(motoClientConfig('us-east-1')));
  const s3 = faults.attach(new S3Client({ ...motoClientConfig('us-east-1'), forcePathStyle: true }));
  const run = createCaBundleHandler({ pca, s3, log: () => undefined, retry: { baseDelayMs: 1, attempts: 4 } });
  let ca: string;

  const versions = async () => (await s3Plain.send(new ListObjectVersionsCommand({ Bucket: BUCKET }))).Versions?.length ?? 0;

  // One CA and bucket for the whole table (moto's RSA key generation is the slow part): each row counts the versions
  // it adds.
  beforeAll(async () => {
    await resetMoto();
    ca = await createRootCa(new ACMPCAClient(motoClientConfig('us-east-1')), 'Faulty Root');
    await s3Plain.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3Plain.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  });

  beforeEach(() => {
    faults.faults.length = 0;
    faults.calls.length = 0;
  });

  test.each(faultScenarios(['GetCertificateAuthorityCertificate', 'PutObject']))('Create, $name: the bundle is in S3 once the handler answers', async (row) => {
    const before = await versions();
    faults.add(toFault(row));
    const res = await run(event('Create', props(ca)));
    const body = await (await s3Plain.send(new GetObjectCommand({ Bucket: BUCKET, Key: res.Data!.Key }))).Body!.transformToString();
    expect(buildCaBundle(ca, body, undefined).sha256).toBe(res.Data!.Sha256);
    expect(faults.count(row.command)).toBe(2);
    // A lost PutObject response means a second write of the same bytes (a second version of the same bundle).
    expect(await versions()).toBe(before + (row.command === 'PutObject' && row.kind === 'lost-response' ? 2 : 1));
  });

  test('gives up on persistent throttling with a named error that says what to do', async () => {
    faults.add(fault('throttling', 'PutObject', { times: 10, error: 'SlowDown' }));
    await expect(run(event('Create', props(ca)))).rejects.toThrow(/^PutObject s3:\/\/bundles\/ca-bundles\/.* still failed with SlowDown after 4 attempts/);
  });

  test('a non-transient error fails at once', async () => {
    faults.add(fault('error', 'PutObject', { error: 'AccessDenied' }));
    await expect(run(event('Create', props(ca)))).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(faults.count('PutObject')).toBe(1);
  });
});

describe('ca-bundle handler through aws-cdk-lib\'s real provider framework (against moto)', () => {
  const pca = new ACMPCAClient(motoClientConfig('us-east-1'));
  const s3 = new S3Client({ ...motoClientConfig('us-east-1'), forcePathStyle: true });
  const onEvent = createCaBundleHandler({ pca, s3, log: () => undefined, retry: { baseDelayMs: 1, attempts: 2 } });

  beforeEach(async () => {
    await resetMoto();
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  test('Create answers SUCCESS with the key in Data; a Create on an inactive CA answers FAILED with a short reason', async () => {
    const ca = await createRootCa(pca, 'Framework Root');
    const ok = await runThroughProvider({ onEvent: onEvent as any, event: event('Create', props(ca)) });
    expect(ok).toMatchObject({ Status: 'SUCCESS', Data: { Bucket: BUCKET, Key: expect.stringMatching(/^ca-bundles\/.*\.pem$/), CertificateCount: '1' } });
    expect(ok.PhysicalResourceId).toBe(`s3://${BUCKET}/${ok.Data!.Key}`);
    const pending = await createRootCa(pca, 'Framework Pending', { activate: false });
    const failed = await runThroughProvider({ onEvent: onEvent as any, event: event('Create', props(pending)) });
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toContain('has no certificate to publish yet');
    expect(Buffer.byteLength(failed.trace.responses[0].body)).toBeLessThan(4096);
  });
});
