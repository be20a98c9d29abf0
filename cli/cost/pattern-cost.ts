/**
 * From a recorded execution (its history, the configuration of the functions it called, the Glue runs it
 * paid for) to billed usage, cost per 1,000 runs and the completion latency its pattern adds. Pure: the
 * record may come from the sandbox, from AWS or from a file.
 */
import { priceExecution, scaleCost, type BilledGlueRun, type BilledLambdaCall, type ExecutionCost, type ExecutionUsage } from "./billing";
import { callbackAddedSeconds, eventPathSeconds, meanSyncAddedSeconds, syncAddedSeconds } from "./latency";
import type { LambdaArchitecture, PriceTable } from "./price-table";
import { countStateTransitions, executionSpan, glueRuns, lambdaCalls, taskAttempts, type HistoryEventLike } from "./usage";

export interface FunctionConfig {
  readonly memoryMb: number;
  readonly architecture: LambdaArchitecture;
}

/** A finished Glue run as GetJobRun reports it. */
export interface GlueRunDetails extends BilledGlueRun {
  /** StartedOn to CompletedOn (STARTING included), seconds; what `.sync` polling is timed against. */
  readonly wallSeconds?: number;
  /** CompletedOn, epoch ms: where the event path's latency starts. */
  readonly completedAtMs?: number;
}

/** One execution of a pattern, with what pricing needs beyond the history. */
export interface ExecutionRecord {
  readonly pattern: string;
  readonly history: readonly HistoryEventLike[];
  /** Configuration of each function by name (the name in the task's FunctionName, or its ARN's name). */
  readonly functions: Readonly<Record<string, FunctionConfig>>;
  /** Details of the Glue runs the history names (run ids it started or was handed). */
  readonly glueRuns: readonly GlueRunDetails[];
}

/** "arn:aws:lambda:r:a:function:name[:qualifier]" or "name[:qualifier]" -> "name". */
export function functionNameOf(nameOrArn: string): string {
  const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(nameOrArn);
  if (arn) return arn[1];
  return nameOrArn.split(":")[0];
}

/** The billed usage of a recorded execution; throws when the record lacks what a call or run needs. */
export function usageOf(record: ExecutionRecord): ExecutionUsage {
  const where = `${record.pattern} execution`;
  const lambda: BilledLambdaCall[] = lambdaCalls(record.history).map((call) => {
    const name = functionNameOf(call.functionName);
    const config = record.functions[name];
    if (!config) throw new Error(`${where}: no memory/architecture for function "${name}" (known: ${Object.keys(record.functions).join(", ") || "none"})`);
    if (call.durationMs === undefined) throw new Error(`${where}: the history does not show how long "${name}" ran`);
    return { functionName: name, memoryMb: config.memoryMb, architecture: config.architecture, durationMs: call.durationMs };
  });
  const byId = new Map(record.glueRuns.map((r) => [r.jobRunId, r]));
  const glue: BilledGlueRun[] = glueRuns(record.history).map((ref) => {
    const details = byId.get(ref.jobRunId);
    const dpu = details?.dpu ?? ref.maxCapacity;
    const executionSeconds = details?.executionSeconds ?? ref.executionSeconds;
    if (dpu === undefined || executionSeconds === undefined) {
      throw new Error(`${where}: Glue run ${ref.jobRunId} has no ${dpu === undefined ? "capacity (DPU)" : "execution time"}; record its GetJobRun`);
    }
    const engine = details?.engine ?? ref.engine;
    return { jobRunId: ref.jobRunId, ...(engine ? { engine } : {}), dpu, executionSeconds };
  });
  return { transitions: countStateTransitions(record.history).total, lambda, glue };
}

/** sync: `.sync` polls the run; event: the task started the run and waits for its state-change event; callback: an operator answers. */
export type PatternWait = "none" | "sync" | "event" | "callback";

/** The task that starts a Glue run and waits for the callback its state-change event sends (event-driven-callback). */
const isEventWait = (a: { resourceType: string; resource: string }) => a.resourceType === "aws-sdk:glue" && a.resource === "startJobRun.waitForTaskToken";

/** How the pattern waits for the job: from its tasks' resources. */
export function patternWait(history: readonly HistoryEventLike[]): PatternWait {
  const attempts = taskAttempts(history);
  if (attempts.some((a) => a.resourceType === "glue" && a.resource.endsWith(".sync"))) return "sync";
  if (attempts.some(isEventWait)) return "event";
  if (attempts.some((a) => a.resource.endsWith(".waitForTaskToken"))) return "callback";
  return "none";
}

