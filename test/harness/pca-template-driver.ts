import {
  ACMPCAClient,
  CreateCertificateAuthorityCommand,
  DescribeCertificateAuthorityCommand,
  GetCertificateAuthorityCertificateCommand,
  GetCertificateAuthorityCsrCommand,
  GetCertificateCommand,
  ImportCertificateAuthorityCertificateCommand,
  IssueCertificateCommand,
  UpdateCertificateAuthorityCommand,
} from '@aws-sdk/client-acm-pca';
import { motoClientConfig } from './moto';

/*
 * A tiny "CloudFormation" for AWS Private CA: it takes a synthesized template and creates its
 * AWS::ACMPCA::CertificateAuthority, AWS::ACMPCA::Certificate and
 * AWS::ACMPCA::CertificateAuthorityActivation resources against moto_server (or any endpoint the
 * given client points at) through SDK v3, in dependency order, resolving the intrinsics that
 * connect them. It exists so that tests can prove that what our constructs synthesize actually
 * activates a CA hierarchy and yields verifiable PEM, not just that the template has a shape.
 *
 * Typical use (the template may come from L1s or from the library's RootCa/SubordinateCa):
 *
 *   const template = synthTemplate(stack).toJSON();   // or Template.fromStack(stack).toJSON()
 *   const deployed = await deployPcaTemplate(template);
 *   deployed.RootActivation.status;                   // 'ACTIVE'
 *   deployed.RootActivation.chainPem;                 // CompleteCertificateChain
 *
 * What it does, per resource type (property names are CloudFormation's):
 *
 * - AWS::ACMPCA::CertificateAuthority -> CreateCertificateAuthority(Type, KeyAlgorithm,
 *   SigningAlgorithm, Subject, CsrExtensions, RevocationConfiguration, KeyStorageSecurityStandard,
 *   UsageMode, Tags), then GetCertificateAuthorityCsr.
 *   Ref / GetAtt Arn = the CA ARN; GetAtt CertificateSigningRequest = the CSR (PEM).
 * - AWS::ACMPCA::Certificate -> IssueCertificate(CertificateAuthorityArn,
 *   CertificateSigningRequest as Csr, SigningAlgorithm, TemplateArn, Validity, ValidityNotBefore,
 *   ApiPassthrough), then GetCertificate.
 *   Ref / GetAtt Arn = the certificate ARN; GetAtt Certificate = the certificate (PEM).
 * - AWS::ACMPCA::CertificateAuthorityActivation -> ImportCertificateAuthorityCertificate(
 *   CertificateAuthorityArn, Certificate, CertificateChain), then UpdateCertificateAuthority when
 *   Status is DISABLED, then GetCertificateAuthorityCertificate.
 *   Ref = the CA ARN; GetAtt CompleteCertificateChain = the CA certificate followed by its chain.
 *
 * Every other resource type (S3, IAM, Lambda, Custom::..., AWS::ACMPCA::Permission, ...) is
 * skipped, but it still takes part in the dependency order (DependsOn, Ref, GetAtt, Sub), so
 * transitive dependencies through a skipped resource are honoured. A reference from a deployed
 * resource to a skipped one resolves to, in this order:
 *   1. `options.placeholders['Logical']` (Ref) or `options.placeholders['Logical.Attr']` (GetAtt);
 *   2. a realistic fake for a few types: AWS::S3::Bucket Ref = `cdk-pki-fake-<logicalid>` (a valid
 *      bucket name, see `fakeBucketName`), GetAtt Arn / DomainName / RegionalDomainName to match;
 *      AWS::CloudFront::Distribution GetAtt DomainName = `<logicalid>.cloudfront.net`;
 *   3. otherwise the string `skipped:<Type>:<LogicalId>` (Ref) or
 *      `skipped:<Type>:<LogicalId>.<Attr>` (GetAtt), unless `options.onSkippedReference` is
 *      'error', in which case it throws a message naming both resources.
 *
 * Intrinsics: Ref (resources, Parameters with `options.parameters` or their Default, pseudo
 * parameters AWS::Partition/Region/AccountId/URLSuffix/StackName/StackId/NoValue), Fn::GetAtt,
 * Fn::Join, Fn::Select, Fn::Split, Fn::Sub, Fn::Base64, Fn::FindInMap, Fn::If with Conditions
 * (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition) and resource-level `Condition`. Anything else
 * (Fn::ImportValue, Fn::GetAZs, ...) fails with a message naming the resource.
 *
 * It creates; it never updates or deletes. Call `resetMoto()` between tests.
 *
 * Encodings (checked against moto 5.2.5 and the SDK's model): the CSR and certificate *outputs*
 * (GetCertificateAuthorityCsr.Csr, GetCertificate.Certificate/CertificateChain,
 * GetCertificateAuthorityCertificate.*) are PEM strings; the *inputs* IssueCertificate.Csr and
 * ImportCertificateAuthorityCertificate.Certificate/CertificateChain are blobs, which the SDK
 * base64-encodes on the wire, so they are passed as the PEM's UTF-8 bytes. A CloudFormation
 * value that is base64 of a PEM rather than a PEM is decoded first.
 */

