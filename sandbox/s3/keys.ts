/**
 * S3 object keys and bucket names. A key is an opaque sequence of up to 1,024 bytes of UTF-8 (S3 user
 * guide, "Naming Amazon S3 objects"): "/" is a character like any other and ".." is not a path step, so
 * "output/../etl/x" is a key of its own, next to "etl/x". Keys reach the sandbox percent-encoded in the
 * request path and are decoded exactly once.
 */

/** S3's limit on a key: 1,024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

/** The request path split into bucket and key, each percent-decoded once; throws URIError when malformed. */
export function parseRequestPath(rawPath: string): { bucket?: string; key?: string } {
  if (!rawPath.startsWith("/")) throw new URIError(`The request path "${rawPath}" does not start with "/"`);
  const rest = rawPath.slice(1);
  if (rest === "") return {};
  const slash = rest.indexOf("/");
  if (slash < 0) return { bucket: decodeURIComponent(rest) };
  const bucket = decodeURIComponent(rest.slice(0, slash));
  const key = decodeURIComponent(rest.slice(slash + 1));
  return key === "" ? { bucket } : { bucket, key };
}

/**
 * Bucket naming rules (S3 user guide, "General purpose bucket naming rules"): 3 to 63 characters of
 * lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no two
 * adjacent dots, not an IP address.
 */
export function isValidBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes("..") &&
    !/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

/** Upload ids as the S3 server issues them (32 hex digits); anything else names no upload. */
export function isValidUploadId(uploadId: string): boolean {
  return /^[0-9a-f]{32}$/.test(uploadId);
}

/** The key percent-encoded for a request path: every byte but unreserved letters, digits, "-_~" and "/". */
export function encodeKeyForPath(key: string): string {
  return key.split("/").map(encodeSegment).join("/");
}

/**
 * The key as one path segment, slashes encoded too: for the backend server, whose router matches no
 * empty segment (a key "a//b" or "/x"); it decodes the segment back to the key.
 */
export function encodeKeyAsOneSegment(key: string): string {
  return encodeSegment(key);
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[.!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Longest file name a key piece takes on disk (file systems allow 255 bytes; the store adds a suffix). */
const MAX_PIECE = 180;
/** Ends a piece that continues in the next path component (never produced by the encoding: "+" is %2B). */
const CONTINUES = "+";
/** Stands for an empty segment (a key with "//" or a leading or trailing "/"): never produced otherwise. */
const EMPTY = "%";

/**
 * The path components a key is stored under: each "/"-separated segment percent-encoded (dots too, so
 * no component is "." or ".." or looks like the store's own files), empty segments as "%", and long
 * segments cut into pieces that end in "+". Reversed by decodeKeyFromFileSystem.
 */
export function encodeKeyForFileSystem(key: string): string[] {
  const components: string[] = [];
  for (const segment of key.split("/")) {
    const encoded = segment === "" ? EMPTY : encodeSegment(segment);
    let rest = encoded;
    while (rest.length > MAX_PIECE) {
      let cut = MAX_PIECE;
      // never cut inside a %XX escape
      const escape = rest.lastIndexOf("%", cut - 1);
      if (escape > cut - 3) cut = escape;
      components.push(rest.slice(0, cut) + CONTINUES);
      rest = rest.slice(cut);
    }
    components.push(rest);
  }
  return components;
}

export function decodeKeyFromFileSystem(components: readonly string[]): string {
  const segments: string[] = [];
  let pending = "";
  for (const component of components) {
    if (component.endsWith(CONTINUES)) {
      pending += component.slice(0, -1);
      continue;
    }
    const encoded = pending + component;
    pending = "";
    segments.push(encoded === EMPTY ? "" : decodeURIComponent(encoded));
  }
  return segments.join("/");
}
