/** How the sandbox performs sns:publish (request-response and .waitForTaskToken). */
import { randomUUID } from "node:crypto";
import { AccessDeniedError, AwsServiceError } from "../../sandbox/aws-error";
import type { SnsMessageAttribute } from "../../sandbox/sns/sns-service";
import type { IntegrationServices, TaskAttempt } from "../performer";
import { messageText } from "./message-text";
import { callTask, param, sdkMetadata } from "./task-events";

/** SNS's codes whose exception is not "<Code>Exception" (botocore sns: ParameterValueInvalid is InvalidParameterValueException). */
const EXCEPTION_CODES: Readonly<Record<string, string>> = { ParameterValueInvalid: "InvalidParameterValueException" };

/** Publish as the role; an object Message is sent as its JSON text. */
export async function publish(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  return callTask(attempt, services, "sns", async () => {
    const text = (key: string) => (typeof param(attempt, key) === "string" ? (param(attempt, key) as string) : undefined);
    const message = messageText(param(attempt, "Message"));
    if (message === undefined) throw new AwsServiceError("InvalidParameter", "Invalid parameter: Message");
    const attributes = param(attempt, "MessageAttributes");
    try {
      const published = await services.sns.publish(attempt.principal, {
        TopicArn: text("TopicArn"),
        TargetArn: text("TargetArn"),
        PhoneNumber: text("PhoneNumber"),
        Message: message,
        Subject: text("Subject"),
        MessageStructure: text("MessageStructure"),
        ...(typeof attributes === "object" && attributes !== null ? { MessageAttributes: attributes as Record<string, SnsMessageAttribute> } : {}),
      });
      return { ...published, ...sdkMetadata(randomUUID(), { "Content-Type": "text/xml" }) };
    } catch (error) {
      // SNS answers a denial as AuthorizationError (403), not AccessDeniedException.
      if (error instanceof AccessDeniedError) throw new AwsServiceError("AuthorizationError", error.message, 403);
      if (error instanceof AwsServiceError && Object.hasOwn(EXCEPTION_CODES, error.code)) throw new AwsServiceError(EXCEPTION_CODES[error.code], error.message, error.httpStatus);
      throw error;
    }
  });
}