/** The AWS::ACMPCA types the driver deploys. */
export type PcaResourceType =
  | 'AWS::ACMPCA::CertificateAuthority'
  | 'AWS::ACMPCA::Certificate'
  | 'AWS::ACMPCA::CertificateAuthorityActivation';

const CA = 'AWS::ACMPCA::CertificateAuthority';
const CERT = 'AWS::ACMPCA::Certificate';
const ACTIVATION = 'AWS::ACMPCA::CertificateAuthorityActivation';
const DEPLOYED_TYPES: readonly string[] = [CA, CERT, ACTIVATION];

/** Options of `deployPcaTemplate`. */
export interface DeployPcaTemplateOptions {
  /** The client to use. @default a client for moto (`motoClientConfig(region)`) */
  readonly client?: ACMPCAClient;
  /** Region of the default client and value of AWS::Region. @default 'us-east-1' */
  readonly region?: string;
  /** Value of AWS::AccountId. @default '123456789012' (moto's default account) */
  readonly accountId?: string;
  /** Value of AWS::Partition. @default 'aws' */
  readonly partition?: string;
  /** Value of AWS::StackName. @default 'PcaTemplateDriverStack' */
  readonly stackName?: string;
  /** Values of template Parameters (else their Default). */
  readonly parameters?: Record<string, string>;
  /** Values for references to skipped resources: key `Logical` for Ref, `Logical.Attr` for GetAtt. */
  readonly placeholders?: Record<string, string>;
  /** What a reference to a skipped resource without a placeholder does. @default 'placeholder' */
  readonly onSkippedReference?: 'placeholder' | 'error';
  /** Retries of GetCertificateAuthorityCsr / GetCertificate on RequestInProgressException. @default 5 */
  readonly inProgressRetries?: number;
}

/** One deployed ACMPCA resource. */
export interface DeployedPcaResource {
  readonly logicalId: string;
  readonly type: PcaResourceType;
  /**
   * CertificateAuthority: the CA ARN. Certificate: the certificate ARN.
   * Activation: the CA ARN (what CloudFormation's Ref returns).
   */
  readonly arn: string;
  /** The CA the resource belongs to (for a Certificate: the issuing CA). */
  readonly certificateAuthorityArn: string;
  /**
   * CertificateAuthority and Activation: the CA's status (DescribeCertificateAuthority) after the
   * whole template is deployed. Certificate: 'ISSUED'.
   */
  readonly status: string;
  /** CertificateAuthority: its CSR (GetAtt CertificateSigningRequest). */
  readonly csrPem?: string;
  /**
   * Certificate: the issued certificate (GetAtt Certificate). Activation, and a CertificateAuthority
   * that is ACTIVE or DISABLED at the end: the CA certificate.
   */
  readonly certificatePem?: string;
  /**
   * Certificate: GetCertificate's CertificateChain (absent for a self-signed root certificate).
   * Activation, and a CertificateAuthority that is ACTIVE or DISABLED at the end: the complete chain,
   * CA certificate first, root last (GetAtt CompleteCertificateChain).
   */
  readonly chainPem?: string;
}

/** logical id -> deployed resource, for the ACMPCA resources of the template only; keys in deployment order. */
export type PcaDeployment = Record<string, DeployedPcaResource>;

