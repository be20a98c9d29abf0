import type { JsonObject } from "../../../policy/analysis/walk";
import { StatesError } from "../jsonata/errors";
import { MAX_ASSIGNED_BYTES_PER_STATE, type Variables } from "../jsonata/variables";
import { ruleMatches } from "./choice-rules";
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics";
import { applyResultPath, readPath, type PathData } from "./paths";
import { resolveTemplate, selectPath } from "./templates";

/**
 * One JSONPath state of a machine that uses workflow variables, with Step Functions' input and output
 * processing ("Processing input and output in Step Functions": InputPath, Parameters, ResultSelector,
 * ResultPath, OutputPath) and variables ("Passing data between states with variables"). In JSONPath
 * states `Assign` sees as `$` the state's result: the raw result of a Task, Parallel or Map, the result
 * of a Pass, the (InputPath-filtered) input of Choice and Wait, the error output in a Catch.
 */

/** What the interpreter lends a JSONPath state: its scope and the mechanics shared with JSONata states. */
export interface JsonPathKit {
  readonly variables: Variables;
  readonly context: Record<string, unknown>;
  readonly timeScale: number;
  sleep(ms: number): Promise<void>;
  /** Calls the Task's integration; `argsOf` is given the context with this attempt's `Task.Token`. */
  task(argsOf: (context: Record<string, unknown>) => unknown, overrides: Record<string, number>, timeoutMs: number | undefined): Promise<unknown>;
  /** Runs each branch on the same input in a copy of the variables. */
  branches(containers: JsonObject[], input: unknown): Promise<unknown[]>;
  /** Runs the processor once per item, at most `concurrency` at once (0: all), each in a copy of the variables. */
  iterations(processor: JsonObject, items: readonly unknown[], concurrency: number, inputOf: (item: unknown, index: number) => unknown): Promise<unknown[]>;
}

export interface JsonPathOutcome {
  readonly output: unknown;
  readonly next?: string;
}

function data(kit: JsonPathKit, value: unknown, context = kit.context): PathData {
  return { data: value, context, variables: kit.variables };
}

/**
 * Assign: every value (a literal, a `.$` path or intrinsic) is evaluated with the variables as they were
 * on entry, then all are stored at once; at most 256 KiB per state (States.DataLimitExceeded).
 */
export function assignJsonPath(assign: unknown, kit: JsonPathKit, value: unknown, field: string): void {
  if (assign === undefined) return;
  const values = resolveTemplate(assign, data(kit, value), field) as Record<string, unknown>;
  const bytes = Buffer.byteLength(JSON.stringify(values), "utf8");
  if (bytes > MAX_ASSIGNED_BYTES_PER_STATE) {
    throw new StatesError("States.DataLimitExceeded", `The variables assigned by the field '${field}' take ${bytes} bytes, over the ${MAX_ASSIGNED_BYTES_PER_STATE} bytes a state may assign.`);
  }
  for (const [name, v] of Object.entries(values)) kit.variables.set(name, v);
}

/** A Catch of a JSONPath state: Assign sees the error output; ResultPath (default `$`) places it in the input. */
export function catchJsonPath(catcher: JsonObject, kit: JsonPathKit, input: unknown, errorOutput: unknown): unknown {
  const output = applyResultPath(input, errorOutput, catcher.ResultPath, "Catch.ResultPath");
  assignJsonPath(catcher.Assign, kit, errorOutput, "Catch.Assign");
  return output;
}

const nextOf = (state: JsonObject): string | undefined => (state.End === true ? undefined : (state.Next as string | undefined));

/** A value from a literal field or its `...Path` twin (a path or intrinsic over the given data). */
function literalOrPath(state: JsonObject, field: string, from: PathData): unknown {
  const path = state[`${field}Path`];
  if (typeof path !== "string") return state[field];
  return isIntrinsic(path) ? evaluateIntrinsic(path, from, `${field}Path`) : readPath(path, from, `${field}Path`);
}

/** ResultSelector, Assign, ResultPath, OutputPath of a state with a result (Task, Parallel, Map). */
function finishWithResult(state: JsonObject, kit: JsonPathKit, input: unknown, result: unknown): JsonPathOutcome {
  const selected = state.ResultSelector !== undefined ? resolveTemplate(state.ResultSelector, data(kit, result), "ResultSelector") : result;
  const combined = applyResultPath(input, selected, state.ResultPath, "ResultPath");
  const output = selectPath(state.OutputPath, data(kit, combined), "OutputPath");
  assignJsonPath(state.Assign, kit, result, "Assign");
  return { output, next: nextOf(state) };
}

