import {
  CREATED_RECORDS_TAG,
  createdRecordHashes,
  createdRecordTags,
  entryFor,
  failureMessage,
  mayShareNames,
  planCleanup,
  planRecords,
  recordHash,
  sameRecord,
  timedOut,
  timeoutMessage,
} from '../../src/handlers/dns-validated-certificate/logic';
import {
  baseName,
  idempotencyToken,
  inPlaceChanges,
  normalizeName,
  readProperties,
  replacementReasons,
  requestTags,
} from '../../src/handlers/dns-validated-certificate/properties';
import { isCertificateArn } from '../../src/validation/arn-patterns';

/* Pure logic of the DnsValidatedCertificate handlers: properties, plans, ownership tags, messages. */

const VALID = {
  DomainName: 'app.example.com',
  SubjectAlternativeNames: ['*.app.example.com'],
  Region: 'us-east-1',
  KeyAlgorithm: 'EC_prime256v1',
  TransparencyLogging: 'ENABLED',
  Export: 'DISABLED',
  Tags: [{ Key: 'team', Value: 'platform' }],
  Validation: [{ DomainName: 'app.example.com', HostedZoneId: '/hostedzone/Z0123456789ABC', RoleArn: 'arn:aws:iam::111122223333:role/dns', ExternalId: 'ext-1' }],
  CleanupValidationRecords: 'true',
  ValidationTimeoutSeconds: '900',
};

describe('readProperties', () => {
  test('reads the contract, strips the zone ID prefix and converts strings', () => {
    expect(readProperties(VALID)).toEqual({
      DomainName: 'app.example.com',
      SubjectAlternativeNames: ['*.app.example.com'],
      Region: 'us-east-1',
      KeyAlgorithm: 'EC_prime256v1',
      TransparencyLogging: 'ENABLED',
      Export: 'DISABLED',
      Tags: [{ Key: 'team', Value: 'platform' }],
      Validation: [{ DomainName: 'app.example.com', HostedZoneId: 'Z0123456789ABC', RoleArn: 'arn:aws:iam::111122223333:role/dns', ExternalId: 'ext-1' }],
      CleanupValidationRecords: true,
      CleanupRegions: ['us-east-1'],
      ValidationTimeoutSeconds: 900,
    });
  });

  test('absent SANs and Tags are empty lists', () => {
    const { SubjectAlternativeNames, Tags, ...rest } = VALID;
    expect(readProperties(rest)).toMatchObject({ SubjectAlternativeNames: [], Tags: [] });
  });

  test.each([
    [{ DomainName: 'bad name' }, 'DomainName "bad name" is not a domain name'],
    [{ SubjectAlternativeNames: 'x.example.com' }, 'SubjectAlternativeNames "x.example.com" is not a list of domain names'],
    [{ Export: 'YES' }, 'Export "YES" is not one of ENABLED, DISABLED'],
    [{ TransparencyLogging: 'true' }, 'TransparencyLogging "true" is not one of ENABLED, DISABLED'],
    [{ CleanupValidationRecords: 'yes' }, 'CleanupValidationRecords "yes" is not one of true, false'],
    [{ Tags: [{ Key: 'cdk-pki:stack-id', Value: 'x' }] }, 'tag key "cdk-pki:stack-id" is reserved'],
    [{ Tags: [{ Value: 'x' }] }, 'Tags [{"Value":"x"}] is not a list of {Key, Value}'],
    [{ Validation: [{ DomainName: 'app.example.com', HostedZoneId: 'z-1' }] }, 'Validation entry for "app.example.com": HostedZoneId "z-1" is not a Route 53 hosted zone ID'],
    [{ Validation: [{ DomainName: 'app.example.com', HostedZoneId: 'Z1', RoleArn: 'arn:aws:iam::1:user/x' }] }, 'Validation entry for "app.example.com": RoleArn "arn:aws:iam::1:user/x" is not an IAM role ARN'],
    [{ Validation: [{ DomainName: 'app.example.com', HostedZoneId: 'Z1', ExternalId: 'a' }] }, 'Validation entry for "app.example.com": ExternalId is not 2 to 1224 characters'],
    [{ ValidationTimeoutSeconds: '3301' }, 'ValidationTimeoutSeconds "3301" is not an integer from 60 to 3300'],
    [{ ValidationTimeoutSeconds: '90.5' }, 'ValidationTimeoutSeconds "90.5" is not an integer'],
  ])('refuses %j', (change, message) => {
    expect(() => readProperties({ ...VALID, ...change }, 'Stack/Cert')).toThrow(`Stack/Cert: ${message}`);
  });
});

