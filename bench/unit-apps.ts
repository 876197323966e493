import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { BENCH_ENV, daysToExpiryAlarm, ZONE_NAME } from './comparison-apps';
import {
  CertificateExport,
  CertificateMaterial,
  CertificateMonitor,
  ImportedCertificate,
  PrivateCaHierarchy,
  PrivateCertificate,
  PublicCertificate,
  PublicCertificateValidation,
} from '../src';

/**
 * One kind of unit measured per certificate: `setup` builds what the units share (zone, CA,
 * monitor), `add` adds the i-th unit. A stack with n units is synthesized for two values of n and
 * the difference gives the cost per unit; what remains is the stack's fixed cost.
 */
export interface UnitVariant {
  readonly name: string;
  readonly note: string;
  readonly setup: (stack: Stack) => unknown;
  readonly add: (stack: Stack, shared: any, i: number) => void;
}

const ACCOUNT = BENCH_ENV.account;
const REGION = BENCH_ENV.region;

function zone(stack: Stack): route53.IHostedZone {
  return new route53.PublicHostedZone(stack, 'Zone', { zoneName: ZONE_NAME });
}

function issuingCa(stack: Stack): acmpca.ICertificateAuthority {
  return new PrivateCaHierarchy(stack, 'Pki', {
    root: { id: 'Root', subject: { commonName: 'Bench Root CA' } },
    issuing: [{ id: 'Issuing', subject: { commonName: 'Bench Issuing CA' } }],
  }).issuingCas[0];
}

function privateCert(stack: Stack, ca: acmpca.ICertificateAuthority, i: number): PrivateCertificate {
  return new PrivateCertificate(stack, `Private${i}`, { domainName: `svc${i}.internal.example.com`, certificateAuthority: ca });
}

function certArn(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/12345678-1234-1234-1234-${hex}`;
}


/** The variants of item 2 (the DnsValidatedCertificate one only when its source file exists). */
export function unitVariants(repoRoot: string): UnitVariant[] {
  const variants: UnitVariant[] = [
    {
      name: 'PublicCertificate (DNS, Route 53 zone)',
      note: 'fromDns(zone); fixed cost includes the zone',
      setup: zone,
      add: (stack, z, i) => new PublicCertificate(stack, `Public${i}`, {
        domainName: `site${i}.${ZONE_NAME}`,
        validation: PublicCertificateValidation.fromDns(z),
      }),
    },
    {
      name: 'PublicCertificate (DNS, manual records)',
      note: 'fromDnsManual()',
      setup: () => undefined,
      add: (stack, _, i) => new PublicCertificate(stack, `Public${i}`, { domainName: `site${i}.${ZONE_NAME}` }),
    },
    {
      name: 'PrivateCertificate',
      note: 'from a PrivateCaHierarchy (root + 1 issuing CA) in the same stack: its fixed cost',
      setup: issuingCa,
      add: (stack, ca, i) => privateCert(stack, ca, i),
    },
    {
      name: 'ImportedCertificate',
      note: 'material from an existing secret (by ARN); one shared provider per stack',
      setup: () => undefined,
      add: (stack, _, i) => new ImportedCertificate(stack, `Imported${i}`, {
        material: CertificateMaterial.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(
          stack, `Material${i}`, `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:bench/cert${i}-AbCdEf`)),
      }),
    },
    {
      name: 'PrivateCertificate + CertificateExport',
      note: 'two secrets and the custom resource per export; key, rules and provider shared per stack',
      setup: issuingCa,
      add: (stack, ca, i) => new CertificateExport(stack, `Export${i}`, { certificate: privateCert(stack, ca, i) }),
    },
    {
      name: 'CertificateMonitor, per certificate',
      note: 'certificates imported by ARN (no resources of their own); 15 ARNs per event rule',
      setup: (stack) => new CertificateMonitor(stack, 'Monitor', { certificates: [], accountWide: false }),
      add: (stack, monitor: CertificateMonitor, i) => monitor.addCertificate(PublicCertificate.fromCertificateArn(stack, `Cert${i}`, certArn(i))),
    },
    {
      name: 'raw: acm.Certificate (DNS, zone)',
      note: 'aws-cdk-lib only, for reference',
      setup: zone,
      add: (stack, z, i) => new acm.Certificate(stack, `Public${i}`, {
        domainName: `site${i}.${ZONE_NAME}`,
        validation: acm.CertificateValidation.fromDns(z),
      }),
    },
    {
      name: 'raw: DaysToExpiry alarm',
      note: 'aws-cdk-lib cloudwatch.Alarm, for reference',
      setup: () => undefined,
      add: (stack, _, i) => daysToExpiryAlarm(stack, `DaysToExpiry${i}`, certArn(i)),
    },
  ];
  const dnsValidated = dnsValidatedVariant(repoRoot);
  if (dnsValidated) variants.push(dnsValidated);
  return variants;
}

/**
 * DnsValidatedCertificate is being written while this script is: use it only if its file exists,
 * and construct it with the props it has (domainName + hostedZones).
 */
function dnsValidatedVariant(repoRoot: string): UnitVariant | undefined {
  if (!fs.existsSync(path.join(repoRoot, 'src/certificates/dns-validated-certificate.ts'))) return undefined;
  return {
    name: 'DnsValidatedCertificate',
    note: 'custom resource, zone in the same stack; one shared provider per stack',
    setup: zone,
    add: (stack, z, i) => {
      // Loaded lazily: the file may not exist (or compile) when the benchmark is built.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require('../src/certificates/dns-validated-certificate');
      new mod.DnsValidatedCertificate(stack, `DnsValidated${i}`, { domainName: `site${i}.${ZONE_NAME}`, hostedZones: [{ hostedZone: z }] });
    },
  };
}

/** Builds one stack with `count` units of a variant. */
export function buildUnitApp(app: App, variant: UnitVariant, count: number): void {
  const stack = new Stack(app, 'Units', { env: BENCH_ENV });
  const shared = variant.setup(stack);
  for (let i = 0; i < count; i++) variant.add(stack, shared, i);
}

/** A root CA with `issuing` issuing CAs right below it, in one stack (CRL bucket, ACM permission). */
export function buildHierarchyApp(app: App, issuing: number): void {
  const stack = new Stack(app, 'Hierarchy', { env: BENCH_ENV });
  new PrivateCaHierarchy(stack, 'Pki', {
    root: { id: 'Root', subject: { commonName: 'Bench Root CA', organization: 'Bench' } },
    issuing: Array.from({ length: issuing }, (_, i) => ({
      id: `Issuing${i}`,
      subject: { commonName: `Bench Issuing CA ${i}`, organization: 'Bench' },
    })),
  });
}
