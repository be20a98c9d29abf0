import { AwsServiceError } from "../aws-error";
import { field, ofType, RESOURCE_TYPES, where } from "../model-view";
import type { ModelResource, ProgramModel } from "../program-model";
import type { DatabaseInput } from "./catalog";
import { crawlerDefinition, type CrawlerDefinition } from "./crawler-definition";

/**
 * A program's aws.glue.CatalogDatabase and aws.glue.Crawler resources, read as the Glue API's CreateDatabase
 * and CreateCrawler requests (the Pulumi inputs in the API's member names), so a deployed crawler is checked
 * and refused exactly as one created through the API.
 */

export function catalogDatabases(model: ProgramModel): DatabaseInput[] {
  return ofType(model, RESOURCE_TYPES.catalogDatabase).map((r) => {
    const name = field(r, "name");
    if (typeof name !== "string" || name === "") throw new AwsServiceError("InvalidInputException", `${where(r)} has no name`);
    const description = field(r, "description");
    const locationUri = field(r, "locationUri");
    const parameters = field(r, "parameters");
    return {
      Name: name,
      ...(typeof description === "string" ? { Description: description } : {}),
      ...(typeof locationUri === "string" && locationUri !== "" ? { LocationUri: locationUri } : {}),
      ...(typeof parameters === "object" && parameters !== null ? { Parameters: parameters as Record<string, string> } : {}),
    };
  });
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const object = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const defined = (entries: Record<string, unknown>) => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v !== null));

/** The CreateCrawler request a Crawler resource stands for (aws.glue.Crawler's inputs, renamed). */
function createCrawlerRequest(r: ModelResource): Record<string, unknown> {
  const schemaChange = object(field(r, "schemaChangePolicy"));
  const recrawl = object(field(r, "recrawlPolicy"));
  const lineage = object(field(r, "lineageConfiguration"));
  const lakeFormation = object(field(r, "lakeFormationConfiguration"));
  return defined({
    Name: field(r, "name"),
    Role: field(r, "role"),
    DatabaseName: field(r, "databaseName"),
    Description: field(r, "description"),
    TablePrefix: field(r, "tablePrefix"),
    Schedule: field(r, "schedule"),
    Classifiers: field(r, "classifiers"),
    Configuration: field(r, "configuration"),
    CrawlerSecurityConfiguration: field(r, "securityConfiguration"),
    SchemaChangePolicy: defined({ UpdateBehavior: schemaChange.updateBehavior, DeleteBehavior: schemaChange.deleteBehavior }),
    RecrawlPolicy: defined({ RecrawlBehavior: recrawl.recrawlBehavior }),
    LineageConfiguration: defined({ CrawlerLineageSettings: lineage.crawlerLineageSettings }),
    LakeFormationConfiguration: defined({ UseLakeFormationCredentials: lakeFormation.useLakeFormationCredentials }),
    Tags: field(r, "tags"),
    Targets: {
      S3Targets: list(field(r, "s3Targets")).map((t) => {
        const target = object(t);
        return defined({
          Path: target.path,
          Exclusions: target.exclusions,
          SampleSize: target.sampleSize,
          ConnectionName: target.connectionName,
          EventQueueArn: target.eventQueueArn,
          DlqEventQueueArn: target.dlqEventQueueArn,
        });
      }),
      JdbcTargets: field(r, "jdbcTargets"),
      MongoDBTargets: field(r, "mongodbTargets"),
      DynamoDBTargets: field(r, "dynamodbTargets"),
      CatalogTargets: field(r, "catalogTargets"),
      DeltaTargets: field(r, "deltaTargets"),
      IcebergTargets: field(r, "icebergTargets"),
      HudiTargets: field(r, "hudiTargets"),
    },
  });
}

/** Why the sandbox does not deploy a crawler (a setting it does not crawl), or undefined when it does. */
export function crawlerProblem(r: ModelResource): string | undefined {
  try {
    crawlerDefinition(createCrawlerRequest(r));
    return undefined;
  } catch (error) {
    if (error instanceof AwsServiceError) return error.message;
    throw error;
  }
}

/** The crawlers the sandbox runs; those it does not (crawlerProblem) are listed at start, not deployed. */
export function crawlerDefinitions(model: ProgramModel): CrawlerDefinition[] {
  return ofType(model, RESOURCE_TYPES.crawler)
    .filter((r) => crawlerProblem(r) === undefined)
    .map((r) => crawlerDefinition(createCrawlerRequest(r)));
}
