import { CustomResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNag, NagRules, wildcardResourceFinding } from '../private/acknowledgements';
import { SingletonProvider } from '../private/singleton-provider';

/** A statement of a custom resource's own handler policy; `wildcardReason` for a resource with a `*`. */
export interface HandlerStatement {
  readonly actions: string[];
  readonly resources: string[];
  readonly wildcardReason?: string;
}

/**
 * Gives one custom resource the permissions of its handler in an IAM policy of its own, attached to
 * the shared handler's role, and makes the custom resource depend on it (internal).
 *
 * Why not the shared role's default policy: it lists the resources of the constructs still in the
 * app, and CloudFormation updates it in the update phase, while the Delete of a removed (or renamed)
 * custom resource runs in the cleanup phase, after it. Its Delete would then be denied, and a failed
 * clean-up does not fail the stack. A policy of its own is deleted after the custom resource (the
 * dependency), so the Delete keeps the permissions it needs.
 */
export function attachOwnHandlerPolicy(scope: Construct, provider: SingletonProvider, resource: CustomResource,
  statements: HandlerStatement[]): iam.Policy {
  const policy = new iam.Policy(scope, 'HandlerPolicy', {
    roles: [provider.handler.role!],
    statements: statements.map((s) => new iam.PolicyStatement({ actions: s.actions, resources: s.resources })),
  });
  resource.node.addDependency(policy);
  acknowledgeNag(policy, NagRules.IAM_INLINE_POLICY,
    `The policy holds only the permissions the custom resource ${resource.node.path} needs, on its own resources; it is ` +
    'separate from the shared handler role\'s policy so that CloudFormation deletes it after the custom resource, whose ' +
    'Delete still needs it, and a managed policy would be no narrower.');
  for (const s of statements) {
    if (s.wildcardReason === undefined) continue;
    acknowledgeNag(policy, s.resources.map((r) => wildcardResourceFinding(scope, r)), s.wildcardReason);
  }
  return policy;
}
