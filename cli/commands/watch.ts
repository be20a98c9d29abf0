import type { Command } from "commander";
import { consoleOutput } from "../format/text";
import { resolveExecutionArn } from "../ops/executions";
import { targetOptionsOf, withRunningTarget } from "../targets";
import { exitCodeOf, followAndReport } from "./run";

/** `sfn-lab watch <execution>`. */
export async function watchCommand(execution: string, command: Command): Promise<void> {
  await withRunningTarget(targetOptionsOf(command), "watch", async (target) => {
    const executionArn = await resolveExecutionArn(target, execution);
    consoleOutput.line(`Watching ${executionArn} on ${target.description}`);
    process.exitCode = exitCodeOf(await followAndReport(target, executionArn, consoleOutput));
  });
}
