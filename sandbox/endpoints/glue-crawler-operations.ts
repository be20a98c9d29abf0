import { AwsServiceError } from "../aws-error";
import type { DatabaseInput, TableInput } from "../glue/catalog";
import { crawlerDefinition } from "../glue/crawler-definition";
import type { GlueCrawling } from "../glue/crawler-service";
import { optionalString, requiredString } from "./json-protocol";
export type { GlueCrawling } from "../glue/crawler-service";
import type { Operation } from "./operations";
import { boundedInteger, constraintError, optionalStringMap, requiredStructure, wrongType } from "./validation";

/**
 * AWSGlue.* operations on crawlers and the Data Catalog (botocore glue service-2.json): request members checked
 * as the JSON protocol checks them (InvalidInputException for a missing or out-of-range member,
 * SerializationException for a member of the wrong JSON type), then the services' own errors.
 */

const GLUE_VALIDATION = "InvalidInputException";
/** Model shape NameString: 1..255 characters. */
const NAME_MAX = 255;
/** Model shape CatalogGetterPageSize (GetDatabases, GetTables): 1..100; PageSize (GetCrawlers): 1..1000. */
const catalogPage = (b: Record<string, unknown>) => boundedInteger(b, "MaxResults", 1, 100, GLUE_VALIDATION);
const crawlerPage = (b: Record<string, unknown>) => boundedInteger(b, "MaxResults", 1, 1000, GLUE_VALIDATION);

function name(b: Record<string, unknown>, field: string): string {
  const value = requiredString(b, field, GLUE_VALIDATION);
  if (value.length > NAME_MAX) throw constraintError(GLUE_VALIDATION, value, field, `Member must have length less than or equal to ${NAME_MAX}`);
  return value;
}

function databaseInput(b: Record<string, unknown>): DatabaseInput {
  const input = requiredStructure(b, "DatabaseInput", GLUE_VALIDATION);
  return {
    Name: name(input, "Name"),
    Description: optionalString(input, "Description"),
    LocationUri: optionalString(input, "LocationUri"),
    Parameters: optionalStringMap(input, "Parameters"),
  };
}

/** Model shape Column: Name (required), Type, Comment (strings), Parameters (a map of strings). */
function columns(b: Record<string, unknown>, field: string, at: string): void {
  const value = b[field];
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw wrongType(`${at}${field}`, "a list of structures", value);
  value.forEach((column, i) => {
    const where = `${at}${field}[${i}]`;
    if (typeof column !== "object" || column === null || Array.isArray(column)) throw wrongType(where, "a structure", column);
    const c = column as Record<string, unknown>;
    name(c, "Name");
    for (const member of ["Type", "Comment"]) if (c[member] !== undefined && c[member] !== null && typeof c[member] !== "string") throw wrongType(`${where}.${member}`, "a string", c[member]);
    optionalStringMap(c, "Parameters");
  });
}

/** TableInput as the model types it, so what is stored is what GetTable and the crawlers read back. */
function tableInput(b: Record<string, unknown>): TableInput {
  const input = requiredStructure(b, "TableInput", GLUE_VALIDATION);
  const parameters = optionalStringMap(input, "Parameters");
  columns(input, "PartitionKeys", "TableInput.");
  for (const member of ["Description", "Owner", "TableType", "ViewOriginalText", "ViewExpandedText"]) optionalString(input, member);
  const descriptor = input.StorageDescriptor;
  if (descriptor !== undefined && descriptor !== null) {
    if (typeof descriptor !== "object" || Array.isArray(descriptor)) throw wrongType("TableInput.StorageDescriptor", "a structure", descriptor);
    const d = descriptor as Record<string, unknown>;
    columns(d, "Columns", "TableInput.StorageDescriptor.");
    for (const member of ["Location", "InputFormat", "OutputFormat"]) optionalString(d, member);
    optionalStringMap(d, "Parameters");
  }
  return { ...(input as unknown as TableInput), Name: name(input, "Name"), ...(parameters ? { Parameters: parameters } : {}) };
}

/** The operations, bound to the services at call time (the operation list is read without them, for the docs). */
export function glueCrawlerOperations(crawling: GlueCrawling | undefined): Record<string, Operation> {
  const catalogId = (b: Record<string, unknown>) => optionalString(b, "CatalogId");
  const services = (): GlueCrawling => {
    if (!crawling) throw new AwsServiceError("InternalFailure", "The sandbox was started without Glue's crawlers and Data Catalog", 500);
    return crawling;
  };
  const crawlers = () => services().crawlers;
  const catalog = () => services().catalog;
  return {
    CreateCrawler: (caller, b) => {
      name(b, "Name");
      return crawlers().createCrawler(caller, crawlerDefinition(b));
    },
    GetCrawler: async (caller, b) => ({ Crawler: await crawlers().getCrawler(caller, name(b, "Name")) }),
    GetCrawlers: (caller, b) => crawlers().getCrawlers(caller, crawlerPage(b), optionalString(b, "NextToken")),
    StartCrawler: (caller, b) => crawlers().startCrawler(caller, name(b, "Name")),
    StopCrawler: (caller, b) => crawlers().stopCrawler(caller, name(b, "Name")),
    DeleteCrawler: (caller, b) => crawlers().deleteCrawler(caller, name(b, "Name")),
    CreateDatabase: (caller, b) => catalog().createDatabase(caller, databaseInput(b), catalogId(b)),
    GetDatabase: async (caller, b) => ({ Database: await catalog().getDatabase(caller, name(b, "Name"), catalogId(b)) }),
    GetDatabases: (caller, b) => catalog().getDatabases(caller, { maxResults: catalogPage(b), nextToken: optionalString(b, "NextToken"), catalogId: catalogId(b) }),
    DeleteDatabase: (caller, b) => catalog().deleteDatabase(caller, name(b, "Name"), catalogId(b)),
    CreateTable: (caller, b) => catalog().createTable(caller, name(b, "DatabaseName"), tableInput(b), catalogId(b)),
    GetTable: async (caller, b) => ({ Table: await catalog().getTable(caller, name(b, "DatabaseName"), name(b, "Name"), catalogId(b)) }),
    GetTables: (caller, b) =>
      catalog().getTables(caller, {
        databaseName: name(b, "DatabaseName"),
        expression: optionalString(b, "Expression"),
        maxResults: catalogPage(b),
        nextToken: optionalString(b, "NextToken"),
        catalogId: catalogId(b),
      }),
    DeleteTable: (caller, b) => catalog().deleteTable(caller, name(b, "DatabaseName"), name(b, "Name"), catalogId(b)),
  };
}
