import { CfnResource, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { logicalIdOf, migrate } from './migration-app';
import { DnsValidatedCertificate } from '../../src';

/*
 * Recipe: the deprecated `acm.DnsValidatedCertificate` → cdk-pki's `DnsValidatedCertificate`.
 * This one REPLACES the certificate, and the README says so: aws-cdk-lib's certificate is an
 * `AWS::CloudFormation::CustomResource` served by its own Lambda, cdk-pki's a
 * `Custom::CdkPkiDnsValidatedCertificate` served by a Provider-framework singleton. CloudFormation
 * refuses to change a resource's type, so the logical ID cannot be kept: the new custom resource
 * requests a new certificate during the update, consumers switch to its ARN in place, and in the
 * cleanup phase CloudFormation deletes the old custom resource, whose handler deletes the old certificate.
 */

const OLD_CERT = 'CertCertificateRequestorResource9D0836FD';
const NEW_CERT = 'Cert5C9FAEC1';

function zone(stack: Stack): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
}

function before(s: Stack): string {
  const cert = new acm.DnsValidatedCertificate(s, 'Cert', { domainName: 'www.example.com', hostedZone: zone(s), region: 'us-east-1' });
  // A consumer of the certificate's ARN (CloudFront, a load balancer listener, ...).
  new ssm.StringParameter(s, 'CertificateArn', { stringValue: cert.certificateArn });
  return logicalIdOf(cert.node.findChild('CertificateRequestorResource').node.defaultChild as CfnResource);
}

describe('acm.DnsValidatedCertificate (deprecated) → DnsValidatedCertificate', () => {
  // aws-cdk-lib prints a deprecation warning for every acm.DnsValidatedCertificate: that is the point of the migration.
  const deprecated = process.env.JSII_DEPRECATED;
  beforeAll(() => { process.env.JSII_DEPRECATED = 'quiet'; });
  afterAll(() => {
    if (deprecated === undefined) delete process.env.JSII_DEPRECATED;
    else process.env.JSII_DEPRECATED = deprecated;
  });

  test('documented: a new certificate; the old one and its handler are removed, the consumer is updated in place', () => {
    const { migration } = migrate(before, (s) => {
      const cert = new DnsValidatedCertificate(s, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: zone(s) }], region: 'us-east-1' });
      new ssm.StringParameter(s, 'CertificateArn', { stringValue: cert.certificateArn });
    });
    expect(migration.typeChanged).toEqual([]);
    // Removed: the old certificate (its handler deletes the ACM certificate) and its handler's function, role and policy.
    expect(migration.removed.map((r) => `${r.logicalId} ${r.type}`)).toEqual([
      'CertCertificateRequestorFunction98FDF273 AWS::Lambda::Function',
      'CertCertificateRequestorFunctionServiceRoleDefaultPolicy4F1E63AC AWS::IAM::Policy',
      'CertCertificateRequestorFunctionServiceRoleF65859C0 AWS::IAM::Role',
      `${OLD_CERT} AWS::CloudFormation::CustomResource`,
    ]);
    // Added: the new certificate and the stack's one cdk-pki provider (shared by every DnsValidatedCertificate of the stack).
    const added = migration.added.map((r) => r.type);
    expect(migration.added.find((r) => r.type === DnsValidatedCertificate.RESOURCE_TYPE))
      .toEqual({ logicalId: NEW_CERT, type: DnsValidatedCertificate.RESOURCE_TYPE });
    expect(added.filter((t) => t === DnsValidatedCertificate.RESOURCE_TYPE)).toHaveLength(1);
    expect(added.filter((t) => !t.startsWith('Custom::')).every((t) => /^AWS::(Lambda::Function|IAM::(Role|Policy)|StepFunctions::StateMachine)$/.test(t))).toBe(true);
    // The consumer's value changes to the new ARN: an in-place update.
    expect(migration.changed.map((c) => [c.logicalId, c.replaced, c.properties.map((p) => `${p.property} ${p.kind}`)])).toEqual([
      ['CertificateArn85F1724F', false, ['Value updatable']],
    ]);
  });

  test('documented: keeping the old logical ID is refused by CloudFormation (the type changes)', () => {
    const { migration, problems } = migrate(before, (s, oldId) => {
      const cert = new DnsValidatedCertificate(s, 'Cert', { domainName: 'www.example.com', hostedZones: [{ hostedZone: zone(s) }], region: 'us-east-1' });
      (cert.node.findChild('Resource').node.defaultChild as CfnResource).overrideLogicalId(oldId);
    });
    expect(migration.typeChanged).toEqual([{ logicalId: OLD_CERT, before: 'AWS::CloudFormation::CustomResource', after: DnsValidatedCertificate.RESOURCE_TYPE }]);
    expect(problems[0]).toBe(`${OLD_CERT}: type AWS::CloudFormation::CustomResource -> ${DnsValidatedCertificate.RESOURCE_TYPE} (CloudFormation refuses the update)`);
  });
});
