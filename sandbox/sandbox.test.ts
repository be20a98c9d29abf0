import { GetJobRunCommand, GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "./index";
import type { SandboxOptions } from "./options";
import type { ProgramModel } from "./program-model";
import { arn, fixtureModel, JOB_NAME, type PatternName, withoutStatement } from "./testing/fixture-model";
import { history, lastTaskFailure, waitForExecution, waitForTaskToken } from "./testing/sfn-helpers";

/** A sandbox over a model in a temporary folder, with delays scaled down for tests. */
async function startSandbox(model: ProgramModel, options: SandboxOptions = {}) {
  const rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-e2e-"));
  const sandbox = await Sandbox.start(model, { rootDir, timeScale: 0.05, glue: { startupDelayMs: 30 }, sfn: { syncPollIntervalMs: 40 }, ...options });
  const sfn = new SFNClient(sandbox.clientConfig("sfn"));
  const glue = new GlueClient(sandbox.clientConfig("glue"));
  return {
    sandbox,
    sfn,
    glue,
    async start(pattern: PatternName, input: unknown = { arguments: {} }) {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn.stateMachine(`lab-${pattern}`), input: JSON.stringify(input) }));
      if (!executionArn) throw new Error("StartExecution returned no executionArn");
      return executionArn;
    },
    async stop() {
      await sandbox.stop();
      rmSync(rootDir, { recursive: true, force: true });
    },
  };
}

