import { createHash } from 'crypto';
import { allowedContextKeysForRequest, runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

/**
 * Before/after template analysis: "removing or renaming a construct must not remove the permission
 * its own Delete needs" (issue 13, item 2), with an offline IAM simulator (@cloud-copilot/iam-simulate).
 *
 * The model. On a stack update CloudFormation first creates and updates resources (update phase: a
 * shared role's policies take their AFTER form), then deletes the resources the new template no
 * longer has (cleanup phase), in reverse dependency order of the BEFORE template. So when the Delete
 * of a removed custom resource X runs, its handler's role has:
 * - the policies of the AFTER template attached to it (AWS::IAM::Policy, AWS::IAM::RolePolicy,
 *   AWS::IAM::ManagedPolicy, the role's inline `Policies`), plus
 * - the removed policies X depends on in the BEFORE template (DependsOn, Ref, Fn::GetAtt, Fn::Sub,
 *   transitively): CloudFormation deletes them after X. A removed policy X does not depend on may be
 *   gone already, so it does not count. AWS managed policies (ManagedPolicyArns strings) are ignored.
 * A custom resource still in the after template is treated as replaced: only the after policies count.
 *
 * Intrinsics are resolved with a fixed environment (account 123456789012, region us-east-1,
 * partition aws unless given) and deterministic physical IDs derived from the logical ID, so the
 * same logical ID gets the same ARN before and after (see `resolveIntrinsics`).
 *
 * Usage:
 *   const [removed] = removedCustomResources(before, after);
 *   const v = await deleteAllowed({ before, after, logicalId: removed, actions: ['acm-pca:DeletePolicy'],
 *     resources: [before.Resources[removed].Properties.CertificateAuthorityArn] });
 *   expect(v.denied).toEqual([]);
 *   expect(await simulate({ statements, action: 'kms:Decrypt', resource: keyArn, context: { 'kms:ViaService': ... } })).toBe('Allowed');
 */

/** A CloudFormation template (JSON), or anything with `toJSON()` returning one (an assertions `Template`). */
export type TemplateLike = { Resources?: Record<string, any> } | { toJSON(): any };

/** The environment intrinsics resolve in. */
export interface ResolveEnv {
  /** @default '123456789012' */
  readonly account?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default 'Stack' */
  readonly stackName?: string;
  /** Values of Ref (key `Ref`) and Fn::GetAtt (key: attribute) per logical ID, over the defaults. */
  readonly refs?: Record<string, Record<string, string>>;
}

/** An IAM policy attached to the handler's role when the Delete runs. */
export interface InForcePolicy {
  /** `<template>:<logical ID>[/<inline policy name>]`, e.g. `before:Policy1HandlerPolicyDDD1A0BE`. */
  readonly name: string;
  readonly from: 'after' | 'before';
  /** The policy document, intrinsics resolved. */
  readonly document: { Version?: string; Statement: any[] };
}

/** What the IAM simulator decides for one request. */
export type SimulationResult = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

const NO_VALUE = Symbol('AWS::NoValue');

function json(t: TemplateLike): { Resources: Record<string, any>; Parameters?: any; Conditions?: any; Mappings?: any } {
  const raw = typeof (t as any).toJSON === 'function' ? (t as any).toJSON() : t;
  return { ...raw, Resources: raw.Resources ?? {} };
}

function isCustomResource(r: any): boolean {
  return typeof r?.Type === 'string' && (r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource');
}

/** The logical IDs of the custom resources of `before` that `after` no longer has (removed or renamed). */
export function removedCustomResources(before: TemplateLike, after: TemplateLike): string[] {
  const b = json(before).Resources;
  const a = json(after).Resources;
  return Object.keys(b).filter((id) => isCustomResource(b[id]) && !(id in a)).sort();
}

/** The logical IDs a value references (Ref, Fn::GetAtt, Fn::Sub), pseudo parameters and parameters included. */
export function referencesIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => referencesIn(v, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string') {
        out.add(v);
      } else if (k === 'Fn::GetAtt') {
        out.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]);
      } else if (k === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        for (const m of String(text).matchAll(/\$\{([^!}][^}]*)\}/g)) out.add(m[1].split('.')[0]);
        if (Array.isArray(v)) referencesIn(v[1], out);
      } else {
        referencesIn(v, out);
      }
    }
  }
  return out;
}

