import type { JobRun } from "@aws-sdk/client-glue";
import type { Command } from "commander";
import { consoleOutput, formatDuration, oneLine, type Output } from "../format/text";
import { getJobRun, recentJobRuns, runDurationMs, startJobRun } from "../ops/etl";
import { targetOptionsOf, withRunningTarget, withTarget } from "../targets";

export function describeRun(run: JobRun): string {
  const duration = runDurationMs(run);
  const started = run.StartedOn ? new Date(run.StartedOn).toISOString() : "?";
  const error = run.ErrorMessage ? `  ${oneLine(run.ErrorMessage, 200)}` : "";
  return `${run.Id}  ${(run.JobRunState ?? "?").padEnd(9)}  started ${started}  ${duration === undefined ? "" : formatDuration(duration)}${error}`;
}

export function printRuns(runs: readonly JobRun[], out: Output): void {
  if (runs.length === 0) out.line("No runs.");
  for (const run of runs) out.line(describeRun(run));
}

/** `sfn-lab etl start`. */
export async function etlStartCommand(command: Command): Promise<void> {
  await withTarget(targetOptionsOf(command), async (target) => {
    consoleOutput.line(await startJobRun(target));
  });
}

/** `sfn-lab etl status [run-id]`: needs a sandbox that keeps its runs (a throwaway one has none). */
export async function etlStatusCommand(runId: string | undefined, opts: { limit: string }, command: Command): Promise<void> {
  await withRunningTarget(targetOptionsOf(command), "etl status", async (target) => {
    if (runId) {
      printRuns([await getJobRun(target, runId)], consoleOutput);
    } else {
      printRuns((await recentJobRuns(target)).slice(0, Math.max(1, Number(opts.limit) || 5)), consoleOutput);
    }
  });
}
