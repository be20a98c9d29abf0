import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_DATA_FILE,
  DEFAULT_FILTER,
  DEFAULT_PATTERN_TIMEOUTS,
  ETL_JOB_DEFAULTS,
  ETL_PIPELINE_DEFAULTS,
  FUNCTION_DEFAULTS,
  SPARK_WORKER_DEFAULTS,
} from "../components/defaults";
import {
  checkCapacity,
  checkEngine,
  checkFilter,
  checkWorkers,
  EtlEngine,
  checkJobTimeout,
  checkLogRetention,
  checkPrefix,
  FilterOperator,
  ORDERS_SCHEMA,
  RowFilter,
  SettingError,
} from "../components/etlSettings";
import { PATTERN_NAMES, PatternName, PatternQueryLanguage } from "../components/patterns";

/** The program's settings, read from stack config (declared with defaults in Pulumi.yaml). */
export interface LabConfig {
  /** Absolute path of the data file. */
  readonly dataFile: string;
  readonly dataKey: string;
  readonly outputPrefix: string;
  readonly filter: RowFilter;
  /** The ETL job's engine; the Spark engine's worker type and number of workers. */
  readonly etlEngine: EtlEngine;
  readonly glueWorkerType: string;
  readonly glueNumberOfWorkers: number;
  readonly glueMaxCapacity: number;
  readonly glueTimeoutMinutes: number;
  readonly glueMaxConcurrentRuns: number;
  readonly etlTaskTimeoutSeconds: number;
  readonly callbackTimeoutSeconds: number;
  readonly callbackHeartbeatSeconds: number;
  readonly logRetentionDays: number;
  readonly forceDestroy: boolean;
  /** The pattern machines this stack builds. */
  readonly patterns: readonly PatternName[];
  /** The query language of the three state machines' definitions. */
  readonly queryLanguage: PatternQueryLanguage;
}

/**
 * The default of every config key, taken from the components' own defaults: Pulumi.yaml declares the same
 * values (a test holds them equal), so a key left unset means the same thing under the CLI and here.
 */
export const CONFIG_DEFAULTS = {
  dataFile: DEFAULT_DATA_FILE,
  dataKey: ETL_PIPELINE_DEFAULTS.dataKey,
  outputPrefix: ETL_PIPELINE_DEFAULTS.outputPrefix,
  filterColumn: DEFAULT_FILTER.column,
  filterOperator: DEFAULT_FILTER.operator,
  filterValue: DEFAULT_FILTER.value,
  etlEngine: ETL_PIPELINE_DEFAULTS.engine as string,
  glueWorkerType: SPARK_WORKER_DEFAULTS.workerType as string,
  glueNumberOfWorkers: SPARK_WORKER_DEFAULTS.numberOfWorkers as number,
  glueMaxCapacity: String(ETL_JOB_DEFAULTS.maxCapacity),
  glueTimeoutMinutes: ETL_JOB_DEFAULTS.timeoutMinutes,
  glueMaxConcurrentRuns: ETL_JOB_DEFAULTS.maxConcurrentRuns,
  etlTaskTimeoutSeconds: DEFAULT_PATTERN_TIMEOUTS.etlTaskTimeoutSeconds,
  callbackTimeoutSeconds: DEFAULT_PATTERN_TIMEOUTS.callbackTimeoutSeconds,
  callbackHeartbeatSeconds: DEFAULT_PATTERN_TIMEOUTS.callbackHeartbeatSeconds,
  logRetentionDays: FUNCTION_DEFAULTS.logRetentionInDays,
  forceDestroy: ETL_PIPELINE_DEFAULTS.forceDestroy,
  patterns: [...PATTERN_NAMES] as string[],
  queryLanguage: "JSONPath" as PatternQueryLanguage,
};

export type ConfigKey = keyof typeof CONFIG_DEFAULTS;
type TextKey = "dataFile" | "dataKey" | "outputPrefix" | "filterColumn" | "filterOperator" | "filterValue" | "glueMaxCapacity" | "etlEngine" | "glueWorkerType";
type WholeNumberKey =
  | "glueTimeoutMinutes"
  | "glueMaxConcurrentRuns"
  | "glueNumberOfWorkers"
  | "etlTaskTimeoutSeconds"
  | "callbackTimeoutSeconds"
  | "callbackHeartbeatSeconds"
  | "logRetentionDays";

/** Config key each component setting comes from, so an error names what the user has to change. */
const KEY_OF_FIELD: Record<string, ConfigKey> = {
  "filter.column": "filterColumn",
  "filter.operator": "filterOperator",
  "filter.value": "filterValue",
  "job.maxCapacity": "glueMaxCapacity",
  engine: "etlEngine",
  "job.workerType": "glueWorkerType",
  "job.numberOfWorkers": "glueNumberOfWorkers",
  "job.timeoutMinutes": "glueTimeoutMinutes",
  logRetentionDays: "logRetentionDays",
  outputPrefix: "outputPrefix",
  dataKey: "dataKey",
  dataFile: "dataFile",
  "timeouts.callbackHeartbeatSeconds": "callbackHeartbeatSeconds",
};

