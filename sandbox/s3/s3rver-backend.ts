import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createHash } from "node:crypto";
import { encodeKeyForFileSystem, decodeKeyFromFileSystem, isValidBucketName, isValidUploadId } from "./keys";

/**
 * s3rver 3.7.1, made safe for the sandbox by two changes applied when it is loaded (no copy of the
 * package, no patch tool):
 * - its ListObjectsV2 continuation tokens are DES-encrypted, which Node's OpenSSL 3 refuses
 *   ("Unsupported"), so every truncated listing answered 500. The two token functions are replaced by
 *   an opaque base64url encoding of the same text (S3 documents the token only as opaque).
 * - its FilesystemStore maps keys straight onto paths, so a key "a/../../x" is resolved by the file
 *   system. The store below encodes every key segment (and checks bucket names and upload ids), so no
 *   key can name a path outside the store's root; PutObject writes a temporary file and renames it over
 *   the object, so an interrupted write never leaves a torn object; listings are in S3's order (UTF-8
 *   binary order of the keys).
 */

type S3rverInstance = {
  store: unknown;
  context: { store: unknown };
  close(): Promise<void>;
};
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

const S3RVER_VERSION = "3.7.1";
const DES_TOKEN_CODE = /function generateContinuationToken\(bucket, keyName, region\) \{[\s\S]*?\n\}\n\nfunction decipherContinuationToken\(token\) \{[\s\S]*?\n\}\n/;
const TOKEN_CODE = `function generateContinuationToken(bucket, keyName, region) {
  return Buffer.from(\`\${region}/\${bucket}/\${keyName}\`, 'utf8').toString('base64url');
}

function decipherContinuationToken(token) {
  return Buffer.from(String(token), 'base64url').toString('utf8');
}
`;

type LoadedS3rver = { S3rver: S3rverConstructor; FilesystemStore: new (root: string) => object };
/**
 * Kept on the process, not in this module: when this module is evaluated again in the same process (a test
 * runner clearing the project's modules), s3rver stays loaded, patched, and is reused.
 */
const LOADED = Symbol.for("sfn-integration-patterns.s3rver-patched");
const processWide = globalThis as { [LOADED]?: LoadedS3rver };

/** Loads s3rver with its continuation-token code replaced; refuses any other s3rver version. */
function loadS3rver(): LoadedS3rver {
  const already = processWide[LOADED];
  if (already) return already;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require("node:module") as unknown as {
    _nodeModulePaths(dir: string): string[];
    new (id: string, parent?: NodeModule): NodeModule & { _compile(code: string, filename: string): void; paths: string[] };
  };
  const version = (JSON.parse(fs.readFileSync(require.resolve("s3rver/package.json"), "utf8")) as { version: string }).version;
  if (version !== S3RVER_VERSION) throw new Error(`The sandbox's S3 patches are written for s3rver ${S3RVER_VERSION}, found ${version}`);
  const controller = require.resolve("s3rver/lib/controllers/bucket.js");
  if (require.cache[controller]) throw new Error("s3rver was loaded before the sandbox could patch its continuation tokens");
  const source = fs.readFileSync(controller, "utf8");
  if (!DES_TOKEN_CODE.test(source)) throw new Error(`s3rver's continuation-token code in ${path.basename(controller)} is not the code the sandbox replaces`);
  const patched = new Module(controller, module);
  patched.filename = controller;
  patched.paths = Module._nodeModulePaths(path.dirname(controller));
  patched._compile(source.replace(DES_TOKEN_CODE, TOKEN_CODE), controller);
  patched.loaded = true;
  require.cache[controller] = patched;
  const loaded: LoadedS3rver = {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    S3rver: require("s3rver") as S3rverConstructor,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    FilesystemStore: require("s3rver/lib/stores/filesystem.js") as new (root: string) => object,
  };
  processWide[LOADED] = loaded;
  return loaded;
}

const OBJECT_SUFFIX = "._S3rver_object";

export interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly content: Buffer | Readable;
  readonly metadata: Record<string, string>;
}

