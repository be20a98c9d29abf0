import type { Column, Partition, StorageDescriptor, TableInput } from "./catalog";
import type { Classification } from "./crawler-classify";

/**
 * Which tables one S3 include path makes, as "How does a crawler determine when to create partitions?" (Glue
 * developer guide) describes it: the crawler finds the root of a table in the folder structure; "when the
 * majority of schemas at a folder level are similar, the crawler creates partitions of a table instead of
 * separate tables"; the table is named after the S3 prefix or folder; the folders below its root are its
 * partitions, with `key=value` folder names giving the partition key's name (year=2019/month=Jan -> keys year,
 * month) and other folders partition_0, partition_1...
 * "Similar" is taken strictly here: the same format and the same columns (for JSON, one file's columns may be
 * a subset of another's, which merges them), and files at the same depth below the root. Where files differ,
 * each folder below becomes a table root of its own, and files directly at that level each become a table
 * named after the file.
 */

export interface ClassifiedFile {
  /** The object's key, below the include path, split at "/". */
  readonly segments: readonly string[];
  readonly classification: Exclude<Classification, { kind: "unsupported" }>;
  readonly size: number;
}

export interface PlannedTable {
  /** The table's name before the crawler's TablePrefix, folded as Glue folds names. */
  readonly name: string;
  readonly location: string;
  readonly classification: ClassifiedFile["classification"];
  readonly partitionKeys: readonly Column[];
  readonly partitions: readonly Partition[];
  readonly objectCount: number;
  readonly sizeKey: number;
}

/** Glue folds names to lower case; the crawler replaces what a Hive name cannot hold with "_". */
export function tableNameOf(folderOrFile: string): string {
  return folderOrFile.toLowerCase().replace(/[^a-z0-9_]/g, "_");
}

/** `bucket` and `prefix` (no leading or trailing "/") are the include path; `files` are the objects below it. */
export function planTables(bucket: string, prefix: string, files: readonly ClassifiedFile[]): PlannedTable[] {
  const root = prefix === "" ? [] : prefix.split("/");
  return tablesAt(bucket, root, files);
}

function tablesAt(bucket: string, root: readonly string[], files: readonly ClassifiedFile[]): PlannedTable[] {
  if (files.length === 0) return [];
  const rootName = root.length > 0 ? root[root.length - 1] : bucket;
  const depth = files[0].segments.length;
  if (files.every((f) => f.segments.length === depth) && allSimilar(files)) return [table(bucket, root, rootName, files)];
  const tables: PlannedTable[] = [];
  const direct = files.filter((f) => f.segments.length === 1);
  if (direct.length > 0 && allSimilar(direct)) tables.push(table(bucket, root, rootName, direct));
  else for (const file of direct) tables.push(table(bucket, root, file.segments[0], [file], file.segments[0]));
  const children = new Map<string, ClassifiedFile[]>();
  for (const file of files.filter((f) => f.segments.length > 1)) {
    const [child, ...rest] = file.segments;
    children.set(child, [...(children.get(child) ?? []), { ...file, segments: rest }]);
  }
  for (const [child, below] of children) tables.push(...tablesAt(bucket, [...root, child], below));
  return tables;
}

function table(bucket: string, root: readonly string[], name: string, files: readonly ClassifiedFile[], singleFile?: string): PlannedTable {
  const folderUri = `s3://${bucket}/${root.map((s) => `${s}/`).join("")}`;
  const levels = files[0].segments.length - 1;
  const partitionKeys: Column[] = [];
  for (let level = 0; level < levels; level++) {
    const keys = new Set(files.map((f) => /^([^=]+)=/.exec(f.segments[level])?.[1]));
    const key = keys.size === 1 ? [...keys][0] : undefined;
    partitionKeys.push({ Name: key !== undefined ? key.toLowerCase() : `partition_${level}`, Type: "string" });
  }
  const partitions = new Map<string, Partition>();
  for (const file of files) {
    if (levels === 0) break;
    const folders = file.segments.slice(0, levels);
    const values = folders.map((folder, i) => (partitionKeys[i].Name.startsWith("partition_") ? folder : folder.slice(folder.indexOf("=") + 1)));
    partitions.set(JSON.stringify(values), { Values: values, Location: `${folderUri}${folders.map((s) => `${s}/`).join("")}` });
  }
  return {
    name: tableNameOf(name),
    location: singleFile !== undefined ? `${folderUri}${singleFile}` : folderUri,
    classification: merged(files.map((f) => f.classification)),
    partitionKeys,
    partitions: [...partitions.values()],
    objectCount: files.length,
    sizeKey: files.reduce((sum, f) => sum + f.size, 0),
  };
}

