import * as path from "node:path";
import type { ValidatedDefinitions } from "./sfn/validated-definitions";

/** Which program and stack a sandbox's model was evaluated from: `dir` is absent for this lab's own program. */
export interface ProgramSource {
  readonly dir?: string;
  readonly stack: string;
}

/** How the sandbox runs; every field has a default. */
export interface SandboxOptions {
  /** Folder for all sandbox state (S3 objects, function packages, logs, connection file). Default `<cwd>/.sandbox`. */
  readonly rootDir?: string;
  /** Ports on 127.0.0.1; 0 (the default) picks free ones. */
  readonly ports?: {
    /** S3 endpoint. */
    readonly s3?: number;
    /** The JSON endpoint of Step Functions, Glue and CloudWatch Logs (one port for all three). */
    readonly api?: number;
  };
  /**
   * Multiplies every duration the program declares: Task TimeoutSeconds and HeartbeatSeconds, Retry
   * intervals, Wait seconds, execution and Glue job timeouts. 1 (default) keeps them as in AWS; tests
   * use e.g. 0.001 so a one-hour heartbeat expires in 3.6 s. Lambda timeouts are not scaled: the code
   * really runs and needs its time.
   */
  readonly timeScale?: number;
  readonly glue?: {
    /** How long a run stays STARTING before its script starts (Glue takes seconds to minutes). Default 1000. */
    readonly startupDelayMs?: number;
  };
  readonly sfn?: {
    /**
     * Delay between two status polls of a `.sync` Glue task. Step Functions polls about once a minute
     * (every 5 minutes after the first 10); the sandbox default is 2000 ms so a demo does not wait minutes.
     */
    readonly syncPollIntervalMs?: number;
    /** Definitions found valid at an earlier start, not checked again (the check dominates a start). Default none. */
    readonly validatedDefinitions?: ValidatedDefinitions;
  };
  /**
   * Loopback traffic never leaves the machine, so S3 requests count as TLS (aws:SecureTransport "true")
   * by default. false evaluates them as plain HTTP, which a TLS-only bucket policy denies.
   */
  readonly treatLoopbackAsTls?: boolean;
  /** The Python interpreter Glue runs scripts with. Default "python3". */
  readonly python?: string;
  /** Write `<rootDir>/sandbox.json` (endpoints, operator credentials, outputs) for other processes. Default true. */
  readonly writeConnectionFile?: boolean;
  /** Where the model came from, written to sandbox.json so other commands (cost) read the same program. */
  readonly program?: ProgramSource;
}

export interface ResolvedSandboxOptions {
  readonly rootDir: string;
  readonly ports: { readonly s3: number; readonly api: number };
  readonly timeScale: number;
  readonly glue: { readonly startupDelayMs: number };
  readonly sfn: { readonly syncPollIntervalMs: number; readonly validatedDefinitions?: ValidatedDefinitions };
  readonly treatLoopbackAsTls: boolean;
  readonly python: string;
  readonly writeConnectionFile: boolean;
  readonly program?: ProgramSource;
}

export const DEFAULT_ROOT_DIR_NAME = ".sandbox";

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved < 0) throw new RangeError(`Sandbox option ${name} must be a number >= 0, got ${value}`);
  return resolved;
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedSandboxOptions {
  const timeScale = nonNegative(options.timeScale, 1, "timeScale");
  if (timeScale === 0) throw new RangeError("Sandbox option timeScale must be greater than 0");
  return {
    rootDir: path.resolve(options.rootDir ?? path.join(process.cwd(), DEFAULT_ROOT_DIR_NAME)),
    ports: { s3: nonNegative(options.ports?.s3, 0, "ports.s3"), api: nonNegative(options.ports?.api, 0, "ports.api") },
    timeScale,
    glue: { startupDelayMs: nonNegative(options.glue?.startupDelayMs, 1000, "glue.startupDelayMs") },
    sfn: {
      syncPollIntervalMs: nonNegative(options.sfn?.syncPollIntervalMs, 2000, "sfn.syncPollIntervalMs"),
      validatedDefinitions: options.sfn?.validatedDefinitions,
    },
    treatLoopbackAsTls: options.treatLoopbackAsTls ?? true,
    python: options.python ?? "python3",
    writeConnectionFile: options.writeConnectionFile ?? true,
    ...(options.program ? { program: options.program } : {}),
  };
}
