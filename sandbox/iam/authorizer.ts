import { getDenialReasons, runSimulation, type Simulation, type SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { AccessDeniedError } from "../aws-error";
import type { PolicyDocument } from "../model-view";
import type { Principal } from "./principals";

/** Condition context of one request, e.g. { "aws:SecureTransport": "true", "s3:prefix": "output/" }. */
export type RequestContext = Record<string, string | string[]>;

export interface AuthorizationRequest {
  readonly principal: Principal;
  /** "service:Action", e.g. "glue:StartJobRun". */
  readonly action: string;
  /** The resource ARN, or "*" for actions that have no resource type (e.g. states:SendTaskSuccess). */
  readonly resourceArn: string;
  readonly context?: RequestContext;
}

export type Decision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly explicit: boolean; readonly deniedBy: "identity" | "resource" | "other"; readonly message: string };

/** Where the authorizer finds policies: identity policies per role name, resource policies per resource ARN. */
export interface PolicySource {
  identityPolicies(roleName: string): readonly SimulationIdentityPolicy[];
  /** The resource-based policy that governs `resourceArn` (e.g. the bucket policy), if any. */
  resourcePolicy(resourceArn: string): PolicyDocument | undefined;
}

/** The operator's identity policy: everything, as an administrator has; resource policies still apply. */
const OPERATOR_POLICY: SimulationIdentityPolicy = {
  name: "SandboxOperatorAccess",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

/**
 * Decides every call a principal makes with IAM's evaluation logic (@cloud-copilot/iam-simulate):
 * identity policies of the principal's role, plus the resource policy of the target, same account.
 */
export class Authorizer {
  private readonly cache = new Map<string, Promise<Decision>>();

  constructor(
    private readonly accountId: string,
    private readonly policies: PolicySource,
  ) {}

  /** Throws AccessDeniedError, worded as AWS words it, when the request is not allowed. */
  async authorize(request: AuthorizationRequest): Promise<void> {
    const decision = await this.decide(request);
    if (!decision.allowed) {
      throw new AccessDeniedError(decision.message, request.principal.arn, request.action, request.resourceArn);
    }
  }

  /** Forgets every cached decision: a policy changed (the IAM API added or removed one). */
  forgetDecisions(): void {
    this.cache.clear();
  }

  /** Decisions are cached per request until a policy changes (forgetDecisions). */
  decide(request: AuthorizationRequest): Promise<Decision> {
    const key = JSON.stringify([request.principal.arn, request.action, request.resourceArn, request.context ?? {}]);
    let decision = this.cache.get(key);
    if (!decision) {
      decision = this.simulate(request);
      this.cache.set(key, decision);
      decision.catch(() => this.cache.delete(key));
    }
    return decision;
  }

  private async simulate(request: AuthorizationRequest): Promise<Decision> {
    const { principal, action, resourceArn } = request;
    const identityPolicies =
      principal.kind === "operator" ? [OPERATOR_POLICY] : this.policies.identityPolicies(principal.roleName ?? "");
    const simulation: Simulation = {
      request: {
        principal: principal.arn,
        action,
        resource: { resource: resourceArn, accountId: this.accountId },
        contextVariables: { ...request.context },
      },
      identityPolicies: [...identityPolicies],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: this.policies.resourcePolicy(resourceArn),
    };
    const response = await runSimulation(simulation, {});
    if (response.resultType === "error") {
      throw new Error(
        `IAM evaluation of ${action} on ${resourceArn} for ${principal.arn} could not run: ${response.errors.message} ` +
          JSON.stringify(response.errors),
      );
    }
    if (response.overallResult === "Allowed") return { allowed: true };
    const explicit = response.overallResult === "ExplicitlyDenied";
    const analysis = response.resultType === "single" ? response.result.analysis : response.results[0]?.analysis;
    const reasons = analysis ? getDenialReasons(analysis) : [];
    const explicitReason = reasons.find((r) => r.denialType === "Explicit");
    const deniedBy =
      explicitReason?.policyType === "identity" ? "identity" : explicitReason?.policyType === "resource" ? "resource" : explicit ? "other" : "identity";
    return { allowed: false, explicit, deniedBy, message: accessDeniedMessage(principal.arn, action, resourceArn, explicit, deniedBy) };
  }
}

/** AWS's wording, e.g. "User: arn:aws:sts::...:assumed-role/r/s is not authorized to perform: glue:StartJobRun on resource: ..." */
export function accessDeniedMessage(
  principalArn: string,
  action: string,
  resourceArn: string,
  explicit: boolean,
  deniedBy: "identity" | "resource" | "other",
): string {
  const head = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resourceArn}`;
  if (!explicit) return `${head} because no identity-based policy allows the ${action} action`;
  if (deniedBy === "resource") return `${head} with an explicit deny in a resource-based policy`;
  return `${head} with an explicit deny in an identity-based policy`;
}
