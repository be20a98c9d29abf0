import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../index";
import type { ModelResource, ProgramModel } from "../program-model";
import { ACCOUNT, arn, fixtureModel, REGION } from "../testing/fixture-model";
import { history, lastTaskFailure, waitForExecution } from "../testing/sfn-helpers";

/**
 * The optimized events:putEvents integration in the sandbox ("Add EventBridge events with Step Functions"):
 * the entries reach EventBridge with the execution's and the state machine's ARNs appended to Resources; a
 * failed entry fails the Task with EventBridge.FailedEntry; .waitForTaskToken waits for the token the event
 * carried; the role needs events:PutEvents on the bus.
 */
const RECORDER = "lab-order-recorder";
const RULE = "lab-orders";
const RULE_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${RULE}`;
const MACHINE = "lab-put-events";
const ROLE = "lab-put-events-role";
const BUS = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;

function res(type: string, name: string, state: Record<string, unknown>): ModelResource {
  return { type, name, urn: `urn:pulumi:test::lab::${type}::${name}`, id: name, inputs: state, state };
}

const trust = (service: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

function model(options: { allowPutEvents: boolean; task: Record<string, unknown> }): ProgramModel {
  const m = fixtureModel();
  const statements = options.allowPutEvents ? [{ Effect: "Allow", Action: ["events:PutEvents"], Resource: [BUS] }] : [{ Effect: "Allow", Action: ["events:DescribeRule"], Resource: [RULE_ARN] }];
  const definition = { StartAt: "Publish", States: { Publish: { Type: "Task", ...options.task, TimeoutSeconds: 60, End: true } } };
  m.resources.push(
    res("aws:iam/role:Role", `${RECORDER}-role`, { name: `${RECORDER}-role`, arn: arn.role(`${RECORDER}-role`), assumeRolePolicy: trust("lambda.amazonaws.com") }),
    res("aws:lambda/function:Function", RECORDER, {
      name: RECORDER,
      arn: arn.fn(RECORDER),
      role: arn.role(`${RECORDER}-role`),
      handler: "index.handler",
      code: { assets: { "index.js": { text: `exports.handler = async (event) => { console.log("EVENT " + JSON.stringify(event)); return {}; };` } } },
    }),
    res("aws:cloudwatch/eventRule:EventRule", RULE, { name: RULE, eventPattern: JSON.stringify({ source: ["lab.orders"] }) }),
    res("aws:cloudwatch/eventTarget:EventTarget", "orders-target", { rule: RULE, targetId: "recorder", arn: arn.fn(RECORDER) }),
    res("aws:lambda/permission:Permission", "recorder-from-orders", { function: RECORDER, action: "lambda:InvokeFunction", principal: "events.amazonaws.com", sourceArn: RULE_ARN }),
    res("aws:iam/role:Role", ROLE, { name: ROLE, arn: arn.role(ROLE), assumeRolePolicy: trust("states.amazonaws.com") }),
    res("aws:iam/rolePolicy:RolePolicy", `${ROLE}-policy`, { role: ROLE, policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }),
    res("aws:sfn/stateMachine:StateMachine", MACHINE, { name: MACHINE, arn: arn.stateMachine(MACHINE), roleArn: arn.role(ROLE), definition: JSON.stringify(definition), type: "STANDARD" }),
  );
  return m;
}

const entry = (extra: Record<string, unknown> = {}) => ({ Source: "lab.orders", DetailType: "Order placed", Detail: { orderId: "o-1", amount: 150 }, ...extra });

async function run(m: ProgramModel, use: (sandbox: Sandbox, sfn: SFNClient, executionArn: string) => Promise<void>) {
  const rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-put-events-"));
  const sandbox = await Sandbox.start(m, { rootDir, timeScale: 0.05, writeConnectionFile: false });
  const sfn = new SFNClient(sandbox.clientConfig("sfn"));
  try {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn.stateMachine(MACHINE), input: "{}" }));
    await use(sandbox, sfn, executionArn as string);
  } finally {
    sfn.destroy();
    await sandbox.stop();
    rmSync(rootDir, { recursive: true, force: true });
  }
}

/** The events the recorder function logged. */
function recorded(sandbox: Sandbox): Record<string, unknown>[] {
  return readFileSync(sandbox.lambdaLogFile(RECORDER), { encoding: "utf8", flag: "a+" })
    .split("\n")
    .filter((l) => l.includes("EVENT "))
    .map((l) => JSON.parse(l.slice(l.indexOf("EVENT ") + 6)) as Record<string, unknown>);
}

describe("events:putEvents in the sandbox", function () {
  this.timeout(60_000);

  it("sends the entries, Detail as JSON, with the execution's and machine's ARNs appended to Resources; the output has the EventIds", async () => {
    const task = { Resource: "arn:aws:states:::events:putEvents", Parameters: { Entries: [entry({ Resources: ["arn:aws:s3:::orders"] })] } };
    await run(model({ allowPutEvents: true, task }), async (sandbox, sfn, executionArn) => {
      const done = await waitForExecution(sfn, executionArn);
      assert.equal(done.status, "SUCCEEDED", `${done.error}: ${done.cause}`);
      const output = JSON.parse(done.output ?? "{}") as { FailedEntryCount: number; Entries: { EventId: string }[] };
      assert.equal(output.FailedEntryCount, 0);
      assert.match(output.Entries[0].EventId, /^[0-9a-f-]{36}$/);
      await sandbox.eventDeliveriesSettled();
      let event: Record<string, unknown> | undefined;
      // The function's log file is written as it prints: it may lag its answer a little.
      for (let i = 0; i < 100 && !event; i++) {
        event = recorded(sandbox)[0];
        if (!event) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(event, "the recorder logged the event");
      assert.equal(event.id, output.Entries[0].EventId);
      assert.equal(event.source, "lab.orders");
      assert.equal(event["detail-type"], "Order placed");
      assert.deepEqual(event.detail, { orderId: "o-1", amount: 150 });
      assert.deepEqual(event.resources, ["arn:aws:s3:::orders", executionArn, arn.stateMachine(MACHINE)]);
    });
  });

  it(".waitForTaskToken: the event carries the token; the state waits for SendTaskSuccess with it", async () => {
    const task = { Resource: "arn:aws:states:::events:putEvents.waitForTaskToken", Parameters: { Entries: [entry({ Detail: { orderId: "o-2", "taskToken.$": "$$.Task.Token" } })] } };
    await run(model({ allowPutEvents: true, task }), async (sandbox, sfn, executionArn) => {
      let event: Record<string, unknown> | undefined;
      for (let i = 0; i < 200 && !event; i++) {
        await sandbox.eventDeliveriesSettled();
        event = recorded(sandbox)[0];
        if (!event) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const token = (event?.detail as { taskToken?: string } | undefined)?.taskToken;
      assert.ok(token, "the delivered event carries the task token");
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ handled: "o-2" }) }));
      const done = await waitForExecution(sfn, executionArn);
      assert.equal(done.status, "SUCCEEDED");
      assert.deepEqual(JSON.parse(done.output ?? "{}"), { handled: "o-2" });
    });
  });

  it("a failed entry fails the Task with EventBridge.FailedEntry (an aws.* source is not the caller's to send)", async () => {
    const task = { Resource: "arn:aws:states:::events:putEvents", Parameters: { Entries: [entry({ Source: "aws.glue" })] } };
    await run(model({ allowPutEvents: true, task }), async (_sandbox, sfn, executionArn) => {
      const done = await waitForExecution(sfn, executionArn);
      assert.deepEqual([done.status, done.error], ["FAILED", "EventBridge.FailedEntry"]);
      assert.match(done.cause ?? "", /"FailedEntryCount":1.*NotAuthorizedForSourceException/);
    });
  });

  it("without events:PutEvents on the bus, the Task fails with EventBridge.AccessDeniedException naming it", async () => {
    const task = { Resource: "arn:aws:states:::events:putEvents", Parameters: { Entries: [entry()] } };
    await run(model({ allowPutEvents: false, task }), async (_sandbox, sfn, executionArn) => {
      const done = await waitForExecution(sfn, executionArn);
      const failure = lastTaskFailure(await history(sfn, executionArn));
      assert.deepEqual([done.status, failure.error], ["FAILED", "EventBridge.AccessDeniedException"]);
      assert.match(failure.cause ?? "", /is not authorized to perform: events:PutEvents on resource: arn:aws:events:us-east-1:123456789012:event-bus\/default/);
    });
  });
});
