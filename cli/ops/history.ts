/**
 * Reads a Step Functions execution history (GetExecutionHistory events, oldest first) into what an
 * operator wants to know: each state visited with its outcome and duration, how the execution ended,
 * where it failed, and a callback task waiting for its token. Pure: no I/O.
 */
import type { HistoryEvent } from "@aws-sdk/client-sfn";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
export type StateOutcome = "running" | "succeeded" | "failed";

/** One visit of a state (a state entered twice, e.g. in a loop, has two visits). */
export interface StateVisit {
  readonly name: string;
  /** "Task", "Pass", "Fail"... from the event type. */
  readonly type: string;
  readonly enteredAt: Date;
  exitedAt?: Date;
  outcome: StateOutcome;
  /** How many times its task was scheduled (retries included). */
  attempts: number;
  /** The last task error, kept even when a Catch handled it. */
  error?: string;
  cause?: string;
  /** The state's output (StateExited), when the history includes execution data. */
  output?: string;
}

/** A `.waitForTaskToken` task that is waiting for SendTaskSuccess/Failure. */
export interface PendingCallback {
  readonly state: string;
  readonly resource: string;
  readonly scheduledAt: Date;
  /** The task token, from the TaskScheduled event's parameters; undefined when they are not in the history. */
  readonly token?: string;
  readonly heartbeatSeconds?: number;
  readonly timeoutSeconds?: number;
}

export interface ExecutionView {
  readonly status: ExecutionStatus;
  readonly startedAt?: Date;
  readonly stoppedAt?: Date;
  readonly visits: readonly StateVisit[];
  /** The state where it went wrong: the last task that failed, else the Fail state, else the last state. */
  readonly failedState?: string;
  readonly error?: string;
  readonly cause?: string;
  /** The execution's output when it SUCCEEDED. */
  readonly output?: string;
  readonly pendingCallback?: PendingCallback;
}

const STATE_EVENT = /^(\w+?)State(Entered|Exited)$/;

/** Events that end a task attempt in failure, with the key of their details. */
const TASK_FAILURE_DETAILS: Readonly<Record<string, keyof HistoryEvent>> = {
  TaskFailed: "taskFailedEventDetails",
  TaskStartFailed: "taskStartFailedEventDetails",
  TaskSubmitFailed: "taskSubmitFailedEventDetails",
  TaskTimedOut: "taskTimedOutEventDetails",
  LambdaFunctionFailed: "lambdaFunctionFailedEventDetails",
  LambdaFunctionStartFailed: "lambdaFunctionStartFailedEventDetails",
  LambdaFunctionScheduleFailed: "lambdaFunctionScheduleFailedEventDetails",
  LambdaFunctionTimedOut: "lambdaFunctionTimedOutEventDetails",
  ActivityFailed: "activityFailedEventDetails",
  ActivityScheduleFailed: "activityScheduleFailedEventDetails",
  ActivityTimedOut: "activityTimedOutEventDetails",
};
const TASK_SUCCESS = new Set(["TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded"]);
const TASK_SCHEDULED = new Set(["TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled"]);

const TERMINAL: Readonly<Record<string, { status: ExecutionStatus; details: keyof HistoryEvent }>> = {
  ExecutionSucceeded: { status: "SUCCEEDED", details: "executionSucceededEventDetails" },
  ExecutionFailed: { status: "FAILED", details: "executionFailedEventDetails" },
  ExecutionTimedOut: { status: "TIMED_OUT", details: "executionTimedOutEventDetails" },
  ExecutionAborted: { status: "ABORTED", details: "executionAbortedEventDetails" },
};

function asDate(value: Date | string | number | undefined): Date {
  return value instanceof Date ? value : new Date(value ?? 0);
}

