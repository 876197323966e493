import { App, CfnParameter, CfnResource, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  CertificateKeyAlgorithm,
  DnsValidatedCertificate,
  ImportedCertificate,
  PrivateCertificate,
  PublicCertificate,
  PublicCertificateValidation,
  ValidationMethod,
} from '../../src';
import { synthTemplate } from '../harness/cfn-lint';

const CERT = 'AWS::CertificateManager::Certificate';

function newStack(region = 'eu-west-1'): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region } });
}

function zoneOf(stack: Stack, zoneName: string, id = zoneName): route53.PublicHostedZone {
  return new route53.PublicHostedZone(stack, id, { zoneName });
}

describe('PublicCertificate defaults', () => {
  test('manual DNS validation, RSA_2048 (ACM\'s default, not written), Name tag from the path, deleted with the stack', () => {
    const stack = newStack();
    const cert = new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com' });
    const t = synthTemplate(stack);
    t.resourceCountIs(CERT, 1);
    t.hasResource(CERT, {
      DeletionPolicy: 'Delete',
      Properties: {
        DomainName: 'www.example.com',
        ValidationMethod: 'DNS',
        KeyAlgorithm: Match.absent(),
        DomainValidationOptions: Match.absent(),
        SubjectAlternativeNames: Match.absent(),
        CertificateTransparencyLoggingPreference: Match.absent(),
        CertificateExport: Match.absent(),
        Tags: [{ Key: 'Name', Value: 'Stack/Cert' }],
      },
    });
    expect(cert.validationMethod).toBe(ValidationMethod.DNS);
    expect(cert.keyAlgorithm).toBe(CertificateKeyAlgorithm.RSA_2048);
    expect(stack.resolve(cert.certificateArn)).toEqual({ Ref: 'Cert5C9FAEC1' });
    expect(stack.resolve(cert.certificateRef.certificateId)).toEqual({ Ref: 'Cert5C9FAEC1' });
    expect(cert.certificateRegion).toBe('eu-west-1');
  });

  test('every optional prop reaches the template', () => {
    const stack = newStack();
    new PublicCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      subjectAlternativeNames: ['api.example.com'],
      keyAlgorithm: CertificateKeyAlgorithm.EC_SECP384R1,
      transparencyLogging: false,
      allowExport: true,
      certificateName: 'web',
      removalPolicy: RemovalPolicy.RETAIN,
      tags: { team: 'platform' },
    });
    synthTemplate(stack).hasResource(CERT, {
      DeletionPolicy: 'Retain',
      Properties: {
        SubjectAlternativeNames: ['api.example.com'],
        KeyAlgorithm: 'EC_secp384r1',
        CertificateTransparencyLoggingPreference: 'DISABLED',
        CertificateExport: 'ENABLED',
        Tags: Match.arrayWith([{ Key: 'Name', Value: 'web' }, { Key: 'team', Value: 'platform' }]),
      },
    });
  });

  test('an empty SAN list is left out (CloudFormation wants 1-100 entries)', () => {
    const stack = newStack();
    new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', subjectAlternativeNames: [] });
    synthTemplate(stack).hasResourceProperties(CERT, { SubjectAlternativeNames: Match.absent() });
  });

  test('turning transparency logging off warns why it matters', () => {
    const stack = newStack();
    new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', transparencyLogging: false });
    Annotations.fromStack(stack).hasWarning('/Stack/Cert', Match.stringLikeRegexp('Certificate Transparency logging is off'));
  });

  test('transparency logging on is the silent default', () => {
    const stack = newStack();
    new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', transparencyLogging: true });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('PublicCertificate DNS validation', () => {
  test('one zone: a record option per name, wildcard and apex share one', () => {
    const stack = newStack();
    const zone = zoneOf(stack, 'example.com');
    new PublicCertificate(stack, 'Cert', {
      domainName: 'example.com',
      subjectAlternativeNames: ['*.example.com', 'www.example.com'],
      validation: PublicCertificateValidation.fromDns(zone),
    });
    synthTemplate(stack).hasResourceProperties(CERT, {
      ValidationMethod: 'DNS',
      DomainValidationOptions: [
        { DomainName: 'example.com', HostedZoneId: { Ref: Match.stringLikeRegexp('examplecom') } },
        { DomainName: 'www.example.com', HostedZoneId: { Ref: Match.stringLikeRegexp('examplecom') } },
      ],
    });
  });

  test('issue 14: a wildcard listed first is skipped for its apex, as aws-cdk-lib does (the create-only DomainValidationOptions match)', () => {
    const stack = newStack();
    const zone = zoneOf(stack, 'example.com');
    new PublicCertificate(stack, 'Cert', {
      domainName: '*.example.com',
      subjectAlternativeNames: ['example.com'],
      validation: PublicCertificateValidation.fromDns(zone),
    });
    synthTemplate(stack).hasResourceProperties(CERT, {
      DomainValidationOptions: [{ DomainName: 'example.com', HostedZoneId: Match.anyValue() }],
    });
  });

  test('several zones: each name goes to the zone with the longest matching suffix', () => {
    const stack = newStack();
    const parent = zoneOf(stack, 'example.com', 'Parent');
    const dev = zoneOf(stack, 'dev.example.com', 'Dev');
    new PublicCertificate(stack, 'Cert', {
      domainName: 'app.dev.example.com',
      subjectAlternativeNames: ['status.example.com', 'dev.example.com'],
      validation: PublicCertificateValidation.fromDnsMultiZone([parent, dev]),
    });
    synthTemplate(stack).hasResourceProperties(CERT, {
      DomainValidationOptions: [
        { DomainName: 'app.dev.example.com', HostedZoneId: { Ref: Match.stringLikeRegexp('^Dev') } },
        { DomainName: 'status.example.com', HostedZoneId: { Ref: Match.stringLikeRegexp('^Parent') } },
        { DomainName: 'dev.example.com', HostedZoneId: { Ref: Match.stringLikeRegexp('^Dev') } },
      ],
    });
  });

  test('an imported zone with a trailing dot in its name still matches', () => {
    const stack = newStack();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'Example.com.' });
    new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', validation: PublicCertificateValidation.fromDns(zone) });
    synthTemplate(stack).hasResourceProperties(CERT, {
      DomainValidationOptions: [{ DomainName: 'www.example.com', HostedZoneId: 'Z123' }],
    });
  });

  test('a zone imported by ID only (name unknown) validates every name without a coverage check', () => {
    const stack = newStack();
    const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z999');
    new PublicCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      subjectAlternativeNames: ['www.example.org'],
      validation: PublicCertificateValidation.fromDns(zone),
    });
    synthTemplate(stack).hasResourceProperties(CERT, {
      DomainValidationOptions: [
        { DomainName: 'www.example.com', HostedZoneId: 'Z999' },
        { DomainName: 'www.example.org', HostedZoneId: 'Z999' },
      ],
    });
  });

  test('a name no zone covers is an error naming the name and the zones', () => {
    const stack = newStack();
    const zone = zoneOf(stack, 'example.com');
    expect(() => new PublicCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      subjectAlternativeNames: ['www.badexample.com'],
      validation: PublicCertificateValidation.fromDns(zone),
    })).toThrow('Stack/Cert: no hosted zone covers "www.badexample.com" (zones: "example.com")');
  });

  test('several zones need names known at synth time', () => {
    const stack = newStack();
    const a = route53.HostedZone.fromHostedZoneId(stack, 'A', 'Z1');
    const b = zoneOf(stack, 'example.com');
    expect(() => new PublicCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      validation: PublicCertificateValidation.fromDnsMultiZone([a, b]),
    })).toThrow(/every zone name must be known at synth time.*fromHostedZoneAttributes/);
  });

  test('a private hosted zone is refused', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [] });
    const zone = new route53.PrivateHostedZone(stack, 'Private', { zoneName: 'internal.example.com', vpc });
    expect(() => new PublicCertificate(stack, 'Cert', {
      domainName: 'app.internal.example.com',
      validation: PublicCertificateValidation.fromDns(zone),
    })).toThrow(/hosted zone "internal.example.com" is private.*PrivateCertificate/);
  });

  test('a HostedZone created with VPCs is private too', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [] });
    const zone = new route53.HostedZone(stack, 'Zone', { zoneName: 'corp.example.com', vpcs: [vpc] });
    expect(() => new PublicCertificate(stack, 'Cert', {
      domainName: 'app.corp.example.com',
      validation: PublicCertificateValidation.fromDns(zone),
    })).toThrow(/is private/);
  });

  test('issue 14 (4): with several zones a token name is refused as ambiguous, naming the fix', () => {
    const stack = newStack();
    expect(() => new PublicCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      subjectAlternativeNames: [Lazy.string({ produce: () => 'api.example.org' })],
      validation: PublicCertificateValidation.fromDnsMultiZone([zoneOf(stack, 'example.com'), zoneOf(stack, 'example.org')]),
    })).toThrow(
      'Stack/Cert: a domain name is unresolved at synth time (a token), so none of the 2 hosted zones ("example.com", "example.org") ' +
        'can be chosen for it: which zone validates a name is decided by its suffix. Use a concrete name, or validate the token name ' +
        'with a single hosted zone (e.g. in a certificate of its own).',
    );
  });
});

