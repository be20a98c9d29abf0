import * as pulumi from "@pulumi/pulumi";
import { AslCatcher, AslDefinition, AslFailState, AslRetrier, AslTaskState, AslValue } from "./asl";
import { DEFAULT_PATTERN_TIMEOUTS, withDefaults as withFieldDefaults } from "./defaults";
import { SettingError } from "./etlSettings";
import { PATTERN_NAMES, type PatternName } from "./patternNames";

export { PATTERN_NAMES, type PatternName };

/** What every pattern needs from an `EtlPipeline` (or any equivalent set of resources). */
export interface PatternTargets {
  /** ARN of the function that checks the data file is present. */
  readonly checkFileFunctionArn: pulumi.Input<string>;
  /** ARN of the function that validates a job run's output. */
  readonly validateFunctionArn: pulumi.Input<string>;
  /** Name of the Glue job that filters the data file. */
  readonly jobName: pulumi.Input<string>;
}

export interface PatternTimeouts {
  /** Upper bound for a Lambda task, in seconds. Default 60. */
  readonly lambdaTaskTimeoutSeconds?: number;
  /** Upper bound for the `.sync` Glue task; set it above the job's own timeout. Default 1200 (20 min). */
  readonly etlTaskTimeoutSeconds?: number;
  /** How long the callback task waits for the operator's SendTaskSuccess/Failure. Default 86400 (1 day). */
  readonly callbackTimeoutSeconds?: number;
  /** The callback task fails with States.HeartbeatTimeout when no heartbeat arrives this often. Default 3600. */
  readonly callbackHeartbeatSeconds?: number;
}

export { DEFAULT_PATTERN_TIMEOUTS };

/** The query language a pattern's states are written in. */
export type PatternQueryLanguage = "JSONPath" | "JSONata";

/** Timeouts, and the query language: JSONPath (default) or JSONata, the same machine either way. */
export interface PatternOptions extends PatternTimeouts {
  readonly queryLanguage?: PatternQueryLanguage;
}

/** Lambda's transient errors, retried as the Step Functions console and AWS CDK do. */
const LAMBDA_TRANSIENT_RETRY: AslRetrier = {
  ErrorEquals: [
    "Lambda.ClientExecutionTimeoutException",
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
  ],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  JitterStrategy: "FULL",
};

/**
 * Glue refuses a run past the job's max concurrent runs; back off and try again rather than fail. With FULL
 * jitter and the 60 s cap, 20 attempts wait about 8.5 minutes on average (at most about 17): room for a
 * burst of executions to wait out ten rounds of Python shell runs queued ahead of them.
 */
const GLUE_CONCURRENCY_RETRY: AslRetrier = {
  ErrorEquals: ["Glue.ConcurrentRunsExceededException"],
  IntervalSeconds: 5,
  MaxAttempts: 20,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  JitterStrategy: "FULL",
};

/**
 * A value a state reads: from the context object, the state's input, or (in a result selection) the
 * task's result. Each query language writes it its own way.
 */
interface Ref {
  readonly from: "context" | "input" | "result";
  readonly path: string;
}
const context = (path: string): Ref => ({ from: "context", path });
const input = (path: string): Ref => ({ from: "input", path });
const result = (path: string): Ref => ({ from: "result", path });

/** Arguments of a task: literals (or Pulumi inputs) and references, nested. */
type Args = { readonly [key: string]: AslValue | Ref | Args };

function isRef(value: unknown): value is Ref {
  return typeof value === "object" && value !== null && "from" in value && "path" in value;
}

/**
 * What differs between the languages. The states, transitions, retries and outputs are the same: a
 * JSONata machine's Output merges what a JSONPath machine's ResultSelector + ResultPath put in its input
 * ("Transforming data with JSONata in Step Functions", converting from JSONPath).
 */