/** Runs the Glue job as the operator would, outside the state machine, and waits for it. */
async function runEtlOutside(glue: GlueClient): Promise<string> {
  const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: JOB_NAME }));
  for (;;) {
    const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: JOB_NAME, RunId: JobRunId }));
    if (JobRun?.JobRunState === "SUCCEEDED") return JobRunId as string;
    if (["FAILED", "STOPPED", "TIMEOUT"].includes(JobRun?.JobRunState ?? "")) throw new Error(`ETL run ended ${JobRun?.JobRunState}: ${JobRun?.ErrorMessage}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("sandbox end to end (fixture model, real SDK clients)", function () {
  this.timeout(60_000);
  let env: Awaited<ReturnType<typeof startSandbox>>;

  before(async () => {
    env = await startSandbox(fixtureModel());
  });
  after(async () => env?.stop());

  it("lists and describes the deployed state machines; tells other processes where it is", async () => {
    const { stateMachines } = await env.sfn.send(new ListStateMachinesCommand({}));
    assert.deepEqual(stateMachines?.map((m) => m.name).sort(), ["lab-request-response", "lab-run-job", "lab-wait-for-callback"]);
    const described = await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn.stateMachine("lab-run-job") }));
    assert.equal(described.roleArn, arn.role("lab-run-job-role"));
    const connection = JSON.parse(readFileSync(env.sandbox.connectionFile, "utf8")) as { endpoints: { sfn: string }; credentials: { accessKeyId: string } };
    assert.equal(connection.endpoints.sfn, env.sandbox.endpoints.sfn);
    assert.equal(connection.credentials.accessKeyId, env.sandbox.credentials.accessKeyId);
  });

  it("request-response: fails at Validate, because nothing waited for the job", async () => {
    const executionArn = await env.start("request-response");
    const done = await waitForExecution(env.sfn, executionArn);
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "OutputInvalid");
    assert.match(done.cause ?? "", /No manifest at .*_manifest.json: the run has not finished/);
    const events = await history(env.sfn, executionArn);
    assert.deepEqual(lastTaskFailure(events).state, "Validate");
    assert.equal(lastTaskFailure(events).error, "ValidationFailed");
    const started = events.find((e) => e.type === "TaskSucceeded" && e.taskSucceededEventDetails?.resourceType === "glue");
    assert.match(JSON.parse(started?.taskSucceededEventDetails?.output ?? "{}").JobRunId, /^jr_[0-9a-f]{64}$/);
  });

  it("run-job: waits for the Glue run (.sync) and succeeds; the history has Step Functions' event types", async () => {
    const executionArn = await env.start("run-job");
    const done = await waitForExecution(env.sfn, executionArn);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    const output = JSON.parse(done.output ?? "{}");
    assert.equal(output.etl.JobRunState, "SUCCEEDED");
    assert.equal(output.validation.report.manifest.input_rows, 3);
    const events = await history(env.sfn, executionArn);
    const types = events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 7), ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "TaskStateEntered"]);
    assert.deepEqual(types.slice(7, 11), ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]);
    assert.equal(types.at(-1), "ExecutionSucceeded");
    assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
    const glueScheduled = events.find((e) => e.taskScheduledEventDetails?.resourceType === "glue");
    assert.equal(glueScheduled?.taskScheduledEventDetails?.resource, "startJobRun.sync");
    const listed = await env.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn.stateMachine("lab-run-job") }));
    assert.equal(listed.executions?.[0]?.executionArn, executionArn);
  });

  it("wait-for-callback: pauses with its token in the history, then approve -> SUCCEEDED", async () => {
    const executionArn = await env.start("wait-for-callback", {});
    const token = await waitForTaskToken(env.sfn, executionArn);
    assert.equal((await env.sfn.send(new DescribeExecutionCommand({ executionArn }))).status, "RUNNING");
    const jobRunId = await runEtlOutside(env.glue);
    await env.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ JobRunId: jobRunId }) }));
    const done = await waitForExecution(env.sfn, executionArn);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.equal(JSON.parse(done.output ?? "{}").validation.report.manifest.job_run_id, jobRunId);
  });

  it("wait-for-callback: reject -> FAILED with the operator's error and cause", async () => {
    const executionArn = await env.start("wait-for-callback", {});
    const token = await waitForTaskToken(env.sfn, executionArn);
    await env.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "OutputRejected", cause: "kept rows do not match" }));
    const done = await waitForExecution(env.sfn, executionArn);
    assert.equal(done.status, "FAILED");
    assert.deepEqual([done.error, done.cause], ["OperatorRejected", "kept rows do not match"]);
    const failure = lastTaskFailure(await history(env.sfn, executionArn));
    assert.deepEqual(failure, { state: "WaitForOperator", error: "OutputRejected", cause: "kept rows do not match" });
  });

  it("answers a wrong token with InvalidToken and a used one with TaskTimedOut", async () => {
    await assert.rejects(env.sfn.send(new SendTaskSuccessCommand({ taskToken: "AQnot-a-real-token", output: "{}" })), (e: Error) => e.name === "InvalidToken");
    const executionArn = await env.start("wait-for-callback", {});
    const token = await waitForTaskToken(env.sfn, executionArn);
    await env.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "No", cause: "first answer" }));
    await assert.rejects(env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })), (e: Error) => {
      assert.equal(e.name, "TaskTimedOut");
      assert.match(e.message, /Provided task does not exist anymore/);
      return true;
    });
    await assert.rejects(env.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })), (e: Error) => e.name === "TaskTimedOut");
    await waitForExecution(env.sfn, executionArn);
  });

  it("a failing Glue run fails .sync with States.TaskFailed carrying the job's error message", async () => {
    const executionArn = await env.start("run-job", { arguments: { "--fail_message": "row 7 is not UTF-8" } });
    const done = await waitForExecution(env.sfn, executionArn);
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "EtlFailed");
    const failure = lastTaskFailure(await history(env.sfn, executionArn));
    assert.equal(failure.state, "StartEtl");
    assert.equal(failure.error, "States.TaskFailed");
    const run = JSON.parse(failure.cause ?? "{}");
    assert.equal(run.JobRunState, "FAILED");
    assert.equal(run.ErrorMessage, "ValueError: row 7 is not UTF-8");
    assert.match(done.cause ?? "", /ValueError: row 7 is not UTF-8/);
  });

  it("stopping an execution stops the Glue run it waits for (BatchStopJobRun)", async () => {
    const executionArn = await env.start("run-job", { arguments: { "--sleep_seconds": "30" } });
    let runId: string | undefined;
    const unsubscribe = env.sandbox.onJobRunChange((run) => {
      if (run.JobRunState === "RUNNING") runId = run.Id;
    });
    while (!runId) await new Promise((resolve) => setTimeout(resolve, 20));
    unsubscribe();
    await env.sfn.send(new StopExecutionCommand({ executionArn, error: "Operator", cause: "changed my mind" }));
    const done = await waitForExecution(env.sfn, executionArn);
    assert.deepEqual([done.status, done.error, done.cause], ["ABORTED", "Operator", "changed my mind"]);
    const run = await env.sandbox.whenJobRunFinished(runId);
    assert.equal(run.JobRunState, "STOPPED");
  });
});

describe("sandbox end to end: IAM and timeouts", function () {
  this.timeout(60_000);

  it("a removed IAM statement turns the right state into AccessDenied", async () => {
    const env = await startSandbox(withoutStatement(fixtureModel(), "lab-run-job-policy", "RunEtlJob"));
    try {
      const executionArn = await env.start("run-job");
      const done = await waitForExecution(env.sfn, executionArn);
      assert.equal(done.status, "FAILED");
      const failure = lastTaskFailure(await history(env.sfn, executionArn));
      assert.equal(failure.state, "StartEtl");
      assert.equal(failure.error, "Glue.AccessDeniedException");
      assert.match(failure.cause ?? "", /assumed-role\/lab-run-job-role\/[0-9a-f]{32} is not authorized to perform: glue:StartJobRun on resource: arn:aws:glue:us-east-1:123456789012:job\/lab-etl-job/);
    } finally {
      await env.stop();
    }
  });

  it("a Lambda invoke the role may not make fails with Lambda.AWSLambdaException naming lambda:InvokeFunction", async () => {
    const env = await startSandbox(withoutStatement(fixtureModel(), "lab-request-response-policy", "InvokeFunctions"));
    try {
      const executionArn = await env.start("request-response");
      const done = await waitForExecution(env.sfn, executionArn);
      assert.equal(done.status, "FAILED");
      assert.equal(done.error, "Lambda.AWSLambdaException");
      assert.match(done.cause ?? "", /is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:lab-check-file .*Status Code: 403; Error Code: AccessDeniedException/);
    } finally {
      await env.stop();
    }
  });

  it("a callback without a heartbeat fails with States.HeartbeatTimeout", async () => {
    // HeartbeatSeconds 3600 -> 1.8 s.
    const env = await startSandbox(fixtureModel(), { timeScale: 0.0005 });
    try {
      const executionArn = await env.start("wait-for-callback", {});
      const token = await waitForTaskToken(env.sfn, executionArn);
      const done = await waitForExecution(env.sfn, executionArn);
      assert.equal(done.status, "FAILED");
      assert.equal(done.error, "OperatorTimedOut");
      const events = await history(env.sfn, executionArn);
      const timedOut = events.find((e) => e.type === "TaskTimedOut");
      assert.equal(timedOut?.taskTimedOutEventDetails?.error, "States.HeartbeatTimeout");
      await assert.rejects(env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })), (e: Error) => e.name === "TaskTimedOut");
    } finally {
      await env.stop();
    }
  });

  it("a callback past its TimeoutSeconds fails with States.Timeout, and its token is spent", async () => {
    const model = fixtureModel();
    const machine = model.resources.find((r) => r.name === "lab-wait-for-callback");
    const definition = JSON.parse(String(machine?.inputs.definition));
    definition.States.WaitForOperator.TimeoutSeconds = 60; // -> 0.6 s, before the 36 s heartbeat
    if (machine) machine.inputs = { ...machine.inputs, definition: JSON.stringify(definition) };
    if (machine) machine.state = { ...machine.state, definition: JSON.stringify(definition) };
    const env = await startSandbox(model);
    try {
      const executionArn = await env.start("wait-for-callback", {});
      const token = await waitForTaskToken(env.sfn, executionArn, { paused: false });
      const done = await waitForExecution(env.sfn, executionArn);
      assert.deepEqual([done.status, done.error], ["FAILED", "OperatorTimedOut"]);
      const timedOut = (await history(env.sfn, executionArn)).find((e) => e.type === "TaskTimedOut");
      assert.equal(timedOut?.taskTimedOutEventDetails?.error, "States.Timeout");
      await assert.rejects(env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })), (e: Error) => e.name === "TaskTimedOut");
    } finally {
      await env.stop();
    }
  });

  it("refuses callers it never issued keys to, and removes its connection file on stop", async () => {
    const env = await startSandbox(fixtureModel());
    const stranger = new SFNClient({ region: "us-east-1", endpoint: env.sandbox.endpoints.sfn, credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" } });
    await assert.rejects(stranger.send(new ListStateMachinesCommand({})), (e: Error) => e.name === "UnrecognizedClientException");
    const file = env.sandbox.connectionFile;
    assert.ok(existsSync(file));
    await env.stop();
    assert.ok(!existsSync(file));
  });
});
