import { strict as assert } from "node:assert";
import { Readable } from "node:stream";
import { GetJobCommand, GetJobRunCommand, GetJobRunsCommand, GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { ORDERS_SCHEMA } from "../../components/etlSettings";
import { openAwsTarget, readAwsStackOutputs } from "../../cli/targets/aws";
import {
  entered,
  EXECUTION,
  exited,
  history,
  OUTPUTS,
  outputsFile,
  pausedHistory,
  REGION,
  runCli,
  scheduled,
  taskFailed,
  taskSucceeded,
  TOKEN,
} from "./helpers";

// Mocks replace every client's send() while active: created for this suite only, restored after it.
const mockSfn = () => mockClient(SFNClient);
const mockGlue = () => mockClient(GlueClient);
const mockS3 = () => mockClient(S3Client);
let sfn: ReturnType<typeof mockSfn>;
let glue: ReturnType<typeof mockGlue>;
let s3: ReturnType<typeof mockS3>;

const CALLBACK_EXECUTION = EXECUTION("wait-for-callback-77de", "exec-1");
const FILTER = { column: "amount", operator: "ge", value: "100" };
const HEADER = ORDERS_SCHEMA.map((c) => c.name);

/** A run's output exactly as the Glue job writes it: 4 rows in, 2 kept, 1 filtered out, 1 rejected. */
function runObjects(runId: string, overrides: { manifest?: Record<string, unknown> } = {}): Record<string, string> {
  const prefix = `output/${runId}`;
  const manifest = {
    job_run_id: runId,
    source: `s3://${OUTPUTS.bucketName}/${OUTPUTS.dataKey}`,
    input_rows: 4,
    kept: 2,
    filtered_out: 1,
    rejected: 1,
    header: HEADER,
    filter: FILTER,
    data_key: `${prefix}/data.csv`,
    rejects_key: `${prefix}/rejects.csv`,
    ...overrides.manifest,
  };
  return {
    [`${prefix}/_manifest.json`]: JSON.stringify(manifest),
    [`${prefix}/data.csv`]:
      `${HEADER.join(",")}\nORD-1,2024-03-01,C-1,EU,Desk,1,250.00,250.00,SHIPPED\nORD-2,2024-03-02,C-2,US,Chair,2,60,120.00,DELIVERED\n`,
    [`${prefix}/rejects.csv`]: `line_number,reason,raw\n5,amount: not a decimal: 'abc',"ORD-4,2024-03-03,C-4,EU,Lamp,1,abc,abc,SHIPPED"\n`,
  };
}

function serveObjects(objects: Record<string, string>): void {
  s3.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    const body = input.Bucket === OUTPUTS.bucketName ? objects[input.Key] : undefined;
    if (body === undefined) {
      throw Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey", $metadata: { httpStatusCode: 404 } });
    }
    return { Body: Readable.from([Buffer.from(body)]) };
  });
}

function jobWithSettings(): void {
  glue.on(GetJobCommand, { JobName: OUTPUTS.jobName }).resolves({
    Job: { Name: OUTPUTS.jobName, DefaultArguments: { "--schema": JSON.stringify(ORDERS_SCHEMA), "--filter": JSON.stringify(FILTER) } },
  });
}

