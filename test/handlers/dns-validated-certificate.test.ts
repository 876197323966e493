import {
  DescribeCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
} from '@aws-sdk/client-acm';
import { ChangeResourceRecordSetsCommand, ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  certProps,
  cnames,
  createRole,
  createZone,
  dnsEvent,
  Fault,
  harness,
  Harness,
  OWN_ACCOUNT,
  withResponse,
  ZONE_ACCOUNT,
} from './dns-validated-certificate-fixtures';
import { createdRecordHashes, recordHash } from '../../src/handlers/dns-validated-certificate/logic';
import { SECRET_RESPONSE_URL } from '../harness/cfn-event';
import { motoClientConfig, resetMoto } from '../harness/moto';
import { MOTO_ACM_VALIDATION_WAIT_SECONDS } from '../harness/paths';

/*
 * The Custom::CdkPkiDnsValidatedCertificate handlers (onEvent + isComplete) against moto_server:
 * ACM (DNS validation records, status, tags, idempotency), Route 53 (records read back from the
 * zone) and STS AssumeRole (a zone of another account: moto routes the assumed role's requests to
 * the role's account, so a record lands in that account's zone only through the role).
 *
 * moto 5.2.5 behaviour the tests rely on: every DNS name gets ResourceRecord
 * `_d930b28be6c5927595552b219965053e.<name without "*.">.` → one fixed value; a certificate turns
 * ISSUED on the first read more than MOTO_ACM_VALIDATION_WAIT seconds after its request (moto's
 * default is 60; the global setup sets MOTO_ACM_VALIDATION_WAIT_SECONDS). Known gaps,
 * fault-injected by wrapping the client's send (and only for these): UpdateCertificateOptions is not implemented, a certificate is never "in use", never FAILED, and
 * never throttled.
 */

const REGION = 'eu-west-1';

/** Every log line of every test. */
const allLogs: string[] = [];
/** Every credential value an AssumeRole returned, across all tests. */
const allCredentials: string[] = [];
/** Every handler response, across all tests. */
const allResponses: unknown[] = [];

function h(o: Parameters<typeof harness>[0] = {}): Harness {
  const made = harness({ ...o, logs: allLogs });
  const wrap = <F extends (e: any) => Promise<any>>(fn: F) => (async (e: any) => {
    const res = await fn(e);
    allResponses.push(res);
    return res;
  }) as F;
  return { ...made, onEvent: wrap(made.onEvent), isComplete: wrap(made.isComplete) };
}

function count(calls: Harness['calls'], command: string): number {
  return calls.filter((c) => c.command === command).length;
}

async function describe_(arn: string) {
  return (await h().acm(REGION).send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
}

async function tagsOf(arn: string): Promise<Record<string, string>> {
  const res = await h().acm(REGION).send(new ListTagsForCertificateCommand({ CertificateArn: arn }));
  return Object.fromEntries((res.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
}

async function listedCertificates(): Promise<string[]> {
  const res = await h().acm(REGION).send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] } }));
  return (res.CertificateSummaryList ?? []).map((c) => c.CertificateArn!);
}

/** Create + one isComplete poll: the certificate is requested and its records written. */
async function createAndPoll(hh: Harness, props: Record<string, unknown>) {
  const create = dnsEvent('Create', props);
  const res = await hh.onEvent(create);
  const poll = await hh.isComplete(withResponse(create, res));
  return { arn: res.PhysicalResourceId!, poll, event: withResponse(create, res) };
}

beforeEach(resetMoto);

afterAll(() => {
  // No credential of an assumed role, and no response URL, in any log line or response of any test.
  const text = [...allLogs, ...allResponses.map((r) => JSON.stringify(r))].join('\n');
  for (const secret of allCredentials) {
    expect(text).not.toContain(secret);
  }
  expect(text).not.toContain('SECRET-PRESIGNED-TOKEN');
  expect(text).not.toMatch(/SecretAccessKey|SessionToken|secretAccessKey|sessionToken/);
  expect(SECRET_RESPONSE_URL).toContain('SECRET-PRESIGNED-TOKEN');
  for (const line of allLogs) {
    expect(() => JSON.parse(line)).not.toThrow();
  }
});

