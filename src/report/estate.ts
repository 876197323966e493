import { CloudAssembly } from './assembly';
import { estimateCosts } from './cost';
import { attachFindings } from './findings';
import { listOf, literal, shown, TemplateResource, UNKNOWN, walk } from './intrinsics';
import { CaInfo, CertificateInfo, CertificateKind, Estate, EstateNode, Link, StackSummary } from './model';
import { caRenewal, certificateRenewal } from './renewal';
import { AssemblyIndex, IndexedStack, Resolved, ResourceTarget } from './stack-index';
import { isCertificateArn, isCertificateAuthorityArn } from '../validation/arn-patterns';

/**
 * Builds the estate of a cloud assembly: the CAs and their hierarchy, the certificates and their
 * issuers, exports, imports, consumers, alarms and findings.
 *
 * Internal to the report (not exported from the package index).
 */

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const CA_TYPE = 'AWS::ACMPCA::CertificateAuthority';
const ACTIVATION_TYPE = 'AWS::ACMPCA::CertificateAuthorityActivation';
const PCA_CERTIFICATE_TYPE = 'AWS::ACMPCA::Certificate';
const PERMISSION_TYPE = 'AWS::ACMPCA::Permission';
const ACM_TYPE = 'AWS::CertificateManager::Certificate';
const DNS_VALIDATED_TYPE = 'Custom::CdkPkiDnsValidatedCertificate';
const IMPORTED_TYPE = 'Custom::CdkPkiImportedCertificate';
const EXPORT_TYPE = 'Custom::CdkPkiCertificateExport';
const ALARM_TYPE = 'AWS::CloudWatch::Alarm';
const ZONE_TYPE = 'AWS::Route53::HostedZone';
const SECRET_TYPE = 'AWS::SecretsManager::Secret';

/** Resource types that only wire or watch certificates: a reference from them is not a use. */
const NOT_A_CONSUMER = /^(AWS::(CloudWatch|Events|IAM|Lambda|CloudFormation|CertificateManager|ACMPCA|SecretsManager|SNS|SQS|KMS|Logs|Scheduler|SSM)::|Custom::)/;

const COMPARISONS: Record<string, string> = {
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside band',
};

const key = (stack: IndexedStack, logicalId: string) => `${stack.stack.templateFile}#${logicalId}`;

/** Builds the estate of `assembly`. */
export function buildEstate(assembly: CloudAssembly): Estate {
  return new EstateBuilder(assembly).build();
}

class EstateBuilder {
  private readonly index: AssemblyIndex;
  private readonly cas = new Map<string, Mutable<CaInfo>>();
  private readonly certificates = new Map<string, Mutable<CertificateInfo>>();
  private readonly caCertificates = new Set<string>();

  constructor(private readonly assembly: CloudAssembly) {
    this.index = new AssemblyIndex(assembly.stacks);
  }

  public build(): Estate {
    this.forEachResource(CA_TYPE, (stack, id, r) => this.addCa(stack, id, r));
    this.forEachResource(PCA_CERTIFICATE_TYPE, (stack, id, r) => this.addPcaCertificate(stack, id, r));
    this.forEachResource(PERMISSION_TYPE, (stack, _id, r) => {
      const ca = this.caOf(stack, r.Properties?.CertificateAuthorityArn);
      if (ca && r.Properties?.Principal === 'acm.amazonaws.com') ca.acmPermission = true;
    });
    this.forEachResource(ACM_TYPE, (stack, id, r) => this.addAcmCertificate(stack, id, r));
    this.forEachResource(DNS_VALIDATED_TYPE, (stack, id, r) => this.addDnsValidatedCertificate(stack, id, r));
    this.forEachResource(IMPORTED_TYPE, (stack, id, r) => this.addImportedCertificate(stack, id, r));
    this.forEachResource(EXPORT_TYPE, (stack, id, r) => this.addExport(stack, id, r));
    this.forEachResource(ALARM_TYPE, (stack, id, r) => this.addAlarm(stack, id, r));
    this.addConsumersAndOutputs();

    const cas = [...this.cas.values()];
    for (const ca of cas) {
      if (ca.role !== 'root' && ca.role !== 'external' && !cas.some((c) => c.parentId === ca.id)) ca.role = 'issuing';
      ca.renewal = caRenewal(ca);
    }
    const certificates = [...this.certificates.values()];
    for (const certificate of certificates) {
      certificate.renewal = certificateRenewal(certificate, cas.find((c) => c.id === certificate.issuerId));
    }
    const otherFindings = attachFindings(this.assembly, this.index, [...cas, ...certificates]);
    const stacks: StackSummary[] = this.index.stacks.map((s) => ({
      name: s.name,
      region: s.region,
      account: s.stack.account ?? UNKNOWN,
      cas: cas.filter((c) => c.stack === s.name).length,
      certificates: certificates.filter((c) => c.stack === s.name).length,
      infos: Object.entries(s.stack.metadata)
        .filter(([p]) => p === `/${s.stack.stackName}` || p === `/${s.name}`)
        // the cost estimate has its own table
        .flatMap(([, entries]) => entries.filter((e) => e.type === 'aws:cdk:info').map((e) => String(e.data)))
        .filter((text) => !text.startsWith('cdk-pki cost estimate:')),
    }));
    return {
      source: this.assembly.directory,
      stacks,
      cas,
      certificates,
      otherFindings,
      costs: estimateCosts(stacks, cas, certificates),
      pkiChecksRan: this.assembly.validationFindings !== undefined,
      notes: notes(stacks, cas, certificates, this.assembly.validationFindings !== undefined),
    };
  }

