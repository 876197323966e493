import { X509Certificate } from 'crypto';
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { ACMPCAClient } from '@aws-sdk/client-acm-pca';
import { CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { decimalSerial, Hierarchy, makeHierarchy } from './imported-certificate-fixtures';
import { createCertificateExportHandler } from '../../src/handlers/certificate-export/certificate-export.lambda';
import { OWNER_TAG } from '../../src/handlers/imported-certificate/contract';
import { createImportedCertificateHandler } from '../../src/handlers/imported-certificate/imported-certificate.lambda';
import { cfnEvent } from '../harness/cfn-event';
import { motoClientConfig, resetMoto } from '../harness/moto';
import { createRootCa } from '../harness/pca-moto';
import { ProviderRun, RESPONSE_URL_SECRET, runThroughProvider } from '../harness/provider-runtime';

/*
 * Issue 13: the certificate-export and imported-certificate handlers through aws-cdk-lib's REAL
 * provider-framework runtime (test/harness/provider-runtime.ts: only the Lambda invoke is replaced,
 * in-process, and the ResponseURL is a local HTTP server), against moto. What CloudFormation gets at
 * the ResponseURL is checked: status, physical ID, Data, a Reason under 4,096 bytes, and no secret
 * (PEM, private key, passphrase, the ResponseURL's token) in the response or any log line.
 */

const MAX_REASON_BYTES = 4096;
const OWNER = 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1';
const PASSPHRASE = 'provider-framework-passphrase-0123456789';
const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

const cfg = motoClientConfig('us-east-1');
const acm = new ACMClient(cfg);
const pca = new ACMPCAClient(cfg);
const sm = new SecretsManagerClient(cfg);
const ssm = new SSMClient(cfg);

let requestSeq = 0;
function event(resourceType: string, requestType: 'Create' | 'Update' | 'Delete', props: Record<string, unknown>, physicalId?: string) {
  return { ...cfnEvent(requestType, { resourceType, logicalId: 'Resource', props, physicalId }), RequestId: `provider-req-${++requestSeq}` } as any;
}

/** Everything CloudFormation and the logs saw in a run: the response bodies, the framework's and the handler's log lines. */
function everythingSeen(run: ProviderRun, handlerLines: readonly string[]): string {
  return [...run.trace.responses.map((r) => r.body), ...run.trace.frameworkLogs, ...handlerLines].join('\n');
}

/** No secret in what was seen: no PEM block, no key, none of the given values, not the ResponseURL's token. */
function expectNoSecrets(seen: string, secrets: readonly string[]): void {
  expect(seen).not.toMatch(/-----BEGIN/);
  expect(seen).not.toContain('PRIVATE KEY');
  expect(seen).not.toContain(RESPONSE_URL_SECRET);
  for (const secret of secrets) {
    // the PEM body too, in case it was reformatted (first base64 line of each block)
    for (const line of secret.split('\n').filter((l) => l.length > 40 && !l.startsWith('-----'))) expect(seen).not.toContain(line);
  }
}

beforeEach(async () => {
  await resetMoto();
});

describe('imported-certificate handler through aws-cdk-lib\'s real provider framework (against moto)', () => {
  const TYPE = 'Custom::CdkPkiImportedCertificate';
  let h: Hierarchy;
  beforeAll(() => {
    h = makeHierarchy();
  });

  function handlerWithLog() {
    const lines: string[] = [];
    const onEvent = createImportedCertificateHandler({
      acm, secretsManager: sm, ssm, retry: { baseDelayMs: 1, attempts: 2 }, owner: OWNER, settleMs: 5, log: (l) => lines.push(l),
    });
    return { onEvent, lines };
  }

  async function materialSecret(value: Record<string, string>): Promise<string> {
    return (await sm.send(new CreateSecretCommand({ Name: `cert-${++requestSeq}`, SecretString: JSON.stringify(value) }))).ARN!;
  }

  function props(secretArn: string) {
    return {
      Source: { Type: 'SecretsManager', SecretArn: secretArn, CertificateField: 'certificate', PrivateKeyField: 'privateKey', ChainField: 'certificateChain', ChainRequired: 'false' },
      MaterialVersion: '',
      Tags: [{ Key: 'Name', Value: 'Stack/Cert' }],
      RemovalPolicy: 'destroy',
    };
  }

  test('a Create imports the material and answers SUCCESS with the ARN as physical ID, and no PEM in Data, Reason or logs', async () => {
    const { onEvent, lines } = handlerWithLog();
    const secretArn = await materialSecret({ certificate: h.leaf.certPem, privateKey: h.leaf.keyPem, certificateChain: h.chain });
    const res = await runThroughProvider({ onEvent: onEvent as any, event: event(TYPE, 'Create', props(secretArn)) });

    expect(res.Status).toBe('SUCCESS');
    expect(res.PhysicalResourceId).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\//);
    expect(res.Data).toEqual({ CertificateArn: res.PhysicalResourceId, ImportedVersionId: expect.any(String), KeyAlgorithm: 'RSA_2048' });
    expect(res.Data!.ImportedVersionId).not.toBe('');
    expect(res.trace.invocations.map((i) => i.function)).toEqual(['onEvent']);
    expect(res.trace.responses).toHaveLength(1);

    // ACM holds the leaf, tagged with the owner
    const described = (await acm.send(new DescribeCertificateCommand({ CertificateArn: res.PhysicalResourceId }))).Certificate!;
    expect(described.Type).toBe('IMPORTED');
    expect(described.Serial).toBe(decimalSerial(h.leaf.certPem)); // moto reports the serial in decimal
    const tags = (await acm.send(new ListTagsForCertificateCommand({ CertificateArn: res.PhysicalResourceId }))).Tags ?? [];
    expect(tags).toContainEqual({ Key: OWNER_TAG, Value: OWNER });

    expectNoSecrets(everythingSeen(res, lines), [h.leaf.certPem, h.leaf.keyPem, h.chain]);
  });

  test('a failing Create (a key that does not match the certificate) answers FAILED with a clear reason under 4,096 bytes, no PEM, and imports nothing', async () => {
    const { onEvent, lines } = handlerWithLog();
    const secretArn = await materialSecret({ certificate: h.leaf.certPem, privateKey: h.leaf2.keyPem });
    const res = await runThroughProvider({ onEvent: onEvent as any, event: event(TYPE, 'Create', props(secretArn)) });

    expect(res.Status).toBe('FAILED');
    expect(res.PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(res.Reason).toContain('the certificate material in');
    expect(res.Reason).toContain('cannot be imported into ACM');
    expect(res.Reason).toMatch(/key/i);
    expect(Buffer.byteLength(res.Reason)).toBeLessThan(MAX_REASON_BYTES);
    expect(Buffer.byteLength(res.trace.responses[0].body)).toBeLessThan(MAX_REASON_BYTES);
    const listed = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1'] } }));
    expect(listed.CertificateSummaryList ?? []).toEqual([]);
    expectNoSecrets(everythingSeen(res, lines), [h.leaf.certPem, h.leaf2.keyPem]);
  });

  test('not PEM at all (an over-long garbage value): FAILED under 4,096 bytes, the garbage not echoed', async () => {
    const { onEvent, lines } = handlerWithLog();
    const garbage = `NOTPEM${'Zm9vYmFy'.repeat(2000)}`;
    const secretArn = await materialSecret({ certificate: garbage, privateKey: garbage });
    const res = await runThroughProvider({ onEvent: onEvent as any, event: event(TYPE, 'Create', props(secretArn)) });
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain('cannot be imported into ACM');
    expect(Buffer.byteLength(res.trace.responses[0].body)).toBeLessThan(MAX_REASON_BYTES);
    expect(everythingSeen(res, lines)).not.toContain('Zm9vYmFyZm9vYmFy');
  });

  test('the Delete that follows a Create answers SUCCESS with the same physical ID and deletes the certificate', async () => {
    const { onEvent } = handlerWithLog();
    const secretArn = await materialSecret({ certificate: h.leaf.certPem, privateKey: h.leaf.keyPem, certificateChain: h.chain });
    const created = await runThroughProvider({ onEvent: onEvent as any, event: event(TYPE, 'Create', props(secretArn)) });
    expect(created.Status).toBe('SUCCESS');
    const deleted = await runThroughProvider({ onEvent: onEvent as any, event: event(TYPE, 'Delete', props(secretArn), created.PhysicalResourceId) });
    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId });
    await expect(acm.send(new DescribeCertificateCommand({ CertificateArn: created.PhysicalResourceId }))).rejects.toThrow();
  });
});

