import { strict as assert } from "node:assert";
import { callbackAddedSeconds, meanSyncAddedSeconds, syncAddedSeconds, syncDetectionSeconds } from "../../cli/cost/latency";
import { costOfPattern, functionNameOf, patternWait, usageOf, type ExecutionRecord } from "../../cli/cost/pattern-cost";
import { loadPriceTable } from "../../cli/cost/price-table";
import { costJson, formatCostReport } from "../../cli/cost/report";
import { eventDrivenHistory, requestResponseHistory, runJobHistory, waitForCallbackHistory } from "./histories";

const FUNCTIONS = {
  "lab-check-file-1a2b3c": { memoryMb: 256, architecture: "arm64" as const },
  "lab-validate-output-4d5e6f": { memoryMb: 256, architecture: "arm64" as const },
};

function record(pattern: string, history: ExecutionRecord["history"], glueRuns: ExecutionRecord["glueRuns"] = []): ExecutionRecord {
  return { pattern, history, functions: FUNCTIONS, glueRuns };
}

describe("cost latency: what .sync polling and a callback add", () => {
  it(".sync finds the run ended at the first once-a-minute poll at or after its end", () => {
    assert.equal(syncDetectionSeconds(42), 60);
    assert.equal(syncAddedSeconds(42), 18);
    assert.equal(syncAddedSeconds(60), 0);
    assert.equal(syncAddedSeconds(61), 59);
    assert.equal(syncDetectionSeconds(0), 60, "even an instant run waits for the first poll");
  });

  it("polls every 5 minutes after the first 10", () => {
    assert.equal(syncDetectionSeconds(600), 600);
    assert.equal(syncDetectionSeconds(601), 900);
    assert.equal(syncAddedSeconds(1000), 200);
    assert.equal(meanSyncAddedSeconds(42), 30);
    assert.equal(meanSyncAddedSeconds(1000), 150);
  });

  it("a callback adds the event's delivery and the sender's run", () => {
    assert.equal(callbackAddedSeconds({ eventDeliverySeconds: 1, senderSeconds: 0.25 }), 1.25);
    assert.throws(() => callbackAddedSeconds({ eventDeliverySeconds: -1, senderSeconds: 0 }), /must be >= 0 s/);
  });
});

