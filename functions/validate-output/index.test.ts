import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { GetObjectCommand, NoSuchKey } from "@aws-sdk/client-s3";
// The SDK's stream mixin (formerly @smithy/util-stream) ships inside @smithy/core, a dependency of client-s3.
import { sdkStreamMixin } from "@smithy/core/serde";
import { ORDERS_SCHEMA } from "../../components/etlSettings";
import { captureOutput, logRecords, mockS3ForSuite } from "../shared/testing";
import { handler, ValidationFailed, type ValidateOutputResult } from "./index";

const BUCKET = "lab-output";
const PREFIX = "output";
const RUN = "jr_0123abcd";
// The schema the program sets (the sample orders): the contract the ETL job and this function share.
const SCHEMA = ORDERS_SCHEMA;
const FILTER = { column: "amount", operator: "ge", value: "100" };
const HEADER = SCHEMA.map((column) => column.name).join(",");
const KEY = { manifest: `${PREFIX}/${RUN}/_manifest.json`, data: `${PREFIX}/${RUN}/data.csv`, rejects: `${PREFIX}/${RUN}/rejects.csv` };
const URL = { manifest: `s3://${BUCKET}/${KEY.manifest}`, data: `s3://${BUCKET}/${KEY.data}`, rejects: `s3://${BUCKET}/${KEY.rejects}` };

/** Kept rows of a correct run: input order, one with a quoted comma and line break, "100" equal to "100.00". */
const KEPT_ROWS = [
  "ORD-1001,2024-03-01,C-17,EU,Desk,1,250.00,250.00,SHIPPED",
  'ORD-1003,2024-03-02,C-04,US,"Chair, ergonomic\nblack",2,50,100.00,DELIVERED',
  "ORD-1004,2024-02-29,C-09,APAC,Monitor,4,120.50,482.00,PENDING",
];
const REJECT_ROWS = ["5,amount: not a decimal: 'abc',\"ORD-1005,2024-03-03,C-01,EU,Lamp,1,abc,abc,SHIPPED\""];

interface RunFiles {
  manifest?: Record<string, unknown> | string;
  data?: string;
  rejects?: string;
}

function correctRun(): Required<RunFiles> {
  return {
    manifest: {
      job_run_id: RUN,
      source: "s3://lab-data/input/orders.csv",
      input_rows: 5,
      kept: 3,
      filtered_out: 1,
      rejected: 1,
      header: SCHEMA.map((column) => column.name),
      filter: FILTER,
      data_key: KEY.data,
      rejects_key: KEY.rejects,
    },
    data: [HEADER, ...KEPT_ROWS].join("\n") + "\n",
    rejects: ["line_number,reason,raw", ...REJECT_ROWS].join("\n") + "\n",
  };
}

/** A fresh body per call, in small chunks so records cross chunk boundaries as they do over the network. */
function body(text: string) {
  const bytes = Buffer.from(text, "utf8");
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += 7) {
    chunks.push(bytes.subarray(start, start + 7));
  }
  return sdkStreamMixin(Readable.from(chunks));
}

