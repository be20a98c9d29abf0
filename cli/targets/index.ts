import type { Command } from "commander";
import { CliError } from "../errors";
import { openAwsTarget } from "./aws";
import { openSandboxTarget, type SandboxTargetOptions } from "./sandbox";
import type { Target, TargetOptions } from "./target";

export type { Target, TargetOptions } from "./target";

/** Opens the target the options name; sandbox-only settings are ignored for AWS. */
export async function openTarget(options: TargetOptions, sandbox: SandboxTargetOptions = {}): Promise<Target> {
  if (options.target === "aws") return openAwsTarget({ stack: options.stack, outputsFile: options.outputs });
  if (options.target === "sandbox") return openSandboxTarget({ ...sandbox, stack: options.stack ?? sandbox.stack });
  throw new CliError(`--target must be "sandbox" or "aws", got "${String(options.target)}"`);
}

/** Runs `body` on the target and closes it afterwards, whatever happens. */
export async function withTarget<T>(options: TargetOptions, body: (target: Target) => Promise<T>, sandbox: SandboxTargetOptions = {}): Promise<T> {
  const target = await openTarget(options, sandbox);
  try {
    return await body(target);
  } finally {
    await target.close();
  }
}

/** The global --target option, on the root command. */
export function registerTargetOption(program: Command): void {
  program.option("--target <target>", "where to act: sandbox (local, default) or aws (a deployed stack)", "sandbox");
}

/** --stack and --outputs, on each command that acts on a target (not global: `preview` has its own --stack). */
export function addTargetOptions(command: Command): Command {
  return command
    .option("--stack <name>", "aws: the Pulumi stack whose outputs to read (default: the selected stack); sandbox: the stack config to evaluate")
    .option("--outputs <file>", "aws: a JSON file with the stack outputs (`pulumi stack output --json > FILE`) instead of asking Pulumi");
}

/** Target options of a command: its own plus the global --target. */
export function targetOptionsOf(command: Command): TargetOptions {
  const all = command.optsWithGlobals() as { target?: string; stack?: string; outputs?: string };
  const target = all.target ?? "sandbox";
  if (target !== "sandbox" && target !== "aws") throw new CliError(`--target must be "sandbox" or "aws", got "${target}"`);
  return { target, stack: all.stack, outputs: all.outputs };
}