/** The store methods the subclass overrides or calls (s3rver's FilesystemStore, untyped). */
interface FilesystemStoreBase {
  rootDirectory: string;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
  getBucket(bucket: string): Promise<unknown>;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
  putPart(bucket: string, uploadId: string, partNumber: number | string, content: Readable): Promise<{ size: number; md5: string }>;
  putObjectMultipart(bucket: string, uploadId: string, parts: unknown[]): Promise<{ size: number; md5: string }>;
  initiateUpload(bucket: string, key: string, uploadId: string, metadata: unknown): Promise<void>;
}

function safeStoreClass(Base: new (root: string) => object) {
  const base = Base as unknown as new (root: string) => FilesystemStoreBase;
  return class SafeFilesystemStore extends base {
    getBucketPath(bucket: string): string {
      if (!isValidBucketName(bucket)) throw new Error(`Not a valid bucket name: ${JSON.stringify(bucket)}`);
      return this.inRoot(path.join(this.rootDirectory, bucket));
    }

    /** Folders of the root that are no bucket name (the version archive) are no bucket. */
    async getBucket(bucket: string): Promise<unknown> {
      return isValidBucketName(bucket) ? super.getBucket(bucket) : null;
    }

    getResourcePath(bucket: string, key = "", resource: string): string {
      const segments = encodeKeyForFileSystem(key);
      const last = segments.pop() as string;
      return this.inRoot(path.join(this.getBucketPath(bucket), ...segments, `${last}._S3rver_${resource}`));
    }

    /** Last line of defence: whatever the encodings, nothing outside the root. */
    inRoot(candidate: string): string {
      const root = path.resolve(this.rootDirectory);
      const resolved = path.resolve(candidate);
      if (!resolved.startsWith(root + path.sep)) throw new Error(`Refusing a store path outside the S3 folder: ${JSON.stringify(candidate)}`);
      return resolved;
    }

    async listObjects(bucket: string, options: { delimiter?: string; startAfter?: string; prefix?: string; maxKeys?: number }) {
      const { delimiter = "", startAfter = "", prefix = "", maxKeys = Infinity } = options;
      const bucketPath = this.getBucketPath(bucket);
      const keys: string[] = [];
      const walk = (dir: string, segments: string[]) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          if (entry.isDirectory()) walk(path.join(dir, entry.name), [...segments, entry.name]);
          else if (entry.name.endsWith(OBJECT_SUFFIX)) keys.push(decodeKeyFromFileSystem([...segments, entry.name.slice(0, -OBJECT_SUFFIX.length)]));
        }
      };
      walk(bucketPath, []);
      // S3 lists keys in UTF-8 binary order.
      keys.sort((a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
      const commonPrefixes = new Set<string>();
      const selected: string[] = [];
      let isTruncated = false;
      for (const key of keys) {
        if (!key.startsWith(prefix) || Buffer.compare(Buffer.from(key), Buffer.from(startAfter)) <= 0) continue;
        if (delimiter) {
          const idx = key.slice(prefix.length).indexOf(delimiter);
          if (idx !== -1) {
            const common = key.slice(0, prefix.length + idx + delimiter.length);
            if (!commonPrefixes.has(common) && selected.length + commonPrefixes.size >= maxKeys) {
              isTruncated = true;
              break;
            }
            commonPrefixes.add(common);
            continue;
          }
        }
        if (selected.length + commonPrefixes.size >= maxKeys) {
          isTruncated = true;
          break;
        }
        selected.push(key);
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const S3Object = require("s3rver/lib/models/object.js") as new (bucket: string, key: string, content: null, metadata: unknown) => unknown;
      const objects = [];
      for (const key of selected) {
        try {
          objects.push(new S3Object(bucket, key, null, await this.getMetadata(bucket, key)));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        }
      }
      return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
    }

    /** Write beside the object, then rename over it: readers see the old object or the new one, never part. */
    async putObject(object: StoredObject): Promise<{ size: number; md5: string }> {
      const objectPath = this.getResourcePath(object.bucket, object.key, "object");
      await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
      const temporary = `${path.dirname(objectPath)}${path.sep}.upload-${randomBytes(8).toString("hex")}.tmp`;
      const md5 = createHash("md5");
      let size = 0;
      try {
        const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            md5.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        });
        const out = fs.createWriteStream(temporary, { flags: "wx" });
        await pipeline(source, counter, out);
        const handle = await fs.promises.open(temporary, "r");
        await handle.sync();
        await handle.close();
        const digest = md5.digest("hex");
        // Old md5 first: a stale one would describe the new bytes; a missing one is recomputed on read.
        await fs.promises.rm(this.getResourcePath(object.bucket, object.key, "object.md5"), { force: true });
        await fs.promises.rename(temporary, objectPath);
        await this.putMetadata(object.bucket, object.key, object.metadata, digest);
        return { size, md5: digest };
      } finally {
        await fs.promises.rm(temporary, { force: true });
      }
    }

    async deleteObject(bucket: string, key: string): Promise<void> {
      for (const resource of ["object", "object.md5", "metadata.json"]) {
        await fs.promises.rm(this.getResourcePath(bucket, key, resource), { force: true });
      }
      // Remove the key's now-empty folders, never the bucket's own.
      const bucketPath = this.getBucketPath(bucket);
      const segments = encodeKeyForFileSystem(key);
      segments.pop();
      while (segments.length > 0) {
        const dir = this.inRoot(path.join(bucketPath, ...segments));
        try {
          if (fs.readdirSync(dir).length > 0) break;
          fs.rmdirSync(dir);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        }
        segments.pop();
      }
    }

    async initiateUpload(bucket: string, key: string, uploadId: string, metadata: unknown): Promise<void> {
      checkUploadId(uploadId);
      return super.initiateUpload(bucket, key, uploadId, metadata);
    }

    async putPart(bucket: string, uploadId: string, partNumber: number | string, content: Readable) {
      checkUploadId(uploadId);
      // The part number arrives as the query string's text; it becomes a file name, so digits only.
      if (!/^\d{1,5}$/.test(String(partNumber)) || Number(partNumber) < 1 || Number(partNumber) > 10_000) throw new Error(`Not a part number: ${partNumber}`);
      return super.putPart(bucket, uploadId, Number(partNumber), content);
    }

    async putObjectMultipart(bucket: string, uploadId: string, parts: unknown[]) {
      checkUploadId(uploadId);
      return super.putObjectMultipart(bucket, uploadId, parts);
    }
  };
}

