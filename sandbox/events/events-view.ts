import { ModelError, type PolicyDocument } from "../model-view";
import type { ModelResource, ProgramModel } from "../program-model";

/**
 * Typed views of the program's EventBridge resources and Lambda permissions (by resource type only, as
 * model-view.ts reads the others), each reader naming the resource and field that is wrong.
 */

export const EVENT_RESOURCE_TYPES = {
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  lambdaPermission: "aws:lambda/permission:Permission",
} as const;

/** The bus a rule or target belongs to when the program names none. */
export const DEFAULT_EVENT_BUS = "default";

export interface EventRuleView {
  readonly logicalName: string;
  readonly name: string;
  readonly eventBusName: string;
  /** The JSON text of the rule's pattern. */
  readonly eventPattern?: string;
  readonly scheduleExpression?: string;
  readonly state: "ENABLED" | "DISABLED";
  readonly description?: string;
  readonly roleArn?: string;
}

export interface EventTargetView {
  readonly logicalName: string;
  readonly rule: string;
  readonly eventBusName: string;
  readonly targetId: string;
  readonly arn: string;
  readonly roleArn?: string;
  readonly input?: string;
  /** Fields the program set that the sandbox does not emulate (InputPath, InputTransformer...). */
  readonly unsupported: readonly string[];
}

/** One statement of a function's resource-based policy, as aws.lambda.Permission declares it. */
export interface LambdaPermissionView {
  readonly logicalName: string;
  readonly statementId: string;
  /** The function's name or ARN, as the program gave it. */
  readonly functionRef: string;
  readonly action: string;
  readonly principal: string;
  readonly sourceArn?: string;
  readonly sourceAccount?: string;
  readonly qualifier?: string;
}

function where(r: ModelResource): string {
  return `${r.type} "${r.name}"`;
}

function value(r: ModelResource, key: string): unknown {
  const fromState = r.state?.[key];
  return fromState !== undefined && fromState !== null ? fromState : r.inputs?.[key];
}

function optionalText(r: ModelResource, key: string): string | undefined {
  const v = value(r, key);
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw new ModelError(`${where(r)} ${key} is not a string: ${JSON.stringify(v)}`);
  return v;
}

function requiredText(r: ModelResource, key: string): string {
  const v = optionalText(r, key);
  if (v === undefined) throw new ModelError(`${where(r)} has no ${key} (expected a non-empty string)`);
  return v;
}

function ofType(model: ProgramModel, type: string): ModelResource[] {
  return model.resources.filter((r) => r.type === type);
}

export function eventRules(model: ProgramModel): EventRuleView[] {
  return ofType(model, EVENT_RESOURCE_TYPES.eventRule).map((r) => {
    const state = optionalText(r, "state") ?? (value(r, "isEnabled") === false ? "DISABLED" : "ENABLED");
    if (state !== "ENABLED" && state !== "DISABLED") {
      throw new ModelError(`${where(r)} state ${JSON.stringify(state)} is not emulated (the sandbox knows ENABLED and DISABLED)`);
    }
    const eventPattern = optionalText(r, "eventPattern");
    const scheduleExpression = optionalText(r, "scheduleExpression");
    if (eventPattern === undefined && scheduleExpression === undefined) throw new ModelError(`${where(r)} has neither an eventPattern nor a scheduleExpression`);
    return {
      logicalName: r.name,
      name: requiredText(r, "name"),
      eventBusName: optionalText(r, "eventBusName") ?? DEFAULT_EVENT_BUS,
      ...(eventPattern !== undefined ? { eventPattern } : {}),
      ...(scheduleExpression !== undefined ? { scheduleExpression } : {}),
      state,
      description: optionalText(r, "description"),
      roleArn: optionalText(r, "roleArn"),
    };
  });
}

const UNSUPPORTED_TARGET_FIELDS = [
  "inputPath",
  "inputTransformer",
  "runCommandTargets",
  "ecsTarget",
  "batchTarget",
  "kinesisTarget",
  "sqsTarget",
  "httpTarget",
  "redshiftTarget",
  "sagemakerPipelineTarget",
  "appsyncTarget",
];

export function eventTargets(model: ProgramModel): EventTargetView[] {
  return ofType(model, EVENT_RESOURCE_TYPES.eventTarget).map((r) => ({
    logicalName: r.name,
    rule: requiredText(r, "rule"),
    eventBusName: optionalText(r, "eventBusName") ?? DEFAULT_EVENT_BUS,
    // Pulumi generates a target id when the program gives none; the mocks keep the logical name.
    targetId: optionalText(r, "targetId") ?? r.name,
    arn: requiredText(r, "arn"),
    roleArn: optionalText(r, "roleArn"),
    input: optionalText(r, "input"),
    unsupported: UNSUPPORTED_TARGET_FIELDS.filter((f) => value(r, f) !== undefined && value(r, f) !== null),
  }));
}

export function lambdaPermissions(model: ProgramModel): LambdaPermissionView[] {
  return ofType(model, EVENT_RESOURCE_TYPES.lambdaPermission).map((r) => ({
    logicalName: r.name,
    statementId: optionalText(r, "statementId") ?? r.name,
    functionRef: requiredText(r, "function"),
    action: requiredText(r, "action"),
    principal: requiredText(r, "principal"),
    sourceArn: optionalText(r, "sourceArn"),
    sourceAccount: optionalText(r, "sourceAccount"),
    qualifier: optionalText(r, "qualifier"),
  }));
}

/**
 * A function's resource-based policy, as Lambda's GetPolicy shows what AddPermission made: one statement per
 * permission, the principal a service or an account, SourceArn as an ArnLike and SourceAccount as a
 * StringEquals condition ("Using resource-based policies for Lambda").
 */
export function functionPolicy(functionArn: string, permissions: readonly LambdaPermissionView[]): PolicyDocument | undefined {
  if (permissions.length === 0) return undefined;
  return {
    Version: "2012-10-17",
    Statement: permissions.map((p) => {
      const condition: Record<string, Record<string, string>> = {};
      if (p.sourceArn) condition.ArnLike = { "AWS:SourceArn": p.sourceArn };
      if (p.sourceAccount) condition.StringEquals = { "AWS:SourceAccount": p.sourceAccount };
      const principal = /^\d{12}$/.test(p.principal) ? { AWS: `arn:aws:iam::${p.principal}:root` } : p.principal.includes(".") ? { Service: p.principal } : { AWS: p.principal };
      return {
        Sid: p.statementId,
        Effect: "Allow",
        Principal: principal,
        Action: p.action,
        Resource: p.qualifier ? `${functionArn}:${p.qualifier}` : functionArn,
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      };
    }),
  };
}
