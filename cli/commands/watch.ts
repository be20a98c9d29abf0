import type { Command } from "commander";
import { consoleOutput } from "../format/text";
import { resolveExecutionArn } from "../ops/executions";
import { addTargetOptions, targetOptionsOf, withTarget } from "../targets";
import { exitCodeOf, followAndReport } from "./run";

export function registerWatch(program: Command): void {
  addTargetOptions(
    program
      .command("watch <execution>")
      .description("follow an execution (ARN or name) state by state from its history until it ends; exits 1 unless it SUCCEEDED"),
  ).action(async (execution: string, _opts: unknown, command: Command) => {
    await withTarget(targetOptionsOf(command), async (target) => {
      const executionArn = await resolveExecutionArn(target, execution);
      consoleOutput.line(`Watching ${executionArn} on ${target.description}`);
      process.exitCode = exitCodeOf(await followAndReport(target, executionArn, consoleOutput));
    });
  });
}
