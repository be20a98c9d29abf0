import { spawn, spawnSync } from "child_process";
import { chromiumMissingMessage, findChromium } from "./chromium";

/**
 * Brings the browser the report test needs before the tests run: when Chromium is missing and this process may
 * install packages (root with apt-get, or CI=true with passwordless sudo), it installs Debian's `chromium`
 * (apt-get update once, then install). Otherwise, or when the install fails, it says so and the report test
 * fails with the same message; nothing is skipped silently.
 */
export type ChromiumOutcome = { path: string; installed: boolean } | { missing: string };

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return spawnSync("/bin/sh", ["-c", `command -v ${command}`], { stdio: "ignore", env }).status === 0;
}

/** The command prefix that runs apt-get as root here, or undefined when this process may not install. */
export function aptRunner(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (!onPath("apt-get", env)) return undefined;
  if (process.getuid?.() === 0) return [];
  if (env.CI === "true" && onPath("sudo", env) && spawnSync("sudo", ["-n", "true"], { stdio: "ignore", env }).status === 0) return ["sudo", "-n"];
  return undefined;
}

/** Runs a command without blocking the event loop (the other suites' output keeps flowing meanwhile). */
function run(prefix: string[], args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; output: string }> {
  const [command, ...rest] = [...prefix, ...args];
  return new Promise((resolve) => {
    const child = spawn(command, rest, { env: { ...env, DEBIAN_FRONTEND: "noninteractive" } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error) => resolve({ ok: false, output: output + String(error) }));
    child.on("close", (code) => resolve({ ok: code === 0, output }));
  });
}

/** apt-get update, then install `packageName`; what failed (the command and its last lines), or undefined. */
export async function aptInstall(prefix: string[], packageName: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const args of [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", packageName]]) {
    const step = await run(prefix, args, env);
    if (!step.ok) return `${[...prefix, ...args].join(" ")} failed:\n${step.output.trim().split("\n").slice(-5).join("\n")}`;
  }
  return undefined;
}

export async function ensureChromium(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<ChromiumOutcome> {
  const found = findChromium(env);
  if (found) return { path: found, installed: false };
  const prefix = aptRunner(env);
  if (!prefix) return { missing: chromiumMissingMessage(env) };
  log("Chromium is missing: installing Debian's chromium package with apt-get (once; later runs find it)");
  const failure = await aptInstall(prefix, "chromium", env);
  if (failure) return { missing: `${failure}\n${chromiumMissingMessage(env)}` };
  const installed = findChromium(env);
  return installed ? { path: installed, installed: true } : { missing: `apt-get installed chromium but it is not on PATH. ${chromiumMissingMessage(env)}` };
}
