/**
 * What an execution used, read from its history (GetExecutionHistory events, any source: AWS, the
 * sandbox, a saved file). Pure: no I/O, no prices.
 *
 * Billing facts this follows (Step Functions pricing page): Standard workflows bill a state transition
 * each time a step of the workflow is executed, retries included. In a history, every step executed
 * starts with one `<Type>StateEntered` event (Fail and Succeed states included), and every retry is a
 * task scheduled again after a failed attempt, inside the same state.
 */

/** The fields of a history event this module reads; the SDK's and the sandbox's events both fit. */
export interface HistoryEventLike {
  readonly id?: number;
  readonly previousEventId?: number;
  readonly type?: string;
  readonly timestamp?: Date | string | number;
  readonly [details: string]: unknown;
}

const STATE_ENTERED = /StateEntered$/;
const SCHEDULED = new Set(["TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled"]);
const STARTED = new Set(["TaskStarted", "LambdaFunctionStarted", "ActivityStarted"]);
/** An attempt that ended: success, failure or time-out (an attempt after these is a retry). */
const ATTEMPT_FAILED = new Set([
  "TaskFailed",
  "TaskStartFailed",
  "TaskSubmitFailed",
  "TaskTimedOut",
  "LambdaFunctionFailed",
  "LambdaFunctionStartFailed",
  "LambdaFunctionScheduleFailed",
  "LambdaFunctionTimedOut",
  "ActivityFailed",
  "ActivityScheduleFailed",
  "ActivityTimedOut",
]);
const ATTEMPT_SUCCEEDED = new Set(["TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded"]);

function sortedById(events: readonly HistoryEventLike[]): HistoryEventLike[] {
  return [...events].sort((a, b) => Number(a.id ?? 0) - Number(b.id ?? 0));
}

function millis(value: Date | string | number | undefined): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return value;
  return value === undefined ? NaN : new Date(value).getTime();
}

