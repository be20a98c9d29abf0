import { AwsServiceError } from "../aws-error";
import { pageOf } from "../endpoints/paging";
import type { Authorizer } from "../iam/authorizer";
import type { Principal } from "../iam/principals";

/**
 * The Glue Data Catalog of the sandbox's account: databases and their tables, with the API's shapes
 * (botocore glue service-2.json: Database, Table, StorageDescriptor, Column) and errors
 * (EntityNotFoundException, AlreadyExistsException). Every call is authorized on the resources the Service
 * Authorization Reference lists for it: the catalog, the database and, for table actions, the table
 * (arn:<partition>:glue:<region>:<account>:catalog | database/<db> | table/<db>/<table>).
 */

export interface Column {
  readonly Name: string;
  readonly Type: string;
  readonly Comment?: string;
}

export interface StorageDescriptor {
  readonly Columns: readonly Column[];
  readonly Location?: string;
  readonly InputFormat?: string;
  readonly OutputFormat?: string;
  readonly Compressed?: boolean;
  readonly NumberOfBuckets?: number;
  readonly SerdeInfo?: { readonly SerializationLibrary?: string; readonly Parameters?: Readonly<Record<string, string>> };
  readonly BucketColumns?: readonly string[];
  readonly SortColumns?: readonly unknown[];
  readonly Parameters?: Readonly<Record<string, string>>;
  readonly StoredAsSubDirectories?: boolean;
}

/** A table as GetTable answers it. */
export interface Table {
  readonly Name: string;
  readonly DatabaseName: string;
  readonly Description?: string;
  readonly Owner?: string;
  readonly CreateTime: Date;
  readonly UpdateTime: Date;
  readonly Retention: number;
  readonly StorageDescriptor?: StorageDescriptor;
  readonly PartitionKeys: readonly Column[];
  readonly TableType?: string;
  readonly Parameters: Readonly<Record<string, string>>;
  readonly CreatedBy: string;
  readonly IsRegisteredWithLakeFormation: boolean;
  readonly CatalogId: string;
  readonly VersionId: string;
}

/** What CreateTable takes (TableInput) and what a crawler writes. */
export interface TableInput {
  readonly Name: string;
  readonly Description?: string;
  readonly Owner?: string;
  readonly Retention?: number;
  readonly StorageDescriptor?: StorageDescriptor;
  readonly PartitionKeys?: readonly Column[];
  readonly TableType?: string;
  readonly Parameters?: Readonly<Record<string, string>>;
}

export interface Database {
  readonly Name: string;
  readonly Description?: string;
  readonly LocationUri?: string;
  readonly Parameters: Readonly<Record<string, string>>;
  readonly CreateTime: Date;
  /** Glue's default for a new database: ALL for IAM_ALLOWED_PRINCIPALS (IAM alone decides access). */
  readonly CreateTableDefaultPermissions: readonly unknown[];
  readonly CatalogId: string;
}

export interface DatabaseInput {
  readonly Name: string;
  readonly Description?: string;
  readonly LocationUri?: string;
  readonly Parameters?: Readonly<Record<string, string>>;
}

/** One partition of a table: its values, in the order of the table's partition keys, and its folder. */
export interface Partition {
  readonly Values: readonly string[];
  readonly Location: string;
}

interface StoredDatabase {
  database: Database;
  readonly tables: Map<string, { table: Table; partitions: readonly Partition[] }>;
}

