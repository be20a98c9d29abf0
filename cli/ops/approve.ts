import { CliError } from "../errors";
import type { Target } from "../targets/target";
import { pausedToken, sendFailure, sendSuccess } from "./callbacks";
import { newestJobRun } from "./etl";
import { verifyJobRun, type Verification } from "./verify";

export interface ApproveOptions {
  /** Verify the run and its output before sending the token (default true). */
  readonly verify: boolean;
  /** The run to vouch for; default the job's newest run. */
  readonly jobRunId?: string;
}

export interface Approval {
  readonly jobRunId: string;
  /** Present when the run was verified. */
  readonly verification?: Extract<Verification, { ok: true }>;
}

/**
 * Sends SendTaskSuccess with {"JobRunId": ...} to the task an execution is paused on (the machine's
 * Validate state reads $.etl.JobRunId). By default refuses, with the reason, unless the run SUCCEEDED and
 * its output validates.
 */
export async function approveExecution(target: Target, executionArn: string, options: ApproveOptions): Promise<Approval> {
  const { token } = await pausedToken(target, executionArn);
  if (options.verify) {
    const verification = await verifyJobRun(target, options.jobRunId);
    if (!verification.ok) throw new CliError(`Not approved: ${verification.reason}`);
    const jobRunId = verification.run.Id as string;
    await sendSuccess(target, token, { JobRunId: jobRunId });
    return { jobRunId, verification };
  }
  const jobRunId = options.jobRunId ?? (await newestJobRun(target))?.Id;
  if (!jobRunId) throw new CliError(`Not approved: job ${target.outputs.jobName} has no runs to name; start one or pass --job-run`);
  await sendSuccess(target, token, { JobRunId: jobRunId });
  return { jobRunId };
}

/** Sends SendTaskFailure to the task an execution is paused on. */
export async function rejectExecution(target: Target, executionArn: string, error: string, cause: string): Promise<void> {
  const { token } = await pausedToken(target, executionArn);
  await sendFailure(target, token, error, cause);
}
