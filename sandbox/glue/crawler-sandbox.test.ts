import { CreateCrawlerCommand, CreateDatabaseCommand, GetCrawlerCommand, GetTableCommand, GlueClient, StartCrawlerCommand, StopCrawlerCommand } from "@aws-sdk/client-glue";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../index";
import { CRAWL_MACHINE, CRAWL_MACHINE_ROLE, CRAWLER_ROLE, crawlerModel, LAKE_DB } from "../testing/crawler-model";
import { arn, BUCKET, CHECK_FILE, REGION, resource, withStateMachine } from "../testing/fixture-model";
import { signedRaw } from "../testing/raw-http";
import { history, lastTaskFailure, waitForExecution } from "../testing/sfn-helpers";

/**
 * The crawler from a program, run end to end: the usual Step Functions pattern ("Run AWS Glue crawlers":
 * StartCrawler, then a Wait + GetCrawler loop on Crawler.State until READY, then read the table), and the Glue
 * API over the wire with the unmodified SDK.
 */
describe("sandbox: a Glue crawler run by a state machine and through the Glue API", function () {
  this.timeout(120_000);
  let rootDir: string;
  let sandbox: Sandbox;
  let sfn: SFNClient;
  let glue: GlueClient;

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-crawler-"));
    const model = crawlerModel();
    withStateMachine(model, "lab-read-missing-table", {
      StartAt: "GetTable",
      States: { GetTable: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:glue:getTable", Parameters: { DatabaseName: LAKE_DB, Name: "raw_nothing" }, End: true } },
    }, CRAWL_MACHINE_ROLE);
    // A rule on the crawler's state changes; its target (a function with no permission for EventBridge) only
    // records the delivery.
    const pattern = { source: ["aws.glue"], "detail-type": ["Glue Crawler State Change"], detail: { state: ["Succeeded"], crawlerName: ["api-crawler"] } };
    model.resources.push(
      resource("aws:cloudwatch/eventRule:EventRule", "crawler-events", { name: "crawler-events", eventPattern: JSON.stringify(pattern) }),
      resource("aws:cloudwatch/eventTarget:EventTarget", "crawler-events-target", { rule: "crawler-events", arn: arn.fn(CHECK_FILE), targetId: "notify" }),
    );
    sandbox = await Sandbox.start(model, { rootDir, timeScale: 0.05, glue: { startupDelayMs: 50 } });
    sfn = new SFNClient(sandbox.clientConfig("sfn"));
    glue = new GlueClient(sandbox.clientConfig("glue"));
  });
  after(async () => {
    sfn?.destroy();
    glue?.destroy();
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  it("the program's crawler and database are deployed, not listed as not deployed", () => {
    assert.deepEqual(sandbox.notDeployed.filter((n) => n.type.startsWith("aws:glue/")), []);
  });

  it("StartCrawler -> Wait -> GetCrawler loop until READY -> GetTable: SUCCEEDED with the inferred columns and partition keys", async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn.stateMachine(CRAWL_MACHINE), input: "{}" }));
    const done = await waitForExecution(sfn, executionArn!);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output ?? "{}"), {
      columns: [
        { Name: "order_id", Type: "bigint" },
        { Name: "amount", Type: "double" },
        { Name: "paid", Type: "boolean" },
      ],
      partitionKeys: [{ Name: "year", Type: "string" }, { Name: "month", Type: "string" }],
      classification: "csv",
    });
    // The loop polled GetCrawler at least once while the crawl ran.
    const polls = (await history(sfn, executionArn!)).filter((e) => e.type === "TaskStateEntered" && e.stateEnteredEventDetails?.name === "GetCrawler");
    assert.ok(polls.length >= 1);
  });

  it("aws-sdk:glue:getTable on a table that does not exist fails the Task with Glue.EntityNotFoundException", async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn.stateMachine("lab-read-missing-table"), input: "{}" }));
    const done = await waitForExecution(sfn, executionArn!);
    assert.equal(done.status, "FAILED");
    const failure = lastTaskFailure(await history(sfn, executionArn!));
    assert.equal(failure.error, "Glue.EntityNotFoundException");
    assert.match(failure.cause ?? "", /Table raw_nothing not found/);
  });

  it("the Glue API over the wire: CreateDatabase, CreateCrawler, StartCrawler, StopCrawler's errors, GetCrawler's LastCrawl, GetTable", async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "api_db" } }));
    await assert.rejects(glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "API_DB" } })), (e: unknown) => (e as Error).name === "AlreadyExistsException");
    await glue.send(
      new CreateCrawlerCommand({
        Name: "api-crawler",
        Role: CRAWLER_ROLE,
        // The role may write lake_db's tables only.
        DatabaseName: LAKE_DB,
        TablePrefix: "api_",
        Targets: { S3Targets: [{ Path: `s3://${BUCKET}/lake/customers` }] },
      }),
    );
    await assert.rejects(glue.send(new StopCrawlerCommand({ Name: "api-crawler" })), (e: unknown) => (e as Error).name === "CrawlerNotRunningException");
    await glue.send(new StartCrawlerCommand({ Name: "api-crawler" }));
    await assert.rejects(glue.send(new StartCrawlerCommand({ Name: "api-crawler" })), (e: unknown) => (e as Error).name === "CrawlerRunningException");
    // The role is given by name, as CreateCrawler allows; its crawl still reads as that role.
    const outcome = await sandbox.whenCrawlFinished("api-crawler");
    assert.equal(outcome.State, "SUCCEEDED", outcome.ErrorMessage);
    const { Crawler } = await glue.send(new GetCrawlerCommand({ Name: "api-crawler" }));
    assert.equal(Crawler?.State, "READY");
    assert.equal(Crawler?.Role, CRAWLER_ROLE);
    assert.equal(Crawler?.LastCrawl?.Status, "SUCCEEDED");
    assert.ok(Crawler?.LastCrawl?.StartTime instanceof Date);
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: LAKE_DB, Name: "api_customers" }));
    assert.equal(Table?.Parameters?.classification, "json");
    assert.deepEqual(Table?.StorageDescriptor?.Columns?.map((c) => c.Name), ["id", "name", "vip", "score"]);
    assert.ok(Table?.CreateTime instanceof Date);
    await assert.rejects(glue.send(new GetCrawlerCommand({ Name: "nope" })), (e: unknown) => (e as Error).name === "EntityNotFoundException");
    // Its success reached EventBridge as "Glue Crawler State Change" and matched the rule on detail.state and crawlerName.
    await sandbox.eventDeliveriesSettled();
    const deliveries = sandbox.eventDeliveries().filter((d) => d.ruleName === "crawler-events");
    assert.deepEqual(deliveries.map((d) => [d.source, d.detailType]), [["aws.glue", "Glue Crawler State Change"]]);
  });

  it("request validation as the JSON protocol answers it: a missing member is InvalidInputException naming it, a member of the wrong type SerializationException", async () => {
    const call = async (operation: string, body: unknown) => {
      const response = await signedRaw(sandbox.endpoints.glue, sandbox.credentials, {
        method: "POST",
        rawPath: "/",
        body: JSON.stringify(body),
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSGlue.${operation}` },
        service: "glue",
        region: REGION,
      });
      return { status: response.status, ...(JSON.parse(response.body) as { __type: string; message: string }) };
    };
    const missing = await call("GetTable", { Name: "t" });
    assert.deepEqual([missing.status, missing.__type], [400, "InvalidInputException"]);
    assert.match(missing.message, /Value at 'DatabaseName' failed to satisfy constraint: Member must not be null/);
    const wrongType = await call("GetCrawler", { Name: 7 });
    assert.deepEqual([wrongType.status, wrongType.__type], [400, "SerializationException"]);
    const noInput = await call("CreateDatabase", {});
    assert.equal(noInput.__type, "InvalidInputException");
    assert.match(noInput.message, /DatabaseInput/);
    const page = await call("GetDatabases", { MaxResults: 1000 });
    assert.equal(page.__type, "InvalidInputException");
    assert.match(page.message, /Member must have value less than or equal to 100/);
  });
});
