import { GetJobRunCommand, GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";
import { DescribeExecutionCommand, SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox, type SandboxOptions } from "./index";
import { sharedProgramModel } from "./testing/shared-program-model";
import type { ProgramModel } from "./program-model";
import { withoutPolicyAction } from "./testing/fixture-model";
import { history, lastTaskFailure, waitForExecution, waitForTaskToken } from "./testing/sfn-helpers";

type Pattern = "request-response" | "run-job" | "wait-for-callback";

interface LabOutputs {
  stateMachineArns: Record<Pattern, string>;
  jobName: string;
  bucketName: string;
  dataKey: string;
}

/** The real program, evaluated under mocks, deployed into a sandbox with delays scaled down. */
async function startLab(model: ProgramModel, options: SandboxOptions = {}) {
  const rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-lab-"));
  const sandbox = await Sandbox.start(model, { rootDir, timeScale: 0.05, glue: { startupDelayMs: 30 }, sfn: { syncPollIntervalMs: 40 }, ...options });
  const outputs = model.outputs as unknown as LabOutputs;
  const sfn = new SFNClient(sandbox.clientConfig("sfn"));
  const glue = new GlueClient(sandbox.clientConfig("glue"));
  return {
    sandbox,
    sfn,
    glue,
    outputs,
    async run(pattern: Pattern, input: unknown = {}) {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: outputs.stateMachineArns[pattern], input: JSON.stringify(input) }));
      return executionArn as string;
    },
    /** The ETL job started outside the state machine, as the operator does in the callback pattern. */
    async runEtl(): Promise<string> {
      const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: outputs.jobName }));
      for (;;) {
        const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: outputs.jobName, RunId: JobRunId }));
        if (JobRun?.JobRunState === "SUCCEEDED") return JobRunId as string;
        if (["FAILED", "STOPPED", "TIMEOUT"].includes(JobRun?.JobRunState ?? "")) throw new Error(`ETL run ${JobRun?.JobRunState}: ${JobRun?.ErrorMessage}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async stop() {
      await sandbox.stop();
      rmSync(rootDir, { recursive: true, force: true });
    },
  };
}

describe("the lab program in the sandbox", function () {
  this.timeout(120_000);
  let model: ProgramModel;
  let lab: Awaited<ReturnType<typeof startLab>>;

  before(async () => {
    model = await sharedProgramModel({ stack: "dev" });
    lab = await startLab(structuredClone(model));
  });
  after(async () => lab?.stop());

  it("request-response ends FAILED at validation: the job had not written its output yet", async () => {
    const done = await waitForExecution(lab.sfn, await lab.run("request-response"));
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "OutputInvalid");
    const failure = lastTaskFailure(await history(lab.sfn, done.executionArn as string));
    assert.deepEqual([failure.state, failure.error], ["Validate", "ValidationFailed"]);
  });

  it("run-job waits for the Glue run and SUCCEEDS", async () => {
    const done = await waitForExecution(lab.sfn, await lab.run("run-job"));
    assert.equal(done.status, "SUCCEEDED", `${done.error}: ${done.cause}`);
    const output = JSON.parse(done.output ?? "{}");
    assert.equal(output.etl.JobRunState, "SUCCEEDED");
  });

  it("wait-for-callback pauses with its token in the history; approve after the ETL ran -> SUCCEEDED", async () => {
    const executionArn = await lab.run("wait-for-callback");
    const token = await waitForTaskToken(lab.sfn, executionArn);
    const jobRunId = await lab.runEtl();
    assert.equal((await lab.sfn.send(new DescribeExecutionCommand({ executionArn }))).status, "RUNNING");
    await lab.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ JobRunId: jobRunId }) }));
    const done = await waitForExecution(lab.sfn, executionArn);
    assert.equal(done.status, "SUCCEEDED", `${done.error}: ${done.cause}`);
    await assert.rejects(lab.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })), (e: Error) => e.name === "TaskTimedOut");
  });

  it("wait-for-callback: reject -> FAILED with the operator's reason; a wrong token gets InvalidToken", async () => {
    const executionArn = await lab.run("wait-for-callback");
    const token = await waitForTaskToken(lab.sfn, executionArn);
    await assert.rejects(lab.sfn.send(new SendTaskSuccessCommand({ taskToken: `${token.slice(0, -4)}AAAA`, output: "{}" })), (e: Error) => e.name === "InvalidToken");
    await lab.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "OutputRejected", cause: "row counts differ" }));
    const done = await waitForExecution(lab.sfn, executionArn);
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "OperatorRejected");
    assert.equal(done.cause, "row counts differ");
  });

  it("a failing Glue run fails run-job at StartEtl with States.TaskFailed and the job's own error message", async () => {
    const broken = structuredClone(model);
    const job = broken.resources.find((r) => r.type === "aws:glue/job:Job");
    if (!job) throw new Error("the program has no Glue job");
    const args = { ...(job.inputs.defaultArguments as Record<string, string>), "--filter": '{"column":"no_such_column","operator":"eq","value":"1"}' };
    job.inputs = { ...job.inputs, defaultArguments: args };
    job.state = { ...job.state, defaultArguments: args };
    const env = await startLab(broken);
    try {
      const done = await waitForExecution(env.sfn, await env.run("run-job"));
      assert.equal(done.status, "FAILED");
      assert.equal(done.error, "EtlFailed");
      const failure = lastTaskFailure(await history(env.sfn, done.executionArn as string));
      assert.deepEqual([failure.state, failure.error], ["StartEtl", "States.TaskFailed"]);
      const run = JSON.parse(failure.cause ?? "{}");
      assert.equal(run.JobRunState, "FAILED");
      assert.match(run.ErrorMessage, /no_such_column/);
      assert.match(done.cause ?? "", /no_such_column/);
    } finally {
      await env.stop();
    }
  });

  it("removing glue:StartJobRun from run-job's role turns StartEtl into AccessDenied", async () => {
    const env = await startLab(withoutPolicyAction(structuredClone(model), "run-job-tasks", "glue:StartJobRun"));
    try {
      const done = await waitForExecution(env.sfn, await env.run("run-job"));
      assert.equal(done.status, "FAILED");
      const failure = lastTaskFailure(await history(env.sfn, done.executionArn as string));
      assert.equal(failure.state, "StartEtl");
      assert.equal(failure.error, "Glue.AccessDeniedException");
      assert.match(failure.cause ?? "", /assumed-role\/run-job-role-[0-9a-f]+\/\w+ is not authorized to perform: glue:StartJobRun on resource: arn:aws:glue:us-east-1:123456789012:job\//);
    } finally {
      await env.stop();
    }
  });

  it("a callback without a heartbeat times out with States.HeartbeatTimeout", async () => {
    // HeartbeatSeconds 3600 -> 1.8 s; the callback's own timeout (86400 s) -> 43 s.
    const env = await startLab(structuredClone(model), { timeScale: 0.0005 });
    try {
      const executionArn = await env.run("wait-for-callback");
      await waitForTaskToken(env.sfn, executionArn);
      const done = await waitForExecution(env.sfn, executionArn);
      assert.deepEqual([done.status, done.error], ["FAILED", "OperatorTimedOut"]);
      const failure = lastTaskFailure(await history(env.sfn, executionArn));
      assert.deepEqual([failure.state, failure.error], ["WaitForOperator", "States.HeartbeatTimeout"]);
    } finally {
      await env.stop();
    }
  });
});
