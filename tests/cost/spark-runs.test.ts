import { strict as assert } from "node:assert";
import { runDetails } from "../../cli/cost/collect";
import { glueCapacity } from "../../cli/cost/model-config";
import { costOfPattern } from "../../cli/cost/pattern-cost";
import { loadPriceTable } from "../../cli/cost/price-table";
import { loadProgramModel } from "../../sandbox/model";
import { runJobHistory } from "./histories";

describe("cost: Glue 5.0 Spark runs next to Python shell", function () {
  it("reads a Spark run's engine and capacity from GetJobRun (workers x DPU when MaxCapacity is absent)", function () {
    const started = new Date("2026-12-01T10:00:00Z");
    const completed = new Date("2026-12-01T10:02:00Z");
    const spark = runDetails({ Id: "jr_s", WorkerType: "G.2X", NumberOfWorkers: 10, ExecutionTime: 110, StartedOn: started, CompletedOn: completed }, 0.0625);
    assert.deepEqual(spark, { jobRunId: "jr_s", engine: "spark", dpu: 20, executionSeconds: 110, wallSeconds: 120, completedAtMs: completed.getTime() });
    const shell = runDetails({ Id: "jr_p", MaxCapacity: 0.0625, ExecutionTime: 30, StartedOn: started, CompletedOn: completed }, 1);
    assert.equal(shell.engine, "python-shell");
    assert.equal(shell.dpu, 0.0625);
  });

  it("prices run-job with a Spark run by DPU-hours (1-minute minimum)", function () {
    const prices = loadPriceTable();
    const cost = costOfPattern(
      [
        {
          pattern: "run-job",
          history: runJobHistory("jr_1", 42),
          functions: { "lab-check-file-1a2b3c": { memoryMb: 256, architecture: "arm64" }, "lab-validate-output-4d5e6f": { memoryMb: 256, architecture: "arm64" } },
          glueRuns: [{ jobRunId: "jr_1", engine: "spark", dpu: 2, executionSeconds: 42 }],
        },
      ],
      prices,
    );
    // 2 G.1X workers = 2 DPU; 42 s is billed as the 60 s minimum: 120 DPU-seconds at $0.44 per DPU-hour.
    assert.equal(cost.perExecution.glueDpuSeconds, 120);
    assert.ok(Math.abs(cost.perExecution.glue - (120 / 3600) * 0.44) < 1e-12);
  });

  it("the program's capacity with etlEngine=spark is its workers x DPU per worker", async function () {
    const model = await loadProgramModel({ stack: "dev", config: { etlEngine: "spark", glueWorkerType: "G.4X", glueNumberOfWorkers: "3" } });
    assert.equal(glueCapacity(model), 12);
  });
});
