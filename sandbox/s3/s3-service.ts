import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import * as nodePath from "node:path";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { answerClientErrors, BodyTooLargeError, guardedListener, readBodyCapped, stderrSink, type InternalErrorSink } from "../endpoints/http-guard";
import { AccessDeniedError } from "../aws-error";
import type { Authorizer, RequestContext } from "../iam/authorizer";
import type { Principal, PrincipalDirectory } from "../iam/principals";
import { decodeQuery, SignatureError, UNSIGNED_PAYLOAD, verifySignature, type SignatureFailure, type VerifiedRequest } from "../iam/signature";
import { AwsChunkedError, isAwsChunked, remainingContentEncoding, verifiedChunkedPayload } from "./aws-chunked";
import { configurationAnswer, CONFIGURATION_SUBRESOURCES, type BucketConfiguration, type ConfigurationSubresource } from "./bucket-configuration";
import { encodeKeyAsOneSegment, isValidBucketName, isValidUploadId, MAX_KEY_BYTES, parseRequestPath } from "./keys";
import { parseCopySource, s3RequestTarget, UnsupportedS3Request, type DeletedObject, type S3RequestTarget } from "./request-action";
import { backendRequest, startS3rverBackend } from "./s3rver-backend";
import { VersionArchive } from "./version-archive";
import { VersionedObjects, VersionRefusal } from "./versioned-objects";
import { sendS3Error } from "./xml-error";

/**
 * Largest request body the sandbox's S3 accepts, in one PutObject or UploadPart. S3 itself takes up to
 * 5 GiB in one PUT (and 5 GiB per part); the sandbox holds a body in memory to check its signature and
 * hash, so it stops at 64 MiB and answers EntityTooLarge beyond. The SDKs' and the AWS CLI's managed
 * uploads switch to multipart (parts of 5 to 8 MiB) long before.
 */
export const MAX_S3_REQUEST_BYTES = 64 * 1024 * 1024;

/** S3 accepts a request signed at most 15 minutes away from its clock (RequestTimeTooSkewed). */
const S3_MAX_SKEW_MS = 15 * 60_000;

export interface S3ServiceOptions {
  /** Where s3rver keeps buckets and objects. */
  readonly directory: string;
  /** Port of the authorizing endpoint; 0 picks a free one. */
  readonly port: number;
  /**
   * Loopback traffic never leaves the machine, so by default it counts as TLS: policies conditioned on
   * aws:SecureTransport see "true". Set false to evaluate every request as plain HTTP (aws:SecureTransport
   * "false"), which a TLS-only bucket policy then denies.
   */
  readonly treatLoopbackAsTls: boolean;
  /** The region signatures must be scoped to; omitted, the region a client signs for is accepted. */
  readonly region?: string;
  readonly onInternalError?: InternalErrorSink;
  /** What the program configured per bucket, answered by GetBucketVersioning and the like. */
  readonly bucketConfigurations?: ReadonlyMap<string, BucketConfiguration>;
}


/**
 * S3 on loopback: s3rver holds the objects on an internal port; in front of it an endpoint that
 * identifies the caller by its access key id, authorizes each request with IAM (identity policies and the
 * bucket policy) and forwards what is allowed. Unmodified S3 clients only change their endpoint.
 */
export class S3Service {
  private constructor(
    private readonly backend: { close(): Promise<void> },
    private readonly front: http.Server,
    /** The endpoint callers use: http://127.0.0.1:<port>. */
    readonly endpoint: string,
    /** s3rver itself, unauthorized, as a Unix socket path: only the sandbox (deployment, reset) writes there. */
    readonly internalEndpoint: string,
  ) {}

