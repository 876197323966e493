import { Aws, CustomResource, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CertificateBase, importCertificateArn, IPkiCertificate } from './certificate-base';
import { CertificateMaterial } from './certificate-material';
import {
  HANDLER_TAGS,
  ImportedCertificateProperties,
  OWNER_ENV,
  OWNER_TAG,
  REIMPORT_EVENT_KEY,
  ReimportInput,
} from '../handlers/imported-certificate/contract';
import { ImportedCertificateFunction } from '../handlers/imported-certificate/imported-certificate-function';
import { SingletonProvider } from '../private/singleton-provider';
import { quoteValue, throwIfProblems } from '../validation/errors';
import { certificateTags, validateTags } from '../validation/tags';

/** Properties of an `ImportedCertificate`. */
export interface ImportedCertificateProps {
  /** Where the PEM material is kept. */
  readonly material: CertificateMaterial;

  /**
   * Any string; changing it reimports the material during the next deployment, even when the handler
   * would not notice a change (for example after restoring an older secret version).
   *
   * @default - reimport only when the source or its version changed
   */
  readonly materialVersion?: string;

  /**
   * Reimport as soon as the material changes. For a secret this is an EventBridge rule on the
   * Secrets Manager API calls that write it (PutSecretValue, UpdateSecret, RotateSecret,
   * UpdateSecretVersionStage, and the RotationSucceeded event), which EventBridge receives only
   * when a CloudTrail trail logs Secrets Manager management events in the certificate's region.
   * For SSM parameters it is a rule on "Parameter Store Change" events, which need no trail.
   *
   * @default false
   */
  readonly reimportOnChange?: boolean;

  /**
   * Compares the material's current version with the one last imported on this schedule, and
   * reimports when they differ: the reconcile that heals a lost change event. Works without
   * CloudTrail, and is the safety net of `reimportOnChange`.
   *
   * @default - daily (`events.Schedule.rate(Duration.days(1))`)
   */
  readonly reimportSchedule?: events.Schedule;

  /**
   * A friendly name, recorded in the certificate's `Name` tag. Give the name either here or as
   * `tags.Name`, not both.
   *
   * @default - `tags.Name`, else the construct path (its first 255 characters)
   */
  readonly certificateName?: string;

  /**
   * Tags for the certificate (at most 47 with the `Name` tag: the handler adds `cdk-pki:imported-version`,
   * `cdk-pki:owner` and `cdk-pki:create-request`).
   * ACM takes no tags in a reimport, so the handler applies changes with AddTags/RemoveTags.
   *
   * @default - only the `Name` tag
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the certificate in ACM when it leaves the stack: `DESTROY` deletes it (the
   * material stays in Secrets Manager or SSM, so it can be imported again), `RETAIN` keeps it.
   * A certificate still in use by a load balancer or distribution cannot be deleted: the deletion
   * then fails and names the users. `applyRemovalPolicy()` does the same after construction.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A certificate imported into ACM from PEM material kept in Secrets Manager or SSM Parameter Store,
 * which CloudFormation cannot do, and reimported in place (same ARN, so every load balancer and
 * distribution keeps using it) when the material changes.
 *
 * The handler checks the material before calling ACM and fails the deployment with a message naming
 * the problem: not PEM, DER, an encrypted private key, a key that does not match, a key over 5,120
 * bytes, an algorithm ACM cannot import (it imports RSA 1024/2048/3072/4096 and EC P-256/P-384/P-521),
 * a certificate not valid now, a chain out of order or containing the certificate, and, on reimport,
 * a different key type or size. No PEM ever appears in the template, the logs or the resource's attributes.
 *
 * ACM does not renew imported certificates. Wire your own renewal to `onApproachingExpiration`
 * (ACM sends it daily from 45 days before expiry): write the renewed material to the secret or the
 * parameters, and `reimportOnChange` or `reimportSchedule` reimports it.
 *
 * The handler tags each certificate it imports with `cdk-pki:owner` (the stack ID). Its IAM policy
 * lets it create only certificates carrying that tag (`aws:RequestTag`) and reimport over, tag or
 * delete only certificates that carry it (`aws:ResourceTag`); the handler itself refuses any other
 * certificate, whatever ARN an invocation names. These permissions do not depend on which
 * `ImportedCertificate`s the stack holds, so removing or renaming one never takes away the
 * permission its own Delete needs. A certificate imported by an earlier cdk-pki version needs the
 * tag added once (the error says how).
 */
export class ImportedCertificate extends CertificateBase {
  /** The CloudFormation type of the custom resource. */
  public static readonly RESOURCE_TYPE = 'Custom::CdkPkiImportedCertificate';

