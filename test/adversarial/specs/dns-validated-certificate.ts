import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as fc from 'fast-check';
import { DnsValidatedCertificate, DnsValidationZone } from '../../../src/certificates/dns-validated-certificate';
import { CertificateKeyAlgorithm } from '../../../src/certificates/key-algorithm';
import { domainName, exampleDomain, maybe, mostly, plainDomain, tags } from '../arbitraries';
import { AdversarialSpec, Finding, may, must } from '../harness';
import { checkCertificateNames, isSameOrSuperdomain, nameListFindings } from '../oracle/dns';
import { checkTagList, tagFindings } from '../oracle/tags';
import { resourcesOf } from '../oracle/template';

/*
 * DnsValidatedCertificate: the ACM name and tag rules as for public certificates, plus what the custom resource adds —
 * a concrete region name, a validation timeout CloudFormation can wait for (custom resources: at most 3,600 s, so
 * 60..3,300 s leaves the handler time to report), zones of another account only through a role, an external ID only with
 * a role (STS: 2-1,224 of [\w+=,.@:/-]), and the handler's own `cdk-pki:` tag keys.
 */

const STACK_ACCOUNT = '111111111111';
const ZONES = ['example.com', 'sub.example.com', 'example.org'];
const REQUESTABLE = ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'];
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

interface ZoneInput {
  name: string;
  account?: string;
  role: boolean;
  externalId?: string;
}

interface DnsInput {
  domainName: string;
  sans?: string[];
  zones: ZoneInput[];
  region?: string;
  timeoutMs?: number;
  keyAlgorithm?: string;
  maxNames?: number;
  tags?: Record<string, string>;
}

const zoneInput: fc.Arbitrary<ZoneInput> = fc.record({
  name: fc.constantFrom(...ZONES),
  account: maybe(fc.constantFrom(STACK_ACCOUNT, '222222222222')),
  role: fc.boolean(),
  externalId: maybe(mostly(fc.stringMatching(/^[\w+=,.@:/-]{2,40}$/), fc.constantFrom('', 'a', 'a b', 'x'.repeat(1225), 'ok#no'))),
}, { requiredKeys: ['name', 'role'] });

const input: fc.Arbitrary<DnsInput> = fc.record({
  domainName: mostly(fc.oneof(exampleDomain, fc.constantFrom('www.example.com', '*.example.com', 'a.sub.example.com', 'example.org')), fc.oneof(domainName, plainDomain), 3),
  sans: maybe(fc.array(mostly(fc.constantFrom('api.example.com', '*.sub.example.com', 'www.example.org'), domainName, 4), { maxLength: 4 })),
  zones: fc.uniqueArray(zoneInput, { minLength: 0, maxLength: 3, selector: (z) => z.name }),
  region: maybe(mostly(fc.constantFrom('us-east-1', 'eu-west-1', 'us-gov-west-1', 'ap-northeast-3'), fc.constantFrom('', 'US-EAST-1', 'us-east', 'useast1', 'us-east-1 ', 'mars-north-1x'))),
  timeoutMs: maybe(mostly(fc.constantFrom(60_000, 600_000, 3_300_000), fc.constantFrom(0, 59_000, 3_301_000, 3_600_000, 90_500, 7_200_000))),
  keyAlgorithm: maybe(mostly(fc.constantFrom(...REQUESTABLE), fc.constantFrom('RSA_4096', 'EC_secp521r1', 'RSA_1024'))),
  maxNames: maybe(fc.constantFrom(1, 10, 11, 100, 101, 0)),
  tags: fc.oneof(tags, fc.constant({ 'cdk-pki:stack-id': 'x' })),
}, { requiredKeys: ['domainName', 'zones'] });

