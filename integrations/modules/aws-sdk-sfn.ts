/**
 * AWS SDK integration with Step Functions (aws-sdk:sfn:<action>): any Step Functions API action,
 * request-response or .waitForTaskToken. The sandbox runs StartExecution and DescribeExecution (the API's
 * answers, members in Pascal case); other actions are refused. Errors are "Sfn.<Code>Exception".
 */
import type * as StepFunctions from "../perform/step-functions";
import { lazyPerformer } from "../define";
import { SDK_PATTERNS } from "../patterns";
import type { IamStatementTemplate, IntegrationModule } from "../types";

const both = (statements: readonly IamStatementTemplate[]) => ({ "request-response": statements, waitForTaskToken: statements });

export const awsSdkSfn: IntegrationModule = {
  name: "aws-sdk:sfn",
  kind: "sdk",
  service: "sfn",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
  actions: {
    startExecution: {
      patterns: SDK_PATTERNS,
      iam: both([{ actions: ["states:StartExecution"], resources: ["${StateMachineArn}"] }]),
      tokenCarrier: "Input",
      perform: lazyPerformer(() => (require("../perform/step-functions") as typeof StepFunctions).sdkStartExecution),
    },
    describeExecution: {
      patterns: SDK_PATTERNS,
      iam: both([{ actions: ["states:DescribeExecution"], resources: ["${ExecutionArn}"] }]),
      perform: lazyPerformer(() => (require("../perform/step-functions") as typeof StepFunctions).sdkDescribeExecution),
    },
    "*": { patterns: SDK_PATTERNS },
  },
};
