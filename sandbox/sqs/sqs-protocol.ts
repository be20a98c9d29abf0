import { AwsServiceError } from "../aws-error";
import type { ServiceProtocol } from "../endpoints/operations";
import type { MessageAttributeValue } from "./message-md5";
import type { SqsService } from "./sqs-service";

/**
 * AmazonSQS.* over the JSON protocol (botocore sqs 2012-11-05: protocol json, jsonVersion 1.0, targetPrefix
 * AmazonSQS), which current SDKs (boto3, the AWS CLI, the JS SDK v3) speak. SQS's older query protocol is
 * not served: such a request is answered InvalidAction, naming the JSON protocol.
 */
export const SQS_TARGET_PREFIX = "AmazonSQS";

function required(b: Record<string, unknown>, name: string): string {
  const value = b[name];
  if (value === undefined || value === null) throw new AwsServiceError("MissingParameter", `The request must contain the parameter ${name}.`);
  if (typeof value !== "string") throw new AwsServiceError("InvalidParameterValue", `Value for parameter ${name} must be a string.`);
  return value;
}

function optionalString(b: Record<string, unknown>, name: string): string | undefined {
  const value = b[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new AwsServiceError("InvalidParameterValue", `Value for parameter ${name} must be a string.`);
  return value;
}

function optionalInteger(b: Record<string, unknown>, name: string): number | undefined {
  const value = b[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw new AwsServiceError("InvalidParameterValue", `Value ${JSON.stringify(value).slice(0, 50)} for parameter ${name} is invalid. Reason: must be an integer.`);
  return value;
}

function stringList(b: Record<string, unknown>, name: string): string[] | undefined {
  const value = b[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new AwsServiceError("InvalidParameterValue", `${name} must be a list of strings.`);
  return value as string[];
}

function stringMap(b: Record<string, unknown>, name: string): Record<string, string> | undefined {
  const value = b[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw new AwsServiceError("InvalidParameterValue", `${name} must be a map of strings.`);
  }
  return value as Record<string, string>;
}

function objectMap(b: Record<string, unknown>, name: string): Record<string, MessageAttributeValue> | undefined {
  const value = b[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "object" || v === null)) {
    throw new AwsServiceError("InvalidParameterValue", `${name} must be a map of name to MessageAttributeValue.`);
  }
  return value as Record<string, MessageAttributeValue>;
}

export function sqsProtocol(sqs: SqsService): ServiceProtocol {
  return {
    contentType: "application/x-amz-json-1.0",
    operations: {
      CreateQueue: (caller, b) => sqs.createQueue(caller, required(b, "QueueName"), stringMap(b, "Attributes")),
      GetQueueUrl: (caller, b) => sqs.getQueueUrl(caller, required(b, "QueueName"), typeof b.QueueOwnerAWSAccountId === "string" ? b.QueueOwnerAWSAccountId : undefined),
      ListQueues: (caller, b) => sqs.listQueues(caller, typeof b.QueueNamePrefix === "string" ? b.QueueNamePrefix : ""),
      DeleteQueue: (caller, b) => sqs.deleteQueue(caller, required(b, "QueueUrl")),
      SendMessage: (caller, b) =>
        sqs.sendMessage(caller, {
          QueueUrl: required(b, "QueueUrl"),
          MessageBody: required(b, "MessageBody"),
          DelaySeconds: optionalInteger(b, "DelaySeconds"),
          MessageAttributes: objectMap(b, "MessageAttributes"),
          MessageGroupId: optionalString(b, "MessageGroupId"),
          MessageDeduplicationId: optionalString(b, "MessageDeduplicationId"),
        }),
      ReceiveMessage: (caller, b) =>
        sqs.receiveMessage(caller, {
          QueueUrl: required(b, "QueueUrl"),
          MaxNumberOfMessages: optionalInteger(b, "MaxNumberOfMessages"),
          VisibilityTimeout: optionalInteger(b, "VisibilityTimeout"),
          WaitTimeSeconds: optionalInteger(b, "WaitTimeSeconds"),
          AttributeNames: stringList(b, "AttributeNames"),
          MessageSystemAttributeNames: stringList(b, "MessageSystemAttributeNames"),
          MessageAttributeNames: stringList(b, "MessageAttributeNames"),
        }),
      DeleteMessage: (caller, b) => sqs.deleteMessage(caller, required(b, "QueueUrl"), required(b, "ReceiptHandle")),
      ChangeMessageVisibility: (caller, b) => {
        const timeout = optionalInteger(b, "VisibilityTimeout");
        if (timeout === undefined) throw new AwsServiceError("MissingParameter", "The request must contain the parameter VisibilityTimeout.");
        return sqs.changeMessageVisibility(caller, required(b, "QueueUrl"), required(b, "ReceiptHandle"), timeout);
      },
      SetQueueAttributes: (caller, b) => {
        const attributes = stringMap(b, "Attributes");
        if (attributes === undefined) throw new AwsServiceError("MissingParameter", "The request must contain the parameter Attributes.");
        return sqs.setQueueAttributes(caller, required(b, "QueueUrl"), attributes);
      },
      PurgeQueue: (caller, b) => sqs.purgeQueue(caller, required(b, "QueueUrl")),
      GetQueueAttributes: (caller, b) => sqs.getQueueAttributes(caller, required(b, "QueueUrl"), stringList(b, "AttributeNames")),
    },
  };
}
