import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";

/**
 * A plain client: region, credentials and endpoint come from the standard chain (AWS_REGION,
 * AWS_ENDPOINT_URL_S3, ...), so the same code talks to AWS or to any S3-compatible endpoint.
 */
export function createS3Client(): S3Client {
  return new S3Client({});
}

/** True when an S3 error means "no such object" (GetObject says NoSuchKey, HeadObject only has 404). */
export function isMissingObjectError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) {
    return false;
  }
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return name === "NotFound" || name === "NoSuchKey" || $metadata?.httpStatusCode === 404;
}

/** What GetObject's Body may be at run time: a Node stream, a web stream, or an SDK mixin over either. */
type ObjectBody = AsyncIterable<Uint8Array> | { transformToWebStream(): ReadableStream<Uint8Array> };

/** Yields an object body chunk by chunk, so a large object is never held in memory at once. */
export async function* bodyChunks(body: unknown): AsyncGenerator<Uint8Array> {
  const candidate = body as ObjectBody | null | undefined;
  if (candidate !== null && typeof candidate === "object" && Symbol.asyncIterator in candidate) {
    yield* candidate as AsyncIterable<Uint8Array>;
    return;
  }
  if (candidate !== null && typeof candidate === "object" && "transformToWebStream" in candidate) {
    // Node's web ReadableStream is async-iterable, but the DOM typings the SDK uses do not say so.
    yield* candidate.transformToWebStream() as unknown as AsyncIterable<Uint8Array>;
    return;
  }
  throw new TypeError("S3 object body is neither a stream nor an SDK stream mixin");
}

/** Opens an object for streaming, or returns undefined when it does not exist; other errors propagate. */
export async function openObject(s3: S3Client, bucket: string, key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return bodyChunks(response.Body);
  } catch (error) {
    if (isMissingObjectError(error)) {
      return undefined;
    }
    throw error;
  }
}
