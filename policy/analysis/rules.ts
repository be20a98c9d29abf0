import { ScopeGraph } from "./graph";
import { pollingLoopFor, PollingVerdict } from "./polling";
import { arnPartition, integrationArn } from "./resource";
import {
  ASYNC_JOB_STARTS,
  AsyncJobStart,
  GLUE_JOB_START,
  GLUE_SDK_STARTS_WITHOUT_WORK,
  GLUE_STATUS_READS,
  GLUE_TOKEN_CARRIERS,
  OPTIMIZED_INTEGRATIONS,
  sdkServiceName,
  sdkStatusRead,
  tokenCarrierHint,
  unsupportedPatternReason,
} from "./support";
import { findTaskTokenUse } from "./token";
import { IntegrationPattern, Level, ParsedResource, RuleId, WorkflowType } from "./types";
import { StructuralProblem, stateLocator } from "./validate";
import { StateScope, StateVisit, WalkResult } from "./walk";

/** What the rules and their documentation say about each rule. */
export interface RuleInfo {
  id: RuleId;
  defaultLevel: Exclude<Level, "disabled">;
  /** One line: what the rule requires. */
  summary: string;
  /** Why, and how to comply. */
  help: string;
}

export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  "glue-task-must-wait": {
    id: "glue-task-must-wait",
    defaultLevel: "mandatory",
    summary: "A Task that starts Glue work (glue:startJobRun, aws-sdk:glue:start*) must wait for it to finish.",
    help:
      "A request-response start returns as soon as Glue accepts the run, so the workflow moves on before the data exists. " +
      "Wait with .sync (optimized glue:startJobRun), .waitForTaskToken (AWS SDK calls), or a polling loop " +
      "(Wait, a get* status read, a Choice that branches back).",
  },
  "integration-pattern-supported": {
    id: "integration-pattern-supported",
    defaultLevel: "mandatory",
    summary: "The integration pattern must exist for the service and the workflow type.",
    help:
      "Optimized Glue has no .waitForTaskToken; AWS SDK integrations have no .sync; .sync exists only for the job-starting " +
      "actions of each service; EXPRESS workflows allow only request-response and no activities.",
  },
  "callback-must-pass-token": {
    id: "callback-must-pass-token",
    defaultLevel: "mandatory",
    summary: "A .waitForTaskToken Task must pass its task token in what it sends.",
    help:
      "Without $$.Task.Token (JSONPath) or $states.context.Task.Token (JSONata) in Parameters/Arguments nothing can call " +
      "SendTaskSuccess, and the execution hangs until the task times out (up to a year).",
  },
  "waiting-task-has-timeout": {
    id: "waiting-task-has-timeout",
    defaultLevel: "advisory",
    summary:
      "A .sync, callback or activity Task should set TimeoutSeconds; a callback or activity Task also HeartbeatSeconds (not a callback that starts a Glue run: its end event answers it).",
    help: "Without TimeoutSeconds a waiting Task waits until the execution times out, up to a year.",
  },
  "definition-is-valid": {
    id: "definition-is-valid",
    defaultLevel: "mandatory",
    summary: "The definition parses and is valid ASL (schema, StartAt, transitions, reachability, 1 MB limit).",
    help: "Step Functions refuses an invalid definition at deploy time; this finds it before.",
  },
  "async-job-should-wait": {
    id: "async-job-should-wait",
    defaultLevel: "advisory",
    summary: "A request-response start of a job service that offers .sync (Batch, ECS, EMR, CodeBuild, Athena, SageMaker, Step Functions...) should wait.",
    help: "Fire-and-forget starts move on before the job ends; use .sync or a polling loop unless that is intended.",
  },
  "polling-loop-reads-the-run": {
    id: "polling-loop-reads-the-run",
    defaultLevel: "advisory",
    summary: "A polling loop that a start counts on reads the status of the run it began, visibly in the definition.",
    help:
      "A loop whose status read is a Lambda function (Wait, Lambda, Choice back, as AWS's job-poller sample) counts as waiting, " +
      "but the rule cannot see what the function reads: make sure it reads the run id or name the start returned, or read it with the AWS SDK integration.",
  },
};

