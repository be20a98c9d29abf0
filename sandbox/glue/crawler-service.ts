import { randomUUID } from "node:crypto";
import { AwsServiceError } from "../aws-error";
import type { Authorizer } from "../iam/authorizer";
import type { Credentials, Principal, PrincipalDirectory } from "../iam/principals";
import type { GlueCatalog } from "./catalog";
import type { CrawlOutcome, CrawlStarter } from "./crawl-outcome";
import { classify, SAMPLE_BYTES } from "./crawler-classify";
import { parseS3Path, type CrawlerDefinition } from "./crawler-definition";
import { exclusionMatcher } from "./crawler-exclusions";
import { CrawlReadError, type CrawlReader } from "./crawler-s3";
import { planTables, tableInput, type ClassifiedFile } from "./crawler-tables";

/**
 * Glue crawlers: the API (CreateCrawler, GetCrawler(s), StartCrawler, StopCrawler, DeleteCrawler) and the crawl
 * itself. A crawler is READY, RUNNING while it crawls, STOPPING while it finishes (or is stopped), then READY
 * again with LastCrawl { Status SUCCEEDED | CANCELLED | FAILED, ErrorMessage, StartTime, LogGroup, LogStream,
 * MessagePrefix } (botocore glue: Crawler, LastCrawlInfo, CrawlerState). A crawl reads S3 and writes the Data
 * Catalog as the crawler's role: a role that may not read the data or write the tables fails the crawl.
 */

/** The sandbox's crawlers and the catalog they write. */
export interface GlueCrawling {
  readonly crawlers: CrawlerService;
  readonly catalog: GlueCatalog;
}

export type CrawlerState = "READY" | "RUNNING" | "STOPPING";

export interface LastCrawl {
  readonly Status: "SUCCEEDED" | "CANCELLED" | "FAILED";
  readonly ErrorMessage?: string;
  readonly LogGroup: string;
  readonly LogStream: string;
  readonly MessagePrefix: string;
  readonly StartTime: Date;
}

/** What one crawl changed, as the "Glue Crawler State Change" event counts it. */
export interface CrawlSummary {
  readonly crawlerName: string;
  readonly outcome: CrawlOutcome;
  readonly startTime: Date;
  readonly completionDate: Date;
  readonly tablesCreated: number;
  readonly tablesUpdated: number;
  readonly tablesDeleted: number;
  readonly partitionsCreated: number;
  readonly partitionsDeleted: number;
}

export interface CrawlerServiceOptions {
  readonly region: string;
  readonly accountId: string;
  /** How long a crawl stays RUNNING before it reads S3 (Glue takes tens of seconds to start a crawl). */
  readonly startupDelayMs: number;
  /** Whether glue.amazonaws.com may assume the role (its trust policy). */
  readonly glueMayAssume: (roleArn: string) => boolean;
  /** A reader of S3 with the given credentials. */
  readonly reader: (credentials: Credentials) => Promise<CrawlReader>;
}

/** The crawler's logs: LastCrawl names /aws-glue/crawlers and a stream named after the crawler. */
const LOG_GROUP = "/aws-glue/crawlers";

interface CrawlerEntry {
  definition: CrawlerDefinition;
  readonly creationTime: Date;
  lastUpdated: Date;
  version: number;
  state: CrawlerState;
  lastCrawl?: LastCrawl;
  run?: RunningCrawl;
}

interface RunningCrawl {
  readonly startTime: Date;
  stopRequested: boolean;
  readonly finished: Promise<CrawlOutcome>;
}

class CrawlCancelled extends Error {}

export class CrawlerService implements CrawlStarter {
  private readonly crawlers = new Map<string, CrawlerEntry>();
  private readonly listeners = new Set<(summary: CrawlSummary) => void>();

  constructor(
    private readonly options: CrawlerServiceOptions,
    private readonly catalog: GlueCatalog,
    private readonly principals: PrincipalDirectory,
    private readonly authorizer: Authorizer,
    deployed: readonly CrawlerDefinition[] = [],
  ) {
    for (const definition of deployed) this.add(definition);
  }

  crawlerArn(name: string): string {
    return `arn:aws:glue:${this.options.region}:${this.options.accountId}:crawler/${name}`;
  }

