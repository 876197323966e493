import { CfnOutput, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { Construct } from 'constructs';
import { throwIfProblems } from '../validation/errors';
import { validateProfile, validateRolesAnywhereName, validateRolesAnywhereTags } from '../validation/roles-anywhere';

/** How a `RolesAnywhereProfile` is configured (`RolesAnywhereTrustAnchor.addProfile`). */
export interface RolesAnywhereProfileOptions {
  /**
   * The roles a session may assume with this profile (1 to 250). Each must trust
   * `rolesanywhere.amazonaws.com`, like the roles of `RolesAnywhereTrustAnchor.addRole`.
   */
  readonly roles: iam.IRole[];

  /**
   * The profile's name: 1 to 255 letters, digits, spaces, `-` and `_`.
   *
   * @default - a name made from the construct path
   */
  readonly name?: string;

  /**
   * How long the credentials of a session are valid: 15 minutes to 12 hours, in whole seconds.
   *
   * @default Duration.hours(1)
   */
  readonly duration?: Duration;

  /**
   * Managed policies that bound every session (at most 50): a session may do only what the role
   * and these policies both allow.
   *
   * @default - none: the role's own permissions
   */
  readonly managedPolicies?: iam.IManagedPolicy[];

  /**
   * A session policy that bounds every session, like `managedPolicies`.
   *
   * @default - none
   */
  readonly sessionPolicy?: iam.PolicyDocument;

  /**
   * Whether `CreateSession` requests with this profile must include instance properties (key-value
   * attributes of the calling host).
   *
   * @default false
   */
  readonly requireInstanceProperties?: boolean;

  /**
   * Whether a caller may choose the role session name (`--role-session-name`); otherwise it is the
   * certificate's serial number.
   *
   * @default false
   */
  readonly acceptRoleSessionName?: boolean;

  /**
   * Whether the profile is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Tags of the profile (at most 200; ASCII letters, digits, spaces and `_ . : / = + @ -`).
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };

  /**
   * Add a stack output per role with the `aws_signing_helper credential-process` command line of this
   * profile, trust anchor and role.
   *
   * @default true
   */
  readonly outputCredentialProcess?: boolean;
}

/** Properties of a `RolesAnywhereProfile`. */
export interface RolesAnywhereProfileProps extends RolesAnywhereProfileOptions {
  /** The ARN of the trust anchor the profile is used with (for the command line of the outputs). */
  readonly trustAnchorArn: string;
}

/**
 * An IAM Roles Anywhere profile (`AWS::RolesAnywhere::Profile`): which roles a session from a trust
 * anchor may assume, for how long, bounded by which policies. Made by
 * `RolesAnywhereTrustAnchor.addProfile`.
 */
export class RolesAnywhereProfile extends Construct {
  /** The profile's ARN, for `aws_signing_helper --profile-arn`. */
  public readonly profileArn: string;
  /** The profile's ID. */
  public readonly profileId: string;
  /** The ARN of the trust anchor the profile is used with. */
  public readonly trustAnchorArn: string;

  constructor(scope: Construct, id: string, props: RolesAnywhereProfileProps) {
    super(scope, id);
    const name = props.name ?? Names.uniqueResourceName(this, { maxLength: 255, separator: '-', allowedSpecialCharacters: '-_' });
    throwIfProblems(this.node.path, [
      ...validateRolesAnywhereName(name, 'profile'),
      ...validateProfile({
        roleCount: props.roles.length,
        durationSeconds: props.duration?.toSeconds({ integral: false }),
        managedPolicyCount: props.managedPolicies?.length ?? 0,
      }),
      ...validateRolesAnywhereTags(props.tags),
    ]);
    const profile = new rolesanywhere.CfnProfile(this, 'Resource', {
      name,
      roleArns: props.roles.map((r) => r.roleArn),
      durationSeconds: (props.duration ?? Duration.hours(1)).toSeconds(),
      managedPolicyArns: props.managedPolicies?.map((p) => p.managedPolicyArn),
      sessionPolicy: props.sessionPolicy === undefined ? undefined : Stack.of(this).toJsonString(props.sessionPolicy),
      requireInstanceProperties: props.requireInstanceProperties,
      acceptRoleSessionName: props.acceptRoleSessionName,
      enabled: props.enabled ?? true,
      tags: props.tags === undefined ? undefined : Object.entries(props.tags).map(([key, value]) => ({ key, value })),
    });
    this.profileArn = profile.attrProfileArn;
    this.profileId = profile.attrProfileId;
    this.trustAnchorArn = props.trustAnchorArn;

    if (props.outputCredentialProcess !== false) {
      props.roles.forEach((role, i) => {
        new CfnOutput(this, props.roles.length === 1 ? 'CredentialProcess' : `CredentialProcess${i + 1}`, {
          description: `aws_signing_helper command line (credential_process) for ${Token.isUnresolved(role.roleName) ? 'the role' : role.roleName} ` +
            'with this IAM Roles Anywhere profile; put your certificate and key paths in',
          value: this.credentialProcess(role),
        });
      });
    }
  }

  /**
   * The `aws_signing_helper credential-process` command line for a role of this profile, with
   * placeholders for the certificate and key files (`credential_process` in `~/.aws/config`).
   *
   * @param role one of the profile's roles
   */
  public credentialProcess(role: iam.IRole): string {
    return 'aws_signing_helper credential-process --certificate /path/to/certificate.pem --private-key /path/to/private-key.pem ' +
      `--trust-anchor-arn ${this.trustAnchorArn} --profile-arn ${this.profileArn} --role-arn ${role.roleArn}`;
  }
}