/** A finding before levels are applied. */
export interface RawFinding {
  rule: RuleId;
  state: string;
  pointer: string;
  message: string;
}

/** A Task state with its classified Resource. */
export interface TaskVisit {
  visit: StateVisit;
  resource: ParsedResource;
}

export interface RuleContext {
  walk: WalkResult;
  tasks: readonly TaskVisit[];
  workflowType: WorkflowType;
  problems: readonly StructuralProblem[];
  graphOf(scope: StateScope): ScopeGraph;
}

const WAITING_PATTERNS: readonly IntegrationPattern[] = ["sync", "sync:2", "waitForTaskToken"];

/** "a" or "an" before a label ("an AWS Batch job", "a CodeBuild build"). */
function withArticle(label: string): string {
  return `${/^[AEIOU]/i.test(label) ? "an" : "a"} ${label}`;
}

function code(text: string): string {
  return `\`${text}\``;
}

/** Rules whose verdict reads the Resource: a placeholder in it is part of what the verdict assumes. */
const RESOURCE_RULES: ReadonlySet<RuleId> = new Set(["glue-task-must-wait", "integration-pattern-supported", "async-job-should-wait", "callback-must-pass-token"]);

/** Says what a verdict assumes about the template placeholders in the Resource, or "". */
function placeholderNote(resource: ParsedResource): string {
  const placeholders = [...new Set(resource.placeholders ?? [])];
  if (placeholders.length === 0) return "";
  const list = placeholders.map(code).join(", ");
  return ` This verdict depends on the template placeholder${placeholders.length === 1 ? "" : "s"} ${list}, taken to stand for what ${placeholders.length === 1 ? "its" : "their"} place in the ARN holds (a partition, a region, an account, a name).`;
}

function finding(rule: RuleId, task: TaskVisit, message: string, pointerSuffix = ""): RawFinding {
  const note = RESOURCE_RULES.has(rule) ? placeholderNote(task.resource) : "";
  return { rule, state: task.visit.path, pointer: `${task.visit.pointer}${pointerSuffix}`, message: `${message}${note}` };
}

/** Why a Task runs under Express limits, or undefined for a Standard one. */
interface ExpressReason {
  /** What cannot wait, for messages ("EXPRESS workflows"). */
  what: string;
  /** What to make STANDARD. */
  standardFix: string;
}

function expressReason(ctx: RuleContext, task: TaskVisit): ExpressReason | undefined {
  if (ctx.workflowType === "EXPRESS") return { what: "EXPRESS workflows", standardFix: "the state machine" };
  const map = task.visit.scope.expressMap;
  if (map === undefined) return undefined;
  return {
    what: `the children of Distributed Map "${map}", which runs them as EXPRESS workflows (ProcessorConfig ExecutionType EXPRESS),`,
    standardFix: `the ExecutionType of Distributed Map "${map}"`,
  };
}

function workflowTypeOf(ctx: RuleContext, task: TaskVisit): WorkflowType {
  return expressReason(ctx, task) ? "EXPRESS" : "STANDARD";
}

/** The polling verdict of each start, computed once: two rules ask for the same Task. */
const verdicts = new WeakMap<TaskVisit, PollingVerdict>();

function pollingVerdict(ctx: RuleContext, task: TaskVisit): PollingVerdict {
  let verdict = verdicts.get(task);
  if (!verdict) {
    const scope = task.visit.scope;
    const byName = new Map(ctx.walk.states.filter((v) => v.scope === scope).map((v) => [v.name, v.queryLanguage]));
    verdict = pollingLoopFor(ctx.graphOf(scope), task.visit.name, (name) => byName.get(name) ?? task.visit.queryLanguage);
    verdicts.set(task, verdict);
  }
  return verdict;
}

