/**
 * Optimized SNS integration, sns:publish: request-response and .waitForTaskToken ("Publish messages to an
 * Amazon SNS topic with Step Functions"; SNS has no .sync). The token travels in Message; the output is
 * Publish's answer with the SDK metadata. IAM as the page's policy: sns:Publish on the topic. Errors are
 * "SNS.<Exception>" with the SDK's exception names (SNS.NotFoundException, SNS.AuthorizationErrorException).
 */
import type * as Sns from "../perform/sns";
import { lazyPerformer } from "../define";
import type { IamStatementTemplate, IntegrationModule } from "../types";

const PUBLISH: readonly IamStatementTemplate[] = [{ actions: ["sns:Publish"], resources: ["${TopicArn}"] }];

export const sns: IntegrationModule = {
  name: "sns:publish",
  kind: "optimized",
  service: "sns",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html",
  actions: {
    publish: {
      patterns: ["request-response", "waitForTaskToken"],
      iam: { "request-response": PUBLISH, waitForTaskToken: PUBLISH },
      tokenCarrier: "Message",
      perform: lazyPerformer(() => (require("../perform/sns") as typeof Sns).publish),
    },
  },
};
