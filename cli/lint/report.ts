import { LintedFile } from "./lint-file";

/** Everything one `sfn-lab lint` run found. */
export interface LintReport {
  files: LintedFile[];
  /** Plain .json/.yaml files found in directories that are not state machines. */
  skipped: string[];
}

/** 0 clean or advisory only, 1 a mandatory finding, 2 a file that cannot be read or parsed (wins over 1). */
export function lintExitCode(report: LintReport): 0 | 1 | 2 {
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