test('isCertificateArn tells a certificate from a failed Create\'s physical ID', () => {
  expect(isCertificateArn('arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555')).toBe(true);
  expect(isCertificateArn('arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc')).toBe(true);
  expect(isCertificateArn('SiteCertificate-failed')).toBe(false);
  expect(isCertificateArn(undefined)).toBe(false);
});

test('idempotencyToken: 32 word characters, stable per request, different per request', () => {
  const a = idempotencyToken('stack', 'Cert', 'req-1');
  expect(a).toMatch(/^\w{32}$/);
  expect(idempotencyToken('stack', 'Cert', 'req-1')).toBe(a);
  expect(idempotencyToken('stack', 'Cert', 'req-2')).not.toBe(a);
  expect(idempotencyToken('stack', 'Other', 'req-1')).not.toBe(a);
});

test('requestTags appends the stack and logical ID tags to the user\'s', () => {
  expect(requestTags(readProperties(VALID), 'arn:stack', 'Cert')).toEqual([
    { Key: 'team', Value: 'platform' },
    { Key: 'cdk-pki:stack-id', Value: 'arn:stack' },
    { Key: 'cdk-pki:logical-id', Value: 'Cert' },
  ]);
});

test('names compare like DNS: case, trailing dot, Route 53 escapes, wildcard base', () => {
  expect(normalizeName('_A.Example.COM.')).toBe('_a.example.com');
  expect(normalizeName('\\052.example.com.')).toBe('*.example.com');
  expect(baseName('*.App.example.com')).toBe('app.example.com');
});

describe('replacementReasons', () => {
  test('nothing for tags, logging, zones, timeout or clean-up; SAN order and case do not matter', () => {
    expect(replacementReasons(VALID, { ...VALID, Tags: [], TransparencyLogging: 'DISABLED', Validation: [], ValidationTimeoutSeconds: '60', CleanupValidationRecords: 'false' })).toEqual([]);
    expect(replacementReasons({ ...VALID, SubjectAlternativeNames: ['B.example.com', 'a.example.com'] }, { ...VALID, SubjectAlternativeNames: ['a.example.com', 'b.example.com.'] })).toEqual([]);
  });

  test('names each property that needs a new certificate', () => {
    expect(replacementReasons(VALID, { ...VALID, DomainName: 'www.example.com', SubjectAlternativeNames: [], Region: 'eu-west-1', KeyAlgorithm: 'RSA_2048', Export: 'ENABLED' }))
      .toEqual(['DomainName', 'SubjectAlternativeNames', 'Region', 'KeyAlgorithm', 'Export']);
  });

  test('absent old values take the defaults', () => {
    const { KeyAlgorithm, Export, ...old } = VALID;
    expect(replacementReasons(old, { ...VALID, KeyAlgorithm: 'RSA_2048' })).toEqual([]);
  });

  test('issue 14 (1): a resource whose KeyAlgorithm RSA_2048 and TransparencyLogging ENABLED disappear is updated in place, unchanged', () => {
    const old = { ...VALID, KeyAlgorithm: 'RSA_2048', TransparencyLogging: 'ENABLED' };
    const { KeyAlgorithm, TransparencyLogging, ...now } = old;
    expect(replacementReasons(old, now)).toEqual([]);
    expect(inPlaceChanges(old, readProperties(now))).toEqual({ addTags: [], removeTags: [], validationChanged: false });
    // The handler still requests what the construct means by "not given".
    expect(readProperties(now)).toMatchObject({ KeyAlgorithm: 'RSA_2048', TransparencyLogging: 'ENABLED' });
    // Another algorithm that disappears is a real change.
    expect(replacementReasons({ ...old, KeyAlgorithm: 'EC_prime256v1' }, now)).toEqual(['KeyAlgorithm']);
  });
});

test('inPlaceChanges: user tags added, changed and removed; cdk-pki tags untouched; logging and zones', () => {
  const old = { ...VALID, Tags: [{ Key: 'team', Value: 'platform' }, { Key: 'gone', Value: '1' }, { Key: 'cdk-pki:stack-id', Value: 'x' }] };
  const props = readProperties({ ...VALID, TransparencyLogging: 'DISABLED', Tags: [{ Key: 'team', Value: 'payments' }, { Key: 'new', Value: '' }] });
  expect(inPlaceChanges(old, props)).toEqual({
    addTags: [{ Key: 'team', Value: 'payments' }, { Key: 'new', Value: '' }],
    removeTags: [{ Key: 'gone' }],
    transparencyLogging: 'DISABLED',
    validationChanged: false,
  });
  const moved = readProperties({ ...VALID, Validation: [{ ...VALID.Validation[0], HostedZoneId: 'ZOTHER' }] });
  expect(inPlaceChanges(VALID, moved)).toEqual({ addTags: [], removeTags: [], validationChanged: true });
});

