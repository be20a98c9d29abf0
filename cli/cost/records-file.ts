/**
 * Recorded executions saved as JSON (`sfn-lab cost --save FILE`), priced later or elsewhere with
 * `sfn-lab cost --from FILE`: a list of { pattern, history, functions, glueRuns }.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { CliError } from "../errors";
import type { ExecutionRecord } from "./pattern-cost";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the file's shape; errors name the entry and field. */
export function parseRecords(json: unknown, source: string): ExecutionRecord[] {
  if (!Array.isArray(json)) throw new CliError(`${source}: expected a JSON list of recorded executions`);
  return json.map((entry, i) => {
    const where = `${source}: entry ${i + 1}`;
    if (!isRecord(entry)) throw new CliError(`${where} is not an object`);
    if (typeof entry.pattern !== "string" || entry.pattern === "") throw new CliError(`${where}: "pattern" must be a non-empty string`);
    if (!Array.isArray(entry.history)) throw new CliError(`${where} (${entry.pattern}): "history" must be the list of history events`);
    if (!isRecord(entry.functions)) throw new CliError(`${where} (${entry.pattern}): "functions" must map function names to { memoryMb, architecture }`);
    if (!Array.isArray(entry.glueRuns)) throw new CliError(`${where} (${entry.pattern}): "glueRuns" must be a list (possibly empty)`);
    return entry as unknown as ExecutionRecord;
  });
}

export function readRecords(file: string): ExecutionRecord[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read recorded executions from ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return parseRecords(json, file);
}

export function writeRecords(file: string, records: readonly ExecutionRecord[]): void {
  writeFileSync(file, `${JSON.stringify(records, null, 2)}\n`);
}

/** Records grouped by pattern, in first-seen order. */
export function byPattern(records: readonly ExecutionRecord[]): Map<string, ExecutionRecord[]> {
  const groups = new Map<string, ExecutionRecord[]>();
  for (const r of records) groups.set(r.pattern, [...(groups.get(r.pattern) ?? []), r]);
  return groups;
}
