import { existsSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../../components/packageRoot";
import { UsageError } from "../errors";

/**
 * Refuses a stack the program has no config file for: Pulumi reads a stack's settings from
 * Pulumi.<stack>.yaml, so evaluating without it would silently run on the defaults instead.
 */
export function requireStackConfig(stack: string, programDir = packageRoot()): void {
  const file = `Pulumi.${stack}.yaml`;
  if (existsSync(path.join(programDir, file))) return;
  throw new UsageError(`--stack ${stack}: there is no ${file} next to Pulumi.yaml; create it (\`pulumi stack init ${stack}\`) or pick a stack that has one`);
}
