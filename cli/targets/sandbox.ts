import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import * as path from "node:path";
import { functions } from "../../sandbox/model-view";
import { loadProgramModel, type ProgramModel } from "../../sandbox/model";
import { CliError } from "../errors";
import { parseStackOutputs, type StackOutputs } from "./outputs";
import { startSandbox, type RunningSandbox, type SandboxCredentials, type SandboxEndpoints, type SandboxSettings } from "./sandbox-runtime";
import type { Target, ValidationSettings } from "./target";

/** The project's ignored state folder; `sfn-lab sandbox reset` deletes it. */
export const DEFAULT_STATE_DIR = path.join(__dirname, "..", "..", ".sandbox");
const CONNECTION_FILE = "running.json";

/** What `sandbox up` writes so commands in other terminals connect to it. */
export interface SandboxConnection {
  readonly pid: number;
  readonly startedAt: string;
  readonly region: string;
  readonly endpoints: SandboxEndpoints;
  readonly credentials: SandboxCredentials;
  readonly outputs: StackOutputs;
  readonly validation?: ValidationSettings;
}

export interface SandboxTargetOptions {
  readonly stateDir?: string;
  /** Stack whose config the program is evaluated with (default "dev"). */
  readonly stack?: string;
  /** Start a new sandbox in this process even when one is running (the demo wants a fresh one). */
  readonly fresh?: boolean;
  readonly glueStartupDelayMs?: number;
  readonly syncPollDelayMs?: number;
  /** Model to deploy instead of evaluating the program (tests). */
  readonly model?: ProgramModel;
  /** Called with each step of an in-process start ("evaluating the program", ...). */
  readonly onProgress?: (message: string) => void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The running sandbox's connection, or undefined when none is running (a stale file is ignored). */
export function readConnection(stateDir = DEFAULT_STATE_DIR): SandboxConnection | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(stateDir, CONNECTION_FILE), "utf8");
  } catch {
    return undefined;
  }
  let connection: SandboxConnection;
  try {
    connection = JSON.parse(text) as SandboxConnection;
  } catch {
    return undefined;
  }
  return typeof connection.pid === "number" && isAlive(connection.pid) ? connection : undefined;
}

export function writeConnection(connection: SandboxConnection, stateDir = DEFAULT_STATE_DIR): string {
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, CONNECTION_FILE);
  writeFileSync(file, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
  return file;
}

export function removeConnection(stateDir = DEFAULT_STATE_DIR): void {
  rmSync(path.join(stateDir, CONNECTION_FILE), { force: true });
}

/** The schema and filter the model's validate-output function is configured with. */
export function validationFromModel(model: ProgramModel, outputs: StackOutputs): ValidationSettings | undefined {
  const validator = functions(model).find((f) => f.name === outputs.functionNames.validateOutput);
  const schema = validator?.environment.SCHEMA_JSON;
  const filter = validator?.environment.FILTER_JSON;
  return schema && filter ? { schema: JSON.parse(schema), filter: JSON.parse(filter) } : undefined;
}

/** A Target whose clients point at a sandbox: only endpoint and credentials differ from AWS. */
export function targetFromConnection(connection: SandboxConnection, description: string, stop?: () => Promise<void>): Target {
  // A sandbox stopped by close() belongs to this command alone.
  const common = { region: connection.region, credentials: connection.credentials };
  const sfn = new SFNClient({ ...common, endpoint: connection.endpoints.sfn });
  const glue = new GlueClient({ ...common, endpoint: connection.endpoints.glue });
  const s3 = new S3Client({ ...common, endpoint: connection.endpoints.s3 });
  return {
    kind: "sandbox",
    description,
    sfn,
    glue,
    s3,
    outputs: connection.outputs,
    validation: connection.validation,
    pollIntervalMs: 200,
    ephemeral: stop !== undefined,
    async close() {
      sfn.destroy();
      glue.destroy();
      s3.destroy();
      await stop?.();
    },
  };
}

/** An in-process sandbox and the connection to it. */
export interface StartedSandbox {
  readonly sandbox: RunningSandbox;
  readonly connection: SandboxConnection;
  readonly model: ProgramModel;
}

/** Evaluates the program under mocks and starts a sandbox on it, in this process. */
export async function startInProcess(options: SandboxTargetOptions & { dataDir: string }): Promise<StartedSandbox> {
  options.onProgress?.("evaluating the program under Pulumi mocks");
  const model = options.model ?? (await loadProgramModel({ stack: options.stack ?? "dev" }));
  const outputs = parseStackOutputs(model.outputs, "the program's outputs under mocks");
  options.onProgress?.(`deploying ${model.resources.length} resources into the sandbox`);
  const settings: SandboxSettings = {
    dataDir: options.dataDir,
    glueStartupDelayMs: options.glueStartupDelayMs,
    syncPollDelayMs: options.syncPollDelayMs,
  };
  const sandbox = await startSandbox(model, settings);
  const connection: SandboxConnection = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    region: sandbox.region,
    endpoints: sandbox.endpoints,
    credentials: sandbox.credentials,
    outputs,
    validation: validationFromModel(model, outputs),
  };
  return { sandbox, connection, model };
}

/**
 * The sandbox target: the sandbox `sfn-lab sandbox up` runs, when there is one (and `fresh` is not set);
 * otherwise a sandbox started in this process for this command, in a temporary data folder under the
 * state folder, stopped and removed by close().
 */
export async function openSandboxTarget(options: SandboxTargetOptions = {}): Promise<Target> {
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const running = options.fresh ? undefined : readConnection(stateDir);
  if (running) return targetFromConnection(running, `sandbox (pid ${running.pid}, started ${running.startedAt})`);
  mkdirSync(stateDir, { recursive: true });
  const dataDir = await mkdtemp(path.join(stateDir, "run-"));
  let started: StartedSandbox;
  try {
    started = await startInProcess({ ...options, dataDir });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    if (error instanceof CliError) throw error;
    throw new CliError(`Could not start the sandbox: ${(error as Error).message}`);
  }
  return targetFromConnection(started.connection, "sandbox (in this process)", async () => {
    await started.sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
}
