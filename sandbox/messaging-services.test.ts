import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ResourceNotFoundException, ScanCommand, UpdateItemCommand, DeleteItemCommand, DescribeTableCommand, CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, ListTopicsCommand, PublishCommand, SNSClient, SubscribeCommand, NotFoundException } from "@aws-sdk/client-sns";
import { ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageCommand, PurgeQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, QueueDoesNotExist, ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "./index";
import { signedRaw } from "./testing/raw-http";
import { arn, CHECK_FILE } from "./testing/fixture-model";
import { CLOSED_INBOX, LAMBDA_INBOX, messagingArn, messagingModel, RAW_INBOX, TABLE, TOPIC_INBOX, WORK_QUEUE } from "./testing/messaging-model";

/**
 * SQS, SNS and DynamoDB in the sandbox, through the unmodified JS SDK v3 clients. Expected answers are the
 * services' documented ones (API references; botocore's models for shapes and error codes).
 */
describe("sandbox SQS, SNS and DynamoDB through the JS SDK", function () {
  this.timeout(120_000);
  let rootDir: string;
  let sandbox: Sandbox;
  let sqs: SQSClient;
  let sns: SNSClient;
  let dynamodb: DynamoDBClient;

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-messaging-"));
    sandbox = await Sandbox.start(messagingModel(), { rootDir, timeScale: 0.05, glue: { startupDelayMs: 30 } });
    sqs = new SQSClient(sandbox.clientConfig("sqs"));
    sns = new SNSClient(sandbox.clientConfig("sns"));
    dynamodb = new DynamoDBClient(sandbox.clientConfig("dynamodb"));
  });
  after(async () => {
    sqs?.destroy();
    sns?.destroy();
    dynamodb?.destroy();
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  const urlOf = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? "";
  /** Receives (and deletes) until a message whose body matches arrives; the topic also delivered earlier publishes. */
  const receiveUntil = async (name: string, match: (body: string) => boolean) => {
    const QueueUrl = await urlOf(name);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }));
      for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      const found = Messages.filter((m) => match(m.Body ?? ""));
      if (found.length > 0) return found;
    }
    return [];
  };
  const receiveOne = async (name: string) => {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: await urlOf(name), WaitTimeSeconds: 5, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] }));
    return Messages ?? [];
  };

  describe("SQS", () => {
    it("deploys the program's queues: GetQueueUrl answers a URL on the sandbox's endpoint", async () => {
      assert.equal(await urlOf(WORK_QUEUE), `${sandbox.endpoints.sqs}/123456789012/${WORK_QUEUE}`);
    });

    it("sends, receives (hidden for the visibility timeout, ApproximateReceiveCount 1) and deletes a message", async () => {
      const QueueUrl = await urlOf(WORK_QUEUE);
      // The SDK checks MD5OfMessageBody and MD5OfMessageAttributes against what it sent: a wrong digest throws.
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "hello", MessageAttributes: { kind: { DataType: "String", StringValue: "greeting" } } }));
      assert.equal(sent.MD5OfMessageBody, "5d41402abc4b2a76b9719d911017c592");
      const [message] = await receiveOne(WORK_QUEUE);
      assert.equal(message.Body, "hello");
      assert.equal(message.MessageId, sent.MessageId);
      assert.equal(message.Attributes?.ApproximateReceiveCount, "1");
      assert.deepEqual(message.MessageAttributes?.kind, { DataType: "String", StringValue: "greeting" });
      const hidden = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(hidden.Messages, undefined, "received messages stay hidden for VisibilityTimeout");
      const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessagesNotVisible", "VisibilityTimeout", "QueueArn"] }));
      assert.deepEqual(attributes.Attributes, { ApproximateNumberOfMessagesNotVisible: "1", VisibilityTimeout: "5", QueueArn: messagingArn.queue(WORK_QUEUE) });
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
      await assert.rejects(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle })), { name: "ReceiptHandleIsInvalid" });
    });

    it("ChangeMessageVisibility 0 makes an in-flight message visible again (receive count 2); PurgeQueue empties the queue", async () => {
      const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "visibility" }))).QueueUrl ?? "";
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "again" }));
      const [first] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? [];
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 }));
      const [second] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }))).Messages ?? [];
      assert.equal(second.Body, "again");
      assert.equal(second.Attributes?.ApproximateReceiveCount, "2");
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: 0 }));
      // Visible again, so no longer in flight (SQS: MessageNotInflight).
      await assert.rejects(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: 5 })), { name: "MessageNotInflight" });
      await sqs.send(new PurgeQueueCommand({ QueueUrl }));
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
    });

    it("long-polls: a ReceiveMessage waiting 5 s returns as soon as a message arrives", async () => {
      const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "long-poll" }))).QueueUrl ?? "";
      const started = Date.now();
      const receiving = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
      setTimeout(() => void sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "late" })), 200);
      const { Messages } = await receiving;
      assert.equal(Messages?.[0]?.Body, "late");
      assert.ok(Date.now() - started < 4000, "the poll ended with the message, not at its deadline");
    });

    it("answers QueueDoesNotExist for an unknown queue and InvalidParameterValue for MaxNumberOfMessages 11", async () => {
      await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: "no-such-queue" })), (e: unknown) => e instanceof QueueDoesNotExist);
      await assert.rejects(sqs.send(new ReceiveMessageCommand({ QueueUrl: await urlOf(WORK_QUEUE), MaxNumberOfMessages: 11 })), {
        name: "InvalidParameterValue",
        message: "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
      });
    });

    describe("FIFO queues (CreateQueue and SendMessage in botocore's model; the Developer Guide's FIFO queue logic)", () => {
      const send = (QueueUrl: string, body: string, group?: string, dedup?: string) =>
        sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, ...(group ? { MessageGroupId: group } : {}), ...(dedup ? { MessageDeduplicationId: dedup } : {}) }));
      const receive = async (QueueUrl: string, max = 1) =>
        (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max, MessageSystemAttributeNames: ["All"] }))).Messages ?? [];

      it("creates a FIFO queue only with FifoQueue and the .fifo suffix together, and answers its attributes", async () => {
        await assert.rejects(sqs.send(new CreateQueueCommand({ QueueName: "orders.fifo" })), { name: "InvalidParameterValue", message: /alphanumeric characters, hyphens, or underscores/ });
        await assert.rejects(sqs.send(new CreateQueueCommand({ QueueName: "orders", Attributes: { FifoQueue: "true" } })), { name: "InvalidParameterValue", message: /must end with .fifo suffix/ });
        await assert.rejects(sqs.send(new CreateQueueCommand({ QueueName: "plain", Attributes: { ContentBasedDeduplication: "true" } })), { name: "InvalidAttributeName" });
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "orders.fifo", Attributes: { FifoQueue: "true" } }));
        const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["FifoQueue", "QueueArn"] }));
        assert.deepEqual(Attributes, { FifoQueue: "true", QueueArn: "arn:aws:sqs:us-east-1:123456789012:orders.fifo" });
        await assert.rejects(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: "false" } })), { name: "InvalidAttributeName" });
      });

      it("needs a MessageGroupId and a deduplication id, and takes no per-message delay", async () => {
        const QueueUrl = await urlOf("orders.fifo");
        await assert.rejects(send(QueueUrl, "no group"), { name: "MissingParameter", message: "The request must contain the parameter MessageGroupId." });
        await assert.rejects(send(QueueUrl, "no dedup id", "g"), { name: "InvalidParameterValue", message: /ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly/ });
        await assert.rejects(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "late", MessageGroupId: "g", MessageDeduplicationId: "d", DelaySeconds: 5 })), { name: "InvalidParameterValue", message: /DelaySeconds is invalid/ });
        // A standard queue takes a group id (fair queues) but no deduplication id.
        await assert.rejects(send(await urlOf(WORK_QUEUE), "x", "tenant", "d"), { name: "InvalidParameterValue", message: /MessageDeduplicationId is invalid/ });
      });

      it("gives a group's messages in order, one in flight at a time, while other groups go on", async () => {
        const { QueueUrl = "" } = await sqs.send(new CreateQueueCommand({ QueueName: "ordered.fifo", Attributes: { FifoQueue: "true" } }));
        const a1 = await send(QueueUrl, "a1", "A", "a1");
        const a2 = await send(QueueUrl, "a2", "A", "a2");
        await send(QueueUrl, "b1", "B", "b1");
        assert.ok(BigInt(a2.SequenceNumber ?? "0") > BigInt(a1.SequenceNumber ?? "0"), "sequence numbers increase");
        const [first] = await receive(QueueUrl);
        assert.equal(first.Body, "a1");
        assert.deepEqual([first.Attributes?.MessageGroupId, first.Attributes?.MessageDeduplicationId, first.Attributes?.SequenceNumber], ["A", "a1", a1.SequenceNumber]);
        // A is blocked while a1 is in flight: B's message comes next, then nothing.
        assert.deepEqual((await receive(QueueUrl, 10)).map((m) => m.Body), ["b1"]);
        assert.deepEqual(await receive(QueueUrl, 10), []);
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.ReceiptHandle }));
        assert.deepEqual((await receive(QueueUrl, 10)).map((m) => m.Body), ["a2"]);
      });

      it("accepts a duplicate within 5 minutes without delivering it again (explicit ids and content-based)", async () => {
        const { QueueUrl = "" } = await sqs.send(new CreateQueueCommand({ QueueName: "dedup.fifo", Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" } }));
        const first = await send(QueueUrl, "same body", "g");
        const again = await send(QueueUrl, "same body", "g");
        assert.equal(again.MessageId, first.MessageId);
        const explicit = await send(QueueUrl, "same body", "g", "another-id");
        assert.notEqual(explicit.MessageId, first.MessageId);
        // Content-based: the id is the SHA-256 of the body (CreateQueue, ContentBasedDeduplication).
        const bodyHash = createHash("sha256").update("same body").digest("hex");
        assert.deepEqual((await receive(QueueUrl, 10)).map((m) => m.Attributes?.MessageDeduplicationId), [bodyHash, "another-id"]);
      });

      it("is not subscribed to a standard topic (standard topics deliver to standard queues)", async () => {
        await assert.rejects(sns.send(new SubscribeCommand({ TopicArn: messagingArn.topic, Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:123456789012:orders.fifo" })), {
          name: "InvalidParameterException",
          message: /FIFO SQS Queues can not be subscribed to standard SNS topics/,
        });
      });
    });

    it("authorizes as the caller: a role without sqs:ReceiveMessage is denied with AWS's message", async () => {
      const asFunction = new SQSClient({ ...sandbox.clientConfig("sqs"), credentials: sandbox.credentialsFor(arn.role(`${CHECK_FILE}-role`), CHECK_FILE) });
      await assert.rejects(asFunction.send(new ReceiveMessageCommand({ QueueUrl: await urlOf(WORK_QUEUE) })), {
        name: "AccessDeniedException",
        message: `User: arn:aws:sts::123456789012:assumed-role/${CHECK_FILE}-role/${CHECK_FILE} is not authorized to perform: sqs:ReceiveMessage on resource: ${messagingArn.queue(WORK_QUEUE)} because no identity-based policy allows the sqs:ReceiveMessage action`,
      });
      asFunction.destroy();
    });
  });

  describe("SNS", () => {
    it("lists the program's topic and creates another (CreateTopic is idempotent)", async () => {
      const created = await sns.send(new CreateTopicCommand({ Name: "extra" }));
      assert.equal(created.TopicArn, "arn:aws:sns:us-east-1:123456789012:extra");
      assert.equal((await sns.send(new CreateTopicCommand({ Name: "extra" }))).TopicArn, created.TopicArn);
      const topics = (await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn);
      assert.deepEqual(topics, ["arn:aws:sns:us-east-1:123456789012:extra", messagingArn.topic]);
    });

    it("delivers a publish to the SQS subscription in SNS's notification envelope, raw to the raw one", async () => {
      const { MessageId } = await sns.send(new PublishCommand({ TopicArn: messagingArn.topic, Message: "order 7 shipped", Subject: "shipped", MessageAttributes: { kind: { DataType: "String", StringValue: "ship" } } }));
      const [enveloped] = await receiveOne(TOPIC_INBOX);
      const notification = JSON.parse(enveloped.Body ?? "{}") as Record<string, unknown>;
      assert.equal(notification.Type, "Notification");
      assert.equal(notification.MessageId, MessageId);
      assert.equal(notification.TopicArn, messagingArn.topic);
      assert.equal(notification.Message, "order 7 shipped");
      assert.equal(notification.Subject, "shipped");
      assert.deepEqual(notification.MessageAttributes, { kind: { Type: "String", Value: "ship" } });
      const [raw] = await receiveOne(RAW_INBOX);
      assert.equal(raw.Body, "order 7 shipped");
      assert.deepEqual(raw.MessageAttributes?.kind, { DataType: "String", StringValue: "ship" });
    });

    it("delivers to the Lambda subscription (the function's permission allows the topic) with the SNS event", async () => {
      await sns.send(new PublishCommand({ TopicArn: messagingArn.topic, Message: "to the function" }));
      const [forwarded] = await receiveUntil(LAMBDA_INBOX, (body) => body.includes("to the function"));
      const event = JSON.parse(forwarded.Body ?? "{}") as { Records: { EventSource: string; Sns: { Message: string; TopicArn: string; Subject: unknown } }[] };
      assert.equal(event.Records[0].EventSource, "aws:sns");
      assert.equal(event.Records[0].Sns.Message, "to the function");
      assert.equal(event.Records[0].Sns.TopicArn, messagingArn.topic);
      assert.equal(event.Records[0].Sns.Subject, null);
      assert.deepEqual((event.Records[0].Sns as unknown as { MessageAttributes: unknown }).MessageAttributes, {});
    });

    it("does not deliver to a queue whose policy does not allow the topic, and logs why", async () => {
      await sns.send(new PublishCommand({ TopicArn: messagingArn.topic, Message: "not for the closed inbox" }));
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: await urlOf(CLOSED_INBOX), WaitTimeSeconds: 1 }));
      assert.equal(Messages, undefined);
      const log = readFileSync(path.join(rootDir, "logs", "sns-deliveries.log"), "utf8");
      assert.match(log, new RegExp(`User: sns.amazonaws.com is not authorized to perform: sqs:SendMessage on resource: ${messagingArn.queue(CLOSED_INBOX)}`));
    });

    it("answers NotFound for a topic that does not exist, and refuses protocols it does not deliver", async () => {
      await assert.rejects(sns.send(new PublishCommand({ TopicArn: "arn:aws:sns:us-east-1:123456789012:nope", Message: "x" })), (e: unknown) => e instanceof NotFoundException);
      await assert.rejects(sns.send(new SubscribeCommand({ TopicArn: messagingArn.topic, Protocol: "email", Endpoint: "a@example.com" })), {
        name: "InvalidParameterException",
        message: /the sandbox delivers to sqs and lambda subscriptions only, not email/,
      });
    });

    it("applies a subscription's FilterPolicy: a message whose attributes do not match is not delivered; a bad policy is refused", async () => {
      const name = "filtered-inbox";
      const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: messagingArn.queue(name) }] };
      const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { Policy: JSON.stringify(policy) } }))).QueueUrl ?? "";
      await assert.rejects(
        sns.send(new SubscribeCommand({ TopicArn: messagingArn.topic, Protocol: "sqs", Endpoint: messagingArn.queue(name), Attributes: { FilterPolicy: '{"kind": {"nested": ["x"]}}' } })),
        { name: "InvalidParameterException", message: /FilterPolicy: Filter policy scope MessageAttributes does not support nested filter policy/ },
      );
      const { SubscriptionArn = "" } = await sns.send(
        new SubscribeCommand({ TopicArn: messagingArn.topic, Protocol: "sqs", Endpoint: messagingArn.queue(name), Attributes: { RawMessageDelivery: "true", FilterPolicy: JSON.stringify({ kind: ["ship"] }) } }),
      );
      const outcomes: string[] = [];
      const stop = sandbox.onSnsDelivery((d) => d.subscriptionArn === SubscriptionArn && outcomes.push(d.outcome));
      await sns.send(new PublishCommand({ TopicArn: messagingArn.topic, Message: "cancelled", MessageAttributes: { kind: { DataType: "String", StringValue: "cancel" } } }));
      await sns.send(new PublishCommand({ TopicArn: messagingArn.topic, Message: "no attributes" }));
      await sns.send(new PublishCommand({ TopicArn: messagingArn.topic, Message: "shipped", MessageAttributes: { kind: { DataType: "String", StringValue: "ship" } } }));
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }));
      assert.deepEqual(received.Messages?.map((m) => m.Body), ["shipped"]);
      stop();
      assert.deepEqual(outcomes, ["filtered", "filtered", "delivered"]);
    });

    it("SetQueueAttributes with a Policy lets the topic deliver to a queue created without one", async () => {
      const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "policy-later" }))).QueueUrl ?? "";
      await sns.send(new SubscribeCommand({ TopicArn: messagingArn.topic, Protocol: "sqs", Endpoint: messagingArn.queue("policy-later"), Attributes: { RawMessageDelivery: "true" } }));
      await sns.send(new PublishCommand({ TopicArn: messagingArn.topic, Message: "before the policy" }));
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }))).Messages, undefined);
      const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: messagingArn.queue("policy-later"), Condition: { ArnEquals: { "aws:SourceArn": messagingArn.topic } } }] };
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(policy), VisibilityTimeout: "7" } }));
      await sns.send(new PublishCommand({ TopicArn: messagingArn.topic, Message: "after the policy" }));
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }))).Messages?.[0]?.Body, "after the policy");
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["VisibilityTimeout", "Policy"] }));
      assert.deepEqual(Attributes, { VisibilityTimeout: "7", Policy: JSON.stringify(policy) });
      await assert.rejects(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: "99999" } })), { name: "InvalidAttributeValue" });
    });

    it("subscribes a queue at run time and delivers to it once its policy allows the topic", async () => {
      const QueueUrl = (await sqs.send(new CreateQueueCommand({
        QueueName: "late-subscriber",
        Attributes: { Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: messagingArn.queue("late-subscriber"), Condition: { ArnEquals: { "aws:SourceArn": messagingArn.topic } } }] }) },
      }))).QueueUrl ?? "";
      await sns.send(new SubscribeCommand({ TopicArn: messagingArn.topic, Protocol: "sqs", Endpoint: messagingArn.queue("late-subscriber"), Attributes: { RawMessageDelivery: "true" } }));
      await sns.send(new PublishCommand({ TopicArn: messagingArn.topic, Message: "late" }));
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
      assert.equal(Messages?.[0]?.Body, "late");
    });
  });

  describe("DynamoDB", () => {
    it("deploys the program's table (ACTIVE, its key schema)", async () => {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: TABLE }));
      assert.equal(Table?.TableStatus, "ACTIVE");
      assert.deepEqual(Table?.KeySchema, [{ AttributeName: "orderId", KeyType: "HASH" }]);
      assert.equal(Table?.BillingModeSummary?.BillingMode, "PAY_PER_REQUEST");
    });

    it("puts, gets, updates (UpdateExpression), queries, scans and deletes items", async () => {
      await dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: { orderId: { S: "o-1" }, amount: { N: "120" } } }));
      assert.deepEqual((await dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { orderId: { S: "o-1" } } }))).Item, { orderId: { S: "o-1" }, amount: { N: "120" } });
      const updated = await dynamodb.send(new UpdateItemCommand({ TableName: TABLE, Key: { orderId: { S: "o-1" } }, UpdateExpression: "SET amount = amount + :d", ExpressionAttributeValues: { ":d": { N: "5" } }, ReturnValues: "ALL_NEW" }));
      assert.deepEqual(updated.Attributes?.amount, { N: "125" });
      const queried = await dynamodb.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: "orderId = :id", ExpressionAttributeValues: { ":id": { S: "o-1" } } }));
      assert.equal(queried.Count, 1);
      assert.equal((await dynamodb.send(new ScanCommand({ TableName: TABLE }))).Count, 1);
      await dynamodb.send(new DeleteItemCommand({ TableName: TABLE, Key: { orderId: { S: "o-1" } } }));
      assert.equal((await dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { orderId: { S: "o-1" } } }))).Item, undefined);
    });

    it("answers ConditionalCheckFailedException when a ConditionExpression is false", async () => {
      await dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: { orderId: { S: "o-2" } } }));
      await assert.rejects(
        dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: { orderId: { S: "o-2" } }, ConditionExpression: "attribute_not_exists(orderId)" })),
        (e: unknown) => e instanceof ConditionalCheckFailedException && e.message === "The conditional request failed",
      );
    });

    it("answers ResourceNotFoundException for a table that does not exist, and creates tables through the API", async () => {
      await assert.rejects(dynamodb.send(new GetItemCommand({ TableName: "missing", Key: { id: { S: "x" } } })), (e: unknown) => e instanceof ResourceNotFoundException);
      const created = await dynamodb.send(new CreateTableCommand({ TableName: "made-by-api", AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }], KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST" }));
      assert.equal(created.TableDescription?.TableArn, "arn:aws:dynamodb:us-east-1:123456789012:table/made-by-api");
    });

    it("authorizes as the caller: a role without dynamodb:GetItem is denied", async () => {
      const asFunction = new DynamoDBClient({ ...sandbox.clientConfig("dynamodb"), credentials: sandbox.credentialsFor(arn.role(`${CHECK_FILE}-role`), CHECK_FILE) });
      await assert.rejects(asFunction.send(new GetItemCommand({ TableName: TABLE, Key: { orderId: { S: "o-2" } } })), {
        name: "AccessDeniedException",
        message: new RegExp(`is not authorized to perform: dynamodb:GetItem on resource: ${messagingArn.table} because no identity-based policy allows`),
      });
      asFunction.destroy();
    });
  });

  describe("hostile requests: answered with the service's error shape, never a crash", () => {
    const json = (service: "dynamodb" | "sqs", target: string, body: string) =>
      signedRaw(sandbox.endpoints.sqs, sandbox.credentials, {
        method: "POST",
        rawPath: "/",
        body,
        headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": target },
        service,
        region: "us-east-1",
      });
    const form = (service: "sns" | "sqs", body: string) =>
      signedRaw(sandbox.endpoints.sns, sandbox.credentials, { method: "POST", rawPath: "/", body, headers: { "content-type": "application/x-www-form-urlencoded" }, service, region: "us-east-1" });
    const errorOf = (body: string) => JSON.parse(body) as { __type?: string; message?: string };
    const queueUrl = `https://sqs.us-east-1.amazonaws.com/123456789012/${WORK_QUEUE}`;

    it("DynamoDB: a body that is not JSON, or not an object, is SerializationException (400)", async () => {
      for (const body of ["{not json", "[1,2]", "\"text\""]) {
        const response = await json("dynamodb", "DynamoDB_20120810.PutItem", body);
        assert.equal(response.status, 400, body);
        assert.equal(errorOf(response.body).__type, "SerializationException", body);
      }
    });

    it("DynamoDB: members of the wrong type are refused by the engine's validation, as DynamoDB answers them", async () => {
      const response = await json("dynamodb", "DynamoDB_20120810.PutItem", JSON.stringify({ TableName: TABLE, Item: "not a map" }));
      assert.equal(response.status, 400);
      assert.match(errorOf(response.body).__type ?? "", /^(SerializationException|ValidationException)$/);
    });

    it("DynamoDB: expressions that do not parse, or name no value, are ValidationException", async () => {
      const requests = [
        { TableName: TABLE, Key: { orderId: { S: "x" } }, UpdateExpression: "SET = = =" },
        { TableName: TABLE, Key: { orderId: { S: "x" } }, UpdateExpression: "SET a = :missing" },
        { TableName: TABLE, Key: { orderId: { S: "x" } }, UpdateExpression: "SET a = :v", ConditionExpression: "no_such_function(a)", ExpressionAttributeValues: { ":v": { S: "v" } } },
      ];
      for (const request of requests) {
        const response = await json("dynamodb", "DynamoDB_20120810.UpdateItem", JSON.stringify(request));
        assert.equal(response.status, 400, JSON.stringify(request));
        assert.equal(errorOf(response.body).__type, "ValidationException", response.body);
      }
    });

    it("DynamoDB: an operation the sandbox does not serve is UnknownOperationException", async () => {
      const response = await json("dynamodb", "DynamoDB_20120810.BatchWriteItem", "{}");
      assert.equal(response.status, 400);
      assert.equal(errorOf(response.body).__type, "UnknownOperationException");
    });

    it("SQS: a MessageBody that is not a string, a QueueUrl that is not a URL, a NUL character, WaitTimeSeconds 21", async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ QueueUrl: queueUrl, MessageBody: 42 }, "AmazonSQS.SendMessage", "InvalidParameterValue"],
        [{ QueueUrl: "not a url", MessageBody: "x" }, "AmazonSQS.SendMessage", "InvalidAddress"],
        [{ QueueUrl: queueUrl, MessageBody: "a\u0000b" }, "AmazonSQS.SendMessage", "InvalidMessageContents"],
        [{ QueueUrl: queueUrl }, "AmazonSQS.SendMessage", "MissingParameter"],
        [{ QueueUrl: queueUrl, WaitTimeSeconds: 21 }, "AmazonSQS.ReceiveMessage", "InvalidParameterValue"],
        [{ QueueUrl: queueUrl, MessageAttributes: { a: { DataType: "Float", StringValue: "1" } }, MessageBody: "x" }, "AmazonSQS.SendMessage", "InvalidParameterValue"],
      ];
      for (const [body, target, code] of cases) {
        const response = await json("sqs", target, JSON.stringify(body));
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(errorOf(response.body).__type, code, JSON.stringify(body));
      }
    });

    it("SQS over the query protocol (older SDKs) is refused naming the JSON protocol, in the query protocol's XML", async () => {
      const response = await form("sqs", `Action=SendMessage&Version=2012-11-05&QueueUrl=${encodeURIComponent(queueUrl)}&MessageBody=x`);
      assert.equal(response.status, 400);
      assert.match(response.body, /<Code>InvalidAction<\/Code><Message>The sandbox serves sqs over the AWS JSON protocol only/);
    });

    it("SNS: malformed map members and a missing Message are InvalidParameter / ValidationError in SNS's XML", async () => {
      const topic = encodeURIComponent(messagingArn.topic);
      const broken = await form("sns", `Action=Publish&Version=2010-03-31&TopicArn=${topic}&Message=x&MessageAttributes.entry.x.Name=a`);
      assert.equal(broken.status, 400);
      assert.match(broken.body, /<Code>InvalidParameter<\/Code>/);
      const missing = await form("sns", `Action=Publish&Version=2010-03-31&TopicArn=${topic}`);
      assert.equal(missing.status, 400);
      assert.match(missing.body, /<Code>ValidationError<\/Code>.*message/);
    });

    it("none of them reached the endpoints' internal-error log", () => {
      const log = path.join(rootDir, "logs", "endpoints.log");
      assert.equal(existsSync(log) ? readFileSync(log, "utf8") : "", "");
    });
  });

  describe("reset", () => {
    it("brings back the deployed queues, topics and tables, empty", async () => {
      await dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: { orderId: { S: "kept?" } } }));
      await sandbox.reset();
      assert.equal((await dynamodb.send(new ScanCommand({ TableName: TABLE }))).Count, 0);
      await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: "long-poll" })), { name: "QueueDoesNotExist" });
      assert.deepEqual((await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn), [messagingArn.topic]);
      // The program's queue policies hold after a reset: the topic still delivers to its inbox.
      await sns.send(new PublishCommand({ TopicArn: messagingArn.topic, Message: "after reset" }));
      assert.equal((await receiveUntil(TOPIC_INBOX, (body) => body.includes("after reset"))).length, 1);
    });
  });
});
