import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { CloudFrontTrustStore } from '../../../src/private-ca/cloudfront-trust-store';
import { CrlBucket } from '../../../src/private-ca/crl-bucket';
import { LoadBalancerTrustStore } from '../../../src/private-ca/load-balancer-trust-store';
import { RootCa } from '../../../src/private-ca/root-ca';
import { filled, maybe, mostly } from '../arbitraries';
import { AdversarialSpec, Finding, may, must } from '../harness';
import { resourcesOf } from '../oracle/template';

/*
 * LoadBalancerTrustStore and CloudFrontTrustStore (issue 16 §2). The documented rules, written from the ELB and
 * CloudFront API references and the issue (never calling src/validation):
 * - ELB trust store names: 1-32 characters of `^([a-zA-Z0-9]+-)*[a-zA-Z0-9]+$` (CreateTrustStore);
 * - CloudFront trust store names: required (not empty); CloudFront documents no pattern, so long or blank-bearing
 *   names may go either way;
 * - the PEM CRL sync needs a complete CRL: asking for it (syncCrl: true, or naming a crlBucket) of a CA without a CRL,
 *   with a partitioned one, or of an imported CA without its crlBucket must fail; a crlBucket other than the library
 *   CA's own would sync the wrong CRL.
 * The template must publish the bundle once (content-addressed key under ca-bundles/), point the trust store at it,
 * scope the handler's IAM without `*`, create no TrustStoreRevocation (the sync manages the entries), and sync the CRL
 * exactly when the CA has a complete CRL and the sync is not turned off.
 */

type CaKind = 'root-crl' | 'root-no-crl' | 'root-partitioned' | 'imported';

interface TrustStoreInput {
  kind: 'elb' | 'cloudfront';
  ca: CaKind;
  trustStoreName?: string;
  syncCrl?: boolean;
  crlBucket?: 'own' | 'other';
  ocsp?: boolean;
}

const ELB_NAME = /^([a-zA-Z0-9]+-)*[a-zA-Z0-9]+$/;

const goodName = fc.oneof(
  fc.constantFrom('clients', 'partner-clients', 'A1-b2-C3', filled(32)),
  fc.stringMatching(/^[a-z][a-z0-9]{0,9}(-[a-z0-9]{1,8}){0,2}$/),
);
const hostileName = fc.constantFrom('', '-lead', 'trail-', 'double--hyphen', 'under_score', 'with space', 'dot.ted', filled(33), filled(129),
  'tab\tname', 'ünïcode', '0');
const name = maybe(mostly(goodName, hostileName, 3));

const input: fc.Arbitrary<TrustStoreInput> = fc.record({
  kind: fc.constantFrom('elb' as const, 'cloudfront' as const),
  ca: fc.constantFrom<CaKind>('root-crl', 'root-crl', 'root-no-crl', 'root-partitioned', 'imported'),
  trustStoreName: name,
  syncCrl: maybe(fc.boolean()),
  crlBucket: fc.constantFrom(undefined, undefined, 'own' as const, 'other' as const),
  ocsp: maybe(fc.boolean()),
}, { requiredKeys: ['kind', 'ca'] });

const CA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/01234567-89ab-cdef-0123-456789abcdef';

/** Whether the CRL sync is expected in the template of an accepted input. */
function expectsSync(i: TrustStoreInput): boolean {
  if (i.kind !== 'elb' || i.syncCrl === false) return false;
  if (i.ca === 'root-crl') return true;
  return i.ca === 'imported' && i.crlBucket !== undefined;
}

