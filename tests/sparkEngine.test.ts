import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EtlPipeline } from "../components";
import { AwsMocks, RecordedResource } from "../sandbox/mocks";
import { loadProgramModel, resourcesOfType } from "../sandbox/model";

/** The resource the mocks recorded, once `after` (an output known only after registration) resolves. */
async function recorded(mocks: AwsMocks, after: pulumi.Output<unknown>, type: string, name: string): Promise<RecordedResource> {
  await new Promise((resolve) => after.apply(resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const found = mocks.resources.find((r) => r.type === type && r.name === name);
  assert.ok(found, `${type} ${name} was registered`);
  return found;
}

function policyOf(mocks: AwsMocks, name: string): { Statement: { Sid: string; Action: string[]; Resource: string[] }[] } {
  const policy = mocks.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === name);
  assert.ok(policy, `role policy ${name}`);
  return JSON.parse(policy.inputs.policy as string);
}

describe("EtlPipeline engine: spark (a Glue 5.0 Spark job)", function () {
  let mocks: AwsMocks;
  before(async function () {
    pulumi.runtime.setAllConfig({});
    mocks = new AwsMocks("us-east-1");
    await pulumi.runtime.setMocks(mocks, "spark", "test", false);
  });

  it("deploys glueetl on Glue 5.0 (Spark 3.5, Python 3), with the given workers and no maximum capacity", async function () {
    const lab = new EtlPipeline("spk", { engine: "spark", job: { workerType: "G.2X", numberOfWorkers: 10 } });
    const job = await recorded(mocks, lab.jobName, "aws:glue/job:Job", "spk-etl");
    assert.equal(job.inputs.glueVersion, "5.0");
    assert.equal((job.inputs.command as { name: string }).name, "glueetl");
    assert.equal((job.inputs.command as { pythonVersion: string }).pythonVersion, "3");
    assert.match((job.inputs.command as { scriptLocation: string }).scriptLocation, /^s3:\/\/.+\/etl\/spark_job\.py$/);
    assert.equal(job.inputs.workerType, "G.2X");
    assert.equal(job.inputs.numberOfWorkers, 10);
    assert.equal(job.inputs.maxCapacity, undefined, "Glue 2.0+ jobs take workers, not MaxCapacity");
    const args = job.inputs.defaultArguments as Record<string, string>;
    assert.match(args["--extra-py-files"], /^s3:\/\/[^,]+\/etl\/transform\.py,s3:\/\/[^,]+\/etl\/glue_job\.py,s3:\/\/[^,]+\/etl\/arrow_range\.py$/);
    assert.equal(args["--job-language"], "python");
    assert.equal(lab.engine, "spark");
  });

  it("its role reads the Spark script and both modules, and logs to the Spark job log groups", async function () {
    const lab = new EtlPipeline("spk2", { engine: "spark" });
    const job = await recorded(mocks, lab.jobName, "aws:glue/job:Job", "spk2-etl");
    assert.equal(job.inputs.workerType, "G.1X", "default worker type");
    assert.equal(job.inputs.numberOfWorkers, 2, "default: Glue's minimum of 2 workers");
    const statements = policyOf(mocks, "spk2-etl-policy").Statement;
    const read = statements.find((s) => s.Sid === "ReadScriptsAndData")!;
    assert.deepEqual(read.Resource.map((arn) => arn.split("/").slice(1).join("/")), ["etl/spark_job.py", "etl/transform.py", "etl/glue_job.py", "etl/arrow_range.py", "input/orders.csv"]);
    const logs = statements.find((s) => s.Sid === "GlueLogGroups")!;
    assert.match(logs.Resource[0], /:log-group:\/aws-glue\/jobs\/\*$/);
    const uploaded = mocks.resources.filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2" && r.name.startsWith("spk2-")).map((r) => r.inputs.key).sort();
    assert.deepEqual(uploaded, ["etl/arrow_range.py", "etl/glue_job.py", "etl/spark_job.py", "etl/transform.py", "input/orders.csv"]);
  });

  it("the default engine stays the Python shell job", async function () {
    const lab = new EtlPipeline("py");
    const job = await recorded(mocks, lab.jobName, "aws:glue/job:Job", "py-etl");
    assert.equal((job.inputs.command as { name: string }).name, "pythonshell");
    assert.equal(job.inputs.workerType, undefined);
    assert.equal(lab.engine, "python-shell");
  });

  it("[bad-input] refuses workers Glue does not run, and settings of the other engine, naming the setting", function () {
    // AWS Glue API Reference, CreateJob, WorkerType: G.1X, G.2X, G.4X, G.8X for Spark jobs (G.025X: streaming only).
    assert.throws(() => new EtlPipeline("b1", { engine: "spark", job: { workerType: "G.025X" } }), /EtlPipeline "b1": job\.workerType: .*G\.1X, G\.2X, G\.4X, G\.8X/);
    assert.throws(() => new EtlPipeline("b2", { engine: "spark", job: { numberOfWorkers: 1 } }), /job\.numberOfWorkers: .*at least 2 workers/);
    assert.throws(() => new EtlPipeline("b3", { engine: "spark", job: { numberOfWorkers: 2.5 } }), /job\.numberOfWorkers: .*2\.5 is not allowed/);
    // CreateJob, MaxCapacity: "For Glue version 2.0+ jobs, you cannot specify a Maximum capacity".
    assert.throws(() => new EtlPipeline("b4", { engine: "spark", job: { maxCapacity: 1 } }), /job\.maxCapacity: a Spark job takes job\.workerType/);
    assert.throws(() => new EtlPipeline("b5", { job: { workerType: "G.1X" } }), /job\.workerType: job\.workerType is a Spark setting/);
    assert.throws(() => new EtlPipeline("b6", { engine: "ray" as never }), /engine: engine "ray" is unknown; use one of python-shell, spark/);
  });
});

describe("stack config: etlEngine, glueWorkerType, glueNumberOfWorkers", function () {
  const load = (config: Record<string, string>) => loadProgramModel({ stack: "dev", config });

  it("etlEngine spark deploys the program's job on Glue 5.0 Spark with the configured workers", async function () {
    const model = await load({ etlEngine: "spark", glueWorkerType: "G.4X", glueNumberOfWorkers: "5" });
    const [job] = resourcesOfType(model, "aws:glue/job:Job");
    assert.equal((job.inputs.command as { name: string }).name, "glueetl");
    assert.equal(job.inputs.glueVersion, "5.0");
    assert.equal(job.inputs.workerType, "G.4X");
    assert.equal(job.inputs.numberOfWorkers, 5);
    assert.equal(job.inputs.maxCapacity, undefined);
  });

  it("[bad-input] config: Spark workers Glue does not run are refused, naming the key", async function () {
    await assert.rejects(load({ etlEngine: "spark", glueNumberOfWorkers: "1" }), /Invalid configuration sfn-integration-patterns:glueNumberOfWorkers: .*at least 2 workers/);
    await assert.rejects(load({ etlEngine: "spark", glueWorkerType: "Standard" }), /Invalid configuration sfn-integration-patterns:glueWorkerType: worker type "Standard"/);
    await assert.rejects(load({ etlEngine: "emr" }), /Invalid configuration sfn-integration-patterns:etlEngine: engine "emr" is unknown/);
  });
});
