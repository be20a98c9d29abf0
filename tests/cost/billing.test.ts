import { strict as assert } from "node:assert";
import * as path from "node:path";
import { glueBilledSeconds, glueDpuSeconds, lambdaGbSeconds, priceExecution, scaleCost } from "../../cli/cost/billing";
import { loadPriceTable, parsePriceTable, type PriceTable } from "../../cli/cost/price-table";

const close = (actual: number, expected: number, what = "") => assert.ok(Math.abs(actual - expected) < 1e-12 * Math.max(1, Math.abs(expected)), `${what} ${actual} != ${expected}`);

const PRICES: PriceTable = {
  region: "us-east-1",
  currency: "USD",
  checkedOn: "2026-11-25",
  stepFunctions: { standardPer1000Transitions: 0.025 },
  lambda: { perMillionRequests: 0.2, perGbSecond: { arm64: 0.0000133334, x86_64: 0.0000166667 }, billingIncrementMs: 1 },
  glue: { pythonShellPerDpuHour: 0.44, pythonShellMinimumBilledSeconds: 60, billingIncrementSeconds: 1, pythonShellCapacities: [0.0625, 1], sparkPerDpuHour: 0.44, sparkMinimumBilledSeconds: 60 },
};

describe("cost billing: Lambda GB-seconds", () => {
  it("is memory in GB times seconds", () => {
    close(lambdaGbSeconds(256, 100), 0.025);
    close(lambdaGbSeconds(1024, 1000), 1);
  });

  it("rounds the duration up to the next millisecond", () => {
    close(lambdaGbSeconds(1024, 100.2), 0.101);
    close(lambdaGbSeconds(1024, 100), 0.1);
  });

  it("refuses a memory size or duration that cannot be billed", () => {
    assert.throws(() => lambdaGbSeconds(0, 10), /memory must be > 0 MB, got 0/);
    assert.throws(() => lambdaGbSeconds(128, -1), /duration must be >= 0 ms, got -1/);
    assert.throws(() => lambdaGbSeconds(128, NaN), /duration/);
  });
});

describe("cost billing: Glue Python shell DPU-seconds", () => {
  it("bills a run shorter than the minimum as the minimum", () => {
    assert.equal(glueBilledSeconds(0, 60), 60);
    assert.equal(glueBilledSeconds(42, 60), 60);
    close(glueDpuSeconds(0.0625, 42, 60), 3.75);
  });

  it("rounds a longer run up to the next second", () => {
    assert.equal(glueBilledSeconds(90.2, 60), 91);
    assert.equal(glueBilledSeconds(90, 60), 90);
    close(glueDpuSeconds(0.0625, 90.2, 60), 5.6875);
    close(glueDpuSeconds(1, 61, 60), 61);
  });

  it("refuses a capacity or time that cannot be billed", () => {
    assert.throws(() => glueDpuSeconds(0, 10, 60), /capacity must be > 0 DPU/);
    assert.throws(() => glueBilledSeconds(-5, 60), /execution time must be >= 0 s, got -5/);
  });
});

describe("cost billing: one execution", () => {
  it("prices transitions, Lambda requests and GB-s by architecture, and Glue DPU-hours", () => {
    const cost = priceExecution(
      {
        transitions: 4,
        lambda: [
          { functionName: "check", memoryMb: 256, architecture: "arm64", durationMs: 120 },
          { functionName: "validate", memoryMb: 512, architecture: "x86_64", durationMs: 300 },
        ],
        glue: [{ jobRunId: "jr_1", dpu: 0.0625, executionSeconds: 42 }],
      },
      PRICES,
    );
    close(cost.stepFunctions, 0.0001, "step functions");
    close(cost.lambdaRequestsCost, 0.0000004, "requests");
    close(cost.lambdaGbSeconds, 0.03 + 0.15, "GB-s");
    close(cost.lambdaDurationCost, 0.03 * 0.0000133334 + 0.15 * 0.0000166667, "duration");
    close(cost.glueDpuSeconds, 3.75, "DPU-s");
    close(cost.glue, (3.75 / 3600) * 0.44, "glue");
    close(cost.total, cost.stepFunctions + cost.lambdaRequestsCost + cost.lambdaDurationCost + cost.glue, "total");
    assert.equal(cost.lambdaRequests, 2);
  });

  it("refuses a Glue capacity a Python shell job cannot have", () => {
    assert.throws(
      () => priceExecution({ transitions: 1, lambda: [], glue: [{ jobRunId: "jr_x", dpu: 2, executionSeconds: 10 }] }, PRICES),
      /Glue run jr_x has 2 DPU; a Python shell job has 0.0625 or 1/,
    );
  });

  it("scales every count and amount to 1,000 runs", () => {
    const one = priceExecution({ transitions: 4, lambda: [], glue: [{ jobRunId: "jr", dpu: 1, executionSeconds: 3600 }] }, PRICES);
    const thousand = scaleCost(one, 1000);
    assert.equal(thousand.transitions, 4000);
    close(thousand.stepFunctions, 0.1);
    close(thousand.glue, 440);
    close(thousand.total, 440.1);
  });
});

