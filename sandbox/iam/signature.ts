import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { getCanonicalHeaders, SignatureV4 } from "@smithy/signature-v4";
import type { IssuedIdentity } from "./principals";

/** Finds the identity (principal and secret) an access key id was issued to; PrincipalDirectory is one. */
export interface KeyLookup {
  identityOf(accessKeyId: string): IssuedIdentity | undefined;
}

/**
 * Verifies AWS Signature Version 4 on an incoming request with the SDK's own signer
 * (@smithy/signature-v4 builds the canonical request, the signing key and the signature), as
 * "Authenticating Requests (AWS Signature Version 4)" in the S3 API reference and the IAM user guide's
 * "Create a signed AWS API request" describe it: the Authorization header, or the X-Amz-* query
 * parameters of a presigned URL.
 */

/** Why a request is not authenticated; each endpoint words it in its protocol's error codes. */
export type SignatureFailure =
  | "missing" // no signature at all
  | "malformed" // an Authorization header or presign query AWS could not parse
  | "unsupported" // a signature version other than SigV4 (e.g. the legacy "AWS key:signature")
  | "wrong-scope" // signed for another region or service
  | "unknown-key" // an access key id the sandbox never issued
  | "mismatch" // the signature is not the one the secret gives
  | "skewed" // x-amz-date too far from now
  | "expired"; // a presigned URL past X-Amz-Expires

export class SignatureError extends Error {
  constructor(
    readonly failure: SignatureFailure,
    message: string,
    /** Extra fields S3 puts in its XML error (RequestTime, ServerTime, ...). */
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "SignatureError";
  }
}

/** The parts of an HTTP request a SigV4 signature covers, as they arrived (path still percent-encoded). */
export interface SignedRequestParts {
  readonly method: string;
  /** The request target's path exactly as sent, e.g. "/bucket/a%20b". */
  readonly rawPath: string;
  /** The query string as sent, without "?". */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  /** The body, when the payload hash is computed from it (JSON APIs); S3 declares it in x-amz-content-sha256. */
  readonly body?: Uint8Array;
}

export interface VerifyOptions {
  /** The region signatures must be scoped to; undefined accepts the region the client signed for. */
  readonly region?: string;
  /** Signing names the endpoint accepts in the credential scope: ["s3"], ["states", "glue"]. */
  readonly services: readonly string[];
  /** Largest |x-amz-date - now| accepted: S3 allows 15 minutes, the JSON APIs 5 ("- 5 min."). */
  readonly maxSkewMs: number;
  /** S3 signs the path as sent (no second encoding, no dot-segment removal); other services normalize it. */
  readonly s3: boolean;
  readonly now?: Date;
}

export interface VerifiedRequest {
  readonly identity: IssuedIdentity;
  /** The payload hash the signature covers: a hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-* value. */
  readonly payloadHash: string;
  readonly presigned: boolean;
  /** For aws-chunked payloads: signs each chunk's string to sign with this request's signing key. */
  readonly signString: (stringToSign: string) => Promise<string>;
  readonly longDate: string;
  readonly scope: string;
  readonly seedSignature: string;
}

export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
/** S3's answer to Signature Version 2 (header "AWS key:signature" or query AWSAccessKeyId/Signature). */
const SIGV4_ONLY = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.";
export const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");
/** AWS's limit for presigned URLs: X-Amz-Expires of at most 604800 seconds (7 days). */
const MAX_PRESIGN_SECONDS = 604_800;

/** The SDK's signer, asked for the canonical request and signature of a request as it arrived. */
class RequestVerifier extends SignatureV4 {
  async expected(
    request: Parameters<SignatureV4["createCanonicalRequest"]>[0],
    canonicalHeaders: Record<string, string>,
    payloadHash: string,
    longDate: string,
    scope: string,
    signingDate: Date,
  ): Promise<{ canonicalRequest: string; signature: string }> {
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const stringToSign = await this.createStringToSign(longDate, scope, canonicalRequest, "AWS4-HMAC-SHA256");
    return { canonicalRequest, signature: await this.sign(stringToSign, { signingDate }) };
  }
}

/** SHA-256 and HMAC-SHA-256 in the shape the smithy signer constructs them (`new Hash(secret?)`). */
export class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    throw new Error("NodeSha256 is single-use");
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Query parameters decoded once, in order; a malformed escape is the caller's 400 (see decodeQuery). */
export function decodeQuery(rawQuery: string): [string, string][] {
  if (rawQuery === "") return [];
  return rawQuery
    .split("&")
    .filter((part) => part !== "")
    .map((part) => {
      const eq = part.indexOf("=");
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? "" : part.slice(eq + 1);
      return [decodeURIComponent(name), decodeURIComponent(value)];
    });
}

