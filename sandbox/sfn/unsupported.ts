import { isObject, walkDefinition, type JsonObject } from "../../policy/analysis/walk";
import { isKnownOperator } from "./variables/choice-rules";
import { INTRINSIC_NAMES, intrinsicNames, isIntrinsic } from "./variables/intrinsics";
import { parsePath } from "./variables/paths";

/** A construct the sandbox cannot evaluate as Step Functions would, where it is. */
export interface UnsupportedConstruct {
  /** The state path, e.g. `Fan out > Branch 1 > Start`; "" for the machine's top level. */
  readonly state: string;
  readonly field: string;
  readonly reason: string;
}

const MIXED_REASON =
  "a JSONata state in a JSONPath state machine: the sandbox runs JSONata only in machines whose top-level QueryLanguage is JSONata";
const PATH_REASON =
  "in a JSONPath machine that uses workflow variables, the sandbox evaluates single-value paths only ($, $$ or $name followed by .field, ['field'] or [index]); filters, wildcards, slices and '..' are not evaluated";

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
  if (definition.QueryLanguage === "JSONata") return interpreterGaps(definition);
  const found: UnsupportedConstruct[] = [];
  for (const visit of walkDefinition(definition).states) {
    if (visit.queryLanguage === "JSONata") found.push({ state: visit.path, field: "QueryLanguage", reason: MIXED_REASON });
  }
  if (found.length > 0 || !usesVariables(definition)) return found;
  // A JSONPath machine with variables runs on the sandbox's interpreter: what that does not evaluate.
  found.push(...interpreterGaps(definition));
  for (const { state, path } of walkDefinition(definition).states) {
    for (const [field, reason] of unevaluableJsonPath(state)) found.push({ state: path, field, reason });
  }
  return found;
}

/**
 * Does a JSONPath machine use workflow variables (an Assign, or a `$name` reference)? Those run on the
 * sandbox's interpreter; other JSONPath machines on aws-local-stepfunctions, which knows no variables.
 */
export function usesVariables(definition: JsonObject): boolean {
  return walkDefinition(definition).states.some(({ state }) => state.Assign !== undefined || variableReferences(state).length > 0);
}

/** Fields the sandbox's interpreter (JSONata, or JSONPath with variables) does not execute. */
const INTERPRETER_GAPS: Record<string, string> = {
  ItemReader: "Distributed Map (reading items from S3) is not run by the sandbox",
  ItemBatcher: "Distributed Map item batching is not run by the sandbox",
  ResultWriter: "Distributed Map result writing is not run by the sandbox",
  ToleratedFailureCount: "Distributed Map failure tolerance is not run by the sandbox",
  ToleratedFailurePercentage: "Distributed Map failure tolerance is not run by the sandbox",
  Credentials: "cross-account Task credentials are not run by the sandbox",
};

function interpreterGaps(definition: JsonObject): UnsupportedConstruct[] {
  const found: UnsupportedConstruct[] = [];
  for (const { state, path } of walkDefinition(definition).states) {
    for (const [field, reason] of Object.entries(INTERPRETER_GAPS)) if (state[field] !== undefined) found.push({ state: path, field, reason });
    const processor = isObject(state.ItemProcessor) ? state.ItemProcessor : undefined;
    if (isObject(processor?.ProcessorConfig) && processor.ProcessorConfig.Mode === "DISTRIBUTED") {
      found.push({ state: path, field: "ItemProcessor.ProcessorConfig.Mode", reason: "Distributed Map is not run by the sandbox (INLINE is)" });
    }
  }
  return found;
}

/** Why a path or intrinsic cannot be evaluated by the sandbox, or undefined when it can. */
function pathGap(value: string, intrinsicAllowed: boolean): string | undefined {
  if (intrinsicAllowed && isIntrinsic(value)) {
    let names: string[];
    try {
      names = intrinsicNames(value);
    } catch (error) {
      return (error as Error).message;
    }
    const missing = names.filter((n) => !INTRINSIC_NAMES.has(n));
    return missing.length > 0 ? `the intrinsic function ${missing.join(", ")} is not evaluated by the sandbox` : undefined;
  }
  return parsePath(value) ? undefined : `${PATH_REASON} (got '${value}')`;
}

/** Fields whose path or intrinsic the sandbox's JSONPath processing cannot evaluate. */
function unevaluableJsonPath(state: JsonObject): [string, string][] {
  const found: [string, string][] = [];
  const check = (field: string, value: unknown, intrinsicAllowed: boolean): void => {
    if (typeof value !== "string") return;
    const gap = pathGap(value, intrinsicAllowed);
    if (gap) found.push([field, gap]);
  };
  for (const field of PATH_FIELDS) if (field !== "Variable") check(field, state[field], field === "ErrorPath" || field === "CausePath");
  check("ResultPath", state.ResultPath, false);
  for (const field of [...TEMPLATE_FIELDS, "Assign"]) {
    for (const [key, value] of templatePaths(state[field])) check(`${field}.${key}`, value, true);
  }
  if (Array.isArray(state.Choices)) {
    state.Choices.forEach((rule, i) => {
      for (const [key, value] of choiceRuleGaps(rule)) found.push([`Choices[${i}].${key}`, value]);
      for (const [key, value] of templatePaths(isObject(rule) ? rule.Assign : undefined)) check(`Choices[${i}].Assign.${key}`, value, true);
    });
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((catcher, i) => {
      if (!isObject(catcher)) return;
      check(`Catch[${i}].ResultPath`, catcher.ResultPath, false);
      for (const [key, value] of templatePaths(catcher.Assign)) check(`Catch[${i}].Assign.${key}`, value, true);
    });
  }
  return found;
}

/** The `.$` values of a payload template, by dotted key. */
function templatePaths(template: unknown, prefix = ""): [string, unknown][] {
  if (Array.isArray(template)) return template.flatMap((item, i) => templatePaths(item, `${prefix}[${i}]`));
  if (!isObject(template)) return [];
  return Object.entries(template).flatMap(([key, value]): [string, unknown][] => {
    const name = prefix ? `${prefix}.${key}` : key;
    return key.endsWith(".$") ? [[name, value]] : templatePaths(value, name);
  });
}

/** Comparison paths and operators of a Choice rule the sandbox cannot evaluate. */
function choiceRuleGaps(rule: unknown, prefix = ""): [string, string][] {
  if (!isObject(rule)) return [];
  const found: [string, string][] = [];
  for (const [key, value] of Object.entries(rule)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (key === "And" || key === "Or") (Array.isArray(value) ? value : []).forEach((r, i) => found.push(...choiceRuleGaps(r, `${name}[${i}]`)));
    else if (key === "Not") found.push(...choiceRuleGaps(value, name));
    else if (key === "Variable" || (key.endsWith("Path") && isKnownOperator(key))) {
      const gap = typeof value === "string" ? pathGap(value, false) : "not a path";
      if (gap) found.push([name, gap]);
    } else if (!["Next", "Assign", "Comment"].includes(key) && !isKnownOperator(key)) found.push([name, `the Choice operator ${key} is not evaluated by the sandbox`]);
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
