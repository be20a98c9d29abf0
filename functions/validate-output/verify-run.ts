import type { ValidateOutputEvent, ValidateOutputResult } from "./index";

/** What a verification reads of a Glue run (GetJobRun's JobRun, from any SDK client). */
export interface RunToVerify {
  readonly Id?: string;
  readonly JobRunState?: string;
  readonly ErrorMessage?: string;
}

export type RunVerification =
  | { readonly ok: true; readonly result: ValidateOutputResult }
  /** `error` names why, for a state machine to Catch: the run's state (GlueJobRun.FAILED...) or ValidationFailed. */
  | { readonly ok: false; readonly error: string; readonly reason: string };

/**
 * The one decision both an operator's `approve` and the event-driven callback make before they vouch for
 * a Glue run: the run SUCCEEDED, and its output proves itself with validate-output's own logic (manifest
 * invariant and counts, header, every row against the filter).
 */
export async function verifyRun(
  run: RunToVerify,
  jobName: string,
  validate: (event: ValidateOutputEvent) => Promise<ValidateOutputResult>,
): Promise<RunVerification> {
  if (run.JobRunState !== "SUCCEEDED") {
    const detail = run.ErrorMessage ? `: ${run.ErrorMessage}` : run.JobRunState === "RUNNING" || run.JobRunState === "STARTING" ? "; wait for it to end" : "";
    return { ok: false, error: `GlueJobRun.${run.JobRunState ?? "UNKNOWN"}`, reason: `Glue run ${run.Id} of job ${jobName} is ${run.JobRunState}, not SUCCEEDED${detail}` };
  }
  try {
    return { ok: true, result: await validate({ jobRunId: run.Id as string }) };
  } catch (error) {
    const e = error as Error;
    const name = e instanceof Error && e.name && e.name !== "Error" ? e.name : "Error";
    // A tool's own error (CliError) speaks for itself; an error of the validation or an SDK says its name.
    const named = name === "Error" || name === "CliError" ? "" : `${name}: `;
    const text = (e instanceof Error ? `${named}${e.message}` : String(error)).trim().replace(/\s*\n\s*/g, " ");
    return { ok: false, error: name === "ValidationFailed" ? "ValidationFailed" : name, reason: `the output of Glue run ${run.Id} does not validate: ${text}` };
  }
}
