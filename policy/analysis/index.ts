/**
 * The ASL analysis core: parse a Step Functions definition, walk every state, classify each Task's
 * integration, and apply the rules. No Pulumi imports: the policy pack, ValidatedStateMachine, the lint
 * CLI and the sandbox all use it.
 */
import { ScopeGraph } from "./graph";
import { DefinitionFormat, DefinitionParseError, parseDefinition, ParsedDefinition } from "./parse";
import { parseResource } from "./resource";
import { RawFinding, RULE_CHECKS, RULES, RuleContext, TaskVisit } from "./rules";
import { taskPayload } from "./token";
import { Finding, Level, RuleId, TaskInfo, WorkflowType } from "./types";
import { structuralProblems } from "./validate";
import { StateScope, walkDefinition } from "./walk";

export * from "./types";
export { DefinitionParseError, parseDefinition, parseJsonText, parseYamlText } from "./parse";
export type { DefinitionFormat, ParsedDefinition } from "./parse";
export { parseResource, integrationArn } from "./resource";
export { walkDefinition, formatPath, PATH_SEPARATOR } from "./walk";
export type { StateVisit, StateScope, WalkResult } from "./walk";
export { findTaskTokenUse } from "./token";
export type { TokenUse } from "./token";
export { pollingLoopFor, isStatusRead } from "./polling";
export type { PollingVerdict } from "./polling";
export { ScopeGraph } from "./graph";
export { RULES } from "./rules";
export type { RuleInfo } from "./rules";
export { OPTIMIZED_INTEGRATIONS, SDK_PATTERNS, EXPRESS_PATTERNS, ASYNC_JOB_STARTS, unsupportedPatternReason } from "./support";
export { MAX_DEFINITION_BYTES } from "./validate";
export { JsonSourceMap, LineIndex, toPointer, escapePointerSegment } from "./json-source";
export type { TextPosition } from "./json-source";

export interface AnalyzeOptions {
  /** Default STANDARD. EXPRESS allows only request-response integrations. */
  workflowType?: WorkflowType;
  /** Level per rule, overriding the defaults; `disabled` drops a rule's findings. */
  levels?: Partial<Record<RuleId, Level>>;
  /** How a string definition is written. Default json. */
  format?: DefinitionFormat;
}

export interface Analysis {
  findings: Finding[];
  /** Every Task state at any depth, in document order (empty when the definition does not parse). */
  tasks: TaskInfo[];
  /** Set when the definition does not parse; findings then hold one definition-is-valid finding. */
  parseError?: DefinitionParseError;
}

/** The level each rule's findings get: the defaults, then `levels`. */
export function ruleLevels(levels: Partial<Record<RuleId, Level>> = {}): Record<RuleId, Level> {
  const out = {} as Record<RuleId, Level>;
  for (const rule of Object.values(RULES)) out[rule.id] = levels[rule.id] ?? rule.defaultLevel;
  return out;
}

function withLevels(raw: readonly RawFinding[], levels: Record<RuleId, Level>): Finding[] {
  const out: Finding[] = [];
  for (const f of raw) {
    const level = levels[f.rule];
    if (level !== "disabled") out.push({ ...f, level });
  }
  return out;
}

function literalNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function taskInfo(task: TaskVisit): TaskInfo {
  const { visit, resource } = task;
  const info: TaskInfo = {
    path: visit.path,
    name: visit.name,
    pointer: visit.pointer,
    resource,
    queryLanguage: visit.queryLanguage,
    parameters: taskPayload(visit.state, visit.queryLanguage),
  };
  const timeoutSeconds = literalNumber(visit.state.TimeoutSeconds);
  const heartbeatSeconds = literalNumber(visit.state.HeartbeatSeconds);
  if (timeoutSeconds !== undefined) info.timeoutSeconds = timeoutSeconds;
  if (heartbeatSeconds !== undefined) info.heartbeatSeconds = heartbeatSeconds;
  return info;
}

/**
 * Analyses a definition given as JSON (or YAML) text or as an object: structural validity, every Task's
 * integration, and the seven rules. Never throws on bad input: a definition that does not parse yields a
 * `parseError` and a definition-is-valid finding with its line and column.
 */
export function analyzeDefinition(definition: string | object, options: AnalyzeOptions = {}): Analysis {
  const levels = ruleLevels(options.levels);
  let parsed: ParsedDefinition;
  try {
    parsed = parseDefinition(definition, options.format);
  } catch (err) {
    if (!(err instanceof DefinitionParseError)) throw err;
    const raw: RawFinding = {
      rule: "definition-is-valid",
      state: "",
      pointer: "",
      message: `The definition does not parse: ${err.message}. Fix the syntax there.`,
    };
    const findings = withLevels([raw], levels).map((f) =>
      err.line !== undefined && err.column !== undefined ? { ...f, position: { line: err.line, column: err.column } } : f,
    );
    return { findings, tasks: [], parseError: err };
  }

  const walk = walkDefinition(parsed.definition);
  const tasks: TaskVisit[] = walk.states.filter((v) => v.type === "Task").map((visit) => ({ visit, resource: parseResource(visit.state.Resource) }));
  const graphs = new Map<StateScope, ScopeGraph>();
  const ctx: RuleContext = {
    walk,
    tasks,
    workflowType: options.workflowType ?? "STANDARD",
    problems: levels["definition-is-valid"] === "disabled" ? [] : structuralProblems(parsed.definition, parsed.json, walk),
    graphOf(scope) {
      let graph = graphs.get(scope);
      if (!graph) {
        graph = new ScopeGraph(scope);
        graphs.set(scope, graph);
      }
      return graph;
    },
  };
  const raw: RawFinding[] = [];
  for (const [rule, check] of RULE_CHECKS) {
    if (levels[rule] !== "disabled") raw.push(...check(ctx));
  }
  return { findings: withLevels(raw, levels), tasks: tasks.map(taskInfo) };
}
