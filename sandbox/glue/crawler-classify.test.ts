import * as assert from "node:assert/strict";
import { AwsServiceError } from "../aws-error";
import { classify } from "./crawler-classify";
import { crawlerDefinition } from "./crawler-definition";
import { exclusionMatcher } from "./crawler-exclusions";
import { planTables, tableInput, type ClassifiedFile } from "./crawler-tables";

const text = (s: string) => Buffer.from(s, "utf8");

/**
 * The built-in classifiers ("Adding classifiers to a crawler", Built-in CSV classifier), the exclude patterns
 * ("Include and exclude patterns") and the table/partition grouping ("How does a crawler determine when to
 * create partitions?"), each expectation written from the developer guide before running.
 */
describe("crawler: built-in CSV classifier", () => {
  it("a first row of strings over rows with numbers is a header; columns are typed bigint, double, boolean, string", () => {
    const c = classify(text("id,price,active,name\n1,2.50,true,Widget\n2,3,false,Gadget\n"), false);
    assert.equal(c.kind, "csv");
    if (c.kind !== "csv") return;
    assert.equal(c.header, true);
    assert.equal(c.delimiter, ",");
    assert.deepEqual(c.columns, [
      { Name: "id", Type: "bigint" },
      { Name: "price", Type: "double" },
      { Name: "active", Type: "boolean" },
      { Name: "name", Type: "string" },
    ]);
  });

  it("all-string data: the first row is not sufficiently different, so it is data and the columns are numbered", () => {
    const c = classify(text("city,country\nParis,France\nLima,Peru\n"), false);
    assert.equal(c.kind, "csv");
    if (c.kind !== "csv") return;
    assert.equal(c.header, false);
    assert.deepEqual(c.columns.map((col) => col.Name), ["col0", "col1"]);
    assert.deepEqual(c.columns.map((col) => col.Type), ["string", "string"]);
  });

  it("a first row holding a number is no header (every header column must parse as STRING)", () => {
    const c = classify(text("a,1\nb,2\nc,3\n"), false);
    assert.ok(c.kind === "csv" && !c.header);
    assert.deepEqual(c.kind === "csv" && c.columns, [{ Name: "col0", Type: "string" }, { Name: "col1", Type: "bigint" }]);
  });

  it("a header column of 150 characters or more is no header", () => {
    const long = "x".repeat(150);
    const c = classify(text(`${long},b\n1,2\n3,4\n`), false);
    assert.ok(c.kind === "csv" && !c.header);
  });

  it("pipe, tab, semicolon and Ctrl-A delimiters are recognized", () => {
    for (const d of ["|", "\t", ";", "\u0001"]) {
      const c = classify(text(`k${d}v\nx${d}1\ny${d}2\n`), false);
      assert.ok(c.kind === "csv", `delimiter ${JSON.stringify(d)}`);
      assert.equal(c.kind === "csv" && c.delimiter, d);
      assert.equal(c.kind === "csv" && c.header, true);
    }
  });

  it("one column, or one row, is not CSV (at least two columns and two rows): UNKNOWN", () => {
    assert.equal(classify(text("just\nsome\nwords\n"), false).kind, "UNKNOWN");
    assert.equal(classify(text("a,b,c\n"), false).kind, "UNKNOWN");
  });

  it("quoted cells may hold the delimiter and doubled quotes", () => {
    const c = classify(text('name,qty\n"Smith, J",1\n"say ""hi""",2\n'), false);
    assert.ok(c.kind === "csv" && c.header);
    assert.deepEqual(c.kind === "csv" && c.columns, [{ Name: "name", Type: "string" }, { Name: "qty", Type: "bigint" }]);
  });

  it("a sample cut short drops its partial last row", () => {
    const c = classify(text("id,name\n1,a\n2,b\n3,c"), true);
    assert.ok(c.kind === "csv" && c.header);
  });
});

describe("crawler: built-in JSON classifier", () => {
  it("JSON lines: columns in first-seen order, int/double widen to double, nested values typed", () => {
    const c = classify(text('{"id":1,"amount":2,"tags":["a"],"who":{"n":"x"}}\n{"id":2,"amount":2.5,"extra":true}\n'), false);
    assert.equal(c.kind, "json");
    assert.deepEqual(c.kind === "json" && c.columns, [
      { Name: "id", Type: "int" },
      { Name: "amount", Type: "double" },
      { Name: "tags", Type: "array<string>" },
      { Name: "who", Type: "struct<n:string>" },
      { Name: "extra", Type: "boolean" },
    ]);
  });

  it("Parquet, Avro and gzip are recognized as formats the sandbox does not read, not as UNKNOWN", () => {
    assert.deepEqual(classify(Buffer.from("PAR1\u0000\u0000"), false), { kind: "unsupported", format: "parquet" });
    assert.deepEqual(classify(Buffer.from([0x4f, 0x62, 0x6a, 0x01, 0]), false), { kind: "unsupported", format: "avro" });
    assert.deepEqual(classify(Buffer.from([0x1f, 0x8b, 8, 0]), false), { kind: "unsupported", format: "gzip-compressed" });
  });
});

