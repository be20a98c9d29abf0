import { UsageError } from "../errors";
import type { SandboxTargetOptions } from "./sandbox";
import type { Target, TargetOptions } from "./target";

export type { Target, TargetOptions } from "./target";
export { addTargetOptions, registerTargetOption, targetOptionsOf } from "./options";

/**
 * Opens the target the options name; sandbox-only settings are ignored for AWS. Each target's module is
 * loaded only when it is asked for (the sandbox's pulls in the program evaluation, AWS's does not).
 */
export async function openTarget(options: TargetOptions, sandbox: SandboxTargetOptions = {}): Promise<Target> {
  if (options.target === "aws") return (await import("./aws")).openAwsTarget({ stack: options.stack, outputsFile: options.outputs });
  if (options.target === "sandbox") return (await import("./sandbox")).openSandboxTarget({ ...sandbox, stack: options.stack ?? sandbox.stack, programDir: options.program ?? sandbox.programDir });
  throw new UsageError(`--target must be "sandbox" or "aws", got "${String(options.target)}"`);
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

/**
 * Like withTarget, for a command that reads state earlier commands left (paused executions, job runs): on the
 * sandbox it needs the one `sfn-lab sandbox up` runs and refuses without it, instead of starting an empty one.
 */
export async function withRunningTarget<T>(options: TargetOptions, commandName: string, body: (target: Target) => Promise<T>, stateDir?: string): Promise<T> {
  if (options.target !== "sandbox") return withTarget(options, body);
  const target = await (await import("./sandbox")).openRunningSandboxTarget(commandName, stateDir);
  try {
    return await body(target);
  } finally {
    await target.close();
  }
}
