import { createPublicKey, X509Certificate } from 'crypto';
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import {
  ACMPCAClient,
  CreateCertificateAuthorityCommand,
  GetCertificateAuthorityCsrCommand,
  GetCertificateCommand,
  ImportCertificateAuthorityCertificateCommand,
  IssueCertificateCommand,
} from '@aws-sdk/client-acm-pca';
import { CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createCertificateExportHandler } from '../../src/handlers/certificate-export/certificate-export.lambda';
import {
  buildSecretValue,
  decryptPrivateKey,
  describeInvocation,
  isRenewalEventFor,
  notificationMessage,
  passphraseProblems,
  planExport,
  readProperties,
  RENEWAL_EVENT_KEY,
} from '../../src/handlers/certificate-export/logic';
import { cfnEvent as buildEvent } from '../harness/cfn-event';
import { motoClientConfig, resetMoto } from '../harness/moto';
import { makeLeaf, makeSelfSignedCa, tlsHandshake, verifyChain } from '../harness/openssl';

/*
 * The `Custom::CdkPkiCertificateExport` handler against moto_server (ACM ExportCertificate of
 * PRIVATE certificates, Secrets Manager) and its pure logic.
 *
 * KNOWN MOTO GAP (moto 5.2.5): a "private" ACM certificate is not issued by the Private CA. moto
 * self-signs it with its own key under the issuer name "C=US, O=Amazon, OU=Server CA 1B, CN=Amazon",
 * without AKI, and returns a fixed "Amazon Server CA 1B" certificate as the chain. So no chain
 * verifies; the tests pin that (signature failure against the chain, a valid self-signature) and
 * prove the rest with the oracles: the decrypted key matches the certificate's public key, and a
 * real TLS handshake serves the stored certificate with the stored key. `RenewCertificate` is not
 * implemented (HTTP 500): that path runs with a stubbed ACM client.
 */

const PASSPHRASE = 'correct-horse-battery-staple-&-more!';
const cfg = motoClientConfig('us-east-1');
const acm = new ACMClient(cfg);
const pca = new ACMPCAClient(cfg);
const sm = new SecretsManagerClient(cfg);

/** Everything the handler logs, across all tests of this file. */
const logged: string[] = [];
/** Every response the handler returned. */
const responses: unknown[] = [];

function handlerWith(overrides: Partial<Parameters<typeof createCertificateExportHandler>[0]> = {}) {
  const h = createCertificateExportHandler({
    acm: () => acm,
    secretsManager: sm,
    retry: { baseDelayMs: 1, attempts: 2 },
    ...overrides,
  });
  return async (event: unknown) => {
    const res = await h(event);
    responses.push(res);
    return res;
  };
}

interface Fixture {
  readonly certificateArn: string;
  readonly secretArn: string;
  readonly passphraseSecretArn: string;
}

/** An ACTIVE root CA, a private certificate requested from it, and the two secrets. */
async function fixture(name = 'app'): Promise<Fixture> {
  const { CertificateAuthorityArn: ca } = await pca.send(new CreateCertificateAuthorityCommand({
    CertificateAuthorityType: 'ROOT',
    CertificateAuthorityConfiguration: { KeyAlgorithm: 'RSA_2048', SigningAlgorithm: 'SHA256WITHRSA', Subject: { CommonName: 'cdk-pki Export Root' } },
  }));
  const { Csr } = await pca.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: ca }));
  const { CertificateArn: rootCertArn } = await pca.send(new IssueCertificateCommand({
    CertificateAuthorityArn: ca,
    Csr: Buffer.from(Csr!),
    SigningAlgorithm: 'SHA256WITHRSA',
    TemplateArn: 'arn:aws:acm-pca:::template/RootCACertificate/V1',
    Validity: { Type: 'YEARS', Value: 10 },
  }));
  const root = await pca.send(new GetCertificateCommand({ CertificateAuthorityArn: ca, CertificateArn: rootCertArn }));
  await pca.send(new ImportCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: ca, Certificate: Buffer.from(root.Certificate!) }));
  const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: `${name}.example.com`, CertificateAuthorityArn: ca }));
  const secret = await sm.send(new CreateSecretCommand({ Name: `pki/${name}`, SecretString: 'placeholder' }));
  const pass = await sm.send(new CreateSecretCommand({ Name: `pki/${name}-passphrase`, SecretString: PASSPHRASE }));
  return { certificateArn: CertificateArn!, secretArn: secret.ARN!, passphraseSecretArn: pass.ARN! };
}

