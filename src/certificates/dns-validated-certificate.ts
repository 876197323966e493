import { createHash } from 'crypto';
import { Aws, CustomResource, Duration, ITaggable, Lazy, RemovalPolicy, Stack, TagManager, Tags, TagType, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { CertificateBase, importCertificateArn, IPkiCertificate } from './certificate-base';
import { CertificateRequestProps } from './certificate-request';
import { renderTransparencyLogging, warnIfTransparencyLoggingOff } from './certificate-warnings';
import { describeZone } from './hosted-zones';
import { CertificateKeyAlgorithm } from './key-algorithm';
import { registerCostEstimate } from '../common/pki-cost-estimate';
import {
  DnsValidatedCertificateResourceProperties,
  MAX_VALIDATION_TIMEOUT_SECONDS,
  MIN_VALIDATION_TIMEOUT_SECONDS,
  OWN_TAG_PREFIX,
  STACK_ID_TAG,
  Tag,
} from '../handlers/dns-validated-certificate/contract';
import { DnsValidatedCertificateCompleteFunction } from '../handlers/dns-validated-certificate/dns-validated-certificate-complete-function';
import { DnsValidatedCertificateFunction } from '../handlers/dns-validated-certificate/dns-validated-certificate-function';
import { toWireBoolean } from '../handlers/shared/wire';
import { acknowledgeNag, NagRules, wildcardResourceFinding } from '../private/acknowledgements';
import { SingletonProvider } from '../private/singleton-provider';
import { REGION_NAME } from '../validation/arn-patterns';
import { validateCertificateRequest } from '../validation/certificate-request';
import {
  validateHandlerTagKeys,
  validateRegionName,
  validateSamePartition,
  validateValidationTimeout,
  validateZoneAccess,
} from '../validation/dns-validated-certificate';
import { throwIfProblems } from '../validation/errors';
import { planDnsValidation } from '../validation/public-certificate-rules';
import { validateTags } from '../validation/tags';

/** A Route 53 public hosted zone that receives validation records, and how to reach it. */
export interface DnsValidationZone {
  /**
   * The public hosted zone. For a zone of another account, import it here with
   * `HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId, zoneName })` and set `account` and `role`.
   */
  readonly hostedZone: route53.IHostedZone;

  /**
   * A role in the zone's account that the handler assumes to write the records. It must trust
   * this stack's account (with the external ID, when given) and allow, on the zone,
   * `route53:ListResourceRecordSets` and `route53:ChangeResourceRecordSets` (CNAME records, UPSERT,
   * and DELETE when `cleanupValidationRecords` is on).
   *
   * @default - the handler's own role (the zone is in this stack's account)
   */
  readonly role?: iam.IRole;

  /**
   * The external ID the role's trust policy requires.
   *
   * Not a secret: it guards against the confused-deputy problem, not against someone who reads the
   * template. It is a property of the custom resource, so it is in the synthesized template, in the
   * CloudFormation console and in the CDK Provider framework's logs of each event.
   *
   * @default - none
   */
  readonly externalId?: string;

  /**
   * The account that owns the zone. A zone of another account without a `role` is a synth error.
   *
   * @default - the zone's own environment (the account of the stack it belongs to)
   */
  readonly account?: string;
}

/** Properties of a `DnsValidatedCertificate`. */
export interface DnsValidatedCertificateProps extends CertificateRequestProps {
  /**
   * The public hosted zones that validate the names: each name goes to the zone with the longest
   * name that is a suffix of it. With several zones their names must be known at synth time.
   */
  readonly hostedZones: DnsValidationZone[];

  /**
   * The region to request the certificate in, e.g. `us-east-1` for CloudFront from a stack in any region.
   *
   * @default - the stack's region
   */
  readonly region?: string;

  /**
   * Log the certificate in public Certificate Transparency logs. Browsers distrust unlogged public certificates.
   * `true` sends `ENABLED`, `false` sends `DISABLED` to the handler.
   *
   * @default - ACM's default, logged (the handler sets no preference)
   */
  readonly transparencyLogging?: boolean;

  /**
   * Issue an exportable public certificate (see `CertificateExport`); ACM charges for these.
   *
   * @default false
   */
  readonly allowExport?: boolean;

  /**
   * Remove the validation records when the certificate is deleted: only the records this
   * certificate created (or took over from the certificate it replaced), and only when no other
   * certificate of the account still uses them in any of `cleanupRegions` (ACM gives the same
   * record to every certificate of the account with that name, in every region).
   *
   * @default true
   */
  readonly cleanupValidationRecords?: boolean;

  /**
   * The regions whose certificates are checked before a validation record is removed: a record
   * stays while a certificate for the same name in any of them still uses it for its renewals.
   * Regions not enabled in the account are skipped at run time.
   *
   * @default - every region of the stack's partition that aws-cdk-lib knows, and the certificate's and the stack's regions
   */
  readonly cleanupRegions?: string[];

  /**
   * How long the deployment waits for ACM to validate every name before it fails with a message
   * that names the unvalidated names and the records to check. From 1 to 55 minutes:
   * CloudFormation waits at most an hour for a custom resource.
   *
   * @default Duration.minutes(55)
   */
  readonly validationTimeout?: Duration;

  /**
   * What happens to the certificate (and its records) when it leaves the stack. `applyRemovalPolicy()`
   * does the same after construction.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A public ACM certificate, validated through DNS, for what CloudFormation cannot do natively:
 *
 * - the certificate lives in another region than the stack (CloudFront needs `us-east-1`);
 * - the hosted zone lives in another account (the handler assumes a role there);
 * - validation records are removed when the certificate is deleted (only those it created and no
 *   other certificate of the account still uses, in any region);
 * - the deployment fails after `validationTimeout` (at most 55 minutes) with the names still
 *   pending and the records to check, instead of hanging for up to 72 hours.
 *
 * A custom resource (`Custom::CdkPkiDnsValidatedCertificate`) behind the CDK Provider framework's
 * asynchronous pattern requests the certificate (with an idempotency token, so a retried request
 * never makes two), UPSERTs the CNAME records from `DescribeCertificate`, and polls until ACM
 * reports ISSUED. Changing a name, the region, the key algorithm or `allowExport` requests a new
 * certificate (a new ARN; CloudFormation deletes the old one after the update). Deleting retries
 * while another service still uses the certificate, then fails naming the users.
 *
 * Use a `PublicCertificate` when the certificate and the zone are in the stack's account and region:
 * native CloudFormation needs no Lambda.
 */
export class DnsValidatedCertificate extends CertificateBase implements ITaggable {
  /** The CloudFormation type of the custom resource: part of the library's contract. */
  public static readonly RESOURCE_TYPE = 'Custom::CdkPkiDnsValidatedCertificate';

  /**
   * Refers to an existing ACM certificate by ARN, such as one a `DnsValidatedCertificate` of another
   * app requested. A concrete ARN is checked for shape
   * (`arn:<partition>:acm:<region>:<account>:certificate/<uuid>`); metrics and event rules of the
   * returned certificate use the ARN's region. Same as `PublicCertificate.fromCertificateArn`.
   */
  public static fromCertificateArn(scope: Construct, id: string, certificateArn: string): IPkiCertificate {
    return importCertificateArn(scope, id, certificateArn);
  }

  public readonly certificateArn: string;

  /**
   * The tags of the certificate, so that `Tags.of(scope).add()` reaches it (its resource type for
   * `includeResourceTypes` is `AWS::CertificateManager::Certificate`, as for aws-cdk-lib's
   * `DnsValidatedCertificate`). The handler applies them to the ACM certificate, in place on updates.
   */
  public readonly tags: TagManager;

  /** The key algorithm of the certificate. */
  public readonly keyAlgorithm: CertificateKeyAlgorithm;

  protected readonly exportable?: boolean;

  private readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id, { region: props.region });
    const stack = Stack.of(this);
    this.keyAlgorithm = props.keyAlgorithm ?? CertificateKeyAlgorithm.RSA_2048;
    this.exportable = props.allowExport ?? false;
    if (this.exportable) registerCostEstimate(this); // issue 17: exportable public certificates cost at issuance and renewal
    const timeout = props.validationTimeout ?? Duration.seconds(MAX_VALIDATION_TIMEOUT_SECONDS);
    // toSeconds() throws for fractions; the validator explains whole seconds instead.
    const timeoutSeconds = timeout.toMilliseconds() / 1000;
    const transparencyLogging = renderTransparencyLogging(props.transparencyLogging);
    const region = props.region ?? stack.region;

    const request = validateCertificateRequest(this.node.path, { ...props, keyAlgorithm: this.keyAlgorithm.name, publicCertificate: true });
    const { names, tags } = request;
    const problems = [
      ...request.problems,
      ...validateHandlerTagKeys(Object.keys(tags), OWN_TAG_PREFIX),
      ...(props.region === undefined ? [] : [...validateRegionName(props.region), ...validateSamePartition(stack.region, props.region)]),
      ...validateValidationTimeout(timeoutSeconds, { minSeconds: MIN_VALIDATION_TIMEOUT_SECONDS, maxSeconds: MAX_VALIDATION_TIMEOUT_SECONDS }),
    ];
    if (props.hostedZones.length === 0) {
      problems.push('hostedZones is empty: give the public hosted zone(s) that hold the names, so the handler can write the validation records.');
    }
    problems.push(...validateZoneAccess(stack.account, props.hostedZones.map((z) => ({
      label: zoneLabel(z.hostedZone),
      zoneAccount: z.account ?? z.hostedZone.env.account,
      hasRole: z.role !== undefined,
      externalId: z.externalId,
    }))));
    const plan = props.hostedZones.length === 0
      ? { entries: [], problems: [] }
      : planDnsValidation(names, props.hostedZones.map((z) => ({ ...describeZone(z.hostedZone), zone: z })));
    problems.push(...plan.problems);
    problems.push(...(props.cleanupRegions ?? []).flatMap((r) => validateRegionName(r).map((p) => `cleanupRegions: ${p}`)));
    throwIfProblems(this.node.path, problems);

    const cleanup = props.cleanupValidationRecords ?? true;
    const provider = SingletonProvider.of(this, {
      id: 'CdkPkiDnsValidatedCertificateProvider',
      createHandler: (s, i) => new DnsValidatedCertificateFunction(s, i, {
        description: 'cdk-pki DnsValidatedCertificate: requests, updates and deletes certificates',
        timeout: Duration.minutes(15),
      }),
      createCompleteHandler: (s, i, role) => new DnsValidatedCertificateCompleteFunction(s, i, {
        role,
        description: 'cdk-pki DnsValidatedCertificate: writes validation records and waits for issuance',
        timeout: Duration.minutes(2),
      }),
      queryInterval: Duration.seconds(30),
      totalTimeout: Duration.hours(1),
    });
    this.grantHandler(provider, region);
    const entries = plan.entries.map((e) => ({ domainName: e.domainName, zone: e.zone }));
    const zonePolicies = [...new Set(entries.map((e) => e.zone))].map((zone) => zonePolicy(provider, zone, cleanup));
    const cleanupRegions = props.cleanupRegions ?? defaultCleanupRegions(stack, region);

    this.tags = new TagManager(TagType.KEY_VALUE, CERTIFICATE_TAG_TYPE, undefined, { tagPropertyName: 'tags' });
    // Applied like PublicCertificate's tags (Tags.of on the nearest node), so they win over Tags.of() tags of an
    // enclosing scope with the same key; only this construct's tag manager has the certificate's type.
    for (const [key, value] of Object.entries(tags)) {
      Tags.of(this).add(key, value, { includeResourceTypes: [CERTIFICATE_TAG_TYPE] });
    }
    // Tags.of() tags are known only after the aspects ran: the final set must follow the same rules.
    this.node.addValidation({
      validate: () => {
        const final = this.tags.tagValues();
        return [...validateTags(final), ...validateHandlerTagKeys(Object.keys(final), OWN_TAG_PREFIX)].map((p) => `${this.node.path}: ${p}`);
      },
    });
    const tagOrder = Object.keys(tags);

    const properties: DnsValidatedCertificateResourceProperties = {
      DomainName: props.domainName,
      ...(props.subjectAlternativeNames?.length ? { SubjectAlternativeNames: props.subjectAlternativeNames } : {}),
      Region: region,
      // Only when given: the handler requests RSA_2048 and compares an absent KeyAlgorithm as RSA_2048,
      // so a resource that had KeyAlgorithm RSA_2048 is not replaced when it disappears.
      ...(props.keyAlgorithm === undefined ? {} : { KeyAlgorithm: this.keyAlgorithm.name }),
      ...(transparencyLogging === undefined ? {} : { TransparencyLogging: transparencyLogging }),
      Export: this.exportable ? 'ENABLED' : 'DISABLED',
      // The final tags (Tags.of() included) are known at synthesis.
      Tags: Lazy.any({ produce: () => renderTags(this.tags.tagValues(), tagOrder) }) as unknown as Tag[],
      Validation: entries.map((e) => ({
        DomainName: e.domainName,
        HostedZoneId: e.zone.hostedZone.hostedZoneId,
        ...(e.zone.role ? { RoleArn: e.zone.role.roleArn } : {}),
        ...(e.zone.externalId ? { ExternalId: e.zone.externalId } : {}),
      })),
      CleanupValidationRecords: toWireBoolean(cleanup),
      ...(cleanup ? { CleanupRegions: [...new Set([region, ...cleanupRegions])] } : {}),
      ValidationTimeoutSeconds: String(timeoutSeconds),
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: DnsValidatedCertificate.RESOURCE_TYPE,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      properties,
    });
    // The handlers' shared role and its policy (children of the onEvent handler) must exist before
    // the first request and stay until the last delete. So must the policy of each zone: one per
    // zone, shared by the certificates of that zone and the same whichever of them remain, so
    // CloudFormation deletes it only after the last one's Delete (which removes its records) ran.
    this.resource.node.addDependency(provider.handler, ...zonePolicies);
    this.certificateArn = this.resource.ref;
    warnIfTransparencyLoggingOff(this, props.transparencyLogging);
  }

  /**
   * Sets what happens to the certificate (and its records) when it leaves the stack, like the
   * `removalPolicy` prop: the policy of the custom resource, so with `RETAIN` CloudFormation never
   * asks the handler to delete the certificate.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.resource.applyRemovalPolicy(policy);
  }

  /**
   * ACM: request in the certificate's region (DNS validation, tagged with this stack); read, tag and
   * delete in any region, only certificates tagged with this stack (the handler checks the logical ID
   * too). These statements are the same for every certificate of the stack, so removing, renaming or
   * moving one to another region never takes away what its own Delete needs.
   */
  private grantHandler(provider: SingletonProvider, region: string): void {
    // RequestCertificate has no resource type (IAM evaluates it on "*"): the region is a condition.
    provider.addToPolicy(new iam.PolicyStatement({
      actions: ['acm:RequestCertificate'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'acm:ValidationMethod': 'DNS', 'aws:RequestedRegion': region, [`aws:RequestTag/${STACK_ID_TAG}`]: Aws.STACK_ID },
      },
    }), `acm:RequestCertificate|${region}`);
    const anyRegion = `arn:${Aws.PARTITION}:acm:*:${Aws.ACCOUNT_ID}:certificate/*`;
    provider.addToPolicy(new iam.PolicyStatement({
      actions: ['acm:AddTagsToCertificate', 'acm:DeleteCertificate', 'acm:RemoveTagsFromCertificate', 'acm:UpdateCertificateOptions'],
      resources: [anyRegion],
      conditions: { StringEquals: { [`aws:ResourceTag/${STACK_ID_TAG}`]: Aws.STACK_ID } },
    }), 'acm:owned-by-stack');
    acknowledgeNag(provider.handler.role!, [wildcardResourceFinding(provider, '*')],
      'ACM\'s RequestCertificate has no resource type, so IAM needs "*"; the statement only allows DNS-validated requests in the ' +
      'certificate\'s region that tag the certificate with this stack\'s ID.');
    provider.grantWildcard(['acm:DescribeCertificate', 'acm:ListTagsForCertificate'], anyRegion,
      'The certificate\'s ARN exists only after the handler requests it, and before removing a validation record the handler reads ' +
      'the certificates of every region that may share it; changes are allowed only on certificates tagged with this stack.');
  }
}

