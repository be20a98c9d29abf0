import { analysisAslErrors } from "./asl-checks";
import { ScopeGraph, transitionsOf } from "./graph";
import { escapePointerSegment } from "./json-source";
import { jsonataProblems } from "./jsonata-check";
import { withoutPlaceholders } from "./placeholders";
import { formatPath, isObject, StateScope, StateVisit, WalkResult } from "./walk";

/** A structural problem, located by JSON pointer (the rule turns these into definition-is-valid findings). */
export interface StructuralProblem {
  pointer: string;
  message: string;
}

/** Step Functions' limit on the definition's size: 1 MB of JSON text. */
export const MAX_DEFINITION_BYTES = 1_048_576;

function scopeLabel(scope: StateScope): string {
  return scope.pathSegments.length === 0 ? "the state machine" : `"${formatPath(scope.pathSegments)}"`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 8).map((n) => `"${n}"`);
  return names.length > 8 ? `${shown.join(", ")} and ${names.length - 8} more` : shown.join(", ");
}

/** StartAt, transition targets, a terminal state and reachability, scope by scope (transitions never leave their scope). */
function graphProblems(scope: StateScope): StructuralProblem[] {
  const problems: StructuralProblem[] = [];
  const where = scopeLabel(scope);
  if (!scope.states) {
    problems.push({ pointer: `${scope.pointer}/States`, message: `${capitalized(where)} has no "States" object: add the states it runs.` });
    return problems;
  }
  const names = Object.keys(scope.states);
  const graph = new ScopeGraph(scope);
  let startAt: string | undefined;
  if (typeof scope.startAt !== "string") {
    const first = names[0] ? ` such as "StartAt": "${names[0]}"` : "";
    problems.push({ pointer: `${scope.pointer}/StartAt`, message: `${capitalized(where)} has no "StartAt": add the name of its first state${first}.` });
  } else if (!graph.has(scope.startAt)) {
    problems.push({
      pointer: `${scope.pointer}/StartAt`,
      message: `"StartAt" of ${where} names "${scope.startAt}", which is not one of its states (${listNames(names)}): fix the name.`,
    });
  } else {
    startAt = scope.startAt;
  }

  for (const [name, state] of Object.entries(scope.states)) {
    if (!isObject(state)) continue;
    const statePointer = `${scope.pointer}/States/${escapePointerSegment(name)}`;
    for (const t of transitionsOf(state)) {
      if (graph.has(t.target)) continue;
      const container = scope.pathSegments.length === 0 ? "" : ` (a transition cannot leave ${where})`;
      problems.push({
        pointer: `${statePointer}${t.field}`,
        message: `"${t.field.slice(1).replace(/\//g, ".")}" of "${name}" names "${t.target}", which is not a state of ${where}${container}: point it at one of ${listNames(names)}.`,
      });
    }
  }

  const terminates = Object.values(scope.states).some((s) => isObject(s) && (s.End === true || s.Type === "Succeed" || s.Type === "Fail"));
  if (names.length > 0 && !terminates) {
    problems.push({
      pointer: `${scope.pointer}/States`,
      message: `${capitalized(where)} never ends: no state has "End": true and none is a Succeed or Fail state. End its last state with "End": true.`,
    });
  }

  if (startAt !== undefined) {
    const reachable = graph.reachableFrom(startAt);
    for (const name of names) {
      if (reachable.has(name)) continue;
      problems.push({
        pointer: `${scope.pointer}/States/${escapePointerSegment(name)}`,
        message: `"${name}" is unreachable: no transition leads to it from StartAt "${startAt}". Remove it, or make a Next, a Choice branch or a Catch point to it.`,
      });
    }
  }
  return problems;
}

/** The schema's errors that the scope-aware checks above already report, with a location. */
const COVERED_SCHEMA_MESSAGE = /must have required property '(StartAt|States)'/;

/** The definition's JSON text over Step Functions' 1 MB limit ("Quotas": maximum definition size), or undefined. */
export function sizeProblem(json: string): StructuralProblem | undefined {
  // A string's UTF-8 size is at most 3 bytes per UTF-16 unit: most definitions need no count.
  if (json.length * 3 <= MAX_DEFINITION_BYTES) return undefined;
  const bytes = Buffer.byteLength(json, "utf8");
  if (bytes <= MAX_DEFINITION_BYTES) return undefined;
  return {
    pointer: "",
    message:
      `The definition is ${bytes.toLocaleString("en-US")} bytes; Step Functions accepts at most ${MAX_DEFINITION_BYTES.toLocaleString("en-US")} (1 MB). ` +
      `Move large literal data out of it (pass it in the input or read it from S3), or split it into nested state machines.`,
  };
}

/**
 * Structural validity: size limit, StartAt and transitions per scope, reachability, and the ASL schema and
 * checks of asl-validator.
 */
export function structuralProblems(definition: unknown, json: string, walk: WalkResult): StructuralProblem[] {
  const problems: StructuralProblem[] = [];
  const oversize = sizeProblem(json);
  if (oversize) problems.push(oversize);
  if (!isObject(definition)) {
    problems.push({ pointer: "", message: `The definition must be a JSON object with "StartAt" and "States", not ${describeValue(definition)}.` });
    return problems;
  }
  for (const scope of walk.scopes) problems.push(...graphProblems(scope));
  problems.push(...jsonataProblems(walk.states));

  // asl-validator's checks, minus those the scope graphs above make (transition targets, terminal states).
  const seen = new Set<string>();
  // Template placeholders are unknowns of the type their field needs: the schema sees stand-ins.
  for (const error of analysisAslErrors(withoutPlaceholders(definition))) {
    if (COVERED_SCHEMA_MESSAGE.test(error.Message)) continue;
    const pointer = error.schemaError?.instancePath ?? "";
    const found = error.schemaError ? valueAt(definition, pointer) : undefined;
    const foundText = found === undefined || typeof found === "object" ? "" : ` (found ${JSON.stringify(found)})`;
    const text = error.schemaError
      ? `${pointer || "The definition"} is invalid ASL: ${error.Message.replace(/^.* is invalid\. /, "")}${foundText}.`
      : `${error.Message} (${error["Error code"]}).`;
    const key = `${pointer}\n${text}`;
    if (seen.has(key)) continue; // the same error found twice (e.g. in both forms of a oneOf) is reported once
    seen.add(key);
    problems.push({ pointer, message: text });
  }
  return problems;
}

/** The value a JSON pointer names, or undefined. */
function valueAt(document: unknown, pointer: string): unknown {
  let current = document;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current)) current = current[Number(key)];
    else if (isObject(current)) current = current[key];
    else return undefined;
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** Finds the state a pointer falls in: the deepest state whose pointer is a prefix of it. */
export function stateLocator(states: readonly StateVisit[]): (pointer: string) => StateVisit | undefined {
  const byPointer = new Map(states.map((s) => [s.pointer, s]));
  return (pointer) => {
    for (let current = pointer; current !== ""; current = current.slice(0, current.lastIndexOf("/"))) {
      const visit = byPointer.get(current);
      if (visit) return visit;
    }
    return undefined;
  };
}
