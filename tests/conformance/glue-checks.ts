import { GetJobCommand, GetJobRunCommand, GetJobRunsCommand, StartJobRunCommand } from "@aws-sdk/client-glue";
import * as assert from "node:assert/strict";
import { rejectsWith, type ConformanceSandbox } from "./context";

/** Glue through the JavaScript SDK, each check naming the botocore model (glue/2017-03-31) rule it asserts. */
export function glueChecks(lab: () => ConformanceSandbox): void {
  it("GetJob (model: Job.Command.Name, PythonVersion, ScriptLocation) describes the program's python shell job", async () => {
    const { glue, outputs } = lab();
    const { Job } = await glue.send(new GetJobCommand({ JobName: outputs.jobName }));
    assert.equal(Job?.Name, outputs.jobName);
    assert.equal(Job?.Command?.Name, "pythonshell");
    assert.equal(Job?.Command?.PythonVersion, "3.9");
    assert.match(Job?.Command?.ScriptLocation ?? "", new RegExp(`^s3://${outputs.bucketName}/`));
    await rejectsWith(glue.send(new GetJobCommand({ JobName: "no-such-job" })), "EntityNotFoundException");
  });

  it("GetJobRuns / GetJobRun (model: JobRunState enum; errors EntityNotFoundException) show the run the state machine waited for", async () => {
    const { glue, outputs } = lab();
    const { JobRuns } = await glue.send(new GetJobRunsCommand({ JobName: outputs.jobName }));
    const succeeded = JobRuns?.find((r) => r.JobRunState === "SUCCEEDED");
    assert.ok(succeeded?.Id?.startsWith("jr_"), JSON.stringify(JobRuns));
    const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: outputs.jobName, RunId: succeeded?.Id }));
    assert.equal(JobRun?.JobRunState, "SUCCEEDED");
    assert.equal(JobRun?.LogGroupName, "/aws-glue/python-jobs");
    assert.ok(JobRun?.StartedOn instanceof Date && JobRun.CompletedOn instanceof Date);
    await rejectsWith(glue.send(new GetJobRunCommand({ JobName: outputs.jobName, RunId: "jr_0000" })), "EntityNotFoundException");
    await rejectsWith(glue.send(new StartJobRunCommand({ JobName: "no-such-job" })), "EntityNotFoundException");
  });
}
