/**
 * Finding the sandbox `sfn-lab sandbox up` keeps running, from its connection file, without loading the
 * sandbox itself. A file left behind by a killed sandbox is told apart from a live one.
 */
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import * as path from "node:path";
import { packageRoot } from "../../components/packageRoot";
import { CONNECTION_FILE_NAME } from "../../sandbox/connection";
import type { SandboxConnection } from "../../sandbox";

/**
 * The sandbox's state folder: the project's ignored `.sandbox/`, or SFN_LAB_SANDBOX_DIR (to keep two
 * sandboxes apart). `sfn-lab sandbox reset` deletes it.
 */
export const DEFAULT_STATE_DIR = path.resolve(process.env.SFN_LAB_SANDBOX_DIR || path.join(packageRoot(), ".sandbox"));

/** Sub-folder of the state folder holding what is reused between starts (the evaluated program model). */
export const CACHE_DIR_NAME = "cache";

/** The command that starts a sandbox other commands find. */
export const SANDBOX_UP_COMMAND = "npx sfn-lab sandbox up";

export type SandboxStatus =
  | { readonly kind: "none"; readonly file: string }
  | { readonly kind: "running"; readonly file: string; readonly connection: SandboxConnection }
  /** The file is there but nothing answers: its process died, or its port refuses. */
  | { readonly kind: "stale"; readonly file: string; readonly connection?: SandboxConnection; readonly reason: string };

export function connectionFile(stateDir = DEFAULT_STATE_DIR): string {
  return path.join(stateDir, CONNECTION_FILE_NAME);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The connection file's content, undefined when there is none, a string saying why when it cannot be used. */
function readConnectionFile(file: string): SandboxConnection | undefined | string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return `it cannot be read (${(error as Error).message})`;
  }
  try {
    const connection = JSON.parse(text) as SandboxConnection;
    if (typeof connection.pid !== "number" || typeof connection.endpoints?.sfn !== "string") return "it does not describe a sandbox";
    return connection;
  } catch {
    return "it is not valid JSON";
  }
}

/** The sandbox in the connection file, if its process lives (checked without touching the network). */
export function readConnection(stateDir = DEFAULT_STATE_DIR): SandboxConnection | undefined {
  const connection = readConnectionFile(connectionFile(stateDir));
  return typeof connection === "object" && isAlive(connection.pid) ? connection : undefined;
}

/** True when something accepts a TCP connection at the endpoint's host and port. */
function answers(endpoint: string, timeoutMs = 1000): Promise<boolean> {
  const url = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Is a sandbox running, is there none, or is the connection file stale (its pid dead, or its port refusing)? */
export async function sandboxStatus(stateDir = DEFAULT_STATE_DIR): Promise<SandboxStatus> {
  const file = connectionFile(stateDir);
  const connection = readConnectionFile(file);
  if (connection === undefined) return { kind: "none", file };
  if (typeof connection === "string") return { kind: "stale", file, reason: connection };
  if (!isAlive(connection.pid)) return { kind: "stale", file, connection, reason: `its process ${connection.pid} is not running (killed?)` };
  if (!(await answers(connection.endpoints.sfn))) {
    return { kind: "stale", file, connection, reason: `nothing answers at ${connection.endpoints.sfn} (process ${connection.pid} is not that sandbox)` };
  }
  return { kind: "running", file, connection };
}

/** "The connection file .sandbox/sandbox.json is stale: <reason>", the file relative to the current folder when inside it. */
export function describeStale(status: Extract<SandboxStatus, { kind: "stale" }>): string {
  const relative = path.relative(process.cwd(), status.file);
  const shown = relative && !relative.startsWith("..") ? relative : status.file;
  return `The connection file ${shown} is stale: ${status.reason}`;
}
