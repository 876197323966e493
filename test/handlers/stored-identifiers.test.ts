import { ownerMark } from '../../src/handlers/ca-policy/logic';
import { versionToken } from '../../src/handlers/certificate-export/logic';
import { recordHash } from '../../src/handlers/dns-validated-certificate/logic';
import { idempotencyToken } from '../../src/handlers/dns-validated-certificate/properties';
import { createRequestKey } from '../../src/handlers/imported-certificate/logic';
import { shortDigest } from '../../src/handlers/shared/digest';
import { regionOfArn } from '../../src/validation/arn-patterns';

/**
 * Identifiers the handlers store in AWS (a CA policy's owner mark, a secret version's ID, the tag of
 * an import request, the hash in a validation record's tag, ACM's idempotency token) must stay the same
 * across library versions: a Delete after an upgrade has to recognise what the previous version
 * wrote. The values below were computed by the first version that stored them; a change in the
 * digest helper or in a caller's input layout fails here before it strands a deployed resource.
 */

const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1';

test.each([
  ['CA policy owner mark (Sid suffix)', () => ownerMark({ StackId: STACK, LogicalResourceId: 'Policy' }), 'Owner65758d337cea'],
  ['DNS certificate idempotency token', () => idempotencyToken(STACK, 'Cert', 'req-1'), '1f6c00c4ecc3e567145cda39b03c41d6'],
  ['imported certificate create-request tag', () => createRequestKey({ StackId: STACK, LogicalResourceId: 'Cert', RequestId: 'req-1' }), 'f15e59cabd5305687e0abb33424fd30eea2f1599'],
  ['export secret version ID', () => versionToken('arn:aws:acm:us-east-1:123456789012:certificate/x', '001A', false), 'ab219c26-7140-2ee8-e0e8-d52b9976d58c'],
  ['validation record hash', () => recordHash('/hostedzone/Z123', 'WWW.example.com.'), 'b459e5963ff1'],
])('%s is stable across versions', (_what, compute, expected) => {
  expect(compute()).toBe(expected);
});

test('shortDigest and regionOfArn', () => {
  expect(shortDigest('a', 8)).toBe('ca978112');
  expect(regionOfArn('arn:aws:acm:eu-west-1:123456789012:certificate/x')).toBe('eu-west-1');
  expect(regionOfArn('not-an-arn')).toBeUndefined();
});
