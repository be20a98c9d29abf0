import type { Command } from "commander";
import { PATTERN_NAMES } from "../../components/patterns";
import { loadProgramModel } from "../../sandbox/model";
import { recordExecution } from "../cost/collect";
import { functionConfigs, glueCapacity } from "../cost/model-config";
import { costOfPattern, type ExecutionRecord } from "../cost/pattern-cost";
import { DEFAULT_PRICES_FILE, loadPriceTable } from "../cost/price-table";
import { byPattern, readRecords, writeRecords } from "../cost/records-file";
import { costJson, formatCostReport } from "../cost/report";
import { CliError } from "../errors";
import { consoleOutput } from "../format/text";
import { addTargetOptions, targetOptionsOf, withTarget } from "../targets";
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
    throw new CliError(`${option} must be ${integer ? "a whole number >= 1" : "a number >= 0"}, got "${text}"`);
  }
  return value;
}

export function registerCost(program: Command): void {
  addTargetOptions(
    program
      .command("cost [patterns...]")
      .description(
        "run each pattern (default all three) and price one execution from its history: state transitions, Lambda GB-seconds, " +
          "Glue DPU-seconds; prints the cost per 1,000 runs and the completion latency .sync polling adds next to a callback",
      )
      .option("--runs <n>", "executions of each pattern to average", "1")
      .option("--prices <file>", `price table (default ${DEFAULT_PRICES_FILE.replace(/^.*\/cli\//, "cli/")})`)
      .option("--from <file>", "price executions recorded earlier with --save instead of running the patterns")
      .option("--save <file>", "also write the recorded executions (histories, function settings, Glue runs) to a file")
      .option("--event-delivery-seconds <s>", "assumed EventBridge delivery of the job's state-change event, for the callback latency", "1")
      .option("--json", "print JSON instead of tables"),
  ).action(async (patternNames: string[], opts: CostOptions, command: Command) => {
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
      const model = await loadProgramModel({ stack: targetOptions.stack ?? "dev" });
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
  });
}
