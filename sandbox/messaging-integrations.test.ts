import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "./index";
import { arn, BUCKET, role, rolePolicy, withStateMachine } from "./testing/fixture-model";
import { FIFO_QUEUE, messagingArn, messagingModel, RAW_INBOX, SERVICES_STATEMENTS, TABLE, TOPIC_INBOX, WORK_QUEUE } from "./testing/messaging-model";
import { history, lastTaskFailure, waitForExecution } from "./testing/sfn-helpers";

const task = (resource: string, parameters: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({ Type: "Task", Resource: `arn:aws:states:::${resource}`, Parameters: parameters, ...rest });
const machine = (states: Record<string, unknown>, startAt = Object.keys(states)[0]) => ({ StartAt: startAt, States: states });

/** The integrations' machines, each run by the role allowed exactly the documented IAM (messaging-model). */
const MACHINES = {
  "sqs-callback": machine({
    Send: task("sqs:sendMessage.waitForTaskToken", { QueueUrl: messagingArn.queueUrl(WORK_QUEUE), MessageBody: { "order.$": "$.order", "TaskToken.$": "$$.Task.Token" } }, { End: true }),
  }),
  "sqs-send": machine({ Send: task("sqs:sendMessage", { QueueUrl: messagingArn.queueUrl(WORK_QUEUE), "MessageBody.$": "$.text" }, { End: true }) }),
  "sqs-fifo": machine({
    Send: task("sqs:sendMessage", { QueueUrl: messagingArn.queueUrl(FIFO_QUEUE), "MessageBody.$": "$.text", "MessageGroupId.$": "$.customer" }, { End: true }),
  }),
  "sqs-fifo-no-group": machine({ Send: task("sqs:sendMessage", { QueueUrl: messagingArn.queueUrl(FIFO_QUEUE), MessageBody: "x" }, { End: true }) }),
  "sqs-missing-queue": machine({ Send: task("sqs:sendMessage", { QueueUrl: messagingArn.queueUrl("no-such-queue"), MessageBody: "x" }, { End: true }) }),
  "sns-publish": machine({ Publish: task("sns:publish", { TopicArn: messagingArn.topic, "Message.$": "$.text", Subject: "from a machine" }, { End: true }) }),
  "sns-callback": machine({ Publish: task("sns:publish.waitForTaskToken", { TopicArn: messagingArn.topic, Message: { "TaskToken.$": "$$.Task.Token", step: "approve" } }, { End: true }) }),
  "ddb-put-get": machine({
    Put: task("dynamodb:putItem", { TableName: TABLE, Item: { orderId: { "S.$": "$.id" }, status: { S: "NEW" } }, ConditionExpression: "attribute_not_exists(orderId)" }, { ResultPath: null, Next: "Update" }),
    Update: task("dynamodb:updateItem", { TableName: TABLE, Key: { orderId: { "S.$": "$.id" } }, UpdateExpression: "SET #s = :s", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":s": { S: "PAID" } } }, { ResultPath: null, Next: "Get" }),
    Get: task("dynamodb:getItem", { TableName: TABLE, Key: { orderId: { "S.$": "$.id" } } }, { ResultSelector: { "item.$": "$.Item" }, End: true }),
  }),
  "ddb-put-once": machine({
    Put: task("dynamodb:putItem", { TableName: TABLE, Item: { orderId: { "S.$": "$.id" } }, ConditionExpression: "attribute_not_exists(orderId)" }, {
      Catch: [{ ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"], ResultPath: "$.error", Next: "Duplicate" }],
      End: true,
    }),
    Duplicate: { Type: "Pass", End: true },
  }),
  "ddb-delete": machine({ Delete: task("dynamodb:deleteItem", { TableName: TABLE, Key: { orderId: { "S.$": "$.id" } }, ReturnValues: "ALL_OLD" }, { End: true }) }),
  "s3-round-trip": machine({
    Put: task("aws-sdk:s3:putObject", { Bucket: BUCKET, "Key.$": "$.key", Body: { "order.$": "$.order" }, ContentType: "application/json" }, { ResultPath: "$.put", Next: "Get" }),
    Get: task("aws-sdk:s3:getObject", { Bucket: BUCKET, "Key.$": "$.key" }, { ResultSelector: { "body.$": "States.StringToJson($.Body)", "type.$": "$.ContentType" }, ResultPath: "$.got", Next: "List" }),
    List: task("aws-sdk:s3:listObjectsV2", { Bucket: BUCKET, Prefix: "output/sfn/" }, { ResultSelector: { "keys.$": "$.Contents[*].Key", "count.$": "$.KeyCount" }, ResultPath: "$.listed", End: true }),
  }),
  "s3-missing-key": machine({ Get: task("aws-sdk:s3:getObject", { Bucket: BUCKET, Key: "output/sfn/none.json" }, { End: true }) }),
};

describe("sandbox integrations: SQS, SNS, DynamoDB and aws-sdk:s3 run for real", function () {
  this.timeout(120_000);
  let rootDir: string;
  let sandbox: Sandbox;
  let sfn: SFNClient;
  let sqs: SQSClient;

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-integrations-"));
    const model = messagingModel(MACHINES);
    // A role with the documented statements but s3:PutObject, sqs:SendMessage and dynamodb:PutItem: each of
    // those calls must be denied, where AWS denies it.
    const limited = "lab-services-limited-role";
    const withoutPuts = SERVICES_STATEMENTS.filter((s) => s.Sid !== "SendToQueue").map((s) => ({ ...s, Action: s.Action.filter((a) => a !== "s3:PutObject" && a !== "dynamodb:PutItem") }));
    model.resources.push(role(limited, "states.amazonaws.com"), rolePolicy(`${limited}-policy`, limited, withoutPuts));
    withStateMachine(model, "s3-denied", MACHINES["s3-round-trip"], limited);
    withStateMachine(model, "sqs-denied", MACHINES["sqs-send"], limited);
    withStateMachine(model, "ddb-denied", MACHINES["ddb-put-once"], limited);
    sandbox = await Sandbox.start(model, { rootDir, timeScale: 0.05, glue: { startupDelayMs: 30 } });
    sfn = new SFNClient(sandbox.clientConfig("sfn"));
    sqs = new SQSClient(sandbox.clientConfig("sqs"));
  });
  after(async () => {
    sfn?.destroy();
    sqs?.destroy();
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  const start = async (name: string, input: unknown) =>
    (await sfn.send(new StartExecutionCommand({ stateMachineArn: arn.stateMachine(name), input: JSON.stringify(input) }))).executionArn ?? "";
  const run = async (name: string, input: unknown) => waitForExecution(sfn, await start(name, input));
  const receive = async (queue: string, match: (body: string) => boolean) => {
    const QueueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl;
    for (let i = 0; i < 10; i++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }));
      for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      const found = Messages.find((m) => match(m.Body ?? ""));
      if (found) return found.Body ?? "";
    }
    throw new Error(`no matching message on ${queue}`);
  };

  it("sqs:sendMessage.waitForTaskToken: the message carries the token; SendTaskSuccess with it ends the execution with that output", async () => {
    const executionArn = await start("sqs-callback", { order: "o-42" });
    const body = JSON.parse(await receive(WORK_QUEUE, (b) => b.includes("o-42"))) as { order: string; TaskToken: string };
    assert.equal(body.order, "o-42");
    await sfn.send(new SendTaskSuccessCommand({ taskToken: body.TaskToken, output: JSON.stringify({ approved: true }) }));
    const done = await waitForExecution(sfn, executionArn);
    assert.equal(done.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(done.output ?? "null"), { approved: true });
  });

  it("sqs:sendMessage: the output is SendMessage's answer (MessageId, MD5OfMessageBody) with the SDK metadata", async () => {
    const done = await run("sqs-send", { text: "hello" });
    assert.equal(done.status, "SUCCEEDED");
    const output = JSON.parse(done.output ?? "{}") as Record<string, unknown>;
    assert.equal(output.MD5OfMessageBody, "5d41402abc4b2a76b9719d911017c592");
    assert.equal(typeof output.MessageId, "string");
    assert.ok(output.SdkHttpMetadata && output.SdkResponseMetadata);
    assert.equal(await receive(WORK_QUEUE, (b) => b === "hello"), "hello");
  });

  it("sqs:sendMessage to a program's FIFO queue: MessageGroupId passes through, a duplicate body is deduplicated, no group id fails", async () => {
    const first = await run("sqs-fifo", { text: "order o-7", customer: "c-1" });
    const again = await run("sqs-fifo", { text: "order o-7", customer: "c-1" });
    assert.equal(first.status, "SUCCEEDED");
    const [a, b] = [first, again].map((d) => JSON.parse(d.output ?? "{}") as { MessageId: string; SequenceNumber?: string });
    assert.match(a.SequenceNumber ?? "", /^\d{20}$/);
    // Content-based deduplication: the same body within 5 minutes is accepted with the first send's answer.
    assert.equal(b.MessageId, a.MessageId);
    const missing = await run("sqs-fifo-no-group", {});
    assert.equal(missing.status, "FAILED");
    assert.equal(missing.error, "SQS.MissingParameterException");
    assert.match(missing.cause ?? "", /The request must contain the parameter MessageGroupId\./);
  });

  it("sqs:sendMessage to a queue that does not exist fails the state with SQS.QueueDoesNotExistException", async () => {
    const done = await run("sqs-missing-queue", {});
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "SQS.QueueDoesNotExistException");
    assert.match(done.cause ?? "", /The specified queue does not exist\. \(Service: AmazonSQS; Status Code: 400; Error Code: QueueDoesNotExist;/);
  });

  it("sns:publish delivers to the topic's SQS subscription; the output's MessageId is the notification's", async () => {
    const done = await run("sns-publish", { text: "published by a machine" });
    assert.equal(done.status, "SUCCEEDED");
    const { MessageId } = JSON.parse(done.output ?? "{}") as { MessageId: string };
    const notification = JSON.parse(await receive(TOPIC_INBOX, (b) => b.includes("published by a machine"))) as Record<string, unknown>;
    assert.equal(notification.MessageId, MessageId);
    assert.equal(notification.Subject, "from a machine");
  });

  it("sns:publish.waitForTaskToken: the token reaches the subscriber; SendTaskFailure fails the execution with its error", async () => {
    const executionArn = await start("sns-callback", {});
    const message = JSON.parse(await receive(RAW_INBOX, (b) => b.includes("approve"))) as { TaskToken: string };
    await sfn.send(new SendTaskFailureCommand({ taskToken: message.TaskToken, error: "Rejected", cause: "not approved" }));
    const done = await waitForExecution(sfn, executionArn);
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "Rejected");
    assert.equal(done.cause, "not approved");
  });

  it("dynamodb putItem, updateItem then getItem: the item as written and updated", async () => {
    const done = await run("ddb-put-get", { id: "o-1" });
    assert.equal(done.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(done.output ?? "{}"), { item: { orderId: { S: "o-1" }, status: { S: "PAID" } } });
  });

  it("dynamodb putItem with a false ConditionExpression fails with DynamoDB.ConditionalCheckFailedException, which a Catch catches", async () => {
    assert.equal((await run("ddb-put-once", { id: "o-7" })).status, "SUCCEEDED");
    const second = await run("ddb-put-once", { id: "o-7" });
    assert.equal(second.status, "SUCCEEDED");
    const output = JSON.parse(second.output ?? "{}") as { error: { Error: string; Cause: string } };
    assert.equal(output.error.Error, "DynamoDB.ConditionalCheckFailedException");
    assert.match(output.error.Cause, /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException;/);
  });

  it("dynamodb deleteItem answers the old item (ReturnValues ALL_OLD)", async () => {
    await run("ddb-put-once", { id: "o-9" });
    const done = await run("ddb-delete", { id: "o-9" });
    assert.deepEqual((JSON.parse(done.output ?? "{}") as { Attributes: unknown }).Attributes, { orderId: { S: "o-9" } });
  });

  it("aws-sdk:s3 putObject, getObject and listObjectsV2 round-trip an object through the sandbox's S3", async () => {
    const done = await run("s3-round-trip", { key: "output/sfn/order.json", order: { id: 3 } });
    assert.equal(done.status, "SUCCEEDED", done.cause);
    const output = JSON.parse(done.output ?? "{}") as { put: { ETag: string }; got: { body: unknown; type: string }; listed: { keys: string[]; count: number } };
    assert.match(output.put.ETag, /^"[0-9a-f]{32}"$/);
    assert.deepEqual(output.got, { body: { order: { id: 3 } }, type: "application/json" });
    assert.deepEqual(output.listed, { keys: ["output/sfn/order.json"], count: 1 });
  });

  it("aws-sdk:s3:getObject of a missing key fails with S3.NoSuchKeyException (the role may list the bucket)", async () => {
    const done = await run("s3-missing-key", {});
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "S3.NoSuchKeyException");
  });

  it("aws-sdk:s3:putObject by a role without s3:PutObject fails with S3.AccessDeniedException naming the action", async () => {
    const executionArn = await start("s3-denied", { key: "output/sfn/denied.json", order: {} });
    const done = await waitForExecution(sfn, executionArn);
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "S3.AccessDeniedException");
    const failure = lastTaskFailure(await history(sfn, executionArn));
    assert.equal(failure.state, "Put");
    assert.match(failure.cause ?? "", /is not authorized to perform: s3:PutObject on resource: "?arn:aws:s3:::lab-data-0a1b2c3\/output\/sfn\/denied\.json/);
  });

  it("sqs:sendMessage and dynamodb:putItem by a role without the action fail with <Service>.AccessDeniedException", async () => {
    const send = await run("sqs-denied", { text: "denied" });
    assert.equal(send.status, "FAILED");
    assert.equal(send.error, "SQS.AccessDeniedException");
    assert.match(send.cause ?? "", new RegExp(`is not authorized to perform: sqs:SendMessage on resource: ${messagingArn.queue(WORK_QUEUE)} because no identity-based policy allows`));
    const put = await run("ddb-denied", { id: "o-100" });
    assert.equal(put.status, "FAILED");
    assert.equal(put.error, "DynamoDB.AccessDeniedException");
    assert.match(put.cause ?? "", new RegExp(`is not authorized to perform: dynamodb:PutItem on resource: ${messagingArn.table}`));
  });
});
