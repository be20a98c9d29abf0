import { rmSync } from "node:fs";
import * as path from "node:path";
import { CliError, UsageError } from "../errors";
import { consoleOutput, type Output } from "../format/text";
import { describeNotDeployed, type NotDeployed, type ProgramModel, type SandboxConnection } from "../../sandbox";
import { stateMachines } from "../../sandbox/model-view";
import { clientEnvironment } from "../../sandbox/client-environment";
import { DEFAULT_STATE_DIR, describeStale, sandboxStatus } from "../targets/connection";
import { startInProcess } from "../targets/sandbox";

/** The environment another program (AWS CLI, boto3, an SDK script) needs to talk to the sandbox, as one shell line. */
export function exportHint(connection: SandboxConnection): string {
  const env = clientEnvironment(connection);
  return `export ${Object.entries(env).map(([name, value]) => `${name}=${value}`).join(" ")}`;
}

/** What the program declares that the sandbox does not run, each with what fails when a machine calls it. */
export function printNotDeployed(items: readonly NotDeployed[], out: Output): void {
  if (items.length === 0) return;
  out.line(`! ${items.length} resource(s) of the program are not deployed:`);
  for (const item of items) out.line(`  ! ${describeNotDeployed(item)}`);
}

/** The program's state machines, by name, as the commands address them. */
export function printMachines(model: ProgramModel, out: Output): void {
  const machines = stateMachines(model);
  if (machines.length === 0) return;
  out.line(`State machines (address them by name or ARN: sfn-lab run NAME):`);
  for (const m of machines) out.line(`  ${m.name.padEnd(28)} ${m.arn}`);
}

export function printConnection(connection: SandboxConnection, file: string, out: Output): void {
  out.line(`Sandbox running (pid ${connection.pid}), on loopback only:`);
  out.line(`  Step Functions  ${connection.endpoints.sfn}`);
  out.line(`  Glue            ${connection.endpoints.glue}`);
  out.line(`  S3              ${connection.endpoints.s3}`);
  out.line(`  CloudWatch Logs ${connection.endpoints.logs}`);
  out.line(`  Lambda          ${connection.endpoints.lambda}`);
  out.line(`  IAM             ${connection.endpoints.iam}`);
  out.line(`  EventBridge     ${connection.endpoints.events}`);
  out.line(`sfn-lab commands in other terminals connect to it by themselves (${path.relative(process.cwd(), file) || file}).`);
  out.line("Other AWS tools (AWS CLI, SDK scripts), in another terminal:");
  out.line(`  ${exportHint(connection)}`);
  out.line("Ctrl-C stops it.");
}

/** `sfn-lab sandbox up`: runs in the foreground until Ctrl-C. A stale connection file is reported and replaced. */
export async function sandboxUpCommand(opts: { stack: string; program?: string; empty?: boolean; glueStartupMs: number; syncPollMs: number; cache: boolean }): Promise<void> {
  if (opts.empty && opts.program !== undefined) throw new UsageError("--empty deploys no program: drop --program, or --empty");
  const status = await sandboxStatus(DEFAULT_STATE_DIR);
  if (status.kind === "running") {
    throw new CliError(`A sandbox is already running (pid ${status.connection.pid}); stop it with Ctrl-C in its terminal first`);
  }
  if (status.kind === "stale") consoleOutput.line(`! ${describeStale(status)}; starting a new sandbox in its place`);
  const sandbox = await startInProcess({
    stack: opts.stack,
    programDir: opts.program,
    empty: opts.empty === true,
    rootDir: DEFAULT_STATE_DIR,
    stateDir: DEFAULT_STATE_DIR,
    writeConnectionFile: true,
    noCache: !opts.cache,
    glueStartupDelayMs: opts.glueStartupMs,
    syncPollDelayMs: opts.syncPollMs,
    onProgress: (message) => consoleOutput.line(`… ${message}`),
  });
  printNotDeployed(sandbox.notDeployed, consoleOutput);
  printMachines(sandbox.model, consoleOutput);
  if (opts.empty) consoleOutput.line("Nothing deployed (--empty): create roles, functions, Glue jobs and state machines through the AWS APIs, e.g. aws stepfunctions create-state-machine --definition file://my.asl.json");
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