interface Dialect {
  readonly queryLanguage: PatternQueryLanguage;
  /** The Task fields that send `args` and put the (selected) result under `key` of the input. */
  taskIo(args: Args, key: string, select?: Readonly<Record<string, Ref>>): Partial<AslTaskState>;
  /** A catcher that puts the error output under `error` of the input. */
  catchInto(errors: readonly string[], next: string): AslCatcher;
  /** A Fail state whose Cause is the caught error's Cause. */
  failWithCaughtCause(error: string, comment: string): AslFailState;
  /** A Fail state whose Error and Cause are the caught error's: the execution fails as the task did. */
  failAsCaught(comment: string): AslFailState;
}

/** Caught errors land here, so the Fail states can quote them in their Cause. */
const ERROR_KEY = "error";

const JSONPATH_ROOT: Record<Ref["from"], string> = { context: "$$.", input: "$.", result: "$." };

function jsonPathArgs(args: Args): { [key: string]: AslValue } {
  const out: { [key: string]: AslValue } = {};
  for (const [key, value] of Object.entries(args)) {
    if (isRef(value)) out[`${key}.$`] = `${JSONPATH_ROOT[value.from]}${value.path}`;
    else if (isArgs(value)) out[key] = jsonPathArgs(value);
    else out[key] = value;
  }
  return out;
}

function isArgs(value: unknown): value is Args {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !pulumi.Output.isInstance(value) && !isRef(value);
}

const JSONATA_ROOT: Record<Ref["from"], string> = { context: "$states.context.", input: "$states.input.", result: "$states.result." };
const jsonataRef = (ref: Ref) => `${JSONATA_ROOT[ref.from]}${ref.path}`;

function jsonataArgs(args: Args): { [key: string]: AslValue } {
  const out: { [key: string]: AslValue } = {};
  for (const [key, value] of Object.entries(args)) {
    if (isRef(value)) out[key] = `{% ${jsonataRef(value)} %}`;
    else if (isArgs(value)) out[key] = jsonataArgs(value);
    else out[key] = value;
  }
  return out;
}

const JSONPATH: Dialect = {
  queryLanguage: "JSONPath",
  taskIo: (args, key, select) => ({
    Parameters: jsonPathArgs(args),
    ...(select ? { ResultSelector: jsonPathArgs(select) } : {}),
    ResultPath: `$.${key}`,
  }),
  catchInto: (errors, next) => ({ ErrorEquals: errors, Next: next, ResultPath: `$.${ERROR_KEY}` }),
  failWithCaughtCause: (error, comment) => ({ Type: "Fail", Comment: comment, Error: error, CausePath: `$.${ERROR_KEY}.Cause` }),
  failAsCaught: (comment) => ({ Type: "Fail", Comment: comment, ErrorPath: `$.${ERROR_KEY}.Error`, CausePath: `$.${ERROR_KEY}.Cause` }),
};

const JSONATA: Dialect = {
  queryLanguage: "JSONata",
  taskIo: (args, key, select) => {
    const selected = select ? `{${Object.entries(select).map(([k, ref]) => `'${k}': ${jsonataRef(ref)}`).join(", ")}}` : "$states.result";
    return { Arguments: jsonataArgs(args), Output: `{% $merge([$states.input, {'${key}': ${selected}}]) %}` };
  },
  catchInto: (errors, next) => ({ ErrorEquals: errors, Next: next, Output: `{% $merge([$states.input, {'${ERROR_KEY}': $states.errorOutput}]) %}` }),
  failWithCaughtCause: (error, comment) => ({ Type: "Fail", Comment: comment, Error: error, Cause: `{% $states.input.${ERROR_KEY}.Cause %}` }),
  failAsCaught: (comment) => ({ Type: "Fail", Comment: comment, Error: `{% $states.input.${ERROR_KEY}.Error %}`, Cause: `{% $states.input.${ERROR_KEY}.Cause %}` }),
};

