import { CfnParameter, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { migrate } from './migration-app';
import { CertificateKeyAlgorithm, PublicCertificate, PublicCertificateValidation } from '../../src';

/*
 * Recipes: `acm.Certificate` with `CertificateValidation.fromDns(zone)`, `fromDnsMultiZone({...})` and
 * `fromEmail(...)` → `PublicCertificate` with `PublicCertificateValidation.fromDns(zone)`,
 * `fromDnsMultiZone([...])` and `fromEmail(...)`. Same construct ID in the same scope: the
 * certificate keeps its logical ID (`Cert/Resource` on both sides) and nothing in the template changes.
 */

const CERT = 'Cert5C9FAEC1';

function zone(stack: Stack, id: string, zoneName: string, hostedZoneId: string): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, id, { hostedZoneId, zoneName });
}

describe('acm.Certificate with DNS validation in one zone → PublicCertificate.fromDns', () => {
  test('one name, defaults: nothing changes', () => {
    const { lines } = migrate(
      (s) => new acm.Certificate(s, 'Cert', { domainName: 'www.example.com', validation: acm.CertificateValidation.fromDns(zone(s, 'Zone', 'example.com', 'Z1')) }),
      (s) => new PublicCertificate(s, 'Cert', { domainName: 'www.example.com', validation: PublicCertificateValidation.fromDns(zone(s, 'Zone', 'example.com', 'Z1')) }),
    );
    expect(lines).toEqual(['no change']);
  });

  test('every prop aws-cdk-lib renders (names, key algorithm, CT logging on, export, name, retention): nothing changes', () => {
    const names = { domainName: 'www.example.com', subjectAlternativeNames: ['api.example.com', 'example.com'] };
    const { lines } = migrate(
      (s) => new acm.Certificate(s, 'Cert', {
        ...names,
        validation: acm.CertificateValidation.fromDns(zone(s, 'Zone', 'example.com', 'Z1')),
        keyAlgorithm: acm.KeyAlgorithm.EC_PRIME256V1,
        transparencyLoggingEnabled: true,
        allowExport: true,
        certificateName: 'site',
      }).applyRemovalPolicy(RemovalPolicy.RETAIN),
      (s) => new PublicCertificate(s, 'Cert', {
        ...names,
        validation: PublicCertificateValidation.fromDns(zone(s, 'Zone', 'example.com', 'Z1')),
        keyAlgorithm: CertificateKeyAlgorithm.EC_PRIME256V1,
        transparencyLogging: true,
        allowExport: true,
        certificateName: 'site',
        removalPolicy: RemovalPolicy.RETAIN,
      }),
    );
    expect(lines).toEqual(['no change']);
  });

  test('CT logging off: DISABLED on both sides', () => {
    const { lines } = migrate(
      (s) => new acm.Certificate(s, 'Cert', {
        domainName: 'www.example.com', validation: acm.CertificateValidation.fromDns(zone(s, 'Zone', 'example.com', 'Z1')), transparencyLoggingEnabled: false,
      }),
      (s) => new PublicCertificate(s, 'Cert', {
        domainName: 'www.example.com', validation: PublicCertificateValidation.fromDns(zone(s, 'Zone', 'example.com', 'Z1')), transparencyLogging: false,
      }),
    );
    expect(lines).toEqual(['no change']);
  });

  test.each([
    ['wildcard first', '*.example.com', 'example.com'],
    ['apex first', 'example.com', '*.example.com'],
  ])('a wildcard and its apex (%s): the same DomainValidationOptions (aws-cdk-lib keeps the apex)', (_, domainName, san) => {
    const { lines } = migrate(
      (s) => new acm.Certificate(s, 'Cert', { domainName, subjectAlternativeNames: [san], validation: acm.CertificateValidation.fromDns(zone(s, 'Zone', 'example.com', 'Z1')) }),
      (s) => new PublicCertificate(s, 'Cert', { domainName, subjectAlternativeNames: [san], validation: PublicCertificateValidation.fromDns(zone(s, 'Zone', 'example.com', 'Z1')) }),
    );
    expect(lines).toEqual(['no change']);
  });

  test('a token domain name validated in one zone: nothing changes', () => {
    const { lines } = migrate(
      (s) => new acm.Certificate(s, 'Cert', {
        domainName: new CfnParameter(s, 'Domain').valueAsString, validation: acm.CertificateValidation.fromDns(zone(s, 'Zone', 'example.com', 'Z1')),
      }),
      (s) => new PublicCertificate(s, 'Cert', {
        domainName: new CfnParameter(s, 'Domain').valueAsString, validation: PublicCertificateValidation.fromDns(zone(s, 'Zone', 'example.com', 'Z1')),
      }),
    );
    expect(lines).toEqual(['no change']);
  });

  test('a construct path longer than 255 characters: the same Name tag (aws-cdk-lib keeps the first 255)', () => {
    const deep = (s: Stack) => ['a', 'b', 'c', 'd', 'e'].reduce<Construct>((scope, c) => new Construct(scope, c.repeat(60)), s);
    const { lines, after } = migrate(
      (s) => new acm.Certificate(deep(s), 'Cert', { domainName: 'www.example.com', validation: acm.CertificateValidation.fromDns() }),
      (s) => new PublicCertificate(deep(s), 'Cert', { domainName: 'www.example.com', validation: PublicCertificateValidation.fromDnsManual() }),
    );
    expect(lines).toEqual(['no change']);
    const [cert] = Object.values<any>(after.Resources).filter((r) => r.Type === 'AWS::CertificateManager::Certificate');
    expect(cert.Properties.Tags[0].Value).toHaveLength(255);
  });

  test('another construct ID: overrideLogicalId on the default child keeps the certificate; certificateName keeps its Name tag', () => {
    const { lines } = migrate(
      (s) => new acm.Certificate(s, 'Cert', { domainName: 'www.example.com', validation: acm.CertificateValidation.fromDns() }),
      (s) => {
        const cert = new PublicCertificate(s, 'SiteCertificate', { domainName: 'www.example.com', certificateName: 'Web/Cert' });
        (cert.node.defaultChild as CfnResource).overrideLogicalId(CERT);
      },
    );
    expect(lines).toEqual(['no change']);
  });

  test('another construct ID without overrideLogicalId: a new certificate (the helper reports the replacement)', () => {
    const { migration, problems } = migrate(
      (s) => new acm.Certificate(s, 'Cert', { domainName: 'www.example.com', validation: acm.CertificateValidation.fromDns() }),
      (s) => new PublicCertificate(s, 'SiteCertificate', { domainName: 'www.example.com' }),
    );
    expect(migration.logicalIdChanges).toEqual([{ type: 'AWS::CertificateManager::Certificate', before: CERT, after: 'SiteCertificate38C247F6' }]);
    expect(problems).toEqual([`${CERT} -> SiteCertificate38C247F6 (AWS::CertificateManager::Certificate): logical ID changed, the resource is replaced`]);
  });
});