describe("crawler: exclude patterns", () => {
  // The developer guide's example: include path s3://mybucket/myfolder/.
  const keys = ["departments/finance.json", "departments/market-us.json", "departments/market-emea.json", "employees/hr.json", "employees/john.csv", "employees/juan.txt"];
  const kept = (patterns: string[]) => keys.filter((k) => !exclusionMatcher(patterns)(k));

  it("departments/** excludes everything below departments", () => {
    assert.deepEqual(kept(["departments/**"]), ["employees/hr.json", "employees/john.csv", "employees/juan.txt"]);
  });
  it("departments/market* excludes the market files only", () => {
    assert.deepEqual(kept(["departments/market*"]), ["departments/finance.json", "employees/hr.json", "employees/john.csv", "employees/juan.txt"]);
  });
  it("**.csv excludes .csv below every folder; *.csv only in the include folder itself", () => {
    assert.deepEqual(kept(["**.csv"]), keys.filter((k) => k !== "employees/john.csv"));
    assert.deepEqual(kept(["*.csv"]), keys);
  });
  it("brace groups and negated brackets: 2015/01/{[!0],0[8-9]}** keeps days 01-07 only", () => {
    const days = ["2015/01/01/a.json", "2015/01/07/a.json", "2015/01/08/a.json", "2015/01/10/a.json", "2015/01/31/a.json"];
    const matcher = exclusionMatcher(["2015/01/{[!0],0[8-9]}**"]);
    assert.deepEqual(days.filter((d) => !matcher(d)), ["2015/01/01/a.json", "2015/01/07/a.json"]);
  });
  it("nested groups and unclosed brackets are refused (\"Groups cannot be nested\"), as CreateCrawler refuses them", () => {
    assert.throws(() => exclusionMatcher(["{a,{b,c}}"]), /nests groups, which Glue does not allow/);
    assert.throws(() => exclusionMatcher(["[abc"]), /has a "\[" without "\]"/);
    assert.throws(
      () => crawlerDefinition({ Name: "c", Role: "r", DatabaseName: "d", Targets: { S3Targets: [{ Path: "s3://b/p", Exclusions: ["{x"] }] } }),
      (e: unknown) => e instanceof AwsServiceError && e.code === "InvalidInputException" && /Crawler c: Exclusion pattern "\{x" has a "\{" without "\}"/.test(e.message),
    );
  });
  it("with a single * lower folder levels are not excluded", () => {
    assert.equal(exclusionMatcher(["2015/01/0[8-9]*"])("2015/01/08/a.json"), false);
    assert.equal(exclusionMatcher(["2015/01/0[8-9]*"])("2015/01/08"), true);
  });
});

describe("crawler: tables and partitions", () => {
  const csv = (names: string[]): ClassifiedFile["classification"] => ({ kind: "csv", delimiter: ",", header: true, columns: names.map((n) => ({ Name: n, Type: "bigint" })) });
  const file = (key: string, classification = csv(["id", "qty"])): ClassifiedFile => ({ segments: key.split("/"), classification, size: 10 });

  it("key=value folders of similar files are one table named after the include folder, partitioned by the keys", () => {
    const tables = planTables("sales", "data", [file("year=2019/month=Jan/a.csv"), file("year=2019/month=Feb/b.csv"), file("year=2020/month=Jan/c.csv")]);
    assert.equal(tables.length, 1);
    assert.equal(tables[0].name, "data");
    assert.equal(tables[0].location, "s3://sales/data/");
    assert.deepEqual(tables[0].partitionKeys, [{ Name: "year", Type: "string" }, { Name: "month", Type: "string" }]);
    assert.deepEqual(tables[0].partitions.map((p) => p.Values), [["2019", "Jan"], ["2019", "Feb"], ["2020", "Jan"]]);
    assert.equal(tables[0].partitions[0].Location, "s3://sales/data/year=2019/month=Jan/");
  });

  it("similar files in plain folders make partition_0 keys (the guide's table1/table2 example)", () => {
    const tables = planTables("bucket01", "folder1", [file("table1/partition1/file.txt"), file("table1/partition2/file.txt"), file("table2/partition4/file.txt")]);
    assert.equal(tables.length, 1);
    assert.deepEqual(tables[0].partitionKeys.map((k) => k.Name), ["partition_0", "partition_1"]);
  });

  it("folders of different schemas are separate tables, each named after its folder", () => {
    const tables = planTables("b", "lake", [file("orders/a.csv", csv(["order_id", "amount"])), file("customers/b.csv", csv(["customer_id", "name"]))]);
    assert.deepEqual(tables.map((t) => [t.name, t.location]).sort(), [["customers", "s3://b/lake/customers/"], ["orders", "s3://b/lake/orders/"]]);
  });

  it("the catalog table: prefix, LazySimpleSerDe with the delimiter, header skipped, classification csv", () => {
    const [planned] = planTables("b", "lake/Daily-Sales", [file("a.csv")]);
    const input = tableInput(planned, "raw_", "my-crawler");
    assert.equal(input.Name, "raw_daily_sales");
    assert.equal(input.Parameters?.classification, "csv");
    assert.equal(input.Parameters?.["skip.header.line.count"], "1");
    assert.equal(input.Parameters?.UPDATED_BY_CRAWLER, "my-crawler");
    assert.equal(input.StorageDescriptor?.SerdeInfo?.SerializationLibrary, "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
    assert.deepEqual(input.StorageDescriptor?.SerdeInfo?.Parameters, { "field.delim": "," });
    assert.equal(input.TableType, "EXTERNAL_TABLE");
  });
});
