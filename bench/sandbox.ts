/**
 * Sandbox benchmark: the run-job pattern with Glue's modelled delays at zero (no start-up latency, no
 * wait between `.sync` polls), so what remains is the sandbox's own work plus the real Lambda handlers and
 * the real ETL script. Also records one execution of each pattern for the cost section.
 */
import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PATTERN_NAMES } from "../components/patterns";
import { recordExecution, runDetails } from "../cli/cost/collect";
import { functionConfigs, glueCapacity } from "../cli/cost/model-config";
import type { ExecutionRecord } from "../cli/cost/pattern-cost";
import { countStateTransitions, lambdaCalls, glueRuns, type HistoryEventLike } from "../cli/cost/usage";
import { fetchHistory } from "../cli/ops/executions";
import { getJobRun } from "../cli/ops/etl";
import { parseStackOutputs } from "../cli/targets/outputs";
import type { Target } from "../cli/targets/target";
import { Sandbox } from "../sandbox";
import { loadProgramModel } from "../sandbox/model";
import { formatProfileSummary, summarizeCpuProfile } from "./profile";
import { profile } from "./timing";

export interface ExecutionTiming {
  readonly wallMs: number;
  readonly transitions: number;
  /** Lambda tasks, TaskStarted to answer (the handler in its worker thread, with the invoke). */
  readonly lambdaMs: number;
  /** The Glue run, StartedOn to CompletedOn (python3 running the job script, S3 transfers included). */
  readonly glueRunMs: number;
}

export interface BurstTiming {
  readonly executions: number;
  readonly wallMs: number;
  /** CPU of this process (main thread and the Lambda worker threads), ms. */
  readonly processCpuMs: number;
  /** CPU of the Glue runs' python3 processes, ms. */
  readonly childCpuMs: number;
  readonly failed: number;
}

export interface SandboxResult {
  /** Median wall time of one run-job execution / its state transitions. */
  readonly overheadMsPerState: number;
  /** `executions` run-job executions started at once / wall time until the last ended. */
  readonly executionsPerSecond: number;
  readonly sequential: readonly ExecutionTiming[];
  readonly burst: BurstTiming;
  /** Wall time of `python3 -c "import boto3; boto3.client('s3')"`, ms: the floor of any Glue run here. */
  readonly pythonBoto3StartMs: number;
  /** Where the main thread spent the burst. */
  readonly profile: readonly string[];
  /** One execution of each pattern, recorded for the cost model. */
  readonly records: readonly ExecutionRecord[];
}

const CONCURRENT_EXECUTIONS = 50;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** CPU time (ms) of this process's waited-for children, from /proc (Linux); 0 elsewhere. */
function childrenCpuMs(): number {
  try {
    // Fields after the command name: cutime and cstime are the 14th and 15th, in clock ticks (100 Hz).
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return 0;
  }
}

function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Median wall time of starting python3 and creating a boto3 S3 client, what every Glue run does first. */
function pythonBoto3StartMs(python: string): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    execFileSync(python, ["-c", "import boto3; boto3.client('s3', region_name='us-east-1')"], { stdio: "ignore" });
    times.push(performance.now() - t0);
  }
  return median(times);
}

function sandboxTarget(sandbox: Sandbox, outputs: unknown): Target {
  const sfn = new SFNClient(sandbox.clientConfig("sfn"));
  const glue = new GlueClient(sandbox.clientConfig("glue"));
  const s3 = new S3Client(sandbox.clientConfig("s3"));
  return {
    kind: "sandbox",
    description: "sandbox (benchmark)",
    sfn,
    glue,
    s3,
    outputs: parseStackOutputs(outputs, "the program's outputs under mocks"),
    get labOutputs() {
      return this.outputs;
    },
    pollIntervalMs: 20,
    async close() {
      sfn.destroy();
      glue.destroy();
      s3.destroy();
    },
  };
}