function properties(f: Fixture, extra: Record<string, string> = {}) {
  return { CertificateArn: f.certificateArn, SecretArn: f.secretArn, PassphraseSecretArn: f.passphraseSecretArn, StoreDecryptedKey: 'false', ...extra };
}

function cfnEvent(requestType: 'Create' | 'Update' | 'Delete', props: Record<string, unknown>, old?: Record<string, unknown>, physicalId?: string): CloudFormationCustomResourceEvent {
  return buildEvent(requestType, { resourceType: 'Custom::CdkPkiCertificateExport', logicalId: 'Export', props, physicalId, oldProps: old });
}

/**
 * What the EventBridge rule's input transformer delivers: the properties of the exports of the
 * rule's batch (a list; one object is what the per-export rules of earlier versions delivered).
 */
function renewalEvent(props: Record<string, unknown> | Array<Record<string, unknown>>, resources: string[], source = 'aws.acm') {
  const event = source === 'aws.acm'
    ? { 'source': 'aws.acm', 'detail-type': 'ACM Certificate Available', resources, 'detail': { Action: 'RENEWAL', CertificateType: 'PRIVATE' } }
    : { 'source': 'aws.health', 'detail-type': 'AWS Health Event', resources, 'detail': { service: 'ACM', eventTypeCategory: 'scheduledChange', eventTypeCode: 'AWS_ACM_RENEWAL_STATE_CHANGE' } };
  return { [RENEWAL_EVENT_KEY]: props, event };
}

async function stored(secretArn: string, versionId?: string) {
  const got = await sm.send(new GetSecretValueCommand({ SecretId: secretArn, VersionId: versionId }));
  return JSON.parse(got.SecretString!) as { certificate: string; certificateChain: string; privateKey: string };
}

async function versions(secretArn: string): Promise<string[]> {
  return ((await sm.send(new ListSecretVersionIdsCommand({ SecretId: secretArn }))).Versions ?? []).map((v) => v.VersionId!);
}

function spki(pem: string): string {
  return createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
}

beforeEach(resetMoto);

beforeAll(() => {
  // The handler logs with console.log by default: capture every console channel.
  for (const channel of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, channel).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
  }
});

