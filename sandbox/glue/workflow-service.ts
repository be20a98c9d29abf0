import { randomBytes } from "node:crypto";
import { AwsServiceError } from "../aws-error";
import type { Authorizer } from "../iam/authorizer";
import type { Principal } from "../iam/principals";
import type { CrawlStarter } from "./crawl-outcome";
import type { JobRun } from "./glue-service";
import {
  predicateHolds,
  triggerProblem,
  type EndedAction,
  type TriggerAction,
  type TriggerDefinition,
  type TriggerState,
} from "./trigger-definition";

/**
 * Glue workflows and triggers over the sandbox's job runs ("Overview of workflows in AWS Glue", "AWS Glue triggers").
 * A workflow run fires the workflow's start triggers, then every activated CONDITIONAL trigger of the workflow whose
 * predicate holds over this run's ended actions, each at most once per run; the run is COMPLETED when nothing runs any
 * more, whatever its jobs' outcomes (Statistics count them; ERROR is for a run that could not start). A standalone
 * ON_DEMAND trigger's StartTrigger starts a chain the same way: "Dependent jobs or crawlers are only started if the job
 * or crawler that completes was started by a trigger".
 */

/** What the workflow engine needs of Glue's job runs (the sandbox's GlueService). */
export interface WorkflowJobRuns {
  hasJob(jobName: string): boolean;
  startRunForTrigger(request: { JobName: string; Arguments?: Record<string, string>; Timeout?: number; TriggerName: string }): string;
  stopRunForTrigger(runId: string): void;
  whenFinished(runId: string): Promise<JobRun>;
}

export interface WorkflowServiceOptions {
  readonly region: string;
  readonly accountId: string;
  /** The crawler engine; without it a trigger with a crawler action or crawl condition is refused. */
  readonly crawls?: CrawlStarter;
}

export interface WorkflowDefinition {
  readonly Name: string;
  readonly Description?: string;
  readonly DefaultRunProperties?: Readonly<Record<string, string>>;
  /** Blank: no limit (model: Workflow.MaxConcurrentRuns). */
  readonly MaxConcurrentRuns?: number;
}

/** A trigger as created: its definition and whether it is activated. */
export interface TriggerSpec extends TriggerDefinition {
  /** CONDITIONAL triggers start ACTIVATED when created with StartOnCreation (Pulumi: enabled). */
  readonly StartOnCreation?: boolean;
}

export type WorkflowRunStatus = "RUNNING" | "COMPLETED" | "STOPPING" | "STOPPED" | "ERROR";

/** Model shape WorkflowRunStatistics. */
export interface WorkflowRunStatistics {
  TotalActions: number;
  TimeoutActions: number;
  FailedActions: number;
  StoppedActions: number;
  SucceededActions: number;
  RunningActions: number;
  ErroredActions: number;
  WaitingActions: number;
}

/** Model shape WorkflowRun (without Graph, added on request). */
export interface WorkflowRun {
  Name: string;
  WorkflowRunId: string;
  PreviousRunId?: string;
  WorkflowRunProperties: Record<string, string>;
  StartedOn: Date;
  CompletedOn?: Date;
  Status: WorkflowRunStatus;
  ErrorMessage?: string;
  Statistics: WorkflowRunStatistics;
}

/** One action a trigger started: a job run or a crawl, and how it stands. */
interface ActionRecord {
  readonly kind: "job" | "crawler";
  readonly name: string;
  readonly triggerName: string;
  readonly jobRunId?: string;
  /** A job run's JobRunState while it runs and when it ended; a crawl's RUNNING, then SUCCEEDED | FAILED | CANCELLED | ERROR. */
  state: string;
  ended: boolean;
}

/** The run triggers fire in: one workflow run, or the chain of one standalone on-demand trigger. */
interface Scope {
  readonly workflow?: { readonly name: string; readonly run: WorkflowRun };
  readonly actions: ActionRecord[];
  readonly fired: Set<string>;
  stopping: boolean;
}

interface WorkflowRecord {
  readonly definition: WorkflowDefinition;
  readonly createdOn: Date;
  lastModifiedOn: Date;
  readonly runs: Scope[];
}

