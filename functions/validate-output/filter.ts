/**
 * The data contract's types and row filter, as pure functions: parse a field by its column type, compare
 * typed values exactly (decimals as scaled integers, strings by code point), and decide whether a row
 * satisfies the filter. No I/O here; the handler and the tests share this one definition.
 */

export const COLUMN_TYPES = ["string", "int", "decimal", "date"] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const FILTER_OPERATORS = ["eq", "ne", "gt", "ge", "lt", "le", "in"] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

export interface RowFilter {
  readonly column: string;
  readonly operator: FilterOperator;
  /** The operand as text; for `in`, alternatives separated by "|". */
  readonly value: string;
}

/** An exact decimal: coefficient × 10^-scale. */
export interface Decimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

export type TypedValue =
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "int"; readonly value: bigint }
  | { readonly type: "decimal"; readonly value: Decimal }
  /** ISO YYYY-MM-DD, whose text order is date order. */
  | { readonly type: "date"; readonly value: string };

export type ParseResult =
  | { readonly ok: true; readonly value: TypedValue }
  | { readonly ok: false; readonly reason: string };

/** A schema or filter that does not follow the contract. */
export class ContractError extends Error {
  override readonly name = "ContractError";
}

const INT = /^[+-]?\d+$/;
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses one field as its column type, or says why it does not parse (the contract's wording). */
export function parseTyped(type: ColumnType, text: string): ParseResult {
  switch (type) {
    case "string":
      return { ok: true, value: { type, value: text } };
    case "int":
      return INT.test(text)
        ? { ok: true, value: { type, value: BigInt(text) } }
        : { ok: false, reason: `not an int: ${quote(text)}` };
    case "decimal": {
      const value = parseDecimal(text);
      return value === undefined
        ? { ok: false, reason: `not a decimal: ${quote(text)}` }
        : { ok: true, value: { type, value } };
    }
    case "date":
      return isCalendarDate(text)
        ? { ok: true, value: { type, value: text } }
        : { ok: false, reason: `not a date (YYYY-MM-DD): ${quote(text)}` };
  }
}

/** Exact decimal from text: optional sign, digits, optional "." digits. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text);
  if (match === null) {
    return undefined;
  }
  const [, sign, whole, fraction = ""] = match;
  const magnitude = BigInt(whole + fraction);
  return { coefficient: sign === "-" ? -magnitude : magnitude, scale: fraction.length };
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) {
    return false;
  }
  const [year, month, day] = match.slice(1).map(Number);
  if (year < 1 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= daysInMonth;
}

/** -1, 0 or 1 as `a` sorts before, equal to, or after `b`; both must be of the same type. */
export function compareTyped(a: TypedValue, b: TypedValue): number {
  if (a.type !== b.type) {
    throw new TypeError(`cannot compare ${a.type} with ${b.type}`);
  }
  switch (a.type) {
    case "int":
      return sign(a.value - (b.value as bigint));
    case "decimal":
      return compareDecimals(a.value, b.value as Decimal);
    case "string":
    case "date":
      return compareCodePoints(a.value, b.value as string);
  }
}

/** Compares exactly by bringing both to the larger scale: "100" equals "100.00", "99.995" is below "100". */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const left = a.coefficient * 10n ** BigInt(scale - a.scale);
  const right = b.coefficient * 10n ** BigInt(scale - b.scale);
  return sign(left - right);
}

/**
 * Code point order (as Python compares str). JavaScript's `<` compares UTF-16 code units, which puts
 * characters above U+FFFF before U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) {
      return x.done && y.done ? 0 : x.done ? -1 : 1;
    }
    const difference = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (difference !== 0) {
      return Math.sign(difference);
    }
  }
}

function sign(value: bigint): number {
  return value < 0n ? -1 : value > 0n ? 1 : 0;
}

/** Validates the schema JSON (an array of {name, type}); throws ContractError saying what is wrong. */
export function parseSchema(json: unknown): Column[] {
  if (!Array.isArray(json) || json.length === 0) {
    throw new ContractError(`schema must be a non-empty array of {"name","type"}, got ${JSON.stringify(json)}`);
  }
  const seen = new Set<string>();
  return json.map((entry: unknown, index) => {
    const { name, type } = (entry ?? {}) as { name?: unknown; type?: unknown };
    if (typeof name !== "string" || name === "") {
      throw new ContractError(`schema[${index}].name must be a non-empty string, got ${JSON.stringify(name)}`);
    }
    if (!COLUMN_TYPES.includes(type as ColumnType)) {
      throw new ContractError(
        `schema[${index}] (${name}).type must be one of ${COLUMN_TYPES.join(", ")}, got ${JSON.stringify(type)}`,
      );
    }
    if (seen.has(name)) {
      throw new ContractError(`schema has column ${name} twice`);
    }
    seen.add(name);
    return { name, type: type as ColumnType };
  });
}

