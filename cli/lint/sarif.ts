import * as path from "path";
import { RULE_IDS, RULES } from "../../policy/analysis";
import { LintedFile } from "./lint-file";
import { FileLocator } from "./locate";
import { LintReport } from "./report";

/** SARIF 2.1.0, as GitHub code scanning accepts it: rules with help, results located by line and column. */

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const TOOL_NAME = "sfn-lab lint";

type SarifLevel = "error" | "warning";

function sarifLevel(level: "mandatory" | "advisory"): SarifLevel {
  return level === "mandatory" ? "error" : "warning";
}

/** A relative URI for a path: forward slashes, each segment percent-encoded. */
export function artifactUri(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file)) || path.basename(file);
  return relative.split(path.sep).map(encodeURIComponent).join("/");
}

function toolVersion(): string {
  const pkg = require("../../package.json") as { version?: string };
  return pkg.version ?? "0.0.0";
}

function location(file: LintedFile, cwd: string, line: number, column: number, state?: string): object {
  return {
    physicalLocation: {
      artifactLocation: { uri: artifactUri(file.path, cwd) },
      region: { startLine: line, startColumn: column },
    },
    ...(state ? { logicalLocations: [{ name: state.split(" > ").pop(), fullyQualifiedName: state, kind: "member" }] } : {}),
  };
}

export function formatSarif(report: LintReport, cwd: string = process.cwd()): string {
  const ruleIndex = new Map(RULE_IDS.map((id, i) => [id, i]));
  const rules = RULE_IDS.map((id) => {
    const rule = RULES[id];
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
      shortDescription: { text: rule.summary },
      fullDescription: { text: `${rule.summary} ${rule.help}` },
      help: { text: rule.help, markdown: `**${id}** (${rule.defaultLevel} by default)\n\n${rule.summary}\n\n${rule.help}` },
      defaultConfiguration: { level: sarifLevel(rule.defaultLevel) },
      properties: { tags: ["step-functions", "asl"] },
    };
  });

  const results: object[] = [];
  const notifications: object[] = [];
  for (const file of report.files) {
    const locator = new FileLocator(file);
    if (file.error !== null) {
      if (file.unreadable) {
        notifications.push({
          level: "error",
          message: { text: `${file.path}: ${file.error}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(file.path, cwd) } } }],
        });
      } else {
        const { line, column } = locator.error();
        results.push({
          ruleId: "definition-is-valid",
          ruleIndex: ruleIndex.get("definition-is-valid"),
          level: "error",
          message: { text: `The definition does not parse: ${file.error}` },
          locations: [location(file, cwd, line, column)],
        });
      }
      continue;
    }
    for (const finding of file.findings) {
      const { line, column } = locator.finding(finding);
      results.push({
        ruleId: finding.rule,
        ruleIndex: ruleIndex.get(finding.rule),
        level: sarifLevel(finding.level),
        message: { text: finding.message },
        locations: [location(file, cwd, line, column, finding.state || undefined)],
      });
    }
  }

  return JSON.stringify(
    {
      $schema: SARIF_SCHEMA,
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: TOOL_NAME, version: toolVersion(), rules } },
          results,
          invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
          columnKind: "utf16CodeUnits",
        },
      ],
    },
    null,
    2,
  );
}
