/**
 * Glue workflows end to end in the sandbox: aws.glue.Workflow and aws.glue.Trigger from a program's model, real
 * Python shell job runs, state machines calling aws-sdk:glue (startWorkflowRun then a Wait + getWorkflowRun Choice
 * loop; startWorkflowRun.waitForTaskToken with the token in RunProperties, sent back by a job of the workflow), and
 * the AWSGlue API through the unmodified SDK client, with IAM on every caller.
 */
import { GetJobRunsCommand, GetTriggerCommand, GetWorkflowRunCommand, GlueClient, StartWorkflowRunCommand } from "@aws-sdk/client-glue";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../index";
import { ACCOUNT, arn, BUCKET, fixtureModel, JOB_NAME, REGION, resource, role, rolePolicy, withStateMachine } from "../testing/fixture-model";
import { waitForExecution } from "../testing/sfn-helpers";

const REPORT_JOB = "wf-report-job";
const CALLBACK_JOB = "wf-callback-job";
const POLLED = "wf-nightly";
const CALLBACK = "wf-callback";
const workflowArn = (name: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:workflow/${name}`;

/** Job B of the polled workflow: it needs the workflow's arguments (getResolvedOptions fails without them). */
const REPORT_SCRIPT = `
import sys
from awsglue.utils import getResolvedOptions
args = getResolvedOptions(sys.argv, ["WORKFLOW_NAME", "WORKFLOW_RUN_ID"])
print("report for %s %s" % (args["WORKFLOW_NAME"], args["WORKFLOW_RUN_ID"]))
`;

/** As "Getting and setting workflow run properties" shows: the run's properties from its name and run id. */
const CALLBACK_SCRIPT = `
import json
import sys
import boto3
from awsglue.utils import getResolvedOptions
args = getResolvedOptions(sys.argv, ["WORKFLOW_NAME", "WORKFLOW_RUN_ID"])
props = boto3.client("glue").get_workflow_run_properties(Name=args["WORKFLOW_NAME"], RunId=args["WORKFLOW_RUN_ID"])["RunProperties"]
output = {"workflowRunId": args["WORKFLOW_RUN_ID"], "batch": props["batch"]}
boto3.client("stepfunctions").send_task_success(taskToken=props["task_token"], output=json.dumps(output))
`;

const sdk = (action: string) => `arn:aws:states:::aws-sdk:glue:${action}`;

const MACHINES = {
  "wf-poll": {
    StartAt: "Start",
    States: {
      Start: { Type: "Task", Resource: sdk("startWorkflowRun"), Parameters: { Name: POLLED }, ResultPath: "$.started", Next: "Wait" },
      Wait: { Type: "Wait", Seconds: 1, Next: "Get" },
      Get: { Type: "Task", Resource: sdk("getWorkflowRun"), Parameters: { Name: POLLED, "RunId.$": "$.started.RunId" }, ResultSelector: { "status.$": "$.Run.Status", "stats.$": "$.Run.Statistics" }, ResultPath: "$.run", Next: "Done?" },
      "Done?": { Type: "Choice", Choices: [{ Variable: "$.run.status", StringEquals: "COMPLETED", Next: "Completed" }], Default: "Wait" },
      Completed: { Type: "Succeed" },
    },
  },
  "wf-adhoc": {
    StartAt: "Fire",
    States: {
      Fire: { Type: "Task", Resource: sdk("startTrigger"), Parameters: { Name: "adhoc" }, ResultPath: "$.fired", Next: "Read" },
      Read: { Type: "Task", Resource: sdk("getTrigger"), Parameters: { "Name.$": "$.fired.Name" }, ResultSelector: { "type.$": "$.Trigger.Type", "state.$": "$.Trigger.State" }, End: true },
    },
  },
  // The role may start and read runs, not stop them.
  "wf-stop-denied": {
    StartAt: "Stop",
    States: { Stop: { Type: "Task", Resource: sdk("stopWorkflowRun"), Parameters: { Name: POLLED, RunId: "wr_none" }, End: true } },
  },
  "wf-callback": {
    StartAt: "RunWorkflow",
    States: {
      RunWorkflow: { Type: "Task", Resource: sdk("startWorkflowRun.waitForTaskToken"), Parameters: { Name: CALLBACK, RunProperties: { "task_token.$": "$$.Task.Token", "batch.$": "$.batch" } }, TimeoutSeconds: 600, End: true },
    },
  },
};

function workflowModel() {
  const model = fixtureModel();
  const jobRole = "wf-job-role";
  model.resources.push(
    resource("aws:s3/bucketObjectv2:BucketObjectv2", "report-script", { bucket: BUCKET, key: "etl/report.py", content: REPORT_SCRIPT }),
    resource("aws:s3/bucketObjectv2:BucketObjectv2", "callback-script", { bucket: BUCKET, key: "etl/callback.py", content: CALLBACK_SCRIPT }),
    role(jobRole, "glue.amazonaws.com"),
    rolePolicy("wf-job-access", jobRole, [
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn.bucket}/etl/*`] },
      { Effect: "Allow", Action: ["glue:GetWorkflowRunProperties"], Resource: [workflowArn(CALLBACK)] },
      { Effect: "Allow", Action: ["states:SendTaskSuccess"], Resource: ["*"] },
    ]),
    ...[
      [REPORT_JOB, "report.py"],
      [CALLBACK_JOB, "callback.py"],
    ].map(([name, script]) =>
      resource("aws:glue/job:Job", name, {
        name,
        arn: `arn:aws:glue:${REGION}:${ACCOUNT}:job/${name}`,
        roleArn: arn.role(jobRole),
        command: { name: "pythonshell", pythonVersion: "3.9", scriptLocation: `s3://${BUCKET}/etl/${script}` },
        timeout: 5,
      }),
    ),
    // Pulumi's inputs, as a program declares them.
    resource("aws:glue/workflow:Workflow", "nightly", { name: POLLED, maxConcurrentRuns: 2 }),
    resource("aws:glue/trigger:Trigger", "nightly-start", { name: "nightly-start", type: "ON_DEMAND", workflowName: POLLED, actions: [{ jobName: JOB_NAME, arguments: { "--sleep_seconds": "0" } }] }),
    resource("aws:glue/trigger:Trigger", "nightly-report", {
      name: "nightly-report",
      type: "CONDITIONAL",
      workflowName: POLLED,
      predicate: { conditions: [{ jobName: JOB_NAME, state: "SUCCEEDED" }] },
      actions: [{ jobName: REPORT_JOB }],
    }),
    resource("aws:glue/trigger:Trigger", "nightly-cron", { name: "nightly-cron", type: "SCHEDULED", schedule: "cron(0 2 * * ? *)", actions: [{ jobName: JOB_NAME }] }),
    resource("aws:glue/trigger:Trigger", "adhoc", { name: "adhoc", type: "ON_DEMAND", actions: [{ jobName: JOB_NAME, arguments: { "--sleep_seconds": "0" } }] }),
    resource("aws:glue/workflow:Workflow", "callback", { name: CALLBACK, defaultRunProperties: { batch: "default" } }),
    resource("aws:glue/trigger:Trigger", "callback-start", { name: "callback-start", type: "ON_DEMAND", workflowName: CALLBACK, actions: [{ jobName: CALLBACK_JOB }] }),
  );
  const machineRole = "wf-machine-role";
  model.resources.push(
    role(machineRole, "states.amazonaws.com"),
    rolePolicy("wf-machine-policy", machineRole, [
      { Effect: "Allow", Action: ["glue:StartWorkflowRun", "glue:GetWorkflowRun"], Resource: [workflowArn(POLLED), workflowArn(CALLBACK)] },
      { Effect: "Allow", Action: ["glue:StartTrigger", "glue:GetTrigger"], Resource: [`arn:aws:glue:${REGION}:${ACCOUNT}:trigger/adhoc`] },
    ]),
  );
  for (const [name, definition] of Object.entries(MACHINES)) withStateMachine(model, name, definition, machineRole);
  return model;
}

