import { strict as assert } from "node:assert";
import { StartJobRunCommand } from "@aws-sdk/client-glue";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CliError } from "../../cli/errors";
import { approveExecution, rejectExecution } from "../../cli/ops/approve";
import { listPausedTasks } from "../../cli/ops/callbacks";
import { startJobRun, waitForJobRun } from "../../cli/ops/etl";
import { startPattern } from "../../cli/ops/executions";
import { followExecution } from "../../cli/ops/follow";
import type { ExecutionView } from "../../cli/ops/history";
import { startInProcess, targetFromConnection } from "../../cli/targets/sandbox";
import type { Target } from "../../cli/targets/target";
import type { Sandbox } from "../../sandbox";
import { sharedProgramModel } from "../../sandbox/testing/shared-program-model";

/** The operator's commands on a sandbox: list paused tasks, approve (verified or refused), reject. */
describe("operator commands in the sandbox", function () {
  this.timeout(120_000);
  const rootDir = mkdtempSync(path.join(tmpdir(), "sfn-lab-operator-"));
  let sandbox: Sandbox;
  let target: Target;

  before(async function () {
    sandbox = await startInProcess({ model: await sharedProgramModel({ stack: "dev" }), rootDir, writeConnectionFile: false, glueStartupDelayMs: 20, syncPollDelayMs: 20 });
    target = targetFromConnection(sandbox.connection(), "test sandbox");
  });

  after(async function () {
    await target?.close();
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  async function pausedExecution(): Promise<string> {
    const arn = await startPattern(target, "wait-for-callback");
    const view = await followExecution(target, arn, {}, { until: (v) => v.pendingCallback !== undefined, timeoutMs: 30_000 });
    assert.ok(view.pendingCallback?.token, "the execution pauses with its token in the history");
    return arn;
  }

  const finish = (arn: string): Promise<ExecutionView> => followExecution(target, arn, {}, { timeoutMs: 60_000 });

  it("lists a paused execution with the token from its history, and refuses to approve while the job has no run", async function () {
    const arn = await pausedExecution();
    const paused = await listPausedTasks(target);
    assert.deepEqual(
      paused.map((p) => [p.executionArn, p.pattern, p.state]),
      [[arn, "wait-for-callback", "WaitForOperator"]],
    );
    assert.match(paused[0].token ?? "", /^\S{20,}$/);
    await assert.rejects(
      approveExecution(target, arn, { verify: true }),
      (error: unknown) => error instanceof CliError && /^Not approved: job \S+ has no runs; start one with `sfn-lab etl start`$/.test(error.message),
    );
    await rejectExecution(target, arn, "Cleanup", "end of the first test");
    assert.equal((await finish(arn)).status, "FAILED");
  });

  it("reject: SendTaskFailure fails the execution at WaitForOperator with the operator's error and cause", async function () {
    const arn = await pausedExecution();
    await rejectExecution(target, arn, "OutputRejected", "counts look wrong to me");
    const view = await finish(arn);
    assert.equal(view.status, "FAILED");
    assert.equal(view.failedState, "WaitForOperator");
    assert.equal(view.error, "OperatorRejected");
    assert.match(view.cause ?? "", /counts look wrong to me/);
    assert.deepEqual(await listPausedTasks(target), []);
  });

  it("approve refuses when the newest run FAILED, naming the run's error", async function () {
    const arn = await pausedExecution();
    const started = await target.glue.send(
      new StartJobRunCommand({ JobName: target.outputs.jobName, Arguments: { "--source_key": "input/no-such-file.csv" } }),
    );
    const run = await waitForJobRun(target, started.JobRunId as string);
    assert.equal(run.JobRunState, "FAILED");
    await assert.rejects(
      approveExecution(target, arn, { verify: true }),
      (error: unknown) =>
        error instanceof CliError &&
        error.message.startsWith(`Not approved: Glue run ${started.JobRunId} of job ${target.outputs.jobName} is FAILED, not SUCCEEDED: `),
    );
    assert.equal((await listPausedTasks(target)).length, 1, "the task is still paused");
    await rejectExecution(target, arn, "Cleanup", "end of the test");
    await finish(arn);
  });

  it("approve: verifies the newest run and its output, sends {JobRunId}, and Validate proves the same run", async function () {
    const arn = await pausedExecution();
    const runId = await startJobRun(target);
    assert.equal((await waitForJobRun(target, runId)).JobRunState, "SUCCEEDED");
    const approval = await approveExecution(target, arn, { verify: true });
    assert.equal(approval.jobRunId, runId);
    const result = approval.verification?.result;
    assert.ok(result && result.inputRows === result.kept + result.filteredOut + result.rejected && result.kept > 0);
    const view = await finish(arn);
    assert.equal(view.status, "SUCCEEDED");
    const output = JSON.parse(view.output ?? "{}") as { etl: { JobRunId: string }; validation: { report: { jobRunId: string; kept: number } } };
    assert.equal(output.etl.JobRunId, runId, "the machine received the run id the operator vouched for");
    assert.equal(output.validation.report.jobRunId, runId);
    assert.equal(output.validation.report.kept, result?.kept);
  });
});
