import * as assert from "node:assert/strict";
import type { IncomingHttpHeaders } from "node:http";
import { verifiedChunkedPayload } from "../s3/aws-chunked";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256, SignatureError, verifySignature, type SignatureFailure, type SignedRequestParts } from "./signature";

/**
 * The oracle is the worked examples of the S3 API reference, "Authenticating Requests (AWS Signature
 * Version 4)": "Examples: Signature Calculations" (GET Object with a Range header), "Query Parameter
 * Authentication" (the presigned GET), and "Transferring Payload in Multiple Chunks" (a 66,560-byte
 * upload in chunks of 65,536 and 1,024 bytes). Key, secret, date and every signature are AWS's.
 */
const AWS_KEY = "AKIAIOSFODNN7EXAMPLE";
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const keys = {
  identityOf: (id: string) =>
    id === AWS_KEY ? { principal: { arn: "arn:aws:iam::123456789012:user/example", kind: "operator" as const }, credentials: { accessKeyId: id, secretAccessKey: AWS_SECRET } } : undefined,
};
const SIGNED_AT = new Date("2013-05-24T00:00:00Z");
const s3Options = { region: "us-east-1", services: ["s3"], maxSkewMs: 15 * 60_000, s3: true, now: SIGNED_AT };
const scope = `${AWS_KEY}/20130524/us-east-1/s3/aws4_request`;

function getObject(headers: Partial<IncomingHttpHeaders> = {}, signature = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"): SignedRequestParts {
  return {
    method: "GET",
    rawPath: "/test.txt",
    rawQuery: "",
    headers: {
      host: "examplebucket.s3.amazonaws.com",
      range: "bytes=0-9",
      "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "x-amz-date": "20130524T000000Z",
      authorization: `AWS4-HMAC-SHA256 Credential=${scope},SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=${signature}`,
      ...headers,
    },
  };
}

