/**
 * Optimized lambda:invoke: request-response and .waitForTaskToken ("Invoke an AWS Lambda function with Step
 * Functions"; Lambda has no .sync). The output wraps the function's result in Payload, with the SDK metadata.
 * IAM as AWS CDK's LambdaInvoke grants: lambda:InvokeFunction on the function and its versions and aliases.
 */
import type * as Lambda from "../perform/lambda";
import { lazyPerformer } from "../define";
import type { IntegrationModule } from "../types";

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
      perform: lazyPerformer(() => (require("../perform/lambda") as typeof Lambda).optimizedLambdaInvoke),
    },
  },
};
