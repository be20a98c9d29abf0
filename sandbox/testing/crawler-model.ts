import type { ProgramModel } from "../program-model";
import { ACCOUNT, arn, BUCKET, fixtureModel, REGION, resource, role, rolePolicy, withStateMachine } from "./fixture-model";

/**
 * The fixture model plus what a crawler needs, as a program declares it: data files under lake/ (CSV with a
 * header in key=value partition folders, JSON lines, CSV of strings only, a scratch folder to exclude), an
 * aws.glue.CatalogDatabase, an aws.glue.Crawler, the crawler's role (the S3 and catalog actions of "Crawler
 * prerequisites", written inline: AWS managed policies are not in the sandbox), two roles each missing one of
 * them, and a state machine that starts the crawler, polls GetCrawler until READY and reads a table.
 */
export const LAKE_DB = "lake_db";
export const CRAWLER = "lab-lake-crawler";
export const CRAWLER_ROLE = "lab-crawler-role";
export const NO_READ_ROLE = "lab-crawler-noread-role";
export const NO_CATALOG_ROLE = "lab-crawler-nocatalog-role";
export const CRAWL_MACHINE = "lab-crawl-and-read";
export const CRAWL_MACHINE_ROLE = "lab-crawl-machine-role";

export const crawlerArn = {
  crawler: (name: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:crawler/${name}`,
  catalog: `arn:aws:glue:${REGION}:${ACCOUNT}:catalog`,
  database: `arn:aws:glue:${REGION}:${ACCOUNT}:database/${LAKE_DB}`,
  tables: `arn:aws:glue:${REGION}:${ACCOUNT}:table/${LAKE_DB}/*`,
};

export const LAKE_FILES: Readonly<Record<string, string>> = {
  "lake/orders/year=2024/month=01/part-0.csv": "order_id,amount,paid\n1,10.5,true\n2,20,false\n",
  "lake/orders/year=2024/month=02/part-0.csv": "order_id,amount,paid\n3,7.25,true\n4,1,false\n",
  "lake/customers/customers.json": '{"id":1,"name":"Ana","vip":true}\n{"id":2,"name":"Bo","vip":false,"score":9.5}\n',
  "lake/cities/cities.csv": "city,country\nParis,France\nLima,Peru\n",
  "lake/tmp/scratch.csv": "a,b\nx,1\ny,2\n",
  // Crawled by their own crawlers only (the lake crawler excludes extra/**): text no classifier recognizes, Parquet.
  "lake/extra/notes/notes.txt": "just some words\nanother line\n",
  "lake/extra/columnar/part-0.parquet": "PAR1\u0000\u0000\u0000PAR1",
};

const S3_READ = [
  { Sid: "ListData", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn.bucket] },
  { Sid: "ReadData", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn.bucket}/lake/*`] },
];
const CATALOG_WRITE = {
  Sid: "WriteCatalog",
  Effect: "Allow",
  Action: ["glue:GetDatabase", "glue:GetTable", "glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable", "glue:BatchCreatePartition", "glue:BatchDeletePartition"],
  Resource: [crawlerArn.catalog, crawlerArn.database, crawlerArn.tables],
};

export function crawlerResource(name: string, roleName: string, inputs: Record<string, unknown> = {}) {
  return resource("aws:glue/crawler:Crawler", name, {
    name,
    arn: crawlerArn.crawler(name),
    role: arn.role(roleName),
    databaseName: LAKE_DB,
    tablePrefix: "raw_",
    s3Targets: [{ path: `s3://${BUCKET}/lake`, exclusions: ["tmp/**", "extra/**"] }],
    ...inputs,
  });
}

/** StartCrawler -> Wait -> GetCrawler until State is READY -> fail unless LastCrawl SUCCEEDED -> GetTable. */
export const CRAWL_DEFINITION = {
  StartAt: "StartCrawler",
  States: {
    StartCrawler: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:glue:startCrawler", Parameters: { Name: CRAWLER }, ResultPath: null, Next: "Wait" },
    Wait: { Type: "Wait", Seconds: 2, Next: "GetCrawler" },
    // The whole answer: LastCrawl is absent until the first crawl has ended, so no ResultSelector may name it.
    GetCrawler: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:glue:getCrawler", Parameters: { Name: CRAWLER }, ResultPath: "$.crawler", Next: "Ready?" },
    "Ready?": { Type: "Choice", Choices: [{ Variable: "$.crawler.Crawler.State", StringEquals: "READY", Next: "Succeeded?" }], Default: "Wait" },
    "Succeeded?": { Type: "Choice", Choices: [{ Variable: "$.crawler.Crawler.LastCrawl.Status", StringEquals: "SUCCEEDED", Next: "GetTable" }], Default: "CrawlFailed" },
    CrawlFailed: { Type: "Fail", Error: "CrawlFailed", Cause: "The crawl did not succeed" },
    GetTable: {
      Type: "Task",
      Resource: "arn:aws:states:::aws-sdk:glue:getTable",
      Parameters: { DatabaseName: LAKE_DB, Name: "raw_orders" },
      ResultSelector: { "columns.$": "$.Table.StorageDescriptor.Columns", "partitionKeys.$": "$.Table.PartitionKeys", "classification.$": "$.Table.Parameters.classification" },
      End: true,
    },
  },
};

export function crawlerModel(): ProgramModel {
  const model = fixtureModel();
  for (const [key, content] of Object.entries(LAKE_FILES)) model.resources.push(resource("aws:s3/bucketObjectv2:BucketObjectv2", key, { bucket: BUCKET, key, content }));
  model.resources.push(
    resource("aws:glue/catalogDatabase:CatalogDatabase", LAKE_DB, { name: LAKE_DB, arn: crawlerArn.database, description: "crawled data" }),
    role(CRAWLER_ROLE, "glue.amazonaws.com"),
    rolePolicy(`${CRAWLER_ROLE}-policy`, CRAWLER_ROLE, [...S3_READ, CATALOG_WRITE]),
    role(NO_READ_ROLE, "glue.amazonaws.com"),
    rolePolicy(`${NO_READ_ROLE}-policy`, NO_READ_ROLE, [S3_READ[0], CATALOG_WRITE]),
    role(NO_CATALOG_ROLE, "glue.amazonaws.com"),
    rolePolicy(`${NO_CATALOG_ROLE}-policy`, NO_CATALOG_ROLE, [...S3_READ, { ...CATALOG_WRITE, Action: ["glue:GetDatabase", "glue:GetTable"] }]),
    crawlerResource(CRAWLER, CRAWLER_ROLE),
    role(CRAWL_MACHINE_ROLE, "states.amazonaws.com"),
    rolePolicy(`${CRAWL_MACHINE_ROLE}-policy`, CRAWL_MACHINE_ROLE, [
      { Sid: "RunCrawler", Effect: "Allow", Action: ["glue:StartCrawler", "glue:GetCrawler"], Resource: [crawlerArn.crawler(CRAWLER)] },
      { Sid: "ReadTables", Effect: "Allow", Action: ["glue:GetTable"], Resource: [crawlerArn.catalog, crawlerArn.database, crawlerArn.tables] },
    ]),
  );
  withStateMachine(model, CRAWL_MACHINE, CRAWL_DEFINITION, CRAWL_MACHINE_ROLE);
  return model;
}