function polls(ctx: RuleContext, task: TaskVisit): boolean {
  return pollingVerdict(ctx, task).kind !== "none";
}

/** The job start (optimized form) a Task's Resource names, in its optimized or SDK form. */
function jobStartOf(resource: ParsedResource, starts: readonly AsyncJobStart[]): AsyncJobStart | undefined {
  const { kind, service, action } = resource;
  if (!service || !action) return undefined;
  if (kind === "optimized") return starts.find((s) => s.service === service && s.action === action);
  if (kind === "sdk") return starts.find((s) => s.sdk.includes(`${service}:${action}`));
  return undefined;
}

function glueSdkStartsWork(resource: ParsedResource): boolean {
  return (
    resource.kind === "sdk" &&
    resource.service === "glue" &&
    /^start[A-Z]/.test(resource.action ?? "") &&
    !GLUE_SDK_STARTS_WITHOUT_WORK.includes(resource.action ?? "")
  );
}

function glueTaskMustWait(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const task of ctx.tasks) {
    const r = task.resource;
    if (r.pattern !== "request-response") continue; // other patterns wait (or are refused by integration-pattern-supported)
    const optimizedStart = r.kind === "optimized" && r.service === "glue" && r.action === "startJobRun";
    if (!optimizedStart && !glueSdkStartsWork(r)) continue;
    if (polls(ctx, task)) continue;
    const action = r.action as string;
    const statusRead = integrationArn(arnPartition(r), "sdk", "glue", GLUE_STATUS_READS[action] ?? "get...");
    const loop = `a polling loop after it (a Wait, then ${code(statusRead)}, then a Choice that branches back to the Wait until the run ends)`;
    const express = expressReason(ctx, task);
    const carrier = GLUE_TOKEN_CARRIERS[action];
    if (express) {
      const standardWait = optimizedStart || action === "startJobRun"
        ? integrationArn(arnPartition(r), "optimized", "glue", "startJobRun", "sync")
        : carrier
          ? integrationArn(arnPartition(r), "sdk", "glue", action, "waitForTaskToken")
          : undefined;
      const standard = standardWait
        ? `, or make ${express.standardFix} STANDARD and wait with ${code(standardWait)}`
        : "";
      out.push(
        finding(
          "glue-task-must-wait",
          task,
          `"${task.visit.name}" starts Glue work with request-response (${code(r.raw)}) and does not wait for it; ${express.what} cannot use .sync or .waitForTaskToken. ` +
            `Fix: add ${loop}, within the 5-minute limit of EXPRESS executions${standard}.`,
          "/Resource",
        ),
      );
    } else if (optimizedStart) {
      out.push(
        finding(
          "glue-task-must-wait",
          task,
          `"${task.visit.name}" starts a Glue job run with request-response (${code(r.raw)}): the state ends as soon as Glue accepts the run, ` +
            `so the next state runs before the job has finished or written anything. ` +
            `Fix: change ${code(r.raw)} to ${code(integrationArn(arnPartition(r), "optimized", "glue", "startJobRun", "sync"))}, or add ${loop}.`,
          "/Resource",
        ),
      );
    } else {
      const fixes: string[] = [];
      if (action === "startJobRun") fixes.push(`use the optimized ${code(integrationArn(arnPartition(r), "optimized", "glue", "startJobRun", "sync"))}`);
      if (action === "startTrigger") {
        fixes.push(`start the trigger's jobs with ${code(integrationArn(arnPartition(r), "optimized", "glue", "startJobRun", "sync"))} instead (a Parallel state for several)`);
      }
      if (carrier) {
        fixes.push(
          `change it to ${code(integrationArn(arnPartition(r), "sdk", "glue", action, "waitForTaskToken"))} and pass $$.Task.Token in its ${carrier} to whatever reports the end ` +
            `(e.g. an EventBridge rule on Glue state changes that calls SendTaskSuccess)`,
        );
      }
      fixes.push(`add ${loop}`);
      const noToken = carrier ? "" : ` (its request takes no field a task token could travel in, so .waitForTaskToken cannot work)`;
      out.push(
        finding(
          "glue-task-must-wait",
          task,
          `"${task.visit.name}" starts Glue work with ${code(r.raw)} and does not wait: an AWS SDK call returns as soon as Glue accepts it, and SDK integrations have no .sync${noToken}. ` +
            `Fix: ${fixes.join("; or ")}.`,
          "/Resource",
        ),
      );
    }
  }
  return out;
}

