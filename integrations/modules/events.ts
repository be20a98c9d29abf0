/**
 * Optimized events:putEvents ("Add EventBridge events with Step Functions"): request-response and Wait for
 * Callback. What differs from the SDK integration, as that page says: the execution's ARN and the state
 * machine's ARN are appended to each entry's Resources, and a response with a non-zero FailedEntryCount
 * fails the Task with EventBridge.FailedEntry. Detail may be given as a JSON object (sent as its JSON text).
 * IAM ("IAM policies for calling Amazon EventBridge"): events:PutEvents on the event bus the entries name.
 * The role derivation grants the default bus (event-bus/default): it cannot read a bus named in a list
 * member (Entries[].EventBusName); a machine that sends to another bus grants it with additionalStatements.
 * The sandbox has the default bus only: an entry naming another bus is that entry's ResourceNotFoundException,
 * so the Task fails with EventBridge.FailedEntry, as a failed entry does on AWS.
 */
import { randomUUID } from "node:crypto";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";
import { failTask, param, recordScheduled, recordStarted, recordSubmitted, sdkMetadata, serviceCallFailure, succeedTask, waitForCallback } from "../perform/task-events";
import type { IamStatementTemplate, IntegrationModule } from "../types";

const DEFAULT_BUS: readonly IamStatementTemplate[] = [{ actions: ["events:PutEvents"], resources: ["arn:${Partition}:events:${Region}:${Account}:event-bus/default"] }];

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

async function putEvents(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
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

export const events: IntegrationModule = {
  name: "events",
  kind: "optimized",
  service: "events",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html",
  actions: {
    putEvents: {
      patterns: ["request-response", "waitForTaskToken"],
      iam: { "request-response": DEFAULT_BUS, waitForTaskToken: DEFAULT_BUS },
      // The token travels in an entry's Detail (a rule's target reads it from the event).
      tokenCarrier: "Entries",
      perform: putEvents,
    },
  },
};