interface TriggerRecord {
  definition: TriggerDefinition;
  state: TriggerState;
}

/** A workflow run id as Glue makes them: "wr_" and 64 hex characters. */
function newWorkflowRunId(): string {
  return `wr_${randomBytes(32).toString("hex")}`;
}

const notFound = (what: string) => new AwsServiceError("EntityNotFoundException", `${what} not found`);

export class GlueWorkflowService {
  private readonly workflows = new Map<string, WorkflowRecord>();
  private readonly triggers = new Map<string, TriggerRecord>();
  private readonly settled = new Set<Promise<void>>();

  constructor(
    private readonly definitions: { readonly workflows: readonly WorkflowDefinition[]; readonly triggers: readonly TriggerSpec[] },
    private readonly options: WorkflowServiceOptions,
    private readonly jobs: WorkflowJobRuns,
    private readonly authorizer: Pick<Authorizer, "authorize">,
  ) {
    this.deploy();
  }

  /** The model's workflows and triggers, as deployed; a trigger the sandbox cannot run stops the deployment, named. */
  private deploy(): void {
    this.workflows.clear();
    this.triggers.clear();
    for (const workflow of this.definitions.workflows) this.addWorkflow(workflow);
    for (const trigger of this.definitions.triggers) {
      const problem = this.problemOf(trigger);
      if (problem) throw new Error(`Glue trigger "${trigger.Name}" cannot be deployed: ${problem.message}`);
      this.addTrigger(trigger);
    }
  }

  workflowArn(name: string): string {
    return `arn:aws:glue:${this.options.region}:${this.options.accountId}:workflow/${name}`;
  }

  triggerArn(name: string): string {
    return `arn:aws:glue:${this.options.region}:${this.options.accountId}:trigger/${name}`;
  }

  // ---- Workflows -------------------------------------------------------------------------------------------

  async createWorkflow(caller: Principal, definition: WorkflowDefinition): Promise<{ Name: string }> {
    await this.authorize(caller, "glue:CreateWorkflow", this.workflowArn(definition.Name));
    if (this.workflows.has(definition.Name)) throw new AwsServiceError("AlreadyExistsException", `Workflow with name ${definition.Name} already exists`);
    this.addWorkflow(definition);
    return { Name: definition.Name };
  }

  async getWorkflow(caller: Principal, name: string, includeGraph = false): Promise<Record<string, unknown>> {
    await this.authorize(caller, "glue:GetWorkflow", this.workflowArn(name));
    const workflow = this.workflow(name);
    const last = workflow.runs.at(-1);
    return {
      Name: name,
      ...(workflow.definition.Description !== undefined ? { Description: workflow.definition.Description } : {}),
      DefaultRunProperties: { ...(workflow.definition.DefaultRunProperties ?? {}) },
      CreatedOn: workflow.createdOn,
      LastModifiedOn: workflow.lastModifiedOn,
      ...(last ? { LastRun: this.runView(last, includeGraph) } : {}),
      ...(workflow.definition.MaxConcurrentRuns !== undefined ? { MaxConcurrentRuns: workflow.definition.MaxConcurrentRuns } : {}),
      ...(includeGraph ? { Graph: this.graph(name) } : {}),
    };
  }

  async listWorkflows(caller: Principal): Promise<{ Workflows: string[] }> {
    await this.authorize(caller, "glue:ListWorkflows", "*");
    return { Workflows: [...this.workflows.keys()] };
  }

  /**
   * Deletes the workflow; an unknown name is not an error (model: DeleteWorkflow has no EntityNotFoundException). Its
   * triggers go with it (the API reference is silent): a trigger of a workflow that does not exist could never fire.
   */
  async deleteWorkflow(caller: Principal, name: string): Promise<{ Name: string }> {
    await this.authorize(caller, "glue:DeleteWorkflow", this.workflowArn(name));
    for (const [triggerName, trigger] of this.triggers) if (trigger.definition.WorkflowName === name) this.triggers.delete(triggerName);
    this.workflows.delete(name);
    return { Name: name };
  }