/**
 * The policy that lets the handlers write validation records into one zone (CNAME records named
 * `_*`, UPSERT, and DELETE with `acm:ListCertificates` when records are cleaned up), or assume the
 * zone's role: one per zone, role and clean-up choice, attached to the handlers' shared role. It does
 * not depend on which certificates use it, so it never shrinks while one of them remains, and each
 * certificate's custom resource depends on it: CloudFormation deletes it after the last one's Delete.
 */
function zonePolicy(provider: SingletonProvider, zone: DnsValidationZone, cleanup: boolean): iam.Policy {
  const key = JSON.stringify(Stack.of(provider).resolve([zone.hostedZone.hostedZoneId, zone.role?.roleArn ?? '', cleanup]));
  const id = `DnsZone${hash(key)}`;
  const existing = provider.node.tryFindChild(id);
  if (existing instanceof iam.Policy) {
    return existing;
  }
  const statements = zone.role !== undefined
    ? [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [zone.role.roleArn] })]
    : [
      new iam.PolicyStatement({
        actions: ['route53:ChangeResourceRecordSets'],
        resources: [zone.hostedZone.hostedZoneArn],
        conditions: {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
            'route53:ChangeResourceRecordSetsActions': cleanup ? ['UPSERT', 'DELETE'] : ['UPSERT'],
          },
          'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_*'] },
        },
      }),
      new iam.PolicyStatement({ actions: ['route53:ListResourceRecordSets'], resources: [zone.hostedZone.hostedZoneArn] }),
    ];
  if (cleanup) {
    statements.push(new iam.PolicyStatement({ actions: ['acm:ListCertificates'], resources: ['*'] }));
  }
  const policy = new iam.Policy(provider, id, { roles: [provider.handler.role!], statements });
  acknowledgeNag(policy, NagRules.IAM_INLINE_POLICY,
    'The inline policy holds only the permissions of the cdk-pki DNS validation handler for one hosted zone; it is created with ' +
    'the first certificate of that zone and deleted after the last one, which a managed policy would not make narrower.');
  if (cleanup) {
    acknowledgeNag(policy, [wildcardResourceFinding(policy, '*')],
      'ACM has no resource-level permission for acm:ListCertificates; the handler lists certificates to find those that still use a ' +
        'validation record before it removes the record.');
  }
  return policy;
}