describe('PublicCertificate email validation', () => {
  test('validation domains per name, superdomains allowed, and a warning', () => {
    const stack = newStack();
    new PublicCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      subjectAlternativeNames: ['*.shop.example.com'],
      validation: PublicCertificateValidation.fromEmail({ 'WWW.example.com': 'example.com', '*.shop.example.com': 'shop.example.com' }),
    });
    synthTemplate(stack).hasResourceProperties(CERT, {
      ValidationMethod: 'EMAIL',
      DomainValidationOptions: [
        { DomainName: 'www.example.com', ValidationDomain: 'example.com' },
        { DomainName: '*.shop.example.com', ValidationDomain: 'shop.example.com' },
      ],
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Cert', Match.stringLikeRegexp('Email validation blocks the deployment'));
  });

  test('without validation domains no options are emitted', () => {
    const stack = newStack();
    new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', validation: PublicCertificateValidation.fromEmail() });
    synthTemplate(stack).hasResourceProperties(CERT, { ValidationMethod: 'EMAIL', DomainValidationOptions: Match.absent() });
  });

  test('a validation domain that is not a superdomain is an error', () => {
    const stack = newStack();
    expect(() => new PublicCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      validation: PublicCertificateValidation.fromEmail({ 'www.example.com': 'other.com' }),
    })).toThrow('Stack/Cert: validation domain "other.com" for "www.example.com" must be the name itself or one of its superdomains');
  });

  test('a validation domain for a name the certificate does not have is an error', () => {
    const stack = newStack();
    expect(() => new PublicCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      validation: PublicCertificateValidation.fromEmail({ 'api.example.com': 'example.com' }),
    })).toThrow(/given for "api.example.com", which is not a name of this certificate/);
  });
});

