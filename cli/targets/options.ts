import type { Command } from "commander";
import { UsageError } from "../errors";
import type { TargetOptions } from "./target";

/** The global --target option, on the root command. */
export function registerTargetOption(program: Command): void {
  program.option("--target <target>", "where to act: sandbox (local, default) or aws (a deployed stack)", "sandbox");
}

/** --stack and --outputs, on each command that acts on a target (not global: `preview` has its own --stack). */
export function addTargetOptions(command: Command): Command {
  return command
    .option("--stack <name>", "aws: the Pulumi stack whose outputs to read (default: the selected stack); sandbox: the stack config to evaluate")
    .option("--outputs <file>", "aws: a JSON file with the stack outputs (`pulumi stack output --json > FILE`) instead of asking Pulumi")
    .option("--program <dir>", "sandbox: the Pulumi program a sandbox started for this command deploys (default: the lab's)");
}

/** Target options of a command: its own plus the global --target. */
export function targetOptionsOf(command: Command): TargetOptions {
  const all = command.optsWithGlobals() as { target?: string; stack?: string; outputs?: string; program?: string };
  const target = all.target ?? "sandbox";
  if (target !== "sandbox" && target !== "aws") throw new UsageError(`--target must be "sandbox" or "aws", got "${target}"`);
  return { target, stack: all.stack, outputs: all.outputs, program: all.program };
}
