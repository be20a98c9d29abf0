import * as fs from "fs";
import * as path from "path";

/** Extensions `sfn-lab lint` reads; `.asl.*` ones are always ASL, plain ones only when they look like it. */
const ASL_SUFFIXES = [".asl.json", ".asl.yaml", ".asl.yml"];
const PLAIN_SUFFIXES = [".json", ".yaml", ".yml"];
const SKIPPED_DIRECTORIES = new Set(["node_modules"]);

/** A file to lint, or a path that could not be listed. */
export interface LintTarget {
  /** As given, or found under a directory given (joined to it). */
  path: string;
  /** Given on the command line (always linted) rather than found in a directory. */
  explicit: boolean;
  /** Why the path cannot be linted at all (does not exist, unreadable directory...). */
  error?: string;
}

export function isYamlPath(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

function hasSuffix(file: string, suffixes: readonly string[]): boolean {
  const lower = file.toLowerCase();
  return suffixes.some((s) => lower.endsWith(s));
}

/** A plain .json/.yaml file found in a directory is linted only if it mentions StartAt or States as a key. */
export function looksLikeAsl(text: string): boolean {
  return /(^|[\s{,"'])(StartAt|States)["']?\s*:/m.test(text);
}

export function isCandidate(file: string): boolean {
  return hasSuffix(file, ASL_SUFFIXES) || hasSuffix(file, PLAIN_SUFFIXES);
}

/** Whether a file found in a directory walk must be linted even if it does not look like ASL. */
export function isAslByName(file: string): boolean {
  return hasSuffix(file, ASL_SUFFIXES);
}

function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ENOENT") return "no such file or directory";
  if (e.code === "EACCES" || e.code === "EPERM") return "permission denied";
  return e.message ?? String(err);
}

function walk(dir: string, out: LintTarget[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    out.push({ path: dir, explicit: false, error: `cannot list directory: ${describeFsError(err)}` });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith(".")) walk(full, out);
    } else if (entry.isFile() && isCandidate(entry.name)) {
      out.push({ path: full, explicit: false });
    }
  }
}

/** The files to lint: files as given, directories walked recursively (skipping node_modules and dot-directories). */
export function collectTargets(paths: readonly string[]): LintTarget[] {
  const out: LintTarget[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (err) {
      out.push({ path: p, explicit: true, error: describeFsError(err) });
      continue;
    }
    if (stat.isDirectory()) walk(p, out);
    else out.push({ path: p, explicit: true });
  }
  return out;
}
