import { strict as assert } from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { EtlPipeline, requestResponse, runJob, StateMachineDefinitionError, ValidatedStateMachine } from "../components";
import { AwsMocks } from "../sandbox/mocks";
import { loadProgramModel, ProgramModel } from "../sandbox/model";

const targets = {
  checkFileFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:check",
  validateFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:validate",
  jobName: "etl-job",
};

describe("components imported by another program", function () {
  let model: ProgramModel;
  before(async function () {
    model = await loadProgramModel({ programDir: path.join(__dirname, "fixtures", "two-pipelines"), stack: "test" });
  });

  it("two EtlPipelines in one stack have no name collision, logical or physical", function () {
    const custom = model.resources.filter((r) => r.type.startsWith("aws:"));
    const logical = custom.map((r) => `${r.type}::${r.name}`);
    assert.equal(new Set(logical).size, logical.length, "logical names are unique per type");
    for (const type of ["aws:s3/bucket:Bucket", "aws:iam/role:Role", "aws:lambda/function:Function", "aws:glue/job:Job", "aws:cloudwatch/logGroup:LogGroup"]) {
      const physical = custom.filter((r) => r.type === type).map((r) => r.id);
      assert.equal(new Set(physical).size, physical.length, `${type} physical names are unique: ${physical.join(", ")}`);
    }
    assert.equal(model.resources.filter((r) => r.type === "aws:glue/job:Job").length, 2);
  });

  it("each pipeline's job carries its own filter and output prefix", function () {
    const jobs = model.resources.filter((r) => r.type === "aws:glue/job:Job");
    const args = Object.fromEntries(jobs.map((j) => [j.name, j.inputs.defaultArguments as Record<string, string>]));
    assert.deepEqual(JSON.parse(args["orders-etl"]["--filter"]), { column: "status", operator: "in", value: "SHIPPED|DELIVERED" });
    assert.equal(args["returns-etl"]["--output_prefix"], "returns-out");
  });

  it("children are parented to their component (URN type chain)", function () {
    const components = model.resources.filter((r) => r.type === "sfn-integration-patterns:index:EtlPipeline").map((r) => r.name);
    assert.deepEqual(components.sort(), ["orders", "returns"]);
    for (const r of model.resources.filter((r) => r.type.startsWith("aws:"))) {
      const parent = /^(orders-run-job|returns-callback)/.test(r.name) ? "ValidatedStateMachine" : "EtlPipeline";
      assert.ok(r.urn.includes(`sfn-integration-patterns:index:${parent}$${r.type}::`), `${r.name}: ${r.urn}`);
    }
  });
});

describe("construction-time checks", function () {
  before(async function () {
    pulumi.runtime.setAllConfig({});
    await pulumi.runtime.setMocks(new AwsMocks("us-east-1"), "checks", "test", false);
  });

  it("[bad-input] ValidatedStateMachine refuses invalid ASL with a message naming the machine and the problem", function () {
    assert.throws(
      () => new ValidatedStateMachine("broken", { definition: { StartAt: "Missing", States: { Only: { Type: "Succeed" } } } }),
      (err: Error) => {
        assert.ok(err instanceof StateMachineDefinitionError);
        assert.match(err.message, /ValidatedStateMachine "broken"/);
        assert.match(err.message, /definition-is-valid/);
        assert.match(err.message, /Missing/);
        return true;
      },
    );
  });

  it("ValidatedStateMachine refuses a fire-and-forget Glue start, naming the state and the fix", function () {
    assert.throws(
      () => new ValidatedStateMachine("rr", { definition: requestResponse(targets) }),
      (err: Error) => {
        assert.match(err.message, /glue-task-must-wait/);
        assert.match(err.message, /StartEtl/);
        assert.match(err.message, /startJobRun\.sync/);
        return true;
      },
    );
  });

  it("an exemption needs a reason, and with one the machine is built", function () {
    assert.throws(
      () => new ValidatedStateMachine("rr2", { definition: requestResponse(targets), exemptions: [{ rule: "glue-task-must-wait", reason: " " }] }),
      /has no reason/,
    );
    const machine = new ValidatedStateMachine("rr3", {
      definition: requestResponse(targets),
      exemptions: [{ rule: "glue-task-must-wait", reason: "teaching" }],
    });
    assert.ok(machine.stateMachine);
  });

  it("EXPRESS machines cannot use .sync", function () {
    assert.throws(() => new ValidatedStateMachine("express", { definition: runJob(targets), type: "EXPRESS" }), /integration-pattern-supported/);
  });

  it("a definition given as JSON text is resolved and its integrations reported", async function () {
    const text = JSON.stringify(runJob(targets));
    const machine = new ValidatedStateMachine("from-text", { definition: text });
    const integrations = await new Promise<unknown>((resolve) => machine.integrations.apply(resolve));
    assert.deepEqual(integrations, [
      { state: "CheckFile", resource: "arn:aws:states:::lambda:invoke", pattern: "request-response" },
      { state: "StartEtl", resource: "arn:aws:states:::glue:startJobRun.sync", pattern: "sync" },
      { state: "Validate", resource: "arn:aws:states:::lambda:invoke", pattern: "request-response" },
    ]);
  });

  it("EtlPipeline refuses settings that cannot work, naming the setting", function () {
    assert.throws(() => new EtlPipeline("bad1", { filter: { column: "colour", operator: "eq", value: "red" } }), /filter\.column: filter column "colour" is not a column/);
    assert.throws(() => new EtlPipeline("bad2", { job: { maxCapacity: 2 } }), /job\.maxCapacity: .*0\.0625 or 1/);
    assert.throws(() => new EtlPipeline("bad3", { outputPrefix: "" }), /outputPrefix: outputPrefix is empty/);
    assert.throws(() => new EtlPipeline("bad4", { filter: { column: "amount", operator: "ge", value: "lots" } }), /not a decimal/);
  });
});

describe("program config errors name the config key", function () {
  const load = (config: Record<string, string>) => loadProgramModel({ stack: "dev", config });

  it("[bad-input] config: an unknown filter column is refused, naming the key", async function () {
    await assert.rejects(load({ filterColumn: "colour" }), /Invalid configuration sfn-integration-patterns:filterColumn: filter column "colour"/);
  });
  it("[bad-input] config: an empty output prefix is refused, naming the key", async function () {
    await assert.rejects(load({ outputPrefix: "" }), /Invalid configuration sfn-integration-patterns:outputPrefix/);
  });
  it("[bad-input] config: a capacity Glue does not allow is refused, naming the key", async function () {
    await assert.rejects(load({ glueMaxCapacity: "0.5" }), /Invalid configuration sfn-integration-patterns:glueMaxCapacity: .*0\.5 is not allowed/);
  });
});