function checkFileTask(targets: PatternTargets, t: Required<PatternTimeouts>, d: Dialect, next: string): AslTaskState {
  return {
    Type: "Task",
    Comment: "Fails the execution when the data file is missing",
    Resource: "arn:aws:states:::lambda:invoke",
    ...d.taskIo({ FunctionName: targets.checkFileFunctionArn, Payload: { executionId: context("Execution.Id") } }, "checkFile", { file: result("Payload") }),
    TimeoutSeconds: t.lambdaTaskTimeoutSeconds,
    Retry: [LAMBDA_TRANSIENT_RETRY],
    Catch: [d.catchInto(["FileNotFound"], "DataFileMissing"), d.catchInto(["States.ALL"], "CheckFileFailed")],
    Next: next,
  };
}

function validateTask(targets: PatternTargets, t: Required<PatternTimeouts>, d: Dialect): AslTaskState {
  return {
    Type: "Task",
    Comment: "Proves the job run's output: it exists, its header, every row passes the filter, counts agree",
    Resource: "arn:aws:states:::lambda:invoke",
    ...d.taskIo({ FunctionName: targets.validateFunctionArn, Payload: { jobRunId: input("etl.JobRunId") } }, "validation", { report: result("Payload") }),
    TimeoutSeconds: t.lambdaTaskTimeoutSeconds,
    Retry: [LAMBDA_TRANSIENT_RETRY],
    Catch: [d.catchInto(["ValidationFailed"], "OutputInvalid"), d.catchInto(["States.ALL"], "ValidateFailed")],
    Next: "Done",
  };
}

/** Fail and Succeed states shared by every pattern. */
function commonEndStates(d: Dialect): AslDefinition["States"] {
  return {
    DataFileMissing: d.failWithCaughtCause("DataFileMissing", "check-file did not find the data file"),
    OutputInvalid: d.failWithCaughtCause("OutputInvalid", "the job run's output is missing or wrong"),
    ValidateFailed: d.failWithCaughtCause("ValidateFailed", "validate-output failed for another reason"),
    Done: { Type: "Succeed" },
  };
}

/** The timeouts with defaults per field, refused when Step Functions would not accept them. */
function checkedTimeouts(timeouts?: PatternTimeouts): Required<PatternTimeouts> {
  const t = withFieldDefaults<PatternTimeouts>(DEFAULT_PATTERN_TIMEOUTS, timeouts);
  for (const [field, value] of Object.entries(t)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new SettingError(`timeouts.${field}`, `${field} must be a whole number of seconds above 0; ${value} is not allowed`);
    }
  }
  // Amazon States Language, Task state: "HeartbeatSeconds ... MUST be smaller than TimeoutSeconds".
  if (t.callbackHeartbeatSeconds >= t.callbackTimeoutSeconds) {
    throw new SettingError(
      "timeouts.callbackHeartbeatSeconds",
      `the callback heartbeat (${t.callbackHeartbeatSeconds}s) must be below the callback timeout (${t.callbackTimeoutSeconds}s)`,
    );
  }
  return t;
}

function withDefaults(options?: PatternOptions): { t: Required<PatternTimeouts>; d: Dialect } {
  const { queryLanguage, ...timeouts } = options ?? {};
  if (queryLanguage !== undefined && queryLanguage !== "JSONPath" && queryLanguage !== "JSONata") {
    throw new Error(`queryLanguage must be "JSONPath" or "JSONata", got ${JSON.stringify(queryLanguage)}`);
  }
  return { t: checkedTimeouts(timeouts), d: queryLanguage === "JSONata" ? JSONATA : JSONPATH };
}

/** A JSONata machine says so at the top level; a JSONPath one keeps the default (no QueryLanguage). */
function languageField(d: Dialect): Pick<AslDefinition, "QueryLanguage"> {
  return d.queryLanguage === "JSONata" ? { QueryLanguage: "JSONata" } : {};
}