test('entryFor: exact match first, then the wildcard/apex twin', () => {
  const entries = [{ DomainName: 'example.com', HostedZoneId: 'Z1' }, { DomainName: '*.dev.example.com', HostedZoneId: 'Z2' }];
  expect(entryFor('*.example.com', entries)?.HostedZoneId).toBe('Z1');
  expect(entryFor('dev.example.com', entries)?.HostedZoneId).toBe('Z2');
  expect(entryFor('Example.com.', entries)?.HostedZoneId).toBe('Z1');
  expect(entryFor('other.example.com', entries)).toBeUndefined();
});

describe('planRecords', () => {
  const rr = (name: string) => ({ Name: `_h.${name}.`, Type: 'CNAME', Value: `_v.${name}.acm-validations.aws.` });
  test('one record per name (wildcard and apex share), each with its zone, role and hash', () => {
    const plan = planRecords([
      { DomainName: 'app.example.com', ResourceRecord: rr('app.example.com') },
      { DomainName: '*.app.example.com', ResourceRecord: rr('app.example.com') },
      { DomainName: 'api.dev.example.com', ResourceRecord: rr('api.dev.example.com') },
    ], [
      { DomainName: 'app.example.com', HostedZoneId: 'Z1' },
      { DomainName: 'api.dev.example.com', HostedZoneId: 'Z2', RoleArn: 'arn:aws:iam::111122223333:role/dns', ExternalId: 'e' },
    ]);
    expect(plan.pending).toEqual([]);
    expect(plan.unmapped).toEqual([]);
    expect(plan.records).toEqual([
      {
        name: '_h.app.example.com.',
        type: 'CNAME',
        value: '_v.app.example.com.acm-validations.aws.',
        zoneId: 'Z1',
        domainNames: ['app.example.com', '*.app.example.com'],
        hash: recordHash('Z1', '_h.app.example.com'),
      },
      {
        name: '_h.api.dev.example.com.',
        type: 'CNAME',
        value: '_v.api.dev.example.com.acm-validations.aws.',
        zoneId: 'Z2',
        roleArn: 'arn:aws:iam::111122223333:role/dns',
        externalId: 'e',
        domainNames: ['api.dev.example.com'],
        hash: recordHash('Z2', '_h.api.dev.example.com.'),
      },
    ]);
  });

  test('names without a record yet are pending; names without a zone are unmapped', () => {
    const plan = planRecords([{ DomainName: 'a.example.com' }, { DomainName: 'b.example.org', ResourceRecord: rr('b.example.org') }], [{ DomainName: 'a.example.com', HostedZoneId: 'Z1' }]);
    expect(plan).toEqual({ records: [], pending: ['a.example.com'], unmapped: ['b.example.org'] });
  });
});

describe('ownership tags', () => {
  test('recordHash depends on zone and name, not on case or trailing dot', () => {
    expect(recordHash('Z1', '_h.Example.com.')).toBe(recordHash('/hostedzone/Z1', '_h.example.com'));
    expect(recordHash('Z1', '_h.example.com')).not.toBe(recordHash('Z2', '_h.example.com'));
    expect(recordHash('Z1', '_h.example.com')).toMatch(/^[0-9a-f]{12}$/);
  });

  test('many hashes split over several tags of at most 256 characters, and read back', () => {
    const hashes = Array.from({ length: 60 }, (_, i) => recordHash('Z1', `_h.n${i}.example.com`));
    const tags = createdRecordTags(hashes);
    // 12 hex digits + a space: 19 hashes per tag.
    expect(tags.map((t) => t.Key)).toEqual([CREATED_RECORDS_TAG, `${CREATED_RECORDS_TAG}:2`, `${CREATED_RECORDS_TAG}:3`, `${CREATED_RECORDS_TAG}:4`]);
    expect(tags.map((t) => t.Value!.split(' ').length)).toEqual([19, 19, 19, 3]);
    expect(tags.every((t) => t.Value!.length <= 256)).toBe(true);
    expect(createdRecordHashes([...tags, { Key: 'team', Value: 'x y' }])).toEqual(new Set(hashes));
    expect(createdRecordTags([])).toEqual([]);
  });
});