export interface LatencyAssumptions {
  /** EventBridge delivery of Glue's state-change event, seconds (no published figure: an assumption). */
  readonly eventDeliverySeconds: number;
}

export const DEFAULT_LATENCY_ASSUMPTIONS: LatencyAssumptions = { eventDeliverySeconds: 1 };

export interface PatternCost {
  readonly pattern: string;
  readonly runs: number;
  /** Final status of each run, e.g. ["FAILED"] (request-response fails by design). */
  readonly statuses: readonly string[];
  /** Mean usage and cost of one execution. */
  readonly perExecution: ExecutionCost;
  readonly per1000: ExecutionCost;
  readonly wait: PatternWait;
  /** Mean Glue run wall time, seconds (undefined without a run). */
  readonly glueRunSeconds?: number;
  /** `.sync`: seconds the polling adds after this run's end, and the mean over where the end falls. */
  readonly syncAddedSeconds?: number;
  readonly meanSyncAddedSeconds?: number;
  /** Seconds a callback sent on the job's state-change event would add after the run's end. */
  readonly callbackAddedSeconds: number;
  /** event: seconds from the run's end to the task's end, measured from the history and the run. */
  readonly eventPathSeconds?: number;
  /** Mean execution wall time in this environment, ms. */
  readonly executionMs?: number;
}

function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

function meanCost(costs: readonly ExecutionCost[]): ExecutionCost {
  const keys = Object.keys(costs[0]) as (keyof ExecutionCost)[];
  return Object.fromEntries(keys.map((k) => [k, mean(costs.map((c) => c[k])) as number])) as unknown as ExecutionCost;
}

/** Cost per execution and per 1,000 runs of one pattern, from one or more recorded executions of it. */
export function costOfPattern(
  records: readonly ExecutionRecord[],
  prices: PriceTable,
  assumptions: LatencyAssumptions = DEFAULT_LATENCY_ASSUMPTIONS,
): PatternCost {
  if (records.length === 0) throw new Error("costOfPattern needs at least one recorded execution");
  const pattern = records[0].pattern;
  const costs = records.map((r) => priceExecution(usageOf(r), prices));
  const perExecution = meanCost(costs);
  const runSeconds = records.flatMap((r) => r.glueRuns.map((g) => g.wallSeconds ?? g.executionSeconds));
  const glueRunSeconds = mean(runSeconds);
  const lambdaSeconds = records.flatMap((r) => lambdaCalls(r.history).flatMap((c) => (c.durationMs === undefined ? [] : [c.durationMs / 1000])));
  const wait = patternWait(records[0].history);
  const sync = wait === "sync" && glueRunSeconds !== undefined;
  return {
    pattern,
    runs: records.length,
    statuses: records.map((r) => executionSpan(r.history).status ?? "RUNNING"),
    perExecution,
    per1000: scaleCost(perExecution, 1000),
    wait,
    glueRunSeconds,
    syncAddedSeconds: sync ? mean(runSeconds.map((s) => syncAddedSeconds(s))) : undefined,
    meanSyncAddedSeconds: sync ? meanSyncAddedSeconds(glueRunSeconds) : undefined,
    callbackAddedSeconds: callbackAddedSeconds({ eventDeliverySeconds: assumptions.eventDeliverySeconds, senderSeconds: mean(lambdaSeconds) ?? 0 }),
    eventPathSeconds: wait === "event" ? mean(records.flatMap(measuredEventPath)) : undefined,
    executionMs: mean(records.flatMap((r) => executionSpan(r.history).durationMs ?? [])),
  };
}

/** Each event-waiting task's lag after the run it started ended (the run's CompletedOn to the task's end). */
function measuredEventPath(record: ExecutionRecord): number[] {
  const completed = new Map(record.glueRuns.map((r) => [r.jobRunId, r.completedAtMs]));
  return taskAttempts(record.history).flatMap((a) => {
    if (!isEventWait(a) || a.endedAt === undefined) return [];
    const runId = (a.submittedOutput as { JobRunId?: unknown } | undefined)?.JobRunId ?? (a.output as { JobRunId?: unknown } | undefined)?.JobRunId;
    const completedAt = typeof runId === "string" ? completed.get(runId) : undefined;
    return completedAt === undefined ? [] : [eventPathSeconds(completedAt, a.endedAt)];
  });
}
