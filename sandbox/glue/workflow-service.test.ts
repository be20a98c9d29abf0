/**
 * The workflow engine over a scripted double of Glue's job runs (each job ends in the state the test gives it), so
 * the orchestration is what is tested: which triggers fire, with which arguments, and how the run's Status and
 * Statistics read. Expected values come from the Glue API model and developer guide cited in workflow-service.ts.
 */
import * as assert from "node:assert/strict";
import { AwsServiceError } from "../aws-error";
import type { Principal } from "../iam/principals";
import type { CrawlOutcome, CrawlStarter } from "./crawl-outcome";
import type { JobRun, JobRunState } from "./glue-service";
import { GlueWorkflowService, type TriggerSpec, type WorkflowDefinition, type WorkflowJobRuns } from "./workflow-service";

const CALLER = { arn: "arn:aws:sts::123456789012:assumed-role/machine/exec" } as unknown as Principal;

interface StartedRun {
  readonly id: string;
  readonly JobName: string;
  readonly Arguments: Record<string, string>;
  readonly TriggerName: string;
  readonly Timeout?: number;
}

/** Job runs that end, after a tick, in the state scripted for their job; "hang" runs until stopped. */
class ScriptedJobRuns implements WorkflowJobRuns {
  readonly started: StartedRun[] = [];
  private readonly finishers = new Map<string, (state: JobRunState) => void>();
  private readonly finished = new Map<string, Promise<JobRun>>();

  constructor(private readonly outcomes: Record<string, JobRunState | "hang">) {}

  hasJob(jobName: string): boolean {
    return jobName in this.outcomes;
  }

  startRunForTrigger(request: { JobName: string; Arguments?: Record<string, string>; Timeout?: number; TriggerName: string }): string {
    const id = `jr_${this.started.length + 1}`;
    this.started.push({ id, JobName: request.JobName, Arguments: request.Arguments ?? {}, TriggerName: request.TriggerName, Timeout: request.Timeout });
    this.finished.set(
      id,
      new Promise<JobRun>((resolve) => {
        const end = (state: JobRunState) => resolve({ Id: id, JobName: request.JobName, JobRunState: state } as JobRun);
        this.finishers.set(id, end);
        const outcome = this.outcomes[request.JobName];
        if (outcome !== "hang") setTimeout(() => end(outcome), 5);
      }),
    );
    return id;
  }

  stopRunForTrigger(runId: string): void {
    this.finishers.get(runId)?.("STOPPED");
  }

  whenFinished(runId: string): Promise<JobRun> {
    return this.finished.get(runId)!;
  }

  jobsStarted(): string[] {
    return this.started.map((r) => r.JobName);
  }
}

const allow = { authorize: async () => undefined };

function engine(jobs: ScriptedJobRuns, workflows: WorkflowDefinition[], triggers: TriggerSpec[], crawls?: CrawlStarter): GlueWorkflowService {
  return new GlueWorkflowService({ workflows, triggers }, { region: "eu-west-1", accountId: "123456789012", ...(crawls ? { crawls } : {}) }, jobs, allow);
}

const start = (workflow: string, jobs: string[]): TriggerSpec => ({ Name: `${workflow}-start`, WorkflowName: workflow, Type: "ON_DEMAND", Actions: jobs.map((JobName) => ({ JobName })) });
const after = (name: string, workflow: string | undefined, logical: "AND" | "ANY", watched: [string, JobRunState][], job: string): TriggerSpec => ({
  Name: name,
  ...(workflow !== undefined ? { WorkflowName: workflow } : {}),
  Type: "CONDITIONAL",
  StartOnCreation: true,
  Predicate: { Logical: logical, Conditions: watched.map(([JobName, State]) => ({ LogicalOperator: "EQUALS" as const, JobName, State })) },
  Actions: [{ JobName: job }],
});

async function runToEnd(service: GlueWorkflowService, workflow: string, properties?: Record<string, string>) {
  const { RunId } = await service.startWorkflowRun(CALLER, workflow, properties);
  await service.idle();
  return service.getWorkflowRun(CALLER, workflow, RunId);
}

