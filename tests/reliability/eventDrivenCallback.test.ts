import { BatchStopJobRunCommand, GetJobRunCommand } from "@aws-sdk/client-glue";
import { SendTaskFailureCommand, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { TASK_TOKEN_ARGUMENT } from "../../components/patterns";
import type { ProgramModel } from "../../sandbox/program-model";
import { sharedProgramModel } from "../../sandbox/testing/shared-program-model";
import { findResource, LabSandbox } from "./labSandbox";

/**
 * The fourth machine, event-driven-callback, end to end in the sandbox: StartEtl starts the Glue run with
 * aws-sdk:glue:startJobRun.waitForTaskToken and the task token as the job argument --task_token; Glue's
 * "Glue Job State Change" event reaches the program's EventBridge rule, whose target (event-callback,
 * allowed by its aws.lambda.Permission) reads the run, verifies it and sends the token back.
 */
describe("event-driven-callback end to end (sandbox)", function () {
  this.timeout(90_000);
  let model: ProgramModel;
  let lab: LabSandbox;

  before(async function () {
    this.timeout(90_000);
    model = await sharedProgramModel({ stack: "dev" });
    lab = await LabSandbox.start(structuredClone(model));
  });
  afterEach(async () => lab.reset());
  after(async () => lab?.stop());

  /** The token StartEtl passed, as Glue recorded it in the run's arguments. */
  async function tokenOfRun(runId: string): Promise<string> {
    const { JobRun } = await lab.glue.send(new GetJobRunCommand({ JobName: lab.outputs.jobName, RunId: runId }));
    const token = JobRun?.Arguments?.[TASK_TOKEN_ARGUMENT];
    if (!token) throw new Error(`run ${runId} has no ${TASK_TOKEN_ARGUMENT}`);
    return token;
  }

  it("[event-callback] succeeds: the run's SUCCEEDED event sends SendTaskSuccess with the run, then Validate proves the output", async () => {
    const finished = await lab.runToEnd("event-driven-callback");
    assert.equal(finished.description.status, "SUCCEEDED", `${finished.description.error}: ${finished.description.cause}`);
    const output = JSON.parse(finished.description.output ?? "{}") as { etl: { JobRunId: string; JobRunState: string }; validation: { report: { inputRows: number; kept: number } } };
    assert.equal(output.etl.JobRunState, "SUCCEEDED");
    assert.match(output.etl.JobRunId, /^jr_[0-9a-f]{64}$/);
    assert.equal(output.validation.report.inputRows, 2000);
    // The token in the run's arguments is the one Step Functions issued for StartEtl (TaskScheduled parameters).
    const scheduled = finished.events.find((e) => e.type === "TaskScheduled" && e.taskScheduledEventDetails?.resource === "startJobRun.waitForTaskToken");
    const parameters = JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? "{}") as { Arguments?: Record<string, string> };
    assert.equal(parameters.Arguments?.[TASK_TOKEN_ARGUMENT], await tokenOfRun(output.etl.JobRunId));
    // The callback came from the rule's delivery to event-callback, not from polling.
    await lab.sandbox.eventDeliveriesSettled();
    const delivery = lab.sandbox.eventDeliveries().find((d) => d.detailType === "Glue Job State Change");
    assert.equal(delivery?.status, "SUCCEEDED", JSON.stringify(delivery));
    assert.match(delivery?.targetArn ?? "", /:function:etl-lab-event-callback-/);
  });

  it("[event-callback] a failing Glue run reaches SendTaskFailure: the execution fails with the error and cause the function sent", async () => {
    // A data file the job cannot read (the wrong header) makes the run FAILED; check-file still finds the file.
    await lab.putObject(lab.outputs.dataKey, "not,the,orders,header\n1,2,3,4\n");
    const finished = await lab.runToEnd("event-driven-callback");
    assert.equal(finished.description.status, "FAILED");
    assert.deepEqual([finished.failure.state, finished.failure.error], ["StartEtl", "GlueJobRun.FAILED"]);
    assert.equal(finished.description.error, "GlueJobRun.FAILED");
    assert.match(finished.description.cause ?? "", new RegExp(`^Glue run jr_\\w+ of job ${lab.outputs.jobName} is FAILED, not SUCCEEDED: .+`));
    assert.equal(finished.description.cause, finished.failure.cause, "the execution's cause is the one SendTaskFailure carried");
  });

  it("[event-callback] a stopped run is STOPPED for the machine too (SendTaskFailure GlueJobRun.STOPPED)", async () => {
    const running = lab.whenAJobRunIs("RUNNING");
    const executionArn = await lab.run("event-driven-callback");
    const run = await running;
    await lab.glue.send(new BatchStopJobRunCommand({ JobName: lab.outputs.jobName, JobRunIds: [run.Id] }));
    const finished = await lab.finished(executionArn);
    assert.deepEqual([finished.description.status, finished.description.error], ["FAILED", "GlueJobRun.STOPPED"]);
  });

  it("[event-callback] a run that times out: Glue's TIMEOUT event fails the task with GlueJobRun.TIMEOUT", async () => {
    // The job's timeout made shorter than a run takes (0.05 min, scaled by the lab's timeScale).
    const timingOut = structuredClone(model);
    const job = findResource(timingOut, "aws:glue/job:Job", () => true, "the ETL job");
    job.state = { ...job.state, timeout: 0.05 };
    const short = await LabSandbox.start(timingOut);
    try {
      const finished = await short.runToEnd("event-driven-callback");
      assert.deepEqual([finished.description.status, finished.failure.state, finished.description.error], ["FAILED", "StartEtl", "GlueJobRun.TIMEOUT"]);
      assert.match(finished.description.cause ?? "", /is TIMEOUT, not SUCCEEDED: Job run timed out/);
    } finally {
      await short.stop();
    }
  });

  it("[event-callback] a token used twice: the second SendTaskSuccess is TaskTimedOut, a token never issued is InvalidToken", async () => {
    const finished = await lab.runToEnd("event-driven-callback");
    assert.equal(finished.description.status, "SUCCEEDED");
    const runId = (JSON.parse(finished.description.output ?? "{}") as { etl: { JobRunId: string } }).etl.JobRunId;
    const token = await tokenOfRun(runId);
    // SendTaskSuccess API reference: TaskTimedOut for a token whose task has closed; InvalidToken for one not valid.
    await assert.rejects(lab.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ JobRunId: runId }) })), (e: Error) => e.name === "TaskTimedOut");
    await assert.rejects(lab.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "Late" })), (e: Error) => e.name === "TaskTimedOut");
    await assert.rejects(lab.sfn.send(new SendTaskSuccessCommand({ taskToken: "not-a-token", output: "{}" })), (e: Error) => e.name === "InvalidToken");
  });
});