  /**
   * Refers to an existing ACM certificate by ARN, such as one imported outside this app; nothing is
   * imported or reimported. A concrete ARN is checked for shape
   * (`arn:<partition>:acm:<region>:<account>:certificate/<uuid>`); metrics and event rules of the
   * returned certificate use the ARN's region. Same as `PublicCertificate.fromCertificateArn`.
   */
  public static fromCertificateArn(scope: Construct, id: string, certificateArn: string): IPkiCertificate {
    return importCertificateArn(scope, id, certificateArn);
  }

  public readonly certificateArn: string;

  /** The version of the material last imported during a deployment (a secret's VersionId, or `ssm-<versions>`). */
  public readonly importedVersionId: string;

  /** The ACM key algorithm of the imported certificate, such as `RSA_2048` (known after deployment). */
  public readonly keyAlgorithmName: string;

  /** The rule that reimports on changes, when `reimportOnChange` is set. */
  public readonly reimportRule?: events.Rule;

  /** The rule that checks the material on a schedule (`reimportSchedule`, daily by default) and reimports when it changed. */
  public readonly reimportScheduleRule: events.Rule;

  /** Imported certificates can never be exported from ACM. */
  protected readonly exportable?: boolean = false;

  /** What the handler does with the certificate on Delete (the `removalPolicy` prop, or `applyRemovalPolicy()`). */
  private removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: ImportedCertificateProps) {
    super(scope, id);
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    const { tags, problems: nameTagProblems } = certificateTags(this.node.path, props.certificateName, props.tags);

    const problems = [...props.material._validate(), ...nameTagProblems, ...validateTags(tags, { maxTags: 47 })];
    for (const reserved of HANDLER_TAGS) {
      if (reserved in tags) {
        problems.push(`tag key ${quoteValue(reserved)} is reserved: the handler sets it (material version, owning stack, creating request); ` +
          'use another key.');
      }
    }
    problems.push(...removalPolicyProblems(this.removalPolicy));
    throwIfProblems(this.node.path, problems);

    const provider = SingletonProvider.of(this, {
      id: 'CdkPkiImportedCertificateProvider',
      createHandler: (s, i) => new ImportedCertificateFunction(s, i, {
        timeout: Duration.minutes(2),
        description: 'cdk-pki: imports certificates into ACM from Secrets Manager or SSM',
      }),
    });
    grantOwnedCertificates(provider);
    const source = props.material._bind(provider.handler);

    const properties: ImportedCertificateProperties = {
      Source: source,
      MaterialVersion: props.materialVersion ?? '',
      Tags: Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)).map(([Key, Value]) => ({ Key, Value })),
      // Lazy, so that applyRemovalPolicy() after construction still decides.
      RemovalPolicy: Lazy.string({ produce: () => (this.removalPolicy === RemovalPolicy.RETAIN ? 'retain' : 'destroy') }) as 'retain' | 'destroy',
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: ImportedCertificate.RESOURCE_TYPE,
      properties,
    });
    // The resource itself is always deleted by CloudFormation; the handler keeps or deletes the certificate.
    this.certificateArn = resource.ref;
    this.importedVersionId = resource.getAttString('ImportedVersionId');
    this.keyAlgorithmName = resource.getAttString('KeyAlgorithm');

    const input = (trigger: string) => {
      const reimport: ReimportInput = { CertificateArn: this.certificateArn, Source: source, Trigger: trigger };
      return events.RuleTargetInput.fromObject({ [REIMPORT_EVENT_KEY]: reimport });
    };
    if (props.reimportOnChange) {
      this.reimportRule = new events.Rule(this, 'ReimportOnChange', {
        description: `cdk-pki: reimports ${this.node.path} when its material changes`.slice(0, 512),
        eventPattern: this.changePattern(props.material),
        targets: [new targets.LambdaFunction(provider.handler, { event: input('Change') })],
      });
    }
    this.reimportScheduleRule = new events.Rule(this, 'ReimportSchedule', {
      description: `cdk-pki: reimports ${this.node.path} when its material has a new version`.slice(0, 512),
      schedule: props.reimportSchedule ?? events.Schedule.rate(Duration.days(1)),
      targets: [new targets.LambdaFunction(provider.handler, { event: input('Schedule') })],
    });
  }

  /**
   * What happens to the certificate in ACM when it leaves the stack, like the `removalPolicy` prop:
   * `DESTROY` deletes it, `RETAIN` keeps it. The custom resource itself is always deleted; its
   * handler keeps or deletes the certificate.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    throwIfProblems(this.node.path, removalPolicyProblems(policy));
    this.removalPolicy = policy;
  }

  private changePattern(material: CertificateMaterial): events.EventPattern {
    if (material.secret) {
      const secret = material.secret;
      const ids = [...new Set([secret.secretArn, secret.secretFullArn, secret.secretName].filter((v): v is string => v !== undefined))];
      return {
        source: ['aws.secretsmanager'],
        detailType: ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'],
        detail: {
          $or: [
            {
              eventName: ['PutSecretValue', 'UpdateSecret', 'RotateSecret', 'UpdateSecretVersionStage'],
              requestParameters: { secretId: ids },
            },
            { eventName: ['RotationSucceeded'], additionalEventData: { SecretId: ids } },
          ],
        },
      };
    }
    const p = material.parameters!;
    return {
      source: ['aws.ssm'],
      detailType: ['Parameter Store Change'],
      detail: {
        name: [p.certificate, p.privateKey, ...(p.chain ? [p.chain] : [])].map((param) => param.parameterName),
        operation: ['Create', 'Update'],
      },
    };
  }
}

/**
 * The handler's ACM permissions, once per provider: the same statements whatever the stack holds
 * (so a removed certificate's Delete keeps them), conditioned on the owner tag.
 */