/** Reads and checks the stack config; `projectDir` is what a relative dataFile is resolved against. */
export function readLabConfig(config = new pulumi.Config(), projectDir = path.join(__dirname, "..")): LabConfig {
  const key = (name: ConfigKey) => `${config.name}:${name}`;
  const refuse = (name: ConfigKey, why: string): never => {
    throw new pulumi.RunError(`Invalid configuration ${key(name)}: ${why}`);
  };
  const text = (name: TextKey): string => config.get(name) ?? CONFIG_DEFAULTS[name];
  const positive = (name: WholeNumberKey): number => {
    const value = config.getNumber(name) ?? CONFIG_DEFAULTS[name];
    if (!Number.isInteger(value) || value <= 0) refuse(name, `${value} must be a whole number above 0`);
    return value;
  };
  const queryLanguage = config.get("queryLanguage") ?? CONFIG_DEFAULTS.queryLanguage;
  if (queryLanguage !== "JSONPath" && queryLanguage !== "JSONata") {
    refuse("queryLanguage", `${JSON.stringify(queryLanguage)} must be JSONPath or JSONata`);
  }
  const lab: LabConfig = {
    dataFile: path.resolve(projectDir, text("dataFile")),
    dataKey: text("dataKey"),
    outputPrefix: text("outputPrefix"),
    filter: { column: text("filterColumn"), operator: text("filterOperator") as FilterOperator, value: text("filterValue") },
    etlEngine: text("etlEngine") as EtlEngine,
    glueWorkerType: text("glueWorkerType"),
    glueNumberOfWorkers: positive("glueNumberOfWorkers"),
    glueMaxCapacity: Number(text("glueMaxCapacity")),
    glueTimeoutMinutes: positive("glueTimeoutMinutes"),
    glueMaxConcurrentRuns: positive("glueMaxConcurrentRuns"),
    etlTaskTimeoutSeconds: positive("etlTaskTimeoutSeconds"),
    callbackTimeoutSeconds: positive("callbackTimeoutSeconds"),
    callbackHeartbeatSeconds: positive("callbackHeartbeatSeconds"),
    logRetentionDays: positive("logRetentionDays"),
    forceDestroy: config.getBoolean("forceDestroy") ?? CONFIG_DEFAULTS.forceDestroy,
    patterns: readPatterns(config.getObject<unknown>("patterns") ?? CONFIG_DEFAULTS.patterns, (why) => refuse("patterns", why)),
    queryLanguage: queryLanguage as PatternQueryLanguage,
  };
  try {
    checkFilter(lab.filter, ORDERS_SCHEMA);
    checkEngine(lab.etlEngine);
    // Each engine's own settings are checked; the other engine's keep their defaults and are not used.
    if (lab.etlEngine === "spark") checkWorkers(lab.glueWorkerType, lab.glueNumberOfWorkers);
    else checkCapacity(lab.glueMaxCapacity);
    checkJobTimeout(lab.glueTimeoutMinutes);
    checkLogRetention("logRetentionDays", lab.logRetentionDays);
    checkPrefix("outputPrefix", lab.outputPrefix);
    checkPrefix("dataKey", lab.dataKey);
  } catch (err) {
    if (err instanceof SettingError) refuse(KEY_OF_FIELD[err.field] ?? (err.field as ConfigKey), err.message);
    throw err;
  }
  if (!fs.existsSync(lab.dataFile) || !fs.statSync(lab.dataFile).isFile()) {
    refuse("dataFile", `${text("dataFile")} does not exist (resolved against the project folder: ${lab.dataFile})`);
  }
  if (lab.callbackHeartbeatSeconds >= lab.callbackTimeoutSeconds) {
    // Amazon States Language, Task state: HeartbeatSeconds must be smaller than TimeoutSeconds.
    refuse(
      "callbackHeartbeatSeconds",
      `${lab.callbackHeartbeatSeconds}s must be below ${key("callbackTimeoutSeconds")} (${lab.callbackTimeoutSeconds}s)`,
    );
  }
  if (lab.etlTaskTimeoutSeconds <= lab.glueTimeoutMinutes * 60) {
    refuse(
      "etlTaskTimeoutSeconds",
      `${lab.etlTaskTimeoutSeconds}s must exceed the job's own timeout ` +
        `(${key("glueTimeoutMinutes")} = ${lab.glueTimeoutMinutes} min), or the .sync task would give up before Glue does`,
    );
  }
  return lab;
}

/** A non-empty list of pattern names, each once. */
function readPatterns(value: unknown, refuse: (why: string) => never): PatternName[] {
  if (!Array.isArray(value) || value.length === 0) refuse(`give a non-empty list of patterns out of ${PATTERN_NAMES.join(", ")}`);
  const patterns: PatternName[] = [];
  for (const item of value as unknown[]) {
    if (!PATTERN_NAMES.includes(item as PatternName)) refuse(`"${String(item)}" is not a pattern; use ${PATTERN_NAMES.join(", ")}`);
    if (patterns.includes(item as PatternName)) refuse(`"${String(item)}" is listed twice`);
    patterns.push(item as PatternName);
  }
  return patterns;
}