  async startWorkflowRun(caller: Principal, name: string, runProperties?: Record<string, string>): Promise<{ RunId: string }> {
    await this.authorize(caller, "glue:StartWorkflowRun", this.workflowArn(name));
    const workflow = this.workflow(name);
    const max = workflow.definition.MaxConcurrentRuns;
    const active = workflow.runs.filter((s) => s.workflow?.run.Status === "RUNNING" || s.workflow?.run.Status === "STOPPING").length;
    // Model: StartWorkflowRun's ConcurrentRunsExceededException; WorkflowRun.ErrorMessage "Concurrent runs exceeded for workflow: foo."
    if (max !== undefined && active >= max) throw new AwsServiceError("ConcurrentRunsExceededException", `Concurrent runs exceeded for workflow: ${name}.`);
    const starters = this.triggersOf(name).filter((t) => t.definition.Type !== "CONDITIONAL");
    if (starters.length === 0) {
      throw new AwsServiceError("InvalidInputException", `Workflow ${name} has no start trigger the sandbox runs (an ON_DEMAND trigger in the workflow); it would start nothing`);
    }
    const previous = workflow.runs.at(-1)?.workflow?.run.WorkflowRunId;
    const run: WorkflowRun = {
      Name: name,
      WorkflowRunId: newWorkflowRunId(),
      ...(previous !== undefined ? { PreviousRunId: previous } : {}),
      // The run's properties start from the workflow's defaults; the request's replace them key by key.
      WorkflowRunProperties: { ...(workflow.definition.DefaultRunProperties ?? {}), ...(runProperties ?? {}) },
      StartedOn: new Date(),
      Status: "RUNNING",
      Statistics: emptyStatistics(),
    };
    const scope: Scope = { workflow: { name, run }, actions: [], fired: new Set(), stopping: false };
    workflow.runs.push(scope);
    // The workflow's start triggers fire (the sandbox has ON_DEMAND ones only: it refuses SCHEDULED and EVENT).
    for (const trigger of starters) this.fire(scope, trigger.definition);
    this.settle(scope);
    return { RunId: run.WorkflowRunId };
  }

  async getWorkflowRun(caller: Principal, name: string, runId: string, includeGraph = false): Promise<WorkflowRun & { Graph?: unknown }> {
    await this.authorize(caller, "glue:GetWorkflowRun", this.workflowArn(name));
    return this.runView(this.run(name, runId), includeGraph);
  }

  /** Newest first. */
  async getWorkflowRuns(caller: Principal, name: string, maxResults = 100, nextToken?: string, includeGraph = false): Promise<{ Runs: WorkflowRun[]; NextToken?: string }> {
    await this.authorize(caller, "glue:GetWorkflowRuns", this.workflowArn(name));
    const all = [...this.workflow(name).runs].reverse();
    const start = nextToken ? Number.parseInt(nextToken, 10) : 0;
    if (!Number.isInteger(start) || start < 0) throw new AwsServiceError("InvalidInputException", `Invalid NextToken "${nextToken}"`);
    const page = all.slice(start, start + maxResults).map((s) => this.runView(s, includeGraph));
    return start + maxResults < all.length ? { Runs: page, NextToken: String(start + maxResults) } : { Runs: page };
  }

  async getWorkflowRunProperties(caller: Principal, name: string, runId: string): Promise<{ RunProperties: Record<string, string> }> {
    await this.authorize(caller, "glue:GetWorkflowRunProperties", this.workflowArn(name));
    return { RunProperties: { ...this.run(name, runId).workflow!.run.WorkflowRunProperties } };
  }

  /** "If a property already exists for the specified run, then it overrides the value otherwise adds the property" (model). */
  async putWorkflowRunProperties(caller: Principal, name: string, runId: string, properties: Record<string, string>): Promise<Record<string, never>> {
    await this.authorize(caller, "glue:PutWorkflowRunProperties", this.workflowArn(name));
    const run = this.run(name, runId).workflow!.run;
    Object.assign(run.WorkflowRunProperties, properties);
    return {};
  }