describe('Create and isComplete', () => {
  test('requests the certificate, writes ACM\'s CNAMEs into the zone, and completes when ACM issues it', async () => {
    const zone = await createZone('example.com');
    const hh = h();
    const props = certProps({
      sans: ['*.app.example.com', 'www.example.com'],
      validation: [
        { DomainName: 'app.example.com', HostedZoneId: zone },
        { DomainName: 'www.example.com', HostedZoneId: zone },
      ],
    });
    const create = dnsEvent('Create', props);
    const res = await hh.onEvent(create);
    expect(res).toEqual({ PhysicalResourceId: expect.stringMatching(/^arn:aws:acm:eu-west-1:123456789012:certificate\/[0-9a-f-]{36}$/) });
    const arn = res.PhysicalResourceId!;
    // onEvent does not wait for or write the records.
    expect(count(hh.calls, 'ChangeResourceRecordSetsCommand')).toBe(0);

    const request = hh.calls.find((c) => c.command === 'RequestCertificateCommand')!.input;
    expect(request).toMatchObject({
      DomainName: 'app.example.com',
      SubjectAlternativeNames: ['*.app.example.com', 'www.example.com'],
      ValidationMethod: 'DNS',
      KeyAlgorithm: 'RSA_2048',
      Options: { CertificateTransparencyLoggingPreference: 'ENABLED', Export: 'DISABLED' },
      IdempotencyToken: expect.stringMatching(/^\w{32}$/),
    });
    // No record written yet, so no ownership tag yet.
    expect(await tagsOf(arn)).toEqual({ 'team': 'platform', 'cdk-pki:stack-id': create.StackId, 'cdk-pki:logical-id': 'SiteCertificate' });

    const event = withResponse(create, res);
    expect(await hh.isComplete(event)).toEqual({ IsComplete: false });

    // The records in the zone are exactly ACM's: the wildcard and its apex share one.
    const detail = await describe_(arn);
    const expected = new Map(detail.DomainValidationOptions!.map((d) => [d.ResourceRecord!.Name!, d.ResourceRecord!.Value!]));
    expect(expected.size).toBe(2);
    const written = await cnames(zone);
    expect(new Map(written.map((r) => [r.Name!, r.ResourceRecords![0].Value!]))).toEqual(expected);
    expect(written.every((r) => r.TTL === 300)).toBe(true);
    expect(createdRecordHashes(Object.entries(await tagsOf(arn)).map(([Key, Value]) => ({ Key, Value }))))
      .toEqual(new Set([...expected.keys()].map((n) => recordHash(zone, n))));

    // Later polls only read: records already right are not written again.
    let result = await hh.isComplete(event);
    expect(count(hh.calls, 'ChangeResourceRecordSetsCommand')).toBe(1);
    const started = Date.now();
    while (!result.IsComplete && Date.now() - started < (MOTO_ACM_VALIDATION_WAIT_SECONDS + 20) * 1000) {
      await new Promise((r) => setTimeout(r, 1_000));
      result = await hh.isComplete(event);
    }
    expect(result).toEqual({ IsComplete: true, Data: { CertificateArn: arn } });
    expect((await describe_(arn)).Status).toBe('ISSUED');
    expect(count(hh.calls, 'ChangeResourceRecordSetsCommand')).toBe(1);
  }, 110_000);

  test('a retried Create (same RequestId) returns the same certificate; another request makes a new one', async () => {
    const zone = await createZone('example.com');
    const hh = h();
    const props = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const first = await hh.onEvent(dnsEvent('Create', props));
    const retried = await hh.onEvent(dnsEvent('Create', props));
    expect(retried.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(await listedCertificates()).toEqual([first.PhysicalResourceId]);

    const other = await hh.onEvent(dnsEvent('Create', props, { requestId: 'req-2' }));
    expect(other.PhysicalResourceId).not.toBe(first.PhysicalResourceId);
    expect((await listedCertificates()).sort()).toEqual([first.PhysicalResourceId, other.PhysicalResourceId].sort());
  });

  test('throttling is retried (and logged without a message); the request still makes one certificate', async () => {
    const zone = await createZone('example.com');
    const faults: Fault[] = [{ command: 'RequestCertificateCommand', times: 2, error: 'ThrottlingException' }];
    const hh = h({ faults });
    const res = await hh.onEvent(dnsEvent('Create', certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] })));
    expect(count(hh.calls, 'RequestCertificateCommand')).toBe(3);
    expect(await listedCertificates()).toEqual([res.PhysicalResourceId]);
    expect(allLogs.filter((l) => l.includes('"retrying"') && l.includes('ThrottlingException')).length).toBeGreaterThanOrEqual(2);
  });

  test('names in several zones: each record goes into the zone of its Validation entry only', async () => {
    const apex = await createZone('example.com');
    const dev = await createZone('dev.example.com');
    const hh = h();
    const { arn, poll } = await createAndPoll(hh, certProps({
      domainName: 'app.example.com',
      sans: ['*.app.example.com', 'api.dev.example.com', '*.dev.example.com'],
      validation: [
        { DomainName: 'app.example.com', HostedZoneId: apex },
        { DomainName: 'api.dev.example.com', HostedZoneId: dev },
        { DomainName: 'dev.example.com', HostedZoneId: dev },
      ],
    }));
    expect(poll).toEqual({ IsComplete: false });
    expect((await cnames(apex)).map((r) => r.Name)).toEqual(['_d930b28be6c5927595552b219965053e.app.example.com.']);
    expect((await cnames(dev)).map((r) => r.Name).sort()).toEqual([
      '_d930b28be6c5927595552b219965053e.api.dev.example.com.',
      '_d930b28be6c5927595552b219965053e.dev.example.com.',
    ]);
    expect(allLogs.some((l) => l.includes('"validation records upserted"') && l.includes(arn) && l.includes(dev))).toBe(true);
  });

  test('a zone of another account is reached by assuming the role (with ExternalId); no credentials are logged', async () => {
    const zone = await createZone('partner.example.org', ZONE_ACCOUNT);
    const roleArn = await createRole(ZONE_ACCOUNT, 'dns-validation');
    expect(roleArn).toBe(`arn:aws:iam::${ZONE_ACCOUNT}:role/dns-validation`);
    const hh = h();
    const { arn, poll } = await createAndPoll(hh, certProps({
      domainName: 'shop.partner.example.org',
      sans: ['api.partner.example.org'],
      validation: [
        { DomainName: 'shop.partner.example.org', HostedZoneId: zone, RoleArn: roleArn, ExternalId: 'cdk-pki-test' },
        { DomainName: 'api.partner.example.org', HostedZoneId: zone, RoleArn: roleArn, ExternalId: 'cdk-pki-test' },
      ],
    }));
    expect(poll).toEqual({ IsComplete: false });
    // One AssumeRole per invocation for both records, with our session name and the external ID.
    const assumed = hh.calls.filter((c) => c.command === 'AssumeRoleCommand');
    expect(assumed).toHaveLength(1);
    expect(assumed[0].input).toMatchObject({ RoleArn: roleArn, RoleSessionName: 'cdk-pki-dns-validation', ExternalId: 'cdk-pki-test' });
    // The records are in the other account's zone: moto routed the role's requests there.
    expect((await cnames(zone, ZONE_ACCOUNT)).map((r) => r.Name).sort()).toEqual([
      '_d930b28be6c5927595552b219965053e.api.partner.example.org.',
      '_d930b28be6c5927595552b219965053e.shop.partner.example.org.',
    ]);
    const own = new Route53Client(motoClientConfig());
    expect((await own.send(new ListHostedZonesCommand({}))).HostedZones ?? []).toEqual([]);
    expect(allLogs.some((l) => l.includes('"assumed role"') && l.includes(`arn:aws:sts::${ZONE_ACCOUNT}:assumed-role/dns-validation/cdk-pki-dns-validation`))).toBe(true);

    // Delete cleans up in the other account's zone through the role too.
    await hh.onEvent(dnsEvent('Delete', certProps({
      domainName: 'shop.partner.example.org',
      sans: ['api.partner.example.org'],
      validation: [
        { DomainName: 'shop.partner.example.org', HostedZoneId: zone, RoleArn: roleArn, ExternalId: 'cdk-pki-test' },
        { DomainName: 'api.partner.example.org', HostedZoneId: zone, RoleArn: roleArn, ExternalId: 'cdk-pki-test' },
      ],
    }), { physicalId: arn }));
    expect(await cnames(zone, ZONE_ACCOUNT)).toEqual([]);

    expect(hh.issuedCredentials.length).toBeGreaterThanOrEqual(4);
    allCredentials.push(...hh.issuedCredentials);
    for (const secret of hh.issuedCredentials) {
      expect(allLogs.join('\n')).not.toContain(secret);
    }
  });

  test('isComplete before ACM publishes the records says "not complete" and writes nothing', async () => {
    const zone = await createZone('example.com');
    const faults: Fault[] = [{
      command: 'DescribeCertificateCommand',
      times: 1,
      patch: (out) => {
        const unpublished = out.Certificate.DomainValidationOptions.map((d: any) => ({ ...d, ResourceRecord: undefined }));
        return { ...out, Certificate: { ...out.Certificate, DomainValidationOptions: unpublished } };
      },
    }];
    const hh = h({ faults });
    const { poll } = await createAndPoll(hh, certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] }));
    expect(poll).toEqual({ IsComplete: false });
    expect(count(hh.calls, 'ChangeResourceRecordSetsCommand')).toBe(0);
    expect(await cnames(zone)).toEqual([]);
  });

  test('after ValidationTimeoutSeconds isComplete fails naming each pending name, its record and zone, and validationTimeout', async () => {
    const zone = await createZone('example.com');
    const dev = await createZone('dev.example.com');
    const later = h({ now: () => new Date(Date.now() + 125_000) });
    const props = certProps({
      sans: ['api.dev.example.com'],
      timeoutSeconds: 120,
      validation: [
        { DomainName: 'app.example.com', HostedZoneId: zone },
        { DomainName: 'api.dev.example.com', HostedZoneId: dev },
      ],
    });
    const create = dnsEvent('Create', props);
    const res = await later.onEvent(create);
    const arn = res.PhysicalResourceId!;
    const error = await later.isComplete(withResponse(create, res)).then(() => undefined, (e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = error!.message;
    expect(message).toContain(`certificate ${arn} was not validated within 120 seconds`);
    expect(message).toContain(`app.example.com (PENDING_VALIDATION): check CNAME _d930b28be6c5927595552b219965053e.app.example.com. -> _c9edd76ee4a0e2a74388032f3861cc50.ykybfrwcxw.acm-validations.aws. in hosted zone ${zone}`);
    expect(message).toContain(`api.dev.example.com (PENDING_VALIDATION): check CNAME _d930b28be6c5927595552b219965053e.api.dev.example.com. -> _c9edd76ee4a0e2a74388032f3861cc50.ykybfrwcxw.acm-validations.aws. in hosted zone ${dev}`);
    expect(message).toContain('raise `validationTimeout`');
    // The records were still written, so a retry with a longer timeout finds them.
    expect(await cnames(dev)).toHaveLength(1);

    // Before the deadline the same poll just says "not yet".
    expect(await h().isComplete(withResponse(create, res))).toEqual({ IsComplete: false });
  });

  test('a certificate ACM failed makes isComplete fail with the FailureReason', async () => {
    const zone = await createZone('example.com');
    const faults: Fault[] = [{
      command: 'DescribeCertificateCommand',
      times: 1,
      patch: (out) => ({
        ...out,
        Certificate: {
          ...out.Certificate,
          Status: 'FAILED',
          FailureReason: 'CAA_ERROR',
          DomainValidationOptions: out.Certificate.DomainValidationOptions.map((d: any) => ({ ...d, ValidationStatus: 'FAILED' })),
        },
      }),
    }];
    const hh = h({ faults });
    const create = dnsEvent('Create', certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] }));
    const res = await hh.onEvent(create);
    await expect(hh.isComplete(withResponse(create, res)))
      .rejects.toThrow(/is FAILED \(FailureReason CAA_ERROR\); names not validated: app\.example\.com \(FAILED\)/);
  });
});

