import type { Command } from "commander";
import { consoleOutput } from "../format/text";
import { UsageError } from "../errors";
import { approveExecution, rejectExecution } from "../ops/approve";
import { pausedToken, sendSuccess } from "../ops/callbacks";
import { resolveExecutionArn } from "../ops/executions";
import { targetOptionsOf, withRunningTarget } from "../targets";

/** The JSON document --output gives, or a usage error naming it. */
function outputDocument(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--output is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * `sfn-lab approve <execution>`: names the run it vouches for and why that one. With --output, any machine's
 * paused task gets that document as its result instead (no Glue run is involved).
 */
export async function approveCommand(execution: string, opts: { verify: boolean; run?: string; jobRun?: string; output?: string }, command: Command): Promise<void> {
  if (opts.output !== undefined && (opts.run ?? opts.jobRun) !== undefined) throw new UsageError("--output and --run exclude each other: --output sends your document, --run vouches for a Glue run");
  const document = opts.output === undefined ? undefined : outputDocument(opts.output);
  await withRunningTarget(targetOptionsOf(command), "approve", async (target) => {
    const executionArn = await resolveExecutionArn(target, execution);
    if (opts.output !== undefined) {
      const { token, pending } = await pausedToken(target, executionArn);
      await sendSuccess(target, token, document);
      consoleOutput.line(`✓ SendTaskSuccess ${JSON.stringify(document)} sent to ${executionArn} (paused at ${pending.state})`);
      return;
    }
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
