import { createHash } from "node:crypto";
import { EMPTY_SHA256, SignatureError, type VerifiedRequest } from "../iam/signature";

/**
 * `aws-chunked` request bodies (S3 API reference, "Signature Calculations for the Authorization Header:
 * Transferring Payload in Multiple Chunks" and "... Including Trailing Headers"): repeated
 * `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`, ended by a zero-size chunk, then optional trailer
 * lines (`x-amz-checksum-crc32:...`, `x-amz-trailer-signature:...`) and a final `\r\n`.
 *
 * x-amz-content-sha256 says which signatures the body carries:
 * - STREAMING-AWS4-HMAC-SHA256-PAYLOAD: every chunk signed, chained from the request's signature;
 * - STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: the same, plus a signature over the trailers;
 * - STREAMING-UNSIGNED-PAYLOAD-TRAILER: no chunk signatures (the request signature covers the headers).
 */

export const SIGNED_CHUNKS = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
export const SIGNED_CHUNKS_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
export const UNSIGNED_CHUNKS_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

export class AwsChunkedError extends Error {
  override readonly name = "AwsChunkedError";
}

export interface AwsChunkedBody {
  readonly chunks: readonly { readonly data: Buffer; readonly signature?: string }[];
  /** Trailer lines as sent ("name:value"), the trailer signature excluded. */
  readonly trailers: readonly string[];
  readonly trailerSignature?: string;
}

export function parseAwsChunked(body: Buffer): AwsChunkedBody {
  const chunks: { data: Buffer; signature?: string }[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf("\r\n", offset, "latin1");
    if (lineEnd < 0) throw new AwsChunkedError(`aws-chunked body ends without a chunk header at byte ${offset}`);
    const header = body.toString("latin1", offset, lineEnd);
    const [sizeText, ...extensions] = header.split(";");
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw new AwsChunkedError(`aws-chunked body has a bad chunk header "${header}" at byte ${offset}`);
    const size = Number.parseInt(sizeText, 16);
    const signature = extensions.find((e) => e.startsWith("chunk-signature="))?.slice("chunk-signature=".length);
    const start = lineEnd + 2;
    if (start + size > body.length) throw new AwsChunkedError(`aws-chunked chunk of ${size} bytes at byte ${start} runs past the body`);
    chunks.push({ data: body.subarray(start, start + size), signature });
    if (size === 0) {
      const trailers: string[] = [];
      let trailerSignature: string | undefined;
      for (const line of body.toString("latin1", start).split("\r\n")) {
        if (line === "") continue;
        if (line.startsWith("x-amz-trailer-signature:")) trailerSignature = line.slice("x-amz-trailer-signature:".length);
        else trailers.push(line);
      }
      return { chunks, trailers, trailerSignature };
    }
    if (body.toString("latin1", start + size, start + size + 2) !== "\r\n") {
      throw new AwsChunkedError(`aws-chunked chunk at byte ${start} is not followed by CRLF`);
    }
    offset = start + size + 2;
  }
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/**
 * The object bytes of an aws-chunked body, after checking every chunk signature (and the trailer
 * signature) the payload mode requires against the request's signing key. A wrong or missing signature
 * is SignatureDoesNotMatch, as S3 answers it.
 */
export async function verifiedChunkedPayload(body: Buffer, verified: VerifiedRequest): Promise<Buffer> {
  const parsed = parseAwsChunked(body);
  const mode = verified.payloadHash;
  if (mode === SIGNED_CHUNKS || mode === SIGNED_CHUNKS_TRAILER) {
    let previous = verified.seedSignature;
    for (const chunk of parsed.chunks) {
      const stringToSign = ["AWS4-HMAC-SHA256-PAYLOAD", verified.longDate, verified.scope, previous, EMPTY_SHA256, sha256(chunk.data)].join("\n");
      const expected = await verified.signString(stringToSign);
      if (chunk.signature !== expected) {
        throw new SignatureError("mismatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
      }
      previous = expected;
    }
    if (mode === SIGNED_CHUNKS_TRAILER) {
      const trailerText = parsed.trailers.map((line) => `${line}\n`).join("");
      const stringToSign = ["AWS4-HMAC-SHA256-TRAILER", verified.longDate, verified.scope, previous, sha256(trailerText)].join("\n");
      if (parsed.trailerSignature !== (await verified.signString(stringToSign))) {
        throw new SignatureError("mismatch", "The trailer signature we calculated does not match the signature you provided. Check your key and signing method.");
      }
    }
  } else if (mode !== UNSIGNED_CHUNKS_TRAILER) {
    throw new AwsChunkedError(`x-amz-content-sha256 "${mode}" is not an aws-chunked payload mode`);
  }
  return Buffer.concat(parsed.chunks.map((c) => c.data));
}

/** True when the request's headers say its body is aws-chunked. */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const encoding = String(headers["content-encoding"] ?? "");
  const sha = String(headers["x-amz-content-sha256"] ?? "");
  return encoding.split(",").some((e) => e.trim() === "aws-chunked") || sha.startsWith("STREAMING-");
}

/** The content-encoding left once aws-chunked is removed (e.g. "aws-chunked,gzip" -> "gzip"), if any. */
export function remainingContentEncoding(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const rest = header
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "" && e !== "aws-chunked");
  return rest.length > 0 ? rest.join(",") : undefined;
}