describe('acm.CertificateValidation.fromDnsMultiZone → PublicCertificateValidation.fromDnsMultiZone', () => {
  test('each name in the zone aws-cdk-lib mapped it to (the longest suffix): nothing changes', () => {
    const names = { domainName: 'www.example.com', subjectAlternativeNames: ['api.dev.example.com', 'example.net'] };
    const { lines } = migrate(
      (s) => new acm.Certificate(s, 'Cert', {
        ...names,
        validation: acm.CertificateValidation.fromDnsMultiZone({
          'www.example.com': zone(s, 'Com', 'example.com', 'Z1'),
          'api.dev.example.com': zone(s, 'Dev', 'dev.example.com', 'Z2'),
          'example.net': zone(s, 'Net', 'example.net', 'Z3'),
        }),
      }),
      (s) => new PublicCertificate(s, 'Cert', {
        ...names,
        validation: PublicCertificateValidation.fromDnsMultiZone([
          zone(s, 'Com', 'example.com', 'Z1'), zone(s, 'Dev', 'dev.example.com', 'Z2'), zone(s, 'Net', 'example.net', 'Z3'),
        ]),
      }),
    );
    expect(lines).toEqual(['no change']);
  });

  test('a wildcard and its apex across zones: the same DomainValidationOptions', () => {
    const names = { domainName: '*.example.com', subjectAlternativeNames: ['example.com', 'example.net'] };
    const { lines } = migrate(
      (s) => {
        const com = zone(s, 'Com', 'example.com', 'Z1');
        return new acm.Certificate(s, 'Cert', {
          ...names,
          validation: acm.CertificateValidation.fromDnsMultiZone({ '*.example.com': com, 'example.com': com, 'example.net': zone(s, 'Net', 'example.net', 'Z3') }),
        });
      },
      (s) => new PublicCertificate(s, 'Cert', {
        ...names,
        validation: PublicCertificateValidation.fromDnsMultiZone([zone(s, 'Com', 'example.com', 'Z1'), zone(s, 'Net', 'example.net', 'Z3')]),
      }),
    );
    expect(lines).toEqual(['no change']);
  });
});

