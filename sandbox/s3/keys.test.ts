import { CopyObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Authorizer } from "../iam/authorizer";
import { ModelPolicyStore } from "../iam/policy-store";
import { PrincipalDirectory, type Credentials } from "../iam/principals";
import { signedRaw } from "../testing/raw-http";
import { ACCOUNT, arn, BUCKET, fixtureModel, REGION } from "../testing/fixture-model";
import { decodeKeyFromFileSystem, encodeKeyForFileSystem, isValidBucketName } from "./keys";
import { S3Service } from "./s3-service";
import { seedS3 } from "./seed";

/** Every file and folder under `dir`, relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? [name + "/", ...tree(full).map((p) => `${name}/${p}`)] : [name];
  });
}

describe("S3 keys: opaque strings, decoded once, stored inside the S3 folder whatever they contain", function () {
  this.timeout(60_000);
  // S3 user guide, "Naming Amazon S3 objects": a key is any sequence of UTF-8 characters up to 1,024 bytes;
  // "." and ".." are ordinary characters of it, not path steps (the SDKs do not normalize them either).
  const hostile = ["output/../etl/glue_job.py", "../../../outside.txt", "a/./b", "a//b", "/leading", "trailing/", "..", ".", "x._S3rver_object", "%2e%2e/y", "é/ü/日本", `${"s".repeat(300)}/z`];

  it("stores every key under components that are never '.', '..', empty or slashed, and reads it back exactly", () => {
    for (const key of hostile) {
      const components = encodeKeyForFileSystem(key);
      for (const c of components) {
        assert.ok(c !== "" && c !== "." && c !== ".." && !c.includes("/") && !c.includes("\\") && !c.includes("."), `${key} -> ${c}`);
        assert.ok(Buffer.byteLength(c) <= 200, `${key}: component of ${Buffer.byteLength(c)} bytes`);
      }
      assert.equal(decodeKeyFromFileSystem(components), key);
    }
  });

  it("accepts only S3's bucket names (3-63 lowercase letters, digits, dots, hyphens; no '..', no IP)", () => {
    for (const ok of ["lab-data-0a1b2c3", "a.b.c", "abc"]) assert.equal(isValidBucketName(ok), true, ok);
    for (const bad of ["..", ".", "ab", "Upper", "a..b", "-abc", "abc-", "192.168.1.1", "a/b", "__proto__", "x".repeat(64)]) assert.equal(isValidBucketName(bad), false, bad);
  });

  describe("through the S3 endpoint", () => {
    let parent: string;
    let s3Dir: string;
    let s3: S3Service;
    let principals: PrincipalDirectory;
    const client = (credentials: Credentials) => new S3Client({ region: REGION, endpoint: s3.endpoint, credentials, forcePathStyle: true });
    const text = async (c: S3Client, Key: string) => (await c.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body?.transformToString();

    before(async () => {
      parent = mkdtempSync(path.join(tmpdir(), "sandbox-keys-"));
      s3Dir = path.join(parent, "s3");
      mkdirSync(s3Dir);
      const model = fixtureModel();
      principals = new PrincipalDirectory(ACCOUNT);
      s3 = await S3Service.start({ directory: s3Dir, port: 0, treatLoopbackAsTls: true, region: REGION }, principals, new Authorizer(ACCOUNT, new ModelPolicyStore(model)));
      await seedS3(s3.internalEndpoint, model);
    });
    after(async () => {
      await s3?.stop();
      rmSync(parent, { recursive: true, force: true });
    });

    it("lets a role allowed output/* write output%2F..%2Fetl%2Fglue_job.py as that literal key; the Glue script is untouched", async () => {
      const operator = client(principals.operator().credentials);
      const script = await text(operator, "etl/glue_job.py");
      const glue = principals.roleSession(arn.role("lab-glue-role"), "GlueJobRunnerSession").credentials;
      const literal = "output/../etl/glue_job.py";
      // Encoded slashes, as the issue reported them:
      const put = await signedRaw(s3.endpoint, glue, { method: "PUT", rawPath: `/${BUCKET}/output%2F..%2Fetl%2Fglue_job.py`, body: "print('owned')", service: "s3", region: REGION });
      assert.equal(put.status, 200, put.body);
      // Raw dots, as an SDK sends a key containing them:
      await client(glue).send(new PutObjectCommand({ Bucket: BUCKET, Key: "output/../etl/transform.py", Body: "print('owned too')" }));
      assert.equal(await text(operator, "etl/glue_job.py"), script);
      assert.notEqual(script, "print('owned')");
      assert.equal(await text(operator, literal), "print('owned')");
      assert.equal(await text(operator, "output/../etl/transform.py"), "print('owned too')");
      const listed = await operator.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "output/" }));
      assert.deepEqual(listed.Contents?.map((c) => c.Key), ["output/../etl/glue_job.py", "output/../etl/transform.py"]);
      assert.equal(listed.KeyCount, 2);
      // CopyObject reads exactly the source key it authorized: x-amz-copy-source decoded once, like the path.
      await client(glue).send(new CopyObjectCommand({ Bucket: BUCKET, Key: "output/copy.py", CopySource: `${BUCKET}/etl%2Fglue_job.py` }));
      assert.equal(await text(operator, "output/copy.py"), script);
      // The same role still may not write etl/ itself.
      const direct = await signedRaw(s3.endpoint, glue, { method: "PUT", rawPath: `/${BUCKET}/etl/glue_job.py`, body: "x", service: "s3", region: REGION });
      assert.equal(direct.status, 403);
      assert.match(direct.body, /<Code>AccessDenied<\/Code>/);
    });

    it("creates nothing outside the S3 folder, whatever the operator's keys, and lists them all back exactly", async () => {
      const operator = client(principals.operator().credentials);
      for (const Key of hostile) await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: `body of ${Key}` }));
      const raw = await signedRaw(s3.endpoint, principals.operator().credentials, { method: "PUT", rawPath: `/${BUCKET}/%2E%2E%2F%2E%2E%2Fescaped.txt`, body: "x", service: "s3", region: REGION });
      assert.equal(raw.status, 200, raw.body);
      assert.deepEqual(readdirSync(parent), ["s3"]);
      for (const Key of hostile) assert.equal(await text(operator, Key), `body of ${Key}`, Key);
      const all: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await operator.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 4, ContinuationToken }));
        all.push(...(page.Contents ?? []).map((c) => c.Key as string));
        ContinuationToken = page.NextContinuationToken;
      } while (ContinuationToken);
      for (const Key of [...hostile, "../../escaped.txt"]) assert.ok(all.includes(Key), `${Key} listed`);
      assert.deepEqual(all, [...all].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))), "UTF-8 binary order");
      assert.ok(tree(s3Dir).every((p) => !p.split("/").includes("..")));
    });

    it("answers malformed percent-encoding with 400 InvalidURI, a bad bucket name with 400 InvalidBucketName, a long key with KeyTooLongError", async () => {
      const operator = principals.operator().credentials;
      const cases: [string, number, string][] = [
        [`/${BUCKET}/bad%zzkey`, 400, "InvalidURI"],
        [`/${BUCKET}/truncated%E0%A4%A`, 400, "InvalidURI"],
        ["/../etc/passwd", 400, "InvalidBucketName"],
        ["/__proto__/x", 400, "InvalidBucketName"],
        [`/${BUCKET}/${"k".repeat(1025)}`, 400, "KeyTooLongError"],
      ];
      for (const [rawPath, status, code] of cases) {
        const response = await signedRaw(s3.endpoint, operator, { method: "GET", rawPath, service: "s3", region: REGION });
        assert.equal(response.status, status, rawPath);
        assert.match(response.body, new RegExp(`<Code>${code}</Code>`), rawPath);
      }
      assert.deepEqual(readdirSync(parent), ["s3"]);
    });
  });
});
