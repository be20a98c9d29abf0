/**
 * AWS SDK integration with Lambda (aws-sdk:lambda:invoke): the Invoke API's response, with Payload as JSON
 * text (the optimized lambda:invoke parses it). Other Lambda API actions are refused by the sandbox.
 */
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";
import { callTask } from "../perform/task-events";
import { SDK_PATTERNS } from "../patterns";
import type { IamStatementTemplate, IntegrationModule } from "../types";

async function sdkInvoke(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  const p = (attempt.parameters ?? {}) as Record<string, unknown>;
  return callTask(attempt, services, "lambda", async () => {
    const payload = typeof p.Payload === "string" ? (JSON.parse(p.Payload) as unknown) : (p.Payload ?? {});
    const result = await services.lambda.invoke(attempt.principal, String(p.FunctionName ?? ""), payload);
    if (result.functionError) throw new TaskFailure((result.payload as { errorType?: string }).errorType ?? "Lambda.Unknown", JSON.stringify(result.payload));
    return { ExecutedVersion: result.executedVersion, Payload: JSON.stringify(result.payload), StatusCode: result.statusCode };
  });
}

const INVOKE: readonly IamStatementTemplate[] = [{ actions: ["lambda:InvokeFunction"], resources: ["${FunctionName}", "${FunctionName}:*"] }];

export const awsSdkLambda: IntegrationModule = {
  name: "aws-sdk:lambda",
  kind: "sdk",
  service: "lambda",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
  actions: {
    invoke: {
      patterns: SDK_PATTERNS,
      iam: { "request-response": INVOKE, waitForTaskToken: INVOKE },
      nameOrArn: { FunctionName: "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}" },
      tokenCarrier: "Payload",
      perform: sdkInvoke,
    },
    "*": { patterns: SDK_PATTERNS },
  },
};
