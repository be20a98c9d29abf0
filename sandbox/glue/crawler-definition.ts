import { AwsServiceError } from "../aws-error";
import { ExclusionPatternError, globToRegExp } from "./crawler-exclusions";
import { wrongType } from "../endpoints/validation";

/**
 * A crawler's definition as CreateCrawler takes it (botocore glue CreateCrawlerRequest) and GetCrawler answers
 * it, limited to what the sandbox crawls: S3 targets (Path, Exclusions, SampleSize) with the built-in
 * classifiers, TablePrefix, SchemaChangePolicy and a full recrawl. Every other setting the request carries is
 * refused by name, so a crawler never runs differently from how it was defined.
 */

export type UpdateBehavior = "LOG" | "UPDATE_IN_DATABASE";
export type DeleteBehavior = "LOG" | "DELETE_FROM_DATABASE" | "DEPRECATE_IN_DATABASE";

export interface S3TargetDefinition {
  readonly Path: string;
  readonly Exclusions: readonly string[];
  readonly SampleSize?: number;
}

export interface CrawlerDefinition {
  readonly Name: string;
  /** As given: a role name or ARN ("The IAM role or Amazon Resource Name (ARN) of an IAM role"). */
  readonly Role: string;
  readonly DatabaseName: string;
  readonly Description?: string;
  readonly S3Targets: readonly S3TargetDefinition[];
  readonly TablePrefix: string;
  readonly SchemaChangePolicy: { readonly UpdateBehavior: UpdateBehavior; readonly DeleteBehavior: DeleteBehavior };
  readonly Tags: Readonly<Record<string, string>>;
}

/** A setting the sandbox does not crawl: the message names the crawler and the setting. */
export class UnsupportedCrawlerSetting extends AwsServiceError {
  constructor(crawlerName: string, setting: string, why: string) {
    super("InvalidInputException", `Crawler ${crawlerName}: ${setting} is not supported by the sandbox (${why}); it crawls S3 targets with the built-in JSON and CSV classifiers`);
  }
}

const UPDATE_BEHAVIORS: readonly string[] = ["LOG", "UPDATE_IN_DATABASE"];
const DELETE_BEHAVIORS: readonly string[] = ["LOG", "DELETE_FROM_DATABASE", "DEPRECATE_IN_DATABASE"];
const OTHER_TARGETS = ["JdbcTargets", "MongoDBTargets", "DynamoDBTargets", "CatalogTargets", "DeltaTargets", "IcebergTargets", "HudiTargets"] as const;
/** Model shape TablePrefix: at most 128 characters. */
const TABLE_PREFIX_MAX = 128;

