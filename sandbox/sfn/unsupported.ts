import { isObject, walkDefinition, type JsonObject } from "../../policy/analysis/walk";

/** A construct the sandbox cannot evaluate as Step Functions would, where it is. */
export interface UnsupportedConstruct {
  /** The state path, e.g. `Fan out > Branch 1 > Start`; "" for the machine's top level. */
  readonly state: string;
  readonly field: string;
  readonly reason: string;
}

const MIXED_REASON =
  "a JSONata state in a JSONPath state machine: the sandbox runs JSONata only in machines whose top-level QueryLanguage is JSONata";
const ASSIGN_REASON =
  "workflow variables (Assign) in JSONPath states are not evaluated by the sandbox's JSONPath interpreter; the sandbox runs them in JSONata machines (top-level QueryLanguage JSONata)";
const VARIABLE_REASON =
  "a workflow variable reference ($name) in a JSONPath state is not resolved by the sandbox's JSONPath interpreter; the sandbox runs variables in JSONata machines";

/** JSONPath fields whose value is a path (or, for `.$` keys, a path or intrinsic function). */
const PATH_FIELDS = ["InputPath", "OutputPath", "ItemsPath", "Variable", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath", "ErrorPath", "CausePath", "MaxConcurrencyPath"];
const TEMPLATE_FIELDS = ["Parameters", "ResultSelector", "ItemSelector", "Arguments"];

/**
 * A variable reference in a JSONPath path or intrinsic: `$name` (not `$`, `$.x`, `$[0]` or `$$`), at the
 * start or as an intrinsic's argument. ("Passing data between states with variables": JSONPath states
 * reference variables as `$name` in Parameters `.$` values, paths and Choice rules.)
 */
const VARIABLE_REFERENCE = /(^|[\s,(])\$[A-Za-z_]/;

/**
 * What of `definition` the sandbox cannot run correctly, every occurrence. Empty when the whole machine
 * runs with Step Functions' semantics.
 */
export function unsupportedConstructs(definition: JsonObject): UnsupportedConstruct[] {
  if (definition.QueryLanguage === "JSONata") return jsonataGaps(definition);
  const found: UnsupportedConstruct[] = [];
  for (const visit of walkDefinition(definition).states) {
    const { state, path } = visit;
    if (visit.queryLanguage === "JSONata") {
      found.push({ state: path, field: "QueryLanguage", reason: MIXED_REASON });
      continue;
    }
    if (state.Assign !== undefined) found.push({ state: path, field: "Assign", reason: ASSIGN_REASON });
    for (const [field] of variableReferences(state)) found.push({ state: path, field, reason: VARIABLE_REASON });
  }
  return found;
}

/** Fields of JSONata states the sandbox's JSONata interpreter does not execute. */
const JSONATA_GAPS: Record<string, string> = {
  ItemReader: "Distributed Map (reading items from S3) is not run by the sandbox",
  ItemBatcher: "Distributed Map item batching is not run by the sandbox",
  ResultWriter: "Distributed Map result writing is not run by the sandbox",
  ToleratedFailureCount: "Distributed Map failure tolerance is not run by the sandbox",
  ToleratedFailurePercentage: "Distributed Map failure tolerance is not run by the sandbox",
  Credentials: "cross-account Task credentials are not run by the sandbox",
};

function jsonataGaps(definition: JsonObject): UnsupportedConstruct[] {
  const found: UnsupportedConstruct[] = [];
  for (const { state, path } of walkDefinition(definition).states) {
    for (const [field, reason] of Object.entries(JSONATA_GAPS)) if (state[field] !== undefined) found.push({ state: path, field, reason });
    const processor = isObject(state.ItemProcessor) ? state.ItemProcessor : undefined;
    if (isObject(processor?.ProcessorConfig) && processor.ProcessorConfig.Mode === "DISTRIBUTED") {
      found.push({ state: path, field: "ItemProcessor.ProcessorConfig.Mode", reason: "Distributed Map is not run by the sandbox (INLINE is)" });
    }
  }
  return found;
}

/** The fields of a JSONPath state (and of its Choice rules and catchers) that reference a variable. */
function variableReferences(state: JsonObject): [string, unknown][] {
  const found: [string, unknown][] = [];
  for (const field of PATH_FIELDS) {
    if (typeof state[field] === "string" && VARIABLE_REFERENCE.test(state[field] as string)) found.push([field, state[field]]);
  }
  for (const field of TEMPLATE_FIELDS) {
    for (const key of templateKeysReferencingVariables(state[field])) found.push([`${field}.${key}`, state[field]]);
  }
  if (Array.isArray(state.Choices)) {
    state.Choices.forEach((rule, i) => {
      for (const key of choiceRuleReferences(rule)) found.push([`Choices[${i}].${key}`, rule]);
      if (isObject(rule) && rule.Assign !== undefined) found.push([`Choices[${i}].Assign`, rule.Assign]);
    });
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((catcher, i) => {
      if (isObject(catcher) && catcher.Assign !== undefined) found.push([`Catch[${i}].Assign`, catcher.Assign]);
    });
  }
  return found;
}

/** Keys (dotted) of a payload template whose `.$` value references a variable. */
function templateKeysReferencingVariables(template: unknown, prefix = ""): string[] {
  if (Array.isArray(template)) return template.flatMap((item, i) => templateKeysReferencingVariables(item, `${prefix}[${i}]`));
  if (!isObject(template)) return [];
  return Object.entries(template).flatMap(([key, value]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    if (key.endsWith(".$")) return typeof value === "string" && VARIABLE_REFERENCE.test(value) ? [name] : [];
    return templateKeysReferencingVariables(value, name);
  });
}

/** Comparison fields of a Choice rule (nested in And/Or/Not) that reference a variable. */
function choiceRuleReferences(rule: unknown, prefix = ""): string[] {
  if (!isObject(rule)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(rule)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if ((key === "Variable" || key.endsWith("Path")) && typeof value === "string" && VARIABLE_REFERENCE.test(value)) found.push(name);
    if (key === "And" || key === "Or") (Array.isArray(value) ? value : []).forEach((r, i) => found.push(...choiceRuleReferences(r, `${name}[${i}]`)));
    if (key === "Not") found.push(...choiceRuleReferences(value, name));
  }
  return found;
}

/** The refusal message for a machine with unsupported constructs, one line per construct. */
export function unsupportedMessage(machineName: string, constructs: readonly UnsupportedConstruct[]): string {
  const lines = constructs.map((c) => `  - ${c.state ? `state "${c.state}"` : "top level"}, field ${c.field}: ${c.reason}`);
  return `State machine "${machineName}" cannot run in the sandbox, which would get its semantics wrong:\n${lines.join("\n")}`;
}
