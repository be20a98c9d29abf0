import { StateMachine } from "aws-local-stepfunctions";
import type { JsonObject } from "../../policy/analysis/walk";
import type { Principal } from "../iam/principals";
import { HistoryRecorder, NOT_TRUNCATED, type HistoryEvent } from "./history";
import { runTaskAttempt, TaskFailure, type IntegrationServices, type TaskAttempt } from "./integrations";
import type { ParsedResource } from "./task-resource";
import { JsonataInterpreter, type TaskCall } from "./jsonata/interpreter";
import type { EventLogEntry } from "./jsonata/event-log";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

type RunOptions = NonNullable<Parameters<StateMachine["run"]>[1]>;
type TaskHandler = NonNullable<NonNullable<RunOptions["overrides"]>["taskResourceLocalHandlers"]>[string];
type JsonValue = Parameters<StateMachine["run"]>[0];

/** A state of a deployed machine, by name, with its Resource already classified for Task states. */
export interface StateInfo {
  readonly state: JsonObject;
  readonly type: string;
  readonly resource?: ParsedResource;
}

/** What an execution needs of its state machine. */
export interface RunnableStateMachine {
  readonly arn: string;
  readonly name: string;
  readonly roleArn: string;
  /** The interpreter, over the definition with durations scaled: JSONPath's, or the JSONata one. */
  readonly interpreter: StateMachine | JsonataInterpreter;
  /** Multiplies durations (the JSONata interpreter scales those that expressions give). */
  readonly timeScale?: number;
  readonly states: ReadonlyMap<string, StateInfo>;
}

/** One attempt of a Task in flight, abandoned when its state times out or the execution ends. */
interface ActiveAttempt {
  readonly stateName: string;
  readonly controller: AbortController;
  readonly cleanups: (() => Promise<void> | void)[];
}

/** How long a task handler waits for its StateEntered event to reach the history before going on. */
const HISTORY_ORDER_WAIT_MS = 1000;

class Abandoned extends Error {
  override readonly name = "Abandoned";
}

/**
 * One execution of a state machine: runs the interpreter with the sandbox's task handlers, and builds
 * Step Functions' execution history from the interpreter's event log plus the task events the handlers
 * record. Its context object carries the execution's ids and a per-task `$$.Task.Token`.
 */
export class Execution {
  readonly startDate = new Date();
  status: ExecutionStatus = "RUNNING";
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly history = new HistoryRecorder();
  readonly finished: Promise<void>;

  private readonly active = new Set<ActiveAttempt>();
  /** StateEntered/StateRetried events per state name that reached the history, and handler calls. */
  private readonly entriesSeen = new Map<string, number>();
  private readonly attemptsStarted = new Map<string, number>();
  private readonly entryWaiters = new Set<() => void>();
  /** The token the next Task's Parameters read through $$.Task.Token; taken by that Task's handler. */
  private pendingToken?: string;
  /** The Fail state the execution entered, if any: its Error/Cause, when absent, stay absent. */
  private failStateEntered?: string;
  private stopRequest?: { error?: string; cause?: string; failed?: boolean };
  private abort?: () => void;
  private markFinished!: () => void;

  constructor(
    readonly stateMachine: RunnableStateMachine,
    readonly executionArn: string,
    readonly name: string,
    readonly input: string,
    private readonly principal: Principal,
    private readonly services: IntegrationServices,
  ) {
    this.finished = new Promise((resolve) => (this.markFinished = resolve));
  }

  start(): void {
    const interpreter = this.stateMachine.interpreter;
    if (interpreter instanceof JsonataInterpreter) {
      this.startJsonata(interpreter);
      return;
    }
    const handlers: Record<string, TaskHandler> = {};
    for (const [name, info] of this.stateMachine.states) {
      if (info.type === "Task" && info.resource) {
        const resource = info.resource;
        // Task results are JSON: they come from JSON payloads and JSON APIs.
        handlers[name] = (parameters) => this.runTask(name, info.state, resource, parameters) as Promise<JsonValue>;
      }
    }
    const run = interpreter.run(JSON.parse(this.input) as JsonValue, {
      overrides: { taskResourceLocalHandlers: handlers },
      context: this.contextObject(),
    });
    this.abort = run.abort;
    run.result.catch(() => undefined); // the outcome is read from the event log
    void this.consume(run.eventLogs);
  }

  /** A JSONata machine: its Tasks get the evaluated Arguments, and the token the Arguments read, if any. */
  private startJsonata(interpreter: JsonataInterpreter): void {
    const tasks: Record<string, TaskCall> = {};
    for (const [name, info] of this.stateMachine.states) {
      if (info.type === "Task" && info.resource) {
        const resource = info.resource;
        tasks[name] = (args, resolved) => this.runTask(name, { ...info.state, ...resolved.overrides }, resource, args, resolved.taskToken);
      }
    }
    const { Task: _task, ...context } = this.contextObject();
    const run = interpreter.run(JSON.parse(this.input) as unknown, {
      context,
      tasks,
      issueTaskToken: (stateName) => this.services.tokens.issue(this.executionArn, stateName),
      timeScale: this.stateMachine.timeScale ?? 1,
    });
    this.abort = run.abort;
    run.result.catch(() => undefined); // the outcome is read from the event log
    void this.consume(run.eventLogs);
  }

