/**
 * AWS SDK integration with Lambda (aws-sdk:lambda:invoke): the Invoke API's response, with Payload as JSON
 * text (the optimized lambda:invoke parses it). Other Lambda API actions are refused by the sandbox.
 */
import type * as Lambda from "../perform/lambda";
import { lazyPerformer } from "../define";
import { SDK_PATTERNS } from "../patterns";
import type { IamStatementTemplate, IntegrationModule } from "../types";

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
      perform: lazyPerformer(() => (require("../perform/lambda") as typeof Lambda).sdkInvoke),
    },
    "*": { patterns: SDK_PATTERNS },
  },
};
