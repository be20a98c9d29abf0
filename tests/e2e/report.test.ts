import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { buildReportExecution, type ReportData } from "../../cli/report/model";
import { renderReport } from "../../cli/report/render";
import { resourcesOfType } from "../../sandbox/model";
import { sharedProgramModel } from "../../sandbox/testing/shared-program-model";
import { entered, exited, history, scheduled, taskFailed, taskSucceeded, TOKEN } from "../cli/helpers";
import { chromiumMissingMessage, findChromium } from "../support/chromium";

const SCREENSHOT = path.join(__dirname, "..", "..", "lab-output", "report.png");
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const lambdaError = (message: string) => JSON.stringify({ errorType: "ValidationFailed", errorMessage: message, trace: [] });

/** Histories shaped like the three patterns' real runs: request-response fails at Validate, the others succeed. */
const HISTORIES = {
  "request-response": history([
    { type: "ExecutionStarted" },
    entered("CheckFile"),
    scheduled("invoke", {}),
    taskSucceeded("invoke", { Payload: {} }),
    exited("CheckFile"),
    entered("StartEtl"),
    scheduled("startJobRun", { JobName: "job" }, "glue"),
    taskSucceeded("startJobRun", { JobRunId: "jr_aaa" }, "glue"),
    exited("StartEtl"),
    entered("Validate"),
    scheduled("invoke", {}),
    taskFailed("invoke", "ValidationFailed", lambdaError("No output for Glue job run jr_aaa: <manifest> does not exist")),
    exited("Validate"),
    entered("OutputInvalid", "Fail"),
    { type: "ExecutionFailed", executionFailedEventDetails: { error: "OutputInvalid", cause: lambdaError("No output for Glue job run jr_aaa") } },
  ]),
  "run-job": history([
    { type: "ExecutionStarted" },
    entered("CheckFile"),
    exited("CheckFile"),
    entered("StartEtl"),
    scheduled("startJobRun.sync", { JobName: "job" }, "glue"),
    taskSucceeded("startJobRun.sync", { Id: "jr_bbb", JobRunState: "SUCCEEDED" }, "glue"),
    exited("StartEtl"),
    entered("Validate"),
    exited("Validate"),
    entered("Done", "Succeed"),
    exited("Done", "{}", "Succeed"),
    { type: "ExecutionSucceeded", executionSucceededEventDetails: { output: "{}" } },
  ]),
  "wait-for-callback": history([
    { type: "ExecutionStarted" },
    entered("WaitForOperator"),
    scheduled("invoke.waitForTaskToken", { Payload: { taskToken: TOKEN } }),
    taskSucceeded("invoke.waitForTaskToken", { JobRunId: "jr_ccc" }),
    exited("WaitForOperator"),
    entered("Validate"),
    exited("Validate"),
    entered("Done", "Succeed"),
    exited("Done", "{}", "Succeed"),
    { type: "ExecutionSucceeded", executionSucceededEventDetails: { output: "{}" } },
  ]),
};

describe("report.html in headless Chromium", function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;
  let stateCounts: Record<string, number>;

  before(async function () {
    // No Chromium fails the test with how to get one (npm test installs it where it may); it is never skipped.
    const chromiumPath = findChromium();
    if (!chromiumPath) throw new Error(chromiumMissingMessage());
    const model = await sharedProgramModel({ stack: "dev" });
    const definitions = Object.fromEntries(
      resourcesOfType(model, "aws:sfn/stateMachine:StateMachine").map((m) => [m.name, JSON.parse(String(m.inputs.definition))]),
    ) as Record<string, { States: Record<string, unknown> }>;
    stateCounts = Object.fromEntries(Object.entries(definitions).map(([name, d]) => [name, Object.keys(d.States).length]));
    const start = Date.parse("2026-01-01T10:00:00Z");
    const data: ReportData = {
      title: "report test",
      generatedAt: new Date(start).toISOString(),
      target: "test data </script><script>window.injected = true</script>",
      executions: (Object.keys(HISTORIES) as (keyof typeof HISTORIES)[]).map((pattern) =>
        buildReportExecution(pattern, `arn:aws:states:us-east-1:123456789012:execution:${pattern}:e1`, definitions[pattern], HISTORIES[pattern], [
          { Id: `jr_${pattern}`, JobRunState: "SUCCEEDED", StartedOn: new Date(start + 2000), CompletedOn: new Date(start + 7000) },
        ]),
      ),
    };
    dir = mkdtempSync(path.join(tmpdir(), "sfn-lab-report-"));
    writeFileSync(path.join(dir, "report.html"), renderReport(data));
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  });

  after(async function () {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("draws every graph with one node per state, coloured by outcome, without the network", async function () {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("pageerror", (error) => errors.push(error.message));
    const url = pathToFileURL(path.join(dir, "report.html")).href;
    await page.goto(url);
    await page.waitForSelector("body[data-graphs-rendered]");

    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [url], "the report loads nothing but itself");
    assert.equal(await page.getAttribute("body", "data-graphs-rendered"), "3");
    assert.equal(await page.evaluate(() => (globalThis as { injected?: boolean }).injected), undefined, "text is escaped");

    for (const pattern of Object.keys(HISTORIES)) {
      const graph = `section[data-pattern="${pattern}"] .graph svg`;
      const states = await page.$$eval(`${graph} g.node`, (nodes) => nodes.map((n) => n.getAttribute("data-state")));
      assert.equal(states.length, stateCounts[pattern], `${pattern}: one node per state of its machine`);
      const boxes = await page.$$eval(`${graph} g.node rect`, (rects) => rects.map((r) => r.getBoundingClientRect()).map((b) => b.width * b.height));
      assert.ok(boxes.every((area) => area > 0), `${pattern}: every node is drawn with a size`);
    }
    const outcome = (pattern: string, state: string) => page.getAttribute(`section[data-pattern="${pattern}"] g.node[data-state="${state}"]`, "data-outcome");
    assert.equal(await outcome("request-response", "Validate"), "failed");
    assert.equal(await outcome("request-response", "OutputInvalid"), "failed");
    assert.equal(await outcome("request-response", "StartEtl"), "succeeded");
    assert.equal(await outcome("request-response", "Done"), "not-reached");
    assert.equal(await outcome("run-job", "Done"), "succeeded");
    assert.equal(await outcome("wait-for-callback", "OperatorRejected"), "not-reached");
    const fill = await page.$eval(`section[data-pattern="request-response"] g.node[data-state="Validate"] rect`, (r) => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(r).fill);
    assert.equal(fill, "rgb(255, 235, 233)", "a failed state is drawn red");
    assert.match(await page.innerText(`section[data-pattern="request-response"] .cause`), /OutputInvalid\s+No output for Glue job run jr_aaa/);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(existsSync(SCREENSHOT));
  });
});
