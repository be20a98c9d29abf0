import { LintedFile } from "./lint-file";

/** Everything one `sfn-lab lint` run found. */
export interface LintReport {
  files: LintedFile[];
  /** Plain .json/.yaml files found in directories that are not state machines. */
  skipped: string[];
}

export const LINT_FORMATS = ["text", "json", "sarif"] as const;
export const WORKFLOW_TYPES = ["STANDARD", "EXPRESS"] as const;

/** What is wrong with the options, or undefined. */
export function usageProblem(format: string, workflowType: string): string | undefined {
  if (!(LINT_FORMATS as readonly string[]).includes(format)) return `--format must be one of ${LINT_FORMATS.join(", ")}, not "${format}"`;
  if (!(WORKFLOW_TYPES as readonly string[]).includes(workflowType)) return `--workflow-type must be one of ${WORKFLOW_TYPES.join(", ")}, not "${workflowType}"`;
  return undefined;
}

/**
 * 0 clean or advisory only, 1 a mandatory finding, 2 a file that cannot be read or parsed (wins over 1),
 * or no ASL file at all where the user pointed (a CI step on the wrong folder must not pass).
 */
export function lintExitCode(report: LintReport): 0 | 1 | 2 {
  if (report.files.length === 0) return 2;
  if (report.files.some((f) => f.error !== null)) return 2;
  if (report.files.some((f) => f.findings.some((x) => x.level === "mandatory"))) return 1;
  return 0;
}

export interface LintCounts {
  files: number;
  mandatory: number;
  advisory: number;
  errors: number;
}

export function lintCounts(report: LintReport): LintCounts {
  const all = report.files.flatMap((f) => f.findings);
  return {
    files: report.files.length,
    mandatory: all.filter((f) => f.level === "mandatory").length,
    advisory: all.filter((f) => f.level === "advisory").length,
    errors: report.files.filter((f) => f.error !== null).length,
  };
}