  private forEachResource(type: string, fn: (stack: IndexedStack, logicalId: string, resource: TemplateResource) => void): void {
    for (const stack of this.index.stacks) {
      for (const [logicalId, resource] of Object.entries(stack.resources)) {
        if (resource.Type === type) fn(stack, logicalId, resource);
      }
    }
  }

  private node(stack: IndexedStack, logicalId: string, label: string | undefined, region = stack.region): EstateNode {
    const id = stack.pathOf(logicalId);
    return { id, label: label ?? id.split('/').pop()!, stack: stack.name, region, alarms: [], findings: [], crossStack: [] };
  }

  private addCa(stack: IndexedStack, logicalId: string, r: TemplateResource): void {
    const p = r.Properties ?? {};
    const type = shown(p.Type, stack.template) ?? UNKNOWN;
    this.cas.set(key(stack, logicalId), {
      ...this.node(stack, logicalId, literal(p.Subject?.CommonName)),
      role: type === 'ROOT' ? 'root' : 'intermediate',
      type,
      keyAlgorithm: shown(p.KeyAlgorithm, stack.template) ?? UNKNOWN,
      signingAlgorithm: shown(p.SigningAlgorithm, stack.template) ?? UNKNOWN,
      validity: type === 'ROOT' ? 'no CA certificate in this app' : 'signed outside this app',
      usageMode: shown(p.UsageMode, stack.template) ?? 'GENERAL_PURPOSE',
      parentNote: type === 'ROOT' ? undefined : 'its certificate is signed outside this app',
      acmPermission: false,
      renewal: '',
    });
  }

  /** A CA's own certificate (its CSR is the CA's) links it to its parent; any other is a certificate Private CA issues directly. */
  private addPcaCertificate(stack: IndexedStack, logicalId: string, r: TemplateResource): void {
    const p = r.Properties ?? {};
    const csr = this.index.resolve(stack, p.CertificateSigningRequest);
    const subject = csr && 'logicalId' in csr && csr.resource.Type === CA_TYPE ? this.cas.get(key(csr.stack, csr.logicalId)) : undefined;
    const issuer = this.caOf(stack, p.CertificateAuthorityArn);
    if (subject) {
      this.caCertificates.add(key(stack, logicalId));
      subject.validity = validityText(p.Validity, stack);
      if (issuer && issuer !== subject) {
        subject.parentId = issuer.id;
        subject.parentNote = undefined;
      } else if (issuer === subject) {
        subject.parentNote = undefined;
      }
      return;
    }
    this.certificates.set(key(stack, logicalId), {
      ...this.node(stack, logicalId, undefined),
      ...certificateDefaults('issued-by-ca'),
      validation: 'private CA',
      keyAlgorithm: UNKNOWN,
      domains: [UNKNOWN],
      issuerId: issuer?.id,
    });
  }

