/**
 * asl-validator 4.0.0's checks besides its JSON schema, run on the values one pass found
 * (`asl-document.ts`) instead of the library's jsonpath-plus queries, with the library's exact errors
 * and order, its corner cases included (tests/policy/asl-checks.test.ts compares both):
 * - duplicate state names across all "States" objects;
 * - duplicate payload template fields once ".$" is stripped, in every Parameters and ResultSelector;
 * - the at-most-one / exactly-one field checks per state type.
 *
 * The library's other three checks are not run: missing transition targets, transitions out of a Parallel
 * branch or Map iterator, and a scope without a terminal state. The analysis's scope graphs
 * (`validate.ts`) find the same problems and say where they are.
 *
 * Counting is done in plain objects, as the library does: a name that Object.prototype also has
 * ("constructor", "toString"...) reads as already counted. So the library never reports two states named
 * "constructor", and reports a payload field "constructor" as a duplicate. Kept, so findings do not change.
 */
import { AslValidatorError, compiledSchemaCheck } from "./asl-validator";
import { defaultQueryLanguage, findKeyedValues, isNode, Node, statesWithoutQueryLanguage, withDefaultQueryLanguage } from "./asl-document";
import { stateSchemaErrors } from "./schema-check";
import { JsonObject } from "./walk";

/** The library's codes for the checks not run here (the scope graphs cover them). */
export const CODES_THE_SCOPE_GRAPHS_COVER: ReadonlySet<string> = new Set([
  "MISSING_TRANSITION_TARGET",
  "BRANCH_OUTBOUND_TRANSITION_TARGET",
  "MAP_OUTBOUND_TRANSITION_TARGET",
  "MISSING_TERMINAL_STATE",
]);

/**
 * Adds one to a count kept in a plain object. An inherited member (a function) turns into a string, as
 * `current + 1` does in the library, and is then never greater than 1.
 */
function counted(current: unknown): unknown {
  if (!current) return 1;
  return typeof current === "number" ? current + 1 : `${String(current)}1`;
}

function above(count: unknown, limit: number): boolean {
  return typeof count === "number" && count > limit;
}

/** DUPLICATE_STATE_NAMES: a name used by more than one state, across every "States" object. */
export function duplicateStateNameErrors(statesValues: readonly unknown[]): AslValidatorError[] {
  const names: Record<string, unknown> = {};
  for (const states of statesValues) {
    if (!isNode(states)) continue;
    for (const name of Object.keys(states)) names[name] = counted(names[name]);
  }
  return Object.entries(names)
    .filter(([, count]) => above(count, 1))
    .map(([name]) => ({ "Error code": "DUPLICATE_STATE_NAMES", Message: `A state with this name already exists: ${name}` }));
}

/**
 * DUPLICATE_FIELD_NAME: two fields of one object in a Parameters or ResultSelector value (at any depth)
 * that are the same once ".$" is stripped. `defaulted` are the states the library gave a QueryLanguage
 * field before this check (a state machine inside a payload): they count that field too.
 */
export function duplicatePayloadFieldErrors(payloads: readonly unknown[], defaulted: ReadonlySet<JsonObject>, language: unknown): AslValidatorError[] {
  const errors: AslValidatorError[] = [];
  const inspect = (parent: Node): void => {
    const seen: Record<string, unknown> = {};
    const keys = Object.keys(parent);
    const languageAdded = !Array.isArray(parent) && defaulted.has(parent);
    if (languageAdded && !Object.hasOwn(parent, "QueryLanguage")) keys.push("QueryLanguage");
    for (const key of keys) {
      const stripped = key.endsWith(".$") ? key.slice(0, -2) : key;
      const current = seen[stripped];
      if (current) {
        errors.push({ "Error code": "DUPLICATE_FIELD_NAME", Message: `A duplicate field will exist after renaming to strip the ".$" suffix from: ${key}.$` });
      }
      seen[stripped] = counted(current);
      const value = languageAdded && key === "QueryLanguage" ? language : (parent as JsonObject)[key];
      if (isNode(value)) inspect(value);
    }
  };
  for (const payload of payloads) if (isNode(payload)) inspect(payload);
  return errors;
}

interface FieldCheck {
  /** The state types it applies to, or those it does not. */
  readonly types: { readonly only: readonly string[] } | { readonly except: readonly string[] };
  readonly props: readonly string[];
  readonly code: string;
  readonly exactlyOne?: boolean;
  /** Where the fields are, below the state. */
  readonly within?: readonly string[];
}

const AT_MOST_ONE = "MUST contain at most one of";
const EXACTLY_ONE = "MUST contain exactly one of";

