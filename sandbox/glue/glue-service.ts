import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { AwsServiceError } from "../aws-error";
import type { Authorizer } from "../iam/authorizer";
import type { Principal, PrincipalDirectory } from "../iam/principals";
import type { GlueJobView } from "../model-view";
import { DPU_PER_WORKER } from "../../components/glueWorkers";
import { pageOf } from "../endpoints/paging";
import type { ApiJobDefinition } from "./job-definition";
import { downloadJobFiles, s3UriList, startScript, type RunningScript, type ScriptRunSpec } from "./script-runner";
import { sparkRunEnvironment } from "./spark-run";

export type JobRunState = "STARTING" | "RUNNING" | "STOPPING" | "STOPPED" | "SUCCEEDED" | "FAILED" | "TIMEOUT";

export const TERMINAL_STATES: readonly JobRunState[] = ["STOPPED", "SUCCEEDED", "FAILED", "TIMEOUT"];

/** A job run as Glue's GetJobRun returns it. */
export interface JobRun {
  Id: string;
  Attempt: number;
  JobName: string;
  JobMode: "SCRIPT";
  StartedOn: Date;
  LastModifiedOn: Date;
  CompletedOn?: Date;
  JobRunState: JobRunState;
  /** The arguments this run was started with (not the job's defaults), as Glue reports them. */
  Arguments: Record<string, string>;
  ErrorMessage?: string;
  PredecessorRuns: [];
  /** The trigger that started this run (a workflow's or a standalone trigger's action), as GetJobRun reports it. */
  TriggerName?: string;
  /** Seconds the run consumed resources (RUNNING time). */
  ExecutionTime: number;
  /** Minutes. */
  Timeout: number;
  MaxCapacity?: number;
  /** A Spark job's workers, as GetJobRun reports them. */
  WorkerType?: string;
  NumberOfWorkers?: number;
  GlueVersion?: string;
  LogGroupName: string;
}

export interface GlueServiceOptions {
  readonly region: string;
  readonly accountId: string;
  /** How long a run stays STARTING before its script runs (Glue takes seconds to provision). */
  readonly startupDelayMs: number;
  /** Multiplies the job's timeout (minutes) so tests can reach TIMEOUT quickly; 1 = as configured. */
  readonly timeScale: number;
  /** Folder for each run's downloaded files. */
  readonly workDir: string;
  /** Folder for each run's output and error logs. */
  readonly logDir: string;
  /** The awsglue stand-in library put on the script's PYTHONPATH. */
  readonly runtimeLibDir: string;
  readonly python: string;
  readonly s3Endpoint: () => string;
  readonly endpointEnv: () => Record<string, string>;
  /** Whether glue.amazonaws.com may assume the role (it exists and its trust policy lets Glue); unchecked when absent. */
  readonly glueMayAssume?: (roleArn: string) => boolean;
}

/** A job as Glue holds it: what runs, and what GetJob reports besides. */
export interface GlueJobEntry {
  readonly job: GlueJobView;
  /** The role as the definition gave it (a name or an ARN); job.roleArn is its ARN. */
  readonly role: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdOn: Date;
  readonly lastModifiedOn: Date;
}

export interface StartJobRunRequest {
  readonly JobName: string;
  readonly Arguments?: Record<string, string>;
  /** Minutes; overrides the job's timeout for this run. */
  readonly Timeout?: number;
  readonly MaxCapacity?: number;
}

interface RunControl {
  readonly run: JobRun;
  readonly job: GlueJobView;
  script?: RunningScript;
  stopRequested: boolean;
  timedOut: boolean;
  timers: NodeJS.Timeout[];
  readonly finished: Promise<JobRun>;
  finish: (run: JobRun) => void;
  runningSince?: number;
}

/** A run id as Glue makes them: "jr_" and 64 hex characters. */
export function newJobRunId(): string {
  return `jr_${randomBytes(32).toString("hex")}`;
}

