import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { logicalIdOf, migrate } from './migration-app';
import {
  CaKeyAlgorithm, CaRevocationOptions, CaSigningAlgorithm, CaUsageMode, CaValidity, CrlBucket, KeyStorageSecurityStandard,
  PrivateCaHierarchy, PrivateCertificate, RootCa, SubordinateCa,
} from '../../src';

/*
 * Recipe: a Private CA hierarchy written with `acmpca.CfnCertificateAuthority` + `CfnCertificate` +
 * `CfnCertificateAuthorityActivation` (as in the CloudFormation documentation's example) → `RootCa`
 * and `SubordinateCa`. Each L1 resource keeps its logical ID with `overrideLogicalId`: the CA is the
 * construct's default child, its certificate the child `Certificate`, its activation `activation`.
 *
 * What changes, by design (no replacement): the CAs get a `Name` tag (updatable), and the CA, its
 * certificate and its activation get the CA's removal policy (default `RetainExceptOnCreate` /
 * `UpdateReplacePolicy: Retain`; `RemovalPolicy.DESTROY` matches the L1 default exactly). A
 * `PrivateCertificate` from such a CA adds the CA's ACM renewal permission (`AWS::ACMPCA::Permission`).
 */

const ROOT_SUBJECT = { commonName: 'Example Root CA', organization: 'Example Corp', country: 'US' };
const ISSUING_SUBJECT = { commonName: 'Example Issuing CA', organization: 'Example Corp', country: 'US' };

/** The L1 resources of one CA of the before app, and their logical IDs. */
interface L1Ca {
  readonly ca: acmpca.CfnCertificateAuthority;
  readonly certificate: acmpca.CfnCertificate;
  readonly activation: acmpca.CfnCertificateAuthorityActivation;
}

interface L1Options {
  readonly keyAlgorithm?: string;
  readonly signingAlgorithm?: string;
  readonly validity?: acmpca.CfnCertificate.ValidityProperty;
  readonly extra?: Partial<acmpca.CfnCertificateAuthorityProps>;
}

/** A root CA with L1 resources, as in the CloudFormation documentation. */
function l1Root(s: Stack, o: L1Options = {}): L1Ca {
  const signingAlgorithm = o.signingAlgorithm ?? 'SHA256WITHRSA';
  const ca = new acmpca.CfnCertificateAuthority(s, 'RootCA', {
    type: 'ROOT', keyAlgorithm: o.keyAlgorithm ?? 'RSA_2048', signingAlgorithm, subject: ROOT_SUBJECT, ...o.extra,
  });
  const certificate = new acmpca.CfnCertificate(s, 'RootCACertificate', {
    certificateAuthorityArn: ca.attrArn,
    certificateSigningRequest: ca.attrCertificateSigningRequest,
    signingAlgorithm,
    templateArn: 'arn:aws:acm-pca:::template/RootCACertificate/V1',
    validity: o.validity ?? { type: 'DAYS', value: 3650 },
  });
  const activation = new acmpca.CfnCertificateAuthorityActivation(s, 'RootCAActivation', {
    certificateAuthorityArn: ca.attrArn, certificate: certificate.attrCertificate, status: 'ACTIVE',
  });
  return { ca, certificate, activation };
}

/** A subordinate CA issued by `root`, with L1 resources, as in the CloudFormation documentation. */
function l1Subordinate(s: Stack, root: L1Ca, pathLength = 0): L1Ca {
  const ca = new acmpca.CfnCertificateAuthority(s, 'SubordinateCA', {
    type: 'SUBORDINATE', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', subject: ISSUING_SUBJECT,
  });
  const certificate = new acmpca.CfnCertificate(s, 'SubordinateCACertificate', {
    certificateAuthorityArn: root.ca.ref,
    certificateSigningRequest: ca.attrCertificateSigningRequest,
    signingAlgorithm: 'SHA256WITHRSA',
    templateArn: `arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen${pathLength}/V1`,
    validity: { type: 'DAYS', value: 1825 },
  });
  certificate.addDependency(root.activation);
  const activation = new acmpca.CfnCertificateAuthorityActivation(s, 'SubordinateCAActivation', {
    certificateAuthorityArn: ca.ref,
    certificate: certificate.attrCertificate,
    certificateChain: root.activation.attrCompleteCertificateChain,
    status: 'ACTIVE',
  });
  return { ca, certificate, activation };
}