/** Everything `logicalId` depends on in `template`, transitively (DependsOn and references). */
export function dependenciesOf(template: TemplateLike, logicalId: string): Set<string> {
  const resources = json(template).Resources;
  const seen = new Set<string>();
  const visit = (id: string) => {
    const r = resources[id];
    if (r === undefined) return;
    const direct = new Set<string>([...[r.DependsOn ?? []].flat(), ...referencesIn(r.Properties)]);
    for (const d of direct) {
      if (d in resources && !seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(logicalId);
  return seen;
}

function logicalIdOf(value: any): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att)) return String(att[0]);
  if (typeof att === 'string') return att.split('.')[0];
  return undefined;
}

/**
 * The roles (logical IDs) of the functions that run a custom resource's events: behind a Provider
 * framework ServiceToken, the user onEvent (then isComplete) function's role; otherwise the role of
 * the ServiceToken's function.
 */
export function handlerRoles(template: TemplateLike, customResourceId: string): string[] {
  const resources = json(template).Resources;
  const cr = resources[customResourceId];
  if (!isCustomResource(cr)) throw new Error(`${customResourceId} is not a custom resource of the template`);
  const fnId = logicalIdOf(cr.Properties?.ServiceToken);
  const fn = fnId === undefined ? undefined : resources[fnId];
  if (fn?.Type !== 'AWS::Lambda::Function') {
    throw new Error(`the ServiceToken of ${customResourceId} is not a function of the template: ${JSON.stringify(cr.Properties?.ServiceToken)}`);
  }
  const vars = fn.Properties?.Environment?.Variables ?? {};
  const users = ['USER_ON_EVENT_FUNCTION_ARN', 'USER_IS_COMPLETE_FUNCTION_ARN'].map((k) => logicalIdOf(vars[k])).filter((id): id is string => id !== undefined);
  const roles = (users.length > 0 ? users : [fnId!]).map((id) => logicalIdOf(resources[id]?.Properties?.Role));
  return [...new Set(roles.filter((id): id is string => id !== undefined && resources[id]?.Type === 'AWS::IAM::Role'))];
}

function refersTo(list: unknown, logicalId: string): boolean {
  return [list ?? []].flat().some((v) => logicalIdOf(v) === logicalId);
}

/** The policies of `template` attached to role `roleId`, unresolved, with their logical IDs. */
function attachedPolicies(template: ReturnType<typeof json>, roleId: string): Array<{ id: string; name: string; document: any }> {
  const out: Array<{ id: string; name: string; document: any }> = [];
  const role = template.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') return out;
  for (const p of role.Properties?.Policies ?? []) {
    out.push({ id: roleId, name: `${roleId}/${p.PolicyName}`, document: p.PolicyDocument });
  }
  const managedRefs = [role.Properties?.ManagedPolicyArns ?? []].flat().map(logicalIdOf);
  for (const [id, r] of Object.entries<any>(template.Resources)) {
    const attached = (r.Type === 'AWS::IAM::Policy' && refersTo(r.Properties?.Roles, roleId))
      || (r.Type === 'AWS::IAM::RolePolicy' && refersTo(r.Properties?.RoleName, roleId))
      || (r.Type === 'AWS::IAM::ManagedPolicy' && (refersTo(r.Properties?.Roles, roleId) || managedRefs.includes(id)));
    if (attached) out.push({ id, name: id, document: r.Properties?.PolicyDocument });
  }
  return out;
}

/**
 * The IAM policies in force for role `roleLogicalId` (default: the first handler role of the custom
 * resource) when CloudFormation runs the Delete of `logicalId` (see the top of this file).
 */
