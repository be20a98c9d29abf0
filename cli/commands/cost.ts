import type { Command } from "commander";
import * as path from "node:path";
import { PATTERN_NAMES } from "../../components/patternNames";
import { loadCachedProgramModel } from "../../sandbox/model-cache";
import { recordExecution } from "../cost/collect";
import { functionConfigs, glueCapacity } from "../cost/model-config";
import { costOfPattern, type ExecutionRecord } from "../cost/pattern-cost";
import { loadPriceTable } from "../cost/price-table";
import { byPattern, readRecords, writeRecords } from "../cost/records-file";
import { costJson, formatCostReport } from "../cost/report";
import { CliError, UsageError } from "../errors";
import { consoleOutput } from "../format/text";
import { targetOptionsOf, withTarget } from "../targets";
import { CACHE_DIR_NAME, DEFAULT_STATE_DIR } from "../targets/connection";
import { requireStackConfig } from "../targets/stack-config";
import { parsePattern } from "../targets/outputs";

interface CostOptions {
  readonly runs: string;
  readonly prices?: string;
  readonly from?: string;
  readonly save?: string;
  readonly json?: boolean;
  readonly eventDeliverySeconds: string;
  readonly stack?: string;
}

function positiveNumber(text: string, option: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (integer && (!Number.isInteger(value) || value < 1))) {
    throw new UsageError(`${option} must be ${integer ? "a whole number >= 1" : "a number >= 0"}, got "${text}"`);
  }
  return value;
}

/** `sfn-lab cost [patterns...]`. */
export async function costCommand(patternNames: string[], opts: CostOptions, command: Command): Promise<void> {
  const prices = loadPriceTable(opts.prices);
  const assumptions = { eventDeliverySeconds: positiveNumber(opts.eventDeliverySeconds, "--event-delivery-seconds", false) };
  const patterns = patternNames.length > 0 ? patternNames.map(parsePattern) : [...PATTERN_NAMES];
  let records: ExecutionRecord[];
  if (opts.from) {
    records = readRecords(opts.from).filter((r) => patternNames.length === 0 || (patterns as string[]).includes(r.pattern));
    if (records.length === 0) throw new CliError(`${opts.from} holds no executions of ${patterns.join(", ")}`);
  } else {
    const runs = positiveNumber(opts.runs, "--runs", true);
    const targetOptions = targetOptionsOf(command);
    const stack = targetOptions.stack ?? "dev";
    requireStackConfig(stack);
    const model = await loadCachedProgramModel({ stack, cacheDir: path.join(DEFAULT_STATE_DIR, CACHE_DIR_NAME) });
    records = await withTarget(targetOptions, async (target) => {
      const recorded: ExecutionRecord[] = [];
      const options = {
        functions: functionConfigs(model, target.outputs),
        defaultDpu: glueCapacity(model),
        onProgress: (message: string) => console.error(message),
      };
      for (const pattern of patterns) for (let i = 0; i < runs; i++) recorded.push(await recordExecution(target, pattern, options));
      return recorded;
    });
  }
  if (opts.save) writeRecords(opts.save, records);
  const costs = [...byPattern(records).values()].map((group) => costOfPattern(group, prices, assumptions));
  consoleOutput.line(opts.json ? JSON.stringify(costJson(costs, prices), null, 2) : formatCostReport(costs, prices));
}
