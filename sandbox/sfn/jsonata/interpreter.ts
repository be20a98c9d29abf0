import type { JsonObject } from "../../../policy/analysis/walk";
import { abortableSleep } from "../../abortable-sleep";
import { StatesError, QueryEvaluationError } from "./errors";
import { EventLog, type EventLogEntry } from "./event-log";
import { evaluateField, type Bindings } from "./expressions";
import { assignVariables, type Variables } from "./variables";
import { catchJsonPath, executeJsonPathState, type JsonPathKit } from "../variables/jsonpath-states";

/**
 * Executes JSONata state machines with Step Functions' semantics ("Transforming data with JSONata in Step
 * Functions", "Passing data between states with variables", the state type pages of the developer guide).
 * It has the `run()` contract of the JSONPath interpreter (aws-local-stepfunctions): an abort function,
 * an event log and a result, so the sandbox's Execution drives both the same way. JSONPath machines that
 * use workflow variables run here too, their states processed by sfn/variables/.
 */

/** The sandbox's call of one Task attempt: the evaluated Arguments, and what JSONata resolved for it. */
export type TaskCall = (args: unknown, resolved: ResolvedTask) => Promise<unknown>;

export interface ResolvedTask {
  /** TimeoutSeconds/HeartbeatSeconds given by expressions, as evaluated (unscaled). */
  readonly overrides: Readonly<Record<string, number>>;
  /** The token `$states.context.Task.Token` gave this attempt, if the Arguments read it. */
  readonly taskToken?: string;
}

export interface JsonataRunOptions {
  /** The context object's Execution and StateMachine members (Input is added here). */
  readonly context: Record<string, unknown>;
  readonly tasks: Readonly<Record<string, TaskCall>>;
  /** A new task token, for `$states.context.Task.Token`. */
  readonly issueTaskToken: (stateName: string) => string;
  /** Multiplies durations that expressions give (literal ones are scaled in the definition). */
  readonly timeScale: number;
}

export interface InterpreterRun {
  abort(): void;
  eventLogs: AsyncIterable<EventLogEntry>;
  result: Promise<unknown>;
}

/** Error names `States.ALL` does not match ("Handling errors in Step Functions workflows"). */
const NOT_MATCHED_BY_ALL = new Set(["States.Runtime", "States.DataLimitExceeded"]);

const DEFAULT_RETRY = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 };

/** Where a state runs: its scope's variables, the execution's log, abort signal and options. */
interface Scope {
  readonly variables: Variables;
  readonly log: EventLog;
  readonly signal: AbortSignal;
  readonly options: JsonataRunOptions;
  readonly context: Record<string, unknown>;
  /** A JSONPath machine (one that uses workflow variables): its states run with JSONPath processing. */
  readonly jsonPath: boolean;
}

class Aborted extends Error {}

export class JsonataInterpreter {
  constructor(private readonly definition: JsonObject) {}

  run(input: unknown, options: JsonataRunOptions): InterpreterRun {
    const log = new EventLog();
    const controller = new AbortController();
    const context = { ...options.context, Execution: { ...(options.context.Execution as object), Input: input } };
    const jsonPath = this.definition.QueryLanguage !== "JSONata";
    const scope: Scope = { variables: new Map(), log, signal: controller.signal, options, context, jsonPath };
    let timer: NodeJS.Timeout | undefined;
    const timeout = this.definition.TimeoutSeconds;
    const result = new Promise<unknown>((resolve, reject) => {
      controller.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        if (controller.signal.reason !== "timeout") log.add({ type: "ExecutionAborted" }, true);
        resolve(null);
      });
      if (typeof timeout === "number") {
        timer = setTimeout(() => {
          log.add({ type: "ExecutionTimeout" }, true);
          controller.abort("timeout");
        }, timeout * 1000);
      }
      log.add({ type: "ExecutionStarted" });
      runStates(this.definition, input, scope).then(
        (output) => {
          clearTimeout(timer);
          log.add({ type: "ExecutionSucceeded", output }, true);
          resolve(output);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (error instanceof Aborted || controller.signal.aborted) return;
          const failure = asError(error);
          log.add({ type: "ExecutionFailed", Error: failure.name, Cause: failure.message }, true);
          reject(failure);
        },
      );
    });
    return { abort: () => controller.abort(), eventLogs: log, result };
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new StatesError("States.Runtime", String(error));
}