function checkUploadId(uploadId: string): void {
  if (!isValidUploadId(uploadId)) throw new Error(`Not an upload id: ${JSON.stringify(uploadId)}`);
}

/** The store operations tests call directly. */
export interface StoreForTests {
  putBucket(bucket: string): Promise<unknown>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
  getObject(bucket: string, key: string): Promise<{ content: Readable; metadata: Record<string, string> } | null>;
}

/** A store over `directory` with the safety changes above (used by the server and by tests). */
export function createSafeStore(directory: string): object {
  const { FilesystemStore } = loadS3rver();
  const Store = safeStoreClass(FilesystemStore);
  return new Store(directory);
}

/**
 * Starts patched s3rver with the safe store on a Unix socket in a fresh private folder (mode 0700), not
 * on a TCP port: the unauthorized backend is then reachable by the sandbox's own code only, never by
 * another local process that scans 127.0.0.1.
 */
export async function startS3rverBackend(directory: string): Promise<{ socketPath: string; close(): Promise<void> }> {
  const { S3rver } = loadS3rver();
  const backend = new S3rver({ silent: true, directory, vhostBuckets: false }) as S3rverInstance & { listen(path: string): Promise<unknown>; httpServer: unknown };
  const store = createSafeStore(directory);
  backend.store = store;
  backend.context.store = store;
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-s3-"));
  fs.chmodSync(socketDir, 0o700);
  const socketPath = path.join(socketDir, "backend.sock");
  const server = (await backend.listen(socketPath)) as http.Server;
  backend.httpServer = server;
  return {
    socketPath,
    close: async () => {
      // Kept-alive connections from the front would hold close() open.
      const closed = backend.close();
      server.closeAllConnections();
      await closed;
      fs.rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/** One request to the backend over its socket; resolves with the response, not yet read. */
export function backendRequest(socketPath: string, options: { method: string; path: string; headers?: http.OutgoingHttpHeaders }, body?: Buffer): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, method: options.method, path: options.path, headers: { host: "localhost", ...options.headers } }, resolve);
    request.once("error", reject);
    request.end(body);
  });
}