describe('PublicCertificate input errors', () => {
  test.each([
    ['an invalid name', { domainName: 'bad..example.com' }, /Stack\/Cert: .*"bad\.\.example\.com"/],
    ['a common name over 64 octets', { domainName: `${'a'.repeat(60)}.example.com` }, /64/],
    ['case-insensitive duplicates', { domainName: 'www.example.com', subjectAlternativeNames: ['WWW.Example.com'] }, /duplicate/i],
    ['more names than the default quota of 10', {
      domainName: 'example.com',
      subjectAlternativeNames: Array.from({ length: 10 }, (_, i) => `n${i}.example.com`),
    }, /11 domain names given, but the quota is 10 names per certificate/],
    ['maxNames above 100', { domainName: 'example.com', maxNames: 101 }, /maxNames 101 is not a whole number from 1 to 100/],
    ['maxNames of zero', { domainName: 'example.com', maxNames: 0 }, /maxNames 0/],
    ['a fractional maxNames', { domainName: 'example.com', maxNames: 2.5 }, /maxNames 2.5/],
    ['a name under amazonaws.com', { domainName: 'my.s3.amazonaws.com' }, /under amazonaws.com, a domain owned by AWS/],
    ['a reserved tag key', { domainName: 'example.com', tags: { 'aws:owner': 'me' } }, /aws:/],
    ['a Name tag over 256 characters', { domainName: 'example.com', certificateName: 'x'.repeat(257) }, /256/],
    // B2: the ACM guide's example of an "xn--" name that is not a valid IDN.
    ['an "xn--" name that is not valid punycode', { domainName: 'xn--example.com', subjectAlternativeNames: ['www.xn--bcher-kva.example', 'xn--zz.example.com'] },
      /^Stack\/Cert: \n {2}- domain name "xn--example.com" has labels starting with "xn--" that are not valid punycode \(IDN\) labels: "xn--example"\. .*drop the "xn--" prefix\.\n {2}- domain name "xn--zz.example.com" .*: "xn--zz"\. /],
  ])('%s', (_label, props, message) => {
    const stack = newStack();
    expect(() => new PublicCertificate(stack, 'Cert', props)).toThrow(message);
  });

  test.each([
    CertificateKeyAlgorithm.RSA_1024,
    CertificateKeyAlgorithm.RSA_3072,
    CertificateKeyAlgorithm.RSA_4096,
    CertificateKeyAlgorithm.EC_SECP521R1,
  ])('import-only key algorithm %s is refused', (keyAlgorithm) => {
    const stack = newStack();
    expect(() => new PublicCertificate(stack, 'Cert', { domainName: 'example.com', keyAlgorithm }))
      .toThrow(`key algorithm ${keyAlgorithm.name} is only for imported certificates`);
  });

  test('the quota can be raised with maxNames', () => {
    const stack = newStack();
    new PublicCertificate(stack, 'Cert', {
      domainName: 'example.com',
      subjectAlternativeNames: Array.from({ length: 19 }, (_, i) => `n${i}.example.com`),
      maxNames: 20,
    });
    synthTemplate(stack).resourceCountIs(CERT, 1);
  });

  test('several problems are reported together', () => {
    const stack = newStack();
    expect(() => new PublicCertificate(stack, 'Cert', { domainName: 'bad..name', maxNames: 500 }))
      .toThrow(/Stack\/Cert: \n {2}- maxNames 500[\s\S]*\n {2}- .*bad\.\.name/);
  });

  test('unresolved names are not checked', () => {
    const stack = newStack();
    new PublicCertificate(stack, 'Cert', {
      domainName: Lazy.string({ produce: () => 'www.example.com' }),
      subjectAlternativeNames: [Lazy.string({ produce: () => 'api.example.com' })],
    });
    synthTemplate(stack).hasResourceProperties(CERT, { DomainName: 'www.example.com', SubjectAlternativeNames: ['api.example.com'] });
  });
});

