import { Command } from "commander";

/** Every sub-command registers itself here; one line per command module. */
export function registerCommands(program: Command): void {
  void program;
}
