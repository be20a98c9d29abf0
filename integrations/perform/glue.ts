/** How the sandbox performs the Glue integrations (glue:startJobRun and the aws-sdk:glue job-run calls). */
import { randomUUID } from "node:crypto";
import { abortableSleep } from "../../sandbox/abortable-sleep";
import type { JobRun } from "../../sandbox/glue/glue-service";
import { TERMINAL_STATES } from "../../sandbox/glue/glue-service";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";
import { callTask, failTask, param, recordScheduled, recordStarted, recordSubmitted, requireStringParam, sdkMetadata, serviceCallFailure, succeedTask } from "./task-events";

/** Dates as Step Functions serializes them in task outputs: epoch milliseconds. */
function jobRunOutput(run: JobRun): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(run)) out[key] = value instanceof Date ? value.getTime() : value;
  return out;
}

/** Request-response returns {JobName, JobRunId} at once; .sync waits for the run's end. */
export async function glueStartJobRun(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  recordScheduled(attempt, services);
  const jobName = requireStringParam(attempt, "JobName");
  const args = param(attempt, "Arguments");
  const timeout = param(attempt, "Timeout");
  recordStarted(attempt);
  let runId: string;
  try {
    ({ JobRunId: runId } = await services.glue.startJobRun(attempt.principal, {
      JobName: jobName,
      Arguments: typeof args === "object" && args !== null ? (args as Record<string, string>) : undefined,
      Timeout: typeof timeout === "number" ? timeout : undefined,
    }));
  } catch (error) {
    throw failTask(attempt, serviceCallFailure("glue", error));
  }
  // Step Functions adds the job's name to StartJobRun's response.
  const started = { JobName: jobName, JobRunId: runId, ...sdkMetadata(randomUUID()) };
  if (attempt.resource.pattern !== "sync") return succeedTask(attempt, started);

  recordSubmitted(attempt, started);
  attempt.onAbandon(async () => {
    // Stopping the execution (or the state's timeout) stops the job run it is waiting for, if the role may.
    await services.glue.batchStopJobRun(attempt.principal, jobName, [runId]).catch(() => undefined);
  });
  for (;;) {
    await abortableSleep(services.syncPollIntervalMs, attempt.signal);
    let run: JobRun;
    try {
      run = await services.glue.getJobRun(attempt.principal, jobName, runId);
    } catch (error) {
      throw failTask(attempt, serviceCallFailure("glue", error));
    }
    if (!TERMINAL_STATES.includes(run.JobRunState)) continue;
    const output = jobRunOutput(run);
    if (run.JobRunState === "SUCCEEDED") return succeedTask(attempt, output);
    throw failTask(attempt, new TaskFailure("States.TaskFailed", JSON.stringify(output)));
  }
}

function parameters(attempt: TaskAttempt): Record<string, unknown> {
  return (attempt.parameters ?? {}) as Record<string, unknown>;
}
const str = (p: Record<string, unknown>, key: string) => String(p[key] ?? "");

/** A Glue API call made as the state machine's role; its response is the task's result. */
function glueCall(call: (p: Record<string, unknown>, attempt: TaskAttempt, services: IntegrationServices) => Promise<unknown>) {
  return (attempt: TaskAttempt, services: IntegrationServices) => callTask(attempt, services, "glue", () => call(parameters(attempt), attempt, services));
}

/** aws-sdk:glue calls on job runs: the API's responses. */
export const sdkStartJobRun = glueCall((p, a, s) => s.glue.startJobRun(a.principal, { JobName: str(p, "JobName"), Arguments: p.Arguments as Record<string, string> | undefined }));
export const sdkGetJobRun = glueCall(async (p, a, s) => ({ JobRun: jobRunOutput(await s.glue.getJobRun(a.principal, str(p, "JobName"), str(p, "RunId"))) }));
export const sdkGetJobRuns = glueCall(async (p, a, s) => {
  const page = await s.glue.getJobRuns(a.principal, str(p, "JobName"), typeof p.MaxResults === "number" ? p.MaxResults : undefined);
  return { ...page, JobRuns: page.JobRuns.map(jobRunOutput) };
});
export const sdkBatchStopJobRun = glueCall((p, a, s) => s.glue.batchStopJobRun(a.principal, str(p, "JobName"), (p.JobRunIds as string[]) ?? []));
