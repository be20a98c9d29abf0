import type { TriggerAction, TriggerCondition, TriggerDefinition, TriggerPredicate, TriggerType } from "../glue/trigger-definition";
import type { GlueWorkflowService } from "../glue/workflow-service";
import { optionalNumber, optionalString, requiredString } from "./json-protocol";
import type { Operation } from "./operations";
import { boundedInteger, optionalBoolean, optionalStringMap, optionalStructure, wrongType } from "./validation";

/**
 * AWSGlue.* workflow and trigger operations (Glue API model: CreateWorkflow ... UpdateTrigger), each member read
 * with its model type: a wrong JSON type is SerializationException, a missing required one InvalidInputException.
 */

const GLUE_VALIDATION = "InvalidInputException";

const name = (b: Record<string, unknown>, field = "Name") => requiredString(b, field, GLUE_VALIDATION);

function objectList(body: Record<string, unknown>, field: string): Record<string, unknown>[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "object" || v === null || Array.isArray(v))) throw wrongType(field, "a list of structures", value);
  return value as Record<string, unknown>[];
}

function actions(body: Record<string, unknown>, required: boolean): TriggerAction[] {
  const list = objectList(body, "Actions");
  if (list === undefined && required) requiredString(body, "Actions", GLUE_VALIDATION);
  return (list ?? []).map((a) => {
    const arguments_ = optionalStringMap(a, "Arguments");
    const timeout = optionalNumber(a, "Timeout");
    const jobName = optionalString(a, "JobName");
    const crawlerName = optionalString(a, "CrawlerName");
    const securityConfiguration = optionalString(a, "SecurityConfiguration");
    const notify = optionalStructure(a, "NotificationProperty");
    return {
      ...(jobName !== undefined ? { JobName: jobName } : {}),
      ...(crawlerName !== undefined ? { CrawlerName: crawlerName } : {}),
      ...(arguments_ !== undefined ? { Arguments: arguments_ } : {}),
      ...(timeout !== undefined ? { Timeout: timeout } : {}),
      ...(securityConfiguration !== undefined ? { SecurityConfiguration: securityConfiguration } : {}),
      ...(notify !== undefined ? { NotificationProperty: { NotifyDelayAfter: optionalNumber(notify, "NotifyDelayAfter") } } : {}),
    };
  });
}

function predicate(body: Record<string, unknown>): TriggerPredicate | undefined {
  const p = optionalStructure(body, "Predicate");
  if (p === undefined) return undefined;
  const logical = optionalString(p, "Logical");
  const conditions: TriggerCondition[] = (objectList(p, "Conditions") ?? []).map((c) => {
    const fields = ["LogicalOperator", "JobName", "State", "CrawlerName", "CrawlState"] as const;
    const condition: Record<string, string> = {};
    for (const field of fields) {
      const value = optionalString(c, field);
      if (value !== undefined) condition[field] = value;
    }
    return condition as TriggerCondition;
  });
  return { ...(logical !== undefined ? { Logical: logical as "AND" | "ANY" } : {}), Conditions: conditions };
}

/** The members CreateTrigger and TriggerUpdate share. */
function triggerBody(b: Record<string, unknown>, actionsRequired: boolean): Omit<TriggerDefinition, "Name" | "Type" | "WorkflowName"> {
  const description = optionalString(b, "Description");
  const schedule = optionalString(b, "Schedule");
  const p = predicate(b);
  const batching = optionalStructure(b, "EventBatchingCondition");
  return {
    ...(description !== undefined ? { Description: description } : {}),
    ...(schedule !== undefined ? { Schedule: schedule } : {}),
    Actions: actions(b, actionsRequired),
    ...(p !== undefined ? { Predicate: p } : {}),
    ...(batching !== undefined ? { EventBatchingCondition: { BatchSize: optionalNumber(batching, "BatchSize") ?? 0, BatchWindow: optionalNumber(batching, "BatchWindow") } } : {}),
  };
}

export function glueWorkflowOperations(workflows: GlueWorkflowService): Record<string, Operation> {
  return {
    CreateWorkflow: (caller, b) => {
      const description = optionalString(b, "Description");
      const defaults = optionalStringMap(b, "DefaultRunProperties");
      const max = optionalNumber(b, "MaxConcurrentRuns");
      return workflows.createWorkflow(caller, {
        Name: name(b),
        ...(description !== undefined ? { Description: description } : {}),
        ...(defaults !== undefined ? { DefaultRunProperties: defaults } : {}),
        ...(max !== undefined ? { MaxConcurrentRuns: max } : {}),
      });
    },
    GetWorkflow: async (caller, b) => ({ Workflow: await workflows.getWorkflow(caller, name(b), optionalBoolean(b, "IncludeGraph") === true) }),
    ListWorkflows: (caller) => workflows.listWorkflows(caller),
    DeleteWorkflow: (caller, b) => workflows.deleteWorkflow(caller, name(b)),
    StartWorkflowRun: (caller, b) => workflows.startWorkflowRun(caller, name(b), optionalStringMap(b, "RunProperties")),
    GetWorkflowRun: async (caller, b) => ({ Run: await workflows.getWorkflowRun(caller, name(b), name(b, "RunId"), optionalBoolean(b, "IncludeGraph") === true) }),
    GetWorkflowRuns: (caller, b) =>
      // Model shape PageSize: 1..1000.
      workflows.getWorkflowRuns(caller, name(b), boundedInteger(b, "MaxResults", 1, 1000, GLUE_VALIDATION), optionalString(b, "NextToken"), optionalBoolean(b, "IncludeGraph") === true),
    GetWorkflowRunProperties: (caller, b) => workflows.getWorkflowRunProperties(caller, name(b), name(b, "RunId")),
    PutWorkflowRunProperties: (caller, b) => {
      const properties = optionalStringMap(b, "RunProperties");
      if (properties === undefined) requiredString(b, "RunProperties", GLUE_VALIDATION);
      return workflows.putWorkflowRunProperties(caller, name(b), name(b, "RunId"), properties ?? {});
    },
    StopWorkflowRun: (caller, b) => workflows.stopWorkflowRun(caller, name(b), name(b, "RunId")),
    CreateTrigger: (caller, b) => {
      const workflowName = optionalString(b, "WorkflowName");
      return workflows.createTrigger(caller, {
        Name: name(b),
        ...(workflowName !== undefined ? { WorkflowName: workflowName } : {}),
        Type: requiredString(b, "Type", GLUE_VALIDATION) as TriggerType,
        ...triggerBody(b, true),
        StartOnCreation: optionalBoolean(b, "StartOnCreation") === true,
      });
    },
    GetTrigger: (caller, b) => workflows.getTrigger(caller, name(b)),
    GetTriggers: (caller, b) => workflows.getTriggers(caller, optionalString(b, "DependentJobName")),
    ListTriggers: (caller) => workflows.listTriggers(caller),
    StartTrigger: (caller, b) => workflows.startTrigger(caller, name(b)),
    StopTrigger: (caller, b) => workflows.stopTrigger(caller, name(b)),
    DeleteTrigger: (caller, b) => workflows.deleteTrigger(caller, name(b)),
    UpdateTrigger: (caller, b) => {
      const update = optionalStructure(b, "TriggerUpdate");
      if (update === undefined) requiredString(b, "TriggerUpdate", GLUE_VALIDATION);
      return workflows.updateTrigger(caller, name(b), triggerBody(update ?? {}, false));
    },
  };
}
