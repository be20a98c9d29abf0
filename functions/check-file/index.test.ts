import assert from "node:assert/strict";
import { HeadObjectCommand, NotFound, NoSuchKey, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { createLogger } from "../shared/logger";
import { captureOutput, logRecords, mockS3ForSuite } from "../shared/testing";
import { createCheckFileHandler, DataFileAccessDenied, FileNotFound, handler, previewTaskToken } from "./index";

const ENV = { DATA_BUCKET: "lab-data", DATA_KEY: "input/orders.csv", ETL_JOB_NAME: "lab-etl" };
const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAb1c2Vy" + "x".repeat(600);
const EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:wait-for-callback:run-1";
const LAST_MODIFIED = new Date("2024-05-01T10:20:30.000Z");

describe("check-file handler", () => {
  const s3 = mockS3ForSuite();
  const saved = { ...process.env };

  beforeEach(() => {
    Object.assign(process.env, ENV);
    delete process.env.POWERTOOLS_DEV;
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  function givenDataFile(): void {
    s3().on(HeadObjectCommand, { Bucket: "lab-data", Key: "input/orders.csv" }).resolves({
      ContentLength: 1234,
      ETag: '"9b2cf535f27731c974343645a3985328"',
      LastModified: LAST_MODIFIED,
    });
  }

  it("returns the bucket, key, size, ETag and last modification time of the data file", async () => {
    givenDataFile();
    const { result, error } = await captureOutput(() => handler({}));
    assert.equal(error, undefined);
    assert.deepEqual(result, {
      bucket: "lab-data",
      key: "input/orders.csv",
      size: 1234,
      etag: "9b2cf535f27731c974343645a3985328",
      lastModified: "2024-05-01T10:20:30.000Z",
    });
    assert.equal(s3().commandCalls(HeadObjectCommand).length, 1);
  });

  for (const [label, missing] of [
    ["NotFound", new NotFound({ message: "Not Found", $metadata: { httpStatusCode: 404 } })],
    ["NoSuchKey", new NoSuchKey({ message: "The specified key does not exist.", $metadata: {} })],
    [
      "a bare 404",
      new S3ServiceException({ name: "Unknown", $fault: "client", message: "", $metadata: { httpStatusCode: 404 } }),
    ],
  ] as const) {
    it(`throws FileNotFound naming the bucket and key when S3 answers ${label}`, async () => {
      s3().on(HeadObjectCommand).rejects(missing);
      const { error } = await captureOutput(() => handler({}));
      assert.ok(error instanceof FileNotFound);
      assert.equal(error.name, "FileNotFound");
      assert.equal(
        error.message,
        'Data file s3://lab-data/input/orders.csv not found (bucket "lab-data", key "input/orders.csv"). ' +
          "Upload it or fix DATA_KEY.",
      );
    });
  }

  for (const [label, forbidden] of [
    ["AccessDenied", new S3ServiceException({ name: "AccessDenied", $fault: "client", message: "Access Denied", $metadata: { httpStatusCode: 403 } })],
    // What the SDK makes of HeadObject's body-less 403.
    ["a bare 403", new S3ServiceException({ name: "Unknown", $fault: "client", message: "UnknownError", $metadata: { httpStatusCode: 403 } })],
  ] as const) {
    it(`names a 403 (${label}) AccessDenied, with the bucket, key and permissions involved`, async () => {
      s3().on(HeadObjectCommand).rejects(forbidden);
      const { error } = await captureOutput(() => handler({}));
      assert.ok(error instanceof DataFileAccessDenied);
      assert.equal(error.name, "AccessDenied");
      assert.match(error.message, /^Access denied: HeadObject on s3:\/\/lab-data\/input\/orders\.csv answered 403 /);
      assert.match(error.message, /s3:GetObject on the object, and s3:ListBucket on the bucket/);
    });
  }

  it("lets other S3 errors through with their own name and message", async () => {
    s3().on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: "SlowDown", $fault: "server", message: "Please reduce your request rate.", $metadata: { httpStatusCode: 503 } }),
    );
    const { error } = await captureOutput(() => handler({}));
    assert.ok(error instanceof Error);
    assert.equal(error.name, "SlowDown");
    assert.equal(error.message, "Please reduce your request rate.");
  });

  for (const variable of ["DATA_BUCKET", "DATA_KEY"]) {
    it(`fails with an error naming ${variable} when it is not set, before calling S3`, async () => {
      delete process.env[variable];
      const { error } = await captureOutput(() => handler({}));
      assert.ok(error instanceof Error);
      assert.equal(error.name, "ConfigurationError");
      assert.match(error.message, new RegExp(`Environment variable ${variable} is not set`));
      assert.equal(s3().commandCalls(HeadObjectCommand).length, 0);
    });
  }

  it("needs ETL_JOB_NAME only in the callback pattern", async () => {
    givenDataFile();
    delete process.env.ETL_JOB_NAME;
    const plain = await captureOutput(() => handler({}));
    assert.equal(plain.error, undefined);
    const callback = await captureOutput(() => handler({ taskToken: TOKEN, executionId: EXECUTION }));
    assert.ok(callback.error instanceof Error);
    assert.match(callback.error.message, /ETL_JOB_NAME/);
  });

  it("rejects a task token that is not a non-empty string", async () => {
    givenDataFile();
    const { error } = await captureOutput(() => handler({ taskToken: "" }));
    assert.ok(error instanceof Error);
    assert.equal(error.name, "InvalidEvent");
    assert.match(error.message, /\$\$\.Task\.Token/);
  });

  describe("callback pattern (event carries a task token)", () => {
    it("returns the same result and tells the operator what to do next, with only a token preview", async () => {
      givenDataFile();
      // An explicit INFO level: the module's logger follows whatever POWERTOOLS_LOG_LEVEL the runner has.
      const infoHandler = createCheckFileHandler({
        s3: new S3Client({}),
        logger: createLogger("check-file", { logLevel: "INFO" }),
      });
      const { result, error, output } = await captureOutput(() =>
        infoHandler({ taskToken: TOKEN, executionId: EXECUTION }),
      );
      assert.equal(error, undefined);
      assert.equal(result?.size, 1234);
      assert.equal(output.includes(TOKEN), false, "the full task token must not be logged at INFO");

      const waiting = logRecords(output).find((record) => record.message === "Waiting for operator approval");
      assert.ok(waiting, `no "Waiting for operator approval" record in:\n${output}`);
      assert.equal(waiting.level, "INFO");
      assert.equal(waiting.executionId, EXECUTION);
      assert.equal(waiting.taskToken, `${TOKEN.slice(0, 8)}…(${TOKEN.length} chars)`);
      const next = String(waiting.next);
      assert.match(next, /Start the Glue job "lab-etl"/);
      assert.match(next, /verify its output/);
      assert.ok(next.includes(`npx sfn-lab approve ${EXECUTION}`), next);
    });

    it("logs the full token only at DEBUG level", async () => {
      givenDataFile();
      const debugHandler = createCheckFileHandler({
        s3: new S3Client({}),
        logger: createLogger("check-file", { logLevel: "DEBUG" }),
      });
      const { output } = await captureOutput(() => debugHandler({ taskToken: TOKEN, executionId: EXECUTION }));
      const withToken = logRecords(output).filter((record) => JSON.stringify(record).includes(TOKEN));
      assert.deepEqual(
        withToken.map((record) => record.level),
        ["DEBUG"],
      );
    });
  });
});

describe("previewTaskToken", () => {
  it("shows the first 8 characters and the length of a real-sized token", () => {
    assert.equal(previewTaskToken("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), "ABCDEFGH…(36 chars)");
  });

  it("shows at most a quarter of a short token", () => {
    assert.equal(previewTaskToken("abcdefgh"), "ab…(8 chars)");
    assert.equal(previewTaskToken("abc"), "…(3 chars)");
  });
});
