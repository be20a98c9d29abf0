import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectsCommand, GetObjectCommand, UploadPartCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Authorizer } from "../iam/authorizer";
import { ModelPolicyStore } from "../iam/policy-store";
import { PrincipalDirectory, type Credentials } from "../iam/principals";
import { ACCOUNT, arn, BUCKET, DATA_KEY, fixtureModel, REGION } from "../testing/fixture-model";
import { parseAwsChunked } from "./aws-chunked";
import { s3RequestTarget } from "./request-action";
import { S3Service } from "./s3-service";
import { seedS3 } from "./seed";

describe("sandbox S3", () => {
  let dir: string;
  let s3: S3Service;
  let principals: PrincipalDirectory;
  const client = (credentials: Credentials) => new S3Client({ region: REGION, endpoint: s3.endpoint, credentials });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sandbox-s3-"));
    const model = fixtureModel();
    principals = new PrincipalDirectory(ACCOUNT);
    s3 = await S3Service.start({ directory: dir, port: 0, treatLoopbackAsTls: true }, principals, new Authorizer(ACCOUNT, new ModelPolicyStore(model)));
    await seedS3(s3.internalEndpoint, model);
  });
  after(async () => {
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the seeded data file to a role allowed to read it", async () => {
    const { credentials } = principals.roleSession(arn.role("lab-check-file-role"), "lab-check-file");
    const object = await client(credentials).send(new GetObjectCommand({ Bucket: BUCKET, Key: DATA_KEY }));
    const text = await object.Body?.transformToString();
    assert.match(text ?? "", /^order_id,order_date/);
  });

  it("stores what an allowed role writes, byte for byte (streaming checksum uploads included)", async () => {
    const { credentials } = principals.roleSession(arn.role("lab-glue-role"), "GlueJobRunnerSession");
    const glue = client(credentials);
    const body = "a,b\n1,2\n".repeat(1000);
    await glue.send(new PutObjectCommand({ Bucket: BUCKET, Key: "output/jr_test/data.csv", Body: body }));
    const { Readable } = await import("node:stream");
    await glue.send(new PutObjectCommand({ Bucket: BUCKET, Key: "output/jr_test/stream.csv", Body: Readable.from([Buffer.from(body)]), ContentLength: body.length }));
    const reader = client(principals.roleSession(arn.role("lab-validate-output-role"), "lab-validate-output").credentials);
    for (const key of ["output/jr_test/data.csv", "output/jr_test/stream.csv"]) {
      const read = await reader.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      assert.equal(await read.Body?.transformToString(), body, key);
    }
    const listed = await reader.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "output/jr_test/" }));
    assert.deepEqual(listed.Contents?.map((c) => c.Key).sort(), ["output/jr_test/data.csv", "output/jr_test/stream.csv"]);
  });

  it("assembles a multipart upload made by an allowed role", async () => {
    const glue = client(principals.roleSession(arn.role("lab-glue-role"), "GlueJobRunnerSession").credentials);
    const Key = "output/jr_multipart/data.csv";
    const { UploadId } = await glue.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
    const partOne = "x".repeat(5 * 1024 * 1024);
    const parts = [];
    for (const [i, Body] of [partOne, "tail"].entries()) {
      const { ETag } = await glue.send(new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: i + 1, Body }));
      parts.push({ ETag, PartNumber: i + 1 });
    }
    await glue.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key, UploadId, MultipartUpload: { Parts: parts } }));
    const read = await client(principals.operator().credentials).send(new GetObjectCommand({ Bucket: BUCKET, Key }));
    assert.equal(read.ContentLength, partOne.length + 4);
  });

  it("refuses a write the role's policy does not grant with S3's AccessDenied naming principal and action", async () => {
    const { credentials } = principals.roleSession(arn.role("lab-check-file-role"), "lab-check-file");
    await assert.rejects(client(credentials).send(new PutObjectCommand({ Bucket: BUCKET, Key: "data/evil.csv", Body: "x" })), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, "AccessDenied");
      assert.equal(error.$metadata?.httpStatusCode, 403);
      assert.match(error.message, /assumed-role\/lab-check-file-role\/lab-check-file is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::lab-data-0a1b2c3\/data\/evil.csv/);
      return true;
    });
  });

  it("answers 404 for a missing key only to callers who may list the bucket, 403 to others (as S3 does)", async () => {
    const operator = client(principals.operator().credentials);
    await assert.rejects(operator.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "data/missing.csv" })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 404);
    const glue = client(principals.roleSession(arn.role("lab-glue-role"), "GlueJobRunnerSession").credentials);
    await assert.rejects(glue.send(new GetObjectCommand({ Bucket: BUCKET, Key: "etl/missing.py" })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.$metadata?.httpStatusCode, 403);
      assert.equal(e.name, "AccessDenied");
      return true;
    });
  });

  it("authorizes every key of a DeleteObjects request", async () => {
    const operator = client(principals.operator().credentials);
    await operator.send(new PutObjectCommand({ Bucket: BUCKET, Key: "tmp/a", Body: "a" }));
    const result = await operator.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: "tmp/a" }] } }));
    assert.equal(result.Errors?.length ?? 0, 0);
    const glue = client(principals.roleSession(arn.role("lab-glue-role"), "GlueJobRunnerSession").credentials);
    await assert.rejects(glue.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: "output/jr_test/data.csv" }] } })), /DeleteObject/);
  });

  it("rejects keys it never issued with InvalidAccessKeyId", async () => {
    const stranger = client({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x".repeat(40) });
    await assert.rejects(stranger.send(new GetObjectCommand({ Bucket: BUCKET, Key: DATA_KEY })), (e: Error) => e.name === "InvalidAccessKeyId");
  });

  it("keeps the unauthorized backend off TCP: a Unix socket in a folder only its owner may enter", () => {
    assert.ok(statSync(s3.internalEndpoint).isSocket());
    assert.equal(statSync(path.dirname(s3.internalEndpoint)).mode & 0o777, 0o700);
    assert.doesNotMatch(s3.internalEndpoint, /^https?:/);
  });

  it("evaluates the TLS-only bucket policy when loopback is not treated as TLS", async () => {
    const strictDir = mkdtempSync(path.join(tmpdir(), "sandbox-s3-strict-"));
    const model = fixtureModel();
    const strict = await S3Service.start({ directory: strictDir, port: 0, treatLoopbackAsTls: false }, principals, new Authorizer(ACCOUNT, new ModelPolicyStore(model)));
    try {
      await seedS3(strict.internalEndpoint, model);
      const operator = new S3Client({ region: REGION, endpoint: strict.endpoint, credentials: principals.operator().credentials });
      await assert.rejects(operator.send(new GetObjectCommand({ Bucket: BUCKET, Key: DATA_KEY })), (e: Error) => {
        assert.equal(e.name, "AccessDenied");
        assert.match(e.message, /explicit deny in a resource-based policy/);
        return true;
      });
    } finally {
      await strict.stop();
      rmSync(strictDir, { recursive: true, force: true });
    }
  });
});

