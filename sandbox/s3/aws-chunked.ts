/**
 * Decodes an `aws-chunked` request body (SigV4 streaming uploads, and the trailing-checksum uploads the
 * newer SDKs send by default) into the plain object bytes, which the underlying S3 server expects.
 *
 * Format: repeated `<hex size>[;chunk-signature=...]\r\n<bytes>\r\n`, ended by a zero-size chunk, then
 * optional trailer lines (`x-amz-checksum-crc32:...`) and a final `\r\n`.
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf("\r\n", offset, "latin1");
    if (lineEnd < 0) throw new Error(`aws-chunked body ends without a chunk header at byte ${offset}`);
    const header = body.toString("latin1", offset, lineEnd);
    const size = Number.parseInt(header.split(";")[0], 16);
    if (!Number.isFinite(size) || size < 0) throw new Error(`aws-chunked body has a bad chunk header "${header}" at byte ${offset}`);
    const start = lineEnd + 2;
    if (size === 0) return Buffer.concat(parts);
    if (start + size > body.length) throw new Error(`aws-chunked chunk of ${size} bytes at byte ${start} runs past the body`);
    parts.push(body.subarray(start, start + size));
    offset = start + size + 2;
  }
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
