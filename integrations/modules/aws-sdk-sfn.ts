/**
 * AWS SDK integration with Step Functions (aws-sdk:sfn:<action>): any Step Functions API action,
 * request-response or .waitForTaskToken. Known to the analysis; the sandbox runs none yet.
 */
import { SDK_PATTERNS } from "../patterns";
import type { IntegrationModule } from "../types";

export const awsSdkSfn: IntegrationModule = {
  name: "aws-sdk:sfn",
  kind: "sdk",
  service: "sfn",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
  actions: {
    startExecution: { patterns: SDK_PATTERNS, tokenCarrier: "Input" },
    "*": { patterns: SDK_PATTERNS },
  },
};
