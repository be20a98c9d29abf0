import type { ModelResource, ProgramModel } from "../../sandbox/program-model";
import type { LabOutputs, Pattern } from "./labSandbox";

/** Who holds a role: one of the lab's functions, the Glue job, or the state machine of a pattern. */
export type Principal =
  | { readonly kind: "check-file" | "validate-output" | "event-callback"; readonly label: string; readonly roleName: string; readonly roleArn: string }
  | { readonly kind: "etl-job"; readonly label: string; readonly roleName: string; readonly roleArn: string }
  | { readonly kind: "state-machine"; readonly pattern: Pattern; readonly label: string; readonly roleName: string; readonly roleArn: string };

export type PrincipalKind = Principal["kind"];

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
}

/** One inline policy of one role, as the program declares it. */
export interface PrincipalPolicy {
  readonly principal: Principal;
  /** The RolePolicy resource's logical name. */
  readonly policyName: string;
  readonly statements: readonly Statement[];
}

/** What a necessity case removes: a whole statement, or one action within a statement of several. */
export interface RemovalCase {
  readonly policy: PrincipalPolicy;
  readonly statementIndex: number;
  /** Undefined: the whole statement. */
  readonly action?: string;
  /** The actions the case takes away from the role. */
  readonly removedActions: readonly string[];
}

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? [...statement.Action] : [statement.Action];
}

/** The principal a role belongs to, found from what uses it; a role nothing uses is an error. */
function principalOf(model: ProgramModel, role: ModelResource): Principal {
  const outputs = model.outputs as unknown as LabOutputs;
  const roleName = String(role.state.name);
  const roleArn = String(role.state.arn);
  const users = model.resources.filter((r) => r.state.role === roleArn || r.state.roleArn === roleArn);
  if (users.length !== 1) {
    throw new Error(`Role ${roleName} should be used by exactly one function, job or state machine; used by ${users.map((u) => u.name).join(", ") || "nothing"}`);
  }
  const [user] = users;
  if (user.type === "aws:lambda/function:Function") {
    const names = outputs.functionNames;
    const kind =
      user.state.name === names.checkFile ? "check-file" : user.state.name === names.validateOutput ? "validate-output" : user.state.name === names.eventCallback ? "event-callback" : undefined;
    if (!kind) throw new Error(`Function ${String(user.state.name)} is not one of the lab's functions`);
    return { kind, label: `${kind} function`, roleName, roleArn };
  }
  if (user.type === "aws:glue/job:Job") return { kind: "etl-job", label: "Glue job", roleName, roleArn };
  if (user.type === "aws:sfn/stateMachine:StateMachine") {
    const pattern = (Object.keys(outputs.stateMachineArns) as Pattern[]).find((p) => outputs.stateMachineArns[p] === user.state.arn);
    if (!pattern) throw new Error(`State machine ${String(user.state.name)} is not one of the lab's patterns`);
    return { kind: "state-machine", pattern, label: `${pattern} state machine`, roleName, roleArn };
  }
  throw new Error(`Role ${roleName} is used by a ${user.type}, which this test does not know`);
}

/** Every inline policy the program creates, by the principal holding its role. */
export function principalPolicies(model: ProgramModel): PrincipalPolicy[] {
  const roles = model.resources.filter((r) => r.type === ROLE);
  return model.resources
    .filter((r) => r.type === ROLE_POLICY)
    .map((policy) => {
      const role = roles.find((r) => r.state.name === policy.inputs.role);
      if (!role) throw new Error(`RolePolicy ${policy.name} is attached to ${String(policy.inputs.role)}, which is not a role of the program`);
      const document = JSON.parse(String(policy.inputs.policy)) as { Statement: Statement[] };
      return { principal: principalOf(model, role), policyName: policy.name, statements: document.Statement };
    });
}

/** A case per statement, and a case per action of a statement that has several. */
export function removalCases(policies: readonly PrincipalPolicy[]): RemovalCase[] {
  const cases: RemovalCase[] = [];
  for (const policy of policies) {
    policy.statements.forEach((statement, statementIndex) => {
      const actions = actionsOf(statement);
      cases.push({ policy, statementIndex, removedActions: actions });
      if (actions.length > 1) for (const action of actions) cases.push({ policy, statementIndex, action, removedActions: [action] });
    });
  }
  return cases;
}

/** How a reader recognises a statement: its Sid, or its actions. */
export function describeStatement(statement: Statement): string {
  return statement.Sid ?? actionsOf(statement).join(" + ");
}

/** A deep copy of the model with the case's statement (or action) removed from its RolePolicy. */
export function withoutCase(model: ProgramModel, removal: RemovalCase): ProgramModel {
  const copy = structuredClone(model);
  const target = copy.resources.find((r) => r.type === ROLE_POLICY && r.name === removal.policy.policyName);
  if (!target) throw new Error(`No RolePolicy ${removal.policy.policyName} in the model`);
  const document = JSON.parse(String(target.inputs.policy)) as { Statement: Statement[] };
  const statements = document.Statement.flatMap((statement, index) => {
    if (index !== removal.statementIndex) return [statement];
    if (removal.action === undefined) return [];
    const kept = actionsOf(statement).filter((a) => a !== removal.action);
    if (kept.length === actionsOf(statement).length) throw new Error(`Statement ${index} of ${removal.policy.policyName} does not grant ${removal.action}`);
    return [{ ...statement, Action: kept }];
  });
  const text = JSON.stringify({ ...document, Statement: statements });
  target.inputs = { ...target.inputs, policy: text };
  target.state = { ...target.state, policy: text };
  return copy;
}

/** A deep copy of the model with the given actions taken out of every statement of the principals of a kind. */
export function withoutActions(model: ProgramModel, removals: readonly { kinds: readonly PrincipalKind[]; actions: readonly string[] }[]): ProgramModel {
  const copy = structuredClone(model);
  for (const policy of principalPolicies(model)) {
    const drop = new Set(removals.filter((r) => r.kinds.includes(policy.principal.kind)).flatMap((r) => r.actions));
    if (drop.size === 0) continue;
    const target = copy.resources.find((r) => r.type === ROLE_POLICY && r.name === policy.policyName);
    if (!target) throw new Error(`No RolePolicy ${policy.policyName} in the model`);
    const statements = policy.statements
      .map((s) => ({ ...s, Action: actionsOf(s).filter((a) => !drop.has(a)) }))
      .filter((s) => s.Action.length > 0);
    const text = JSON.stringify({ Version: "2012-10-17", Statement: statements });
    target.inputs = { ...target.inputs, policy: text };
    target.state = { ...target.state, policy: text };
  }
  return copy;
}
