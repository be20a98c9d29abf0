import { BatchStopJobRunCommand, GetJobRunCommand, GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";
import { DescribeExecutionCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildPattern, PATTERN_NAMES, type PatternName } from "../../components/patterns";
import { analyzeDefinition } from "../../policy/analysis";
import { Sandbox } from "../../sandbox";
import { loadProgramModel, resourcesOfType, type ProgramModel } from "../../sandbox/model";
import { history, lastTaskFailure, waitForExecution, waitForTaskToken } from "../../sandbox/testing/sfn-helpers";
import { policiesByRole } from "../helpers/iamPolicies";

const TARGETS = {
  checkFileFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:check-file",
  validateFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:validate-output",
  jobName: "etl",
};

/** The findings that make a verdict: rule, level and state (messages name each language's own fix). */
const verdicts = (definition: object) => analyzeDefinition(definition).findings.map((f) => [f.rule, f.level, f.state]);

describe("the three patterns in JSONata", () => {
  for (const pattern of PATTERN_NAMES) {
    it(`${pattern}: a JSONata machine with the JSONPath twin's states, and the policy pack's verdicts on both are the same`, () => {
      const jsonPath = buildPattern(pattern, TARGETS);
      const jsonata = buildPattern(pattern, TARGETS, { queryLanguage: "JSONata" });
      assert.equal(jsonata.QueryLanguage, "JSONata");
      assert.deepEqual(Object.keys(jsonata.States), Object.keys(jsonPath.States));
      const text = JSON.stringify(jsonata);
      assert.doesNotMatch(text, /"(Parameters|ResultSelector|ResultPath|CausePath)"|\.\$"/, "no JSONPath field in a JSONata machine");
      assert.deepEqual(verdicts(jsonata), verdicts(jsonPath));
    });
  }

  it("refuses a query language it does not know", () => {
    assert.throws(() => buildPattern("run-job", TARGETS, { queryLanguage: "XPath" as never }), /queryLanguage must be "JSONPath" or "JSONata"/);
  });
});

describe("the lab with queryLanguage JSONata, in the sandbox", function () {
  this.timeout(180_000);
  let jsonPathModel: ProgramModel;
  let jsonataModel: ProgramModel;
  let sandbox: Sandbox;
  let rootDir: string;
  let sfn: SFNClient;
  let glue: GlueClient;
  const outputs = () => jsonataModel.outputs as unknown as { stateMachineArns: Record<PatternName, string>; jobName: string };
  const run = async (pattern: PatternName) =>
    (await sfn.send(new StartExecutionCommand({ stateMachineArn: outputs().stateMachineArns[pattern], input: "{}" }))).executionArn as string;

  before(async () => {
    jsonPathModel = await loadProgramModel({ stack: "dev" });
    jsonataModel = await loadProgramModel({ stack: "dev", config: { queryLanguage: "JSONata" } });
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-jsonata-lab-"));
    sandbox = await Sandbox.start(structuredClone(jsonataModel), { rootDir, timeScale: 0.05, glue: { startupDelayMs: 30 }, sfn: { syncPollIntervalMs: 40 }, writeConnectionFile: false });
    sfn = new SFNClient(sandbox.clientConfig("sfn"));
    glue = new GlueClient(sandbox.clientConfig("glue"));
  });
  after(async () => {
    await sandbox?.stop();
    if (rootDir) rmSync(rootDir, { recursive: true, force: true });
  });

  it("deploys JSONata definitions, and derives the same role policies as for JSONPath", () => {
    for (const machine of resourcesOfType(jsonataModel, "aws:sfn/stateMachine:StateMachine")) {
      assert.equal(JSON.parse(String(machine.inputs.definition)).QueryLanguage, "JSONata", machine.name);
    }
    const statements = (model: ProgramModel) => [...policiesByRole(model).values()].map((list) => list.map((s) => [s.Action, s.Resource]));
    assert.deepEqual(statements(jsonataModel), statements(jsonPathModel));
  });

  it("request-response ends FAILED at Validate, as its JSONPath twin", async () => {
    const done = await waitForExecution(sfn, await run("request-response"));
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "OutputInvalid");
    assert.match(done.cause ?? "", /No output for Glue job run jr_/);
    const failure = lastTaskFailure(await history(sfn, done.executionArn as string));
    assert.deepEqual([failure.state, failure.error], ["Validate", "ValidationFailed"]);
  });

  it("run-job SUCCEEDS after the .sync Glue run, with the output its JSONPath twin gives", async () => {
    const done = await waitForExecution(sfn, await run("run-job"));
    assert.equal(done.status, "SUCCEEDED", `${done.error}: ${done.cause}`);
    const output = JSON.parse(done.output ?? "{}");
    assert.deepEqual(Object.keys(output).sort(), ["checkFile", "etl", "validation"]);
    assert.equal(output.etl.JobRunState, "SUCCEEDED");
    assert.match(output.etl.JobRunId, /^jr_/);
    const report = output.validation.report;
    assert.equal(report.jobRunId, output.etl.JobRunId);
    // The lab's data file: 2,000 rows, 1,400 kept, 596 filtered out, 4 malformed (the JSONPath lab's counts).
    assert.deepEqual([report.inputRows, report.kept, report.filteredOut, report.rejected], [2000, 1400, 596, 4]);
  });

  it("wait-for-callback pauses with $states.context.Task.Token in the payload, and SUCCEEDS after approval", async () => {
    const executionArn = await run("wait-for-callback");
    const token = await waitForTaskToken(sfn, executionArn);
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: outputs().jobName }));
    for (;;) {
      const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: outputs().jobName, RunId: JobRunId }));
      if (JobRun?.JobRunState === "SUCCEEDED") break;
      assert.ok(!["FAILED", "STOPPED", "TIMEOUT"].includes(JobRun?.JobRunState ?? ""), JobRun?.ErrorMessage);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, "RUNNING");
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ JobRunId }) }));
    const done = await waitForExecution(sfn, executionArn);
    assert.equal(done.status, "SUCCEEDED", `${done.error}: ${done.cause}`);
    assert.equal(JSON.parse(done.output ?? "{}").etl.JobRunId, JobRunId);
  });

  it("event-driven-callback SUCCEEDS from the run's state-change event, with the output its JSONPath twin gives", async () => {
    const done = await waitForExecution(sfn, await run("event-driven-callback"));
    assert.equal(done.status, "SUCCEEDED", `${done.error}: ${done.cause}`);
    const output = JSON.parse(done.output ?? "{}");
    assert.deepEqual(Object.keys(output).sort(), ["checkFile", "etl", "validation"]);
    assert.equal(output.etl.JobRunState, "SUCCEEDED");
    assert.equal(output.validation.report.jobRunId, output.etl.JobRunId);
  });

  it("event-driven-callback fails with the error and cause the callback sent (EtlFailed's Error and Cause are JSONata expressions)", async () => {
    const running = new Promise<string>((resolve) => {
      const unsubscribe = sandbox.onJobRunChange((r) => {
        if (r.JobRunState !== "RUNNING") return;
        unsubscribe();
        resolve(r.Id);
      });
    });
    const executionArn = await run("event-driven-callback");
    await glue.send(new BatchStopJobRunCommand({ JobName: outputs().jobName, JobRunIds: [await running] }));
    const done = await waitForExecution(sfn, executionArn);
    assert.deepEqual([done.status, done.error], ["FAILED", "GlueJobRun.STOPPED"]);
    assert.match(done.cause ?? "", /is STOPPED, not SUCCEEDED/);
  });

  it("StopExecution aborts a paused JSONata execution; its token is then spent (TaskTimedOut)", async () => {
    const executionArn = await run("wait-for-callback");
    const token = await waitForTaskToken(sfn, executionArn);
    await sfn.send(new StopExecutionCommand({ executionArn, error: "Operator.Stopped", cause: "not needed" }));
    const done = await waitForExecution(sfn, executionArn);
    assert.deepEqual([done.status, done.error, done.cause], ["ABORTED", "Operator.Stopped", "not needed"]);
    await assert.rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })), (e: Error) => e.name === "TaskTimedOut");
  });
});
