import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";
import * as path from "path";
import { packageRoot } from "./packageRoot";

/** Root of the handlers shipped with this library (functions/<name>/index.ts). */
export const FUNCTIONS_DIR = path.join(packageRoot(), "functions");

/** Lambda's Node.js runtime the bundles target. */
export const LAMBDA_NODE_TARGET = "node22";

/**
 * Bundles one handler and its dependencies (AWS SDK v3 included, so the deployed code does not depend on the
 * SDK version the runtime happens to carry) into a single CommonJS file, zipped by Pulumi as `index.js`.
 */
export function bundleHandler(functionName: string): string {
  const entry = path.join(FUNCTIONS_DIR, functionName, "index.ts");
  const result = buildSync({
    entryPoints: [entry],
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

export function handlerArchive(functionName: string): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleHandler(functionName)) });
}