/** Runs the states of a machine, branch or iteration from StartAt to an end; gives the last output. */
async function runStates(container: JsonObject, input: unknown, scope: Scope): Promise<unknown> {
  const states = container.States as Record<string, JsonObject>;
  let name = container.StartAt as string;
  let current = input;
  for (;;) {
    if (scope.signal.aborted) throw new Aborted();
    const state = states[name];
    const type = state.Type as string;
    scope.log.add({ type: "StateEntered", state: { name, type, input: current } });
    const { output, next } = await runState(name, state, current, scope);
    if (scope.signal.aborted) throw new Aborted();
    scope.log.add({ type: "StateExited", state: { name, type, input: current, output } });
    if (next === undefined) return output;
    current = output;
    name = next;
  }
}

interface StateOutcome {
  output: unknown;
  /** The next state; undefined at an end. */
  next?: string;
}

/** One state with its Retry and Catch. */
async function runState(name: string, state: JsonObject, input: unknown, scope: Scope): Promise<StateOutcome> {
  const retriers = Array.isArray(state.Retry) ? (state.Retry as JsonObject[]) : [];
  const attempts = retriers.map(() => 0);
  let retryCount = 0;
  for (;;) {
    const context = { ...scope.context, State: { Name: name, EnteredTime: new Date().toISOString(), RetryCount: retryCount } };
    try {
      return await executeState(name, state, input, { ...scope, context });
    } catch (error) {
      if (error instanceof Aborted || scope.signal.aborted) throw new Aborted();
      const failure = asError(error);
      scope.log.add({ type: "StateFailed", state: { name, type: state.Type as string, input }, Error: failure.name, Cause: failure.message });
      if (state.Type === "Fail") throw failure;
      const index = retriers.findIndex((r) => matches(r.ErrorEquals, failure.name, state.Type as string));
      if (index >= 0) {
        const retrier = { ...DEFAULT_RETRY, ...retriers[index] } as Record<string, unknown>;
        if (attempts[index] < (retrier.MaxAttempts as number)) {
          const interval = (retrier.IntervalSeconds as number) * Math.pow(retrier.BackoffRate as number, attempts[index]);
          const capped = typeof retrier.MaxDelaySeconds === "number" ? Math.min(interval, retrier.MaxDelaySeconds) : interval;
          const delay = retrier.JitterStrategy === "FULL" ? Math.random() * capped : capped;
          attempts[index]++;
          retryCount++;
          await sleep(delay * 1000, scope.signal);
          scope.log.add({ type: "StateRetried", state: { name, type: state.Type as string, input } });
          continue;
        }
      }
      const catchers = Array.isArray(state.Catch) ? (state.Catch as JsonObject[]) : [];
      const catcher = catchers.find((c) => matches(c.ErrorEquals, failure.name, state.Type as string));
      if (!catcher) throw failure;
      // "Handling errors": a catcher's Output (default $states.errorOutput) and Assign see the state's
      // input and the error output {Error, Cause}.
      const errorOutput = { Error: failure.name, Cause: failure.message };
      if (scope.jsonPath) return { output: catchJsonPath(catcher, jsonPathKit(name, { ...scope, context }), input, errorOutput), next: catcher.Next as string };
      const bindings = bindingsFor({ ...scope, context }, input, { errorOutput });
      const output = catcher.Output !== undefined ? await evaluateField(catcher.Output, bindings, "Catch.Output") : errorOutput;
      await assignVariables(catcher.Assign, bindings, scope.variables, "Catch.Assign");
      return { output, next: catcher.Next as string };
    }
  }
}

/**
 * Does a retrier's or catcher's ErrorEquals match? `States.ALL` matches all but the errors above;
 * `States.TaskFailed` matches a Task's errors except States.Timeout (ASL specification, "Error names").
 */
function matches(errorEquals: unknown, errorName: string, stateType: string): boolean {
  const names = Array.isArray(errorEquals) ? errorEquals : [];
  return names.some(
    (n) =>
      n === errorName ||
      (n === "States.ALL" && !NOT_MATCHED_BY_ALL.has(errorName)) ||
      (n === "States.TaskFailed" && stateType === "Task" && errorName !== "States.Timeout" && !NOT_MATCHED_BY_ALL.has(errorName)),
  );
}

