/**
 * Optimized glue:startJobRun, request-response or .sync ("Run AWS Glue jobs with Step Functions": the optimized
 * Glue integration has StartJobRun only, with Request Response and Run a Job; no .waitForTaskToken). Crawlers,
 * workflows and triggers are AWS SDK calls (aws-sdk-glue.ts).
 * IAM as AWS CDK's GlueStartJobRun grants: StartJobRun, and for .sync GetJobRun, GetJobRuns, BatchStopJobRun.
 */
import { randomUUID } from "node:crypto";
import { abortableSleep } from "../../sandbox/abortable-sleep";
import type { JobRun } from "../../sandbox/glue/glue-service";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";
import { jobRunEnded, jobRunOutput } from "../perform/glue-job-runs";
import { failTask, param, recordScheduled, recordStarted, recordSubmitted, requireStringParam, sdkMetadata, serviceCallFailure, succeedTask } from "../perform/task-events";
import type { IntegrationModule } from "../types";

/** Request-response returns {JobName, JobRunId} at once; .sync waits for the run's end. */
async function glueStartJobRun(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
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
    if (!(await jobRunEnded(run))) continue;
    const output = jobRunOutput(run);
    if (run.JobRunState === "SUCCEEDED") return succeedTask(attempt, output);
    throw failTask(attempt, new TaskFailure("States.TaskFailed", JSON.stringify(output)));
  }
}

const JOB = "arn:${Partition}:glue:${Region}:${Account}:job/${JobName}";

export const glueJobRun: IntegrationModule = {
  name: "glue:startJobRun",
  kind: "optimized",
  service: "glue",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html",
  actions: {
    startJobRun: {
      patterns: ["request-response", "sync"],
      iam: {
        "request-response": [{ actions: ["glue:StartJobRun"], resources: [JOB] }],
        sync: [{ actions: ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"], resources: [JOB] }],
      },
      job: { label: "Glue job run", sdk: ["glue:startJobRun"] },
      statusRead: "getJobRun",
      perform: glueStartJobRun,
    },
  },
};