export const trustStoreSpec: AdversarialSpec<TrustStoreInput> = {
  construct: 'TrustStores',
  arbitrary: input,
  numRuns: 24,
  build(stack, i) {
    const crl = i.ca === 'root-crl' || i.ca === 'root-partitioned' ? new CrlBucket(stack, 'Crl', { customCname: 'crl.example.com' }) : undefined;
    const ca = i.ca === 'imported'
      ? RootCa.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN)
      : new RootCa(stack, 'Ca', {
        subject: { commonName: 'Trust Store Root' },
        revocation: crl ? { crlBucket: crl, crlPartitioned: i.ca === 'root-partitioned' } : { ocsp: true },
      });
    const crlBucket = i.crlBucket === undefined ? undefined
      : i.crlBucket === 'own' && crl !== undefined ? crl.bucket : s3.Bucket.fromBucketName(stack, 'OtherCrl', 'other-ca-crl');
    if (i.kind === 'elb') {
      new LoadBalancerTrustStore(stack, 'Store', { certificateAuthority: ca, trustStoreName: i.trustStoreName, syncCrl: i.syncCrl, crlBucket });
    } else {
      new CloudFrontTrustStore(stack, 'Store', { certificateAuthority: ca, trustStoreName: i.trustStoreName, useClientCertificateOcspEndpoint: i.ocsp });
    }
    return { path: 'Stack/Store' };
  },
  oracle(i) {
    const out: Finding[] = [];
    const n = i.trustStoreName;
    if (i.kind === 'elb') {
      if (n !== undefined && (n.length < 1 || n.length > 32 || !ELB_NAME.test(n))) out.push(must('ELB trust store name: 1-32 of [A-Za-z0-9-], no hyphen at either end or twice', n));
      const asked = i.syncCrl === true || i.crlBucket !== undefined;
      if (i.syncCrl === false && i.crlBucket !== undefined) out.push(may('crlBucket with syncCrl: false is ignored', 'crlBucket'));
      if (i.syncCrl !== false && asked) {
        if (i.ca === 'root-no-crl') out.push(must('a CRL sync of a CA without a CRL', i.syncCrl === true ? 'syncCrl' : 'crlBucket'));
        if (i.ca === 'root-partitioned') out.push(must('a CRL sync of a partitioned CRL (no complete CRL)', i.syncCrl === true ? 'syncCrl' : 'crlBucket'));
        if (i.ca === 'imported' && i.crlBucket === undefined) out.push(must('a CRL sync of an imported CA without its CRL bucket', 'syncCrl'));
      }
      // "own" on an imported CA or a CA without a bucket means another bucket: only for a library CA with a CRL is it wrong.
      if (i.syncCrl !== false && i.ca === 'root-crl' && i.crlBucket === 'other') out.push(must('a crlBucket other than the CA\'s own', 'crlBucket'));
    } else {
      if (n !== undefined && n.length === 0) out.push(must('CloudFront trust store name is required', n));
      if (n !== undefined && (n.length > 128 || /\s/.test(n))) out.push(may('CloudFront documents no name pattern', n));
    }
    return out;
  },
  checkTemplate(t, i) {
    const problems: string[] = [];
    const type = i.kind === 'elb' ? 'AWS::ElasticLoadBalancingV2::TrustStore' : 'AWS::CloudFront::TrustStore';
    const stores = resourcesOf(t, type);
    const bundles = resourcesOf(t, 'Custom::CdkPkiCaBundle');
    if (stores.length !== 1 || bundles.length !== 1) return [`${stores.length} trust stores and ${bundles.length} bundles (one each expected)`];
    const [bundleId, bundle] = bundles[0];
    const store = stores[0][1];
    if (bundle.KeyPrefix !== 'ca-bundles/') problems.push(`bundle key prefix ${JSON.stringify(bundle.KeyPrefix)}`);
    const key = i.kind === 'elb' ? store.CaCertificatesBundleS3Key : store.CaCertificatesBundleSource?.CaCertificatesBundleS3Location?.Key;
    if (JSON.stringify(key) !== JSON.stringify({ 'Fn::GetAtt': [bundleId, 'Key'] })) problems.push(`the trust store reads ${JSON.stringify(key)}, not the bundle's key`);
    if (i.kind === 'elb' && typeof store.Name === 'string' && (store.Name.length > 32 || !ELB_NAME.test(store.Name))) problems.push(`ELB name ${store.Name}`);
    if (i.kind === 'cloudfront' && (typeof store.Name !== 'string' || store.Name.length === 0)) problems.push('CloudFront trust store without a name');
    if (resourcesOf(t, 'AWS::ElasticLoadBalancingV2::TrustStoreRevocation').length > 0) problems.push('a TrustStoreRevocation resource');
    const syncs = resourcesOf(t, 'Custom::CdkPkiCrlSync').length;
    if (syncs !== (expectsSync(i) ? 1 : 0)) problems.push(`${syncs} CRL syncs, expected ${expectsSync(i) ? 1 : 0}`);
    const statements = resourcesOf(t, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('StoreBundleHandlerPolicy'))
      .flatMap(([, p]) => p.PolicyDocument.Statement as any[]);
    if (statements.length === 0 || statements.some((s) => [s.Resource].flat().includes('*'))) problems.push('the bundle handler policy is missing or has a * resource');
    return problems;
  },
};
