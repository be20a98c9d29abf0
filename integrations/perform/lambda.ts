/** How the sandbox performs the Lambda integrations (function ARN, lambda:invoke, aws-sdk:lambda:invoke). */
import { randomUUID } from "node:crypto";
import type { InvokeResult } from "../../sandbox/lambda/lambda-service";
import { NOT_TRUNCATED } from "../../sandbox/sfn/history";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";
import {
  callTask,
  failTask,
  param,
  recordScheduled,
  recordStarted,
  recordSubmitted,
  requireStringParam,
  sdkMetadata,
  serviceCallFailure,
  succeedTask,
  waitForCallback,
} from "./task-events";

/** A Lambda function ARN as Resource: the state input is the event, the function's result the output. */
export async function invokeFunctionArn(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
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

/** Calls the function; a function error fails the state with the function's errorType. */
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

/** lambda:invoke: the result in Payload, with the SDK metadata; .waitForTaskToken waits for the callback. */
export async function optimizedLambdaInvoke(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  recordScheduled(attempt, services);
  const functionName = requireStringParam(attempt, "FunctionName");
  const qualifier = param(attempt, "Qualifier");
  const target = typeof qualifier === "string" && qualifier !== "" ? `${functionName}:${qualifier}` : functionName;
  const payload = param(attempt, "Payload") ?? {};
  recordStarted(attempt);
  let response: Record<string, unknown>;
  try {
    response = await callLambda(attempt, services, target, payload);
  } catch (error) {
    throw failTask(attempt, serviceCallFailure("lambda", error));
  }
  if (attempt.resource.pattern === "waitForTaskToken") {
    recordSubmitted(attempt, response);
    return waitForCallback(attempt, services);
  }
  return succeedTask(attempt, response);
}

/** aws-sdk:lambda:invoke: the Invoke API's response, Payload as JSON text. */
export async function sdkInvoke(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  const p = (attempt.parameters ?? {}) as Record<string, unknown>;
  return callTask(attempt, services, "lambda", async () => {
    const payload = typeof p.Payload === "string" ? (JSON.parse(p.Payload) as unknown) : (p.Payload ?? {});
    const result = await services.lambda.invoke(attempt.principal, String(p.FunctionName ?? ""), payload);
    if (result.functionError) throw new TaskFailure((result.payload as { errorType?: string }).errorType ?? "Lambda.Unknown", JSON.stringify(result.payload));
    return { ExecutedVersion: result.executedVersion, Payload: JSON.stringify(result.payload), StatusCode: result.statusCode };
  });
}
