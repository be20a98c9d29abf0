import { field, ModelError, ofType, requireString, RESOURCE_TYPES, where } from "../model-view";
import type { ModelResource, ProgramModel } from "../program-model";
import type { TriggerAction, TriggerCondition, TriggerType } from "./trigger-definition";
import { TRIGGER_TYPES } from "./trigger-definition";
import type { TriggerSpec, WorkflowDefinition } from "./workflow-service";

/**
 * A program's `aws.glue.Workflow` and `aws.glue.Trigger` resources as the workflow engine takes them (the Glue API's
 * shapes from Pulumi's camelCase inputs). Triggers the sandbox cannot fire (SCHEDULED, EVENT) are not deployed and
 * are listed at start (glueTriggerProblem).
 */

export function glueWorkflows(model: ProgramModel): WorkflowDefinition[] {
  return ofType(model, RESOURCE_TYPES.glueWorkflow).map((r) => {
    const description = field(r, "description");
    const max = field(r, "maxConcurrentRuns");
    if (max !== undefined && max !== null && (typeof max !== "number" || !Number.isInteger(max))) throw new ModelError(`${where(r)} maxConcurrentRuns is not an integer: ${JSON.stringify(max)}`);
    return {
      Name: requireString(r, "name"),
      ...(typeof description === "string" ? { Description: description } : {}),
      DefaultRunProperties: properties(r, field(r, "defaultRunProperties")),
      ...(typeof max === "number" ? { MaxConcurrentRuns: max } : {}),
    };
  });
}

/** Why the sandbox does not deploy this trigger, or undefined when it does. */
export function glueTriggerProblem(r: ModelResource): string | undefined {
  const type = field(r, "type");
  if (type === "SCHEDULED") return "the sandbox has no clock to fire SCHEDULED triggers";
  if (type === "EVENT") return "the sandbox sends no EventBridge events to Glue EVENT triggers";
  return undefined;
}

export function glueTriggers(model: ProgramModel): TriggerSpec[] {
  return ofType(model, RESOURCE_TYPES.glueTrigger)
    .filter((r) => glueTriggerProblem(r) === undefined)
    .map((r) => {
      const type = field(r, "type");
      if (!TRIGGER_TYPES.includes(type as TriggerType)) throw new ModelError(`${where(r)} type must be one of ${TRIGGER_TYPES.join(", ")}, got ${JSON.stringify(type)}`);
      const workflowName = field(r, "workflowName");
      const description = field(r, "description");
      const predicate = field(r, "predicate") as { logical?: unknown; conditions?: unknown } | undefined;
      // Pulumi's `enabled` ("Start the trigger. Defaults to true") activates SCHEDULED and CONDITIONAL triggers on creation.
      const enabled = field(r, "enabled") !== false || field(r, "startOnCreation") === true;
      return {
        Name: requireString(r, "name"),
        ...(typeof workflowName === "string" && workflowName !== "" ? { WorkflowName: workflowName } : {}),
        Type: type as TriggerType,
        ...(typeof description === "string" ? { Description: description } : {}),
        Actions: list(r, field(r, "actions"), "actions").map((a, i) => action(r, a, i)),
        ...(predicate
          ? {
              Predicate: {
                ...(predicate.logical === "AND" || predicate.logical === "ANY" ? { Logical: predicate.logical } : {}),
                Conditions: list(r, predicate.conditions, "predicate.conditions").map(condition),
              },
            }
          : {}),
        StartOnCreation: type !== "ON_DEMAND" && enabled,
      };
    });
}

function list(r: ModelResource, value: unknown, what: string): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "object" || v === null)) throw new ModelError(`${where(r)} ${what} is not a list of objects: ${JSON.stringify(value)}`);
  return value as Record<string, unknown>[];
}

const str = (o: Record<string, unknown>, key: string): string | undefined => (typeof o[key] === "string" && o[key] !== "" ? (o[key] as string) : undefined);

function action(r: ModelResource, a: Record<string, unknown>, index: number): TriggerAction {
  const jobName = str(a, "jobName");
  const crawlerName = str(a, "crawlerName");
  const timeout = a.timeout;
  return {
    ...(jobName !== undefined ? { JobName: jobName } : {}),
    ...(crawlerName !== undefined ? { CrawlerName: crawlerName } : {}),
    ...(a.arguments !== undefined && a.arguments !== null ? { Arguments: stringMap(r, a.arguments, `actions[${index}].arguments`) } : {}),
    ...(typeof timeout === "number" ? { Timeout: timeout } : {}),
  };
}

function condition(c: Record<string, unknown>): TriggerCondition {
  const out: Record<string, string> = {};
  for (const [key, apiKey] of [["logicalOperator", "LogicalOperator"], ["jobName", "JobName"], ["state", "State"], ["crawlerName", "CrawlerName"], ["crawlState", "CrawlState"]] as const) {
    const value = str(c, key);
    if (value !== undefined) out[apiKey] = value;
  }
  return out as TriggerCondition;
}

function stringMap(r: ModelResource, value: unknown, what: string): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ModelError(`${where(r)} ${what} is not a map: ${JSON.stringify(value)}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== "string") throw new ModelError(`${where(r)} ${what}.${k} is not a string: ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out;
}

/** A workflow's defaultRunProperties: Pulumi types them as any, Glue as strings. */
function properties(r: ModelResource, value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  return stringMap(r, value, "defaultRunProperties");
}
