/**
 * Nested executions (arn:aws:states:::states:startExecution), run by the sandbox's Step Functions service.
 * Oracle: AWS Step Functions Developer Guide, "Start a new AWS Step Functions state machine from a running
 * execution" (request-response returns ExecutionArn and StartDate; .sync waits and returns DescribeExecution's
 * answer with Output as JSON text; .sync:2 with Output as JSON; .waitForTaskToken waits for the callback) and
 * "IAM policies for AWS Step Functions" (StartExecution on the child; for .sync DescribeExecution and
 * StopExecution on its executions, and PutTargets/PutRule/DescribeRule on
 * StepFunctionsGetEventsForStepFunctionsExecutionRule).
 */
import * as assert from "node:assert/strict";
import { ACCOUNT, harness, machineArn, REGION, type Harness } from "./harness";

const CHILD_OK = { StartAt: "Work", States: { Work: { Type: "Pass", Result: "done", ResultPath: "$.child", End: true } } };
const CHILD_FAILS = { StartAt: "Boom", States: { Boom: { Type: "Fail", Error: "ChildError", Cause: "the child broke" } } };
const CHILD_SLOW = { StartAt: "Sleep", States: { Sleep: { Type: "Wait", Seconds: 3600, End: true } } };
const CHILD_CALLS_BACK = { StartAt: "Hold", States: { Hold: { Type: "Wait", Seconds: 3600, End: true } } };