function patternFix(task: TaskVisit, express?: ExpressReason): string {
  const r = task.resource;
  const service = r.service ?? "";
  const action = r.action ?? "";
  const kind = r.kind === "sdk" ? "sdk" : "optimized";
  const only = OPTIMIZED_INTEGRATIONS[service]?.actions;
  if (r.kind === "optimized" && only && !only.includes(action)) {
    const sdkForm = code(integrationArn(arnPartition(r), "sdk", service, action));
    const read = service === "glue" ? GLUE_STATUS_READS[action] : undefined;
    const wait = read
      ? ` It starts work that the SDK form does not wait for: follow it with a polling loop (a Wait, then ${code(integrationArn(arnPartition(r), "sdk", service, read))}, then a Choice that branches back to the Wait until the work ends).`
      : "";
    return `call it through the AWS SDK integration, ${sdkForm}.${wait}`;
  }
  if (!unsupportedPatternReason(kind, service, action, r.pattern, "STANDARD")) {
    return `make ${express?.standardFix ?? "the state machine"} STANDARD (Express workflows cannot wait), or call it with request-response (${code(integrationArn(arnPartition(r), kind, service, action))}) and let a STANDARD workflow do the waiting.`;
  }
  if (r.kind === "sdk") {
    const job = jobStartOf(r, [GLUE_JOB_START, ...ASYNC_JOB_STARTS]);
    const requestResponse = code(integrationArn(arnPartition(r), "sdk", service, action));
    if (job) {
      return `to wait for the job, use the optimized ${code(integrationArn(arnPartition(r), "optimized", job.service, job.action, "sync"))}; or call ${requestResponse} and add a polling loop (Wait, a get* status read, a Choice that branches back).`;
    }
    // Only what the registry says the call allows: a token where its request can carry one, its own status read.
    const read = sdkStatusRead(service, action);
    const carrier = tokenCarrierHint(service, action);
    const loop = read
      ? `a polling loop (a Wait, then ${code(integrationArn(arnPartition(r), "sdk", service, read))}, then a Choice that branches back to the Wait until the work ends)`
      : "a polling loop (Wait, a get* status read, a Choice that branches back)";
    if (read && !carrier) return `remove .${r.pattern} (${requestResponse}); to wait for the work it starts, add ${loop} (its request has nowhere to carry a task token).`;
    const token = `${code(integrationArn(arnPartition(r), "sdk", service, action, "waitForTaskToken"))} with $$.Task.Token ${carrier ?? "passed on"}`;
    return `remove .${r.pattern} (${requestResponse}); to wait for work the call starts, use ${token}, or ${loop}.`;
  }
  if (service === "glue" && r.pattern === "waitForTaskToken") {
    return `use ${code(integrationArn(arnPartition(r), "optimized", "glue", "startJobRun", "sync"))} to wait for the run, or ${code(
      integrationArn(arnPartition(r), "sdk", "glue", "startJobRun", "waitForTaskToken"),
    )} with the token passed in the job's Arguments.`;
  }
  const support = OPTIMIZED_INTEGRATIONS[service];
  const allowed = (support?.patterns ?? [])
    .filter((p) => p !== "sync" || !support?.syncActions || support.syncActions.includes(action))
    .filter((p) => p !== "sync:2" || (support?.syncV2Actions ?? []).includes(action))
    .map((p) => code(integrationArn(arnPartition(r), "optimized", service, action, p)));
  return allowed.length > 0 ? `use one that exists: ${allowed.join(", ")}.` : "use request-response.";
}

