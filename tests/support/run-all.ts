import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensureChromium } from "./ensureChromium";
import { ensureJava } from "./ensureJava";
import { readFileDurations, type FileDurations } from "./fileDurations";

/**
 * `npm test`: the typecheck, the TypeScript tests (mocha) and the ETL's Python tests, all at once, each to its
 * end even when another fails; then one line per suite, and exit 1 when any failed. Mocha runs its files in
 * parallel workers, slowest first (by the last run's timings), so the workers finish together.
 * `npm test -- mocha` (or `typecheck`, `python`) runs only the suites named.
 */

const REPO_ROOT = path.join(__dirname, "..", "..");

/** The folders whose `*.test.ts` files are the mocha suite. */
export const SPEC_ROOTS = ["functions", "policy", "tests", "sandbox", "cli"] as const;

/** Every test file under the spec roots, relative to `root`, in a stable order. */
export function specFiles(root: string = REPO_ROOT): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(relative);
      else if (entry.isFile() && entry.name.endsWith(".test.ts")) found.push(relative);
    }
  };
  for (const dir of SPEC_ROOTS) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return found.sort();
}

/** Files never timed first (they may be slow), then the rest from the slowest down. */
export function slowestFirst(files: readonly string[], durations: FileDurations): string[] {
  const unknown = files.filter((f) => durations[f] === undefined);
  const known = files.filter((f) => durations[f] !== undefined).sort((a, b) => durations[b] - durations[a]);
  return [...unknown, ...known];
}

/** Mocha's workers: the machine's cores, and at least 2, since most files spend their time waiting on the sandbox. */
export function mochaJobs(env: NodeJS.ProcessEnv = process.env): number {
  const requested = Number(env.TEST_JOBS);
  return Number.isInteger(requested) && requested > 0 ? requested : Math.max(2, os.availableParallelism());
}

export interface Suite {
  name: string;
  command: string;
  args: string[];
  /** Printed as it runs; the other suites' output is printed whole when they end. */
  live?: boolean;
  /** What it runs, said before it starts. */
  detail?: string;
}

export interface SuiteResult {
  suite: Suite;
  code: number;
  seconds: number;
  output: string;
}

/** An npm script of this package, run with the npm that runs this script. */
function npmScript(name: string, script: string): Suite {
  const npm = process.env.npm_execpath;
  return npm ? { name, command: process.execPath, args: [npm, "run", "-s", script] } : { name, command: "npm", args: ["run", "-s", script] };
}

function mochaSuite(): Suite {
  const files = slowestFirst(specFiles(), readFileDurations());
  const jobs = mochaJobs();
  const args = [require.resolve("mocha/bin/mocha.js"), "--parallel", "--jobs", String(jobs)];
  // Mocha puts command-line --require before .mocharc's: TypeScript support must come first.
  args.push("--require", path.join("tests", "support", "transpile.js"));
  for (const hooks of ["reliabilityLedger.ts", "fileDurations.ts"]) args.push("--require", path.join("tests", "support", hooks));
  return { name: "mocha", command: process.execPath, args: [...args, ...files], live: true, detail: `${files.length} files on ${jobs} workers, slowest first` };
}

const SUITES: Record<string, () => Suite> = {
  mocha: mochaSuite,
  typecheck: () => npmScript("typecheck", "typecheck"),
  python: () => npmScript("python", "test:py"),
};

function runSuite(suite: Suite): Promise<SuiteResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(suite.command, suite.args, { cwd: REPO_ROOT, stdio: suite.live ? "inherit" : ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const done = (code: number, extra = "") => resolve({ suite, code, seconds: (Date.now() - started) / 1000, output: output + extra });
    child.on("error", (error) => done(127, `could not start ${suite.command}: ${error.message}\n`));
    child.on("close", (code, signal) => done(code ?? 1, signal ? `killed by ${signal}\n` : ""));
  });
}

/** The sandbox runs the Glue script with python3 and boto3, as Glue's Python shell provides them. */
function checkBoto3(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn("python3", ["-c", "import boto3"], { stdio: "ignore" });
    child.on("error", () => resolve("python3 is not on PATH: the Python tests and the sandbox's Glue runs need it"));
    child.on("close", (code) => resolve(code === 0 ? undefined : "python3 has no boto3 (pip install boto3, or Debian: apt-get install python3-boto3): the sandbox's Glue runs will fail"));
  });
}

/**
 * Runs every suite to its end, whatever the others do: the buffered ones start at once, the live one (mocha)
 * once `beforeLive` has prepared what it needs. Results come in the order the suites were given.
 */
export async function runSuites(suites: readonly Suite[], beforeLive: () => Promise<void> = async () => {}): Promise<SuiteResult[]> {
  const buffered = new Map(suites.filter((s) => !s.live).map((s) => [s, runSuite(s)]));
  const live = new Map<Suite, Promise<SuiteResult>>();
  if (suites.some((s) => s.live)) {
    await beforeLive();
    for (const s of suites.filter((s) => s.live)) live.set(s, runSuite(s));
  }
  return Promise.all(suites.map((s) => (buffered.get(s) ?? live.get(s)) as Promise<SuiteResult>));
}

/** The buffered suites' output, then one line per suite; exit code 1 when any failed. */
export function report(results: readonly SuiteResult[]): { text: string; exitCode: number } {
  const lines: string[] = [];
  for (const r of results.filter((r) => !r.suite.live && r.output.trim())) lines.push("", `── ${r.suite.name} ──`, r.output.trimEnd());
  lines.push("", "npm test:");
  for (const r of results) {
    const verdict = r.code === 0 ? "✓ passed" : `✗ failed (exit ${r.code})`;
    lines.push(`  ${r.suite.name.padEnd(10)} ${verdict.padEnd(18)} ${r.seconds.toFixed(1).padStart(6)} s`);
  }
  return { text: lines.join("\n"), exitCode: results.every((r) => r.code === 0) ? 0 : 1 };
}

async function main(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length > 0) {
    console.error(`Unknown suite ${unknown.join(", ")}: the suites are ${Object.keys(SUITES).join(", ")}`);
    return 2;
  }
  const selected = (names.length > 0 ? names : Object.keys(SUITES)).map((n) => SUITES[n]());
  const log = (line: string) => console.log(`npm test: ${line}`);

  // Spark's tests (mocha's and python's) need Java: bring it before any suite starts (a no-op when present).
  const java = await ensureJava(log);
  if (java) log(`warning: the Spark engine's tests will fail: ${java}`);
  // The suites that need no browser start at once; mocha waits for Chromium (only a first run installs it).
  const results = await runSuites(selected, async () => {
    const boto3 = await checkBoto3();
    if (boto3) log(`warning: ${boto3}`);
    const chromium = await ensureChromium(log);
    if ("missing" in chromium) log(`warning: the report test will fail: ${chromium.missing}`);
    else if (chromium.installed) log(`installed ${chromium.path}`);
    for (const s of selected.filter((s) => s.detail)) log(`${s.name}: ${s.detail}`);
  });
  const { text, exitCode } = report(results);
  console.log(text);
  return exitCode;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
