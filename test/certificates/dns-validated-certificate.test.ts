import { App, Aws, CfnParameter, Duration, Lazy, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CertificateKeyAlgorithm, DnsValidatedCertificate, DnsValidatedCertificateProps } from '../../src';
import { synthTemplate } from '../harness/cfn-lint';
import { deleteAllowed, removedCustomResources, resolveIntrinsics, simulate } from '../harness/template-change';

const TYPE = 'Custom::CdkPkiDnsValidatedCertificate';

function newStack(region = 'eu-west-1', account = '111111111111'): Stack {
  return new Stack(new App(), 'Stack', { env: { account, region } });
}

function zone(stack: Stack, zoneName: string, id = zoneName): route53.PublicHostedZone {
  return new route53.PublicHostedZone(stack, id, { zoneName });
}

/** Every statement of every policy in the template. */
function statements(t: Template): any[] {
  return Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function actionsOf(statement: any): string[] {
  return [statement.Action].flat();
}

describe('DnsValidatedCertificate defaults', () => {
  test('one custom resource with the documented properties, in the stack region, deleted with the stack', () => {
    const stack = newStack();
    const z = zone(stack, 'example.com');
    const cert = new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: z }] });
    const t = synthTemplate(stack);
    t.resourceCountIs(TYPE, 1);
    t.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    t.hasResource(TYPE, {
      DeletionPolicy: 'Delete',
      Properties: {
        DomainName: 'www.example.com',
        SubjectAlternativeNames: Match.absent(),
        Region: 'eu-west-1',
        // Left to the handler's defaults (RSA_2048, logged), as aws-cdk-lib leaves them to ACM's.
        KeyAlgorithm: Match.absent(),
        TransparencyLogging: Match.absent(),
        Export: 'DISABLED',
        Tags: [{ Key: 'Name', Value: 'Stack/Cert' }],
        Validation: [{ DomainName: 'www.example.com', HostedZoneId: { Ref: Match.stringLikeRegexp('examplecom') } }],
        CleanupValidationRecords: 'true',
        ValidationTimeoutSeconds: '3300',
      },
    });
    expect(stack.resolve(cert.certificateArn).Ref).toMatch(/^Cert/);
    expect(cert.certificateRegion).toBe('eu-west-1');
    expect(cert.keyAlgorithm).toBe(CertificateKeyAlgorithm.RSA_2048);
  });

  test('the asynchronous provider: onEvent (15 min) and isComplete (2 min) handlers, polled every 30 s for at most an hour', () => {
    const stack = newStack();
    new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    const t = synthTemplate(stack);
    const fns = t.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^cdk-pki DnsValidatedCertificate') } });
    expect(Object.values(fns).map((f: any) => f.Properties.Timeout).sort()).toEqual([120, 900]);
    t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const definition = JSON.stringify(Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0]);
    // 1 hour / 30 s = 120 attempts.
    expect(definition).toContain('\\"IntervalSeconds\\":30');
    expect(definition).toContain('\\"MaxAttempts\\":120');
  });

  test('two certificates share one provider', () => {
    const stack = newStack();
    const z = zone(stack, 'example.com');
    new DnsValidatedCertificate(stack, 'A', { domainName: 'a.example.com', hostedZones: [{ hostedZone: z }] });
    new DnsValidatedCertificate(stack, 'B', { domainName: 'b.example.com', hostedZones: [{ hostedZone: z }] });
    const t = synthTemplate(stack);
    t.resourceCountIs(TYPE, 2);
    t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const fns = Object.values(t.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('^cdk-pki DnsValidatedCertificate') },
    }));
    expect(fns).toHaveLength(2);
    // Both handlers share one role.
    expect(new Set(fns.map((f: any) => JSON.stringify(f.Properties.Role))).size).toBe(1);
  });
});

