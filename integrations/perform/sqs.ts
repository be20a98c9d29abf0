/** How the sandbox performs sqs:sendMessage (request-response and .waitForTaskToken). */
import { randomUUID } from "node:crypto";
import { AwsServiceError } from "../../sandbox/aws-error";
import type { MessageAttributeValue } from "../../sandbox/sqs/message-md5";
import type { IntegrationServices, TaskAttempt } from "../performer";
import { messageText } from "./message-text";
import { callTask, param, sdkMetadata } from "./task-events";

/** SendMessage as the role; an object MessageBody is sent as its JSON text. */
export async function sendMessage(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
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
      ...fifoParameters(attempt),
    });
    return { ...sent, ...sdkMetadata(randomUUID(), { "Content-Type": "application/x-amz-json-1.0" }) };
  });
}

/** MessageGroupId and MessageDeduplicationId as given (FIFO queues need the first; SQS checks both). */
function fifoParameters(attempt: TaskAttempt): { MessageGroupId?: string; MessageDeduplicationId?: string } {
  const out: { MessageGroupId?: string; MessageDeduplicationId?: string } = {};
  for (const name of ["MessageGroupId", "MessageDeduplicationId"] as const) {
    const value = param(attempt, name);
    if (value === undefined) continue;
    if (typeof value !== "string") throw new AwsServiceError("InvalidParameterValue", `Value for parameter ${name} must be a string.`);
    out[name] = value;
  }
  return out;
}
