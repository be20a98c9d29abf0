import { Command, Option } from "commander";
import { WorkflowType } from "../../policy/analysis";
import { collectTargets } from "../lint/files";
import { formatJson } from "../lint/json";
import { lintTarget } from "../lint/lint-file";
import { lintExitCode, LintReport } from "../lint/report";
import { formatSarif } from "../lint/sarif";
import { formatText } from "../lint/text";

export type LintFormat = "text" | "json" | "sarif";

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
        "Exit 0 clean or advisory only, 1 a mandatory finding, 2 a file that cannot be read or parsed.",
    )
    .argument("<paths...>", "files or directories")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif"]).default("text"))
    .addOption(new Option("--workflow-type <type>", "workflow type the definitions run as").choices(["STANDARD", "EXPRESS"]).default("STANDARD"))
    .action((paths: string[], opts: { format: LintFormat; workflowType: WorkflowType }) => {
      const run = runLint(paths, { format: opts.format, workflowType: opts.workflowType });
      process.stdout.write(`${run.output}\n`);
      process.exitCode = run.exitCode;
    });
}
