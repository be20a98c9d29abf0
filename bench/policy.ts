/**
 * Policy analysis benchmark: `analyzeDefinition` with every rule on generated definitions of 10 to 10,000
 * states and one at the 1 MB limit, against JSON.parse of the same text (the floor) and against
 * asl-validator as published (in a worker thread, so the analysis core's patch does not reach it). The
 * three are sampled in turns. The analysis remembers path and JSONata format answers, so at the 1 MB limit
 * it is also timed on a never-seen definition per sample (paths salted): the headline figures use that.
 * Scaling is measured in two shapes: more states (100 to 10,000) and deeper nesting (Parallel 8 to 64 levels).
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { analyzeDefinition } from "../policy/analysis";
import { definitionAtSizeLimit, generateDefinition, nestedParallelDefinition, saltableDefinitionAtSizeLimit, saltPaths, type GeneratedDefinition } from "./definitions";
import { breakdown, type BreakdownPart } from "./policy-breakdown";
import { formatProfileSummary, summarizeCpuProfile } from "./profile";
import type { SampleRequest, StockValidatorData } from "./stock-asl-validator";
import { freshSampler, interleave, profile, syncSampler, type MeasureOptions, type Sampler } from "./timing";

export interface PolicySizeResult {
  readonly label: string;
  readonly states: number;
  readonly bytes: number;
  readonly findings: number;
  readonly analyzeMs: number;
  readonly jsonParseMs: number;
  readonly aslValidatorMs: number;
}

/** The 1 MB definition never seen before: a new salted variant for each sample. */
export interface NeverSeenResult {
  readonly label: string;
  readonly bytes: number;
  readonly findings: number;
  readonly analyzeMs: number;
  readonly jsonParseMs: number;
}

export interface PolicyResult {
  /** Analysis time / JSON.parse time, on a never-seen 1 MB definition per sample. */
  readonly vsJsonParse: number;
  /** Analysis time / JSON.parse time, on the same 1 MB definition again (format answers remembered). */
  readonly vsJsonParseWarm: number;
  /** Analysis time of a never-seen 1 MB definition / asl-validator's time on the 1 MB definition. */
  readonly vsAslValidator: number;
  /** Per-state analysis time at 10,000 states / at 100 states. */
  readonly scaling: number;
  /** Per-level analysis time at 64 levels of nested Parallel / at 8 levels (1 when linear; 2^56 when it doubles per level). */
  readonly nestingScaling: number;
  /** Definition bytes analysed per second, never-seen 1 MB definitions. */
  readonly bytesPerSecond: number;
  /** Definition bytes analysed per second, the same 1 MB definition again. */
  readonly bytesPerSecondWarm: number;
  readonly sizes: readonly PolicySizeResult[];
  readonly neverSeen: NeverSeenResult;
  /** Where the analysis of the 1 MB definition spends its time: a CPU profile, and its parts timed alone. */
  readonly profile: readonly string[];
  readonly breakdown: readonly BreakdownPart[];
  readonly jsonParseMsAtLimit: number;
}

export const POLICY_STATE_COUNTS = [10, 100, 1000, 10_000] as const;

/** asl-validator as published, in a worker: one sampler per text, answered one sample at a time. */
class StockValidator {
  private constructor(private readonly worker: Worker) {}

  static start(texts: readonly string[]): Promise<StockValidator> {
    const data: StockValidatorData = { texts };
    const worker = new Worker(path.join(__dirname, "stock-asl-validator.worker.js"), { workerData: data });
    return new Promise((resolve, reject) => {
      worker.once("error", reject);
      worker.once("message", () => resolve(new StockValidator(worker)));
    });
  }