/** The logical IDs to keep: CA, certificate, activation. */
type Ids = [string, string, string];

function ids(l1: L1Ca): Ids {
  return [logicalIdOf(l1.ca), logicalIdOf(l1.certificate), logicalIdOf(l1.activation)];
}

/** The README's recipe: keep the three logical IDs of a CA of this library. */
function keepLogicalIds(ca: RootCa | SubordinateCa, [caId, certificateId, activationId]: Ids): void {
  (ca.node.defaultChild as CfnResource).overrideLogicalId(caId);
  (ca.node.findChild('Certificate') as CfnResource).overrideLogicalId(certificateId);
  ca.activation!.overrideLogicalId(activationId);
}

/** The lines of `describeMigration` for a CA that gets the Name tag and, when given, a removal policy. */
function caChanges([caId, certificateId, activationId]: Ids, name: string, deletion?: string, updateReplace?: string): string[] {
  const policies = deletion ? [`  DeletionPolicy: (absent) -> "${deletion}"`, `  UpdateReplacePolicy: (absent) -> "${updateReplace}"`] : [];
  const blocks: Array<[string, string[]]> = [[caId, [
    `CHANGED ${caId} (AWS::ACMPCA::CertificateAuthority)`,
    `  ${caId} (AWS::ACMPCA::CertificateAuthority) Tags [updatable]: (absent) -> [{"Key":"Name","Value":"${name}"}]`,
    ...policies,
  ]]];
  if (deletion) {
    blocks.push([certificateId, [`CHANGED ${certificateId} (AWS::ACMPCA::Certificate)`, ...policies]]);
    blocks.push([activationId, [`CHANGED ${activationId} (AWS::ACMPCA::CertificateAuthorityActivation)`, ...policies]]);
  }
  // describeMigration lists resources by logical ID.
  return blocks.sort(([x], [y]) => (x < y ? -1 : 1)).flatMap(([, lines]) => lines);
}

