/** Test support: capture what a handler's logger writes, mock S3 for one suite. Not imported by any handler. */
import { S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";

function mockS3() {
  return mockClient(S3Client);
}
export type S3Mock = ReturnType<typeof mockS3>;

/**
 * Mocks every S3Client for the calling suite only (installed before it, restored after it, reset before each
 * test), so other suites in the same mocha process keep real clients. Returns the mock, for use inside tests.
 */
export function mockS3ForSuite(): () => S3Mock {
  let mock: S3Mock | undefined;
  before(() => {
    mock = mockS3();
  });
  after(() => mock?.restore());
  beforeEach(() => mock?.reset());
  return () => {
    if (!mock) throw new Error("the S3 mock exists only while its suite runs");
    return mock;
  };
}

/** One JSON log record as the Powertools logger prints it. */
export type LogRecord = Record<string, unknown> & { level: string; message: string };

/** Runs `action` while capturing stdout and stderr, and returns its result with the raw output. */
export async function captureOutput<T>(action: () => Promise<T>): Promise<{ result?: T; error?: unknown; output: string }> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    // Swallow the output: the records are the test's evidence, not noise for the reporter.
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    }) as typeof stream.write;
  }
  try {
    const result = await action();
    return { result, output: chunks.join("") };
  } catch (error) {
    return { error, output: chunks.join("") };
  } finally {
    streams.forEach((stream, index) => {
      stream.write = originals[index];
    });
  }
}

/** Parses the JSON log records (one per line) from captured output; other lines are ignored. */
export function logRecords(output: string): LogRecord[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogRecord);
}
