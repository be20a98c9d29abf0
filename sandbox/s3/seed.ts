import { readFileSync } from "node:fs";
import { encodeKeyAsOneSegment } from "./keys";
import { bucketObjects, buckets } from "../model-view";
import type { ProgramModel } from "../program-model";

/** Path of an object on s3rver (path-style), the key as one encoded segment (see encodeKeyAsOneSegment). */
function objectPath(bucket: string, key: string): string {
  return `/${encodeURIComponent(bucket)}/${encodeKeyAsOneSegment(key)}`;
}

async function send(endpoint: string, path: string, init: RequestInit, what: string): Promise<void> {
  const response = await fetch(endpoint + path, init);
  // 409 on CreateBucket: the bucket survives from an earlier run of the same sandbox folder.
  if (!response.ok && !(response.status === 409 && init.method === "PUT" && !path.slice(1).includes("/"))) {
    throw new Error(`Seeding S3 failed at ${what}: HTTP ${response.status} ${await response.text()}`);
  }
  await response.arrayBuffer();
}

/**
 * Creates the model's buckets and uploads its objects, as `pulumi up` would, straight into the S3 server
 * (the deployment is not a principal of the program, so it is not authorized against the program's policies).
 */
export async function seedS3(internalEndpoint: string, model: ProgramModel): Promise<void> {
  const objects = bucketObjects(model);
  const names = new Set([...buckets(model).map((b) => b.name), ...objects.map((o) => o.bucket)]);
  for (const bucket of names) {
    await send(internalEndpoint, `/${encodeURIComponent(bucket)}`, { method: "PUT" }, `CreateBucket ${bucket}`);
  }
  for (const object of objects) {
    let body: Buffer;
    try {
      body = object.content !== undefined ? Buffer.from(object.content, "utf8") : readFileSync(object.sourcePath as string);
    } catch (error) {
      throw new Error(`Object "${object.logicalName}" (s3://${object.bucket}/${object.key}) has an unreadable source: ${(error as Error).message}`);
    }
    const headers: Record<string, string> = { "content-type": object.contentType ?? "application/octet-stream" };
    await send(internalEndpoint, objectPath(object.bucket, object.key), { method: "PUT", body, headers }, `PutObject s3://${object.bucket}/${object.key}`);
  }
}