/** Validates the filter JSON against the schema; its value must parse as the column's type. */
export function parseFilter(json: unknown, schema: readonly Column[]): RowFilter {
  const { column, operator, value } = (json ?? {}) as { column?: unknown; operator?: unknown; value?: unknown };
  const target = schema.find((candidate) => candidate.name === column);
  if (target === undefined) {
    throw new ContractError(
      `filter.column must name a schema column (${schema.map((c) => c.name).join(", ")}), got ${JSON.stringify(column)}`,
    );
  }
  if (!FILTER_OPERATORS.includes(operator as FilterOperator)) {
    throw new ContractError(
      `filter.operator must be one of ${FILTER_OPERATORS.join(", ")}, got ${JSON.stringify(operator)}`,
    );
  }
  if (typeof value !== "string") {
    throw new ContractError(`filter.value must be a string, got ${JSON.stringify(value)}`);
  }
  const filter: RowFilter = { column: target.name, operator: operator as FilterOperator, value };
  operands(filter, target.type); // throws when the value does not parse as the column's type
  return filter;
}

/** The filter's operand(s) parsed by the column's type. */
function operands(filter: RowFilter, type: ColumnType): TypedValue[] {
  const texts = filter.operator === "in" ? filter.value.split("|") : [filter.value];
  return texts.map((text) => {
    const parsed = parseTyped(type, text);
    if (!parsed.ok) {
      throw new ContractError(`filter.value for ${filter.column} (${type}): ${parsed.reason}`);
    }
    return parsed.value;
  });
}

/** Whether a value satisfies `operator` against the operands. */
export function satisfies(value: TypedValue, operator: FilterOperator, against: readonly TypedValue[]): boolean {
  if (operator === "in") {
    return against.some((candidate) => compareTyped(value, candidate) === 0);
  }
  const order = compareTyped(value, against[0]);
  switch (operator) {
    case "eq":
      return order === 0;
    case "ne":
      return order !== 0;
    case "gt":
      return order > 0;
    case "ge":
      return order >= 0;
    case "lt":
      return order < 0;
    case "le":
      return order <= 0;
  }
}

/** Why a data row is not acceptable output; `column` names the field at fault when there is one. */
export interface RowProblem {
  readonly kind: "field-count" | "unparsable" | "filter";
  readonly column?: string;
  readonly reason: string;
}

/** A row checker built once per run: parses every field by type and applies the filter. */
export interface RowChecker {
  /** undefined when the row parses and satisfies the filter. */
  check(fields: readonly string[]): RowProblem | undefined;
  /** The filter as one phrase, e.g. `amount ge 100`. */
  readonly describeFilter: string;
}

export function createRowChecker(schema: readonly Column[], filter: RowFilter): RowChecker {
  const columnIndex = schema.findIndex((column) => column.name === filter.column);
  if (columnIndex < 0) {
    throw new ContractError(`filter column ${filter.column} is not in the schema`);
  }
  const against = operands(filter, schema[columnIndex].type);
  const describeFilter = `${filter.column} ${filter.operator} ${filter.value}`;
  return {
    describeFilter,
    check(fields) {
      if (fields.length !== schema.length) {
        return { kind: "field-count", reason: `expected ${schema.length} fields, got ${fields.length}` };
      }
      let filterValue: TypedValue | undefined;
      for (let index = 0; index < schema.length; index++) {
        const parsed = parseTyped(schema[index].type, fields[index]);
        if (!parsed.ok) {
          return { kind: "unparsable", column: schema[index].name, reason: `${schema[index].name}: ${parsed.reason}` };
        }
        if (index === columnIndex) {
          filterValue = parsed.value;
        }
      }
      if (filterValue !== undefined && !satisfies(filterValue, filter.operator, against)) {
        return {
          kind: "filter",
          column: filter.column,
          reason: `${filter.column} ${quote(fields[columnIndex])} does not satisfy the filter ${describeFilter}`,
        };
      }
      return undefined;
    },
  };
}

/** Quotes a field for a message in single quotes, as the ETL's reject reasons do. */
function quote(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