function positiveInteger(value: unknown, field: string, allowZero: boolean): number {
  if (!Number.isInteger(value) || (value as number) < (allowZero ? 0 : 1)) {
    throw new StatesError("States.Runtime", `The field '${field}' must be a ${allowZero ? "non-negative" : "positive"} integer, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

export async function executeJsonPathState(name: string, state: JsonObject, input: unknown, kit: JsonPathKit): Promise<JsonPathOutcome> {
  if (state.Type === "Fail") {
    const error = literalOrPath(state, "Error", data(kit, input));
    const cause = literalOrPath(state, "Cause", data(kit, input));
    throw new StatesError(typeof error === "string" ? error : "", typeof cause === "string" ? cause : "");
  }
  const effective = selectPath(state.InputPath, data(kit, input), "InputPath");
  switch (state.Type) {
    case "Pass": {
      const result = state.Result !== undefined ? state.Result : state.Parameters !== undefined ? resolveTemplate(state.Parameters, data(kit, effective), "Parameters") : effective;
      const output = selectPath(state.OutputPath, data(kit, applyResultPath(input, result, state.ResultPath, "ResultPath")), "OutputPath");
      assignJsonPath(state.Assign, kit, result, "Assign");
      return { output, next: nextOf(state) };
    }
    case "Succeed":
      return { output: selectPath(state.OutputPath, data(kit, effective), "OutputPath") };
    case "Wait": {
      const from = data(kit, effective);
      let ms = 0;
      if (state.Seconds !== undefined) ms = positiveInteger(state.Seconds, "Seconds", true) * 1000;
      else if (state.SecondsPath !== undefined) ms = positiveInteger(literalOrPath(state, "Seconds", from), "SecondsPath", true) * 1000 * kit.timeScale;
      else {
        const timestamp = literalOrPath(state, "Timestamp", from);
        const at = typeof timestamp === "string" ? Date.parse(timestamp) : Number.NaN;
        if (Number.isNaN(at)) throw new StatesError("States.Runtime", `The field 'Timestamp' must be an ISO 8601 timestamp, got ${JSON.stringify(timestamp)}`);
        ms = Math.max(at - Date.now(), 0);
      }
      await kit.sleep(ms);
      const output = selectPath(state.OutputPath, data(kit, effective), "OutputPath");
      assignJsonPath(state.Assign, kit, effective, "Assign");
      return { output, next: nextOf(state) };
    }
    case "Choice": {
      const rules = Array.isArray(state.Choices) ? (state.Choices as JsonObject[]) : [];
      const from = data(kit, effective);
      const matched = rules.findIndex((rule, i) => ruleMatches(rule, from, `Choices[${i}]`));
      const next = matched >= 0 ? (rules[matched].Next as string) : state.Default;
      if (typeof next !== "string") throw new StatesError("States.NoChoiceMatched", "No Choice rule matched and there is no Default");
      const output = selectPath(state.OutputPath, from, "OutputPath");
      const assign = matched >= 0 ? (rules[matched].Assign ?? state.Assign) : state.Assign;
      assignJsonPath(assign, kit, effective, matched >= 0 && rules[matched].Assign !== undefined ? `Choices[${matched}].Assign` : "Assign");
      return { output, next };
    }
    case "Task": {
      const from = data(kit, effective);
      const overrides: Record<string, number> = {};
      for (const field of ["TimeoutSeconds", "HeartbeatSeconds"]) {
        if (typeof state[`${field}Path`] === "string") overrides[field] = positiveInteger(literalOrPath(state, field, from), `${field}Path`, false);
      }
      const timeoutMs =
        overrides.TimeoutSeconds !== undefined ? overrides.TimeoutSeconds * 1000 * kit.timeScale : typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds * 1000 : undefined;
      const argsOf = (context: Record<string, unknown>): unknown =>
        state.Parameters !== undefined ? resolveTemplate(state.Parameters, data(kit, effective, context), "Parameters") : effective;
      const result = await kit.task(argsOf, overrides, timeoutMs);
      return finishWithResult(state, kit, input, result);
    }
    case "Parallel": {
      const branchInput = state.Parameters !== undefined ? resolveTemplate(state.Parameters, data(kit, effective), "Parameters") : effective;
      const result = await kit.branches(state.Branches as JsonObject[], branchInput);
      return finishWithResult(state, kit, input, result);
    }
    case "Map": {
      const from = data(kit, effective);
      const items = selectPath(state.ItemsPath, from, "ItemsPath");
      if (!Array.isArray(items)) throw new StatesError("States.Runtime", `The field 'ItemsPath' must select an array, got ${JSON.stringify(items)}`);
      const concurrency = positiveInteger(literalOrPath(state, "MaxConcurrency", from) ?? 0, "MaxConcurrency", true);
      const selector = state.ItemSelector ?? state.Parameters;
      const inputOf = (item: unknown, index: number): unknown =>
        selector !== undefined ? resolveTemplate(selector, data(kit, effective, { ...kit.context, Map: { Item: { Index: index, Value: item } } }), "ItemSelector") : item;
      const result = await kit.iterations((state.ItemProcessor ?? state.Iterator) as JsonObject, items, concurrency, inputOf);
      return finishWithResult(state, kit, input, result);
    }
    default:
      throw new StatesError("States.Runtime", `State "${name}" has an unknown Type ${JSON.stringify(state.Type)}`);
  }
}
