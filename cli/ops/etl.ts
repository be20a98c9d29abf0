import { GetJobCommand, GetJobRunCommand, GetJobRunsCommand, StartJobRunCommand, type JobRun } from "@aws-sdk/client-glue";
import { CliError } from "../errors";
import type { Target } from "../targets/target";

/** The schema and filter the job runs with, which its output is checked against. */
export interface ValidationSettings {
  readonly schema: unknown;
  readonly filter: unknown;
}

export const TERMINAL_RUN_STATES = new Set(["SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"]);

/** Starts the lab's job outside any state machine; returns the run id. */
export async function startJobRun(target: Target): Promise<string> {
  const started = await target.glue.send(new StartJobRunCommand({ JobName: target.outputs.jobName }));
  if (!started.JobRunId) throw new CliError(`StartJobRun on job ${target.outputs.jobName} returned no JobRunId`);
  return started.JobRunId;
}

export async function getJobRun(target: Target, runId: string): Promise<JobRun> {
  const found = await target.glue.send(new GetJobRunCommand({ JobName: target.outputs.jobName, RunId: runId }));
  if (!found.JobRun) throw new CliError(`Glue returned no run ${runId} of job ${target.outputs.jobName}`);
  return found.JobRun;
}

/** The job's most recent runs, newest first (the first page Glue returns, sorted by start time). */
export async function recentJobRuns(target: Target, max = 200): Promise<JobRun[]> {
  const page = await target.glue.send(new GetJobRunsCommand({ JobName: target.outputs.jobName, MaxResults: max }));
  return [...(page.JobRuns ?? [])].sort((a, b) => time(b.StartedOn) - time(a.StartedOn));
}

export async function newestJobRun(target: Target): Promise<JobRun | undefined> {
  return (await recentJobRuns(target))[0];
}

function time(value: Date | undefined): number {
  return value ? new Date(value).getTime() : 0;
}

/** Wall time of a run in ms: CompletedOn - StartedOn, else Glue's ExecutionTime (seconds). */
export function runDurationMs(run: JobRun, now = new Date()): number | undefined {
  if (run.StartedOn) return (run.CompletedOn ? time(run.CompletedOn) : now.getTime()) - time(run.StartedOn);
  return run.ExecutionTime !== undefined ? run.ExecutionTime * 1000 : undefined;
}

/** Polls a run until it reaches a terminal state, reporting each state change. */
export async function waitForJobRun(
  target: Target,
  runId: string,
  onState: (run: JobRun) => void = () => undefined,
  timeoutMs = Infinity,
): Promise<JobRun> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  for (;;) {
    const run = await getJobRun(target, runId);
    if (run.JobRunState !== last) {
      last = run.JobRunState;
      onState(run);
    }
    if (TERMINAL_RUN_STATES.has(run.JobRunState ?? "")) return run;
    if (Date.now() >= deadline) throw new CliError(`Glue run ${runId} is still ${run.JobRunState} after ${Math.round(timeoutMs / 1000)}s`);
    await new Promise((resolve) => setTimeout(resolve, target.pollIntervalMs));
  }
}

/** The schema and filter the job runs with: its --schema and --filter default arguments (GetJob). */
export async function validationSettings(target: Target): Promise<ValidationSettings> {
  const job = await target.glue.send(new GetJobCommand({ JobName: target.outputs.jobName }));
  const args = job.Job?.DefaultArguments ?? {};
  const parse = (name: string): unknown => {
    const text = args[name];
    if (text === undefined) throw new CliError(`Glue job ${target.outputs.jobName} has no default argument ${name}; cannot verify its output`);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new CliError(`Glue job ${target.outputs.jobName} argument ${name} is not JSON: ${(error as Error).message}`);
    }
  };
  return { schema: parse("--schema"), filter: parse("--filter") };
}
