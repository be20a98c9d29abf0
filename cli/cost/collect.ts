/**
 * Runs one execution of a pattern on a target (the sandbox or AWS) to its end and records what pricing
 * needs: the history, the functions' configuration and the finished Glue runs. For wait-for-callback it
 * acts as the operator: runs the job, waits for it, and sends the task token with the run's id. The
 * event-driven callback answers itself (the run's state-change event), so it is only waited for.
 */

/** The patterns whose callback an operator sends. */
const OPERATOR_ANSWERS: readonly PatternName[] = ["wait-for-callback"];
import type { JobRun } from "@aws-sdk/client-glue";
import type { PatternName } from "../../components/patternNames";
import { CliError } from "../errors";
import { sendSuccess } from "../ops/callbacks";
import { fetchHistory, readExecution, startMachine, startPattern } from "../ops/executions";
import { patternOfMachine } from "../targets/machines";
import { startJobRun, waitForJobRun } from "../ops/etl";
import type { Target } from "../targets/target";
import { DPU_PER_WORKER } from "../../components/glueWorkers";
import type { ExecutionRecord, FunctionConfig, GlueRunDetails } from "./pattern-cost";
import { glueRuns, type HistoryEventLike } from "./usage";

export interface RecordOptions {
  readonly functions: Readonly<Record<string, FunctionConfig>>;
  /** Capacity to assume when GetJobRun does not report MaxCapacity. */
  readonly defaultDpu: number;
  /** Give up on the execution (and its runs) after this long. Default 30 minutes. */
  readonly timeoutMs?: number;
  readonly onProgress?: (message: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function seconds(from: Date | undefined, to: Date | undefined): number | undefined {
  return from && to ? (new Date(to).getTime() - new Date(from).getTime()) / 1000 : undefined;
}

/** A finished run as pricing needs it. */
export function runDetails(run: JobRun, defaultDpu: number): GlueRunDetails {
  const wallSeconds = seconds(run.StartedOn, run.CompletedOn);
  // A Spark run reports its workers; its capacity is workers x DPU per worker (GetJobRun also gives MaxCapacity).
  const spark = run.WorkerType !== undefined;
  const perWorker = spark ? DPU_PER_WORKER[run.WorkerType as string] : undefined;
  const workersDpu = perWorker !== undefined && run.NumberOfWorkers !== undefined ? perWorker * run.NumberOfWorkers : undefined;
  return {
    jobRunId: run.Id ?? "?",
    engine: spark ? "spark" : "python-shell",
    dpu: run.MaxCapacity ?? workersDpu ?? defaultDpu,
    executionSeconds: run.ExecutionTime ?? wallSeconds ?? 0,
    wallSeconds,
    ...(run.CompletedOn ? { completedAtMs: new Date(run.CompletedOn).getTime() } : {}),
  };
}

/** A machine to price: a lab pattern, or any deployed machine by its name and ARN. */
export type PricedMachine = PatternName | { readonly label: string; readonly arn: string };

/**
 * Starts the machine, drives it to its end, and records it. A lab pattern's callback is answered as the
 * operator would (runs the job, sends its run id); another machine's callback cannot be answered for it, so
 * pricing it is refused with what to do instead.
 */
export async function recordExecution(target: Target, machine: PricedMachine, options: RecordOptions): Promise<ExecutionRecord> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  const pattern = typeof machine === "string" ? machine : (patternOfMachine(target, machine.arn) ?? machine.label);
  const isLabPattern = typeof machine === "string" || patternOfMachine(target, machine.arn) !== undefined;
  const executionArn = typeof machine === "string" ? await startPattern(target, machine, "{}") : await startMachine(target, machine.arn, "{}");
  options.onProgress?.(`${pattern}: started ${executionArn}`);
  let answered = false;
  for (;;) {
    const view = await readExecution(target, executionArn);
    if (view.status !== "RUNNING") break;
    if (view.pendingCallback && !answered && (!isLabPattern || OPERATOR_ANSWERS.includes(pattern as PatternName))) {
      const token = view.pendingCallback.token;
      if (!token) throw new CliError(`${pattern}: paused at ${view.pendingCallback.state} but the history shows no task token`);
      if (!isLabPattern) {
        throw new CliError(
          `${pattern}: paused at ${view.pendingCallback.state} for a callback; cost answers only the lab's callbacks (by running its Glue job), ` +
            `not another machine's. The execution stays paused: answer it with \`sfn-lab approve ${executionArn} --output JSON\``,
        );
      }
      options.onProgress?.(`${pattern}: paused at ${view.pendingCallback.state}; running the job as the operator would`);
      const runId = await startJobRun(target);
      const run = await waitForJobRun(target, runId, undefined, deadline - Date.now());
      if (run.JobRunState !== "SUCCEEDED") throw new CliError(`${pattern}: Glue run ${runId} ended ${run.JobRunState}: ${run.ErrorMessage ?? ""}`);
      await sendSuccess(target, token, { JobRunId: runId });
      answered = true;
    }
    if (Date.now() > deadline) throw new CliError(`${pattern}: execution ${executionArn} is still RUNNING after ${Math.round((options.timeoutMs ?? 0) / 1000)} s`);
    await sleep(target.pollIntervalMs);
  }
  const history = (await fetchHistory(target, executionArn)) as unknown as HistoryEventLike[];
  const details: GlueRunDetails[] = [];
  for (const ref of glueRuns(history)) {
    // A request-response run goes on after the execution ended: wait for it, it is billed to the end.
    const run = await waitForJobRun(target, ref.jobRunId, undefined, Math.max(1, deadline - Date.now()));
    details.push(runDetails(run, options.defaultDpu));
  }
  return { pattern, history, functions: options.functions, glueRuns: details };
}
