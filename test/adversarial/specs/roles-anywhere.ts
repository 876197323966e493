import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { CrlBucket } from '../../../src/private-ca/crl-bucket';
import { RolesAnywhereTrustAnchor } from '../../../src/private-ca/roles-anywhere-trust-anchor';
import { RootCa } from '../../../src/private-ca/root-ca';
import { filled, maybe, mostly } from '../arbitraries';
import { AdversarialSpec, Finding, must } from '../harness';
import { resourcesOf } from '../oracle/template';

/*
 * RolesAnywhereTrustAnchor, its profile and role (issue 16 §1). The documented rules, written from the
 * AWS::RolesAnywhere::TrustAnchor / Profile schemas and the issue (never calling src/validation):
 * - names: 1-255 of `[ a-zA-Z0-9-_]`;
 * - notification thresholds: 1-360 days (a number; the construct takes whole days);
 * - profile DurationSeconds 900-43200; at least one role;
 * - subject conditions (CN, OU) must be real values: not empty;
 * - the CRL sync (on by default) needs a complete CRL: a library CA without a CRL or with a partitioned one, an
 *   imported CA without its bucket, or a bucket other than the library CA's own must fail; syncCrl: false takes any CA.
 * The template must hold one AWS_ACM_PCA trust anchor with both notification settings (Channel ALL), a profile whose
 * duration is in range, a role trusting rolesanywhere.amazonaws.com on aws:SourceArn, and the CRL sync exactly when on.
 */

type CaKind = 'root-crl' | 'root-no-crl' | 'root-partitioned' | 'imported';

interface RolesAnywhereInput {
  ca: CaKind;
  name?: string;
  syncCrl?: boolean;
  crlBucket?: 'own' | 'other';
  caDays?: number;
  endEntityDays?: number;
  profileSeconds?: number;
  commonName?: string;
  organizationalUnit?: string;
}

const NAME = /^[ a-zA-Z0-9\-_]{1,255}$/;
const CA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/01234567-89ab-cdef-0123-456789abcdef';

const goodName = fc.oneof(fc.constantFrom('hosts', 'Build Fleet_1', 'a', filled(255)), fc.stringMatching(/^[a-zA-Z0-9][ a-zA-Z0-9_-]{0,30}$/));
const hostileName = fc.constantFrom('', 'hosts/prod', 'dot.ted', 'ünïcode', filled(256), 'tab\tname', 'a:b');
const days = fc.oneof(fc.integer({ min: 1, max: 360 }), fc.constantFrom(0, 361, 1000, 1.5));
const seconds = fc.oneof(fc.constantFrom(900, 3600, 43_200), fc.integer({ min: 900, max: 43_200 }), fc.constantFrom(899, 43_201, 60));
const subject = mostly(fc.stringMatching(/^[a-z][a-z0-9.-]{0,30}$/), fc.constantFrom('', ' padded', filled(65)), 3);

const input: fc.Arbitrary<RolesAnywhereInput> = fc.record({
  ca: fc.constantFrom<CaKind>('root-crl', 'root-crl', 'root-no-crl', 'root-partitioned', 'imported'),
  name: maybe(mostly(goodName, hostileName, 3)),
  syncCrl: maybe(fc.boolean()),
  crlBucket: fc.constantFrom(undefined, undefined, 'own' as const, 'other' as const),
  caDays: maybe(days),
  endEntityDays: maybe(days),
  profileSeconds: maybe(seconds),
  commonName: maybe(subject),
  organizationalUnit: maybe(subject),
}, { requiredKeys: ['ca'] });

/** Whether the CRL sync is expected in the template of an accepted input. */
const expectsSync = (i: RolesAnywhereInput) => i.syncCrl !== false;