/** CheckFile → StartEtl → Validate: the shape Request Response and Run a Job share; only StartEtl differs. */
function glueInTheMachine(
  comment: string,
  targets: PatternTargets,
  options: PatternOptions | undefined,
  startEtl: Pick<AslTaskState, "Comment" | "Resource" | "TimeoutSeconds"> & { select: Readonly<Record<string, Ref>> },
  etlFailure: string,
): AslDefinition {
  const { t, d } = withDefaults(options);
  const { select, Comment, Resource, TimeoutSeconds } = startEtl;
  // Field order as this pattern has always written it, so a deployed definition's text does not change.
  const { ResultSelector, ...io } = d.taskIo({ JobName: targets.jobName }, "etl", select);
  return {
    Comment: comment,
    ...languageField(d),
    StartAt: "CheckFile",
    States: {
      CheckFile: checkFileTask(targets, t, d, "StartEtl"),
      CheckFileFailed: d.failWithCaughtCause("CheckFileFailed", "check-file failed for another reason"),
      StartEtl: {
        Type: "Task",
        Comment,
        Resource,
        ...(ResultSelector ? { ResultSelector } : {}),
        ...(TimeoutSeconds !== undefined ? { TimeoutSeconds } : {}),
        ...io,
        Retry: [GLUE_CONCURRENCY_RETRY],
        Catch: [d.catchInto(["States.ALL"], "EtlFailed")],
        Next: "Validate",
      },
      Validate: validateTask(targets, t, d),
      EtlFailed: d.failWithCaughtCause("EtlFailed", etlFailure),
      ...commonEndStates(d),
    },
  };
}

/**
 * Request Response: start the Glue job and move on at once. Validation then runs before the job has
 * written anything, so this machine FAILS at Validate, by design: it is the lesson of the lab.
 */
export function requestResponse(targets: PatternTargets, options?: PatternOptions): AslDefinition {
  return glueInTheMachine(
    "Request Response: starts the Glue job and does not wait for it, so validation fails (by design)",
    targets,
    options,
    {
      Comment: "Request-response: returns as soon as Glue accepts the run (JobRunId), not when it ends",
      Resource: "arn:aws:states:::glue:startJobRun",
      select: { JobRunId: result("JobRunId") },
    },
    "the Glue job could not be started",
  );
}

/** Run a Job: `.sync` makes Step Functions wait for the job run's terminal state before validating. */
export function runJob(targets: PatternTargets, options?: PatternOptions): AslDefinition {
  const { t } = withDefaults(options);
  return glueInTheMachine(
    "Run a Job: starts the Glue job with .sync and waits for it to finish before validating",
    targets,
    options,
    {
      Comment: ".sync: the state ends when the job run ends; a failed run fails the state (States.TaskFailed)",
      Resource: "arn:aws:states:::glue:startJobRun.sync",
      select: { JobRunId: result("Id"), JobRunState: result("JobRunState"), ExecutionTime: result("ExecutionTime") },
      TimeoutSeconds: t.etlTaskTimeoutSeconds,
    },
    "the Glue job run failed, stopped or timed out",
  );
}

/**
 * Wait for Callback: the ETL job is not in the machine. check-file is invoked with the task token and the
 * execution pauses until an operator, having run and verified the job, sends SendTaskSuccess with
 * `{"JobRunId": "..."}` (or SendTaskFailure). Then Validate runs on that job run.
 */
