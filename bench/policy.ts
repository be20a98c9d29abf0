/**
 * Policy analysis benchmark: `analyzeDefinition` with every rule on generated definitions of 10 to 10,000
 * states and one at the 1 MB limit, against JSON.parse of the same text (the floor) and against
 * asl-validator as published (in a worker thread, so the analysis core's patch does not reach it).
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { analyzeDefinition } from "../policy/analysis";
import { definitionAtSizeLimit, generateDefinition, type GeneratedDefinition } from "./definitions";
import { formatProfileSummary, summarizeCpuProfile } from "./profile";
import { measure, profile, type MeasureOptions } from "./timing";
import type { StockValidatorRequest } from "./stock-asl-validator";

export interface PolicySizeResult {
  readonly label: string;
  readonly states: number;
  readonly bytes: number;
  readonly findings: number;
  readonly analyzeMs: number;
  readonly jsonParseMs: number;
  readonly aslValidatorMs: number;
}

export interface PolicyResult {
  /** Analysis time / JSON.parse time, on the 1 MB definition. */
  readonly vsJsonParse: number;
  /** Analysis time / asl-validator's time, on the 1 MB definition. */
  readonly vsAslValidator: number;
  /** Per-state analysis time at 10,000 states / at 100 states. */
  readonly scaling: number;
  /** Definition bytes analysed per second, on the 1 MB definition. */
  readonly bytesPerSecond: number;
  readonly sizes: readonly PolicySizeResult[];
  /** Where the analysis of the 1 MB definition spends its time. */
  readonly profile: readonly string[];
}

export const POLICY_STATE_COUNTS = [10, 100, 1000, 10_000] as const;

function stockValidatorMedians(items: StockValidatorRequest["items"]): Promise<number[]> {
  const request: StockValidatorRequest = { items };
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, "stock-asl-validator.worker.js"), { workerData: request });
    worker.once("message", (medians: number[]) => resolve(medians));
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`the asl-validator worker exited ${code}`))));
  });
}

export async function benchPolicy(quick: boolean, log: (line: string) => void): Promise<PolicyResult> {
  log("policy: generating definitions");
  const definitions: GeneratedDefinition[] = [...POLICY_STATE_COUNTS.map((n) => generateDefinition(n)), definitionAtSizeLimit()];
  const options = (d: GeneratedDefinition): MeasureOptions => {
    const big = d.states >= 10_000;
    return quick ? { budgetMs: big ? 0 : 600, minSamples: big ? 3 : 5, warmup: 1 } : { budgetMs: big ? 4000 : 2500, minSamples: big ? 7 : 11, warmup: 2 };
  };

  const sizes: PolicySizeResult[] = [];
  for (const d of definitions) {
    log(`policy: ${d.label}`);
    const findings = analyzeDefinition(d.text).findings.length;
    const analyzeMs = measure(() => analyzeDefinition(d.text), options(d)).medianMs;
    const jsonParseMs = measure(() => JSON.parse(d.text), options(d)).medianMs;
    sizes.push({ label: d.label, states: d.states, bytes: Buffer.byteLength(d.text, "utf8"), findings, analyzeMs, jsonParseMs, aslValidatorMs: NaN });
  }
  // After the main thread's loops: two timed loops at once on shared cores would slow each other.
  log("policy: asl-validator as published, on the same texts");
  const stockMs = await stockValidatorMedians(definitions.map((d) => ({ text: d.text, options: options(d) })));
  const withStock = sizes.map((s, i) => ({ ...s, aslValidatorMs: stockMs[i] }));

  const atLimit = withStock[withStock.length - 1];
  const at = (states: number) => withStock.find((s) => s.states === states) as PolicySizeResult;
  const perState = (s: PolicySizeResult) => s.analyzeMs / s.states;

  log("policy: profiling the analysis of the 1 MB definition");
  const limitText = definitions[definitions.length - 1].text;
  const { profile: taken } = await profile(() => {
    for (let i = 0; i < (quick ? 3 : 10); i++) analyzeDefinition(limitText);
  });
  return {
    vsJsonParse: atLimit.analyzeMs / atLimit.jsonParseMs,
    vsAslValidator: atLimit.analyzeMs / atLimit.aslValidatorMs,
    scaling: perState(at(10_000)) / perState(at(100)),
    bytesPerSecond: atLimit.bytes / (atLimit.analyzeMs / 1000),
    sizes: withStock,
    profile: formatProfileSummary(summarizeCpuProfile(taken, path.join(__dirname, ".."), 8), 10),
  };
}