  private addAcmCertificate(stack: IndexedStack, logicalId: string, r: TemplateResource): void {
    const p = r.Properties ?? {};
    const domains = [p.DomainName, ...listOf(p.SubjectAlternativeNames)].map((d) => shown(d, stack.template) ?? UNKNOWN);
    const issuer = p.CertificateAuthorityArn === undefined ? undefined : this.caOf(stack, p.CertificateAuthorityArn);
    const method = issuer || p.CertificateAuthorityArn !== undefined ? 'private CA' : shown(p.ValidationMethod, stack.template) ?? 'DNS';
    const kind: CertificateKind = method === 'private CA' ? 'private' : method === 'EMAIL' ? 'public-email' : method === 'HTTP' ? 'public-http' : 'public-dns';
    const zones = listOf(p.DomainValidationOptions).map((o: any) => {
      if (o?.ValidationDomain !== undefined) return shown(o.ValidationDomain, stack.template) ?? UNKNOWN;
      return o?.HostedZoneId !== undefined ? this.zoneName(stack, o.HostedZoneId) : undefined;
    }).filter((z): z is string => z !== undefined);
    this.certificates.set(key(stack, logicalId), {
      ...this.node(stack, logicalId, domains[0]),
      ...certificateDefaults(kind),
      domains,
      validation: method,
      zones: kind === 'private' ? [] : unique(zones.length > 0 ? zones : [kind === 'public-email' ? domains[0] : 'records created outside this app']),
      keyAlgorithm: shown(p.KeyAlgorithm, stack.template) ?? 'RSA_2048',
      exportable: p.CertificateExport === 'ENABLED',
      issuerId: issuer?.id,
    });
  }

  private addDnsValidatedCertificate(stack: IndexedStack, logicalId: string, r: TemplateResource): void {
    const p = r.Properties ?? {};
    const domains = [p.DomainName, ...listOf(p.SubjectAlternativeNames)].map((d) => shown(d, stack.template) ?? UNKNOWN);
    const zones = listOf(p.Validation).map((v: any) => {
      const zone = this.zoneName(stack, v?.HostedZoneId);
      const account = /^arn:[^:]+:iam::(\d{12}):/.exec(literal(v?.RoleArn) ?? '')?.[1];
      return account ? `${zone} (account ${account})` : zone;
    });
    this.certificates.set(key(stack, logicalId), {
      ...this.node(stack, logicalId, domains[0], shown(p.Region, stack.template) ?? stack.region),
      ...certificateDefaults('public-dns'),
      domains,
      validation: 'DNS',
      zones: unique(zones),
      keyAlgorithm: shown(p.KeyAlgorithm, stack.template) ?? 'RSA_2048',
      exportable: p.Export === 'ENABLED',
    });
  }

  private addImportedCertificate(stack: IndexedStack, logicalId: string, r: TemplateResource): void {
    const source = r.Properties?.Source ?? {};
    const node = this.node(stack, logicalId, undefined);
    const fromSecret = source.Type === 'SecretsManager';
    const name = fromSecret ? this.secretName(stack, source.SecretArn) : shown(source.CertificateParameter, stack.template) ?? UNKNOWN;
    this.certificates.set(key(stack, logicalId), {
      ...node,
      ...certificateDefaults('imported'),
      validation: 'imported',
      keyAlgorithm: 'in the imported material',
      domains: ['in the imported material'],
      links: [{
        id: `${node.id}#source`,
        kind: 'source',
        label: name,
        detail: fromSecret ? 'Secrets Manager secret' : 'SSM parameter',
      }],
    });
  }

  private addExport(stack: IndexedStack, logicalId: string, r: TemplateResource): void {
    const p = r.Properties ?? {};
    const certificate = this.certificateOf(stack, p.CertificateArn);
    if (!certificate) return;
    const link: Link = { id: stack.pathOf(logicalId), kind: 'secret', label: this.secretName(stack, p.SecretArn), detail: 'Secrets Manager secret (CertificateExport)' };
    certificate.links.push(link);
  }

