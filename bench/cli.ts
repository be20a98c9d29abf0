/**
 * CLI benchmark, whole process as a user runs it: `sfn-lab lint` on one file and on a corpus of 100 files,
 * `sfn-lab --help`, and `sandbox up` until it is ready, each as a ratio of asl-validator's own CLI checking
 * one file (the corpus: asl-validator's CLI on the same files), timed in the same run and in turns (one
 * sample of each per round), so load hits them alike.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { LAB_MACHINES } from "../tests/policy/corpus";
import { generateDefinition } from "./definitions";
import { interleave, type Sampler } from "./timing";

const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, "cli", "bin.js");
const ASL_VALIDATOR_CLI = path.join(path.dirname(require.resolve("asl-validator/package.json")), "dist", "bin", "asl-validator.js");
const CORPUS_FILES = 100;
/** What `sandbox up` prints once its endpoints answer. */
const READY_LINE = "Ctrl-C stops it.";

export interface CliResult {
  /** `sfn-lab lint one.json` / `asl-validator --json-path one.json`, whole process. */
  readonly lintOneVsAslValidator: number;
  /** `sfn-lab lint <100 files>` / `asl-validator` with the same 100 files, one process each. */
  readonly lintCorpusVsAslValidator: number;
  /** `sfn-lab --help` / asl-validator on one file. */
  readonly helpVsAslValidator: number;
  /** `sandbox up` until ready (cached program model) / asl-validator on one file. */
  readonly sandboxUpVsAslValidator: number;
  /** Peak RSS of `sandbox up` until ready, MiB (Linux: VmHWM). */
  readonly sandboxUpPeakRssMiB: number | undefined;
  /** `sandbox up` on an empty state folder (the program evaluated, once) / with its cached model. */
  readonly sandboxUpColdVsWarm: number;
  /** Medians, ms. */
  readonly medians: Readonly<Record<string, number>>;
  readonly samples: number;
  readonly corpusSamples: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeProcess(args: readonly string[], cwd = ROOT): Sampler {
  return async () => {
    const t0 = performance.now();
    const result = spawnSync(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    const elapsed = performance.now() - t0;
    // Findings exit 1; anything else means the process did not do the work being timed.
    if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    return elapsed;
  };
}

/** Peak resident set size of a live process, MiB; undefined where /proc is not there. */
function peakRssMiB(pid: number): number | undefined {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** Starts `sandbox up`, times it until it prints its ready line, reads its peak RSS, stops it with Ctrl-C. */
async function sandboxUp(stateDir: string): Promise<{ ms: number; rssMiB?: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, "sandbox", "up"], { cwd: ROOT, env: { ...process.env, SFN_LAB_SANDBOX_DIR: stateDir } });
  let output = "";
  const ready = await new Promise<{ ms: number; rssMiB?: number }>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_LINE)) resolve({ ms: performance.now() - t0, rssMiB: peakRssMiB(child.pid as number) });
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`sandbox up exited ${code} before it was ready:\n${output}`)));
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGINT");
  await exited;
  return ready;
}

/** The compiled CLI is what users run: build dist/ when it is missing or older than the sources. */
function ensureBuilt(log: (line: string) => void): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript shared with bin.js.
  const { chooseEntry } = require("../cli/launch.js") as { chooseEntry(root: string): { kind: string; reason?: string } };
  const entry = chooseEntry(ROOT);
  if (entry.kind === "compiled") return;
  log(`cli: building dist/ first (${entry.reason})`);
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
}

/** 100 definitions as a repository holds them: the lab's three machines and generated ones of 5 to 30 states. */
function writeCorpus(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const lab = Object.entries(LAB_MACHINES);
  for (let i = 0; i < CORPUS_FILES; i++) {
    const file = path.join(dir, `machine-${String(i).padStart(3, "0")}.asl.json`);
    const text = i < lab.length ? JSON.stringify(lab[i][1], null, 2) : generateDefinition(5 + ((i * 7) % 26)).text;
    writeFileSync(file, text);
    files.push(file);
  }
  return files;
}

export async function benchCli(quick: boolean, log: (line: string) => void): Promise<CliResult> {
  ensureBuilt(log);
  const work = mkdtempSync(path.join(tmpdir(), "sfn-lab-bench-cli-"));
  try {
    const one = path.join(work, "one.asl.json");
    writeFileSync(one, JSON.stringify(LAB_MACHINES["run-job"], null, 2));
    const corpus = writeCorpus(path.join(work, "corpus"));
    const stateDir = path.join(work, "sandbox");

    log("cli: sandbox up on an empty state folder: the program evaluated, and its model cached");
    const cold = await sandboxUp(stateDir);
    let peak: number | undefined;
    const samplers = {
      aslValidatorOne: timeProcess([ASL_VALIDATOR_CLI, "--json-path", one]),
      lintOne: timeProcess([BIN, "lint", one]),
      help: timeProcess([BIN, "--help"]),
      sandboxUp: async () => {
        const up = await sandboxUp(stateDir);
        if (up.rssMiB !== undefined) peak = Math.max(peak ?? 0, up.rssMiB);
        return up.ms;
      },
    };
    const rounds = quick ? 3 : 7;
    log(`cli: ${rounds} rounds of asl-validator and sfn-lab lint on one file, --help and sandbox up, in turns`);
    const oneFile = await interleave(samplers, { budgetMs: 0, minSamples: rounds, maxSamples: rounds });
    // asl-validator's CLI takes tens of seconds on the corpus (its path checks scan each definition again
    // and again), so fewer rounds, without the warm-up call: each is a new process anyway.
    const corpusRounds = quick ? 1 : 3;
    log(`cli: ${corpusRounds} round(s) of asl-validator and sfn-lab lint on the same ${CORPUS_FILES} files, in turns`);
    const corpusSamplers = {
      aslValidatorCorpus: timeProcess([ASL_VALIDATOR_CLI, ...corpus.flatMap((file) => ["--json-path", file])]),
      lintCorpus: timeProcess([BIN, "lint", ...corpus]),
    };
    const corpusSamples = { aslValidatorCorpus: [] as number[], lintCorpus: [] as number[] };
    for (let round = 0; round < corpusRounds; round++) {
      corpusSamples.aslValidatorCorpus.push(await corpusSamplers.aslValidatorCorpus());
      corpusSamples.lintCorpus.push(await corpusSamplers.lintCorpus());
    }
    const medians = { ...oneFile, aslValidatorCorpus: median(corpusSamples.aslValidatorCorpus), lintCorpus: median(corpusSamples.lintCorpus) };
    const base = medians.aslValidatorOne;
    return {
      lintOneVsAslValidator: medians.lintOne / base,
      lintCorpusVsAslValidator: medians.lintCorpus / medians.aslValidatorCorpus,
      helpVsAslValidator: medians.help / base,
      sandboxUpVsAslValidator: medians.sandboxUp / base,
      sandboxUpPeakRssMiB: peak,
      sandboxUpColdVsWarm: cold.ms / medians.sandboxUp,
      medians: { ...medians, sandboxUpCold: cold.ms },
      samples: rounds,
      corpusSamples: corpusRounds,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
