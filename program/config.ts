import * as pulumi from "@pulumi/pulumi";
import {
  checkCapacity,
  checkFilter,
  checkPrefix,
  FilterOperator,
  PatternQueryLanguage,
  ORDERS_SCHEMA,
  RowFilter,
  SettingError,
} from "../components";

/** The program's settings, read from stack config (declared with defaults in Pulumi.yaml). */
export interface LabConfig {
  readonly dataFile: string;
  readonly dataKey: string;
  readonly outputPrefix: string;
  readonly filter: RowFilter;
  readonly glueMaxCapacity: number;
  readonly glueTimeoutMinutes: number;
  readonly glueMaxConcurrentRuns: number;
  readonly etlTaskTimeoutSeconds: number;
  readonly callbackTimeoutSeconds: number;
  readonly callbackHeartbeatSeconds: number;
  readonly logRetentionDays: number;
  readonly forceDestroy: boolean;
  /** The query language of the three state machines' definitions. */
  readonly queryLanguage: PatternQueryLanguage;
}

/** Config key each setting comes from, so an error names what the user has to change. */
const KEY_OF_FIELD: Record<string, string> = {
  "filter.column": "filterColumn",
  "filter.operator": "filterOperator",
  "filter.value": "filterValue",
  "job.maxCapacity": "glueMaxCapacity",
  outputPrefix: "outputPrefix",
  dataKey: "dataKey",
};

export function readLabConfig(config = new pulumi.Config()): LabConfig {
  const key = (name: string) => `${config.name}:${name}`;
  const positive = (name: string, fallback: number): number => {
    const value = config.getNumber(name) ?? fallback;
    if (!Number.isInteger(value) || value <= 0) {
      throw new pulumi.RunError(`Invalid configuration ${key(name)}: ${value} must be a whole number above 0`);
    }
    return value;
  };
  const capacityText = config.get("glueMaxCapacity") ?? "0.0625";
  const queryLanguage = config.get("queryLanguage") ?? "JSONPath";
  if (queryLanguage !== "JSONPath" && queryLanguage !== "JSONata") {
    throw new pulumi.RunError(`Invalid configuration ${key("queryLanguage")}: ${JSON.stringify(queryLanguage)} must be JSONPath or JSONata`);
  }
  const lab: LabConfig = {
    dataFile: config.get("dataFile") ?? "etl/data/orders.csv",
    dataKey: config.get("dataKey") ?? "input/orders.csv",
    outputPrefix: config.get("outputPrefix") ?? "output",
    filter: {
      column: config.get("filterColumn") ?? "amount",
      operator: (config.get("filterOperator") ?? "ge") as FilterOperator,
      value: config.get("filterValue") ?? "100",
    },
    glueMaxCapacity: Number(capacityText),
    glueTimeoutMinutes: positive("glueTimeoutMinutes", 10),
    glueMaxConcurrentRuns: positive("glueMaxConcurrentRuns", 3),
    etlTaskTimeoutSeconds: positive("etlTaskTimeoutSeconds", 1200),
    callbackTimeoutSeconds: positive("callbackTimeoutSeconds", 86400),
    callbackHeartbeatSeconds: positive("callbackHeartbeatSeconds", 3600),
    logRetentionDays: positive("logRetentionDays", 14),
    forceDestroy: config.getBoolean("forceDestroy") ?? false,
    queryLanguage,
  };
  try {
    checkFilter(lab.filter, ORDERS_SCHEMA);
    checkCapacity(lab.glueMaxCapacity);
    checkPrefix("outputPrefix", lab.outputPrefix);
    checkPrefix("dataKey", lab.dataKey);
  } catch (err) {
    if (err instanceof SettingError) {
      throw new pulumi.RunError(`Invalid configuration ${key(KEY_OF_FIELD[err.field] ?? err.field)}: ${err.message}`);
    }
    throw err;
  }
  if (lab.etlTaskTimeoutSeconds <= lab.glueTimeoutMinutes * 60) {
    throw new pulumi.RunError(
      `Invalid configuration ${key("etlTaskTimeoutSeconds")}: ${lab.etlTaskTimeoutSeconds}s must exceed the job's own timeout ` +
        `(${key("glueTimeoutMinutes")} = ${lab.glueTimeoutMinutes} min), or the .sync task would give up before Glue does`,
    );
  }
  return lab;
}
