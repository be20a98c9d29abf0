/**
 * How the sandbox performs events:putEvents ("Add EventBridge events with Step Functions"): the entries go to
 * the sandbox's EventBridge with the execution's and the state machine's ARNs appended to Resources; a
 * non-zero FailedEntryCount fails the Task with EventBridge.FailedEntry; .waitForTaskToken then waits.
 */
import { randomUUID } from "node:crypto";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";
import { failTask, param, recordScheduled, recordStarted, recordSubmitted, sdkMetadata, serviceCallFailure, succeedTask, waitForCallback } from "./task-events";

/** The state machine of an execution: arn:...:execution:<machine>:<name> -> arn:...:stateMachine:<machine>. */
function stateMachineArnOf(executionArn: string): string {
  const match = /^(arn:[^:]+:states:[^:]+:\d+):execution:([^:]+):[^:]+$/.exec(executionArn);
  return match ? `${match[1]}:stateMachine:${match[2]}` : executionArn;
}

/** PutEvents' entries from the Task's Entries: Detail as JSON text, Resources with the execution's and machine's ARNs. */
function entriesOf(attempt: TaskAttempt): Record<string, unknown>[] {
  const entries = param(attempt, "Entries");
  if (!Array.isArray(entries) || entries.length === 0 || entries.some((e) => typeof e !== "object" || e === null || Array.isArray(e))) {
    throw new TaskFailure("States.Runtime", `The state "${attempt.stateName}" (${attempt.resource.raw}) needs Entries, a list of PutEventsRequestEntry objects, got ${JSON.stringify(entries)}`);
  }
  return (entries as Record<string, unknown>[]).map((entry) => {
    const resources = Array.isArray(entry.Resources) ? entry.Resources : [];
    const detail = entry.Detail;
    return {
      ...entry,
      ...(detail !== undefined && typeof detail !== "string" ? { Detail: JSON.stringify(detail) } : {}),
      Resources: [...resources, attempt.executionArn, stateMachineArnOf(attempt.executionArn)],
    };
  });
}

export async function putEvents(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  recordScheduled(attempt, services);
  let entries: Record<string, unknown>[];
  try {
    entries = entriesOf(attempt);
  } catch (error) {
    throw failTask(attempt, error as TaskFailure);
  }
  recordStarted(attempt);
  let response: { FailedEntryCount: number; Entries: readonly Record<string, unknown>[] };
  try {
    response = await services.events.putEvents(attempt.principal, entries);
  } catch (error) {
    throw failTask(attempt, serviceCallFailure("events", error));
  }
  const output = { ...response, ...sdkMetadata(randomUUID()) };
  if (response.FailedEntryCount > 0) throw failTask(attempt, new TaskFailure("EventBridge.FailedEntry", JSON.stringify(output)));
  if (attempt.resource.pattern === "waitForTaskToken") {
    recordSubmitted(attempt, output);
    return waitForCallback(attempt, services);
  }
  return succeedTask(attempt, output);
}

