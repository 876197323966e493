import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * ARNs per merged statement: by CDK's size estimate (150 characters per ARN), two such statements
 * fill a 6,000-character overflow managed policy and three the 10,000-character inline policy.
 */
export const RESOURCES_PER_STATEMENT = 19;

/**
 * Merges grants of the same actions into shared IAM statements (internal): calls with the same
 * actions (in any order) add their resource to one statement until it holds
 * `RESOURCES_PER_STATEMENT` ARNs, then a new statement starts. CDK moves whole statements into
 * overflow managed policies (6,000 characters by its estimate of 150 per ARN), so an unbounded
 * statement could fit in no policy. A resource already granted the same actions is added once
 * (compared resolved, so two tokens for the same ARN count as one).
 */
export class StatementMerge {
  private readonly open = new Map<string, { readonly statement: iam.PolicyStatement; size: number }>();
  private readonly granted = new Set<string>();

  /**
   * @param scope any construct of the stack the statements go to (resolves resources to compare them)
   * @param addStatement adds a new statement to the policy; later resources are added to it in place
   */
  constructor(private readonly scope: IConstruct, private readonly addStatement: (statement: iam.PolicyStatement) => void) {}

  /**
   * Allows `actions` on `resource`, in an open statement of the same actions or a new one.
   *
   * @returns false when the resource was already granted these actions (nothing changed)
   */
  public grant(actions: readonly string[], resource: string): boolean {
    const key = [...actions].sort().join(',');
    const resourceKey = `${key}|${JSON.stringify(Stack.of(this.scope).resolve(resource))}`;
    if (this.granted.has(resourceKey)) return false;
    this.granted.add(resourceKey);
    const current = this.open.get(key);
    if (current !== undefined && current.size < RESOURCES_PER_STATEMENT) {
      current.statement.addResources(resource);
      current.size++;
      return true;
    }
    const statement = new iam.PolicyStatement({ actions: [...actions], resources: [resource] });
    this.open.set(key, { statement, size: 1 });
    this.addStatement(statement);
    return true;
  }
}
