import { strict as assert } from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as components from "../components";
import { EtlPipeline, requestResponse, runJob, StateMachineDefinitionError, ValidatedStateMachine, waitForCallback } from "../components";
import { AwsMocks, RecordedResource } from "../sandbox/mocks";
import { loadProgramModel, ProgramModel } from "../sandbox/model";

/** The resource the mocks recorded, once `after` (an output known only after registration) resolves. */
async function recorded(mocks: AwsMocks, after: pulumi.Output<unknown>, type: string, name: string): Promise<RecordedResource> {
  await new Promise((resolve) => after.apply(resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const found = mocks.resources.find((r) => r.type === type && r.name === name);
  assert.ok(found, `${type} ${name} was registered`);
  return found;
}

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

  it("[bad-input] settings AWS would refuse fail at construction, naming the setting", function () {
    // CloudWatch Logs API Reference, PutRetentionPolicy: retentionInDays is one of 1, 3, 5, 7, 14, 30, ... 3653.
    assert.throws(() => new EtlPipeline("bad5", { functions: { logRetentionInDays: 10 } }), /EtlPipeline "bad5": functions\.logRetentionInDays: .*10 is not allowed/);
    // AWS Glue API Reference, CreateJob, Timeout: at most 10080 minutes (7 days).
    assert.throws(() => new EtlPipeline("bad6", { job: { timeoutMinutes: 10081 } }), /job\.timeoutMinutes: .*1 to 10080/);
    assert.throws(() => new EtlPipeline("bad7", { dataFile: path.join(__dirname, "no-such.csv") }), /dataFile: data file .*no-such\.csv does not exist/);
    assert.throws(
      () => new ValidatedStateMachine("bad8", { definition: runJob(targets), logRetentionInDays: 45 }),
      /ValidatedStateMachine "bad8": logRetentionInDays: .*45 is not allowed/,
    );
    // Amazon States Language, Task state: HeartbeatSeconds must be smaller than TimeoutSeconds.
    assert.throws(() => waitForCallback(targets, { callbackTimeoutSeconds: 600, callbackHeartbeatSeconds: 600 }), /heartbeat \(600s\) must be below the callback timeout \(600s\)/);
  });

  it("the boundary values AWS accepts are accepted", function () {
    assert.ok(new EtlPipeline("edge1", { job: { timeoutMinutes: 10080 }, functions: { logRetentionInDays: 3653 } }).job);
    assert.ok(new ValidatedStateMachine("edge2", { definition: waitForCallback(targets, { callbackTimeoutSeconds: 601, callbackHeartbeatSeconds: 600 }), logRetentionInDays: 1 }).stateMachine);
  });
});

describe("ValidatedStateMachine: documented grants for SNS, SQS and DynamoDB tasks; additionalStatements for tasks it has no permission table for", function () {
  let mocks: AwsMocks;
  before(async function () {
    pulumi.runtime.setAllConfig({});
    mocks = new AwsMocks("us-east-1");
    await pulumi.runtime.setMocks(mocks, "extra", "test", false);
  });

  const topic = "arn:aws:sns:us-east-1:123456789012:orders";
  const queue = "https://sqs.us-east-1.amazonaws.com/123456789012/orders";
  const queueArn = "arn:aws:sqs:us-east-1:123456789012:orders";
  const table = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
  const workgroup = "arn:aws:athena:us-east-1:123456789012:workgroup/primary";
  // Optimized integrations (Step Functions Developer Guide, "Integrating services"): sns:publish, sqs:sendMessage,
  // dynamodb:putItem, each page with the IAM policy it needs (sns:Publish on the topic, sqs:SendMessage on the
  // queue, dynamodb:PutItem on the table).
  const definition = {
    StartAt: "Notify",
    States: {
      Notify: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: topic, "Message.$": "$" }, Next: "Enqueue" },
      Enqueue: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { QueueUrl: queue, "MessageBody.$": "$" }, Next: "Record" },
      Record: {
        Type: "Task",
        Resource: "arn:aws:states:::dynamodb:putItem",
        Parameters: { TableName: "orders", Item: { id: { "S.$": "$$.Execution.Id" } } },
        End: true,
      },
    },
  } as const;
  // Athena has no permission table in the registry: its grants are the user's to give.
  const athena = {
    StartAt: "Query",
    States: { Query: { Type: "Task", Resource: "arn:aws:states:::athena:startQueryExecution", Parameters: { QueryString: "SELECT 1", WorkGroup: "primary" }, End: true } },
  } as const;
  const statements: components.PolicyStatement[] = [{ Sid: "QueryOrders", Effect: "Allow", Action: ["athena:StartQueryExecution"], Resource: [workgroup] }];

  it("SNS publish, SQS sendMessage and DynamoDB putItem tasks are granted exactly what their AWS pages document", async function () {
    const machine = new ValidatedStateMachine("fan-out", { definition });
    const policy = await recorded(mocks, machine.arn, "aws:iam/rolePolicy:RolePolicy", "fan-out-tasks");
    const granted = JSON.parse(String(policy.inputs.policy)).Statement.filter((s: { Sid?: string }) => !String(s.Sid).endsWith("NoResourceLevelPermissions"));
    assert.deepEqual(
      granted.map((s: { Action: string[]; Resource: string[] }) => [s.Action, s.Resource]),
      [
        [["sns:Publish"], [topic]],
        [["sqs:SendMessage"], [queueArn]],
        [["dynamodb:PutItem"], [table]],
      ],
    );
    const integrations = await new Promise<unknown>((resolve) => machine.integrations.apply(resolve));
    assert.deepEqual((integrations as { state: string }[]).map((i) => i.state), ["Notify", "Enqueue", "Record"]);
  });

  it("without them, a task with no permission table (Athena) is refused, naming the state and the argument to use", function () {
    assert.throws(
      () => new ValidatedStateMachine("no-grants", { definition: athena }),
      (err: Error) => {
        assert.ok(err instanceof components.UnsupportedTaskPermissionsError);
        assert.match(err.message, /state "Query" \(Resource arn:aws:states:::athena:startQueryExecution\)/);
        assert.match(err.message, /additionalStatements/);
        return true;
      },
    );
  });

  it("with them, the Athena task constructs and the role carries exactly the given statements", async function () {
    const machine = new ValidatedStateMachine("query", { definition: athena, additionalStatements: statements });
    const policy = await recorded(mocks, machine.arn, "aws:iam/rolePolicy:RolePolicy", "query-tasks");
    const granted = JSON.parse(String(policy.inputs.policy)).Statement.filter((s: { Sid?: string }) => !String(s.Sid).endsWith("NoResourceLevelPermissions"));
    assert.deepEqual(granted, statements.map((s) => ({ ...s, Action: [...s.Action], Resource: [...s.Resource] })));
  });

  it("derived grants are kept next to the given ones (a Lambda task and an Athena task)", async function () {
    const fn = "arn:aws:lambda:us-east-1:123456789012:function:check";
    const machine = new ValidatedStateMachine("mixed", {
      definition: {
        StartAt: "Check",
        States: {
          Check: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: fn }, Next: "Query" },
          Query: athena.States.Query,
        },
      },
      additionalStatements: statements,
    });
    const policy = await recorded(mocks, machine.arn, "aws:iam/rolePolicy:RolePolicy", "mixed-tasks");
    const actions = JSON.parse(String(policy.inputs.policy)).Statement.map((s: { Action: string[]; Resource: string[] }) => [s.Action, s.Resource]);
    assert.deepEqual(actions.slice(0, 2), [
      [["lambda:InvokeFunction"], [fn, `${fn}:*`]],
      [["athena:StartQueryExecution"], [workgroup]],
    ]);
  });
});

