import { randomBytes } from "node:crypto";
import { AwsServiceError } from "../aws-error";
import type { PolicyDocument } from "../model-view";
import type { Authorizer } from "./authorizer";
import type { ModelPolicyStore } from "./policy-store";
import type { Principal } from "./principals";

/**
 * IAM's role and policy operations the sandbox serves (botocore iam 2010-05-08 model, IAM API reference):
 * CreateRole, GetRole, DeleteRole, PutRolePolicy, AttachRolePolicy, CreatePolicy. Roles created here are
 * principals like the program's: their inline and attached policies go to the policy store the authorizer
 * reads, so a state machine created on such a role is allowed exactly what its policies allow.
 * The program's own roles are listed (GetRole) but not changed here: the program declares them.
 */
export interface RoleRecord {
  readonly roleName: string;
  readonly roleId: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: Date;
  /** The trust policy; unknown for a program role whose model lacks it. */
  readonly assumeRolePolicyDocument?: string;
  readonly description?: string;
  readonly maxSessionDuration: number;
  readonly declaredByProgram: boolean;
}

export interface ManagedPolicyRecord {
  readonly policyName: string;
  readonly policyId: string;
  readonly arn: string;
  readonly path: string;
  readonly document: string;
  readonly description?: string;
  readonly createDate: Date;
  attachmentCount: number;
}

/** Model shapes roleNameType (1-64) and policyNameType (1-128): [\w+=,.@-]+. */
const ENTITY_NAME = /^[\w+=,.@-]+$/;
/** Model shape pathType: "/" or "/" + printable ASCII + "/", at most 512. */
const PATH = /^(\/|\/[\u0021-\u007e]+\/)$/;
/** Model shape roleMaxSessionDurationType: 3600-43200 seconds, default 3600 (CreateRole reference). */
const MAX_SESSION = { min: 3600, max: 43200, default: 3600 };

function checkName(value: string, field: string, max: number): void {
  if (value.length < 1 || value.length > max || !ENTITY_NAME.test(value)) {
    throw new AwsServiceError("ValidationError", `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length between 1 and ${max}`);
  }
}

function checkPath(path: string): void {
  if (path.length > 512 || !PATH.test(path)) {
    throw new AwsServiceError("ValidationError", `1 validation error detected: Value '${path}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)`);
  }
}

/** A policy document IAM accepts: JSON, an object with a Statement (MalformedPolicyDocument otherwise). */
function parsePolicyDocument(text: string): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsServiceError("MalformedPolicyDocument", "This policy contains invalid Json");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !("Statement" in parsed)) {
    throw new AwsServiceError("MalformedPolicyDocument", "Syntax errors in policy.");
  }
  return parsed as PolicyDocument;
}

/** IAM's unique ids: a 4-character prefix by entity (AROA role, ANPA managed policy) and 17 characters. */
function uniqueId(prefix: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return prefix + [...randomBytes(17)].map((b) => alphabet[b % alphabet.length]).join("");
}

export class IamService {
  private readonly roles = new Map<string, RoleRecord>();
  private readonly policies = new Map<string, ManagedPolicyRecord>();
  /** role name -> inline policy names, and -> attached policy ARNs (DeleteRole refuses while any remain). */
  private readonly inline = new Map<string, Set<string>>();
  private readonly attached = new Map<string, Set<string>>();

  constructor(
    private readonly accountId: string,
    programRoles: readonly { roleName: string; roleArn: string; assumeRolePolicy?: string }[],
    private readonly store: ModelPolicyStore,
    private readonly authorizer: Authorizer,
  ) {
    const created = new Date();
    for (const role of programRoles) {
      this.roles.set(role.roleName, {
        roleName: role.roleName,
        roleId: uniqueId("AROA"),
        arn: role.roleArn,
        path: "/",
        createDate: created,
        ...(role.assumeRolePolicy !== undefined ? { assumeRolePolicyDocument: role.assumeRolePolicy } : {}),
        maxSessionDuration: MAX_SESSION.default,
        declaredByProgram: true,
      });
    }
  }

