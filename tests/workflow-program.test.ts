import { GetJobRunsCommand, GlueClient } from "@aws-sdk/client-glue";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { fixtureProgramSandbox } from "./helpers/fixtureProgramSandbox";
import { waitForExecution } from "../sandbox/testing/sfn-helpers";

/**
 * A plain Pulumi program (tests/fixtures/workflow-program) with aws.glue.Job, aws.glue.Workflow and aws.glue.Trigger,
 * evaluated under mocks: the sandbox deploys the workflow and its ON_DEMAND and CONDITIONAL triggers from the
 * model (the SCHEDULED one is listed as not deployed), and the program's machine runs the workflow to COMPLETED.
 */
describe("a Pulumi program's Glue workflow and triggers run in the sandbox", function () {
  this.timeout(180_000);
  const sandboxOf = fixtureProgramSandbox("workflow-program", 0.1);

  it("lists only the SCHEDULED trigger as not deployed", () => {
    assert.deepEqual(
      sandboxOf().notDeployed.map((n) => `${n.type} ${n.name}: ${n.reason}`),
      ["aws:glue/trigger:Trigger nightly-cron: the sandbox has no clock to fire SCHEDULED triggers"],
    );
  });

  it("the machine starts the workflow and polls it to COMPLETED: load ran after extract SUCCEEDED", async () => {
    const outputs = sandboxOf().model.outputs as { machineArn: string; loadJobName: string; workflowName: string };
    const sfn = new SFNClient(sandboxOf().clientConfig("sfn"));
    const glue = new GlueClient(sandboxOf().clientConfig("glue"));
    try {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: outputs.machineArn, input: "{}" }));
      const done = await waitForExecution(sfn, executionArn ?? "", 120_000);
      assert.equal(done.status, "SUCCEEDED", done.cause);
      const output = JSON.parse(done.output ?? "{}") as { started: { RunId: string }; run: { stats: Record<string, number> } };
      assert.equal(output.run.stats.SucceededActions, 2);
      const { JobRuns = [] } = await glue.send(new GetJobRunsCommand({ JobName: outputs.loadJobName }));
      assert.equal(JobRuns[0]?.JobRunState, "SUCCEEDED", JobRuns[0]?.ErrorMessage);
      assert.equal(JobRuns[0]?.Arguments?.["--WORKFLOW_NAME"], outputs.workflowName);
      assert.equal(JobRuns[0]?.Arguments?.["--WORKFLOW_RUN_ID"], output.started.RunId);
    } finally {
      sfn.destroy();
      glue.destroy();
    }
  });
});
