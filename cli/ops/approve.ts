import type { JobRun } from "@aws-sdk/client-glue";
import { CliError } from "../errors";
import type { Target } from "../targets/target";
import { pausedToken, sendFailure, sendSuccess } from "./callbacks";
import { getJobRun, recentJobRuns } from "./etl";
import { readExecution } from "./executions";
import { verifyJobRun, type Verification } from "./verify";

export interface ApproveOptions {
  /** Verify the run and its output before sending the token (default true). */
  readonly verify: boolean;
  /** The run to vouch for; default the newest run started after the execution paused. */
  readonly jobRunId?: string;
}

export interface Approval {
  readonly jobRunId: string;
  /** How the run was chosen, for the operator: "named with --run" or "the newest run started after ... paused at ...". */
  readonly chosenBecause: string;
  /** Present when the run was verified. */
  readonly verification?: Extract<Verification, { ok: true }>;
}

function startedAt(run: JobRun): number | undefined {
  return run.StartedOn ? new Date(run.StartedOn).getTime() : undefined;
}

/**
 * The Glue run an approval vouches for. The execution waits for a run started for it: by default the newest
 * run started after it paused at its callback task; one named with --run may have started earlier, but never
 * before the execution itself (that run cannot hold this execution's data).
 */
export async function chooseJobRun(
  target: Target,
  execution: { readonly arn: string; readonly startedAt?: Date; readonly pausedAt: Date; readonly state: string },
  runId?: string,
): Promise<{ run: JobRun; chosenBecause: string }> {
  const job = target.outputs.jobName;
  if (runId !== undefined) {
    const run = await getJobRun(target, runId);
    const runStart = startedAt(run);
    if (execution.startedAt && (runStart === undefined || runStart < execution.startedAt.getTime())) {
      throw new CliError(
        `Not approved: Glue run ${runId} started ${runStart === undefined ? "at an unknown time" : `at ${new Date(runStart).toISOString()}`}, ` +
          `before execution ${execution.arn} started (${execution.startedAt.toISOString()}), so it cannot be the run this execution waits for`,
      );
    }
    return { run, chosenBecause: "named with --run" };
  }
  const runs = await recentJobRuns(target);
  if (runs.length === 0) throw new CliError(`Not approved: job ${job} has no runs; start one with \`sfn-lab etl start\``);
  const pausedAt = execution.pausedAt.getTime();
  const after = runs.filter((run) => (startedAt(run) ?? -Infinity) >= pausedAt);
  if (after.length === 0) {
    const newest = runs[0];
    throw new CliError(
      `Not approved: no run of job ${job} started after the execution paused at ${execution.state} (${execution.pausedAt.toISOString()}); ` +
        `the newest, ${newest.Id}, started ${newest.StartedOn ? new Date(newest.StartedOn).toISOString() : "at an unknown time"}. ` +
        "Start one with `sfn-lab etl start`, or name one with --run ID",
    );
  }
  return { run: after[0], chosenBecause: `the newest run started after the execution paused at ${execution.state} (${execution.pausedAt.toISOString()})` };
}

/**
 * Sends SendTaskSuccess with {"JobRunId": ...} to the task an execution is paused on (the machine's
 * Validate state reads $.etl.JobRunId), for the run chooseJobRun picks. By default refuses, with the
 * reason, unless that run SUCCEEDED and its output validates.
 */
export async function approveExecution(target: Target, executionArn: string, options: ApproveOptions): Promise<Approval> {
  const { token, pending } = await pausedToken(target, executionArn);
  const view = await readExecution(target, executionArn);
  const { run, chosenBecause } = await chooseJobRun(
    target,
    { arn: executionArn, startedAt: view.startedAt, pausedAt: pending.scheduledAt, state: pending.state },
    options.jobRunId,
  );
  const jobRunId = run.Id as string;
  if (!options.verify) {
    await sendSuccess(target, token, { JobRunId: jobRunId });
    return { jobRunId, chosenBecause };
  }
  const verification = await verifyJobRun(target, run);
  if (!verification.ok) throw new CliError(`Not approved: ${verification.reason}`);
  await sendSuccess(target, token, { JobRunId: jobRunId });
  return { jobRunId, chosenBecause, verification };
}

/** Sends SendTaskFailure to the task an execution is paused on. */
export async function rejectExecution(target: Target, executionArn: string, error: string, cause: string): Promise<void> {
  const { token } = await pausedToken(target, executionArn);
  await sendFailure(target, token, error, cause);
}