describe('CertificateKeyAlgorithm', () => {
  test('of() returns the known instance or a new requestable one with the family from the prefix', () => {
    expect(CertificateKeyAlgorithm.of('EC_prime256v1')).toBe(CertificateKeyAlgorithm.EC_PRIME256V1);
    const future = CertificateKeyAlgorithm.of('EC_future1');
    expect([future.name, future.family, future.requestable, `${future}`]).toEqual(['EC_future1', 'EC', true, 'EC_future1']);
    expect(CertificateKeyAlgorithm.of('ML_DSA_65').family).toBe('RSA');
    const stack = newStack();
    new PublicCertificate(stack, 'Cert', { domainName: 'example.com', keyAlgorithm: future });
    synthTemplate(stack).hasResourceProperties(CERT, { KeyAlgorithm: 'EC_future1' });
  });
});

describe('PublicCertificate.fromCertificateArn', () => {
  const ARN = 'arn:aws:acm:us-east-1:222222222222:certificate/12345678-1234-1234-1234-123456789012';

  test('a malformed ARN is an error naming the construct path', () => {
    const stack = newStack();
    expect(() => PublicCertificate.fromCertificateArn(stack, 'Imported', 'arn:aws:acm:us-east-1:222222222222:cert/abc'))
      .toThrow(/^Stack\/Imported: .*arn:aws:acm:us-east-1:123456789012:certificate\/12345678-1234-1234-1234-123456789012/);
  });

  test('a token ARN is accepted; its region is unknown, so metrics and rules use the stack\'s', () => {
    const stack = newStack();
    const cert = PublicCertificate.fromCertificateArn(stack, 'Imported', Lazy.string({ produce: () => ARN }));
    expect(cert.certificateRegion).toBeUndefined();
    expect(cert.metricDaysToExpiry().region).toBeUndefined();
    cert.onApproachingExpiration('Soon');
    synthTemplate(stack).hasResourceProperties('AWS::Events::Rule', { EventPattern: { resources: [ARN] } });
  });

  test('metrics use the region of the ARN', () => {
    const stack = newStack();
    const cert = PublicCertificate.fromCertificateArn(stack, 'Imported', ARN);
    const metric = cert.metricDaysToExpiry();
    expect(cert.certificateRegion).toBe('us-east-1');
    expect(metric.region).toBe('us-east-1');
    expect(metric.namespace).toBe('AWS/CertificateManager');
    expect(metric.metricName).toBe('DaysToExpiry');
    expect(metric.statistic).toBe('Minimum');
    expect(metric.period.toDays()).toBe(1);
    expect(metric.dimensions).toEqual({ CertificateArn: ARN });
  });

  test('an event rule for a certificate in another region is an error that says where to put it', () => {
    const stack = newStack('eu-west-1');
    const cert = PublicCertificate.fromCertificateArn(stack, 'Imported', ARN);
    expect(() => cert.onExpired('Expired'))
      .toThrow(/lives in us-east-1 but this stack deploys to eu-west-1.*only to EventBridge in us-east-1/);
  });

  test('grantExport is allowed on an imported certificate (exportability unknown)', () => {
    const stack = newStack('us-east-1');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    PublicCertificate.fromCertificateArn(stack, 'Imported', ARN).grantExport(role);
    synthTemplate(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'acm:ExportCertificate', Effect: 'Allow', Resource: ARN }] },
    });
  });

  test.each([
    ['PrivateCertificate', PrivateCertificate.fromCertificateArn],
    ['DnsValidatedCertificate', DnsValidatedCertificate.fromCertificateArn],
    ['ImportedCertificate', ImportedCertificate.fromCertificateArn],
  ])('%s.fromCertificateArn is the same import: ARN check, region, one implementation', (_name, fromArn) => {
    const stack = newStack();
    expect(() => fromArn(stack, 'Bad', 'arn:aws:acm:us-east-1:222222222222:cert/abc'))
      .toThrow(/^Stack\/Bad: .*arn:aws:acm:us-east-1:123456789012:certificate\/12345678-1234-1234-1234-123456789012/);
    const cert = fromArn(stack, 'Imported', ARN);
    expect(cert.certificateArn).toBe(ARN);
    expect(cert.certificateRegion).toBe('us-east-1');
    expect(Object.getPrototypeOf(cert)).toBe(Object.getPrototypeOf(PublicCertificate.fromCertificateArn(stack, 'Public', ARN)));
    // An import creates no resource.
    expect(stack.node.findAll().filter((c) => c instanceof CfnResource)).toEqual([]);
  });
});

