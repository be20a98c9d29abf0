/**
 * The report's data: per execution, its machine's states and transitions (for the graph), each state's
 * outcome, the event timeline, the Glue runs it used and its error. Pure: built from what the SDK returned.
 */
import type { JobRun } from "@aws-sdk/client-glue";
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { runDurationMs } from "../ops/etl";
import { readableCause, readHistory, type ExecutionStatus, type StateVisit } from "../ops/history";

export type NodeOutcome = "succeeded" | "failed" | "running" | "not-reached";

export interface ReportNode {
  readonly name: string;
  readonly type: string;
  readonly outcome: NodeOutcome;
  readonly isStart: boolean;
  readonly durationMs?: number;
}

export interface ReportEdge {
  readonly from: string;
  readonly to: string;
  /** "next", "catch" (with the errors it catches) or "choice". */
  readonly kind: "next" | "catch" | "choice";
  readonly label?: string;
  /** The execution went this way. */
  readonly taken: boolean;
}

export interface TimelineEntry {
  /** ms since the execution started. */
  readonly atMs: number;
  readonly type: string;
  readonly state?: string;
  readonly detail?: string;
}

export interface ReportGlueRun {
  readonly id: string;
  readonly state: string;
  readonly durationMs?: number;
  /** ms since the execution started (negative when the run started before it). */
  readonly startedAtMs?: number;
  readonly completedAtMs?: number;
  readonly error?: string;
}

export interface ReportExecution {
  readonly pattern: string;
  readonly executionArn: string;
  readonly status: ExecutionStatus;
  readonly failedState?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly durationMs?: number;
  readonly nodes: readonly ReportNode[];
  readonly edges: readonly ReportEdge[];
  readonly timeline: readonly TimelineEntry[];
  readonly glueRuns: readonly ReportGlueRun[];
}

export interface ReportData {
  readonly title: string;
  readonly generatedAt: string;
  readonly target: string;
  readonly executions: readonly ReportExecution[];
}

interface AslState {
  Type?: string;
  Next?: string;
  Default?: string;
  Choices?: { Next?: string }[];
  Catch?: { ErrorEquals?: string[]; Next?: string }[];
}

interface AslDefinitionLike {
  StartAt?: string;
  States?: Record<string, AslState>;
}

/** Glue run ids ("jr_...") the execution's tasks returned, in order of appearance. */
export function glueRunIdsOf(events: readonly HistoryEvent[]): string[] {
  const ids: string[] = [];
  for (const event of events) {
    const text = event.taskSucceededEventDetails?.output ?? "";
    for (const match of text.matchAll(/"(?:JobRunId|Id)"\s*:\s*"(jr_[A-Za-z0-9_-]+)"/g)) {
      if (!ids.includes(match[1])) ids.push(match[1]);
    }
  }
  return ids;
}

function outcomeOf(visits: readonly StateVisit[]): NodeOutcome {
  if (visits.length === 0) return "not-reached";
  if (visits.some((v) => v.outcome === "failed")) return "failed";
  if (visits.some((v) => v.outcome === "running")) return "running";
  return "succeeded";
}

function detailOf(event: HistoryEvent): string | undefined {
  const failure =
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.taskSubmitFailedEventDetails ??
    event.executionFailedEventDetails ??
    event.executionTimedOutEventDetails ??
    event.executionAbortedEventDetails ??
    event.lambdaFunctionFailedEventDetails;
  if (failure?.error) return `${failure.error}: ${readableCause(failure.cause) ?? ""}`.trim();
  const scheduled = event.taskScheduledEventDetails;
  if (scheduled) return `${scheduled.resourceType}:${scheduled.resource}`;
  const succeeded = event.taskSucceededEventDetails;
  if (succeeded) return `${succeeded.resourceType}:${succeeded.resource}`;
  return undefined;
}

/** Builds one execution's report entry from its machine's definition, its history and the Glue runs it used. */
export function buildReportExecution(
  pattern: string,
  executionArn: string,
  definition: unknown,
  events: readonly HistoryEvent[],
  glueRuns: readonly JobRun[],
): ReportExecution {
  const asl = (definition ?? {}) as AslDefinitionLike;
  const states = asl.States ?? {};
  const view = readHistory(events);
  const start = view.startedAt?.getTime() ?? 0;
  const visitsOf = (name: string) => view.visits.filter((v) => v.name === name);
  const nodes: ReportNode[] = Object.entries(states).map(([name, state]) => {
    const visits = visitsOf(name);
    const last = visits[visits.length - 1];
    return {
      name,
      type: state.Type ?? "?",
      outcome: outcomeOf(visits),
      isStart: name === asl.StartAt,
      durationMs: last?.exitedAt ? last.exitedAt.getTime() - last.enteredAt.getTime() : undefined,
    };
  });
  // A transition was taken when the target state was entered right after the source state.
  const taken = new Set<string>();
  for (let i = 1; i < view.visits.length; i++) taken.add(`${view.visits[i - 1].name}\u0000${view.visits[i].name}`);
  const edges: ReportEdge[] = [];
  const add = (from: string, to: string | undefined, kind: ReportEdge["kind"], label?: string) => {
    if (to === undefined || !(to in states)) return;
    if (edges.some((e) => e.from === from && e.to === to && e.kind === kind)) return;
    edges.push({ from, to, kind, label, taken: taken.has(`${from}\u0000${to}`) });
  };
  for (const [name, state] of Object.entries(states)) {
    add(name, state.Next, "next");
    add(name, state.Default, "choice", "default");
    for (const choice of state.Choices ?? []) add(name, choice.Next, "choice");
    for (const catcher of state.Catch ?? []) add(name, catcher.Next, "catch", (catcher.ErrorEquals ?? []).join(", "));
  }
  const timeline: TimelineEntry[] = [...events]
    .sort((a, b) => Number(a.id ?? 0) - Number(b.id ?? 0))
    .map((event) => ({
      atMs: new Date(event.timestamp ?? 0).getTime() - start,
      type: event.type ?? "?",
      state: event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name,
      detail: detailOf(event),
    }));
  const runs: ReportGlueRun[] = glueRuns.map((run) => ({
    id: run.Id ?? "?",
    state: run.JobRunState ?? "?",
    durationMs: runDurationMs(run),
    startedAtMs: run.StartedOn ? new Date(run.StartedOn).getTime() - start : undefined,
    completedAtMs: run.CompletedOn ? new Date(run.CompletedOn).getTime() - start : undefined,
    error: run.ErrorMessage,
  }));
  return {
    pattern,
    executionArn,
    status: view.status,
    failedState: view.failedState,
    error: view.error,
    cause: readableCause(view.cause),
    durationMs: view.startedAt && view.stoppedAt ? view.stoppedAt.getTime() - start : undefined,
    nodes,
    edges,
    timeline,
    glueRuns: runs,
  };
}
