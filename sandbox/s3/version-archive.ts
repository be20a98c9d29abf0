import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Every version of every object of the versioned buckets, kept on disk beside the store (S3 user guide,
 * "Using versioning in S3 buckets": each PUT adds a version, a DELETE without a version id adds a delete
 * marker, a DELETE with one removes that version for good). The store itself keeps the current object,
 * so reads, listings and uploads without a version id stay the store's.
 *
 * No key ever becomes a file name: a bucket's index is one JSON file and each version's bytes are a file
 * named by a random id, both written to a temporary file and renamed.
 */

/** One version or delete marker of a key, newest last in its key's list. */
export interface VersionEntry {
  readonly versionId: string;
  readonly key: string;
  readonly deleteMarker: boolean;
  /** ISO 8601. */
  readonly lastModified: string;
  readonly etag?: string;
  readonly size?: number;
  readonly contentType?: string;
  /** x-amz-meta-* headers, names lowercased. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Name of the bytes file in the bucket's folder (not the version id: "null" is shared by keys). */
  readonly file?: string;
}

/** What a new version holds. */
export interface VersionContent {
  readonly bytes: Buffer;
  readonly etag: string;
  readonly contentType?: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Set for the "null" version of an object written before versioning applied. */
  readonly versionId?: string;
  readonly lastModified?: Date;
}

/** A version id as this archive issues them (S3's are opaque strings; "null" names the pre-versioning one). */
export function isIssuedVersionId(versionId: string): boolean {
  return versionId === "null" || /^[0-9a-f]{32}$/.test(versionId);
}

export class VersionArchive {
  private readonly queues = new Map<string, Promise<unknown>>();

  /** `root` is a folder of its own; buckets are folders in it. */
  constructor(private readonly root: string) {}

  /** The versions of a key, newest last. */
  versions(bucket: string, key: string): readonly VersionEntry[] {
    return this.index(bucket).get(key) ?? [];
  }

  latest(bucket: string, key: string): VersionEntry | undefined {
    const all = this.versions(bucket, key);
    return all[all.length - 1];
  }

  find(bucket: string, key: string, versionId: string): VersionEntry | undefined {
    return this.versions(bucket, key).find((v) => v.versionId === versionId);
  }

  /** Every key's versions, keys in UTF-8 binary order, newest version first (ListObjectVersions order). */
  listing(bucket: string, prefix: string): VersionEntry[] {
    const keys = [...this.index(bucket).keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys);
    return keys.flatMap((k) => [...this.versions(bucket, k)].reverse());
  }

  bytes(bucket: string, entry: VersionEntry): Buffer {
    if (!entry.file) throw new Error(`Version ${entry.versionId} of "${entry.key}" is a delete marker and has no bytes`);
    return fs.readFileSync(path.join(this.bucketDir(bucket), entry.file));
  }

  add(bucket: string, key: string, content: VersionContent): Promise<VersionEntry> {
    return this.serialized(bucket, async () => {
      const file = randomBytes(16).toString("hex");
      writeAtomically(path.join(this.bucketDir(bucket), file), content.bytes);
      const entry: VersionEntry = {
        versionId: content.versionId ?? newVersionId(),
        key,
        deleteMarker: false,
        lastModified: (content.lastModified ?? new Date()).toISOString(),
        etag: content.etag,
        size: content.bytes.length,
        ...(content.contentType ? { contentType: content.contentType } : {}),
        metadata: content.metadata,
        file,
      };
      this.append(bucket, entry);
      return entry;
    });
  }

  addDeleteMarker(bucket: string, key: string): Promise<VersionEntry> {
    return this.serialized(bucket, async () => {
      const entry: VersionEntry = { versionId: newVersionId(), key, deleteMarker: true, lastModified: new Date().toISOString() };
      this.append(bucket, entry);
      return entry;
    });
  }

  /** Removes one version; answers what it was and the key's latest version afterwards. */
  remove(bucket: string, key: string, versionId: string): Promise<{ removed?: VersionEntry; latest?: VersionEntry }> {
    return this.serialized(bucket, async () => {
      const index = this.index(bucket);
      const all = index.get(key) ?? [];
      const removed = all.find((v) => v.versionId === versionId);
      if (!removed) return { latest: all[all.length - 1] };
      const rest = all.filter((v) => v !== removed);
      if (rest.length > 0) index.set(key, rest);
      else index.delete(key);
      this.save(bucket, index);
      if (removed.file) fs.rmSync(path.join(this.bucketDir(bucket), removed.file), { force: true });
      return { removed, latest: rest[rest.length - 1] };
    });
  }

  private append(bucket: string, entry: VersionEntry): void {
    const index = this.index(bucket);
    index.set(entry.key, [...(index.get(entry.key) ?? []), entry]);
    this.save(bucket, index);
  }

  /**
   * The bucket's index as on disk, read each time rather than cached: a sandbox reset empties the S3
   * folder, and the versions must go with the objects.
   */
  private index(bucket: string): Map<string, VersionEntry[]> {
    try {
      return new Map(JSON.parse(fs.readFileSync(this.indexPath(bucket), "utf8")) as [string, VersionEntry[]][]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      return new Map();
    }
  }

  private save(bucket: string, index: Map<string, VersionEntry[]>): void {
    writeAtomically(this.indexPath(bucket), Buffer.from(JSON.stringify([...index.entries()])));
  }

  private bucketDir(bucket: string): string {
    // Bucket names are checked by the caller (no "/" or ".."); the join stays inside the root regardless.
    const dir = path.join(this.root, encodeURIComponent(bucket));
    if (!path.resolve(dir).startsWith(path.resolve(this.root) + path.sep)) throw new Error(`Not a bucket folder: ${JSON.stringify(bucket)}`);
    return dir;
  }

  private indexPath(bucket: string): string {
    return path.join(this.bucketDir(bucket), "index.json");
  }

  /** One change at a time per bucket, so that two writes never lose each other's index entry. */
  private serialized<T>(bucket: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(bucket) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(bucket, next.catch(() => undefined));
    return next;
  }
}

function newVersionId(): string {
  return randomBytes(16).toString("hex");
}

/** UTF-8 binary order, as S3 lists keys. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function writeAtomically(file: string, bytes: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(8).toString("hex")}.tmp`;
  try {
    const fd = fs.openSync(temporary, "wx");
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
