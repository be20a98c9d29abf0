import { randomUUID } from "node:crypto";
import { abortableSleep } from "../abortable-sleep";
import type { JsonObject } from "../../policy/analysis/walk";
import { AccessDeniedError, AwsServiceError } from "../aws-error";
import type { GlueService, JobRun } from "../glue/glue-service";
import { TERMINAL_STATES } from "../glue/glue-service";
import type { Credentials, Principal } from "../iam/principals";
import type { DynamoDbService } from "../dynamodb/dynamodb-service";
import type { SnsService } from "../sns/sns-service";
import type { SqsService } from "../sqs/sqs-service";
import type { InvokeResult, LambdaService } from "../lambda/lambda-service";
import { NOT_TRUNCATED } from "./history";
import type { ParsedResource } from "./task-resource";
import type { TaskTokenRegistry } from "./task-tokens";

/**
 * A Task state failing with Step Functions' error name and cause; what Retry, Catch and the execution's
 * failure see. The interpreter reads `name` and `message`.
 */
export class TaskFailure extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}

/** One attempt of a Task state, as the integration sees it. */
export interface TaskAttempt {
  readonly executionArn: string;
  readonly stateName: string;
  /** The state as written (HeartbeatSeconds and the like). */
  readonly state: JsonObject;
  readonly resource: ParsedResource;
  /** The effective parameters (Parameters applied to the state input). */
  readonly parameters: unknown;
  /** The task token the parameters saw, for .waitForTaskToken tasks. */
  readonly taskToken?: string;
  /** The state machine's role session: every call is made, and authorized, as it. */
  readonly principal: Principal;
  /** Aborted when the attempt is abandoned (state timeout, execution stopped or ended). */
  readonly signal: AbortSignal;
  /** Appends an event to the execution's history. */
  record(type: string, details?: Record<string, unknown>): void;
  /** Registers work to do if the attempt is abandoned (stop the job, spend the token). */
  onAbandon(cleanup: () => Promise<void> | void): void;
}

export interface IntegrationServices {
  readonly region: string;
  readonly lambda: LambdaService;
  readonly glue: GlueService;
  readonly dynamodb: DynamoDbService;
  readonly sqs: SqsService;
  readonly sns: SnsService;
  /** S3 is called over its endpoint, signed with the principal's keys, as a function's SDK calls it. */
  readonly s3: { readonly endpoint: () => string; readonly credentialsOf: (principal: Principal) => Credentials };
  readonly tokens: TaskTokenRegistry;
  /** Multiplies HeartbeatSeconds. */
  readonly timeScale: number;
  /** Delay between two GetJobRun polls of a .sync Glue task (AWS: about a minute). */
  readonly syncPollIntervalMs: number;
}

/** Lambda's and Glue's service names, as Step Functions quotes them in a cause. */
const SERVICE_NAMES: Record<string, string> = { lambda: "AWSLambda", glue: "AWSGlue", states: "AWSStepFunctions" };
/** The error-name prefix Step Functions puts on a service's errors. */
const ERROR_PREFIXES: Record<string, string> = { lambda: "Lambda", glue: "Glue", states: "SFN" };

/**
 * The error a failed service call gives the Task state. Lambda's AccessDeniedException is not in its
 * modelled errors, so Step Functions reports it as Lambda.AWSLambdaException; other services' errors are
 * "<Service>.<ErrorCode>". The cause reads like the Java SDK's message Step Functions shows.
 */
export function serviceCallFailure(service: string, error: unknown): TaskFailure {
  const prefix = ERROR_PREFIXES[service] ?? service;
  if (!(error instanceof AwsServiceError)) {
    return new TaskFailure(`${prefix}.SdkClientException`, (error as Error)?.message ?? String(error));
  }
  const status = error instanceof AccessDeniedError && service === "lambda" ? 403 : error.httpStatus;
  const cause =
    `${error.message} (Service: ${SERVICE_NAMES[service] ?? service}; Status Code: ${status}; ` +
    `Error Code: ${error.code}; Request ID: ${randomUUID()}; Proxy: null)`;
  const name = error instanceof AccessDeniedError && service === "lambda" ? "Lambda.AWSLambdaException" : `${prefix}.${error.code}`;
  return new TaskFailure(name, cause);
}

function param(attempt: TaskAttempt, key: string): unknown {
  const parameters = attempt.parameters;
  return typeof parameters === "object" && parameters !== null && !Array.isArray(parameters) ? (parameters as Record<string, unknown>)[key] : undefined;
}

