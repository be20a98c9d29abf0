/**
 * A Lambda function ARN as the Task's Resource (the form that predates lambda:invoke): the state input is the
 * event, the function's result the state's output. Request-response only.
 * Docs: https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import type * as Lambda from "../perform/lambda";
import { lazyPerformer } from "../define";
import type { IntegrationModule } from "../types";

export const lambdaFunction: IntegrationModule = {
  name: "Lambda function ARN",
  kind: "lambda-function",
  service: "lambda",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html",
  actions: {
    invoke: {
      patterns: ["request-response"],
      iam: { "request-response": [{ actions: ["lambda:InvokeFunction"], resources: ["${Resource}"] }] },
      perform: lazyPerformer(() => (require("../perform/lambda") as typeof Lambda).invokeFunctionArn),
    },
  },
};
