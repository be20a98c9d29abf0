import { GetJobRunsCommand } from "@aws-sdk/client-glue";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { DescribeExecutionCommand, SendTaskFailureCommand, SendTaskSuccessCommand, type HistoryEvent } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import type { JobRun } from "../../sandbox";
import { loadProgramModel } from "../../sandbox/model";
import type { ProgramModel } from "../../sandbox/program-model";
import { waitForTaskToken } from "../../sandbox/testing/sfn-helpers";
import { findResource, LabSandbox, type Finished } from "./labSandbox";

/**
 * Faults survived, end to end: the real program in the sandbox, with the fault injected where it happens
 * on AWS (an object deleted, a bad data file or a hanging script uploaded, a Lambda service error, a burst
 * of executions, an operator's wrong or late answer). Each ends in a named state, with the cause.
 */

const HEADER = "order_id,order_date,customer_id,region,product,quantity,unit_price,amount,status";
const ROWS = ["ORD-1,2025-03-01,C-1,EU,Desk,2,75.00,150.00,SHIPPED", "ORD-2,2025-03-02,C-2,NA,Pen,1,5.00,5.00,PENDING"];

/** A Python shell script that never ends: what Glue's timeout is for. */
const HANGING_SCRIPT = 'import time\nprint("waiting for a lock that never comes", flush=True)\ntime.sleep(3600)\n';

/** Short Glue timeout and heartbeat so the sandbox reaches them in seconds (times timeScale 0.1: 6 s and 3 s). */
const FAST_TIMEOUTS = { glueTimeoutMinutes: "1", callbackHeartbeatSeconds: "30" };

/** StartEtl failed because its Glue run did, and the run's own error message reached the execution's cause. */
function assertEtlFailed(finished: Finished, runState: JobRun["JobRunState"], message: RegExp): void {
  const { description, failure } = finished;
  assert.equal(description.status, "FAILED");
  assert.deepEqual([failure.state, failure.error], ["StartEtl", "States.TaskFailed"], failure.cause);
  const run = JSON.parse(failure.cause ?? "{}") as { JobRunState?: string; ErrorMessage?: string };
  assert.equal(run.JobRunState, runState);
  assert.match(run.ErrorMessage ?? "", message);
  assert.equal(description.error, "EtlFailed");
  assert.match(description.cause ?? "", message, "the job's own error message is in the execution's cause");
}

function taskFailures(events: HistoryEvent[], error: string): number {
  return events.filter((e) => e.type === "TaskFailed" && e.taskFailedEventDetails?.error === error).length;
}

function attemptsOf(events: HistoryEvent[], resource: string): number {
  return events.filter((e) => e.type === "TaskScheduled" && e.taskScheduledEventDetails?.resource === resource).length;
}

