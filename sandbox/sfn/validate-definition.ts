import { analyzeDefinition } from "../../policy/analysis";
import type { Finding } from "../../policy/analysis/types";
import { AwsServiceError } from "../aws-error";
import { checkDefinitionSize } from "./state-machine-requests";

/**
 * ValidateStateMachineDefinition (botocore stepfunctions model, API reference): the analysis core's findings
 * as diagnostics {severity, code, message, location}. Mandatory findings are ERROR ("you cannot create or
 * update a state machine with this definition"), advisory ones WARNING; result is FAIL when any ERROR is
 * present, else OK. `severity` is the minimum reported (default ERROR: warnings only when WARNING is asked
 * for); `maxResults` 0-100, default 100, with `truncated` when more diagnostics exist.
 */
export interface Diagnostic {
  severity: "ERROR" | "WARNING";
  code: string;
  message: string;
  location?: string;
}

export interface ValidationAnswer {
  result: "OK" | "FAIL";
  diagnostics: Diagnostic[];
  truncated: boolean;
}

const DEFAULT_MAX_RESULTS = 100;

/** AWS's codes for a definition that does not parse or breaks the schema; other rules keep their own id. */
function codeOf(finding: Finding, unparsable: boolean): string {
  if (finding.rule !== "definition-is-valid") return finding.rule.toUpperCase().replace(/-/g, "_");
  return unparsable ? "INVALID_JSON_DESCRIPTION" : "SCHEMA_VALIDATION_FAILED";
}

export function validateStateMachineDefinition(request: { definition: string; type?: string; severity?: string; maxResults?: number }): ValidationAnswer {
  checkDefinitionSize(request.definition);
  const type = request.type ?? "STANDARD";
  if (type !== "STANDARD" && type !== "EXPRESS") {
    throw new AwsServiceError("ValidationException", `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
  }
  const severity = request.severity ?? "ERROR";
  if (severity !== "ERROR" && severity !== "WARNING") {
    throw new AwsServiceError("ValidationException", `1 validation error detected: Value '${severity}' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]`);
  }
  const analysis = analyzeDefinition(request.definition, { workflowType: type, format: "json" });
  const all: Diagnostic[] = analysis.findings
    .map((f): Diagnostic => ({
      severity: f.level === "mandatory" ? "ERROR" : "WARNING",
      code: codeOf(f, analysis.parseError !== undefined),
      message: f.message,
      ...(f.pointer !== "" ? { location: f.pointer } : {}),
    }))
    .filter((d) => severity === "WARNING" || d.severity === "ERROR");
  const max = request.maxResults === undefined || request.maxResults === 0 ? DEFAULT_MAX_RESULTS : request.maxResults;
  return {
    result: all.some((d) => d.severity === "ERROR") ? "FAIL" : "OK",
    diagnostics: all.slice(0, max),
    truncated: all.length > max,
  };
}
