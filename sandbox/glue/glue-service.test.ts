import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AccessDeniedError, AwsServiceError } from "../aws-error";
import { Authorizer } from "../iam/authorizer";
import { ModelPolicyStore } from "../iam/policy-store";
import { PrincipalDirectory } from "../iam/principals";
import { glueJobs } from "../model-view";
import type { ProgramModel } from "../program-model";
import { S3Service } from "../s3/s3-service";
import { seedS3 } from "../s3/seed";
import { ACCOUNT, arn, BUCKET, fixtureModel, JOB_NAME, REGION, withoutStatement } from "../testing/fixture-model";
import { GlueService, type JobRun, type JobRunState } from "./glue-service";

/** A Glue service over its own S3, for one model. */
async function startGlue(model: ProgramModel, principals: PrincipalDirectory, options: { timeScale?: number; startupDelayMs?: number } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "sandbox-glue-"));
  const authorizer = new Authorizer(ACCOUNT, new ModelPolicyStore(model));
  const s3 = await S3Service.start({ directory: path.join(dir, "s3"), port: 0, treatLoopbackAsTls: true }, principals, authorizer);
  await seedS3(s3.internalEndpoint, model);
  const glue = new GlueService(
    glueJobs(model),
    {
      region: REGION,
      accountId: ACCOUNT,
      startupDelayMs: options.startupDelayMs ?? 20,
      timeScale: options.timeScale ?? 1,
      workDir: path.join(dir, "runs"),
      logDir: path.join(dir, "logs"),
      runtimeLibDir: path.join(__dirname, "runtime"),
      python: "python3",
      s3Endpoint: () => s3.endpoint,
      endpointEnv: () => ({}),
    },
    principals,
    authorizer,
  );
  return {
    s3,
    glue,
    async stop() {
      await glue.reset();
      await s3.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("sandbox Glue", () => {
  const principals = new PrincipalDirectory(ACCOUNT);
  const runJob = principals.roleSession(arn.role("lab-run-job-role"), "exec").principal;
  const requestResponse = principals.roleSession(arn.role("lab-request-response-role"), "exec").principal;
  let env: Awaited<ReturnType<typeof startGlue>>;

  before(async () => {
    env = await startGlue(fixtureModel(), principals);
  });
  after(async () => env?.stop());

  it("runs the job's script from S3 with python3: STARTING -> RUNNING -> SUCCEEDED, output written", async () => {
    const states: JobRunState[] = [];
    const unsubscribe = env.glue.onRunChange((run) => states.push(run.JobRunState));
    const { JobRunId } = await env.glue.startJobRun(runJob, { JobName: JOB_NAME, Arguments: { "--sleep_seconds": "0.1" } });
    assert.match(JobRunId, /^jr_[0-9a-f]{64}$/);
    const finished = await env.glue.whenFinished(JobRunId);
    unsubscribe();
    assert.equal(finished.JobRunState, "SUCCEEDED", finished.ErrorMessage);
    assert.deepEqual(states, ["STARTING", "RUNNING", "SUCCEEDED"]);
    assert.deepEqual(finished.Arguments, { "--sleep_seconds": "0.1" });
    assert.equal(finished.Timeout, 10);
    const run = await env.glue.getJobRun(runJob, JOB_NAME, JobRunId);
    assert.ok(run.CompletedOn instanceof Date);
    const s3 = new S3Client({ region: REGION, endpoint: env.s3.endpoint, credentials: principals.operator().credentials });
    const manifest = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `output/${JobRunId}/_manifest.json` }));
    assert.deepEqual(JSON.parse((await manifest.Body?.transformToString()) ?? ""), { job_run_id: JobRunId, input_rows: 3 });
  });

  it("fails a run whose script fails, with the last line of its stderr as ErrorMessage", async () => {
    const { JobRunId } = await env.glue.startJobRun(runJob, { JobName: JOB_NAME, Arguments: { "--fail_message": "bad encoding in row 7" } });
    const run = await env.glue.whenFinished(JobRunId);
    assert.equal(run.JobRunState, "FAILED");
    assert.equal(run.ErrorMessage, "ValueError: bad encoding in row 7");
  });

  it("refuses runs past max concurrent runs, and stops a run with BatchStopJobRun", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await env.glue.startJobRun(runJob, { JobName: JOB_NAME, Arguments: { "--sleep_seconds": "30" } })).JobRunId);
    await assert.rejects(env.glue.startJobRun(runJob, { JobName: JOB_NAME }), (e: unknown) => e instanceof AwsServiceError && e.code === "ConcurrentRunsExceededException");
    const stopped = await env.glue.batchStopJobRun(runJob, JOB_NAME, [...ids, "jr_unknown"]);
    assert.equal(stopped.SuccessfulSubmissions.length, 3);
    assert.equal(stopped.Errors[0].ErrorDetail.ErrorCode, "EntityNotFoundException");
    const runs = await Promise.all(ids.map((id) => env.glue.whenFinished(id)));
    assert.deepEqual(runs.map((r) => r.JobRunState), ["STOPPED", "STOPPED", "STOPPED"]);
    const listed = await env.glue.getJobRuns(runJob, JOB_NAME);
    assert.equal(listed.JobRuns[0].Id, ids[2], "newest first");
  });

  it("a run a trigger starts past max concurrent runs is recorded FAILED, not refused; it carries the trigger's name", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(env.glue.startRunForTrigger({ JobName: JOB_NAME, Arguments: { "--sleep_seconds": "30" }, TriggerName: "nightly" }));
    // "AWS Glue job run statuses": FAILED, "The job exceeded its maximum allowed concurrent runs".
    const over = await env.glue.whenFinished(env.glue.startRunForTrigger({ JobName: JOB_NAME, TriggerName: "nightly" }));
    assert.equal(over.JobRunState, "FAILED");
    assert.match(over.ErrorMessage ?? "", /Concurrent runs exceeded for lab-etl-job/);
    assert.equal(over.TriggerName, "nightly");
    for (const id of ids) env.glue.stopRunForTrigger(id);
    const runs = await Promise.all(ids.map((id) => env.glue.whenFinished(id)));
    assert.deepEqual(runs.map((r) => [r.JobRunState, r.TriggerName]), [["STOPPED", "nightly"], ["STOPPED", "nightly"], ["STOPPED", "nightly"]]);
  });

  it("authorizes each call against the caller", async () => {
    await assert.rejects(env.glue.getJobRun(requestResponse, JOB_NAME, "jr_x"), (e: unknown) => e instanceof AccessDeniedError && /glue:GetJobRun/.test(e.message));
    await assert.rejects(env.glue.startJobRun(runJob, { JobName: "nope" }), (e: unknown) => e instanceof AwsServiceError && e.code === "EntityNotFoundException");
  });

  it("times a run out at the job's timeout (scaled) with TIMEOUT", async () => {
    const scaled = await startGlue(fixtureModel(), principals, { timeScale: 0.001 }); // 10 minutes -> 600 ms
    try {
      const { JobRunId } = await scaled.glue.startJobRun(runJob, { JobName: JOB_NAME, Arguments: { "--sleep_seconds": "30" } });
      const run: JobRun = await scaled.glue.whenFinished(JobRunId);
      assert.equal(run.JobRunState, "TIMEOUT");
      assert.match(run.ErrorMessage ?? "", /timed out/);
    } finally {
      await scaled.stop();
    }
  });

  it("fails a run whose role may not read the script, as Glue does", async () => {
    const denied = await startGlue(withoutStatement(fixtureModel(), "glue-data-access", "ReadScripts"), principals);
    try {
      const { JobRunId } = await denied.glue.startJobRun(runJob, { JobName: JOB_NAME });
      const run = await denied.glue.whenFinished(JobRunId);
      assert.equal(run.JobRunState, "FAILED");
      assert.match(run.ErrorMessage ?? "", /Failed to download s3:\/\/.*glue_job.py: AccessDenied: User: .*lab-glue-role\/GlueJobRunnerSession is not authorized to perform: s3:GetObject/);
    } finally {
      await denied.stop();
    }
  });
});