describe('certificate-export handler through aws-cdk-lib\'s real provider framework (against moto)', () => {
  const TYPE = 'Custom::CdkPkiCertificateExport';

  /**
   * An ACTIVE root CA in moto, a private certificate requested from it, the export secret and the
   * passphrase secret (the setup of test/handlers/certificate-export.test.ts, which exports none).
   */
  async function fixture() {
    const ca = await createRootCa(pca, 'Provider Export Root');
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: 'provider.example.com', CertificateAuthorityArn: ca }));
    const secret = await sm.send(new CreateSecretCommand({ Name: 'pki/provider', SecretString: 'placeholder' }));
    const pass = await sm.send(new CreateSecretCommand({ Name: 'pki/provider-passphrase', SecretString: PASSPHRASE }));
    return { CertificateArn: CertificateArn!, SecretArn: secret.ARN!, PassphraseSecretArn: pass.ARN!, StoreDecryptedKey: 'false' };
  }

  function handlerWithLog() {
    const lines: string[] = [];
    const onEvent = createCertificateExportHandler({
      acm: () => acm,
      secretsManager: sm,
      retry: { baseDelayMs: 1, attempts: 2 },
      log: (l) => lines.push(l),
    });
    return { onEvent, lines };
  }

  test('a Create exports into the secret and answers SUCCESS with the certificate ARN, the secret ARN and version only', async () => {
    const props = await fixture();
    const { onEvent, lines } = handlerWithLog();
    const res = await runThroughProvider({ onEvent: onEvent as any, event: event(TYPE, 'Create', props) });

    expect(res.Status).toBe('SUCCESS');
    expect(res.PhysicalResourceId).toBe(props.CertificateArn);
    expect(res.Data).toEqual({ SecretArn: props.SecretArn, VersionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    // the secret holds the export, as the version the response names
    const stored = await sm.send(new GetSecretValueCommand({ SecretId: props.SecretArn }));
    expect(stored.VersionId).toBe(res.Data!.VersionId);
    const value = JSON.parse(stored.SecretString!);
    expect(new X509Certificate(value.certificate).subject).toContain('CN=provider.example.com');
    expect(value.privateKey).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);

    expectNoSecrets(everythingSeen(res, lines), [value.certificate, value.privateKey, value.certificateChain]);
    expect(everythingSeen(res, lines)).not.toContain(PASSPHRASE);
  });

  test('a failing Create (an unknown certificate) answers FAILED with a clear reason and writes no version', async () => {
    const props = await fixture();
    const missing = props.CertificateArn.replace(/[0-9a-f]{8}-/, '00000000-');
    const { onEvent, lines } = handlerWithLog();
    const res = await runThroughProvider({ onEvent: onEvent as any, event: event(TYPE, 'Create', { ...props, CertificateArn: missing }) });

    expect(res.Status).toBe('FAILED');
    expect(res.PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(res.Reason).toContain(`ExportCertificate of ${missing} failed: ResourceNotFoundException`);
    expect(Buffer.byteLength(res.trace.responses[0].body)).toBeLessThan(MAX_REASON_BYTES);
    const versions = (await sm.send(new ListSecretVersionIdsCommand({ SecretId: props.SecretArn }))).Versions ?? [];
    expect(versions).toHaveLength(1); // the placeholder only
    expect(everythingSeen(res, lines)).not.toContain(PASSPHRASE);
    expect(everythingSeen(res, lines)).not.toContain(RESPONSE_URL_SECRET);
  });

  test('a passphrase ExportCertificate would refuse: FAILED naming the passphrase secret, never quoting the passphrase', async () => {
    const props = await fixture();
    const badValue = 'bad$passphrase%value';
    const bad = await sm.send(new CreateSecretCommand({ Name: 'pki/bad-passphrase', SecretString: badValue }));
    const { onEvent, lines } = handlerWithLog();
    const res = await runThroughProvider({ onEvent: onEvent as any, event: event(TYPE, 'Create', { ...props, PassphraseSecretArn: bad.ARN! }) });
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain(`passphrase secret ${bad.ARN!}`);
    expect(res.Reason).toMatch(/ExportCertificate refuses/);
    expect(everythingSeen(res, lines)).not.toContain(badValue);
  });

  test('the Delete after the failed Create answers SUCCESS with the framework\'s marker', async () => {
    const props = await fixture();
    const { onEvent } = handlerWithLog();
    const res = await runThroughProvider({ onEvent: onEvent as any, event: event(TYPE, 'Delete', props, CREATE_FAILED_MARKER) });
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_MARKER });
  });
});