function details(event: HistoryEventLike): Record<string, unknown> {
  const type = event.type ?? "";
  const value = event[`${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`];
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Events whose state entry is billed as a transition; their count plus the retries is the bill. */
export interface TransitionCount {
  /** `<Type>StateEntered` events. */
  readonly statesEntered: number;
  /** Task attempts scheduled again after a failed attempt (each is billed as a transition). */
  readonly retries: number;
  readonly total: number;
}

/**
 * Billed state transitions of one execution. A scheduled attempt is a retry when the event before it
 * (by previousEventId, else by position) ended an attempt in failure.
 */
export function countStateTransitions(history: readonly HistoryEventLike[]): TransitionCount {
  const events = sortedById(history);
  const byId = new Map<number, HistoryEventLike>();
  for (const e of events) if (typeof e.id === "number") byId.set(e.id, e);
  let statesEntered = 0;
  let retries = 0;
  events.forEach((event, index) => {
    const type = event.type ?? "";
    if (STATE_ENTERED.test(type)) statesEntered++;
    if (!SCHEDULED.has(type)) return;
    const previous = typeof event.previousEventId === "number" && byId.has(event.previousEventId) ? byId.get(event.previousEventId) : events[index - 1];
    if (previous && ATTEMPT_FAILED.has(previous.type ?? "")) retries++;
  });
  return { statesEntered, retries, total: statesEntered + retries };
}

/** One task attempt: what it called and for how long, from its own events. */
export interface TaskAttempt {
  /** e.g. "lambda", "glue". */
  readonly resourceType: string;
  /** e.g. "invoke", "startJobRun.sync", "invoke.waitForTaskToken". */
  readonly resource: string;
  readonly parameters: unknown;
  readonly scheduledAt: number;
  readonly startedAt?: number;
  /**
   * When the called service answered: TaskSubmitted for `.waitForTaskToken` and `.sync` (the call
   * returned, the wait begins), else the attempt's end.
   */
  readonly answeredAt?: number;
  readonly endedAt?: number;
  readonly outcome: "succeeded" | "failed" | "running";
  /** The attempt's output (TaskSucceeded), parsed when it is JSON. */
  readonly output?: unknown;
  /** TaskSubmitted's output (the called API's answer before the wait), parsed when JSON. */
  readonly submittedOutput?: unknown;
}

function resourceKey(resourceType: string, resource: string): string {
  return `${resourceType}:${resource}`;
}

/**
 * Every task attempt of an execution, in order. Events of an attempt carry the same resource type and
 * resource, so attempts of parallel branches are told apart by resource (first scheduled, first matched).
 */
export function taskAttempts(history: readonly HistoryEventLike[]): TaskAttempt[] {
  type Open = {
    -readonly [K in keyof TaskAttempt]: TaskAttempt[K];
  };
  const attempts: Open[] = [];
  const open = new Map<string, Open[]>();
  const firstOpen = (d: Record<string, unknown>): Open | undefined => {
    const key = resourceKey(String(d.resourceType ?? ""), String(d.resource ?? ""));
    const queue = open.get(key);
    if (queue && queue.length > 0) return queue[0];
    // Lambda's legacy events carry no resource: any open attempt.
    for (const q of open.values()) if (q.length > 0) return q[0];
    return undefined;
  };
  const close = (attempt: Open) => {
    const queue = open.get(resourceKey(attempt.resourceType, attempt.resource));
    if (queue) queue.splice(queue.indexOf(attempt), 1);
  };
  for (const event of sortedById(history)) {
    const type = event.type ?? "";
    const d = details(event);
    const at = millis(event.timestamp);
    if (SCHEDULED.has(type)) {
      const resourceType = String(d.resourceType ?? (type === "LambdaFunctionScheduled" ? "lambda" : ""));
      const resource = String(d.resource ?? (type === "LambdaFunctionScheduled" ? "invoke" : ""));
      const attempt: Open = { resourceType, resource, parameters: parseJson(d.parameters ?? d.input), scheduledAt: at, outcome: "running" };
      attempts.push(attempt);
      const key = resourceKey(resourceType, resource);
      open.set(key, [...(open.get(key) ?? []), attempt]);
    } else if (STARTED.has(type)) {
      const attempt = firstOpen(d);
      if (attempt && attempt.startedAt === undefined) attempt.startedAt = at;
    } else if (type === "TaskSubmitted") {
      const attempt = firstOpen(d);
      if (attempt) {
        attempt.answeredAt = at;
        attempt.submittedOutput = parseJson(d.output);
      }
    } else if (ATTEMPT_SUCCEEDED.has(type) || ATTEMPT_FAILED.has(type)) {
      const attempt = firstOpen(d);
      if (!attempt) continue;
      attempt.endedAt = at;
      attempt.answeredAt ??= at;
      attempt.outcome = ATTEMPT_SUCCEEDED.has(type) ? "succeeded" : "failed";
      if (attempt.outcome === "succeeded") attempt.output = parseJson(d.output);
      close(attempt);
    }
  }
  return attempts;
}

/** A Lambda invocation seen in the history. */
export interface LambdaCall {
  /** FunctionName as the task passed it (name or ARN, possibly qualified). */
  readonly functionName: string;
  /**
   * From TaskStarted to the function's answer. An upper bound of Lambda's billed duration: it includes
   * the invoke round trip. Undefined when the history does not show both ends.
   */
  readonly durationMs?: number;
}

/** Every Lambda invocation the execution made (Step Functions' optimized lambda:invoke integration). */
export function lambdaCalls(history: readonly HistoryEventLike[]): LambdaCall[] {
  return taskAttempts(history)
    .filter((a) => a.resourceType === "lambda" && a.resource.startsWith("invoke"))
    .map((a) => {
      const params = a.parameters as { FunctionName?: unknown } | undefined;
      const from = a.startedAt ?? a.scheduledAt;
      const durationMs = a.answeredAt !== undefined && Number.isFinite(from) ? Math.max(0, a.answeredAt - from) : undefined;
      return { functionName: typeof params?.FunctionName === "string" ? params.FunctionName : "?", durationMs };
    });
}

/** A Glue job run the execution started or was handed. */
export interface GlueRunRef {
  readonly jobRunId: string;
  readonly jobName?: string;
  /** Glue's ExecutionTime (seconds) when the history shows the finished run (`.sync` output). */
  readonly executionSeconds?: number;
  readonly maxCapacity?: number;
  /** "spark" when the finished run shows workers (a Spark job), else "python-shell". */
  readonly engine?: "python-shell" | "spark";
  /** started-by-task: a glue:startJobRun task; handed-by-callback: a callback's output named it. */
  readonly source: "started-by-task" | "handed-by-callback";
}

function stringField(value: unknown, key: string): string | undefined {
  const v = (value as Record<string, unknown> | undefined)?.[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

function numberField(value: unknown, key: string): number | undefined {
  const v = (value as Record<string, unknown> | undefined)?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/**
 * Glue runs the execution paid for: each run a glue:startJobRun task started (its id from the task's
 * answer: `JobRunId`, or the JobRun's `Id` for `.sync`), and each run a callback task's output names
 * (`JobRunId`): the wait-for-callback pattern runs its job outside the machine.
 */
export function glueRuns(history: readonly HistoryEventLike[]): GlueRunRef[] {
  const runs: GlueRunRef[] = [];
  const seen = new Set<string>();
  for (const a of taskAttempts(history)) {
    if (a.resourceType === "glue" && a.resource.startsWith("startJobRun")) {
      const answer = a.output ?? a.submittedOutput;
      const jobRunId = stringField(answer, "JobRunId") ?? stringField(answer, "Id") ?? stringField(a.submittedOutput, "JobRunId");
      if (!jobRunId || seen.has(jobRunId)) continue;
      seen.add(jobRunId);
      const finished = a.resource.endsWith(".sync") && a.outcome !== "running" ? a.output : undefined;
      runs.push({
        jobRunId,
        jobName: stringField(a.parameters, "JobName") ?? stringField(answer, "JobName"),
        executionSeconds: numberField(finished, "ExecutionTime"),
        maxCapacity: numberField(finished, "MaxCapacity"),
        ...(finished === undefined ? {} : { engine: stringField(finished, "WorkerType") ? ("spark" as const) : ("python-shell" as const) }),
        source: "started-by-task",
      });
    } else if (a.resource.endsWith(".waitForTaskToken") && a.outcome === "succeeded") {
      const jobRunId = stringField(a.output, "JobRunId");
      if (!jobRunId || seen.has(jobRunId)) continue;
      seen.add(jobRunId);
      runs.push({ jobRunId, source: "handed-by-callback" });
    }
  }
  return runs;
}

/** How the execution ended, and its wall time (start to stop), when the history shows both. */
export function executionSpan(history: readonly HistoryEventLike[]): { status?: string; durationMs?: number } {
  const events = sortedById(history);
  const started = events.find((e) => e.type === "ExecutionStarted");
  const ended = events.find((e) => /^Execution(Succeeded|Failed|TimedOut|Aborted)$/.test(e.type ?? ""));
  const status = ended?.type?.replace(/^Execution/, "").toUpperCase().replace("TIMEDOUT", "TIMED_OUT");
  const durationMs = started && ended ? millis(ended.timestamp) - millis(started.timestamp) : undefined;
  return { status, durationMs };
}