/** A failure of `deployPcaTemplate`; `logicalId` names the resource. */
export class PcaTemplateDeployError extends Error {
  constructor(
    message: string,
    readonly logicalId?: string,
    readonly operation?: string,
    readonly sdkError?: unknown,
  ) {
    super(message);
    this.name = 'PcaTemplateDeployError';
  }
}

/** The fake name a skipped AWS::S3::Bucket resolves to: `cdk-pki-fake-<logical id, lower case>`, at most 63 chars. */
export function fakeBucketName(logicalId: string): string {
  return `cdk-pki-fake-${logicalId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63).replace(/-+$/, '');
}

interface ResourceState {
  /** Ref value. */
  ref: string;
  /** GetAtt values. */
  attrs: Record<string, string>;
  result: Mutable<DeployedPcaResource>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Deploys the ACMPCA resources of a synthesized CloudFormation template against moto (see the
 * comment at the top of this file for the exact semantics) and returns them by logical id.
 * Throws a `PcaTemplateDeployError` naming the logical id when resolution or an API call fails.
 */
export async function deployPcaTemplate(template: any, options: DeployPcaTemplateOptions = {}): Promise<PcaDeployment> {
  const driver = new Driver(template, options);
  try {
    return await driver.deploy();
  } finally {
    driver.close();
  }
}

class Driver {
  private readonly resources: Record<string, any>;
  private readonly client: ACMPCAClient;
  private readonly region: string;
  private readonly accountId: string;
  private readonly partition: string;
  private readonly stackName: string;
  private readonly state: Record<string, ResourceState> = {};
  private readonly conditionCache: Record<string, boolean> = {};

  constructor(private readonly template: any, private readonly options: DeployPcaTemplateOptions) {
    if (!template || typeof template !== 'object' || !template.Resources || typeof template.Resources !== 'object') {
      throw new PcaTemplateDeployError('deployPcaTemplate: the template has no Resources section (pass the synthesized template JSON object)');
    }
    this.resources = template.Resources;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.partition = options.partition ?? 'aws';
    this.stackName = options.stackName ?? 'PcaTemplateDriverStack';
    this.client = options.client ?? new ACMPCAClient(motoClientConfig(this.region));
  }

  /** Releases the client's sockets when the driver made the client. */
  close(): void {
    if (!this.options.client) this.client.destroy();
  }

  async deploy(): Promise<PcaDeployment> {
    for (const logicalId of this.order()) {
      const resource = this.resources[logicalId];
      if (!DEPLOYED_TYPES.includes(resource.Type)) continue;
      if (resource.Condition !== undefined && !this.condition(resource.Condition, logicalId)) continue;
      const props = this.resolve(resource.Properties ?? {}, logicalId);
      switch (resource.Type) {
        case CA:
          await this.createCa(logicalId, props);
          break;
        case CERT:
          await this.issueCertificate(logicalId, props);
          break;
        default:
          await this.activate(logicalId, props);
      }
    }
    await this.refreshStatuses();
    const out: PcaDeployment = {};
    for (const [logicalId, s] of Object.entries(this.state)) out[logicalId] = s.result;
    return out;
  }

  // ---------------------------------------------------------------- resources

  private async createCa(logicalId: string, p: any): Promise<void> {
    required(p, ['Type', 'KeyAlgorithm', 'SigningAlgorithm', 'Subject'], logicalId, CA);
    const res = await this.call(logicalId, CA, 'CreateCertificateAuthority', () => this.client.send(new CreateCertificateAuthorityCommand({
      CertificateAuthorityType: p.Type,
      CertificateAuthorityConfiguration: {
        KeyAlgorithm: p.KeyAlgorithm,
        SigningAlgorithm: p.SigningAlgorithm,
        Subject: p.Subject,
        CsrExtensions: p.CsrExtensions,
      },
      RevocationConfiguration: p.RevocationConfiguration === undefined ? undefined : coerceRevocation(p.RevocationConfiguration),
      KeyStorageSecurityStandard: p.KeyStorageSecurityStandard,
      UsageMode: p.UsageMode,
      Tags: p.Tags,
    })));
    const arn = res.CertificateAuthorityArn;
    if (!arn) throw new PcaTemplateDeployError(`deployPcaTemplate: ${CA} "${logicalId}": CreateCertificateAuthority returned no ARN`, logicalId);
    const csr = await this.withRetries(logicalId, CA, 'GetCertificateAuthorityCsr',
      () => this.client.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: arn })));
    const csrPem = pem(csr.Csr, logicalId, 'GetCertificateAuthorityCsr.Csr');
    this.state[logicalId] = {
      ref: arn,
      attrs: { Arn: arn, CertificateSigningRequest: csrPem },
      result: { logicalId, type: CA, arn, certificateAuthorityArn: arn, status: 'PENDING_CERTIFICATE', csrPem },
    };
  }

  private async issueCertificate(logicalId: string, p: any): Promise<void> {
    required(p, ['CertificateAuthorityArn', 'CertificateSigningRequest', 'SigningAlgorithm', 'Validity'], logicalId, CERT);
    const caArn = str(p.CertificateAuthorityArn, logicalId, 'CertificateAuthorityArn');
    const csrPem = toPem(str(p.CertificateSigningRequest, logicalId, 'CertificateSigningRequest'), logicalId, 'CertificateSigningRequest');
    const res = await this.call(logicalId, CERT, 'IssueCertificate', () => this.client.send(new IssueCertificateCommand({
      CertificateAuthorityArn: caArn,
      Csr: Buffer.from(csrPem, 'utf8'),
      SigningAlgorithm: p.SigningAlgorithm,
      TemplateArn: p.TemplateArn,
      Validity: coerceValidity(p.Validity),
      ValidityNotBefore: p.ValidityNotBefore === undefined ? undefined : coerceValidity(p.ValidityNotBefore),
      ApiPassthrough: p.ApiPassthrough,
    })));
    const arn = res.CertificateArn;
    if (!arn) throw new PcaTemplateDeployError(`deployPcaTemplate: ${CERT} "${logicalId}": IssueCertificate returned no ARN`, logicalId);
    const got = await this.withRetries(logicalId, CERT, 'GetCertificate',
      () => this.client.send(new GetCertificateCommand({ CertificateAuthorityArn: caArn, CertificateArn: arn })));
    const certificatePem = pem(got.Certificate, logicalId, 'GetCertificate.Certificate');
    const chainPem = got.CertificateChain ? normalizePem(got.CertificateChain) : undefined;
    this.state[logicalId] = {
      ref: arn,
      attrs: { Arn: arn, Certificate: certificatePem },
      result: { logicalId, type: CERT, arn, certificateAuthorityArn: caArn, status: 'ISSUED', certificatePem, chainPem },
    };
  }

  private async activate(logicalId: string, p: any): Promise<void> {
    required(p, ['CertificateAuthorityArn', 'Certificate'], logicalId, ACTIVATION);
    const caArn = str(p.CertificateAuthorityArn, logicalId, 'CertificateAuthorityArn');
    const certificate = toPem(str(p.Certificate, logicalId, 'Certificate'), logicalId, 'Certificate');
    const chain = p.CertificateChain === undefined ? undefined : toPem(str(p.CertificateChain, logicalId, 'CertificateChain'), logicalId, 'CertificateChain');
    const status = p.Status ?? 'ACTIVE';
    if (status !== 'ACTIVE' && status !== 'DISABLED') {
      throw new PcaTemplateDeployError(`deployPcaTemplate: ${ACTIVATION} "${logicalId}": Status must be ACTIVE or DISABLED, got ${JSON.stringify(status)}`, logicalId);
    }
    await this.call(logicalId, ACTIVATION, 'ImportCertificateAuthorityCertificate', () => this.client.send(new ImportCertificateAuthorityCertificateCommand({
      CertificateAuthorityArn: caArn,
      Certificate: Buffer.from(certificate, 'utf8'),
      CertificateChain: chain === undefined ? undefined : Buffer.from(chain, 'utf8'),
    })));
    const caCert = await this.call(logicalId, ACTIVATION, 'GetCertificateAuthorityCertificate',
      () => this.client.send(new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: caArn })));
    const certificatePem = pem(caCert.Certificate, logicalId, 'GetCertificateAuthorityCertificate.Certificate');
    const chainPem = caCert.CertificateChain ? normalizePem(`${certificatePem}${caCert.CertificateChain}`) : certificatePem;
    // After reading the certificate: moto (unlike the service) answers GetCertificateAuthorityCertificate only for ACTIVE CAs.
    if (status === 'DISABLED') {
      await this.call(logicalId, ACTIVATION, 'UpdateCertificateAuthority', () => this.client.send(new UpdateCertificateAuthorityCommand({
        CertificateAuthorityArn: caArn,
        Status: 'DISABLED',
      })));
    }
    this.state[logicalId] = {
      ref: caArn,
      attrs: { CompleteCertificateChain: chainPem },
      result: { logicalId, type: ACTIVATION, arn: caArn, certificateAuthorityArn: caArn, status, certificatePem, chainPem },
    };
  }

  /** Sets the final status of every CA and activation, and the CA certificate of activated CAs. */
  private async refreshStatuses(): Promise<void> {
    const byCa = new Map<string, string>();
    for (const s of Object.values(this.state)) {
      if (s.result.type === CERT) continue;
      const caArn = s.result.certificateAuthorityArn;
      if (!byCa.has(caArn)) {
        const d = await this.call(s.result.logicalId, s.result.type, 'DescribeCertificateAuthority',
          () => this.client.send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: caArn })));
        byCa.set(caArn, d.CertificateAuthority?.Status ?? 'UNKNOWN');
      }
      s.result.status = byCa.get(caArn)!;
    }
    for (const s of Object.values(this.state)) {
      if (s.result.type !== CA) continue;
      const activation = Object.values(this.state).find((a) => a.result.type === ACTIVATION && a.result.certificateAuthorityArn === s.result.arn);
      if (activation) {
        s.result.certificatePem = activation.result.certificatePem;
        s.result.chainPem = activation.result.chainPem;
      }
    }
  }

  // ---------------------------------------------------------------- SDK calls

  private async call<T>(logicalId: string, type: string, operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err: any) {
      const status = err?.$metadata?.httpStatusCode ?? err?.$response?.statusCode;
      const hint = err instanceof SyntaxError || status === 500 || /Deserialization error/.test(String(err?.message))
        ? ' (the server answered with something other than the API\'s JSON, e.g. moto\'s HTTP 500 for an input or action it does not handle)'
        : '';
      const detail = `${err?.name ?? 'Error'}${status ? ` [HTTP ${status}]` : ''}: ${String(err?.message ?? err).split('\n')[0]}`;
      throw new PcaTemplateDeployError(`deployPcaTemplate: ${type} "${logicalId}": ${operation} failed: ${detail}${hint}`, logicalId, operation, err);
    }
  }

  private async withRetries<T>(logicalId: string, type: string, operation: string, fn: () => Promise<T>): Promise<T> {
    const retries = this.options.inProgressRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err: any) {
        if (err?.name !== 'RequestInProgressException' || attempt >= retries) {
          return this.call(logicalId, type, operation, () => Promise.reject(err));
        }
        await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
      }
    }
  }

  // ---------------------------------------------------------------- dependency order

  /** All logical ids, dependencies first; stable in template order otherwise. */
  private order(): string[] {
    const ids = Object.keys(this.resources);
    const deps = new Map<string, Set<string>>();
    for (const id of ids) {
      const r = this.resources[id];
      if (!r || typeof r !== 'object' || typeof r.Type !== 'string') {
        throw new PcaTemplateDeployError(`deployPcaTemplate: resource "${id}" has no Type`, id);
      }
      const set = new Set<string>();
      const dependsOn = r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn];
      for (const d of dependsOn) set.add(d);
      collectReferences(r.Properties, set);
      for (const d of set) {
        if (!(d in this.resources)) {
          if (dependsOn.includes(d) || DEPLOYED_TYPES.includes(r.Type)) {
            // Refs to Parameters are not resources; anything else is a broken template.
            if (!(d in (this.template.Parameters ?? {}))) {
              throw new PcaTemplateDeployError(`deployPcaTemplate: ${r.Type} "${id}" depends on or references "${d}", which is not in the template`, id);
            }
          }
          set.delete(d);
        }
      }
      set.delete(id);
      deps.set(id, set);
    }
    const done = new Set<string>();
    const out: string[] = [];
    while (out.length < ids.length) {
      const next = ids.find((id) => !done.has(id) && [...deps.get(id)!].every((d) => done.has(d)));
      if (next === undefined) {
        const stuck = ids.filter((id) => !done.has(id));
        throw new PcaTemplateDeployError(`deployPcaTemplate: circular dependency between ${stuck.join(', ')}`, stuck[0]);
      }
      done.add(next);
      out.push(next);
    }
    return out;
  }

  // ---------------------------------------------------------------- intrinsics

  private resolve(value: any, at: string): any {
    const v = this.resolveValue(value, at);
    return v === NO_VALUE ? undefined : v;
  }

  private resolveValue(value: any, at: string): any {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolveValue(v, at)).filter((v) => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.intrinsic(keys[0], value[keys[0]], at);
    }
    const out: Record<string, any> = {};
    for (const k of keys) {
      const v = this.resolveValue(value[k], at);
      if (v !== NO_VALUE) out[k] = v;
    }
    return out;
  }

  private fail(at: string, message: string): never {
    const type = this.resources[at]?.Type ?? 'resource';
    throw new PcaTemplateDeployError(`deployPcaTemplate: ${type} "${at}": ${message}`, at);
  }

  private intrinsic(name: string, arg: any, at: string): any {
    switch (name) {
      case 'Ref':
        return this.ref(arg, at);
      case 'Fn::GetAtt': {
        const [logicalId, attr] = typeof arg === 'string' ? splitOnce(arg, '.') : arg;
        return this.getAtt(logicalId, this.resolve(attr, at), at);
      }
      case 'Fn::Join': {
        const [sep, list] = arg;
        const items = this.resolve(list, at);
        if (!Array.isArray(items)) this.fail(at, `Fn::Join needs a list, got ${JSON.stringify(items)}`);
        return items.map((i: any) => String(i)).join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = arg;
        const items = this.resolve(list, at);
        const i = Number(this.resolve(index, at));
        if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
          this.fail(at, `Fn::Select index ${i} out of range of ${JSON.stringify(items)}`);
        }
        return items[i];
      }
      case 'Fn::Split': {
        const [sep, source] = arg;
        return String(this.resolve(source, at)).split(sep);
      }
      case 'Fn::Sub':
        return this.sub(arg, at);
      case 'Fn::Base64':
        return Buffer.from(String(this.resolve(arg, at)), 'utf8').toString('base64');
      case 'Fn::FindInMap': {
        const [map, top, second] = this.resolve(arg, at);
        const v = this.template.Mappings?.[map]?.[top]?.[second];
        if (v === undefined) this.fail(at, `Fn::FindInMap ${map}/${top}/${second} not found`);
        return v;
      }
      case 'Fn::If': {
        const [cond, yes, no] = arg;
        return this.condition(cond, at) ? this.resolveValue(yes, at) : this.resolveValue(no, at);
      }
      case 'Fn::Equals':
      case 'Fn::Not':
      case 'Fn::And':
      case 'Fn::Or':
        return this.evaluateCondition({ [name]: arg }, at);
      default:
        return this.fail(at, `unsupported intrinsic ${name} (${JSON.stringify(arg).slice(0, 120)})`);
    }
  }

  private ref(target: string, at: string): any {
    switch (target) {
      case 'AWS::Partition': return this.partition;
      case 'AWS::Region': return this.region;
      case 'AWS::AccountId': return this.accountId;
      case 'AWS::URLSuffix': return this.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::StackName': return this.stackName;
      case 'AWS::StackId': return `arn:${this.partition}:cloudformation:${this.region}:${this.accountId}:stack/${this.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::NotificationARNs': return [];
      default:
    }
    const param = this.template.Parameters?.[target];
    if (param) {
      const v = this.options.parameters?.[target] ?? param.Default;
      if (v === undefined) this.fail(at, `Ref to Parameter "${target}", which has no Default and no value in options.parameters`);
      return v;
    }
    const resource = this.resources[target];
    if (!resource) this.fail(at, `Ref to "${target}", which is neither a resource, a Parameter nor a supported pseudo parameter`);
    if (DEPLOYED_TYPES.includes(resource.Type)) {
      const s = this.state[target];
      if (!s) this.fail(at, `Ref to ${resource.Type} "${target}", which was not deployed (its Condition is false?)`);
      return s.ref;
    }
    return this.skipped(target, undefined, at);
  }

  private getAtt(logicalId: string, attr: string, at: string): any {
    const resource = this.resources[logicalId];
    if (!resource) this.fail(at, `Fn::GetAtt [${logicalId}, ${attr}]: no such resource`);
    if (!DEPLOYED_TYPES.includes(resource.Type)) return this.skipped(logicalId, attr, at);
    const s = this.state[logicalId];
    if (!s) this.fail(at, `Fn::GetAtt [${logicalId}, ${attr}]: ${resource.Type} "${logicalId}" was not deployed (its Condition is false?)`);
    if (!(attr in s.attrs)) {
      this.fail(at, `Fn::GetAtt [${logicalId}, ${attr}]: ${resource.Type} has no attribute ${attr} (supported: ${Object.keys(s.attrs).join(', ')})`);
    }
    return s.attrs[attr];
  }

  private skipped(logicalId: string, attr: string | undefined, at: string): string {
    const key = attr === undefined ? logicalId : `${logicalId}.${attr}`;
    const given = this.options.placeholders?.[key];
    if (given !== undefined) return given;
    const type: string = this.resources[logicalId].Type;
    const fake = this.fake(type, logicalId, attr);
    if (fake !== undefined) return fake;
    const what = attr === undefined ? `Ref ${logicalId}` : `Fn::GetAtt [${logicalId}, ${attr}]`;
    if (this.options.onSkippedReference === 'error') {
      this.fail(at, `${what} refers to the skipped ${type} "${logicalId}"; give a value in options.placeholders["${key}"]`);
    }
    return `skipped:${type}:${key}`;
  }

  private fake(type: string, logicalId: string, attr: string | undefined): string | undefined {
    if (type === 'AWS::S3::Bucket') {
      const name = fakeBucketName(logicalId);
      switch (attr) {
        case undefined: return name;
        case 'Arn': return `arn:${this.partition}:s3:::${name}`;
        case 'DomainName': return `${name}.s3.amazonaws.com`;
        case 'RegionalDomainName': return `${name}.s3.${this.region}.amazonaws.com`;
        default: return undefined;
      }
    }
    if (type === 'AWS::CloudFront::Distribution' && attr === 'DomainName') {
      return `${logicalId.toLowerCase().replace(/[^a-z0-9-]/g, '')}.cloudfront.net`;
    }
    return undefined;
  }

  private sub(arg: any, at: string): string {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : arg;
    const resolvedVars: Record<string, any> = this.resolve(vars ?? {}, at);
    return String(text).replace(/\$\{([^}]*)\}/g, (_match: string, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in resolvedVars) return String(resolvedVars[name]);
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [logicalId, attr] = splitOnce(name, '.');
        return String(this.getAtt(logicalId, attr, at));
      }
      const v = this.ref(name, at);
      return v === NO_VALUE ? '' : String(v);
    });
  }

  private condition(name: any, at: string): boolean {
    if (typeof name !== 'string') return this.evaluateCondition(name, at);
    if (!(name in this.conditionCache)) {
      const def = this.template.Conditions?.[name];
      if (def === undefined) this.fail(at, `Condition "${name}" is not defined in the template`);
      this.conditionCache[name] = this.evaluateCondition(def, at);
    }
    return this.conditionCache[name];
  }

  private evaluateCondition(expr: any, at: string): boolean {
    if (typeof expr === 'boolean') return expr;
    if (expr === 'true' || expr === 'false') return expr === 'true';
    const [key] = Object.keys(expr ?? {});
    const arg = expr?.[key];
    switch (key) {
      case 'Condition': return this.condition(arg, at);
      case 'Fn::Equals': {
        const [a, b] = arg.map((x: any) => this.resolve(x, at));
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not': return !this.evaluateCondition(arg[0], at);
      case 'Fn::And': return arg.every((c: any) => this.evaluateCondition(c, at));
      case 'Fn::Or': return arg.some((c: any) => this.evaluateCondition(c, at));
      default: return this.fail(at, `unsupported condition ${JSON.stringify(expr).slice(0, 120)}`);
    }
  }
}

