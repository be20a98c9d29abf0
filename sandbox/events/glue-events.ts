import type { JobRun, JobRunState } from "../glue/glue-service";

/**
 * Glue's "Glue Job State Change" events ("Automating AWS Glue with EventBridge": generated for SUCCEEDED,
 * FAILED, TIMEOUT and STOPPED; "AWS Glue events" in the EventBridge events reference): source aws.glue,
 * resources [], detail { jobName, severity, state, jobRunId, message }. The pages give the fields, and examples
 * give SUCCEEDED's severity and message ("Job run succeeded", INFO) and a failure's form (the job, the run and the
 * run's error); no AWS page gives the wording for TIMEOUT or STOPPED, so theirs is ours. Consumers (functions/
 * event-callback) read `state`, never `message`.
 */
export const GLUE_SOURCE = "aws.glue";
export const GLUE_JOB_STATE_CHANGE = "Glue Job State Change";

const EVENT_STATES: Readonly<Partial<Record<JobRunState, { severity: "INFO" | "WARN" | "ERROR"; message: (run: JobRun) => string }>>> = {
  SUCCEEDED: { severity: "INFO", message: () => "Job run succeeded" },
  FAILED: {
    severity: "ERROR",
    message: (run) => `JobName:${run.JobName} and JobRunId:${run.Id} failed to execute with exception ${run.ErrorMessage ?? "unknown error"}`,
  },
  TIMEOUT: { severity: "WARN", message: () => "Job run timed out" },
  STOPPED: { severity: "INFO", message: () => "Job run stopped" },
};

export interface GlueJobStateChangeDetail {
  readonly jobName: string;
  readonly severity: "INFO" | "WARN" | "ERROR";
  readonly state: JobRunState;
  readonly jobRunId: string;
  readonly message: string;
}

/** The detail of the event a run's state change emits, or undefined for states Glue sends no event for. */
export function glueJobStateChange(run: JobRun): GlueJobStateChangeDetail | undefined {
  const shape = EVENT_STATES[run.JobRunState];
  if (!shape) return undefined;
  return { jobName: run.JobName, severity: shape.severity, state: run.JobRunState, jobRunId: run.Id, message: shape.message(run) };
}