  /** Called when a crawl ends, with what it changed. */
  onCrawlEnd(listener: (summary: CrawlSummary) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** CreateCrawler: glue:CreateCrawler (no resource type: "*", Service Authorization Reference) and iam:PassRole on its role. */
  async createCrawler(caller: Principal, definition: CrawlerDefinition): Promise<Record<string, never>> {
    await this.authorizer.authorize({ principal: caller, action: "glue:CreateCrawler", resourceArn: "*" });
    const roleArn = this.roleArn(definition.Role);
    await this.authorizer.authorize({ principal: caller, action: "iam:PassRole", resourceArn: roleArn, context: { "iam:PassedToService": "glue.amazonaws.com" } });
    if (this.crawlers.has(definition.Name)) throw new AwsServiceError("AlreadyExistsException", `${definition.Name} already exists`);
    if (!this.options.glueMayAssume(roleArn)) {
      throw new AwsServiceError("InvalidInputException", `Service is unable to assume provided role. Please verify role's TrustPolicy (${roleArn} must trust glue.amazonaws.com)`);
    }
    this.add(definition);
    return {};
  }

  async getCrawler(caller: Principal, name: string): Promise<Record<string, unknown>> {
    const entry = this.entry(name);
    await this.authorize(caller, "glue:GetCrawler", name);
    return this.describe(entry);
  }

  /** GetCrawlers: every crawler, by name, in pages (glue:GetCrawlers has no resource type: "*"). */
  async getCrawlers(caller: Principal, maxResults = 100, nextToken?: string): Promise<{ Crawlers: Record<string, unknown>[]; NextToken?: string }> {
    const names = [...this.crawlers.keys()].sort();
    const start = nextToken === undefined ? 0 : Number.parseInt(nextToken, 10);
    if (!Number.isInteger(start) || start < 0 || (nextToken !== undefined && String(start) !== nextToken)) throw new AwsServiceError("InvalidInputException", `Invalid NextToken "${nextToken}"`);
    await this.authorizer.authorize({ principal: caller, action: "glue:GetCrawlers", resourceArn: "*" });
    const page = names.slice(start, start + maxResults);
    const crawlers = page.map((name) => this.describe(this.entry(name)));
    return start + maxResults < names.length ? { Crawlers: crawlers, NextToken: String(start + maxResults) } : { Crawlers: crawlers };
  }

  async startCrawler(caller: Principal, name: string): Promise<Record<string, never>> {
    const entry = this.entry(name);
    await this.authorize(caller, "glue:StartCrawler", name);
    this.start(entry);
    return {};
  }

  /** StopCrawler: CrawlerNotRunningException when READY, CrawlerStoppingException when already STOPPING. */
  async stopCrawler(caller: Principal, name: string): Promise<Record<string, never>> {
    const entry = this.entry(name);
    await this.authorize(caller, "glue:StopCrawler", name);
    if (entry.state === "READY" || !entry.run) throw new AwsServiceError("CrawlerNotRunningException", `Crawler with name ${name} has not started`);
    if (entry.state === "STOPPING") throw new AwsServiceError("CrawlerStoppingException", `Crawler with name ${name} is stopping`);
    entry.run.stopRequested = true;
    this.setState(entry, "STOPPING");
    return {};
  }

  async deleteCrawler(caller: Principal, name: string): Promise<Record<string, never>> {
    const entry = this.entry(name);
    await this.authorize(caller, "glue:DeleteCrawler", name);
    if (entry.state !== "READY") throw new AwsServiceError("CrawlerRunningException", `Crawler with name ${name} is running and cannot be deleted`);
    this.crawlers.delete(name);
    return {};
  }

  /** A trigger's start: no caller to authorize (Glue starts it); resolves when the crawl ends. */
  startCrawlFor(crawlerName: string): Promise<CrawlOutcome> {
    let entry: CrawlerEntry;
    try {
      entry = this.entry(crawlerName);
      return this.start(entry).finished;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Resolves when the crawler's current crawl ends (at once with its last outcome when it is READY). */
  whenCrawlFinished(name: string): Promise<CrawlOutcome> {
    const entry = this.entry(name);
    if (entry.run) return entry.run.finished;
    const last = entry.lastCrawl;
    return Promise.resolve(last ? { State: last.Status, ...(last.ErrorMessage !== undefined ? { ErrorMessage: last.ErrorMessage } : {}) } : { State: "SUCCEEDED" });
  }

  /** Waits for running crawls to end, then forgets the crawlers created through the API and every crawl. */
  async reset(deployed: readonly CrawlerDefinition[]): Promise<void> {
    const running = [...this.crawlers.values()].filter((e) => e.run);
    for (const entry of running) entry.run!.stopRequested = true;
    await Promise.all(running.map((e) => e.run?.finished));
    this.crawlers.clear();
    for (const definition of deployed) this.add(definition);
  }

  private add(definition: CrawlerDefinition): void {
    const now = new Date();
    this.crawlers.set(definition.Name, { definition, creationTime: now, lastUpdated: now, version: 1, state: "READY" });
  }

  private entry(name: string): CrawlerEntry {
    const entry = this.crawlers.get(name);
    if (!entry) throw new AwsServiceError("EntityNotFoundException", `Crawler entry with name ${name} does not exist`);
    return entry;
  }

  private authorize(caller: Principal, action: string, name: string): Promise<void> {
    return this.authorizer.authorize({ principal: caller, action, resourceArn: this.crawlerArn(name) });
  }

  private roleArn(role: string): string {
    return role.startsWith("arn:") ? role : `arn:aws:iam::${this.options.accountId}:role/${role}`;
  }

  /** StartCrawler's CrawlerRunningException, or the crawl under way. */
  private start(entry: CrawlerEntry): RunningCrawl {
    const name = entry.definition.Name;
    if (entry.state !== "READY" || entry.run) throw new AwsServiceError("CrawlerRunningException", `Crawler with name ${name} has already started`);
    const startTime = new Date();
    let resolve!: (outcome: CrawlOutcome) => void;
    const finished = new Promise<CrawlOutcome>((r) => (resolve = r));
    const run: RunningCrawl = { startTime, stopRequested: false, finished };
    entry.run = run;
    this.setState(entry, "RUNNING");
    void this.crawl(entry, run).then((summary) => {
      entry.lastCrawl = {
        Status: summary.outcome.State,
        ...(summary.outcome.ErrorMessage !== undefined ? { ErrorMessage: summary.outcome.ErrorMessage } : {}),
        LogGroup: LOG_GROUP,
        LogStream: name,
        MessagePrefix: randomUUID(),
        StartTime: startTime,
      };
      entry.run = undefined;
      this.setState(entry, "READY");
      // A failing listener (an event's delivery) does not change how the crawl ended.
      for (const listener of this.listeners) {
        try {
          listener(summary);
        } catch {
          // Deliveries record their own failures.
        }
      }
      resolve(summary.outcome);
    });
    return run;
  }

  private setState(entry: CrawlerEntry, state: CrawlerState): void {
    entry.state = state;
  }

  /** One crawl, start to end; never rejects: a failure is the crawl's FAILED outcome. */
  private async crawl(entry: CrawlerEntry, run: RunningCrawl): Promise<CrawlSummary> {
    const definition = entry.definition;
    const counts = { tablesCreated: 0, tablesUpdated: 0, tablesDeleted: 0, partitionsCreated: 0, partitionsDeleted: 0 };
    const summary = (outcome: CrawlOutcome): CrawlSummary => ({ crawlerName: definition.Name, outcome, startTime: run.startTime, completionDate: new Date(), ...counts });
    let reader: CrawlReader | undefined;
    try {
      await delay(this.options.startupDelayMs);
      this.checkStopped(run);
      const roleArn = this.roleArn(definition.Role);
      if (!this.options.glueMayAssume(roleArn)) throw new Error(`Service is unable to assume provided role ${roleArn}. Please verify role's TrustPolicy`);
      const session = this.principals.roleSession(roleArn, "AWS-Crawler");
      await this.catalog.requireDatabase(session.principal, definition.DatabaseName);
      reader = await this.options.reader(session.credentials);
      const tables = [];
      for (const target of definition.S3Targets) {
        this.checkStopped(run);
        tables.push(...(await this.crawlTarget(reader, target)));
      }
      this.checkStopped(run);
      // From here the crawl writes the catalog: a stop request now waits for the writes (STOPPING).
      if (entry.state === "RUNNING") this.setState(entry, "STOPPING");
      const written = new Set<string>();
      // "New tables and partitions are always created regardless of the SchemaChangePolicy."
      const policy = {
        updateSchema: definition.SchemaChangePolicy.UpdateBehavior === "UPDATE_IN_DATABASE",
        deletePartitions: definition.SchemaChangePolicy.DeleteBehavior === "DELETE_FROM_DATABASE",
      };
      for (const planned of tables) {
        const input = tableInput(planned, definition.TablePrefix, definition.Name);
        if (written.has(input.Name)) continue;
        written.add(input.Name);
        const result = await this.catalog.writeCrawledTable(session.principal, definition.DatabaseName, input, planned.partitions, policy);
        if (result.table === "created") counts.tablesCreated++;
        if (result.table === "updated") counts.tablesUpdated++;
        counts.partitionsCreated += result.partitionsCreated;
        counts.partitionsDeleted += result.partitionsDeleted;
      }
      const behavior = definition.SchemaChangePolicy.DeleteBehavior;
      if (behavior !== "LOG") {
        for (const gone of this.catalog.tablesWrittenBy(definition.DatabaseName, definition.Name).filter((t) => !written.has(t))) {
          await this.catalog.retireCrawledTable(session.principal, definition.DatabaseName, gone, behavior);
          counts.tablesDeleted++;
        }
      }
      return summary({ State: "SUCCEEDED" });
    } catch (error) {
      if (error instanceof CrawlCancelled) return summary({ State: "CANCELLED" });
      return summary({ State: "FAILED", ErrorMessage: crawlErrorMessage(error) });
    } finally {
      reader?.close();
    }
  }

  private async crawlTarget(reader: CrawlReader, target: CrawlerDefinition["S3Targets"][number]) {
    const { bucket, prefix } = parseS3Path(target.Path);
    const excluded = exclusionMatcher(target.Exclusions);
    const listed = await reader.list(bucket, prefix === "" ? "" : `${prefix}/`);
    // Nothing below the include path as a folder: it may name one object.
    const single = prefix === "" || listed.length > 0 ? [] : (await reader.list(bucket, prefix)).filter((o) => o.key === prefix);
    const files: ClassifiedFile[] = [];
    const perFolder = new Map<string, number>();
    if (single.length > 0) {
      // The include path names one object: a table of that file, in the folder above it.
      const slash = prefix.lastIndexOf("/");
      const folder = slash < 0 ? "" : prefix.slice(0, slash);
      const key = prefix.slice(slash + 1);
      const sample = await reader.sample(bucket, prefix, SAMPLE_BYTES);
      const classification = known(classify(sample.body, sample.truncated), `s3://${bucket}/${prefix}`);
      return planTables(bucket, folder, [{ segments: [key], classification, size: single[0].size }]);
    }
    for (const object of listed) {
      const relative = object.key.slice(prefix === "" ? 0 : prefix.length + 1);
      // Folder placeholders hold no data.
      if (relative === "" || relative.endsWith("/") || relative.endsWith("_$folder$")) continue;
      if (excluded(relative)) continue;
      const folder = relative.includes("/") ? relative.slice(0, relative.lastIndexOf("/")) : "";
      const seen = perFolder.get(folder) ?? 0;
      // SampleSize: "the number of files in each leaf folder to be crawled".
      if (target.SampleSize !== undefined && seen >= target.SampleSize) continue;
      perFolder.set(folder, seen + 1);
      const sample = await reader.sample(bucket, object.key, SAMPLE_BYTES);
      // An empty object says nothing about a schema: the crawler skips it.
      if (sample.body.length === 0) continue;
      const classification = known(classify(sample.body, sample.truncated), `s3://${bucket}/${object.key}`);
      files.push({ segments: relative.split("/"), classification, size: object.size });
    }
    return planTables(bucket, prefix, files);
  }

  private checkStopped(run: RunningCrawl): void {
    if (run.stopRequested) throw new CrawlCancelled();
  }

  private describe(entry: CrawlerEntry): Record<string, unknown> {
    const d = entry.definition;
    return {
      Name: d.Name,
      Role: d.Role,
      Targets: {
        S3Targets: d.S3Targets.map((t) => ({ Path: t.Path, Exclusions: [...t.Exclusions], ...(t.SampleSize !== undefined ? { SampleSize: t.SampleSize } : {}) })),
        JdbcTargets: [],
        MongoDBTargets: [],
        DynamoDBTargets: [],
        CatalogTargets: [],
        DeltaTargets: [],
        IcebergTargets: [],
        HudiTargets: [],
      },
      DatabaseName: d.DatabaseName,
      ...(d.Description !== undefined ? { Description: d.Description } : {}),
      Classifiers: [],
      RecrawlPolicy: { RecrawlBehavior: "CRAWL_EVERYTHING" },
      SchemaChangePolicy: { ...d.SchemaChangePolicy },
      LineageConfiguration: { CrawlerLineageSettings: "DISABLE" },
      State: entry.state,
      TablePrefix: d.TablePrefix,
      // "If the crawler is running, contains the total time elapsed since the last crawl began."
      CrawlElapsedTime: entry.run ? Date.now() - entry.run.startTime.getTime() : 0,
      CreationTime: entry.creationTime,
      LastUpdated: entry.lastUpdated,
      ...(entry.lastCrawl ? { LastCrawl: { ...entry.lastCrawl } } : {}),
      Version: entry.version,
      LakeFormationConfiguration: { UseLakeFormationCredentials: false, AccountId: "" },
    };
  }
}

/** A format Glue recognizes that the sandbox does not read fails the crawl, naming the object and the format. */
function known(classification: ReturnType<typeof classify>, where: string): ClassifiedFile["classification"] {
  if (classification.kind === "unsupported") throw new Error(`The sandbox does not classify ${classification.format} data (${where}); it classifies JSON and CSV text`);
  return classification;
}

function crawlErrorMessage(error: unknown): string {
  if (error instanceof CrawlReadError) return error.message;
  if (error instanceof AwsServiceError) return `${error.code}: ${error.message}`;
  return (error as Error)?.message ?? String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
