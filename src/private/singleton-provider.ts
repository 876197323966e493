import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeNag, NagRules, wildcardResourceFinding } from './acknowledgements';
import { stackSingleton } from './stack-singleton';
import { StatementMerge } from './statement-merge';

/** How to build one kind of singleton provider. */
export interface SingletonProviderOptions {
  /** The construct ID at the stack's root; part of the library's contract, so never change it. */
  readonly id: string;
  /** Creates the handler function (one of the generated `*Function` classes). */
  readonly createHandler: (scope: Construct, id: string) => lambda.Function;
  /**
   * Creates the `isComplete` handler of the asynchronous pattern (the Provider framework polls it
   * until it reports completion), for operations longer than one Lambda run. It is given the
   * `onEvent` handler's role to use, so both share one role and one policy.
   * @default - synchronous: the `onEvent` handler's answer is final
   */
  readonly createCompleteHandler?: (scope: Construct, id: string, role: iam.IRole) => lambda.Function;
  /** How often `isComplete` is polled. @default Duration.seconds(5) (the framework's default) */
  readonly queryInterval?: Duration;
  /** How long the framework polls `isComplete` before failing. @default Duration.minutes(30) (the framework's default) */
  readonly totalTimeout?: Duration;
}

/**
 * One custom-resource provider per purpose per stack: a handler Lambda behind the CDK Provider
 * framework, created by the first construct that needs it and shared by the others.
 *
 * Internal (not exported from the package index). IAM grows as constructs register the resources
 * they use, so the handler's role never has a `*` resource; a wildcard inside an ARN goes through
 * `grantWildcard`, which records why for cdk-nag. The cdk-nag findings every Lambda of a provider
 * has (runtime, concurrency, DLQ, VPC, AWSLambdaBasicExecutionRole, inline policy) are acknowledged
 * here, on the function, role and framework resources this class creates.
 */
export class SingletonProvider extends Construct {
  /** Returns the stack's provider with this ID, creating it on first use. */
  public static of(scope: Construct, options: SingletonProviderOptions): SingletonProvider {
    return stackSingleton(scope, options.id, SingletonProvider, 'the cdk-pki custom-resource provider',
      (stack) => new SingletonProvider(stack, options));
  }

  /** The handler function (also the target of schedules). */
  public readonly handler: lambda.Function;

  /** The `isComplete` handler, for providers of the asynchronous pattern. */
  public readonly completeHandler?: lambda.Function;

  /** The service token for `CustomResource`. */
  public readonly serviceToken: string;

  private readonly merged: StatementMerge;
  private readonly statementKeys = new Set<string>();

