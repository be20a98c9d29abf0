/**
 * What every performer shares: reading parameters, the Task* history events Step Functions records, the
 * error a failed service call gives the state, and the wait for a task token's callback.
 */
import { randomUUID } from "node:crypto";
import { AccessDeniedError, AwsServiceError } from "../../sandbox/aws-error";
import { NOT_TRUNCATED } from "../../sandbox/sfn/history";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";

/** Services' names, as Step Functions quotes them in a cause. */
const SERVICE_NAMES: Record<string, string> = { lambda: "AWSLambda", glue: "AWSGlue" };
/** The error-name prefix Step Functions puts on a service's errors. */
const ERROR_PREFIXES: Record<string, string> = { lambda: "Lambda", glue: "Glue" };

/**
 * The error a failed service call gives the Task state. Lambda's AccessDeniedException is not in its
 * modelled errors, so Step Functions reports it as Lambda.AWSLambdaException; other services' errors are
 * "<Service>.<ErrorCode>". The cause reads like the Java SDK's message Step Functions shows.
 */
export function serviceCallFailure(service: string, error: unknown): TaskFailure {
  if (error instanceof TaskFailure) return error;
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

export function param(attempt: TaskAttempt, key: string): unknown {
  const parameters = attempt.parameters;
  return typeof parameters === "object" && parameters !== null && !Array.isArray(parameters) ? (parameters as Record<string, unknown>)[key] : undefined;
}

export function requireStringParam(attempt: TaskAttempt, key: string): string {
  const value = param(attempt, key);
  if (typeof value !== "string" || value === "") {
    throw new TaskFailure("States.Runtime", `The state "${attempt.stateName}" (${attempt.resource.raw}) needs a string ${key} parameter, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Rejects when the attempt is abandoned, so a wait never outlives its task. */
export function untilAbandoned<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
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

/** The SDK's response metadata Step Functions adds to an optimized integration's output. */
export function sdkMetadata(requestId: string, headers: Record<string, string> = {}) {
  return {
    SdkHttpMetadata: { HttpHeaders: { "Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": requestId, ...headers }, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** Upper-cases the first letter: the SDK integration's "startJobRun" is the API's "StartJobRun". */
export const apiName = (action: string) => action.charAt(0).toUpperCase() + action.slice(1);

export function taskEventBase(attempt: TaskAttempt) {
  const { service = "unknown", action = "unknown", pattern } = attempt.resource;
  const suffix = pattern === "request-response" ? "" : `.${pattern}`;
  const kindPrefix = attempt.resource.kind === "sdk" ? "aws-sdk:" : "";
  return { resourceType: `${kindPrefix}${service}`, resource: `${action}${suffix}` };
}

export function recordScheduled(attempt: TaskAttempt, services: IntegrationServices): void {
  const details: Record<string, unknown> = {
    ...taskEventBase(attempt),
    region: services.region,
    parameters: JSON.stringify(attempt.parameters ?? {}),
  };
  if (typeof attempt.state.TimeoutSeconds === "number") details.timeoutInSeconds = attempt.state.TimeoutSeconds;
  if (typeof attempt.state.HeartbeatSeconds === "number") details.heartbeatInSeconds = attempt.state.HeartbeatSeconds;
  attempt.record("TaskScheduled", details);
}

export function recordStarted(attempt: TaskAttempt): void {
  attempt.record("TaskStarted", taskEventBase(attempt));
}

/** TaskSubmitted: the work is started and the state waits for it (.sync, .waitForTaskToken). */
export function recordSubmitted(attempt: TaskAttempt, output: unknown): void {
  attempt.record("TaskSubmitted", { ...taskEventBase(attempt), output: JSON.stringify(output ?? {}), outputDetails: NOT_TRUNCATED });
}

/** Records TaskFailed (or TaskTimedOut for States.*Timeout) and returns the failure to throw. */
export function failTask(attempt: TaskAttempt, failure: TaskFailure): TaskFailure {
  const type = failure.name === "States.HeartbeatTimeout" || failure.name === "States.Timeout" ? "TaskTimedOut" : "TaskFailed";
  attempt.record(type, { ...taskEventBase(attempt), error: failure.name, cause: failure.message });
  return failure;
}

export function succeedTask(attempt: TaskAttempt, output: unknown): unknown {
  attempt.record("TaskSucceeded", { ...taskEventBase(attempt), output: JSON.stringify(output), outputDetails: NOT_TRUNCATED });
  return output;
}

/**
 * Pauses until SendTaskSuccess/SendTaskFailure for the attempt's token. SendTaskHeartbeat resets the
 * heartbeat clock; without one within HeartbeatSeconds the state fails with States.HeartbeatTimeout.
 * (TimeoutSeconds is the interpreter's: it fails the state with States.Timeout.)
 */
export async function waitForCallback(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
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

/** An API call made for the Task (request-response or .waitForTaskToken), with the Task* events around it. */
export async function callTask(attempt: TaskAttempt, services: IntegrationServices, errorService: string, call: () => Promise<unknown>): Promise<unknown> {
  recordScheduled(attempt, services);
  recordStarted(attempt);
  let response: unknown;
  try {
    response = await call();
  } catch (error) {
    throw failTask(attempt, serviceCallFailure(errorService, error));
  }
  if (attempt.resource.pattern === "waitForTaskToken") {
    recordSubmitted(attempt, response);
    return waitForCallback(attempt, services);
  }
  return succeedTask(attempt, response ?? {});
}
