import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../components/packageRoot";
import { registerCommands } from "./commands";
import { USAGE_EXIT_CODE } from "./errors";

export { describeError, exitCodeOf } from "./errors";

function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/**
 * Builds the `sfn-lab` command tree. The definitions live in cli/commands/index.ts; each command's module is
 * loaded only when it runs. Commander reports usage errors in one line and they exit 2 (see main).
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name("sfn-lab")
    .description("Step Functions service integration patterns lab: run, watch and operate the patterns, lint ASL, check policies")
    .version(packageVersion(), "-V, --version", "print the version")
    // Set before the sub-commands are added, so they inherit it: commander throws instead of exiting.
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    // Commander has already printed its one line ("error: unknown option '--x'") or the help/version text.
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
      return;
    }
    throw error;
  }
}
