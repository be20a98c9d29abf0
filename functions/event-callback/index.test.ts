import assert from "node:assert/strict";
import { GetJobRunCommand, GlueClient } from "@aws-sdk/client-glue";
import { GetObjectCommand, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, TaskTimedOut } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { createLogger } from "../shared/logger";
import { captureOutput } from "../shared/testing";
import { createEventCallbackHandler, type GlueJobStateChangeEvent } from "./index";

const JOB = "lab-etl";
const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAb1c2Vy" + "x".repeat(300);
const ENV = {
  ETL_JOB_NAME: JOB,
  OUTPUT_BUCKET: "lab-data",
  OUTPUT_PREFIX: "output",
  SCHEMA_JSON: JSON.stringify([{ name: "amount", type: "decimal" }]),
  FILTER_JSON: JSON.stringify({ column: "amount", operator: "ge", value: "100" }),
};

/** A Glue Job State Change event as "Automating AWS Glue with EventBridge" shows it. */
function event(state: string, jobName = JOB): GlueJobStateChangeEvent {
  return { source: "aws.glue", "detail-type": "Glue Job State Change", detail: { jobName, state, jobRunId: "jr_1" } } as GlueJobStateChangeEvent;
}

describe("event-callback handler", () => {
  // Installed for this suite only, so other suites in the same process keep real clients.
  const mocks = () => ({ glue: mockClient(GlueClient), sfn: mockClient(SFNClient), s3: mockClient(S3Client) });
  let glue: ReturnType<typeof mocks>["glue"];
  let sfn: ReturnType<typeof mocks>["sfn"];
  let s3: ReturnType<typeof mocks>["s3"];
  before(() => {
    ({ glue, sfn, s3 } = mocks());
  });
  after(() => [glue, sfn, s3].forEach((m) => m.restore()));
  beforeEach(() => [glue, sfn, s3].forEach((m) => m.reset()));

  const handler = createEventCallbackHandler({ glue: new GlueClient({}), sfn: new SFNClient({}), s3: new S3Client({}), logger: createLogger("event-callback-test", { logLevel: "SILENT" }), env: ENV });
  const run = (state: string, args: Record<string, string> = { "--task_token": TOKEN }, errorMessage?: string) =>
    glue.on(GetJobRunCommand, { JobName: JOB, RunId: "jr_1" }).resolves({ JobRun: { Id: "jr_1", JobName: JOB, JobRunState: state as never, Arguments: args, ErrorMessage: errorMessage, ExecutionTime: 7 } });

  it("a FAILED run: SendTaskFailure with GlueJobRun.FAILED and the run's error in the cause", async () => {
    run("FAILED", undefined, "ValueError: bad header");
    sfn.on(SendTaskFailureCommand).resolves({});
    assert.deepEqual(await handler(event("FAILED")), {
      jobRunId: "jr_1",
      sent: "SendTaskFailure",
      error: "GlueJobRun.FAILED",
      reason: "Glue run jr_1 of job lab-etl is FAILED, not SUCCEEDED: ValueError: bad header",
    });
    assert.deepEqual(sfn.commandCalls(SendTaskFailureCommand)[0].args[0].input, { taskToken: TOKEN, error: "GlueJobRun.FAILED", cause: "Glue run jr_1 of job lab-etl is FAILED, not SUCCEEDED: ValueError: bad header" });
    assert.equal(sfn.commandCalls(SendTaskSuccessCommand).length, 0);
  });

  it("a SUCCEEDED run whose output does not validate (no manifest): SendTaskFailure ValidationFailed, as approve refuses it", async () => {
    run("SUCCEEDED");
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: "no such key", $metadata: {} }));
    sfn.on(SendTaskFailureCommand).resolves({});
    const result = await handler(event("SUCCEEDED"));
    assert.equal(result.sent, "SendTaskFailure");
    assert.equal(result.error, "ValidationFailed");
    assert.match(result.reason ?? "", /^the output of Glue run jr_1 does not validate: ValidationFailed: No output for Glue job run jr_1: s3:\/\/lab-data\/output\/jr_1\/_manifest\.json does not exist/);
  });

  it("a token Step Functions no longer accepts (TaskTimedOut): nothing sent, the reason returned, no error for Lambda to retry", async () => {
    run("STOPPED");
    sfn.on(SendTaskFailureCommand).rejects(new TaskTimedOut({ message: "Task Timed Out: 'Provided task does not exist anymore'", $metadata: {} }));
    const result = await handler(event("STOPPED"));
    assert.deepEqual([result.sent, result.reason], ["nothing", "TaskTimedOut: Task Timed Out: 'Provided task does not exist anymore'"]);
  });

  it("a run started without a token (an operator's run): nothing to send", async () => {
    run("SUCCEEDED", {});
    assert.deepEqual(await handler(event("SUCCEEDED")), { jobRunId: "jr_1", sent: "nothing", reason: "run jr_1 has no --task_token argument" });
    assert.equal(sfn.calls().length, 0);
  });

  it("refuses an event that is not this job's Glue Job State Change with InvalidEvent, naming the fix", async () => {
    const other = await captureOutput(() => handler(event("SUCCEEDED", "other-job")));
    assert.equal((other.error as Error).name, "InvalidEvent");
    assert.match((other.error as Error).message, /serves job lab-etl; narrow the rule's pattern to detail.jobName/);
    const notGlue = await captureOutput(() => handler({ source: "lab.app", "detail-type": "x", detail: {} } as GlueJobStateChangeEvent));
    assert.match((notGlue.error as Error).message, /expected a "Glue Job State Change" event from aws.glue/);
    assert.equal(glue.calls().length, 0);
  });
});
