import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CaSharePrincipal, CertificateAuthorityAuditReport, CertificateAuthorityPolicy, CertificateTemplate, CrlBucket, RootCa } from '../../src';
import { synthTemplate } from '../harness/cfn-lint';
import { deleteAllowed, removedCustomResources, resolveIntrinsics, simulate } from '../harness/template-change';

/**
 * Issue 13, items 2 and 7, checked with the offline IAM simulator (@cloud-copilot/iam-simulate, through
 * test/harness/template-change.ts).
 *
 * Item 2: removing or renaming a CertificateAuthorityPolicy / CertificateAuthorityAuditReport keeps the
 * permissions its own Delete needs, although CloudFormation shrinks the shared handler role in the update
 * phase and runs the Delete in the cleanup phase.
 * Item 7: grantIssueCertificate(role) without templates allows end-entity templates only.
 */

const ENV = { account: '123456789012', region: 'us-east-1' };

type Build = (s: Stack) => void;

function template(build: Build): any {
  const s = new Stack(new App(), 'Stack', { env: ENV });
  build(s);
  return synthTemplate(s).toJSON();
}

/** Two CAs, each with a policy, so the shared handler (and its role) stays when one policy goes. */
function twoCas(s: Stack): [RootCa, RootCa] {
  return [
    new RootCa(s, 'CaA', { subject: { commonName: 'A' }, revocation: { ocsp: true } }),
    new RootCa(s, 'CaB', { subject: { commonName: 'B' }, revocation: { ocsp: true } }),
  ];
}

const DELETE_POLICY_ACTIONS = ['acm-pca:GetPolicy', 'acm-pca:DeletePolicy'];

describe('CertificateAuthorityPolicy: its Delete keeps its permissions (before/after templates)', () => {
  const withBoth: Build = (s) => {
    const [a, b] = twoCas(s);
    new CertificateAuthorityPolicy(s, 'PolicyA', { certificateAuthority: a, principals: [CaSharePrincipal.account('222222222222')] });
    new CertificateAuthorityPolicy(s, 'PolicyB', { certificateAuthority: b, principals: [CaSharePrincipal.account('333333333333')] });
  };

  async function verdict(before: any, after: any) {
    const removed = removedCustomResources(before, after);
    expect(removed).toHaveLength(1);
    const arn = before.Resources[removed[0]].Properties.CertificateAuthorityArn;
    return deleteAllowed({ before, after, logicalId: removed[0], actions: DELETE_POLICY_ACTIONS, resources: [arn] });
  }

  test('pair 1: removing one policy while another stays: GetPolicy and DeletePolicy on its CA are still allowed', async () => {
    const before = template(withBoth);
    const after = template((s) => {
      const [, b] = twoCas(s);
      new CertificateAuthorityPolicy(s, 'PolicyB', { certificateAuthority: b, principals: [CaSharePrincipal.account('333333333333')] });
    });
    const v = await verdict(before, after);
    expect(v.denied).toEqual([]);
    // The permission comes from the removed construct's own policy, deleted after it; the after template no longer names the CA.
    const role = Object.keys(v.policies)[0];
    expect(v.policies[role].filter((p) => p.from === 'before').map((p) => p.name)).toEqual([expect.stringMatching(/^before:PolicyAHandlerPolicy/)]);
  });

  test('pair 2: removing the last policy (the provider goes too): the Delete is still allowed', async () => {
    const before = template((s) => {
      const [a] = twoCas(s);
      new CertificateAuthorityPolicy(s, 'PolicyA', { certificateAuthority: a, principals: [CaSharePrincipal.account('222222222222')] });
    });
    const after = template((s) => void twoCas(s));
    expect((await verdict(before, after)).denied).toEqual([]);
  });

  test('pair 3: renaming the construct path (a new logical ID): the old resource\'s Delete is still allowed', async () => {
    const before = template(withBoth);
    const after = template((s) => {
      const [a, b] = twoCas(s);
      new CertificateAuthorityPolicy(s, 'RenamedPolicyA', { certificateAuthority: a, principals: [CaSharePrincipal.account('222222222222')] });
      new CertificateAuthorityPolicy(s, 'PolicyB', { certificateAuthority: b, principals: [CaSharePrincipal.account('333333333333')] });
    });
    expect((await verdict(before, after)).denied).toEqual([]);
  });

  test('pair 3b: renaming a construct that holds a CA and its policy (both get new logical IDs): the Delete on the old CA is still allowed', async () => {
    const tenant = (name: string): Build => (s) => {
      const scope = new Construct(s, name);
      const ca = new RootCa(scope, 'Ca', { subject: { commonName: 'Tenant' }, revocation: { ocsp: true } });
      new CertificateAuthorityPolicy(scope, 'Policy', { certificateAuthority: ca, principals: [CaSharePrincipal.account('222222222222')] });
    };
    expect((await verdict(template(tenant('TenantA')), template(tenant('TenantRenamed')))).denied).toEqual([]);
  });

  test('the custom resource depends on its own policy, and the shared role\'s policy does not name the CA', () => {
    const t = template(withBoth);
    const [crA] = Object.entries<any>(t.Resources).find(([, r]) => r.Type === 'Custom::CdkPkiCaPolicy' && JSON.stringify(r).includes('CaA'))!;
    const own = Object.entries<any>(t.Resources).filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('PolicyAHandlerPolicy'));
    expect(own).toHaveLength(1);
    expect(t.Resources[crA].DependsOn).toContain(own[0][0]);
    const shared = Object.entries<any>(t.Resources).filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('CdkPkiCaPolicyProvider'));
    expect(JSON.stringify(shared)).not.toContain('acm-pca:DeletePolicy');
  });
});

