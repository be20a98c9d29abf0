/**
 * Optimized lambda:invoke: request-response and .waitForTaskToken ("Invoke an AWS Lambda function with Step
 * Functions"; Lambda has no .sync). The output wraps the function's result in Payload, with the SDK metadata.
 * IAM as AWS CDK's LambdaInvoke grants: lambda:InvokeFunction on the function and its versions and aliases.
 */
import { randomUUID } from "node:crypto";
import type { InvokeResult } from "../../sandbox/lambda/lambda-service";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";
import {
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
} from "../perform/task-events";
import type { IntegrationModule } from "../types";

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

async function optimizedLambdaInvoke(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
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

/** The function and its versions and aliases, as AWS CDK grants. */
const INVOKE = [{ actions: ["lambda:InvokeFunction"], resources: ["${FunctionName}", "${FunctionName}:*"] }];

export const lambdaInvoke: IntegrationModule = {
  name: "lambda:invoke",
  kind: "optimized",
  service: "lambda",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html",
  actions: {
    invoke: {
      patterns: ["request-response", "waitForTaskToken"],
      iam: { "request-response": INVOKE, waitForTaskToken: INVOKE },
      nameOrArn: { FunctionName: "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}" },
      tokenCarrier: "Payload",
      perform: optimizedLambdaInvoke,
    },
  },
};