describe('acmpca.CfnCertificateAuthority + CfnCertificate + CfnCertificateAuthorityActivation → RootCa', () => {
  test('defaults: the Name tag, and RetainExceptOnCreate on the CA, its certificate and its activation; nothing replaced', () => {
    const { lines, problems } = migrate(
      (s) => ids(l1Root(s)),
      (s, kept) => keepLogicalIds(new RootCa(s, 'Root', { subject: ROOT_SUBJECT }), kept),
    );
    expect(problems).toEqual([]);
    expect(lines).toEqual((caChanges(['RootCA', 'RootCACertificate', 'RootCAActivation'], 'Web/Root', 'RetainExceptOnCreate', 'Retain')));
  });

  test('removalPolicy DESTROY: only the Name tag (the L1 default policies are Delete)', () => {
    const { lines } = migrate(
      (s) => ids(l1Root(s)),
      (s, kept) => keepLogicalIds(new RootCa(s, 'Root', { subject: ROOT_SUBJECT, removalPolicy: RemovalPolicy.DESTROY }), kept),
    );
    expect(lines).toEqual(caChanges(['RootCA', 'RootCACertificate', 'RootCAActivation'], 'Web/Root'));
  });

  test('the README example (RSA_4096, 3650 days, RETAIN): the Name tag and Retain policies', () => {
    const { lines, problems } = migrate(
      (s) => ids(l1Root(s, { keyAlgorithm: 'RSA_4096' })),
      (s, kept) => keepLogicalIds(new RootCa(s, 'Root', {
        subject: ROOT_SUBJECT,
        keyAlgorithm: CaKeyAlgorithm.RSA_4096,
        validity: CaValidity.duration(Duration.days(3650)),
        removalPolicy: RemovalPolicy.RETAIN,
      }), kept),
    );
    expect(problems).toEqual([]);
    expect(lines).toEqual((caChanges(['RootCA', 'RootCACertificate', 'RootCAActivation'], 'Web/Root', 'Retain', 'Retain')));
  });

  test('every create-only CA property given explicitly (signing algorithm, key storage, usage mode, subject) and OCSP: nothing replaced', () => {
    const subject = { ...ROOT_SUBJECT, organizationalUnit: 'PKI', state: 'WA', locality: 'Seattle', serialNumber: '0001' };
    const { lines, problems } = migrate(
      (s) => {
        const l1 = l1Root(s, {
          keyAlgorithm: 'EC_secp384r1',
          signingAlgorithm: 'SHA512WITHECDSA',
          extra: {
            subject,
            keyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
            usageMode: 'GENERAL_PURPOSE',
            revocationConfiguration: { ocspConfiguration: { enabled: true } },
          },
        });
        return ids(l1);
      },
      (s, kept) => keepLogicalIds(new RootCa(s, 'Root', {
        subject,
        keyAlgorithm: CaKeyAlgorithm.EC_SECP384R1,
        signingAlgorithm: CaSigningAlgorithm.SHA512_WITH_ECDSA,
        keyStorageSecurityStandard: KeyStorageSecurityStandard.FIPS_140_2_LEVEL_3_OR_HIGHER,
        usageMode: CaUsageMode.GENERAL_PURPOSE,
        revocation: { ocsp: true },
        removalPolicy: RemovalPolicy.DESTROY,
      }), kept),
    );
    expect(problems).toEqual([]);
    expect(lines).toEqual(caChanges(['RootCA', 'RootCACertificate', 'RootCAActivation'], 'Web/Root'));
  });

  test('without overrideLogicalId: every resource gets a new logical ID, so a new CA (the helper reports each)', () => {
    const { migration } = migrate((s) => ids(l1Root(s)), (s) => new RootCa(s, 'Root', { subject: ROOT_SUBJECT }));
    expect(migration.logicalIdChanges.map((c) => `${c.before} -> ${c.after}`)).toEqual([
      'RootCA -> RootAC0F3320',
      'RootCAActivation -> RootActivation5C67B8FA',
      'RootCACertificate -> RootCertificate363E0AF2',
    ]);
  });

  test('documented: a validity in YEARS (or MONTHS) cannot be written with CaValidity, so the CA certificate would be reissued', () => {
    const before = (s: Stack) => ids(l1Root(s, { validity: { type: 'YEARS', value: 10 } }));
    const plain = migrate(before, (s, kept) => keepLogicalIds(new RootCa(s, 'Root', {
      subject: ROOT_SUBJECT, validity: CaValidity.duration(Duration.days(3650)), removalPolicy: RemovalPolicy.DESTROY,
    }), kept));
    // The CA's own certificate is replaced (a new certificate from the same key), and the activation imports it in place.
    expect(plain.problems).toEqual([
      'RootCACertificate (AWS::ACMPCA::Certificate) Validity [create-only]: {"Type":"YEARS","Value":10} -> {"Type":"DAYS","Value":3650}',
    ]);
    expect(plain.migration.changed.find((c) => c.logicalId === 'RootCAActivation')?.properties.map((p) => [p.property, p.kind, p.viaReplacementOf])).toEqual([
      ['Certificate', 'updatable', ['RootCACertificate']],
    ]);

    // The escape hatch keeps the certificate: the validity as it was, on the L1 certificate.
    const kept = migrate(before, (s, keep) => {
      const root = new RootCa(s, 'Root', { subject: ROOT_SUBJECT, validity: CaValidity.duration(Duration.days(3650)), removalPolicy: RemovalPolicy.DESTROY });
      keepLogicalIds(root, keep);
      (root.node.findChild('Certificate') as acmpca.CfnCertificate).validity = { type: 'YEARS', value: 10 };
    });
    expect(kept.lines).toEqual(caChanges(['RootCA', 'RootCACertificate', 'RootCAActivation'], 'Web/Root'));
  });
});