describe("Glue workflows and triggers (engine)", () => {
  it("runs job B after job A SUCCEEDED, each with --WORKFLOW_NAME/--WORKFLOW_RUN_ID, and COMPLETES with both succeeded", async () => {
    const jobs = new ScriptedJobRuns({ A: "SUCCEEDED", B: "SUCCEEDED" });
    const service = engine(jobs, [{ Name: "wf" }], [{ ...start("wf", ["A"]), Actions: [{ JobName: "A", Arguments: { "--day": "1" }, Timeout: 5 }] }, after("b-after-a", "wf", "AND", [["A", "SUCCEEDED"]], "B")]);
    const run = await runToEnd(service, "wf");
    assert.deepEqual(jobs.jobsStarted(), ["A", "B"]);
    const [a, b] = jobs.started;
    // Action.Arguments replace the job's defaults for the run; the workflow adds its name and run id.
    assert.deepEqual(a.Arguments, { "--day": "1", "--WORKFLOW_NAME": "wf", "--WORKFLOW_RUN_ID": run.WorkflowRunId });
    assert.equal(a.Timeout, 5);
    assert.equal(a.TriggerName, "wf-start");
    assert.equal(b.TriggerName, "b-after-a");
    assert.match(run.WorkflowRunId, /^wr_[0-9a-f]{64}$/);
    assert.equal(run.Status, "COMPLETED");
    assert.ok(run.CompletedOn instanceof Date);
    assert.deepEqual(run.Statistics, { TotalActions: 2, TimeoutActions: 0, FailedActions: 0, StoppedActions: 0, SucceededActions: 2, RunningActions: 0, ErroredActions: 0, WaitingActions: 0 });
  });

  it("a failed job: its SUCCEEDED-watching trigger never fires, a FAILED-watching one does; the run is COMPLETED with FailedActions 1", async () => {
    const jobs = new ScriptedJobRuns({ A: "FAILED", B: "SUCCEEDED", Cleanup: "SUCCEEDED" });
    const service = engine(jobs, [{ Name: "wf" }], [start("wf", ["A"]), after("on-ok", "wf", "AND", [["A", "SUCCEEDED"]], "B"), after("on-fail", "wf", "AND", [["A", "FAILED"]], "Cleanup")]);
    const run = await runToEnd(service, "wf");
    assert.deepEqual(jobs.jobsStarted(), ["A", "Cleanup"]);
    assert.equal(run.Status, "COMPLETED");
    assert.equal(run.Statistics.TotalActions, 2);
    assert.equal(run.Statistics.FailedActions, 1);
    assert.equal(run.Statistics.SucceededActions, 1);
  });

  it("ANY fires when one watched job ends in its state, once per run; AND waits for all of them", async () => {
    const triggers = [
      start("wf", ["A", "B"]),
      after("any", "wf", "ANY", [["A", "SUCCEEDED"], ["B", "SUCCEEDED"]], "Any"),
      after("all", "wf", "AND", [["A", "SUCCEEDED"], ["B", "SUCCEEDED"]], "All"),
    ];
    const bothSucceed = new ScriptedJobRuns({ A: "SUCCEEDED", B: "SUCCEEDED", Any: "SUCCEEDED", All: "SUCCEEDED" });
    const both = await runToEnd(engine(bothSucceed, [{ Name: "wf" }], triggers), "wf");
    assert.deepEqual(bothSucceed.jobsStarted().sort(), ["A", "All", "Any", "B"]);
    assert.equal(both.Statistics.TotalActions, 4);
    const oneFails = new ScriptedJobRuns({ A: "SUCCEEDED", B: "FAILED", Any: "SUCCEEDED", All: "SUCCEEDED" });
    const one = await runToEnd(engine(oneFails, [{ Name: "wf" }], triggers), "wf");
    assert.deepEqual(oneFails.jobsStarted().sort(), ["A", "Any", "B"]);
    assert.equal(one.Status, "COMPLETED");
  });

  it("a conditional trigger created without StartOnCreation stays CREATED and does not fire", async () => {
    const jobs = new ScriptedJobRuns({ A: "SUCCEEDED", B: "SUCCEEDED" });
    const service = engine(jobs, [{ Name: "wf" }], [start("wf", ["A"]), { ...after("b", "wf", "AND", [["A", "SUCCEEDED"]], "B"), StartOnCreation: false }]);
    await runToEnd(service, "wf");
    assert.deepEqual(jobs.jobsStarted(), ["A"]);
    assert.equal((await service.getTrigger(CALLER, "b")).Trigger.State, "CREATED");
  });

  it("run properties: defaults merged with StartWorkflowRun's, Put overrides and adds", async () => {
    const jobs = new ScriptedJobRuns({ A: "hang" });
    const service = engine(jobs, [{ Name: "wf", DefaultRunProperties: { target: "s3://a", format: "csv" } }], [start("wf", ["A"])]);
    const { RunId } = await service.startWorkflowRun(CALLER, "wf", { format: "json" });
    assert.deepEqual((await service.getWorkflowRunProperties(CALLER, "wf", RunId)).RunProperties, { target: "s3://a", format: "json" });
    await service.putWorkflowRunProperties(CALLER, "wf", RunId, { format: "parquet", extra: "1" });
    assert.deepEqual((await service.getWorkflowRunProperties(CALLER, "wf", RunId)).RunProperties, { target: "s3://a", format: "parquet", extra: "1" });
    await service.stopWorkflowRun(CALLER, "wf", RunId);
    await service.idle();
  });

  it("MaxConcurrentRuns: a second run while one runs is ConcurrentRunsExceededException; after it ends another starts", async () => {
    const jobs = new ScriptedJobRuns({ A: "hang" });
    const service = engine(jobs, [{ Name: "wf", MaxConcurrentRuns: 1 }], [start("wf", ["A"])]);
    const { RunId } = await service.startWorkflowRun(CALLER, "wf");
    await assert.rejects(service.startWorkflowRun(CALLER, "wf"), (e: unknown) => e instanceof AwsServiceError && e.code === "ConcurrentRunsExceededException" && /Concurrent runs exceeded for workflow: wf/.test(e.message));
    await service.stopWorkflowRun(CALLER, "wf", RunId);
    await service.idle();
    const second = await service.startWorkflowRun(CALLER, "wf");
    assert.notEqual(second.RunId, RunId);
    const runs = await service.getWorkflowRuns(CALLER, "wf");
    assert.deepEqual(runs.Runs.map((r) => r.WorkflowRunId), [second.RunId, RunId]);
    assert.equal(runs.Runs[0].PreviousRunId, RunId);
    await service.reset();
  });

  it("StopWorkflowRun stops running jobs, starts nothing after, ends STOPPED; stopping it again is IllegalWorkflowStateException", async () => {
    const jobs = new ScriptedJobRuns({ A: "hang", B: "SUCCEEDED" });
    const service = engine(jobs, [{ Name: "wf" }], [start("wf", ["A"]), after("b", "wf", "ANY", [["A", "STOPPED"]], "B")]);
    const { RunId } = await service.startWorkflowRun(CALLER, "wf");
    const running = await service.getWorkflowRun(CALLER, "wf", RunId);
    assert.equal(running.Status, "RUNNING");
    assert.equal(running.Statistics.RunningActions, 1);
    await service.stopWorkflowRun(CALLER, "wf", RunId);
    await service.idle();
    const stopped = await service.getWorkflowRun(CALLER, "wf", RunId);
    assert.equal(stopped.Status, "STOPPED");
    assert.equal(stopped.Statistics.StoppedActions, 1);
    assert.deepEqual(jobs.jobsStarted(), ["A"]);
    await assert.rejects(service.stopWorkflowRun(CALLER, "wf", RunId), (e: unknown) => e instanceof AwsServiceError && e.code === "IllegalWorkflowStateException");
  });

  it("standalone triggers: StartTrigger fires an ON_DEMAND trigger; an activated CONDITIONAL one follows its chain", async () => {
    const jobs = new ScriptedJobRuns({ A: "SUCCEEDED", B: "SUCCEEDED" });
    const service = engine(jobs, [], [{ Name: "go", Type: "ON_DEMAND", Actions: [{ JobName: "A" }] }, { ...after("then-b", undefined, "AND", [["A", "SUCCEEDED"]], "B"), StartOnCreation: false }]);
    // Not activated yet: A runs alone.
    await service.startTrigger(CALLER, "go");
    await service.idle();
    assert.deepEqual(jobs.jobsStarted(), ["A"]);
    assert.equal((await service.startTrigger(CALLER, "then-b")).Name, "then-b");
    assert.equal((await service.getTrigger(CALLER, "then-b")).Trigger.State, "ACTIVATED");
    assert.equal((await service.getTrigger(CALLER, "go")).Trigger.State, "CREATED");
    await service.startTrigger(CALLER, "go");
    await service.idle();
    assert.deepEqual(jobs.jobsStarted(), ["A", "A", "B"]);
    // Outside a workflow a job gets no workflow arguments.
    assert.deepEqual(jobs.started[2].Arguments, {});
    await service.stopTrigger(CALLER, "then-b");
    assert.equal((await service.getTrigger(CALLER, "then-b")).Trigger.State, "DEACTIVATED");
  });

  it("crawler actions and crawl conditions go through the CrawlStarter; without one they are refused", async () => {
    const crawled: string[] = [];
    const crawls: CrawlStarter = {
      startCrawlFor: async (name): Promise<CrawlOutcome> => {
        crawled.push(name);
        return { State: "SUCCEEDED" };
      },
    };
    const jobs = new ScriptedJobRuns({ Load: "SUCCEEDED" });
    const triggers: TriggerSpec[] = [
      { Name: "crawl", WorkflowName: "wf", Type: "ON_DEMAND", Actions: [{ CrawlerName: "raw" }] },
      { Name: "load", WorkflowName: "wf", Type: "CONDITIONAL", StartOnCreation: true, Predicate: { Conditions: [{ CrawlerName: "raw", CrawlState: "SUCCEEDED" }] }, Actions: [{ JobName: "Load" }] },
    ];
    const run = await runToEnd(engine(jobs, [{ Name: "wf" }], triggers, crawls), "wf");
    assert.deepEqual(crawled, ["raw"]);
    assert.deepEqual(jobs.jobsStarted(), ["Load"]);
    assert.equal(run.Statistics.SucceededActions, 2);
    assert.throws(() => engine(jobs, [{ Name: "wf" }], triggers), /Glue trigger "crawl" cannot be deployed: Trigger crawl action 1 starts crawler raw: this sandbox runs no crawlers/);
  });

  it("CreateTrigger refuses SCHEDULED and EVENT triggers, unknown jobs, and conditions on states a trigger cannot watch", async () => {
    const service = engine(new ScriptedJobRuns({ A: "SUCCEEDED" }), [{ Name: "wf" }], []);
    const refused = async (spec: TriggerSpec, code: string, message: RegExp) =>
      assert.rejects(service.createTrigger(CALLER, spec), (e: unknown) => e instanceof AwsServiceError && e.code === code && message.test(e.message));
    await refused({ Name: "nightly", Type: "SCHEDULED", Schedule: "cron(0 2 * * ? *)", Actions: [{ JobName: "A" }] }, "InvalidInputException", /does not run SCHEDULED triggers/);
    await refused({ Name: "ev", WorkflowName: "wf", Type: "EVENT", Actions: [{ JobName: "A" }] }, "InvalidInputException", /does not run EVENT triggers/);
    await refused({ Name: "x", Type: "ON_DEMAND", Actions: [{ JobName: "Nope" }] }, "EntityNotFoundException", /Job Nope not found/);
    await refused({ ...after("c", "wf", "AND", [["A", "RUNNING" as JobRunState]], "A") }, "InvalidInputException", /SUCCEEDED, STOPPED, FAILED, TIMEOUT only/);
    await refused({ Name: "y", WorkflowName: "missing", Type: "ON_DEMAND", Actions: [{ JobName: "A" }] }, "EntityNotFoundException", /Workflow missing not found/);
    await refused({ Name: "z", Type: "ON_DEMAND", StartOnCreation: true, Actions: [{ JobName: "A" }] }, "InvalidInputException", /not supported for ON_DEMAND/);
    await service.createTrigger(CALLER, { Name: "ok", Type: "ON_DEMAND", Actions: [{ JobName: "A" }] });
    await assert.rejects(service.createTrigger(CALLER, { Name: "ok", Type: "ON_DEMAND", Actions: [{ JobName: "A" }] }), (e: unknown) => e instanceof AwsServiceError && e.code === "AlreadyExistsException");
  });

  it("UpdateTrigger overwrites the definition; GetTriggers(DependentJobName) finds the trigger that starts the job; DeleteWorkflow takes its triggers", async () => {
    const jobs = new ScriptedJobRuns({ A: "SUCCEEDED", B: "SUCCEEDED", C: "SUCCEEDED" });
    const service = engine(jobs, [{ Name: "wf" }], [start("wf", ["A"]), after("next", "wf", "AND", [["A", "SUCCEEDED"]], "B")]);
    const updated = await service.updateTrigger(CALLER, "next", { Actions: [{ JobName: "C" }], Predicate: { Conditions: [{ JobName: "A", State: "SUCCEEDED" }] } });
    assert.deepEqual(updated.Trigger.Actions, [{ JobName: "C" }]);
    assert.equal(updated.Trigger.Type, "CONDITIONAL");
    await runToEnd(service, "wf");
    assert.deepEqual(jobs.jobsStarted(), ["A", "C"]);
    assert.deepEqual((await service.getTriggers(CALLER, "C")).Triggers.map((t) => t.Name), ["next"]);
    // "if there is no such trigger, all triggers are returned" (model: GetTriggers.DependentJobName).
    assert.deepEqual((await service.getTriggers(CALLER, "B")).Triggers.map((t) => t.Name), ["wf-start", "next"]);
    await assert.rejects(service.updateTrigger(CALLER, "next", { Actions: [{ JobName: "Nope" }] }), (e: unknown) => e instanceof AwsServiceError && e.code === "EntityNotFoundException");
    assert.deepEqual(await service.deleteWorkflow(CALLER, "wf"), { Name: "wf" });
    assert.deepEqual((await service.listTriggers(CALLER)).TriggerNames, []);
    await assert.rejects(service.getWorkflow(CALLER, "wf"), (e: unknown) => e instanceof AwsServiceError && e.code === "EntityNotFoundException");
  });

  it("GetWorkflow with IncludeGraph: trigger, job nodes and edges; the last run", async () => {
    const jobs = new ScriptedJobRuns({ A: "SUCCEEDED", B: "SUCCEEDED" });
    const service = engine(jobs, [{ Name: "wf" }], [start("wf", ["A"]), after("b", "wf", "AND", [["A", "SUCCEEDED"]], "B")]);
    const run = await runToEnd(service, "wf");
    const workflow = await service.getWorkflow(CALLER, "wf", true);
    const graph = workflow.Graph as { Nodes: { Type: string; Name: string; UniqueId: string }[]; Edges: { SourceId: string; DestinationId: string }[] };
    assert.deepEqual(graph.Nodes.map((n) => `${n.Type}:${n.Name}`).sort(), ["JOB:A", "JOB:B", "TRIGGER:b", "TRIGGER:wf-start"]);
    const id = (name: string) => graph.Nodes.find((n) => n.Name === name)!.UniqueId;
    assert.deepEqual(graph.Edges, [
      { SourceId: id("wf-start"), DestinationId: id("A") },
      { SourceId: id("b"), DestinationId: id("B") },
      { SourceId: id("A"), DestinationId: id("b") },
    ]);
    assert.equal((workflow.LastRun as { WorkflowRunId: string }).WorkflowRunId, run.WorkflowRunId);
  });
});