export function waitForCallback(targets: PatternTargets, options?: PatternOptions): AslDefinition {
  const { t, d } = withDefaults(options);
  return {
    Comment: "Wait for Callback: pauses with a task token until an operator verifies the externally run job",
    ...languageField(d),
    StartAt: "WaitForOperator",
    States: {
      WaitForOperator: {
        Type: "Task",
        Comment: "check-file runs with the task token; the state waits for SendTaskSuccess/SendTaskFailure",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        ...d.taskIo({ FunctionName: targets.checkFileFunctionArn, Payload: { taskToken: context("Task.Token"), executionId: context("Execution.Id") } }, "etl"),
        TimeoutSeconds: t.callbackTimeoutSeconds,
        HeartbeatSeconds: t.callbackHeartbeatSeconds,
        Retry: [LAMBDA_TRANSIENT_RETRY],
        Catch: [
          d.catchInto(["FileNotFound"], "DataFileMissing"),
          d.catchInto(["States.Timeout", "States.HeartbeatTimeout"], "OperatorTimedOut"),
          d.catchInto(["States.ALL"], "OperatorRejected"),
        ],
        Next: "Validate",
      },
      Validate: validateTask(targets, t, d),
      OperatorTimedOut: d.failWithCaughtCause("OperatorTimedOut", "no callback or heartbeat arrived in time"),
      OperatorRejected: d.failWithCaughtCause("OperatorRejected", "the operator sent SendTaskFailure (or check-file failed)"),
      ...commonEndStates(d),
    },
  };
}

/** The Glue job argument the event-driven callback passes its task token in (the callback function reads it). */
export const TASK_TOKEN_ARGUMENT = "--task_token";

/**
 * Event-driven callback: the machine starts the Glue run itself with the SDK integration and
 * `.waitForTaskToken`, passing its task token as the job argument TASK_TOKEN_ARGUMENT. The job's "Glue Job
 * State Change" event (SUCCEEDED, FAILED, TIMEOUT, STOPPED) reaches an EventBridge rule whose target, the
 * event-callback function, reads the run's arguments, verifies the run as `approve` does and sends
 * SendTaskSuccess ({JobRunId, JobRunState, ExecutionTime}) or SendTaskFailure. Then Validate runs, as in
 * run-job: the same work, without the polling. A run that fails reaches EtlFailed with the error and cause
 * the function sent; no callback within the ETL task timeout is EtlTimedOut.
 */
export function eventDrivenCallback(targets: PatternTargets, options?: PatternOptions): AslDefinition {
  const { t, d } = withDefaults(options);
  return {
    Comment: "Event-driven callback: starts the Glue job with a task token; the job's state-change event sends it back",
    ...languageField(d),
    StartAt: "CheckFile",
    States: {
      CheckFile: checkFileTask(targets, t, d, "StartEtl"),
      CheckFileFailed: d.failWithCaughtCause("CheckFileFailed", "check-file failed for another reason"),
      StartEtl: {
        Type: "Task",
        Comment: "Starts the run with the task token as a job argument; waits for the event-callback function's SendTaskSuccess/Failure",
        Resource: "arn:aws:states:::aws-sdk:glue:startJobRun.waitForTaskToken",
        ...d.taskIo({ JobName: targets.jobName, Arguments: { [TASK_TOKEN_ARGUMENT]: context("Task.Token") } }, "etl"),
        TimeoutSeconds: t.etlTaskTimeoutSeconds,
        Retry: [GLUE_CONCURRENCY_RETRY],
        Catch: [d.catchInto(["States.Timeout"], "EtlTimedOut"), d.catchInto(["States.ALL"], "EtlFailed")],
        Next: "Validate",
      },
      Validate: validateTask(targets, t, d),
      EtlTimedOut: d.failWithCaughtCause("EtlTimedOut", "no callback arrived within the ETL task's timeout"),
      EtlFailed: d.failAsCaught("the run failed, stopped or timed out, or its output did not verify: the error the callback sent"),
      ...commonEndStates(d),
    },
  };
}

/** Builds the definition of a pattern by its name. */
export function buildPattern(pattern: PatternName, targets: PatternTargets, options?: PatternOptions): AslDefinition {
  switch (pattern) {
    case "request-response":
      return requestResponse(targets, options);
    case "run-job":
      return runJob(targets, options);
    case "wait-for-callback":
      return waitForCallback(targets, options);
    case "event-driven-callback":
      return eventDrivenCallback(targets, options);
  }
}
