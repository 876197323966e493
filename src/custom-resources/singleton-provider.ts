import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** How to build one kind of singleton provider. */
export interface SingletonProviderOptions {
  /** The construct ID at the stack's root; part of the library's contract, so never change it. */
  readonly id: string;
  /** Creates the handler function (one of the generated `*Function` classes). */
  readonly createHandler: (scope: Construct, id: string) => lambda.Function;
}

/**
 * One custom-resource provider per purpose per stack: a handler Lambda behind the CDK Provider
 * framework, created by the first construct that needs it and shared by the others.
 *
 * Internal (not exported from the package index). IAM grows as constructs register the resources
 * they use, so the handler's role never has a `*` resource.
 */
export class SingletonProvider extends Construct {
  /** Returns the stack's provider with this ID, creating it on first use. */
  public static of(scope: Construct, options: SingletonProviderOptions): SingletonProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(options.id);
    if (existing instanceof SingletonProvider) {
      return existing;
    }
    if (existing !== undefined) {
      throw new Error(`${stack.node.path}/${options.id}: this construct ID is reserved for the cdk-pki custom-resource provider; rename your construct.`);
    }
    return new SingletonProvider(stack, options);
  }

  /** The handler function (also the target of schedules). */
  public readonly handler: lambda.Function;

  /** The service token for `CustomResource`. */
  public readonly serviceToken: string;

  private readonly statements = new Map<string, iam.PolicyStatement>();
  private readonly resources = new Set<string>();

  private constructor(stack: Stack, options: SingletonProviderOptions) {
    super(stack, options.id);
    this.handler = options.createHandler(this, 'Handler');
    const provider = new cr.Provider(this, 'Provider', { onEventHandler: this.handler });
    this.serviceToken = provider.serviceToken;
  }

  /**
   * Lets the handler perform `actions` on `resource`. Calls with the same actions share one
   * statement whose resource list grows; repeated resources are added once.
   */
  public grant(actions: readonly string[], resource: string): void {
    const key = [...actions].sort().join(',');
    if (this.resources.has(`${key}|${resource}`)) {
      return;
    }
    this.resources.add(`${key}|${resource}`);
    let statement = this.statements.get(key);
    if (statement === undefined) {
      statement = new iam.PolicyStatement({ actions: [...actions], resources: [resource] });
      this.statements.set(key, statement);
      this.handler.addToRolePolicy(statement);
    } else {
      statement.addResources(resource);
    }
  }
}