/** The parent's role, as the guide's IAM page writes it for the synchronous pattern. */
const SYNC_POLICY = (child: string) => [
  { Effect: "Allow", Action: ["states:StartExecution"], Resource: [machineArn(child)] },
  { Effect: "Allow", Action: ["states:DescribeExecution", "states:StopExecution"], Resource: [`arn:aws:states:${REGION}:${ACCOUNT}:execution:${child}:*`] },
  {
    Effect: "Allow",
    Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
    Resource: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`],
  },
];

function parent(resource: string, child: string, input: unknown = { order: 7 }) {
  return {
    StartAt: "Nested",
    States: {
      Nested: { Type: "Task", Resource: `arn:aws:states:::states:${resource}`, Parameters: { StateMachineArn: machineArn(child), Name: "nested-run", Input: input }, End: true },
    },
  };
}

async function run(h: Harness, machine: string, input = "{}") {
  const { executionArn } = await h.sfn.startExecution(h.operator, { stateMachineArn: machine, input });
  return { executionArn, done: h.sfn.whenFinished(executionArn) };
}

const childExecution = (child: string) => `arn:aws:states:${REGION}:${ACCOUNT}:execution:${child}:nested-run`;

describe("nested executions: states:startExecution", function () {
  let h: Harness;
  beforeEach(async function () {
    h = harness();
    await h.create("child-ok", CHILD_OK);
    await h.create("child-fails", CHILD_FAILS);
    await h.create("child-slow", CHILD_SLOW);
    await h.create("child-calls-back", CHILD_CALLS_BACK);
  });

  it("request-response returns the child's ExecutionArn and StartDate at once, while the child runs on its own", async function () {
    h.allow("parent-role", [{ Effect: "Allow", Action: "states:StartExecution", Resource: machineArn("child-slow") }]);
    const machine = await h.create("parent-rr", parent("startExecution", "child-slow"), "parent-role");
    const result = await (await run(h, machine)).done;
    assert.equal(result.status, "SUCCEEDED");
    const output = JSON.parse(result.output!) as Record<string, unknown>;
    assert.equal(output.ExecutionArn, childExecution("child-slow"));
    assert.equal(typeof output.StartDate, "number");
    const child = await h.sfn.describeExecution(h.operator, childExecution("child-slow"));
    assert.equal(child.status, "RUNNING", "request-response does not wait for the child");
    assert.equal(child.input, JSON.stringify({ order: 7 }), "the Input object is the child's input, as JSON text");
    await h.sfn.stopExecution(h.operator, { executionArn: childExecution("child-slow") });
  });

  it(".sync waits for the child and returns DescribeExecution's answer with Output as JSON text", async function () {
    h.allow("parent-role", SYNC_POLICY("child-ok"));
    const machine = await h.create("parent-sync", parent("startExecution.sync", "child-ok"), "parent-role");
    const result = await (await run(h, machine)).done;
    assert.equal(result.status, "SUCCEEDED", result.cause);
    const output = JSON.parse(result.output!) as Record<string, unknown>;
    assert.equal(output.Status, "SUCCEEDED");
    assert.equal(output.ExecutionArn, childExecution("child-ok"));
    assert.equal(output.StateMachineArn, machineArn("child-ok"));
    assert.equal(typeof output.Output, "string");
    assert.deepEqual(JSON.parse(output.Output as string), { order: 7, child: "done" });
    assert.equal(typeof output.Input, "string");
  });

  it(".sync:2 returns the same answer with Input and Output as JSON", async function () {
    h.allow("parent-role", SYNC_POLICY("child-ok"));
    const machine = await h.create("parent-sync2", parent("startExecution.sync:2", "child-ok"), "parent-role");
    const result = await (await run(h, machine)).done;
    assert.equal(result.status, "SUCCEEDED", result.cause);
    const output = JSON.parse(result.output!) as Record<string, unknown>;
    assert.deepEqual(output.Output, { order: 7, child: "done" });
    assert.deepEqual(output.Input, { order: 7 });
    assert.equal(output.Status, "SUCCEEDED");
  });

  it("a child that fails fails the parent's state with States.TaskFailed, the child's description as the cause", async function () {
    h.allow("parent-role", SYNC_POLICY("child-fails"));
    const machine = await h.create("parent-of-failure", parent("startExecution.sync", "child-fails"), "parent-role");
    const result = await (await run(h, machine)).done;
    assert.equal(result.status, "FAILED");
    assert.equal(result.error, "States.TaskFailed");
    const cause = JSON.parse(result.cause!) as Record<string, unknown>;
    assert.equal(cause.Status, "FAILED");
    assert.equal(cause.Error, "ChildError");
    assert.equal(cause.Cause, "the child broke");
  });

  it("stopping the parent stops the .sync child it waits for", async function () {
    h.allow("parent-role", SYNC_POLICY("child-slow"));
    const machine = await h.create("parent-stopped", parent("startExecution.sync", "child-slow"), "parent-role");
    const { executionArn } = await run(h, machine);
    await waitUntil(async () => (await h.sfn.describeExecution(h.operator, childExecution("child-slow")).catch(() => undefined))?.status === "RUNNING");
    await h.sfn.stopExecution(h.operator, { executionArn });
    const child = await h.sfn.whenFinished(childExecution("child-slow"));
    assert.equal(child.status, "ABORTED");
  });

  it(".waitForTaskToken passes the token in Input and waits for SendTaskSuccess; its output is the state's", async function () {
    h.allow("parent-role", [{ Effect: "Allow", Action: "states:StartExecution", Resource: machineArn("child-calls-back") }]);
    const definition = parent("startExecution.waitForTaskToken", "child-calls-back", { "token.$": "$$.Task.Token" });
    const machine = await h.create("parent-callback", definition, "parent-role");
    const { done } = await run(h, machine);
    let token = "";
    await waitUntil(async () => {
      const child = await h.sfn.describeExecution(h.operator, childExecution("child-calls-back")).catch(() => undefined);
      token = child ? ((JSON.parse(child.input) as { token: string }).token ?? "") : "";
      return token !== "";
    });
    await h.sfn.sendTaskSuccess(h.operator, token, JSON.stringify({ approved: true }));
    const result = await done;
    assert.equal(result.status, "SUCCEEDED", result.cause);
    assert.deepEqual(JSON.parse(result.output!), { approved: true });
    await h.sfn.stopExecution(h.operator, { executionArn: childExecution("child-calls-back") });
  });

  it("a role without states:StartExecution on the child fails the state with AccessDenied, and no child starts", async function () {
    h.allow("parent-role", [{ Effect: "Allow", Action: "states:StartExecution", Resource: machineArn("child-fails") }]);
    const machine = await h.create("parent-denied", parent("startExecution", "child-ok"), "parent-role");
    const result = await (await run(h, machine)).done;
    assert.equal(result.status, "FAILED");
    assert.equal(result.error, "StepFunctions.AccessDeniedException");
    assert.match(result.cause!, new RegExp(`is not authorized to perform: states:StartExecution on resource: ${machineArn("child-ok")}`));
    await assert.rejects(h.sfn.describeExecution(h.operator, childExecution("child-ok")), /Execution Does Not Exist/);
  });

  it(".sync without states:DescribeExecution on the child's executions fails the state once the child ends", async function () {
    h.allow("parent-role", SYNC_POLICY("child-ok").filter((s) => !s.Action.includes("states:DescribeExecution")));
    const machine = await h.create("parent-no-describe", parent("startExecution.sync", "child-ok"), "parent-role");
    const result = await (await run(h, machine)).done;
    assert.equal(result.status, "FAILED");
    assert.equal(result.error, "StepFunctions.AccessDeniedException");
    assert.match(result.cause!, new RegExp(`not authorized to perform: states:DescribeExecution on resource: ${childExecution("child-ok")}`));
    assert.equal((await h.sfn.describeExecution(h.operator, childExecution("child-ok"))).status, "SUCCEEDED", "the child itself ran");
  });

  it("a JSONata parent passes Arguments: .sync:2 gives the child's output as JSON", async function () {
    h.allow("parent-role", SYNC_POLICY("child-ok"));
    const definition = {
      QueryLanguage: "JSONata",
      StartAt: "Nested",
      States: {
        Nested: {
          Type: "Task",
          Resource: "arn:aws:states:::states:startExecution.sync:2",
          Arguments: { StateMachineArn: machineArn("child-ok"), Name: "nested-run", Input: "{% {'order': $states.input.n} %}" },
          Output: "{% $states.result.Output %}",
          End: true,
        },
      },
    };
    const machine = await h.create("parent-jsonata", definition, "parent-role");
    const result = await (await run(h, machine, JSON.stringify({ n: 3 }))).done;
    assert.equal(result.status, "SUCCEEDED", result.cause);
    assert.deepEqual(JSON.parse(result.output!), { order: 3, child: "done" });
  });

  it(".sync with StartExecution alone is denied on the events rule it needs, before the child starts", async function () {
    h.allow("parent-role", [{ Effect: "Allow", Action: "states:StartExecution", Resource: machineArn("child-ok") }]);
    const machine = await h.create("parent-no-rule", parent("startExecution.sync", "child-ok"), "parent-role");
    const result = await (await run(h, machine)).done;
    assert.equal(result.status, "FAILED");
    assert.match(result.cause!, /not authorized to perform: events:Put\w+ on resource: arn:aws:events:[^:]+:\d+:rule\/StepFunctionsGetEventsForStepFunctionsExecutionRule/);
    await assert.rejects(h.sfn.describeExecution(h.operator, childExecution("child-ok")), /Execution Does Not Exist/);
  });
});

describe("AWS SDK integration with Step Functions: aws-sdk:sfn:startExecution and describeExecution", function () {
  it("starts a child and answers with StartExecution's response; describeExecution answers DescribeExecution's, in Pascal case", async function () {
    const h = harness();
    await h.create("child-ok", CHILD_OK);
    h.allow("sdk-role", [
      { Effect: "Allow", Action: "states:StartExecution", Resource: machineArn("child-ok") },
      { Effect: "Allow", Action: "states:DescribeExecution", Resource: `arn:aws:states:${REGION}:${ACCOUNT}:execution:child-ok:*` },
    ]);
    const definition = {
      StartAt: "Start",
      States: {
        Start: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:sfn:startExecution", Parameters: { StateMachineArn: machineArn("child-ok"), Name: "sdk-run", Input: "{\"n\":1}" }, ResultPath: "$.started", Next: "Describe" },
        Describe: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:sfn:describeExecution", Parameters: { "ExecutionArn.$": "$.started.ExecutionArn" }, End: true },
      },
    };
    const machine = await h.create("sdk-parent", definition, "sdk-role");
    const result = await (await run(h, machine)).done;
    assert.equal(result.status, "SUCCEEDED", result.cause);
    const described = JSON.parse(result.output!) as Record<string, unknown>;
    assert.equal(described.ExecutionArn, `arn:aws:states:${REGION}:${ACCOUNT}:execution:child-ok:sdk-run`);
    assert.equal(described.Input, '{"n":1}', "the SDK answer keeps Input as JSON text");
    assert.ok(["RUNNING", "SUCCEEDED"].includes(described.Status as string));
  });

  it("an error is Sfn.<Code>Exception, as SDK integrations name them", async function () {
    const h = harness();
    h.allow("sdk-role", [{ Effect: "Allow", Action: "states:DescribeExecution", Resource: "*" }]);
    const definition = {
      StartAt: "Describe",
      States: { Describe: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:sfn:describeExecution", Parameters: { ExecutionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:nothing:here` }, End: true } },
    };
    const machine = await h.create("sdk-missing", definition, "sdk-role");
    const result = await (await run(h, machine)).done;
    assert.equal(result.status, "FAILED");
    assert.equal(result.error, "Sfn.ExecutionDoesNotExistException");
    assert.match(result.cause!, /Execution Does Not Exist: 'arn:aws:states:[^']+:execution:nothing:here' \(Service: AWSStepFunctions; Status Code: 400; Error Code: ExecutionDoesNotExist;/);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}