const IAM_ALLOWED_PRINCIPALS = [{ Principal: { DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" }, Permissions: ["ALL"] }];
/** Model shape CatalogGetterPageSize: 1..100; GetDatabases and GetTables default to 100. */
const DEFAULT_PAGE = 100;

/** DatabaseInput.Name and TableInput.Name: "For Hive compatibility, this is folded to lowercase when it is stored." */
export function catalogName(name: string): string {
  return name.toLowerCase();
}

export class GlueCatalog {
  private readonly databases = new Map<string, StoredDatabase>();

  constructor(
    private readonly options: { readonly region: string; readonly accountId: string },
    private readonly authorizer: Authorizer,
  ) {}

  readonly arn = {
    catalog: (): string => `arn:aws:glue:${this.options.region}:${this.options.accountId}:catalog`,
    database: (name: string): string => `arn:aws:glue:${this.options.region}:${this.options.accountId}:database/${name}`,
    table: (database: string, name: string): string => `arn:aws:glue:${this.options.region}:${this.options.accountId}:table/${database}/${name}`,
  };

  /** A database the program declares (aws.glue.CatalogDatabase): present from the start, as deployed. */
  deploy(input: DatabaseInput): void {
    const name = catalogName(input.Name);
    if (!this.databases.has(name)) this.databases.set(name, { database: this.newDatabase({ ...input, Name: name }), tables: new Map() });
  }

  async createDatabase(caller: Principal, input: DatabaseInput, catalogId?: string): Promise<Record<string, never>> {
    this.checkCatalogId(catalogId);
    const name = catalogName(input.Name);
    await this.authorize(caller, "glue:CreateDatabase", [this.arn.catalog(), this.arn.database(name)]);
    if (this.databases.has(name)) throw new AwsServiceError("AlreadyExistsException", `Database already exists.`);
    this.databases.set(name, { database: this.newDatabase({ ...input, Name: name }), tables: new Map() });
    return {};
  }

  async getDatabase(caller: Principal, name: string, catalogId?: string): Promise<Database> {
    this.checkCatalogId(catalogId);
    const key = catalogName(name);
    await this.authorize(caller, "glue:GetDatabase", [this.arn.catalog(), this.arn.database(key)]);
    return this.stored(key).database;
  }

  async getDatabases(caller: Principal, request: { maxResults?: number; nextToken?: string; catalogId?: string }): Promise<{ DatabaseList: Database[]; NextToken?: string }> {
    this.checkCatalogId(request.catalogId);
    await this.authorize(caller, "glue:GetDatabases", [this.arn.catalog(), this.arn.database("*")]);
    const all = [...this.databases.values()].map((d) => d.database).sort((a, b) => a.Name.localeCompare(b.Name));
    const page = pageOf(all, { size: request.maxResults, defaultSize: DEFAULT_PAGE, nextToken: request.nextToken, scope: "GetDatabases", invalidToken: invalidToken });
    return page.nextToken ? { DatabaseList: page.items, NextToken: page.nextToken } : { DatabaseList: page.items };
  }

  /** Deleting a database deletes its tables too ("DeleteDatabase": all the tables in the database are removed). */
  async deleteDatabase(caller: Principal, name: string, catalogId?: string): Promise<Record<string, never>> {
    this.checkCatalogId(catalogId);
    const key = catalogName(name);
    await this.authorize(caller, "glue:DeleteDatabase", [this.arn.catalog(), this.arn.database(key), this.arn.table(key, "*")]);
    this.stored(key);
    this.databases.delete(key);
    return {};
  }

  async createTable(caller: Principal, databaseName: string, input: TableInput, catalogId?: string): Promise<Record<string, never>> {
    this.checkCatalogId(catalogId);
    const db = catalogName(databaseName);
    const name = catalogName(input.Name);
    await this.authorize(caller, "glue:CreateTable", [this.arn.catalog(), this.arn.database(db), this.arn.table(db, name)]);
    const stored = this.stored(db);
    if (stored.tables.has(name)) throw new AwsServiceError("AlreadyExistsException", `Table already exists.`);
    stored.tables.set(name, { table: this.newTable(db, { ...input, Name: name }, caller.arn), partitions: [] });
    return {};
  }

  async getTable(caller: Principal, databaseName: string, name: string, catalogId?: string): Promise<Table> {
    this.checkCatalogId(catalogId);
    const db = catalogName(databaseName);
    const key = catalogName(name);
    await this.authorize(caller, "glue:GetTable", [this.arn.catalog(), this.arn.database(db), this.arn.table(db, key)]);
    const table = this.stored(db).tables.get(key);
    if (!table) throw new AwsServiceError("EntityNotFoundException", `Table ${key} not found.`);
    return table.table;
  }

  /** Tables of a database by name; Expression is a regular expression on the name, as GetTables documents it. */
  async getTables(
    caller: Principal,
    request: { databaseName: string; expression?: string; maxResults?: number; nextToken?: string; catalogId?: string },
  ): Promise<{ TableList: Table[]; NextToken?: string }> {
    this.checkCatalogId(request.catalogId);
    const db = catalogName(request.databaseName);
    await this.authorize(caller, "glue:GetTables", [this.arn.catalog(), this.arn.database(db), this.arn.table(db, "*")]);
    let pattern: RegExp | undefined;
    if (request.expression !== undefined && request.expression !== "") {
      try {
        pattern = new RegExp(`^(?:${request.expression})$`);
      } catch {
        throw new AwsServiceError("InvalidInputException", `Invalid regular expression: ${request.expression}`);
      }
    }
    const all = [...this.stored(db).tables.values()].map((t) => t.table).filter((t) => pattern === undefined || pattern.test(t.Name)).sort((a, b) => a.Name.localeCompare(b.Name));
    const scope = `GetTables:${db}:${request.expression ?? ""}`;
    const page = pageOf(all, { size: request.maxResults, defaultSize: DEFAULT_PAGE, nextToken: request.nextToken, scope, invalidToken });
    return page.nextToken ? { TableList: page.items, NextToken: page.nextToken } : { TableList: page.items };
  }

  async deleteTable(caller: Principal, databaseName: string, name: string, catalogId?: string): Promise<Record<string, never>> {
    this.checkCatalogId(catalogId);
    const db = catalogName(databaseName);
    const key = catalogName(name);
    await this.authorize(caller, "glue:DeleteTable", [this.arn.catalog(), this.arn.database(db), this.arn.table(db, key)]);
    const stored = this.stored(db);
    if (!stored.tables.delete(key)) throw new AwsServiceError("EntityNotFoundException", `Table ${key} not found.`);
    return {};
  }

  /** A table's partitions (what a crawl registered), in the order they were added. */
  partitionsOf(databaseName: string, tableName: string): readonly Partition[] {
    return this.databases.get(catalogName(databaseName))?.tables.get(catalogName(tableName))?.partitions ?? [];
  }

  /**
   * What a crawl writes, authorized as the crawler's role: the table created (glue:CreateTable) or its schema
   * replaced (glue:UpdateTable, only when `updateSchema`), new partitions added (glue:BatchCreatePartition) and,
   * when `deletePartitions`, the partitions the crawl no longer found removed (glue:BatchDeletePartition).
   */
  async writeCrawledTable(
    caller: Principal,
    databaseName: string,
    input: TableInput,
    partitions: readonly Partition[],
    policy: { readonly updateSchema: boolean; readonly deletePartitions: boolean },
  ): Promise<{ table: "created" | "updated" | "unchanged"; partitionsCreated: number; partitionsDeleted: number }> {
    const db = catalogName(databaseName);
    const name = catalogName(input.Name);
    const resources = [this.arn.catalog(), this.arn.database(db), this.arn.table(db, name)];
    const stored = this.stored(db);
    const existing = stored.tables.get(name);
    let outcome: "created" | "updated" | "unchanged" = "unchanged";
    if (!existing) {
      await this.authorize(caller, "glue:CreateTable", resources);
      stored.tables.set(name, { table: this.newTable(db, { ...input, Name: name }, caller.arn), partitions: [] });
      outcome = "created";
    } else if (policy.updateSchema && !sameSchema(existing.table, input)) {
      await this.authorize(caller, "glue:UpdateTable", resources);
      const now = new Date();
      existing.table = {
        ...existing.table,
        StorageDescriptor: input.StorageDescriptor,
        PartitionKeys: input.PartitionKeys ?? [],
        Parameters: { ...existing.table.Parameters, ...(input.Parameters ?? {}) },
        UpdateTime: now,
        VersionId: String(Number(existing.table.VersionId) + 1),
      };
      outcome = "updated";
    }
    const entry = stored.tables.get(name)!;
    const known = new Set(entry.partitions.map((p) => JSON.stringify(p.Values)));
    const fresh = partitions.filter((p) => !known.has(JSON.stringify(p.Values)));
    if (fresh.length > 0) {
      await this.authorize(caller, "glue:BatchCreatePartition", resources);
      entry.partitions = [...entry.partitions, ...fresh];
    }
    const found = new Set(partitions.map((p) => JSON.stringify(p.Values)));
    const gone = policy.deletePartitions ? entry.partitions.filter((p) => !found.has(JSON.stringify(p.Values))) : [];
    if (gone.length > 0) {
      await this.authorize(caller, "glue:BatchDeletePartition", resources);
      entry.partitions = entry.partitions.filter((p) => found.has(JSON.stringify(p.Values)));
    }
    return { table: outcome, partitionsCreated: fresh.length, partitionsDeleted: gone.length };
  }

  /** The crawler's own check that its database exists and may be read (glue:GetDatabase). */
  async requireDatabase(caller: Principal, databaseName: string): Promise<void> {
    await this.getDatabase(caller, databaseName);
  }

  /** Tables of a database whose Parameters say the named crawler wrote them. */
  tablesWrittenBy(databaseName: string, crawlerName: string): string[] {
    const stored = this.databases.get(catalogName(databaseName));
    if (!stored) return [];
    return [...stored.tables.values()].filter((t) => t.table.Parameters.UPDATED_BY_CRAWLER === crawlerName).map((t) => t.table.Name);
  }

  /**
   * A crawl's DeleteBehavior on a table its data is gone from: DELETE_FROM_DATABASE deletes it (glue:DeleteTable);
   * DEPRECATE_IN_DATABASE adds "a property to the table that says 'DEPRECATED' and includes a timestamp with the
   * time of deprecation" (SchemaChangePolicy, CloudFormation reference) (glue:UpdateTable).
   */
  async retireCrawledTable(caller: Principal, databaseName: string, tableName: string, behavior: "DELETE_FROM_DATABASE" | "DEPRECATE_IN_DATABASE"): Promise<void> {
    const db = catalogName(databaseName);
    const stored = this.stored(db);
    const entry = stored.tables.get(tableName);
    if (!entry) return;
    const resources = [this.arn.catalog(), this.arn.database(db), this.arn.table(db, tableName)];
    if (behavior === "DELETE_FROM_DATABASE") {
      await this.authorize(caller, "glue:DeleteTable", resources);
      stored.tables.delete(tableName);
      return;
    }
    await this.authorize(caller, "glue:UpdateTable", resources);
    entry.table = { ...entry.table, Parameters: { ...entry.table.Parameters, DEPRECATED_BY_CRAWLER: new Date().toISOString() }, UpdateTime: new Date() };
  }

  /** Forgets every database and table but those the program deployed (their tables go too). */
  reset(deployed: readonly DatabaseInput[]): void {
    this.databases.clear();
    for (const input of deployed) this.deploy(input);
  }

  private stored(name: string): StoredDatabase {
    const stored = this.databases.get(name);
    if (!stored) throw new AwsServiceError("EntityNotFoundException", `Database ${name} not found.`);
    return stored;
  }

  private newDatabase(input: DatabaseInput): Database {
    return {
      Name: input.Name,
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      ...(input.LocationUri !== undefined ? { LocationUri: input.LocationUri } : {}),
      Parameters: { ...(input.Parameters ?? {}) },
      CreateTime: new Date(),
      CreateTableDefaultPermissions: IAM_ALLOWED_PRINCIPALS,
      CatalogId: this.options.accountId,
    };
  }

  private newTable(databaseName: string, input: TableInput, createdBy: string): Table {
    const now = new Date();
    return {
      Name: input.Name,
      DatabaseName: databaseName,
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      ...(input.Owner !== undefined ? { Owner: input.Owner } : {}),
      CreateTime: now,
      UpdateTime: now,
      Retention: input.Retention ?? 0,
      ...(input.StorageDescriptor !== undefined ? { StorageDescriptor: input.StorageDescriptor } : {}),
      PartitionKeys: input.PartitionKeys ?? [],
      ...(input.TableType !== undefined ? { TableType: input.TableType } : {}),
      Parameters: { ...(input.Parameters ?? {}) },
      CreatedBy: createdBy,
      IsRegisteredWithLakeFormation: false,
      CatalogId: this.options.accountId,
      VersionId: "0",
    };
  }

  /** The sandbox has one catalog, the account's: another CatalogId names a catalog it does not have. */
  private checkCatalogId(catalogId: string | undefined): void {
    if (catalogId !== undefined && catalogId !== this.options.accountId) {
      throw new AwsServiceError("EntityNotFoundException", `Catalog ${catalogId} not found: the sandbox holds only the account's catalog (${this.options.accountId}).`);
    }
  }

  private async authorize(caller: Principal, action: string, resourceArns: readonly string[]): Promise<void> {
    for (const resourceArn of resourceArns) await this.authorizer.authorize({ principal: caller, action, resourceArn });
  }
}

function invalidToken(token: string): AwsServiceError {
  return new AwsServiceError("InvalidInputException", `Invalid NextToken "${token}"`);
}

function sameSchema(table: Table, input: TableInput): boolean {
  return JSON.stringify([table.StorageDescriptor?.Columns, table.PartitionKeys, table.StorageDescriptor?.SerdeInfo]) === JSON.stringify([input.StorageDescriptor?.Columns, input.PartitionKeys ?? [], input.StorageDescriptor?.SerdeInfo]);
}