/** Every region of the stack's partition that aws-cdk-lib knows, with the certificate's and the stack's. */
function defaultCleanupRegions(stack: Stack, region: string): string[] {
  const known = [region, stack.region].find((r) => !Token.isUnresolved(r) && RegionInfo.get(r).partition !== undefined);
  const partition = known === undefined ? 'aws' : RegionInfo.get(known).partition;
  return [region, ...(Token.isUnresolved(stack.region) ? [] : [stack.region]),
    ...RegionInfo.regions.filter((r) => r.partition === partition && REGION_NAME.test(r.name)).map((r) => r.name).sort()]
    .filter((r, i, all) => all.indexOf(r) === i);
}

/** The resource type the certificate's tags answer to in `Tags.of(scope).add(..., { includeResourceTypes })`. */
const CERTIFICATE_TAG_TYPE = 'AWS::CertificateManager::Certificate';

/** The tags in the order the construct gave them (Name, then the tags prop), then those of Tags.of() by key. */
function renderTags(values: Record<string, string>, order: readonly string[]): Tag[] {
  const keys = [...order.filter((k) => k in values), ...Object.keys(values).filter((k) => !order.includes(k))];
  return keys.map((Key) => ({ Key, Value: values[Key] }));
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8).toUpperCase();
}

function zoneLabel(zone: route53.IHostedZone): string {
  const described = describeZone(zone);
  if (described.zoneName !== undefined) {
    return JSON.stringify(described.zoneName);
  }
  return Token.isUnresolved(zone.hostedZoneId) ? `(${zone.node.path})` : JSON.stringify(zone.hostedZoneId);
}
