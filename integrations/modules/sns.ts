/**
 * Optimized SNS integration, sns:publish: request-response and .waitForTaskToken ("Publish messages to an
 * Amazon SNS topic with Step Functions"; SNS has no .sync). The token travels in Message; the output is
 * Publish's answer with the SDK metadata. IAM as the page's policy: sns:Publish on the topic. Errors are
 * "SNS.<Exception>" with the SDK's exception names (SNS.NotFoundException, SNS.AuthorizationErrorException).
 */
import { randomUUID } from "node:crypto";
import { AccessDeniedError, AwsServiceError } from "../../sandbox/aws-error";
import type { SnsMessageAttribute } from "../../sandbox/sns/sns-service";
import type { IntegrationServices, TaskAttempt } from "../performer";
import { messageText } from "../perform/message-text";
import { callTask, param, sdkMetadata } from "../perform/task-events";
import type { IamStatementTemplate, IntegrationModule } from "../types";

const PUBLISH: readonly IamStatementTemplate[] = [{ actions: ["sns:Publish"], resources: ["${TopicArn}"] }];

/** SNS's codes whose exception is not "<Code>Exception" (botocore sns: ParameterValueInvalid is InvalidParameterValueException). */
const EXCEPTION_CODES: Readonly<Record<string, string>> = { ParameterValueInvalid: "InvalidParameterValueException" };

async function publish(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
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
      perform: publish,
    },
  },
};