function bindingsFor(scope: Scope, input: unknown, extra: Record<string, unknown> = {}): Bindings {
  return { states: { input, context: scope.context, ...extra }, variables: Object.fromEntries(scope.variables) };
}

/** Output (default `fallback`) and Assign of a state, both evaluated before any variable changes. */
async function finish(state: JsonObject, bindings: Bindings, scope: Scope, fallback: unknown): Promise<unknown> {
  const output = state.Output !== undefined ? await evaluateField(state.Output, bindings, "Output") : fallback;
  await assignVariables(state.Assign, bindings, scope.variables, "Assign");
  return output;
}

function nextOf(state: JsonObject): string | undefined {
  return state.End === true ? undefined : (state.Next as string | undefined);
}

async function executeState(name: string, state: JsonObject, input: unknown, scope: Scope): Promise<StateOutcome> {
  if (scope.jsonPath) return executeJsonPathState(name, state, input, jsonPathKit(name, scope));
  const bindings = bindingsFor(scope, input);
  switch (state.Type) {
    case "Pass":
      return { output: await finish(state, bindings, scope, input), next: nextOf(state) };
    case "Succeed":
      return { output: state.Output !== undefined ? await evaluateField(state.Output, bindings, "Output") : input };
    case "Fail":
      throw await failError(state, bindings);
    case "Wait":
      await sleep(await waitMs(state, bindings, scope.options.timeScale), scope.signal);
      return { output: await finish(state, bindings, scope, input), next: nextOf(state) };
    case "Choice":
      return choose(state, bindings, scope, input);
    case "Task":
      return runTask(name, state, input, scope);
    case "Parallel":
      return runParallel(state, input, scope);
    case "Map":
      return runMap(name, state, input, scope);
    default:
      throw new StatesError("States.Runtime", `State "${name}" has an unknown Type ${JSON.stringify(state.Type)}`);
  }
}

async function failError(state: JsonObject, bindings: Bindings): Promise<Error> {
  const error = state.Error !== undefined ? await evaluateField(state.Error, bindings, "Error") : "";
  const cause = state.Cause !== undefined ? await evaluateField(state.Cause, bindings, "Cause") : "";
  if (typeof error !== "string") return new QueryEvaluationError(`The field 'Error' must be a string, got ${JSON.stringify(error)}`);
  if (typeof cause !== "string") return new QueryEvaluationError(`The field 'Cause' must be a string, got ${JSON.stringify(cause)}`);
  return new StatesError(error, cause);
}

/** Wait `Seconds` (a non-negative integer) or until `Timestamp` (an ISO 8601 date-time string). */
async function waitMs(state: JsonObject, bindings: Bindings, timeScale: number): Promise<number> {
  if (state.Seconds !== undefined) {
    const literal = typeof state.Seconds === "number";
    const seconds = await evaluateField(state.Seconds, bindings, "Seconds");
    if (!Number.isInteger(seconds) || (seconds as number) < 0) {
      throw new QueryEvaluationError(`The field 'Seconds' must be a non-negative integer, got ${JSON.stringify(seconds)}`);
    }
    return (seconds as number) * 1000 * (literal ? 1 : timeScale);
  }
  if (state.Timestamp !== undefined) {
    const timestamp = await evaluateField(state.Timestamp, bindings, "Timestamp");
    const at = typeof timestamp === "string" && /^\d{4}-\d{2}-\d{2}T/.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
    if (Number.isNaN(at)) throw new QueryEvaluationError(`The field 'Timestamp' must be an ISO 8601 timestamp, got ${JSON.stringify(timestamp)}`);
    return Math.max(at - Date.now(), 0);
  }
  return 0;
}

/**
 * Choice ("Choice workflow state"): the first rule whose Condition is true; its Output and Assign when it
 * has them, else the state's. No match: Default, else States.NoChoiceMatched.
 */
