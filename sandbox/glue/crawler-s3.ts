import type { Credentials } from "../iam/principals";

/**
 * How a crawl reads S3: as the crawler's role, through the sandbox's S3 endpoint, so S3 authorizes every
 * call (s3:ListBucket for ListObjectsV2, s3:GetObject for the sample), as "Crawler prerequisites" requires.
 */
export interface CrawlReader {
  list(bucket: string, prefix: string): Promise<{ key: string; size: number }[]>;
  /** The object's first `bytes` bytes, and whether the object is longer. */
  sample(bucket: string, key: string, bytes: number): Promise<{ body: Buffer; truncated: boolean }>;
  close(): void;
}

/** An S3 call the role may not make, or another S3 error, worded as the crawler's log words it. */
export class CrawlReadError extends Error {}

export async function s3CrawlReader(options: { endpoint: string; region: string; credentials: Credentials }): Promise<CrawlReader> {
  // Loaded on first crawl only.
  const s3 = await import("@aws-sdk/client-s3");
  const client = new s3.S3Client({ region: options.region, endpoint: options.endpoint, forcePathStyle: true, credentials: options.credentials, maxAttempts: 1 });
  const failure = (error: unknown, what: string) => {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    return new CrawlReadError(`${e.message ?? String(error)} (Service: Amazon S3; Status Code: ${status ?? "none"}; Error Code: ${e.name ?? "unknown"}) while ${what}`);
  };
  return {
    async list(bucket, prefix) {
      const out: { key: string; size: number }[] = [];
      let token: string | undefined;
      do {
        let page;
        try {
          page = await client.send(new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        } catch (error) {
          throw failure(error, `listing s3://${bucket}/${prefix}`);
        }
        for (const o of page.Contents ?? []) if (o.Key !== undefined) out.push({ key: o.Key, size: o.Size ?? 0 });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
    async sample(bucket, key, bytes) {
      try {
        const answer = await client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${bytes - 1}` }));
        const body = Buffer.from(answer.Body ? await answer.Body.transformToByteArray() : new Uint8Array());
        const total = /\/(\d+)$/.exec(answer.ContentRange ?? "")?.[1];
        return { body, truncated: total !== undefined ? Number(total) > body.length : false };
      } catch (error) {
        // An empty object has no byte 0: S3 answers InvalidRange.
        if ((error as { name?: string }).name === "InvalidRange") return { body: Buffer.alloc(0), truncated: false };
        throw failure(error, `reading s3://${bucket}/${key}`);
      }
    },
    close: () => client.destroy(),
  };
}
