import { rmSync } from "node:fs";
import * as path from "node:path";
import { CliError } from "../errors";
import { consoleOutput, type Output } from "../format/text";
import type { SandboxConnection } from "../../sandbox";
import { clientEnvironment } from "../../sandbox/client-environment";
import { DEFAULT_STATE_DIR, describeStale, sandboxStatus } from "../targets/connection";
import { startInProcess } from "../targets/sandbox";

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
  out.line(`  EventBridge     ${connection.endpoints.events}`);
  out.line(`sfn-lab commands in other terminals connect to it by themselves (${path.relative(process.cwd(), file) || file}).`);
  out.line("Other AWS tools (AWS CLI, SDK scripts), in another terminal:");
  out.line(`  ${exportHint(connection)}`);
  out.line("Ctrl-C stops it.");
}

/** `sfn-lab sandbox up`: runs in the foreground until Ctrl-C. A stale connection file is reported and replaced. */
export async function sandboxUpCommand(opts: { stack: string; glueStartupMs: number; syncPollMs: number; cache: boolean }): Promise<void> {
  const status = await sandboxStatus(DEFAULT_STATE_DIR);
  if (status.kind === "running") {
    throw new CliError(`A sandbox is already running (pid ${status.connection.pid}); stop it with Ctrl-C in its terminal first`);
  }
  if (status.kind === "stale") consoleOutput.line(`! ${describeStale(status)}; starting a new sandbox in its place`);
  const sandbox = await startInProcess({
    stack: opts.stack,
    rootDir: DEFAULT_STATE_DIR,
    stateDir: DEFAULT_STATE_DIR,
    writeConnectionFile: true,
    noCache: !opts.cache,
    glueStartupDelayMs: opts.glueStartupMs,
    syncPollDelayMs: opts.syncPollMs,
    onProgress: (message) => consoleOutput.line(`… ${message}`),
  });
  printConnection(sandbox.connection(), sandbox.connectionFile, consoleOutput);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  consoleOutput.line("Stopping the sandbox…");
  await sandbox.stop();
}

/** `sfn-lab sandbox reset`. */
export async function sandboxResetCommand(): Promise<void> {
  const status = await sandboxStatus(DEFAULT_STATE_DIR);
  if (status.kind === "running") throw new CliError(`A sandbox is running (pid ${status.connection.pid}); stop it with Ctrl-C before resetting its state`);
  rmSync(DEFAULT_STATE_DIR, { recursive: true, force: true });
  consoleOutput.line(`Removed ${path.relative(process.cwd(), DEFAULT_STATE_DIR) || DEFAULT_STATE_DIR}`);
}
