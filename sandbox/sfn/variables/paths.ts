import { isObject } from "../../../policy/analysis/walk";
import { StatesError } from "../jsonata/errors";

/**
 * Paths in JSONPath states ("Paths in Step Functions", "Passing data between states with variables"):
 * `$` (the data a field sees), `$$` (the context object) or `$name` (a workflow variable), followed by
 * `.field`, `['field']` or `[index]` steps. The sandbox evaluates these single-value paths; filters,
 * wildcards, slices and `..` are refused at deployment (sfn/unsupported.ts names state and field).
 */
export type PathRoot = { readonly kind: "data" } | { readonly kind: "context" } | { readonly kind: "variable"; readonly name: string };

export interface ParsedPath {
  readonly root: PathRoot;
  readonly steps: readonly (string | number)[];
}

const ROOT = /^\$(\$|[A-Za-z_][A-Za-z0-9_]*)?/;
const STEP = /^(?:\.([A-Za-z0-9_\-]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\])/;

/** The path's parts, or undefined when it is not a path the sandbox evaluates. */
export function parsePath(path: string): ParsedPath | undefined {
  const root = ROOT.exec(path);
  if (!root) return undefined;
  const name = root[1];
  const parsedRoot: PathRoot = name === undefined ? { kind: "data" } : name === "$" ? { kind: "context" } : { kind: "variable", name };
  const steps: (string | number)[] = [];
  let rest = path.slice(root[0].length);
  while (rest.length > 0) {
    const step = STEP.exec(rest);
    if (!step) return undefined;
    if (step[2] !== undefined) steps.push(Number(step[2]));
    else steps.push((step[1] ?? step[3] ?? step[4]).replace(/\\(.)/g, "$1"));
    rest = rest.slice(step[0].length);
  }
  return { root: parsedRoot, steps };
}

/** What paths read: the field's data (`$`), the context object (`$$`) and the variables in scope. */
export interface PathData {
  readonly data: unknown;
  readonly context: unknown;
  readonly variables: ReadonlyMap<string, unknown>;
}

/**
 * The value at `path`. A path that selects nothing fails the state with States.Runtime, as Step Functions
 * does for a path not found in the input ("Handling errors": States.Runtime); a variable never assigned
 * in scope likewise.
 */
export function readPath(path: string, from: PathData, field: string): unknown {
  const parsed = parsePath(path);
  if (!parsed) throw new StatesError("States.Runtime", `The field '${field}' has the path '${path}', which the sandbox does not evaluate`);
  let value: unknown;
  if (parsed.root.kind === "data") value = from.data;
  else if (parsed.root.kind === "context") value = from.context;
  else {
    if (!from.variables.has(parsed.root.name)) {
      throw new StatesError("States.Runtime", `The variable '$${parsed.root.name}' referenced by the field '${field}' is not assigned in this scope`);
    }
    value = from.variables.get(parsed.root.name);
  }
  for (const step of parsed.steps) {
    const next = typeof step === "number" ? (Array.isArray(value) ? value[step] : undefined) : isObject(value) ? value[step] : undefined;
    if (next === undefined) throw new StatesError("States.Runtime", `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(from.data)}'`);
    value = next;
  }
  return value;
}

/**
 * ResultPath ("Specifying state output using ResultPath"): `null` keeps the input, `$` replaces it,
 * `$.a.b` puts the result there in a copy of the input, creating objects on the way. Only `$`-rooted
 * field steps are valid here.
 */
export function applyResultPath(input: unknown, result: unknown, resultPath: unknown, field: string): unknown {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === "$") return result;
  const parsed = typeof resultPath === "string" ? parsePath(resultPath) : undefined;
  if (!parsed || parsed.root.kind !== "data") throw new StatesError("States.Runtime", `The field '${field}' has the path ${JSON.stringify(resultPath)}, which is not a reference path over the input`);
  const copy = structuredClone(isObject(input) ? input : {}) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  parsed.steps.forEach((step, i) => {
    const key = String(step);
    if (i === parsed.steps.length - 1) target[key] = result;
    else {
      if (!isObject(target[key])) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
  });
  if (!isObject(input)) {
    throw new StatesError("States.Runtime", `Unable to apply the ResultPath '${resultPath}' of the field '${field}' to an input that is not an object: ${JSON.stringify(input)}`);
  }
  return copy;
}