test('sameRecord compares name, type and the single value like DNS', () => {
  const record = planRecords([{ DomainName: 'a.example.com', ResourceRecord: { Name: '_h.a.example.com.', Type: 'CNAME', Value: '_v.acm-validations.aws.' } }],
    [{ DomainName: 'a.example.com', HostedZoneId: 'Z1' }]).records[0];
  expect(sameRecord({ Name: '_H.a.example.com.', Type: 'CNAME', ResourceRecords: [{ Value: '_v.acm-validations.aws' }] }, record)).toBe(true);
  expect(sameRecord({ Name: '_h.a.example.com.', Type: 'CNAME', ResourceRecords: [{ Value: '_other.acm-validations.aws.' }] }, record)).toBe(false);
  expect(sameRecord({ Name: '_h.a.example.com.', Type: 'TXT', ResourceRecords: [{ Value: '_v.acm-validations.aws.' }] }, record)).toBe(false);
  expect(sameRecord(undefined, record)).toBe(false);
});

test('planCleanup removes only created records no other certificate uses', () => {
  const records = planRecords(['a', 'b', 'c'].map((n) => ({ DomainName: `${n}.example.com`, ResourceRecord: { Name: `_h.${n}.example.com.`, Value: '_v.' } })),
    ['a', 'b', 'c'].map((n) => ({ DomainName: `${n}.example.com`, HostedZoneId: 'Z1' }))).records;
  const [a, b, c] = records;
  const plan = planCleanup(records, new Set([a.hash, b.hash]), new Set(['_h.b.example.com']));
  expect(plan.remove).toEqual([a]);
  expect(plan.keep).toEqual([
    { record: b, reason: 'another certificate still uses it' },
    { record: c, reason: 'not created by this resource (it existed before)' },
  ]);
});

test('mayShareNames: overlapping names, or names the summary does not list', () => {
  expect(mayShareNames({ DomainName: 'x.example.com', SubjectAlternativeNameSummaries: ['*.app.example.com'] }, ['app.example.com'])).toBe(true);
  expect(mayShareNames({ DomainName: 'x.example.com', SubjectAlternativeNameSummaries: ['x.example.com'] }, ['app.example.com'])).toBe(false);
  expect(mayShareNames({ DomainName: 'x.example.com', SubjectAlternativeNameSummaries: [], HasAdditionalSubjectAlternativeNames: true }, ['app.example.com'])).toBe(true);
  expect(mayShareNames({ DomainName: 'x.example.com' }, ['app.example.com'])).toBe(true);
});

test('timedOut compares now with CreatedAt + timeout', () => {
  const created = new Date('2026-01-01T00:00:00Z');
  expect(timedOut(created, 60, new Date('2026-01-01T00:01:00Z'))).toBe(false);
  expect(timedOut(created, 60, new Date('2026-01-01T00:01:01Z'))).toBe(true);
  expect(timedOut(undefined, 60, new Date())).toBe(false);
});

test('the timeout and failure messages name what to check', () => {
  const record = planRecords([{ DomainName: 'a.example.com', ResourceRecord: { Name: '_h.a.example.com.', Type: 'CNAME', Value: '_v.acm-validations.aws.' } }],
    [{ DomainName: 'a.example.com', HostedZoneId: 'Z1', RoleArn: 'arn:aws:iam::111122223333:role/dns' }]).records;
  const message = timeoutMessage('arn:cert', 600, [
    { DomainName: 'a.example.com', ValidationStatus: 'PENDING_VALIDATION' },
    { DomainName: 'b.example.com', ValidationStatus: 'PENDING_VALIDATION' },
    { DomainName: 'c.example.com', ValidationStatus: 'SUCCESS' },
  ], record).reason;
  expect(message).toBe([
    'certificate arn:cert was not validated within 600 seconds; names still not validated:',
    '  - a.example.com (PENDING_VALIDATION): check CNAME _h.a.example.com. -> _v.acm-validations.aws. in hosted zone Z1 (through role arn:aws:iam::111122223333:role/dns)',
    '  - b.example.com (PENDING_VALIDATION): ACM has not published its validation record',
    'Check that each record exists and that the hosted zone is the one the parent domain delegates to (its NS records).',
    'ACM can take up to 30 minutes after the records appear; raise `validationTimeout` (at most 55 minutes) if it needs longer.',
  ].join('\n'));
  expect(failureMessage('arn:cert', 'VALIDATION_TIMED_OUT', undefined, []).reason).toBe(
    'certificate arn:cert is VALIDATION_TIMED_OUT. ACM does not retry it: fix the cause and deploy again, which requests a new certificate.');
});