/** "20240101T000000Z" -> Date, or undefined when it is not in ISO 8601 basic format. */
function parseAmzDate(text: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? "");
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

interface ClaimedSignature {
  readonly accessKeyId: string;
  readonly shortDate: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly longDate: string;
  readonly expiresSeconds?: number;
}

function parseCredential(credential: string, where: string): Pick<ClaimedSignature, "accessKeyId" | "shortDate" | "region" | "service"> {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request" || parts.some((p) => p === "")) {
    throw new SignatureError("malformed", `${where}: the Credential "${credential}" is not <key id>/<date>/<region>/<service>/aws4_request`);
  }
  return { accessKeyId: parts[0], shortDate: parts[1], region: parts[2], service: parts[3] };
}

function fromAuthorizationHeader(authorization: string, headers: IncomingHttpHeaders): ClaimedSignature {
  if (!authorization.startsWith("AWS4-HMAC-SHA256 ")) {
    throw new SignatureError("unsupported", SIGV4_ONLY);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice("AWS4-HMAC-SHA256 ".length).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!credential || !signedHeaders || !signature) {
    throw new SignatureError("malformed", "The Authorization header needs Credential, SignedHeaders and Signature");
  }
  const longDate = headerValue(headers, "x-amz-date") ?? "";
  return { ...parseCredential(credential, "Authorization header"), signedHeaders: signedHeaders.split(";"), signature, longDate };
}