function requireStringParam(attempt: TaskAttempt, key: string): string {
  const value = param(attempt, key);
  if (typeof value !== "string" || value === "") {
    throw new TaskFailure("States.Runtime", `The state "${attempt.stateName}" (${attempt.resource.raw}) needs a string ${key} parameter, got ${JSON.stringify(value)}`);
  }
  return value;
}


/** Rejects when the attempt is abandoned, so a wait never outlives its task. */
function untilAbandoned<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Dates as Step Functions serializes them in task outputs: epoch milliseconds. */
function jobRunOutput(run: JobRun): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(run)) out[key] = value instanceof Date ? value.getTime() : value;
  return out;
}

function sdkMetadata(requestId: string, headers: Record<string, string> = {}) {
  return {
    SdkHttpMetadata: { HttpHeaders: { "Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": requestId, ...headers }, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/**
 * Runs one attempt of a Task. The semantics come only from the Resource: the service, the action and
 * the integration pattern (request-response, .sync, .waitForTaskToken).
 */
export async function runTaskAttempt(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  const { resource } = attempt;
  if (resource.kind === "lambda-function") return invokeFunctionArn(attempt, services);
  if (resource.kind === "optimized" && resource.service === "lambda" && resource.action === "invoke") {
    return optimizedLambdaInvoke(attempt, services);
  }
  if (resource.kind === "optimized" && resource.service === "glue" && resource.action === "startJobRun") {
    return glueStartJobRun(attempt, services);
  }
  if (resource.kind === "sdk") return sdkCall(attempt, services);
  throw new TaskFailure(
    "States.Runtime",
    `The sandbox does not emulate the Resource "${resource.raw}" of state "${attempt.stateName}" ` +
      `(it runs Lambda functions, lambda:invoke, glue:startJobRun and aws-sdk:glue/lambda/sfn calls).`,
  );
}

/** A Lambda function ARN as Resource: the state input is the event, the function's result the output. */
async function invokeFunctionArn(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  const functionArn = attempt.resource.raw;
  const timeout = typeof attempt.state.TimeoutSeconds === "number" ? { timeoutInSeconds: attempt.state.TimeoutSeconds } : {};
  attempt.record("LambdaFunctionScheduled", { resource: functionArn, input: JSON.stringify(attempt.parameters ?? null), inputDetails: NOT_TRUNCATED, ...timeout });
  let result: InvokeResult;
  try {
    result = await services.lambda.invoke(attempt.principal, functionArn, attempt.parameters ?? null);
  } catch (error) {
    const failure = serviceCallFailure("lambda", error);
    attempt.record("LambdaFunctionStartFailed", { error: failure.name, cause: failure.message });
    throw failure;
  }
  attempt.record("LambdaFunctionStarted");
  if (result.functionError) {
    const payload = result.payload as { errorType?: string };
    const failure = new TaskFailure(payload.errorType ?? "Lambda.Unknown", JSON.stringify(result.payload));
    attempt.record("LambdaFunctionFailed", { error: failure.name, cause: failure.message });
    throw failure;
  }
  attempt.record("LambdaFunctionSucceeded", { output: JSON.stringify(result.payload), outputDetails: NOT_TRUNCATED });
  return result.payload;
}

function taskEventBase(attempt: TaskAttempt) {
  const { service = "unknown", action = "unknown", pattern } = attempt.resource;
  const suffix = pattern === "request-response" ? "" : `.${pattern}`;
  const kindPrefix = attempt.resource.kind === "sdk" ? "aws-sdk:" : "";
  return { resourceType: `${kindPrefix}${service}`, resource: `${action}${suffix}` };
}

function recordScheduled(attempt: TaskAttempt, services: IntegrationServices): void {
  const details: Record<string, unknown> = {
    ...taskEventBase(attempt),
    region: services.region,
    parameters: JSON.stringify(attempt.parameters ?? {}),
  };
  if (typeof attempt.state.TimeoutSeconds === "number") details.timeoutInSeconds = attempt.state.TimeoutSeconds;
  if (typeof attempt.state.HeartbeatSeconds === "number") details.heartbeatInSeconds = attempt.state.HeartbeatSeconds;
  attempt.record("TaskScheduled", details);
}

/** Records TaskFailed (or TaskTimedOut for States.*Timeout) and returns the failure to throw. */
function failTask(attempt: TaskAttempt, failure: TaskFailure): TaskFailure {
  const type = failure.name === "States.HeartbeatTimeout" || failure.name === "States.Timeout" ? "TaskTimedOut" : "TaskFailed";
  attempt.record(type, { ...taskEventBase(attempt), error: failure.name, cause: failure.message });
  return failure;
}

function succeedTask(attempt: TaskAttempt, output: unknown): unknown {
  attempt.record("TaskSucceeded", { ...taskEventBase(attempt), output: JSON.stringify(output), outputDetails: NOT_TRUNCATED });
  return output;
}

/** Calls a function for lambda:invoke; a function error fails the state with the function's errorType. */
async function callLambda(attempt: TaskAttempt, services: IntegrationServices, functionName: string, payload: unknown): Promise<Record<string, unknown>> {
  const asynchronous = param(attempt, "InvocationType") === "Event";
  const requestId = randomUUID();
  if (asynchronous) {
    void services.lambda.invoke(attempt.principal, functionName, payload).catch(() => undefined);
    return { Payload: "", StatusCode: 202, ...sdkMetadata(requestId) };
  }
  let result: InvokeResult;
  try {
    result = await services.lambda.invoke(attempt.principal, functionName, payload);
  } catch (error) {
    throw serviceCallFailure("lambda", error);
  }
  if (result.functionError) {
    const errorPayload = result.payload as { errorType?: string };
    throw new TaskFailure(errorPayload.errorType ?? "Lambda.Unknown", JSON.stringify(result.payload));
  }
  return {
    ExecutedVersion: result.executedVersion,
    Payload: result.payload,
    ...sdkMetadata(requestId, { "X-Amz-Executed-Version": result.executedVersion }),
    StatusCode: result.statusCode,
  };
}

async function optimizedLambdaInvoke(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  recordScheduled(attempt, services);
  const functionName = requireStringParam(attempt, "FunctionName");
  const qualifier = param(attempt, "Qualifier");
  const target = typeof qualifier === "string" && qualifier !== "" ? `${functionName}:${qualifier}` : functionName;
  const payload = param(attempt, "Payload") ?? {};
  attempt.record("TaskStarted", taskEventBase(attempt));
  let response: Record<string, unknown>;
  try {
    response = await callLambda(attempt, services, target, payload);
  } catch (error) {
    throw failTask(attempt, error instanceof TaskFailure ? error : serviceCallFailure("lambda", error));
  }
  if (attempt.resource.pattern === "waitForTaskToken") {
    attempt.record("TaskSubmitted", { ...taskEventBase(attempt), output: JSON.stringify(response), outputDetails: NOT_TRUNCATED });
    return waitForCallback(attempt, services);
  }
  return succeedTask(attempt, response);
}

/**
 * Pauses until SendTaskSuccess/SendTaskFailure for the attempt's token. SendTaskHeartbeat resets the
 * heartbeat clock; without one within HeartbeatSeconds the state fails with States.HeartbeatTimeout.
 * (TimeoutSeconds is the interpreter's: it fails the state with States.Timeout.)
 */
async function waitForCallback(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  const token = attempt.taskToken;
  if (!token) throw failTask(attempt, new TaskFailure("States.Runtime", `No task token was issued for state "${attempt.stateName}"`));
  const heartbeatSeconds = typeof attempt.state.HeartbeatSeconds === "number" ? attempt.state.HeartbeatSeconds : undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let heartbeatExpired!: (failure: TaskFailure) => void;
  const heartbeatTimeout = new Promise<never>((_, reject) => (heartbeatExpired = reject));
  const armHeartbeat = () => {
    if (heartbeatSeconds === undefined) return;
    clearTimeout(heartbeatTimer);
    heartbeatTimer = setTimeout(() => {
      services.tokens.close(token);
      heartbeatExpired(new TaskFailure("States.HeartbeatTimeout", ""));
    }, heartbeatSeconds * 1000 * services.timeScale);
  };
  armHeartbeat();
  try {
    const outcome = await untilAbandoned(Promise.race([services.tokens.wait(token, armHeartbeat), heartbeatTimeout]), attempt.signal);
    if (outcome.kind === "success") return succeedTask(attempt, JSON.parse(outcome.outputJson) as unknown);
    throw failTask(attempt, new TaskFailure(outcome.error ?? "", outcome.cause ?? ""));
  } catch (error) {
    if (error instanceof TaskFailure && error.name === "States.HeartbeatTimeout") throw failTask(attempt, error);
    throw error;
  } finally {
    clearTimeout(heartbeatTimer);
  }
}

/** glue:startJobRun: request-response returns {JobName, JobRunId} at once; .sync waits for the run's end. */
async function glueStartJobRun(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  recordScheduled(attempt, services);
  const jobName = requireStringParam(attempt, "JobName");
  const args = param(attempt, "Arguments");
  const timeout = param(attempt, "Timeout");
  attempt.record("TaskStarted", taskEventBase(attempt));
  let runId: string;
  try {
    ({ JobRunId: runId } = await services.glue.startJobRun(attempt.principal, {
      JobName: jobName,
      Arguments: typeof args === "object" && args !== null ? (args as Record<string, string>) : undefined,
      Timeout: typeof timeout === "number" ? timeout : undefined,
    }));
  } catch (error) {
    throw failTask(attempt, serviceCallFailure("glue", error));
  }
  // Step Functions adds the job's name to StartJobRun's response.
  const started = { JobName: jobName, JobRunId: runId, ...sdkMetadata(randomUUID()) };
  if (attempt.resource.pattern !== "sync") return succeedTask(attempt, started);

  attempt.record("TaskSubmitted", { ...taskEventBase(attempt), output: JSON.stringify(started), outputDetails: NOT_TRUNCATED });
  attempt.onAbandon(async () => {
    // Stopping the execution (or the state's timeout) stops the job run it is waiting for, if the role may.
    await services.glue.batchStopJobRun(attempt.principal, jobName, [runId]).catch(() => undefined);
  });
  for (;;) {
    await abortableSleep(services.syncPollIntervalMs, attempt.signal);
    let run: JobRun;
    try {
      run = await services.glue.getJobRun(attempt.principal, jobName, runId);
    } catch (error) {
      throw failTask(attempt, serviceCallFailure("glue", error));
    }
    if (!TERMINAL_STATES.includes(run.JobRunState)) continue;
    const output = jobRunOutput(run);
    if (run.JobRunState === "SUCCEEDED") return succeedTask(attempt, output);
    throw failTask(attempt, new TaskFailure("States.TaskFailed", JSON.stringify(output)));
  }
}

/** Upper-cases the first letter: the SDK integration's "startJobRun" is the API's "StartJobRun". */
const apiName = (action: string) => action.charAt(0).toUpperCase() + action.slice(1);

/**
 * AWS SDK integrations (aws-sdk:<service>:<action>) for the services the sandbox runs, request-response
 * or .waitForTaskToken. The result is the API's response; errors are "<Service>.<ErrorCode>".
 */
async function sdkCall(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  recordScheduled(attempt, services);
  attempt.record("TaskStarted", taskEventBase(attempt));
  const { service = "", action = "" } = attempt.resource;
  const p = (attempt.parameters ?? {}) as Record<string, unknown>;
  let response: unknown;
  try {
    response = await callSdk(services, attempt.principal, service, apiName(action), p);
  } catch (error) {
    throw failTask(attempt, error instanceof TaskFailure ? error : serviceCallFailure(service, error));
  }
  if (attempt.resource.pattern === "waitForTaskToken") {
    attempt.record("TaskSubmitted", { ...taskEventBase(attempt), output: JSON.stringify(response ?? {}), outputDetails: NOT_TRUNCATED });
    return waitForCallback(attempt, services);
  }
  return succeedTask(attempt, response ?? {});
}

async function callSdk(services: IntegrationServices, principal: Principal, service: string, action: string, p: Record<string, unknown>): Promise<unknown> {
  const str = (key: string) => String(p[key] ?? "");
  if (service === "glue") {
    switch (action) {
      case "StartJobRun":
        return services.glue.startJobRun(principal, { JobName: str("JobName"), Arguments: p.Arguments as Record<string, string> | undefined });
      case "GetJobRun":
        return { JobRun: jobRunOutput(await services.glue.getJobRun(principal, str("JobName"), str("RunId"))) };
      case "GetJobRuns": {
        const page = await services.glue.getJobRuns(principal, str("JobName"), typeof p.MaxResults === "number" ? p.MaxResults : undefined);
        return { ...page, JobRuns: page.JobRuns.map(jobRunOutput) };
      }
      case "BatchStopJobRun":
        return services.glue.batchStopJobRun(principal, str("JobName"), (p.JobRunIds as string[]) ?? []);
    }
  }
  if (service === "lambda" && action === "Invoke") {
    const result = await services.lambda.invoke(principal, str("FunctionName"), typeof p.Payload === "string" ? JSON.parse(p.Payload) : (p.Payload ?? {}));
    if (result.functionError) throw new TaskFailure((result.payload as { errorType?: string }).errorType ?? "Lambda.Unknown", JSON.stringify(result.payload));
    return { ExecutedVersion: result.executedVersion, Payload: JSON.stringify(result.payload), StatusCode: result.statusCode };
  }
  throw new TaskFailure("States.Runtime", `The sandbox does not emulate aws-sdk:${service}:${action.charAt(0).toLowerCase()}${action.slice(1)}`);
}
