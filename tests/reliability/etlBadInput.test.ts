import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runLocalEtl } from "../../cli/commands/etlRun";
import { DEFAULT_FILTER, ORDERS_SCHEMA } from "../../components/etlSettings";
import { csvRecords, decodeUtf8 } from "../../functions/validate-output/csv";

const HEADER = ORDERS_SCHEMA.map((c) => c.name).join(",");
const GOOD = "ORD-1,2025-03-01,C-1,EU,Desk,2,75.00,150.00,SHIPPED";
const LOW = "ORD-2,2025-03-02,C-2,NA,Pen,1,5.00,5.00,PENDING";

async function records(file: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const record of csvRecords(decodeUtf8(fs.createReadStream(file)))) out.push(record.fields);
  return out;
}

/**
 * Bad inputs through the local entry point (`sfn-lab etl run`), which runs the real Glue script: for every
 * file it could read, input rows = kept + filtered out + rejected, and every rejected row is in rejects.csv
 * with its line number and reason. Files it cannot read at all fail with a clear message.
 */
describe("ETL on bad input (sfn-lab etl run)", function () {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-bad-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(name: string, content: string | Buffer) {
    const input = path.join(dir, `${name}.csv`);
    fs.writeFileSync(input, content);
    const out = path.join(dir, name);
    const result = await runLocalEtl(input, out, DEFAULT_FILTER, { capture: true });
    return { ...result, out };
  }

  async function expectReadable(name: string, content: string | Buffer, expected: { input: number; kept: number; rejected: number; reasons?: RegExp[] }) {
    const result = await run(name, content);
    assert.equal(result.exitCode, 0, result.stderr);
    const m = result.manifest!;
    assert.equal(m.input_rows, m.kept + m.filtered_out + m.rejected, "nothing lost: input = kept + filtered out + rejected");
    assert.deepEqual([m.input_rows, m.kept, m.rejected], [expected.input, expected.kept, expected.rejected]);
    const rejects = await records(path.join(result.out, "rejects.csv"));
    assert.deepEqual(rejects[0], ["line_number", "reason", "raw"]);
    assert.equal(rejects.length - 1, m.rejected, "every rejected row is in rejects.csv");
    for (const [i, pattern] of (expected.reasons ?? []).entries()) {
      assert.match(rejects[i + 1][0], /^\d+$/, "line number");
      assert.match(rejects[i + 1][1], pattern);
    }
    const data = await records(path.join(result.out, "data.csv"));
    assert.equal(data.length - 1, m.kept);
    return { rejects, data };
  }

  it("[bad-input] a row with the wrong column count is rejected with its line", async function () {
    const { rejects } = await expectReadable("columns", `${HEADER}\n${GOOD}\nORD-3,2025-01-01,C-3\n`, { input: 2, kept: 1, rejected: 1, reasons: [/expected 9 fields, got 3/] });
    assert.equal(rejects[1][0], "3");
  });

  it("[bad-input] an unparsable number and an impossible date are rejected with the field named", async function () {
    await expectReadable("types", `${HEADER}\n${GOOD.replace("150.00", "12O.50")}\n${GOOD.replace("2025-03-01", "2025-02-30")}\n`, {
      input: 2, kept: 0, rejected: 2, reasons: [/amount: not a decimal/, /order_date/],
    });
  });

  it("[bad-input] quoted commas and newlines stay inside one row", async function () {
    const { data } = await expectReadable("quoted", `${HEADER}\nORD-4,2025-03-01,C-4,EU,"Desk, oak\nlarge",2,75.00,150.00,SHIPPED\n`, { input: 1, kept: 1, rejected: 0 });
    assert.equal(data[1][4], "Desk, oak\nlarge");
  });

  it("[bad-input] CRLF line ends and a UTF-8 BOM are accepted", async function () {
    await expectReadable("crlf-bom", `\uFEFF${HEADER}\r\n${GOOD}\r\n${LOW}\r\n`, { input: 2, kept: 1, rejected: 0 });
  });

  it("[bad-input] an empty file and a header-only file give zero rows, not an error", async function () {
    await expectReadable("empty", "", { input: 0, kept: 0, rejected: 0 });
    await expectReadable("header-only", `${HEADER}\n`, { input: 0, kept: 0, rejected: 0 });
  });

  it("[bad-input] non-UTF-8 bytes reject that row only, keeping its bytes visible", async function () {
    const content = Buffer.concat([Buffer.from(`${HEADER}\n${GOOD}\n`), Buffer.from("ORD-9,2025-03-01,C-9,EU,Caf"), Buffer.from([0xe9]), Buffer.from(",2,75.00,150.00,SHIPPED\n")]);
    const { rejects } = await expectReadable("latin1", content, { input: 2, kept: 1, rejected: 1, reasons: [/not valid UTF-8/] });
    assert.match(rejects[1][2], /\\xe9/);
  });

  it("[bad-input] a 10 MB field is carried through, not truncated", async function () {
    const big = "x".repeat(10 * 1024 * 1024);
    const { data } = await expectReadable("big-field", `${HEADER}\nORD-5,2025-03-01,C-5,EU,${big},2,75.00,150.00,SHIPPED\n`, { input: 1, kept: 1, rejected: 0 });
    assert.equal(data[1][4].length, big.length);
  });

  it("[bad-input] a missing header or duplicate header names stop the run with a clear message", async function () {
    const missing = await run("no-header", `${GOOD}\n${LOW}\n`);
    assert.notEqual(missing.exitCode, 0);
    assert.match(missing.stderr, /ERROR: header mismatch/);
    const dup = await run("dup-header", `${HEADER.replace("customer_id", "order_id")}\n${GOOD}\n`);
    assert.notEqual(dup.exitCode, 0);
    assert.match(dup.stderr, /ERROR: .*(duplicate|header)/i);
    assert.ok(!fs.existsSync(path.join(dup.out, "_manifest.json")), "no manifest for a run that read nothing");
  });

  it("[bad-input] a file that does not exist fails with a one-line message", async function () {
    const result = await runLocalEtl(path.join(dir, "absent.csv"), path.join(dir, "absent"), DEFAULT_FILTER, { capture: true });
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr.trim(), /^ERROR: input file .*absent\.csv not found$/);
  });
});