async function choose(state: JsonObject, bindings: Bindings, scope: Scope, input: unknown): Promise<StateOutcome> {
  const rules = Array.isArray(state.Choices) ? (state.Choices as JsonObject[]) : [];
  for (const [i, rule] of rules.entries()) {
    const verdict = await evaluateField(rule.Condition, bindings, `Choices[${i}].Condition`);
    if (typeof verdict !== "boolean") {
      throw new QueryEvaluationError(`The field 'Choices[${i}].Condition' must evaluate to a boolean, got ${JSON.stringify(verdict)}`);
    }
    if (verdict) {
      const output = await finish({ Output: rule.Output ?? state.Output, Assign: rule.Assign ?? state.Assign }, bindings, scope, input);
      return { output, next: rule.Next as string };
    }
  }
  if (typeof state.Default !== "string") throw new StatesError("States.NoChoiceMatched", "No Choice rule matched and there is no Default");
  return { output: await finish(state, bindings, scope, input), next: state.Default };
}

/** A duration field that is a positive integer literal or an expression giving one. */
async function positiveSeconds(state: JsonObject, field: string, bindings: Bindings): Promise<number | undefined> {
  if (typeof state[field] !== "string") return undefined;
  const seconds = await evaluateField(state[field], bindings, field);
  if (!Number.isInteger(seconds) || (seconds as number) < 1) {
    throw new QueryEvaluationError(`The field '${field}' must be a positive integer, got ${JSON.stringify(seconds)}`);
  }
  return seconds as number;
}

/** The context of one Task attempt: `Task.Token` issues the attempt's token when first read. */
function taskContext(name: string, scope: Scope): { context: Record<string, unknown>; token: () => string | undefined } {
  let taskToken: string | undefined;
  const task = {
    get Token(): string {
      taskToken ??= scope.options.issueTaskToken(name);
      return taskToken;
    },
  };
  return { context: { ...scope.context, Task: task }, token: () => taskToken };
}

/** Calls a Task's integration, failing with States.Timeout after `timeoutMs`. */
async function callTask(name: string, scope: Scope, args: unknown, resolved: ResolvedTask, timeoutMs: number | undefined): Promise<unknown> {
  const call = scope.options.tasks[name];
  if (!call) throw new StatesError("States.Runtime", `No handler for Task state "${name}"`);
  if (scope.signal.aborted) throw new Aborted();
  return withTimeout(call(args, resolved), timeoutMs);
}

/** The mechanics a JSONPath state borrows: its scope, task calls, branches, iterations, waits. */
function jsonPathKit(name: string, scope: Scope): JsonPathKit {
  return {
    variables: scope.variables,
    context: scope.context,
    timeScale: scope.options.timeScale,
    sleep: (ms) => sleep(ms, scope.signal),
    task: async (argsOf, overrides, timeoutMs) => {
      const { context, token } = taskContext(name, scope);
      const args = argsOf(context);
      return callTask(name, scope, args, { overrides, taskToken: token() }, timeoutMs);
    },
    branches: (containers, input) => {
      const controller = new AbortController();
      return allOrAbort(containers.map((branch) => runStates(branch, input, childScope(scope, controller))), controller);
    },
    iterations: (processor, items, concurrency, inputOf) =>
      iterateMap(name, processor, items, concurrency, scope, async (item, index) => inputOf(item, index)),
  };
}

async function runTask(name: string, state: JsonObject, input: unknown, scope: Scope): Promise<StateOutcome> {
  const { context: taskCtx, token } = taskContext(name, scope);
  const argScope = { ...scope, context: taskCtx };
  const bindings = bindingsFor(argScope, input);
  const args = state.Arguments !== undefined ? await evaluateField(state.Arguments, bindings, "Arguments") : input;
  const overrides: Record<string, number> = {};
  const timeout = await positiveSeconds(state, "TimeoutSeconds", bindings);
  if (timeout !== undefined) overrides.TimeoutSeconds = timeout;
  const heartbeat = await positiveSeconds(state, "HeartbeatSeconds", bindings);
  if (heartbeat !== undefined) overrides.HeartbeatSeconds = heartbeat;
  const timeoutMs = timeout !== undefined ? timeout * 1000 * scope.options.timeScale : typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds * 1000 : undefined;
  const result = await callTask(name, scope, args, { overrides, taskToken: token() }, timeoutMs);
  const resultBindings = bindingsFor(argScope, input, { result });
  return { output: await finish(state, resultBindings, scope, result), next: nextOf(state) };
}

async function withTimeout<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StatesError("States.Timeout", "Task timed out")), ms);
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** A child scope for a branch or iteration: a copy of the outer variables, its own abort signal. */
function childScope(scope: Scope, controller: AbortController): Scope {
  return { ...scope, variables: new Map(scope.variables), signal: AbortSignal.any([scope.signal, controller.signal]) };
}

