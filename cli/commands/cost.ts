import type { Command } from "commander";
import * as path from "node:path";
import { PATTERN_NAMES } from "../../components/patternNames";
import { loadCachedProgramModel } from "../../sandbox/model-cache";
import { recordExecution, type PricedMachine } from "../cost/collect";
import { functionConfigs, glueCapacity } from "../cost/model-config";
import { costOfPattern, type ExecutionRecord } from "../cost/pattern-cost";
import { loadPriceTable } from "../cost/price-table";
import { byPattern, readRecords, writeRecords } from "../cost/records-file";
import { costJson, formatCostReport } from "../cost/report";
import { CliError, UsageError } from "../errors";
import { consoleOutput } from "../format/text";
import { targetOptionsOf, withTarget, type Target } from "../targets";
import { listMachines, patternOfMachine, resolveMachine } from "../targets/machines";
import { CACHE_DIR_NAME, DEFAULT_STATE_DIR, readConnection } from "../targets/connection";
import type { TargetOptions } from "../targets/target";
import type { SandboxConnection } from "../../sandbox";
import { requireStackConfig } from "../targets/stack-config";

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

/**
 * The machines named (by name, ARN or lab pattern), or by default the lab's three patterns when the lab is
 * deployed, else every deployed machine.
 */
async function machinesToPrice(target: Target, references: readonly string[]): Promise<PricedMachine[]> {
  if (references.length === 0) return target.labOutputs ? [...PATTERN_NAMES] : (await listMachines(target)).map((m) => ({ label: m.name, arn: m.arn }));
  const machines: PricedMachine[] = [];
  for (const reference of references) {
    const machine = await resolveMachine(target, reference);
    machines.push(patternOfMachine(target, machine.arn) ?? { label: machine.name, arn: machine.arn });
  }
  return machines;
}

/**
 * The program whose model prices the functions: --program (and --stack) when given; else, on the sandbox target, the
 * program the running sandbox deployed (its sandbox.json says which); else this lab's.
 */
export function programToPrice(options: TargetOptions, running: SandboxConnection | undefined = readConnection(DEFAULT_STATE_DIR)): { stack: string; programDir?: string } {
  if (options.program !== undefined || options.target !== "sandbox" || running?.program === undefined) {
    return { stack: options.stack ?? "dev", ...(options.program !== undefined ? { programDir: options.program } : {}) };
  }
  return { stack: options.stack ?? running.program.stack, ...(running.program.dir !== undefined ? { programDir: running.program.dir } : {}) };
}

/** `sfn-lab cost [machines...]`. */
export async function costCommand(patternNames: string[], opts: CostOptions, command: Command): Promise<void> {
  const prices = loadPriceTable(opts.prices);
  const assumptions = { eventDeliverySeconds: positiveNumber(opts.eventDeliverySeconds, "--event-delivery-seconds", false) };
  let records: ExecutionRecord[];
  if (opts.from) {
    records = readRecords(opts.from).filter((r) => patternNames.length === 0 || patternNames.includes(r.pattern));
    if (records.length === 0) throw new CliError(`${opts.from} holds no executions of ${patternNames.length > 0 ? patternNames.join(", ") : "any machine"}`);
  } else {
    const runs = positiveNumber(opts.runs, "--runs", true);
    const targetOptions = targetOptionsOf(command);
    // The functions' memory comes from the program's model: the one --program names, else the running sandbox's.
    const { stack, programDir } = programToPrice(targetOptions);
    if (programDir === undefined) requireStackConfig(stack);
    const model = await loadCachedProgramModel({ stack, programDir, cacheDir: path.join(DEFAULT_STATE_DIR, CACHE_DIR_NAME) });
    records = await withTarget(targetOptions, async (target) => {
      const recorded: ExecutionRecord[] = [];
      const options = {
        functions: functionConfigs(model, target.labOutputs),
        defaultDpu: glueCapacity(model),
        onProgress: (message: string) => console.error(message),
      };
      const machines = await machinesToPrice(target, patternNames);
      for (const machine of machines) for (let i = 0; i < runs; i++) recorded.push(await recordExecution(target, machine, options));
      return recorded;
    });
  }
  if (opts.save) writeRecords(opts.save, records);
  const costs = [...byPattern(records).values()].map((group) => costOfPattern(group, prices, assumptions));
  consoleOutput.line(opts.json ? JSON.stringify(costJson(costs, prices), null, 2) : formatCostReport(costs, prices));
}
