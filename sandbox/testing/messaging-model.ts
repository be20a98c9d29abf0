import type { ModelResource, ProgramModel } from "../program-model";
import { ACCOUNT, arn, BUCKET, fixtureModel, fn, policy, REGION, resource, role, rolePolicy, withStateMachine } from "./fixture-model";

/**
 * The fixture model plus the messaging resources a program declares: SQS queues (one with a queue policy
 * that lets the topic deliver, one without), an SNS topic with SQS and Lambda subscriptions, a DynamoDB
 * table, and a state machine role allowed exactly the integration calls the tests make.
 */
export const WORK_QUEUE = "lab-work-queue";
/** A FIFO queue with content-based deduplication, as a program declares one (fifoQueue, contentBasedDeduplication). */
export const FIFO_QUEUE = "lab-orders.fifo";
export const TOPIC_INBOX = "lab-topic-inbox";
export const RAW_INBOX = "lab-raw-inbox";
export const CLOSED_INBOX = "lab-closed-inbox";
export const LAMBDA_INBOX = "lab-lambda-inbox";
export const TOPIC = "lab-order-events";
export const TABLE = "lab-orders";
export const SUBSCRIBER = "lab-sns-subscriber";
export const SERVICES_ROLE = "lab-services-role";

export const messagingArn = {
  queue: (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
  queueUrl: (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`,
  topic: `arn:aws:sns:${REGION}:${ACCOUNT}:${TOPIC}`,
  table: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TABLE}`,
};

/** The subscriber function: forwards the SNS event it receives to LAMBDA_INBOX, so a test can read it. */
const SUBSCRIBER_CODE = `
const { SQSClient, SendMessageCommand, GetQueueUrlCommand } = require("@aws-sdk/client-sqs");
const sqs = new SQSClient({});
exports.handler = async (event) => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: process.env.INBOX }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(event) }));
  return { forwarded: event.Records.length };
};
`;

function queue(name: string, inputs: Record<string, unknown> = {}): ModelResource {
  return resource("aws:sqs/queue:Queue", name, { name, arn: messagingArn.queue(name), url: messagingArn.queueUrl(name), ...inputs }, { name, ...inputs });
}

function topicDelivery(queueName: string): ModelResource {
  return resource("aws:sqs/queuePolicy:QueuePolicy", `${queueName}-policy`, {
    queueUrl: messagingArn.queueUrl(queueName),
    policy: policy([
      {
        Sid: "TopicDelivers",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: messagingArn.queue(queueName),
        Condition: { ArnEquals: { "aws:SourceArn": messagingArn.topic } },
      },
    ]),
  });
}

function subscription(name: string, protocol: string, endpoint: string, inputs: Record<string, unknown> = {}): ModelResource {
  return resource("aws:sns/topicSubscription:TopicSubscription", name, { topic: messagingArn.topic, protocol, endpoint, arn: `${messagingArn.topic}:${name}`, ...inputs });
}

/** The integrations' IAM, as AWS documents each (the "IAM policies for calling ..." pages of the developer guide). */
export const SERVICES_STATEMENTS = [
  { Sid: "SendToQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [messagingArn.queue(WORK_QUEUE), messagingArn.queue(FIFO_QUEUE)] },
  { Sid: "PublishToTopic", Effect: "Allow", Action: ["sns:Publish"], Resource: [messagingArn.topic] },
  { Sid: "ItemsOfTable", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"], Resource: [messagingArn.table] },
  { Sid: "ReadWriteOutput", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [`${arn.bucket}/output/*`] },
  { Sid: "ListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn.bucket] },
];

export function messagingModel(machines: Record<string, unknown> = {}): ProgramModel {
  const model = fixtureModel();
  model.resources.push(
    queue(WORK_QUEUE, { visibilityTimeoutSeconds: 5 }),
    queue(TOPIC_INBOX),
    queue(RAW_INBOX),
    queue(CLOSED_INBOX),
    queue(LAMBDA_INBOX),
    queue(FIFO_QUEUE, { fifoQueue: true, contentBasedDeduplication: true }),
    topicDelivery(TOPIC_INBOX),
    topicDelivery(RAW_INBOX),
    resource("aws:sns/topic:Topic", TOPIC, { name: TOPIC, arn: messagingArn.topic }),
    subscription("inbox-sub", "sqs", messagingArn.queue(TOPIC_INBOX)),
    subscription("raw-sub", "sqs", messagingArn.queue(RAW_INBOX), { rawMessageDelivery: true }),
    subscription("closed-sub", "sqs", messagingArn.queue(CLOSED_INBOX)),
    subscription("lambda-sub", "lambda", arn.fn(SUBSCRIBER)),
    role(`${SUBSCRIBER}-role`, "lambda.amazonaws.com"),
    rolePolicy("subscriber-forward", `${SUBSCRIBER}-role`, [
      { Sid: "Forward", Effect: "Allow", Action: ["sqs:GetQueueUrl", "sqs:SendMessage"], Resource: [messagingArn.queue(LAMBDA_INBOX)] },
    ]),
    fn(SUBSCRIBER, SUBSCRIBER_CODE, { INBOX: LAMBDA_INBOX }),
    resource("aws:lambda/permission:Permission", "topic-invokes-subscriber", {
      action: "lambda:InvokeFunction",
      function: SUBSCRIBER,
      principal: "sns.amazonaws.com",
      sourceArn: messagingArn.topic,
    }),
    resource("aws:dynamodb/table:Table", TABLE, {
      name: TABLE,
      arn: messagingArn.table,
      hashKey: "orderId",
      attributes: [{ name: "orderId", type: "S" }],
      billingMode: "PAY_PER_REQUEST",
    }),
    role(SERVICES_ROLE, "states.amazonaws.com"),
    rolePolicy(`${SERVICES_ROLE}-policy`, SERVICES_ROLE, SERVICES_STATEMENTS),
  );
  for (const [name, definition] of Object.entries(machines)) withStateMachine(model, name, definition, SERVICES_ROLE);
  return model;
}

export { BUCKET };
