import { Command, Option } from "commander";
import { WorkflowType } from "../../policy/analysis";
import { collectTargets } from "../lint/files";
import { formatJson } from "../lint/json";
import { lintTarget } from "../lint/lint-file";
import { LINT_FORMATS, lintExitCode, LintReport, usageProblem, WORKFLOW_TYPES } from "../lint/report";
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

export function registerLint(program: Command): void {
  program
    .command("lint")
    .description(
      "check Step Functions definitions (.json, .asl.json, .yaml, .yml, .asl.yaml) with the policy rules; directories are walked " +
        "(node_modules and dot-directories skipped; plain .json/.yaml files there only if they look like ASL). " +
        "Exit 0 clean or advisory only, 1 a mandatory finding, 2 a file that cannot be read or parsed, a usage error, or no ASL file found.",
    )
    .argument("<paths...>", "files or directories")
    // Checked in the action rather than with commander's choices, whose usage error exits 1: 1 means a finding.
    .addOption(new Option("--format <format>", `output format: ${LINT_FORMATS.join(", ")}`).default("text"))
    .addOption(new Option("--workflow-type <type>", `workflow type the definitions run as: ${WORKFLOW_TYPES.join(", ")}`).default("STANDARD"))
    .action((paths: string[], opts: { format: string; workflowType: string }) => {
      const problem = usageProblem(opts.format, opts.workflowType);
      if (problem) {
        process.stderr.write(`sfn-lab lint: ${problem}\n`);
        process.exitCode = 2;
        return;
      }
      const run = runLint(paths, { format: opts.format as LintFormat, workflowType: opts.workflowType as WorkflowType });
      process.stdout.write(`${run.output}\n`);
      process.exitCode = run.exitCode;
    });
}
