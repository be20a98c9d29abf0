import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { packageRoot } from "../components/packageRoot";
// The mock monitor knows each resource's full URN (with its parent chain); the public API does not expose it.
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { AwsMocks, MOCK_ACCOUNT_ID } from "./mocks";
import { DEFAULT_REGION } from "./sandbox-account";
import { loadProgramConfig } from "./programConfig";

export interface ModelResource {
  /** Pulumi type token, e.g. "aws:lambda/function:Function". */
  type: string;
  /** Pulumi logical name. */
  name: string;
  urn: string;
  /** Physical id the mocks returned. */
  id: string;
  /** False for a component resource (it groups others; nothing is deployed for it). */
  custom?: boolean;
  /** Resolved inputs, as plain JSON; assets become `{path}` / `{text}`, archives `{path, archive}` / `{assets, archive}`. */
  inputs: Record<string, unknown>;
  /** Inputs plus what the mocks computed (arn, name...). */
  state: Record<string, unknown>;
}

export interface ProgramModel {
  project: string;
  stack: string;
  region: string;
  accountId: string;
  resources: ModelResource[];
  outputs: Record<string, unknown>;
  /** Warnings the program logged while it was evaluated (e.g. exempted policy findings). */
  warnings?: string[];
}

export interface LoadProgramOptions {
  /** Folder holding Pulumi.yaml and the program's entry. Default: this project. */
  programDir?: string;
  /** Stack whose Pulumi.<stack>.yaml is read. Default "dev". */
  stack?: string;
  /** Config overrides, `key` (project namespace) or `ns:key` -> value. */
  config?: Record<string, string>;
  /** Evaluate as a preview (unknown outputs stay unknown). Default false. */
  preview?: boolean;
}

/** This project's folder (Pulumi.yaml, index.ts), the same whether this module runs from source or from dist/. */
export const PROJECT_DIR = packageRoot();

/**
 * The program is TypeScript, which Pulumi runs through ts-node; so does this evaluation when nothing in this
 * process compiles TypeScript yet (the CLI runs compiled).
 */
function ensureTypeScriptLoader(programDir: string): void {
  if (require.extensions[".ts"]) return;
  const tsconfig = path.join(programDir, "tsconfig.json");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a TypeScript program is evaluated.
  (require("ts-node") as typeof import("ts-node")).register({ transpileOnly: true, ...(fs.existsSync(tsconfig) ? { project: tsconfig } : {}) });
}

/** True when the program's entry (package.json "main", else index.js / index.ts) is a TypeScript file. */
function isTypeScriptProgram(programDir: string): boolean {
  try {
    return require.resolve(programDir).endsWith(".ts");
  } catch {
    return fs.existsSync(path.join(programDir, "index.ts"));
  }
}

/**
 * Turns Pulumi assets and archives into plain descriptors the sandbox can use: `{path}` / `{text}` / `{uri}`
 * for an asset, `{path, archive: true}` / `{assets, archive: true}` for an archive. Relative paths are the
 * program's folder's, as Pulumi runs a program from its folder.
 */
async function plain(value: unknown, programDir: string): Promise<unknown> {
  const local = (p: string) => path.resolve(programDir, p);
  if (pulumi.asset.Asset.isInstance(value)) {
    const a = value as unknown as { path?: Promise<string>; text?: Promise<string>; uri?: Promise<string> };
    if (a.path !== undefined) return { path: local(await a.path) };
    if (a.text !== undefined) return { text: await a.text };
    return { uri: await a.uri };
  }
  if (pulumi.asset.Archive.isInstance(value)) {
    const a = value as unknown as { assets?: Promise<Record<string, unknown>>; path?: Promise<string>; uri?: Promise<string> };
    if (a.assets !== undefined) {
      const assets = await a.assets;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(assets)) out[k] = await plain(v, programDir);
      return { assets: out, archive: true };
    }
    if (a.path !== undefined) return { path: local(await a.path), archive: true };
    return { uri: await a.uri, archive: true };
  }
  if (pulumi.Output.isInstance(value)) return plain(await outputValue(value as pulumi.Output<unknown>), programDir);
  if (Array.isArray(value)) return Promise.all((value as unknown[]).map((v) => plain(v, programDir)));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await plain(v, programDir);
    return out;
  }
  return value;
}

/** An output's value; under mocks (not a preview) every output is known. */
function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Waits until the program has stopped registering resources. */
async function settle(mocks: AwsMocks): Promise<void> {
  let seen = -1;
  let quietRounds = 0;
  while (quietRounds < 5) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (mocks.resources.length === seen) quietRounds++;
    else {
      seen = mocks.resources.length;
      quietRounds = 0;
    }
  }
}

/**
 * Forget the program's own modules (not node_modules, nor the compiled CLI in dist/ that is evaluating it), so a
 * second evaluation runs it again.
 */
function forgetProgramModules(programDir: string): void {
  const compiled = path.join(programDir, "dist") + path.sep;
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(programDir) && !key.startsWith(compiled) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
  }
}

/**
 * Evaluates a Pulumi program under mocks and returns every resource it would create, with resolved inputs,
 * and its stack outputs. Config comes from Pulumi.yaml defaults and Pulumi.<stack>.yaml, as with the CLI.
 */
export async function loadProgramModel(options: LoadProgramOptions = {}): Promise<ProgramModel> {
  const programDir = path.resolve(options.programDir ?? PROJECT_DIR);
  const stack = options.stack ?? "dev";
  const { project, config } = loadProgramConfig(programDir, stack, options.config);
  const region = config["aws:region"] ?? DEFAULT_REGION;
  const mocks = new AwsMocks(region);
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(mocks, project, stack, options.preview ?? false);
  forgetProgramModules(programDir);
  // Without an engine, pulumi.log.warn prints to the console; keep the warnings in the model instead.
  const warnings: string[] = [];
  const consoleWarn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(" ").replace(/^warning: (\[runtime\] )?/, ""));
  try {
    return await evaluate(programDir, project, stack, region, mocks, warnings);
  } finally {
    console.warn = consoleWarn;
  }
}

async function evaluate(programDir: string, project: string, stack: string, region: string, mocks: AwsMocks, warnings: string[]): Promise<ProgramModel> {
  if (isTypeScriptProgram(programDir)) ensureTypeScriptLoader(programDir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program is loaded by path, as Pulumi does.
  const program = require(programDir) as Record<string, unknown>;
  const outputs = (await plain(program, programDir)) as Record<string, unknown>;
  await settle(mocks);
  const urns = [...((getMonitor() as unknown as { resources?: Map<string, unknown> }).resources?.keys() ?? [])];
  const urnOf = (type: string, name: string) =>
    urns.find((u) => u.endsWith(`::${name}`) && (u.includes(`$${type}::`) || u.includes(`::${type}::`))) ??
    `urn:pulumi:${stack}::${project}::${type}::${name}`;
  const resources: ModelResource[] = [];
  for (const r of mocks.resources) {
    resources.push({
      type: r.type,
      name: r.name,
      urn: urnOf(r.type, r.name),
      id: r.id,
      custom: r.custom,
      inputs: (await plain(r.inputs, programDir)) as Record<string, unknown>,
      state: (await plain(r.state, programDir)) as Record<string, unknown>,
    });
  }
  return { project, stack, region, accountId: MOCK_ACCOUNT_ID, resources, outputs, warnings };
}

/** The resources of one type, e.g. `resourcesOfType(model, "aws:lambda/function:Function")`. */
export function resourcesOfType(model: ProgramModel, type: string): ModelResource[] {
  return model.resources.filter((r) => r.type === type);
}