function integrationPatternSupported(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const task of ctx.tasks) {
    const r = task.resource;
    const express = expressReason(ctx, task);
    if (r.kind === "activity" && express) {
      out.push(
        finding(
          "integration-pattern-supported",
          task,
          `"${task.visit.name}" runs activity ${code(r.raw)}, but ${express.what.replace(/,$/, "")} do not support activities. Fix: make ${express.standardFix} STANDARD, or replace the activity with a Lambda or service integration.`,
          "/Resource",
        ),
      );
      continue;
    }
    if ((r.kind !== "optimized" && r.kind !== "sdk") || !r.service || !r.action) continue;
    const reason = unsupportedPatternReason(r.kind, r.service, r.action, r.pattern, workflowTypeOf(ctx, task));
    if (!reason) continue;
    const where = express && ctx.workflowType !== "EXPRESS" ? ` (${express.what.replace(/,$/, "")})` : "";
    out.push(
      finding(
        "integration-pattern-supported",
        task,
        `"${task.visit.name}" uses ${code(r.raw)}, but ${reason}${where}: Step Functions refuses it. Fix: ${patternFix(task, express)}`,
        "/Resource",
      ),
    );
  }
  return out;
}

function callbackMustPassToken(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const task of ctx.tasks) {
    if (task.resource.pattern !== "waitForTaskToken") continue;
    const language = task.visit.queryLanguage;
    const use = findTaskTokenUse(task.visit.state, language);
    if (use.passes) continue;
    const field = language === "JSONata" ? "Arguments" : "Parameters";
    const carrier = tokenCarrierHint(task.resource.service ?? "", task.resource.action ?? "");
    const inside = carrier ? ` (${carrier}, so it reaches the code that answers)` : "";
    const entry = language === "JSONata" ? `"TaskToken": "{% $states.context.Task.Token %}"` : `"TaskToken.$": "$$.Task.Token"`;
    const literal =
      use.literalKeys.length > 0
        ? language === "JSONata"
          ? ` ${use.literalKeys.map((k) => `"${k}"`).join(", ")} holds the token reference as plain text, not in {% %}, so it sends the text.`
          : ` ${use.literalKeys.map((k) => `"${k}"`).join(", ")} holds "$$.Task.Token" as plain text: a key must end in ".$" to be evaluated.`
        : "";
    out.push(
      finding(
        "callback-must-pass-token",
        task,
        `"${task.visit.name}" waits for a task token (${code(task.resource.raw)}) but never passes it in its ${field}, so nothing can call SendTaskSuccess ` +
          `and the execution waits until the task times out (up to a year without TimeoutSeconds).${literal} Fix: add ${entry} to ${field}${inside}.`,
        `/${field}`,
      ),
    );
  }
  return out;
}

function waitingTaskHasTimeout(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const task of ctx.tasks) {
    const r = task.resource;
    const isCallback = r.pattern === "waitForTaskToken" || r.kind === "activity";
    if (!isCallback && !WAITING_PATTERNS.includes(r.pattern)) continue;
    // A callback that starts a Glue job run is answered from the run's Glue Job State Change event, which Glue
    // sends once, when the run ends (or times out at the job's own timeout): no worker runs that could report
    // heartbeats, so only TimeoutSeconds is advised.
    const answeredByRunEnd = r.pattern === "waitForTaskToken" && r.kind === "sdk" && r.service === "glue" && r.action === "startJobRun";
    const state = task.visit.state;
    const missing: string[] = [];
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) missing.push("TimeoutSeconds");
    if (isCallback && !answeredByRunEnd && state.HeartbeatSeconds === undefined && state.HeartbeatSecondsPath === undefined) missing.push("HeartbeatSeconds");
    if (missing.length === 0) continue;
    const how = r.kind === "activity" ? "for an activity worker" : r.pattern === "waitForTaskToken" ? "for a callback" : `for the job (.${r.pattern})`;
    const fixes = missing.map((m) =>
      m === "TimeoutSeconds" ? `"TimeoutSeconds": <the longest acceptable wait>` : `"HeartbeatSeconds": <how often the worker must report>`,
    );
    out.push(
      finding(
        "waiting-task-has-timeout",
        task,
        `"${task.visit.name}" waits ${how} without ${missing.join(" or ")}: ` +
          `${missing.includes("TimeoutSeconds") ? "it waits until the execution times out, up to a year" : "a worker that died goes unnoticed until the timeout"}. ` +
          `Fix: add ${fixes.join(" and ")}.`,
      ),
    );
  }
  return out;
}

