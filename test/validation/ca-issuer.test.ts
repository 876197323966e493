import { Lazy } from 'aws-cdk-lib';
import {
  isCaTemplateName, validateEksClusterName, validateIssuerRoleArn, validateIssuerTemplates, validateKubernetesNamespace, validateRoleName,
  validateServiceAccountName,
} from '../../src/validation/ca-issuer';

const token = Lazy.string({ produce: () => 'x' });

describe('isCaTemplateName', () => {
  test.each([
    ['RootCACertificate/V1', true], ['RootCACertificate_APIPassthrough/V1', true], ['SubordinateCACertificate_PathLen3/V1', true],
    ['BlankRootCACertificate_PathLen0_APIPassthrough/V1', true], ['BlankSubordinateCACertificate_PathLen1_CSRPassthrough/V1', true],
    ['EndEntityCertificate/V1', false], ['BlankEndEntityCertificate_APICSRPassthrough/V1', false], ['CodeSigningCertificate/V1', false],
  ])('%s: %s', (name, ca) => expect(isCaTemplateName(name)).toBe(ca));
});

describe('Kubernetes names', () => {
  test('a namespace is a DNS-1123 label of at most 63 characters', () => {
    expect(validateKubernetesNamespace('a'.repeat(63))).toEqual([]);
    expect(validateKubernetesNamespace('cert-manager')).toEqual([]);
    expect(validateKubernetesNamespace('0ns')).toEqual([]);
    expect(validateKubernetesNamespace('a'.repeat(64))).toHaveLength(1);
    expect(validateKubernetesNamespace('ns-')).toEqual([expect.stringMatching(/^namespace "ns-" is not a Kubernetes namespace name/)]);
    expect(validateKubernetesNamespace(token)).toEqual([]);
  });

  test('a service account is a DNS-1123 subdomain of at most 253 characters', () => {
    const long = `${'a'.repeat(63)}.`.repeat(4).slice(0, 253).replace(/\.$/, 'a');
    expect(long).toHaveLength(253);
    expect(validateServiceAccountName(long)).toEqual([]);
    expect(validateServiceAccountName(`${long}a`)).toEqual([expect.stringMatching(/is 254 characters long: .* at most 253 characters/)]);
    expect(validateServiceAccountName('a..b')).toHaveLength(1);
    expect(validateServiceAccountName('aws-privateca-issuer')).toEqual([]);
    expect(validateServiceAccountName(token)).toEqual([]);
  });
});

describe('IAM and EKS names', () => {
  test('cluster names', () => {
    expect(validateEksClusterName('prod_cluster-1')).toEqual([]);
    expect(validateEksClusterName('a'.repeat(101))).toHaveLength(1);
    expect(validateEksClusterName('-prod')).toHaveLength(1);
  });

  test('issuer role ARNs: a role, with or without a path, in a known partition', () => {
    expect(validateIssuerRoleArn('arn:aws:iam::111122223333:role/aws-privateca-issuer')).toEqual([]);
    expect(validateIssuerRoleArn('arn:aws-us-gov:iam::111122223333:role/team/a/issuer')).toEqual([]);
    expect(validateIssuerRoleArn('arn:aws:iam::111122223333:role/')).toHaveLength(1);
    expect(validateIssuerRoleArn('arn:aws:sts::111122223333:assumed-role/issuer/session')).toHaveLength(1);
  });

  test('role names', () => {
    expect(validateRoleName('a'.repeat(64))).toEqual([]);
    expect(validateRoleName('a'.repeat(65))).toHaveLength(1);
    expect(validateRoleName(token)).toEqual([]);
  });
});

describe('validateIssuerTemplates', () => {
  test('end-entity and passthrough end-entity templates pass; CA templates need allowCaTemplates', () => {
    expect(validateIssuerTemplates(['EndEntityCertificate/V1', 'BlankEndEntityCertificate_APICSRPassthrough/V1'], false)).toEqual([]);
    expect(validateIssuerTemplates(['SubordinateCACertificate_PathLen0/V1'], false)).toHaveLength(1);
    expect(validateIssuerTemplates(['SubordinateCACertificate_PathLen0/V1'], true)).toEqual([]);
    expect(validateIssuerTemplates([], true)).toEqual([expect.stringMatching(/^templates is an empty list/)]);
  });
});