  private constructor(stack: Stack, options: SingletonProviderOptions) {
    super(stack, options.id);
    this.merged = new StatementMerge(this, (statement) => this.addToPolicy(statement));
    this.handler = options.createHandler(this, 'Handler');
    this.completeHandler = options.createCompleteHandler?.(this, 'CompleteHandler', this.handler.role!);
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.handler,
      isCompleteHandler: this.completeHandler,
      queryInterval: this.completeHandler ? options.queryInterval : undefined,
      totalTimeout: this.completeHandler ? options.totalTimeout : undefined,
    });
    this.serviceToken = provider.serviceToken;
    this.acknowledgeNagFindings(provider);
  }

  /**
   * Lets the handler perform `actions` on `resource`, like `grant`, for a resource with a wildcard
   * the handler cannot do without, and acknowledges cdk-nag's AwsSolutions-IAM5 finding for it.
   *
   * @param reason why the wildcard is needed: at least one full sentence
   */
  public grantWildcard(actions: readonly string[], resource: string, reason: string): void {
    this.grant(actions, resource);
    for (const fn of [this.handler, this.completeHandler]) {
      if (fn?.role) acknowledgeNag(fn.role, [wildcardResourceFinding(this, resource)], reason);
    }
  }

  /**
   * Lets the handler perform `actions` on `resource`. Calls with the same actions share a statement
   * of up to `RESOURCES_PER_STATEMENT` ARNs, then a new one starts (`StatementMerge`); repeated
   * resources are added once.
   */
  public grant(actions: readonly string[], resource: string): void {
    this.merged.grant(actions, resource);
  }

  /**
   * Adds a statement (e.g. one with conditions) to the policy of the handlers' role.
   * With a `key`, a second statement with the same key is ignored.
   */
  public addToPolicy(statement: iam.PolicyStatement, key?: string): void {
    if (key !== undefined) {
      if (this.statementKeys.has(key)) {
        return;
      }
      this.statementKeys.add(key);
    }
    this.handler.addToRolePolicy(statement);
  }

  /** Acknowledges the cdk-nag findings every function of a provider has, with the reasons. */
  private acknowledgeNagFindings(provider: cr.Provider): void {
    const handlers = [this.handler, ...(this.completeHandler ? [this.completeHandler] : [])];
    for (const fn of handlers) {
      this.acknowledgeFunction(fn, 'the handler');
    }
    // The framework's functions (framework-onEvent, and framework-isComplete / framework-onTimeout when asynchronous).
    for (const child of provider.node.children) {
      if (!(child instanceof lambda.Function)) continue;
      this.acknowledgeFunction(child, 'the Provider framework\'s function');
      const invoked = handlers.map((h) => wildcardResourceFinding(this, `${h.functionArn}:*`));
      acknowledgeNag(child.role!, invoked,
        'The Provider framework (aws-cdk-lib) may invoke every version and alias of this provider\'s own handler functions, and nothing else.');
    }
    this.acknowledgeWaiter(provider);
  }

  /** The asynchronous pattern's Step Functions waiter, which polls `isComplete`. */
  private acknowledgeWaiter(provider: cr.Provider): void {
    const waiter = provider.node.tryFindChild('waiter-state-machine');
    if (waiter === undefined) return;
    const machine = waiter.node.tryFindChild('Resource');
    if (machine !== undefined) {
      acknowledgeNag(machine, ['AwsSolutions-SF1'],
        'The Provider framework\'s waiter only retries the isComplete function; its executions carry the custom resource\'s ' +
        'properties and are logged by the handler itself, so logging every state transition would add cost, not insight.');
      acknowledgeNag(machine, ['AwsSolutions-SF2'],
        'The waiter is a two-state retry loop of the Provider framework; X-Ray tracing would show nothing the handler\'s logs do not.');
    }
    const role = waiter.node.tryFindChild('Role');
    if (role !== undefined) {
      const invoked = provider.node.children
        .filter((c): c is lambda.Function => c instanceof lambda.Function && c.node.id !== 'framework-onEvent')
        .map((fn) => wildcardResourceFinding(this, `${fn.functionArn}:*`));
      acknowledgeNag(role, invoked,
        'The waiter (aws-cdk-lib\'s Provider framework) may invoke every version of the framework\'s own isComplete and onTimeout functions, and nothing else.');
      acknowledgeNag(role, NagRules.IAM_INLINE_POLICY,
        'The inline policy belongs to the waiter\'s role alone, is created and deleted with it, and only lets it invoke the framework\'s functions.');
    }
  }

  /** Acknowledges the findings every custom-resource function of this library has. */
  private acknowledgeFunction(fn: lambda.Function, what: string): void {
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    acknowledgeNag(cfn, NagRules.LAMBDA_LATEST_RUNTIME,
      `The runtime of ${what} is a supported Node.js version with the AWS SDK v3, chosen by this library or aws-cdk-lib; ` +
      'it moves to a newer one with a release of the library, not per stack.');
    acknowledgeNag(cfn, NagRules.LAMBDA_CONCURRENCY,
      `Only CloudFormation custom-resource events and a few scheduled or EventBridge events invoke ${what}; ` +
      'reserved concurrency would take capacity from the account\'s unreserved pool, and fails on accounts with a low concurrency limit.');
    acknowledgeNag(cfn, NagRules.LAMBDA_DLQ,
      `CloudFormation events invoke ${what} synchronously, so a failure fails the deployment and is logged; ` +
      'a dead-letter queue would only receive events that CloudFormation already reports.');
    acknowledgeNag(cfn, NagRules.LAMBDA_IN_VPC,
      `The code of ${what} calls only public AWS APIs (ACM, Private CA, Secrets Manager, S3, Route 53, Lambda) and no resource in a VPC; ` +
      'attaching it to a VPC would need NAT or interface endpoints and gain no isolation.');
    const role = fn.role!;
    acknowledgeNag(role.node.defaultChild ?? role, NagRules.IAM_LAMBDA_BASIC_EXECUTION,
      `AWSLambdaBasicExecutionRole only lets ${what} write its own CloudWatch logs.`);
    acknowledgeNag(role, NagRules.IAM_INLINE_POLICY,
      `The inline policy belongs to the role of ${what} alone, is created and deleted with it, and lists only the resources ` +
      'that the constructs of the stack registered; a managed policy would be no narrower.');
  }
}
