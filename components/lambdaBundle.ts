import * as pulumi from "@pulumi/pulumi";
import type * as esbuild from "esbuild";
import * as fs from "fs";
import * as path from "path";
import { packageRoot } from "./packageRoot";

/** The handlers shipped with this library (functions/<name>/index.ts). */
export const HANDLER_NAMES = ["check-file", "validate-output"] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** Lambda's Node.js runtime the bundles target. */
export const LAMBDA_NODE_TARGET = "node22";

/**
 * Where the build writes each handler's bundle, next to the compiled components (dist/bundles/<name>.js).
 * The installed package ships these, so it needs neither esbuild nor the handlers' sources at run time.
 */
export const PREBUILT_BUNDLES_DIR = path.join(__dirname, "..", "bundles");

/**
 * Bundles one handler from its source and its dependencies (AWS SDK v3 included, so the deployed code does not
 * depend on the SDK version the runtime happens to carry) into a single CommonJS file. Needs esbuild, a
 * development dependency: only the repository and the build use this.
 */
export function bundleHandler(handler: HandlerName): string {
  // Loaded here, not at the top: an installed package uses the prebuilt bundles and has no esbuild.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require("esbuild") as typeof esbuild;
  const result = buildSync({
    entryPoints: [path.join(packageRoot(), "functions", handler, "index.ts")],
    bundle: true,
    platform: "node",
    target: LAMBDA_NODE_TARGET,
    format: "cjs",
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
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