function asyncJobShouldWait(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const task of ctx.tasks) {
    const r = task.resource;
    if (r.pattern !== "request-response") continue;
    const job = jobStartOf(r, ASYNC_JOB_STARTS);
    if (!job || polls(ctx, task)) continue;
    const syncArn = integrationArn(arnPartition(r), "optimized", job.service, job.action, "sync");
    const alsoV2 = job.service === "states" ? ` (or ${code(`${syncArn}:2`)} for parsed JSON output)` : "";
    const fix =
      r.kind === "sdk"
        ? `use the optimized ${code(syncArn)}${alsoV2} instead of ${code(r.raw)}`
        : `change ${code(r.raw)} to ${code(syncArn)}${alsoV2}`;
    out.push(
      finding(
        "async-job-should-wait",
        task,
        `"${task.visit.name}" starts ${withArticle(job.label)} with request-response and moves on without waiting for it to finish. ` +
          `Fix: ${fix}, or add a polling loop (Wait, a get*/describe* status read, a Choice that branches back); if fire-and-forget is intended, exempt it.`,
        "/Resource",
      ),
    );
  }
  return out;
}

/** Starts that count on a polling loop whose status read is a Lambda function (the rule cannot see what it reads). */
function pollingLoopReadsTheRun(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const task of ctx.tasks) {
    const r = task.resource;
    if (r.pattern !== "request-response") continue;
    const isStart = (r.kind === "optimized" && r.service === "glue" && r.action === "startJobRun") || glueSdkStartsWork(r) || jobStartOf(r, ASYNC_JOB_STARTS) !== undefined;
    if (!isStart) continue;
    const verdict = pollingVerdict(ctx, task);
    if (verdict.kind !== "lambda") continue;
    out.push(
      finding(
        "polling-loop-reads-the-run",
        task,
        `"${task.visit.name}" counts as waiting through a polling loop whose status read is the Lambda function "${verdict.reader}"; the rule cannot see what the function reads. ` +
          `Make sure it reads the status of the run "${task.visit.name}" started (its run id or name, from the start's result), or read it with the AWS SDK integration ` +
          `(e.g. ${code(integrationArn(arnPartition(r), "sdk", sdkServiceName(r.service ?? ""), r.service === "glue" ? (GLUE_STATUS_READS[r.action ?? ""] ?? "get...") : "describe..."))}) so the rule can check it.`,
        "/Resource",
      ),
    );
  }
  return out;
}

function definitionIsValid(ctx: RuleContext): RawFinding[] {
  if (ctx.problems.length === 0) return [];
  const stateAt = stateLocator(ctx.walk.states);
  return ctx.problems.map((p) => ({
    rule: "definition-is-valid" as const,
    state: stateAt(p.pointer)?.path ?? "",
    pointer: p.pointer,
    message: p.message,
  }));
}

/** The rules, in the order their findings are listed. */
export const RULE_CHECKS: ReadonlyArray<readonly [RuleId, (ctx: RuleContext) => RawFinding[]]> = [
  ["definition-is-valid", definitionIsValid],
  ["glue-task-must-wait", glueTaskMustWait],
  ["integration-pattern-supported", integrationPatternSupported],
  ["callback-must-pass-token", callbackMustPassToken],
  ["waiting-task-has-timeout", waitingTaskHasTimeout],
  ["async-job-should-wait", asyncJobShouldWait],
  ["polling-loop-reads-the-run", pollingLoopReadsTheRun],
];