describe('Update', () => {
  test('tags and CT logging change in place: same ARN, user tags replaced, own tags kept', async () => {
    const zone = await createZone('example.com');
    // moto does not implement UpdateCertificateOptions: the wrapper answers it (and records the call).
    const hh = h({ faults: [{ command: 'UpdateCertificateOptionsCommand', times: 1, respond: () => ({}) }] });
    const oldProps = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }], tags: [{ Key: 'team', Value: 'platform' }, { Key: 'old', Value: '1' }] });
    const { arn } = await createAndPoll(hh, oldProps);

    const newProps = certProps({
      validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }],
      logging: 'DISABLED',
      tags: [{ Key: 'team', Value: 'payments' }, { Key: 'new', Value: '2' }],
    });
    const update = dnsEvent('Update', newProps, { physicalId: arn, oldProps });
    const res = await hh.onEvent(update);
    expect(res).toEqual({ PhysicalResourceId: arn, Data: { CertificateArn: arn } });
    const tags = await tagsOf(arn);
    expect(tags).toMatchObject({ 'team': 'payments', 'new': '2', 'cdk-pki:logical-id': 'SiteCertificate' });
    expect(tags).not.toHaveProperty('old');
    expect(tags['cdk-pki:created-records']).toBeDefined();
    expect(hh.calls.filter((c) => c.command === 'UpdateCertificateOptionsCommand').map((c) => c.input))
      .toEqual([{ CertificateArn: arn, Options: { CertificateTransparencyLoggingPreference: 'DISABLED' } }]);
    expect(count(hh.calls, 'RequestCertificateCommand')).toBe(1);
    expect(await hh.isComplete(withResponse(update, res))).toEqual({ IsComplete: true, Data: { CertificateArn: arn } });
  });

  test('a new hosted zone mapping is applied in place: the records are written into the new zone', async () => {
    const zone = await createZone('example.com');
    const moved = await createZone('app.example.com');
    const hh = h();
    const oldProps = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const { arn } = await createAndPoll(hh, oldProps);
    const newProps = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: moved }] });
    const res = await hh.onEvent(dnsEvent('Update', newProps, { physicalId: arn, oldProps }));
    expect(res.PhysicalResourceId).toBe(arn);
    expect((await cnames(moved)).map((r) => r.Name)).toEqual(['_d930b28be6c5927595552b219965053e.app.example.com.']);
  });

  test('a changed name or key algorithm requests a new certificate, whose isComplete writes its records', async () => {
    const zone = await createZone('example.com');
    const hh = h();
    const oldProps = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const { arn } = await createAndPoll(hh, oldProps);
    const newProps = certProps({
      sans: ['api.example.com'],
      keyAlgorithm: 'EC_prime256v1',
      validation: [
        { DomainName: 'app.example.com', HostedZoneId: zone },
        { DomainName: 'api.example.com', HostedZoneId: zone },
      ],
    });
    const update = dnsEvent('Update', newProps, { physicalId: arn, oldProps, requestId: 'req-update' });
    const res = await hh.onEvent(update);
    expect(res.PhysicalResourceId).toMatch(/^arn:aws:acm:eu-west-1:/);
    expect(res.PhysicalResourceId).not.toBe(arn);
    expect(hh.calls.filter((c) => c.command === 'RequestCertificateCommand').pop()!.input).toMatchObject({ KeyAlgorithm: 'EC_prime256v1' });
    expect(await hh.isComplete(withResponse(update, res))).toEqual({ IsComplete: false });
    expect((await cnames(zone)).map((r) => r.Name).sort()).toEqual([
      '_d930b28be6c5927595552b219965053e.api.example.com.',
      '_d930b28be6c5927595552b219965053e.app.example.com.',
    ]);
  });
});