  /**
   * "When you stop a workflow run, all running jobs and crawlers are immediately terminated, and jobs and crawlers
   * that are not yet started never start ... The workflow run status goes from Running to Stopping, and ... to
   * Stopped" ("Stopping a workflow run"). A run that is not RUNNING: IllegalWorkflowStateException (model).
   */
  async stopWorkflowRun(caller: Principal, name: string, runId: string): Promise<Record<string, never>> {
    await this.authorize(caller, "glue:StopWorkflowRun", this.workflowArn(name));
    const scope = this.run(name, runId);
    const run = scope.workflow!.run;
    if (run.Status !== "RUNNING") throw new AwsServiceError("IllegalWorkflowStateException", `Workflow run ${runId} of ${name} is ${run.Status}, not RUNNING`);
    scope.stopping = true;
    run.Status = "STOPPING";
    for (const action of scope.actions) if (!action.ended && action.jobRunId) this.jobs.stopRunForTrigger(action.jobRunId);
    this.settle(scope);
    return {};
  }

  // ---- Triggers --------------------------------------------------------------------------------------------

  async createTrigger(caller: Principal, spec: TriggerSpec): Promise<{ Name: string }> {
    await this.authorize(caller, "glue:CreateTrigger", this.triggerArn(spec.Name));
    if (this.triggers.has(spec.Name)) throw new AwsServiceError("AlreadyExistsException", `Trigger with name ${spec.Name} already exists`);
    // Model: StartOnCreation "True is not supported for ON_DEMAND triggers".
    if (spec.Type === "ON_DEMAND" && spec.StartOnCreation === true) throw new AwsServiceError("InvalidInputException", `Trigger ${spec.Name}: StartOnCreation true is not supported for ON_DEMAND triggers`);
    const problem = this.problemOf(spec);
    if (problem) throw new AwsServiceError(problem.code, problem.message);
    this.addTrigger(spec);
    return { Name: spec.Name };
  }

  async getTrigger(caller: Principal, name: string): Promise<{ Trigger: Record<string, unknown> }> {
    await this.authorize(caller, "glue:GetTrigger", this.triggerArn(name));
    return { Trigger: triggerView(this.trigger(name)) };
  }

  /** The triggers that start DependentJobName, or every trigger ("if there is no such trigger, all triggers are returned"). */
  async getTriggers(caller: Principal, dependentJobName?: string): Promise<{ Triggers: Record<string, unknown>[] }> {
    await this.authorize(caller, "glue:GetTriggers", "*");
    const all = [...this.triggers.values()];
    const starting = dependentJobName === undefined ? [] : all.filter((t) => t.definition.Actions.some((a) => a.JobName === dependentJobName));
    return { Triggers: (starting.length > 0 ? starting : all).map(triggerView) };
  }

  async listTriggers(caller: Principal): Promise<{ TriggerNames: string[] }> {
    await this.authorize(caller, "glue:ListTriggers", "*");
    return { TriggerNames: [...this.triggers.keys()] };
  }

  /**
   * "Starting a trigger activates it ... When you activate an on-demand trigger, it fires immediately" ("Activating
   * and deactivating triggers"); on-demand triggers stay CREATED ("AWS Glue triggers").
   */
  async startTrigger(caller: Principal, name: string): Promise<{ Name: string }> {
    await this.authorize(caller, "glue:StartTrigger", this.triggerArn(name));
    const trigger = this.trigger(name);
    if (trigger.definition.Type !== "ON_DEMAND") {
      trigger.state = "ACTIVATED";
      return { Name: name };
    }
    if (trigger.definition.WorkflowName !== undefined) {
      throw new AwsServiceError(
        "InvalidInputException",
        `Trigger ${name} starts workflow ${trigger.definition.WorkflowName}: the sandbox starts a workflow's runs with StartWorkflowRun only`,
      );
    }
    const scope: Scope = { actions: [], fired: new Set(), stopping: false };
    this.fire(scope, trigger.definition);
    this.settle(scope);
    return { Name: name };
  }