describe("validate-output handler", () => {
  const s3 = mockS3ForSuite();
  const saved = { ...process.env };

  beforeEach(() => {
    Object.assign(process.env, {
      OUTPUT_BUCKET: BUCKET,
      OUTPUT_PREFIX: PREFIX,
      SCHEMA_JSON: JSON.stringify(SCHEMA),
      FILTER_JSON: JSON.stringify(FILTER),
    });
    delete process.env.POWERTOOLS_DEV;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  /** Serves the given files; any other key answers NoSuchKey, as S3 does. */
  function givenOutput(files: RunFiles): void {
    s3().on(GetObjectCommand).rejects(new NoSuchKey({ message: "The specified key does not exist.", $metadata: { httpStatusCode: 404 } }));
    const served: Array<[string, string | undefined]> = [
      [KEY.manifest, typeof files.manifest === "object" ? JSON.stringify(files.manifest) : files.manifest],
      [KEY.data, files.data],
      [KEY.rejects, files.rejects],
    ];
    for (const [key, text] of served) {
      if (text !== undefined) {
        s3().on(GetObjectCommand, { Bucket: BUCKET, Key: key }).callsFake(() => ({ Body: body(text) }));
      }
    }
  }

  async function run(files: RunFiles, event: unknown = { jobRunId: RUN }) {
    givenOutput(files);
    // The event is `unknown` so tests can send what a misconfigured state machine would.
    return captureOutput(() => handler(event as { jobRunId: string }));
  }

  /** Runs and expects ValidationFailed; returns its message. */
  async function failure(files: RunFiles, event?: unknown): Promise<string> {
    const { error, result } = await run(files, event);
    assert.equal(result, undefined, "validation should have failed");
    assert.ok(error instanceof ValidationFailed, `expected ValidationFailed, got ${String(error)}`);
    assert.equal(error.name, "ValidationFailed");
    return error.message;
  }

  it("passes a correct run and returns its counts and keys", async () => {
    const { result, error, output } = await run(correctRun());
    assert.equal(error, undefined, String(error));
    const expected: ValidateOutputResult = {
      jobRunId: RUN,
      inputRows: 5,
      kept: 3,
      filteredOut: 1,
      rejected: 1,
      dataKey: KEY.data,
      rejectsKey: KEY.rejects,
    };
    assert.deepEqual(result, expected);
    assert.ok(logRecords(output).some((record) => record.message === "Output validated" && record.kept === 3));
  });

  it("accepts CRLF line ends, a UTF-8 BOM and a run with no kept rows", async () => {
    const files = correctRun();
    const crlf = "\uFEFF" + [HEADER, ...KEPT_ROWS].join("\r\n") + "\r\n";
    const { error } = await run({ ...files, data: crlf });
    assert.equal(error, undefined, String(error));

    const none = correctRun();
    none.manifest = { ...(none.manifest as object), input_rows: 2, kept: 0, filtered_out: 1, rejected: 1 };
    const empty = await run({ ...none, data: HEADER + "\n" });
    assert.equal(empty.error, undefined, String(empty.error));
  });

  it("fails when the manifest is missing, saying the job has not finished and how to wait for it", async () => {
    const { data, rejects } = correctRun();
    assert.equal(
      await failure({ data, rejects }),
      `No output for Glue job run ${RUN}: ${URL.manifest} does not exist. The job has not finished writing; ` +
        "did the state machine wait for it (use glue:startJobRun.sync or a task token)?",
    );
  });

  it("fails when data.csv is missing although the manifest exists", async () => {
    const { manifest, rejects } = correctRun();
    const message = await failure({ manifest, rejects });
    assert.match(message, new RegExp(`^${escape(URL.data)} does not exist, but the manifest ${escape(URL.manifest)} does`));
  });

  it("fails when rejects.csv is missing", async () => {
    const { manifest, data } = correctRun();
    assert.match(await failure({ manifest, data }), new RegExp(`^${escape(URL.rejects)} does not exist`));
  });

  it("fails on a header other than the schema's columns", async () => {
    const files = correctRun();
    const swapped = HEADER.replace("unit_price,amount", "amount,unit_price");
    const message = await failure({ ...files, data: files.data.replace(HEADER, swapped) });
    assert.match(message, new RegExp(`^${escape(URL.data)} line 1: header is \\["order_id",.*"amount","unit_price"`));
    assert.match(message, /expected the schema's columns/);
  });

  it("fails on a row that breaks the filter, naming the row, the line and the value", async () => {
    const files = correctRun();
    const data = files.data.replace("482.00,PENDING", "99.995,PENDING");
    const message = await failure({ ...files, data });
    assert.equal(
      message,
      `${URL.data} row 3 (line 5): amount '99.995' does not satisfy the filter amount ge 100. ` +
        "The job kept a row its filter (amount ge 100) should have dropped.",
    );
  });

  it("fails on a row that does not parse", async () => {
    const files = correctRun();
    const data = files.data.replace("2024-02-29", "2024-02-30");
    assert.equal(
      await failure({ ...files, data }),
      `${URL.data} row 3 (line 5): order_date: not a date (YYYY-MM-DD): '2024-02-30'. ` +
        "A row that does not parse must go to rejects.csv, not data.csv.",
    );
  });

  it("fails on a row with the wrong number of fields", async () => {
    const files = correctRun();
    const data = files.data.replace(",PENDING", "");
    assert.match(await failure({ ...files, data }), /row 3 \(line 5\): expected 9 fields, got 8\./);
  });

  it("fails when a row is missing (fewer rows than manifest.kept)", async () => {
    const files = correctRun();
    const data = [HEADER, KEPT_ROWS[0], KEPT_ROWS[2]].join("\n") + "\n";
    assert.match(
      await failure({ ...files, data }),
      new RegExp(`^${escape(URL.data)} has 2 data rows but the manifest says kept=3: 1 row\\(s\\) missing`),
    );
  });

  it("fails when there is an extra row (more rows than manifest.kept)", async () => {
    const files = correctRun();
    const data = files.data + KEPT_ROWS[0] + "\n";
    assert.match(
      await failure({ ...files, data }),
      new RegExp(`^${escape(URL.data)} has 4 data rows but the manifest says kept=3: 1 row\\(s\\) too many`),
    );
  });

  it("fails when the manifest's counts break input_rows = kept + filtered_out + rejected", async () => {
    const files = correctRun();
    const manifest = { ...(files.manifest as object), filtered_out: 2 };
    assert.equal(
      await failure({ ...files, manifest }),
      `Manifest ${URL.manifest}: counts do not add up: input_rows 5 != kept 3 + filtered_out 2 + rejected 1 (= 6). ` +
        "The job lost or double-counted 1 row(s).",
    );
  });

  it("fails when rejects.csv holds a different number of records than manifest.rejected", async () => {
    const files = correctRun();
    const rejects = files.rejects + '6,"expected 9 fields, got 2","ORD-1006,x"\n';
    assert.match(
      await failure({ ...files, rejects }),
      new RegExp(`^${escape(URL.rejects)} has 2 rejected record\\(s\\) but the manifest says rejected=1\\.`),
    );
  });

  it("detects a file cut inside a quoted field (unterminated quote)", async () => {
    const files = correctRun();
    const data = files.data.slice(0, files.data.indexOf("black"));
    const message = await failure({ ...files, data });
    assert.match(message, new RegExp(`^${escape(URL.data)} is truncated: .*record at line 3 \\(unterminated quote\\)`));
  });

  it("detects a file whose last record has no line end and the count is short", async () => {
    const files = correctRun();
    const data = files.data.slice(0, files.data.lastIndexOf(",PENDING") + 4);
    const message = await failure({ ...files, data });
    assert.match(
      message,
      new RegExp(`^${escape(URL.data)} is truncated: row 3 \\(line 5\\) has no line end and only 2 complete data row\\(s\\) of the manifest's 3 precede it`),
    );
  });

  it("fails when the manifest belongs to another job run", async () => {
    const files = correctRun();
    const manifest = { ...(files.manifest as object), job_run_id: "jr_other" };
    assert.match(
      await failure({ ...files, manifest }),
      new RegExp(`^Manifest ${escape(URL.manifest)}: job_run_id is "jr_other", expected "${RUN}"`),
    );
  });

  it("fails on a manifest that is not JSON or lacks a count", async () => {
    const files = correctRun();
    assert.match(await failure({ ...files, manifest: '{"job_run_id": "jr_' }), /is not valid JSON/);
    const { kept, ...withoutKept } = files.manifest as Record<string, unknown>;
    void kept;
    assert.match(await failure({ ...files, manifest: withoutKept }), /field "kept" must be a non-negative integer, got nothing/);
  });

  it("fails when the job ran with another filter than the validator's", async () => {
    const files = correctRun();
    const manifest = { ...(files.manifest as object), filter: { column: "amount", operator: "gt", value: "100" } };
    assert.match(await failure({ ...files, manifest }), /the job ran with filter .*"gt".* but this validator checks/);
  });

  it("fails with ValidationFailed naming the field when the event has no jobRunId", async () => {
    for (const event of [{}, { jobRunId: "" }, { JobRunId: RUN }, null]) {
      assert.match(await failure(correctRun(), event), /^event\.jobRunId must be the Glue job run id/);
    }
    assert.equal(s3().commandCalls(GetObjectCommand).length, 0);
  });

  it("fails with an error naming the environment variable that is missing or malformed", async () => {
    delete process.env.OUTPUT_BUCKET;
    let outcome = await run(correctRun());
    assert.ok(outcome.error instanceof Error);
    assert.equal(outcome.error.name, "ConfigurationError");
    assert.match(outcome.error.message, /OUTPUT_BUCKET is not set/);

    process.env.OUTPUT_BUCKET = BUCKET;
    process.env.FILTER_JSON = JSON.stringify({ column: "amount", operator: "ge", value: "a lot" });
    outcome = await run(correctRun());
    assert.ok(outcome.error instanceof Error);
    assert.match(outcome.error.message, /FILTER_JSON do not follow the data contract: filter\.value for amount \(decimal\): not a decimal: 'a lot'/);
  });

  // The Spark job's layout (etl/spark_job.py): one data and one rejects part per range, each with its header, listed
  // in order in the manifest's data_keys/rejects_keys; the counts are the parts' sums.
  const part = (folder: string, index: number) => `${PREFIX}/${RUN}/${folder}/part-${String(index).padStart(5, "0")}.csv`;
  function sparkRun(): { manifest: Record<string, unknown>; parts: Record<string, string> } {
    const { manifest } = correctRun() as { manifest: Record<string, unknown> };
    const { data_key: _data, rejects_key: _rejects, ...rest } = manifest;
    return {
      manifest: { ...rest, engine: "spark", data_keys: [part("data", 0), part("data", 1)], rejects_keys: [part("rejects", 0), part("rejects", 1)] },
      parts: {
        [part("data", 0)]: [HEADER, KEPT_ROWS[0]].join("\n") + "\n",
        [part("data", 1)]: [HEADER, KEPT_ROWS[1], KEPT_ROWS[2]].join("\n") + "\n",
        [part("rejects", 0)]: "line_number,reason,raw\n",
        [part("rejects", 1)]: ["line_number,reason,raw", ...REJECT_ROWS].join("\n") + "\n",
      },
    };
  }
  async function runSpark(manifest: Record<string, unknown>, parts: Record<string, string>) {
    givenOutput({ manifest });
    for (const [key, text] of Object.entries(parts)) s3().on(GetObjectCommand, { Bucket: BUCKET, Key: key }).callsFake(() => ({ Body: body(text) }));
    return captureOutput(() => handler({ jobRunId: RUN }));
  }

  it("passes the Spark job's parts, counting rows across them", async () => {
    const { manifest, parts } = sparkRun();
    const { result, error } = await runSpark(manifest, parts);
    assert.equal(error, undefined, String(error));
    assert.deepEqual(result, {
      jobRunId: RUN,
      inputRows: 5,
      kept: 3,
      filteredOut: 1,
      rejected: 1,
      dataKey: `${PREFIX}/${RUN}/data/`,
      rejectsKey: `${PREFIX}/${RUN}/rejects/`,
      parts: 2,
    });
  });

  it("fails on Spark parts that miss a row, hold a bad row, lack a part or are listed out of order", async () => {
    const failing = async (manifest: Record<string, unknown>, parts: Record<string, string>) => {
      const { error } = await runSpark(manifest, parts);
      assert.ok(error instanceof ValidationFailed, `expected ValidationFailed, got ${String(error)}`);
      return error.message;
    };
    const base = sparkRun();
    assert.match(
      await failing(base.manifest, { ...base.parts, [part("data", 1)]: [HEADER, KEPT_ROWS[1]].join("\n") + "\n" }),
      /the output \(2 parts, through s3:\/\/lab-output\/output\/jr_0123abcd\/data\/part-00001\.csv\) has 2 data rows but the manifest says kept=3/,
    );
    const filtered = "ORD-1009,2024-03-01,C-17,EU,Desk,1,5.00,5.00,SHIPPED";
    assert.match(
      await failing(base.manifest, { ...base.parts, [part("data", 0)]: [HEADER, filtered].join("\n") + "\n" }),
      /part-00000\.csv row 1 \(line 2\): .*should have dropped/,
    );
    const { [part("rejects", 1)]: _gone, ...withoutPart } = base.parts;
    assert.match(await failing(base.manifest, withoutPart), /rejects\/part-00001\.csv does not exist, but the manifest .* does/);
    const swapped = { ...base.manifest, data_keys: [part("data", 1), part("data", 0)] };
    assert.match(await failing(swapped, base.parts), /data_keys\/rejects_keys are .* expected .*part-00000.*part-00001.* the spark job's layout/);
    assert.match(await failing({ ...base.manifest, engine: "emr" }, base.parts), /field "engine" must be "spark", or absent for the Python shell job/);
    assert.match(await failing({ ...base.manifest, data_keys: [] }, base.parts), /field "data_keys" must be a non-empty array of keys/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