  private addAlarm(stack: IndexedStack, logicalId: string, r: TemplateResource): void {
    const p = r.Properties ?? {};
    const metrics = [{ name: p.MetricName, dimensions: p.Dimensions }, ...listOf(p.Metrics).map((m: any) => ({
      name: m?.MetricStat?.Metric?.MetricName,
      dimensions: m?.MetricStat?.Metric?.Dimensions,
    }))];
    const threshold = shown(p.Threshold, stack.template);
    for (const metric of metrics) {
      for (const dimension of listOf(metric.dimensions) as any[]) {
        const target = this.certificateOf(stack, dimension?.Value) ?? this.caOf(stack, dimension?.Value);
        if (!target) continue;
        const summary = [literal(metric.name) ?? literal(p.MetricName) ?? 'metric math', COMPARISONS[p.ComparisonOperator] ?? '', threshold ?? '']
          .filter((s) => s !== '').join(' ');
        const path = stack.pathOf(logicalId);
        if (!target.alarms.some((a) => a.path === path)) target.alarms.push({ path, summary });
      }
    }
  }

  /** Resources that reference a certificate (CloudFront, load balancers, API Gateway, ...), and stack outputs that export one. */
  private addConsumersAndOutputs(): void {
    for (const stack of this.index.stacks) {
      for (const [logicalId, resource] of Object.entries(stack.resources)) {
        if (NOT_A_CONSUMER.test(resource.Type)) continue;
        for (const value of walk(resource.Properties ?? {})) {
          if (typeof value === 'string' && !isCertificateArn(value)) continue;
          if (typeof value !== 'string' && (typeof value !== 'object' || value === null || Array.isArray(value))) continue;
          const certificate = this.certificateOf(stack, value);
          const use = `${resource.Type.replace(/^AWS::/, '')} ${stack.pathOf(logicalId)}`;
          if (certificate && !certificate.usedBy.includes(use)) certificate.usedBy.push(use);
        }
      }
      for (const [outputId, output] of Object.entries(stack.template.Outputs ?? {})) {
        const name = literal(output?.Export?.Name);
        if (name === undefined) continue;
        const target = this.certificateOf(stack, output.Value, false) ?? this.caOf(stack, output.Value);
        if (target) target.crossStack.push(`exported by ${stack.name} as ${name} (output ${outputId})`);
      }
    }
  }

  /** The CA a value refers to: the CA, its activation (what `certificateAuthorityArn` of this library's CAs is), or a CA ARN. */
  private caOf(stack: IndexedStack, value: unknown): Mutable<CaInfo> | undefined {
    const target = this.index.resolve(stack, value);
    if (!target) return undefined;
    if ('literal' in target) {
      return isCertificateAuthorityArn(target.literal) ? this.externalCa(target.literal) : undefined;
    }
    let resolved: Resolved | undefined = target;
    if (target.resource.Type === ACTIVATION_TYPE) {
      resolved = this.index.resolve(target.stack, target.resource.Properties?.CertificateAuthorityArn);
      if (resolved && 'literal' in resolved) return isCertificateAuthorityArn(resolved.literal) ? this.externalCa(resolved.literal) : undefined;
    }
    if (!resolved || resolved.resource.Type !== CA_TYPE) return undefined;
    const ca = this.cas.get(key(resolved.stack, resolved.logicalId));
    noteImport(ca, target, stack);
    return ca;
  }

  private externalCa(arn: string): Mutable<CaInfo> {
    const existing = this.cas.get(arn);
    if (existing) return existing;
    const ca: Mutable<CaInfo> = {
      id: arn,
      label: `CA ${arn.split('/').pop()}`,
      stack: '',
      region: arn.split(':')[3] || UNKNOWN,
      alarms: [],
      findings: [],
      crossStack: [],
      role: 'external',
      type: 'outside this app',
      keyAlgorithm: 'unknown (outside this app)',
      signingAlgorithm: 'unknown (outside this app)',
      validity: 'unknown (outside this app)',
      usageMode: 'unknown (outside this app)',
      parentNote: 'a CA outside this app, referenced by ARN',
      acmPermission: false,
      renewal: '',
    };
    this.cas.set(arn, ca);
    return ca;
  }

