import type * as http from "node:http";
import { encodeKeyAsOneSegment } from "./keys";
import { backendRequest } from "./s3rver-backend";
import { compareKeys, isIssuedVersionId, type VersionArchive, type VersionContent, type VersionEntry } from "./version-archive";

/**
 * The versioned forms of the object operations, for buckets whose versioning is Enabled (S3 API
 * reference: PutObject, GetObject, HeadObject, DeleteObject, ListObjectVersions; S3 user guide, "Using
 * versioning in S3 buckets"). The backend store keeps each key's current object; the archive keeps every
 * version and delete marker. An object stored before versioning applied is the version "null".
 */

/** An S3 error answer, with the headers S3 sends along (x-amz-delete-marker...). */
export class VersionRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, string>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

const XMLNS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c] ?? c);
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

function objectPath(bucket: string, key: string): string {
  return `/${bucket}/${encodeKeyAsOneSegment(key)}`;
}

async function readAll(stream: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export class VersionedObjects {
  constructor(
    private readonly backendSocket: string,
    private readonly archive: VersionArchive,
  ) {}

  private readonly changes = new Map<string, Promise<unknown>>();

  /** Runs `change` after the bucket's earlier changes have finished. */
  oneChangeAtATime<T>(bucket: string, change: () => Promise<T>): Promise<T> {
    const previous = this.changes.get(bucket) ?? Promise.resolve();
    const next = previous.then(change, change);
    const settled = next.catch(() => undefined);
    this.changes.set(bucket, settled);
    void settled.then(() => {
      if (this.changes.get(bucket) === settled) this.changes.delete(bucket);
    });
    return next;
  }

  /** The backend's current object of a key, or undefined when there is none. */
  private async current(bucket: string, key: string): Promise<VersionContent | undefined> {
    const response = await backendRequest(this.backendSocket, { method: "GET", path: objectPath(bucket, key) });
    const bytes = await readAll(response);
    if (response.statusCode === 404) return undefined;
    if (response.statusCode !== 200) throw new Error(`The store answered ${response.statusCode} reading "${key}" of ${bucket}`);
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (name.startsWith("x-amz-meta-") && typeof value === "string") metadata[name] = value;
    }
    const lastModified = single(response.headers["last-modified"]);
    return {
      bytes,
      etag: single(response.headers.etag) ?? "",
      contentType: single(response.headers["content-type"]),
      metadata,
      ...(lastModified ? { lastModified: new Date(lastModified) } : {}),
    };
  }

  /** Before the first versioned change of a key: the object stored before versioning is kept as version "null". */
  async adoptUnversioned(bucket: string, key: string): Promise<void> {
    if (this.archive.versions(bucket, key).length > 0) return;
    const existing = await this.current(bucket, key);
    if (existing) await this.archive.add(bucket, key, { ...existing, versionId: "null" });
  }

  /** After a PutObject, CopyObject or CompleteMultipartUpload succeeded: the stored object becomes the newest version. */
  async recordWrite(bucket: string, key: string): Promise<VersionEntry | undefined> {
    const stored = await this.current(bucket, key);
    return stored ? this.archive.add(bucket, key, stored) : undefined;
  }

  /** Whether the key changed since versioning applied (else its only version is the store's, "null"). */
  hasVersions(bucket: string, key: string): boolean {
    return this.archive.versions(bucket, key).length > 0;
  }

  /** The version id and delete-marker headers of the latest version, for a request without versionId. */
  latestHeaders(bucket: string, key: string): Record<string, string> {
    const latest = this.archive.latest(bucket, key);
    if (!latest) return {};
    return latest.deleteMarker ? { "x-amz-delete-marker": "true", "x-amz-version-id": latest.versionId } : { "x-amz-version-id": latest.versionId };
  }

  /**
   * GetObject / HeadObject with versionId: that version's bytes and headers. An unknown id is 404
   * NoSuchVersion; a delete marker is 405 MethodNotAllowed with x-amz-delete-marker (GetObject, "Errors").
   */
  serveVersion(res: http.ServerResponse, method: string, bucket: string, key: string, versionId: string, requestHeaders: http.IncomingHttpHeaders): void {
    const entry = this.archive.find(bucket, key, versionId);
    if (!entry) throw new VersionRefusal(404, "NoSuchVersion", "The specified version does not exist.", { Key: key, VersionId: versionId });
    if (entry.deleteMarker) {
      throw new VersionRefusal(405, "MethodNotAllowed", "The specified method is not allowed against this resource.", { Method: method, ResourceType: "DeleteMarker" }, { "x-amz-delete-marker": "true", "x-amz-version-id": entry.versionId, allow: "DELETE" });
    }
    // x-amz-checksum-mode needs no refusal: S3 returns checksums only for objects stored with one, and versions keep none.
    for (const name of ["range", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since"]) {
      if (requestHeaders[name] !== undefined) {
        throw new VersionRefusal(501, "NotImplemented", `The sandbox serves a version (versionId) of "${key}" whole: the ${name} header is not applied to versions`);
      }
    }
    const bytes = this.archive.bytes(bucket, entry);
    res.writeHead(200, {
      "content-type": entry.contentType ?? "binary/octet-stream",
      "content-length": bytes.length,
      etag: entry.etag ?? "",
      "last-modified": new Date(entry.lastModified).toUTCString(),
      "accept-ranges": "bytes",
      "x-amz-version-id": entry.versionId,
      ...(entry.metadata ?? {}),
    });
    res.end(method === "HEAD" ? undefined : bytes);
  }

  /** DeleteObject without versionId: the current object goes, a delete marker becomes the latest version. */
  async deleteCurrent(res: http.ServerResponse, bucket: string, key: string): Promise<void> {
    const marker = await this.addDeleteMarker(bucket, key);
    res.writeHead(204, { "x-amz-delete-marker": "true", "x-amz-version-id": marker.versionId });
    res.end();
  }

  private async addDeleteMarker(bucket: string, key: string): Promise<VersionEntry> {
    await this.adoptUnversioned(bucket, key);
    await this.backendDelete(bucket, key);
    return this.archive.addDeleteMarker(bucket, key);
  }

  /**
   * DeleteObject with versionId: that version is gone for good; when it was the latest, the one before
   * becomes current (or none, when that is a delete marker). S3 answers 204 for an id it does not hold.
   */
  async deleteVersion(res: http.ServerResponse, bucket: string, key: string, versionId: string): Promise<void> {
    if (!isIssuedVersionId(versionId)) throw new VersionRefusal(400, "InvalidArgument", "Invalid version id specified", { ArgumentName: "versionId", ArgumentValue: versionId });
    const removed = await this.removeVersion(bucket, key, versionId);
    res.writeHead(204, { "x-amz-version-id": versionId, ...(removed?.deleteMarker ? { "x-amz-delete-marker": "true" } : {}) });
    res.end();
  }

  private async removeVersion(bucket: string, key: string, versionId: string): Promise<VersionEntry | undefined> {
    if (versionId === "null") await this.adoptUnversioned(bucket, key);
    const wasLatest = this.archive.latest(bucket, key)?.versionId === versionId;
    const { removed, latest } = await this.archive.remove(bucket, key, versionId);
    if (removed && wasLatest) {
      if (latest && !latest.deleteMarker) await this.backendRestore(bucket, latest);
      else await this.backendDelete(bucket, key);
    }
    return removed;
  }

  /**
   * DeleteObjects (POST /bucket?delete) on a versioned bucket: each object as DeleteObject would, the
   * answer a DeleteResult of Deleted (with DeleteMarker, DeleteMarkerVersionId) and Error entries;
   * Quiet leaves out the Deleted ones (service-2.json DeleteObjects).
   */
  async deleteMany(res: http.ServerResponse, bucket: string, objects: readonly { key: string; versionId?: string }[], quiet: boolean): Promise<void> {
    const results: string[] = [];
    for (const { key, versionId } of objects) {
      const keyXml = `<Key>${escapeXml(key)}</Key>`;
      if (versionId === undefined) {
        const marker = await this.addDeleteMarker(bucket, key);
        if (!quiet) results.push(`<Deleted>${keyXml}<DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>${marker.versionId}</DeleteMarkerVersionId></Deleted>`);
      } else if (!isIssuedVersionId(versionId)) {
        results.push(`<Error>${keyXml}<VersionId>${escapeXml(versionId)}</VersionId><Code>InvalidArgument</Code><Message>Invalid version id specified</Message></Error>`);
      } else {
        const removed = await this.removeVersion(bucket, key, versionId);
        const marker = removed?.deleteMarker ? `<DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>${versionId}</DeleteMarkerVersionId>` : "";
        if (!quiet) results.push(`<Deleted>${keyXml}<VersionId>${escapeXml(versionId)}</VersionId>${marker}</Deleted>`);
      }
    }
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult ${XMLNS}>${results.join("")}</DeleteResult>`;
    res.writeHead(200, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }

  private async backendDelete(bucket: string, key: string): Promise<void> {
    const response = await backendRequest(this.backendSocket, { method: "DELETE", path: objectPath(bucket, key) });
    await readAll(response);
    if ((response.statusCode ?? 500) >= 300) throw new Error(`The store answered ${response.statusCode} deleting "${key}" of ${bucket}`);
  }

  private async backendRestore(bucket: string, entry: VersionEntry): Promise<void> {
    const bytes = this.archive.bytes(bucket, entry);
    const headers: http.OutgoingHttpHeaders = { "content-length": bytes.length, ...(entry.contentType ? { "content-type": entry.contentType } : {}), ...(entry.metadata ?? {}) };
    const response = await backendRequest(this.backendSocket, { method: "PUT", path: objectPath(bucket, entry.key), headers }, bytes);
    await readAll(response);
    if (response.statusCode !== 200) throw new Error(`The store answered ${response.statusCode} restoring "${entry.key}" of ${bucket}`);
  }

  /** The backend's current objects under a prefix (ListObjectsV2, every page). */
  private async currentObjects(bucket: string, prefix: string): Promise<VersionEntry[]> {
    const found: VersionEntry[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ "list-type": "2", prefix, ...(token ? { "continuation-token": token } : {}) });
      const response = await backendRequest(this.backendSocket, { method: "GET", path: `/${bucket}?${query.toString()}` });
      const xml = (await readAll(response)).toString("utf8");
      if (response.statusCode === 404) throw new VersionRefusal(404, "NoSuchBucket", "The specified bucket does not exist", { BucketName: bucket });
      if (response.statusCode !== 200) throw new Error(`The store answered ${response.statusCode} listing ${bucket}`);
      for (const [, contents] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const tag = (name: string) => unescapeXml(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(contents)?.[1] ?? "");
        found.push({ versionId: "null", key: tag("Key"), deleteMarker: false, lastModified: tag("LastModified"), etag: tag("ETag"), size: Number(tag("Size")) });
      }
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? unescapeXml(/<NextContinuationToken>([\s\S]*?)<\/NextContinuationToken>/.exec(xml)?.[1] ?? "") : undefined;
    } while (token);
    return found;
  }

  /**
   * ListObjectVersions (GET /bucket?versions): keys in UTF-8 binary order, each key's versions newest
   * first, IsLatest on the first; paged by max-keys (default 1,000) with key-marker and
   * version-id-marker; EncodingType url encodes keys, prefix and markers (service-2.json ListObjectVersions).
   */
  async listVersions(res: http.ServerResponse, bucket: string, query: URLSearchParams): Promise<void> {
    if (query.has("delimiter")) throw new VersionRefusal(501, "NotImplemented", "The sandbox's ListObjectVersions does not group by delimiter (CommonPrefixes)");
    const encodingType = query.get("encoding-type");
    if (encodingType !== null && encodingType !== "url") throw new VersionRefusal(400, "InvalidArgument", "Invalid Encoding Method specified in Request", { ArgumentName: "encoding-type" });
    const prefix = query.get("prefix") ?? "";
    const maxKeysText = query.get("max-keys");
    if (!/^\d+$/.test(maxKeysText ?? "0")) throw new VersionRefusal(400, "InvalidArgument", "Provided max-keys not an integer or within integer range", { ArgumentName: "max-keys" });
    // S3 returns at most 1,000 entries per page whatever max-keys asks.
    const maxKeys = Math.min(maxKeysText === null ? 1000 : Number(maxKeysText), 1000);
    const keyMarker = query.get("key-marker") ?? "";
    const versionIdMarker = query.get("version-id-marker") ?? "";
    if (versionIdMarker !== "" && keyMarker === "") throw new VersionRefusal(400, "InvalidArgument", "A version-id marker cannot be specified without a key marker.", { ArgumentName: "version-id-marker" });

    const archived = this.archive.listing(bucket, prefix);
    const archivedKeys = new Set(archived.map((e) => e.key));
    const unversioned = (await this.currentObjects(bucket, prefix)).filter((e) => !archivedKeys.has(e.key));
    // A stable sort keeps each key's archived versions newest first.
    const all = [...archived, ...unversioned].sort((a, b) => compareKeys(a.key, b.key));
    const latest = new Set<VersionEntry>();
    all.forEach((entry, i) => {
      if (i === 0 || all[i - 1].key !== entry.key) latest.add(entry);
    });

    let start = 0;
    if (keyMarker !== "") {
      if (versionIdMarker === "") start = all.findIndex((e) => compareKeys(e.key, keyMarker) > 0);
      else {
        const at = all.findIndex((e) => e.key === keyMarker && e.versionId === versionIdMarker);
        start = at >= 0 ? at + 1 : all.findIndex((e) => compareKeys(e.key, keyMarker) > 0);
      }
      if (start < 0) start = all.length;
    }
    const page = all.slice(start, start + maxKeys);
    const truncated = start + page.length < all.length;
    const text = (value: string) => escapeXml(encodingType === "url" ? encodeURIComponent(value) : value);
    const last = page[page.length - 1];

    const entries = page
      .map((e) => {
        const common = `<Key>${text(e.key)}</Key><VersionId>${escapeXml(e.versionId)}</VersionId><IsLatest>${latest.has(e)}</IsLatest><LastModified>${escapeXml(new Date(e.lastModified).toISOString())}</LastModified>`;
        return e.deleteMarker
          ? `<DeleteMarker>${common}</DeleteMarker>`
          : `<Version>${common}<ETag>${escapeXml(e.etag ?? "")}</ETag><Size>${e.size ?? 0}</Size><StorageClass>STANDARD</StorageClass></Version>`;
      })
      .join("");
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult ${XMLNS}><Name>${escapeXml(bucket)}</Name><Prefix>${text(prefix)}</Prefix>` +
      `<KeyMarker>${text(keyMarker)}</KeyMarker><VersionIdMarker>${escapeXml(versionIdMarker)}</VersionIdMarker>` +
      (truncated && last ? `<NextKeyMarker>${text(last.key)}</NextKeyMarker><NextVersionIdMarker>${escapeXml(last.versionId)}</NextVersionIdMarker>` : "") +
      `<MaxKeys>${maxKeys}</MaxKeys>${encodingType === "url" ? "<EncodingType>url</EncodingType>" : ""}<IsTruncated>${truncated}</IsTruncated>${entries}</ListVersionsResult>`;
    res.writeHead(200, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }
}
