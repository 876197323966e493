import { createPublicKey, X509Certificate } from 'crypto';
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { ACMPCAClient } from '@aws-sdk/client-acm-pca';
import { CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import * as fc from 'fast-check';
import { createCertificateExportHandler } from '../../src/handlers/certificate-export/certificate-export.lambda';
import { RENEWAL_EVENT_KEY } from '../../src/handlers/certificate-export/contract';
import {
  acmSerialCandidates,
  buildSecretValue,
  decryptPrivateKey,
  describeInvocation,
  identityOfPem,
  isRenewalEventFor,
  notificationMessage,
  passphraseProblems,
  planExport,
  planVersionWrite,
  readProperties,
  reexportReason,
  storedIdentity,
  versionToken,
} from '../../src/handlers/certificate-export/logic';
import { cfnEvent as buildEvent } from '../harness/cfn-event';
import { fault, faultInjector, faultScenarios, toFault } from '../harness/faults';
import { motoClientConfig, resetMoto } from '../harness/moto';
import { makeLeaf, makeSelfSignedCa, tlsHandshake, verifyChain } from '../harness/openssl';
import { createRootCa } from '../harness/pca-moto';

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

/*
 * moto is reset once for this file, not before each test. Every test makes its own secrets (names
 * get a sequence number) and asserts on those only. The handler only reads certificates (describe,
 * export), so the ACTIVE root CA and the certificate of each name are made once and shared: moto
 * makes an RSA key for each, its slowest calls.
 */
let rootCa: Promise<string> | undefined;
const certificates = new Map<string, Promise<string>>();
let fixtures = 0;

/** The file's private certificate for `<name>.example.com`, requested from its ACTIVE root CA. */
function certificate(name: string): Promise<string> {
  if (!certificates.has(name)) {
    rootCa ??= createRootCa(pca, 'cdk-pki Export Root');
    certificates.set(name, rootCa.then(async (ca) =>
      (await acm.send(new RequestCertificateCommand({ DomainName: `${name}.example.com`, CertificateAuthorityArn: ca }))).CertificateArn!));
  }
  return certificates.get(name)!;
}

/** The private certificate for `<name>.example.com` and two new secrets: the export's and its passphrase. */
async function fixture(name = 'app'): Promise<Fixture> {
  const certificateArn = await certificate(name);
  const id = ++fixtures;
  const secret = await sm.send(new CreateSecretCommand({ Name: `pki/${name}-${id}`, SecretString: 'placeholder' }));
  const pass = await sm.send(new CreateSecretCommand({ Name: `pki/${name}-${id}-passphrase`, SecretString: PASSPHRASE }));
  return { certificateArn, secretArn: secret.ARN!, passphraseSecretArn: pass.ARN! };
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

/**
 * An ACM client on which each key of `renewals` now serves the certificate of its value: what a
 * renewal does to an ARN. moto cannot renew (RenewCertificate is HTTP 500), so the calls that name
 * the renewed ARN are sent to moto for the other certificate.
 */
function renewedAcm(renewals: Record<string, string>): Pick<ACMClient, 'send'> {
  return {
    send: (command: any) => {
      const arn = command.input?.CertificateArn;
      const renewedTo = arn === undefined ? undefined : renewals[arn];
      return acm.send(renewedTo !== undefined ? new command.constructor({ ...command.input, CertificateArn: renewedTo }) : command);
    },
  } as Pick<ACMClient, 'send'>;
}

/** The version ID that holds a stage label. */
async function stage(secretArn: string, label: string): Promise<string | undefined> {
  return (await sm.send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: label }))).VersionId;
}

function spki(pem: string): string {
  return createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
}