/** The task token in a TaskScheduled event's parameters: Payload.taskToken, else any "taskToken" field. */
export function tokenFromParameters(parameters: string | undefined): string | undefined {
  if (!parameters) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(parameters);
  } catch {
    return undefined;
  }
  const payload = (json as { Payload?: { taskToken?: unknown } } | null)?.Payload;
  if (typeof payload?.taskToken === "string") return payload.taskToken;
  const search = (value: unknown): string | undefined => {
    if (typeof value !== "object" || value === null) return undefined;
    for (const [key, inner] of Object.entries(value)) {
      if (/^-*task_?token$/i.test(key) && typeof inner === "string") return inner;
      const found = search(inner);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return search(json);
}

/** Builds the view of an execution from its history events, oldest first (any page order is sorted by id). */
export function readHistory(events: readonly HistoryEvent[]): ExecutionView {
  const sorted = [...events].sort((a, b) => Number(a.id ?? 0) - Number(b.id ?? 0));
  const visits: StateVisit[] = [];
  let open: StateVisit | undefined;
  let taskFailedLast = false;
  let pending: PendingCallback | undefined;
  let status: ExecutionStatus = "RUNNING";
  let startedAt: Date | undefined;
  let stoppedAt: Date | undefined;
  let error: string | undefined;
  let cause: string | undefined;
  let output: string | undefined;

  const close = (visit: StateVisit, at: Date, failed: boolean) => {
    visit.exitedAt = at;
    visit.outcome = failed ? "failed" : "succeeded";
  };

  for (const event of sorted) {
    const type = event.type ?? "";
    const at = asDate(event.timestamp);
    const stateEvent = STATE_EVENT.exec(type);
    if (type === "ExecutionStarted") {
      startedAt = at;
    } else if (stateEvent && stateEvent[2] === "Entered") {
      if (open) close(open, at, taskFailedLast);
      const name = event.stateEnteredEventDetails?.name ?? "?";
      open = { name, type: stateEvent[1], enteredAt: at, outcome: "running", attempts: 0 };
      visits.push(open);
      taskFailedLast = false;
      pending = undefined;
      if (open.type === "Fail") {
        close(open, at, true);
        open = undefined;
      }
    } else if (stateEvent && stateEvent[2] === "Exited") {
      const name = event.stateExitedEventDetails?.name;
      const visit = open && (name === undefined || open.name === name) ? open : [...visits].reverse().find((v) => v.name === name);
      if (visit) {
        close(visit, at, taskFailedLast);
        visit.output = event.stateExitedEventDetails?.output;
      }
      if (visit === open) open = undefined;
      taskFailedLast = false;
      pending = undefined;
    } else if (TASK_SCHEDULED.has(type)) {
      taskFailedLast = false;
      if (open) open.attempts++;
      const details = event.taskScheduledEventDetails;
      if (details?.resource?.endsWith(".waitForTaskToken")) {
        pending = {
          state: open?.name ?? "?",
          resource: `${details.resourceType}:${details.resource}`,
          scheduledAt: at,
          token: tokenFromParameters(details.parameters),
          heartbeatSeconds: details.heartbeatInSeconds,
          timeoutSeconds: details.timeoutInSeconds,
        };
      }
    } else if (TASK_SUCCESS.has(type)) {
      taskFailedLast = false;
      pending = undefined;
    } else if (type in TASK_FAILURE_DETAILS) {
      const details = event[TASK_FAILURE_DETAILS[type]] as { error?: string; cause?: string } | undefined;
      taskFailedLast = true;
      pending = undefined;
      // The visit stays "running": a Retry may schedule the task again; its end decides the outcome.
      if (open) {
        open.error = details?.error;
        open.cause = details?.cause;
      }
    } else if (type in TERMINAL) {
      const terminal = TERMINAL[type];
      status = terminal.status;
      stoppedAt = at;
      const details = event[terminal.details] as { error?: string; cause?: string; output?: string } | undefined;
      error = details?.error;
      cause = details?.cause;
      output = terminal.status === "SUCCEEDED" ? details?.output : undefined;
      if (open) close(open, at, taskFailedLast || terminal.status !== "SUCCEEDED");
      open = undefined;
      pending = undefined;
    }
  }

  return {
    status,
    startedAt,
    stoppedAt,
    visits,
    failedState: status === "RUNNING" || status === "SUCCEEDED" ? undefined : whereItFailed(visits),
    error,
    cause,
    output,
    pendingCallback: status === "RUNNING" ? pending : undefined,
  };
}

function whereItFailed(visits: readonly StateVisit[]): string | undefined {
  const failedTask = [...visits].reverse().find((v) => v.outcome === "failed" && v.type !== "Fail");
  if (failedTask) return failedTask.name;
  const failState = [...visits].reverse().find((v) => v.type === "Fail");
  return (failState ?? visits[visits.length - 1])?.name;
}

/** The readable part of a cause: Lambda errors arrive as JSON {"errorType","errorMessage",...}. */
export function readableCause(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  try {
    const json = JSON.parse(cause) as { errorMessage?: unknown; Cause?: unknown; ErrorMessage?: unknown };
    if (typeof json.errorMessage === "string") return json.errorMessage;
    if (typeof json.ErrorMessage === "string") return json.ErrorMessage;
    if (typeof json.Cause === "string") return readableCause(json.Cause);
  } catch {
    // Not JSON: the cause is already text.
  }
  return cause;
}

/** Duration of a visit in ms (up to `now` while it runs). */
export function visitDurationMs(visit: StateVisit, now = new Date()): number {
  return (visit.exitedAt ?? now).getTime() - visit.enteredAt.getTime();
}