describe('DnsValidatedCertificate props', () => {
  test('every optional prop reaches the template', () => {
    const stack = newStack();
    new DnsValidatedCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      subjectAlternativeNames: ['api.example.com'],
      hostedZones: [{ hostedZone: zone(stack, 'example.com') }],
      keyAlgorithm: CertificateKeyAlgorithm.EC_PRIME256V1,
      transparencyLogging: false,
      allowExport: true,
      certificateName: 'web',
      tags: { team: 'platform' },
      cleanupValidationRecords: false,
      validationTimeout: Duration.minutes(20),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const t = synthTemplate(stack);
    t.hasResource(TYPE, {
      DeletionPolicy: 'Retain',
      Properties: {
        SubjectAlternativeNames: ['api.example.com'],
        KeyAlgorithm: 'EC_prime256v1',
        TransparencyLogging: 'DISABLED',
        Export: 'ENABLED',
        Tags: [{ Key: 'Name', Value: 'web' }, { Key: 'team', Value: 'platform' }],
        CleanupValidationRecords: 'false',
        ValidationTimeoutSeconds: '1200',
      },
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Cert', Match.stringLikeRegexp('Certificate Transparency logging is off'));
    // Without clean-up the handler may only UPSERT, and needs no ListCertificates.
    const route53Statement = statements(t).find((s) => actionsOf(s).includes('route53:ChangeResourceRecordSets'));
    expect(route53Statement.Condition['ForAllValues:StringEquals']['route53:ChangeResourceRecordSetsActions']).toEqual(['UPSERT']);
    expect(statements(t).some((s) => actionsOf(s).includes('acm:ListCertificates'))).toBe(false);
  });

  test('a certificate in us-east-1 from a stack in eu-west-1 serves a CloudFront distribution of that stack', () => {
    const stack = newStack('eu-west-1');
    const cert = new DnsValidatedCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      region: 'us-east-1',
      hostedZones: [{ hostedZone: zone(stack, 'example.com') }],
    });
    new cloudfront.Distribution(stack, 'Cdn', {
      defaultBehavior: { origin: new origins.HttpOrigin('origin.example.com') },
      domainNames: ['www.example.com'],
      certificate: cert,
    });
    const t = synthTemplate(stack);
    t.hasResourceProperties(TYPE, { Region: 'us-east-1' });
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: { ViewerCertificate: { AcmCertificateArn: { Ref: Match.stringLikeRegexp('^Cert') } } },
    });
    expect(cert.certificateRegion).toBe('us-east-1');
    expect(cert.metricDaysToExpiry().region).toBe('us-east-1');
    // The handler may request and manage certificates in us-east-1 only.
    const request = statements(t).find((s) => actionsOf(s).includes('acm:RequestCertificate'));
    expect(request.Condition).toEqual({
      StringEquals: { 'acm:ValidationMethod': 'DNS', 'aws:RequestedRegion': 'us-east-1', 'aws:RequestTag/cdk-pki:stack-id': { Ref: 'AWS::StackId' } },
    });
  });

  test('without a region in an environment-agnostic stack the handler gets the stack region token', () => {
    const stack = new Stack(new App(), 'Stack');
    new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    synthTemplate(stack).hasResourceProperties(TYPE, { Region: { Ref: 'AWS::Region' } });
  });

  test('names go to the zone with the longest matching suffix; a wildcard and its apex share one record', () => {
    const stack = newStack();
    const apex = zone(stack, 'example.com');
    const dev = zone(stack, 'dev.example.com');
    new DnsValidatedCertificate(stack, 'Cert', {
      domainName: 'example.com',
      subjectAlternativeNames: ['*.example.com', 'api.dev.example.com'],
      hostedZones: [{ hostedZone: apex }, { hostedZone: dev }],
    });
    const t = synthTemplate(stack);
    const validation = Object.values(t.findResources(TYPE))[0].Properties.Validation;
    expect(validation).toEqual([
      { DomainName: 'example.com', HostedZoneId: { Ref: stack.getLogicalId(apex.node.defaultChild as route53.CfnHostedZone) } },
      { DomainName: 'api.dev.example.com', HostedZoneId: { Ref: stack.getLogicalId(dev.node.defaultChild as route53.CfnHostedZone) } },
    ]);
  });

  test('a zone of another account is written through its role (and external ID); the handler may only assume that role', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'DnsRole', 'arn:aws:iam::222222222222:role/dns-validation');
    const z = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    new DnsValidatedCertificate(stack, 'Cert', {
      domainName: 'www.example.com',
      hostedZones: [{ hostedZone: z, account: '222222222222', role, externalId: 'cdk-pki-validation' }],
    });
    const t = synthTemplate(stack);
    t.hasResourceProperties(TYPE, {
      Validation: [{
        DomainName: 'www.example.com',
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        RoleArn: 'arn:aws:iam::222222222222:role/dns-validation',
        ExternalId: 'cdk-pki-validation',
      }],
    });
    const all = statements(t);
    expect(all.find((s) => actionsOf(s).includes('sts:AssumeRole')).Resource).toBe('arn:aws:iam::222222222222:role/dns-validation');
    expect(all.some((s) => actionsOf(s).some((a) => a.startsWith('route53:')))).toBe(false);
  });
});

