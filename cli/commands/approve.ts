import type { Command } from "commander";
import { consoleOutput } from "../format/text";
import { approveExecution, rejectExecution } from "../ops/approve";
import { resolveExecutionArn } from "../ops/executions";
import { targetOptionsOf, withRunningTarget } from "../targets";

/** `sfn-lab approve <execution>`: names the run it vouches for and why that one. */
export async function approveCommand(execution: string, opts: { verify: boolean; run?: string; jobRun?: string }, command: Command): Promise<void> {
  await withRunningTarget(targetOptionsOf(command), "approve", async (target) => {
    const executionArn = await resolveExecutionArn(target, execution);
    const approval = await approveExecution(target, executionArn, { verify: opts.verify, jobRunId: opts.run ?? opts.jobRun });
    consoleOutput.line(`Glue run ${approval.jobRunId}: ${approval.chosenBecause}`);
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
}

/** `sfn-lab reject <execution>`. */
export async function rejectCommand(execution: string, opts: { error: string; cause: string }, command: Command): Promise<void> {
  await withRunningTarget(targetOptionsOf(command), "reject", async (target) => {
    const executionArn = await resolveExecutionArn(target, execution);
    await rejectExecution(target, executionArn, opts.error, opts.cause);
    consoleOutput.line(`✓ SendTaskFailure ${opts.error} sent to ${executionArn}`);
  });
}
