import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import * as path from "node:path";
import { CONNECTION_FILE_NAME, Sandbox, type SandboxConnection } from "../../sandbox";
import { loadProgramModel, type ProgramModel } from "../../sandbox/model";
import { CliError } from "../errors";
import { parseStackOutputs } from "./outputs";
import type { Target } from "./target";

/**
 * The sandbox's state folder: the project's ignored `.sandbox/`, or SFN_LAB_SANDBOX_DIR (to keep two
 * sandboxes apart). `sfn-lab sandbox reset` deletes it.
 */
export const DEFAULT_STATE_DIR = path.resolve(process.env.SFN_LAB_SANDBOX_DIR || path.join(__dirname, "..", "..", ".sandbox"));

export interface SandboxTargetOptions {
  /** Folder of the sandbox's state and of the connection file of a running one. */
  readonly stateDir?: string;
  /** Stack whose config the program is evaluated with (default "dev"). */
  readonly stack?: string;
  /** Start a new sandbox in this process even when one is running (the demo wants a fresh one). */
  readonly fresh?: boolean;
  /** How long a Glue run stays STARTING. */
  readonly glueStartupDelayMs?: number;
  /** Step Functions' delay between two polls of a `.sync` job run. */
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

/** The sandbox `sfn-lab sandbox up` keeps running, or undefined (a file left by a dead process is ignored). */
export function readConnection(stateDir = DEFAULT_STATE_DIR): SandboxConnection | undefined {
  try {
    const connection = JSON.parse(readFileSync(path.join(stateDir, CONNECTION_FILE_NAME), "utf8")) as SandboxConnection;
    return typeof connection.pid === "number" && isAlive(connection.pid) ? connection : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Target whose clients point at a sandbox: only endpoint and credentials differ from AWS (S3 is asked
 * path-style, as for any S3-compatible endpoint on an IP address).
 */
export function targetFromConnection(connection: SandboxConnection, description: string, stop?: () => Promise<void>): Target {
  const common = { region: connection.region, credentials: connection.credentials };
  const sfn = new SFNClient({ ...common, endpoint: connection.endpoints.sfn });
  const glue = new GlueClient({ ...common, endpoint: connection.endpoints.glue });
  const s3 = new S3Client({ ...common, endpoint: connection.endpoints.s3, forcePathStyle: true });
  return {
    kind: "sandbox",
    description,
    sfn,
    glue,
    s3,
    outputs: parseStackOutputs(connection.outputs, `the sandbox's outputs (${connection.rootDir})`),
    pollIntervalMs: 200,
    // A sandbox stopped by close() belongs to this command alone.
    ephemeral: stop !== undefined,
    async close() {
      sfn.destroy();
      glue.destroy();
      s3.destroy();
      await stop?.();
    },
  };
}

/** Evaluates the program under mocks and starts a sandbox on it, in this process. */
export async function startInProcess(
  options: SandboxTargetOptions & { rootDir: string; writeConnectionFile: boolean },
): Promise<Sandbox> {
  options.onProgress?.("evaluating the program under Pulumi mocks");
  const model = options.model ?? (await loadProgramModel({ stack: options.stack ?? "dev" }));
  parseStackOutputs(model.outputs, "the program's outputs under mocks");
  options.onProgress?.(`deploying its ${model.resources.length} resources into a sandbox on 127.0.0.1`);
  return Sandbox.start(model, {
    rootDir: options.rootDir,
    writeConnectionFile: options.writeConnectionFile,
    glue: { startupDelayMs: options.glueStartupDelayMs },
    sfn: { syncPollIntervalMs: options.syncPollDelayMs },
  });
}

const RUN_DIR = /^run-(\d+)-/;

/** Folders of in-process sandboxes whose process has ended (a crash leaves them behind). */
function removeLeftoverRunDirs(stateDir: string): void {
  for (const entry of readdirSync(stateDir)) {
    const pid = RUN_DIR.exec(entry)?.[1];
    if (pid !== undefined && !isAlive(Number(pid))) rmSync(path.join(stateDir, entry), { recursive: true, force: true });
  }
}

/**
 * The sandbox target: the sandbox `sfn-lab sandbox up` runs, when there is one (and `fresh` is not set);
 * otherwise a sandbox started in this process for this command, in its own folder under the state
 * folder, stopped and removed by close().
 */
export async function openSandboxTarget(options: SandboxTargetOptions = {}): Promise<Target> {
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const running = options.fresh ? undefined : readConnection(stateDir);
  if (running) return targetFromConnection(running, `sandbox (pid ${running.pid}, started ${running.startedAt})`);
  mkdirSync(stateDir, { recursive: true });
  removeLeftoverRunDirs(stateDir);
  const rootDir = await mkdtemp(path.join(stateDir, `run-${process.pid}-`));
  let sandbox: Sandbox;
  try {
    sandbox = await startInProcess({ ...options, rootDir, writeConnectionFile: false });
  } catch (error) {
    rmSync(rootDir, { recursive: true, force: true });
    if (error instanceof CliError) throw error;
    throw new CliError(`Could not start the sandbox: ${(error as Error).message}`);
  }
  return targetFromConnection(sandbox.connection(), "sandbox (in this process)", async () => {
    await sandbox.stop();
    // A function invocation may still be writing its log after stop(): remove the folder when this process exits.
    process.once("exit", () => rmSync(rootDir, { recursive: true, force: true }));
  });
}