const presignQuery = (signature = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", expires = "86400") =>
  `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(scope)}&X-Amz-Date=20130524T000000Z&X-Amz-Expires=${expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=${signature}`;

const chunkedPut: SignedRequestParts = {
  method: "PUT",
  rawPath: "/examplebucket/chunkObject.txt",
  rawQuery: "",
  headers: {
    host: "s3.amazonaws.com",
    "x-amz-date": "20130524T000000Z",
    "x-amz-storage-class": "REDUCED_REDUNDANCY",
    "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "content-encoding": "aws-chunked",
    "x-amz-decoded-content-length": "66560",
    "content-length": "66824",
    authorization:
      `AWS4-HMAC-SHA256 Credential=${scope},SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,` +
      "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
  },
};

function chunkedBody(firstChunkSignature = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648", firstByte = "a"): Buffer {
  const first = Buffer.alloc(65536, "a");
  first[0] = firstByte.charCodeAt(0);
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${firstChunkSignature}\r\n`),
    first,
    Buffer.from("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n"),
    Buffer.alloc(1024, "a"),
    Buffer.from("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"),
  ]);
}

async function failure(promise: Promise<unknown>): Promise<SignatureFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SignatureError) return error.failure;
    throw error;
  }
  assert.fail("expected a SignatureError");
}

describe("SigV4 verification (AWS's documented examples)", () => {
  it("accepts the S3 reference's GET Object example and names its signer", async () => {
    const verified = await verifySignature(getObject(), keys, s3Options);
    assert.equal(verified.identity.credentials.accessKeyId, AWS_KEY);
    assert.equal(verified.payloadHash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("refuses the same request with any signed part changed, or signed with another secret: mismatch", async () => {
    assert.equal(await failure(verifySignature(getObject({ range: "bytes=0-99" }), keys, s3Options)), "mismatch");
    assert.equal(await failure(verifySignature({ ...getObject(), rawPath: "/test2.txt" }, keys, s3Options)), "mismatch");
    assert.equal(await failure(verifySignature(getObject({}, "0".repeat(64)), keys, s3Options)), "mismatch");
    const otherSecret = { identityOf: (id: string) => ({ ...keys.identityOf(id)!, credentials: { accessKeyId: id, secretAccessKey: "x".repeat(40) } }) };
    assert.equal(await failure(verifySignature(getObject(), otherSecret, s3Options)), "mismatch");
  });

  it("refuses unknown keys, other regions, missing and malformed signatures", async () => {
    assert.equal(await failure(verifySignature(getObject(), { identityOf: () => undefined }, s3Options)), "unknown-key");
    assert.equal(await failure(verifySignature(getObject(), keys, { ...s3Options, region: "eu-west-1" })), "wrong-scope");
    assert.equal(await failure(verifySignature(getObject({ authorization: undefined }), keys, s3Options)), "missing");
    assert.equal(await failure(verifySignature(getObject({ authorization: "AWS4-HMAC-SHA256 Credential=x" }), keys, s3Options)), "malformed");
    assert.equal(await failure(verifySignature(getObject({ authorization: "AWS AKIAIOSFODNN7EXAMPLE:abc" }), keys, s3Options)), "unsupported");
    assert.equal(await failure(verifySignature(getObject({ "x-amz-date": "yesterday" }), keys, s3Options)), "malformed");
  });

  it("refuses a request signed more than 15 minutes before or after the server's clock (RequestTimeTooSkewed)", async () => {
    const later = new Date(SIGNED_AT.getTime() + 16 * 60_000);
    const earlier = new Date(SIGNED_AT.getTime() - 16 * 60_000);
    assert.equal(await failure(verifySignature(getObject(), keys, { ...s3Options, now: later })), "skewed");
    assert.equal(await failure(verifySignature(getObject(), keys, { ...s3Options, now: earlier })), "skewed");
    await verifySignature(getObject(), keys, { ...s3Options, now: new Date(SIGNED_AT.getTime() + 14 * 60_000) });
  });

  it("accepts the reference's presigned URL until X-Amz-Expires (86400 s), then answers expired", async () => {
    const presigned = { method: "GET", rawPath: "/test.txt", rawQuery: presignQuery(), headers: { host: "examplebucket.s3.amazonaws.com" } };
    const verified = await verifySignature(presigned, keys, { ...s3Options, now: new Date(SIGNED_AT.getTime() + 86_000_000) });
    assert.equal(verified.presigned, true);
    assert.equal(verified.payloadHash, "UNSIGNED-PAYLOAD");
    assert.equal(await failure(verifySignature(presigned, keys, { ...s3Options, now: new Date(SIGNED_AT.getTime() + 86_401_000) })), "expired");
    assert.equal(await failure(verifySignature({ ...presigned, rawQuery: presignQuery("1".repeat(64)) }, keys, s3Options)), "mismatch");
    // X-Amz-Expires may be at most 604800 seconds (7 days).
    assert.equal(await failure(verifySignature({ ...presigned, rawQuery: presignQuery(undefined, "604801") }, keys, s3Options)), "malformed");
  });

  it("verifies the reference's aws-chunked upload chunk by chunk, and refuses a changed chunk or signature", async () => {
    const verified = await verifySignature(chunkedPut, keys, s3Options);
    const payload = await verifiedChunkedPayload(chunkedBody(), verified);
    assert.equal(payload.length, 66560);
    assert.ok(payload.every((byte) => byte === 0x61));
    await assert.rejects(verifiedChunkedPayload(chunkedBody(undefined, "b"), verified), (e: unknown) => e instanceof SignatureError && e.failure === "mismatch");
    await assert.rejects(verifiedChunkedPayload(chunkedBody("0".repeat(64)), verified), (e: unknown) => e instanceof SignatureError && e.failure === "mismatch");
  });

  it("hashes the body itself for the JSON APIs (no x-amz-content-sha256), so a changed body is a mismatch", async () => {
    const signer = new SignatureV4({ credentials: { accessKeyId: AWS_KEY, secretAccessKey: AWS_SECRET }, region: "us-east-1", service: "states", sha256: NodeSha256 });
    const body = '{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m"}';
    const signed = await signer.sign(
      { method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 8000, path: "/", query: {}, headers: { host: "127.0.0.1:8000", "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSStepFunctions.StartExecution" }, body },
      { signingDate: SIGNED_AT },
    );
    const jsonOptions = { region: "us-east-1", services: ["states"], maxSkewMs: 5 * 60_000, s3: false, now: SIGNED_AT };
    const parts = { method: "POST", rawPath: "/", rawQuery: "", headers: signed.headers as IncomingHttpHeaders, body: Buffer.from(body) };
    await verifySignature(parts, keys, jsonOptions);
    assert.equal(await failure(verifySignature({ ...parts, body: Buffer.from(body.replace("m\"", "n\"")) }, keys, jsonOptions)), "mismatch");
    assert.equal(await failure(verifySignature(parts, keys, { ...jsonOptions, services: ["glue"] })), "wrong-scope");
    // 5 minutes for the JSON APIs: "Signature expired: ... (... - 5 min.)"
    assert.equal(await failure(verifySignature(parts, keys, { ...jsonOptions, now: new Date(SIGNED_AT.getTime() + 6 * 60_000) })), "skewed");
  });
});
