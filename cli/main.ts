import { Command } from "commander";
import { registerCommands } from "./commands";

/** Builds the `sfn-lab` command tree. Each command lives in its own module under cli/commands/. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name("sfn-lab")
    .description("Step Functions service integration patterns lab: run, watch and operate the patterns, lint ASL, check policies")
    .showHelpAfterError();
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
