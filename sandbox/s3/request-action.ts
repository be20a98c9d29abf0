/**
 * Maps an S3 REST request (path-style) to the IAM actions and resource ARNs S3 authorizes it against,
 * as the S3 authorization reference lists them (HeadObject needs s3:GetObject, ListObjectsV2 needs
 * s3:ListBucket on the bucket, every multipart step of an upload needs s3:PutObject, ...).
 */

import { parseRequestPath } from "./keys";

export interface S3Authorization {
  readonly action: string;
  readonly resourceArn: string;
  /** Condition keys S3 sets for this request (s3:prefix for listings...). */
  readonly context: Record<string, string>;
}

export interface S3RequestTarget {
  readonly bucket?: string;
  readonly key?: string;
  /** What the request does, for error messages: "GetObject", "ListObjectsV2"... */
  readonly operation: string;
  readonly authorizations: readonly S3Authorization[];
}

/** One object a DeleteObjects request names. */
export interface DeletedObject {
  readonly key: string;
  readonly versionId?: string;
}

export class UnsupportedS3Request extends Error {
  override readonly name = "UnsupportedS3Request";
}

/** Splits "/bucket/key/with/slashes" into its bucket and key, each percent-decoded once (keys are opaque). */
export const parseS3Path = parseRequestPath;

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

/** Bucket sub-resources (?name) and the action reading (GET) or writing (PUT/DELETE) them needs. */
const BUCKET_SUBRESOURCES: Record<string, { get: string; put: string; del?: string }> = {
  acl: { get: "s3:GetBucketAcl", put: "s3:PutBucketAcl" },
  cors: { get: "s3:GetBucketCORS", put: "s3:PutBucketCORS", del: "s3:PutBucketCORS" },
  encryption: { get: "s3:GetEncryptionConfiguration", put: "s3:PutEncryptionConfiguration", del: "s3:PutEncryptionConfiguration" },
  lifecycle: { get: "s3:GetLifecycleConfiguration", put: "s3:PutLifecycleConfiguration", del: "s3:PutLifecycleConfiguration" },
  location: { get: "s3:GetBucketLocation", put: "s3:GetBucketLocation" },
  policy: { get: "s3:GetBucketPolicy", put: "s3:PutBucketPolicy", del: "s3:DeleteBucketPolicy" },
  publicAccessBlock: { get: "s3:GetBucketPublicAccessBlock", put: "s3:PutBucketPublicAccessBlock", del: "s3:PutBucketPublicAccessBlock" },
  ownershipControls: { get: "s3:GetBucketOwnershipControls", put: "s3:PutBucketOwnershipControls", del: "s3:PutBucketOwnershipControls" },
  tagging: { get: "s3:GetBucketTagging", put: "s3:PutBucketTagging", del: "s3:PutBucketTagging" },
  versioning: { get: "s3:GetBucketVersioning", put: "s3:PutBucketVersioning" },
  website: { get: "s3:GetBucketWebsite", put: "s3:PutBucketWebsite", del: "s3:DeleteBucketWebsite" },
  versions: { get: "s3:ListBucketVersions", put: "s3:ListBucketVersions" },
  uploads: { get: "s3:ListBucketMultipartUploads", put: "s3:ListBucketMultipartUploads" },
};

/** The source of a CopyObject/UploadPartCopy: "/bucket/key" or "bucket/key", URL-encoded, maybe ?versionId. */
export function parseCopySource(header: string): { bucket: string; key: string } {
  const withoutVersion = header.split("?")[0];
  const { bucket, key } = parseS3Path(`/${withoutVersion.replace(/^\/+/, "")}`);
  if (!bucket || !key) throw new UnsupportedS3Request(`x-amz-copy-source "${header}" names no bucket and key`);
  return { bucket, key };
}

/**
 * The authorizations a request needs. `method` is the HTTP method; `query` the request's query string;
 * `copySourceHeader` the x-amz-copy-source header when present. DeleteObjects (POST ?delete) needs
 * s3:DeleteObject on each key, s3:DeleteObjectVersion on each one named with a VersionId: pass them as `deleteKeys`.
 */