describe('events and grants', () => {
  test.each([
    ['onApproachingExpiration', 'ACM Certificate Approaching Expiration'],
    ['onExpired', 'ACM Certificate Expired'],
    ['onAvailable', 'ACM Certificate Available'],
    ['onRenewalActionRequired', 'ACM Certificate Renewal Action Required'],
    ['onRevoked', 'ACM Certificate Revoked'],
  ] as const)('%s makes a rule for "%s" filtered to the certificate', (method, detailType) => {
    const stack = newStack();
    const cert = new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com' });
    const rule = cert[method]('Rule', { description: 'watch it' });
    expect(rule.node.path).toBe('Stack/Cert/Rule');
    synthTemplate(stack).hasResourceProperties('AWS::Events::Rule', {
      Description: 'watch it',
      State: 'ENABLED',
      EventPattern: { 'source': ['aws.acm'], 'detail-type': [detailType], 'resources': [{ Ref: 'Cert5C9FAEC1' }] },
    });
  });

  test('event options add a target and extra pattern fields', () => {
    const stack = newStack();
    const cert = new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com' });
    const bus = { bind: () => ({ arn: 'arn:aws:sns:eu-west-1:111111111111:topic', id: 'Topic' }) };
    cert.onAvailable('Renewed', { target: bus, eventPattern: { detail: { Action: ['RENEWAL'] } }, ruleName: 'renewed' });
    synthTemplate(stack).hasResourceProperties('AWS::Events::Rule', {
      Name: 'renewed',
      EventPattern: Match.objectLike({ detail: { Action: ['RENEWAL'] } }),
      Targets: [Match.objectLike({ Arn: 'arn:aws:sns:eu-west-1:111111111111:topic' })],
    });
  });

  test('grantRead and grantRenew are scoped to the certificate', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    const cert = new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com' });
    const read = cert.grantRead(role);
    cert.grantRenew(role);
    expect(read.success).toBe(true);
    synthTemplate(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: ['acm:DescribeCertificate', 'acm:GetCertificate', 'acm:ListTagsForCertificate'], Effect: 'Allow', Resource: { Ref: 'Cert5C9FAEC1' } },
          { Action: 'acm:RenewCertificate', Effect: 'Allow', Resource: { Ref: 'Cert5C9FAEC1' } },
        ],
      },
    });
  });

  test('grantExport needs an exportable certificate', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    const plain = new PublicCertificate(stack, 'Plain', { domainName: 'www.example.com' });
    expect(() => plain.grantExport(role)).toThrow('Stack/Plain: cannot grant acm:ExportCertificate on a certificate that is not exportable');
    const exportable = new PublicCertificate(stack, 'Exportable', { domainName: 'www.example.com', allowExport: true });
    exportable.grantExport(role);
    synthTemplate(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'acm:ExportCertificate', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^Exportable') } }] },
    });
  });

  test('metricDaysToExpiry of an owned certificate accepts overrides but keeps the dimension', () => {
    const stack = newStack();
    const cert = new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com' });
    const metric = cert.metricDaysToExpiry({ statistic: 'Average' });
    expect(metric.statistic).toBe('Average');
    expect(stack.resolve(metric.dimensions)).toEqual({ CertificateArn: { Ref: 'Cert5C9FAEC1' } });
  });
});