describe('acm.CertificateValidation.fromEmail → PublicCertificateValidation.fromEmail', () => {
  const names = { domainName: 'www.example.com', subjectAlternativeNames: ['api.example.com'] };

  test('aws-cdk-lib\'s default validation is email (apex of each name): fromEmail with the apex keeps the certificate', () => {
    const { lines } = migrate(
      (s) => new acm.Certificate(s, 'Cert', names),
      (s) => new PublicCertificate(s, 'Cert', {
        ...names,
        validation: PublicCertificateValidation.fromEmail({ 'www.example.com': 'example.com', 'api.example.com': 'example.com' }),
      }),
    );
    expect(lines).toEqual(['no change']);
  });

  test('documented: cdk-pki\'s default is DNS with records you create, so leaving validation out replaces an email-validated certificate', () => {
    const { migration } = migrate(
      (s) => new acm.Certificate(s, 'Cert', names),
      (s) => new PublicCertificate(s, 'Cert', names),
    );
    expect(migration.changed.map((c) => [c.logicalId, c.replaced, c.properties.map((p) => `${p.property} ${p.kind}`)])).toEqual([
      [CERT, true, ['DomainValidationOptions create-only', 'ValidationMethod updatable']],
    ]);
  });

  test('validation domains given: nothing changes', () => {
    const domains = { 'www.example.com': 'example.com', 'api.example.com': 'api.example.com' };
    const { lines } = migrate(
      (s) => new acm.Certificate(s, 'Cert', { ...names, validation: acm.CertificateValidation.fromEmail(domains) }),
      (s) => new PublicCertificate(s, 'Cert', { ...names, validation: PublicCertificateValidation.fromEmail(domains) }),
    );
    expect(lines).toEqual(['no change']);
  });

  test('aws-cdk-lib without validation domains (each name mails its apex): give the apex of every name, and nothing changes', () => {
    const { lines } = migrate(
      (s) => new acm.Certificate(s, 'Cert', { ...names, validation: acm.CertificateValidation.fromEmail() }),
      (s) => new PublicCertificate(s, 'Cert', {
        ...names,
        validation: PublicCertificateValidation.fromEmail({ 'www.example.com': 'example.com', 'api.example.com': 'example.com' }),
      }),
    );
    expect(lines).toEqual(['no change']);
  });

  test('documented: fromEmail() without validation domains on both sides changes the create-only DomainValidationOptions', () => {
    // aws-cdk-lib writes { DomainName, ValidationDomain: <apex> } for every name; cdk-pki lets each name mail itself
    // (no DomainValidationOptions), so the certificate would be replaced: the README says to give the apex explicitly.
    const { migration, problems } = migrate(
      (s) => new acm.Certificate(s, 'Cert', { ...names, validation: acm.CertificateValidation.fromEmail() }),
      (s) => new PublicCertificate(s, 'Cert', { ...names, validation: PublicCertificateValidation.fromEmail() }),
    );
    expect(migration.changed.map((c) => [c.logicalId, c.properties.map((p) => `${p.property} ${p.kind}`)])).toEqual([
      [CERT, ['DomainValidationOptions create-only']],
    ]);
    expect(migration.changed[0].properties[0].before).toEqual([
      { DomainName: 'www.example.com', ValidationDomain: 'example.com' },
      { DomainName: 'api.example.com', ValidationDomain: 'example.com' },
    ]);
    expect(problems).toHaveLength(1);
  });

  test('a token domain name with its validation domain keyed by the token: nothing changes', () => {
    const { lines } = migrate(
      (s) => {
        const domainName = new CfnParameter(s, 'Domain').valueAsString;
        return new acm.Certificate(s, 'Cert', { domainName, validation: acm.CertificateValidation.fromEmail({ [domainName]: 'example.com' }) });
      },
      (s) => {
        const domainName = new CfnParameter(s, 'Domain').valueAsString;
        new PublicCertificate(s, 'Cert', { domainName, validation: PublicCertificateValidation.fromEmail({ [domainName]: 'example.com' }) });
      },
    );
    expect(lines).toEqual(['no change']);
  });

  test('a token validation domain: nothing changes', () => {
    const { lines } = migrate(
      (s) => {
        const apex = new CfnParameter(s, 'Apex').valueAsString;
        return new acm.Certificate(s, 'Cert', { ...names, validation: acm.CertificateValidation.fromEmail({ 'www.example.com': apex, 'api.example.com': apex }) });
      },
      (s) => {
        const apex = new CfnParameter(s, 'Apex').valueAsString;
        new PublicCertificate(s, 'Cert', { ...names, validation: PublicCertificateValidation.fromEmail({ 'www.example.com': apex, 'api.example.com': apex }) });
      },
    );
    expect(lines).toEqual(['no change']);
  });
});
