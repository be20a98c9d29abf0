import type { Command } from "commander";
import { consoleOutput } from "../format/text";
import { approveExecution, rejectExecution } from "../ops/approve";
import { resolveExecutionArn } from "../ops/executions";
import { addTargetOptions, targetOptionsOf, withTarget } from "../targets";

export function registerApprove(program: Command): void {
  addTargetOptions(
    program
      .command("approve <execution>")
      .description(
        "send SendTaskSuccess {\"JobRunId\": ...} to the callback task an execution (ARN or name) is paused on; by default only after " +
          "the Glue run SUCCEEDED and its output validates, refusing with the reason otherwise",
      )
      .option("--no-verify", "send the token without checking the run and its output")
      .option("--job-run <id>", "the Glue run to vouch for (default: the job's newest run)"),
  ).action(async (execution: string, opts: { verify: boolean; jobRun?: string }, command: Command) => {
    await withTarget(targetOptionsOf(command), async (target) => {
      const executionArn = await resolveExecutionArn(target, execution);
      const approval = await approveExecution(target, executionArn, { verify: opts.verify, jobRunId: opts.jobRun });
      const result = approval.verification?.result;
      if (result) {
        consoleOutput.line(
          `✓ Glue run ${approval.jobRunId} SUCCEEDED and its output validates: ${result.inputRows} rows in, ${result.kept} kept, ` +
            `${result.filteredOut} filtered out, ${result.rejected} rejected`,
        );
      } else {
        consoleOutput.line(`! not verified (--no-verify): vouching for Glue run ${approval.jobRunId}`);
      }
      consoleOutput.line(`✓ SendTaskSuccess {"JobRunId":"${approval.jobRunId}"} sent to ${executionArn}`);
    });
  });
}

export function registerReject(program: Command): void {
  addTargetOptions(
    program
      .command("reject <execution>")
      .description("send SendTaskFailure to the callback task an execution (ARN or name) is paused on")
      .requiredOption("--error <code>", "the error name the execution sees (e.g. OutputRejected)")
      .requiredOption("--cause <text>", "why, in words"),
  ).action(async (execution: string, opts: { error: string; cause: string }, command: Command) => {
    await withTarget(targetOptionsOf(command), async (target) => {
      const executionArn = await resolveExecutionArn(target, execution);
      await rejectExecution(target, executionArn, opts.error, opts.cause);
      consoleOutput.line(`✓ SendTaskFailure ${opts.error} sent to ${executionArn}`);
    });
  });
}
