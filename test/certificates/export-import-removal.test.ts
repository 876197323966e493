import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CertificateExport } from '../../src/certificates/certificate-export';
import { CertificateMaterial } from '../../src/certificates/certificate-material';
import { ImportedCertificate } from '../../src/certificates/imported-certificate';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { createCertificateExportHandler } from '../../src/handlers/certificate-export/certificate-export.lambda';
import { OWNER_TAG } from '../../src/handlers/imported-certificate/contract';
import { cfnEvent } from '../harness/cfn-event';
import { synthTemplate } from '../harness/cfn-lint';
import { deleteAllowed, removedCustomResources, resolveIntrinsics } from '../harness/template-change';

/**
 * Issue 13, item 2: removing or renaming a construct must not remove the permission its own Delete
 * needs. Before/after template pairs checked with `deleteAllowed` (test/harness/template-change.ts:
 * the after template's IAM, plus the removed policies the custom resource depends on, evaluated by
 * the offline IAM simulator).
 *
 * ImportedCertificate's Delete (src/handlers/imported-certificate/imported-certificate.lambda.ts,
 * case 'delete') calls ListTagsForCertificate (the ownership check), DeleteCertificate, and on
 * ResourceInUseException DescribeCertificate (to name the users), all on its certificate, which
 * carries `cdk-pki:owner` = the stack ID.
 *
 * CertificateExport's Delete makes no AWS call (the secrets are CloudFormation resources with their
 * own removal policy): checked at the handler instead.
 */

const ENV = { account: '123456789012', region: 'us-east-1' };
const IMPORTED = 'Custom::CdkPkiImportedCertificate';
const DELETE_CALLS = ['acm:ListTagsForCertificate', 'acm:DeleteCertificate', 'acm:DescribeCertificate'];

type Build = (s: Stack) => void;

/** A stack with `build`'s constructs and an unrelated topic (so the stack is never empty). */
function template(build: Build): any {
  const s = new Stack(new App(), 'Stack', { env: ENV });
  new sns.Topic(s, 'Unrelated');
  build(s);
  return synthTemplate(s).toJSON();
}

function imported(scope: Construct, id: string, secretId = `${id}Material`): ImportedCertificate {
  const secret = secretsmanager.Secret.fromSecretCompleteArn(scope, secretId,
    `arn:aws:secretsmanager:us-east-1:123456789012:secret:certs/${id.toLowerCase()}-AbCdEf`);
  return new ImportedCertificate(scope, id, { material: CertificateMaterial.fromSecret(secret) });
}

const withBoth: Build = (s) => {
  imported(s, 'CertA', 'MaterialA');
  imported(s, 'CertB', 'MaterialB');
};

/** The removed ImportedCertificate's Delete calls, on its certificate (tagged with the before stack's ID), against the IAM in force then. */
async function importedDeleteVerdict(before: any, after: any, ownerTag?: string) {
  const removed = removedCustomResources(before, after);
  expect(removed).toHaveLength(1);
  expect(before.Resources[removed[0]].Type).toBe(IMPORTED);
  const stackId = resolveIntrinsics(before, { Ref: 'AWS::StackId' });
  return deleteAllowed({
    before,
    after,
    logicalId: removed[0],
    actions: DELETE_CALLS,
    // The custom resource's physical ID is the certificate ARN
    resources: [{ Ref: removed[0] }],
    context: { [`aws:ResourceTag/${OWNER_TAG}`]: ownerTag ?? stackId },
  });
}

