import { Command } from "commander";
import { rmSync } from "node:fs";
import * as path from "node:path";
import { CliError } from "../errors";
import { consoleOutput, type Output } from "../format/text";
import { clientEnvironment, type SandboxConnection } from "../../sandbox";
import { DEFAULT_STATE_DIR, readConnection, startInProcess } from "../targets/sandbox";

function sandboxGroup(program: Command): Command {
  return program.commands.find((c) => c.name() === "sandbox") ?? program.command("sandbox").description("the local sandbox: keep one running, or reset its state");
}

/** The environment another program (AWS CLI, boto3, an SDK script) needs to talk to the sandbox, as one shell line. */
export function exportHint(connection: SandboxConnection): string {
  const env = clientEnvironment(connection);
  return `export ${Object.entries(env).map(([name, value]) => `${name}=${value}`).join(" ")}`;
}

export function printConnection(connection: SandboxConnection, file: string, out: Output): void {
  out.line(`Sandbox running (pid ${connection.pid}), on loopback only:`);
  out.line(`  Step Functions  ${connection.endpoints.sfn}`);
  out.line(`  Glue            ${connection.endpoints.glue}`);
  out.line(`  S3              ${connection.endpoints.s3}`);
  out.line(`  CloudWatch Logs ${connection.endpoints.logs}`);
  out.line(`sfn-lab commands in other terminals connect to it by themselves (${path.relative(process.cwd(), file) || file}).`);
  out.line("Other AWS tools (AWS CLI, SDK scripts), in another terminal:");
  out.line(`  ${exportHint(connection)}`);
  out.line("Ctrl-C stops it.");
}

export function registerSandbox(program: Command): void {
  const sandbox = sandboxGroup(program);
  sandbox
    .command("up")
    .description("deploy the program into a local sandbox and keep it running in the foreground (Ctrl-C stops it)")
    .option("--stack <name>", "stack whose config the program is evaluated with", "dev")
    .option("--glue-startup-ms <ms>", "how long a Glue run stays STARTING", "2000")
    .option("--sync-poll-ms <ms>", "how often Step Functions polls a .sync job run", "1000")
    .action(async (opts: { stack: string; glueStartupMs: string; syncPollMs: string }) => {
      const running = readConnection(DEFAULT_STATE_DIR);
      if (running) throw new CliError(`A sandbox is already running (pid ${running.pid}); stop it with Ctrl-C in its terminal first`);
      const sandbox = await startInProcess({
        stack: opts.stack,
        rootDir: DEFAULT_STATE_DIR,
        writeConnectionFile: true,
        glueStartupDelayMs: Number(opts.glueStartupMs),
        syncPollDelayMs: Number(opts.syncPollMs),
        onProgress: (message) => consoleOutput.line(`… ${message}`),
      });
      printConnection(sandbox.connection(), sandbox.connectionFile, consoleOutput);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      consoleOutput.line("Stopping the sandbox…");
      await sandbox.stop();
    });
  sandbox
    .command("reset")
    .description("delete the sandbox's state folder (objects, runs, logs)")
    .action(() => {
      const running = readConnection(DEFAULT_STATE_DIR);
      if (running) throw new CliError(`A sandbox is running (pid ${running.pid}); stop it with Ctrl-C before resetting its state`);
      rmSync(DEFAULT_STATE_DIR, { recursive: true, force: true });
      consoleOutput.line(`Removed ${path.relative(process.cwd(), DEFAULT_STATE_DIR) || DEFAULT_STATE_DIR}`);
    });
}
