import * as fs from "fs";
import { analyzeDefinition, Finding, TextPosition, WorkflowType } from "../../policy/analysis";
import { isAslByName, isYamlPath, LintTarget, looksLikeAsl } from "./files";

/** One file's lint result. */
export interface LintedFile {
  path: string;
  /** Why the file could not be read or parsed; then `findings` is empty. */
  error: string | null;
  /** Where the error is, when known (parse errors). */
  errorPosition?: TextPosition;
  /** The error is about reading the file (missing, binary...), not its content. */
  unreadable?: boolean;
  findings: Finding[];
  format: "json" | "yaml";
  /** The file's text, to locate findings in. */
  text?: string;
}

export interface LintOptions {
  workflowType?: WorkflowType;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The most the linter reads of one file. A Step Functions definition is at most 1 MB of JSON (a larger
 * one is read and reported as over the limit); a file many times that is not a definition.
 */
export const MAX_LINT_FILE_BYTES = 16 * 1_048_576;

function describeReadError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ENOENT") return "no such file or directory";
  if (e.code === "EACCES" || e.code === "EPERM") return "permission denied";
  if (e.code === "EISDIR") return "is a directory";
  return e.message ?? String(err);
}

/**
 * Reads a regular file, or says why not. Opened without blocking (a FIFO would otherwise wait for a
 * writer) and checked on the open descriptor, so a FIFO, a device (/dev/zero) or a socket is refused
 * before anything is read, and the size is known before reading.
 */
function readRegularFile(file: string): Buffer | string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return `cannot read the file: ${describeReadError(err)}`;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return "cannot read the file: is a directory";
    if (!stat.isFile()) return `is not a regular file (${specialKind(stat)}); the linter reads only regular files`;
    if (stat.size > MAX_LINT_FILE_BYTES) {
      return `is ${stat.size.toLocaleString("en-US")} bytes, more than the linter reads (${MAX_LINT_FILE_BYTES.toLocaleString("en-US")}); a Step Functions definition is at most 1 MB`;
    }
    const bytes = Buffer.alloc(stat.size);
    let offset = 0;
    while (offset < bytes.length) {
      const n = fs.readSync(fd, bytes, offset, bytes.length - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return bytes.subarray(0, offset);
  } catch (err) {
    return `cannot read the file: ${describeReadError(err)}`;
  } finally {
    fs.closeSync(fd);
  }
}

function specialKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "not a file";
}

function unreadable(target: LintTarget, format: LintedFile["format"], error: string): LintedFile {
  return { path: target.path, error, unreadable: true, findings: [], format };
}

/**
 * Lints one file. Returns undefined for a plain .json/.yaml file found in a directory that does not look
 * like a state machine (package.json, tsconfig.json...): those are skipped, not reported.
 */
export function lintTarget(target: LintTarget, options: LintOptions = {}): LintedFile | undefined {
  try {
    return lintTargetUnguarded(target, options);
  } catch (err) {
    // A defect of the analysis on this file: reported as this file's error, the other files still checked.
    const format = isYamlPath(target.path) ? "yaml" : "json";
    return unreadable(target, format, `the linter failed on this file (${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}); please report it`);
  }
}

function lintTargetUnguarded(target: LintTarget, options: LintOptions): LintedFile | undefined {
  const format = isYamlPath(target.path) ? "yaml" : "json";
  if (target.error) return unreadable(target, format, target.error);
  const read = readRegularFile(target.path);
  if (typeof read === "string") return unreadable(target, format, read);
  const bytes = read;
  if (bytes.includes(0)) return unreadable(target, format, "is a binary file, not an ASL definition (JSON or YAML text)");
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return unreadable(target, format, "is not UTF-8 text");
  }
  if (!target.explicit && !isAslByName(target.path) && !looksLikeAsl(text)) return undefined;

  const analysis = analyzeDefinition(text, { format, workflowType: options.workflowType });
  if (analysis.parseError) {
    const { line, column } = analysis.parseError;
    return {
      path: target.path,
      error: analysis.parseError.message,
      ...(line !== undefined && column !== undefined ? { errorPosition: { line, column } } : {}),
      findings: [],
      format,
      text,
    };
  }
  return { path: target.path, error: null, findings: analysis.findings, format, text };
}
