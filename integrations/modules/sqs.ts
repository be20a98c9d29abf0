/**
 * Optimized SQS integration, sqs:sendMessage: request-response and .waitForTaskToken ("Send messages to an
 * Amazon SQS queue with Step Functions"; SQS has no .sync). The token travels in MessageBody; the output is
 * SendMessage's answer with the SDK metadata. IAM as the page's policy: sqs:SendMessage on the queue.
 * Errors are "SQS.<Code>Exception" (SQS.QueueDoesNotExistException).
 */
import { randomUUID } from "node:crypto";
import { AwsServiceError } from "../../sandbox/aws-error";
import type { MessageAttributeValue } from "../../sandbox/sqs/message-md5";
import type { IntegrationServices, TaskAttempt } from "../performer";
import { messageText } from "../perform/message-text";
import { callTask, param, sdkMetadata } from "../perform/task-events";
import type { IamStatementTemplate, IntegrationModule } from "../types";

const SEND: readonly IamStatementTemplate[] = [{ actions: ["sqs:SendMessage"], resources: ["arn:${Partition}:sqs:${Region}:${Account}:${QueueUrl.lastSegment}"] }];

async function sendMessage(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  return callTask(attempt, services, "sqs", async () => {
    const queueUrl = param(attempt, "QueueUrl");
    const body = messageText(param(attempt, "MessageBody"));
    if (typeof queueUrl !== "string" || queueUrl === "") throw new AwsServiceError("MissingParameter", "The request must contain the parameter QueueUrl.");
    if (body === undefined) throw new AwsServiceError("MissingParameter", "The request must contain the parameter MessageBody.");
    const delay = param(attempt, "DelaySeconds");
    const attributes = param(attempt, "MessageAttributes");
    const sent = await services.sqs.sendMessage(attempt.principal, {
      QueueUrl: queueUrl,
      MessageBody: body,
      ...(typeof delay === "number" ? { DelaySeconds: delay } : {}),
      ...(typeof attributes === "object" && attributes !== null ? { MessageAttributes: attributes as Record<string, MessageAttributeValue> } : {}),
    });
    return { ...sent, ...sdkMetadata(randomUUID(), { "Content-Type": "application/x-amz-json-1.0" }) };
  });
}

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
      perform: sendMessage,
    },
  },
};
