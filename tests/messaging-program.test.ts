import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../sandbox";
import { loadProgramModel } from "../sandbox/model";
import { waitForExecution } from "../sandbox/testing/sfn-helpers";

/**
 * A plain Pulumi program (tests/fixtures/messaging-program) with aws.sqs.Queue, aws.sns.Topic,
 * aws.sns.TopicSubscription, aws.sqs.QueuePolicy and aws.dynamodb.Table, evaluated under mocks: the sandbox
 * deploys each from the model, and the program's state machine writes to the table, publishes to the topic
 * (delivered to the subscribed queue) and sends to the other queue, as its role allows.
 */
describe("a Pulumi program's queues, topic, subscription and table run in the sandbox", function () {
  this.timeout(180_000);
  let rootDir: string;
  let sandbox: Sandbox;

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-messaging-program-"));
    const model = await loadProgramModel({ programDir: path.join(__dirname, "fixtures", "messaging-program"), stack: "test" });
    sandbox = await Sandbox.start(model, { rootDir, timeScale: 0.05, glue: { startupDelayMs: 30 } });
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  it("deploys every resource of the program: none is reported as not deployed", () => {
    assert.deepEqual(sandbox.notDeployed.map((n) => `${n.type} ${n.name}`), []);
  });

  it("the machine's putItem, publish and sendMessage reach the program's table and queues", async () => {
    const outputs = sandbox.model.outputs as { machineArn: string; workQueueName: string; inboxQueueName: string; tableName: string };
    const sfn = new SFNClient(sandbox.clientConfig("sfn"));
    const sqs = new SQSClient(sandbox.clientConfig("sqs"));
    const dynamodb = new DynamoDBClient(sandbox.clientConfig("dynamodb"));
    try {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: outputs.machineArn, input: JSON.stringify({ id: "o-55" }) }));
      const done = await waitForExecution(sfn, executionArn ?? "");
      assert.equal(done.status, "SUCCEEDED", done.cause);
      const item = await dynamodb.send(new GetItemCommand({ TableName: outputs.tableName, Key: { id: { S: "o-55" } } }));
      assert.deepEqual(item.Item, { id: { S: "o-55" } });
      for (const queue of [outputs.workQueueName, outputs.inboxQueueName]) {
        const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
        assert.equal(Messages?.[0]?.Body, "o-55", queue);
      }
    } finally {
      sfn.destroy();
      sqs.destroy();
      dynamodb.destroy();
    }
  });
});