describe("sandbox Glue workflows: program resources, aws-sdk:glue from state machines, the Glue API", function () {
  this.timeout(180_000);
  let rootDir: string;
  let sandbox: Sandbox;
  let sfn: SFNClient;
  let glue: GlueClient;

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-workflows-"));
    sandbox = await Sandbox.start(workflowModel(), { rootDir, timeScale: 0.1, glue: { startupDelayMs: 30 } });
    sfn = new SFNClient(sandbox.clientConfig("sfn"));
    glue = new GlueClient(sandbox.clientConfig("glue"));
  });
  after(async () => {
    sfn?.destroy();
    glue?.destroy();
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  const run = async (name: string, input: unknown) => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn.stateMachine(name), input: JSON.stringify(input) }));
    return waitForExecution(sfn, executionArn ?? "", 120_000);
  };

  it("lists the SCHEDULED trigger as not deployed, with why", () => {
    const line = sandbox.notDeployed.find((n) => n.name === "nightly-cron");
    assert.ok(line, "nightly-cron is listed");
    assert.match(line.reason, /no clock to fire SCHEDULED triggers/);
  });

  it("startWorkflowRun, then Wait + getWorkflowRun until COMPLETED: job B ran after A SUCCEEDED, with the workflow's arguments", async () => {
    const execution = await run("wf-poll", {});
    assert.equal(execution.status, "SUCCEEDED", execution.cause);
    const output = JSON.parse(execution.output ?? "{}") as { started: { RunId: string }; run: { status: string; stats: Record<string, number> } };
    assert.match(output.started.RunId, /^wr_[0-9a-f]{64}$/);
    assert.equal(output.run.stats.TotalActions, 2);
    assert.equal(output.run.stats.SucceededActions, 2);
    assert.equal(output.run.stats.FailedActions, 0);
    const { JobRuns = [] } = await glue.send(new GetJobRunsCommand({ JobName: REPORT_JOB }));
    assert.equal(JobRuns.length, 1);
    assert.equal(JobRuns[0].JobRunState, "SUCCEEDED");
    assert.equal(JobRuns[0].TriggerName, "nightly-report");
    assert.deepEqual(JobRuns[0].Arguments, { "--WORKFLOW_NAME": POLLED, "--WORKFLOW_RUN_ID": output.started.RunId });
  });

  it("startWorkflowRun.waitForTaskToken: the workflow's job reads the token from the run properties and sends SendTaskSuccess", async () => {
    const execution = await run("wf-callback", { batch: "2026-12-01" });
    assert.equal(execution.status, "SUCCEEDED", execution.cause);
    const output = JSON.parse(execution.output ?? "{}") as { workflowRunId: string; batch: string };
    assert.equal(output.batch, "2026-12-01");
    const { Run } = await glue.send(new GetWorkflowRunCommand({ Name: CALLBACK, RunId: output.workflowRunId }));
    assert.equal(Run?.WorkflowRunProperties?.batch, "2026-12-01");
  });

  it("startTrigger fires a standalone ON_DEMAND trigger: its job runs with the trigger's name; the trigger stays CREATED", async () => {
    const execution = await run("wf-adhoc", {});
    assert.equal(execution.status, "SUCCEEDED", execution.cause);
    assert.deepEqual(JSON.parse(execution.output ?? "{}"), { type: "ON_DEMAND", state: "CREATED" });
    const { JobRuns = [] } = await glue.send(new GetJobRunsCommand({ JobName: JOB_NAME }));
    const fired = JobRuns.filter((r) => r.TriggerName === "adhoc");
    assert.equal(fired.length, 1);
    assert.deepEqual(fired[0].Arguments, { "--sleep_seconds": "0" });
  });

  it("a call the machine's role does not allow fails the state with Glue.AccessDeniedException", async () => {
    const execution = await run("wf-stop-denied", {});
    assert.equal(execution.status, "FAILED");
    assert.equal(execution.error, "Glue.AccessDeniedException");
    assert.match(execution.cause ?? "", /glue:StopWorkflowRun/);
  });

  it("the Glue API answers with AWS's shapes; an unknown workflow is EntityNotFoundException", async () => {
    const { Trigger } = await glue.send(new GetTriggerCommand({ Name: "nightly-report" }));
    // Pulumi's enabled defaults to true: the conditional trigger is activated.
    assert.equal(Trigger?.State, "ACTIVATED");
    assert.deepEqual(Trigger?.Predicate?.Conditions, [{ JobName: JOB_NAME, State: "SUCCEEDED" }]);
    const { RunId } = await glue.send(new StartWorkflowRunCommand({ Name: POLLED, RunProperties: { day: "1" } }));
    const { Run } = await glue.send(new GetWorkflowRunCommand({ Name: POLLED, RunId }));
    assert.equal(Run?.Status, "RUNNING");
    assert.ok(Run?.StartedOn instanceof Date);
    const missing = await glue.send(new GetWorkflowRunCommand({ Name: "no-such-workflow", RunId })).catch((e: Error) => e);
    assert.equal((missing as Error).name, "EntityNotFoundException");
  });
});
