import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { ListExecutionsCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "./index";
import { arn, BUCKET, CHECK_FILE, DATA_KEY, fixtureModel, withStateMachine } from "./testing/fixture-model";
import { history, waitForExecution } from "./testing/sfn-helpers";

const callbackBranch = (branch: string) => ({
  StartAt: `Wait${branch}`,
  States: {
    [`Wait${branch}`]: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: arn.fn(CHECK_FILE), Payload: { "taskToken.$": "$$.Task.Token", branch } },
      End: true,
    },
  },
});

const PARALLEL_CALLBACKS = { StartAt: "Both", States: { Both: { Type: "Parallel", Branches: [callbackBranch("A"), callbackBranch("B")], End: true } } };

const MAP_OF_FUNCTIONS = {
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      ItemsPath: "$.items",
      ItemProcessor: { StartAt: "Check", States: { Check: { Type: "Task", Resource: arn.fn(CHECK_FILE), End: true } } },
      End: true,
    },
  },
};

const RETRIED_INVOKE = {
  StartAt: "Check",
  States: {
    Check: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: arn.fn(CHECK_FILE), Payload: {} },
      Retry: [{ ErrorEquals: ["Lambda.ServiceException"], IntervalSeconds: 1, MaxAttempts: 3 }],
      OutputPath: "$.Payload",
      End: true,
    },
  },
};

describe("sandbox: composite states, token correlation and injected faults", function () {
  this.timeout(60_000);
  let rootDir: string;
  let sandbox: Sandbox;
  let sfn: SFNClient;
  const start = async (name: string, input: unknown = {}) =>
    (await sfn.send(new StartExecutionCommand({ stateMachineArn: arn.stateMachine(name), input: JSON.stringify(input) }))).executionArn as string;

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-composite-"));
    const model = fixtureModel();
    withStateMachine(model, "parallel-callbacks", PARALLEL_CALLBACKS, "lab-wait-for-callback-role");
    withStateMachine(model, "map-of-functions", MAP_OF_FUNCTIONS, "lab-run-job-role");
    withStateMachine(model, "retried-invoke", RETRIED_INVOKE, "lab-run-job-role");
    sandbox = await Sandbox.start(model, { rootDir, timeScale: 0.05, glue: { startupDelayMs: 10 }, sfn: { syncPollIntervalMs: 20 } });
    sfn = new SFNClient(sandbox.clientConfig("sfn"));
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  it("gives each parallel callback its own token, and resumes the branch that token belongs to", async () => {
    const executionArn = await start("parallel-callbacks");
    let scheduled: { branch: string; taskToken: string }[] = [];
    for (let i = 0; i < 200 && scheduled.length < 2; i++) {
      const events = await history(sfn, executionArn);
      scheduled = events
        .filter((e) => e.type === "TaskScheduled")
        .map((e) => (JSON.parse(e.taskScheduledEventDetails?.parameters ?? "{}") as { Payload: { branch: string; taskToken: string } }).Payload);
      if (events.filter((e) => e.type === "TaskSubmitted").length < 2) scheduled = [];
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(scheduled.length, 2);
    assert.notEqual(scheduled[0].taskToken, scheduled[1].taskToken);
    for (const { branch, taskToken } of scheduled) {
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ answeredBranch: branch }) }));
    }
    const done = await waitForExecution(sfn, executionArn);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output ?? "null"), [{ answeredBranch: "A" }, { answeredBranch: "B" }]);
  });

  it("runs a Map of plain function-ARN tasks, with Lambda function events per item", async () => {
    const executionArn = await start("map-of-functions", { items: [1, 2, 3] });
    const done = await waitForExecution(sfn, executionArn);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.equal((JSON.parse(done.output ?? "[]") as unknown[]).length, 3);
    const types = (await history(sfn, executionArn)).map((e) => e.type);
    assert.equal(types.filter((t) => t === "LambdaFunctionSucceeded").length, 3);
    assert.equal(types.filter((t) => t === "MapIterationSucceeded").length, 3);
    assert.ok(types.includes("MapStateEntered") && types.includes("MapStateExited"));
  });

  it("recovers from an injected transient Lambda error with the state's Retry", async () => {
    sandbox.injectLambdaFault(CHECK_FILE, { errorCode: "ServiceException", times: 2 });
    const executionArn = await start("retried-invoke");
    const done = await waitForExecution(sfn, executionArn);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    const failures = (await history(sfn, executionArn)).filter((e) => e.type === "TaskFailed").map((e) => e.taskFailedEventDetails?.error);
    assert.deepEqual(failures, ["Lambda.ServiceException", "Lambda.ServiceException"]);
  });

  it("reset() forgets executions and runs, and puts S3 back as deployed", async () => {
    const done = await waitForExecution(sfn, await start("lab-run-job", { arguments: {} }));
    assert.equal(done.status, "SUCCEEDED", done.cause);
    const s3 = new S3Client(sandbox.clientConfig("s3"));
    const outputs = async () => (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "output/" }))).KeyCount ?? 0;
    assert.ok((await outputs()) > 0);
    await sandbox.reset();
    assert.equal(await outputs(), 0);
    const data = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: DATA_KEY }));
    assert.match((await data.Body?.transformToString()) ?? "", /^order_id,/);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn.stateMachine("lab-run-job") }));
    assert.deepEqual(listed.executions, []);
  });
});