  async createRole(
    caller: Principal,
    request: { roleName: string; assumeRolePolicyDocument: string; path?: string; description?: string; maxSessionDuration?: number },
  ): Promise<RoleRecord> {
    const path = request.path ?? "/";
    checkName(request.roleName, "roleName", 64);
    checkPath(path);
    parsePolicyDocument(request.assumeRolePolicyDocument);
    const maxSessionDuration = request.maxSessionDuration ?? MAX_SESSION.default;
    if (!Number.isInteger(maxSessionDuration) || maxSessionDuration < MAX_SESSION.min || maxSessionDuration > MAX_SESSION.max) {
      throw new AwsServiceError("ValidationError", `1 validation error detected: Value '${maxSessionDuration}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between ${MAX_SESSION.min} and ${MAX_SESSION.max}`);
    }
    const arn = `arn:aws:iam::${this.accountId}:role${path}${request.roleName}`;
    await this.authorizer.authorize({ principal: caller, action: "iam:CreateRole", resourceArn: arn });
    // Role names are unique case-insensitively (IAM identifiers, "Friendly names and paths").
    if ([...this.roles.keys()].some((name) => name.toLowerCase() === request.roleName.toLowerCase())) {
      throw new AwsServiceError("EntityAlreadyExists", `Role with name ${request.roleName} already exists.`, 409);
    }
    const role: RoleRecord = {
      roleName: request.roleName,
      roleId: uniqueId("AROA"),
      arn,
      path,
      createDate: new Date(),
      assumeRolePolicyDocument: request.assumeRolePolicyDocument,
      ...(request.description !== undefined ? { description: request.description } : {}),
      maxSessionDuration,
      declaredByProgram: false,
    };
    this.roles.set(role.roleName, role);
    return role;
  }

  async getRole(caller: Principal, roleName: string): Promise<RoleRecord> {
    checkName(roleName, "roleName", 64);
    const role = this.role(roleName);
    await this.authorizer.authorize({ principal: caller, action: "iam:GetRole", resourceArn: role.arn });
    return role;
  }

  /** DeleteRole: "you must first remove" inline and attached policies: DeleteConflict otherwise (API reference). */
  async deleteRole(caller: Principal, roleName: string): Promise<void> {
    const role = this.modifiableRole(roleName);
    await this.authorizer.authorize({ principal: caller, action: "iam:DeleteRole", resourceArn: role.arn });
    if ((this.inline.get(roleName)?.size ?? 0) > 0 || (this.attached.get(roleName)?.size ?? 0) > 0) {
      throw new AwsServiceError("DeleteConflict", "Cannot delete entity, must delete policies first.", 409);
    }
    this.roles.delete(roleName);
  }

  /** PutRolePolicy: adds or replaces the role's inline policy of that name. */
  async putRolePolicy(caller: Principal, request: { roleName: string; policyName: string; policyDocument: string }): Promise<void> {
    checkName(request.policyName, "policyName", 128);
    const role = this.modifiableRole(request.roleName);
    const document = parsePolicyDocument(request.policyDocument);
    await this.authorizer.authorize({ principal: caller, action: "iam:PutRolePolicy", resourceArn: role.arn });
    setOf(this.inline, role.roleName).add(request.policyName);
    this.store.setRolePolicy(role.roleName, `inline:${request.policyName}`, { name: request.policyName, policy: document });
  }

