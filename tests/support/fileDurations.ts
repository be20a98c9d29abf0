import * as fs from "fs";
import * as path from "path";
import { TEST_OUT_DIR } from "./outDir";
import { ProcessParts } from "./processParts";

/**
 * Mocha hooks that time each test file, so the next `npm test` can start the slowest files first and its
 * parallel workers finish together. Under `--parallel` every file is its own run in a worker, so the root
 * hooks bracket exactly one file; in a single-process run they bracket them all and record nothing.
 */
export const DURATIONS_FILE = path.join(TEST_OUT_DIR, "test-durations.json");

/** Milliseconds each test file took, by path relative to the repository. */
export type FileDurations = Record<string, number>;

const REPO_ROOT = path.join(__dirname, "..", "..");
const parts = new ProcessParts<FileDurations>(path.join(path.dirname(DURATIONS_FILE), "test-durations.parts"));
const measured: FileDurations = {};
let startedAt = 0;

interface RootContext {
  test?: { parent?: { suites: { file?: string }[] } };
}

/** The one file a root suite holds, or undefined when it holds several (a single-process run). */
function onlyFileOf(context: RootContext): string | undefined {
  const files = new Set((context.test?.parent?.suites ?? []).map((s) => s.file).filter((f): f is string => !!f));
  return files.size === 1 ? [...files][0] : undefined;
}

export const mochaHooks = {
  beforeAll() {
    startedAt = Date.now();
  },
  afterAll(this: RootContext) {
    const file = onlyFileOf(this);
    if (!file) return;
    measured[path.relative(REPO_ROOT, file)] = Date.now() - startedAt;
    parts.write(measured);
  },
};

export function mochaGlobalSetup(): void {
  parts.clear();
}

/** Merges this run's timings into the earlier ones (a file not run this time keeps its last time). */
export function mochaGlobalTeardown(): void {
  const merged: FileDurations = { ...readFileDurations(), ...Object.assign({}, ...parts.collect()) };
  fs.mkdirSync(path.dirname(DURATIONS_FILE), { recursive: true });
  fs.writeFileSync(DURATIONS_FILE, JSON.stringify(merged, null, 2) + "\n");
}

/** The timings of earlier runs; none on a fresh checkout. */
export function readFileDurations(): FileDurations {
  try {
    return JSON.parse(fs.readFileSync(DURATIONS_FILE, "utf8")) as FileDurations;
  } catch {
    return {};
  }
}
