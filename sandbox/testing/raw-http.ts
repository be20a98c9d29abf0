import { SignatureV4 } from "@smithy/signature-v4";
import * as http from "node:http";
import * as net from "node:net";
import { NodeSha256 } from "../iam/signature";
import type { Credentials } from "../iam/principals";

/**
 * Requests the SDKs would never send, for tests: signed with the SDK's signer but with the path exactly
 * as given (e.g. "/bucket/output%2F..%2Fetl%2Fx"), or raw bytes written to a socket.
 */

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface SignedRawRequest {
  readonly method: string;
  /** Sent and signed as is (S3 signs the path as sent). */
  readonly rawPath: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly service: "s3" | "states" | "glue" | "events" | "dynamodb" | "sqs" | "sns";
  readonly region: string;
}

/** The headers (Authorization included) and request target the SDK's signer gives `request`. */
export async function signRaw(endpoint: string, credentials: Credentials, request: SignedRawRequest): Promise<{ target: string; headers: Record<string, string>; body?: Buffer }> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials, region: request.region, service: request.service, sha256: NodeSha256, uriEscapePath: request.service !== "s3" });
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const signed = await signer.sign({
    method: request.method,
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: request.rawPath,
    query: request.query ?? {},
    headers: { host: url.host, ...(body ? { "content-length": String(body.length) } : {}), ...request.headers },
    body,
  });
  const query = Object.entries(request.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return { target: request.rawPath + (query ? `?${query}` : ""), headers: signed.headers, body };
}

export async function signedRaw(endpoint: string, credentials: Credentials, request: SignedRawRequest): Promise<RawResponse> {
  const { target, headers, body } = await signRaw(endpoint, credentials, request);
  return send(new URL(endpoint), request.method, target, headers, body);
}

export function send(url: URL, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Writes `bytes` to the endpoint's socket and collects what comes back until the server closes the
 * connection or `waitMs` passes; `endAfterWrite` half-closes (the server sees a truncated request).
 */
export function rawExchange(endpoint: string, bytes: string | Buffer, options: { endAfterWrite?: boolean; waitMs?: number } = {}): Promise<string> {
  const url = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString("latin1"));
    };
    const timer = setTimeout(done, options.waitMs ?? 1500);
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("close", done);
    socket.on("error", done);
    socket.write(bytes, () => {
      if (options.endAfterWrite) socket.end();
    });
  });
}

/** "HTTP/1.1 400 Bad Request ..." -> 400; 0 when nothing came back. */
export function statusOf(rawResponse: string): number {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(rawResponse);
  return match ? Number(match[1]) : 0;
}
