import assert from "node:assert/strict";
import {
  compareCodePoints,
  compareTyped,
  ContractError,
  createRowChecker,
  parseFilter,
  parseSchema,
  parseTyped,
  satisfies,
  type Column,
  type ColumnType,
  type FilterOperator,
  type TypedValue,
} from "./filter";
import { ORDERS_SCHEMA as PROGRAM_ORDERS_SCHEMA } from "../../components/etlSettings";

const ORDERS_SCHEMA: Column[] = parseSchema(PROGRAM_ORDERS_SCHEMA);

function typed(type: ColumnType, text: string): TypedValue {
  const parsed = parseTyped(type, text);
  assert.ok(parsed.ok, `${text} should parse as ${type}`);
  return parsed.value;
}

/** Does `left op right` hold, both parsed as `type`? */
function holds(type: ColumnType, left: string, operator: FilterOperator, right: string): boolean {
  const operands = (operator === "in" ? right.split("|") : [right]).map((text) => typed(type, text));
  return satisfies(typed(type, left), operator, operands);
}

describe("parseTyped", () => {
  it("accepts any text, including empty, as a string", () => {
    assert.deepEqual(parseTyped("string", ""), { ok: true, value: { type: "string", value: "" } });
    assert.deepEqual(parseTyped("string", " a, b "), { ok: true, value: { type: "string", value: " a, b " } });
  });

  it("parses ints with an optional sign and rejects anything else", () => {
    assert.deepEqual(parseTyped("int", "-42"), { ok: true, value: { type: "int", value: -42n } });
    assert.deepEqual(parseTyped("int", "+7"), { ok: true, value: { type: "int", value: 7n } });
    assert.deepEqual(parseTyped("int", "12345678901234567890"), {
      ok: true,
      value: { type: "int", value: 12345678901234567890n },
    });
    for (const bad of ["", " 1", "1.0", "1e3", "abc", "--1", "1_000"]) {
      assert.deepEqual(parseTyped("int", bad), { ok: false, reason: `not an int: '${bad}'` });
    }
  });

  it("parses decimals exactly and rejects exponents, bare points and words", () => {
    assert.deepEqual(parseTyped("decimal", "-12.50"), {
      ok: true,
      value: { type: "decimal", value: { coefficient: -1250n, scale: 2 } },
    });
    assert.deepEqual(parseTyped("decimal", "100"), {
      ok: true,
      value: { type: "decimal", value: { coefficient: 100n, scale: 0 } },
    });
    for (const bad of ["", "abc", "1.", ".5", "1e2", "NaN", "Infinity", "1,5", "1.2.3"]) {
      assert.deepEqual(parseTyped("decimal", bad), { ok: false, reason: `not a decimal: '${bad}'` });
    }
  });

  it("parses real calendar dates only", () => {
    for (const good of ["2024-02-29", "2000-02-29", "2023-12-31", "0001-01-01"]) {
      assert.equal(parseTyped("date", good).ok, true, good);
    }
    for (const bad of ["2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "0000-01-01", "2024-1-5", "2024/01/05", "20240105", ""]) {
      assert.deepEqual(parseTyped("date", bad), { ok: false, reason: `not a date (YYYY-MM-DD): '${bad}'` }, bad);
    }
  });
});

describe("typed comparison", () => {
  it("treats decimals of different scale as equal when their values are", () => {
    assert.equal(compareTyped(typed("decimal", "100"), typed("decimal", "100.00")), 0);
    assert.equal(holds("decimal", "100.00", "eq", "100"), true);
    assert.equal(holds("decimal", "100.00", "ne", "100"), false);
    assert.equal(holds("decimal", "-0.0", "eq", "0"), true);
  });

  it("orders decimals exactly, without float rounding", () => {
    assert.equal(holds("decimal", "99.995", "lt", "100"), true);
    assert.equal(holds("decimal", "99.995", "ge", "100"), false);
    assert.equal(holds("decimal", "100.000000000000000001", "gt", "100"), true);
    assert.equal(holds("decimal", "0.1", "lt", "0.10000000000000001"), true);
    assert.equal(holds("decimal", "-5.5", "lt", "-5.49"), true);
  });

  it("orders ints numerically, not as text", () => {
    assert.equal(holds("int", "9", "lt", "10"), true);
    assert.equal(holds("int", "-10", "lt", "-9"), true);
    assert.equal(holds("int", "007", "eq", "7"), true);
  });

  it("orders dates chronologically", () => {
    assert.equal(holds("date", "2024-01-31", "lt", "2024-02-01"), true);
    assert.equal(holds("date", "2024-02-01", "ge", "2024-02-01"), true);
  });

  it("orders strings by code point, as Python does", () => {
    assert.equal(holds("string", "B", "lt", "a"), true);
    assert.equal(holds("string", "abc", "lt", "abd"), true);
    assert.equal(holds("string", "ab", "lt", "abc"), true);
    // U+1F600 is above U+FF21 by code point, though its first UTF-16 unit (0xD83D) is below 0xFF21.
    assert.equal(compareCodePoints("\u{1F600}", "\uFF21"), 1);
    assert.equal(holds("string", "\u{1F600}", "gt", "\uFF21"), true);
  });

  it("refuses to compare values of different types", () => {
    assert.throws(() => compareTyped(typed("int", "1"), typed("decimal", "1")), /cannot compare int with decimal/);
  });
});

describe("operators", () => {
  const cases: Array<[ColumnType, string, FilterOperator, string, boolean]> = [
    ["decimal", "100", "eq", "100.0", true],
    ["decimal", "100.01", "eq", "100", false],
    ["decimal", "100.01", "ne", "100", true],
    ["decimal", "100", "ne", "100.000", false],
    ["decimal", "100.01", "gt", "100", true],
    ["decimal", "100.00", "gt", "100", false],
    ["decimal", "100.00", "ge", "100", true],
    ["decimal", "99.99", "ge", "100", false],
    ["decimal", "99.99", "lt", "100", true],
    ["decimal", "100", "lt", "100", false],
    ["decimal", "100.0", "le", "100", true],
    ["decimal", "100.001", "le", "100", false],
    ["int", "3", "eq", "3", true],
    ["int", "3", "ne", "4", true],
    ["int", "5", "gt", "4", true],
    ["int", "4", "ge", "5", false],
    ["int", "4", "lt", "5", true],
    ["int", "6", "le", "5", false],
    ["string", "SHIPPED", "in", "SHIPPED|DELIVERED", true],
    ["string", "DELIVERED", "in", "SHIPPED|DELIVERED", true],
    ["string", "shipped", "in", "SHIPPED|DELIVERED", false],
    ["string", "", "in", "A||B", true],
    ["decimal", "100.00", "in", "50|100", true],
    ["decimal", "100.01", "in", "50|100", false],
    ["int", "+7", "in", "7|8", true],
    ["date", "2024-03-01", "in", "2024-03-01|2024-03-02", true],
    ["date", "2024-03-03", "in", "2024-03-01|2024-03-02", false],
  ];
  for (const [type, left, operator, right, expected] of cases) {
    it(`${type}: ${JSON.stringify(left)} ${operator} ${JSON.stringify(right)} is ${expected}`, () => {
      assert.equal(holds(type, left, operator, right), expected);
    });
  }
});

describe("parseSchema", () => {
  it("returns the columns of a valid schema in order", () => {
    assert.deepEqual(
      ORDERS_SCHEMA.map((column) => column.name),
      ["order_id", "order_date", "customer_id", "region", "product", "quantity", "unit_price", "amount", "status"],
    );
  });

  it("says what is wrong with an invalid schema", () => {
    assert.throws(() => parseSchema({}), ContractError);
    assert.throws(() => parseSchema([]), /non-empty array/);
    assert.throws(() => parseSchema([{ name: "a", type: "float" }]), /schema\[0\] \(a\)\.type must be one of string, int, decimal, date, got "float"/);
    assert.throws(() => parseSchema([{ type: "int" }]), /schema\[0\]\.name must be a non-empty string/);
    assert.throws(() => parseSchema([{ name: "a", type: "int" }, { name: "a", type: "int" }]), /column a twice/);
  });
});

describe("parseFilter", () => {
  it("accepts the default filter", () => {
    assert.deepEqual(parseFilter({ column: "amount", operator: "ge", value: "100" }, ORDERS_SCHEMA), {
      column: "amount",
      operator: "ge",
      value: "100",
    });
  });

  it("says what is wrong with an invalid filter", () => {
    assert.throws(() => parseFilter({ column: "price", operator: "ge", value: "1" }, ORDERS_SCHEMA), /filter\.column must name a schema column .* got "price"/);
    assert.throws(() => parseFilter({ column: "amount", operator: ">=", value: "1" }, ORDERS_SCHEMA), /filter\.operator must be one of eq, ne, gt, ge, lt, le, in/);
    assert.throws(() => parseFilter({ column: "amount", operator: "ge", value: 100 }, ORDERS_SCHEMA), /filter\.value must be a string/);
    assert.throws(() => parseFilter({ column: "amount", operator: "ge", value: "lots" }, ORDERS_SCHEMA), /filter\.value for amount \(decimal\): not a decimal: 'lots'/);
    assert.throws(() => parseFilter({ column: "quantity", operator: "in", value: "1|two" }, ORDERS_SCHEMA), /not an int: 'two'/);
    assert.throws(() => parseFilter(null, ORDERS_SCHEMA), ContractError);
  });
});

describe("createRowChecker", () => {
  const checker = createRowChecker(ORDERS_SCHEMA, { column: "amount", operator: "ge", value: "100" });
  const row = (amount: string, overrides: Partial<Record<number, string>> = {}): string[] => {
    const fields = ["ORD-1", "2024-03-01", "C-1", "EU", "Widget, large", "2", "50.00", amount, "SHIPPED"];
    for (const [index, value] of Object.entries(overrides)) {
      fields[Number(index)] = value as string;
    }
    return fields;
  };

  it("accepts a row that parses and satisfies the filter", () => {
    assert.equal(checker.check(row("100.00")), undefined);
    assert.equal(checker.describeFilter, "amount ge 100");
  });

  it("reports a row that breaks the filter", () => {
    assert.deepEqual(checker.check(row("99.995")), {
      kind: "filter",
      column: "amount",
      reason: "amount '99.995' does not satisfy the filter amount ge 100",
    });
  });

  it("reports the first field that does not parse", () => {
    assert.deepEqual(checker.check(row("100", { 1: "2024-02-30", 5: "x" })), {
      kind: "unparsable",
      column: "order_date",
      reason: "order_date: not a date (YYYY-MM-DD): '2024-02-30'",
    });
  });

  it("reports a wrong field count", () => {
    assert.deepEqual(checker.check(row("100").slice(0, 7)), {
      kind: "field-count",
      reason: "expected 9 fields, got 7",
    });
  });
});
