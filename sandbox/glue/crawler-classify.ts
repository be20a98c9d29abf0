import type { Column } from "./catalog";

/**
 * The built-in classifiers a crawl runs on one S3 object, as the Glue developer guide's "Adding classifiers to
 * a crawler" documents them, for the two text formats the sandbox classifies:
 * - JSON ("Reads the beginning of the file to determine format"): JSON objects, one per line, or one object.
 * - CSV: delimiters comma, pipe, tab, semicolon and Ctrl-A, tried in that order; "the table schema must have at
 *   least two columns and two rows of data"; a header is inferred when every column of the first row parses as
 *   STRING, is under 150 characters (but the last, which may be empty), is a valid column name, and one or more
 *   other rows parse as other than STRING ("sufficiently different"); otherwise the columns are numbered.
 * Tables reference LazySimpleSerDe for CSV ("The built-in CSV classifier creates tables referencing the
 * LazySimpleSerDe") and the OpenX JSON SerDe for JSON.
 * A file no built-in classifier recognizes is UNKNOWN ("If no classifier returns a certainty greater than 0.0,
 * AWS Glue returns the default classification string of UNKNOWN"). Formats Glue recognizes but the sandbox does
 * not read (Avro, ORC, Parquet, XML, compressed files) are reported as such, so the crawl refuses them by name.
 */

export type Classification =
  | { readonly kind: "csv"; readonly delimiter: string; readonly header: boolean; readonly columns: readonly Column[] }
  | { readonly kind: "json"; readonly columns: readonly Column[] }
  | { readonly kind: "UNKNOWN" }
  | { readonly kind: "unsupported"; readonly format: string };

/** The crawler reads the first 1,000 records or the first megabyte of a CSV file, whichever comes first. */
export const SAMPLE_BYTES = 1024 * 1024;
const SAMPLE_RECORDS = 1000;
const CSV_DELIMITERS = [",", "|", "\t", ";", "\u0001"] as const;
const HEADER_CELL_LIMIT = 150;
/** Model shape NameString (a Column's Name): 1..255 characters of this set. */
const COLUMN_NAME = /^[\u0020-\uD7FF\uE000-\uFFFD\t]{1,255}$/u;

/** Magic numbers of the formats Glue classifies before JSON and CSV, which the sandbox does not read. */
const MAGIC: readonly { readonly format: string; readonly test: (b: Buffer) => boolean }[] = [
  { format: "avro", test: (b) => b.subarray(0, 4).equals(Buffer.from([0x4f, 0x62, 0x6a, 0x01])) },
  { format: "orc", test: (b) => b.subarray(0, 3).toString("latin1") === "ORC" },
  { format: "parquet", test: (b) => b.subarray(0, 4).toString("latin1") === "PAR1" },
  { format: "gzip-compressed", test: (b) => b[0] === 0x1f && b[1] === 0x8b },
  { format: "bzip2-compressed", test: (b) => b.subarray(0, 3).toString("latin1") === "BZh" },
  { format: "zip-compressed", test: (b) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) },
  { format: "xml", test: (b) => /^\s*<(\?xml|[A-Za-z])/.test(b.subarray(0, 64).toString("utf8")) },
];

/** Classifies a file from its first bytes; `truncated` says the sample stops before the file's end. */
export function classify(sample: Buffer, truncated: boolean): Classification {
  for (const magic of MAGIC) if (sample.length > 0 && magic.test(sample)) return { kind: "unsupported", format: magic.format };
  const text = sample.toString("utf8").replace(/^\uFEFF/, "");
  return classifyJson(text, truncated) ?? classifyCsv(text, truncated) ?? { kind: "UNKNOWN" };
}

// ---------------------------------------------------------------- JSON

function classifyJson(text: string, truncated: boolean): Classification | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return undefined;
  const records: Record<string, unknown>[] = [];
  const whole = parseObject(trimmed);
  if (whole) {
    records.push(whole);
  } else {
    const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== "");
    // The sample may cut the last record short.
    if (truncated) lines.pop();
    for (const line of lines.slice(0, SAMPLE_RECORDS)) {
      const record = parseObject(line.trim());
      if (!record) return undefined;
      records.push(record);
    }
  }
  if (records.length === 0) return undefined;
  const types = new Map<string, string>();
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) {
      const type = jsonType(value);
      if (type === undefined) {
        if (!types.has(key)) types.set(key, "");
        continue;
      }
      const known = types.get(key);
      types.set(key, known === undefined || known === "" ? type : mergeTypes(known, type));
    }
  }
  return { kind: "json", columns: [...types].map(([name, type]) => ({ Name: name.toLowerCase(), Type: type === "" ? "string" : type })) };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Hive types of JSON values: int when it fits 32 bits, else bigint; double; boolean; string; array<>; struct<>. */