/** The library's list, in its order. */
const FIELD_CHECKS: readonly FieldCheck[] = [
  { types: { only: ["Task"] }, props: ["TimeoutSeconds", "TimeoutSecondsPath"], code: "TASK_TIMEOUT" },
  { types: { only: ["Task"] }, props: ["HeartbeatSeconds", "HeartbeatSecondsPath"], code: "TASK_HEARTBEAT" },
  { types: { only: ["Map"] }, props: ["ItemProcessor", "Iterator"], code: "MAP_ITEM_PROCESSOR", exactlyOne: true },
  { types: { only: ["Map"] }, props: ["ItemSelector", "Parameters"], code: "MAP_ITEM_SELECTOR" },
  { types: { only: ["Wait"] }, props: ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"], code: "WAIT_DURATION", exactlyOne: true },
  { types: { except: ["Succeed", "Fail", "Choice"] }, props: ["End", "Next"], code: "TERMINAL_STATE_WITH_NEXT", exactlyOne: true },
  { types: { only: ["Map"] }, props: ["ToleratedFailureCount", "ToleratedFailureCountPath"], code: "MAP_TOLERATED_FAILURE" },
  { types: { only: ["Map"] }, props: ["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"], code: "MAP_TOLERATED_FAILURE" },
  { types: { only: ["Map"] }, props: ["MaxConcurrency", "MaxConcurrencyPath"], code: "MAP_CONCURRENCY_ERROR" },
  { types: { only: ["Map"] }, props: ["Items", "ItemsPath"], code: "MAP_ITEMS_ERROR" },
  { types: { only: ["Map"] }, props: ["MaxItems", "MaxItemsPath"], code: "MAP_ITEMREADER_MAXITEM", within: ["ItemReader", "ReaderConfig"] },
  { types: { only: ["Map"] }, props: ["MaxItemsPerBatch", "MaxItemsPerBatchPath"], code: "MAP_ITEM_BATCHER", within: ["ItemBatcher"] },
  { types: { only: ["Map"] }, props: ["MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"], code: "MAP_ITEM_BATCHER", within: ["ItemBatcher"] },
  { types: { only: ["Fail"] }, props: ["Cause", "CausePath"], code: "FAIL_CAUSE_PROPERTY" },
  { types: { only: ["Fail"] }, props: ["Error", "ErrorPath"], code: "FAIL_ERROR_PROPERTY" },
];

function applies(check: FieldCheck, type: unknown): boolean {
  if ("only" in check.types) return (check.types.only as readonly unknown[]).includes(type);
  return !(check.types.except as readonly unknown[]).includes(type);
}

/** The object below the state that `within` names (own fields only, as jsonpath-plus follows them), or undefined. */
function objectWithin(state: Node, within: readonly string[]): unknown {
  let value: unknown = state;
  for (const key of within) {
    if (!value || !Object.hasOwn(value as object, key)) return undefined;
    value = (value as JsonObject)[key];
  }
  return value;
}

/** How many of `props` the object has, inherited ones included (the library uses `in`). */
function present(object: unknown, props: readonly string[]): number {
  // A value that is not an object makes the library's `in` throw; it holds none of the fields.
  if (!isNode(object)) return 0;
  return props.filter((p) => p in object).length;
}

function fieldError(check: FieldCheck, name: string, state: Node): AslValidatorError | undefined {
  if (check.exactlyOne) {
    if (present(state, check.props) === 1) return undefined;
  } else {
    const object = check.within ? objectWithin(state, check.within) : state;
    if (!object || present(object, check.props) <= 1) return undefined;
  }
  return { "Error code": check.code, Message: `State "${name}" ${check.exactlyOne ? EXACTLY_ONE : AT_MOST_ONE} ${check.props.map((p) => `"${p}"`).join(", ")}` };
}

/** The at-most-one / exactly-one checks, for every state with a Type field in every "States" object. */
export function stateFieldErrors(statesValues: readonly unknown[]): AslValidatorError[] {
  const errors: AslValidatorError[] = [];
  for (const states of statesValues) {
    if (!isNode(states)) continue;
    for (const name of Object.keys(states)) {
      const state = (states as JsonObject)[name];
      // A member that is not an object makes the library throw; the schema check reports it.
      if (!isNode(state) || !("Type" in state)) continue;
      const type = (state as JsonObject).Type;
      for (const check of FIELD_CHECKS) {
        if (!applies(check, type)) continue;
        const error = fieldError(check, name, state);
        if (error) errors.push(error);
      }
    }
  }
  return errors;
}

const SCHEMA_OPTIONS = { checkPaths: true, checkArn: true };

/**
 * asl-validator's errors on a definition, as the library returns them, minus the checks the scope graphs
 * cover: the JSON schema (compiled once) on the definition with QueryLanguage set on its states as the
 * library sets it, and, when the schema holds, the other checks. The definition is neither copied whole
 * nor changed.
 */
export function aslValidatorErrors(definition: JsonObject): AslValidatorError[] {
  const keyed = findKeyedValues(definition);
  const language = defaultQueryLanguage(definition);
  const defaulted = statesWithoutQueryLanguage(keyed.states);
  const schemaErrors = compiledSchemaCheck(withDefaultQueryLanguage(definition, defaulted, language), SCHEMA_OPTIONS);
  if (schemaErrors.length > 0) return schemaErrors;
  return [
    ...duplicateStateNameErrors(keyed.states),
    ...duplicatePayloadFieldErrors(keyed.payloads, defaulted, language),
    ...stateFieldErrors(keyed.states),
  ];
}

/**
 * What the analysis reports from asl-validator: the schema state by state (`schema-check.ts`: linear,
 * every state's errors with its own location), and the library's other checks, which run even when the
 * schema finds errors (each is about a different problem).
 */
export function analysisAslErrors(definition: JsonObject): AslValidatorError[] {
  const keyed = findKeyedValues(definition);
  const language = defaultQueryLanguage(definition);
  const defaulted = statesWithoutQueryLanguage(keyed.states);
  return [
    ...stateSchemaErrors(definition),
    ...duplicateStateNameErrors(keyed.states),
    ...duplicatePayloadFieldErrors(keyed.payloads, defaulted, language),
    ...stateFieldErrors(keyed.states),
  ];
}
