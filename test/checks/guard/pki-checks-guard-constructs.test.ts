import { App, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { GuardResult, runGuard, writeTemplate } from './guard-runner';
import {
  CertificateExport,
  CertificateKeyAlgorithm,
  CrlBucket,
  PrivateCaHierarchy,
  PrivateCertificate,
  PublicCertificate,
  PublicCertificateValidation,
  RootCa,
} from '../../../src';
import { synthTemplate } from '../../harness/cfn-lint';

const REGION = 'eu-west-1';

function newStack(id: string): Stack {
  return new Stack(new App(), id, { env: { account: '123456789012', region: REGION } });
}

/** Our constructs with default props, each in its own stack. */
const apps: Record<string, () => Stack> = {
  'PublicCertificate with a zone': () => {
    const stack = newStack('PublicCert');
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    // A key algorithm given, so that PKI-ACM3 has one to check (unset, the property is left out).
    new PublicCertificate(stack, 'Cert', {
      domainName: 'www.example.com', validation: PublicCertificateValidation.fromDns(zone), keyAlgorithm: CertificateKeyAlgorithm.EC_PRIME256V1,
    });
    return stack;
  },
  'PrivateCaHierarchy + PrivateCertificate': () => {
    const stack = newStack('Hierarchy');
    const pki = new PrivateCaHierarchy(stack, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Example Root' } },
      issuing: [{ id: 'Issuing', subject: { commonName: 'Example Issuing' } }],
    });
    new PrivateCertificate(stack, 'Api', { domainName: 'api.internal.example.com', certificateAuthority: pki.issuingCas[0] });
    return stack;
  },
  'RootCa with a CrlBucket': () => {
    const stack = newStack('RootWithCrl');
    new RootCa(stack, 'Root', { subject: { commonName: 'Example Root' }, revocation: { crlBucket: new CrlBucket(stack, 'Crl') } });
    return stack;
  },
  'RolesAnywhereTrustAnchor on a RootCa with a CrlBucket': () => {
    const stack = newStack('RolesAnywhere');
    new RootCa(stack, 'Root', { subject: { commonName: 'Hosts Root' }, revocation: { crlBucket: new CrlBucket(stack, 'Crl') } })
      .addRolesAnywhereTrustAnchor('Hosts');
    return stack;
  },
  'CertificateExport of an exportable PublicCertificate': () => {
    const stack = newStack('Export');
    const cert = new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', allowExport: true });
    new CertificateExport(stack, 'Export', { certificate: cert });
    return stack;
  },
};

/** Runs the rule file on the synthesized template of each app, once per parameter set. */
const results: Record<string, { errors: GuardResult; withRegion: GuardResult; warnings: GuardResult }> = {};
beforeAll(() => {
  for (const [name, build] of Object.entries(apps)) {
    const file = writeTemplate(`construct-${name}`, synthTemplate(build()).toJSON());
    results[name] = {
      errors: runGuard(file),
      withRegion: runGuard(file, { region: REGION }),
      warnings: runGuard(file, { includeWarnings: true, region: REGION }),
    };
  }
});

describe('rules/pki-checks.guard on templates of our own constructs (default props)', () => {
  test.each(Object.keys(apps))('%s: no rule fails (Error-level rules; with and without the region)', (name) => {
    expect([...results[name].errors.failed.keys()]).toEqual([]);
    expect([...results[name].withRegion.failed.keys()]).toEqual([]);
    expect(results[name].errors.status).not.toBe('FAIL');
  });

  test('the cross-resource rules were evaluated, not skipped', () => {
    const hierarchy = results['PrivateCaHierarchy + PrivateCertificate'].withRegion;
    expect(hierarchy.passed).toEqual(expect.arrayContaining(['PKI_PCA1', 'PKI_PCA2', 'PKI_PCA4', 'PKI_PCA5', 'PKI_PCA8', 'PKI_PCA12']));
    // UsageMode absent (GENERAL_PURPOSE): PKI-PCA9 has nothing to compare; KeyAlgorithm absent (ACM's RSA_2048, as aws-cdk-lib
    // leaves it, issue 14): PKI-ACM3 neither
    expect(hierarchy.skipped).toEqual(expect.arrayContaining(['PKI_PCA9', 'PKI_ACM3']));
    expect(results['RootCa with a CrlBucket'].withRegion.passed).toEqual(expect.arrayContaining(['PKI_PCA4', 'PKI_PCA5']));
    expect(results['RolesAnywhereTrustAnchor on a RootCa with a CrlBucket'].withRegion.passed).toContain('PKI_PCA14');
    expect(results['PublicCertificate with a zone'].withRegion.passed).toEqual(expect.arrayContaining(['PKI_ACM3']));
    // the only exportable certificate is exported: PKI-ACM7 found it in the export's CertificateArn
    // (had the join missed it, the rule would fail) and has nothing left to check
    const exported = results['CertificateExport of an exportable PublicCertificate'].warnings;
    expect(exported.passed).toContain('PKI_ACM1');
    expect(exported.skipped).toContain('PKI_ACM7');
  });

  test('with Warning-level rules on, nothing fires either (CAs carry a Name tag by default)', () => {
    for (const result of Object.values(results)) {
      expect([...result.warnings.failed.keys()]).toEqual([]);
    }
    expect(results['PrivateCaHierarchy + PrivateCertificate'].warnings.passed).toEqual(expect.arrayContaining(['PKI_PCA3', 'PKI_PCA7', 'PKI_PCA10', 'PKI_PCA11']));
  });
});