function grantOwnedCertificates(provider: SingletonProvider): void {
  if (provider.node.tryFindChild('OwnedCertificates') !== undefined) return;
  new Construct(provider, 'OwnedCertificates');
  provider.handler.addEnvironment(OWNER_ENV, Aws.STACK_ID);
  const stack = Stack.of(provider);
  const certificates = stack.formatArn({ service: 'acm', resource: 'certificate', resourceName: '*' });
  const reason = 'ImportCertificate creates a certificate whose ARN does not exist before the call, and the handler finds ' +
    'the certificates of this stack by their owner tag: the ACM actions cover the certificates of this account and region, ' +
    `and every action that changes one is conditioned on the tag ${OWNER_TAG} holding this stack's ID.`;
  provider.grantWildcard(['acm:DescribeCertificate', 'acm:ListTagsForCertificate'], certificates, reason);
  provider.grantWildcard(['acm:ListCertificates'], '*', 'ListCertificates has no resource-level permissions; the handler lists ' +
    'imported certificates to find the one an earlier delivery of the same CloudFormation Create imported.');
  // A new certificate: it must carry this stack's owner tag (ImportCertificate with tags also authorizes AddTagsToCertificate).
  provider.addToPolicy(new iam.PolicyStatement({
    actions: ['acm:ImportCertificate', 'acm:AddTagsToCertificate'],
    resources: [certificates],
    conditions: {
      StringEquals: { [`aws:RequestTag/${OWNER_TAG}`]: Aws.STACK_ID },
      Null: { [`aws:ResourceTag/${OWNER_TAG}`]: 'true' },
    },
  }));
  // A certificate this stack imported: reimport, tag, untag, delete.
  provider.addToPolicy(new iam.PolicyStatement({
    actions: ['acm:ImportCertificate', 'acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate', 'acm:DeleteCertificate'],
    resources: [certificates],
    conditions: { StringEquals: { [`aws:ResourceTag/${OWNER_TAG}`]: Aws.STACK_ID } },
  }));
}

/** An ImportedCertificate can only delete or keep its certificate. */
function removalPolicyProblems(policy: RemovalPolicy): string[] {
  if (policy === RemovalPolicy.DESTROY || policy === RemovalPolicy.RETAIN) return [];
  return [`removalPolicy ${quoteValue(policy)} is not supported: use RemovalPolicy.DESTROY (delete the certificate) ` +
    'or RemovalPolicy.RETAIN (keep it in ACM).'];
}
