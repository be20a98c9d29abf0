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

function unreadable(target: LintTarget, format: LintedFile["format"], error: string): LintedFile {
  return { path: target.path, error, unreadable: true, findings: [], format };
}

/**
 * Lints one file. Returns undefined for a plain .json/.yaml file found in a directory that does not look
 * like a state machine (package.json, tsconfig.json...): those are skipped, not reported.
 */
export function lintTarget(target: LintTarget, options: LintOptions = {}): LintedFile | undefined {
  const format = isYamlPath(target.path) ? "yaml" : "json";
  if (target.error) return unreadable(target, format, target.error);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(target.path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === "EACCES" || e.code === "EPERM" ? "permission denied" : e.code === "EISDIR" ? "is a directory" : (e.message ?? String(err));
    return unreadable(target, format, `cannot read the file: ${why}`);
  }
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