describe('certificate-export handler against moto', () => {
  test('Create exports the certificate into the secret; the encrypted key opens with the stored passphrase', async () => {
    const f = await fixture();
    const res = await handlerWith()(cfnEvent('Create', properties(f)));
    expect(res.PhysicalResourceId).toBe(f.certificateArn);
    expect(res.Data).toEqual({ SecretArn: f.secretArn, VersionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const value = await stored(f.secretArn, res.Data!.VersionId);
    expect(Object.keys(value).sort()).toEqual(['certificate', 'certificateChain', 'privateKey']);
    expect(value.certificate).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/);
    expect(value.certificateChain).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(value.privateKey).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);

    const cert = new X509Certificate(value.certificate);
    expect(cert.subject).toContain('CN=app.example.com');
    expect(cert.checkHost('app.example.com')).toBe('app.example.com');
    const passphrase = (await sm.send(new GetSecretValueCommand({ SecretId: f.passphraseSecretArn }))).SecretString!;
    const key = decryptPrivateKey(value.privateKey, passphrase);
    expect(spki(key)).toBe(cert.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(() => decryptPrivateKey(value.privateKey, 'wrong-passphrase')).toThrow(/^cannot decrypt the exported private key with the passphrase \(ERR_OSSL_BAD_DECRYPT\)$/);

    // The key really serves the certificate: a TLS server accepts the pair and completes a handshake.
    // (node refuses to start a server whose key does not match its certificate).
    await expect(tlsHandshake({ keyPem: key, certChainPem: value.certificate, caPem: value.certificate, servername: 'app.example.com' }))
      .resolves.toHaveProperty('authorized');

    // The moto gap: self-signed leaf, fixed "Amazon" chain that did not sign it.
    expect(cert.verify(cert.publicKey)).toBe(true);
    const chain = verifyChain({ leafPem: value.certificate, rootPem: value.certificateChain });
    expect(chain.ok).toBe(false);
    expect(chain.output).toMatch(/error (7|85) at 0 depth lookup/);
  });

  test('the chain oracle accepts a real root-issued chain stored the same way', () => {
    // buildSecretValue keeps ACM's PEM byte for byte, so what verifies before storing verifies after.
    const root = makeSelfSignedCa({ commonName: 'Oracle Root' });
    const leaf = makeLeaf(root, { commonName: 'app.example.com' });
    const value = buildSecretValue({ Certificate: leaf.certPem, CertificateChain: root.certPem, PrivateKey: leaf.keyPem }, PASSPHRASE, false);
    expect(verifyChain({ leafPem: value.certificate, rootPem: value.certificateChain, purpose: 'sslserver', hostname: 'app.example.com' }).ok).toBe(true);
  });

  test('storeDecryptedKey stores a plain PKCS #8 key that matches the certificate', async () => {
    const f = await fixture();
    const res = await handlerWith()(cfnEvent('Create', properties(f, { StoreDecryptedKey: 'true' })));
    const value = await stored(f.secretArn, res.Data!.VersionId);
    expect(value.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(spki(value.privateKey)).toBe(new X509Certificate(value.certificate).publicKey.export({ type: 'spki', format: 'pem' }).toString());
  });

  test('a renewal event for the certificate re-exports into a new secret version; one for another certificate does nothing', async () => {
    const f = await fixture();
    const handler = handlerWith();
    const created = await handler(cfnEvent('Create', properties(f)));
    const before = await versions(f.secretArn);

    const renewed = await handler(renewalEvent([properties(f)], [f.certificateArn]));
    expect(renewed.Exports).toEqual([{ SecretArn: f.secretArn, VersionId: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
    expect(renewed.Exports![0].VersionId).not.toBe(created.Data!.VersionId);
    const after = await versions(f.secretArn);
    expect(after).toHaveLength(before.length + 1);
    expect(after).toContain(renewed.Exports![0].VersionId);
    expect((await stored(f.secretArn)).certificate).toBe((await stored(f.secretArn, created.Data!.VersionId)).certificate);

    // The input of the per-export rules of earlier versions (one object) still works.
    const health = await handler(renewalEvent(properties(f), [f.certificateArn], 'aws.health'));
    expect(await versions(f.secretArn)).toContain(health.Exports![0].VersionId);

    const other = f.certificateArn.replace(/[0-9a-f]{8}-/, '00000000-');
    expect(await handler(renewalEvent([properties(f)], [other]))).toEqual({});
    expect(await versions(f.secretArn)).toHaveLength(before.length + 2);
  });

  test('a renewal event for one certificate of a batch re-exports only that certificate\'s secrets', async () => {
    const a = await fixture('alpha');
    const b = await fixture('beta');
    // A second export of certificate A, into its own secret, in the same batch.
    const a2 = { ...a, secretArn: (await sm.send(new CreateSecretCommand({ Name: 'pki/alpha-2', SecretString: 'placeholder' }))).ARN! };
    const handler = handlerWith();
    for (const f of [a, b, a2]) await handler(cfnEvent('Create', properties(f)));
    const before = { a: await versions(a.secretArn), b: await versions(b.secretArn), a2: await versions(a2.secretArn) };
    const bValue = await stored(b.secretArn);

    const batch = [properties(a), properties(b), properties(a2, { StoreDecryptedKey: 'true' })];
    const renewed = await handler(renewalEvent(batch, [a.certificateArn]));
    expect(renewed.Exports!.map((e) => e.SecretArn)).toEqual([a.secretArn, a2.secretArn]);
    expect(await versions(a.secretArn)).toEqual(expect.arrayContaining([...before.a, renewed.Exports![0].VersionId]));
    expect(await versions(a.secretArn)).toHaveLength(before.a.length + 1);
    expect(await versions(a2.secretArn)).toHaveLength(before.a2.length + 1);
    expect(await versions(b.secretArn)).toEqual(before.b);
    expect(await stored(b.secretArn)).toEqual(bValue);
    // Each export keeps its own options: the second export of A stores the decrypted key.
    expect((await stored(a.secretArn)).privateKey).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect((await stored(a2.secretArn)).privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(new X509Certificate((await stored(a.secretArn)).certificate).subject).toContain('CN=alpha.example.com');
  });

  test('a failing export of a batch does not stop the others, and the invocation fails naming it', async () => {
    const a = await fixture('alpha');
    const broken = { ...a, secretArn: a.secretArn.replace('pki/alpha', 'pki/missing') };
    const before = await versions(a.secretArn);
    await expect(handlerWith()(renewalEvent([properties(broken), properties(a)], [a.certificateArn])))
      .rejects.toThrow(`re-export failed for 1 of 2 exports: ${broken.secretArn}: `);
    expect(await versions(a.secretArn)).toHaveLength(before.length + 1);
  });

  test('Delete succeeds without touching anything, also after a failed Create', async () => {
    const f = await fixture();
    const handler = handlerWith();
    expect(await handler(cfnEvent('Delete', properties(f), undefined, f.certificateArn))).toEqual({ PhysicalResourceId: f.certificateArn });
    expect(await handler(cfnEvent('Delete', {}, undefined, 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED')))
      .toEqual({ PhysicalResourceId: 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED' });
    expect(await versions(f.secretArn)).toHaveLength(1);
  });

  test('a passphrase ACM refuses fails before ExportCertificate, without quoting it', async () => {
    const f = await fixture();
    const bad = await sm.send(new CreateSecretCommand({ Name: 'bad-passphrase', SecretString: 'abc$def' }));
    await expect(handlerWith()(cfnEvent('Create', properties(f, { PassphraseSecretArn: bad.ARN! }))))
      .rejects.toThrow(/holds one of # \$ %, which ExportCertificate refuses$/);
    expect(logged.join('\n')).not.toContain('abc$def');
  });

  test('an unknown certificate fails the export with ACM\'s error name', async () => {
    const f = await fixture();
    const missing = f.certificateArn.replace(/[0-9a-f]{8}-/, '00000000-');
    await expect(handlerWith()(cfnEvent('Create', properties(f, { CertificateArn: missing }))))
      .rejects.toThrow(`ExportCertificate of ${missing} failed: ResourceNotFoundException`);
  });
});

describe('certificate-export handler with a stubbed ACM client (what moto lacks)', () => {
  test('a changed renewal token renews before exporting; an unchanged one does not', async () => {
    const f = await fixture();
    const sent: string[] = [];
    const stub = {
      send: async (command: any) => {
        sent.push(command.constructor.name);
        if (command.constructor.name === 'RenewCertificateCommand') return {};
        return acm.send(command);
      },
    } as Pick<ACMClient, 'send'>;
    const handler = handlerWith({ acm: () => stub });
    await handler(cfnEvent('Update', properties(f, { RenewalToken: '2' }), properties(f, { RenewalToken: '1' }), f.certificateArn));
    expect(sent).toEqual(['RenewCertificateCommand', 'ExportCertificateCommand']);
    sent.length = 0;
    await handler(cfnEvent('Update', properties(f, { RenewalToken: '2', StoreDecryptedKey: 'true' }), properties(f, { RenewalToken: '2' }), f.certificateArn));
    expect(sent).toEqual(['ExportCertificateCommand']);
    sent.length = 0;
    await handler(cfnEvent('Create', properties(f, { RenewalToken: '1' })));
    expect(sent).toEqual(['ExportCertificateCommand']);
  });

  test('a topic gets a message with ARNs and the version only', async () => {
    const f = await fixture();
    const published: Array<[string, string]> = [];
    const topicArn = 'arn:aws:sns:us-east-1:123456789012:pki-events';
    const res = await handlerWith({ publish: async (t, m) => { published.push([t, m]); } })(cfnEvent('Create', properties(f, { TopicArn: topicArn })));
    expect(published).toHaveLength(1);
    expect(published[0][0]).toBe(topicArn);
    expect(JSON.parse(published[0][1])).toEqual({
      message: 'A new version of the exported certificate is stored in Secrets Manager',
      certificateArn: f.certificateArn,
      secretArn: f.secretArn,
      versionId: res.Data!.VersionId,
      trigger: 'Create',
    });
  });
});

describe('certificate-export logic (pure)', () => {
  const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
  const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pki/app-AbCdEf';
  const PASS = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pki/pass-AbCdEf';
  const props = { CertificateArn: CERT, SecretArn: SECRET, PassphraseSecretArn: PASS, StoreDecryptedKey: 'false' };

  test('classifies CloudFormation requests', () => {
    expect(planExport(cfnEvent('Create', props))).toEqual({
      action: 'export',
      trigger: 'Create',
      renew: false,
      props: { CertificateArn: CERT, SecretArn: SECRET, PassphraseSecretArn: PASS, StoreDecryptedKey: false },
    });
    expect(planExport(cfnEvent('Update', { ...props, RenewalToken: 'a' }, props, CERT))).toMatchObject({ trigger: 'Update', renew: true, physicalResourceId: CERT });
    expect(planExport(cfnEvent('Update', { ...props, RenewalToken: 'a' }, { ...props, RenewalToken: 'a' }, CERT))).toMatchObject({ renew: false });
    expect(planExport(cfnEvent('Update', props, { ...props, RenewalToken: 'a' }, CERT))).toMatchObject({ renew: false });
    expect(planExport(cfnEvent('Delete', props, undefined, CERT))).toMatchObject({ action: 'none', physicalResourceId: CERT });
    expect(() => planExport({ RequestType: 'Bogus' })).toThrow('not a CloudFormation or renewal event (RequestType "Bogus")');
  });

  test('classifies EventBridge events: only renewals of the certificates of the rule\'s exports', () => {
    const parsed = { CertificateArn: CERT, SecretArn: SECRET, PassphraseSecretArn: PASS, StoreDecryptedKey: false };
    expect(planExport(renewalEvent([props], [CERT]))).toEqual({ action: 'reexport', trigger: 'Renewal', exports: [parsed] });
    expect(planExport(renewalEvent(props, [CERT], 'aws.health'))).toEqual({ action: 'reexport', trigger: 'Renewal', exports: [parsed] });
    expect(planExport(renewalEvent([props], [CERT.replace('1111', '9999')]))).toEqual({ action: 'none', reason: 'not a renewal event for a certificate of this rule' });
    // A batch: only the exports of the renewed certificate; the renewal token never reaches a renewal event's plan.
    const other = { ...props, CertificateArn: CERT.replace('1111', '9999'), SecretArn: `${SECRET}2` };
    const again = { ...props, SecretArn: `${SECRET}3`, RenewalToken: 'x', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t' };
    expect(planExport(renewalEvent([props, other, again], [CERT]))).toEqual({
      action: 'reexport',
      trigger: 'Renewal',
      exports: [parsed, { ...parsed, SecretArn: `${SECRET}3`, TopicArn: 'arn:aws:sns:us-east-1:123456789012:t' }],
    });
    expect(() => planExport(renewalEvent([props, { ...props, SecretArn: 'nope' }], [CERT])))
      .toThrow(`${RENEWAL_EVENT_KEY}[1]: SecretArn "nope" is not a Secrets Manager secret ARN`);
    expect(() => planExport(renewalEvent([], [CERT]))).toThrow(`${RENEWAL_EVENT_KEY} holds no export`);
    const issuance = { 'source': 'aws.acm', 'detail-type': 'ACM Certificate Available', 'resources': [CERT], 'detail': { Action: 'ISSUANCE' } };
    expect(isRenewalEventFor(issuance, CERT)).toBe(false);
    expect(isRenewalEventFor({ ...issuance, 'detail-type': 'ACM Certificate Expired', 'detail': { Action: 'RENEWAL' } }, CERT)).toBe(false);
    expect(isRenewalEventFor({ 'source': 'aws.health', 'detail-type': 'AWS Health Event', 'resources': [CERT], 'detail': { service: 'ACM', eventTypeCode: 'AWS_ACM_RENEWAL_FAILURE' } }, CERT)).toBe(false);
    expect(isRenewalEventFor(undefined, CERT)).toBe(false);
    expect(isRenewalEventFor({ source: 'aws.acm' }, CERT)).toBe(false);
  });

  test('refuses bad properties with the reason', () => {
    expect(() => readProperties({ ...props, CertificateArn: 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/x' })).toThrow(/^CertificateArn ".*" is not an ACM certificate ARN$/);
    expect(() => readProperties({ ...props, SecretArn: undefined })).toThrow('SecretArn undefined is not a Secrets Manager secret ARN');
    expect(() => readProperties({ ...props, StoreDecryptedKey: 'yes' })).toThrow('StoreDecryptedKey "yes" is not "true" or "false"');
    expect(() => readProperties({ ...props, TopicArn: 'topic' })).toThrow('TopicArn "topic" is not an SNS topic ARN');
    expect(readProperties({ ...props, StoreDecryptedKey: 'true', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', RenewalToken: '' }))
      .toEqual({ CertificateArn: CERT, SecretArn: SECRET, PassphraseSecretArn: PASS, StoreDecryptedKey: true, TopicArn: 'arn:aws:sns:us-east-1:123456789012:t' });
  });

  test('passphrase rules: 4 to 128 ASCII characters without # $ %, never quoted', () => {
    expect(passphraseProblems('abcd')).toEqual([]);
    expect(passphraseProblems('x'.repeat(128))).toEqual([]);
    expect(passphraseProblems(undefined)).toEqual(['the passphrase secret has no SecretString']);
    expect(passphraseProblems('abc')).toEqual(['the passphrase is 3 characters long; ExportCertificate accepts 4 to 128']);
    expect(passphraseProblems('x'.repeat(129))).toHaveLength(1);
    expect(passphraseProblems('pässword')).toEqual(['the passphrase holds non-ASCII characters; ExportCertificate accepts ASCII only']);
    for (const c of '#$%') {
      const problems = passphraseProblems(`secret${c}word`);
      expect(problems).toHaveLength(1);
      expect(problems.join()).not.toContain('secret');
    }
  });

  test('the secret value keeps ACM\'s PEM and requires certificate and key', () => {
    expect(buildSecretValue({ Certificate: 'C', CertificateChain: 'CH', PrivateKey: 'K' }, 'pass', false)).toEqual({ certificate: 'C', certificateChain: 'CH', privateKey: 'K' });
    expect(buildSecretValue({ Certificate: 'C', PrivateKey: 'K' }, 'pass', false).certificateChain).toBe('');
    expect(() => buildSecretValue({ Certificate: 'C' }, 'pass', false)).toThrow('ExportCertificate returned no certificate or no private key');
    expect(() => buildSecretValue({ Certificate: 'C', PrivateKey: 'not a key' }, 'pass', true)).toThrow(/^cannot decrypt the exported private key/);
  });

  test('what is logged and notified leaves out the ResponseURL, the event body and all material', () => {
    const described = JSON.stringify(describeInvocation(cfnEvent('Create', { ...props, Secret: '-----BEGIN X' })));
    expect(described).toContain(CERT);
    expect(described).not.toContain('SECRET-PRESIGNED');
    expect(described).not.toContain('BEGIN');
    expect(JSON.stringify(describeInvocation(renewalEvent([props], [CERT])))).toBe(JSON.stringify({
      invocation: 'EventBridge', source: 'aws.acm', detailType: 'ACM Certificate Available', resources: [CERT],
    }));
    expect(notificationMessage(readProperties(props), 'v1', 'Renewal')).not.toMatch(/BEGIN|pass-AbCdEf/);
  });
});

afterAll(() => {
  jest.restoreAllMocks();
  // Secrets never leave Secrets Manager: not in the logs, not in the custom resource's data.
  const logs = logged.join('\n');
  expect(logged.length).toBeGreaterThan(10);
  expect(logs).not.toContain('-----BEGIN');
  expect(logs).not.toContain('PRIVATE KEY');
  expect(logs).not.toContain(PASSPHRASE);
  expect(logs).not.toContain('SECRET-PRESIGNED-TOKEN');
  const data = JSON.stringify(responses);
  expect(responses.length).toBeGreaterThan(5);
  expect(data).not.toContain('-----BEGIN');
  expect(data).not.toContain(PASSPHRASE);
});
