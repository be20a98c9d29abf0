import { BatchStopJobRunCommand, GetJobCommand, GetJobRunsCommand, GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../index";
import { arn, fixtureModel, JOB_NAME } from "../testing/fixture-model";
import { waitForExecution } from "../testing/sfn-helpers";

describe("sandbox endpoints: AWS JSON protocols for unmodified SDK clients", function () {
  this.timeout(60_000);
  let rootDir: string;
  let sandbox: Sandbox;
  let sfn: SFNClient;
  let glue: GlueClient;

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-endpoints-"));
    sandbox = await Sandbox.start(fixtureModel(), { rootDir, glue: { startupDelayMs: 5000 }, writeConnectionFile: false });
    sfn = new SFNClient(sandbox.clientConfig("sfn"));
    glue = new GlueClient(sandbox.clientConfig("glue"));
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  it("serves Glue's job and run operations, with Glue's error types", async () => {
    const { Job } = await glue.send(new GetJobCommand({ JobName: JOB_NAME }));
    assert.equal(Job?.Command?.ScriptLocation, "s3://lab-data-0a1b2c3/etl/glue_job.py");
    assert.equal(Job?.ExecutionProperty?.MaxConcurrentRuns, 3);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await glue.send(new StartJobRunCommand({ JobName: JOB_NAME }))).JobRunId as string);
    await assert.rejects(glue.send(new StartJobRunCommand({ JobName: JOB_NAME })), (e: Error) => e.name === "ConcurrentRunsExceededException");
    const { JobRuns } = await glue.send(new GetJobRunsCommand({ JobName: JOB_NAME }));
    assert.deepEqual(JobRuns?.map((r) => r.JobRunState), ["STARTING", "STARTING", "STARTING"]);
    assert.ok(JobRuns?.[0].StartedOn instanceof Date);
    const stopped = await glue.send(new BatchStopJobRunCommand({ JobName: JOB_NAME, JobRunIds: ids }));
    assert.equal(stopped.SuccessfulSubmissions?.length, 3);
    assert.equal((await sandbox.whenJobRunFinished(ids[0])).JobRunState, "STOPPED");
    await assert.rejects(glue.send(new GetJobCommand({ JobName: "no-such-job" })), (e: Error) => e.name === "EntityNotFoundException");
  });

  it("answers Step Functions' errors by name", async () => {
    const stateMachineArn = arn.stateMachine("lab-request-response");
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{oops" })), (e: Error) => e.name === "InvalidExecutionInput");
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn.stateMachine("nope") })), (e: Error) => e.name === "StateMachineDoesNotExist");
    await assert.rejects(sfn.send(new DescribeExecutionCommand({ executionArn: "not-an-arn" })), (e: Error) => e.name === "InvalidArn");
    const missing = `arn:aws:states:us-east-1:123456789012:execution:lab-request-response:missing`;
    await assert.rejects(sfn.send(new GetExecutionHistoryCommand({ executionArn: missing })), (e: Error) => e.name === "ExecutionDoesNotExist");
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "once", input: "{}" }));
    // StartExecution API reference: idempotent for a running STANDARD execution with the same name and input;
    // a different input, or the same once the execution has closed, is ExecutionAlreadyExists.
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "once", input: "{}" }));
    assert.equal(again.executionArn, executionArn);
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn, name: "once", input: '{"other":1}' })), (e: Error) => e.name === "ExecutionAlreadyExists");
    const done = await waitForExecution(sfn, executionArn as string);
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn, name: "once", input: "{}" })), (e: Error) => e.name === "ExecutionAlreadyExists");
    assert.ok(done.startDate instanceof Date && done.stopDate instanceof Date && done.stopDate >= done.startDate);
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder: true }));
    assert.equal(page.events?.length, 3);
    assert.equal(page.events?.[0].type, "ExecutionFailed");
    assert.ok(page.nextToken);
  });

  it("lets a program's role call only what its policies allow", async () => {
    const asCheckFile = new SFNClient({ ...sandbox.clientConfig("sfn"), credentials: sandbox.credentialsFor(arn.role("lab-check-file-role"), "lab-check-file") });
    await assert.rejects(asCheckFile.send(new StartExecutionCommand({ stateMachineArn: arn.stateMachine("lab-run-job") })), (e: Error) => {
      assert.equal(e.name, "AccessDeniedException");
      assert.match(e.message, /lab-check-file-role\/lab-check-file is not authorized to perform: states:StartExecution/);
      return true;
    });
  });
});
