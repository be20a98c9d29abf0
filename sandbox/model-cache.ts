/**
 * The evaluated program model, cached between sandbox starts. Evaluating the program under Pulumi mocks
 * (loading Pulumi, compiling the program, bundling the functions) is most of a start; its result depends only
 * on the program's files, its config and the installed dependencies, so it is kept in a file named by a hash
 * of those and reused while they are unchanged. When the program did change, the function bundles are
 * still reused while their own inputs are unchanged (components/lambdaBundle.ts).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../components/packageRoot";
import type { ProgramModel } from "./program-model";

/** Bump when the model's shape changes, so an older cache file is never read as a newer model. */
const CACHE_FORMAT = 2;

/** Files and folders of the program whose content the model depends on (relative to the program's folder). */
export function modelInputs(stack: string): string[] {
  return [
    "index.ts",
    "Pulumi.yaml",
    `Pulumi.${stack}.yaml`,
    "package.json",
    "package-lock.json",
    "components",
    "program",
    "functions",
    "policy",
    "etl",
    // The evaluation itself: the mocks compute ids and ARNs, model.ts turns the resources into the model.
    "sandbox/model.ts",
    "sandbox/mocks.ts",
    "sandbox/programConfig.ts",
  ];
}

const SKIPPED = new Set(["node_modules", "__pycache__"]);

function filesUnder(dir: string, relative: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(path.join(dir, relative), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") out.push(relative);
    return; // a missing input (no Pulumi.<stack>.yaml) is part of the key by its absence
  }
  for (const entry of entries) {
    if (SKIPPED.has(entry.name) || entry.name.startsWith(".") || entry.name.endsWith(".pyc")) continue;
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) filesUnder(dir, child, out);
    else if (entry.isFile()) out.push(child);
  }
}

/**
 * A hash of everything the model depends on: the input files' paths and contents, the stack and the overrides.
 * For this project, the folders listed in modelInputs; for another program, its folder's path (the model holds
 * absolute asset paths), every file in it but documentation and logs (*.md, *.log) and node_modules (its
 * package-lock.json stands for those), and this package's manifest, whose version stands for the evaluation code.
 */
export function modelKey(programDir: string, stack: string, config: Record<string, string> = {}): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ format: CACHE_FORMAT, stack, config: Object.entries(config).sort() }));
  if (path.resolve(programDir) !== packageRoot()) {
    hash.update(`\0program ${path.resolve(programDir)}`);
    const files: string[] = [];
    filesUnder(programDir, "", files);
    for (const file of files.filter((f) => !/\.(md|log)$/i.test(f)).sort()) {
      hash.update(`\0${file.split(path.sep).join("/")}\0`);
      hash.update(readFileSync(path.join(programDir, file)));
    }
    hash.update(readFileSync(path.join(packageRoot(), "package.json")));
    return hash.digest("hex").slice(0, 32);
  }
  const files: string[] = [];
  for (const input of modelInputs(stack)) {
    try {
      if (statSync(path.join(programDir, input)).isDirectory()) filesUnder(programDir, input, files);
      else files.push(input);
    } catch {
      hash.update(`\0missing ${input}`);
    }
  }
  for (const file of files.sort()) {
    hash.update(`\0${file.split(path.sep).join("/")}\0`);
    hash.update(readFileSync(path.join(programDir, file)));
  }
  return hash.digest("hex").slice(0, 32);
}

export interface CachedModelOptions {
  readonly stack: string;
  /** Folder of the cache files; without it the program is evaluated and nothing is cached. */
  readonly cacheDir?: string;
  /** Default: this project. */
  readonly programDir?: string;
  readonly config?: Record<string, string>;
  readonly onProgress?: (message: string) => void;
}

/** The program's model: read from the cache when its inputs are unchanged, else evaluated and written there. */
export async function loadCachedProgramModel(options: CachedModelOptions): Promise<ProgramModel> {
  const programDir = path.resolve(options.programDir ?? packageRoot());
  if (options.cacheDir === undefined) return evaluate(options, programDir);
  const key = modelKey(programDir, options.stack, options.config);
  const prefix = `program-model.${options.stack}.`;
  const file = path.join(options.cacheDir, `${prefix}${key}.json`);
  try {
    const model = JSON.parse(readFileSync(file, "utf8")) as ProgramModel;
    options.onProgress?.(`the program's model for stack ${options.stack}, unchanged since it was evaluated (${path.basename(options.cacheDir)}/${path.basename(file)})`);
    return model;
  } catch {
    // Not cached yet (or unreadable): evaluate.
  }
  const model = await evaluate(options, programDir);
  mkdirSync(options.cacheDir, { recursive: true });
  for (const old of readdirSync(options.cacheDir)) {
    if (old.startsWith(prefix)) rmSync(path.join(options.cacheDir, old), { force: true });
  }
  // Written whole, then renamed, so a concurrent start never reads half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(model));
  renameSync(partial, file);
  return model;
}

/** Evaluates the program; with a cache folder, its function bundles are reused there while their inputs are unchanged. */
async function evaluate(options: CachedModelOptions, programDir: string): Promise<ProgramModel> {
  options.onProgress?.("evaluating the program under Pulumi mocks");
  const { loadProgramModel } = await import("./model");
  if (options.cacheDir === undefined) return loadProgramModel({ programDir, stack: options.stack, config: options.config });
  // The program loads its own copy of the components (from source): an environment variable reaches it.
  const { BUNDLE_CACHE_ENV } = await import("../components/lambdaBundle");
  const previous = process.env[BUNDLE_CACHE_ENV];
  process.env[BUNDLE_CACHE_ENV] = path.join(options.cacheDir, "bundles");
  try {
    return await loadProgramModel({ programDir, stack: options.stack, config: options.config });
  } finally {
    if (previous === undefined) delete process.env[BUNDLE_CACHE_ENV];
    else process.env[BUNDLE_CACHE_ENV] = previous;
  }
}