/**
 * Parallel: every branch gets the Arguments (default: the state input) and a copy of the variables in
 * scope; assignments in a branch stay there ("Passing data between states with variables", "Variable
 * scope"). The result is the array of branch outputs.
 */
async function runParallel(state: JsonObject, input: unknown, scope: Scope): Promise<StateOutcome> {
  const bindings = bindingsFor(scope, input);
  const branchInput = state.Arguments !== undefined ? await evaluateField(state.Arguments, bindings, "Arguments") : input;
  const controller = new AbortController();
  const branches = (state.Branches as JsonObject[]).map((branch) => runStates(branch, branchInput, childScope(scope, controller)));
  const result = await allOrAbort(branches, controller);
  return { output: await finish(state, bindingsFor(scope, input, { result }), scope, result), next: nextOf(state) };
}

async function allOrAbort(work: Promise<unknown>[], controller: AbortController): Promise<unknown[]> {
  try {
    return await Promise.all(work);
  } catch (error) {
    controller.abort();
    throw error;
  }
}

/**
 * Map (inline): Items (default: the state input) must be an array; each item, through ItemSelector
 * (which sees `$states.context.Map.Item.Index`/`Value`), runs the ItemProcessor in its own variable
 * scope, at most MaxConcurrency at once (0: no limit).
 */
async function runMap(name: string, state: JsonObject, input: unknown, scope: Scope): Promise<StateOutcome> {
  const bindings = bindingsFor(scope, input);
  const items = state.Items !== undefined ? await evaluateField(state.Items, bindings, "Items") : input;
  if (!Array.isArray(items)) throw new QueryEvaluationError(`The field 'Items' must be an array, got ${JSON.stringify(items)}`);
  const concurrency = state.MaxConcurrency !== undefined ? await evaluateField(state.MaxConcurrency, bindings, "MaxConcurrency") : 0;
  if (!Number.isInteger(concurrency) || (concurrency as number) < 0) {
    throw new QueryEvaluationError(`The field 'MaxConcurrency' must be a non-negative integer, got ${JSON.stringify(concurrency)}`);
  }
  const processor = (state.ItemProcessor ?? state.Iterator) as JsonObject;
  const inputOf = async (item: unknown, index: number): Promise<unknown> => {
    const itemContext = { ...scope.context, Map: { Item: { Index: index, Value: item } } };
    return state.ItemSelector !== undefined ? evaluateField(state.ItemSelector, bindingsFor({ ...scope, context: itemContext }, input), "ItemSelector") : item;
  };
  const result = await iterateMap(name, processor, items, concurrency as number, scope, inputOf);
  return { output: await finish(state, bindingsFor(scope, input, { result }), scope, result), next: nextOf(state) };
}

/** Runs a Map's iterations, each in its own variable scope, at most `concurrency` at once (0: no limit). */
async function iterateMap(
  name: string,
  processor: JsonObject,
  items: readonly unknown[],
  concurrency: number,
  scope: Scope,
  inputOf: (item: unknown, index: number) => Promise<unknown>,
): Promise<unknown[]> {
  const controller = new AbortController();
  const parentState = { name, type: "Map" };
  const iterate = async (item: unknown, index: number): Promise<unknown> => {
    const itemInput = await inputOf(item, index);
    scope.log.add({ type: "MapIterationStarted", parentState, index });
    try {
      const output = await runStates(processor, itemInput, childScope(scope, controller));
      scope.log.add({ type: "MapIterationSucceeded", parentState, index });
      return output;
    } catch (error) {
      if (!(error instanceof Aborted)) scope.log.add({ type: "MapIterationFailed", parentState, index });
      throw error;
    }
  };
  return allOrAbort(limited(items, concurrency || items.length || 1, iterate), controller);
}

/** Runs `work` on each item, at most `limit` at once; the promises in item order. */
function limited<T>(items: readonly unknown[], limit: number, work: (item: unknown, index: number) => Promise<T>): Promise<T>[] {
  let running = 0;
  const waiting: (() => void)[] = [];
  return items.map(async (item, index) => {
    while (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work(item, index);
    } finally {
      running--;
      waiting.shift()?.();
    }
  });
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> => abortableSleep(ms, signal, () => new Aborted());