describe("S3 request mapping", () => {
  const q = (s = "") => new URLSearchParams(s);
  it("maps object reads, listings, multipart steps and copies to S3's IAM actions", () => {
    const actions = (m: string, p: string, s = "", copy?: string) => s3RequestTarget(m, p, q(s), copy).authorizations.map((a) => `${a.action} ${a.resourceArn}`);
    assert.deepEqual(actions("HEAD", "/b/k%20x"), ["s3:GetObject arn:aws:s3:::b/k x"]);
    assert.deepEqual(actions("GET", "/b", "list-type=2&prefix=out%2F"), ["s3:ListBucket arn:aws:s3:::b"]);
    assert.equal(s3RequestTarget("GET", "/b", q("list-type=2&prefix=out/")).authorizations[0].context["s3:prefix"], "out/");
    assert.deepEqual(actions("POST", "/b/k", "uploads"), ["s3:PutObject arn:aws:s3:::b/k"]);
    assert.deepEqual(actions("PUT", "/b/k", "partNumber=1&uploadId=u"), ["s3:PutObject arn:aws:s3:::b/k"]);
    assert.deepEqual(actions("POST", "/b/k", "uploadId=u"), ["s3:PutObject arn:aws:s3:::b/k"]);
    assert.deepEqual(actions("DELETE", "/b/k", "uploadId=u"), ["s3:AbortMultipartUpload arn:aws:s3:::b/k"]);
    assert.deepEqual(actions("PUT", "/b/dst", "", "/src/a%2Fb.csv"), ["s3:PutObject arn:aws:s3:::b/dst", "s3:GetObject arn:aws:s3:::src/a/b.csv"]);
  });

  it("decodes aws-chunked bodies with signatures and trailers", () => {
    const encoded = Buffer.from("5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n");
    const parsed = parseAwsChunked(encoded);
    assert.equal(Buffer.concat(parsed.chunks.map((c) => c.data)).toString(), "hello world");
    assert.equal(parsed.chunks[0].signature, "abc");
    assert.deepEqual(parsed.trailers, ["x-amz-checksum-crc32:AAAA"]);
    assert.throws(() => parseAwsChunked(Buffer.from("zz\r\n")), /bad chunk header/);
  });
});