async function timeOneExecution(sandbox: Sandbox, target: Target): Promise<ExecutionTiming> {
  const t0 = performance.now();
  const started = await target.sfn.send(new StartExecutionCommand({ stateMachineArn: target.outputs.stateMachineArns["run-job"], input: "{}" }));
  const arn = started.executionArn as string;
  const done = await sandbox.whenExecutionFinished(arn);
  const wallMs = performance.now() - t0;
  if (done.status !== "SUCCEEDED") throw new Error(`run-job execution ${arn} ended ${done.status}; the benchmark needs it to succeed`);
  const history = (await fetchHistory(target, arn)) as unknown as HistoryEventLike[];
  const runs = await Promise.all(glueRuns(history).map(async (ref) => runDetails(await getJobRun(target, ref.jobRunId), 0.0625)));
  return {
    wallMs,
    transitions: countStateTransitions(history).total,
    lambdaMs: lambdaCalls(history).reduce((sum, c) => sum + (c.durationMs ?? 0), 0),
    glueRunMs: runs.reduce((sum, r) => sum + (r.wallSeconds ?? 0) * 1000, 0),
  };
}

async function burst(sandbox: Sandbox, target: Target, count: number): Promise<BurstTiming> {
  const cpu0 = processCpuMs();
  const child0 = childrenCpuMs();
  const t0 = performance.now();
  const arns = await Promise.all(
    Array.from({ length: count }, async () => {
      const started = await target.sfn.send(new StartExecutionCommand({ stateMachineArn: target.outputs.stateMachineArns["run-job"], input: "{}" }));
      return started.executionArn as string;
    }),
  );
  const ends = await Promise.all(arns.map((arn) => sandbox.whenExecutionFinished(arn)));
  return {
    executions: count,
    wallMs: performance.now() - t0,
    processCpuMs: processCpuMs() - cpu0,
    childCpuMs: childrenCpuMs() - child0,
    failed: ends.filter((e) => e.status !== "SUCCEEDED").length,
  };
}

export async function benchSandbox(quick: boolean, log: (line: string) => void): Promise<SandboxResult> {
  log("sandbox: evaluating the program under mocks");
  // Glue's concurrency limit is real AWS behaviour, but at 3 runs the throughput figure would measure the
  // retries' back-off, not the sandbox: allow every execution its run.
  const model = await loadProgramModel({ stack: "dev", config: { glueMaxConcurrentRuns: String(CONCURRENT_EXECUTIONS) } });
  const rootDir = mkdtempSync(path.join(tmpdir(), "sfn-lab-bench-sandbox-"));
  const sandbox = await Sandbox.start(model, { rootDir, glue: { startupDelayMs: 0 }, sfn: { syncPollIntervalMs: 0 }, writeConnectionFile: false });
  const target = sandboxTarget(sandbox, model.outputs);
  try {
    const runs = quick ? 5 : 15;
    log(`sandbox: ${runs} run-job executions one after another`);
    const sequential: ExecutionTiming[] = [];
    for (let i = 0; i < runs; i++) sequential.push(await timeOneExecution(sandbox, target));

    // After the timed runs, so the functions' worker code is warm: a cold first invocation would
    // inflate the Lambda GB-seconds the cost model prices.
    log("sandbox: recording one execution of each pattern (for the cost model)");
    const options = { functions: functionConfigs(model), defaultDpu: glueCapacity(model), timeoutMs: 5 * 60_000 };
    const records: ExecutionRecord[] = [];
    for (const pattern of PATTERN_NAMES) records.push(await recordExecution(target, pattern, options));

    const boto3Ms = pythonBoto3StartMs(process.env.PYTHON ?? "python3");

    log(`sandbox: ${CONCURRENT_EXECUTIONS} run-job executions started at once (profiled)`);
    const { result: burstTiming, profile: taken } = await profile(() => burst(sandbox, target, CONCURRENT_EXECUTIONS), 500);
    if (burstTiming.failed > 0) throw new Error(`${burstTiming.failed} of ${CONCURRENT_EXECUTIONS} concurrent run-job executions did not succeed`);
    return {
      overheadMsPerState: median(sequential.map((s) => s.wallMs / s.transitions)),
      executionsPerSecond: CONCURRENT_EXECUTIONS / (burstTiming.wallMs / 1000),
      sequential,
      burst: burstTiming,
      pythonBoto3StartMs: boto3Ms,
      profile: formatProfileSummary(summarizeCpuProfile(taken, path.join(__dirname, ".."), 10), 10),
      records,
    };
  } finally {
    await target.close();
    await sandbox.stop();
    rmSync(rootDir, { recursive: true, force: true });
  }
}
