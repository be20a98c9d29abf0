import * as assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { VersionArchive } from "./version-archive";

describe("S3 version archive", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "version-archive-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("never turns a key into a file name: a key with ../ stays inside the archive, as an index entry", async () => {
    const archive = new VersionArchive(path.join(dir, ".versions"));
    const entry = await archive.add("bucket-a", "../../escape", { bytes: Buffer.from("x"), etag: '"e"', metadata: {} });
    assert.deepEqual(readdirSync(dir), [".versions"]);
    const files = readdirSync(path.join(dir, ".versions", "bucket-a")).sort();
    assert.deepEqual(files, [entry.file, "index.json"].sort());
    assert.equal(archive.bytes("bucket-a", entry).toString(), "x");
  });

  it("keeps versions in write order, even when written concurrently, and forgets them when its folder is emptied", async () => {
    const archive = new VersionArchive(path.join(dir, ".versions"));
    const written = await Promise.all(["1", "2", "3"].map((b) => archive.add("bucket-a", "k", { bytes: Buffer.from(b), etag: b, metadata: {} })));
    assert.deepEqual(archive.versions("bucket-a", "k").map((v) => v.versionId), written.map((w) => w.versionId));
    rmSync(path.join(dir, ".versions"), { recursive: true });
    assert.deepEqual(archive.versions("bucket-a", "k"), []);
  });
});