  /** StopExecution: aborts the interpreter; running tasks are abandoned (their Glue runs stopped). */
  stop(error?: string, cause?: string): void {
    if (this.status !== "RUNNING") return;
    this.stopRequest = { error, cause };
    this.abort?.();
  }

  /**
   * Ends the execution as FAILED with `error`/`cause` (not ABORTED): what Step Functions does to the executions
   * of a deleted state machine (States.Runtime, "State machine <name> has been deleted.").
   */
  terminate(error: string, cause: string): void {
    if (this.status !== "RUNNING") return;
    this.stopRequest = { error, cause, failed: true };
    this.abort?.();
  }

  events(): readonly HistoryEvent[] {
    return this.history.all();
  }

  /**
   * The context object ($$). `Task.Token` is a getter: the interpreter resolves a Task's Parameters and
   * then calls its handler in one synchronous step, so the token the Parameters read is the one the
   * handler takes next, even with parallel branches.
   */
  private contextObject(): Record<string, unknown> {
    const execution = this;
    const task = {
      get Token(): string {
        execution.pendingToken ??= execution.services.tokens.issue(execution.executionArn, "");
        return execution.pendingToken;
      },
    };
    return {
      Execution: { Id: this.executionArn, Name: this.name, RoleArn: this.stateMachine.roleArn, StartTime: this.startDate.toISOString() },
      StateMachine: { Id: this.stateMachine.arn, Name: this.stateMachine.name },
      Task: task,
    };
  }

  private async runTask(stateName: string, state: JsonObject, resource: ParsedResource, parameters: unknown, jsonataToken?: string): Promise<unknown> {
    const token = jsonataToken ?? this.pendingToken;
    if (jsonataToken === undefined) this.pendingToken = undefined;
    const waitsForToken = resource.pattern === "waitForTaskToken";
    const taskToken = waitsForToken ? (token ?? this.services.tokens.issue(this.executionArn, stateName)) : undefined;
    const attemptNumber = (this.attemptsStarted.get(stateName) ?? 0) + 1;
    this.attemptsStarted.set(stateName, attemptNumber);
    await this.historyHasEntered(stateName, attemptNumber);

    const active: ActiveAttempt = { stateName, controller: new AbortController(), cleanups: [] };
    this.active.add(active);
    const attempt: TaskAttempt = {
      executionArn: this.executionArn,
      stateName,
      state,
      resource,
      parameters,
      taskToken,
      principal: this.principal,
      signal: active.controller.signal,
      record: (type, details) => {
        if (!active.controller.signal.aborted) this.history.add(type, details);
      },
      onAbandon: (cleanup) => active.cleanups.push(cleanup),
    };
    if (taskToken) active.cleanups.push(() => this.services.tokens.close(taskToken));
    try {
      return await runTaskAttempt(attempt, this.services);
    } catch (error) {
      if (error instanceof TaskFailure || error instanceof Abandoned) throw error;
      // A sandbox fault, not a task failure: report it as Step Functions reports its own faults.
      throw new TaskFailure("States.Runtime", `Sandbox error in state "${stateName}": ${(error as Error)?.stack ?? String(error)}`);
    } finally {
      this.active.delete(active);
      // However the attempt ended, its token is spent: a late callback gets TaskTimedOut.
      if (taskToken) this.services.tokens.close(taskToken);
    }
  }

