/**
 * `npm run bench [-- --quick] [-- --json] [-- --only policy,etl,sandbox,cost,cli]`
 *
 * Every figure is a ratio against a baseline measured in the same run, or a rate; none is checked
 * against a fixed time. Progress goes to stderr; stdout gets the report: Markdown tables, or with
 * --json exactly one JSON document.
 */
import { benchEtl, type EtlResult } from "./etl";
import { machineInfo, type MachineInfo } from "./machine";
import { benchPolicy, type PolicyResult } from "./policy";
import { formatReport, summaryJson } from "./report";

export const SECTIONS = ["policy", "etl", "sandbox", "cost", "cli"] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  readonly quick: boolean;
  readonly json: boolean;
  readonly only: readonly Section[];
}

export interface BenchResults {
  readonly machine: MachineInfo;
  readonly quick: boolean;
  readonly seconds: number;
  policy?: PolicyResult;
  etl?: EtlResult;
  sandbox?: import("./sandbox").SandboxResult;
  cost?: import("./cost").CostResult;
  cli?: import("./cli").CliResult;
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  let quick = false;
  let json = false;
  let only: Section[] = [...SECTIONS];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") quick = true;
    else if (arg === "--json") json = true;
    else if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg.includes("=") ? arg.slice("--only=".length) : argv[++i];
      const names = (value ?? "").split(",").filter(Boolean);
      const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
      if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes a comma-separated list of ${SECTIONS.join(", ")}; got "${value ?? ""}"`);
      only = names as Section[];
    } else {
      throw new Error(`unknown argument "${arg}"; use --quick, --json, --only ${SECTIONS.join(",")}`);
    }
  }
  return { quick, json, only };
}

/**
 * ETL sizes (bytes): the figures come from the largest, 1 GB (the Spark engine's target is set on a 1 GB file); the
 * smaller one shows memory stays flat. --quick makes the 1 GB file of the 100 MB file's rows, ten times over.
 */
export function etlSizes(): number[] {
  return [100_000_000, 1_000_000_000];
}

export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchResults> {
  const started = performance.now();
  const results: BenchResults = { machine: machineInfo(), quick: options.quick, seconds: 0 };
  log(`machine: ${results.machine.cpu}, ${results.machine.cores} cores, load ${results.machine.loadAverage}, node ${results.machine.node}, python ${results.machine.python}`);
  if (options.only.includes("policy")) results.policy = await benchPolicy(options.quick, log);
  if (options.only.includes("etl")) results.etl = await benchEtl(etlSizes(), log, { repeatSmallest: options.quick });
  if (options.only.includes("sandbox") || options.only.includes("cost")) {
    const { benchSandbox } = await import("./sandbox");
    const sandbox = await benchSandbox(options.quick, log);
    if (options.only.includes("sandbox")) results.sandbox = sandbox;
    if (options.only.includes("cost")) {
      const { costFromRecords } = await import("./cost");
      results.cost = costFromRecords(sandbox.records);
    }
  }
  if (options.only.includes("cli")) results.cli = await (await import("./cli")).benchCli(options.quick, log);
  return { ...results, seconds: (performance.now() - started) / 1000 };
}

export async function main(argv: readonly string[]): Promise<number> {
  const options = parseArgs(argv);
  const t0 = performance.now();
  const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
  const results = await runBench(options, log);
  log(`done in ${results.seconds.toFixed(1)} s`);
  process.stdout.write(options.json ? `${JSON.stringify(summaryJson(results))}\n` : `${formatReport(results)}\n`);
  return 0;
}