describe("Faults survived, end to end in the sandbox", function () {
  this.timeout(60_000);
  let model: ProgramModel;
  let lab: LabSandbox;

  before(async function () {
    model = await loadProgramModel({ config: FAST_TIMEOUTS });
    lab = await LabSandbox.start(structuredClone(model));
  });
  afterEach(async () => lab.reset());
  after(async () => lab?.stop());

  describe("data file", function () {
    it("[fault] data file deleted: CheckFile fails with FileNotFound, run-job ends DataFileMissing naming bucket and key", async () => {
      await lab.deleteDataFile();
      const { description, failure } = await lab.runToEnd("run-job");
      assert.deepEqual([description.status, failure.state, failure.error, description.error], ["FAILED", "CheckFile", "FileNotFound", "DataFileMissing"]);
      const { bucketName, dataKey } = lab.outputs;
      // The cause is the function's error as Lambda reports it: {"errorType", "errorMessage", "trace"}.
      const cause = JSON.parse(description.cause ?? "{}") as { errorType?: string; errorMessage?: string };
      assert.equal(cause.errorType, "FileNotFound");
      assert.equal(cause.errorMessage, `Data file s3://${bucketName}/${dataKey} not found (bucket "${bucketName}", key "${dataKey}"). Upload it or fix DATA_KEY.`);
    });
  });

  describe("Glue run", function () {
    it("[fault] data file with a wrong header: the Glue run FAILS, StartEtl fails, EtlFailed with the job's message", async () => {
      await lab.putObject(lab.outputs.dataKey, [HEADER.replace("amount", "total"), ...ROWS].join("\n"));
      assertEtlFailed(await lab.runToEnd("run-job"), "FAILED", /header mismatch at line 1: expected order_id,.*,amount,status; got .*,total,status/);
    });

    it("[fault] data file in the wrong encoding (UTF-16): the Glue run FAILS, EtlFailed with the job's message", async () => {
      await lab.putObject(lab.outputs.dataKey, Buffer.from(`\ufeff${[HEADER, ...ROWS].join("\r\n")}`, "utf16le"));
      assertEtlFailed(await lab.runToEnd("run-job"), "FAILED", /header mismatch at line 1|cannot parse the header/);
    });

    it("[fault] the job's script hangs past the job's timeout: the run ends TIMEOUT, EtlFailed with Glue's timeout message", async function () {
      const job = findResource(model, "aws:glue/job:Job", () => true, "the ETL job");
      const script = String((job.inputs.command as { scriptLocation: string }).scriptLocation).replace(/^s3:\/\/[^/]+\//, "");
      await lab.putObject(script, HANGING_SCRIPT);
      assertEtlFailed(await lab.runToEnd("run-job"), "TIMEOUT", /timed out after 1 minutes/);
    });

    it("[fault] a job argument names a filter column the data lacks: the script fails, EtlFailed with its message", async () => {
      const broken = structuredClone(model);
      const job = findResource(broken, "aws:glue/job:Job", () => true, "the ETL job");
      const args = { ...(job.inputs.defaultArguments as Record<string, string>), "--filter": '{"column":"no_such_column","operator":"eq","value":"1"}' };
      job.inputs = { ...job.inputs, defaultArguments: args };
      job.state = { ...job.state, defaultArguments: args };
      const own = await LabSandbox.start(broken);
      try {
        assertEtlFailed(await own.runToEnd("run-job"), "FAILED", /no_such_column/);
      } finally {
        await own.stop();
      }
    });

    it("[fault] run-job stopped during StartEtl: the execution is ABORTED and its Glue run STOPPED (BatchStopJobRun), none left running", async () => {
      const running = lab.whenAJobRunIs("RUNNING");
      const executionArn = await lab.run("run-job");
      const run = await running;
      await lab.stopExecution(executionArn, "operator changed their mind");
      assert.equal((await lab.finished(executionArn)).description.status, "ABORTED");
      assert.equal((await lab.sandbox.whenJobRunFinished(run.Id)).JobRunState, "STOPPED");
      const { JobRuns = [] } = await lab.glue.send(new GetJobRunsCommand({ JobName: lab.outputs.jobName }));
      assert.deepEqual(JobRuns.map((r) => r.JobRunState), ["STOPPED"]);
    });
  });

  describe("Lambda", function () {
    it("[fault] a transient Lambda.ServiceException at CheckFile (injected once): Retry recovers, run-job SUCCEEDS", async () => {
      lab.sandbox.injectLambdaFault(lab.outputs.functionNames.checkFile, { errorCode: "ServiceException", message: "Lambda is temporarily unavailable", httpStatus: 500, times: 1 });
      const { description, events } = await lab.runToEnd("run-job");
      assert.equal(description.status, "SUCCEEDED", `${description.error}: ${description.cause}`);
      assert.equal(taskFailures(events, "Lambda.ServiceException"), 1);
      assert.equal(attemptsOf(events, "invoke"), 3, "CheckFile twice (one retry), Validate once");
    });

    it("[fault] a permanent Lambda error (ResourceNotFoundException) is not retried: caught, run-job ends CheckFileFailed naming it", async () => {
      lab.sandbox.injectLambdaFault(lab.outputs.functionNames.checkFile, { errorCode: "ResourceNotFoundException", message: "Function not found", httpStatus: 404, times: 1 });
      const { description, failure, events } = await lab.runToEnd("run-job");
      assert.deepEqual([description.status, failure.state, failure.error, description.error], ["FAILED", "CheckFile", "Lambda.ResourceNotFoundException", "CheckFileFailed"]);
      assert.match(description.cause ?? "", /Function not found/);
      assert.equal(attemptsOf(events, "invoke"), 1);
    });

    it("[fault] a permanent function error is caught and named: request-response's Validate fails ValidationFailed, ends OutputInvalid", async () => {
      const { description, failure } = await lab.runToEnd("request-response");
      assert.deepEqual([description.status, failure.state, failure.error, description.error], ["FAILED", "Validate", "ValidationFailed", "OutputInvalid"]);
      assert.match(description.cause ?? "", /_manifest\.json does not exist/);
    });
  });

  describe("callback", function () {
    it("[fault] no heartbeat: WaitForOperator fails with States.HeartbeatTimeout, ends OperatorTimedOut; a late answer gets TaskTimedOut", async () => {
      const executionArn = await lab.run("wait-for-callback");
      const taskToken = await waitForTaskToken(lab.sfn, executionArn);
      const { description, failure } = await lab.finished(executionArn);
      assert.deepEqual([description.status, failure.state, failure.error, description.error], ["FAILED", "WaitForOperator", "States.HeartbeatTimeout", "OperatorTimedOut"]);
      await assert.rejects(lab.sfn.send(new SendTaskSuccessCommand({ taskToken, output: "{}" })), (e: Error) => e.name === "TaskTimedOut");
    });

    it("[fault] the operator rejects (SendTaskFailure): ends OperatorRejected with the operator's error and cause", async () => {
      const executionArn = await lab.run("wait-for-callback");
      const taskToken = await waitForTaskToken(lab.sfn, executionArn);
      await lab.sfn.send(new SendTaskFailureCommand({ taskToken, error: "OutputRejected", cause: "kept rows do not match the report" }));
      const { description, failure } = await lab.finished(executionArn);
      assert.deepEqual([description.status, failure.state, failure.error, description.error], ["FAILED", "WaitForOperator", "OutputRejected", "OperatorRejected"]);
      assert.equal(description.cause, "kept rows do not match the report");
    });

    it("[fault] a wrong task token: SendTaskSuccess gets InvalidToken and the execution keeps waiting", async () => {
      const executionArn = await lab.run("wait-for-callback");
      const taskToken = await waitForTaskToken(lab.sfn, executionArn);
      const wrong = `${taskToken.slice(0, -6)}${taskToken.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA"}`;
      await assert.rejects(lab.sfn.send(new SendTaskSuccessCommand({ taskToken: wrong, output: "{}" })), (e: Error) => e.name === "InvalidToken");
      assert.equal((await lab.sfn.send(new DescribeExecutionCommand({ executionArn }))).status, "RUNNING");
    });

    it("[fault] a task token used twice: the first approval SUCCEEDS the execution, the second gets TaskTimedOut", async () => {
      const run = await lab.runEtl();
      const executionArn = await lab.run("wait-for-callback");
      const taskToken = await waitForTaskToken(lab.sfn, executionArn);
      await lab.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ JobRunId: run.Id }) }));
      const { description } = await lab.finished(executionArn);
      assert.equal(description.status, "SUCCEEDED", `${description.error}: ${description.cause}`);
      await assert.rejects(
        lab.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ JobRunId: run.Id }) })),
        (e: Error) => e.name === "TaskTimedOut" && /Provided task does not exist anymore/.test(e.message),
      );
    });
  });

  describe("Glue max concurrent runs under load", function () {
    const EXECUTIONS = 20;
    const MAX_CONCURRENT_RUNS = 2;
    let loaded: LabSandbox;

    before(async function () {
      // Its own sandbox, at timeScale 0.2 so CheckFile's timeout has room for 20 cold starts. Retry's backoff is
      // scaled but the runs are not: the sandbox's Glue-like start-up latency (1 s, as if 5 s) keeps each run
      // from being unrealistically short next to the backoff, so the burst really has to wait its turn.
      loaded = await LabSandbox.start(await loadProgramModel({ config: { glueMaxConcurrentRuns: String(MAX_CONCURRENT_RUNS) } }), { timeScale: 0.2, glue: { startupDelayMs: 1000 } });
    });
    after(async () => loaded?.stop());

    it(`[fault] ${EXECUTIONS} run-job executions at once, ${MAX_CONCURRENT_RUNS} Glue runs allowed: Retry takes every one to SUCCEEDED, each run writes its own prefix`, async function () {
      this.timeout(150_000);
      const active = new Set<string>();
      let mostActive = 0;
      const unsubscribe = loaded.sandbox.onJobRunChange((run) => {
        if (["STOPPED", "SUCCEEDED", "FAILED", "TIMEOUT"].includes(run.JobRunState)) active.delete(run.Id);
        else active.add(run.Id);
        mostActive = Math.max(mostActive, active.size);
      });
      const executionArns = await Promise.all(Array.from({ length: EXECUTIONS }, () => loaded.run("run-job")));
      const finished = await Promise.all(executionArns.map((arn) => loaded.finished(arn)));
      unsubscribe();

      for (const { description } of finished) assert.equal(description.status, "SUCCEEDED", `${description.executionArn}: ${description.error}: ${description.cause}`);
      assert.ok(mostActive <= MAX_CONCURRENT_RUNS, `at most ${MAX_CONCURRENT_RUNS} runs at once, saw ${mostActive}`);
      const refusals = finished.reduce((n, f) => n + taskFailures(f.events, "Glue.ConcurrentRunsExceededException"), 0);
      assert.ok(refusals > 0, "Glue refused some starts, and Retry took them");

      const jobRunIds = finished.map((f) => (JSON.parse(f.description.output ?? "{}") as { etl: { JobRunId: string } }).etl.JobRunId);
      assert.equal(new Set(jobRunIds).size, EXECUTIONS, "one Glue run per execution");
      const { outputPrefix, bucketName } = loaded.outputs;
      const listing = await loaded.s3.send(new ListObjectsV2Command({ Bucket: bucketName, Prefix: `${outputPrefix}/` }));
      const keys = (listing.Contents ?? []).map((o) => o.Key ?? "");
      assert.equal(keys.length, EXECUTIONS * 3, "data.csv, rejects.csv and _manifest.json per run, none overwritten");
      const prefixes = new Set(keys.map((k) => k.split("/")[1]));
      assert.deepEqual([...prefixes].sort(), [...jobRunIds].sort(), "one prefix per run, named by its JobRunId");
      for (const runId of jobRunIds) {
        const object = await loaded.s3.send(new GetObjectCommand({ Bucket: bucketName, Key: `${outputPrefix}/${runId}/_manifest.json` }));
        const manifest = JSON.parse(await (object.Body as { transformToString(): Promise<string> }).transformToString()) as { job_run_id: string; data_key: string };
        assert.equal(manifest.job_run_id, runId);
        assert.equal(manifest.data_key, `${outputPrefix}/${runId}/data.csv`);
      }
    });
  });
});