// ---------------------------------------------------------------- helpers

/** Adds every logical id referenced by Ref, Fn::GetAtt or Fn::Sub inside `value` to `out`. */
function collectReferences(value: any, out: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((v) => collectReferences(v, out));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::')) {
      out.add(v);
    } else if (k === 'Fn::GetAtt') {
      out.add(typeof v === 'string' ? splitOnce(v, '.')[0] : (v as any[])[0]);
    } else if (k === 'Fn::Sub') {
      const [text, vars] = typeof v === 'string' ? [v, {}] : (v as [string, Record<string, any>]);
      for (const m of String(text).matchAll(/\$\{([^}!][^}]*)\}/g)) {
        const name = m[1];
        if (name.startsWith('AWS::') || (vars && name in vars)) continue;
        out.add(name.split('.')[0]);
      }
      collectReferences(vars, out);
    } else {
      collectReferences(v, out);
    }
  }
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function required(p: any, names: string[], logicalId: string, type: string): void {
  const missing = names.filter((n) => p[n] === undefined || p[n] === null || p[n] === '');
  if (missing.length > 0) {
    throw new PcaTemplateDeployError(`deployPcaTemplate: ${type} "${logicalId}": missing required propert${missing.length > 1 ? 'ies' : 'y'} ${missing.join(', ')}`, logicalId);
  }
}