function fromPresignedQuery(query: readonly [string, string][]): ClaimedSignature {
  const get = (name: string) => query.find(([k]) => k === name)?.[1];
  if (get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") {
    throw new SignatureError("malformed", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  const credential = get("X-Amz-Credential");
  const signedHeaders = get("X-Amz-SignedHeaders");
  const signature = get("X-Amz-Signature");
  const expires = get("X-Amz-Expires");
  if (!credential || !signedHeaders || !signature || expires === undefined) {
    throw new SignatureError("malformed", "Query-string authentication requires the X-Amz-Credential, X-Amz-SignedHeaders, X-Amz-Signature, X-Amz-Date and X-Amz-Expires parameters");
  }
  const expiresSeconds = Number(expires);
  if (!/^\d+$/.test(expires) || expiresSeconds < 1 || expiresSeconds > MAX_PRESIGN_SECONDS) {
    throw new SignatureError("malformed", `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGN_SECONDS}`);
  }
  return { ...parseCredential(credential, "X-Amz-Credential"), signedHeaders: signedHeaders.split(";"), signature, longDate: get("X-Amz-Date") ?? "", expiresSeconds };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the request carries any signature (header or presigned query). */
export function isSigned(parts: Pick<SignedRequestParts, "headers" | "rawQuery">): boolean {
  return headerValue(parts.headers, "authorization") !== undefined || /(^|&)X-Amz-Signature=/.test(parts.rawQuery) || /(^|&)X-Amz-Credential=/.test(parts.rawQuery);
}

/**
 * Checks the request's SigV4 signature against the secret the sandbox issued for its access key id.
 * Throws SignatureError; returns who signed and what payload hash the signature covers (the caller then
 * checks the body against it).
 */
export async function verifySignature(parts: SignedRequestParts, principals: KeyLookup, options: VerifyOptions): Promise<VerifiedRequest> {
  const authorization = headerValue(parts.headers, "authorization");
  let query: [string, string][];
  try {
    query = decodeQuery(parts.rawQuery);
  } catch {
    throw new SignatureError("malformed", "The query string is not valid percent-encoding");
  }
  const presigned = authorization === undefined && query.some(([k]) => k === "X-Amz-Credential" || k === "X-Amz-Signature");
  if (authorization === undefined && !presigned) {
    if (query.some(([k]) => k === "AWSAccessKeyId") && query.some(([k]) => k === "Signature")) throw new SignatureError("unsupported", SIGV4_ONLY);
    throw new SignatureError("missing", "The request is not signed");
  }
  const claimed = authorization !== undefined ? fromAuthorizationHeader(authorization, parts.headers) : fromPresignedQuery(query);

  const signingDate = parseAmzDate(claimed.longDate);
  if (!signingDate) throw new SignatureError("malformed", `X-Amz-Date "${claimed.longDate}" is not an ISO 8601 basic date (YYYYMMDD'T'HHMMSS'Z')`);
  if (claimed.shortDate !== claimed.longDate.slice(0, 8)) {
    throw new SignatureError("malformed", `The credential scope date ${claimed.shortDate} is not the date of X-Amz-Date ${claimed.longDate}`);
  }
  if (options.region !== undefined && claimed.region !== options.region) {
    throw new SignatureError("wrong-scope", `The authorization header is malformed; the region '${claimed.region}' is wrong; expecting '${options.region}'`, { Region: options.region });
  }
  if (!options.services.includes(claimed.service)) {
    throw new SignatureError("wrong-scope", `Credential should be scoped to correct service: '${options.services[0]}'.`);
  }
  const signed = claimed.signedHeaders.map((h) => h.toLowerCase());
  if (!signed.includes("host")) throw new SignatureError("malformed", "SignedHeaders must include host");

  const identity = principals.identityOf(claimed.accessKeyId);
  if (!identity) throw new SignatureError("unknown-key", `The AWS Access Key Id you provided does not exist in our records: ${claimed.accessKeyId}`, { AWSAccessKeyId: claimed.accessKeyId });

  const now = options.now ?? new Date();
  if (presigned) {
    const expiresAt = signingDate.getTime() + (claimed.expiresSeconds ?? 0) * 1000;
    if (now.getTime() > expiresAt) {
      throw new SignatureError("expired", "Request has expired", {
        "X-Amz-Expires": String(claimed.expiresSeconds),
        Expires: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
        ServerTime: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
      });
    }
  }
  // A presigned URL may be used any time before it expires, but not before it was signed (beyond the skew).
  const skew = signingDate.getTime() - now.getTime();
  if ((!presigned && Math.abs(skew) > options.maxSkewMs) || (presigned && skew > options.maxSkewMs)) {
    throw new SignatureError("skewed", skewMessage(claimed.longDate, now, options.maxSkewMs, skew > 0), {
      RequestTime: claimed.longDate,
      ServerTime: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
      MaxAllowedSkewMilliseconds: String(options.maxSkewMs),
    });
  }

  const signer = new RequestVerifier({
    credentials: identity.credentials,
    region: claimed.region,
    service: claimed.service,
    sha256: NodeSha256,
    uriEscapePath: !options.s3,
    applyChecksum: false,
  });
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = headerValue(parts.headers, name);
    if (value === undefined) throw new SignatureError("malformed", `SignedHeaders names "${name}", which the request does not carry`);
    headers[name] = value;
  }
  const declaredHash = headerValue(parts.headers, "x-amz-content-sha256");
  const payloadHash = presigned
    ? options.s3
      ? UNSIGNED_PAYLOAD
      : await hashOf(parts.body)
    : declaredHash ?? (options.s3 ? "" : await hashOf(parts.body));
  if (payloadHash === "") throw new SignatureError("malformed", "S3 requests must carry x-amz-content-sha256");
  // With the body at hand (JSON APIs), a declared hash must be the body's: the signature covers the hash.
  if (parts.body !== undefined && /^[0-9a-f]{64}$/.test(payloadHash) && payloadHash !== (await hashOf(parts.body))) {
    throw new SignatureError("mismatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
  }

  const queryForSigning: Record<string, string | string[]> = {};
  for (const [name, value] of query) {
    if (name === "X-Amz-Signature") continue;
    const existing = queryForSigning[name];
    queryForSigning[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const request = { method: parts.method, protocol: "http:", hostname: "", path: parts.rawPath, query: queryForSigning, headers };
  const canonicalHeaders = getCanonicalHeaders(request, new Set<string>(), new Set(signed));
  const scope = `${claimed.shortDate}/${claimed.region}/${claimed.service}/aws4_request`;
  const { canonicalRequest, signature: expected } = await signer.expected(request, canonicalHeaders, payloadHash, claimed.longDate, scope, signingDate);
  if (!sameHex(expected, claimed.signature)) {
    throw new SignatureError(
      "mismatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
      { AWSAccessKeyId: claimed.accessKeyId, SignatureProvided: claimed.signature, CanonicalRequest: canonicalRequest },
    );
  }
  return {
    identity,
    payloadHash,
    presigned,
    longDate: claimed.longDate,
    scope,
    seedSignature: claimed.signature,
    signString: (stringToSign) => signer.sign(stringToSign, { signingDate }),
  };
}

async function hashOf(body: Uint8Array | undefined): Promise<string> {
  return createHash("sha256").update(body ?? new Uint8Array()).digest("hex");
}

/** AWS's words for a clock difference, e.g. "Signature expired: 20240101T000000Z is now earlier than ..." */
function skewMessage(longDate: string, now: Date, maxSkewMs: number, future: boolean): string {
  const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const minutes = Math.round(maxSkewMs / 60_000);
  return future
    ? `Signature not yet current: ${longDate} is still later than ${stamp(new Date(now.getTime() + maxSkewMs))} (${stamp(now)} + ${minutes} min.)`
    : `Signature expired: ${longDate} is now earlier than ${stamp(new Date(now.getTime() - maxSkewMs))} (${stamp(now)} - ${minutes} min.)`;
}