function allSimilar(files: readonly ClassifiedFile[]): boolean {
  const first = files[0].classification;
  return files.every((f) => similar(first, f.classification) || similar(f.classification, first));
}

/** Same format and columns; a JSON schema whose columns all appear in the other's is similar to it. */
function similar(a: ClassifiedFile["classification"], b: ClassifiedFile["classification"]): boolean {
  if (a.kind === "UNKNOWN" || b.kind === "UNKNOWN") return a.kind === b.kind;
  if (a.kind === "csv" && b.kind === "csv") {
    return a.delimiter === b.delimiter && a.header === b.header && JSON.stringify(a.columns.map((c) => c.Name)) === JSON.stringify(b.columns.map((c) => c.Name));
  }
  if (a.kind === "json" && b.kind === "json") {
    const names = new Set(b.columns.map((c) => c.Name));
    return a.columns.every((c) => names.has(c.Name));
  }
  return false;
}

/** One schema for a table's files: columns in first-seen order, types widened as the classifier widens them. */
function merged(classifications: readonly ClassifiedFile["classification"][]): ClassifiedFile["classification"] {
  const first = classifications[0];
  if (first.kind === "UNKNOWN") return first;
  const types = new Map<string, string>();
  for (const c of classifications) {
    if (c.kind === "UNKNOWN") continue;
    for (const column of c.columns) {
      const known = types.get(column.Name);
      types.set(column.Name, known === undefined || known === column.Type ? column.Type : widen(known, column.Type));
    }
  }
  const columns = [...types].map(([Name, Type]) => ({ Name, Type }));
  return { ...first, columns };
}

function widen(a: string, b: string): string {
  const numeric = ["int", "bigint", "double"];
  if (numeric.includes(a) && numeric.includes(b)) return numeric[Math.max(numeric.indexOf(a), numeric.indexOf(b))];
  return "string";
}

const TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
const TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
const SERDES = { csv: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", json: "org.openx.data.jsonserde.JsonSerDe" } as const;

/** The Data Catalog table a planned table is written as (an external table of text files, as crawled tables are). */
export function tableInput(planned: PlannedTable, tablePrefix: string, crawlerName: string): TableInput {
  const c = planned.classification;
  const parameters: Record<string, string> = {
    classification: c.kind === "UNKNOWN" ? "UNKNOWN" : c.kind,
    typeOfData: "file",
    compressionType: "none",
    objectCount: String(planned.objectCount),
    sizeKey: String(planned.sizeKey),
    UPDATED_BY_CRAWLER: crawlerName,
    CrawlerSchemaSerializerVersion: "1.0",
    CrawlerSchemaDeserializerVersion: "1.0",
    ...(c.kind === "csv" ? { delimiter: c.delimiter, areColumnsQuoted: "false", columnsOrdered: "true", ...(c.header ? { "skip.header.line.count": "1" } : {}) } : {}),
  };
  const columns = c.kind === "UNKNOWN" ? [] : c.columns;
  const serde: StorageDescriptor["SerdeInfo"] =
    c.kind === "csv"
      ? { SerializationLibrary: SERDES.csv, Parameters: { "field.delim": c.delimiter } }
      : c.kind === "json"
        ? { SerializationLibrary: SERDES.json, Parameters: { paths: columns.map((col) => col.Name).join(",") } }
        : { Parameters: {} };
  return {
    Name: `${tablePrefix}${planned.name}`.toLowerCase(),
    Owner: "owner",
    Retention: 0,
    PartitionKeys: planned.partitionKeys,
    TableType: "EXTERNAL_TABLE",
    Parameters: parameters,
    StorageDescriptor: {
      Columns: columns,
      Location: planned.location,
      InputFormat: TEXT_INPUT,
      OutputFormat: TEXT_OUTPUT,
      Compressed: false,
      NumberOfBuckets: -1,
      SerdeInfo: serde,
      BucketColumns: [],
      SortColumns: [],
      Parameters: parameters,
      StoredAsSubDirectories: false,
    },
  };
}