/**
 * Glue: the model's jobs and those CreateJob makes; a run is the job's real script run by python3 as a child
 * process, with Glue's lifecycle STARTING -> RUNNING -> SUCCEEDED | FAILED | STOPPED | TIMEOUT, its timeout, its
 * max concurrent runs and a start-up latency. Every API call is authorized against the caller.
 */
export class GlueService {
  private readonly jobs = new Map<string, GlueJobEntry>();
  private readonly runs = new Map<string, RunControl>();
  private readonly listeners = new Set<(run: JobRun) => void>();

  constructor(
    private readonly deployed: readonly GlueJobView[],
    private readonly options: GlueServiceOptions,
    private readonly principals: PrincipalDirectory,
    private readonly authorizer: Authorizer,
  ) {
    this.deployJobs();
    mkdirSync(options.logDir, { recursive: true });
  }

  /** The jobs as they are now: the program's and those the API made. */
  currentJobs(): GlueJobView[] {
    return [...this.jobs.values()].map((e) => e.job);
  }

  jobNames(): string[] {
    return [...this.jobs.keys()];
  }

  /** Called on every state change of every run (for watchers and reports). */
  onRunChange(listener: (run: JobRun) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async getJob(caller: Principal, jobName: string): Promise<GlueJobEntry> {
    const entry = this.entry(jobName);
    await this.authorize(caller, "glue:GetJob", entry.job);
    return entry;
  }

  jobArn(jobName: string): string {
    return `arn:aws:glue:${this.options.region}:${this.options.accountId}:job/${jobName}`;
  }

  /**
   * CreateJob: glue:CreateJob on the job (Service Authorization Reference, resource type job) and iam:PassRole on
   * its role, passed to glue.amazonaws.com ("Step 3: Attach a policy to users or groups that access AWS Glue":
   * iam:PassRole with iam:PassedToService glue.amazonaws.com). Glue does not check the role's trust here: a run of
   * a job whose role Glue may not assume fails (see launch).
   */
  async createJob(caller: Principal, definition: ApiJobDefinition): Promise<{ Name: string }> {
    const name = definition.view.name;
    await this.authorizer.authorize({ principal: caller, action: "glue:CreateJob", resourceArn: this.jobArn(name) });
    const entry = this.entryOf(definition);
    await this.authorizePassRole(caller, entry.job.roleArn);
    if (this.jobs.has(name)) throw new AwsServiceError("AlreadyExistsException", `${name} already exists.`);
    const now = new Date();
    this.jobs.set(name, { ...entry, createdOn: now, lastModifiedOn: now });
    return { Name: name };
  }

  /**
   * UpdateJob: the definition is replaced whole ("The previous job definition is completely overwritten by this
   * information"). Runs under way keep the definition they started with: a JobRun carries its own Timeout,
   * MaxCapacity, WorkerType and GlueVersion (GetJobRun), and UpdateJob's reference speaks of the job definition,
   * not of its runs; the next StartJobRun runs the new one.
   */
  async updateJob(caller: Principal, definition: ApiJobDefinition): Promise<{ JobName: string }> {
    const name = definition.view.name;
    const current = this.entry(name);
    await this.authorize(caller, "glue:UpdateJob", current.job);
    const entry = this.entryOf(definition);
    await this.authorizePassRole(caller, entry.job.roleArn);
    // JobUpdate has no Tags: the job keeps its own.
    this.jobs.set(name, { ...entry, tags: current.tags, createdOn: current.createdOn, lastModifiedOn: new Date() });
    return { JobName: name };
  }

  /** DeleteJob: "If the job definition is not found, no exception is thrown"; either way it answers the name. */
  async deleteJob(caller: Principal, jobName: string): Promise<{ JobName: string }> {
    await this.authorizer.authorize({ principal: caller, action: "glue:DeleteJob", resourceArn: this.jobArn(jobName) });
    this.jobs.delete(jobName);
    return { JobName: jobName };
  }

  /** GetJobs: every job, by name, in pages (glue:GetJobs has no resource type: "*"). */
  async getJobs(caller: Principal, maxResults: number | undefined, nextToken: string | undefined): Promise<{ Jobs: GlueJobEntry[]; NextToken?: string }> {
    await this.authorizer.authorize({ principal: caller, action: "glue:GetJobs", resourceArn: "*" });
    const page = pageOf(this.sortedJobs(), { size: maxResults, defaultSize: 100, nextToken, scope: "GetJobs", invalidToken: invalidNextToken });
    return page.nextToken ? { Jobs: page.items, NextToken: page.nextToken } : { Jobs: page.items };
  }

  /** ListJobs: the names, of the jobs holding every tag given when Tags is (glue:ListJobs has no resource type: "*"). */
  async listJobs(
    caller: Principal,
    request: { readonly maxResults?: number; readonly nextToken?: string; readonly tags?: Readonly<Record<string, string>> },
  ): Promise<{ JobNames: string[]; NextToken?: string }> {
    await this.authorizer.authorize({ principal: caller, action: "glue:ListJobs", resourceArn: "*" });
    const wanted = Object.entries(request.tags ?? {});
    const names = this.sortedJobs()
      .filter((e) => wanted.every(([key, value]) => e.tags[key] === value))
      .map((e) => e.job.name);
    const scope = `ListJobs ${JSON.stringify(wanted)}`;
    const page = pageOf(names, { size: request.maxResults, defaultSize: 100, nextToken: request.nextToken, scope, invalidToken: invalidNextToken });
    return page.nextToken ? { JobNames: page.items, NextToken: page.nextToken } : { JobNames: page.items };
  }

  async startJobRun(caller: Principal, request: StartJobRunRequest): Promise<{ JobRunId: string }> {
    const job = this.job(request.JobName);
    await this.authorize(caller, "glue:StartJobRun", job);
    if (this.activeRuns(job) >= job.maxConcurrentRuns) {
      throw new AwsServiceError("ConcurrentRunsExceededException", `Concurrent runs exceeded for ${job.name}`);
    }
    return { JobRunId: this.beginRun(job, request).Id };
  }

  /** Whether Glue has the job, the program's or one the API made (a trigger's action or condition names it). */
  hasJob(jobName: string): boolean {
    return this.jobs.has(jobName);
  }

  /**
   * A run started by Glue itself for a trigger's action (in a workflow or not): no caller to authorize, the job's
   * role runs it. Beyond the job's MaxConcurrentRuns the run is recorded FAILED ("AWS Glue job run statuses":
   * FAILED, "The job exceeded its maximum allowed concurrent runs") instead of the API's exception.
   */
  startRunForTrigger(request: StartJobRunRequest & { readonly TriggerName: string }): string {
    const job = this.job(request.JobName);
    const overLimit = this.activeRuns(job) >= job.maxConcurrentRuns;
    const run = this.beginRun(job, request, request.TriggerName, overLimit);
    return run.Id;
  }

  /** Stops a run Glue started (StopWorkflowRun terminates the run's jobs); a finished run stays as it ended. */
  stopRunForTrigger(runId: string): void {
    const control = this.runs.get(runId);
    if (control) this.stop(control);
  }

  private activeRuns(job: GlueJobView): number {
    return [...this.runs.values()].filter((c) => c.job.name === job.name && !TERMINAL_STATES.includes(c.run.JobRunState)).length;
  }

  private beginRun(job: GlueJobView, request: StartJobRunRequest, triggerName?: string, overLimit = false): JobRun {
    const now = new Date();
    const run: JobRun = {
      Id: newJobRunId(),
      Attempt: 0,
      ...(triggerName !== undefined ? { TriggerName: triggerName } : {}),
      JobName: job.name,
      JobMode: "SCRIPT",
      StartedOn: now,
      LastModifiedOn: now,
      JobRunState: "STARTING",
      Arguments: { ...(request.Arguments ?? {}) },
      PredecessorRuns: [],
      ExecutionTime: 0,
      Timeout: request.Timeout ?? job.timeoutMinutes,
      MaxCapacity: request.MaxCapacity ?? job.maxCapacity ?? sparkCapacity(job),
      ...(job.workerType !== undefined ? { WorkerType: job.workerType, NumberOfWorkers: job.numberOfWorkers } : {}),
      ...(job.glueVersion !== undefined ? { GlueVersion: job.glueVersion } : {}),
      LogGroupName: job.commandName === "pythonshell" ? "/aws-glue/python-jobs" : "/aws-glue/jobs",
    };
    let finish!: (run: JobRun) => void;
    const finished = new Promise<JobRun>((resolve) => (finish = resolve));
    const control: RunControl = { run, job, stopRequested: false, timedOut: false, timers: [], finished, finish };
    this.runs.set(run.Id, control);
    this.notify(run);
    if (overLimit) {
      this.complete(control, "FAILED", `Concurrent runs exceeded for ${job.name}`);
      return run;
    }
    control.timers.push(setTimeout(() => this.timeOut(control), run.Timeout * 60_000 * this.options.timeScale));
    control.timers.push(setTimeout(() => void this.launch(control), this.options.startupDelayMs));
    return run;
  }

  async getJobRun(caller: Principal, jobName: string, runId: string): Promise<JobRun> {
    const job = this.job(jobName);
    await this.authorize(caller, "glue:GetJobRun", job);
    const control = this.runs.get(runId);
    if (!control || control.job.name !== job.name) {
      throw new AwsServiceError("EntityNotFoundException", `Job Run ${runId} not found for job ${jobName}`);
    }
    return snapshot(control.run);
  }

  /** Newest first, as Glue lists them. */
  async getJobRuns(caller: Principal, jobName: string, maxResults = 100, nextToken?: string): Promise<{ JobRuns: JobRun[]; NextToken?: string }> {
    const job = this.job(jobName);
    await this.authorize(caller, "glue:GetJobRuns", job);
    const all = [...this.runs.values()]
      .filter((c) => c.job.name === job.name)
      .map((c) => c.run)
      // Runs are kept in start order.
      .reverse();
    const start = nextToken ? Number.parseInt(nextToken, 10) : 0;
    if (!Number.isInteger(start) || start < 0) throw new AwsServiceError("InvalidInputException", `Invalid NextToken "${nextToken}"`);
    const page = all.slice(start, start + maxResults).map(snapshot);
    const next = start + maxResults < all.length ? String(start + maxResults) : undefined;
    return next ? { JobRuns: page, NextToken: next } : { JobRuns: page };
  }

  async batchStopJobRun(
    caller: Principal,
    jobName: string,
    runIds: readonly string[],
  ): Promise<{ SuccessfulSubmissions: { JobName: string; JobRunId: string }[]; Errors: { JobName: string; JobRunId: string; ErrorDetail: { ErrorCode: string; ErrorMessage: string } }[] }> {
    const job = this.job(jobName);
    await this.authorize(caller, "glue:BatchStopJobRun", job);
    const result = { SuccessfulSubmissions: [] as { JobName: string; JobRunId: string }[], Errors: [] as { JobName: string; JobRunId: string; ErrorDetail: { ErrorCode: string; ErrorMessage: string } }[] };
    for (const runId of runIds) {
      const control = this.runs.get(runId);
      if (!control || control.job.name !== job.name) {
        result.Errors.push({ JobName: jobName, JobRunId: runId, ErrorDetail: { ErrorCode: "EntityNotFoundException", ErrorMessage: `Job Run ${runId} not found` } });
      } else if (TERMINAL_STATES.includes(control.run.JobRunState)) {
        result.Errors.push({
          JobName: jobName,
          JobRunId: runId,
          ErrorDetail: { ErrorCode: "InvalidInputException", ErrorMessage: `Job Run ${runId} is already in a terminal state: ${control.run.JobRunState}` },
        });
      } else {
        this.stop(control);
        result.SuccessfulSubmissions.push({ JobName: jobName, JobRunId: runId });
      }
    }
    return result;
  }

  /** Resolves when the run reaches a terminal state (sandbox-internal; callers over the API poll GetJobRun). */
  whenFinished(runId: string): Promise<JobRun> {
    const control = this.runs.get(runId);
    if (!control) return Promise.reject(new Error(`No job run ${runId}`));
    return control.finished.then(snapshot);
  }

  /** Kills every run and forgets them all; the jobs are the program's again (those the API made, changed or deleted too). */
  async reset(): Promise<void> {
    const active = [...this.runs.values()].filter((c) => !TERMINAL_STATES.includes(c.run.JobRunState));
    for (const control of active) this.stop(control);
    await Promise.all(active.map((c) => c.finished));
    this.runs.clear();
    this.deployJobs();
  }

  private deployJobs(): void {
    this.jobs.clear();
    const deployedAt = new Date();
    for (const job of this.deployed) this.jobs.set(job.name, { job, role: job.roleArn, tags: {}, createdOn: deployedAt, lastModifiedOn: deployedAt });
  }

  private entryOf(definition: ApiJobDefinition): Omit<GlueJobEntry, "createdOn" | "lastModifiedOn"> {
    const { view, role } = definition;
    const roleArn = role.startsWith("arn:") ? role : `arn:aws:iam::${this.options.accountId}:role/${role}`;
    const job: GlueJobView = { ...view, logicalName: view.name, arn: this.jobArn(view.name), roleArn };
    return { job, role, tags: definition.tags, ...(definition.description !== undefined ? { description: definition.description } : {}) };
  }

  private authorizePassRole(caller: Principal, roleArn: string): Promise<void> {
    return this.authorizer.authorize({ principal: caller, action: "iam:PassRole", resourceArn: roleArn, context: { "iam:PassedToService": "glue.amazonaws.com" } });
  }

  private sortedJobs(): GlueJobEntry[] {
    return [...this.jobs.values()].sort((a, b) => (a.job.name < b.job.name ? -1 : a.job.name > b.job.name ? 1 : 0));
  }

  private entry(jobName: string): GlueJobEntry {
    const entry = this.jobs.get(jobName);
    if (!entry) throw new AwsServiceError("EntityNotFoundException", `Job ${jobName} not found`);
    return entry;
  }

  private job(jobName: string): GlueJobView {
    return this.entry(jobName).job;
  }

  private authorize(caller: Principal, action: string, job: GlueJobView): Promise<void> {
    return this.authorizer.authorize({ principal: caller, action, resourceArn: job.arn });
  }

  private async launch(control: RunControl): Promise<void> {
    if (TERMINAL_STATES.includes(control.run.JobRunState) || control.stopRequested) return;
    const roleArn = control.job.roleArn;
    if (this.options.glueMayAssume && !this.options.glueMayAssume(roleArn)) {
      // As Glue fails such a run: "... failed to execute with exception Role <arn> should be given assume role permissions for Glue Service."
      return this.complete(control, "FAILED", `Role ${roleArn} should be given assume role permissions for Glue Service.`);
    }
    let spec = this.scriptSpec(control);
    let scriptPath: string;
    try {
      // A Spark job (glueetl) runs on pyspark in local mode, with the project's Spark environment.
      if (control.job.commandName === "glueetl") spec = { ...spec, ...(await sparkRunEnvironment()) };
      scriptPath = await downloadJobFiles(spec);
    } catch (error) {
      return this.complete(control, "FAILED", (error as Error).message);
    }
    if (control.stopRequested || TERMINAL_STATES.includes(control.run.JobRunState)) return;
    control.script = startScript(spec, scriptPath);
    control.runningSince = Date.now();
    this.transition(control, "RUNNING");
    const exit = await control.script.exited;
    if (TERMINAL_STATES.includes(control.run.JobRunState)) return;
    if (control.stopRequested) return this.complete(control, "STOPPED");
    if (exit.exitCode === 0) return this.complete(control, "SUCCEEDED");
    const reason = exit.lastErrorLine ?? (exit.signal ? `killed by ${exit.signal}` : `exit status ${exit.exitCode}`);
    this.complete(control, "FAILED", reason);
  }

  private scriptSpec(control: RunControl): ScriptRunSpec {
    const { job, run } = control;
    const args = { ...job.defaultArguments, ...run.Arguments };
    const argv: string[] = ["--JOB_ID", `j_${run.Id.slice(3, 67)}`, "--JOB_RUN_ID", run.Id, "--JOB_NAME", job.name];
    for (const [key, value] of Object.entries(args)) {
      if (["--JOB_ID", "--JOB_RUN_ID", "--JOB_NAME"].includes(key)) continue;
      argv.push(key, value);
    }
    return {
      scriptLocation: job.scriptLocation,
      extraPyFiles: s3UriList(args["--extra-py-files"]),
      extraFiles: s3UriList(args["--extra-files"]),
      argv,
      workDir: path.join(this.options.workDir, run.Id),
      stdoutFile: path.join(this.options.logDir, `${job.name}.${run.Id}.output.log`),
      stderrFile: path.join(this.options.logDir, `${job.name}.${run.Id}.error.log`),
      credentials: this.principals.roleSession(job.roleArn, "GlueJobRunnerSession").credentials,
      region: this.options.region,
      s3Endpoint: this.options.s3Endpoint(),
      endpointEnv: this.options.endpointEnv(),
      runtimeLibDir: this.options.runtimeLibDir,
      python: this.options.python,
    };
  }

  private stop(control: RunControl): void {
    if (TERMINAL_STATES.includes(control.run.JobRunState) || control.stopRequested) return;
    control.stopRequested = true;
    if (control.script) {
      this.transition(control, "STOPPING");
      control.script.kill();
    } else {
      this.complete(control, "STOPPED");
    }
  }

  private timeOut(control: RunControl): void {
    if (TERMINAL_STATES.includes(control.run.JobRunState)) return;
    control.script?.kill();
    this.complete(control, "TIMEOUT", `Job run timed out after ${control.run.Timeout} minutes (the job's timeout)`);
  }

  private transition(control: RunControl, state: JobRunState): void {
    control.run.JobRunState = state;
    control.run.LastModifiedOn = new Date();
    this.notify(control.run);
  }

  private complete(control: RunControl, state: JobRunState, errorMessage?: string): void {
    if (TERMINAL_STATES.includes(control.run.JobRunState)) return;
    for (const timer of control.timers) clearTimeout(timer);
    const now = new Date();
    control.run.CompletedOn = now;
    control.run.ExecutionTime = control.runningSince ? Math.round((now.getTime() - control.runningSince) / 1000) : 0;
    if (errorMessage !== undefined) control.run.ErrorMessage = errorMessage;
    this.transition(control, state);
    rmSync(path.join(this.options.workDir, control.run.Id), { recursive: true, force: true });
    control.finish(control.run);
  }

  private notify(run: JobRun): void {
    const copy = snapshot(run);
    for (const listener of this.listeners) listener(copy);
  }
}

/** DPUs of a Spark job's workers (Glue reports MaxCapacity = workers x DPU per worker). */
function sparkCapacity(job: GlueJobView): number | undefined {
  if (job.workerType === undefined || job.numberOfWorkers === undefined) return undefined;
  const dpu = DPU_PER_WORKER[job.workerType];
  return dpu === undefined ? undefined : dpu * job.numberOfWorkers;
}

function invalidNextToken(token: string): AwsServiceError {
  return new AwsServiceError("InvalidInputException", `Invalid NextToken "${token}"`);
}

function snapshot(run: JobRun): JobRun {
  return { ...run, Arguments: { ...run.Arguments }, PredecessorRuns: [] };
}
