import type { SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { functionPolicy, lambdaPermissions } from "../events/events-view";
import { bucketPolicies, functions, identityPolicies, ModelError, roles, type PolicyDocument } from "../model-view";
import type { ProgramModel } from "../program-model";
import type { PolicySource } from "./authorizer";

/**
 * The policies of a program model, indexed for the authorizer: identity policies by role name
 * (RolePolicy, inline and customer-managed), and bucket policies as the resource policy of the bucket
 * and of every object in it. The IAM API adds and removes role policies while the sandbox runs
 * (setRolePolicy, removeRolePolicy); each change is told to `onChange` listeners (the authorizer's cache).
 */
export class ModelPolicyStore implements PolicySource {
  /** role name -> policy key (its name, or a managed policy's ARN) -> policy. */
  private readonly byRole = new Map<string, Map<string, SimulationIdentityPolicy>>();
  private readonly byBucket = new Map<string, PolicyDocument>();
  /** Function ARN -> its resource-based policy (the program's aws.lambda.Permission statements). */
  private readonly byFunction = new Map<string, PolicyDocument>();
  /** Resource policies set while the sandbox runs, by resource ARN (queue policies). */
  private readonly byResource = new Map<string, PolicyDocument>();
  private readonly listeners: (() => void)[] = [];

  constructor(model: ProgramModel) {
    for (const policy of identityPolicies(model)) {
      this.put(policy.roleName, policy.name, { name: policy.name, policy: policy.document });
    }
    for (const policy of bucketPolicies(model)) {
      this.byBucket.set(policy.bucket, policy.document);
    }
    const permissions = lambdaPermissions(model);
    const fns = functions(model);
    for (const permission of permissions) {
      if (!fns.some((fn) => fn.name === permission.functionRef || fn.arn === permission.functionRef)) {
        throw new ModelError(`aws:lambda/permission:Permission "${permission.logicalName}" names function ${permission.functionRef}, which the program does not declare`);
      }
    }
    for (const fn of fns) {
      const policy = functionPolicy(fn.arn, permissions.filter((p) => p.functionRef === fn.name || p.functionRef === fn.arn));
      if (policy) this.byFunction.set(fn.arn, policy);
    }
  }

  identityPolicies(roleName: string): readonly SimulationIdentityPolicy[] {
    return [...(this.byRole.get(roleName)?.values() ?? [])];
  }

  /** Every role name with at least one identity policy, for listings. */
  roleNames(): string[] {
    return [...this.byRole.entries()].filter(([, policies]) => policies.size > 0).map(([name]) => name);
  }

  /** Adds or replaces the policy `key` of a role (an inline policy's name, or an attached policy's ARN). */
  setRolePolicy(roleName: string, key: string, policy: SimulationIdentityPolicy): void {
    this.put(roleName, key, policy);
    this.changed();
  }

  removeRolePolicy(roleName: string, key: string): void {
    if (this.byRole.get(roleName)?.delete(key)) this.changed();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private put(roleName: string, key: string, policy: SimulationIdentityPolicy): void {
    const policies = this.byRole.get(roleName) ?? new Map<string, SimulationIdentityPolicy>();
    policies.set(key, policy);
    this.byRole.set(roleName, policies);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Sets (or, with undefined, removes) the resource policy of a resource that is not a bucket. */
  setResourcePolicy(resourceArn: string, policy: PolicyDocument | undefined): void {
    if (policy === undefined) this.byResource.delete(resourceArn);
    else this.byResource.set(resourceArn, policy);
    this.changed();
  }

  resourcePolicy(resourceArn: string): PolicyDocument | undefined {
    const own = this.byResource.get(resourceArn);
    if (own) return own;
    const s3 = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(resourceArn);
    if (s3) return this.byBucket.get(s3[1]);
    // A function's policy governs the function and its qualified ARNs (the statements name which).
    const fn = /^(arn:aws[\w-]*:lambda:[^:]+:\d+:function:[^:]+)(?::[^:]+)?$/.exec(resourceArn);
    return fn ? this.byFunction.get(fn[1]) : undefined;
  }
}

/** Every role of the model with the identity policies attached to it: what each principal may do. */
export function principalPolicies(model: ProgramModel): { roleName: string; roleArn: string; policies: { name: string; document: PolicyDocument }[] }[] {
  const attached = identityPolicies(model);
  return roles(model).map((role) => ({
    roleName: role.name,
    roleArn: role.arn,
    policies: attached.filter((p) => p.roleName === role.name).map((p) => ({ name: p.name, document: p.document })),
  }));
}
