import { LintReport } from "./report";

/** The `--format json` document: exactly the fields the CLI documents, nothing machine-specific. */
export function formatJson(report: LintReport): string {
  return JSON.stringify(
    {
      files: report.files.map((f) => ({
        path: f.path,
        error: f.error,
        findings: f.findings.map((x) => ({ rule: x.rule, level: x.level, state: x.state, message: x.message })),
      })),
    },
    null,
    2,
  );
}
