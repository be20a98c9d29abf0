import { field, ModelError, ofType, requireString, RESOURCE_TYPES, where } from "../model-view";
import type { ModelResource, ProgramModel } from "../program-model";

const TABLE_TYPE = RESOURCE_TYPES.table;

/** A program's aws.dynamodb.Table, as the CreateTable request that makes it (DynamoDB API reference, CreateTable). */
export interface TableView {
  readonly logicalName: string;
  readonly name: string;
  readonly arn: string;
  readonly createTable: Record<string, unknown>;
}

interface IndexInput {
  name?: unknown;
  hashKey?: unknown;
  rangeKey?: unknown;
  projectionType?: unknown;
  nonKeyAttributes?: unknown;
  readCapacity?: unknown;
  writeCapacity?: unknown;
}

function keySchema(hashKey: unknown, rangeKey: unknown): Record<string, string>[] {
  return [
    { AttributeName: String(hashKey), KeyType: "HASH" },
    ...(typeof rangeKey === "string" && rangeKey !== "" ? [{ AttributeName: rangeKey, KeyType: "RANGE" }] : []),
  ];
}

function projection(index: IndexInput): Record<string, unknown> {
  const type = typeof index.projectionType === "string" ? index.projectionType : "ALL";
  const nonKey = Array.isArray(index.nonKeyAttributes) ? index.nonKeyAttributes : [];
  return { ProjectionType: type, ...(nonKey.length > 0 ? { NonKeyAttributes: nonKey } : {}) };
}

function throughput(provisioned: boolean, read: unknown, write: unknown): Record<string, unknown> {
  return provisioned ? { ProvisionedThroughput: { ReadCapacityUnits: Number(read ?? 1), WriteCapacityUnits: Number(write ?? 1) } } : {};
}

function tableView(r: ModelResource): TableView {
  const name = typeof field(r, "name") === "string" ? (field(r, "name") as string) : r.id;
  if (!name) throw new ModelError(`${where(r)} has neither a name nor an id`);
  const hashKey = requireString(r, "hashKey");
  const attributes = field(r, "attributes");
  if (!Array.isArray(attributes) || attributes.length === 0) throw new ModelError(`${where(r)} has no attributes (the key attributes' names and types)`);
  // Pulumi's default billing mode is PROVISIONED, as DynamoDB's is.
  const provisioned = field(r, "billingMode") !== "PAY_PER_REQUEST";
  const gsis = (field(r, "globalSecondaryIndexes") as IndexInput[] | undefined) ?? [];
  const lsis = (field(r, "localSecondaryIndexes") as IndexInput[] | undefined) ?? [];
  const createTable: Record<string, unknown> = {
    TableName: name,
    AttributeDefinitions: (attributes as { name?: unknown; type?: unknown }[]).map((a) => ({ AttributeName: String(a.name), AttributeType: String(a.type) })),
    KeySchema: keySchema(hashKey, field(r, "rangeKey")),
    BillingMode: provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
    ...throughput(provisioned, field(r, "readCapacity"), field(r, "writeCapacity")),
    ...(gsis.length > 0
      ? {
          GlobalSecondaryIndexes: gsis.map((g) => ({
            IndexName: String(g.name),
            KeySchema: keySchema(g.hashKey, g.rangeKey),
            Projection: projection(g),
            ...throughput(provisioned, g.readCapacity, g.writeCapacity),
          })),
        }
      : {}),
    ...(lsis.length > 0
      ? { LocalSecondaryIndexes: lsis.map((l) => ({ IndexName: String(l.name), KeySchema: keySchema(hashKey, l.rangeKey), Projection: projection(l) })) }
      : {}),
  };
  const arn = typeof field(r, "arn") === "string" ? (field(r, "arn") as string) : "";
  return { logicalName: r.name, name, arn, createTable };
}

export function tables(model: ProgramModel): TableView[] {
  return ofType(model, TABLE_TYPE).map(tableView);
}