function str(v: any, logicalId: string, prop: string): string {
  if (typeof v !== 'string') {
    throw new PcaTemplateDeployError(`deployPcaTemplate: "${logicalId}": ${prop} resolved to ${JSON.stringify(v)?.slice(0, 120)}, not a string`, logicalId);
  }
  return v;
}

/** A PEM string as given, or the PEM inside a base64 string. */
function toPem(value: string, logicalId: string, prop: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('-----BEGIN ')) return normalizePem(trimmed);
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed, 'base64').toString('utf8').trim();
    if (decoded.startsWith('-----BEGIN ')) return normalizePem(decoded);
  }
  throw new PcaTemplateDeployError(`deployPcaTemplate: "${logicalId}": ${prop} is neither PEM nor base64 of PEM: ${JSON.stringify(trimmed.slice(0, 60))}...`, logicalId);
}

function pem(v: string | undefined, logicalId: string, what: string): string {
  if (!v || !v.includes('-----BEGIN ')) {
    throw new PcaTemplateDeployError(`deployPcaTemplate: "${logicalId}": ${what} is not PEM: ${JSON.stringify(v)?.slice(0, 60)}`, logicalId);
  }
  return normalizePem(v);
}

/** PEM blocks, one per line group, each ending in a newline. */
function normalizePem(text: string): string {
  const blocks = text.match(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
  return blocks.map((b) => `${b.trim()}\n`).join('');
}

function num(v: any): any {
  return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
}

function bool(v: any): any {
  return v === 'true' ? true : v === 'false' ? false : v;
}

function coerceValidity(v: any): any {
  return v && typeof v === 'object' ? { ...v, Value: num(v.Value) } : v;
}

function coerceRevocation(r: any): any {
  const out = { ...r };
  if (r.CrlConfiguration) {
    const crl = r.CrlConfiguration;
    out.CrlConfiguration = { ...crl, Enabled: bool(crl.Enabled), ExpirationInDays: num(crl.ExpirationInDays) };
    const cdp = crl.CrlDistributionPointExtensionConfiguration;
    if (cdp) out.CrlConfiguration.CrlDistributionPointExtensionConfiguration = { ...cdp, OmitExtension: bool(cdp.OmitExtension) };
  }
  if (r.OcspConfiguration) out.OcspConfiguration = { ...r.OcspConfiguration, Enabled: bool(r.OcspConfiguration.Enabled) };
  return out;
}

/** Splits concatenated PEM into its blocks (each ending in a newline). */
export function splitPem(text: string): string[] {
  return normalizePem(text).match(/-----BEGIN [\s\S]*?-----END [A-Z0-9 ]+-----\n/g) ?? [];
}
