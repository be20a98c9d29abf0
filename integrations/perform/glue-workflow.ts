/**
 * How the sandbox performs the aws-sdk:glue workflow and trigger calls: the Glue API's responses, made as the state
 * machine's role, with Step Functions' SDK error names (Glue.<ErrorCode>). startWorkflowRun.waitForTaskToken pauses
 * until the token, passed in RunProperties, comes back (a workflow's job reads it with GetWorkflowRunProperties).
 */
import type { IntegrationServices, TaskAttempt } from "../performer";
import { callTask } from "./task-events";

/** Dates as Step Functions serializes them in task outputs: epoch milliseconds, at any depth. */
function withEpochDates(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(withEpochDates);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withEpochDates(v)]));
  return value;
}

function parameters(attempt: TaskAttempt): Record<string, unknown> {
  const p = attempt.parameters;
  return typeof p === "object" && p !== null && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

const str = (p: Record<string, unknown>, key: string) => String(p[key] ?? "");
const map = (p: Record<string, unknown>, key: string) => (typeof p[key] === "object" && p[key] !== null ? (p[key] as Record<string, string>) : undefined);

function workflowCall(call: (p: Record<string, unknown>, attempt: TaskAttempt, services: IntegrationServices) => Promise<unknown>) {
  return (attempt: TaskAttempt, services: IntegrationServices) =>
    callTask(attempt, services, "glue", async () => withEpochDates(await call(parameters(attempt), attempt, services)));
}

export const sdkStartWorkflowRun = workflowCall((p, a, s) => s.glueWorkflows.startWorkflowRun(a.principal, str(p, "Name"), map(p, "RunProperties")));
export const sdkGetWorkflowRun = workflowCall(async (p, a, s) => ({ Run: await s.glueWorkflows.getWorkflowRun(a.principal, str(p, "Name"), str(p, "RunId"), p.IncludeGraph === true) }));
export const sdkGetWorkflowRuns = workflowCall((p, a, s) =>
  s.glueWorkflows.getWorkflowRuns(a.principal, str(p, "Name"), typeof p.MaxResults === "number" ? p.MaxResults : undefined, typeof p.NextToken === "string" ? p.NextToken : undefined),
);
export const sdkGetWorkflowRunProperties = workflowCall((p, a, s) => s.glueWorkflows.getWorkflowRunProperties(a.principal, str(p, "Name"), str(p, "RunId")));
export const sdkPutWorkflowRunProperties = workflowCall((p, a, s) => s.glueWorkflows.putWorkflowRunProperties(a.principal, str(p, "Name"), str(p, "RunId"), map(p, "RunProperties") ?? {}));
export const sdkStopWorkflowRun = workflowCall((p, a, s) => s.glueWorkflows.stopWorkflowRun(a.principal, str(p, "Name"), str(p, "RunId")));
export const sdkGetWorkflow = workflowCall(async (p, a, s) => ({ Workflow: await s.glueWorkflows.getWorkflow(a.principal, str(p, "Name"), p.IncludeGraph === true) }));
export const sdkStartTrigger = workflowCall((p, a, s) => s.glueWorkflows.startTrigger(a.principal, str(p, "Name")));
export const sdkStopTrigger = workflowCall((p, a, s) => s.glueWorkflows.stopTrigger(a.principal, str(p, "Name")));
export const sdkGetTrigger = workflowCall((p, a, s) => s.glueWorkflows.getTrigger(a.principal, str(p, "Name")));
