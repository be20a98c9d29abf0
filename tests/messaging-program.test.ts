import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import * as assert from "node:assert/strict";
import { fixtureProgramSandbox } from "./helpers/fixtureProgramSandbox";
import { waitForExecution } from "../sandbox/testing/sfn-helpers";

/**
 * A plain Pulumi program (tests/fixtures/messaging-program) with aws.sqs.Queue, aws.sns.Topic,
 * aws.sns.TopicSubscription, aws.sqs.QueuePolicy and aws.dynamodb.Table, evaluated under mocks: the sandbox
 * deploys each from the model, and the program's state machine writes to the table, publishes to the topic
 * (delivered to the subscribed queue) and sends to the other queue, as its role allows.
 */
describe("a Pulumi program's queues, topic, subscription and table run in the sandbox", function () {
  this.timeout(180_000);
  const sandboxOf = fixtureProgramSandbox("messaging-program", 0.05);

  it("deploys every resource of the program: none is reported as not deployed", () => {
    assert.deepEqual(sandboxOf().notDeployed.map((n) => `${n.type} ${n.name}`), []);
  });

  it("the machine's putItem, publish and sendMessage reach the program's table and queues", async () => {
    const outputs = sandboxOf().model.outputs as { machineArn: string; workQueueName: string; inboxQueueName: string; tableName: string };
    const sfn = new SFNClient(sandboxOf().clientConfig("sfn"));
    const sqs = new SQSClient(sandboxOf().clientConfig("sqs"));
    const dynamodb = new DynamoDBClient(sandboxOf().clientConfig("dynamodb"));
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