describe('DnsValidatedCertificate IAM', () => {
  test('Route 53 writes are scoped to the zone, CNAME records named _*, UPSERT/DELETE; no Route 53 action on *', () => {
    const stack = newStack();
    const z = zone(stack, 'example.com');
    new DnsValidatedCertificate(stack, 'Cert', {
      domainName: '*.example.com',
      subjectAlternativeNames: ['WWW.Example.com'],
      hostedZones: [{ hostedZone: z }],
    });
    const t = synthTemplate(stack);
    const all = statements(t);
    const change = all.find((s) => actionsOf(s).includes('route53:ChangeResourceRecordSets'));
    const zoneArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/', { Ref: stack.getLogicalId(z.node.defaultChild as route53.CfnHostedZone) }]] };
    expect(change.Resource).toEqual(zoneArn);
    expect(change.Condition).toEqual({
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
      },
      'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_*'] },
    });
    for (const s of all.filter((x) => actionsOf(x).some((a) => a.startsWith('route53:')))) {
      expect([s.Resource].flat()).not.toContain('*');
    }
    // Only ListCertificates and RequestCertificate (no resource type in ACM) are on *.
    const star = all.filter((s) => [s.Resource].flat().includes('*')).flatMap(actionsOf);
    expect(star.sort()).toEqual(['acm:ListCertificates', 'acm:RequestCertificate']);
  });
});