  /** "Stopping a trigger deactivates it"; an on-demand trigger has no activated state to leave. */
  async stopTrigger(caller: Principal, name: string): Promise<{ Name: string }> {
    await this.authorize(caller, "glue:StopTrigger", this.triggerArn(name));
    const trigger = this.trigger(name);
    if (trigger.definition.Type !== "ON_DEMAND") trigger.state = "DEACTIVATED";
    return { Name: name };
  }

  /** "If the trigger is not found, no exception is thrown" (model: DeleteTrigger). */
  async deleteTrigger(caller: Principal, name: string): Promise<{ Name: string }> {
    await this.authorize(caller, "glue:DeleteTrigger", this.triggerArn(name));
    this.triggers.delete(name);
    return { Name: name };
  }

  /** TriggerUpdate "updates the previous trigger definition by overwriting it completely" (Triggers API). */
  async updateTrigger(caller: Principal, name: string, update: Omit<TriggerDefinition, "Name" | "Type" | "WorkflowName">): Promise<{ Trigger: Record<string, unknown> }> {
    await this.authorize(caller, "glue:UpdateTrigger", this.triggerArn(name));
    const trigger = this.trigger(name);
    const { Name, Type, WorkflowName } = trigger.definition;
    const definition: TriggerDefinition = { ...update, Name, Type, ...(WorkflowName !== undefined ? { WorkflowName } : {}) };
    const problem = this.problemOf(definition);
    if (problem) throw new AwsServiceError(problem.code, problem.message);
    trigger.definition = definition;
    return { Trigger: triggerView(trigger) };
  }

  /** Resolves when every action started so far has ended and its consequences have fired (tests and reset). */
  async idle(): Promise<void> {
    while (this.settled.size > 0) await Promise.all([...this.settled]);
  }

  /** Stops every run, forgets them, and puts back the model's workflows and triggers (the sandbox's reset). */
  async reset(): Promise<void> {
    for (const workflow of this.workflows.values()) {
      for (const scope of workflow.runs) {
        scope.stopping = true;
        for (const action of scope.actions) if (!action.ended && action.jobRunId) this.jobs.stopRunForTrigger(action.jobRunId);
      }
    }
    await this.idle();
    this.deploy();
  }

  // ---- The engine ------------------------------------------------------------------------------------------

  /** Starts the trigger's actions in the scope, once per scope. */
  private fire(scope: Scope, trigger: TriggerDefinition): void {
    if (scope.fired.has(trigger.Name) || scope.stopping) return;
    scope.fired.add(trigger.Name);
    for (const action of trigger.Actions) this.startAction(scope, trigger.Name, action);
  }

  private startAction(scope: Scope, triggerName: string, action: TriggerAction): void {
    if (action.JobName !== undefined) {
      // A workflow's jobs get --WORKFLOW_NAME and --WORKFLOW_RUN_ID ("Getting and setting workflow run properties").
      const workflowArgs: Record<string, string> = scope.workflow ? { "--WORKFLOW_NAME": scope.workflow.name, "--WORKFLOW_RUN_ID": scope.workflow.run.WorkflowRunId } : {};
      const jobRunId = this.jobs.startRunForTrigger({
        JobName: action.JobName,
        Arguments: { ...(action.Arguments ?? {}), ...workflowArgs },
        ...(action.Timeout !== undefined ? { Timeout: action.Timeout } : {}),
        TriggerName: triggerName,
      });
      const record: ActionRecord = { kind: "job", name: action.JobName, triggerName, jobRunId, state: "STARTING", ended: false };
      scope.actions.push(record);
      this.track(scope, record, this.jobs.whenFinished(jobRunId).then((run) => run.JobRunState));
      return;
    }
    const crawlerName = action.CrawlerName!;
    const record: ActionRecord = { kind: "crawler", name: crawlerName, triggerName, state: "RUNNING", ended: false };
    scope.actions.push(record);
    const crawls = this.options.crawls;
    // Refused at creation when no crawler engine is wired; kept as a guard.
    const outcome = crawls ? crawls.startCrawlFor(crawlerName).then((o) => o.State as string) : Promise.resolve("ERROR");
    // A crawler that cannot start (e.g. CrawlerRunningException) is an errored action of the run.
    this.track(scope, record, outcome.catch(() => "ERROR"));
  }

