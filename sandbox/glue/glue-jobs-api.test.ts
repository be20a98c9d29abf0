import {
  CreateJobCommand,
  type CreateJobCommandInput,
  DeleteJobCommand,
  GetJobCommand,
  GetJobRunCommand,
  GetJobsCommand,
  GlueClient,
  ListJobsCommand,
  StartJobRunCommand,
  UpdateJobCommand,
} from "@aws-sdk/client-glue";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../index";
import { ACCOUNT, arn, BUCKET, CHECK_FILE, DATA_KEY, fixtureModel, JOB_NAME, OUTPUT_PREFIX, REGION, role, rolePolicy } from "../testing/fixture-model";

/**
 * Glue job definitions through the Glue API (botocore glue CreateJob, GetJob, GetJobs, ListJobs, UpdateJob,
 * DeleteJob) with the unmodified SDK: Glue's validation and error codes, IAM on the caller (glue:<Action> and
 * iam:PassRole on the job's role), runs of API-made jobs, and the sandbox's reset.
 */

const JOB_ARNS = `arn:aws:glue:${REGION}:${ACCOUNT}:job/api-*`;
const GLUE_ROLE = "lab-glue-role";
const ADMIN = "api-job-admin";
const NO_PASS = "api-job-no-pass";
const NO_CREATE = "api-job-no-create";

const passGlueRole = {
  Effect: "Allow",
  Action: "iam:PassRole",
  Resource: arn.role(GLUE_ROLE),
  Condition: { StringEquals: { "iam:PassedToService": "glue.amazonaws.com" } },
};

function model() {
  const m = fixtureModel();
  m.resources.push(
    role(ADMIN, "states.amazonaws.com"),
    rolePolicy(`${ADMIN}-policy`, ADMIN, [
      { Effect: "Allow", Action: ["glue:CreateJob", "glue:UpdateJob", "glue:DeleteJob", "glue:GetJob"], Resource: JOB_ARNS },
      passGlueRole,
    ]),
    role(NO_PASS, "states.amazonaws.com"),
    rolePolicy(`${NO_PASS}-policy`, NO_PASS, [{ Effect: "Allow", Action: ["glue:CreateJob", "glue:UpdateJob"], Resource: JOB_ARNS }]),
    role(NO_CREATE, "states.amazonaws.com"),
    rolePolicy(`${NO_CREATE}-policy`, NO_CREATE, [passGlueRole]),
  );
  return m;
}

/** The lab job's script and arguments, as a pythonshell job made through the API. */
function pythonShellJob(name: string, overrides: Partial<CreateJobCommandInput> = {}): CreateJobCommandInput {
  return {
    Name: name,
    Role: GLUE_ROLE,
    Command: { Name: "pythonshell", ScriptLocation: `s3://${BUCKET}/etl/glue_job.py` },
    DefaultArguments: {
      "--source_bucket": BUCKET,
      "--source_key": DATA_KEY,
      "--output_bucket": BUCKET,
      "--output_prefix": OUTPUT_PREFIX,
      "--extra-py-files": `s3://${BUCKET}/etl/transform.py`,
    },
    Timeout: 5,
    ...overrides,
  };
}

/** A Spark script: counts a range on the session Glue's Spark gives it, and fails if the count is wrong. */
const SPARK_SCRIPT = `
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
count = spark.range(10).count()
if count != 10:
    raise RuntimeError("counted %d rows" % count)
print("counted", count)
`;

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error("expected the call to fail");
}