  static async start(options: S3ServiceOptions, principals: PrincipalDirectory, authorizer: Authorizer): Promise<S3Service> {
    mkdirSync(options.directory, { recursive: true });
    const backend = await startS3rverBackend(options.directory);
    const internalEndpoint = backend.socketPath;
    // The archive lives in the store's folder under a name that is no bucket name.
    const versions = new VersionedObjects(backend.socketPath, new VersionArchive(nodePath.join(options.directory, ".versions")));
    const proxy = new AuthorizingProxy(backend.socketPath, principals, authorizer, options.treatLoopbackAsTls, options.region, options.bucketConfigurations ?? new Map(), versions);
    const front = http.createServer(
      guardedListener(
        "s3",
        (req, res) => proxy.handle(req, res),
        (req, res) => sendS3Error(res, req.method ?? "GET", 500, "InternalError", "We encountered an internal error. Please try again."),
        options.onInternalError ?? stderrSink,
      ),
    );
    answerClientErrors(front);
    await new Promise<void>((resolve, reject) => {
      front.once("error", reject);
      front.listen(options.port, "127.0.0.1", () => resolve());
    });
    const port = (front.address() as AddressInfo).port;
    return new S3Service(backend, front, `http://127.0.0.1:${port}`, internalEndpoint);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.front.close(() => resolve());
      this.front.closeAllConnections();
    });
    await this.backend.close();
  }
}

/** S3's answer to each signature failure (S3 API reference, "Error responses"). */
const SIGNATURE_ERRORS: Record<SignatureFailure, [number, string]> = {
  missing: [403, "AccessDenied"],
  malformed: [400, "AuthorizationHeaderMalformed"],
  unsupported: [400, "InvalidRequest"],
  "wrong-scope": [400, "AuthorizationHeaderMalformed"],
  "unknown-key": [403, "InvalidAccessKeyId"],
  mismatch: [403, "SignatureDoesNotMatch"],
  skewed: [403, "RequestTimeTooSkewed"],
  expired: [403, "AccessDenied"],
};

/** An answer decided before forwarding: status, S3 error code, message. */
class S3Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

function refusalOfSignature(error: SignatureError): S3Refusal {
  const [status, code] = SIGNATURE_ERRORS[error.failure];
  const message =
    error.failure === "missing"
      ? "Anonymous access is not allowed: sign requests with sandbox credentials"
      : error.failure === "skewed"
        ? "The difference between the request time and the current time is too large."
        : error.message;
  return new S3Refusal(status, code, message, error.details);
}

/** The operations that add or remove versions in a versioned bucket. */
const VERSION_CHANGING_OPERATIONS: ReadonlySet<string> = new Set(["PutObject", "CopyObject", "CompleteMultipartUpload", "DeleteObject", "DeleteObjects"]);

/** Query parameters of a presigned URL: they authenticate the caller here, s3rver must not see them. */
const PRESIGN_PARAMS = new Set(["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"]);

class AuthorizingProxy {
  constructor(
    private readonly backendSocket: string,
    private readonly principals: PrincipalDirectory,
    private readonly authorizer: Authorizer,
    private readonly treatLoopbackAsTls: boolean,
    private readonly region: string | undefined,
    private readonly configurations: ReadonlyMap<string, BucketConfiguration>,
    private readonly versions: VersionedObjects,
  ) {}

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    try {
      await this.serve(req, res, method);
    } catch (error) {
      if (error instanceof VersionRefusal) {
        for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
        return sendS3Error(res, method, error.status, error.code, error.message, undefined, error.details);
      }
      if (!(error instanceof S3Refusal)) throw error;
      if (error.code === "EntityTooLarge") res.setHeader("connection", "close");
      sendS3Error(res, method, error.status, error.code, error.message, undefined, error.details);
    }
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    const rawUrl = req.url ?? "/";
    const question = rawUrl.indexOf("?");
    const rawPath = question < 0 ? rawUrl : rawUrl.slice(0, question);
    const rawQuery = question < 0 ? "" : rawUrl.slice(question + 1);

    // The key is the path decoded exactly once; a path or query that does not decode is S3's 400.
    let location: { bucket?: string; key?: string };
    let query: [string, string][];
    try {
      location = parseRequestPath(rawPath);
      query = decodeQuery(rawQuery);
    } catch {
      throw new S3Refusal(400, "InvalidURI", "Couldn't parse the specified URI.");
    }
    if (location.bucket !== undefined && !isValidBucketName(location.bucket)) {
      throw new S3Refusal(400, "InvalidBucketName", "The specified bucket is not valid.", { BucketName: location.bucket });
    }
    if (location.key !== undefined && Buffer.byteLength(location.key, "utf8") > MAX_KEY_BYTES) {
      throw new S3Refusal(400, "KeyTooLongError", "Your key is too long");
    }