describe('DnsValidatedCertificate synth-time errors', () => {
  function expectError(build: (stack: Stack) => void, message: RegExp, stack = newStack()): void {
    expect(() => build(stack)).toThrow(message);
  }

  test('a zone of another account without a role', () => {
    expectError((stack) => {
      const z = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: z, account: '222222222222' }] });
    }, /Stack\/Cert: hosted zone "example.com" belongs to account 222222222222, not to this stack's account 111111111111: .*Pass `role`/);
  });

  test('a zone of a stack in another account without a role', () => {
    const app = new App();
    const dns = new Stack(app, 'Dns', { env: { account: '222222222222', region: 'us-east-1' } });
    const z = zone(dns, 'example.com');
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(() => new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: z }] }))
      .toThrow(/belongs to account 222222222222/);
  });

  test('a role for a zone of the same account is fine', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::111111111111:role/dns');
    new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: zone(stack, 'example.com'), role }] });
    synthTemplate(stack).hasResourceProperties(TYPE, { Validation: [Match.objectLike({ RoleArn: 'arn:aws:iam::111111111111:role/dns' })] });
  });

  test('an external ID without a role, and a malformed external ID', () => {
    expectError((stack) => {
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: zone(stack, 'example.com'), externalId: 'abc' }] });
    }, /hosted zone "example.com" has externalId "abc" but no role/);
    expectError((stack) => {
      const role = iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::222222222222:role/dns');
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: zone(stack, 'example.com'), role, externalId: 'a b' }] });
    }, /externalId "a b" of hosted zone "example.com" is not a valid STS external ID/);
  });

  test('names not covered by the zones', () => {
    expectError((stack) => {
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.org', hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    }, /Stack\/Cert: no hosted zone covers "www.example.org" \(zones: "example.com"\)/);
  });

  test('no zones, a private zone', () => {
    expectError((stack) => {
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZones: [] });
    }, /hostedZones is empty/);
    expectError((stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc');
      const z = new route53.PrivateHostedZone(stack, 'Private', { zoneName: 'example.com', vpc });
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: z }] });
    }, /hosted zone "example.com" is private/);
  });

  test('region: a token, or not a region name', () => {
    expectError((stack) => {
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', region: Aws.REGION, hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    }, /Stack\/Cert: region is unresolved at synth time/);
    expectError((stack) => {
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', region: 'US-East-1', hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    }, /region "US-East-1" is not a region name/);
  });

  test('validation timeout outside 1 to 55 minutes, or not whole seconds', () => {
    for (const timeout of [Duration.seconds(59), Duration.minutes(56), Duration.hours(2), Duration.millis(90_500)]) {
      expectError((stack) => {
        new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', validationTimeout: timeout, hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
      }, /validationTimeout of .* seconds is outside 1 to 55 minutes/);
    }
    const stack = newStack();
    new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', validationTimeout: Duration.minutes(1), hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    synthTemplate(stack).hasResourceProperties(TYPE, { ValidationTimeoutSeconds: '60' });
  });

  test('bad names, Amazon-owned names, reserved tag keys and import-only key algorithms', () => {
    expectError((stack) => {
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'bad_name.example.com', hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    }, /Stack\/Cert: .*bad_name\.example\.com/);
    expectError((stack) => {
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'x.cloudfront.net', hostedZones: [{ hostedZone: zone(stack, 'cloudfront.net') }] });
    }, /owned by AWS/);
    expectError((stack) => {
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', tags: { 'cdk-pki:stack-id': 'x' }, hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    }, /tag key "cdk-pki:stack-id" starts with "cdk-pki:"/);
    expectError((stack) => {
      new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', keyAlgorithm: CertificateKeyAlgorithm.RSA_4096, hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    }, /key algorithm RSA_4096 is only for imported certificates/);
  });

  test('too many names for maxNames', () => {
    const names = Array.from({ length: 11 }, (_, i) => `n${i}.example.com`);
    expectError((stack) => {
      new DnsValidatedCertificate(stack, 'Cert', { domainName: names[0], subjectAlternativeNames: names.slice(1), hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    }, /Stack\/Cert: 11 domain names given, but the quota is 10/);
    const stack = newStack();
    new DnsValidatedCertificate(stack, 'Cert', { domainName: names[0], subjectAlternativeNames: names.slice(1), maxNames: 11, hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    synthTemplate(stack).resourceCountIs(TYPE, 1);
  });

  test('issue 14 (4): a token domain name with several zones is refused as ambiguous, naming the fix', () => {
    const name = Lazy.string({ produce: () => 'www.example.com' });
    expectError((stack) => {
      new DnsValidatedCertificate(stack, 'Cert', {
        domainName: 'www.example.org',
        subjectAlternativeNames: [name],
        hostedZones: [{ hostedZone: zone(stack, 'example.com') }, { hostedZone: zone(stack, 'example.org') }],
      });
    }, /^Stack\/Cert: a domain name is unresolved at synth time \(a token\), so none of the 2 hosted zones \("example.com", "example.org"\) can be chosen.*Use a concrete name, or validate the token name with a single hosted zone/);
  });

  test('grantExport is refused unless allowExport', () => {
    const stack = newStack();
    const cert = new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    expect(() => cert.grantExport(role)).toThrow(/not exportable/);
  });
});

describe('DnsValidatedCertificate Day 2: the IAM a removed or replaced certificate\'s Delete needs', () => {
  const ZONE_ARN = (stack: Stack, z: route53.PublicHostedZone) => ({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/', { Ref: stack.getLogicalId(z.node.defaultChild as route53.CfnHostedZone) }]],
  });

  /** Two certificates: A (example.com, eu-west-1) and B (example.org, us-east-1), with B optional and A's ID and region given. */
  function app(o: { withB: boolean; aId?: string; aRegion?: string }) {
    const stack = newStack();
    const com = zone(stack, 'example.com');
    const org = zone(stack, 'example.org');
    new DnsValidatedCertificate(stack, o.aId ?? 'A', { domainName: 'a.example.com', region: o.aRegion, hostedZones: [{ hostedZone: com }] });
    if (o.withB) {
      new DnsValidatedCertificate(stack, 'B', { domainName: 'b.example.org', region: 'us-east-1', hostedZones: [{ hostedZone: org }] });
    }
    return { stack, t: synthTemplate(stack).toJSON(), com, org };
  }

  /** What the Delete of a certificate in `region` validated in `zoneArn` calls, and the tags its certificate has. */
  async function deleteVerdict(before: any, after: any, logicalId: string, region: string, zoneArn: unknown) {
    const certificate = `arn:aws:acm:${region}:123456789012:certificate/0b1c2d3e-1111-2222-3333-444455556666`;
    const tag = { 'aws:ResourceTag/cdk-pki:stack-id': resolveIntrinsics(before, { Ref: 'AWS::StackId' }) };
    const env = {};
    const acm = await deleteAllowed({ before, after, logicalId, env, actions: ['acm:DeleteCertificate', 'acm:DescribeCertificate', 'acm:ListTagsForCertificate'], resources: [certificate], context: tag });
    const list = await deleteAllowed({ before, after, logicalId, env, actions: ['acm:ListCertificates'], resources: ['*'] });
    const records = await deleteAllowed({
      before,
      after,
      logicalId,
      env,
      actions: ['route53:ChangeResourceRecordSets'],
      resources: [zoneArn],
      context: {
        'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
        'route53:ChangeResourceRecordSetsActions': ['DELETE'],
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': [`_d930b28be6c5927595552b219965053e.${logicalId.startsWith('B') ? 'b.example.org' : 'a.example.com'}`],
      },
    });
    const read = await deleteAllowed({ before, after, logicalId, env, actions: ['route53:ListResourceRecordSets'], resources: [zoneArn] });
    return [...acm.denied, ...list.denied, ...records.denied, ...read.denied];
  }

  test('removing the last certificate of a region and of a zone keeps what its Delete needs', async () => {
    const before = app({ withB: true });
    const after = app({ withB: false });
    const [removed] = removedCustomResources(before.t, after.t);
    expect(removed).toMatch(/^B/);
    expect(await deleteVerdict(before.t, after.t, removed, 'us-east-1', ZONE_ARN(before.stack, before.org))).toEqual([]);
  });

  test('renaming a certificate\'s construct path (a new logical ID) keeps what the old one\'s Delete needs', async () => {
    const before = app({ withB: false });
    const after = app({ withB: false, aId: 'Renamed' });
    const [removed] = removedCustomResources(before.t, after.t);
    expect(removed).toMatch(/^A/);
    expect(await deleteVerdict(before.t, after.t, removed, 'eu-west-1', ZONE_ARN(before.stack, before.com))).toEqual([]);
  });

  test('changing region (a replacement) keeps what the Delete of the old region\'s certificate needs', async () => {
    const before = app({ withB: false });
    const after = app({ withB: false, aRegion: 'us-east-1' });
    const id = Object.keys(before.t.Resources).find((k) => before.t.Resources[k].Type === TYPE)!;
    expect(after.t.Resources[id].Properties.Region).toBe('us-east-1');
    // Still in the after template: the old certificate is deleted with the after template's IAM.
    expect(await deleteVerdict(before.t, after.t, id, 'eu-west-1', ZONE_ARN(before.stack, before.com))).toEqual([]);
  });

  test('least privilege: the handler can delete and tag its stack\'s certificates, not another one, and requests only tagged ones', async () => {
    const { t } = app({ withB: true });
    const stackId = resolveIntrinsics(t, { Ref: 'AWS::StackId' });
    const flat = Object.values(t.Resources).filter((r: any) => r.Type === 'AWS::IAM::Policy')
      .map((r: any, i) => ({ name: `p${i}`, document: resolveIntrinsics(t, r.Properties.PolicyDocument) }));
    const cert = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-1111-2222-3333-444455556666';
    const own = { 'aws:ResourceTag/cdk-pki:stack-id': stackId };
    const other = { 'aws:ResourceTag/cdk-pki:stack-id': 'arn:aws:cloudformation:us-east-1:123456789012:stack/Other/guid' };
    for (const action of ['acm:DeleteCertificate', 'acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate', 'acm:UpdateCertificateOptions']) {
      expect(await simulate({ policies: flat, action, resource: cert, context: own })).toBe('Allowed');
      expect(await simulate({ policies: flat, action, resource: cert, context: other })).toBe('ImplicitlyDenied');
      expect(await simulate({ policies: flat, action, resource: cert })).toBe('ImplicitlyDenied');
    }
    const request = { 'acm:ValidationMethod': 'DNS', 'aws:RequestedRegion': 'us-east-1' };
    const tagged = { ...request, 'aws:RequestTag/cdk-pki:stack-id': stackId };
    expect(await simulate({ policies: flat, action: 'acm:RequestCertificate', resource: '*', context: tagged })).toBe('Allowed');
    expect(await simulate({ policies: flat, action: 'acm:RequestCertificate', resource: '*', context: request })).toBe('ImplicitlyDenied');
    expect(await simulate({ policies: flat, action: 'acm:RequestCertificate', resource: '*', context: { ...tagged, 'aws:RequestedRegion': 'ap-south-1' } })).toBe('ImplicitlyDenied');
    expect(await simulate({ policies: flat, action: 'acm:RequestCertificate', resource: '*', context: { ...tagged, 'acm:ValidationMethod': 'EMAIL' } })).toBe('ImplicitlyDenied');
  });

  test('the validation record clean-up checks every region of the partition by default; cleanupRegions narrows it', () => {
    const stack = newStack();
    new DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', region: 'us-east-1', hostedZones: [{ hostedZone: zone(stack, 'example.com') }] });
    new DnsValidatedCertificate(stack, 'Two', { domainName: 'two.example.com', cleanupRegions: ['eu-central-1'], hostedZones: [{ hostedZone: zone(stack, 'example.com', 'Z2') }] });
    new DnsValidatedCertificate(stack, 'NoCleanup', { domainName: 'x.example.com', cleanupValidationRecords: false, hostedZones: [{ hostedZone: zone(stack, 'example.com', 'Z3') }] });
    const t = synthTemplate(stack);
    const byId = (prefix: string) => Object.entries(t.findResources(TYPE)).find(([k]) => k.startsWith(prefix))![1].Properties;
    const regions: string[] = byId('Cert').CleanupRegions;
    expect(regions.slice(0, 2)).toEqual(['us-east-1', 'eu-west-1']);
    expect(regions).toEqual(expect.arrayContaining(['ap-southeast-2', 'sa-east-1', 'eu-north-1']));
    expect(regions.some((r) => r.startsWith('cn-') || r.startsWith('us-gov-') || r.startsWith('us-iso'))).toBe(false);
    expect(byId('Two').CleanupRegions).toEqual(['eu-west-1', 'eu-central-1']);
    expect(byId('NoCleanup').CleanupRegions).toBeUndefined();
    expect(() => new DnsValidatedCertificate(stack, 'Bad', { domainName: 'y.example.com', cleanupRegions: ['Europe'], hostedZones: [{ hostedZone: zone(stack, 'example.com', 'Z4') }] }))
      .toThrow(/Stack\/Bad: cleanupRegions: region "Europe" is not a region name/);
  });
});

describe('issue 14: moving from aws-cdk-lib without surprises', () => {
  /** The properties of the only DnsValidatedCertificate of the stack. */
  function certificateProperties(stack: Stack): any {
    return Object.values(synthTemplate(stack).findResources(TYPE))[0].Properties;
  }

  function certificate(stack: Stack, props: Partial<DnsValidatedCertificateProps> = {}, id = 'Cert'): DnsValidatedCertificate {
    return new DnsValidatedCertificate(stack, id, { domainName: 'www.example.com', hostedZones: [{ hostedZone: zone(stack, 'example.com') }], ...props });
  }

  test('issue 14 (1): KeyAlgorithm reaches the handler only when given; the default Name tag keeps 255 characters of the path', () => {
    const id = `Cert${'x'.repeat(300)}`;
    const stack = newStack();
    const cert = certificate(stack, {}, id);
    const props = certificateProperties(stack);
    expect(props.KeyAlgorithm).toBeUndefined();
    expect(props.Tags).toEqual([{ Key: 'Name', Value: `Stack/${id}`.slice(0, 255) }]);
    expect(cert.keyAlgorithm).toBe(CertificateKeyAlgorithm.RSA_2048);
    const given = newStack();
    certificate(given, { keyAlgorithm: CertificateKeyAlgorithm.RSA_2048 });
    expect(certificateProperties(given).KeyAlgorithm).toBe('RSA_2048');
  });

  test.each([
    [true, 'ENABLED'],
    [false, 'DISABLED'],
    [undefined, undefined],
  ])('issue 14 (2): transparencyLogging %s sends TransparencyLogging %s', (transparencyLogging, expected) => {
    const stack = newStack();
    certificate(stack, { transparencyLogging });
    expect(certificateProperties(stack).TransparencyLogging).toBe(expected);
  });

  test('issue 14 (4): a token domain name with a single zone is validated in that zone', () => {
    const stack = newStack();
    const z = zone(stack, 'example.com');
    const name = new CfnParameter(stack, 'Domain').valueAsString;
    new DnsValidatedCertificate(stack, 'Cert', { domainName: name, hostedZones: [{ hostedZone: z }] });
    expect(certificateProperties(stack).Validation).toEqual([
      { DomainName: { Ref: 'Domain' }, HostedZoneId: { Ref: stack.getLogicalId(z.node.defaultChild as route53.CfnHostedZone) } },
    ]);
  });

  test('issue 14 (5): Tags.of() reaches the certificate and merges with the tags prop, which wins for the same key', () => {
    const stack = newStack();
    certificate(stack, { tags: { team: 'platform' } });
    Tags.of(stack).add('cost-center', '42');
    Tags.of(stack).add('team', 'ignored');
    Tags.of(stack).add('only-certificates', 'yes', { includeResourceTypes: ['AWS::CertificateManager::Certificate'] });
    Tags.of(stack).add('only-buckets', 'yes', { includeResourceTypes: ['AWS::S3::Bucket'] });
    expect(certificateProperties(stack).Tags).toEqual([
      { Key: 'Name', Value: 'Stack/Cert' },
      { Key: 'team', Value: 'platform' },
      { Key: 'cost-center', Value: '42' },
      { Key: 'only-certificates', Value: 'yes' },
    ]);
  });

  test('issue 14 (5): Tags.of() cannot set the handler\'s reserved cdk-pki: keys, nor break the tag rules', () => {
    const stack = newStack();
    certificate(stack);
    Tags.of(stack).add('cdk-pki:stack-id', 'forged');
    expect(() => synthTemplate(stack)).toThrow(
      /\[Stack\/Cert\] Stack\/Cert: tag key "cdk-pki:stack-id" starts with "cdk-pki:", which the handler uses for its own tags; choose another key/,
    );
    const many = newStack();
    certificate(many);
    for (let i = 0; i < 50; i++) Tags.of(many).add(`t${i}`, 'x');
    expect(() => synthTemplate(many)).toThrow(/Stack\/Cert: 51 tags given, but a resource may have at most 50/);
  });

  test('issue 14 (6): applyRemovalPolicy() works like the removalPolicy prop', () => {
    const byMethod = newStack();
    certificate(byMethod).applyRemovalPolicy(RemovalPolicy.RETAIN);
    const byProp = newStack();
    certificate(byProp, { removalPolicy: RemovalPolicy.RETAIN });
    const resource = (stack: Stack) => Object.values(synthTemplate(stack).findResources(TYPE))[0];
    expect(resource(byMethod)).toEqual(resource(byProp));
    expect(resource(byMethod)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });

    const back = newStack();
    const cert = certificate(back, { removalPolicy: RemovalPolicy.RETAIN });
    cert.applyRemovalPolicy(RemovalPolicy.DESTROY);
    expect(resource(back)).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('issue 14 (7): certificateName and tags.Name together are refused; tags.Name alone names the certificate', () => {
    expect(() => certificate(newStack(), { certificateName: 'web', tags: { Name: 'frontend' } })).toThrow(
      /^Stack\/Cert: certificateName "web" and tags.Name "frontend" both set the certificate's Name tag.*as certificateName or as tags.Name, not both/,
    );
    const stack = newStack();
    certificate(stack, { tags: { Name: 'frontend' } });
    expect(certificateProperties(stack).Tags).toEqual([{ Key: 'Name', Value: 'frontend' }]);
  });

  test('issue 14 (8): a certificate region in another partition than the stack is refused, naming both', () => {
    expect(() => certificate(newStack('cn-north-1'), { region: 'us-east-1' })).toThrow(
      'Stack/Cert: region "us-east-1" is in partition "aws", but the stack deploys to "cn-north-1" in partition "aws-cn": the handler runs with ' +
        'credentials of the stack\'s partition, which cannot request a certificate in another partition. Choose a region of "aws-cn", or create the ' +
        'certificate in a stack deployed to "aws".',
    );
    // Same partition, an environment-agnostic stack, or a region aws-cdk-lib does not know: nothing to refuse.
    certificate(newStack('cn-northwest-1'), { region: 'cn-north-1' });
    certificate(new Stack(new App(), 'Agnostic'), { region: 'us-east-1' });
    certificate(newStack('eu-west-1'), { region: 'xx-nowhere-9' });
  });
});