describe("sfn-lab against --target aws (mocked SDK clients)", function () {
  let file: string;
  const aws = (...args: string[]) => runCli([...args, "--target", "aws", "--outputs", file]);

  before(function () {
    sfn = mockSfn();
    glue = mockGlue();
    s3 = mockS3();
  });

  after(function () {
    sfn.restore();
    glue.restore();
    s3.restore();
  });

  beforeEach(function () {
    sfn.reset();
    glue.reset();
    s3.reset();
    file = outputsFile();
  });

  describe("stack outputs", function () {
    it("asks the Pulumi CLI for the named stack's outputs", async function () {
      const calls: (readonly string[])[] = [];
      const outputs = await readAwsStackOutputs({
        stack: "prod",
        runPulumi: async (args) => {
          calls.push(args);
          return JSON.stringify(OUTPUTS);
        },
      });
      assert.deepEqual(calls, [["stack", "output", "--json", "--stack", "prod"]]);
      assert.equal(outputs.stateMachineArns["run-job"], OUTPUTS.stateMachineArns["run-job"]);
    });

    it("names the missing output and where it came from", async function () {
      const broken = outputsFile({ ...OUTPUTS, jobName: undefined });
      await assert.rejects(readAwsStackOutputs({ outputsFile: broken }), new RegExp(`Stack outputs from ${broken}: "jobName" must be a non-empty string`));
    });

    it("uses the region the state machines live in", async function () {
      const target = await openAwsTarget({ outputsFile: file });
      assert.equal(await target.sfn.config.region(), REGION);
      await target.close();
    });
  });

  describe("run", function () {
    it("starts the pattern's machine with the input and exits 0 when the execution SUCCEEDED", async function () {
      const arn = EXECUTION("run-job-9c2b", "e1");
      sfn.on(StartExecutionCommand).resolves({ executionArn: arn, startDate: new Date() });
      sfn.on(GetExecutionHistoryCommand, { executionArn: arn }).resolves({
        events: history([
          { type: "ExecutionStarted" },
          entered("CheckFile"),
          exited("CheckFile"),
          entered("Done", "Succeed"),
          exited("Done", "{}", "Succeed"),
          { type: "ExecutionSucceeded", executionSucceededEventDetails: { output: "{}" } },
        ]),
      });
      const result = await aws("run", "run-job", "--input", '{"day":"2024-03-01"}');
      assert.deepEqual(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input), [
        { stateMachineArn: OUTPUTS.stateMachineArns["run-job"], input: '{"day":"2024-03-01"}' },
      ]);
      assert.equal(result.exitCode, 0, result.lines.join("\n"));
      assert.match(result.lines.join("\n"), /✓ CheckFile/);
      assert.match(result.lines[result.lines.length - 1], /^✓ SUCCEEDED in 5\.0s$/);
    });

    it("exits 1 and names the failed state and the reason when the execution FAILED", async function () {
      const arn = EXECUTION("request-response-3f1a", "e2");
      const cause = JSON.stringify({ errorType: "ValidationFailed", errorMessage: "No output for Glue job run jr_1: manifest missing" });
      sfn.on(StartExecutionCommand).resolves({ executionArn: arn, startDate: new Date() });
      sfn.on(GetExecutionHistoryCommand).resolves({
        events: history([
          { type: "ExecutionStarted" },
          entered("Validate"),
          scheduled("invoke", {}),
          taskFailed("invoke", "ValidationFailed", cause),
          exited("Validate"),
          entered("OutputInvalid", "Fail"),
          { type: "ExecutionFailed", executionFailedEventDetails: { error: "OutputInvalid", cause } },
        ]),
      });
      const result = await aws("run", "request-response");
      assert.equal(result.exitCode, 1);
      assert.match(result.lines.join("\n"), /✗ Validate .*ValidationFailed: No output for Glue job run jr_1: manifest missing/);
      assert.match(result.lines[result.lines.length - 1], /^✗ FAILED at Validate in 6\.0s: OutputInvalid \(No output for Glue job run jr_1: manifest missing\)$/);
    });

    it("refuses an unknown machine (listing the stack's) and input that is not JSON, without calling AWS", async function () {
      assert.match(
        (await aws("run", "fire-and-forget")).error ?? "",
        /^No state machine named "fire-and-forget" on AWS stack .*; deployed state machines: \S+, \S+, \S+, \S+ \(the lab's pattern names request-response, run-job, wait-for-callback, event-driven-callback work too\)$/,
      );
      assert.match((await aws("run", "run-job", "--input", "{oops")).error ?? "", /--input is not valid JSON/);
      assert.equal(sfn.commandCalls(StartExecutionCommand).length, 0);
    });

    it("--no-wait prints the execution and does not read its history", async function () {
      sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION("run-job-9c2b", "e3"), startDate: new Date() });
      const result = await aws("run", "run-job", "--no-wait");
      assert.equal(result.exitCode, 0);
      assert.match(result.lines.join("\n"), /execution arn:aws:states:eu-west-1:123456789012:execution:run-job-9c2b:e3/);
      assert.equal(sfn.commandCalls(GetExecutionHistoryCommand).length, 0);
    });
  });

  describe("callbacks", function () {
    beforeEach(function () {
      sfn.on(ListExecutionsCommand).resolves({ executions: [] });
      sfn.on(ListExecutionsCommand, { stateMachineArn: OUTPUTS.stateMachineArns["wait-for-callback"], statusFilter: "RUNNING" }).resolves({
        executions: [{ executionArn: CALLBACK_EXECUTION, stateMachineArn: OUTPUTS.stateMachineArns["wait-for-callback"], name: "exec-1", status: "RUNNING", startDate: new Date() }],
      });
      sfn.on(GetExecutionHistoryCommand, { executionArn: CALLBACK_EXECUTION }).resolves({ events: pausedHistory(CALLBACK_EXECUTION) });
    });

    it("lists the paused task with a token preview, never the whole token", async function () {
      const result = await aws("callbacks");
      const text = result.lines.join("\n");
      assert.match(text, /1 paused callback task\(s\):/);
      assert.match(text, new RegExp(`${CALLBACK_EXECUTION}\\n    pattern wait-for-callback, state WaitForOperator, waiting .*, token ${TOKEN.slice(0, 8)}…\\(${TOKEN.length} chars\\)`));
      assert.ok(!text.includes(TOKEN), "the full token must not be printed");
      assert.equal(sfn.commandCalls(ListExecutionsCommand).length, Object.keys(OUTPUTS.stateMachineArns).length, "one ListExecutions per machine");
    });

    it("prints the whole token with --show-token", async function () {
      assert.ok((await aws("callbacks", "--show-token")).lines.join("\n").includes(`token ${TOKEN}`));
    });
  });

  describe("approve", function () {
    beforeEach(function () {
      sfn.on(GetExecutionHistoryCommand, { executionArn: CALLBACK_EXECUTION }).resolves({ events: pausedHistory(CALLBACK_EXECUTION) });
      sfn.on(SendTaskSuccessCommand).resolves({});
      jobWithSettings();
    });

    // pausedHistory: the execution starts at 10:00:00 and pauses at WaitForOperator (TaskScheduled) at 10:00:02.
    it("verifies the newest run started after the pause and its output, then sends the token from the history with {JobRunId}", async function () {
      glue.on(GetJobRunsCommand, { JobName: OUTPUTS.jobName }).resolves({
        JobRuns: [
          { Id: "jr_old", JobRunState: "FAILED", StartedOn: new Date("2026-01-01T10:05:00Z") },
          { Id: "jr_new", JobRunState: "SUCCEEDED", StartedOn: new Date("2026-01-01T10:30:00Z"), CompletedOn: new Date("2026-01-01T10:31:00Z") },
        ],
      });
      serveObjects(runObjects("jr_new"));
      const result = await aws("approve", CALLBACK_EXECUTION);
      assert.equal(result.error, undefined);
      assert.deepEqual(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input), [{ taskToken: TOKEN, output: '{"JobRunId":"jr_new"}' }]);
      assert.deepEqual(
        s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key),
        ["output/jr_new/_manifest.json", "output/jr_new/data.csv", "output/jr_new/rejects.csv"],
      );
      assert.match(result.lines.join("\n"), /Glue run jr_new SUCCEEDED and its output validates: 4 rows in, 2 kept, 1 filtered out, 1 rejected/);
      assert.match(result.lines[0], /^Glue run jr_new: the newest run started after the execution paused at WaitForOperator \(2026-01-01T10:00:02\.000Z\)$/);
    });

    it("by default never vouches for a run started before the execution paused, even when it is the newest", async function () {
      glue.on(GetJobRunsCommand).resolves({
        JobRuns: [
          { Id: "jr_before_start", JobRunState: "SUCCEEDED", StartedOn: new Date("2026-01-01T09:30:00Z") },
          { Id: "jr_before_pause", JobRunState: "SUCCEEDED", StartedOn: new Date("2026-01-01T10:00:01Z") },
        ],
      });
      const result = await aws("approve", CALLBACK_EXECUTION);
      assert.equal(result.exitCode, 1);
      assert.equal(
        result.error,
        `Not approved: no run of job ${OUTPUTS.jobName} started after the execution paused at WaitForOperator (2026-01-01T10:00:02.000Z); ` +
          "the newest, jr_before_pause, started 2026-01-01T10:00:01.000Z. Start one with `sfn-lab etl start`, or name one with --run ID",
      );
      assert.equal(sfn.commandCalls(SendTaskSuccessCommand).length, 0);
    });

    it("--run names a run started after the execution but before its pause, and the output says it was named", async function () {
      glue.on(GetJobRunCommand, { JobName: OUTPUTS.jobName, RunId: "jr_between" }).resolves({
        JobRun: { Id: "jr_between", JobRunState: "SUCCEEDED", StartedOn: new Date("2026-01-01T10:00:01Z") },
      });
      serveObjects(runObjects("jr_between"));
      const result = await aws("approve", CALLBACK_EXECUTION, "--run", "jr_between");
      assert.equal(result.error, undefined);
      assert.equal(result.lines[0], "Glue run jr_between: named with --run");
      assert.deepEqual(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input, { taskToken: TOKEN, output: '{"JobRunId":"jr_between"}' });
    });

    it("--run refuses a run older than the execution, with or without --no-verify", async function () {
      glue.on(GetJobRunCommand, { JobName: OUTPUTS.jobName, RunId: "jr_old" }).resolves({
        JobRun: { Id: "jr_old", JobRunState: "SUCCEEDED", StartedOn: new Date("2026-01-01T09:59:59Z") },
      });
      const expected =
        "Not approved: Glue run jr_old started at 2026-01-01T09:59:59.000Z, before execution " +
        `${CALLBACK_EXECUTION} started (2026-01-01T10:00:00.000Z), so it cannot be the run this execution waits for`;
      assert.equal((await aws("approve", CALLBACK_EXECUTION, "--run", "jr_old")).error, expected);
      assert.equal((await aws("approve", CALLBACK_EXECUTION, "--no-verify", "--run", "jr_old")).error, expected);
      assert.equal(sfn.commandCalls(SendTaskSuccessCommand).length, 0);
      assert.equal(s3.commandCalls(GetObjectCommand).length, 0);
    });

    it("refuses, with the run's error, when the newest run FAILED", async function () {
      glue.on(GetJobRunsCommand).resolves({
        JobRuns: [
          { Id: "jr_good", JobRunState: "SUCCEEDED", StartedOn: new Date("2026-01-01T10:05:00Z") },
          { Id: "jr_bad", JobRunState: "FAILED", StartedOn: new Date("2026-01-01T10:30:00Z"), ErrorMessage: "UnicodeDecodeError: invalid start byte" },
        ],
      });
      const result = await aws("approve", CALLBACK_EXECUTION);
      assert.equal(result.exitCode, 1);
      assert.equal(result.error, `Not approved: Glue run jr_bad of job ${OUTPUTS.jobName} is FAILED, not SUCCEEDED: UnicodeDecodeError: invalid start byte`);
      assert.equal(sfn.commandCalls(SendTaskSuccessCommand).length, 0);
      assert.equal(s3.commandCalls(GetObjectCommand).length, 0);
    });

    it("refuses when the run's counts do not add up", async function () {
      glue.on(GetJobRunsCommand).resolves({ JobRuns: [{ Id: "jr_new", JobRunState: "SUCCEEDED", StartedOn: new Date() }] });
      serveObjects(runObjects("jr_new", { manifest: { input_rows: 5 } }));
      const result = await aws("approve", CALLBACK_EXECUTION);
      assert.match(result.error ?? "", /^Not approved: the output of Glue run jr_new does not validate: ValidationFailed: .*counts do not add up: input_rows 5 != kept 2 \+ filtered_out 1 \+ rejected 1/);
      assert.equal(sfn.commandCalls(SendTaskSuccessCommand).length, 0);
    });

    it("checks the run named by --job-run with GetJobRun", async function () {
      glue.on(GetJobRunCommand, { JobName: OUTPUTS.jobName, RunId: "jr_new" }).resolves({
        JobRun: { Id: "jr_new", JobRunState: "SUCCEEDED", StartedOn: new Date("2026-01-01T10:10:00Z") },
      });
      serveObjects(runObjects("jr_new"));
      await aws("approve", CALLBACK_EXECUTION, "--job-run", "jr_new");
      assert.equal(glue.commandCalls(GetJobRunsCommand).length, 0);
      assert.deepEqual(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input, { taskToken: TOKEN, output: '{"JobRunId":"jr_new"}' });
    });

    it("--no-verify sends the token without reading the run's output, only its start time (GetJobRun)", async function () {
      glue.on(GetJobRunCommand, { JobName: OUTPUTS.jobName, RunId: "jr_any" }).resolves({
        JobRun: { Id: "jr_any", JobRunState: "RUNNING", StartedOn: new Date("2026-01-01T10:10:00Z") },
      });
      await aws("approve", CALLBACK_EXECUTION, "--no-verify", "--job-run", "jr_any");
      assert.deepEqual(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input, { taskToken: TOKEN, output: '{"JobRunId":"jr_any"}' });
      assert.equal(s3.commandCalls(GetObjectCommand).length, 0);
      assert.deepEqual(glue.calls().map((c) => c.args[0].constructor.name), ["GetJobRunCommand"]);
    });

    it("--output sends that document as the task's result, touching no Glue run; it excludes --run and must be JSON", async function () {
      const result = await aws("approve", CALLBACK_EXECUTION, "--output", '{"approved":true}');
      assert.equal(result.error, undefined);
      assert.deepEqual(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input, { taskToken: TOKEN, output: '{"approved":true}' });
      assert.equal(glue.calls().length, 0);
      assert.match(result.lines[0], /^✓ SendTaskSuccess \{"approved":true\} sent to \S+ \(paused at WaitForOperator\)$/);
      assert.match((await aws("approve", CALLBACK_EXECUTION, "--output", "{}", "--run", "jr_1")).error ?? "", /--output and --run exclude each other/);
      assert.match((await aws("approve", CALLBACK_EXECUTION, "--output", "{nope")).error ?? "", /--output is not valid JSON/);
      assert.equal(sfn.commandCalls(SendTaskSuccessCommand).length, 1);
    });

    it("refuses an execution that is not paused on a callback", async function () {
      const done = EXECUTION("wait-for-callback-77de", "done");
      sfn.on(GetExecutionHistoryCommand, { executionArn: done }).resolves({
        events: history([{ type: "ExecutionStarted" }, { type: "ExecutionSucceeded", executionSucceededEventDetails: { output: "{}" } }]),
      });
      const result = await aws("approve", done, "--no-verify", "--job-run", "jr_1");
      assert.equal(result.error, `Execution ${done} is SUCCEEDED; there is no task to send a result to`);
      assert.equal(sfn.commandCalls(SendTaskSuccessCommand).length, 0);
    });
  });

  describe("reject", function () {
    it("sends SendTaskFailure with the error, the cause and the token from the history", async function () {
      sfn.on(GetExecutionHistoryCommand).resolves({ events: pausedHistory(CALLBACK_EXECUTION) });
      sfn.on(SendTaskFailureCommand).resolves({});
      const result = await aws("reject", CALLBACK_EXECUTION, "--error", "OutputRejected", "--cause", "row counts are off");
      assert.equal(result.error, undefined);
      assert.deepEqual(sfn.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input), [
        { taskToken: TOKEN, error: "OutputRejected", cause: "row counts are off" },
      ]);
    });

    it("requires --error and --cause", async function () {
      const result = await aws("reject", CALLBACK_EXECUTION, "--error", "OutputRejected");
      assert.match(result.error ?? "", /required option '--cause <text>' not specified/);
      assert.equal(sfn.commandCalls(SendTaskFailureCommand).length, 0);
    });
  });

  describe("etl", function () {
    it("start runs the job and prints the run id", async function () {
      glue.on(StartJobRunCommand, { JobName: OUTPUTS.jobName }).resolves({ JobRunId: "jr_started" });
      const result = await aws("etl", "start");
      assert.deepEqual(result.lines, ["jr_started"]);
      assert.deepEqual(glue.commandCalls(StartJobRunCommand)[0].args[0].input, { JobName: OUTPUTS.jobName });
    });

    it("status shows a run's state, duration and error", async function () {
      glue.on(GetJobRunCommand, { JobName: OUTPUTS.jobName, RunId: "jr_x" }).resolves({
        JobRun: { Id: "jr_x", JobRunState: "FAILED", StartedOn: new Date("2026-01-01T10:00:00Z"), CompletedOn: new Date("2026-01-01T10:00:42Z"), ErrorMessage: "boom" },
      });
      const result = await aws("etl", "status", "jr_x");
      assert.deepEqual(result.lines, ["jr_x  FAILED     started 2026-01-01T10:00:00.000Z  42.0s  boom"]);
    });

    it("status without a run id lists the newest runs first", async function () {
      glue.on(GetJobRunsCommand).resolves({
        JobRuns: [
          { Id: "jr_a", JobRunState: "SUCCEEDED", StartedOn: new Date("2026-01-01T10:00:00Z") },
          { Id: "jr_b", JobRunState: "RUNNING", StartedOn: new Date("2026-01-01T11:00:00Z") },
        ],
      });
      const result = await aws("etl", "status");
      assert.deepEqual(result.lines.map((l) => l.split(" ")[0]), ["jr_b", "jr_a"]);
    });
  });

  it("watch follows an execution named by its ARN and reports how it ended", async function () {
    const arn = EXECUTION("run-job-9c2b", "w1");
    sfn.on(GetExecutionHistoryCommand, { executionArn: arn }).resolves({
      events: history([
        { type: "ExecutionStarted" },
        entered("StartEtl"),
        scheduled("startJobRun.sync", { JobName: OUTPUTS.jobName }, "glue"),
        taskSucceeded("startJobRun.sync", { Id: "jr_1", JobRunState: "SUCCEEDED" }, "glue"),
        exited("StartEtl"),
        { type: "ExecutionAborted", executionAbortedEventDetails: { error: "Stopped", cause: "by the operator" } },
      ]),
    });
    const result = await aws("watch", arn);
    assert.equal(result.exitCode, 1);
    assert.match(result.lines.join("\n"), /✓ StartEtl +3\.0s/);
    assert.match(result.lines[result.lines.length - 1], /^✗ ABORTED at StartEtl in 5\.0s: Stopped \(by the operator\)$/);
  });
});