  private track(scope: Scope, record: ActionRecord, ended: Promise<string>): void {
    const settled = ended.then((state) => {
      record.state = state;
      record.ended = true;
      this.onActionEnded(scope);
    });
    this.settled.add(settled);
    void settled.finally(() => this.settled.delete(settled));
  }

  private onActionEnded(scope: Scope): void {
    if (!scope.stopping) {
      const ended: EndedAction[] = scope.actions.filter((a) => a.ended).map((a) => ({ kind: a.kind, name: a.name, state: a.state }));
      for (const trigger of this.conditionalTriggersFor(scope)) {
        if (!scope.fired.has(trigger.definition.Name) && predicateHolds(trigger.definition.Predicate, ended)) this.fire(scope, trigger.definition);
      }
    }
    this.settle(scope);
  }

  /** Ends a workflow run when none of its actions runs any more. */
  private settle(scope: Scope): void {
    const run = scope.workflow?.run;
    if (!run || (run.Status !== "RUNNING" && run.Status !== "STOPPING")) return;
    if (scope.actions.some((a) => !a.ended)) return;
    run.Status = scope.stopping ? "STOPPED" : "COMPLETED";
    run.CompletedOn = new Date();
  }

  /** Activated CONDITIONAL triggers that watch this scope: the workflow's own, or (outside workflows) the standalone ones. */
  private conditionalTriggersFor(scope: Scope): TriggerRecord[] {
    return [...this.triggers.values()].filter(
      (t) => t.definition.Type === "CONDITIONAL" && t.state === "ACTIVATED" && t.definition.WorkflowName === scope.workflow?.name,
    );
  }

  private triggersOf(workflowName: string): TriggerRecord[] {
    return [...this.triggers.values()].filter((t) => t.definition.WorkflowName === workflowName);
  }

  private runView(scope: Scope, includeGraph: boolean): WorkflowRun & { Graph?: unknown } {
    const run = scope.workflow!.run;
    return {
      ...run,
      WorkflowRunProperties: { ...run.WorkflowRunProperties },
      Statistics: statistics(scope.actions),
      ...(includeGraph ? { Graph: this.graph(run.Name, scope) } : {}),
    };
  }

  /** Model shape WorkflowGraph: a node per trigger, job and crawler; edges trigger -> action, watched -> trigger. */
  private graph(workflowName: string, scope?: Scope): { Nodes: Record<string, unknown>[]; Edges: { SourceId: string; DestinationId: string }[] } {
    const nodes = new Map<string, Record<string, unknown>>();
    const edges: { SourceId: string; DestinationId: string }[] = [];
    const node = (type: "TRIGGER" | "JOB" | "CRAWLER", name: string, details: Record<string, unknown>) => {
      const id = `wnode_${type.toLowerCase()}_${name}`;
      if (!nodes.has(id)) nodes.set(id, { Type: type, Name: name, UniqueId: id, ...details });
      return id;
    };
    const component = (kind: "job" | "crawler", name: string) =>
      kind === "job"
        ? node("JOB", name, { JobDetails: { JobRuns: [] } })
        : node("CRAWLER", name, { CrawlerDetails: { Crawls: [] } });
    for (const trigger of this.triggersOf(workflowName)) {
      const triggerId = node("TRIGGER", trigger.definition.Name, { TriggerDetails: { Trigger: triggerView(trigger) } });
      for (const action of trigger.definition.Actions) {
        edges.push({ SourceId: triggerId, DestinationId: component(action.JobName !== undefined ? "job" : "crawler", action.JobName ?? action.CrawlerName!) });
      }
      for (const condition of trigger.definition.Predicate?.Conditions ?? []) {
        edges.push({ SourceId: component(condition.JobName !== undefined ? "job" : "crawler", condition.JobName ?? condition.CrawlerName!), DestinationId: triggerId });
      }
    }
    if (scope) {
      for (const action of scope.actions) {
        const details = nodes.get(`wnode_${action.kind === "job" ? "job" : "crawler"}_${action.name}`);
        if (action.kind === "job" && details) (details.JobDetails as { JobRuns: unknown[] }).JobRuns.push({ Id: action.jobRunId, JobName: action.name, JobRunState: action.state, TriggerName: action.triggerName });
        if (action.kind === "crawler" && details) (details.CrawlerDetails as { Crawls: unknown[] }).Crawls.push({ State: action.state });
      }
    }
    return { Nodes: [...nodes.values()], Edges: edges };
  }

