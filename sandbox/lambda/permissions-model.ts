import { field, functions, ofType, requireString, RESOURCE_TYPES, type PolicyDocument } from "../model-view";
import type { ProgramModel } from "../program-model";

const PERMISSION_TYPE = RESOURCE_TYPES.lambdaPermission;

/**
 * Each function's resource-based policy, built from the program's aws.lambda.Permission resources as Lambda
 * builds it from AddPermission (a statement allowing the principal the action, conditioned on aws:SourceArn
 * and aws:SourceAccount when given). SNS (and other services) invoke a function only where this allows it.
 */
export function functionPolicies(model: ProgramModel): Map<string, PolicyDocument> {
  const arnOf = new Map<string, string>();
  for (const fn of functions(model)) {
    arnOf.set(fn.name, fn.arn);
    arnOf.set(fn.arn, fn.arn);
  }
  const policies = new Map<string, PolicyDocument>();
  for (const r of ofType(model, PERMISSION_TYPE)) {
    const reference = requireString(r, "function");
    const functionArn = arnOf.get(reference) ?? reference;
    const principal = requireString(r, "principal");
    const sourceArn = field(r, "sourceArn");
    const sourceAccount = field(r, "sourceAccount");
    const condition: Record<string, Record<string, string>> = {};
    if (typeof sourceArn === "string" && sourceArn !== "") condition.ArnLike = { "aws:SourceArn": sourceArn };
    if (typeof sourceAccount === "string" && sourceAccount !== "") condition.StringEquals = { "aws:SourceAccount": sourceAccount };
    const statement = {
      Sid: typeof field(r, "statementId") === "string" ? field(r, "statementId") : r.name,
      Effect: "Allow",
      Principal: principal.endsWith(".amazonaws.com") ? { Service: principal } : { AWS: principal },
      Action: requireString(r, "action"),
      Resource: functionArn,
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    };
    const policy = policies.get(functionArn) ?? { Version: "2012-10-17", Statement: [] as unknown[] };
    (policy.Statement as unknown[]).push(statement);
    policies.set(functionArn, policy);
  }
  return policies;
}
