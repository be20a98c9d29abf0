import type { ServerResponse } from "node:http";
import { AwsServiceError } from "../aws-error";
import { wrongType } from "./validation";

/**
 * The AWS JSON protocols (1.0 for Step Functions, 1.1 for Glue): POST / with X-Amz-Target
 * "<Service>.<Operation>" and a JSON body; timestamps are epoch seconds; errors are
 * { "__type": "<Code>", "message": "..." } with the code in x-amzn-ErrorType too.
 */

/** The X-Amz-Target of a request: "<Service>.<Operation>", split at the last dot. */
export interface JsonTarget {
  readonly service: string;
  readonly operation: string;
}

export function parseTarget(method: string | undefined, header: string | string[] | undefined): JsonTarget {
  const target = Array.isArray(header) ? header.join(",") : (header ?? "");
  const dot = target.lastIndexOf(".");
  if (method !== "POST" || dot <= 0) {
    throw new AwsServiceError("UnknownOperationException", `Expected POST with an X-Amz-Target header, got ${method} "${target.slice(0, 200)}"`);
  }
  return { service: target.slice(0, dot), operation: target.slice(dot + 1) };
}

/** The request body: empty, or one JSON object (anything else is SerializationException). */
export function parseJsonBody(raw: Buffer): Record<string, unknown> {
  const text = raw.toString("utf8");
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      throw new AwsServiceError("SerializationException", "The request body is not valid JSON");
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AwsServiceError("SerializationException", "The request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/** JSON with Dates as epoch seconds, as the JSON protocols carry timestamps. */
export function serialize(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, converted: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : converted;
  });
}

export function sendJson(res: ServerResponse, contentType: string, value: unknown): void {
  const body = serialize(value ?? {});
  res.writeHead(200, { "content-type": contentType, "content-length": Buffer.byteLength(body), "x-amzn-requestid": crypto.randomUUID() });
  res.end(body);
}

export function sendJsonError(res: ServerResponse, contentType: string, error: unknown): void {
  const known = error instanceof AwsServiceError;
  const code = known ? error.code : "InternalFailure";
  const status = known ? error.httpStatus : 500;
  const message = known ? error.message : `Sandbox error: ${(error as Error)?.message ?? String(error)}`;
  const body = JSON.stringify({ __type: code, message });
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    "x-amzn-errortype": code,
    "x-amzn-requestid": crypto.randomUUID(),
  });
  res.end(body);
}

/** A required string field of a request, or the service's validation error naming it. */
export function requiredString(body: Record<string, unknown>, field: string, errorCode: string): string {
  const value = body[field];
  if (value !== undefined && value !== null && typeof value !== "string") throw wrongType(field, "a string", value);
  if (typeof value !== "string" || value === "") {
    throw new AwsServiceError(errorCode, `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

/** An optional string member: absent (or null) is undefined; another JSON type is SerializationException. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw wrongType(field, "a string", value);
  return value;
}

/** An optional number member: absent (or null) is undefined; another JSON type is SerializationException. */
export function optionalNumber(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw wrongType(field, "a number", value);
  return value;
}