export function s3RequestTarget(
  method: string,
  pathname: string,
  query: URLSearchParams,
  copySourceHeader?: string,
  deleteKeys: readonly DeletedObject[] = [],
): S3RequestTarget {
  const { bucket, key } = parseS3Path(pathname);
  const verb = method.toUpperCase();
  const one = (operation: string, action: string, resourceArn: string, context: Record<string, string> = {}): S3RequestTarget => ({
    bucket,
    key,
    operation,
    authorizations: [{ action, resourceArn, context }],
  });

  if (!bucket) {
    if (verb === "GET") return one("ListBuckets", "s3:ListAllMyBuckets", "*");
    throw new UnsupportedS3Request(`${verb} on the service root is not an S3 operation`);
  }

  if (key === undefined) {
    const sub = Object.keys(BUCKET_SUBRESOURCES).find((name) => query.has(name));
    if (sub) {
      const actions = BUCKET_SUBRESOURCES[sub];
      const action = verb === "GET" || verb === "HEAD" ? actions.get : verb === "DELETE" ? actions.del ?? actions.put : actions.put;
      return one(`${verb} ?${sub}`, action, bucketArn(bucket));
    }
    if (verb === "POST" && query.has("delete")) {
      return {
        bucket,
        operation: "DeleteObjects",
        authorizations: deleteKeys.map((o) => ({ action: o.versionId === undefined ? "s3:DeleteObject" : "s3:DeleteObjectVersion", resourceArn: objectArn(bucket, o.key), context: {} })),
      };
    }
    switch (verb) {
      case "GET": {
        const context: Record<string, string> = { "s3:prefix": query.get("prefix") ?? "" };
        if (query.has("delimiter")) context["s3:delimiter"] = query.get("delimiter") ?? "";
        if (query.has("max-keys")) context["s3:max-keys"] = query.get("max-keys") ?? "";
        const operation = query.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects";
        return one(operation, "s3:ListBucket", bucketArn(bucket), context);
      }
      case "HEAD":
        return one("HeadBucket", "s3:ListBucket", bucketArn(bucket));
      case "PUT":
        return one("CreateBucket", "s3:CreateBucket", bucketArn(bucket));
      case "DELETE":
        return one("DeleteBucket", "s3:DeleteBucket", bucketArn(bucket));
      case "POST":
        return one("PostObject", "s3:PutObject", objectArn(bucket, "*"));
      default:
        throw new UnsupportedS3Request(`${verb} on bucket "${bucket}" is not an S3 operation the sandbox serves`);
    }
  }

  const object = objectArn(bucket, key);
  switch (verb) {
    case "GET":
    case "HEAD": {
      const head = verb === "HEAD" ? "HeadObject" : "GetObject";
      if (query.has("uploadId")) return one("ListParts", "s3:ListMultipartUploadParts", object);
      if (query.has("acl")) return one("GetObjectAcl", query.has("versionId") ? "s3:GetObjectVersionAcl" : "s3:GetObjectAcl", object);
      if (query.has("tagging")) return one("GetObjectTagging", query.has("versionId") ? "s3:GetObjectVersionTagging" : "s3:GetObjectTagging", object);
      return one(head, query.has("versionId") ? "s3:GetObjectVersion" : "s3:GetObject", object);
    }
    case "PUT": {
      if (query.has("acl")) return one("PutObjectAcl", "s3:PutObjectAcl", object);
      if (query.has("tagging")) return one("PutObjectTagging", "s3:PutObjectTagging", object);
      const operation = query.has("uploadId") ? (copySourceHeader ? "UploadPartCopy" : "UploadPart") : copySourceHeader ? "CopyObject" : "PutObject";
      const authorizations: S3Authorization[] = [{ action: "s3:PutObject", resourceArn: object, context: {} }];
      if (copySourceHeader) {
        const source = parseCopySource(copySourceHeader);
        authorizations.push({ action: "s3:GetObject", resourceArn: objectArn(source.bucket, source.key), context: {} });
      }
      return { bucket, key, operation, authorizations };
    }
    case "POST":
      if (query.has("uploads")) return one("CreateMultipartUpload", "s3:PutObject", object);
      if (query.has("uploadId")) return one("CompleteMultipartUpload", "s3:PutObject", object);
      throw new UnsupportedS3Request(`POST on object "${key}" without ?uploads or ?uploadId is not an S3 operation`);
    case "DELETE":
      if (query.has("uploadId")) return one("AbortMultipartUpload", "s3:AbortMultipartUpload", object);
      if (query.has("tagging")) return one("DeleteObjectTagging", "s3:DeleteObjectTagging", object);
      return one("DeleteObject", query.has("versionId") ? "s3:DeleteObjectVersion" : "s3:DeleteObject", object);
    default:
      throw new UnsupportedS3Request(`${verb} on object "${key}" is not an S3 operation the sandbox serves`);
  }
}
