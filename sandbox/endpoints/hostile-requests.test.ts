import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ListStateMachinesCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { SignatureV4 } from "@smithy/signature-v4";
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { NodeSha256 } from "../iam/signature";
import { Sandbox } from "../index";
import { arn, BUCKET, DATA_KEY, fixtureModel, REGION } from "../testing/fixture-model";
import { rawExchange, send, signedRaw, signRaw, statusOf } from "../testing/raw-http";
import { waitForExecution } from "../testing/sfn-helpers";
import { MAX_JSON_REQUEST_BYTES } from "./api-server";

/** The JSON body of an API answer, e.g. {"__type":"UnknownOperationException","message":"..."}. */
const errorType = (body: string) => (JSON.parse(body) as { __type?: string }).__type;

describe("sandbox endpoints under hostile requests: every one answered, none takes the process down", function () {
  this.timeout(120_000);
  let rootDir: string;
  let sandbox: Sandbox;
  const logFile = () => path.join(rootDir, "logs", "endpoints.log");

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-hostile-"));
    sandbox = await Sandbox.start(fixtureModel(), { rootDir, timeScale: 0.05, glue: { startupDelayMs: 30 }, sfn: { syncPollIntervalMs: 40 } });
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  const api = (target: string, body: string = "{}", headers: Record<string, string> = {}) =>
    signedRaw(sandbox.endpoints.sfn, sandbox.credentials, {
      method: "POST",
      rawPath: "/",
      body,
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": target, ...headers },
      service: target.startsWith("AWSGlue.") ? "glue" : "states",
      region: REGION,
    });

  it("answers Object property names as service or operation with UnknownOperationException", async () => {
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf", "__defineGetter__", "prototype"];
    const targets = [
      ...names.map((n) => `AWSStepFunctions.${n}`),
      ...names.map((n) => `AWSGlue.${n}`),
      ...names.map((n) => `${n}.StartExecution`),
      "constructor.constructor",
      "__proto__.__proto__",
      "AWSStepFunctions.",
      ".StartExecution",
      "nodot",
      "",
    ];
    for (const target of targets) {
      const response = await api(target);
      assert.equal(response.status, 400, target);
      assert.equal(errorType(response.body), "UnknownOperationException", target);
    }
  });

  it("answers a member of the wrong JSON type with SerializationException, never ignoring it", async () => {
    const cases: [string, string, RegExp][] = [
      // Required string given as a number, optional string given as an object, optional number given as a string.
      ["AWSStepFunctions.StartExecution", '{"stateMachineArn": 42}', /Value of 'stateMachineArn' must be a string, got 42/],
      ["AWSStepFunctions.StartExecution", '{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:x", "input": {"a": 1}}', /Value of 'input' must be a string/],
      ["AWSGlue.GetJobRuns", '{"JobName": "j", "MaxResults": "10"}', /Value of 'MaxResults' must be/],
      ["AWSGlue.CreateTrigger", '{"Name": "t", "Type": "ON_DEMAND", "Actions": "run-it"}', /Value of 'Actions' must be a list of structures/],
      ["AWSGlue.CreateTrigger", '{"Name": "t", "Type": "CONDITIONAL", "Actions": [{"JobName": "j"}], "Predicate": {"Conditions": [{"JobName": 7}]}}', /Value of 'JobName' must be a string/],
      ["AWSGlue.StartWorkflowRun", '{"Name": "w", "RunProperties": {"day": 1}}', /Value of 'RunProperties' must be a map of strings/],
      ["AWSGlue.CreateCrawler", '{"Name": "c", "Role": "r", "DatabaseName": "d", "Targets": {"S3Targets": [{"Path": 7}]}}', /Value of 'Targets.S3Targets\[0\].Path' must be a string, got 7/],
      ["AWSGlue.CreateCrawler", '{"Name": "c", "Role": "r", "DatabaseName": "d", "Targets": {"S3Targets": [{"Path": "s3://b/p", "Exclusions": "*.tmp"}]}}', /Exclusions' must be a list of strings/],
      ["AWSGlue.CreateTable", '{"DatabaseName": "d", "TableInput": {"Name": "t", "StorageDescriptor": {"Columns": [{"Name": 1}]}}}', /Value of 'Name' must be a string, got 1/],
      ["AWSGlue.CreateTable", '{"DatabaseName": "d", "TableInput": {"Name": "t", "StorageDescriptor": {"Columns": {"id": "int"}}}}', /Value of 'TableInput.StorageDescriptor.Columns' must be a list of structures/],
      ["AWSGlue.CreateTable", '{"DatabaseName": "d", "TableInput": {"Name": "t", "PartitionKeys": [{"Name": "y", "Type": 4}]}}', /Value of 'TableInput.PartitionKeys\[0\].Type' must be a string/],
    ];
    for (const [target, body, message] of cases) {
      const response = await api(target, body);
      assert.equal(response.status, 400, body);
      assert.equal(errorType(response.body), "SerializationException", `${target} ${body}: ${response.body}`);
      assert.match(response.body, message);
    }
  });

  it("answers bad JSON, non-object bodies and oversized bodies with the protocol's errors", async () => {
    for (const body of ["{oops", "[1,2]", "null", "42", '"text"', "\u0000\u0001", Buffer.from([0xff, 0xfe, 0xfd]).toString("latin1")]) {
      const response = await api("AWSStepFunctions.ListStateMachines", body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(errorType(response.body), "SerializationException", JSON.stringify(body));
    }
    // A body JSON.parse reads as an object with an own "__proto__" key is just an object with a key.
    const proto = await api("AWSStepFunctions.ListStateMachines", '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');
    assert.equal(proto.status, 200, proto.body);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // Refused from its Content-Length, before the body is read.
    const huge = await rawExchange(
      sandbox.endpoints.sfn,
      `POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.StartExecution\r\nContent-Length: ${MAX_JSON_REQUEST_BYTES + 1}\r\n\r\n{`,
    );
    assert.equal(statusOf(huge), 413, huge);
  });

  it("answers missing, malformed, foreign and wrong signatures with the JSON APIs' authentication errors", async () => {
    const url = new URL(sandbox.endpoints.sfn);
    const unsigned = await send(url, "POST", "/", { "x-amz-target": "AWSStepFunctions.ListStateMachines", "content-type": "application/x-amz-json-1.0" }, Buffer.from("{}"));
    assert.equal(errorType(unsigned.body), "MissingAuthenticationTokenException");
    const cases: [string, string][] = [
      ["AWS4-HMAC-SHA256", "IncompleteSignatureException"],
      ["garbage", "IncompleteSignatureException"],
      ["AWS4-HMAC-SHA256 Credential=/, SignedHeaders=, Signature=", "IncompleteSignatureException"],
      [`AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20200101/${REGION}/states/aws4_request, SignedHeaders=host, Signature=00`, "IncompleteSignatureException"],
      [`AWS4-HMAC-SHA256 Credential=${"A".repeat(5000)}/x/y/z/aws4_request, SignedHeaders=host, Signature=00`, "IncompleteSignatureException"],
    ];
    for (const [authorization, expected] of cases) {
      const response = await send(url, "POST", "/", { "x-amz-target": "AWSStepFunctions.ListStateMachines", authorization, "x-amz-date": "not-a-date" }, Buffer.from("{}"));
      assert.equal(response.status, 400, authorization.slice(0, 80));
      assert.equal(errorType(response.body), expected, authorization.slice(0, 80));
    }
    const stranger = new SFNClient({ region: REGION, endpoint: sandbox.endpoints.sfn, credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x".repeat(40) } });
    await assert.rejects(stranger.send(new ListStateMachinesCommand({})), (e: Error) => e.name === "UnrecognizedClientException");
    const wrongSecret = new SFNClient({ region: REGION, endpoint: sandbox.endpoints.sfn, credentials: { ...sandbox.credentials, secretAccessKey: "y".repeat(40) } });
    await assert.rejects(wrongSecret.send(new ListStateMachinesCommand({})), (e: Error) => {
      assert.equal(e.name, "InvalidSignatureException");
      assert.match(e.message, /signature we calculated does not match/);
      return true;
    });
    // Signed 20 minutes ago: "Signature expired: ... is now earlier than ... (... - 5 min.)"; one attempt, no clock correction.
    const late = new SFNClient({ region: REGION, endpoint: sandbox.endpoints.sfn, credentials: sandbox.credentials, systemClockOffset: -20 * 60_000, maxAttempts: 1 });
    await assert.rejects(late.send(new ListStateMachinesCommand({})), (e: Error) => {
      assert.equal(e.name, "InvalidSignatureException");
      assert.match(e.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
      return true;
    });
  });

  it("answers S3's signature errors: SignatureDoesNotMatch, InvalidAccessKeyId, RequestTimeTooSkewed, expired presigned URLs", async () => {
    const s3 = (credentials = sandbox.credentials, extra = {}) => new S3Client({ region: REGION, endpoint: sandbox.endpoints.s3, forcePathStyle: true, credentials, maxAttempts: 1, ...extra });
    const check = async (client: S3Client, code: string, status: number) =>
      assert.rejects(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: DATA_KEY })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, code);
        assert.equal(e.$metadata?.httpStatusCode, status);
        return true;
      });
    await check(s3({ ...sandbox.credentials, secretAccessKey: "z".repeat(40) }), "SignatureDoesNotMatch", 403);
    await check(s3({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "z".repeat(40) }), "InvalidAccessKeyId", 403);
    await check(s3(sandbox.credentials, { systemClockOffset: -20 * 60_000 }), "RequestTimeTooSkewed", 403);

    // A presigned GET works, then expires. Signed as @aws-sdk/s3-request-presigner does: the SDK's signer with
    // UNSIGNED-PAYLOAD as the payload hash, which the S3 reference prescribes for presigned URLs.
    const url = new URL(sandbox.endpoints.s3);
    const presign = async (signingDate: Date, expiresIn: number) => {
      const signer = new SignatureV4({ credentials: sandbox.credentials, region: REGION, service: "s3", sha256: NodeSha256, uriEscapePath: false });
      const request = await signer.presign(
        { method: "GET", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: `/${BUCKET}/${DATA_KEY}`, query: {}, headers: { host: url.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } },
        { signingDate, expiresIn, unsignableHeaders: new Set(["x-amz-content-sha256"]), unhoistableHeaders: new Set(["x-amz-content-sha256"]) },
      );
      const query = Object.entries(request.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join("&");
      return fetch(`${sandbox.endpoints.s3}/${BUCKET}/${DATA_KEY}?${query}`);
    };
    const fresh = await presign(new Date(), 60);
    assert.equal(fresh.status, 200, await fresh.clone().text());
    assert.match(await fresh.text(), /^order_id,/);
    const expired = await presign(new Date(Date.now() - 120_000), 60);
    assert.equal(expired.status, 403);
    const text = await expired.text();
    assert.match(text, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    const tampered = await fetch(`${(await presign(new Date(), 60)).url.replace(DATA_KEY, "etl/glue_job.py")}`);
    assert.equal(tampered.status, 403);
    assert.match(await tampered.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  it("survives broken HTTP: huge headers, bad and lying Content-Length, truncated bodies, garbage bytes", async () => {
    for (const endpoint of [sandbox.endpoints.sfn, sandbox.endpoints.s3]) {
      const hugeHeader = await rawExchange(endpoint, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(100_000)}\r\n\r\n`);
      assert.equal(statusOf(hugeHeader), 431, hugeHeader.slice(0, 100));
      const badLength = await rawExchange(endpoint, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}");
      assert.equal(statusOf(badLength), 400);
      const twoLengths = await rawExchange(endpoint, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}");
      assert.equal(statusOf(twoLengths), 400);
      const garbage = await rawExchange(endpoint, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]));
      assert.equal(statusOf(garbage), 400);
      // Declares 1,000 bytes, sends 10, hangs up: the server gives up on it quietly.
      await rawExchange(endpoint, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789", { endAfterWrite: true, waitMs: 300 });
      const chunkedLie = await rawExchange(endpoint, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", { endAfterWrite: true });
      assert.ok([0, 400].includes(statusOf(chunkedLie)), chunkedLie.slice(0, 100));
    }
    // A correctly signed S3 PUT whose body stops halfway leaves the previous object as it was.
    const s3 = new S3Client(sandbox.clientConfig("s3"));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "output/partial.txt", Body: "complete" }));
    const signed = await signRaw(sandbox.endpoints.s3, sandbox.credentials, {
      method: "PUT",
      rawPath: `/${BUCKET}/output/partial.txt`,
      headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD", "content-length": "100" },
      service: "s3",
      region: REGION,
    });
    const head = Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
    await rawExchange(sandbox.endpoints.s3, `PUT ${signed.target} HTTP/1.1\r\n${head}\r\nhalf`, { endAfterWrite: true, waitMs: 300 });
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "output/partial.txt" }))).Body?.transformToString(), "complete");
  });

  it("answers S3 requests with hostile paths and queries as S3 does", async () => {
    const cases: [string, number, string][] = [
      [`/${BUCKET}/a%zz`, 400, "InvalidURI"],
      [`/${BUCKET}?prefix=%E0%A4%A`, 400, "InvalidURI"],
      [`/${BUCKET}/x?uploadId=../../../../tmp/evil&partNumber=1`, 404, "NoSuchUpload"],
      ["/%2E%2E/etc", 400, "InvalidBucketName"],
      ["/constructor", 404, "NoSuchBucket"],
      ["/__proto__", 400, "InvalidBucketName"],
    ];
    const url = new URL(sandbox.endpoints.s3);
    for (const [target, status, code] of cases) {
      const [rawPath, rawQuery = ""] = target.split("?");
      const query = Object.fromEntries(rawQuery.split("&").filter(Boolean).map((p) => p.split("=") as [string, string]));
      let response;
      if (/%E0%A4%A/.test(rawQuery)) {
        // unsignable (the query does not decode): sent with a well-formed but wrong signature
        response = await send(url, "GET", target, { host: url.host, authorization: "AWS4-HMAC-SHA256 Credential=x/y/z/s3/aws4_request, SignedHeaders=host, Signature=0", "x-amz-date": "20260101T000000Z" });
      } else {
        const decoded = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, decodeURIComponent(v)]));
        response = await signedRaw(sandbox.endpoints.s3, sandbox.credentials, { method: target.includes("uploadId") ? "PUT" : "GET", rawPath, query: decoded, body: target.includes("uploadId") ? "x" : undefined, service: "s3", region: REGION });
      }
      assert.equal(response.status, status, `${target}: ${response.body}`);
      assert.match(response.body, new RegExp(`<Code>${code}</Code>`), target);
    }
    assert.equal(existsSync("/tmp/evil"), false);
  });

  it("logged no internal failure for any of it, and still runs a pattern end to end", async () => {
    assert.equal(existsSync(logFile()) ? readFileSync(logFile(), "utf8") : "", "");
    const sfn = new SFNClient(sandbox.clientConfig("sfn"));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn.stateMachine("lab-run-job"), input: JSON.stringify({ arguments: {} }) }));
    const done = await waitForExecution(sfn, executionArn as string);
    assert.equal(done.status, "SUCCEEDED", done.cause);
  });

  it("keeps the connection file, which holds the operator's secret, readable by its owner only", () => {
    assert.equal(statSync(sandbox.connectionFile).mode & 0o777, 0o600);
    const connection = JSON.parse(readFileSync(sandbox.connectionFile, "utf8")) as { credentials: { secretAccessKey: string } };
    assert.equal(connection.credentials.secretAccessKey, sandbox.credentials.secretAccessKey);
  });
});