export function policiesInForceAtDelete(before: TemplateLike, after: TemplateLike, logicalId: string, roleLogicalId?: string,
  env: ResolveEnv = {}): InForcePolicy[] {
  const b = json(before);
  const a = json(after);
  if (!isCustomResource(b.Resources[logicalId])) throw new Error(`${logicalId} is not a custom resource of the before template`);
  const role = roleLogicalId ?? handlerRoles(b, logicalId)[0];
  if (role === undefined) throw new Error(`no handler role found for ${logicalId}`);
  const inForce: InForcePolicy[] = attachedPolicies(a, role).map((p) => ({
    name: `after:${p.name}`, from: 'after', document: resolveIntrinsics(a, p.document, env),
  }));
  if (logicalId in a.Resources) return inForce;
  const deps = dependenciesOf(b, logicalId);
  for (const p of attachedPolicies(b, role)) {
    // Removed, and deleted after the custom resource; a removed role's inline policies go with it.
    if (!(p.id in a.Resources) && deps.has(p.id)) {
      inForce.push({ name: `before:${p.name}`, from: 'before', document: resolveIntrinsics(b, p.document, env) });
    }
  }
  return inForce;
}

/** The verdict of `deleteAllowed`. */
export interface DeleteVerdict {
  readonly allowed: boolean;
  /** Each denied request: role (logical ID), action, resource and the simulator's decision. */
  readonly denied: Array<{ readonly role: string; readonly action: string; readonly resource: string; readonly result: SimulationResult }>;
  /** The policies in force, per role. */
  readonly policies: Record<string, InForcePolicy[]>;
}

/**
 * Whether the IAM in force at the Delete of `logicalId` (see `policiesInForceAtDelete`) allows every
 * action on every resource, for each handler role (or `roleLogicalId`). Resources may hold intrinsics
 * (e.g. the custom resource's own properties): they resolve against the before template.
 */
export async function deleteAllowed(o: {
  before: TemplateLike;
  after: TemplateLike;
  logicalId: string;
  actions: readonly string[];
  resources: readonly unknown[];
  context?: Record<string, string | string[]>;
  roleLogicalId?: string;
  env?: ResolveEnv;
}): Promise<DeleteVerdict> {
  const b = json(o.before);
  const env = o.env ?? {};
  const roles = o.roleLogicalId === undefined ? handlerRoles(b, o.logicalId) : [o.roleLogicalId];
  if (roles.length === 0) throw new Error(`no handler role found for ${o.logicalId}`);
  const denied: Array<DeleteVerdict['denied'][number]> = [];
  const policies: Record<string, InForcePolicy[]> = {};
  for (const role of roles) {
    policies[role] = policiesInForceAtDelete(o.before, o.after, o.logicalId, role, env);
    const principal = resolveIntrinsics(b, { 'Fn::GetAtt': [role, 'Arn'] }, env);
    for (const action of o.actions) {
      for (const raw of o.resources) {
        const resource = String(resolveIntrinsics(b, raw, env));
        const result = await simulate({
          policies: policies[role].map((p) => ({ name: p.name, document: p.document })), action, resource, context: o.context, principal,
        });
        if (result !== 'Allowed') denied.push({ role, action, resource, result });
      }
    }
  }
  return { allowed: denied.length === 0, denied, policies };
}

/** A request to the IAM simulator: the identity policies of a principal, and one action on one resource. */
export interface SimulateRequest {
  /** The statements of one identity policy (or give `policies`). */
  readonly statements?: readonly any[];
  readonly policies?: ReadonlyArray<{ readonly name: string; readonly document: any }>;
  readonly action: string;
  readonly resource: string;
  /**
   * Request context keys, e.g. `aws:ResourceTag/cdk-pki:owner`, `aws:RequestTag/...`, `aws:TagKeys`,
   * `kms:ViaService`, `kms:EncryptionContext:SecretARN`, `acm-pca:TemplateArn`. A key that does not
   * apply to the action is an error (the simulator would silently ignore it).
   */
  readonly context?: Record<string, string | string[]>;
  /** A resource policy. @default for `kms:` actions the default key policy (the account decides through IAM) */
  readonly resourcePolicy?: any;
  /** @default 'arn:aws:iam::123456789012:role/handler' */
  readonly principal?: string;
}

function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return /^\d{12}$/.test(account ?? '') ? account : undefined;
}

