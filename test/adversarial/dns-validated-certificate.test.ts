import * as fc from 'fast-check';
import { adversarial } from './harness';
import { dnsValidatedCertificateSpec } from './specs/dns-validated-certificate';
import { readProperties, replacementReasons, inPlaceChanges } from '../../src/handlers/dns-validated-certificate/properties';
import { MAX_REASON_BYTES } from '../../src/handlers/shared/reason';
import { PkiValidationError } from '../../src/validation/errors';

describe('adversarial: DnsValidatedCertificate', () => {
  adversarial(dnsValidatedCertificateSpec);
});

/*
 * Fuzzing of the handler's property parsing (src/handlers/dns-validated-certificate/properties.ts):
 * whatever CloudFormation (or a hand-made event) sends, readProperties returns typed properties or
 * throws one PkiValidationError naming the resource and every problem, short enough for a
 * CloudFormation Reason, and never crashes (TypeError, RangeError) or hangs on a pattern.
 */

/** Fuzz cases per property below. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

const VALID = {
  DomainName: 'app.example.com',
  SubjectAlternativeNames: ['*.app.example.com'],
  Region: 'eu-west-1',
  KeyAlgorithm: 'RSA_2048',
  TransparencyLogging: 'ENABLED',
  Export: 'DISABLED',
  Tags: [{ Key: 'team', Value: 'platform' }],
  Validation: [{ DomainName: 'app.example.com', HostedZoneId: 'Z0123456789ABC' }],
  CleanupValidationRecords: 'true',
  CleanupRegions: ['eu-west-1', 'us-east-1'],
  ValidationTimeoutSeconds: '600',
};

/** Runs readProperties and classifies the outcome; anything but a PkiValidationError is a crash. */
function outcome(raw: unknown): 'ok' | 'refused' {
  const started = Date.now();
  try {
    readProperties(raw, 'Stack/Cert');
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(PkiValidationError);
    const message = (err as Error).message;
    expect(message.startsWith('Stack/Cert: ')).toBe(true);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(MAX_REASON_BYTES * 2);
    return 'refused';
  } finally {
    expect(Date.now() - started).toBeLessThan(1_000);
  }
}

/** Strings that stress the patterns: long labels, many dots, unicode, control characters. */
const nasty = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.array(fc.constantFrom('a', '-', '.', '_', '*', '0'), { maxLength: 400 }).map((a) => a.join('')),
  fc.integer({ min: 1, max: 300 }).map((n) => `${'a.'.repeat(n)}!`),
  fc.constantFrom('', ' ', '.', '*.', '..', 'a..b', '\u0000', 'x'.repeat(5_000), 'app.example.com.', 'APP.EXAMPLE.COM'),
);

const anyValue = fc.oneof(fc.anything({ maxDepth: 3 }), nasty, fc.constant(undefined), fc.constant(null), fc.bigInt().map((b) => b));

describe('fuzzing: DNS property parsing', () => {
  test(`arbitrary values as the whole property bag: a clear refusal, never a crash (${RUNS} cases)`, () => {
    fc.assert(fc.property(anyValue, (raw) => { outcome(raw); }), { numRuns: RUNS });
  });

  test(`one property of a valid bag replaced by anything: accepted or refused naming it (${RUNS} cases)`, () => {
    const key = fc.constantFrom(...Object.keys(VALID));
    fc.assert(fc.property(key, anyValue, (k, v) => {
      const raw = { ...VALID, [k]: v };
      if (outcome(raw) === 'refused') {
        const name = k === 'Tags' && Array.isArray(v) ? /Tags|tag key/ : new RegExp(k === 'DomainName' ? 'DomainName' : k);
        expect(() => readProperties(raw, 'Stack/Cert')).toThrow(name);
      }
    }), { numRuns: RUNS });
  });

  test(`lists of malformed entries (names, zones, roles, external IDs, tags, regions): never a crash (${RUNS} cases)`, () => {
    const entry = fc.record({ DomainName: anyValue, HostedZoneId: anyValue, RoleArn: anyValue, ExternalId: anyValue }, { requiredKeys: [] });
    const tag = fc.record({ Key: anyValue, Value: anyValue }, { requiredKeys: [] });
    fc.assert(fc.property(
      fc.array(fc.oneof(entry, anyValue), { maxLength: 150 }),
      fc.array(fc.oneof(tag, anyValue), { maxLength: 60 }),
      fc.array(fc.oneof(nasty, anyValue), { maxLength: 120 }),
      fc.array(nasty, { maxLength: 120 }),
      (validation, tags, regions, sans) => {
        outcome({ ...VALID, Validation: validation, Tags: tags, CleanupRegions: regions, SubjectAlternativeNames: sans });
      },
    ), { numRuns: RUNS });
  });

  test('the ExternalId is never quoted back, even when it is malformed', () => {
    fc.assert(fc.property(fc.string({ minLength: 8, maxLength: 60 }).filter((s) => /[^\w+=,.@:/-]/.test(s)), (secretish) => {
      const raw = { ...VALID, Validation: [{ ...VALID.Validation[0], RoleArn: 'arn:aws:iam::111122223333:role/dns', ExternalId: secretish }] };
      expect(() => readProperties(raw, 'Stack/Cert')).toThrow(PkiValidationError);
      try {
        readProperties(raw, 'Stack/Cert');
      } catch (err) {
        expect((err as Error).message).not.toContain(JSON.stringify(secretish));
      }
    }), { numRuns: 100 });
  });

  test(`update decisions on arbitrary old properties never crash (${RUNS} cases)`, () => {
    const props = readProperties(VALID);
    fc.assert(fc.property(anyValue, (old) => {
      expect(Array.isArray(replacementReasons(old, VALID))).toBe(true);
      const changes = inPlaceChanges(old, props);
      expect(typeof changes.validationChanged).toBe('boolean');
    }), { numRuns: RUNS });
  });
});