describe('ImportedCertificate: the removed certificate\'s Delete is still allowed (before/after templates)', () => {
  test('pair 1: removing one of two: ListTagsForCertificate, DeleteCertificate and DescribeCertificate on its certificate are allowed', async () => {
    const before = template(withBoth);
    const after = template((s) => void imported(s, 'CertB', 'MaterialB'));
    const v = await importedDeleteVerdict(before, after);
    expect(v.denied).toEqual([]);
    // the shared handler stays: the permission is the after template's own, which names no single certificate
    const role = Object.keys(v.policies)[0];
    expect(v.policies[role].some((p) => p.from === 'after')).toBe(true);
  });

  test('pair 2: removing the last one (the provider and its role go too): the Delete is still allowed by the policies deleted after it', async () => {
    const before = template((s) => void imported(s, 'CertA', 'MaterialA'));
    const after = template(() => undefined);
    expect(Object.values<any>(after.Resources).some((r) => r.Type === IMPORTED)).toBe(false);
    const v = await importedDeleteVerdict(before, after);
    expect(v.denied).toEqual([]);
    const role = Object.keys(v.policies)[0];
    expect(v.policies[role].length).toBeGreaterThan(0);
    expect(v.policies[role].every((p) => p.from === 'before')).toBe(true);
  });

  test('pair 3: renaming the construct path (a new logical ID): the old resource\'s Delete is still allowed', async () => {
    const before = template(withBoth);
    const after = template((s) => {
      imported(s, 'RenamedCertA', 'MaterialA');
      imported(s, 'CertB', 'MaterialB');
    });
    expect(removedCustomResources(before, after)[0]).toMatch(/^CertA/);
    expect((await importedDeleteVerdict(before, after)).denied).toEqual([]);
  });

  test('pair 3b: moving the last one under a new parent construct: the old resource\'s Delete is still allowed', async () => {
    const before = template((s) => void imported(new Construct(s, 'Web'), 'Cert'));
    const after = template((s) => void imported(new Construct(s, 'Frontend'), 'Cert'));
    expect((await importedDeleteVerdict(before, after)).denied).toEqual([]);
  });

  test('control: the same Delete on a certificate owned by another stack is denied in every pair (the check is not vacuous)', async () => {
    const other = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Other/00000000-0000-0000-0000-000000000000';
    const before = template(withBoth);
    const after = template((s) => void imported(s, 'CertB', 'MaterialB'));
    const v = await importedDeleteVerdict(before, after, other);
    expect(v.denied.map((d) => d.action)).toEqual(['acm:DeleteCertificate']);
    const last = await importedDeleteVerdict(template((s) => void imported(s, 'CertA', 'MaterialA')), template(() => undefined), other);
    expect(last.denied.map((d) => d.action)).toEqual(['acm:DeleteCertificate']);
  });
});

describe('CertificateExport: the Delete makes no AWS call, so removing or renaming an export needs no permission at its Delete', () => {
  /** The removed export's Delete event, with the properties of the before template (intrinsics resolved). */
  function removedExportDelete(): { event: any; physicalId: string } {
    const cert = (s: Stack) => new PublicCertificate(s, 'Cert', { domainName: 'www.example.com', allowExport: true });
    const before = template((s) => {
      const c = cert(s);
      new CertificateExport(s, 'ExportA', { certificate: c });
      new CertificateExport(s, 'ExportB', { certificate: c, secretName: 'pki/b' });
    });
    const after = template((s) => void new CertificateExport(s, 'ExportB', { certificate: cert(s), secretName: 'pki/b' }));
    const [removed] = removedCustomResources(before, after);
    expect(removed).toMatch(/^ExportA/);
    const props = resolveIntrinsics(before, before.Resources[removed].Properties);
    delete props.ServiceToken;
    expect(props.CertificateArn).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\//);
    return { event: cfnEvent('Delete', { resourceType: 'Custom::CdkPkiCertificateExport', logicalId: removed, props, physicalId: props.CertificateArn }), physicalId: props.CertificateArn };
  }

  /**
   * Clients that record every command and fail it: the Delete must send none. (A stub on purpose:
   * the assertion is that no call is made at all, which moto cannot show.)
   */
  function recordingHandler() {
    const sent: string[] = [];
    const client = { send: async (command: any) => { sent.push(command.constructor.name); throw new Error(`unexpected ${command.constructor.name}`); } };
    const published: string[] = [];
    const lines: string[] = [];
    const handler = createCertificateExportHandler({
      acm: () => client,
      secretsManager: client,
      publish: async (topicArn) => { published.push(topicArn); },
      retry: { baseDelayMs: 1, attempts: 1 },
      log: (l) => lines.push(l),
    });
    return { handler, sent, published, lines };
  }

  test('the removed export\'s Delete sends no SDK command and answers with its physical ID', async () => {
    const { event, physicalId } = removedExportDelete();
    const r = recordingHandler();
    await expect(r.handler(event)).resolves.toEqual({ PhysicalResourceId: physicalId });
    expect(r.sent).toEqual([]);
    expect(r.published).toEqual([]);
  });

  test('the Delete after a failed Create (the framework\'s marker as physical ID) and one with a topic send nothing either', async () => {
    const { event } = removedExportDelete();
    const marker = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
    const r = recordingHandler();
    await expect(r.handler({ ...event, PhysicalResourceId: marker })).resolves.toEqual({ PhysicalResourceId: marker });
    const withTopic = { ...event, ResourceProperties: { ...event.ResourceProperties, TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', RenewalToken: '2' } };
    await expect(r.handler(withTopic)).resolves.toEqual({ PhysicalResourceId: event.PhysicalResourceId });
    expect(r.sent).toEqual([]);
    expect(r.published).toEqual([]);
  });
});