  sampler(index: number): Sampler {
    return () =>
      new Promise<number>((resolve, reject) => {
        this.worker.once("message", resolve);
        this.worker.once("error", reject);
        const request: SampleRequest = { index };
        this.worker.postMessage(request);
      });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

export async function benchPolicy(quick: boolean, log: (line: string) => void): Promise<PolicyResult> {
  log("policy: generating definitions");
  const definitions: GeneratedDefinition[] = [...POLICY_STATE_COUNTS.map((n) => generateDefinition(n)), definitionAtSizeLimit()];
  const options = (d: GeneratedDefinition): MeasureOptions => {
    const big = d.states >= 10_000;
    return quick ? { budgetMs: big ? 0 : 1500, minSamples: big ? 3 : 5 } : { budgetMs: big ? 10_000 : 5000, minSamples: big ? 7 : 11 };
  };

  const saltable = saltableDefinitionAtSizeLimit();
  const salted = (k: number) => saltPaths(saltable.text, k);
  const lastIndex = definitions.length - 1;
  // At the 1 MB limit, a never-seen definition per sample too, in the same rounds (new texts, so their
  // JSON.parse is timed on new texts as well).
  const neverSeen = { fresh: freshSampler(salted, (t) => analyzeDefinition(t)), freshParse: freshSampler((k) => salted(k + 1_000), (t) => JSON.parse(t)) };
  let fresh = { fresh: NaN, freshParse: NaN };

  const stock = await StockValidator.start(definitions.map((d) => d.text));
  const sizes: PolicySizeResult[] = [];
  try {
    for (const [i, d] of definitions.entries()) {
      log(`policy: ${d.label}${i === lastIndex ? ", and a never-seen variant per sample" : ""}`);
      const findings = analyzeDefinition(d.text).findings.length;
      const samplers = { analyze: syncSampler(() => analyzeDefinition(d.text)), parse: syncSampler(() => JSON.parse(d.text)), stock: stock.sampler(i) };
      const medians = await interleave(i === lastIndex ? { ...samplers, ...neverSeen } : samplers, options(d));
      if (i === lastIndex) fresh = medians as typeof medians & typeof fresh;
      sizes.push({
        label: d.label,
        states: d.states,
        bytes: Buffer.byteLength(d.text, "utf8"),
        findings,
        analyzeMs: medians.analyze,
        jsonParseMs: medians.parse,
        aslValidatorMs: medians.stock,
      });
    }
  } finally {
    await stock.stop();
  }

  const atLimit = sizes[sizes.length - 1];
  // Scaling compares the analysis with itself: the two sizes in turns, with nothing else running (the
  // published validator's worker is gone; its garbage would weigh on the larger size's collections).
  log("policy: scaling, 100 and 10,000 states in turns");
  const text = (states: number) => definitions[POLICY_STATE_COUNTS.indexOf(states as (typeof POLICY_STATE_COUNTS)[number])].text;
  const scaling = await interleave(
    { at100: syncSampler(() => analyzeDefinition(text(100))), at10k: syncSampler(() => analyzeDefinition(text(10_000)), 1) },
    quick ? { budgetMs: 4000, minSamples: 3 } : { budgetMs: 20_000, minSamples: 9 },
  );

  log("policy: nesting, Parallel nested 8 and 64 levels in turns");
  const [shallow, deep] = [nestedParallelDefinition(8).text, nestedParallelDefinition(64).text];
  const nesting = await interleave(
    { at8: syncSampler(() => analyzeDefinition(shallow)), at64: syncSampler(() => analyzeDefinition(deep)) },
    quick ? { budgetMs: 2000, minSamples: 3 } : { budgetMs: 8000, minSamples: 9 },
  );

  log("policy: where the analysis of the 1 MB definition goes (parts timed alone, and a profile)");
  const limitText = definitions[definitions.length - 1].text;
  const parts = await breakdown(limitText, saltable.text, quick ? { budgetMs: 1500, minSamples: 5 } : { budgetMs: 6000, minSamples: 11 });
  const { profile: taken } = await profile(() => {
    for (let i = 0; i < (quick ? 3 : 10); i++) analyzeDefinition(limitText);
  });
  const neverSeenBytes = Buffer.byteLength(salted(0), "utf8");
  return {
    vsJsonParse: fresh.fresh / fresh.freshParse,
    vsJsonParseWarm: atLimit.analyzeMs / atLimit.jsonParseMs,
    vsAslValidator: fresh.fresh / atLimit.aslValidatorMs,
    scaling: scaling.at10k / 10_000 / (scaling.at100 / 100),
    nestingScaling: nesting.at64 / 64 / (nesting.at8 / 8),
    bytesPerSecond: neverSeenBytes / (fresh.fresh / 1000),
    bytesPerSecondWarm: atLimit.bytes / (atLimit.analyzeMs / 1000),
    sizes,
    neverSeen: {
      label: saltable.label,
      bytes: neverSeenBytes,
      findings: analyzeDefinition(salted(0)).findings.length,
      analyzeMs: fresh.fresh,
      jsonParseMs: fresh.freshParse,
    },
    profile: formatProfileSummary(summarizeCpuProfile(taken, path.join(__dirname, ".."), 8), 10),
    breakdown: parts,
    jsonParseMsAtLimit: atLimit.jsonParseMs,
  };
}
