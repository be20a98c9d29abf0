import type { JobRun } from "@aws-sdk/client-glue";
import { Command } from "commander";
import { consoleOutput, formatDuration, oneLine, type Output } from "../format/text";
import { getJobRun, recentJobRuns, runDurationMs, startJobRun } from "../ops/etl";
import { addTargetOptions, targetOptionsOf, withTarget } from "../targets";

/**
 * The `etl` command group, shared by every module that adds an `etl` sub-command (commander refuses two
 * commands of one name, so each module gets or creates the group here).
 */
export function etlGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === "etl") ??
    program.command("etl").description("the Glue ETL job: start it outside the state machines, see its runs, run it locally")
  );
}

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

export function registerEtl(program: Command): void {
  const etl = etlGroup(program);
  addTargetOptions(etl.command("start").description("start a run of the lab's Glue job (StartJobRun) and print its run id")).action(
    async (_opts: unknown, command: Command) => {
      await withTarget(targetOptionsOf(command), async (target) => {
        consoleOutput.line(await startJobRun(target));
      });
    },
  );
  addTargetOptions(
    etl
      .command("status [run-id]")
      .description("a run's state (GetJobRun), or the job's newest runs (GetJobRuns)")
      .option("--limit <n>", "how many runs to list without a run id", "5"),
  ).action(async (runId: string | undefined, opts: { limit: string }, command: Command) => {
    await withTarget(targetOptionsOf(command), async (target) => {
      if (runId) {
        printRuns([await getJobRun(target, runId)], consoleOutput);
      } else {
        printRuns((await recentJobRuns(target)).slice(0, Math.max(1, Number(opts.limit) || 5)), consoleOutput);
      }
    });
  });
}