  private problemOf(trigger: TriggerDefinition) {
    return triggerProblem(trigger, {
      hasJob: (name) => this.jobs.hasJob(name),
      hasWorkflow: (name) => this.workflows.has(name),
      runsCrawlers: this.options.crawls !== undefined,
    });
  }

  private addWorkflow(definition: WorkflowDefinition): void {
    const now = new Date();
    this.workflows.set(definition.Name, { definition, createdOn: now, lastModifiedOn: now, runs: [] });
  }

  private addTrigger(spec: TriggerSpec): void {
    const { StartOnCreation, ...definition } = spec;
    // On-demand triggers "never enter the ACTIVATED or DEACTIVATED state" ("AWS Glue triggers").
    const state: TriggerState = definition.Type !== "ON_DEMAND" && StartOnCreation === true ? "ACTIVATED" : "CREATED";
    this.triggers.set(spec.Name, { definition, state });
  }

  private workflow(name: string): WorkflowRecord {
    const workflow = this.workflows.get(name);
    if (!workflow) throw notFound(`Workflow ${name}`);
    return workflow;
  }

  private run(name: string, runId: string): Scope {
    const scope = this.workflow(name).runs.find((s) => s.workflow?.run.WorkflowRunId === runId);
    if (!scope) throw notFound(`Workflow run ${runId} of workflow ${name}`);
    return scope;
  }

  private trigger(name: string): TriggerRecord {
    const trigger = this.triggers.get(name);
    if (!trigger) throw notFound(`Trigger ${name}`);
    return trigger;
  }

  private authorize(caller: Principal, action: string, resourceArn: string): Promise<void> {
    return this.authorizer.authorize({ principal: caller, action, resourceArn });
  }
}

function emptyStatistics(): WorkflowRunStatistics {
  return { TotalActions: 0, TimeoutActions: 0, FailedActions: 0, StoppedActions: 0, SucceededActions: 0, RunningActions: 0, ErroredActions: 0, WaitingActions: 0 };
}

/** Counts the run's actions by how they stand (model: WorkflowRunStatistics); a cancelled crawl counts as stopped. */
function statistics(actions: readonly ActionRecord[]): WorkflowRunStatistics {
  const stats = emptyStatistics();
  stats.TotalActions = actions.length;
  for (const action of actions) {
    if (!action.ended) {
      stats.RunningActions += 1;
      continue;
    }
    if (action.state === "SUCCEEDED") stats.SucceededActions += 1;
    else if (action.state === "FAILED") stats.FailedActions += 1;
    else if (action.state === "STOPPED" || action.state === "CANCELLED") stats.StoppedActions += 1;
    else if (action.state === "TIMEOUT") stats.TimeoutActions += 1;
    else stats.ErroredActions += 1;
  }
  return stats;
}

function triggerView(trigger: TriggerRecord): Record<string, unknown> {
  const d = trigger.definition;
  return {
    Name: d.Name,
    ...(d.WorkflowName !== undefined ? { WorkflowName: d.WorkflowName } : {}),
    Type: d.Type,
    State: trigger.state,
    ...(d.Description !== undefined ? { Description: d.Description } : {}),
    ...(d.Schedule !== undefined ? { Schedule: d.Schedule } : {}),
    Actions: d.Actions.map((a) => ({ ...a, ...(a.Arguments ? { Arguments: { ...a.Arguments } } : {}) })),
    ...(d.Predicate !== undefined ? { Predicate: d.Predicate } : {}),
  };
}
