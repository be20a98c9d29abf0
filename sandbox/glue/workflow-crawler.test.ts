import { GetJobRunsCommand, GetTableCommand, GetWorkflowRunCommand, GlueClient, StartWorkflowRunCommand } from "@aws-sdk/client-glue";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../index";
import { CRAWLER, crawlerModel, LAKE_DB } from "../testing/crawler-model";
import { JOB_NAME, resource } from "../testing/fixture-model";

/**
 * A workflow whose start trigger runs a crawler and whose conditional trigger runs a job once the crawl SUCCEEDED
 * ("Starting a workflow with triggers": crawl conditions with CrawlState; Trigger actions with CrawlerName),
 * both engines in one sandbox. Expected: the run COMPLETED with 2 actions succeeded, the crawler's table in the
 * catalog, and the job's run named after the conditional trigger.
 */
describe("sandbox Glue workflow with a crawler action and a crawl condition", function () {
  this.timeout(120_000);
  let rootDir: string;
  let sandbox: Sandbox;
  let glue: GlueClient;

  before(async () => {
    const model = crawlerModel();
    model.resources.push(
      resource("aws:glue/workflow:Workflow", "lake-refresh", { name: "lake-refresh" }),
      resource("aws:glue/trigger:Trigger", "refresh-start", { name: "refresh-start", type: "ON_DEMAND", workflowName: "lake-refresh", actions: [{ crawlerName: CRAWLER }] }),
      resource("aws:glue/trigger:Trigger", "after-crawl", {
        name: "after-crawl",
        type: "CONDITIONAL",
        workflowName: "lake-refresh",
        predicate: { conditions: [{ crawlerName: CRAWLER, crawlState: "SUCCEEDED" }] },
        actions: [{ jobName: JOB_NAME, arguments: { "--sleep_seconds": "0" } }],
      }),
    );
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-workflow-crawler-"));
    sandbox = await Sandbox.start(model, { rootDir, timeScale: 0.1, glue: { startupDelayMs: 30 } });
    glue = new GlueClient(sandbox.clientConfig("glue"));
  });
  after(async () => {
    glue?.destroy();
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  it("crawls, then runs the job the crawl condition waits for, and completes", async () => {
    const { RunId } = await glue.send(new StartWorkflowRunCommand({ Name: "lake-refresh" }));
    const deadline = Date.now() + 60_000;
    let status: string | undefined;
    let statistics: Record<string, number | undefined> = {};
    while (Date.now() < deadline) {
      const { Run } = await glue.send(new GetWorkflowRunCommand({ Name: "lake-refresh", RunId }));
      status = Run?.Status;
      statistics = (Run?.Statistics ?? {}) as Record<string, number | undefined>;
      if (status !== "RUNNING") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status, "COMPLETED");
    assert.equal(statistics.TotalActions, 2);
    assert.equal(statistics.SucceededActions, 2);
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: LAKE_DB, Name: "raw_orders" }));
    assert.deepEqual(Table?.PartitionKeys?.map((k) => k.Name), ["year", "month"]);
    const { JobRuns = [] } = await glue.send(new GetJobRunsCommand({ JobName: JOB_NAME }));
    assert.deepEqual(JobRuns.map((r) => [r.TriggerName, r.JobRunState]), [["after-crawl", "SUCCEEDED"]]);
  });
});
