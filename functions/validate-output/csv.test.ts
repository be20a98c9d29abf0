import assert from "node:assert/strict";
import { csvRecords, CsvRecordSplitter, CsvSyntaxError, decodeUtf8, InvalidUtf8, type CsvRecord } from "./csv";

/** Splits `text` fed in chunks of `size` characters (1 exercises every chunk boundary). */
function split(text: string, size = text.length || 1): CsvRecord[] {
  const splitter = new CsvRecordSplitter();
  const records: CsvRecord[] = [];
  for (let start = 0; start < text.length; start += size) {
    records.push(...splitter.push(text.slice(start, start + size)));
  }
  return [...records, ...splitter.end()];
}

function both(text: string): CsvRecord[] {
  const whole = split(text);
  assert.deepEqual(split(text, 1), whole, "chunking must not change the records");
  return whole;
}

describe("CsvRecordSplitter", () => {
  it("splits plain records and numbers their lines", () => {
    assert.deepEqual(both("a,b\n1,2\n"), [
      { fields: ["a", "b"], line: 1, terminated: true },
      { fields: ["1", "2"], line: 2, terminated: true },
    ]);
  });

  it("keeps commas, doubled quotes and line breaks inside quoted fields, counting physical lines", () => {
    assert.deepEqual(both('id,note\n1,"a, ""b""\nc"\n2,x\n'), [
      { fields: ["id", "note"], line: 1, terminated: true },
      { fields: ["1", 'a, "b"\nc'], line: 2, terminated: true },
      { fields: ["2", "x"], line: 4, terminated: true },
    ]);
  });

  it("accepts CRLF and lone CR line ends, also inside quotes", () => {
    assert.deepEqual(both('a,b\r\n"x\r\ny",2\r3,4\r\n'), [
      { fields: ["a", "b"], line: 1, terminated: true },
      { fields: ["x\r\ny", "2"], line: 2, terminated: true },
      { fields: ["3", "4"], line: 4, terminated: true },
    ]);
  });

  it("keeps empty fields, quoted or not", () => {
    assert.deepEqual(both(',"",\n'), [{ fields: ["", "", ""], line: 1, terminated: true }]);
  });

  it("returns a last record without a line end as unterminated", () => {
    assert.deepEqual(both("a,b\n1,"), [
      { fields: ["a", "b"], line: 1, terminated: true },
      { fields: ["1", ""], line: 2, terminated: false },
    ]);
  });

  it("returns nothing for empty input", () => {
    assert.deepEqual(both(""), []);
  });

  it("reports input that ends inside a quoted field as truncated, at the record's first line", () => {
    const splitter = new CsvRecordSplitter();
    splitter.push('a,b\n1,"cut\nshort');
    assert.throws(
      () => splitter.end(),
      (error: unknown) =>
        error instanceof CsvSyntaxError && error.truncated && error.line === 2 && /unterminated quote/.test(error.message),
    );
  });

  it("rejects a stray quote and text after a closing quote", () => {
    assert.throws(() => split('a,b"c\n'), (error: unknown) => error instanceof CsvSyntaxError && !error.truncated && /line 1: a quote inside an unquoted field/.test(error.message));
    assert.throws(() => split('a\n"b"c\n'), /line 2: "c" after the closing quote/);
  });
});

describe("csvRecords and decodeUtf8", () => {
  async function* bytes(...parts: number[][]): AsyncGenerator<Uint8Array> {
    for (const part of parts) {
      yield Uint8Array.from(part);
    }
  }

  it("decodes UTF-8 split inside a character, drops a BOM, and yields the records", async () => {
    const text = Buffer.from("\uFEFFname\nJosé\n", "utf8");
    const cut = text.indexOf(0xc3) + 1; // between the two bytes of "é"
    const records: CsvRecord[] = [];
    for await (const record of csvRecords(decodeUtf8(bytes([...text.subarray(0, cut)], [...text.subarray(cut)])))) {
      records.push(record);
    }
    assert.deepEqual(records.map((record) => record.fields), [["name"], ["José"]]);
  });

  it("throws on bytes that are not UTF-8", async () => {
    await assert.rejects(async () => {
      for await (const chunk of decodeUtf8(bytes([0x61], [0x62, 0xff, 0x63]))) {
        void chunk;
      }
    }, (error: unknown) => error instanceof InvalidUtf8 && error.offset === 1);
  });
});
