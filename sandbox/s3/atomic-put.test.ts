import * as assert from "node:assert/strict";
import { fork } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { createSafeStore, type StoreForTests } from "./s3rver-backend";

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every file under `dir`, with its size. */
function files(dir: string): { file: string; size: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      return { file, size: statSync(file).size };
    });
}

describe("S3 store: an overwriting PutObject killed with SIGKILL mid-write leaves the previous object intact", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sandbox-torn-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("serves the old bytes with the old ETag after the writer dies, then takes a complete overwrite", async () => {
    const bucket = "lab-data-0a1b2c3";
    const key = "output/run/data.csv";
    const store = createSafeStore(dir) as StoreForTests;
    await store.putBucket(bucket);
    const old = Buffer.from("order_id,amount\n1,100\n".repeat(1000));
    await store.putObject({ bucket, key, content: old, metadata: { "content-type": "text/csv" } });

    const child = fork(path.join(__dirname, "..", "testing", "put-forever.ts"), [dir, bucket, key], { execArgv: ["-r", "ts-node/register/transpile-only"], stdio: "ignore" });
    await new Promise<void>((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("exit", (code) => reject(new Error(`the writer exited (${code}) before writing`)));
    });
    // The new bytes are being written (more than the old object's size is on disk somewhere)...
    assert.ok(files(dir).some((f) => f.size > old.length), "the interrupted write had put bytes on disk");
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    // ...and yet a reader sees the previous object, whole, with its own ETag (MD5).
    const reader = createSafeStore(dir) as StoreForTests;
    const object = await reader.getObject(bucket, key);
    assert.ok(object);
    const bytes = await readAll(object.content);
    assert.equal(bytes.length, old.length);
    assert.ok(bytes.equals(old));
    assert.equal(object.metadata.etag, JSON.stringify(createHash("md5").update(old).digest("hex")));

    const next = Buffer.from("order_id,amount\n2,200\n");
    await reader.putObject({ bucket, key, content: next, metadata: { "content-type": "text/csv" } });
    const after = await reader.getObject(bucket, key);
    assert.ok(after && (await readAll(after.content)).equals(next));
    assert.equal(after.metadata.etag, JSON.stringify(createHash("md5").update(next).digest("hex")));
  });
});