describe('issue 14: moving from aws-cdk-lib without surprises', () => {
  /** The properties of the only ACM certificate of the stack. */
  function certificateProperties(stack: Stack): any {
    return Object.values(synthTemplate(stack).findResources(CERT))[0].Properties;
  }

  test('issue 14 (1): KeyAlgorithm is written only when given, and the default Name tag is the path cut to 255 like acm.Certificate', () => {
    const id = `Cert${'x'.repeat(300)}`;
    const ours = newStack();
    const cert = new PublicCertificate(ours, id, { domainName: 'www.example.com' });
    const theirs = newStack();
    new acm.Certificate(theirs, id, { domainName: 'www.example.com' });
    const mine = certificateProperties(ours);
    const lib = certificateProperties(theirs);
    expect(mine.KeyAlgorithm).toBeUndefined();
    expect(lib.KeyAlgorithm).toBeUndefined();
    expect(mine.Tags).toEqual(lib.Tags);
    expect(mine.Tags).toEqual([{ Key: 'Name', Value: `Stack/${id}`.slice(0, 255) }]);
    // The attribute still tells what ACM issues.
    expect(cert.keyAlgorithm).toBe(CertificateKeyAlgorithm.RSA_2048);

    const given = newStack();
    new PublicCertificate(given, 'Cert', { domainName: 'www.example.com', keyAlgorithm: CertificateKeyAlgorithm.RSA_2048 });
    expect(certificateProperties(given).KeyAlgorithm).toBe('RSA_2048');
  });

  test.each([
    [true, 'ENABLED'],
    [false, 'DISABLED'],
    [undefined, undefined],
  ])('issue 14 (2): transparencyLogging %s renders CertificateTransparencyLoggingPreference %s', (transparencyLogging, expected) => {
    const stack = newStack();
    new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', transparencyLogging });
    expect(certificateProperties(stack).CertificateTransparencyLoggingPreference).toBe(expected);
  });

  test('issue 14 (3): an email validation domain keyed by a token name maps to that name', () => {
    const stack = newStack();
    const param = new CfnParameter(stack, 'Domain');
    new PublicCertificate(stack, 'Cert', {
      domainName: param.valueAsString,
      subjectAlternativeNames: ['www.example.org'],
      validation: PublicCertificateValidation.fromEmail({ [param.valueAsString]: 'example.com', 'www.example.org': 'example.org' }),
    });
    expect(certificateProperties(stack).DomainValidationOptions).toEqual([
      { DomainName: { Ref: 'Domain' }, ValidationDomain: 'example.com' },
      { DomainName: 'www.example.org', ValidationDomain: 'example.org' },
    ]);
  });

  test('issue 14 (3): keys that cannot be checked against token names are passed on, not dropped', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'Domain').valueAsString;
    const other = new CfnParameter(stack, 'Other').valueAsString;
    new PublicCertificate(stack, 'Cert', {
      domainName: name,
      validation: PublicCertificateValidation.fromEmail({ [other]: 'example.com', 'api.example.com': 'example.com' }),
    });
    expect(certificateProperties(stack).DomainValidationOptions).toEqual([
      { DomainName: { Ref: 'Other' }, ValidationDomain: 'example.com' },
      { DomainName: 'api.example.com', ValidationDomain: 'example.com' },
    ]);
  });

  test('issue 14 (4): a token name with a single hosted zone is validated in that zone', () => {
    const stack = newStack();
    const zone = zoneOf(stack, 'example.com');
    const param = new CfnParameter(stack, 'Domain');
    new PublicCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      subjectAlternativeNames: [param.valueAsString],
      validation: PublicCertificateValidation.fromDns(zone),
    });
    const zoneRef = { Ref: stack.getLogicalId(zone.node.defaultChild as route53.CfnHostedZone) };
    expect(certificateProperties(stack).DomainValidationOptions).toEqual([
      { DomainName: 'www.example.com', HostedZoneId: zoneRef },
      { DomainName: { Ref: 'Domain' }, HostedZoneId: zoneRef },
    ]);
  });

  test('issue 14 (7): certificateName and tags.Name together are refused; tags.Name alone names the certificate', () => {
    const stack = newStack();
    expect(() => new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', certificateName: 'web', tags: { Name: 'frontend' } })).toThrow(
      'Stack/Cert: certificateName "web" and tags.Name "frontend" both set the certificate\'s Name tag (the tag would silently win): ' +
        'give the name once, as certificateName or as tags.Name, not both.',
    );
    new PublicCertificate(stack, 'Named', { domainName: 'www.example.com', tags: { Name: 'frontend', team: 'web' } });
    expect(certificateProperties(stack).Tags).toEqual([{ Key: 'Name', Value: 'frontend' }, { Key: 'team', Value: 'web' }]);
  });
});