describe('a root and a subordinate CA with an ACM private certificate → RootCa + SubordinateCa + PrivateCertificate', () => {
  test('Name tags, removal policies and the ACM renewal permission are added; nothing replaced', () => {
    const { migration, problems } = migrate(
      (s) => {
        const root = l1Root(s);
        const sub = l1Subordinate(s, root);
        const cert = new acm.PrivateCertificate(s, 'Cert', {
          domainName: 'api.internal.example.com',
          certificateAuthority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(s, 'Issuing', sub.ca.attrArn),
        });
        cert.node.addDependency(sub.activation);
        return { root: ids(root), sub: ids(sub) };
      },
      (s, kept) => {
        const root = new RootCa(s, 'Root', { subject: ROOT_SUBJECT });
        keepLogicalIds(root, kept.root);
        const issuing = new SubordinateCa(s, 'Issuing', { parent: root, subject: ISSUING_SUBJECT });
        keepLogicalIds(issuing, kept.sub);
        new PrivateCertificate(s, 'Cert', { domainName: 'api.internal.example.com', certificateAuthority: issuing });
      },
    );
    expect(problems).toEqual([]);
    expect(migration.added.map((r) => `${r.logicalId} ${r.type}`)).toEqual(['IssuingAcmPermissionFA08E5D4 AWS::ACMPCA::Permission']);
    expect(migration.changed.map((c) => [c.logicalId, c.properties.map((p) => `${p.property} ${p.kind}`), c.deletionPolicy?.after])).toEqual([
      ['Cert5C9FAEC1', ['Tags updatable'], undefined],
      ['RootCA', ['Tags updatable'], 'RetainExceptOnCreate'],
      ['RootCAActivation', [], 'RetainExceptOnCreate'],
      ['RootCACertificate', [], 'RetainExceptOnCreate'],
      ['SubordinateCA', ['Tags updatable'], 'RetainExceptOnCreate'],
      ['SubordinateCAActivation', [], 'RetainExceptOnCreate'],
      ['SubordinateCACertificate', [], 'RetainExceptOnCreate'],
    ]);
  });
  test('documented: a subordinate issued with SubordinateCACertificate_PathLen3/V1 (the CloudFormation example) needs pathLength: 3', () => {
    const before = (s: Stack) => {
      const root = l1Root(s);
      return { root: ids(root), sub: ids(l1Subordinate(s, root, 3)) };
    };
    const after = (pathLength?: number) => (s: Stack, kept: { root: Ids; sub: Ids }) => {
      const root = new RootCa(s, 'Root', { subject: ROOT_SUBJECT, removalPolicy: RemovalPolicy.DESTROY });
      keepLogicalIds(root, kept.root);
      keepLogicalIds(new SubordinateCa(s, 'Issuing', { parent: root, subject: ISSUING_SUBJECT, pathLength, removalPolicy: RemovalPolicy.DESTROY }), kept.sub);
    };
    // Without it the path length is the depth of the CAs below (0): the subordinate's certificate would be reissued.
    expect(migrate(before, after()).problems).toEqual([
      'SubordinateCACertificate (AWS::ACMPCA::Certificate) TemplateArn [create-only]: ' +
        '"arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen3/V1" -> ' +
        '{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":acm-pca:::template/SubordinateCACertificate_PathLen0/V1"]]}',
    ]);
    expect(migrate(before, after(3)).problems).toEqual([]);
  });
});

