import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PrivateCaHierarchy, PrivateCertificate, RootCa, SubordinateCa } from '../../src';
import { synthTemplate } from '../harness/cfn-lint';

/**
 * Issue 13, item 3: a retained CA stays usable. The CA's removal policy applies to the four resources whose deletion
 * disables it or its renewals: the CA, its activation, its own CA certificate and its ACM permission.
 */

const ENV = { account: '123456789012', region: 'eu-west-1' };
const FOUR = [
  'AWS::ACMPCA::CertificateAuthority',
  'AWS::ACMPCA::CertificateAuthorityActivation',
  'AWS::ACMPCA::Certificate',
  'AWS::ACMPCA::Permission',
];

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: ENV });
}

/** `Type DeletionPolicy/UpdateReplacePolicy` of every Private CA resource, one line per resource. */
function policies(t: Template): string[] {
  return Object.entries(t.toJSON().Resources as Record<string, any>)
    .filter(([, r]) => FOUR.includes(r.Type))
    .map(([id, r]) => `${id} ${r.Type} ${r.DeletionPolicy}/${r.UpdateReplacePolicy}`)
    .sort();
}

/** A root, a subordinate issued by it and its ACM permission (through a PrivateCertificate). */
function rootAndSubordinate(s: Stack, removalPolicy?: RemovalPolicy): void {
  const root = new RootCa(s, 'Root', { subject: { commonName: 'Root' }, revocation: { ocsp: true }, removalPolicy });
  const issuing = new SubordinateCa(s, 'Issuing', { parent: root, subject: { commonName: 'Issuing' }, revocation: { ocsp: true }, removalPolicy });
  new PrivateCertificate(s, 'Cert', { domainName: 'api.internal.example', certificateAuthority: issuing });
}

describe('removal policy of a CA and of what it cannot work without', () => {
  test.each([
    ['default', 'RetainExceptOnCreate/Retain', undefined],
    ['RETAIN', 'Retain/Retain', RemovalPolicy.RETAIN],
    ['RETAIN_ON_UPDATE_OR_DELETE', 'RetainExceptOnCreate/Retain', RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE],
    ['DESTROY', 'Delete/Delete', RemovalPolicy.DESTROY],
  ])('%s: the CA, its activation, its CA certificate and its ACM permission all get DeletionPolicy/UpdateReplacePolicy %s', (_name, expected, removalPolicy) => {
    const s = newStack();
    rootAndSubordinate(s, removalPolicy);
    const lines = policies(synthTemplate(s));
    // 2 CAs, 2 activations, 2 CA certificates, 1 ACM permission (on the issuing CA)
    expect(lines).toHaveLength(7);
    for (const type of FOUR) expect(lines.some((l) => l.includes(` ${type} `))).toBe(true);
    for (const line of lines) expect(line.endsWith(` ${expected}`)).toBe(true);
  });

  test('the policy of each CA applies to its own resources: a DESTROY subordinate under a default root', () => {
    const s = newStack();
    const root = new RootCa(s, 'Root', { subject: { commonName: 'Root' }, revocation: { ocsp: true } });
    const issuing = new SubordinateCa(s, 'Issuing', {
      parent: root, subject: { commonName: 'Issuing' }, revocation: { ocsp: true }, removalPolicy: RemovalPolicy.DESTROY,
    });
    issuing.allowAcmRenewal();
    root.allowAcmRenewal();
    const lines = policies(synthTemplate(s));
    expect(lines.filter((l) => l.startsWith('Root')).every((l) => l.endsWith(' RetainExceptOnCreate/Retain'))).toBe(true);
    expect(lines.filter((l) => l.startsWith('Issuing')).every((l) => l.endsWith(' Delete/Delete'))).toBe(true);
    expect(lines).toHaveLength(8);
    expect(root.removalPolicy).toBe(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    expect(issuing.removalPolicy).toBe(RemovalPolicy.DESTROY);
  });

  test('PrivateCaHierarchy passes its removal policy to every CA and its resources (default and RETAIN)', () => {
    for (const [removalPolicy, expected] of [[undefined, 'RetainExceptOnCreate/Retain'], [RemovalPolicy.RETAIN, 'Retain/Retain']] as const) {
      const s = newStack();
      new PrivateCaHierarchy(s, 'Pki', {
        root: { id: 'Root', subject: { commonName: 'Root' } },
        issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' } }],
        removalPolicy,
      });
      const lines = policies(synthTemplate(s));
      expect(lines.some((l) => l.includes('AWS::ACMPCA::Permission'))).toBe(true);
      for (const line of lines) expect(line.endsWith(` ${expected}`)).toBe(true);
    }
  });

  test('a subordinate with an external parent has only the CA resource, with the policy', () => {
    const s = newStack();
    new SubordinateCa(s, 'External', { subject: { commonName: 'External' }, revocation: { ocsp: true } });
    expect(policies(synthTemplate(s))).toEqual([expect.stringMatching(/ AWS::ACMPCA::CertificateAuthority RetainExceptOnCreate\/Retain$/)]);
  });

  test('SNAPSHOT is refused with the construct path, the value and the fix', () => {
    expect(() => new RootCa(newStack(), 'Root', { subject: { commonName: 'Root' }, removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow(/Stack\/Root.*removalPolicy RemovalPolicy\.SNAPSHOT is not supported: Private CA resources have no snapshots\. Use RemovalPolicy\.RETAIN_ON_UPDATE_OR_DELETE \(the default\), RETAIN, or DESTROY/s);
    expect(() => new PrivateCaHierarchy(newStack(), 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' } },
      issuing: [{ id: 'Issuing', subject: { commonName: 'Issuing' } }],
      removalPolicy: RemovalPolicy.SNAPSHOT,
    })).toThrow(/Stack\/Pki\/Root.*removalPolicy RemovalPolicy\.SNAPSHOT is not supported/s);
  });
});
