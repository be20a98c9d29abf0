import { GetJobRunCommand, GlueClient } from "@aws-sdk/client-glue";
import type { S3Client } from "@aws-sdk/client-s3";
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { previewTaskToken } from "../check-file";
import { requireEnv, type Environment } from "../shared/env";
import { InvalidEvent } from "../shared/errors";
import { createLogger } from "../shared/logger";
import { createS3Client } from "../shared/s3";
import { createValidateOutputHandler } from "../validate-output";
import { verifyRun } from "../validate-output/verify-run";

/**
 * event-callback: the target of an EventBridge rule on the ETL job's "Glue Job State Change" events. It
 * reads the run (GetJobRun) for the task token the state machine passed as a job argument, verifies the run
 * exactly as an operator's `approve` does (verifyRun: SUCCEEDED, and the output validates), and sends
 * SendTaskSuccess with the run, or SendTaskFailure with why. No operator, no polling.
 */

/** The event EventBridge delivers ("Automating AWS Glue with EventBridge"). */
export interface GlueJobStateChangeEvent {
  readonly source?: string;
  readonly "detail-type"?: string;
  readonly detail?: { readonly jobName?: string; readonly jobRunId?: string; readonly state?: string };
}

/** What the function did with one event. */
export interface EventCallbackResult {
  readonly jobRunId: string;
  readonly sent: "SendTaskSuccess" | "SendTaskFailure" | "nothing";
  /** Why nothing was sent, or the error sent with SendTaskFailure. */
  readonly reason?: string;
  readonly error?: string;
}

/** The output SendTaskSuccess sends: what run-job's `.sync` task selects from the run, so Validate reads $.etl.JobRunId. */
export interface EventCallbackOutput {
  readonly JobRunId: string;
  readonly JobRunState: string;
  readonly ExecutionTime?: number;
}

export interface EventCallbackDependencies {
  readonly glue: GlueClient;
  readonly sfn: SFNClient;
  readonly s3: S3Client;
  readonly logger: Logger;
  readonly env?: Environment;
}

/** The job argument that carries the token, unless TASK_TOKEN_ARGUMENT names another. */
export const DEFAULT_TASK_TOKEN_ARGUMENT = "--task_token";

/** Step Functions' answers for a token that can no longer be used (SendTaskSuccess/SendTaskFailure errors). */
const SPENT_TOKEN_ERRORS = ["TaskTimedOut", "InvalidToken", "TaskDoesNotExist"];

/** SendTaskFailure's limits (API model): error up to 256 characters, cause up to 32768. */
const MAX_ERROR = 256;
const MAX_CAUSE = 32_768;

export function createEventCallbackHandler(deps: EventCallbackDependencies) {
  return async (event: GlueJobStateChangeEvent, context?: Context): Promise<EventCallbackResult> => {
    if (context !== undefined) deps.logger.addContext(context);
    const env = deps.env ?? process.env;
    const jobName = requireEnv("ETL_JOB_NAME", env);
    const tokenArgument = env.TASK_TOKEN_ARGUMENT || DEFAULT_TASK_TOKEN_ARGUMENT;
    const jobRunId = readRunId(event, jobName);

    const { JobRun: run } = await deps.glue.send(new GetJobRunCommand({ JobName: jobName, RunId: jobRunId }));
    const token = run?.Arguments?.[tokenArgument];
    if (!run || token === undefined || token === "") {
      // A run started without a token (e.g. by an operator, for the wait-for-callback machine) has no one to call back.
      deps.logger.info("Run carries no task token; nothing to send", { jobRunId, tokenArgument });
      return { jobRunId, sent: "nothing", reason: `run ${jobRunId} has no ${tokenArgument} argument` };
    }

    const validate = createValidateOutputHandler({ s3: deps.s3, logger: deps.logger, env });
    const verification = await verifyRun(run, jobName, validate);
    try {
      if (verification.ok) {
        const output: EventCallbackOutput = { JobRunId: jobRunId, JobRunState: run.JobRunState as string, ExecutionTime: run.ExecutionTime };
        await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
        deps.logger.info("SendTaskSuccess sent", { ...verification.result, taskToken: previewTaskToken(token) });
        return { jobRunId, sent: "SendTaskSuccess" };
      }
      const error = verification.error.slice(0, MAX_ERROR);
      await deps.sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause: verification.reason.slice(0, MAX_CAUSE) }));
      deps.logger.warn("SendTaskFailure sent", { jobRunId, taskToken: previewTaskToken(token), error, cause: verification.reason });
      return { jobRunId, sent: "SendTaskFailure", error, reason: verification.reason };
    } catch (error) {
      const name = (error as Error).name;
      if (!SPENT_TOKEN_ERRORS.includes(name)) throw error;
      // The task already ended (timed out, answered, or its execution stopped): a retry would get the same answer.
      deps.logger.warn("Step Functions no longer accepts this token", { jobRunId, taskToken: previewTaskToken(token), error: name, message: (error as Error).message });
      return { jobRunId, sent: "nothing", reason: `${name}: ${(error as Error).message}` };
    }
  };
}

/** The handler Lambda runs: one set of clients and one logger per container. */
export const handler = createEventCallbackHandler({ glue: new GlueClient({}), sfn: new SFNClient({}), s3: createS3Client(), logger: createLogger("event-callback") });

function readRunId(event: GlueJobStateChangeEvent | null | undefined, jobName: string): string {
  const detail = event?.detail;
  if (event?.source !== "aws.glue" || event["detail-type"] !== "Glue Job State Change" || typeof detail?.jobRunId !== "string" || detail.jobRunId === "") {
    throw new InvalidEvent(
      `expected a "Glue Job State Change" event from aws.glue with detail.jobRunId, got ${JSON.stringify(event)?.slice(0, 300)}. ` +
        "The EventBridge rule's pattern should match source aws.glue and that detail-type.",
    );
  }
  if (detail.jobName !== jobName) {
    throw new InvalidEvent(`event for job ${JSON.stringify(detail.jobName)}, but this function serves job ${jobName}; narrow the rule's pattern to detail.jobName`);
  }
  return detail.jobRunId;
}
