/**
 * Optimized SQS integration, sqs:sendMessage: request-response and .waitForTaskToken ("Send messages to an
 * Amazon SQS queue with Step Functions"; SQS has no .sync). The token travels in MessageBody; the output is
 * SendMessage's answer with the SDK metadata. IAM as the page's policy: sqs:SendMessage on the queue.
 * Errors are "SQS.<Code>Exception" (SQS.QueueDoesNotExistException).
 */
import type * as Sqs from "../perform/sqs";
import { lazyPerformer } from "../define";
import type { IamStatementTemplate, IntegrationModule } from "../types";

const SEND: readonly IamStatementTemplate[] = [{ actions: ["sqs:SendMessage"], resources: ["arn:${Partition}:sqs:${Region}:${Account}:${QueueUrl.lastSegment}"] }];

export const sqs: IntegrationModule = {
  name: "sqs:sendMessage",
  kind: "optimized",
  service: "sqs",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html",
  actions: {
    sendMessage: {
      patterns: ["request-response", "waitForTaskToken"],
      iam: { "request-response": SEND, waitForTaskToken: SEND },
      tokenCarrier: "MessageBody",
      perform: lazyPerformer(() => (require("../perform/sqs") as typeof Sqs).sendMessage),
    },
  },
};