export const rolesAnywhereSpec: AdversarialSpec<RolesAnywhereInput> = {
  construct: 'RolesAnywhereTrustAnchor',
  arbitrary: input,
  numRuns: 24,
  build(stack, i) {
    const crl = i.ca === 'root-crl' || i.ca === 'root-partitioned' ? new CrlBucket(stack, 'Crl') : undefined;
    const ca = i.ca === 'imported'
      ? RootCa.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN)
      : new RootCa(stack, 'Ca', {
        subject: { commonName: 'Hosts Root' },
        revocation: crl ? { crlBucket: crl, crlPartitioned: i.ca === 'root-partitioned' } : { ocsp: true },
      });
    const crlBucket = i.crlBucket === undefined ? undefined
      : i.crlBucket === 'own' && crl !== undefined ? crl.bucket : s3.Bucket.fromBucketName(stack, 'OtherCrl', 'other-ca-crl');
    const anchor = new RolesAnywhereTrustAnchor(stack, 'Anchor', {
      certificateAuthority: ca,
      name: i.name,
      syncCrl: i.syncCrl,
      crlBucket,
      caCertificateExpiry: i.caDays === undefined ? undefined : { threshold: Duration.days(i.caDays) },
      endEntityCertificateExpiry: i.endEntityDays === undefined ? undefined : { threshold: Duration.days(i.endEntityDays) },
    });
    const role = anchor.addRole('Role', { commonName: i.commonName, organizationalUnit: i.organizationalUnit });
    anchor.addProfile('Profile', { roles: [role], duration: i.profileSeconds === undefined ? undefined : Duration.seconds(i.profileSeconds) });
    return { path: 'Stack/Anchor' };
  },
  oracle(i) {
    const out: Finding[] = [];
    if (i.name !== undefined && !NAME.test(i.name)) out.push(must('trust anchor name: 1-255 of [ a-zA-Z0-9-_]', i.name));
    for (const d of [i.caDays, i.endEntityDays]) {
      if (d !== undefined && (!Number.isInteger(d) || d < 1 || d > 360)) out.push(must('notification threshold: 1-360 whole days', d));
    }
    const s = i.profileSeconds;
    if (s !== undefined && (s < 900 || s > 43_200)) out.push(must('profile duration: 900-43200 seconds', s));
    for (const v of [i.commonName, i.organizationalUnit]) {
      if (v !== undefined && (v.length === 0 || v.length > 64 || v.trim() !== v)) out.push(must('a subject condition needs a real value', v));
    }
    if (i.syncCrl !== false) {
      if (i.ca === 'root-no-crl') out.push(must('a CRL sync of a CA without a CRL', 'syncCrl'));
      if (i.ca === 'root-partitioned') out.push(must('a CRL sync of a partitioned CRL', 'crlPartitioned'));
      if (i.ca === 'imported' && i.crlBucket === undefined) out.push(must('a CRL sync of an imported CA without its bucket', 'crlBucket'));
      if (i.ca === 'root-crl' && i.crlBucket === 'other') out.push(must('a crlBucket other than the CA\'s own', 'crlBucket'));
    }
    return out;
  },
  checkTemplate(t, i) {
    const problems: string[] = [];
    const anchors = resourcesOf(t, 'AWS::RolesAnywhere::TrustAnchor');
    if (anchors.length !== 1) return [`${anchors.length} trust anchors`];
    const a = anchors[0][1];
    if (a.Source?.SourceType !== 'AWS_ACM_PCA' || a.Source?.SourceData?.AcmPcaArn === undefined) problems.push('not an AWS_ACM_PCA source');
    if (typeof a.Name !== 'string' || !NAME.test(a.Name)) problems.push(`name ${JSON.stringify(a.Name)}`);
    const settings = (a.NotificationSettings ?? []) as any[];
    const events = settings.map((n) => n.Event).sort();
    if (JSON.stringify(events) !== JSON.stringify(['CA_CERTIFICATE_EXPIRY', 'END_ENTITY_CERTIFICATE_EXPIRY'])) problems.push(`events ${events}`);
    for (const n of settings) {
      if (n.Channel !== 'ALL' || !(n.Threshold >= 1 && n.Threshold <= 360)) problems.push(`notification ${JSON.stringify(n)}`);
    }
    const [[, profile]] = resourcesOf(t, 'AWS::RolesAnywhere::Profile');
    if (!(profile.DurationSeconds >= 900 && profile.DurationSeconds <= 43_200) || profile.RoleArns.length !== 1) problems.push('profile');
    const trust = resourcesOf(t, 'AWS::IAM::Role').filter(([id]) => id.startsWith('AnchorRole')).map(([, r]) => r.AssumeRolePolicyDocument.Statement);
    if (trust.length !== 1 || trust[0].length !== 1 || trust[0][0].Principal?.Service !== 'rolesanywhere.amazonaws.com'
      || trust[0][0].Condition?.ArnEquals?.['aws:SourceArn'] === undefined) {
      problems.push(`role trust ${JSON.stringify(trust)}`);
    }
    const syncs = resourcesOf(t, 'Custom::CdkPkiCrlSync').length;
    if (syncs !== (expectsSync(i) ? 1 : 0)) problems.push(`${syncs} CRL syncs, expected ${expectsSync(i) ? 1 : 0}`);
    return problems;
  },
};
