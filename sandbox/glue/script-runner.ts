import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Credentials } from "../iam/principals";

/** Where a job's code lives and how to reach it, as Glue's job runner sees it. */
export interface ScriptRunSpec {
  /** s3://bucket/key of the entry script. */
  readonly scriptLocation: string;
  /** s3:// URIs of modules to put next to it (--extra-py-files) and plain files (--extra-files). */
  readonly extraPyFiles: readonly string[];
  readonly extraFiles: readonly string[];
  /** The run's command-line arguments, after the script path. */
  readonly argv: readonly string[];
  /** Folder the run's files are downloaded to; the script runs there. */
  readonly workDir: string;
  /** Files the script's stdout and stderr are written to (Glue's output and error logs). */
  readonly stdoutFile: string;
  readonly stderrFile: string;
  /** The job role's credentials, the S3 endpoint and region: what the script's boto3 uses. */
  readonly credentials: Credentials;
  readonly region: string;
  readonly s3Endpoint: string;
  /** More endpoint variables for the script (AWS_ENDPOINT_URL_GLUE, ...). */
  readonly endpointEnv: Record<string, string>;
  /** Folder holding the awsglue stand-in library. */
  readonly runtimeLibDir: string;
  readonly python: string;
  /** More variables for the engine (a Spark run's PYSPARK_PYTHON, PYSPARK_SUBMIT_ARGS, JAVA_HOME). */
  readonly engineEnv?: Record<string, string>;
}

export interface ScriptExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last non-empty line the script wrote to stderr: Glue's ErrorMessage for a failed run. */
  readonly lastErrorLine?: string;
}

export interface RunningScript {
  readonly exited: Promise<ScriptExit>;
  kill(): void;
}

export class ScriptDownloadError extends Error {
  override readonly name = "ScriptDownloadError";
}

function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri.trim());
  if (!match) throw new ScriptDownloadError(`Not an S3 URI: "${uri}"`);
  return { bucket: match[1], key: match[2] };
}

/** Splits Glue's comma-separated list argument (e.g. --extra-py-files "s3://a/x.py,s3://a/y.zip"). */
export function s3UriList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/**
 * Downloads the script and its extra files with the job role's credentials, through the sandbox's S3
 * (so the role needs s3:GetObject on them, as on Glue).
 */
export async function downloadJobFiles(spec: ScriptRunSpec): Promise<string> {
  mkdirSync(spec.workDir, { recursive: true });
  const s3 = new S3Client({ region: spec.region, endpoint: spec.s3Endpoint, credentials: spec.credentials, forcePathStyle: true });
  try {
    let scriptPath = "";
    for (const uri of [spec.scriptLocation, ...spec.extraPyFiles, ...spec.extraFiles]) {
      const { bucket, key } = parseS3Uri(uri);
      let bytes: Uint8Array;
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
      } catch (error) {
        throw new ScriptDownloadError(`Failed to download ${uri}: ${(error as Error).name}: ${(error as Error).message}`);
      }
      const target = path.join(spec.workDir, path.posix.basename(key));
      writeFileSync(target, bytes);
      if (uri === spec.scriptLocation) scriptPath = target;
    }
    return scriptPath;
  } finally {
    s3.destroy();
  }
}

/** Starts `python3 <script> <argv>` in the work dir with only the environment a Glue run gets. */
export function startScript(spec: ScriptRunSpec, scriptPath: string): RunningScript {
  const missing = path.join(spec.workDir, ".no-aws-config");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: spec.workDir,
    LANG: "C.UTF-8",
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    // Glue puts --extra-py-files on the path, and provides its awsglue library.
    PYTHONPATH: [spec.workDir, spec.runtimeLibDir].join(path.delimiter),
    AWS_ACCESS_KEY_ID: spec.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: spec.credentials.secretAccessKey,
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_ENDPOINT_URL_S3: spec.s3Endpoint,
    AWS_CONFIG_FILE: missing,
    AWS_SHARED_CREDENTIALS_FILE: missing,
    ...spec.endpointEnv,
    ...spec.engineEnv,
  };
  // A process group of its own: stopping a run ends the script and what it started (Spark's JVM and workers).
  const child = spawn(spec.python, [scriptPath, ...spec.argv], { cwd: spec.workDir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const stdout = createWriteStream(spec.stdoutFile);
  const stderr = createWriteStream(spec.stderrFile);
  child.stdout.pipe(stdout);
  let lastErrorLine: string | undefined;
  let pending = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr.write(chunk);
    pending += chunk.toString("utf8");
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? "";
    const last = lines.reverse().find((l) => l.trim() !== "");
    if (last !== undefined) lastErrorLine = last.trim();
  });
  const exited = new Promise<ScriptExit>((resolve) => {
    child.once("error", (error) => {
      lastErrorLine = `${spec.python} could not start: ${error.message}`;
    });
    child.once("close", (exitCode, signal) => {
      if (pending.trim() !== "") lastErrorLine = pending.trim();
      stdout.end();
      stderr.end();
      resolve({ exitCode, signal, lastErrorLine });
    });
  });
  return {
    exited,
    kill: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    },
  };
}
