import type { WorkflowType } from "../../policy/analysis";
import { collectTargets } from "../lint/files";
import { formatJson } from "../lint/json";
import { lintTarget } from "../lint/lint-file";
import { LINT_FORMATS, lintExitCode, LintReport, usageProblem } from "../lint/report";
import { formatSarif } from "../lint/sarif";
import { formatText } from "../lint/text";

export type LintFormat = (typeof LINT_FORMATS)[number];

export interface LintRunOptions {
  format?: LintFormat;
  workflowType?: WorkflowType;
  /** Base for SARIF's relative URIs. Default: the current directory. */
  cwd?: string;
}

export interface LintRun {
  report: LintReport;
  output: string;
  exitCode: 0 | 1 | 2;
}

/** Lints files and directories; every file is checked even when others cannot be read. */
export function runLint(paths: readonly string[], options: LintRunOptions = {}): LintRun {
  const report: LintReport = { files: [], skipped: [] };
  for (const target of collectTargets(paths)) {
    const linted = lintTarget(target, { workflowType: options.workflowType });
    if (linted) report.files.push(linted);
    else report.skipped.push(target.path);
  }
  const format = options.format ?? "text";
  const output = format === "json" ? formatJson(report) : format === "sarif" ? formatSarif(report, options.cwd) : formatText(report);
  return { report, output, exitCode: lintExitCode(report) };
}

/** `sfn-lab lint`: prints the report and sets the exit code (0 clean or advisory, 1 mandatory, 2 unreadable or usage). */
export function lintCommand(paths: string[], opts: { format: string; workflowType: string }): void {
  const problem = usageProblem(opts.format, opts.workflowType);
  if (problem) {
    process.stderr.write(`sfn-lab lint: ${problem}\n`);
    process.exitCode = 2;
    return;
  }
  const run = runLint(paths, { format: opts.format as LintFormat, workflowType: opts.workflowType as WorkflowType });
  process.stdout.write(`${run.output}\n`);
  process.exitCode = run.exitCode;
}
