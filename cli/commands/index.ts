import { Command } from "commander";
import { registerPreview } from "./preview";

/** Every sub-command registers itself here; one line per command module. */
export function registerCommands(program: Command): void {
  registerPreview(program);
}
