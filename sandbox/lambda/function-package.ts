import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/**
 * One part of a function's deployment package, as a Pulumi program gives it (aws.lambda.Function `code`):
 * a file's text (StringAsset), a file (FileAsset), a folder (FileArchive of a directory) or a zip file
 * (FileArchive of a .zip); the Lambda API gives the zip's bytes (CreateFunction Code.ZipFile). `at` is where
 * the part goes in the package ("" is its root), as an AssetArchive names its entries.
 */
export type PackagePart =
  | { readonly at: string; readonly text: string }
  | { readonly at: string; readonly file: string }
  | { readonly at: string; readonly directory: string }
  | { readonly at: string; readonly zipFile: string }
  | { readonly at: string; readonly zipBytes: Buffer };

export class PackageError extends Error {
  override readonly name = "PackageError";
}

/** A target path inside the package root; a part naming a path outside it ("../x", "/etc/x") is refused. */
function inside(root: string, at: string, what: string): string {
  const target = path.resolve(root, at);
  if (target !== root && !target.startsWith(root + path.sep)) throw new PackageError(`${what}: "${at}" is outside the function's package`);
  return target;
}

/**
 * Extracts a zip with Python's zipfile (the sandbox needs python3 already), which refuses nothing but drops
 * absolute paths and ".." components, so no entry lands outside `target` (Python docs, ZipFile.extractall).
 */
function extractZip(zip: string | Buffer, target: string, python: string, what: string): void {
  const script = "import io,sys,zipfile\nsrc=sys.argv[1]\ndata=sys.stdin.buffer.read() if src=='-' else None\nzipfile.ZipFile(io.BytesIO(data) if data is not None else src).extractall(sys.argv[2])";
  const result = spawnSync(python, ["-c", script, typeof zip === "string" ? zip : "-", target], {
    input: typeof zip === "string" ? undefined : zip,
    encoding: "utf8",
  });
  if (result.error) throw new PackageError(`${what}: cannot run ${python} to extract the zip: ${result.error.message}`);
  if (result.status !== 0) {
    const last = (result.stderr ?? "").trim().split("\n").pop() ?? "";
    throw new PackageError(`${what}: the zip cannot be extracted (${last})`);
  }
}

/** Writes the package's parts into `root` (emptied first), in order: a later part overwrites an earlier one's files. */
export function writePackage(root: string, parts: readonly PackagePart[], options: { readonly python: string; readonly what: string }): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const part of parts) {
    const target = inside(root, part.at, options.what);
    if ("text" in part) {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, part.text);
    } else if ("file" in part) {
      mkdirSync(path.dirname(target), { recursive: true });
      cpSync(part.file, target);
    } else if ("directory" in part) {
      mkdirSync(target, { recursive: true });
      cpSync(part.directory, target, { recursive: true, dereference: true });
    } else {
      mkdirSync(target, { recursive: true });
      extractZip("zipFile" in part ? part.zipFile : part.zipBytes, target, options.python, options.what);
    }
  }
}

/** The kind of archive a Pulumi FileArchive path is: a folder or a zip; others (tar, jar) are refused by name. */
export function archivePart(at: string, archivePath: string, what: string): PackagePart {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(archivePath).isDirectory();
  } catch {
    throw new PackageError(`${what}: the archive ${archivePath} does not exist`);
  }
  if (isDirectory) return { at, directory: archivePath };
  if (/\.zip$/i.test(archivePath)) return { at, zipFile: archivePath };
  throw new PackageError(`${what}: the archive ${archivePath} is neither a folder nor a .zip file; the sandbox deploys those two (Lambda takes a .zip)`);
}