  /**
   * The certificate a value refers to; with `create`, a literal certificate ARN that is not of the app
   * becomes a "referenced" certificate.
   */
  private certificateOf(stack: IndexedStack, value: unknown, create = true): Mutable<CertificateInfo> | undefined {
    const target = this.index.resolve(stack, value);
    if (!target) return undefined;
    if ('literal' in target) {
      if (!isCertificateArn(target.literal)) return undefined;
      const existing = this.certificates.get(target.literal);
      if (existing || !create) return existing;
      const created: Mutable<CertificateInfo> = {
        id: target.literal,
        label: `certificate ${target.literal.split('/').pop()!.slice(0, 8)}…`,
        stack: '',
        region: target.literal.split(':')[3] || UNKNOWN,
        alarms: [],
        findings: [],
        crossStack: [],
        ...certificateDefaults('referenced'),
        validation: 'outside this app',
        keyAlgorithm: 'unknown (outside this app)',
        domains: ['unknown (outside this app)'],
      };
      this.certificates.set(target.literal, created);
      return created;
    }
    const certificate = this.certificates.get(key(target.stack, target.logicalId));
    noteImport(certificate, target, stack);
    return certificate;
  }

  private zoneName(stack: IndexedStack, value: unknown): string {
    const target = this.index.resolve(stack, value);
    if (target && 'logicalId' in target && target.resource.Type === ZONE_TYPE) {
      const name = literal(target.resource.Properties?.Name);
      return name ? name.replace(/\.$/, '') : target.stack.pathOf(target.logicalId);
    }
    return target && 'literal' in target ? `zone ${target.literal}` : UNKNOWN;
  }

  private secretName(stack: IndexedStack, value: unknown): string {
    const target = this.index.resolve(stack, value);
    if (target && 'logicalId' in target && target.resource.Type === SECRET_TYPE) {
      return literal(target.resource.Properties?.Name) ?? target.stack.pathOf(target.logicalId);
    }
    if (target && 'literal' in target) return target.literal.split(':').slice(6).join(':') || target.literal;
    return UNKNOWN;
  }
}

function certificateDefaults(kind: CertificateKind) {
  return { kind, zones: [] as string[], exportable: false, links: [] as Link[], usedBy: [] as string[], renewal: '' };
}

function noteImport(node: Mutable<EstateNode> | undefined, target: ResourceTarget, user: IndexedStack): void {
  if (node && target.viaExport) {
    const note = `imported by ${user.name} (Fn::ImportValue ${target.viaExport})`;
    if (!node.crossStack.includes(note)) node.crossStack.push(note);
  }
}

const UNIT_DAYS: Record<string, number> = { DAYS: 1, MONTHS: 30, YEARS: 365 };

/** A CA certificate's `Validity` in words. */
function validityText(validity: any, stack: IndexedStack): string {
  const type = literal(validity?.Type);
  const value = literal(validity?.Value);
  if (type === undefined || value === undefined) return shown(validity?.Value, stack.template) ?? UNKNOWN;
  if (type === 'END_DATE' && /^\d{8}/.test(value)) return `until ${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  if (type === 'ABSOLUTE') return `until ${new Date(Number(value) * 1000).toISOString().slice(0, 10)}`;
  const unit = type.toLowerCase();
  const days = Number(value) * (UNIT_DAYS[type] ?? 0);
  return type === 'DAYS' && days >= 365 ? `${value} days (${Math.round((days / 365) * 10) / 10} years)` : `${value} ${unit}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function notes(stacks: StackSummary[], cas: CaInfo[], certificates: CertificateInfo[], pkiChecksRan: boolean): string[] {
  const result: string[] = [];
  if (stacks.length === 0) {
    result.push('This cloud assembly has no stacks: the app defines none, or its synthesis stopped early.');
  } else if (cas.length === 0 && certificates.length === 0) {
    result.push(`None of the ${stacks.length} stack(s) has a certificate or a certificate authority.`);
  }
  const agnostic = stacks.filter((s) => s.region === UNKNOWN).map((s) => s.name);
  if (agnostic.length > 0) {
    result.push(`Environment-agnostic stack(s) ${agnostic.join(', ')}: their region is ${UNKNOWN}.`);
  }
  const unknown = [...cas, ...certificates].filter((n) => JSON.stringify(n).includes(UNKNOWN)).length;
  if (unknown > 0) {
    result.push(`${unknown} CA(s) or certificate(s) have values CloudFormation only knows at deploy time (parameters, imports, attributes): they read "${UNKNOWN}".`);
  }
  if (!pkiChecksRan && stacks.length > 0) {
    result.push('PkiChecks did not run on this app, so its findings are not shown: add Validations.of(app).addPlugins(new PkiChecks()) and synthesize again.');
  }
  return result;
}
