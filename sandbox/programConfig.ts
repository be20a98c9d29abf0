import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/**
 * Stack config as the Pulumi CLI would hand it to the program: the defaults declared in Pulumi.yaml, then
 * Pulumi.<stack>.yaml, then explicit overrides. Keys are namespaced (`project:key`); values are strings.
 */
export interface ProgramConfig {
  readonly project: string;
  readonly config: Record<string, string>;
}

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function readYaml(file: string): Record<string, unknown> {
  try {
    return (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`Cannot read ${path.basename(file)}: ${(err as Error).message}`);
  }
}

export function loadProgramConfig(programDir: string, stack: string, overrides: Record<string, string> = {}): ProgramConfig {
  const project = readYaml(path.join(programDir, "Pulumi.yaml"));
  const projectName = String(project.name ?? "");
  if (!projectName) throw new Error(`Pulumi.yaml in ${programDir} has no name`);
  const namespaced = (key: string) => (key.includes(":") ? key : `${projectName}:${key}`);
  const config: Record<string, string> = {};
  const declared = (project.config ?? {}) as Record<string, unknown>;
  for (const [key, spec] of Object.entries(declared)) {
    // Either `key: {type, description, default}` or `key: value` (a project-wide value).
    const value = typeof spec === "object" && spec !== null && !Array.isArray(spec) ? (spec as { default?: unknown }).default : spec;
    if (value !== undefined) config[namespaced(key)] = asConfigString(value);
  }
  const stackFile = path.join(programDir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(stackFile)) {
    const stackConfig = (readYaml(stackFile).config ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(stackConfig)) config[namespaced(key)] = asConfigString(value);
  }
  for (const [key, value] of Object.entries(overrides)) config[namespaced(key)] = value;
  return { project: projectName, config };
}
