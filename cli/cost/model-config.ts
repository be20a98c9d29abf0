/**
 * What pricing needs from the program (evaluated under mocks): each function's memory and architecture,
 * and the Glue job's capacity. Pure. Deployed names differ from the names the mocks give, so the stack's
 * outputs (functionNames) map a deployed function to the model's function with the same role.
 */
import { functions, glueJobs } from "../../sandbox/model-view";
import type { ProgramModel } from "../../sandbox/model";
import type { LambdaArchitecture } from "./price-table";
import { DPU_PER_WORKER } from "../../components/glueWorkers";
import type { FunctionConfig } from "./pattern-cost";

function architectureOf(value: unknown): LambdaArchitecture {
  // Lambda's default is x86_64; the program asks for arm64.
  return Array.isArray(value) && value[0] === "arm64" ? "arm64" : "x86_64";
}

function outputNames(outputs: unknown): Record<string, string> {
  const names = (outputs as { functionNames?: unknown } | undefined)?.functionNames;
  if (typeof names !== "object" || names === null) return {};
  return Object.fromEntries(Object.entries(names).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * Memory and architecture of every function by name: the model's names, plus the names `deployedOutputs`
 * (the target's stack outputs) give each function role (checkFile, validateOutput).
 */
export function functionConfigs(model: ProgramModel, deployedOutputs?: unknown): Record<string, FunctionConfig> {
  const configs: Record<string, FunctionConfig> = {};
  for (const fn of functions(model)) {
    const resource = model.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === fn.logicalName);
    configs[fn.name] = { memoryMb: fn.memorySizeMb, architecture: architectureOf(resource?.inputs.architectures) };
  }
  const modelNames = outputNames(model.outputs);
  for (const [role, deployedName] of Object.entries(outputNames(deployedOutputs))) {
    const config = configs[modelNames[role]];
    if (config && !configs[deployedName]) configs[deployedName] = config;
  }
  return configs;
}

/**
 * The Glue job's capacity (DPUs) in the model: a Spark job's workers x DPU per worker, else its MaxCapacity, with
 * Glue's Python shell default 0.0625 when unset.
 */
export function glueCapacity(model: ProgramModel): number {
  const job = glueJobs(model)[0];
  if (job?.workerType !== undefined && job.numberOfWorkers !== undefined && DPU_PER_WORKER[job.workerType] !== undefined) {
    return DPU_PER_WORKER[job.workerType] * job.numberOfWorkers;
  }
  return job?.maxCapacity ?? 0.0625;
}