  async createPolicy(caller: Principal, request: { policyName: string; policyDocument: string; path?: string; description?: string }): Promise<ManagedPolicyRecord> {
    const path = request.path ?? "/";
    checkName(request.policyName, "policyName", 128);
    checkPath(path);
    parsePolicyDocument(request.policyDocument);
    const arn = `arn:aws:iam::${this.accountId}:policy${path}${request.policyName}`;
    await this.authorizer.authorize({ principal: caller, action: "iam:CreatePolicy", resourceArn: arn });
    if ([...this.policies.values()].some((p) => p.policyName.toLowerCase() === request.policyName.toLowerCase())) {
      throw new AwsServiceError("EntityAlreadyExists", `A policy called ${request.policyName} already exists. Duplicate names are not allowed.`, 409);
    }
    const now = new Date();
    const policy: ManagedPolicyRecord = {
      policyName: request.policyName,
      policyId: uniqueId("ANPA"),
      arn,
      path,
      document: request.policyDocument,
      ...(request.description !== undefined ? { description: request.description } : {}),
      createDate: now,
      attachmentCount: 0,
    };
    this.policies.set(arn, policy);
    return policy;
  }

  /** AttachRolePolicy: customer managed policies created here (AWS managed policies are not in the sandbox). */
  async attachRolePolicy(caller: Principal, request: { roleName: string; policyArn: string }): Promise<void> {
    const role = this.modifiableRole(request.roleName);
    if (!/^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/.+$/.test(request.policyArn)) {
      throw new AwsServiceError("InvalidInput", `ARN ${request.policyArn} is not valid.`);
    }
    const policy = this.policies.get(request.policyArn);
    if (!policy) {
      const why = request.policyArn.includes(":iam::aws:") ? " AWS managed policies are not available in the sandbox: create the policy with CreatePolicy." : "";
      throw new AwsServiceError("NoSuchEntity", `Policy ${request.policyArn} does not exist or is not attachable.${why}`, 404);
    }
    await this.authorizer.authorize({ principal: caller, action: "iam:AttachRolePolicy", resourceArn: role.arn });
    const attached = setOf(this.attached, role.roleName);
    if (!attached.has(policy.arn)) policy.attachmentCount += 1;
    attached.add(policy.arn);
    this.store.setRolePolicy(role.roleName, policy.arn, { name: policy.policyName, policy: parsePolicyDocument(policy.document) });
  }

  /**
   * Whether `service` (e.g. "states.amazonaws.com") may assume the role: the role exists and its trust policy
   * has an Allow statement for sts:AssumeRole naming the service principal. A program role whose trust policy
   * the model lacks is taken as the program declared it.
   */
  serviceMayAssume(roleArn: string, service: string): boolean {
    const role = [...this.roles.values()].find((r) => r.arn === roleArn);
    if (!role) return false;
    if (role.assumeRolePolicyDocument === undefined) return role.declaredByProgram;
    let statements: unknown;
    try {
      statements = (JSON.parse(role.assumeRolePolicyDocument) as { Statement?: unknown }).Statement;
    } catch {
      return false;
    }
    const list = Array.isArray(statements) ? statements : [statements];
    const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
    return list.some((st) => {
      const { Effect, Action, Principal } = (st ?? {}) as { Effect?: unknown; Action?: unknown; Principal?: { Service?: unknown } };
      return Effect === "Allow" && asList(Action).some((a) => a === "sts:AssumeRole" || a === "sts:*" || a === "*") && asList(Principal?.Service).includes(service);
    });
  }

  private role(roleName: string): RoleRecord {
    const role = this.roles.get(roleName);
    if (!role) throw new AwsServiceError("NoSuchEntity", `The role with name ${roleName} cannot be found.`, 404);
    return role;
  }

  /** A role this API may change: one it created; the program's roles are the program's to change. */
  private modifiableRole(roleName: string): RoleRecord {
    checkName(roleName, "roleName", 64);
    const role = this.role(roleName);
    if (role.declaredByProgram) {
      throw new AwsServiceError("UnmodifiableEntity", `Role ${roleName} is declared by the program; change it in the program and deploy the sandbox again.`);
    }
    return role;
  }
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  const set = map.get(key) ?? new Set<string>();
  map.set(key, set);
  return set;
}