beforeAll(resetMoto);

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
    const renewed = await fixture('renewed');
    const created = await handlerWith()(cfnEvent('Create', properties(f)));
    const before = await versions(f.secretArn);

    // ACM renewed f's certificate (its ARN now serves the other certificate).
    const handler = handlerWith({ acm: () => renewedAcm({ [f.certificateArn]: renewed.certificateArn }) });
    const res = await handler(renewalEvent([properties(f)], [f.certificateArn]));
    expect(res.Exports).toEqual([{ SecretArn: f.secretArn, VersionId: expect.stringMatching(/^[0-9a-f-]{36}$/), Written: true }]);
    expect(res.Exports![0].VersionId).not.toBe(created.Data!.VersionId);
    const after = await versions(f.secretArn);
    expect(after).toHaveLength(before.length + 1);
    expect(new X509Certificate((await stored(f.secretArn)).certificate).subject).toContain('CN=renewed.example.com');
    // The pre-renewal certificate stays in AWSPREVIOUS.
    expect(await stored(f.secretArn, created.Data!.VersionId)).toMatchObject({ certificate: expect.stringContaining('BEGIN CERTIFICATE') });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: f.secretArn, VersionStage: 'AWSPREVIOUS' }))).VersionId).toBe(created.Data!.VersionId);

    // The input of the per-export rules of earlier versions (one object) still works; the Health event of the same renewal writes nothing.
    const health = await handler(renewalEvent(properties(f), [f.certificateArn], 'aws.health'));
    expect(health.Exports).toEqual([{ SecretArn: f.secretArn, VersionId: res.Exports![0].VersionId, Written: false }]);

    const other = f.certificateArn.replace(/[0-9a-f]{8}-/, '00000000-');
    expect(await handler(renewalEvent([properties(f)], [other]))).toEqual({});
    expect(await versions(f.secretArn)).toHaveLength(before.length + 1);
  });

  test('a renewal event for one certificate of a batch re-exports only that certificate\'s secrets', async () => {
    const a = await fixture('alpha');
    const b = await fixture('beta');
    const renewedA = await fixture('alpha-renewed');
    // A second export of certificate A, into its own secret, in the same batch.
    const a2 = { ...a, secretArn: (await sm.send(new CreateSecretCommand({ Name: `pki/alpha-second-${++fixtures}`, SecretString: 'placeholder' }))).ARN! };
    const handler = handlerWith();
    for (const f of [a, b, a2]) await handler(cfnEvent('Create', properties(f)));
    await handler(cfnEvent('Create', properties(a2, { StoreDecryptedKey: 'true' })));
    const before = { a: await versions(a.secretArn), b: await versions(b.secretArn), a2: await versions(a2.secretArn) };
    const bValue = await stored(b.secretArn);

    const batch = [properties(a), properties(b), properties(a2, { StoreDecryptedKey: 'true' })];
    const renewing = handlerWith({ acm: () => renewedAcm({ [a.certificateArn]: renewedA.certificateArn }) });
    const renewed = await renewing(renewalEvent(batch, [a.certificateArn]));
    expect(renewed.Exports!.map((e) => e.SecretArn)).toEqual([a.secretArn, a2.secretArn]);
    expect(await versions(a.secretArn)).toEqual(expect.arrayContaining([...before.a, renewed.Exports![0].VersionId]));
    expect(await versions(a.secretArn)).toHaveLength(before.a.length + 1);
    expect(await versions(a2.secretArn)).toHaveLength(before.a2.length + 1);
    expect(await versions(b.secretArn)).toEqual(before.b);
    expect(await stored(b.secretArn)).toEqual(bValue);
    // Each export keeps its own options: the second export of A stores the decrypted key.
    expect((await stored(a.secretArn)).privateKey).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect((await stored(a2.secretArn)).privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(new X509Certificate((await stored(a.secretArn)).certificate).subject).toContain('CN=alpha-renewed.example.com');
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
    const bad = await sm.send(new CreateSecretCommand({ Name: `bad-passphrase-${++fixtures}`, SecretString: 'abc$def' }));
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
    // The fuzz counterexample of seed -349232369: a field that is neither a string nor a number is refused, not a TypeError.
    expect(() => planExport({ RequestType: 'Delete', ResourceProperties: props, PhysicalResourceId: { toString: [] } }))
      .toThrow(new Error('PhysicalResourceId {"toString":[]} is not a string'));
    expect(() => planExport(cfnEvent('Update', { ...props, RenewalToken: [] }, props, CERT))).toThrow('RenewalToken [] is not a string');
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

describe('issue 13: idempotent, self-healing re-export (against moto)', () => {
  const scheduled = (props: Array<Record<string, unknown>>) => ({
    [RENEWAL_EVENT_KEY]: props,
    event: { 'source': 'aws.events', 'detail-type': 'Scheduled Event', 'resources': ['arn:aws:events:us-east-1:123456789012:rule/r'], 'detail': {} },
  });

  test('issue 13 (5): one renewal sends an ACM and a Health event at once: exactly one new version, AWSPREVIOUS keeps the old certificate', async () => {
    const f = await fixture();
    const renewed = await fixture('renewed');
    const created = await handlerWith()(cfnEvent('Create', properties(f)));
    const before = await versions(f.secretArn);
    const handler = handlerWith({ acm: () => renewedAcm({ [f.certificateArn]: renewed.certificateArn }) });
    const results = await Promise.all([
      handler(renewalEvent([properties(f)], [f.certificateArn])),
      handler(renewalEvent([properties(f)], [f.certificateArn], 'aws.health')),
      handler(renewalEvent([properties(f)], [f.certificateArn])), // EventBridge delivers at least once
    ]);
    const ids = new Set(results.map((r) => r.Exports![0].VersionId));
    expect(ids.size).toBe(1);
    expect(await versions(f.secretArn)).toHaveLength(before.length + 1);
    expect(await stage(f.secretArn, 'AWSCURRENT')).toBe([...ids][0]);
    expect(await stage(f.secretArn, 'AWSPREVIOUS')).toBe(created.Data!.VersionId);
    expect(new X509Certificate((await stored(f.secretArn)).certificate).subject).toContain('CN=renewed.example.com');
  });

  test('issue 13 (5): events for an unchanged serial (a Health event after the renewal, an "expired" event, a re-delivery) write no version', async () => {
    const f = await fixture();
    const handler = handlerWith();
    const created = await handler(cfnEvent('Create', properties(f)));
    const before = await versions(f.secretArn);
    const health = await handler(renewalEvent([properties(f)], [f.certificateArn], 'aws.health'));
    expect(health.Exports).toEqual([{ SecretArn: f.secretArn, VersionId: created.Data!.VersionId, Written: false }]);
    const expired = {
      [RENEWAL_EVENT_KEY]: [properties(f)],
      event: { 'source': 'aws.health', 'detail-type': 'AWS Health Event', 'resources': [f.certificateArn], 'detail': { service: 'ACM', eventTypeCode: 'AWS_ACM_CERTIFICATE_EXPIRED' } },
    };
    expect(await handler(expired)).toEqual({});
    expect(await handler(renewalEvent([properties(f)], [f.certificateArn]))).toMatchObject({ Exports: [{ Written: false }] });
    expect(await versions(f.secretArn)).toEqual(before);
  });

  test('issue 13 (5): a re-delivered Create and concurrent Creates store one version; a stale secret gets the version back as current', async () => {
    const f = await fixture();
    const handler = handlerWith();
    const results = await Promise.all([1, 2, 3].map(() => handler(cfnEvent('Create', properties(f)))));
    expect(new Set(results.map((r) => r.Data!.VersionId)).size).toBe(1);
    expect(await versions(f.secretArn)).toHaveLength(2); // the placeholder and one export
    const again = await handler(cfnEvent('Create', properties(f)));
    expect(again.Data!.VersionId).toBe(results[0].Data!.VersionId);
    // Someone wrote another value: the same serial's version becomes current again, without a new version.
    await sm.send(new PutSecretValueCommand({ SecretId: f.secretArn, SecretString: '{"certificate":"stale"}' }));
    await handler(cfnEvent('Create', properties(f)));
    expect(await versions(f.secretArn)).toHaveLength(3);
    expect(await stage(f.secretArn, 'AWSCURRENT')).toBe(results[0].Data!.VersionId);
  });

  test('issue 13 (4): the reconcile run re-exports what a lost event missed (serial and NotAfter differ), then does nothing', async () => {
    const f = await fixture();
    const g = await fixture('other');
    const renewed = await fixture('renewed');
    const handler = handlerWith();
    await handler(cfnEvent('Create', properties(f)));
    await handler(cfnEvent('Create', properties(g)));
    const before = { f: await versions(f.secretArn), g: await versions(g.secretArn) };
    // f was renewed and its event was lost; g is up to date.
    const reconcile = handlerWith({ acm: () => renewedAcm({ [f.certificateArn]: renewed.certificateArn }) });
    const res = await reconcile(scheduled([properties(f), properties(g)]));
    expect(res.Exports!.map((e) => [e.SecretArn, e.Written])).toEqual([[f.secretArn, true], [g.secretArn, false]]);
    expect(await versions(f.secretArn)).toHaveLength(before.f.length + 1);
    expect(await versions(g.secretArn)).toEqual(before.g);
    expect(new X509Certificate((await stored(f.secretArn)).certificate).subject).toContain('CN=renewed.example.com');
    expect((await reconcile(scheduled([properties(f), properties(g)]))).Exports!.map((e) => e.Written)).toEqual([false, false]);
  });

  test('issue 13 (4): a secret that holds no certificate (placeholder) is exported by the reconcile run', async () => {
    const f = await fixture();
    const res = await handlerWith()(scheduled([properties(f)]));
    expect(res.Exports).toEqual([{ SecretArn: f.secretArn, VersionId: expect.stringMatching(/^[0-9a-f-]{36}$/), Written: true }]);
  });
});

describe('issue 13: fault injection (test/harness/faults.ts) against moto', () => {
  /*
   * Scenario table: every transient fault kind on every call of a Create and of a reconcile run,
   * injected at the SDK layer (one HTTP attempt fails; the SDK retries it, as in Lambda). The
   * assertion each time: the handler succeeds, the secret holds exactly one version per serial
   * and its current version holds the certificate in ACM (no duplicate, no lost or stale material).
   */
  const COMMANDS = ['GetSecretValue', 'ExportCertificate', 'DescribeSecret', 'PutSecretValue', 'DescribeCertificate'];
  const table = faultScenarios(COMMANDS);

  test.each(table)('issue 13 faults: $name (SDK layer): one version per serial, current material', async (scenario) => {
    const f = await fixture();
    const renewed = await fixture('renewed');
    const faults = faultInjector();
    const faultyAcm = faults.attach(new ACMClient(cfg), 'sdk');
    const faultySm = faults.attach(new SecretsManagerClient(cfg), 'sdk');
    faults.add(toFault(scenario));
    const created = await handlerWith({ acm: () => faultyAcm, secretsManager: faultySm })(cfnEvent('Create', properties(f)));
    // A renewal (moto cannot renew: the ARN now serves another certificate), under the same fault table row afresh.
    faults.faults.splice(0);
    faults.add(toFault(scenario));
    const renewedClient = {
      send: (c: any) => faultyAcm.send(c.input?.CertificateArn === f.certificateArn
        ? new c.constructor({ ...c.input, CertificateArn: renewed.certificateArn }) : c),
    };
    const res = await handlerWith({ acm: () => renewedClient as any, secretsManager: faultySm })(renewalEvent([properties(f)], [f.certificateArn]));
    expect(await versions(f.secretArn)).toHaveLength(3); // placeholder, Create, renewal: no duplicate
    expect(await stage(f.secretArn, 'AWSCURRENT')).toBe(res.Exports![0].VersionId);
    expect(await stage(f.secretArn, 'AWSPREVIOUS')).toBe(created.Data!.VersionId);
    expect(new X509Certificate((await stored(f.secretArn)).certificate).subject).toContain('CN=renewed.example.com');
    expect(faults.injected().length).toBeGreaterThan(0);
  });

  test.each(faultScenarios(['GetSecretValue', 'ExportCertificate', 'PutSecretValue'], ['throttling', 'internal', 'timeout'], { times: 99 }))(
    'issue 13 faults: $name (handler layer, persistent): a clear error naming the call, and nothing written', async (scenario) => {
      const f = await fixture();
      const faults = faultInjector([toFault(scenario)]);
      const before = await versions(f.secretArn);
      const handler = handlerWith({ acm: () => faults.attach(new ACMClient(cfg)), secretsManager: faults.attach(new SecretsManagerClient(cfg)) });
      const arn = scenario.command === 'ExportCertificate' ? f.certificateArn : scenario.command === 'GetSecretValue' ? f.passphraseSecretArn : f.secretArn;
      await expect(handler(cfnEvent('Create', properties(f)))).rejects.toThrow(new RegExp(`^${scenario.command} of ${arn.replace(/[/+.]/g, '\\$&')} (failed: \\w+: |still failed with \\w+ after 2 attempts)`));
      expect(await versions(f.secretArn)).toEqual(before);
    });

  test.each(['internal', 'unavailable', 'timeout', 'network', 'throttling'] as const)(
    'issue 13 (6): one retry layer: with single-attempt clients (as deployed) the handler itself retries %s, one SDK attempt per retry', async (kind) => {
      const f = await fixture();
      const single = { ...cfg, maxAttempts: 1 };
      const faults = faultInjector([fault(kind, 'ExportCertificate', { times: 2 })]);
      const faultyAcm = faults.attach(new ACMClient(single), 'sdk');
      const res = await handlerWith({ acm: () => faultyAcm, secretsManager: new SecretsManagerClient(single), retry: { baseDelayMs: 1, attempts: 4 } })(cfnEvent('Create', properties(f)));
      expect(res.Data!.VersionId).toBeDefined();
      expect(faults.count('ExportCertificate')).toBe(3);
    });

  test('issue 13 (6): past the Lambda deadline the handler stops with a named error before the timeout, not "Task timed out"', async () => {
    const f = await fixture();
    const faults = faultInjector([fault('throttling', 'ExportCertificate', { times: 99 })]);
    const handler = createCertificateExportHandler({
      acm: () => faults.attach(new ACMClient(cfg)), secretsManager: sm, retry: { baseDelayMs: 1000 }, log: () => undefined,
    });
    const started = Date.now();
    await expect(handler(cfnEvent('Create', properties(f)), { getRemainingTimeInMillis: () => 10_500 - (Date.now() - started) }))
      .rejects.toThrow(/^ExportCertificate of \S+ still failed with ThrottlingException after \d+ attempts?, and the handler has \d+ s left.*gave up before its Lambda timeout/);
  });

  test('issue 13 (6): a lost PutSecretValue answer is retried by the handler with the same token: the renewal succeeds with one version', async () => {
    const f = await fixture();
    const renewed = await fixture('renewed');
    await handlerWith()(cfnEvent('Create', properties(f)));
    const before = await versions(f.secretArn);
    const faults = faultInjector([fault('lost-response', 'PutSecretValue', { times: 1 })]);
    const secretsManager = faults.attach(new SecretsManagerClient(cfg));
    const handler = handlerWith({ acm: () => renewedAcm({ [f.certificateArn]: renewed.certificateArn }), secretsManager });
    const res = await handler(renewalEvent([properties(f)], [f.certificateArn]));
    expect(res.Exports![0].Written).toBe(true);
    expect(faults.count('PutSecretValue')).toBe(2);
    expect(await versions(f.secretArn)).toHaveLength(before.length + 1);
  });

  test('issue 13 faults: a renewal that failed (async invocation) heals on the next delivery or reconcile with one version', async () => {
    const f = await fixture();
    const renewed = await fixture('renewed');
    await handlerWith()(cfnEvent('Create', properties(f)));
    const before = await versions(f.secretArn);
    const faults = faultInjector([fault('lost-response', 'PutSecretValue', { times: 2 })]);
    const sm2 = faults.attach(new SecretsManagerClient(cfg));
    const handler = handlerWith({ acm: () => renewedAcm({ [f.certificateArn]: renewed.certificateArn }), secretsManager: sm2 });
    // Every answer of the write was lost (it took effect): the invocation fails (Lambda retries it, then the dead-letter queue).
    await expect(handler(renewalEvent([properties(f)], [f.certificateArn]))).rejects.toThrow(/PutSecretValue of .* still failed with ECONNRESET after 2 attempts/);
    const retried = await handler(renewalEvent([properties(f)], [f.certificateArn]));
    expect(retried.Exports![0].Written).toBe(false);
    expect(await versions(f.secretArn)).toHaveLength(before.length + 1);
  });
});

describe('issue 13 fuzz: export planning and the version logic (fast-check)', () => {
  const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
  const params = { numRuns: RUNS, ...(process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) }) };
  const json = fc.jsonValue({ maxDepth: 3 });
  const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

  test(`planExport: any invocation is planned or refused with an Error naming the field, never a crash (${RUNS} cases)`, () => {
    const exportProps = fc.record({
      CertificateArn: fc.oneof(fc.constant(CERT), fc.string(), json),
      SecretArn: fc.oneof(fc.string(), json),
      PassphraseSecretArn: fc.string(),
      StoreDecryptedKey: json,
    });
    const events = fc.oneof(
      json,
      fc.record({ RequestType: fc.constantFrom('Create', 'Update', 'Delete', 'Other'), ResourceProperties: fc.oneof(json, exportProps), OldResourceProperties: json, PhysicalResourceId: json }),
      fc.record({ [RENEWAL_EVENT_KEY]: fc.oneof(json, fc.array(exportProps, { maxLength: 3 })), event: fc.oneof(json, fc.record({ 'source': fc.constantFrom('aws.acm', 'aws.health', 'aws.events'), 'detail-type': fc.string(), 'resources': fc.oneof(json, fc.constant([CERT])), 'detail': json })) }),
    );
    fc.assert(fc.property(events, (event) => {
      try {
        expect(['export', 'reexport', 'none']).toContain(planExport(event).action);
        describeInvocation(event);
      } catch (err) {
        expect((err as Error).constructor).toBe(Error);
        expect((err as Error).message).toMatch(/is not|holds no export|not a CloudFormation or renewal event/);
      }
    }), params);
  });

  test(`the version token is one UUID-shaped ID per certificate, serial and key form; serial readings agree (${RUNS} cases)`, () => {
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: 2n ** 159n }), fc.boolean(), (serial, decrypted) => {
      const hex = serial.toString(16);
      const token = versionToken(CERT, hex, decrypted);
      expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(versionToken(CERT, `00${hex.toUpperCase()}`, decrypted)).toBe(token);
      expect(versionToken(CERT, hex, !decrypted)).not.toBe(token);
      expect(versionToken(CERT.replace('1111', '2222'), hex, decrypted)).not.toBe(token);
      // ACM's colon form and moto's decimal both read back to the X.509 serial.
      const colon = (hex.length % 2 ? `0${hex}` : hex).match(/../g)!.join(':');
      expect(acmSerialCandidates(colon)).toContain(hex);
      expect(acmSerialCandidates(serial.toString())).toContain(hex);
      const notAfter = new Date(Date.UTC(2030, 0, 1));
      expect(reexportReason({ serial: colon, notAfter }, { serial: hex, notAfter: notAfter.toISOString() })).toBeUndefined();
      expect(reexportReason({ serial: colon, notAfter: new Date(notAfter.getTime() + 1000) }, { serial: hex, notAfter: notAfter.toISOString() }))
        .toBe('the NotAfter in ACM differs from the stored one');
    }), params);
  });

  test(`stored values that hold no certificate read as none, never a crash (${RUNS} cases)`, () => {
    fc.assert(fc.property(fc.oneof(fc.string(), json.map((j) => JSON.stringify(j)), fc.constant(JSON.stringify({ certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' }))), (value) => {
      expect(storedIdentity(value)).toBeUndefined();
    }), params);
    expect(() => identityOfPem('nope')).toThrow('the exported certificate does not parse as an X.509 certificate');
    expect(reexportReason({ serial: 'ab:cd', notAfter: new Date() }, undefined)).toBe('the secret holds no certificate yet');
    expect(reexportReason({}, { serial: 'abcd', notAfter: '' })).toBe('ACM reports no serial number or NotAfter');
    expect(reexportReason({ serial: 'ab:ce', notAfter: new Date() }, { serial: 'abcd', notAfter: '' })).toBe('the serial number in ACM differs from the stored one');
    expect(planVersionWrite('t', undefined)).toBe('put');
    expect(planVersionWrite('t', { t: ['AWSPREVIOUS'] })).toBe('promote');
    expect(planVersionWrite('t', { t: ['AWSCURRENT'] })).toBe('current');
  });
});
