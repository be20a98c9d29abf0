import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import * as path from "node:path";
import type { Sandbox, SandboxConnection } from "../../sandbox";
import { packageRoot } from "../../components/packageRoot";
import type { ProgramModel } from "../../sandbox/program-model";
import { CliError } from "../errors";
import { CACHE_DIR_NAME, DEFAULT_STATE_DIR, describeStale, isAlive, SANDBOX_UP_COMMAND, sandboxStatus } from "./connection";
import { parseStackOutputs, type StackOutputs } from "./outputs";
import { requireStackConfig } from "./stack-config";
import { emptyProgramModel } from "../../sandbox/sandbox-account";
import type { Target } from "./target";

export { DEFAULT_STATE_DIR, readConnection } from "./connection";

export interface SandboxTargetOptions {
  /** Folder of the sandbox's state and of the connection file of a running one. */
  readonly stateDir?: string;
  /** Stack whose config the program is evaluated with (default "dev"). */
  readonly stack?: string;
  /** Folder of the Pulumi program to deploy (Pulumi.yaml and its entry). Default: this lab's program. */
  readonly programDir?: string;
  /** Start a new sandbox in this process even when one is running (the demo wants a fresh one). */
  readonly fresh?: boolean;
  /** How long a Glue run stays STARTING. */
  readonly glueStartupDelayMs?: number;
  /** Step Functions' delay between two polls of a `.sync` job run. */
  readonly syncPollDelayMs?: number;
  /** Model to deploy instead of evaluating the program (tests). */
  readonly model?: ProgramModel;
  /** Deploy nothing: everything is created through the AWS APIs (raw ASL). */
  readonly empty?: boolean;
  /** Evaluate the program even when the state folder's cache holds its model for the same inputs. */
  readonly noCache?: boolean;
  /** Called with each step of an in-process start ("evaluating the program", ...). */
  readonly onProgress?: (message: string) => void;
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
  const source = `the sandbox's outputs (${connection.rootDir})`;
  let labOutputs: StackOutputs | undefined;
  let notLab: CliError | undefined;
  try {
    labOutputs = parseStackOutputs(connection.outputs, source);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    notLab = error;
  }
  return {
    kind: "sandbox",
    description,
    sfn,
    glue,
    s3,
    get outputs(): StackOutputs {
      if (labOutputs) return labOutputs;
      throw new CliError(`This command works on the lab's program (its job, bucket and patterns); the program deployed in the sandbox is another one. ${notLab?.message ?? ""}`);
    },
    labOutputs,
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

/** Where what does not change between starts is kept (the program model, definitions found valid); none with noCache. */
function cacheDirOf(options: SandboxTargetOptions): string | undefined {
  return options.noCache ? undefined : path.join(options.stateDir ?? DEFAULT_STATE_DIR, CACHE_DIR_NAME);
}

/** True when the options name a program other than this lab's. */
function isOtherProgram(options: SandboxTargetOptions): boolean {
  return options.programDir !== undefined && path.resolve(options.programDir) !== packageRoot();
}

/**
 * The program's model for the stack: from the state folder's cache when its inputs are unchanged, else evaluated.
 * The lab refuses a stack without its Pulumi.<stack>.yaml; another program without one is evaluated with
 * Pulumi.yaml's defaults, and the progress line says so.
 */
async function programModel(options: SandboxTargetOptions): Promise<ProgramModel> {
  const stack = options.stack ?? "dev";
  const programDir = options.programDir === undefined ? undefined : path.resolve(options.programDir);
  if (programDir !== undefined && !existsSync(path.join(programDir, "Pulumi.yaml"))) {
    throw new CliError(`--program ${options.programDir}: there is no Pulumi.yaml in ${programDir}; point --program at a Pulumi program's folder`);
  }
  if (!isOtherProgram(options)) {
    // An installed package ships the components, the CLI and the sandbox, not the lab's Pulumi program.
    if (!existsSync(path.join(packageRoot(), "Pulumi.yaml"))) {
      throw new CliError("This installed package has no program of its own to deploy: pass --program DIR (your Pulumi program's folder), or start `sandbox up --empty` and create roles, functions, jobs and state machines through the AWS APIs");
    }
    requireStackConfig(stack);
  }
  else if (!existsSync(path.join(programDir as string, `Pulumi.${stack}.yaml`))) {
    options.onProgress?.(`no Pulumi.${stack}.yaml in ${programDir}: evaluating with the config defaults of its Pulumi.yaml only`);
  }
  const { loadCachedProgramModel } = await import("../../sandbox/model-cache");
  try {
    return await loadCachedProgramModel({ stack, programDir, cacheDir: cacheDirOf(options), onProgress: options.onProgress });
  } catch (error) {
    if (error instanceof CliError || !isOtherProgram(options)) throw error;
    throw new CliError(`The program in ${programDir} failed under Pulumi mocks: ${(error as Error).message}`);
  }
}

/** Evaluates the program under mocks (or takes its cached model) and starts a sandbox on it, in this process. */
export async function startInProcess(
  options: SandboxTargetOptions & { rootDir: string; writeConnectionFile: boolean },
): Promise<Sandbox> {
  const model = options.empty ? emptyProgramModel() : (options.model ?? (await programModel(options)));
  // The lab's outputs are what its commands read: a lab whose outputs lost a field is refused here, at start.
  if (!options.empty && !isOtherProgram(options)) parseStackOutputs(model.outputs, "the program's outputs under mocks");
  options.onProgress?.(`deploying its ${model.resources.length} resources into a sandbox on 127.0.0.1`);
  const { Sandbox } = await import("../../sandbox");
  const cacheDir = cacheDirOf(options);
  const { ValidatedDefinitionsFile } = await import("../../sandbox/sfn/validated-definitions");
  return Sandbox.start(model, {
    rootDir: options.rootDir,
    writeConnectionFile: options.writeConnectionFile,
    ...(options.empty ? {} : { program: { stack: options.stack ?? "dev", ...(isOtherProgram(options) ? { dir: path.resolve(options.programDir as string) } : {}) } }),
    glue: { startupDelayMs: options.glueStartupDelayMs },
    sfn: {
      syncPollIntervalMs: options.syncPollDelayMs,
      validatedDefinitions: cacheDir ? new ValidatedDefinitionsFile(path.join(cacheDir, "valid-definitions.json")) : undefined,
    },
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

function describeRunning(connection: SandboxConnection): string {
  return `sandbox (pid ${connection.pid}, started ${connection.startedAt})`;
}

/**
 * The sandbox target: the sandbox `sfn-lab sandbox up` runs, when there is one (and `fresh` is not set);
 * otherwise a sandbox started in this process for this command, in its own folder under the state
 * folder, stopped and removed by close(). A stale connection file is reported, not trusted.
 */
export async function openSandboxTarget(options: SandboxTargetOptions = {}): Promise<Target> {
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  if (!options.fresh) {
    const status = await sandboxStatus(stateDir);
    if (status.kind === "running") return targetFromConnection(status.connection, describeRunning(status.connection));
    if (status.kind === "stale") {
      process.stderr.write(`${describeStale(status)}; using a sandbox for this command only (\`${SANDBOX_UP_COMMAND}\` keeps one running)\n`);
    }
  }
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

/**
 * The sandbox `sfn-lab sandbox up` runs, for a command that reads state earlier commands left (paused
 * executions, job runs): a sandbox started for this command alone would hold none, so without a running
 * one the command is refused with the command that starts one.
 */
export async function openRunningSandboxTarget(commandName: string, stateDir = DEFAULT_STATE_DIR): Promise<Target> {
  const status = await sandboxStatus(stateDir);
  if (status.kind === "running") return targetFromConnection(status.connection, describeRunning(status.connection));
  const why = status.kind === "stale" ? `${describeStale(status)}.` : "No sandbox is running.";
  throw new CliError(
    `${why} \`sfn-lab ${commandName}\` reads what a running sandbox keeps: start one with \`${SANDBOX_UP_COMMAND}\` in another terminal, then run it again`,
  );
}