    // Authenticate from the headers alone, before any of the body is read.
    let verified: VerifiedRequest;
    try {
      verified = await verifySignature({ method, rawPath, rawQuery, headers: req.headers }, this.principals, {
        region: this.region,
        services: ["s3"],
        maxSkewMs: S3_MAX_SKEW_MS,
        s3: true,
      });
    } catch (error) {
      if (error instanceof SignatureError) throw refusalOfSignature(error);
      throw error;
    }
    const principal = verified.identity.principal;

    let body: Buffer;
    try {
      body = await readBodyCapped(req, MAX_S3_REQUEST_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        throw new S3Refusal(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", { MaxSizeAllowed: String(MAX_S3_REQUEST_BYTES) });
      }
      throw error;
    }
    const chunked = isAwsChunked(req.headers);
    const payload = await this.checkedPayload(body, verified, chunked);

    const searchParams = new URLSearchParams(query);
    let target: S3RequestTarget;
    let deleted: DeletedObject[] = [];
    try {
      const copySource = header(req, "x-amz-copy-source");
      if (copySource !== undefined && !isValidBucketName(parseCopySource(copySource).bucket)) {
        throw new S3Refusal(400, "InvalidArgument", "Invalid copy source bucket name", { ArgumentName: "x-amz-copy-source" });
      }
      deleted = deleteKeysOf(searchParams, method, payload);
      target = s3RequestTarget(method, rawPath, searchParams, copySource, deleted);
    } catch (error) {
      if (error instanceof UnsupportedS3Request) throw new S3Refusal(501, "NotImplemented", error.message);
      if (error instanceof URIError) throw new S3Refusal(400, "InvalidArgument", "Invalid copy source encoding");
      throw error;
    }

    try {
      for (const authorization of target.authorizations) {
        await this.authorizer.authorize({
          principal,
          action: authorization.action,
          resourceArn: authorization.resourceArn,
          context: { ...authorization.context, ...this.transportContext() },
        });
      }
    } catch (error) {
      if (error instanceof AccessDeniedError) {
        return sendS3Error(res, method, 403, "AccessDenied", error.message, rawPath);
      }
      throw error;
    }

    const subresource = CONFIGURATION_SUBRESOURCES.find((name) => searchParams.has(name));
    if (subresource && location.bucket !== undefined && location.key === undefined) {
      return this.answerConfiguration(res, method, location.bucket, subresource);
    }

    const versioned = location.bucket !== undefined && this.configurations.get(location.bucket)?.versioning?.status === "Enabled";
    if (location.bucket !== undefined && location.key === undefined && method === "GET" && searchParams.has("versions")) {
      return this.versions.listVersions(res, location.bucket, searchParams);
    }
    if (/[?&]versionId=/.test(header(req, "x-amz-copy-source") ?? "")) {
      throw new S3Refusal(501, "NotImplemented", `The sandbox copies only the current version of an object: ${target.operation} from a versioned copy source (x-amz-copy-source ?versionId) is not served`);
    }
    const serveObjectRequest = async (): Promise<void> => {
      const versionId = searchParams.get("versionId");
      if (versionId !== null && location.bucket !== undefined && location.key !== undefined) {
        const plain = target.operation === "GetObject" || target.operation === "HeadObject" || target.operation === "DeleteObject";
        if (!plain) throw new S3Refusal(501, "NotImplemented", `The sandbox serves versionId on GetObject, HeadObject and DeleteObject only, not on ${target.operation}`);
        if (!versioned && versionId !== "null") {
          // Only the version "null" exists in a bucket never versioned (S3 user guide, "Using versioning").
          throw new S3Refusal(400, "InvalidArgument", "Invalid version id specified", { ArgumentName: "versionId", ArgumentValue: versionId });
        }
        if (versioned && method === "DELETE") return this.versions.deleteVersion(res, location.bucket, location.key, versionId);
        if (versioned && this.versions.hasVersions(location.bucket, location.key)) {
          return this.versions.serveVersion(res, method, location.bucket, location.key, versionId, req.headers);
        }
        if (versionId !== "null") throw new VersionRefusal(404, "NoSuchVersion", "The specified version does not exist.", { Key: location.key, VersionId: versionId });
        // The version "null" of a key never changed under versioning is the store's current object.
        query = query.filter(([name]) => name !== "versionId");
      }
      if (versioned && location.key !== undefined && location.bucket !== undefined) {
        if (target.operation === "DeleteObject") return this.versions.deleteCurrent(res, location.bucket, location.key);
        if (target.operation === "PutObject" || target.operation === "CopyObject" || target.operation === "CompleteMultipartUpload") {
          await this.versions.adoptUnversioned(location.bucket, location.key);
        }
      }
      if (target.operation === "DeleteObjects" && location.bucket !== undefined) {
        if (versioned) return this.versions.deleteMany(res, location.bucket, deleted, isQuiet(payload));
        // The store would ignore a VersionId and delete the object: only "null" names it in an unversioned bucket.
        if (deleted.some((o) => o.versionId !== undefined && o.versionId !== "null")) {
          throw new S3Refusal(501, "NotImplemented", `The sandbox's DeleteObjects on the unversioned bucket "${location.bucket}" takes no VersionId but "null"`);
        }
      }

      const uploadId = searchParams.get("uploadId");
      if (uploadId !== null && !isValidUploadId(uploadId)) {
        throw new S3Refusal(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", { UploadId: uploadId });
      }

      await this.forward(req, res, location, query, payload, chunked, principal, target, versioned);
    };
    // Changes to a versioned bucket one at a time: the store's current object and the archive's latest
    // version must be the same write.
    const changesVersions = versioned && VERSION_CHANGING_OPERATIONS.has(target.operation);
    return changesVersions && location.bucket !== undefined ? this.versions.oneChangeAtATime(location.bucket, serveObjectRequest) : serveObjectRequest();
  }

  /** Bucket configuration is the program's: read back as configured, never changed by a request. */
  private async answerConfiguration(res: http.ServerResponse, method: string, bucket: string, subresource: ConfigurationSubresource): Promise<void> {
    if (method !== "GET" && method !== "HEAD") {
      throw new S3Refusal(501, "NotImplemented", `The sandbox serves the program's ${subresource} configuration of "${bucket}" read-only: change it in the program`);
    }
    const probe = await backendRequest(this.backendSocket, { method: "HEAD", path: `/${bucket}` });
    probe.resume();
    const exists = probe.statusCode === 200;
    if (!exists) throw new S3Refusal(404, "NoSuchBucket", "The specified bucket does not exist", { BucketName: bucket });
    const answer = configurationAnswer(this.configurations.get(bucket) ?? {}, subresource);
    if (answer.status === 404) throw new S3Refusal(404, answer.code, answer.message, { BucketName: bucket });
    res.writeHead(200, { "content-type": answer.contentType, "content-length": method === "HEAD" ? 0 : Buffer.byteLength(answer.body) });
    res.end(method === "HEAD" ? undefined : answer.body);
  }

  /** The object bytes, once the body matches what the signature covers (hash, or chunk signatures). */
  private async checkedPayload(body: Buffer, verified: VerifiedRequest, chunked: boolean): Promise<Buffer> {
    const declared = verified.payloadHash;
    if (declared.startsWith("STREAMING-") || chunked) {
      try {
        return await verifiedChunkedPayload(body, verified);
      } catch (error) {
        if (error instanceof SignatureError) throw refusalOfSignature(error);
        if (error instanceof AwsChunkedError) throw new S3Refusal(400, "IncompleteBody", error.message);
        throw error;
      }
    }
    if (declared === UNSIGNED_PAYLOAD) return body;
    if (!/^[0-9a-f]{64}$/.test(declared)) {
      throw new S3Refusal(400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-*, or a valid sha256 value.");
    }
    if (createHash("sha256").update(body).digest("hex") !== declared) {
      throw new S3Refusal(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    return body;
  }

  private transportContext(): RequestContext {
    return { "aws:SecureTransport": this.treatLoopbackAsTls ? "true" : "false" };
  }

  private async forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    location: { bucket?: string; key?: string },
    query: readonly [string, string][],
    payload: Buffer,
    chunked: boolean,
    principal: Principal,
    target: S3RequestTarget,
    versioned: boolean,
  ): Promise<void> {
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    for (const name of ["authorization", "x-amz-security-token", "expect", "x-amz-decoded-content-length", "x-amz-trailer", "transfer-encoding", "x-amz-content-sha256"]) {
      delete headers[name];
    }
    if (chunked) {
      const encoding = remainingContentEncoding(header(req, "content-encoding"));
      if (encoding) headers["content-encoding"] = encoding;
      else delete headers["content-encoding"];
    }
    headers["content-length"] = String(payload.length);
    const copySource = header(req, "x-amz-copy-source");
    if (copySource !== undefined) {
      // The backend reads this header with decodeURI, which leaves %2F and the other reserved escapes
      // alone; re-encode the source key so that it reads exactly the key that was authorized.
      const source = parseCopySource(copySource);
      headers["x-amz-copy-source"] = `/${source.bucket}/${encodeURI(source.key)}`;
    }
    // The backend gets the same bucket and key, re-encoded so that it decodes them to exactly these.
    const path =
      (location.bucket === undefined ? "/" : `/${location.bucket}${location.key === undefined ? "" : `/${encodeKeyAsOneSegment(location.key)}`}`) +
      backendQuery(query);

    const upstream = await backendRequest(this.backendSocket, { method: req.method ?? "GET", path, headers }, payload);

    const status = upstream.statusCode ?? 500;
    if (status === 404 && (target.operation === "GetObject" || target.operation === "HeadObject") && target.bucket) {
      // S3 hides whether a key exists from callers who may not list the bucket: 403 instead of 404.
      const bucketArn = `arn:aws:s3:::${target.bucket}`;
      const mayList = await this.authorizer.decide({ principal, action: "s3:ListBucket", resourceArn: bucketArn, context: this.transportContext() });
      if (!mayList.allowed) {
        upstream.resume();
        return sendS3Error(res, req.method ?? "GET", 403, "AccessDenied", mayList.message, req.url?.split("?")[0]);
      }
    }
    const responseHeaders: http.IncomingHttpHeaders = { ...upstream.headers };
    if (versioned && location.bucket !== undefined && location.key !== undefined) {
      if (status === 200 && (target.operation === "PutObject" || target.operation === "CopyObject" || target.operation === "CompleteMultipartUpload")) {
        // The whole answer is needed first: CompleteMultipartUpload may report an error with status 200.
        const answer = await readStream(upstream);
        if (!/<Error>/.test(answer.subarray(0, 512).toString("utf8"))) {
          const entry = await this.versions.recordWrite(location.bucket, location.key);
          if (entry) responseHeaders["x-amz-version-id"] = entry.versionId;
        }
        res.writeHead(status, responseHeaders);
        res.end(answer);
        return;
      }
      if (target.operation === "GetObject" || target.operation === "HeadObject") {
        Object.assign(responseHeaders, this.versions.latestHeaders(location.bucket, location.key));
        // An object stored before versioning applied and not changed since is the version "null".
        if ((status === 200 || status === 206) && responseHeaders["x-amz-version-id"] === undefined) responseHeaders["x-amz-version-id"] = "null";
      }
    }
    res.writeHead(status, responseHeaders);
    upstream.pipe(res);
    await new Promise<void>((resolve, reject) => {
      res.once("finish", resolve);
      res.once("close", resolve);
      upstream.once("error", reject);
    });
  }
}

/** The query for the backend, presign parameters removed; flags ("?uploads") stay bare. */
function backendQuery(query: readonly [string, string][]): string {
  const parts = query
    .filter(([name]) => !PRESIGN_PARAMS.has(name))
    .map(([name, value]) => (value === "" ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`));
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

async function readStream(stream: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The objects a DeleteObjects request (POST /bucket?delete) names in its XML body, each with its VersionId if any. */
function deleteKeysOf(query: URLSearchParams, method: string, body: Buffer): DeletedObject[] {
  if (method !== "POST" || !query.has("delete")) return [];
  const unescape = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  const objects: DeletedObject[] = [];
  for (const [, object] of body.toString("utf8").matchAll(/<Object>([\s\S]*?)<\/Object>/g)) {
    const key = /<Key>([\s\S]*?)<\/Key>/.exec(object);
    if (!key) continue;
    const versionId = /<VersionId>([\s\S]*?)<\/VersionId>/.exec(object);
    objects.push({ key: unescape(key[1]), ...(versionId ? { versionId: unescape(versionId[1]) } : {}) });
  }
  return objects;
}

/** Whether a DeleteObjects body asks for the quiet answer (errors only). */
function isQuiet(body: Buffer): boolean {
  return /<Quiet>\s*true\s*<\/Quiet>/i.test(body.toString("utf8"));
}
