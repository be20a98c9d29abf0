import type { Command } from "commander";
import { previewTaskToken } from "../../functions/check-file";
import { describeEnd, progressPrinter } from "../format/progress";
import { consoleOutput, type Output } from "../format/text";
import { startMachine } from "../ops/executions";
import { followExecution } from "../ops/follow";
import type { ExecutionView } from "../ops/history";
import { targetOptionsOf, withTarget, type Target } from "../targets";
import { resolveMachine } from "../targets/machines";

/** Exit code of a followed execution: 0 when it SUCCEEDED (or waits for a callback), 1 when it ended otherwise. */
export function exitCodeOf(view: ExecutionView): number {
  return view.status === "SUCCEEDED" || view.status === "RUNNING" ? 0 : 1;
}

/**
 * Follows an execution to its end, printing a line per state. When it pauses on a callback the operator
 * is told how to resume it; a sandbox that lives only for this command cannot be reached from elsewhere,
 * so following stops there.
 */
export async function followAndReport(target: Target, executionArn: string, out: Output): Promise<ExecutionView> {
  const printer = progressPrinter(out);
  const view = await followExecution(
    target,
    executionArn,
    {
      ...printer,
      callbackPending(pending) {
        printer.callbackPending?.(pending);
        if (!target.ephemeral) {
          out.line(`    resume it from another terminal: sfn-lab approve ${executionArn}${target.kind === "aws" ? " --target aws" : ""}  (or: sfn-lab reject ...)`);
        }
      },
    },
    { until: (v) => target.ephemeral === true && v.pendingCallback !== undefined },
  );
  if (view.status === "RUNNING" && view.pendingCallback) {
    out.line(`⏸ paused at ${view.pendingCallback.state}${view.pendingCallback.token ? ` (token ${previewTaskToken(view.pendingCallback.token)})` : ""}`);
    out.line("  This sandbox was started for this command and stops with it; run `sfn-lab sandbox up` in another terminal to keep executions alive.");
  } else {
    out.line(describeEnd(view));
  }
  return view;
}

/** `sfn-lab run <machine>`: a machine's name or ARN, or a lab pattern name. */
export async function runCommand(reference: string, opts: { input: string; wait: boolean }, command: Command): Promise<void> {
  await withTarget(targetOptionsOf(command), async (target) => {
    const machine = await resolveMachine(target, reference);
    const executionArn = await startMachine(target, machine.arn, opts.input);
    consoleOutput.line(`Started ${reference === machine.name ? machine.name : `${reference} (${machine.name})`} on ${target.description}`);
    consoleOutput.line(`  execution ${executionArn}`);
    if (!opts.wait) return;
    process.exitCode = exitCodeOf(await followAndReport(target, executionArn, consoleOutput));
  });
}
