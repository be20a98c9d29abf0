/**
 * The checked-in price table (prices.json): what each billed unit costs in one region on the day the
 * prices were checked. A table read from elsewhere (`sfn-lab cost --prices FILE`) is checked field by
 * field, so a typo says which field is wrong instead of pricing everything at NaN.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../../components/packageRoot";
import { CliError } from "../errors";

export type LambdaArchitecture = "arm64" | "x86_64";

export interface PriceTable {
  readonly region: string;
  readonly currency: string;
  /** YYYY-MM-DD: the day the prices were checked against the sources. */
  readonly checkedOn: string;
  readonly stepFunctions: {
    /** Standard workflows: price of 1,000 state transitions. */
    readonly standardPer1000Transitions: number;
  };
  readonly lambda: {
    readonly perMillionRequests: number;
    readonly perGbSecond: Readonly<Record<LambdaArchitecture, number>>;
    /** Duration is rounded up to a multiple of this. */
    readonly billingIncrementMs: number;
  };
  readonly glue: {
    readonly pythonShellPerDpuHour: number;
    /** A Python shell run shorter than this is billed as this long. */
    readonly pythonShellMinimumBilledSeconds: number;
    /** Run time is rounded up to a multiple of this. */
    readonly billingIncrementSeconds: number;
    /** The only MaxCapacity values a Python shell job accepts. */
    readonly pythonShellCapacities: readonly number[];
    /** Glue 2.0+ Spark jobs: price of a DPU-hour, and the minimum billed duration of a run. */
    readonly sparkPerDpuHour: number;
    readonly sparkMinimumBilledSeconds: number;
  };
}

/** The checked-in table, read from the sources (dist/ holds compiled code only). */
export const DEFAULT_PRICES_FILE = path.join(packageRoot(), "cli", "cost", "prices.json");

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks a parsed price table; `source` names the file in error messages. */
export function parsePriceTable(json: unknown, source: string): PriceTable {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new CliError(`Price table ${source}: "${field}" must be ${expected}, got ${JSON.stringify(got) ?? "nothing"}`);
  };
  const section = (parent: Json, key: string, field: string): Json => {
    const value = parent[key];
    return isRecord(value) ? value : fail(field, "an object", value);
  };
  const price = (parent: Json, key: string, field: string): number => {
    const value = parent[key];
    return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fail(field, "a number >= 0", value);
  };
  const positive = (parent: Json, key: string, field: string): number => {
    const value = price(parent, key, field);
    return value > 0 ? value : fail(field, "a number > 0", value);
  };
  const text = (parent: Json, key: string, field: string, pattern?: RegExp): string => {
    const value = parent[key];
    return typeof value === "string" && value !== "" && (!pattern || pattern.test(value))
      ? value
      : fail(field, pattern ? `a string like ${pattern.source}` : "a non-empty string", value);
  };

  if (!isRecord(json)) return fail("(top level)", "an object", json);
  const sfn = section(json, "stepFunctions", "stepFunctions");
  const lambda = section(json, "lambda", "lambda");
  const perGb = section(lambda, "perGbSecond", "lambda.perGbSecond");
  const glue = section(json, "glue", "glue");
  const capacities = glue.pythonShellCapacities;
  if (!Array.isArray(capacities) || capacities.length === 0 || !capacities.every((c) => typeof c === "number" && c > 0)) {
    fail("glue.pythonShellCapacities", "a non-empty list of numbers > 0", capacities);
  }
  return {
    region: text(json, "region", "region"),
    currency: text(json, "currency", "currency"),
    checkedOn: text(json, "checkedOn", "checkedOn", /^\d{4}-\d{2}-\d{2}$/),
    stepFunctions: { standardPer1000Transitions: price(sfn, "standardPer1000Transitions", "stepFunctions.standardPer1000Transitions") },
    lambda: {
      perMillionRequests: price(lambda, "perMillionRequests", "lambda.perMillionRequests"),
      perGbSecond: { arm64: price(perGb, "arm64", "lambda.perGbSecond.arm64"), x86_64: price(perGb, "x86_64", "lambda.perGbSecond.x86_64") },
      billingIncrementMs: positive(lambda, "billingIncrementMs", "lambda.billingIncrementMs"),
    },
    glue: {
      pythonShellPerDpuHour: price(glue, "pythonShellPerDpuHour", "glue.pythonShellPerDpuHour"),
      pythonShellMinimumBilledSeconds: price(glue, "pythonShellMinimumBilledSeconds", "glue.pythonShellMinimumBilledSeconds"),
      billingIncrementSeconds: positive(glue, "billingIncrementSeconds", "glue.billingIncrementSeconds"),
      pythonShellCapacities: capacities as number[],
      sparkPerDpuHour: price(glue, "sparkPerDpuHour", "glue.sparkPerDpuHour"),
      sparkMinimumBilledSeconds: price(glue, "sparkMinimumBilledSeconds", "glue.sparkMinimumBilledSeconds"),
    },
  };
}

/** Reads and checks a price table file (default: the checked-in prices.json). */
export function loadPriceTable(file = DEFAULT_PRICES_FILE): PriceTable {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read the price table ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`Price table ${file} is not JSON: ${(error as Error).message}`);
  }
  return parsePriceTable(json, file);
}
