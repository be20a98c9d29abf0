import { ModelResource, ProgramModel } from "../../sandbox/model";

export interface ParsedStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: string[];
  Condition?: unknown;
}

/** The identity policy statements attached to each role, by role name. */
export function policiesByRole(model: ProgramModel): Map<string, ParsedStatement[]> {
  const byRole = new Map<string, ParsedStatement[]>();
  for (const policy of model.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")) {
    const role = String(policy.inputs.role);
    const doc = JSON.parse(String(policy.inputs.policy)) as { Statement: ParsedStatement[] };
    const statements = doc.Statement.map((s) => ({
      ...s,
      Action: ([] as string[]).concat(s.Action),
      Resource: ([] as string[]).concat(s.Resource),
    }));
    byRole.set(role, [...(byRole.get(role) ?? []), ...statements]);
  }
  return byRole;
}

export function roleOf(model: ProgramModel, roleArn: string): ModelResource {
  const role = model.resources.find((r) => r.type === "aws:iam/role:Role" && r.state.arn === roleArn);
  if (!role) throw new Error(`no role with ARN ${roleArn}`);
  return role;
}
