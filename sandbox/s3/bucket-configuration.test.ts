import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  GetPublicAccessBlockCommand,
  PutBucketVersioningCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Authorizer } from "../iam/authorizer";
import { ModelPolicyStore } from "../iam/policy-store";
import { PrincipalDirectory } from "../iam/principals";
import type { ModelResource } from "../program-model";
import { ACCOUNT, arn, BUCKET, DATA_KEY, fixtureModel, REGION } from "../testing/fixture-model";
import { bucketConfigurations } from "./bucket-configuration";
import { S3Service } from "./s3-service";
import { seedS3 } from "./seed";

const BARE_BUCKET = "lab-bare-0a1b2c3";

/** The model plus the bucket settings EtlPipeline declares (same resource types and inputs), and a bare bucket. */
function configuredModel() {
  const model = fixtureModel();
  const r = (type: string, name: string, inputs: Record<string, unknown>): ModelResource => ({ type, name, urn: `urn:${name}`, id: name, inputs, state: inputs }) as unknown as ModelResource;
  model.resources.push(
    r("aws:s3/bucketVersioning:BucketVersioning", "v", { bucket: BUCKET, versioningConfiguration: { status: "Enabled" } }),
    r("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "e", { bucket: BUCKET, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/lab" }, bucketKeyEnabled: true }] }),
    r("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "p", { bucket: BUCKET, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
    r("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "o", { bucket: BUCKET, rule: { objectOwnership: "BucketOwnerEnforced" } }),
    r("aws:s3/bucket:Bucket", "bare", { bucket: BARE_BUCKET }),
  );
  return model;
}

describe("S3 bucket configuration: read back as the program configured it", function () {
  this.timeout(60_000);
  let dir: string;
  let s3: S3Service;
  let principals: PrincipalDirectory;
  let operator: S3Client;
  const model = configuredModel();

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sandbox-bucket-config-"));
    principals = new PrincipalDirectory(ACCOUNT);
    s3 = await S3Service.start(
      { directory: dir, port: 0, treatLoopbackAsTls: true, region: REGION, bucketConfigurations: bucketConfigurations(model) },
      principals,
      new Authorizer(ACCOUNT, new ModelPolicyStore(model)),
    );
    await seedS3(s3.internalEndpoint, model);
    operator = new S3Client({ region: REGION, endpoint: s3.endpoint, forcePathStyle: true, credentials: principals.operator().credentials });
  });
  after(async () => {
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers GetBucketVersioning, GetBucketEncryption, GetPublicAccessBlock, GetBucketOwnershipControls and GetBucketPolicy with the program's settings", async () => {
    assert.equal((await operator.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status, "Enabled");
    const rule = (await operator.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }))).ServerSideEncryptionConfiguration?.Rules?.[0];
    assert.deepEqual(rule, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/lab" }, BucketKeyEnabled: true });
    const block = (await operator.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }))).PublicAccessBlockConfiguration;
    assert.deepEqual(block, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    const ownership = await operator.send(new GetBucketOwnershipControlsCommand({ Bucket: BUCKET }));
    assert.deepEqual(ownership.OwnershipControls?.Rules, [{ ObjectOwnership: "BucketOwnerEnforced" }]);
    const policy = JSON.parse((await operator.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy ?? "{}") as { Statement: { Sid: string }[] };
    assert.equal(policy.Statement[0].Sid, "DenyInsecureTransport");
  });

  it("answers a bucket with nothing configured as S3 does: unversioned, SSE-S3 by default, and the three not-found errors", async () => {
    assert.equal((await operator.send(new GetBucketVersioningCommand({ Bucket: BARE_BUCKET }))).Status, undefined);
    const rule = (await operator.send(new GetBucketEncryptionCommand({ Bucket: BARE_BUCKET }))).ServerSideEncryptionConfiguration?.Rules?.[0];
    assert.equal(rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, "AES256");
    const notFound = async (call: Promise<unknown>, code: string) =>
      assert.rejects(call, (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === code && e.$metadata?.httpStatusCode === 404);
    await notFound(operator.send(new GetPublicAccessBlockCommand({ Bucket: BARE_BUCKET })), "NoSuchPublicAccessBlockConfiguration");
    await notFound(operator.send(new GetBucketOwnershipControlsCommand({ Bucket: BARE_BUCKET })), "OwnershipControlsNotFoundError");
    await notFound(operator.send(new GetBucketPolicyCommand({ Bucket: BARE_BUCKET })), "NoSuchBucketPolicy");
    await notFound(operator.send(new GetBucketVersioningCommand({ Bucket: "no-such-bucket-here" })), "NoSuchBucket");
  });

  it("authorizes each read with its own action, and refuses to change the program's configuration", async () => {
    const glue = new S3Client({ region: REGION, endpoint: s3.endpoint, forcePathStyle: true, credentials: principals.roleSession(arn.role("lab-glue-role"), "GlueJobRunnerSession").credentials });
    await assert.rejects(glue.send(new GetBucketVersioningCommand({ Bucket: BUCKET })), (e: Error) => e.name === "AccessDenied" && /s3:GetBucketVersioning/.test(e.message));
    await assert.rejects(glue.send(new GetBucketOwnershipControlsCommand({ Bucket: BUCKET })), (e: Error) => e.name === "AccessDenied" && /s3:GetBucketOwnershipControls/.test(e.message));
    await assert.rejects(operator.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Suspended" } })), (e: Error) => e.name === "NotImplemented");
    assert.equal((await operator.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status, "Enabled");
  });

  it("serves the versioned bucket's versions: an unknown version id is 404 NoSuchVersion, the seeded object is version \"null\"", async () => {
    await assert.rejects(operator.send(new GetObjectCommand({ Bucket: BUCKET, Key: DATA_KEY, VersionId: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY" })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === "NoSuchVersion" && e.$metadata?.httpStatusCode === 404);
    const listed = await operator.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: DATA_KEY }));
    assert.deepEqual(listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]), [[DATA_KEY, "null", true]]);
  });
});
