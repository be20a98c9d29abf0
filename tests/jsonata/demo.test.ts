import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { demo } from "../../cli/commands/demo";
import { MemoryOutput } from "../../cli/format/text";

/** `sfn-lab demo --query-language JSONata`: the JSONata machines end as the JSONPath ones do. */
describe("sfn-lab demo with the machines in JSONata", function () {
  this.timeout(180_000);
  const outDir = mkdtempSync(path.join(tmpdir(), "sfn-lab-demo-jsonata-"));
  const stateDir = mkdtempSync(path.join(tmpdir(), "sfn-lab-state-jsonata-"));
  after(() => {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("ends request-response FAILED at Validate, run-job and wait-for-callback SUCCEEDED", async () => {
    const out = new MemoryOutput();
    const result = await demo({ outDir, stateDir, target: { target: "sandbox" }, glueStartupDelayMs: 50, syncPollDelayMs: 50, interactive: false, out, queryLanguage: "JSONata" });
    assert.deepEqual(result.differences, [], out.text);
    const summary = JSON.parse(readFileSync(path.join(outDir, "summary.json"), "utf8")) as { executions: Record<string, unknown>[] };
    assert.deepEqual(
      summary.executions.map((e) => [e.pattern, e.status, e.failedState, e.error]),
      [
        ["request-response", "FAILED", "Validate", "OutputInvalid"],
        ["run-job", "SUCCEEDED", null, null],
        ["wait-for-callback", "SUCCEEDED", null, null],
        ["event-driven-callback", "SUCCEEDED", null, null],
      ],
    );
  });

  it("refuses a query language the program does not know, naming the config key", async () => {
    await assert.rejects(
      demo({ outDir, stateDir, target: { target: "sandbox" }, interactive: false, out: new MemoryOutput(), queryLanguage: "XPath" }),
      /queryLanguage.*must be JSONPath or JSONata/,
    );
  });
});
