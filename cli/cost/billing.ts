/**
 * Prices one execution's usage with a price table: Step Functions Standard transitions, Lambda requests
 * and GB-seconds, Glue DPU-seconds of Python shell and Spark runs (each with its minimum billed duration). Pure.
 */
import type { LambdaArchitecture, PriceTable } from "./price-table";

/** A Lambda invocation with the configuration it is billed by. */
export interface BilledLambdaCall {
  readonly functionName: string;
  readonly memoryMb: number;
  readonly architecture: LambdaArchitecture;
  readonly durationMs: number;
}

/** A finished Glue run: a Python shell run, or a Spark run (Glue 2.0+, billed by its workers' DPUs). */
export interface BilledGlueRun {
  readonly jobRunId: string;
  /** Default "python-shell". */
  readonly engine?: "python-shell" | "spark";
  /** MaxCapacity (DPUs) the run had: 0.0625 or 1 for Python shell; workers x DPU per worker for Spark. */
  readonly dpu: number;
  /** Glue's ExecutionTime: seconds the run consumed resources. */
  readonly executionSeconds: number;
}

/** What one execution used, ready to price. */
export interface ExecutionUsage {
  readonly transitions: number;
  readonly lambda: readonly BilledLambdaCall[];
  readonly glue: readonly BilledGlueRun[];
}

export interface ExecutionCost {
  readonly transitions: number;
  readonly lambdaRequests: number;
  readonly lambdaGbSeconds: number;
  readonly glueDpuSeconds: number;
  /** Currency amounts, per execution. */
  readonly stepFunctions: number;
  readonly lambdaRequestsCost: number;
  readonly lambdaDurationCost: number;
  readonly glue: number;
  readonly total: number;
}

function roundUpTo(value: number, increment: number): number {
  // The epsilon keeps 60.000000001 (float noise) from becoming 61.
  return Math.ceil(value / increment - 1e-9) * increment;
}

/** Billed GB-seconds of one invocation: memory in GB times the duration rounded up to the increment. */
export function lambdaGbSeconds(memoryMb: number, durationMs: number, billingIncrementMs = 1): number {
  if (!(memoryMb > 0)) throw new RangeError(`Lambda memory must be > 0 MB, got ${memoryMb}`);
  if (!(durationMs >= 0)) throw new RangeError(`Lambda duration must be >= 0 ms, got ${durationMs}`);
  const billedMs = roundUpTo(durationMs, billingIncrementMs);
  return (memoryMb / 1024) * (billedMs / 1000);
}

/** Billed seconds of a Glue run: rounded up to the increment, never below the minimum. */
export function glueBilledSeconds(executionSeconds: number, minimumSeconds: number, incrementSeconds = 1): number {
  if (!(executionSeconds >= 0)) throw new RangeError(`Glue execution time must be >= 0 s, got ${executionSeconds}`);
  return Math.max(minimumSeconds, roundUpTo(executionSeconds, incrementSeconds));
}

/** Billed DPU-seconds of a Python shell run. */
export function glueDpuSeconds(dpu: number, executionSeconds: number, minimumSeconds: number, incrementSeconds = 1): number {
  if (!(dpu > 0)) throw new RangeError(`Glue capacity must be > 0 DPU, got ${dpu}`);
  return dpu * glueBilledSeconds(executionSeconds, minimumSeconds, incrementSeconds);
}

/** The cost of one execution, by service. */
export function priceExecution(usage: ExecutionUsage, prices: PriceTable): ExecutionCost {
  if (!(usage.transitions >= 0)) throw new RangeError(`transitions must be >= 0, got ${usage.transitions}`);
  for (const run of usage.glue) {
    if (run.engine !== "spark" && !prices.glue.pythonShellCapacities.includes(run.dpu)) {
      throw new RangeError(`Glue run ${run.jobRunId} has ${run.dpu} DPU; a Python shell job has ${prices.glue.pythonShellCapacities.join(" or ")}`);
    }
  }
  let lambdaGb = 0;
  let lambdaDurationCost = 0;
  for (const call of usage.lambda) {
    const gbs = lambdaGbSeconds(call.memoryMb, call.durationMs, prices.lambda.billingIncrementMs);
    lambdaGb += gbs;
    lambdaDurationCost += gbs * prices.lambda.perGbSecond[call.architecture];
  }
  let dpuSeconds = 0;
  let glue = 0;
  for (const run of usage.glue) {
    const spark = run.engine === "spark";
    const minimum = spark ? prices.glue.sparkMinimumBilledSeconds : prices.glue.pythonShellMinimumBilledSeconds;
    const seconds = glueDpuSeconds(run.dpu, run.executionSeconds, minimum, prices.glue.billingIncrementSeconds);
    dpuSeconds += seconds;
    glue += (seconds / 3600) * (spark ? prices.glue.sparkPerDpuHour : prices.glue.pythonShellPerDpuHour);
  }
  const stepFunctions = (usage.transitions / 1000) * prices.stepFunctions.standardPer1000Transitions;
  const lambdaRequestsCost = (usage.lambda.length / 1_000_000) * prices.lambda.perMillionRequests;
  return {
    transitions: usage.transitions,
    lambdaRequests: usage.lambda.length,
    lambdaGbSeconds: lambdaGb,
    glueDpuSeconds: dpuSeconds,
    stepFunctions,
    lambdaRequestsCost,
    lambdaDurationCost,
    glue,
    total: stepFunctions + lambdaRequestsCost + lambdaDurationCost + glue,
  };
}

/** Every amount and count of a per-execution cost multiplied by `runs` (e.g. 1,000 runs). */
export function scaleCost(cost: ExecutionCost, runs: number): ExecutionCost {
  return {
    transitions: cost.transitions * runs,
    lambdaRequests: cost.lambdaRequests * runs,
    lambdaGbSeconds: cost.lambdaGbSeconds * runs,
    glueDpuSeconds: cost.glueDpuSeconds * runs,
    stepFunctions: cost.stepFunctions * runs,
    lambdaRequestsCost: cost.lambdaRequestsCost * runs,
    lambdaDurationCost: cost.lambdaDurationCost * runs,
    glue: cost.glue * runs,
    total: cost.total * runs,
  };
}