const invalid = (message: string) => new AwsServiceError("InvalidInputException", message);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** Parses and checks a CreateCrawler request body (the API's member names). */
export function crawlerDefinition(body: Record<string, unknown>): CrawlerDefinition {
  const name = body.Name;
  if (typeof name !== "string" || name === "") throw invalid("1 validation error detected: Value at 'name' failed to satisfy constraint: Member must not be null");
  if (name.length > 255) throw invalid(`1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 255`);
  const role = body.Role;
  if (typeof role !== "string" || role === "") throw invalid("1 validation error detected: Value at 'role' failed to satisfy constraint: Member must not be null");
  const targets = body.Targets;
  if (!isObject(targets)) throw invalid("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must not be null");
  for (const kind of OTHER_TARGETS) if (nonEmpty(targets[kind])) throw new UnsupportedCrawlerSetting(name, `Targets.${kind}`, "only S3Targets are crawled");
  const s3 = targets.S3Targets;
  if (!Array.isArray(s3) || s3.length === 0) throw invalid(`Crawler ${name} has no targets: Targets.S3Targets must hold at least one S3 target`);
  const s3Targets = s3.map((t, i) => s3Target(name, t, i));
  const databaseName = body.DatabaseName;
  // AWS accepts a crawler without a database; its crawl then has nowhere to write. The sandbox asks for one.
  if (typeof databaseName !== "string" || databaseName === "") throw invalid(`Crawler ${name} has no DatabaseName: the tables it makes need a database`);
  if (nonEmpty(body.Classifiers)) throw new UnsupportedCrawlerSetting(name, "Classifiers", "custom classifiers are not run");
  if (nonEmpty(body.Schedule)) throw new UnsupportedCrawlerSetting(name, "Schedule", "scheduled crawls are not run; start the crawler with StartCrawler");
  if (nonEmpty(body.Configuration)) throw new UnsupportedCrawlerSetting(name, "Configuration", "crawler output and grouping options are not applied");
  if (nonEmpty(body.CrawlerSecurityConfiguration)) throw new UnsupportedCrawlerSetting(name, "CrawlerSecurityConfiguration", "encryption settings are not applied");
  const recrawl = isObject(body.RecrawlPolicy) ? body.RecrawlPolicy.RecrawlBehavior : undefined;
  if (recrawl !== undefined && recrawl !== null && recrawl !== "CRAWL_EVERYTHING") {
    throw new UnsupportedCrawlerSetting(name, `RecrawlPolicy.RecrawlBehavior ${String(recrawl)}`, "every crawl is a full crawl (CRAWL_EVERYTHING)");
  }
  const lineage = isObject(body.LineageConfiguration) ? body.LineageConfiguration.CrawlerLineageSettings : undefined;
  if (lineage === "ENABLE") throw new UnsupportedCrawlerSetting(name, "LineageConfiguration", "data lineage is not recorded");
  const lakeFormation = isObject(body.LakeFormationConfiguration) ? body.LakeFormationConfiguration.UseLakeFormationCredentials : undefined;
  if (lakeFormation === true) throw new UnsupportedCrawlerSetting(name, "LakeFormationConfiguration", "Lake Formation credentials are not used");
  const prefix = body.TablePrefix ?? "";
  if (typeof prefix !== "string") throw invalid("TablePrefix must be a string");
  if (prefix.length > TABLE_PREFIX_MAX) throw invalid(`1 validation error detected: Value '${prefix}' at 'tablePrefix' failed to satisfy constraint: Member must have length less than or equal to ${TABLE_PREFIX_MAX}`);
  const policy = isObject(body.SchemaChangePolicy) ? body.SchemaChangePolicy : {};
  // The API's defaults: UPDATE_IN_DATABASE and DEPRECATE_IN_DATABASE.
  const update = policy.UpdateBehavior ?? "UPDATE_IN_DATABASE";
  const remove = policy.DeleteBehavior ?? "DEPRECATE_IN_DATABASE";
  if (!UPDATE_BEHAVIORS.includes(update as string)) throw invalid(`1 validation error detected: Value '${String(update)}' at 'schemaChangePolicy.updateBehavior' failed to satisfy constraint: Member must satisfy enum value set: [${UPDATE_BEHAVIORS.join(", ")}]`);
  if (!DELETE_BEHAVIORS.includes(remove as string)) throw invalid(`1 validation error detected: Value '${String(remove)}' at 'schemaChangePolicy.deleteBehavior' failed to satisfy constraint: Member must satisfy enum value set: [${DELETE_BEHAVIORS.join(", ")}]`);
  const description = typeof body.Description === "string" ? body.Description : undefined;
  const tags = isObject(body.Tags) ? Object.fromEntries(Object.entries(body.Tags).map(([k, v]) => [k, String(v)])) : {};
  return {
    Name: name,
    Role: role,
    DatabaseName: databaseName,
    ...(description !== undefined ? { Description: description } : {}),
    S3Targets: s3Targets,
    TablePrefix: prefix,
    SchemaChangePolicy: { UpdateBehavior: update as UpdateBehavior, DeleteBehavior: remove as DeleteBehavior },
    Tags: tags,
  };
}

function s3Target(crawler: string, raw: unknown, index: number): S3TargetDefinition {
  const at = `Targets.S3Targets[${index}]`;
  if (!isObject(raw)) throw wrongType(at, "a structure", raw);
  if (raw.Path !== undefined && raw.Path !== null && typeof raw.Path !== "string") throw wrongType(`${at}.Path`, "a string", raw.Path);
  if (typeof raw.Path !== "string" || raw.Path === "") throw invalid(`Crawler ${crawler}: ${at} has no Path`);
  parseS3Path(raw.Path);
  for (const key of ["ConnectionName", "EventQueueArn", "DlqEventQueueArn"] as const) {
    if (nonEmpty(raw[key])) throw new UnsupportedCrawlerSetting(crawler, `Targets.S3Targets[${index}].${key}`, key === "ConnectionName" ? "S3 is read directly, not through a network connection" : "S3 event mode is not run");
  }
  const exclusions = raw.Exclusions ?? [];
  if (!Array.isArray(exclusions) || exclusions.some((e) => typeof e !== "string")) throw wrongType(`${at}.Exclusions`, "a list of strings", exclusions);
  for (const pattern of exclusions as string[]) {
    try {
      globToRegExp(pattern);
    } catch (error) {
      if (error instanceof ExclusionPatternError) throw invalid(`Crawler ${crawler}: ${error.message}`);
      throw error;
    }
  }
  const sampleSize = raw.SampleSize;
  // Model: "A valid value is an integer between 1 and 249."
  if (sampleSize !== undefined && sampleSize !== null && typeof sampleSize !== "number") throw wrongType(`${at}.SampleSize`, "an integer", sampleSize);
  if (typeof sampleSize === "number" && (!Number.isInteger(sampleSize) || sampleSize < 1 || sampleSize > 249)) {
    throw invalid(`Crawler ${crawler}: Targets.S3Targets[${index}].SampleSize must be an integer between 1 and 249`);
  }
  return { Path: raw.Path, Exclusions: exclusions as string[], ...(typeof sampleSize === "number" ? { SampleSize: sampleSize } : {}) };
}

/** An include path, "s3://bucket/prefix" or "bucket/prefix" (the developer guide's include path syntax). */
export function parseS3Path(path: string): { readonly bucket: string; readonly prefix: string } {
  const rest = path.replace(/^s3:\/\//i, "");
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? "" : rest.slice(slash + 1).replace(/\/+$/, "");
  if (bucket === "") throw invalid(`The S3 target path "${path}" names no bucket`);
  return { bucket, prefix };
}