describe('CertificateAuthorityAuditReport: its own policy outlives it (before/after templates)', () => {
  /** `Other` reports on another CA into another bucket, so the shared role names neither the CA nor the bucket of `Report`. */
  function reports(s: Stack, names: string[]): void {
    const [a, b] = twoCas(s);
    for (const name of names) {
      const other = name === 'Other';
      new CertificateAuthorityAuditReport(s, name, { certificateAuthority: other ? b : a, bucket: new CrlBucket(s, `${name}Crl`).bucket });
    }
  }
  const REPORT_ACTIONS = ['acm-pca:CreateCertificateAuthorityAuditReport', 'acm-pca:DescribeCertificateAuthorityAuditReport'];

  test.each([
    ['pair 4: removed while another report stays', ['Report', 'Other'], ['Other']],
    ['pair 5: the last report removed', ['Report'], []],
    ['pair 6: renamed', ['Report'], ['RenamedReport']],
  ])('%s: its CA and bucket permissions are still in force when its Delete runs', async (_name, beforeNames, afterNames) => {
    const before = template((s) => reports(s, beforeNames));
    const after = template((s) => reports(s, afterNames));
    const [removed] = removedCustomResources(before, after);
    expect(removed).toMatch(/^Report/);
    expect(removedCustomResources(before, after)).toHaveLength(1);
    const props = before.Resources[removed].Properties;
    const ca = await deleteAllowed({ before, after, logicalId: removed, actions: REPORT_ACTIONS, resources: [props.CertificateAuthorityArn] });
    expect(ca.denied).toEqual([]);
    const bucketArn = resolveIntrinsics(before, { 'Fn::Join': ['', ['arn:aws:s3:::', props.S3BucketName]] });
    const bucket = await deleteAllowed({ before, after, logicalId: removed, actions: ['s3:PutObject'], resources: [`${bucketArn}/audit-report/x.json`] });
    expect(bucket.denied).toEqual([]);
  });
});

describe('grantIssueCertificate (simulated)', () => {
  const END_ENTITY = 'arn:aws:acm-pca:::template/EndEntityCertificate/V1';
  const PATHLEN0 = 'arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1';

  /** The role's statements, resolved, and the CA's ARN. */
  function grantedTo(grant: (root: RootCa, role: iam.Role) => void): { statements: any[]; caArn: string } {
    let roleId = '';
    const t = template((s) => {
      const root = new RootCa(s, 'Root', { subject: { commonName: 'Root' }, revocation: { ocsp: true } });
      const role = new iam.Role(s, 'Issuer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      roleId = s.getLogicalId(role.node.defaultChild as iam.CfnRole);
      grant(root, role);
    });
    const policy = Object.values<any>(t.Resources).find((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(roleId));
    const caId = Object.keys(t.Resources).find((id) => t.Resources[id].Type === 'AWS::ACMPCA::CertificateAuthority')!;
    return { statements: resolveIntrinsics(t, policy.Properties.PolicyDocument).Statement, caArn: resolveIntrinsics(t, { Ref: caId }) };
  }

  const issue = (g: { statements: any[]; caArn: string }, templateArn: string) =>
    simulate({ statements: g.statements, action: 'acm-pca:IssueCertificate', resource: g.caArn, context: { 'acm-pca:TemplateArn': templateArn } });

  test('default: the grantee can issue an end-entity certificate; it cannot issue a SubordinateCACertificate_PathLen0 one', async () => {
    const g = grantedTo((root, role) => root.grantIssueCertificate(role));
    expect(await issue(g, END_ENTITY)).toBe('Allowed');
    expect(await issue(g, 'arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1')).toBe('Allowed');
    expect(await issue(g, 'arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1')).toBe('Allowed');
    expect(await issue(g, PATHLEN0)).toBe('ImplicitlyDenied');
    expect(await issue(g, 'arn:aws:acm-pca:::template/RootCACertificate/V1')).toBe('ImplicitlyDenied');
    expect(await issue(g, 'arn:aws:acm-pca:::template/EndEntityCertificate_APIPassthrough/V1')).toBe('ImplicitlyDenied');
  });

  test('a CA template named explicitly is allowed, and only what is named', async () => {
    const g = grantedTo((root, role) => root.grantIssueCertificate(role, [CertificateTemplate.subordinateCa(0)]));
    expect(await issue(g, PATHLEN0)).toBe('Allowed');
    expect(await issue(g, END_ENTITY)).toBe('ImplicitlyDenied');
  });
});