describe('Delete', () => {
  test('removes the certificate and the records it created', async () => {
    const zone = await createZone('example.com');
    const hh = h();
    const props = certProps({
      sans: ['www.example.com'],
      validation: [
        { DomainName: 'app.example.com', HostedZoneId: zone },
        { DomainName: 'www.example.com', HostedZoneId: zone },
      ],
    });
    const { arn } = await createAndPoll(hh, props);
    expect(await cnames(zone)).toHaveLength(2);
    expect(await hh.onEvent(dnsEvent('Delete', props, { physicalId: arn }))).toEqual({ PhysicalResourceId: arn });
    expect(await cnames(zone)).toEqual([]);
    expect(await listedCertificates()).toEqual([]);
  });

  test('keeps the records when CleanupValidationRecords is false', async () => {
    const zone = await createZone('example.com');
    const hh = h();
    const props = certProps({ cleanup: false, validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const { arn } = await createAndPoll(hh, props);
    await hh.onEvent(dnsEvent('Delete', props, { physicalId: arn }));
    expect(await cnames(zone)).toHaveLength(1);
    expect(await listedCertificates()).toEqual([]);
  });

  test('a record that existed before with the same value is never deleted', async () => {
    const zone = await createZone('example.com');
    const hh = h();
    const props = certProps({
      sans: ['www.example.com'],
      validation: [
        { DomainName: 'app.example.com', HostedZoneId: zone },
        { DomainName: 'www.example.com', HostedZoneId: zone },
      ],
    });
    const create = dnsEvent('Create', props);
    const res = await hh.onEvent(create);
    const arn = res.PhysicalResourceId!;
    // Someone already has the record for app.example.com (e.g. another tool validated it earlier).
    const detail = await describe_(arn);
    const appRecord = detail.DomainValidationOptions!.find((d) => d.DomainName === 'app.example.com')!.ResourceRecord!;
    await new Route53Client(motoClientConfig()).send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: zone,
      ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: appRecord.Name, Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: appRecord.Value }] } }] },
    }));
    await hh.isComplete(withResponse(create, res));
    const upserts = hh.calls.filter((c) => c.command === 'ChangeResourceRecordSetsCommand').map((c) => c.input.ChangeBatch.Changes.map((x: any) => x.ResourceRecordSet.Name));
    expect(upserts).toEqual([['_d930b28be6c5927595552b219965053e.www.example.com.']]);
    expect(createdRecordHashes(Object.entries(await tagsOf(arn)).map(([Key, Value]) => ({ Key, Value }))))
      .toEqual(new Set([recordHash(zone, '_d930b28be6c5927595552b219965053e.www.example.com.')]));

    await hh.onEvent(dnsEvent('Delete', props, { physicalId: arn }));
    const left = await cnames(zone);
    expect(left.map((r) => [r.Name, r.TTL])).toEqual([[appRecord.Name, 60]]);
    expect(allLogs.some((l) => l.includes('"validation record kept"') && l.includes(appRecord.Name!) && l.includes('existed before'))).toBe(true);
  });

  test('Update-replacement: deleting the old certificate keeps the records the new one uses, and hands them over', async () => {
    const zone = await createZone('example.com');
    const hh = h();
    const oldProps = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const { arn: oldArn } = await createAndPoll(hh, oldProps);
    const newProps = certProps({ keyAlgorithm: 'EC_secp384r1', validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const update = dnsEvent('Update', newProps, { physicalId: oldArn, oldProps, requestId: 'req-update' });
    const res = await hh.onEvent(update);
    const newArn = res.PhysicalResourceId!;
    expect(await hh.isComplete(withResponse(update, res))).toEqual({ IsComplete: false });
    // The record was there already (the old certificate's): the new one did not write it.
    expect(count(hh.calls, 'ChangeResourceRecordSetsCommand')).toBe(1);
    expect(await tagsOf(newArn)).not.toHaveProperty('cdk-pki:created-records');

    // CloudFormation deletes the old certificate with the OLD properties.
    await hh.onEvent(dnsEvent('Delete', oldProps, { physicalId: oldArn }));
    expect(await listedCertificates()).toEqual([newArn]);
    expect(await cnames(zone)).toHaveLength(1);
    const hash = recordHash(zone, '_d930b28be6c5927595552b219965053e.app.example.com.');
    expect((await tagsOf(newArn))['cdk-pki:created-records']).toBe(hash);

    // The last certificate's Delete removes the record.
    await hh.onEvent(dnsEvent('Delete', newProps, { physicalId: newArn }));
    expect(await cnames(zone)).toEqual([]);
  });

  test('a record still used by a certificate of another stack is kept and not handed over', async () => {
    const zone = await createZone('example.com');
    const hh = h();
    const props = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const { arn } = await createAndPoll(hh, props);
    const foreign = { ...dnsEvent('Create', props, { requestId: 'other' }), StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/other/2' };
    const other = await hh.onEvent(foreign);
    await hh.onEvent(dnsEvent('Delete', props, { physicalId: arn }));
    expect(await cnames(zone)).toHaveLength(1);
    expect(await tagsOf(other.PhysicalResourceId!)).not.toHaveProperty('cdk-pki:created-records');
  });

  test('an already deleted certificate and a failed Create\'s physical ID delete successfully', async () => {
    const zone = await createZone('example.com');
    const hh = h();
    const props = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const { arn } = await createAndPoll(hh, props);
    await hh.onEvent(dnsEvent('Delete', props, { physicalId: arn }));
    await expect(hh.onEvent(dnsEvent('Delete', props, { physicalId: arn }))).resolves.toEqual({ PhysicalResourceId: arn });
    await expect(hh.onEvent(dnsEvent('Delete', certProps({ cleanup: false, validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] }), { physicalId: arn })))
      .resolves.toEqual({ PhysicalResourceId: arn });

    const before = hh.calls.length;
    const failed = 'SiteCertificate-failed-create-1a2b3c';
    await expect(hh.onEvent(dnsEvent('Delete', { DomainName: 'not valid' }, { physicalId: failed }))).resolves.toEqual({ PhysicalResourceId: failed });
    expect(hh.calls.length).toBe(before);
    await expect(hh.isComplete(dnsEvent('Delete', props, { physicalId: failed }))).resolves.toEqual({ IsComplete: true });
  });

  test('a certificate in use is retried, then deleted once released', async () => {
    const zone = await createZone('example.com');
    const faults: Fault[] = [];
    const hh = h({ faults });
    const props = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const { arn } = await createAndPoll(hh, props);
    faults.push({ command: 'DeleteCertificateCommand', times: 2, error: 'ResourceInUseException' });
    await hh.onEvent(dnsEvent('Delete', props, { physicalId: arn }));
    expect(count(hh.calls, 'DeleteCertificateCommand')).toBe(3);
    expect(await listedCertificates()).toEqual([]);
    expect(allLogs.filter((l) => l.includes('"retrying"') && l.includes('ResourceInUseException')).length).toBeGreaterThanOrEqual(2);
  });

  test('a certificate that stays in use fails the Delete naming the users and saying to detach it', async () => {
    const zone = await createZone('example.com');
    const faults: Fault[] = [];
    const hh = h({ faults });
    const props = certProps({ cleanup: false, validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const { arn } = await createAndPoll(hh, props);
    const lb = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
    faults.push(
      { command: 'DeleteCertificateCommand', times: 100, error: 'ResourceInUseException' },
      { command: 'DescribeCertificateCommand', times: 100, patch: (out) => ({ ...out, Certificate: { ...out.Certificate, InUseBy: [lb] } }) },
    );
    await expect(hh.onEvent(dnsEvent('Delete', props, { physicalId: arn })))
      .rejects.toThrow(`certificate ${arn} is still in use by ${lb}: detach the certificate from these resources (or delete them) first`);
    expect(count(hh.calls, 'DeleteCertificateCommand')).toBe(4);
    expect(await listedCertificates()).toEqual([arn]);
  });
});

describe('edge cases', () => {
  test('a record someone changed since is kept on Delete; one deleted in between is fine', async () => {
    const zone = await createZone('example.com');
    const faults: Fault[] = [];
    const hh = h({ faults });
    const props = certProps({
      sans: ['www.example.com'],
      validation: [
        { DomainName: 'app.example.com', HostedZoneId: zone },
        { DomainName: 'www.example.com', HostedZoneId: zone },
      ],
    });
    const { arn } = await createAndPoll(hh, props);
    const appName = '_d930b28be6c5927595552b219965053e.app.example.com.';
    await new Route53Client(motoClientConfig()).send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: zone,
      ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: appName, Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'elsewhere.example.net.' }] } }] },
    }));
    // Route 53 answers the DELETE of the www record with InvalidChangeBatch (gone in between).
    faults.push({ command: 'ChangeResourceRecordSetsCommand', times: 1, error: 'InvalidChangeBatch' });
    await expect(hh.onEvent(dnsEvent('Delete', props, { physicalId: arn }))).resolves.toEqual({ PhysicalResourceId: arn });
    expect((await cnames(zone)).map((r) => [r.Name, r.ResourceRecords![0].Value]).sort()).toEqual([
      [appName, 'elsewhere.example.net.'],
      ['_d930b28be6c5927595552b219965053e.www.example.com.', '_c9edd76ee4a0e2a74388032f3861cc50.ykybfrwcxw.acm-validations.aws.'],
    ]);
    expect(allLogs.some((l) => l.includes('changed by someone else') && l.includes(appName))).toBe(true);
    expect(allLogs.some((l) => l.includes('"validation record gone"'))).toBe(true);
    expect(await listedCertificates()).toEqual([]);
  });

  test('a name without a Validation entry fails isComplete naming it (a contract break)', async () => {
    const zone = await createZone('example.com');
    const hh = h();
    const create = dnsEvent('Create', certProps({ sans: ['api.example.org'], validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] }));
    const res = await hh.onEvent(create);
    await expect(hh.isComplete(withResponse(create, res))).rejects.toThrow(/no hosted zone for api\.example\.org \(Validation names app\.example\.com\)/);
  });

  test('Delete with unreadable properties still deletes the certificate; other ACM errors fail the Delete', async () => {
    const zone = await createZone('example.com');
    const faults: Fault[] = [];
    const hh = h({ faults });
    const props = certProps({ validation: [{ DomainName: 'app.example.com', HostedZoneId: zone }] });
    const { arn } = await createAndPoll(hh, props);
    faults.push({ command: 'DeleteCertificateCommand', times: 1, error: 'AccessDeniedException' });
    await expect(hh.onEvent(dnsEvent('Delete', props, { physicalId: arn }))).rejects.toThrow(/AccessDeniedException/);
    await expect(hh.onEvent(dnsEvent('Delete', { Region: 42 }, { physicalId: arn }))).resolves.toEqual({ PhysicalResourceId: arn });
    expect(await listedCertificates()).toEqual([]);
  });

  test('events that are not custom-resource events are refused', async () => {
    const hh = h();
    await expect(hh.onEvent({ RequestType: 'Poke' })).rejects.toThrow('not a CloudFormation custom-resource event (RequestType "Poke")');
    await expect(hh.isComplete({ RequestType: 'Poke' })).rejects.toThrow('not a CloudFormation custom-resource event');
    await expect(hh.isComplete({ ...dnsEvent('Create', {}), PhysicalResourceId: 'x' })).rejects.toThrow('PhysicalResourceId "x" is not an ACM certificate ARN');
  });
});

test('the handlers refuse bad properties with every problem named', async () => {
  const hh = h();
  await expect(hh.onEvent(dnsEvent('Create', { DomainName: 'app.example.com', Region: 'Europe', KeyAlgorithm: 'RSA_4096', Validation: [], ValidationTimeoutSeconds: '10' })))
    .rejects.toThrow(/SiteCertificate: \n {2}- Region "Europe" is not a region name[\s\S]*KeyAlgorithm "RSA_4096" is not one of RSA_2048, EC_prime256v1, EC_secp384r1[\s\S]*Validation \[\] is not a list of 1 to 100[\s\S]*ValidationTimeoutSeconds "10" is not an integer from 60 to 3300/);
  expect(count(hh.calls, 'RequestCertificateCommand')).toBe(0);
  expect(OWN_ACCOUNT).toBe('123456789012');
});
