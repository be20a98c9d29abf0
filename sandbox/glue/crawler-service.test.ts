import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AccessDeniedError, AwsServiceError } from "../aws-error";
import { Authorizer } from "../iam/authorizer";
import { ModelPolicyStore } from "../iam/policy-store";
import { PrincipalDirectory } from "../iam/principals";
import { roles } from "../model-view";
import type { ProgramModel } from "../program-model";
import { S3Service } from "../s3/s3-service";
import { seedS3 } from "../s3/seed";
import { crawlerArn, CRAWLER, CRAWLER_ROLE, crawlerModel, crawlerResource, LAKE_DB, NO_CATALOG_ROLE, NO_READ_ROLE } from "../testing/crawler-model";
import { ACCOUNT, arn, BUCKET, REGION, role } from "../testing/fixture-model";
import { GlueCatalog } from "./catalog";
import { crawlerDefinition, UnsupportedCrawlerSetting } from "./crawler-definition";
import { GLUE_CRAWLER_STATE_CHANGE, glueCrawlerStateChange } from "./crawler-events";
import { catalogDatabases, crawlerDefinitions } from "./crawler-model";
import { s3CrawlReader } from "./crawler-s3";
import { CrawlerService, type CrawlSummary } from "./crawler-service";

/** A crawler service over its own S3 and catalog, for one model; the operator and role sessions call it. */
async function startCrawlers(model: ProgramModel, principals: PrincipalDirectory) {
  const dir = mkdtempSync(path.join(tmpdir(), "sandbox-crawler-"));
  const authorizer = new Authorizer(ACCOUNT, new ModelPolicyStore(model));
  const s3 = await S3Service.start({ directory: path.join(dir, "s3"), port: 0, treatLoopbackAsTls: true }, principals, authorizer);
  await seedS3(s3.internalEndpoint, model);
  const catalog = new GlueCatalog({ region: REGION, accountId: ACCOUNT }, authorizer);
  for (const db of catalogDatabases(model)) catalog.deploy(db);
  const glueRoles = new Set(roles(model).filter((r) => r.assumeRolePolicy?.includes("glue.amazonaws.com")).map((r) => r.arn));
  const crawlers = new CrawlerService(
    { region: REGION, accountId: ACCOUNT, startupDelayMs: 50, glueMayAssume: (a) => glueRoles.has(a), reader: (credentials) => s3CrawlReader({ endpoint: s3.endpoint, region: REGION, credentials }) },
    catalog,
    principals,
    authorizer,
    crawlerDefinitions(model),
  );
  const summaries: CrawlSummary[] = [];
  crawlers.onCrawlEnd((s) => summaries.push(s));
  return {
    crawlers,
    catalog,
    summaries,
    /** Writes an object as the operator (the data changing between two crawls). */
    async put(key: string, body: string) {
      const client = new S3Client({ region: REGION, endpoint: s3.endpoint, forcePathStyle: true, credentials: principals.operator().credentials });
      try {
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
      } finally {
        client.destroy();
      }
    },
    async stop() {
      await crawlers.reset([]);
      await s3.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const createRequest = (name: string, roleName: string, extra: Record<string, unknown> = {}) => ({
  Name: name,
  Role: arn.role(roleName),
  DatabaseName: LAKE_DB,
  TablePrefix: "raw_",
  Targets: { S3Targets: [{ Path: `s3://${BUCKET}/lake`, Exclusions: ["tmp/**", "extra/**"] }] },
  ...extra,
});

describe("sandbox Glue crawlers", function () {
  this.timeout(60_000);
  const principals = new PrincipalDirectory(ACCOUNT);
  const operator = principals.operator().principal;
  let env: Awaited<ReturnType<typeof startCrawlers>>;

  before(async () => {
    const model = crawlerModel();
    // A role that may read tables but not start crawlers, to show the API authorizes its caller.
    model.resources.push(role("lab-reader-role", "states.amazonaws.com"));
    env = await startCrawlers(model, principals);
  });
  after(async () => env?.stop());

  it("a crawl of the include path makes one table per folder: CSV with header and partitions, JSON lines, CSV of strings without header; the excluded folder makes none", async () => {
    await env.crawlers.startCrawler(operator, CRAWLER);
    const running = await env.crawlers.getCrawler(operator, CRAWLER);
    assert.equal(running.State, "RUNNING");
    // StartCrawler on a running crawler: CrawlerRunningException (botocore StartCrawler errors).
    await assert.rejects(env.crawlers.startCrawler(operator, CRAWLER), (e: unknown) => e instanceof AwsServiceError && e.code === "CrawlerRunningException");
    assert.deepEqual(await env.crawlers.whenCrawlFinished(CRAWLER), { State: "SUCCEEDED" });

    const crawler = await env.crawlers.getCrawler(operator, CRAWLER);
    assert.equal(crawler.State, "READY");
    const last = crawler.LastCrawl as Record<string, unknown>;
    assert.equal(last.Status, "SUCCEEDED");
    assert.equal(last.LogGroup, "/aws-glue/crawlers");
    assert.equal(last.LogStream, CRAWLER);
    assert.ok(last.StartTime instanceof Date);

    const { TableList } = await env.catalog.getTables(operator, { databaseName: LAKE_DB });
    assert.deepEqual(TableList.map((t) => t.Name), ["raw_cities", "raw_customers", "raw_orders"]);
    const orders = TableList.find((t) => t.Name === "raw_orders")!;
    assert.deepEqual(orders.StorageDescriptor?.Columns, [
      { Name: "order_id", Type: "bigint" },
      { Name: "amount", Type: "double" },
      { Name: "paid", Type: "boolean" },
    ]);
    assert.deepEqual(orders.PartitionKeys, [{ Name: "year", Type: "string" }, { Name: "month", Type: "string" }]);
    assert.equal(orders.StorageDescriptor?.Location, `s3://${BUCKET}/lake/orders/`);
    assert.equal(orders.Parameters.classification, "csv");
    assert.deepEqual(env.catalog.partitionsOf(LAKE_DB, "raw_orders").map((p) => p.Values), [["2024", "01"], ["2024", "02"]]);
    const customers = TableList.find((t) => t.Name === "raw_customers")!;
    assert.equal(customers.Parameters.classification, "json");
    assert.deepEqual(customers.StorageDescriptor?.Columns.map((c) => `${c.Name}:${c.Type}`), ["id:int", "name:string", "vip:boolean", "score:double"]);
    const cities = TableList.find((t) => t.Name === "raw_cities")!;
    assert.deepEqual(cities.StorageDescriptor?.Columns.map((c) => c.Name), ["col0", "col1"]);
    // The crawl's summary counts what it wrote: three tables, two partitions.
    const summary = env.summaries.at(-1)!;
    assert.deepEqual([summary.tablesCreated, summary.partitionsCreated, summary.outcome.State], [3, 2, "SUCCEEDED"]);
  });

  it("a second crawl of unchanged data creates and updates nothing; StopCrawler on a READY crawler is CrawlerNotRunningException", async () => {
    await env.crawlers.startCrawler(operator, CRAWLER);
    await env.crawlers.whenCrawlFinished(CRAWLER);
    const summary = env.summaries.at(-1)!;
    assert.deepEqual([summary.tablesCreated, summary.tablesUpdated, summary.partitionsCreated], [0, 0, 0]);
    await assert.rejects(env.crawlers.stopCrawler(operator, CRAWLER), (e: unknown) => e instanceof AwsServiceError && e.code === "CrawlerNotRunningException");
  });

  it("a role without s3:GetObject on the data: the crawl FAILS with S3's AccessDenied in LastCrawl.ErrorMessage", async () => {
    await env.crawlers.createCrawler(operator, crawlerDefinition(createRequest("no-read", NO_READ_ROLE)));
    await env.crawlers.startCrawler(operator, "no-read");
    const outcome = await env.crawlers.whenCrawlFinished("no-read");
    assert.equal(outcome.State, "FAILED");
    assert.match(outcome.ErrorMessage ?? "", /assumed-role\/lab-crawler-noread-role\/AWS-Crawler is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::lab-data-0a1b2c3\/lake\/.* \(Service: Amazon S3; Status Code: 403; Error Code: AccessDenied\) while reading s3:\/\/lab-data-0a1b2c3\/lake\//);
    const last = (await env.crawlers.getCrawler(operator, "no-read")).LastCrawl as Record<string, unknown>;
    assert.equal(last.Status, "FAILED");
    assert.equal(last.ErrorMessage, outcome.ErrorMessage);
  });

  it("a role without glue:CreateTable: the crawl FAILS naming the role and the action", async () => {
    await env.crawlers.createCrawler(operator, crawlerDefinition(createRequest("no-catalog", NO_CATALOG_ROLE, { TablePrefix: "denied_" })));
    await env.crawlers.startCrawler(operator, "no-catalog");
    const outcome = await env.crawlers.whenCrawlFinished("no-catalog");
    assert.equal(outcome.State, "FAILED");
    assert.match(outcome.ErrorMessage ?? "", /AccessDeniedException: .*assumed-role\/lab-crawler-nocatalog-role\/AWS-Crawler is not authorized to perform: glue:CreateTable/);
  });

  it("StopCrawler while RUNNING: STOPPING, then READY with LastCrawl CANCELLED and no tables written", async () => {
    await env.crawlers.createCrawler(operator, crawlerDefinition(createRequest("stopped", CRAWLER_ROLE, { TablePrefix: "stopped_" })));
    await env.crawlers.startCrawler(operator, "stopped");
    await env.crawlers.stopCrawler(operator, "stopped");
    assert.equal((await env.crawlers.getCrawler(operator, "stopped")).State, "STOPPING");
    await assert.rejects(env.crawlers.stopCrawler(operator, "stopped"), (e: unknown) => e instanceof AwsServiceError && e.code === "CrawlerStoppingException");
    await assert.rejects(env.crawlers.deleteCrawler(operator, "stopped"), (e: unknown) => e instanceof AwsServiceError && e.code === "CrawlerRunningException");
    assert.deepEqual(await env.crawlers.whenCrawlFinished("stopped"), { State: "CANCELLED" });
    const { TableList } = await env.catalog.getTables(operator, { databaseName: LAKE_DB, expression: "stopped_.*" });
    assert.deepEqual(TableList, []);
    await env.crawlers.deleteCrawler(operator, "stopped");
    await assert.rejects(env.crawlers.getCrawler(operator, "stopped"), (e: unknown) => e instanceof AwsServiceError && e.code === "EntityNotFoundException");
  });

  it("DeleteBehavior DELETE_FROM_DATABASE removes the tables and partitions of folders a recrawl no longer finds", async () => {
    const request = createRequest("shrinking", CRAWLER_ROLE, { TablePrefix: "s_", SchemaChangePolicy: { UpdateBehavior: "UPDATE_IN_DATABASE", DeleteBehavior: "DELETE_FROM_DATABASE" } });
    await env.crawlers.createCrawler(operator, crawlerDefinition(request));
    await env.crawlers.startCrawler(operator, "shrinking");
    await env.crawlers.whenCrawlFinished("shrinking");
    await env.crawlers.deleteCrawler(operator, "shrinking");
    // Same crawler, now excluding the cities folder.
    await env.crawlers.createCrawler(operator, crawlerDefinition({ ...request, Targets: { S3Targets: [{ Path: `s3://${BUCKET}/lake`, Exclusions: ["tmp/**", "extra/**", "cities/**", "orders/year=2024/month=02/**"] }] } }));
    await env.crawlers.startCrawler(operator, "shrinking");
    await env.crawlers.whenCrawlFinished("shrinking");
    const summary = env.summaries.at(-1)!;
    assert.deepEqual([summary.tablesDeleted, summary.partitionsDeleted], [1, 1]);
    const { TableList } = await env.catalog.getTables(operator, { databaseName: LAKE_DB, expression: "s_.*" });
    assert.deepEqual(TableList.map((t) => t.Name), ["s_customers", "s_orders"]);
    assert.deepEqual(env.catalog.partitionsOf(LAKE_DB, "s_orders").map((p) => p.Values), [["2024", "01"]]);
  });

  it("DeleteBehavior DEPRECATE_IN_DATABASE (the default) keeps the table and marks it deprecated with a timestamp; its partitions stay", async () => {
    const request = createRequest("deprecating", CRAWLER_ROLE, { TablePrefix: "d_" });
    await env.crawlers.createCrawler(operator, crawlerDefinition(request));
    await env.crawlers.startCrawler(operator, "deprecating");
    await env.crawlers.whenCrawlFinished("deprecating");
    await env.crawlers.deleteCrawler(operator, "deprecating");
    await env.crawlers.createCrawler(operator, crawlerDefinition({ ...request, Targets: { S3Targets: [{ Path: `s3://${BUCKET}/lake`, Exclusions: ["tmp/**", "extra/**", "cities/**", "orders/year=2024/month=02/**"] }] } }));
    await env.crawlers.startCrawler(operator, "deprecating");
    await env.crawlers.whenCrawlFinished("deprecating");
    const cities = await env.catalog.getTable(operator, LAKE_DB, "d_cities");
    assert.match(cities.Parameters.DEPRECATED_BY_CRAWLER ?? "", /^\d{4}-\d\d-\d\dT/);
    assert.equal((await env.catalog.getTable(operator, LAKE_DB, "d_orders")).Parameters.DEPRECATED_BY_CRAWLER, undefined);
    assert.equal(env.catalog.partitionsOf(LAKE_DB, "d_orders").length, 2);
  });

  it("an include path naming one object makes its table; text no classifier recognizes is a table classified UNKNOWN", async () => {
    const target = (path: string) => ({ Targets: { S3Targets: [{ Path: `s3://${BUCKET}/${path}` }] } });
    await env.crawlers.createCrawler(operator, crawlerDefinition(createRequest("one-file", CRAWLER_ROLE, { TablePrefix: "file_", ...target("lake/cities/cities.csv") })));
    await env.crawlers.createCrawler(operator, crawlerDefinition(createRequest("unknown", CRAWLER_ROLE, { TablePrefix: "u_", ...target("lake/extra/notes") })));
    for (const name of ["one-file", "unknown"]) {
      await env.crawlers.startCrawler(operator, name);
      assert.deepEqual(await env.crawlers.whenCrawlFinished(name), { State: "SUCCEEDED" }, name);
    }
    const file = await env.catalog.getTable(operator, LAKE_DB, "file_cities");
    assert.deepEqual(file.StorageDescriptor?.Columns.map((c) => c.Name), ["col0", "col1"]);
    const unknown = await env.catalog.getTable(operator, LAKE_DB, "u_notes");
    assert.equal(unknown.Parameters.classification, "UNKNOWN");
    assert.deepEqual(unknown.StorageDescriptor?.Columns, []);
  });

  it("a format Glue classifies but the sandbox does not read (Parquet) fails the crawl naming the object and the format", async () => {
    await env.crawlers.createCrawler(operator, crawlerDefinition(createRequest("columnar", CRAWLER_ROLE, { TablePrefix: "p_", Targets: { S3Targets: [{ Path: `s3://${BUCKET}/lake/extra/columnar` }] } })));
    await env.crawlers.startCrawler(operator, "columnar");
    const outcome = await env.crawlers.whenCrawlFinished("columnar");
    assert.equal(outcome.State, "FAILED");
    assert.equal(outcome.ErrorMessage, `The sandbox does not classify parquet data (s3://${BUCKET}/lake/extra/columnar/part-0.parquet); it classifies JSON and CSV text`);
  });

  it("UpdateBehavior LOG keeps a table's schema when the data's changes; UPDATE_IN_DATABASE replaces it", async () => {
    await env.put("lake/extra/evolving/a.csv", "id,name\n1,a\n2,b\n");
    const path = { Targets: { S3Targets: [{ Path: `s3://${BUCKET}/lake/extra/evolving` }] } };
    await env.crawlers.createCrawler(operator, crawlerDefinition(createRequest("evolving-log", CRAWLER_ROLE, { TablePrefix: "log_", SchemaChangePolicy: { UpdateBehavior: "LOG" }, ...path })));
    await env.crawlers.createCrawler(operator, crawlerDefinition(createRequest("evolving-update", CRAWLER_ROLE, { TablePrefix: "upd_", ...path })));
    const crawlBoth = async () => {
      const counts: number[] = [];
      for (const name of ["evolving-log", "evolving-update"]) {
        await env.crawlers.startCrawler(operator, name);
        assert.deepEqual(await env.crawlers.whenCrawlFinished(name), { State: "SUCCEEDED" });
        counts.push(env.summaries.at(-1)!.tablesUpdated);
      }
      return counts;
    };
    await crawlBoth();
    await env.put("lake/extra/evolving/a.csv", "id,name,score\n1,a,2.5\n2,b,3\n");
    assert.deepEqual(await crawlBoth(), [0, 1]);
    const columns = async (table: string) => (await env.catalog.getTable(operator, LAKE_DB, table)).StorageDescriptor?.Columns.map((c) => c.Name);
    assert.deepEqual(await columns("log_evolving"), ["id", "name"]);
    assert.deepEqual(await columns("upd_evolving"), ["id", "name", "score"]);
  });

  it("the caller is authorized: a role without glue:StartCrawler or glue:GetTable is AccessDenied on the crawler's and the table's ARNs", async () => {
    const reader = principals.roleSession(arn.role("lab-reader-role"), "test").principal;
    await assert.rejects(env.crawlers.startCrawler(reader, CRAWLER), (e: unknown) => e instanceof AccessDeniedError && e.action === "glue:StartCrawler" && e.resourceArn === crawlerArn.crawler(CRAWLER));
    await assert.rejects(env.catalog.getTable(reader, LAKE_DB, "raw_orders"), (e: unknown) => e instanceof AccessDeniedError && e.action === "glue:GetTable");
  });

  it("CreateCrawler refuses what the sandbox does not crawl, naming the crawler and the setting; a duplicate is AlreadyExistsException", async () => {
    assert.throws(() => crawlerDefinition(createRequest("jdbc", CRAWLER_ROLE, { Targets: { S3Targets: [], JdbcTargets: [{ ConnectionName: "c", Path: "db/%" }] } })), (e: unknown) => e instanceof UnsupportedCrawlerSetting && /Crawler jdbc: Targets\.JdbcTargets is not supported/.test(e.message));
    assert.throws(() => crawlerDefinition(createRequest("custom", CRAWLER_ROLE, { Classifiers: ["my-grok"] })), /Crawler custom: Classifiers is not supported by the sandbox \(custom classifiers are not run\)/);
    assert.throws(() => crawlerDefinition(createRequest("scheduled", CRAWLER_ROLE, { Schedule: "cron(0 1 * * ? *)" })), /Crawler scheduled: Schedule is not supported/);
    assert.throws(() => crawlerDefinition(createRequest("incremental", CRAWLER_ROLE, { RecrawlPolicy: { RecrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY" } })), /RecrawlBehavior CRAWL_NEW_FOLDERS_ONLY is not supported/);
    assert.throws(() => crawlerDefinition(createRequest("bad", CRAWLER_ROLE, { SchemaChangePolicy: { UpdateBehavior: "MERGE" } })), /Value 'MERGE' at 'schemaChangePolicy.updateBehavior' failed to satisfy constraint/);
    await assert.rejects(env.crawlers.createCrawler(operator, crawlerDefinition(createRequest(CRAWLER, CRAWLER_ROLE))), (e: unknown) => e instanceof AwsServiceError && e.code === "AlreadyExistsException");
  });

  it("CreateCrawler with a role Glue may not assume is InvalidInputException (the role's trust policy)", async () => {
    await assert.rejects(
      env.crawlers.createCrawler(operator, crawlerDefinition(createRequest("untrusted", "lab-reader-role"))),
      (e: unknown) => e instanceof AwsServiceError && e.code === "InvalidInputException" && /unable to assume provided role/.test(e.message),
    );
  });

  it("startCrawlFor (a workflow trigger's start) resolves with how the crawl ended", async () => {
    assert.deepEqual(await env.crawlers.startCrawlFor(CRAWLER), { State: "SUCCEEDED" });
    await assert.rejects(env.crawlers.startCrawlFor("no-such-crawler"), (e: unknown) => e instanceof AwsServiceError && e.code === "EntityNotFoundException");
  });

  it("Glue Crawler State Change details have the EventBridge user guide's keys: Succeeded with counts, Failed with errorMessage", () => {
    assert.equal(GLUE_CRAWLER_STATE_CHANGE, "Glue Crawler State Change");
    const succeeded = glueCrawlerStateChange(env.summaries.find((s) => s.outcome.State === "SUCCEEDED")!, ACCOUNT, REGION)!;
    assert.deepEqual(Object.keys(succeeded).sort(), [
      "accountId", "cloudWatchLogLink", "completionDate", "crawlerName", "message", "partitionsCreated", "partitionsDeleted", "partitionsUpdated",
      "runningTime (sec)", "state", "tablesCreated", "tablesDeleted", "tablesUpdated", "warningMessage",
    ]);
    assert.deepEqual([succeeded.state, succeeded.message, succeeded.tablesCreated], ["Succeeded", "Crawler Succeeded", "3"]);
    assert.match(succeeded.completionDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const failed = glueCrawlerStateChange(env.summaries.find((s) => s.outcome.State === "FAILED")!, ACCOUNT, REGION)!;
    assert.deepEqual([failed.state, failed.message, failed.crawlerName], ["Failed", "Crawler Failed", "no-read"]);
    assert.match(failed.errorMessage, /s3:GetObject/);
    assert.equal(glueCrawlerStateChange(env.summaries.find((s) => s.outcome.State === "CANCELLED")!, ACCOUNT, REGION), undefined);
  });

  it("GetCrawlers lists every crawler by name in pages; GetDatabases lists the program's database", async () => {
    const first = await env.crawlers.getCrawlers(operator, 2);
    assert.equal(first.Crawlers.length, 2);
    assert.ok(first.NextToken);
    const rest = await env.crawlers.getCrawlers(operator, 1000, first.NextToken);
    const names = [...first.Crawlers, ...rest.Crawlers].map((c) => c.Name as string);
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.includes(CRAWLER));
    assert.equal(rest.NextToken, undefined);
    await assert.rejects(env.crawlers.getCrawlers(operator, 10, "not-a-token"), (e: unknown) => e instanceof AwsServiceError && e.code === "InvalidInputException");
    assert.ok((await env.catalog.getDatabases(operator, {})).DatabaseList.some((d) => d.Name === LAKE_DB && d.Description === "crawled data"));
  });

  it("a program's crawler with a setting the sandbox does not crawl is not deployed", () => {
    const model = crawlerModel();
    model.resources.push(crawlerResource("scheduled", CRAWLER_ROLE, { schedule: "cron(0 1 * * ? *)" }));
    assert.deepEqual(crawlerDefinitions(model).map((d) => d.Name), [CRAWLER]);
  });
});

describe("sandbox Glue Data Catalog", () => {
  const principals = new PrincipalDirectory(ACCOUNT);
  const operator = principals.operator().principal;
  const catalog = new GlueCatalog({ region: REGION, accountId: ACCOUNT }, new Authorizer(ACCOUNT, new ModelPolicyStore(crawlerModel())));

  it("CreateDatabase folds the name to lower case; a second one is AlreadyExistsException; GetDatabase answers the Database shape", async () => {
    await catalog.createDatabase(operator, { Name: "Sales", Description: "d" });
    await assert.rejects(catalog.createDatabase(operator, { Name: "sales" }), (e: unknown) => e instanceof AwsServiceError && e.code === "AlreadyExistsException");
    const db = await catalog.getDatabase(operator, "SALES");
    assert.equal(db.Name, "sales");
    assert.equal(db.CatalogId, ACCOUNT);
    assert.ok(db.CreateTime instanceof Date);
  });

  it("tables: CreateTable, GetTable, GetTables with an Expression, DeleteTable; missing ones are EntityNotFoundException", async () => {
    await catalog.createTable(operator, "sales", { Name: "Orders", StorageDescriptor: { Columns: [{ Name: "id", Type: "int" }] } });
    await catalog.createTable(operator, "sales", { Name: "returns" });
    assert.equal((await catalog.getTable(operator, "sales", "orders")).StorageDescriptor?.Columns[0].Name, "id");
    assert.deepEqual((await catalog.getTables(operator, { databaseName: "sales", expression: "ord.*" })).TableList.map((t) => t.Name), ["orders"]);
    const firstPage = await catalog.getTables(operator, { databaseName: "sales", maxResults: 1 });
    assert.equal(firstPage.TableList.length, 1);
    const secondPage = await catalog.getTables(operator, { databaseName: "sales", maxResults: 1, nextToken: firstPage.NextToken });
    assert.deepEqual(secondPage.TableList.map((t) => t.Name), ["returns"]);
    await catalog.deleteTable(operator, "sales", "orders");
    await assert.rejects(catalog.getTable(operator, "sales", "orders"), (e: unknown) => e instanceof AwsServiceError && e.code === "EntityNotFoundException" && /Table orders not found/.test(e.message));
    await assert.rejects(catalog.getTables(operator, { databaseName: "nope" }), (e: unknown) => e instanceof AwsServiceError && e.code === "EntityNotFoundException" && /Database nope not found/.test(e.message));
  });

  it("DeleteDatabase removes its tables with it", async () => {
    await catalog.deleteDatabase(operator, "sales");
    await catalog.createDatabase(operator, { Name: "sales" });
    assert.deepEqual((await catalog.getTables(operator, { databaseName: "sales" })).TableList, []);
  });
});
