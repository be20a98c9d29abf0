import { readFileSync } from "node:fs";
import { encodeKeyAsOneSegment } from "./keys";
import { backendRequest } from "./s3rver-backend";
import { bucketObjects, buckets } from "../model-view";
import type { ProgramModel } from "../program-model";

/** Path of an object on s3rver (path-style), the key as one encoded segment (see encodeKeyAsOneSegment). */
function objectPath(bucket: string, key: string): string {
  return `/${encodeURIComponent(bucket)}/${encodeKeyAsOneSegment(key)}`;
}

async function send(socketPath: string, path: string, method: string, what: string, body?: Buffer, headers: Record<string, string> = {}): Promise<void> {
  const response = await backendRequest(socketPath, { method, path, headers: { "content-length": String(body?.length ?? 0), ...headers } }, body);
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const status = response.statusCode ?? 0;
  // 409 on CreateBucket: the bucket survives from an earlier run of the same sandbox folder.
  if ((status < 200 || status > 299) && !(status === 409 && method === "PUT" && !path.slice(1).includes("/"))) {
    throw new Error(`Seeding S3 failed at ${what}: HTTP ${status} ${Buffer.concat(chunks).toString("utf8")}`);
  }
}

/**
 * Creates the model's buckets and uploads its objects, as `pulumi up` would, straight into the S3 server
 * (the deployment is not a principal of the program, so it is not authorized against the program's policies).
 */
export async function seedS3(internalEndpoint: string, model: ProgramModel): Promise<void> {
  const objects = bucketObjects(model);
  const names = new Set([...buckets(model).map((b) => b.name), ...objects.map((o) => o.bucket)]);
  for (const bucket of names) {
    await send(internalEndpoint, `/${encodeURIComponent(bucket)}`, "PUT", `CreateBucket ${bucket}`);
  }
  for (const object of objects) {
    let body: Buffer;
    try {
      body = object.content !== undefined ? Buffer.from(object.content, "utf8") : readFileSync(object.sourcePath as string);
    } catch (error) {
      throw new Error(`Object "${object.logicalName}" (s3://${object.bucket}/${object.key}) has an unreadable source: ${(error as Error).message}`);
    }
    const headers: Record<string, string> = { "content-type": object.contentType ?? "application/octet-stream" };
    await send(internalEndpoint, objectPath(object.bucket, object.key), "PUT", `PutObject s3://${object.bucket}/${object.key}`, body, headers);
  }
}