  /** Task events go after the state's StateEntered (or StateRetried) event; wait until it is recorded. */
  private historyHasEntered(stateName: string, attemptNumber: number): Promise<void> {
    if ((this.entriesSeen.get(stateName) ?? 0) >= attemptNumber) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if ((this.entriesSeen.get(stateName) ?? 0) >= attemptNumber) done();
      };
      const done = () => {
        clearTimeout(timer);
        this.entryWaiters.delete(check);
        resolve();
      };
      const timer = setTimeout(done, HISTORY_ORDER_WAIT_MS);
      this.entryWaiters.add(check);
    });
  }

  private noteEntry(stateName: string): void {
    this.entriesSeen.set(stateName, (this.entriesSeen.get(stateName) ?? 0) + 1);
    for (const check of [...this.entryWaiters]) check();
  }

  /** Abandons attempts: their waits end, their cleanups run (stop the job run, spend the token). */
  private abandon(attempts: ActiveAttempt[]): void {
    for (const attempt of attempts) {
      this.active.delete(attempt);
      attempt.controller.abort(new Abandoned(`Task "${attempt.stateName}" abandoned`));
      for (const cleanup of attempt.cleanups) void Promise.resolve(cleanup()).catch(() => undefined);
    }
  }

  private async consume(events: AsyncIterable<EventLogEntry>): Promise<void> {
    try {
      for await (const event of events) this.onEvent(event);
    } finally {
      this.abandon([...this.active]);
      if (this.status === "RUNNING") {
        // The log ended without a terminal event (should not happen): do not leave the execution running.
        this.finish("FAILED", { error: "States.Runtime", cause: "The interpreter stopped without a result" });
      }
      this.markFinished();
    }
  }

  private onEvent(event: EventLogEntry): void {
    const at = event.timestamp;
    const state = event.state;
    switch (event.type) {
      case "ExecutionStarted":
        this.history.add("ExecutionStarted", { input: this.input, inputDetails: NOT_TRUNCATED, roleArn: this.stateMachine.roleArn }, at);
        return;
      case "StateEntered":
        if (!state) return;
        this.history.add(`${state.type}StateEntered`, { name: state.name, input: JSON.stringify(state.input ?? null), inputDetails: NOT_TRUNCATED }, at);
        this.noteEntry(state.name);
        if (state.type === "Fail") this.failStateEntered = state.name;
        return;
      case "StateRetried":
        if (state) this.noteEntry(state.name);
        return;
      case "StateExited":
        if (!state) return;
        this.history.add(`${state.type}StateExited`, { name: state.name, output: JSON.stringify(state.output ?? null), outputDetails: NOT_TRUNCATED }, at);
        return;
      case "StateFailed":
        if (state && state.type === "Task" && event.Error === "States.Timeout") this.taskTimedOut(state.name, at);
        if (state && (state.type === "Map" || state.type === "Parallel")) this.history.add(`${state.type}StateFailed`, undefined, at);
        return;
      case "MapIterationStarted":
      case "MapIterationSucceeded":
      case "MapIterationFailed":
        this.history.add(event.type, { name: event.parentState?.name, index: event.index }, at);
        return;
      case "ExecutionSucceeded":
        this.finish("SUCCEEDED", { output: JSON.stringify(event.output ?? null) }, at);
        return;
      case "ExecutionFailed": {
        const fail = this.failStateEntered ? this.stateMachine.states.get(this.failStateEntered)?.state : undefined;
        // The interpreter fills in a name and message when a Fail state has no Error or Cause; AWS leaves them out.
        const error = fail && fail.Error === undefined && fail.ErrorPath === undefined ? undefined : event.Error;
        const cause = fail && fail.Cause === undefined && fail.CausePath === undefined ? undefined : causeText(event.Cause);
        this.finish("FAILED", { error, cause }, at);
        return;
      }
      case "ExecutionAborted":
        this.finish(this.stopRequest?.failed ? "FAILED" : "ABORTED", { error: this.stopRequest?.error, cause: this.stopRequest?.cause }, at);
        return;
      case "ExecutionTimeout":
        this.finish("TIMED_OUT", { error: "States.Timeout", cause: "The execution ran longer than its TimeoutSeconds" }, at);
        return;
      default:
        return;
    }
  }

  /** The interpreter's TimeoutSeconds fired for a Task: abandon its oldest attempt in flight. */
  private taskTimedOut(stateName: string, at: number): void {
    const attempt = [...this.active].find((a) => a.stateName === stateName);
    const info = this.stateMachine.states.get(stateName);
    const resource = info?.resource;
    const suffix = resource && resource.pattern !== "request-response" ? `.${resource.pattern}` : "";
    this.history.add(
      "TaskTimedOut",
      { resourceType: `${resource?.kind === "sdk" ? "aws-sdk:" : ""}${resource?.service ?? "unknown"}`, resource: `${resource?.action ?? "unknown"}${suffix}`, error: "States.Timeout", cause: "" },
      at,
    );
    if (attempt) this.abandon([attempt]);
  }

  private finish(status: ExecutionStatus, result: { output?: string; error?: string; cause?: string }, at = Date.now()): void {
    if (this.status !== "RUNNING") return;
    this.status = status;
    this.stopDate = new Date(at);
    this.output = result.output;
    this.error = result.error;
    this.cause = result.cause;
    this.abandon([...this.active]);
    const details =
      status === "SUCCEEDED"
        ? { output: result.output, outputDetails: NOT_TRUNCATED }
        : { ...(result.error !== undefined ? { error: result.error } : {}), ...(result.cause !== undefined ? { cause: result.cause } : {}) };
    const type = { SUCCEEDED: "ExecutionSucceeded", FAILED: "ExecutionFailed", ABORTED: "ExecutionAborted", TIMED_OUT: "ExecutionTimedOut", RUNNING: "" }[status];
    this.history.add(type, details, at);
  }
}

function causeText(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined;
  return typeof cause === "string" ? cause : JSON.stringify(cause);
}