describe("cost prices: the price table", () => {
  it("the checked-in table names its region and the day it was checked, and matches the published prices", () => {
    const table = loadPriceTable();
    assert.equal(table.region, "us-east-1");
    assert.match(table.checkedOn, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(table.stepFunctions.standardPer1000Transitions, 0.025);
    assert.equal(table.lambda.perMillionRequests, 0.2);
    assert.ok(table.lambda.perGbSecond.arm64 < table.lambda.perGbSecond.x86_64, "arm64 is cheaper per GB-s");
    assert.equal(table.glue.pythonShellPerDpuHour, 0.44);
    assert.equal(table.glue.pythonShellMinimumBilledSeconds, 60);
    assert.deepEqual(table.glue.pythonShellCapacities, [0.0625, 1]);
  });

  it("says which field of a bad table is wrong", () => {
    const bad = JSON.parse(JSON.stringify(PRICES)) as Record<string, Record<string, unknown>>;
    bad.lambda.perGbSecond = { arm64: "cheap", x86_64: 1 };
    assert.throws(() => parsePriceTable(bad, "mine.json"), /Price table mine.json: "lambda.perGbSecond.arm64" must be a number >= 0, got "cheap"/);
    assert.throws(() => parsePriceTable({ ...PRICES, checkedOn: "yesterday" }, "x.json"), /"checkedOn" must be a string like/);
    assert.throws(() => parsePriceTable({ ...PRICES, glue: undefined }, "x.json"), /"glue" must be an object, got nothing/);
  });

  it("says when a table file cannot be read", () => {
    assert.throws(() => loadPriceTable(path.join(__dirname, "no-such-prices.json")), /Cannot read the price table .*no-such-prices.json/);
  });
});

describe("cost billing: Glue 5.0 Spark runs", () => {
  // Glue pricing: Spark jobs (Glue 2.0+) $0.44 per DPU-hour, billed per second, 1-minute minimum; a run's DPUs are
  // its workers x DPU per worker (Glue API reference, WorkerType: G.1X 1 DPU, G.2X 2 DPU).
  it("bills workers x DPU for the run's seconds, with the 1-minute minimum, next to a Python shell run", () => {
    const cost = priceExecution(
      {
        transitions: 0,
        lambda: [],
        glue: [
          { jobRunId: "jr_spark_short", engine: "spark", dpu: 2 * 1, executionSeconds: 20 },
          { jobRunId: "jr_spark_long", engine: "spark", dpu: 10 * 2, executionSeconds: 90.5 },
          { jobRunId: "jr_shell", dpu: 0.0625, executionSeconds: 30 },
        ],
      },
      PRICES,
    );
    // 2 DPU x 60 s (minimum) + 20 DPU x 91 s + 0.0625 DPU x 60 s (minimum) = 120 + 1820 + 3.75 DPU-seconds.
    close(cost.glueDpuSeconds, 1943.75, "DPU-seconds");
    close(cost.glue, (1943.75 / 3600) * 0.44, "cost");
  });

  it("a Spark run's capacity is not held to the Python shell's 0.0625 or 1", () => {
    assert.throws(() => priceExecution({ transitions: 0, lambda: [], glue: [{ jobRunId: "jr_x", dpu: 20, executionSeconds: 60 }] }, PRICES), /a Python shell job has 0\.0625 or 1/);
    assert.doesNotThrow(() => priceExecution({ transitions: 0, lambda: [], glue: [{ jobRunId: "jr_x", engine: "spark", dpu: 20, executionSeconds: 60 }] }, PRICES));
  });

  it("the checked-in price table prices Spark runs", () => {
    const table = loadPriceTable();
    assert.equal(table.glue.sparkPerDpuHour, 0.44);
    assert.equal(table.glue.sparkMinimumBilledSeconds, 60);
  });
});
