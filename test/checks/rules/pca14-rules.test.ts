import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { findingsOfRule, newStack } from './findings';
import { CrlBucket } from '../../../src/private-ca/crl-bucket';
import { RootCa } from '../../../src/private-ca/root-ca';

const IMPORTED_CA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/12345678-1234-1234-1234-123456789012';

function ca(stack: Stack, id: string, revocation?: acmpca.CfnCertificateAuthority.RevocationConfigurationProperty): acmpca.CfnCertificateAuthority {
  return new acmpca.CfnCertificateAuthority(stack, id, {
    type: 'ROOT', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', subject: { commonName: id }, revocationConfiguration: revocation,
  });
}

function anchor(stack: Stack, id: string, acmPcaArn: string): void {
  new rolesanywhere.CfnTrustAnchor(stack, id, { name: id, source: { sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn } } });
}

describe('PKI-PCA14 Roles Anywhere trust anchor on a CA without a CRL (Error)', () => {
  test('a trust anchor on a CA without a CRL (by Ref, by GetAtt, through an activation, CRL disabled) is an error on the anchor', () => {
    const stack = newStack();
    const none = ca(stack, 'NoRevocation');
    const ocsp = ca(stack, 'OcspOnly', { ocspConfiguration: { enabled: true } });
    const disabled = ca(stack, 'CrlDisabled', { crlConfiguration: { enabled: false } });
    const activation = new acmpca.CfnCertificateAuthorityActivation(stack, 'Activation', {
      certificateAuthorityArn: none.attrArn, certificate: '-----BEGIN CERTIFICATE-----', status: 'ACTIVE',
    });
    anchor(stack, 'ByRef', none.ref);
    anchor(stack, 'ByGetAtt', ocsp.attrArn);
    anchor(stack, 'Disabled', disabled.attrArn);
    anchor(stack, 'ByActivation', activation.ref);
    expect(findingsOfRule(stack, 'PKI-PCA14', { lint: false })).toEqual(['Error ByActivation', 'Error ByGetAtt', 'Error ByRef', 'Error Disabled']);
  });

  test('a CA with a CRL, an imported CA, a certificate bundle and a deploy-time value are not reported', () => {
    const stack = newStack();
    const crl = ca(stack, 'WithCrl', { crlConfiguration: { enabled: true, s3BucketName: 'crl-bucket', s3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL' } });
    anchor(stack, 'Good', crl.attrArn);
    anchor(stack, 'Imported', IMPORTED_CA_ARN);
    anchor(stack, 'FromParameter', new CfnParameter(stack, 'CaArn', { type: 'String' }).valueAsString);
    const unknown = ca(stack, 'Unknown', { crlConfiguration: { enabled: new CfnParameter(stack, 'Crl', { type: 'String' }).valueAsString as any } });
    anchor(stack, 'UnknownCrl', unknown.attrArn);
    new rolesanywhere.CfnTrustAnchor(stack, 'Bundle', {
      name: 'bundle', source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: '-----BEGIN CERTIFICATE-----' } },
    });
    expect(findingsOfRule(stack, 'PKI-PCA14', { lint: false })).toEqual([]);
  });

  test('RolesAnywhereTrustAnchor on a RootCa with a CrlBucket is compliant', () => {
    const stack = newStack();
    new RootCa(stack, 'Root', { subject: { commonName: 'Hosts' }, revocation: { crlBucket: new CrlBucket(stack, 'Crl') } }).addRolesAnywhereTrustAnchor('Hosts');
    expect(findingsOfRule(stack, 'PKI-PCA14')).toEqual([]);
  });
});
