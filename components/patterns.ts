import * as pulumi from "@pulumi/pulumi";
import { AslCatcher, AslDefinition, AslFailState, AslRetrier, AslTaskState } from "./asl";
import { DEFAULT_PATTERN_TIMEOUTS, withDefaults as withFieldDefaults } from "./defaults";
import { SettingError } from "./etlSettings";

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

/** The three patterns this library builds, by the name used for stacks, machines and the CLI. */
export const PATTERN_NAMES = ["request-response", "run-job", "wait-for-callback"] as const;
export type PatternName = (typeof PATTERN_NAMES)[number];

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

/** Caught errors land here, so the Fail states can quote them in their Cause. */
const ERROR_PATH = "$.error";

function catchInto(errors: readonly string[], next: string): AslCatcher {
  return { ErrorEquals: errors, Next: next, ResultPath: ERROR_PATH };
}

function failWithCaughtCause(error: string, comment: string): AslFailState {
  return { Type: "Fail", Comment: comment, Error: error, CausePath: `${ERROR_PATH}.Cause` };
}

function checkFileTask(targets: PatternTargets, t: Required<PatternTimeouts>, next: string): AslTaskState {
  return {
    Type: "Task",
    Comment: "Fails the execution when the data file is missing",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: targets.checkFileFunctionArn, Payload: { "executionId.$": "$$.Execution.Id" } },
    ResultSelector: { "file.$": "$.Payload" },
    ResultPath: "$.checkFile",
    TimeoutSeconds: t.lambdaTaskTimeoutSeconds,
    Retry: [LAMBDA_TRANSIENT_RETRY],
    Catch: [catchInto(["FileNotFound"], "DataFileMissing"), catchInto(["States.ALL"], "CheckFileFailed")],
    Next: next,
  };
}

function validateTask(targets: PatternTargets, t: Required<PatternTimeouts>): AslTaskState {
  return {
    Type: "Task",
    Comment: "Proves the job run's output: it exists, its header, every row passes the filter, counts agree",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: targets.validateFunctionArn, Payload: { "jobRunId.$": "$.etl.JobRunId" } },
    ResultSelector: { "report.$": "$.Payload" },
    ResultPath: "$.validation",
    TimeoutSeconds: t.lambdaTaskTimeoutSeconds,
    Retry: [LAMBDA_TRANSIENT_RETRY],
    Catch: [catchInto(["ValidationFailed"], "OutputInvalid"), catchInto(["States.ALL"], "ValidateFailed")],
    Next: "Done",
  };
}

/** Fail and Succeed states shared by every pattern. */
function commonEndStates(): AslDefinition["States"] {
  return {
    DataFileMissing: failWithCaughtCause("DataFileMissing", "check-file did not find the data file"),
    OutputInvalid: failWithCaughtCause("OutputInvalid", "the job run's output is missing or wrong"),
    ValidateFailed: failWithCaughtCause("ValidateFailed", "validate-output failed for another reason"),
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

/** CheckFile → StartEtl → Validate: the shape Request Response and Run a Job share; only StartEtl differs. */
function glueInTheMachine(
  comment: string,
  targets: PatternTargets,
  t: Required<PatternTimeouts>,
  startEtl: Pick<AslTaskState, "Comment" | "Resource" | "ResultSelector" | "TimeoutSeconds">,
  etlFailure: string,
): AslDefinition {
  return {
    Comment: comment,
    StartAt: "CheckFile",
    States: {
      CheckFile: checkFileTask(targets, t, "StartEtl"),
      CheckFileFailed: failWithCaughtCause("CheckFileFailed", "check-file failed for another reason"),
      StartEtl: {
        Type: "Task",
        ...startEtl,
        Parameters: { JobName: targets.jobName },
        ResultPath: "$.etl",
        Retry: [GLUE_CONCURRENCY_RETRY],
        Catch: [catchInto(["States.ALL"], "EtlFailed")],
        Next: "Validate",
      },
      Validate: validateTask(targets, t),
      EtlFailed: failWithCaughtCause("EtlFailed", etlFailure),
      ...commonEndStates(),
    },
  };
}

/**
 * Request Response: start the Glue job and move on at once. Validation then runs before the job has
 * written anything, so this machine FAILS at Validate, by design: it is the lesson of the lab.
 */
export function requestResponse(targets: PatternTargets, timeouts?: PatternTimeouts): AslDefinition {
  return glueInTheMachine(
    "Request Response: starts the Glue job and does not wait for it, so validation fails (by design)",
    targets,
    checkedTimeouts(timeouts),
    {
      Comment: "Request-response: returns as soon as Glue accepts the run (JobRunId), not when it ends",
      Resource: "arn:aws:states:::glue:startJobRun",
      ResultSelector: { "JobRunId.$": "$.JobRunId" },
    },
    "the Glue job could not be started",
  );
}

/** Run a Job: `.sync` makes Step Functions wait for the job run's terminal state before validating. */
export function runJob(targets: PatternTargets, timeouts?: PatternTimeouts): AslDefinition {
  const t = checkedTimeouts(timeouts);
  return glueInTheMachine(
    "Run a Job: starts the Glue job with .sync and waits for it to finish before validating",
    targets,
    t,
    {
      Comment: ".sync: the state ends when the job run ends; a failed run fails the state (States.TaskFailed)",
      Resource: "arn:aws:states:::glue:startJobRun.sync",
      ResultSelector: { "JobRunId.$": "$.Id", "JobRunState.$": "$.JobRunState", "ExecutionTime.$": "$.ExecutionTime" },
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
export function waitForCallback(targets: PatternTargets, timeouts?: PatternTimeouts): AslDefinition {
  const t = checkedTimeouts(timeouts);
  return {
    Comment: "Wait for Callback: pauses with a task token until an operator verifies the externally run job",
    StartAt: "WaitForOperator",
    States: {
      WaitForOperator: {
        Type: "Task",
        Comment: "check-file runs with the task token; the state waits for SendTaskSuccess/SendTaskFailure",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: targets.checkFileFunctionArn,
          Payload: { "taskToken.$": "$$.Task.Token", "executionId.$": "$$.Execution.Id" },
        },
        ResultPath: "$.etl",
        TimeoutSeconds: t.callbackTimeoutSeconds,
        HeartbeatSeconds: t.callbackHeartbeatSeconds,
        Retry: [LAMBDA_TRANSIENT_RETRY],
        Catch: [
          catchInto(["FileNotFound"], "DataFileMissing"),
          catchInto(["States.Timeout", "States.HeartbeatTimeout"], "OperatorTimedOut"),
          catchInto(["States.ALL"], "OperatorRejected"),
        ],
        Next: "Validate",
      },
      Validate: validateTask(targets, t),
      OperatorTimedOut: failWithCaughtCause("OperatorTimedOut", "no callback or heartbeat arrived in time"),
      OperatorRejected: failWithCaughtCause("OperatorRejected", "the operator sent SendTaskFailure (or check-file failed)"),
      ...commonEndStates(),
    },
  };
}

/** Builds the definition of a pattern by its name. */
export function buildPattern(pattern: PatternName, targets: PatternTargets, timeouts?: PatternTimeouts): AslDefinition {
  switch (pattern) {
    case "request-response":
      return requestResponse(targets, timeouts);
    case "run-job":
      return runJob(targets, timeouts);
    case "wait-for-callback":
      return waitForCallback(targets, timeouts);
  }
}
