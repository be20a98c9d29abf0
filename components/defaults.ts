/**
 * Every default of the components, in one place. The program's config defaults (Pulumi.yaml), the README's
 * configuration table and the components' doc comments are checked against these values by tests.
 */
import type { RowFilter } from "../functions/validate-output/filter";

/** The sample data file shipped with the package, relative to the package root. */
export const DEFAULT_DATA_FILE = "etl/data/orders.csv";

export const DEFAULT_FILTER: RowFilter = { column: "amount", operator: "ge", value: "100" };

export const ETL_PIPELINE_DEFAULTS = {
  /** The Python shell job suits the lab's small file; "spark" runs the same filter on Glue 5.0 Spark workers. */
  engine: "python-shell",
  dataKey: "input/orders.csv",
  outputPrefix: "output",
  forceDestroy: false,
} as const;

export const ETL_JOB_DEFAULTS = { maxCapacity: 0.0625, timeoutMinutes: 10, maxConcurrentRuns: 3 } as const;

/** The Spark engine's workers: the smallest batch worker type, and Glue's minimum of 2 workers. */
export const SPARK_WORKER_DEFAULTS = { workerType: "G.1X", numberOfWorkers: 2 } as const;

export const FUNCTION_DEFAULTS = { memorySize: 256, timeoutSeconds: 30, logRetentionInDays: 14 } as const;

export const DEFAULT_PATTERN_TIMEOUTS = {
  lambdaTaskTimeoutSeconds: 60,
  etlTaskTimeoutSeconds: 1200,
  callbackTimeoutSeconds: 86400,
  callbackHeartbeatSeconds: 3600,
} as const;

export const STATE_MACHINE_DEFAULTS = { type: "STANDARD", logRetentionInDays: 30, logLevel: "ALL", tracingEnabled: true } as const;

type Defaulted<T> = { -readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/**
 * The defaults with each given field laid over them, field by field: a field given as `undefined` keeps its
 * default (a plain object spread would erase it, and AWS would then apply its own default instead).
 */
export function withDefaults<T extends object>(defaults: Defaulted<T>, given: T | undefined): Defaulted<T> {
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(given ?? {})) {
    if (value !== undefined) merged[key] = value;
  }
  return merged as Defaulted<T>;
}
