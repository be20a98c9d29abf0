import { FileLocator } from "./locate";
import { lintCounts, LintReport } from "./report";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Human-readable: each file with a problem, its findings at line:column, then a summary line. */
export function formatText(report: LintReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    if (file.error === null && file.findings.length === 0) continue;
    lines.push(file.path);
    const locator = new FileLocator(file);
    if (file.error !== null) {
      const at = file.errorPosition ? `${file.errorPosition.line}:${file.errorPosition.column}  ` : "";
      // The position is already in front; the message repeats it.
      lines.push(`  ${at}error  ${file.errorPosition ? file.error.replace(/^line \d+, column \d+: /, "") : file.error}`);
    }
    const located = file.findings.map((finding) => ({ finding, ...locator.finding(finding) }));
    located.sort((a, b) => a.line - b.line || a.column - b.column);
    for (const { finding, line, column } of located) {
      lines.push(`  ${line}:${column}  ${finding.level}  ${finding.rule}  ${finding.state || "(definition)"}`);
      lines.push(`      ${finding.message}`);
    }
  }
  const c = lintCounts(report);
  const skipped = report.skipped.length > 0 ? `; ${plural(report.skipped.length, "file")} skipped (not a state machine)` : "";
  lines.push(
    c.files === 0
      ? `No ASL files found${skipped}.`
      : `${plural(c.files, "file")} checked: ${c.mandatory} mandatory, ${c.advisory} advisory, ${plural(c.errors, "file")} unreadable or unparsable${skipped}.`,
  );
  return lines.join("\n");
}