function oracle(i: DnsInput): Finding[] {
  const names = [i.domainName, ...(i.sans ?? [])];
  const maxNames = i.maxNames ?? 10;
  const out: Finding[] = [...nameListFindings(names, maxNames, true)];
  if (i.maxNames !== undefined && !(Number.isInteger(i.maxNames) && i.maxNames >= 1 && i.maxNames <= 100)) out.push(must('maxNames 1-100', i.maxNames));
  if (i.keyAlgorithm !== undefined && !REQUESTABLE.includes(i.keyAlgorithm)) out.push(must('ACM requests only RSA_2048/EC_prime256v1/EC_secp384r1', i.keyAlgorithm));
  const allTags = { Name: 'Stack/Cert', ...(i.tags ?? {}) };
  out.push(...tagFindings(allTags));
  for (const key of Object.keys(allTags)) if (key.startsWith('cdk-pki:')) out.push(must('tag keys "cdk-pki:" are the handler\'s', key));
  if (i.region !== undefined && !REGION.test(i.region)) out.push(must('region a region name', i.region));
  // The stack is in eu-west-1 (partition aws): the handler cannot reach another partition (issue 14 (8)).
  else if (i.region !== undefined && /^(us-gov|cn|us-iso)/.test(i.region)) out.push(must('the certificate region in the stack\'s partition', i.region));
  if (i.timeoutMs !== undefined && (i.timeoutMs % 1000 !== 0 || i.timeoutMs < 60_000 || i.timeoutMs > 3_300_000)) out.push(must('validation timeout 60-3,300 whole seconds', i.timeoutMs / 1000));
  if (i.zones.length === 0) out.push(must('at least one hosted zone', 'hostedZones'));
  for (const z of i.zones) {
    if (z.account !== undefined && z.account !== STACK_ACCOUNT && !z.role) out.push(must('a zone of another account needs a role', z.account));
    if (z.externalId !== undefined && !z.role) out.push(must('an external ID needs a role', z.externalId));
    if (z.externalId !== undefined && z.role && !/^[\w+=,.@:/-]{2,1224}$/.test(z.externalId)) out.push(must('STS external ID', z.externalId));
  }
  if (i.zones.length > 0) {
    for (const n of names) {
      if (!i.zones.some((z) => isSameOrSuperdomain(n, z.name))) out.push(must('a zone covers every name', n));
    }
  }
  if (names.length > 1 && new Set(names.map((n) => n.toLowerCase())).size < names.length) out.push(may('duplicate names', names));
  return out;
}

export const dnsValidatedCertificateSpec: AdversarialSpec<DnsInput> = {
  construct: 'DnsValidatedCertificate',
  arbitrary: input,
  numRuns: 150,
  build(stack, i) {
    const zones: DnsValidationZone[] = i.zones.map((z, n) => ({
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, `Zone${n}`, { hostedZoneId: `Z${n}ABCDEFGHIJ`, zoneName: z.name }),
      account: z.account,
      role: z.role ? iam.Role.fromRoleArn(stack, `Role${n}`, `arn:aws:iam::${z.account ?? STACK_ACCOUNT}:role/dns`) : undefined,
      externalId: z.externalId,
    }));
    new DnsValidatedCertificate(stack, 'Cert', {
      domainName: i.domainName,
      subjectAlternativeNames: i.sans,
      hostedZones: zones,
      region: i.region,
      validationTimeout: i.timeoutMs === undefined ? undefined : Duration.millis(i.timeoutMs),
      keyAlgorithm: i.keyAlgorithm === undefined ? undefined : CertificateKeyAlgorithm.of(i.keyAlgorithm),
      maxNames: i.maxNames,
      tags: i.tags,
    });
    return { path: 'Stack/Cert' };
  },
  oracle,
  checkTemplate(t, i) {
    const [, props] = resourcesOf(t, 'Custom::CdkPkiDnsValidatedCertificate')[0] ?? [];
    if (!props) return ['no Custom::CdkPkiDnsValidatedCertificate'];
    const problems = checkCertificateNames(props, i.maxNames ?? 10, true);
    problems.push(...checkTagList(props.Tags));
    // Absent means the handler's default, RSA_2048 (issue 14 (1)).
    if (props.KeyAlgorithm !== undefined && !REQUESTABLE.includes(props.KeyAlgorithm)) problems.push(`KeyAlgorithm ${props.KeyAlgorithm}`);
    if (!REGION.test(props.Region)) problems.push(`Region ${JSON.stringify(props.Region)}`);
    const seconds = Number(props.ValidationTimeoutSeconds);
    if (!Number.isInteger(seconds) || seconds < 60 || seconds > 3300) problems.push(`ValidationTimeoutSeconds ${props.ValidationTimeoutSeconds}`);
    const names = new Set([props.DomainName, ...(props.SubjectAlternativeNames ?? [])]);
    for (const v of props.Validation ?? []) {
      if (!names.has(v.DomainName)) problems.push(`Validation for ${v.DomainName}, not a name of the certificate`);
      if (!v.HostedZoneId) problems.push(`Validation for ${v.DomainName} without a zone`);
      if (v.ExternalId !== undefined && v.RoleArn === undefined) problems.push('ExternalId without RoleArn');
    }
    if ((props.Validation ?? []).length === 0) problems.push('no validation entry');
    return problems;
  },
  region: () => 'eu-west-1',
};