describe('the same root and subordinate → PrivateCaHierarchy', () => {
  test('documented: a CRL bucket and the ACM renewal permission are added, the CAs get CRL revocation (updatable); nothing replaced', () => {
    const { migration, problems } = migrate(
      (s) => {
        const root = l1Root(s);
        return { root: ids(root), sub: ids(l1Subordinate(s, root)) };
      },
      (s, kept) => {
        const pki = new PrivateCaHierarchy(s, 'Pki', {
          root: { id: 'Root', subject: ROOT_SUBJECT },
          issuing: [{ id: 'Issuing', subject: ISSUING_SUBJECT }],
          removalPolicy: RemovalPolicy.DESTROY,
        });
        keepLogicalIds(pki.root, kept.root);
        keepLogicalIds(pki.issuingCas[0], kept.sub);
      },
    );
    expect(problems).toEqual([]);
    expect(migration.added.map((r) => r.type)).toEqual(['AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'AWS::ACMPCA::Permission']);
    expect(migration.changed.map((c) => [c.logicalId, c.properties.map((p) => `${p.property} ${p.kind}`)])).toEqual([
      ['RootCA', ['RevocationConfiguration updatable', 'Tags updatable']],
      ['SubordinateCA', ['RevocationConfiguration updatable', 'Tags updatable']],
    ]);
  });
});

describe('a CRL bucket written with s3.Bucket → CrlBucket', () => {
  function before(s: Stack): { ids: Ids; bucket: string; policy: string } {
    const bucket = new s3.Bucket(s, 'CrlBucket', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, enforceSSL: true, versioned: true });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('acm-pca.amazonaws.com')],
      actions: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketAcl', 's3:GetBucketLocation'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    }));
    const root = l1Root(s, {
      extra: {
        subject: ROOT_SUBJECT,
        revocationConfiguration: {
          crlConfiguration: { enabled: true, s3BucketName: bucket.bucketName, expirationInDays: 7, s3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL' },
        },
      },
    });
    root.ca.node.addDependency(bucket.policy!);
    return {
      ids: ids(root),
      bucket: logicalIdOf(bucket.node.defaultChild as s3.CfnBucket),
      policy: logicalIdOf(bucket.policy!.node.defaultChild as s3.CfnBucketPolicy),
    };
  }

  function after(s: Stack, kept: ReturnType<typeof before>, keepBucket: boolean): void {
    const crl = new CrlBucket(s, 'Crl');
    if (keepBucket) {
      (crl.bucket.node.defaultChild as CfnResource).overrideLogicalId(kept.bucket);
      (crl.bucket.policy!.node.defaultChild as CfnResource).overrideLogicalId(kept.policy);
    }
    const revocation: CaRevocationOptions = { crlBucket: crl };
    keepLogicalIds(new RootCa(s, 'Root', { subject: ROOT_SUBJECT, revocation, removalPolicy: RemovalPolicy.DESTROY }), kept.ids);
  }

  test('the bucket and its policy keep their logical IDs: both are updated in place; the CA gets only its Name tag', () => {
    const { migration, problems } = migrate(before, (s, kept) => after(s, kept, true));
    expect(problems).toEqual([]);
    expect(migration.added).toEqual([]);
    expect(migration.removed).toEqual([]);
    expect(migration.changed.map((c) => [c.logicalId, c.properties.map((p) => `${p.property} ${p.kind}`)])).toEqual([
      ['CrlBucket56B6A239', ['BucketEncryption updatable', 'OwnershipControls updatable']],
      ['CrlBucketPolicy673646EF', ['PolicyDocument updatable']],
      ['RootCA', ['Tags updatable']],
    ]);
  });

  test('documented: without overrideLogicalId a new bucket is created; the CA writes its CRLs there (the old bucket is retained)', () => {
    const { migration, problems } = migrate(before, (s, kept) => after(s, kept, false));
    expect(migration.logicalIdChanges.map((c) => c.type)).toEqual(['AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
    expect(problems).toHaveLength(2);
    expect(migration.changed.map((c) => [c.logicalId, c.properties.map((p) => `${p.property} ${p.kind}`)])).toEqual([
      ['RootCA', ['RevocationConfiguration updatable', 'Tags updatable']],
    ]);
  });
});
