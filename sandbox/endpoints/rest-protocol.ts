import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { AwsServiceError } from "../aws-error";
import type { Principal } from "../iam/principals";

/**
 * A REST-JSON service (Lambda): the operation is the method and path (the model's requestUri), members travel
 * in the path, query, headers and body. Errors are a JSON body {Type, message} with the code in
 * x-amzn-ErrorType, which botocore and the SDKs read first.
 */
export interface RestRequest {
  readonly method: string;
  /** The path below the protocol's prefix, its segments URL-decoded: "/2015-03-31/functions/f/invocations" -> ["functions", "f", "invocations"]. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RestResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON value (sent as application/json), or raw bytes (Invoke's payload). */
  readonly json?: unknown;
  readonly raw?: Buffer;
}

export interface RestProtocol {
  /** Requests whose path starts with it are this protocol's, e.g. "/2015-03-31/". */
  readonly pathPrefix: string;
  readonly signingName: string;
  /** Largest request body accepted (Lambda's CreateFunction carries a zip of up to 50 MB, base64-encoded). */
  readonly maxBodyBytes: number;
  handle(caller: Principal, request: RestRequest): Promise<RestResponse>;
}

export function sendRest(res: ServerResponse, response: RestResponse): void {
  const body = response.raw ?? (response.json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(response.json)));
  res.writeHead(response.status, {
    // A JSON value and Invoke's payload (the function's JSON result) are both sent as JSON.
    ...(body.length > 0 ? { "content-type": "application/json" } : {}),
    "content-length": body.length,
    "x-amzn-requestid": crypto.randomUUID(),
    ...response.headers,
  });
  res.end(body);
}

export function sendRestError(res: ServerResponse, error: unknown): void {
  const known = error instanceof AwsServiceError;
  const code = known ? error.code : "ServiceException";
  const status = known ? error.httpStatus : 500;
  const message = known ? error.message : `Sandbox error: ${(error as Error)?.message ?? String(error)}`;
  const body = JSON.stringify({ Type: status < 500 ? "User" : "Service", message });
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "x-amzn-errortype": code,
    "x-amzn-requestid": crypto.randomUUID(),
  });
  res.end(body);
}
