/**
 * The Spark engine in the sandbox, end to end: the program deployed with etlEngine=spark, its glueetl job run for
 * real on pyspark (local mode, Java 17) by the run-job machine (.sync), reading and writing the sandbox's S3 with the
 * job role's credentials, and its output proven by validate-output.
 */
import { GetJobRunCommand, GetJobRunsCommand, GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SFNClient, StartExecutionCommand, DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../index";
import { loadProgramModel } from "../model";
import { glueJobs, stateMachines } from "../model-view";
import type { ProgramModel } from "../program-model";
import { withoutStatement } from "../testing/fixture-model";

async function startSpark(model: ProgramModel, timeScale = 1) {
  const machines = stateMachines(model);
  const rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-spark-"));
  const sandbox = await Sandbox.start(model, { rootDir, timeScale, glue: { startupDelayMs: 30 }, sfn: { syncPollIntervalMs: 200 } });
  return {
    sandbox,
    glue: new GlueClient(sandbox.clientConfig("glue")),
    sfn: new SFNClient(sandbox.clientConfig("sfn")),
    rootDir,
    jobName: glueJobs(model)[0].name,
    defaultArguments: glueJobs(model)[0].defaultArguments,
    s3: new S3Client(sandbox.clientConfig("s3")),
    runJobArn: machines.find((m) => m.logicalName === "run-job")!.arn,
    async stop() {
      await sandbox.stop();
      rmSync(rootDir, { recursive: true, force: true });
    },
  };
}

/** Processes whose working folder is under dir: a run's script and what it started (Spark's JVM, its workers). */
function processesUnder(dir: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function finished(glue: GlueClient, jobName: string, runId: string) {
  for (;;) {
    const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
    if (["SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT"].includes(JobRun?.JobRunState ?? "")) return JobRun!;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("sandbox Glue: the Spark engine (glueetl on pyspark)", function () {
  // The first run may create the Spark Python environment (a pinned pyspark download).
  this.timeout(600_000);
  const sparkModel = () => loadProgramModel({ stack: "dev", config: { etlEngine: "spark", glueWorkerType: "G.2X", glueNumberOfWorkers: "3" } });

  it("run-job (.sync) runs the Spark job on the lab's data and validate-output proves its parts", async function () {
    const env = await startSpark(await sparkModel());
    try {
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: env.runJobArn, input: "{}" }));
      let described;
      do {
        await new Promise((resolve) => setTimeout(resolve, 300));
        described = await env.sfn.send(new DescribeExecutionCommand({ executionArn }));
      } while (described.status === "RUNNING");
      assert.equal(described.status, "SUCCEEDED", described.cause);
      const output = JSON.parse(described.output ?? "{}");
      const validated = JSON.stringify(output);
      // The lab's data (etl/data/orders.csv): 2000 rows, 1400 kept, 596 filtered out, 4 rejected, as the Python shell job gives.
      assert.match(validated, /"inputRows":2000/);
      assert.match(validated, /"kept":1400/);
      assert.match(validated, /"filteredOut":596/);
      assert.match(validated, /"rejected":4/);
      assert.match(validated, /"parts":1/);
      const { JobRuns } = await env.glue.send(new GetJobRunsCommand({ JobName: env.jobName }));
      const run = JobRuns![0];
      // GetJobRun of a Spark job: its workers, and MaxCapacity = 3 x 2 DPU (G.2X).
      assert.equal(run.WorkerType, "G.2X");
      assert.equal(run.NumberOfWorkers, 3);
      assert.equal(run.MaxCapacity, 6);
      assert.equal(run.GlueVersion, "5.0");
      assert.equal(run.LogGroupName, "/aws-glue/jobs");
    } finally {
      await env.stop();
    }
  });

  it("cut into ranges, the parts in the sandbox's S3 hold the rejects with their line numbers in the file", async function () {
    // --split_bytes 20000: the lab's file (about 180 KB) in 10 ranges; its 4 damaged rows are data rows 400, 800,
    // 1200 and 1600 (etl/generate_orders.py), so file lines 401, 801, 1201 and 1601, in ranges after the first,
    // whose rejects are renumbered once the lines before them are counted and then written to S3.
    const env = await startSpark(await sparkModel());
    try {
      const { JobRunId } = await env.glue.send(new StartJobRunCommand({ JobName: env.jobName, Arguments: { "--split_bytes": "20000" } }));
      const run = await finished(env.glue, env.jobName, JobRunId!);
      assert.equal(run.JobRunState, "SUCCEEDED", run.ErrorMessage);
      const bucket = env.defaultArguments["--output_bucket"];
      const text = async (key: string) => (await (await env.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString());
      const prefix = `${env.defaultArguments["--output_prefix"]}/${JobRunId}`;
      const manifest = JSON.parse(await text(`${prefix}/_manifest.json`)) as { rejects_keys: string[]; rejected: number };
      assert.equal(manifest.rejected, 4);
      assert.ok(manifest.rejects_keys.length >= 8, `${manifest.rejects_keys.length} parts`);
      const rows: string[] = [];
      for (const key of manifest.rejects_keys) rows.push(...(await text(key)).split("\n").slice(1).filter(Boolean));
      assert.deepEqual(rows.map((row) => row.split(",")[0]), ["401", "801", "1201", "1601"]);
    } finally {
      await env.stop();
    }
  });

  it("the job role's IAM policy is enforced on the Spark job's own S3 writes", async function () {
    const env = await startSpark(withoutStatement(await sparkModel(), "etl-lab-etl-policy", "WriteRunOutput"));
    try {
      const { JobRunId } = await env.glue.send(new StartJobRunCommand({ JobName: env.jobName }));
      const run = await finished(env.glue, env.jobName, JobRunId!);
      assert.equal(run.JobRunState, "FAILED");
      assert.match(run.ErrorMessage ?? "", /^ERROR: writing s3:\/\/.+\/output\/jr_[0-9a-f]+\/data\/part-00000\.csv failed: .*AccessDenied/);
    } finally {
      await env.stop();
    }
  });

  it("a Spark run that outlives the job's timeout ends TIMEOUT, its JVM and workers ended with it", async function () {
    // timeScale 0.005: the job's 10-minute timeout lasts 3 s, less than a Spark start.
    const env = await startSpark(await sparkModel(), 0.005);
    try {
      const { JobRunId } = await env.glue.send(new StartJobRunCommand({ JobName: env.jobName }));
      let running = false;
      for (let i = 0; i < 100 && !running; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        running = processesUnder(env.rootDir).length > 0;
      }
      assert.ok(running, "the run's processes started");
      const run = await finished(env.glue, env.jobName, JobRunId!);
      assert.equal(run.JobRunState, "TIMEOUT");
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.deepEqual(processesUnder(env.rootDir), [], "no process of the run is left");
    } finally {
      await env.stop();
    }
  });
});
