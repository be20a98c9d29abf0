/**
 * Execution histories in the shape GetExecutionHistory returns, built step by step for the cost tests:
 * each helper appends the events Step Functions writes for one state.
 */
import type { HistoryEventLike } from "../../cli/cost/usage";

export const CHECK_FILE_ARN = "arn:aws:lambda:us-east-1:123456789012:function:lab-check-file-1a2b3c";
export const VALIDATE_ARN = "arn:aws:lambda:us-east-1:123456789012:function:lab-validate-output-4d5e6f";
export const JOB_NAME = "lab-etl-job";

type Event = HistoryEventLike & { id: number; previousEventId: number; type: string; timestamp: Date };

export class HistoryBuilder {
  readonly events: Event[] = [];
  private clock: number;

  constructor(start = Date.UTC(2026, 10, 25, 12, 0, 0)) {
    this.clock = start;
  }

  /** Appends an event `afterMs` after the previous one. */
  add(type: string, details?: Record<string, unknown>, afterMs = 10): this {
    this.clock += afterMs;
    const id = this.events.length + 1;
    const key = `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
    this.events.push({ id, previousEventId: id - 1, type, timestamp: new Date(this.clock), ...(details ? { [key]: details } : {}) });
    return this;
  }

  started(): this {
    return this.add("ExecutionStarted", { input: "{}", roleArn: "arn:aws:iam::123456789012:role/sm" }, 0);
  }

  entered(name: string, type = "Task"): this {
    return this.add(`${type}StateEntered`, { name, input: "{}" });
  }

  exited(name: string, type = "Task"): this {
    return this.add(`${type}StateExited`, { name, output: "{}" });
  }

  /** One lambda:invoke attempt that runs `ms` and succeeds (or fails with `error`). */
  lambdaAttempt(functionArn: string, ms: number, error?: string): this {
    const resource = { resourceType: "lambda", resource: "invoke" };
    this.add("TaskScheduled", { ...resource, region: "us-east-1", parameters: JSON.stringify({ FunctionName: functionArn, Payload: {} }) });
    this.add("TaskStarted", resource);
    return error
      ? this.add("TaskFailed", { ...resource, error, cause: "boom" }, ms)
      : this.add("TaskSucceeded", { ...resource, output: JSON.stringify({ Payload: { ok: true }, StatusCode: 200 }) }, ms);
  }

  lambdaState(name: string, functionArn: string, ms: number): this {
    return this.entered(name).lambdaAttempt(functionArn, ms).exited(name);
  }

  /** glue:startJobRun (request-response): answers the run id at once. */
  startJobState(name: string, jobRunId: string): this {
    const resource = { resourceType: "glue", resource: "startJobRun" };
    return this.entered(name)
      .add("TaskScheduled", { ...resource, region: "us-east-1", parameters: JSON.stringify({ JobName: JOB_NAME }) })
      .add("TaskStarted", resource)
      .add("TaskSucceeded", { ...resource, output: JSON.stringify({ JobRunId: jobRunId }) }, 80)
      .exited(name);
  }

  /** glue:startJobRun.sync: submitted, then the finished JobRun once a poll sees it. */
  syncJobState(name: string, jobRunId: string, executionSeconds: number, maxCapacity = 0.0625): this {
    const resource = { resourceType: "glue", resource: "startJobRun.sync" };
    const run = { Id: jobRunId, JobName: JOB_NAME, JobRunState: "SUCCEEDED", ExecutionTime: executionSeconds, MaxCapacity: maxCapacity };
    return this.entered(name)
      .add("TaskScheduled", { ...resource, region: "us-east-1", parameters: JSON.stringify({ JobName: JOB_NAME }) })
      .add("TaskStarted", resource)
      .add("TaskSubmitted", { ...resource, output: JSON.stringify({ JobRunId: jobRunId }) }, 80)
      .add("TaskSucceeded", { ...resource, output: JSON.stringify(run) }, 60_000)
      .exited(name);
  }

  /** lambda:invoke.waitForTaskToken: the function answers after `ms`, the callback (output) later. */
  callbackState(name: string, functionArn: string, ms: number, callbackOutput: unknown): this {
    const resource = { resourceType: "lambda", resource: "invoke.waitForTaskToken" };
    const parameters = { FunctionName: functionArn, Payload: { taskToken: "AQCE-token", executionId: "arn:..." } };
    return this.entered(name)
      .add("TaskScheduled", { ...resource, region: "us-east-1", parameters: JSON.stringify(parameters), timeoutInSeconds: 86400, heartbeatInSeconds: 3600 })
      .add("TaskStarted", resource)
      .add("TaskSubmitted", { ...resource, output: JSON.stringify({ StatusCode: 200 }) }, ms)
      .add("TaskSucceeded", { ...resource, output: JSON.stringify(callbackOutput) }, 300_000)
      .exited(name);
  }

  /**
   * aws-sdk:glue:startJobRun.waitForTaskToken: StartJobRun answers the run id (TaskSubmitted), the run's
   * state-change event sends the callback `waitMs` later.
   */
  eventCallbackState(name: string, jobRunId: string, waitMs: number): this {
    const resource = { resourceType: "aws-sdk:glue", resource: "startJobRun.waitForTaskToken" };
    const parameters = { JobName: JOB_NAME, Arguments: { "--task_token": "AQCE-token" } };
    return this.entered(name)
      .add("TaskScheduled", { ...resource, region: "us-east-1", parameters: JSON.stringify(parameters), timeoutInSeconds: 1200 })
      .add("TaskStarted", resource)
      .add("TaskSubmitted", { ...resource, output: JSON.stringify({ JobRunId: jobRunId }) }, 80)
      .add("TaskSucceeded", { ...resource, output: JSON.stringify({ JobRunId: jobRunId, JobRunState: "SUCCEEDED", ExecutionTime: 40 }) }, waitMs)
      .exited(name);
  }

  /** When the last event happened, epoch ms. */
  now(): number {
    return this.clock;
  }

  succeed(name = "Done"): this {
    return this.entered(name, "Succeed").exited(name, "Succeed").add("ExecutionSucceeded", { output: "{}" });
  }

  fail(name: string, error: string): this {
    return this.entered(name, "Fail").add("ExecutionFailed", { error, cause: "see the state" });
  }
}

/** run-job: CheckFile (120 ms), StartEtl .sync (the run took `executionSeconds`), Validate (300 ms), Done. */
export function runJobHistory(jobRunId = "jr_sync", executionSeconds = 42): Event[] {
  return new HistoryBuilder()
    .started()
    .lambdaState("CheckFile", CHECK_FILE_ARN, 120)
    .syncJobState("StartEtl", jobRunId, executionSeconds)
    .lambdaState("Validate", VALIDATE_ARN, 300)
    .succeed().events;
}

/** request-response: CheckFile, StartEtl (no wait), Validate fails (caught), OutputInvalid. */
export function requestResponseHistory(jobRunId = "jr_rr"): Event[] {
  return new HistoryBuilder()
    .started()
    .lambdaState("CheckFile", CHECK_FILE_ARN, 120)
    .startJobState("StartEtl", jobRunId)
    .entered("Validate")
    .lambdaAttempt(VALIDATE_ARN, 200, "ValidationFailed")
    .add("TaskStateExited", { name: "Validate", output: "{}" })
    .fail("OutputInvalid", "OutputInvalid").events;
}

/** wait-for-callback: WaitForOperator (check-file answers in 150 ms; the operator hands `jobRunId`), Validate, Done. */
export function waitForCallbackHistory(jobRunId = "jr_cb"): Event[] {
  return new HistoryBuilder()
    .started()
    .callbackState("WaitForOperator", CHECK_FILE_ARN, 150, { JobRunId: jobRunId })
    .lambdaState("Validate", VALIDATE_ARN, 300)
    .succeed().events;
}

/**
 * event-driven-callback: CheckFile, StartEtl (the run's event resumes it `waitMs` after submission), Validate,
 * Done; and the task's end, epoch ms, to place the run's CompletedOn before it.
 */
export function eventDrivenHistory(jobRunId = "jr_ev", waitMs = 45_000): { events: Event[]; startEtlEndedAt: number } {
  const builder = new HistoryBuilder().started().lambdaState("CheckFile", CHECK_FILE_ARN, 120).eventCallbackState("StartEtl", jobRunId, waitMs);
  const startEtlEndedAt = builder.events[builder.events.length - 2].timestamp.getTime();
  return { events: builder.lambdaState("Validate", VALIDATE_ARN, 300).succeed().events, startEtlEndedAt };
}
