import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Authorizer } from "../iam/authorizer";
import { ModelPolicyStore } from "../iam/policy-store";
import { PrincipalDirectory } from "../iam/principals";
import { ACCOUNT, arn, BUCKET, DATA_KEY, fixtureModel, REGION } from "../testing/fixture-model";
import { s3RequestTarget } from "./request-action";
import { S3Service } from "./s3-service";
import { seedS3 } from "./seed";

type S3Failure = Error & { $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };

/**
 * Expected behaviour from the S3 API reference (PutObject, GetObject, HeadObject, DeleteObject,
 * ListObjectVersions) and the user guide's "Using versioning in S3 buckets", for a bucket whose
 * versioning is Enabled.
 */
describe("sandbox S3 versioning (bucket versioning Enabled)", () => {
  let dir: string;
  let s3: S3Service;
  let principals: PrincipalDirectory;
  let operator: S3Client;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sandbox-s3-ver-"));
    const model = fixtureModel();
    principals = new PrincipalDirectory(ACCOUNT);
    s3 = await S3Service.start(
      { directory: dir, port: 0, treatLoopbackAsTls: true, bucketConfigurations: new Map([[BUCKET, { versioning: { status: "Enabled" } }]]) },
      principals,
      new Authorizer(ACCOUNT, new ModelPolicyStore(model)),
    );
    await seedS3(s3.internalEndpoint, model);
    operator = new S3Client({ region: REGION, endpoint: s3.endpoint, credentials: principals.operator().credentials });
  });
  after(async () => {
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const text = async (Key: string, VersionId?: string) => {
    const got = await operator.send(new GetObjectCommand({ Bucket: BUCKET, Key, VersionId }));
    return { body: await got.Body?.transformToString(), versionId: got.VersionId };
  };

  it("PutObject returns a new VersionId per write; GetObject serves each version by id and the latest without", async () => {
    const Key = "tmp/ver/one.txt";
    const first = await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "first", ContentType: "text/plain" }));
    const second = await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "second!" }));
    assert.ok(first.VersionId && second.VersionId);
    assert.notEqual(first.VersionId, second.VersionId);
    assert.notEqual(first.VersionId, "null");
    assert.deepEqual(await text(Key, first.VersionId), { body: "first", versionId: first.VersionId });
    assert.deepEqual(await text(Key), { body: "second!", versionId: second.VersionId });
    const head = await operator.send(new HeadObjectCommand({ Bucket: BUCKET, Key, VersionId: first.VersionId }));
    assert.equal(head.ContentLength, 5);
    assert.equal(head.ContentType, "text/plain");
    assert.equal(head.ETag, first.ETag);
  });

  it("keeps every one of concurrent writes to a key as its own version, the current object being the latest", async () => {
    const Key = "tmp/ver/race.txt";
    const puts = await Promise.all(["1", "22", "333", "4444", "55555"].map((Body) => operator.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }))));
    assert.equal(new Set(puts.map((p) => p.VersionId)).size, 5);
    const listed = await operator.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: Key }));
    assert.equal(listed.Versions?.length, 5);
    const latest = listed.Versions?.find((v) => v.IsLatest);
    const current = await text(Key);
    assert.equal(current.versionId, latest?.VersionId);
    assert.equal(current.body?.length, latest?.Size);
  });

  it("answers 404 NoSuchVersion for a version id the key does not have", async () => {
    const Key = "tmp/ver/two.txt";
    await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "x" }));
    await assert.rejects(operator.send(new GetObjectCommand({ Bucket: BUCKET, Key, VersionId: "0".repeat(32) })), (e: S3Failure) => {
      assert.equal(e.name, "NoSuchVersion");
      assert.equal(e.$metadata?.httpStatusCode, 404);
      return true;
    });
  });

  it("lists versions newest first with IsLatest, and pages with key and version-id markers", async () => {
    const Key = "tmp/ver/list.txt";
    const a = await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "aa" }));
    const b = await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "bbb" }));
    const all = await operator.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: Key }));
    assert.deepEqual(all.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size]), [
      [Key, b.VersionId, true, 3],
      [Key, a.VersionId, false, 2],
    ]);
    assert.equal(all.Versions?.[0].ETag, b.ETag);
    assert.equal(all.IsTruncated, false);
    const page1 = await operator.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: Key, MaxKeys: 1 }));
    assert.equal(page1.IsTruncated, true);
    assert.equal(page1.NextKeyMarker, Key);
    assert.equal(page1.NextVersionIdMarker, b.VersionId);
    const page2 = await operator.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: Key, MaxKeys: 1, KeyMarker: page1.NextKeyMarker, VersionIdMarker: page1.NextVersionIdMarker }));
    assert.deepEqual(page2.Versions?.map((v) => v.VersionId), [a.VersionId]);
    assert.equal(page2.IsTruncated, false);
  });

  it("DeleteObject without a version adds a delete marker; deleting the marker by id brings the object back", async () => {
    const Key = "tmp/ver/del.txt";
    const put = await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "keep me" }));
    const deleted = await operator.send(new DeleteObjectCommand({ Bucket: BUCKET, Key }));
    assert.equal(deleted.DeleteMarker, true);
    assert.ok(deleted.VersionId && deleted.VersionId !== put.VersionId);
    await assert.rejects(operator.send(new GetObjectCommand({ Bucket: BUCKET, Key })), (e: S3Failure) => {
      assert.equal(e.name, "NoSuchKey");
      assert.equal(e.$response?.headers?.["x-amz-delete-marker"], "true");
      return true;
    });
    const listed = await operator.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: Key }));
    assert.deepEqual(listed.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]), [[deleted.VersionId, true]]);
    assert.deepEqual(listed.Versions?.map((v) => [v.VersionId, v.IsLatest]), [[put.VersionId, false]]);
    assert.equal((await text(Key, put.VersionId)).body, "keep me");

    const unmarked = await operator.send(new DeleteObjectCommand({ Bucket: BUCKET, Key, VersionId: deleted.VersionId }));
    assert.equal(unmarked.DeleteMarker, true);
    assert.deepEqual(await text(Key), { body: "keep me", versionId: put.VersionId });
  });

  it("DeleteObject with a version id removes that version for good; the one before becomes current", async () => {
    const Key = "tmp/ver/undo.txt";
    const older = await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "older" }));
    const newer = await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "newer" }));
    const removed = await operator.send(new DeleteObjectCommand({ Bucket: BUCKET, Key, VersionId: newer.VersionId }));
    assert.equal(removed.VersionId, newer.VersionId);
    assert.deepEqual(await text(Key), { body: "older", versionId: older.VersionId });
    await assert.rejects(operator.send(new GetObjectCommand({ Bucket: BUCKET, Key, VersionId: newer.VersionId })), (e: Error) => e.name === "NoSuchVersion");
  });

  it("DeleteObjects adds a delete marker per key named without a version and removes the versions named with one", async () => {
    const marked = "tmp/ver/many-a.txt";
    const trimmed = "tmp/ver/many-b.txt";
    await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key: marked, Body: "a" }));
    const keep = await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key: trimmed, Body: "b1" }));
    const drop = await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key: trimmed, Body: "b2" }));
    const result = await operator.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: marked }, { Key: trimmed, VersionId: drop.VersionId }] } }));
    assert.equal(result.Errors?.length ?? 0, 0);
    const [first, second] = result.Deleted ?? [];
    assert.equal(first.Key, marked);
    assert.equal(first.DeleteMarker, true);
    assert.ok(first.DeleteMarkerVersionId);
    assert.deepEqual([second.Key, second.VersionId], [trimmed, drop.VersionId]);
    await assert.rejects(operator.send(new GetObjectCommand({ Bucket: BUCKET, Key: marked })), (e: Error) => e.name === "NoSuchKey");
    assert.deepEqual(await text(trimmed), { body: "b1", versionId: keep.VersionId });
    const quiet = await operator.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Quiet: true, Objects: [{ Key: trimmed }] } }));
    assert.equal(quiet.Deleted?.length ?? 0, 0);
    await assert.rejects(operator.send(new GetObjectCommand({ Bucket: BUCKET, Key: trimmed })), (e: Error) => e.name === "NoSuchKey");
  });

  it("an object stored before versioning applied is the version \"null\", kept when overwritten", async () => {
    const before = await operator.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: DATA_KEY }));
    assert.deepEqual(before.Versions?.map((v) => [v.VersionId, v.IsLatest]), [["null", true]]);
    assert.equal((await text(DATA_KEY)).versionId, "null");
    const original = (await text(DATA_KEY, "null")).body;
    assert.match(original ?? "", /^order_id/);
    const put = await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key: DATA_KEY, Body: "replaced" }));
    assert.equal((await text(DATA_KEY, "null")).body, original);
    assert.equal((await text(DATA_KEY)).body, "replaced");
    await operator.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: DATA_KEY, VersionId: put.VersionId }));
    assert.equal((await text(DATA_KEY)).body, original);
  });

  it("authorizes a read by version id as s3:GetObjectVersion (Service Authorization Reference)", async () => {
    // lab-check-file-role is granted s3:GetObject on the data file, not s3:GetObjectVersion.
    const checker = new S3Client({ region: REGION, endpoint: s3.endpoint, credentials: principals.roleSession(arn.role("lab-check-file-role"), "lab-check-file").credentials });
    await checker.send(new GetObjectCommand({ Bucket: BUCKET, Key: DATA_KEY }));
    await assert.rejects(checker.send(new GetObjectCommand({ Bucket: BUCKET, Key: DATA_KEY, VersionId: "null" })), (e: S3Failure) => {
      assert.equal(e.name, "AccessDenied");
      assert.match(e.message, /s3:GetObjectVersion/);
      return true;
    });
  });

  it("maps the versioned forms to GetObjectVersion, DeleteObjectVersion and ListBucketVersions", () => {
    const action = (m: string, p: string, s: string) => s3RequestTarget(m, p, new URLSearchParams(s)).authorizations.map((a) => a.action);
    assert.deepEqual(action("GET", "/b/k", "versionId=v"), ["s3:GetObjectVersion"]);
    assert.deepEqual(action("HEAD", "/b/k", "versionId=v"), ["s3:GetObjectVersion"]);
    assert.deepEqual(action("DELETE", "/b/k", "versionId=v"), ["s3:DeleteObjectVersion"]);
    assert.deepEqual(action("GET", "/b", "versions&prefix=x"), ["s3:ListBucketVersions"]);
    const many = s3RequestTarget("POST", "/b", new URLSearchParams("delete"), undefined, [{ key: "k" }, { key: "v", versionId: "x" }]);
    assert.deepEqual(many.authorizations.map((a) => `${a.action} ${a.resourceArn}`), ["s3:DeleteObject arn:aws:s3:::b/k", "s3:DeleteObjectVersion arn:aws:s3:::b/v"]);
  });
});

describe("sandbox S3 versionId on a bucket never versioned", () => {
  it("answers 400 InvalidArgument for any version id but \"null\"", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sandbox-s3-unver-"));
    const model = fixtureModel();
    const principals = new PrincipalDirectory(ACCOUNT);
    const s3 = await S3Service.start({ directory: dir, port: 0, treatLoopbackAsTls: true }, principals, new Authorizer(ACCOUNT, new ModelPolicyStore(model)));
    try {
      await seedS3(s3.internalEndpoint, model);
      const operator = new S3Client({ region: REGION, endpoint: s3.endpoint, credentials: principals.operator().credentials });
      const got = await operator.send(new GetObjectCommand({ Bucket: BUCKET, Key: DATA_KEY, VersionId: "null" }));
      assert.match((await got.Body?.transformToString()) ?? "", /^order_id/);
      await assert.rejects(operator.send(new GetObjectCommand({ Bucket: BUCKET, Key: DATA_KEY, VersionId: "0".repeat(32) })), (e: S3Failure) => {
        assert.equal(e.name, "InvalidArgument");
        assert.equal(e.$metadata?.httpStatusCode, 400);
        return true;
      });
    } finally {
      await s3.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
