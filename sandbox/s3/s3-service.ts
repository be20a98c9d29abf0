import { mkdirSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { AccessDeniedError } from "../aws-error";
import type { Authorizer, RequestContext } from "../iam/authorizer";
import { accessKeyIdOf, type Principal, type PrincipalDirectory } from "../iam/principals";
import { decodeAwsChunked, isAwsChunked, remainingContentEncoding } from "./aws-chunked";
import { s3RequestTarget, UnsupportedS3Request, type S3RequestTarget } from "./request-action";
import { sendS3Error } from "./xml-error";

// s3rver ships no type declarations; this is the part of its API the sandbox uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver") as new (options: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

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
}

/** Query parameters of a presigned URL: they authenticate the caller here, s3rver must not see them. */
const PRESIGN_PARAMS = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"];

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
    /** s3rver itself, unauthorized: only the sandbox (deployment, reset) writes there. */
    readonly internalEndpoint: string,
  ) {}

  static async start(options: S3ServiceOptions, principals: PrincipalDirectory, authorizer: Authorizer): Promise<S3Service> {
    mkdirSync(options.directory, { recursive: true });
    const backend = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: options.directory, vhostBuckets: false });
    const backendAddress = await backend.run();
    const internalEndpoint = `http://127.0.0.1:${backendAddress.port}`;
    const proxy = new AuthorizingProxy(backendAddress.port, principals, authorizer, options.treatLoopbackAsTls);
    const front = http.createServer((req, res) => {
      proxy.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendS3Error(res, req.method ?? "GET", 500, "InternalError", (error as Error).message);
        else res.destroy(error as Error);
      });
    });
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

class AuthorizingProxy {
  constructor(
    private readonly backendPort: number,
    private readonly principals: PrincipalDirectory,
    private readonly authorizer: Authorizer,
    private readonly treatLoopbackAsTls: boolean,
  ) {}

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://localhost");
    const body = await readBody(req);

    const keyId = accessKeyIdOf(req.headers, url.searchParams);
    if (keyId === undefined) {
      return sendS3Error(res, method, 403, "AccessDenied", "Anonymous access is not allowed: sign requests with sandbox credentials");
    }
    const principal = this.principals.byAccessKeyId(keyId);
    if (!principal) {
      return sendS3Error(res, method, 403, "InvalidAccessKeyId", `The AWS Access Key Id you provided does not exist in our records: ${keyId}`);
    }

    const chunked = isAwsChunked(req.headers);
    const payload = chunked ? decodeAwsChunked(body) : body;
    let target: S3RequestTarget;
    try {
      const copySource = header(req, "x-amz-copy-source");
      target = s3RequestTarget(method, url.pathname, url.searchParams, copySource, deleteKeysOf(url, method, payload));
    } catch (error) {
      if (error instanceof UnsupportedS3Request) return sendS3Error(res, method, 501, "NotImplemented", error.message);
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
      if (error instanceof AccessDeniedError) return sendS3Error(res, method, 403, "AccessDenied", error.message, url.pathname);
      throw error;
    }

    await this.forward(req, res, url, payload, chunked, principal, target);
  }

  private transportContext(): RequestContext {
    return { "aws:SecureTransport": this.treatLoopbackAsTls ? "true" : "false" };
  }

  private async forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    payload: Buffer,
    chunked: boolean,
    principal: Principal,
    target: S3RequestTarget,
  ): Promise<void> {
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    for (const name of ["authorization", "x-amz-security-token", "expect", "x-amz-decoded-content-length", "x-amz-trailer", "transfer-encoding"]) {
      delete headers[name];
    }
    if (chunked) {
      headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
      const encoding = remainingContentEncoding(header(req, "content-encoding"));
      if (encoding) headers["content-encoding"] = encoding;
      else delete headers["content-encoding"];
    }
    headers["content-length"] = String(payload.length);
    for (const name of PRESIGN_PARAMS) url.searchParams.delete(name);
    const path = url.pathname + (url.searchParams.size > 0 ? `?${url.searchParams.toString()}` : "");

    const upstream = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request({ host: "127.0.0.1", port: this.backendPort, method: req.method, path, headers }, resolve);
      request.once("error", reject);
      request.end(payload);
    });

    const status = upstream.statusCode ?? 500;
    if (status === 404 && (target.operation === "GetObject" || target.operation === "HeadObject") && target.bucket) {
      // S3 hides whether a key exists from callers who may not list the bucket: 403 instead of 404.
      const bucketArn = `arn:aws:s3:::${target.bucket}`;
      const mayList = await this.authorizer.decide({ principal, action: "s3:ListBucket", resourceArn: bucketArn, context: this.transportContext() });
      if (!mayList.allowed) {
        upstream.resume();
        return sendS3Error(res, req.method ?? "GET", 403, "AccessDenied", mayList.message, url.pathname);
      }
    }
    res.writeHead(status, upstream.headers);
    upstream.pipe(res);
    await new Promise<void>((resolve, reject) => {
      res.once("finish", resolve);
      res.once("close", resolve);
      upstream.once("error", reject);
    });
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The keys a DeleteObjects request (POST /bucket?delete) names in its XML body. */
function deleteKeysOf(url: URL, method: string, body: Buffer): string[] {
  if (method !== "POST" || !url.searchParams.has("delete")) return [];
  const keys: string[] = [];
  for (const match of body.toString("utf8").matchAll(/<Key>([\s\S]*?)<\/Key>/g)) {
    keys.push(match[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&"));
  }
  return keys;
}