/** Evaluates one request with @cloud-copilot/iam-simulate (see `SimulateRequest`). */
export async function simulate(req: SimulateRequest): Promise<SimulationResult> {
  const principal = req.principal ?? 'arn:aws:iam::123456789012:role/handler';
  const principalAccount = accountOf(principal) ?? '123456789012';
  const resourceAccount = accountOf(req.resource) ?? principalAccount;
  const partition = principal.split(':')[1] || 'aws';
  const policies = req.policies ?? [{ name: 'policy', document: { Version: '2012-10-17', Statement: req.statements ?? [] } }];
  const resourcePolicy = req.resourcePolicy ?? (req.action.toLowerCase().startsWith('kms:') ? {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${resourceAccount}:root` }, Action: 'kms:*', Resource: '*' }],
  } : undefined);
  const context = req.context ?? {};
  const simulation: Simulation = {
    request: { principal, action: req.action, resource: { resource: req.resource, accountId: resourceAccount }, contextVariables: context },
    identityPolicies: policies.map((p) => ({ name: p.name, policy: { Version: '2012-10-17', ...p.document } })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy === undefined ? {} : { resourcePolicy }),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(`the IAM simulator refused ${req.action} on ${req.resource}: ${JSON.stringify(result.errors)}`);
  }
  const ignored = result.resultType === 'single' ? result.result.ignoredContextKeys ?? [] : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  if (ignored.length === 0) return result.overallResult;
  // iam-simulate only knows `prefix/${var}` keys: `kms:EncryptionContext:${key}` gets dropped. Such
  // keys are evaluated by its unvalidated engine (the inputs were validated just above).
  const [service, action] = req.action.split(':');
  const allowed = await allowedContextKeysForRequest(service, action, req.resource, false, undefined).catch(() => [] as string[]);
  const variablePrefixes = allowed.filter((k) => k.includes('${')).map((k) => k.slice(0, k.indexOf('${'))).filter((p) => p.endsWith(':'));
  const unknown = [...new Set(ignored)].filter((k) => !variablePrefixes.some((p) => k.toLowerCase().startsWith(p)));
  if (unknown.length > 0) {
    throw new Error(`context key(s) ${unknown.join(', ')} do not apply to ${req.action} on ${req.resource}: the simulator would ignore them`);
  }
  return runUnsafeSimulation({
    ...simulation,
    // The unvalidated engine needs a named, pre-validated policy object for the resource policy.
    ...(resourcePolicy === undefined ? {} : { resourcePolicy: { __validated: true, errors: [], metadata: { name: 'ResourcePolicy' }, policyDocument: resourcePolicy } }),
  }, {});
}

// ---------------------------------------------------------------------------------------------------
// Intrinsic functions

/** A stable hex string for a logical ID. */
function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Resolves the intrinsic functions of `value` in `template`: Ref, Fn::GetAtt, Fn::Join, Fn::Sub,
 * Fn::Select, Fn::Split, Fn::If (Fn::Equals/Not/And/Or conditions), Fn::FindInMap, Fn::ImportValue,
 * Fn::GetAZs, Fn::Base64, Fn::ToJsonString, pseudo parameters and AWS::NoValue. Physical IDs of
 * resources are made from their logical IDs; ARNs for the known types (ACM and ACM PCA certificates,
 * Private CAs and activations, Secrets Manager secrets, KMS keys, IAM roles and policies, Lambda,
 * S3, SNS, SQS, Events, Step Functions, Logs, Route 53 zones) and the library's custom resources
 * whose Ref is an ARN. An unknown function is an error.
 */
export function resolveIntrinsics(template: TemplateLike, value: unknown, env: ResolveEnv = {}): any {
  const t = json(template);
  const e = { account: env.account ?? '123456789012', region: env.region ?? 'us-east-1', partition: env.partition ?? 'aws', stackName: env.stackName ?? 'Stack' };
  const arn = (service: string, rest: string, region = e.region, account = e.account) => `arn:${e.partition}:${service}:${region}:${account}:${rest}`;
  const nameOf = (id: string, explicit: unknown, max = 64) => (typeof explicit === 'string' ? explicit : `${e.stackName}-${id}-${hex(id, 12).toUpperCase()}`.slice(0, max));

  const attribute = (id: string, attr: string): string => {
    const override = env.refs?.[id]?.[attr];
    if (override !== undefined) return override;
    const r = t.Resources[id];
    if (r === undefined) {
      if (attr !== 'Ref') throw new Error(`Fn::GetAtt of ${id}.${attr}: no such resource`);
      return ref(id);
    }
    const p = r.Properties ?? {};
    const name = (key?: string, max?: number) => nameOf(id, key === undefined ? undefined : resolve(p[key]), max);
    const region = () => String(resolve(p.Region ?? e.region));
    switch (r.Type) {
      case 'AWS::ACMPCA::CertificateAuthority':
        return attr === 'Ref' || attr === 'Arn' ? arn('acm-pca', `certificate-authority/${uuid(id)}`)
          : attr === 'CertificateSigningRequest' ? `-----BEGIN CERTIFICATE REQUEST-----${id}` : `${id}.${attr}`;
      case 'AWS::ACMPCA::CertificateAuthorityActivation':
        return attr === 'Ref' || attr === 'CertificateAuthorityArn' ? String(resolve(p.CertificateAuthorityArn)) : `${id}.${attr}`;
      case 'AWS::ACMPCA::Certificate':
        return attr === 'Ref' || attr === 'Arn' ? `${resolve(p.CertificateAuthorityArn)}/certificate/${hex(id, 32)}`
          : attr === 'Certificate' ? `-----BEGIN CERTIFICATE-----${id}` : `${id}.${attr}`;
      case 'AWS::CertificateManager::Certificate':
        return arn('acm', `certificate/${uuid(id)}`);
      case 'Custom::CdkPkiDnsValidatedCertificate':
        return attr === 'Ref' || attr === 'CertificateArn' ? arn('acm', `certificate/${uuid(id)}`, region()) : `${id}.${attr}`;
      case 'Custom::CdkPkiImportedCertificate':
        return attr === 'Ref' ? arn('acm', `certificate/${uuid(id)}`) : `${id}.${attr}`;
      case 'Custom::CdkPkiCaPolicy':
        return attr === 'Ref' ? String(resolve(p.CertificateAuthorityArn)) : `${id}.${attr}`;
      case 'Custom::CdkPkiCertificateExport':
        return attr === 'Ref' ? String(resolve(p.CertificateArn)) : `${id}.${attr}`;
      case 'AWS::SecretsManager::Secret':
        return attr === 'Ref' || attr === 'Id' ? arn('secretsmanager', `secret:${name('Name', 500)}-${hex(id, 6)}`) : `${id}.${attr}`;
      case 'AWS::KMS::Key':
        return attr === 'Arn' ? arn('kms', `key/${uuid(id)}`) : uuid(id);
      case 'AWS::KMS::Alias':
        return String(resolve(p.AliasName));
      case 'AWS::IAM::Role':
        return attr === 'Arn' ? `arn:${e.partition}:iam::${e.account}:role${p.Path ?? '/'}${name('RoleName')}`
          : attr === 'RoleId' ? `AROA${hex(id, 17).toUpperCase()}` : name('RoleName');
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${e.partition}:iam::${e.account}:policy${p.Path ?? '/'}${name('ManagedPolicyName', 128)}`;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::RolePolicy':
        return name('PolicyName', 128);
      case 'AWS::Lambda::Function':
        return attr === 'Arn' ? arn('lambda', `function:${name('FunctionName')}`) : name('FunctionName');
      case 'AWS::S3::Bucket': {
        const bucket = name('BucketName').toLowerCase();
        return attr === 'Arn' ? `arn:${e.partition}:s3:::${bucket}` : attr === 'DomainName' ? `${bucket}.s3.amazonaws.com` : bucket;
      }
      case 'AWS::SNS::Topic':
        return attr === 'TopicName' ? name('TopicName', 256) : arn('sns', name('TopicName', 256));
      case 'AWS::SQS::Queue':
        return attr === 'Arn' ? arn('sqs', name('QueueName', 80)) : attr === 'QueueName' ? name('QueueName', 80)
          : `https://sqs.${e.region}.amazonaws.com/${e.account}/${name('QueueName', 80)}`;
      case 'AWS::Events::Rule':
        return attr === 'Arn' ? arn('events', `rule/${name('Name')}`) : name('Name');
      case 'AWS::StepFunctions::StateMachine':
        return attr === 'Name' ? name('StateMachineName', 80) : arn('states', `stateMachine:${name('StateMachineName', 80)}`);
      case 'AWS::Logs::LogGroup':
        return attr === 'Arn' ? arn('logs', `log-group:${name('LogGroupName', 512)}:*`) : name('LogGroupName', 512);
      case 'AWS::Route53::HostedZone':
        return attr === 'NameServers' ? 'ns-1.awsdns-01.org' : `Z${hex(id, 20).toUpperCase()}`;
      default:
        return attr === 'Ref' ? `${id}-physical-id` : `${id}.${attr}`;
    }
  };

  const ref = (name: string): any => {
    const pseudo: Record<string, unknown> = {
      'AWS::AccountId': e.account,
      'AWS::Region': e.region,
      'AWS::Partition': e.partition,
      'AWS::URLSuffix': e.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
      'AWS::StackName': e.stackName,
      'AWS::StackId': arn('cloudformation', `stack/${e.stackName}/${uuid(e.stackName)}`),
      'AWS::NoValue': NO_VALUE,
      'AWS::NotificationARNs': [],
    };
    if (name in pseudo) return pseudo[name];
    if (name in t.Resources) return attribute(name, 'Ref');
    const param = t.Parameters?.[name];
    if (param !== undefined) return param.Default ?? `${name}-parameter`;
    throw new Error(`Ref to ${name}: no such resource, parameter or pseudo parameter`);
  };

  const condition = (c: unknown): boolean => {
    if (typeof c === 'string') {
      if (t.Conditions?.[c] === undefined) throw new Error(`no condition ${c} in the template`);
      return condition(t.Conditions[c]);
    }
    const [fn, args] = Object.entries(c as object)[0] as [string, any];
    switch (fn) {
      case 'Fn::Equals': return JSON.stringify(resolve(args[0])) === JSON.stringify(resolve(args[1]));
      case 'Fn::Not': return !condition(args[0]);
      case 'Fn::And': return args.every(condition);
      case 'Fn::Or': return args.some(condition);
      case 'Condition': return condition(args);
      default: throw new Error(`cannot evaluate condition ${fn}`);
    }
  };

  const sub = (text: string, vars: Record<string, unknown>): string => text.replace(/\$\{([^}]*)\}/g, (_m, expr: string) => {
    if (expr.startsWith('!')) return `\${${expr.slice(1)}}`;
    if (expr in vars) return String(resolve(vars[expr]));
    const [id, ...attr] = expr.split('.');
    return String(attr.length === 0 ? ref(id) : attribute(id, attr.join('.')));
  });

  const resolve = (v: unknown): any => {
    if (Array.isArray(v)) return v.map(resolve).filter((x) => x !== NO_VALUE);
    if (typeof v !== 'object' || v === null) return v;
    const keys = Object.keys(v);
    const o = v as Record<string, any>;
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      const args = o[keys[0]];
      switch (keys[0]) {
        case 'Ref': return ref(args);
        case 'Fn::GetAtt': {
          const [id, ...attr] = Array.isArray(args) ? args.map(String) : String(args).split('.');
          return attribute(id, attr.join('.'));
        }
        case 'Fn::Join': return (resolve(args[1]) as unknown[]).map(String).join(args[0]);
        case 'Fn::Sub': return Array.isArray(args) ? sub(args[0], args[1] ?? {}) : sub(args, {});
        case 'Fn::Select': return resolve(args[1])[Number(resolve(args[0]))];
        case 'Fn::Split': return String(resolve(args[1])).split(args[0]);
        case 'Fn::If': return resolve(condition(args[0]) ? args[1] : args[2]);
        case 'Fn::FindInMap': {
          const [map, k1, k2] = resolve(args);
          return t.Mappings?.[map]?.[k1]?.[k2];
        }
        case 'Fn::ImportValue': return `imported:${resolve(args)}`;
        case 'Fn::GetAZs': return ['a', 'b', 'c'].map((z) => `${e.region}${z}`);
        case 'Fn::Base64': return resolve(args);
        case 'Fn::ToJsonString': return JSON.stringify(resolve(args));
        default: throw new Error(`cannot resolve ${keys[0]} in ${JSON.stringify(v)}`);
      }
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]).filter(([, x]) => x !== NO_VALUE));
  };
  return resolve(value);
}