describe("sandbox: Glue jobs created, changed and deleted through the Glue API", function () {
  this.timeout(120_000);
  let rootDir: string;
  let sandbox: Sandbox;
  let glue: GlueClient;
  const as = (roleName: string) => new GlueClient({ ...sandbox.clientConfig("glue"), credentials: sandbox.credentialsFor(arn.role(roleName)) });

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-glue-jobs-"));
    sandbox = await Sandbox.start(model(), { rootDir, writeConnectionFile: false, glue: { startupDelayMs: 20 } });
    glue = new GlueClient(sandbox.clientConfig("glue"));
  });
  afterEach(async () => sandbox.reset());
  after(async () => {
    glue?.destroy();
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  it("CreateJob answers the name; GetJob the definition with Glue's defaults; the job runs its script to SUCCEEDED", async () => {
    assert.deepEqual((await glue.send(new CreateJobCommand(pythonShellJob("api-etl", { Tags: { team: "data" } })))).Name, "api-etl");
    const { Job } = await glue.send(new GetJobCommand({ JobName: "api-etl" }));
    assert.ok(Job);
    // Role as given (a name); PythonVersion defaults to 3, MaxCapacity to 0.0625 (pythonshell), MaxConcurrentRuns to 1.
    assert.equal(Job.Role, GLUE_ROLE);
    assert.deepEqual(Job.Command, { Name: "pythonshell", ScriptLocation: `s3://${BUCKET}/etl/glue_job.py`, PythonVersion: "3" });
    assert.deepEqual([Job.MaxCapacity, Job.Timeout, Job.ExecutionProperty?.MaxConcurrentRuns], [0.0625, 5, 1]);
    assert.ok(Job.CreatedOn instanceof Date && Job.LastModifiedOn instanceof Date);
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: "api-etl" }));
    const run = await sandbox.whenJobRunFinished(JobRunId!);
    assert.equal(run.JobRunState, "SUCCEEDED", run.ErrorMessage);
    assert.equal(run.Timeout, 5);
  });

  it("CreateJob of a name taken is AlreadyExistsException; a Spark job defaults to Glue 5.1 and its 480-minute timeout", async () => {
    await glue.send(new CreateJobCommand(pythonShellJob("api-spark", { Command: { Name: "glueetl", ScriptLocation: `s3://${BUCKET}/etl/glue_job.py` }, Timeout: undefined, WorkerType: "G.1X", NumberOfWorkers: 2 })));
    const taken = await errorOf(glue.send(new CreateJobCommand(pythonShellJob("api-spark"))));
    assert.deepEqual(taken, { name: "AlreadyExistsException", message: "api-spark already exists." });
    const { Job } = await glue.send(new GetJobCommand({ JobName: "api-spark" }));
    assert.deepEqual([Job?.GlueVersion, Job?.Timeout, Job?.WorkerType, Job?.NumberOfWorkers, Job?.MaxCapacity], ["5.1", 480, "G.1X", 2, undefined]);
  });

  it("refuses definitions Glue's model refuses, and what the sandbox does not run, with InvalidInputException naming the value", async () => {
    const spark = { Name: "glueetl", ScriptLocation: `s3://${BUCKET}/etl/glue_job.py` };
    const cases: [Partial<CreateJobCommandInput>, RegExp][] = [
      [{ Command: { Name: "gluestreaming", ScriptLocation: `s3://${BUCKET}/etl/glue_job.py` } }, /Command\.Name gluestreaming is not supported by the sandbox; it runs glueetl and pythonshell jobs/],
      [{ Command: { Name: "glueray", ScriptLocation: `s3://${BUCKET}/etl/glue_job.py` } }, /Command\.Name glueray/],
      [{ Command: { Name: "pythonshell", ScriptLocation: "/scripts/job.py" } }, /ScriptLocation \/scripts\/job\.py is not an S3 path/],
      [{ Command: spark, MaxCapacity: 10, WorkerType: "G.1X", NumberOfWorkers: 2 }, /MaxCapacity cannot be set with WorkerType and NumberOfWorkers/],
      [{ Command: spark, WorkerType: "G.1X", NumberOfWorkers: 1 }, /NumberOfWorkers 1 is below 2/],
      [{ Command: spark, WorkerType: "G.025X", NumberOfWorkers: 2 }, /WorkerType G\.025X is not a batch Spark worker type \(G\.1X, G\.2X, G\.4X, G\.8X\)/],
      [{ Command: spark, WorkerType: "G.1X" }, /WorkerType and NumberOfWorkers must be set together/],
      [{ Command: spark, WorkerType: "G.3X" as never, NumberOfWorkers: 2 }, /Value 'G\.3X' at 'workerType' failed to satisfy constraint: Member must satisfy enum value set/],
      [{ MaxCapacity: 2 }, /MaxCapacity 2 is not a Python shell job's capacity \(0\.0625 or 1 DPU\)/],
      [{ Timeout: 0 }, /Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1/],
      [{ Timeout: 10_081 }, /Timeout 10081 is over the maximum of 10080 minutes/],
      [{ ExecutionProperty: { MaxConcurrentRuns: 0 } }, /MaxConcurrentRuns 0 must be at least 1/],
      [{ GlueVersion: "five" }, /at 'glueVersion' failed to satisfy constraint/],
      [{ Command: spark, GlueVersion: "1.0", MaxCapacity: 10 }, /GlueVersion 1\.0 is not supported by the sandbox/],
      [{ MaxRetries: 2 }, /MaxRetries 2 is not supported by the sandbox \(a failed run is not retried/],
      [{ Connections: { Connections: ["jdbc"] } }, /Connections is not supported by the sandbox/],
      [{ Role: undefined }, /Value at 'Role' failed to satisfy constraint: Member must not be null/],
      [{ Name: "x".repeat(256) }, /at 'Name' failed to satisfy constraint: Member must have length less than or equal to 255/],
      [{ Name: "bad\u0001name" }, /at 'Name' failed to satisfy constraint: Member must satisfy regular expression pattern/],
      [{ JobMode: "VISUAL" }, /JobMode VISUAL is not supported by the sandbox/],
      [{ ExecutionClass: "FLEX" }, /ExecutionClass FLEX is not supported by the sandbox/],
    ];
    for (const [overrides, message] of cases) {
      const error = await errorOf(glue.send(new CreateJobCommand(pythonShellJob("api-invalid", overrides))));
      assert.equal(error.name, "InvalidInputException", `${JSON.stringify(overrides)}: ${error.message}`);
      assert.match(error.message, message);
    }
    assert.equal((await errorOf(glue.send(new GetJobCommand({ JobName: "api-invalid" })))).name, "EntityNotFoundException");
  });

  it("GetJobs and ListJobs list the program's jobs and the API's by name, in pages; ListJobs filters by tags", async () => {
    await glue.send(new CreateJobCommand(pythonShellJob("api-a", { Tags: { team: "data" } })));
    await glue.send(new CreateJobCommand(pythonShellJob("api-b")));
    const first = await glue.send(new GetJobsCommand({ MaxResults: 2 }));
    assert.deepEqual(first.Jobs?.map((j) => j.Name), ["api-a", "api-b"]);
    assert.ok(first.NextToken);
    const second = await glue.send(new GetJobsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    assert.deepEqual([second.Jobs?.map((j) => j.Name), second.NextToken], [[JOB_NAME], undefined]);
    assert.deepEqual((await glue.send(new ListJobsCommand({}))).JobNames, ["api-a", "api-b", JOB_NAME]);
    assert.deepEqual((await glue.send(new ListJobsCommand({ Tags: { team: "data" } }))).JobNames, ["api-a"]);
    assert.equal((await errorOf(glue.send(new GetJobsCommand({ MaxResults: 0 })))).name, "InvalidInputException");
  });

  it("UpdateJob replaces the definition for later runs; a run under way keeps the one it started with", async () => {
    await glue.send(new CreateJobCommand(pythonShellJob("api-update")));
    const { JobRunId: before } = await glue.send(new StartJobRunCommand({ JobName: "api-update", Arguments: { "--sleep_seconds": "1" } }));
    const updated = await glue.send(new UpdateJobCommand({ JobName: "api-update", JobUpdate: { ...pythonShellJob("api-update"), Timeout: 7, Description: "second" } as never }));
    assert.equal(updated.JobName, "api-update");
    const { Job } = await glue.send(new GetJobCommand({ JobName: "api-update" }));
    assert.deepEqual([Job?.Timeout, Job?.Description], [7, "second"]);
    assert.equal((await sandbox.whenJobRunFinished(before!)).Timeout, 5);
    const { JobRunId: after } = await glue.send(new StartJobRunCommand({ JobName: "api-update" }));
    const run = (await glue.send(new GetJobRunCommand({ JobName: "api-update", RunId: after }))).JobRun;
    assert.equal(run?.Timeout, 7);
    const missing = await errorOf(glue.send(new UpdateJobCommand({ JobName: "api-none", JobUpdate: pythonShellJob("api-none") as never })));
    assert.deepEqual(missing, { name: "EntityNotFoundException", message: "Job api-none not found" });
  });

  it("DeleteJob answers the name, of a job that does not exist too (no exception, as Glue documents)", async () => {
    await glue.send(new CreateJobCommand(pythonShellJob("api-delete")));
    assert.equal((await glue.send(new DeleteJobCommand({ JobName: "api-delete" }))).JobName, "api-delete");
    assert.equal((await errorOf(glue.send(new GetJobCommand({ JobName: "api-delete" })))).name, "EntityNotFoundException");
    assert.equal((await glue.send(new DeleteJobCommand({ JobName: "api-delete" }))).JobName, "api-delete");
  });

  it("IAM: CreateJob needs glue:CreateJob on the job and iam:PassRole on its role; the messages name the action", async () => {
    const admin = as(ADMIN);
    const noPass = as(NO_PASS);
    const noCreate = as(NO_CREATE);
    try {
      assert.equal((await admin.send(new CreateJobCommand(pythonShellJob("api-by-admin", { Role: arn.role(GLUE_ROLE) })))).Name, "api-by-admin");
      const passDenied = await errorOf(noPass.send(new CreateJobCommand(pythonShellJob("api-by-no-pass"))));
      assert.equal(passDenied.name, "AccessDeniedException");
      assert.match(passDenied.message, new RegExp(`not authorized to perform: iam:PassRole on resource: ${arn.role(GLUE_ROLE)}`));
      const updateDenied = await errorOf(noPass.send(new UpdateJobCommand({ JobName: "api-by-admin", JobUpdate: pythonShellJob("api-by-admin") as never })));
      assert.match(updateDenied.message, /iam:PassRole/);
      const createDenied = await errorOf(noCreate.send(new CreateJobCommand(pythonShellJob("api-by-no-create"))));
      assert.equal(createDenied.name, "AccessDeniedException");
      assert.match(createDenied.message, /not authorized to perform: glue:CreateJob on resource: arn:aws:glue:us-east-1:123456789012:job\/api-by-no-create/);
      // glue:GetJobs has no resource type: the admin's job-scoped statement does not allow it.
      assert.match((await errorOf(admin.send(new GetJobsCommand({})))).message, /glue:GetJobs on resource: \*/);
      assert.match((await errorOf(noCreate.send(new DeleteJobCommand({ JobName: "api-by-admin" })))).message, /glue:DeleteJob/);
      assert.ok((await glue.send(new GetJobCommand({ JobName: "api-by-admin" }))).Job);
    } finally {
      for (const client of [admin, noPass, noCreate]) client.destroy();
    }
  });

  it("a run of a job whose role does not trust glue.amazonaws.com fails as Glue fails it", async () => {
    await glue.send(new CreateJobCommand(pythonShellJob("api-wrong-role", { Role: arn.role(`${CHECK_FILE}-role`) })));
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: "api-wrong-role" }));
    const run = await sandbox.whenJobRunFinished(JobRunId!);
    assert.equal(run.JobRunState, "FAILED");
    assert.equal(run.ErrorMessage, `Role ${arn.role(`${CHECK_FILE}-role`)} should be given assume role permissions for Glue Service.`);
  });

  it("a glueetl job made through the API runs its script on Spark (local mode) to SUCCEEDED", async function () {
    this.timeout(300_000);
    const s3 = new S3Client(sandbox.clientConfig("s3"));
    try {
      // The lab's Glue role may read etl/*.
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "etl/spark_count.py", Body: SPARK_SCRIPT }));
    } finally {
      s3.destroy();
    }
    await glue.send(new CreateJobCommand({
      Name: "api-spark-count",
      Role: GLUE_ROLE,
      Command: { Name: "glueetl", ScriptLocation: `s3://${BUCKET}/etl/spark_count.py` },
      GlueVersion: "5.0",
      WorkerType: "G.1X",
      NumberOfWorkers: 2,
    }));
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: "api-spark-count" }));
    const run = await sandbox.whenJobRunFinished(JobRunId!);
    assert.equal(run.JobRunState, "SUCCEEDED", run.ErrorMessage);
    // GetJobRun: MaxCapacity is the workers' DPUs (2 x G.1X); the run carries the job's Glue version and workers.
    assert.deepEqual([run.GlueVersion, run.WorkerType, run.NumberOfWorkers, run.MaxCapacity, run.LogGroupName], ["5.0", "G.1X", 2, 2, "/aws-glue/jobs"]);
  });

  it("reset drops the jobs the API made and restores the program's as deployed", async () => {
    await glue.send(new CreateJobCommand(pythonShellJob("api-transient")));
    await glue.send(new UpdateJobCommand({ JobName: JOB_NAME, JobUpdate: { ...pythonShellJob(JOB_NAME), Timeout: 3 } as never }));
    assert.equal((await glue.send(new GetJobCommand({ JobName: JOB_NAME }))).Job?.Timeout, 3);
    await sandbox.reset();
    assert.equal((await errorOf(glue.send(new GetJobCommand({ JobName: "api-transient" })))).name, "EntityNotFoundException");
    const { Job } = await glue.send(new GetJobCommand({ JobName: JOB_NAME }));
    assert.deepEqual([Job?.Timeout, Job?.Role, Job?.ExecutionProperty?.MaxConcurrentRuns], [10, arn.role(GLUE_ROLE), 3]);
  });
});
