import * as pulumi from "@pulumi/pulumi";
import type * as esbuild from "esbuild";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { packageRoot } from "./packageRoot";

/** The handlers shipped with this library (functions/<name>/index.ts). */
export const HANDLER_NAMES = ["check-file", "validate-output", "event-callback"] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** Lambda's Node.js runtime the bundles target. */
export const LAMBDA_NODE_TARGET = "node22";

/**
 * Where the build writes each handler's bundle, next to the compiled components (dist/bundles/<name>.js).
 * The installed package ships these, so it needs neither esbuild nor the handlers' sources at run time.
 */
export const PREBUILT_BUNDLES_DIR = path.join(__dirname, "..", "bundles");

/**
 * A folder where bundles are kept between evaluations, keyed by their inputs (the sandbox sets it to its
 * cache folder). Unset, every evaluation bundles afresh, as `pulumi up` does.
 */
export const BUNDLE_CACHE_ENV = "SFN_LAB_BUNDLE_CACHE_DIR";

const BUILD_OPTIONS: esbuild.BuildOptions = {
  bundle: true,
  platform: "node",
  target: LAMBDA_NODE_TARGET,
  format: "cjs",
  write: false,
  legalComments: "none",
  logLevel: "silent",
};

/** A cached bundle: the text and, for each file esbuild read, the hash of its content when it was built. */
interface CachedBundle {
  readonly inputs: Record<string, string>;
  readonly text: string;
}

function hashFile(file: string): string | undefined {
  try {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  } catch {
    return undefined;
  }
}

/** The cached bundle of an entry when every file it was built from is unchanged. */
function readCachedBundle(file: string, cwd: string): string | undefined {
  let cached: CachedBundle;
  try {
    cached = JSON.parse(fs.readFileSync(file, "utf8")) as CachedBundle;
  } catch {
    return undefined;
  }
  for (const [input, hash] of Object.entries(cached.inputs)) if (hashFile(path.resolve(cwd, input)) !== hash) return undefined;
  return cached.text;
}

/**
 * Bundles one handler and its dependencies (AWS SDK v3 included, so the deployed code does not depend on the
 * SDK version the runtime happens to carry) into a single CommonJS file, zipped by Pulumi as `index.js`.
 * With BUNDLE_CACHE_ENV set, a bundle whose inputs (every file esbuild read) are unchanged is reused.
 */
export function bundleHandler(functionName: HandlerName): string {
  // Loaded here, not at the top: an installed package uses the prebuilt bundles and has no esbuild.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync, version: esbuildVersion } = require("esbuild") as typeof esbuild;
  const entry = path.join(packageRoot(), "functions", functionName, "index.ts");
  const cacheDir = process.env[BUNDLE_CACHE_ENV];
  const cwd = process.cwd();
  const key = createHash("sha256").update(JSON.stringify({ esbuildVersion, entry, BUILD_OPTIONS, cwd })).digest("hex").slice(0, 16);
  const cacheFile = cacheDir ? path.join(cacheDir, `bundle.${functionName}.${key}.json`) : undefined;
  const cached = cacheFile ? readCachedBundle(cacheFile, cwd) : undefined;
  if (cached !== undefined) return cached;
  const result = buildSync({ ...BUILD_OPTIONS, entryPoints: [entry], metafile: cacheFile !== undefined });
  const text = result.outputFiles?.[0]?.text;
  if (text === undefined) throw new Error(`esbuild produced no bundle for ${entry}`);
  if (cacheFile && result.metafile) {
    // Metafile input paths are relative to the working directory esbuild ran in.
    const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((input) => [input, hashFile(path.resolve(cwd, input)) ?? ""]));
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const partial = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(partial, JSON.stringify({ inputs, text } satisfies CachedBundle));
    fs.renameSync(partial, cacheFile);
  }
  return text;
}

/** Writes every handler's bundle where the compiled components look for it (the build's last step). */
export function writePrebuiltBundles(dir: string = PREBUILT_BUNDLES_DIR): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const handler of HANDLER_NAMES) fs.writeFileSync(path.join(dir, `${handler}.js`), bundleHandler(handler));
}

/** The handler's code: the prebuilt bundle when the components run compiled, else bundled from source. */
export function handlerCode(handler: HandlerName): string {
  const prebuilt = path.join(PREBUILT_BUNDLES_DIR, `${handler}.js`);
  return fs.existsSync(prebuilt) ? fs.readFileSync(prebuilt, "utf8") : bundleHandler(handler);
}

export function handlerArchive(handler: HandlerName): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(handlerCode(handler)) });
}
