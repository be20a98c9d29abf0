/**
 * The settings that the Glue job and the validate-output function share: the data file's columns and the
 * filter. Pure: checked when an EtlPipeline is constructed, so a bad setting fails `pulumi preview`.
 */
import { COLUMN_TYPES, Column, FILTER_OPERATORS, parseTyped, RowFilter } from "../functions/validate-output/filter";
import { MIN_SPARK_WORKERS, SPARK_WORKER_TYPES } from "./glueWorkers";

// The data contract's types and filter are defined once, by the module validate-output runs; the components
// check settings with the same grammar, so a value preview accepts is one the function can compare.
export { COLUMN_TYPES, FILTER_OPERATORS };
export type { Column, ColumnType, FilterOperator, RowFilter } from "../functions/validate-output/filter";

/** The orders file shipped in etl/data/orders.csv. */
export const ORDERS_SCHEMA: readonly Column[] = [
  { name: "order_id", type: "string" },
  { name: "order_date", type: "date" },
  { name: "customer_id", type: "string" },
  { name: "region", type: "string" },
  { name: "product", type: "string" },
  { name: "quantity", type: "int" },
  { name: "unit_price", type: "decimal" },
  { name: "amount", type: "decimal" },
  { name: "status", type: "string" },
];

export { DEFAULT_FILTER } from "./defaults";

/** Capacities AWS Glue allows for a Python shell job, in DPUs. */
export const PYTHON_SHELL_CAPACITIES: readonly number[] = [0.0625, 1];

/** A setting that cannot work, named by the field it came from (the program maps fields to config keys). */
export class SettingError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "SettingError";
  }
}

export function checkSchema(schema: readonly Column[]): void {
  if (schema.length === 0) throw new SettingError("schema", "schema has no columns");
  const seen = new Set<string>();
  for (const column of schema) {
    if (!column.name) throw new SettingError("schema", "a schema column has an empty name");
    if (seen.has(column.name)) throw new SettingError("schema", `schema names column "${column.name}" twice`);
    if (!COLUMN_TYPES.includes(column.type)) {
      throw new SettingError("schema", `column "${column.name}" has type "${column.type}"; use one of ${COLUMN_TYPES.join(", ")}`);
    }
    seen.add(column.name);
  }
}

export function checkFilter(filter: RowFilter, schema: readonly Column[]): void {
  const column = schema.find((c) => c.name === filter.column);
  if (!column) {
    throw new SettingError(
      "filter.column",
      `filter column "${filter.column}" is not a column of the data file; columns: ${schema.map((c) => c.name).join(", ")}`,
    );
  }
  if (!FILTER_OPERATORS.includes(filter.operator)) {
    throw new SettingError("filter.operator", `filter operator "${filter.operator}" is unknown; use one of ${FILTER_OPERATORS.join(", ")}`);
  }
  const values = filter.operator === "in" ? filter.value.split("|") : [filter.value];
  for (const value of values) {
    const parsed = parseTyped(column.type, value);
    if (!parsed.ok) {
      throw new SettingError("filter.value", `filter value is ${parsed.reason}, but column "${column.name}" is a ${column.type}`);
    }
  }
}

/** The ETL job's engines: a Glue Python shell job, or a Glue 5.0 Spark job. */
export const ETL_ENGINES = ["python-shell", "spark"] as const;
export type EtlEngine = (typeof ETL_ENGINES)[number];

export function checkEngine(engine: string): asserts engine is EtlEngine {
  if (!(ETL_ENGINES as readonly string[]).includes(engine)) {
    throw new SettingError("engine", `engine "${engine}" is unknown; use one of ${ETL_ENGINES.join(", ")}`);
  }
}

/** A Spark job's workers: a batch Spark worker type and at least Glue's minimum number of workers. */
export function checkWorkers(workerType: string, numberOfWorkers: number): void {
  if (!SPARK_WORKER_TYPES.includes(workerType)) {
    throw new SettingError(
      "job.workerType",
      `worker type "${workerType}" is not one Glue runs batch Spark jobs on; use one of ${SPARK_WORKER_TYPES.join(", ")}`,
    );
  }
  if (!Number.isInteger(numberOfWorkers) || numberOfWorkers < MIN_SPARK_WORKERS) {
    throw new SettingError(
      "job.numberOfWorkers",
      `a Glue Spark job runs on a whole number of at least ${MIN_SPARK_WORKERS} workers (a driver and an executor); ${numberOfWorkers} is not allowed`,
    );
  }
}

/** Settings that belong to the other engine are refused rather than silently ignored. */
export function checkEngineSettings(engine: EtlEngine, given: { maxCapacity?: number; workerType?: string; numberOfWorkers?: number }): void {
  if (engine === "spark" && given.maxCapacity !== undefined) {
    // AWS Glue API Reference, CreateJob, MaxCapacity: "For Glue version 2.0+ jobs, you cannot specify a Maximum
    // capacity. Instead, you should specify a Worker type and the Number of workers."
    throw new SettingError("job.maxCapacity", "a Spark job takes job.workerType and job.numberOfWorkers, not a maximum capacity");
  }
  if (engine === "python-shell") {
    const field = given.workerType !== undefined ? "job.workerType" : given.numberOfWorkers !== undefined ? "job.numberOfWorkers" : undefined;
    if (field) throw new SettingError(field, `${field} is a Spark setting; the Python shell job takes job.maxCapacity (set engine "spark" for workers)`);
  }
}

export function checkCapacity(maxCapacity: number): void {
  if (!PYTHON_SHELL_CAPACITIES.includes(maxCapacity)) {
    throw new SettingError(
      "job.maxCapacity",
      `Glue Python shell jobs run with ${PYTHON_SHELL_CAPACITIES.join(" or ")} DPU; ${maxCapacity} is not allowed`,
    );
  }
}

/** An S3 key prefix: not empty, no leading or trailing "/", no "//". */
export function checkPrefix(field: string, prefix: string): void {
  if (!prefix || !prefix.trim()) throw new SettingError(field, `${field} is empty; give a key prefix such as "output"`);
  if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.includes("//")) {
    throw new SettingError(field, `${field} "${prefix}" must not start or end with "/" or contain "//"`);
  }
}

/**
 * Retention values CloudWatch Logs accepts (CloudWatch Logs API Reference, PutRetentionPolicy, retentionInDays:
 * "Possible values are: 1, 3, 5, 7, 14, 30, ..., 3653"). Any other value makes AWS refuse the log group.
 */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export function checkLogRetention(field: string, days: number): void {
  if (!LOG_RETENTION_DAYS.includes(days)) {
    throw new SettingError(field, `CloudWatch Logs keeps log events for one of ${LOG_RETENTION_DAYS.join(", ")} days; ${days} is not allowed`);
  }
}

/** AWS Glue API Reference, CreateJob, Timeout: "Jobs must have timeout values less than 7 days or 10080 minutes". */
export const GLUE_MAX_TIMEOUT_MINUTES = 10080;

export function checkJobTimeout(minutes: number): void {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > GLUE_MAX_TIMEOUT_MINUTES) {
    throw new SettingError(
      "job.timeoutMinutes",
      `a Glue job run's timeout is a whole number of minutes from 1 to ${GLUE_MAX_TIMEOUT_MINUTES} (7 days); ${minutes} is not allowed`,
    );
  }
}
