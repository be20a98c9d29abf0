import type { SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { bucketPolicies, identityPolicies, roles, type PolicyDocument } from "../model-view";
import type { ProgramModel } from "../program-model";
import type { PolicySource } from "./authorizer";

/**
 * The policies of a program model, indexed for the authorizer: identity policies by role name
 * (RolePolicy, inline and customer-managed), and bucket policies as the resource policy of the bucket
 * and of every object in it.
 */
export class ModelPolicyStore implements PolicySource {
  private readonly byRole = new Map<string, SimulationIdentityPolicy[]>();
  private readonly byBucket = new Map<string, PolicyDocument>();

  constructor(model: ProgramModel) {
    for (const policy of identityPolicies(model)) {
      const list = this.byRole.get(policy.roleName) ?? [];
      list.push({ name: policy.name, policy: policy.document });
      this.byRole.set(policy.roleName, list);
    }
    for (const policy of bucketPolicies(model)) {
      this.byBucket.set(policy.bucket, policy.document);
    }
  }

  identityPolicies(roleName: string): readonly SimulationIdentityPolicy[] {
    return this.byRole.get(roleName) ?? [];
  }

  /** Every role name with at least one identity policy, for listings. */
  roleNames(): string[] {
    return [...this.byRole.keys()];
  }

  resourcePolicy(resourceArn: string): PolicyDocument | undefined {
    const s3 = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(resourceArn);
    return s3 ? this.byBucket.get(s3[1]) : undefined;
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
