import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { checkProgramPolicies } from "../cli/commands/policyCheck";
import { ETL_JOB_DEFAULTS } from "../components";
import { formatEvaluationReport } from "../policy/offline";
import { CONFIG_DEFAULTS } from "../program/config";
import { loadProgramModel, ModelResource, PROJECT_DIR, ProgramModel, resourcesOfType } from "../sandbox/model";
import { sharedProgramModel } from "../sandbox/testing/shared-program-model";
import { policiesByRole, roleOf } from "./helpers/iamPolicies";

/** The program evaluated under Pulumi's mocks with the dev stack's config, as `pulumi up` would see it. */
describe("the program under Pulumi mocks (dev stack)", function () {
  let model: ProgramModel;
  before(async function () {
    model = await sharedProgramModel({ stack: "dev" });
  });

  const one = (type: string, name?: string): ModelResource => {
    const found = resourcesOfType(model, type).filter((r) => !name || r.name === name);
    assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    return found[0];
  };
  const machine = (pattern: string) => one("aws:sfn/stateMachine:StateMachine", pattern);
  const definition = (pattern: string) => JSON.parse(String(machine(pattern).inputs.definition));

  it("creates exactly the expected resources", function () {
    const counts: Record<string, number> = {};
    for (const r of model.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    assert.deepEqual(counts, {
      "sfn-integration-patterns:index:EtlPipeline": 1,
      "sfn-integration-patterns:index:ValidatedStateMachine": 4,
      "aws:s3/bucket:Bucket": 1,
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
      "aws:s3/bucketVersioning:BucketVersioning": 1,
      "aws:s3/bucketPolicy:BucketPolicy": 1,
      "aws:s3/bucketObjectv2:BucketObjectv2": 3,
      "aws:iam/role:Role": 8,
      "aws:iam/rolePolicy:RolePolicy": 8,
      "aws:cloudwatch/logGroup:LogGroup": 7,
      "aws:lambda/function:Function": 3,
      "aws:lambda/permission:Permission": 1,
      "aws:cloudwatch/eventRule:EventRule": 1,
      "aws:cloudwatch/eventTarget:EventTarget": 1,
      "aws:glue/job:Job": 1,
      "aws:sfn/stateMachine:StateMachine": 4,
    });
  });

  describe("bucket", function () {
    it("[security] is private, encrypted, versioned, owner-enforced and refuses plain HTTP", function () {
      const bucket = one("aws:s3/bucket:Bucket").id;
      assert.equal(one("aws:s3/bucket:Bucket").inputs.forceDestroy, true, "dev sets forceDestroy");
      assert.deepEqual(one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs, {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      const sse = one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs;
      assert.deepEqual(sse.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
      assert.deepEqual(one("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration, { status: "Enabled" });
      assert.deepEqual(one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
      const policy = JSON.parse(String(one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy));
      assert.deepEqual(policy.Statement, [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]);
    });

    it("holds the data file and the Glue scripts", function () {
      const objects = resourcesOfType(model, "aws:s3/bucketObjectv2:BucketObjectv2");
      const byKey = Object.fromEntries(objects.map((o) => [o.inputs.key, String((o.inputs.source as { path: string }).path)]));
      assert.deepEqual(Object.keys(byKey).sort(), ["etl/glue_job.py", "etl/transform.py", "input/orders.csv"]);
      assert.match(byKey["input/orders.csv"], /etl[/\\]data[/\\]orders\.csv$/);
      assert.match(byKey["etl/glue_job.py"], /etl[/\\]glue_job\.py$/);
    });
  });

  describe("functions", function () {
    const fn = (suffix: string) => one("aws:lambda/function:Function", `etl-lab-${suffix}`);

    it("run on a supported Node.js runtime on arm64, with bundled code", function () {
      for (const suffix of ["check-file", "validate-output"]) {
        const f = fn(suffix).inputs;
        assert.equal(f.runtime, "nodejs22.x");
        assert.deepEqual(f.architectures, ["arm64"]);
        assert.equal(f.handler, "index.handler");
        const code = (f.code as { assets: Record<string, { text: string }> }).assets["index.js"].text;
        assert.match(code, /exports\.handler|handler:/, `${suffix} bundle exports a handler`);
        assert.ok(code.length > 10_000, `${suffix} bundle includes its dependencies`);
      }
    });

    it("are configured by environment variables set by the program", function () {
      const bucket = one("aws:s3/bucket:Bucket").id;
      const job = one("aws:glue/job:Job").state.name;
      const checkEnv = (fn("check-file").inputs.environment as { variables: Record<string, string> }).variables;
      assert.deepEqual(checkEnv, {
        DATA_BUCKET: bucket,
        DATA_KEY: "input/orders.csv",
        ETL_JOB_NAME: job,
        POWERTOOLS_SERVICE_NAME: "check-file",
        POWERTOOLS_LOG_LEVEL: "INFO",
      });
      const validateEnv = (fn("validate-output").inputs.environment as { variables: Record<string, string> }).variables;
      assert.equal(validateEnv.OUTPUT_BUCKET, bucket);
      assert.equal(validateEnv.OUTPUT_PREFIX, "output");
      assert.deepEqual(JSON.parse(validateEnv.FILTER_JSON), { column: "amount", operator: "ge", value: "100" });
      assert.equal(JSON.parse(validateEnv.SCHEMA_JSON).length, 9);
    });

    it("log to their own log groups, with retention from config", function () {
      for (const suffix of ["check-file", "validate-output"]) {
        const group = one("aws:cloudwatch/logGroup:LogGroup", `etl-lab-${suffix}-logs`);
        assert.equal(group.inputs.retentionInDays, 7, "Pulumi.dev.yaml sets logRetentionDays 7");
        const logging = fn(suffix).inputs.loggingConfig as { logGroup: string; logFormat: string };
        assert.equal(logging.logGroup, group.state.name);
        assert.equal(logging.logFormat, "JSON");
      }
    });
  });

  describe("Glue job", function () {
    it("is a Python 3.9 shell job with the capacity, timeout, concurrency and arguments from config", function () {
      const job = one("aws:glue/job:Job");
      const bucket = one("aws:s3/bucket:Bucket").id;
      assert.deepEqual(job.inputs.command, { name: "pythonshell", pythonVersion: "3.9", scriptLocation: `s3://${bucket}/etl/glue_job.py` });
      assert.equal(job.inputs.maxCapacity, 0.0625);
      assert.equal(job.inputs.timeout, 10);
      assert.equal(job.inputs.maxRetries, 0);
      assert.deepEqual(job.inputs.executionProperty, { maxConcurrentRuns: 3 });
      const args = job.inputs.defaultArguments as Record<string, string>;
      assert.equal(args["--source_bucket"], bucket);
      assert.equal(args["--source_key"], "input/orders.csv");
      assert.equal(args["--output_bucket"], bucket);
      assert.equal(args["--output_prefix"], "output");
      assert.equal(args["--extra-py-files"], `s3://${bucket}/etl/transform.py`);
      assert.deepEqual(JSON.parse(args["--filter"]), { column: "amount", operator: "ge", value: "100" });
      assert.deepEqual(JSON.parse(args["--schema"])[7], { name: "amount", type: "decimal" });
    });
  });

  describe("IAM", function () {
    it("[security] every role's policy allows no wildcard action and no wildcard resource except log delivery and X-Ray", function () {
      const byRole = policiesByRole(model);
      assert.equal(byRole.size, 8);
      for (const [role, statements] of byRole) {
        for (const s of statements) {
          assert.equal(s.Effect, "Allow", `${role}: only Allow statements`);
          for (const action of s.Action) assert.ok(!action.includes("*"), `${role}: wildcard action ${action}`);
          if (s.Resource.includes("*")) {
            // Service Authorization Reference: log delivery, X-Ray and states:SendTaskSuccess/SendTaskFailure have no resource types.
            const noResourceTypes = ["LogDeliveryHasNoResourceLevelPermissions", "XRayHasNoResourceLevelPermissions", "SendTaskHasNoResourceLevelPermissions"];
            assert.ok(noResourceTypes.includes(String(s.Sid)), `${role}: * resource in ${s.Sid}`);
          } else {
            for (const resource of s.Resource) assert.match(resource, /^arn:aws:[a-z0-9-]+:/, `${role}: resource ${resource} is an ARN`);
          }
        }
      }
    });

    it("check-file may read only the data file (and list its bucket, so a missing file is a 404)", function () {
      const bucket = one("aws:s3/bucket:Bucket").id;
      const role = roleOf(model, String(one("aws:lambda/function:Function", "etl-lab-check-file").inputs.role));
      const statements = policiesByRole(model).get(String(role.state.name))!;
      const group = one("aws:cloudwatch/logGroup:LogGroup", "etl-lab-check-file-logs").state.arn;
      assert.deepEqual(
        statements.map((s) => [s.Action, s.Resource]),
        [
          [["s3:GetObject"], [`arn:aws:s3:::${bucket}/input/orders.csv`]],
          [["s3:ListBucket"], [`arn:aws:s3:::${bucket}`]],
          [["logs:CreateLogStream", "logs:PutLogEvents"], [`${group}:*`]],
        ],
      );
    });

    it("the Glue role reads its scripts and the data file and writes only under the output prefix", function () {
      const bucket = one("aws:s3/bucket:Bucket").id;
      const role = roleOf(model, String(one("aws:glue/job:Job").inputs.roleArn));
      const statements = policiesByRole(model).get(String(role.state.name))!;
      const sid = (id: string) => statements.find((s) => s.Sid === id)!;
      assert.deepEqual(sid("ReadScriptsAndData").Resource, [
        `arn:aws:s3:::${bucket}/etl/glue_job.py`,
        `arn:aws:s3:::${bucket}/etl/transform.py`,
        `arn:aws:s3:::${bucket}/input/orders.csv`,
      ]);
      assert.deepEqual(sid("WriteRunOutput"), { Sid: "WriteRunOutput", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`arn:aws:s3:::${bucket}/output/*`] });
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
      assert.equal(trust.Statement[0].Principal.Service, "glue.amazonaws.com");
    });

    const machineStatements = (pattern: string) => {
      const role = roleOf(model, String(machine(pattern).inputs.roleArn));
      return policiesByRole(model).get(String(role.state.name))!.filter((s) => !String(s.Sid).endsWith("NoResourceLevelPermissions"));
    };
    const fnArn = (suffix: string) => String(one("aws:lambda/function:Function", `etl-lab-${suffix}`).state.arn);
    const jobArn = () => String(one("aws:glue/job:Job").state.arn);

    it("request-response may invoke both functions and start the job, nothing more", function () {
      assert.deepEqual(
        machineStatements("request-response").map((s) => [s.Action, s.Resource]),
        [
          [["lambda:InvokeFunction"], [fnArn("check-file"), `${fnArn("check-file")}:*`, fnArn("validate-output"), `${fnArn("validate-output")}:*`]],
          [["glue:StartJobRun"], [jobArn()]],
        ],
      );
    });

    it("run-job (.sync) may also read and stop that job's runs, on that job only", function () {
      const glue = machineStatements("run-job").find((s) => s.Action.includes("glue:StartJobRun"))!;
      assert.deepEqual(glue.Action, ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"]);
      assert.deepEqual(glue.Resource, [jobArn()]);
    });

    it("wait-for-callback needs no Glue permission at all", function () {
      const actions = machineStatements("wait-for-callback").flatMap((s) => s.Action);
      assert.deepEqual(actions, ["lambda:InvokeFunction"]);
    });

    it("event-driven-callback may invoke both functions and start the job (the callback's token comes back from the function), nothing more", function () {
      assert.deepEqual(
        machineStatements("event-driven-callback").map((s) => [s.Action, s.Resource]),
        [
          [["lambda:InvokeFunction"], [fnArn("check-file"), `${fnArn("check-file")}:*`, fnArn("validate-output"), `${fnArn("validate-output")}:*`]],
          [["glue:StartJobRun"], [jobArn()]],
        ],
      );
    });

    it("event-callback may read that job's runs, send task results, and read the runs' output, nothing more", function () {
      const bucketArn = String(one("aws:s3/bucket:Bucket").state.arn);
      const role = roleOf(model, String(one("aws:lambda/function:Function", "etl-lab-event-callback").inputs.role));
      const statements = policiesByRole(model).get(String(role.state.name))!;
      const group = one("aws:cloudwatch/logGroup:LogGroup", "etl-lab-event-callback-logs").state.arn;
      assert.deepEqual(
        statements.map((s) => [s.Sid, s.Action, s.Resource]),
        [
          ["ReadJobRun", ["glue:GetJobRun"], [jobArn()]],
          ["SendTaskHasNoResourceLevelPermissions", ["states:SendTaskSuccess", "states:SendTaskFailure"], ["*"]],
          ["ReadRunOutput", ["s3:GetObject"], [`${bucketArn}/output/*`]],
          ["WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [`${group}:*`]],
        ],
      );
    });

    it("the rule matches this job's Glue Job State Change events and invokes event-callback, allowed for this rule only", function () {
      const rule = one("aws:cloudwatch/eventRule:EventRule");
      // "Automating AWS Glue with EventBridge": Glue Job State Change is sent for SUCCEEDED, FAILED, TIMEOUT and STOPPED.
      assert.deepEqual(JSON.parse(String(rule.inputs.eventPattern)), {
        source: ["aws.glue"],
        "detail-type": ["Glue Job State Change"],
        detail: { jobName: [one("aws:glue/job:Job").state.name], state: ["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED"] },
      });
      const target = one("aws:cloudwatch/eventTarget:EventTarget");
      assert.deepEqual([target.inputs.rule, target.inputs.arn, target.inputs.roleArn], [rule.state.name, fnArn("event-callback"), undefined]);
      const permission = one("aws:lambda/permission:Permission");
      assert.deepEqual(
        [permission.inputs.action, permission.inputs.principal, permission.inputs.sourceArn, permission.inputs.function],
        ["lambda:InvokeFunction", "events.amazonaws.com", rule.state.arn, one("aws:lambda/function:Function", "etl-lab-event-callback").state.name],
      );
    });

    it("[security] each state machine role is assumable only by Step Functions of this account", function () {
      // Step Functions Developer Guide, "Creating an IAM role for your state machine in Step Functions",
      // "Prevent cross-service confused deputy issue": Step Functions sends aws:SourceAccount when it assumes the role.
      for (const pattern of ["request-response", "run-job", "wait-for-callback", "event-driven-callback"]) {
        const trust = JSON.parse(String(roleOf(model, String(machine(pattern).inputs.roleArn)).inputs.assumeRolePolicy));
        assert.deepEqual(trust.Statement[0].Principal, { Service: "states.amazonaws.com" });
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
      }
    });

    it("[security] the function and Glue roles trust their service principal with no condition key the service does not document sending", function () {
      // Lambda ("Defining Lambda function permissions with an execution role") and Glue document only the service
      // principal; a condition on a key the service does not send would make the role impossible to assume.
      const trusts = [
        ...["check-file", "validate-output", "event-callback"].map((suffix) => [String(one("aws:lambda/function:Function", `etl-lab-${suffix}`).inputs.role), "lambda.amazonaws.com"]),
        [String(one("aws:glue/job:Job").inputs.roleArn), "glue.amazonaws.com"],
      ];
      for (const [roleArn, service] of trusts) {
        const trust = JSON.parse(String(roleOf(model, roleArn).inputs.assumeRolePolicy));
        assert.deepEqual(trust.Statement, [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }]);
      }
    });
  });

  describe("state machines", function () {
    it("log every event with execution data and trace with X-Ray", function () {
      for (const pattern of ["request-response", "run-job", "wait-for-callback", "event-driven-callback"]) {
        const m = machine(pattern).inputs;
        assert.equal(m.type, "STANDARD");
        const logging = m.loggingConfiguration as { level: string; includeExecutionData: boolean; logDestination: string };
        assert.equal(logging.level, "ALL");
        assert.equal(logging.includeExecutionData, true);
        const group = one("aws:cloudwatch/logGroup:LogGroup", `${pattern}-logs`).state.arn;
        assert.equal(logging.logDestination, `${group}:*`);
        assert.deepEqual(m.tracingConfiguration, { enabled: true });
      }
    });

    it("request-response starts Glue with no suffix and validates at once", function () {
      const d = definition("request-response");
      assert.equal(d.StartAt, "CheckFile");
      assert.equal(d.States.CheckFile.Resource, "arn:aws:states:::lambda:invoke");
      assert.equal(d.States.CheckFile.Parameters.FunctionName, one("aws:lambda/function:Function", "etl-lab-check-file").state.arn);
      assert.equal(d.States.CheckFile.Next, "StartEtl");
      assert.equal(d.States.StartEtl.Resource, "arn:aws:states:::glue:startJobRun");
      assert.equal(d.States.StartEtl.Parameters.JobName, one("aws:glue/job:Job").state.name);
      assert.equal(d.States.StartEtl.Next, "Validate");
      assert.equal(d.States.Validate.Parameters.FunctionName, one("aws:lambda/function:Function", "etl-lab-validate-output").state.arn);
      assert.deepEqual(d.States.Validate.Parameters.Payload, { "jobRunId.$": "$.etl.JobRunId" });
      assert.equal(d.States.Validate.Next, "Done");
      assert.deepEqual(d.States.Done, { Type: "Succeed" });
    });

    it("run-job waits for the job with .sync and a timeout, retrying Glue's concurrency limit", function () {
      const d = definition("run-job");
      const start = d.States.StartEtl;
      assert.equal(start.Resource, "arn:aws:states:::glue:startJobRun.sync");
      assert.equal(start.TimeoutSeconds, 1200);
      assert.deepEqual(start.Retry[0].ErrorEquals, ["Glue.ConcurrentRunsExceededException"]);
      assert.deepEqual(start.Catch, [{ ErrorEquals: ["States.ALL"], Next: "EtlFailed", ResultPath: "$.error" }]);
      assert.deepEqual(d.States.EtlFailed, { Type: "Fail", Comment: "the Glue job run failed, stopped or timed out", Error: "EtlFailed", CausePath: "$.error.Cause" });
    });

    it("every Lambda task retries Lambda's transient errors and catches into named Fail states", function () {
      for (const pattern of ["request-response", "run-job", "wait-for-callback", "event-driven-callback"]) {
        const d = definition(pattern);
        for (const [name, state] of Object.entries<Record<string, unknown>>(d.States)) {
          if (state.Type !== "Task" || !String(state.Resource).includes("lambda")) continue;
          const retry = state.Retry as { ErrorEquals: string[] }[];
          assert.ok(retry[0].ErrorEquals.includes("Lambda.TooManyRequestsException"), `${pattern} > ${name}`);
          for (const c of state.Catch as { Next: string }[]) assert.equal(d.States[c.Next].Type, "Fail", `${pattern} > ${name} catches into a Fail`);
        }
      }
      assert.deepEqual(definition("run-job").States.CheckFile.Catch[0], { ErrorEquals: ["FileNotFound"], Next: "DataFileMissing", ResultPath: "$.error" });
    });

    it("event-driven-callback starts Glue with the SDK integration and .waitForTaskToken, the token as the job argument --task_token", function () {
      const d = definition("event-driven-callback");
      const start = d.States.StartEtl;
      assert.equal(d.States.CheckFile.Next, "StartEtl");
      assert.equal(start.Resource, "arn:aws:states:::aws-sdk:glue:startJobRun.waitForTaskToken");
      assert.deepEqual(start.Parameters, { JobName: one("aws:glue/job:Job").state.name, Arguments: { "--task_token.$": "$$.Task.Token" } });
      assert.equal(start.ResultPath, "$.etl");
      assert.equal(start.TimeoutSeconds, 1200);
      assert.deepEqual(start.Retry[0].ErrorEquals, ["Glue.ConcurrentRunsExceededException"]);
      assert.deepEqual(start.Catch.map((c: { ErrorEquals: string[]; Next: string }) => [c.ErrorEquals, c.Next]), [[["States.Timeout"], "EtlTimedOut"], [["States.ALL"], "EtlFailed"]]);
      // The execution fails with the error and cause event-callback sent with SendTaskFailure.
      assert.deepEqual([d.States.EtlFailed.ErrorPath, d.States.EtlFailed.CausePath], ["$.error.Error", "$.error.Cause"]);
      assert.equal(start.Next, "Validate");
    });

    it("wait-for-callback has no Glue task and passes $$.Task.Token through lambda:invoke.waitForTaskToken", function () {
      const d = definition("wait-for-callback");
      const resources = Object.values<{ Resource?: string }>(d.States).map((s) => s.Resource).filter(Boolean);
      assert.ok(!resources.some((r) => r!.includes("glue")), "no Glue task");
      const wait = d.States[d.StartAt];
      assert.equal(wait.Resource, "arn:aws:states:::lambda:invoke.waitForTaskToken");
      assert.equal(wait.Parameters.Payload["taskToken.$"], "$$.Task.Token");
      assert.equal(wait.TimeoutSeconds, 86400);
      assert.equal(wait.HeartbeatSeconds, 3600);
      assert.equal(wait.Next, "Validate");
    });
  });

  it("exports what a user needs next, per pattern", function () {
    const o = model.outputs as Record<string, Record<string, string>>;
    assert.equal(o.bucketName as unknown, one("aws:s3/bucket:Bucket").id);
    assert.equal(o.jobName as unknown, one("aws:glue/job:Job").state.name);
    assert.deepEqual(Object.keys(o.stateMachineArns), ["request-response", "run-job", "wait-for-callback", "event-driven-callback"]);
    assert.equal(o.stateMachineArns["run-job"], machine("run-job").state.arn);
    assert.match(o.nextSteps["wait-for-callback"], /sfn-lab approve/);
    assert.deepEqual(Object.keys(o.functionNames), ["checkFile", "validateOutput", "eventCallback"]);
  });
});

/** The prod stack (Pulumi.prod.yaml): production settings, and only the machines that wait for their work. */
describe("the program under Pulumi mocks (prod stack)", function () {
  let model: ProgramModel;
  before(async function () {
    model = await sharedProgramModel({ stack: "prod" });
  });

  it("builds run-job, wait-for-callback and event-driven-callback only, and exports only those", function () {
    const machines = resourcesOfType(model, "aws:sfn/stateMachine:StateMachine").map((m) => m.name);
    assert.deepEqual(machines, ["run-job", "wait-for-callback", "event-driven-callback"]);
    const o = model.outputs as Record<string, Record<string, string>>;
    assert.deepEqual(Object.keys(o.stateMachineArns), ["run-job", "wait-for-callback", "event-driven-callback"]);
    assert.deepEqual(Object.keys(o.nextSteps), ["run-job", "wait-for-callback", "event-driven-callback"]);
    assert.ok(!model.warnings?.some((w) => w.includes("exempted")), `no exempted finding: ${model.warnings?.join("; ")}`);
  });

  it("keeps the bucket on destroy and keeps logs a year", function () {
    assert.equal(resourcesOfType(model, "aws:s3/bucket:Bucket")[0].inputs.forceDestroy, false);
    const retention = resourcesOfType(model, "aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.retentionInDays);
    assert.deepEqual(retention, [365, 365, 365, 365, 365, 365]);
  });

  it("passes the policy check with no exemption at all", async function () {
    const config = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policy", "policy-config.prod.json"), "utf8"));
    assert.deepEqual(config["exempted-findings"].exemptions, [], "the prod policy config exempts nothing");
    const report = await checkProgramPolicies({ stack: "prod" });
    assert.equal(report.mandatory, 0, formatEvaluationReport(report));
    assert.equal(report.resources.filter((r) => r.type === "aws:sfn/stateMachine:StateMachine").length, 3);
  });
});

/** One source for each default: the components' defaults module, which the program's config reads. */
describe("config defaults", function () {
  it("Pulumi.yaml declares the same default for every key as the program reads (from the components' defaults)", function () {
    const declared = (parseYaml(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default: unknown }> }).config;
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(CONFIG_DEFAULTS).sort());
    for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) assert.deepEqual(declared[key].default, value, key);
    assert.equal(CONFIG_DEFAULTS.glueTimeoutMinutes, ETL_JOB_DEFAULTS.timeoutMinutes);
  });

  it("the README's configuration table lists every key with that default", function () {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const table = readme.split("## Configuration")[1].split("\n## ")[0];
    const rows = new Map<string, string>();
    for (const line of table.split("\n").filter((l) => l.startsWith("| `"))) {
      const [keys, defaults] = line.split(" | ").map((cell) => cell.replace(/^\| /, ""));
      const names = [...keys.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      const values = [...defaults.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      names.forEach((name, i) => rows.set(name, values[i]));
    }
    assert.deepEqual([...rows.keys()].sort(), Object.keys(CONFIG_DEFAULTS).sort());
    for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) {
      assert.equal(rows.get(key), Array.isArray(value) ? value.join(", ") : String(value), key);
    }
  });
});

describe("config that cannot work on AWS fails, naming the key", function () {
  const load = (config: Record<string, string>) => loadProgramModel({ stack: "dev", config });

  it("[bad-input] config: a log retention CloudWatch Logs does not accept is refused, naming the key", async function () {
    // CloudWatch Logs API Reference, PutRetentionPolicy: retentionInDays is one of 1, 3, 5, 7, 14, 30, 60, ..., 3653.
    await assert.rejects(load({ logRetentionDays: "10" }), /Invalid configuration sfn-integration-patterns:logRetentionDays: .*10 is not allowed/);
  });
  it("[bad-input] config: a Glue timeout over 10080 minutes is refused, naming the key", async function () {
    // AWS Glue API Reference, CreateJob, Timeout: jobs must have timeout values of at most 7 days (10080 minutes).
    await assert.rejects(
      load({ glueTimeoutMinutes: "10081", etlTaskTimeoutSeconds: "700000" }),
      /Invalid configuration sfn-integration-patterns:glueTimeoutMinutes: .*1 to 10080/,
    );
  });
  it("[bad-input] config: a callback heartbeat not below the callback timeout is refused, naming the key", async function () {
    await assert.rejects(
      load({ callbackHeartbeatSeconds: "86400" }),
      /Invalid configuration sfn-integration-patterns:callbackHeartbeatSeconds: 86400s must be below sfn-integration-patterns:callbackTimeoutSeconds \(86400s\)/,
    );
  });
  it("[bad-input] config: a data file that does not exist is refused, naming the key", async function () {
    await assert.rejects(load({ dataFile: "etl/data/missing.csv" }), /Invalid configuration sfn-integration-patterns:dataFile: etl\/data\/missing\.csv does not exist/);
  });
  it("[bad-input] config: a pattern that does not exist is refused, naming the key", async function () {
    await assert.rejects(load({ patterns: JSON.stringify(["run-job", "fan-out"]) }), /Invalid configuration sfn-integration-patterns:patterns: "fan-out" is not a pattern/);
    await assert.rejects(load({ patterns: "[]" }), /Invalid configuration sfn-integration-patterns:patterns: give a non-empty list/);
  });
});
