import { AwsServiceError } from "../aws-error";
import { requiredParameter, xmlMembers, type QueryParameters, type QueryProtocol } from "../endpoints/query-protocol";
import type { IamService, ManagedPolicyRecord, RoleRecord } from "./iam-service";

/** The Role shape; policy documents are URL-encoded in IAM's answers (IAM API reference, Role). */
function roleXml(role: RoleRecord): string {
  return `<Role>${xmlMembers({
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: role.assumeRolePolicyDocument === undefined ? undefined : encodeURIComponent(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
  })}</Role>`;
}

/** The Policy shape CreatePolicy answers: version v1 is the default, attachable, not yet attached. */
function policyXml(policy: ManagedPolicyRecord): string {
  return `<Policy>${xmlMembers({
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: "v1",
    AttachmentCount: policy.attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: policy.createDate,
    UpdateDate: policy.createDate,
  })}</Policy>`;
}

/**
 * Members the sandbox does not model, refused rather than ignored: a permissions boundary limits what a role
 * may do, and tags can be conditions (aws:PrincipalTag), so dropping either would allow what AWS denies.
 */
function refuseUnmodelled(parameters: QueryParameters, action: string, members: readonly string[]): void {
  for (const member of members) {
    if ([...parameters.keys()].some((key) => key === member || key.startsWith(`${member}.`))) {
      throw new AwsServiceError("InvalidInput", `The sandbox does not support ${member} in ${action}: leave it out (the sandbox would not enforce it).`);
    }
  }
}

function optionalInteger(parameters: QueryParameters, name: string): number | undefined {
  const value = parameters.get(name);
  return value === undefined ? undefined : Number(value);
}

/** IAM over the query protocol: botocore iam 2010-05-08 (xmlNamespace, apiVersion). */
export function iamProtocol(iam: IamService): QueryProtocol {
  return {
    xmlNamespace: "https://iam.amazonaws.com/doc/2010-05-08/",
    version: "2010-05-08",
    operations: {
      CreateRole: async (caller, p) => {
        refuseUnmodelled(p, "CreateRole", ["PermissionsBoundary", "Tags"]);
        return roleXml(
          await iam.createRole(caller, {
            roleName: requiredParameter(p, "RoleName"),
            assumeRolePolicyDocument: requiredParameter(p, "AssumeRolePolicyDocument"),
            path: p.get("Path"),
            description: p.get("Description"),
            maxSessionDuration: optionalInteger(p, "MaxSessionDuration"),
          }),
        );
      },
      GetRole: async (caller, p) => roleXml(await iam.getRole(caller, requiredParameter(p, "RoleName"))),
      DeleteRole: async (caller, p) => {
        await iam.deleteRole(caller, requiredParameter(p, "RoleName"));
        return undefined;
      },
      PutRolePolicy: async (caller, p) => {
        await iam.putRolePolicy(caller, {
          roleName: requiredParameter(p, "RoleName"),
          policyName: requiredParameter(p, "PolicyName"),
          policyDocument: requiredParameter(p, "PolicyDocument"),
        });
        return undefined;
      },
      AttachRolePolicy: async (caller, p) => {
        await iam.attachRolePolicy(caller, { roleName: requiredParameter(p, "RoleName"), policyArn: requiredParameter(p, "PolicyArn") });
        return undefined;
      },
      CreatePolicy: async (caller, p) => {
        refuseUnmodelled(p, "CreatePolicy", ["Tags"]);
        return policyXml(
          await iam.createPolicy(caller, {
            policyName: requiredParameter(p, "PolicyName"),
            policyDocument: requiredParameter(p, "PolicyDocument"),
            path: p.get("Path"),
            description: p.get("Description"),
          }),
        );
      },
    },
  };
}