describe("defaults, per field", function () {
  let mocks: AwsMocks;
  before(async function () {
    pulumi.runtime.setAllConfig({});
    mocks = new AwsMocks("us-east-1");
    await pulumi.runtime.setMocks(mocks, "defaults", "test", false);
  });

  it("a field given as undefined keeps the documented default (job timeout 10 minutes, not Glue's 48 hours)", async function () {
    const lab = new EtlPipeline("undef", { job: { timeoutMinutes: undefined, maxCapacity: 1 }, functions: { memorySize: undefined } });
    const job = await recorded(mocks, lab.jobName, "aws:glue/job:Job", "undef-etl");
    assert.equal(job.inputs.timeout, components.ETL_JOB_DEFAULTS.timeoutMinutes);
    assert.equal(job.inputs.timeout, 10);
    assert.equal(job.inputs.maxCapacity, 1, "a given field still wins");
    assert.deepEqual(job.inputs.executionProperty, { maxConcurrentRuns: 3 });
    const fn = mocks.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "undef-check-file")!;
    assert.equal(fn.inputs.memorySize, 256);
  });

  it("pattern timeouts given as undefined keep theirs", function () {
    const targets = { checkFileFunctionArn: "arn:aws:lambda:us-east-1:1:function:c", validateFunctionArn: "arn:aws:lambda:us-east-1:1:function:v", jobName: "j" };
    const d = waitForCallback(targets, { callbackTimeoutSeconds: undefined, callbackHeartbeatSeconds: 600 });
    const wait = d.States.WaitForOperator as { TimeoutSeconds: number; HeartbeatSeconds: number };
    assert.equal(wait.TimeoutSeconds, 86400);
    assert.equal(wait.HeartbeatSeconds, 600);
  });
});

describe("the public entry", function () {
  it("exports the components, builders, settings and defaults, and none of the internal helpers", function () {
    assert.deepEqual(Object.keys(components).sort(), [
      "COLUMN_TYPES",
      "DEFAULT_DATA_FILE",
      "DEFAULT_FILTER",
      "DEFAULT_PATTERN_TIMEOUTS",
      "ETL_ENGINES",
      "ETL_JOB_DEFAULTS",
      "ETL_PIPELINE_DEFAULTS",
      "EtlPipeline",
      "FILTER_OPERATORS",
      "FUNCTION_DEFAULTS",
      "GLUE_MAX_TIMEOUT_MINUTES",
      "LOG_RETENTION_DAYS",
      "MIN_SPARK_WORKERS",
      "ORDERS_SCHEMA",
      "PATTERN_NAMES",
      "PYTHON_SHELL_CAPACITIES",
      "RULE_IDS",
      "SPARK_WORKER_DEFAULTS",
      "SPARK_WORKER_TYPES",
      "STATE_MACHINE_DEFAULTS",
      "SettingError",
      "StateMachineDefinitionError",
      "TASK_TOKEN_ARGUMENT",
      "UnsupportedTaskPermissionsError",
      "ValidatedStateMachine",
      "buildPattern",
      "eventDrivenCallback",
      "requestResponse",
      "runJob",
      "waitForCallback",
    ]);
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