function jsonType(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? (Math.abs(value) <= 2147483647 ? "int" : "bigint") : "double";
  if (typeof value === "string") return "string";
  if (Array.isArray(value)) {
    const element = value.map(jsonType).filter((t): t is string => t !== undefined).reduce<string | undefined>((a, b) => (a === undefined ? b : mergeTypes(a, b)), undefined);
    return `array<${element ?? "string"}>`;
  }
  const fields = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k.toLowerCase()}:${jsonType(v) ?? "string"}`);
  return `struct<${fields.join(",")}>`;
}

// ---------------------------------------------------------------- CSV

function classifyCsv(text: string, truncated: boolean): Classification | undefined {
  for (const delimiter of CSV_DELIMITERS) {
    const rows = parseCsv(text, delimiter, truncated);
    if (rows === undefined || rows.length < 2) continue;
    const width = rows[0].length;
    if (width < 2 || rows.some((r) => r.length !== width)) continue;
    return csvSchema(rows, delimiter);
  }
  return undefined;
}

function csvSchema(rows: readonly string[][], delimiter: string): Classification {
  const [first, ...rest] = rows;
  const header = isHeader(first, rest);
  const data = header ? rest : rows;
  const columns = first.map((cell, i) => ({
    // Crawled tables number header-less columns from col0 (the guide's "col1, col2, col3" wording is illustrative).
    Name: header ? cell.trim().toLowerCase() : `col${i}`,
    Type: columnType(data.map((r) => r[i])),
  }));
  return { kind: "csv", delimiter, header, columns };
}

/** The developer guide's four header conditions, checked in its order. */
function isHeader(first: readonly string[], rest: readonly string[][]): boolean {
  const last = first.length - 1;
  const lastEmptyThroughout = first[last].trim() === "" && rest.every((r) => r[last].trim() === "");
  for (const [i, raw] of first.entries()) {
    const cell = raw.trim();
    if (i === last && lastEmptyThroughout) continue;
    if (valueType(cell) !== "string") return false;
    if (i !== last && cell.length >= HEADER_CELL_LIMIT) return false;
    if (!COLUMN_NAME.test(cell)) return false;
  }
  return first.some((_, i) => columnType(rest.map((r) => r[i])) !== "string");
}

/** A column's type over its values: one type, bigint and double widen to double, anything else is string. */
function columnType(values: readonly string[]): string {
  let type: string | undefined;
  for (const raw of values) {
    const t = valueType(raw.trim());
    if (t === undefined) continue;
    type = type === undefined ? t : mergeTypes(type, t);
  }
  return type ?? "string";
}

function valueType(value: string): string | undefined {
  if (value === "") return undefined;
  if (/^(true|false)$/i.test(value)) return "boolean";
  if (/^[+-]?\d+$/.test(value)) return "bigint";
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/.test(value)) return "double";
  return "string";
}

function mergeTypes(a: string, b: string): string {
  if (a === b) return a;
  const numeric = new Set(["int", "bigint", "double"]);
  if (numeric.has(a) && numeric.has(b)) return a === "double" || b === "double" ? "double" : "bigint";
  return "string";
}

/**
 * Rows of delimited text (RFC 4180 quoting with "), at most SAMPLE_RECORDS; a truncated sample drops its last,
 * possibly partial, row. Undefined when a quote never closes (not this delimiter's CSV).
 */
function parseCsv(text: string, delimiter: string, truncated: boolean): string[][] | undefined {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(cell);
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
    cell = "";
  };
  while (i < text.length && rows.length <= SAMPLE_RECORDS) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === "") quoted = true;
    else if (c === delimiter) {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRow();
    } else cell += c;
    i++;
  }
  if (quoted && !truncated) return undefined;
  if (i >= text.length && !truncated && (cell !== "" || row.length > 0)) endRow();
  // A row the sample cut short was never ended, so it is not among the rows.
  rows.splice(SAMPLE_RECORDS);
  return rows;
}