describe("cost of a pattern from recorded executions", () => {
  it("names a function by its ARN's name part, qualifier dropped", () => {
    assert.equal(functionNameOf("arn:aws:lambda:us-east-1:123456789012:function:fn-1:prod"), "fn-1");
    assert.equal(functionNameOf("arn:aws-cn:lambda:cn-north-1:123456789012:function:fn-2"), "fn-2");
    assert.equal(functionNameOf("fn-3:7"), "fn-3");
  });

  it("builds billed usage from the history, the functions' configuration and the runs' details", () => {
    const usage = usageOf(record("request-response", requestResponseHistory("jr_rr"), [{ jobRunId: "jr_rr", dpu: 0.0625, executionSeconds: 30 }]));
    assert.equal(usage.transitions, 4);
    assert.deepEqual(
      usage.lambda.map((l) => [l.functionName, l.durationMs, l.memoryMb]),
      [
        ["lab-check-file-1a2b3c", 120, 256],
        ["lab-validate-output-4d5e6f", 200, 256],
      ],
    );
    assert.deepEqual(usage.glue, [{ jobRunId: "jr_rr", dpu: 0.0625, executionSeconds: 30 }]);
  });

  it("says what is missing when a run or function cannot be priced", () => {
    assert.throws(() => usageOf(record("request-response", requestResponseHistory("jr_rr"))), /request-response execution: Glue run jr_rr has no capacity \(DPU\); record its GetJobRun/);
    assert.throws(
      () => usageOf({ pattern: "run-job", history: runJobHistory(), functions: {}, glueRuns: [] }),
      /run-job execution: no memory\/architecture for function "lab-check-file-1a2b3c" \(known: none\)/,
    );
  });

  it("tells the patterns apart by how they wait", () => {
    assert.equal(patternWait(runJobHistory()), "sync");
    assert.equal(patternWait(waitForCallbackHistory()), "callback");
    assert.equal(patternWait(requestResponseHistory()), "none");
    assert.equal(patternWait(eventDrivenHistory().events), "event");
  });

  it("measures the event path from the history: the run's CompletedOn to the end of the task that waited for its event", () => {
    const prices = loadPriceTable();
    const { events, startEtlEndedAt } = eventDrivenHistory("jr_e", 45_000);
    // The run ended 0.8 s before its state-change event's callback ended StartEtl.
    const run = { jobRunId: "jr_e", dpu: 0.0625, executionSeconds: 40, wallSeconds: 44, completedAtMs: startEtlEndedAt - 800 };
    const cost = costOfPattern([record("event-driven-callback", events, [run])], prices);
    assert.equal(cost.wait, "event");
    assert.ok(Math.abs((cost.eventPathSeconds ?? NaN) - 0.8) < 1e-9, String(cost.eventPathSeconds));
    // The same work as run-job: 4 states' transitions, two Lambda tasks, one Glue run at the 1-minute minimum.
    const runJob = costOfPattern([record("run-job", runJobHistory("jr_s", 40), [{ jobRunId: "jr_s", dpu: 0.0625, executionSeconds: 40, wallSeconds: 44 }])], prices);
    assert.equal(cost.per1000.transitions, runJob.per1000.transitions);
    assert.equal(cost.per1000.glue, runJob.per1000.glue);
    const text = formatCostReport([runJob, cost], prices);
    assert.match(text, /run-job: \.sync adds 16 s after a 44 s run/);
    assert.match(text, /event-driven-callback: resumed 0\.8 s after the run ended \(measured: .*\) where \.sync would add 16 s for a 44 s run/);
    assert.match(text, /the Developer Guide gives no interval, this is AWS Support's answer on AWS re:Post/);
    assert.equal((costJson([cost], prices).patterns as Record<string, { eventPathSeconds: number }>)["event-driven-callback"].eventPathSeconds, 0.8);
  });

  it("prices run-job per 1,000 runs, with the latency .sync adds", () => {
    const prices = loadPriceTable();
    const cost = costOfPattern([record("run-job", runJobHistory("jr_s", 42), [{ jobRunId: "jr_s", dpu: 0.0625, executionSeconds: 42, wallSeconds: 50 }])], prices);
    assert.equal(cost.per1000.transitions, 4000);
    // 0.0625 DPU x 60 s minimum = 3.75 DPU-s per run; 3,750 DPU-s per 1,000 runs at $0.44/DPU-hour
    assert.ok(Math.abs(cost.per1000.glue - (3750 / 3600) * 0.44) < 1e-9);
    assert.ok(Math.abs(cost.per1000.stepFunctions - 0.1) < 1e-12);
    assert.deepEqual(cost.statuses, ["SUCCEEDED"]);
    assert.equal(cost.syncAddedSeconds, 10, "a 50 s run is seen at the 60 s poll");
    assert.equal(cost.meanSyncAddedSeconds, 30);
    // sender = mean Lambda time (0.12 s and 0.3 s) + 1 s assumed delivery
    assert.ok(Math.abs(cost.callbackAddedSeconds - 1.21) < 1e-9);
  });

  it("averages several executions of the same pattern", () => {
    const prices = loadPriceTable();
    const a = record("run-job", runJobHistory("jr_a", 30), [{ jobRunId: "jr_a", dpu: 0.0625, executionSeconds: 30 }]);
    const b = record("run-job", runJobHistory("jr_b", 120), [{ jobRunId: "jr_b", dpu: 0.0625, executionSeconds: 120 }]);
    const cost = costOfPattern([a, b], prices);
    assert.equal(cost.runs, 2);
    assert.equal(cost.perExecution.glueDpuSeconds, (3.75 + 7.5) / 2);
    assert.equal(cost.glueRunSeconds, 75);
  });

  it("prints a table with every pattern and the latency lines, and a JSON summary", () => {
    const prices = loadPriceTable();
    const costs = [
      costOfPattern([record("request-response", requestResponseHistory("jr_r"), [{ jobRunId: "jr_r", dpu: 0.0625, executionSeconds: 20 }])], prices),
      costOfPattern([record("run-job", runJobHistory("jr_s", 42), [{ jobRunId: "jr_s", dpu: 0.0625, executionSeconds: 42 }])], prices),
      costOfPattern([record("wait-for-callback", waitForCallbackHistory("jr_c"), [{ jobRunId: "jr_c", dpu: 0.0625, executionSeconds: 42 }])], prices),
    ];
    const text = formatCostReport(costs, prices);
    assert.match(text, /us-east-1 prices checked \d{4}-\d{2}-\d{2}/);
    assert.match(text, /\| request-response +\| FAILED +\| 4 /);
    assert.match(text, /\| run-job +\| SUCCEEDED \| 4 /);
    assert.match(text, /run-job: \.sync adds 18 s after a 42 s run \(mean 30 s\)/);
    assert.match(text, /wait-for-callback: resumes when the callback arrives/);
    const json = costJson(costs, prices) as { patterns: Record<string, { costPer1000Runs: number; transitions: number }> };
    assert.deepEqual(Object.keys(json.patterns), ["request-response", "run-job", "wait-for-callback"]);
    // every pattern pays the same Glue minimum here, so the costs differ only by transitions and Lambda time
    assert.ok(json.patterns["run-job"].costPer1000Runs > 0.1);
  });
});
