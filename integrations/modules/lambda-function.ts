/**
 * A Lambda function ARN as the Task's Resource (the form that predates lambda:invoke): the state input is the
 * event, the function's result the state's output. Request-response only.
 * Docs: https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import type { InvokeResult } from "../../sandbox/lambda/lambda-service";
import { NOT_TRUNCATED } from "../../sandbox/sfn/history";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";
import { serviceCallFailure } from "../perform/task-events";
import type { IntegrationModule } from "../types";

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

export const lambdaFunction: IntegrationModule = {
  name: "Lambda function ARN",
  kind: "lambda-function",
  service: "lambda",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html",
  actions: {
    invoke: {
      patterns: ["request-response"],
      iam: { "request-response": [{ actions: ["lambda:InvokeFunction"], resources: ["${Resource}"] }] },
      perform: invokeFunctionArn,
    },
  },
};
