import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { demo } from "../../cli/commands/demo";
import { runDemo } from "../../cli/demo/run-demo";
import { MemoryOutput } from "../../cli/format/text";
import { openTarget } from "../../cli/targets";

/** `sfn-lab demo` end to end in a fresh sandbox, without a TTY (approves after a verification that passed). */
describe("sfn-lab demo in the sandbox", function () {
  this.timeout(180_000);
  const outDir = mkdtempSync(path.join(tmpdir(), "sfn-lab-demo-"));
  const stateDir = mkdtempSync(path.join(tmpdir(), "sfn-lab-state-"));
  const out = new MemoryOutput();
  let summary: { executions: Record<string, unknown>[] };
  let differences: readonly string[];

  before(async function () {
    const result = await demo({
      outDir,
      stateDir,
      target: { target: "sandbox" },
      glueStartupDelayMs: 50,
      syncPollDelayMs: 50,
      interactive: false,
      out,
    });
    differences = result.differences;
    summary = JSON.parse(readFileSync(path.join(outDir, "summary.json"), "utf8"));
  });

  after(function () {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("ends every pattern as the lab expects", function () {
    assert.deepEqual(differences, [], out.text);
    assert.match(out.text, /Every pattern ended as the lab expects\./);
  });

  it("writes summary.json with exactly the documented fields", function () {
    assert.deepEqual(
      summary.executions.map((e) => Object.keys(e)),
      Array(4).fill(["pattern", "status", "failedState", "error", "cause", "glueJobRunId", "durationMs"]),
    );
    const [rr, job, callback, eventDriven] = summary.executions;
    assert.deepEqual(
      { pattern: rr.pattern, status: rr.status, failedState: rr.failedState, error: rr.error },
      { pattern: "request-response", status: "FAILED", failedState: "Validate", error: "OutputInvalid" },
    );
    assert.match(String(rr.cause), /^No output for Glue job run jr_[0-9a-f]{64}: s3:\/\/.*\/_manifest\.json does not exist/);
    assert.deepEqual(
      [job, callback, eventDriven].map((e) => [e.pattern, e.status, e.failedState, e.error, e.cause]),
      [
        ["run-job", "SUCCEEDED", null, null, null],
        ["wait-for-callback", "SUCCEEDED", null, null, null],
        ["event-driven-callback", "SUCCEEDED", null, null, null],
      ],
    );
    for (const e of summary.executions) {
      assert.match(String(e.glueJobRunId), /^jr_[0-9a-f]{64}$/, `${e.pattern}: glueJobRunId`);
      assert.ok(typeof e.durationMs === "number" && e.durationMs > 0, `${e.pattern}: durationMs ${e.durationMs}`);
    }
    const ids = summary.executions.map((e) => e.glueJobRunId);
    assert.equal(new Set(ids).size, 4, "each pattern used its own Glue run");
  });

  it("shows each step with a line per state, the rows, the token preview and the approval", function () {
    const text = out.text;
    assert.match(text, /\[2\/8\][\s\S]*✗ Validate +\d+\.\ds +ValidationFailed: No output for Glue job run/);
    assert.match(text, /This is the lesson: Validate ran while Glue run jr_[0-9a-f]+… was (STARTING|RUNNING)/);
    assert.match(text, /\[3\/8\][\s\S]*✓ StartEtl +\d+\.\ds[\s\S]*rows: \d+ in, \d+ kept, \d+ filtered out, \d+ rejected\n  Glue run jr_[0-9a-f]+… took \d+\.\ds/);
    const [, input, kept, filtered, rejected] = (/rows: (\d+) in, (\d+) kept, (\d+) filtered out, (\d+) rejected/.exec(text) ?? []).map(Number);
    assert.ok(input > 0 && kept > 0 && filtered > 0 && rejected > 0, "the sample data exercises every outcome");
    assert.equal(input, kept + filtered + rejected, "rows in = kept + filtered out + rejected");
    assert.match(text, /⏸ WaitForOperator is waiting for a callback \(token \S+…\(\d+ chars\)\)/);
    assert.match(text, /✓ STARTING → RUNNING → SUCCEEDED in \d+\.\ds/);
    assert.match(text, new RegExp(`✓ output validates: ${input} rows in = ${kept} kept \\+ ${filtered} filtered out \\+ ${rejected} rejected`));
    assert.match(text, /SendTaskSuccess \{"JobRunId":"jr_[0-9a-f]+…"\} sent \(no TTY: approved because the verification passed\)/);
    assert.match(text, /\[8\/8\] Event-driven callback[\s\S]*✓ StartEtl +\d+\.\ds[\s\S]*its Glue Job State Change event resumed StartEtl \d+\.\ds later/);
    assert.ok(!/\bat \S+ \(.*:\d+:\d+\)/.test(text), "no stack traces in the output");
  });

  it("writes a self-contained report.html", function () {
    const html = readFileSync(path.join(outDir, "report.html"), "utf8");
    assert.ok(existsSync(path.join(outDir, "report.html")));
    assert.equal((html.match(/<section class="execution"/g) ?? []).length, 4);
    assert.ok(!/(src|href)=["']?https?:/i.test(html), "nothing is loaded from the network");
  });
});

describe("sfn-lab demo with an operator at a terminal", function () {
  this.timeout(180_000);
  const stateDir = mkdtempSync(path.join(tmpdir(), "sfn-lab-state-"));
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  it("asks before approving; a refusal fails the callback pattern, and the demo says what differed", async function () {
    const questions: string[] = [];
    const out = new MemoryOutput();
    const result = await runDemo({
      out,
      openTarget: (progress) => openTarget({ target: "sandbox" }, { fresh: true, stateDir, glueStartupDelayMs: 50, syncPollDelayMs: 50, onProgress: progress }),
      confirm: async (question) => {
        questions.push(question);
        return false;
      },
    });
    assert.equal(questions.length, 1);
    assert.match(questions[0], /Approve WaitForOperator with Glue run jr_[0-9a-f]{64}\? \[y\/n\]/);
    assert.match(out.text, /✗ SendTaskFailure sent: the operator declined in the demo/);
    assert.deepEqual(result.differences, ["wait-for-callback: ended FAILED at WaitForOperator (OperatorRejected), expected SUCCEEDED"]);
    assert.match(out.text, /✗ wait-for-callback +FAILED at WaitForOperator/);
  });
});
