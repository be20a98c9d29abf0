import { AwsServiceError } from "../aws-error";
import type { Authorizer } from "../iam/authorizer";
import type { Principal } from "../iam/principals";
import { DynaliteBackend } from "./dynalite-backend";
import type { TableView } from "./tables";

/**
 * The DynamoDB operations the sandbox serves (DynamoDB API reference): the items' reads and writes a state
 * machine, a function or a user's boto3 test makes, with condition, update, key-condition and filter
 * expressions as dynalite evaluates them; and the tables' lifecycle.
 */
export const DYNAMODB_OPERATIONS = ["CreateTable", "DescribeTable", "DeleteTable", "ListTables", "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan"] as const;
export type DynamoDbOperation = (typeof DYNAMODB_OPERATIONS)[number];

/**
 * DynamoDB in the sandbox: dynalite, a local DynamoDB engine (in memory), behind IAM. Every call is
 * authorized as `dynamodb:<Operation>` on the table's ARN (an index's ARN for Query and Scan on an index),
 * as the Service Authorization Reference lists DynamoDB's actions and resources.
 */
export class DynamoDbService {
  private constructor(
    private readonly backend: DynaliteBackend,
    private readonly region: string,
    private readonly accountId: string,
    private readonly declared: readonly TableView[],
    private readonly authorizer: Authorizer,
  ) {}

  static async start(options: { region: string; accountId: string; tables: readonly TableView[] }, authorizer: Authorizer): Promise<DynamoDbService> {
    const backend = await DynaliteBackend.start(options.region, options.accountId);
    const service = new DynamoDbService(backend, options.region, options.accountId, options.tables, authorizer);
    try {
      await service.createDeclaredTables();
    } catch (error) {
      await backend.stop();
      throw error;
    }
    return service;
  }

  tableArn(tableName: string): string {
    return `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${tableName}`;
  }

  /** One operation as `caller`: authorized, then performed; DynamoDB's errors as AwsServiceError. */
  async call(caller: Principal, operation: DynamoDbOperation, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    await this.authorizer.authorize({ principal: caller, action: `dynamodb:${operation}`, resourceArn: this.resourceOf(operation, body) });
    return this.backend.call(operation, body);
  }

  /** Back to the deployed state: an empty store holding the program's tables. */
  async reset(): Promise<void> {
    await this.backend.restart();
    await this.createDeclaredTables();
  }

  stop(): Promise<void> {
    return this.backend.stop();
  }

  /** ListTables has no resource; the others name a table (TableName), or one of its indexes (IndexName). */
  private resourceOf(operation: DynamoDbOperation, body: Record<string, unknown>): string {
    if (operation === "ListTables") return "*";
    const table = body.TableName;
    if (typeof table !== "string" || table === "") {
      throw new AwsServiceError("ValidationException", "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    }
    const index = body.IndexName;
    const tableArn = this.tableArn(table);
    return (operation === "Query" || operation === "Scan") && typeof index === "string" && index !== "" ? `${tableArn}/index/${index}` : tableArn;
  }

  private async createDeclaredTables(): Promise<void> {
    for (const table of this.declared) {
      try {
        await this.backend.call("CreateTable", table.createTable);
      } catch (error) {
        throw new Error(`aws:dynamodb/table:Table "${table.logicalName}" could not be created: ${(error as Error).message}`);
      }
    }
  }
}
