/** The benchmark's output: one JSON document (--json) or Markdown tables for the README. */
import { costJson, formatCostReport } from "../cli/cost/report";
import type { BenchResults } from "./run";

export const TARGETS = {
  policyVsJsonParse: { max: 5 },
  policyScaling: { max: 1.5 },
  etlVsRawRead: { min: 0.5 },
  sparkVsPythonShell: { min: 2 },
  cliLintOne: { max: 1 },
  cliLintCorpus: { max: 1 },
  cliSandboxUp: { max: 8 },
  cliSandboxUpRssMiB: { max: 200 },
} as const;

/** Three significant digits: ratios and rates are not more precise than that on a shared machine. */
function sig(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(3)) : value;
}

/** The JSON document the issue specifies (sections left out with --only are absent). */
export function summaryJson(results: BenchResults): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (results.policy) {
    const p = results.policy;
    out.policy = { vsJsonParse: sig(p.vsJsonParse), vsJsonParseWarm: sig(p.vsJsonParseWarm), vsAslValidator: sig(p.vsAslValidator), scaling: sig(p.scaling),
      nestingScaling: sig(p.nestingScaling),
      bytesPerSecond: Math.round(p.bytesPerSecond),
      bytesPerSecondWarm: Math.round(p.bytesPerSecondWarm),
    };
  }
  if (results.etl) {
    const e = results.etl;
    out.etl = {
      vsRawRead: sig(e.vsRawRead),
      peakRssMiB: sig(e.peakRssMiB),
      rowsPerSecond: Math.round(e.rowsPerSecond),
      sparkVsPythonShell: sig(e.sparkVsPythonShell),
      sparkPeakRssMiB: sig(e.sparkPeakRssMiB),
    };
  }
  if (results.sandbox) {
    out.sandbox = { overheadMsPerState: sig(results.sandbox.overheadMsPerState), executionsPerSecond: sig(results.sandbox.executionsPerSecond) };
  }
  if (results.cost) out.cost = costJson(results.cost.patterns, results.cost.prices);
  if (results.cli) {
    const c = results.cli;
    out.cli = {
      lintOneVsAslValidator: sig(c.lintOneVsAslValidator),
      lintCorpusVsAslValidator: sig(c.lintCorpusVsAslValidator),
      helpVsAslValidator: sig(c.helpVsAslValidator),
      sandboxUpVsAslValidator: sig(c.sandboxUpVsAslValidator),
      sandboxUpPeakRssMiB: c.sandboxUpPeakRssMiB === undefined ? null : sig(c.sandboxUpPeakRssMiB),
      sandboxUpColdVsWarm: sig(c.sandboxUpColdVsWarm),
    };
  }
  return out;
}

function verdict(value: number, target: { max?: number; min?: number }): string {
  if (target.max !== undefined) return value <= target.max ? `target <= ${target.max}: met` : `target <= ${target.max}: **missed**`;
  return value >= (target.min as number) ? `target >= ${target.min}: met` : `target >= ${target.min}: **missed**`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}

const f = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : "-");
const mbps = (bytes: number, seconds: number) => f(bytes / 1e6 / seconds, 1);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function formatReport(results: BenchResults): string {
  const m = results.machine;
  const lines: string[] = [
    `Benchmark (${results.quick ? "--quick" : "full"}), ${new Date().toISOString().slice(0, 10)}, ${results.seconds.toFixed(0)} s`,
    "",
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, Python ${m.python}; load average ${m.loadAverage} at the start (the machine is shared).`,
  ];
  if (results.policy) {
    const p = results.policy;
    lines.push(
      "",
      "### Policy analysis (analyzeDefinition, all rules)",
      "",
      ...table(
        ["definition", "bytes", "findings", "analysis ms", "JSON.parse ms", "asl-validator ms", "vs JSON.parse", "vs asl-validator", "µs per state"],
        [
          ...p.sizes.map((s) => [
            s.label,
            s.bytes.toLocaleString("en-US"),
            String(s.findings),
            f(s.analyzeMs),
            f(s.jsonParseMs, 3),
            f(s.aslValidatorMs),
            f(s.analyzeMs / s.jsonParseMs, 1),
            f(s.analyzeMs / s.aslValidatorMs),
            f((s.analyzeMs * 1000) / s.states, 1),
          ]),
          [
            p.neverSeen.label,
            p.neverSeen.bytes.toLocaleString("en-US"),
            String(p.neverSeen.findings),
            f(p.neverSeen.analyzeMs),
            f(p.neverSeen.jsonParseMs, 3),
            "",
            f(p.neverSeen.analyzeMs / p.neverSeen.jsonParseMs, 1),
            f(p.vsAslValidator),
            "",
          ],
        ],
      ),
      "",
      `- vsJsonParse ${f(p.vsJsonParse, 1)} on a never-seen 1 MB definition per sample (${verdict(p.vsJsonParse, TARGETS.policyVsJsonParse)})`,
      `- vsJsonParseWarm ${f(p.vsJsonParseWarm, 1)} on the same 1 MB definition again (path and JSONata format answers remembered)`,
      `- vsAslValidator ${f(p.vsAslValidator)} (never-seen 1 MB definition; asl-validator 4.0.0 as published compiles its schemas on every call)`,
      `- scaling ${f(p.scaling)} (per-state time at 10,000 states / at 100, the two measured in turns; ${verdict(p.scaling, TARGETS.policyScaling)})`,
      `- nestingScaling ${f(p.nestingScaling)} (per-level time at 64 levels of nested Parallel / at 8, measured in turns; ${verdict(p.nestingScaling, TARGETS.policyScaling)})`,
      `- bytesPerSecond ${Math.round(p.bytesPerSecond).toLocaleString("en-US")} (never seen); ${Math.round(p.bytesPerSecondWarm).toLocaleString("en-US")} (same text again)`,
      "",
      "Where the analysis of the 1 MB definition goes (each step analyzeDefinition runs, timed alone, in call order):",
      "",
      ...table(
        ["part", "ms", "× JSON.parse"],
        p.breakdown.map((b) => [b.part, f(b.ms, 1), f(b.ms / p.jsonParseMsAtLimit, 1)]),
      ),
      "",
      "Profile of the analysis of the 1 MB definition:",
      "```",
      ...p.profile,
      "```",
    );
  }
  if (results.etl) {
    const e = results.etl;
    lines.push(
      "",
      "### ETL (etl/glue_job.py local mode, default filter amount >= 100)",
      "",
      ...table(
        ["file", "rows", "plain line read MB/s", "csv.reader only MB/s", "job MB/s", "vsRawRead", "job peak RSS MiB", "rows/s", "Spark rows/s", "Spark peak RSS MiB"],
        e.sizes.map((s) => [
          `${(s.bytes / 1e6).toFixed(0)} MB`,
          s.inputRows.toLocaleString("en-US"),
          mbps(s.bytes, s.rawReadSeconds),
          mbps(s.bytes, s.csvReaderSeconds),
          mbps(s.bytes, s.jobSeconds),
          f(s.rawReadSeconds / s.jobSeconds, 3),
          f(s.peakRssMiB, 1),
          Math.round(s.inputRows / s.jobSeconds).toLocaleString("en-US"),
          Math.round(s.inputRows / s.sparkSeconds).toLocaleString("en-US"),
          f(s.sparkPeakRssMiB, 1),
        ]),
      ),
      "",
      `- vsRawRead ${f(e.vsRawRead, 3)} at the largest file (${verdict(e.vsRawRead, TARGETS.etlVsRawRead)}); csv.reader alone reaches ${f(e.csvReaderVsRawRead, 2)}`,
      `- peak RSS ${e.sizes.map((s) => `${f(s.peakRssMiB, 1)} MiB at ${(s.bytes / 1e6).toFixed(0)} MB`).join(", ")}`,
      `- Spark engine (etl/spark_job.py, local mode on this machine's cores): sparkVsPythonShell ${f(e.sparkVsPythonShell, 3)} rows/s at the largest file (${verdict(e.sparkVsPythonShell, TARGETS.sparkVsPythonShell)}); ` +
        `peak RSS of the whole run (JVM included) ${e.sizes.map((s) => `${f(s.sparkPeakRssMiB, 1)} MiB at ${(s.bytes / 1e6).toFixed(0)} MB`).join(", ")}`,
      `- the rounds at the largest file, in turns (Python shell s / Spark s = ratio): ${(e.sizes[e.sizes.length - 1]?.rounds ?? [])
        .map(([job, spark]) => `${f(job, 1)} / ${f(spark, 1)} = ${f(job / spark, 2)}`)
        .join("; ")}`,
    );
    const profiled = e.sizes.find((s) => s.profile);
    if (profiled?.profile) {
      lines.push(
        "",
        `Profile of the job on the ${(profiled.bytes / 1e6).toFixed(0)} MB file (cProfile, share of own time):`,
        "```",
        ...profiled.profile.map(([name, share]) => `  ${(share * 100).toFixed(1).padStart(5)}%  ${name}`),
        "```",
      );
    }
  }
  if (results.sandbox) {
    const s = results.sandbox;
    const seq = s.sequential;
    const wall = median(seq.map((x) => x.wallMs));
    const lambda = median(seq.map((x) => x.lambdaMs));
    const glue = median(seq.map((x) => x.glueRunMs));
    const b = s.burst;
    lines.push(
      "",
      "### Sandbox (run-job, Glue start-up delay and .sync poll interval at zero)",
      "",
      ...table(
        ["measure", "value"],
        [
          ["run-job executions one after another", String(seq.length)],
          ["median wall time per execution", `${f(wall, 0)} ms`],
          ["state transitions per execution", String(seq[0]?.transitions ?? "-")],
          ["overheadMsPerState (wall / transitions)", f(s.overheadMsPerState, 1)],
          ["of which Lambda tasks (TaskStarted to answer)", `${f(lambda, 0)} ms (${f((lambda / wall) * 100, 0)}%)`],
          ["of which the Glue run (python3 running the job script)", `${f(glue, 0)} ms (${f((glue / wall) * 100, 0)}%)`],
          ["  for comparison: python3 start, import boto3, create an S3 client", `${f(s.pythonBoto3StartMs, 0)} ms`],
          ["rest: Step Functions interpreter, API, IAM, polling", `${f(wall - lambda - glue, 0)} ms (${f(((wall - lambda - glue) / wall) * 100, 0)}%)`],
          [`${b.executions} executions started at once`, `${f(b.wallMs / 1000, 1)} s until the last ended`],
          ["executionsPerSecond", f(s.executionsPerSecond, 2)],
          ["CPU during the burst: this process (main thread and Lambda worker threads)", `${f(b.processCpuMs / 1000, 1)} s`],
          ["CPU during the burst: the Glue runs' python3 processes", `${f(b.childCpuMs / 1000, 1)} s`],
        ],
      ),
      "",
      "Profile of the main thread during the burst:",
      "```",
      ...s.profile,
      "```",
    );
  }
  if (results.cost) {
    lines.push("", "### Cost per pattern (from the sandbox's execution histories)", "", formatCostReport(results.cost.patterns, results.cost.prices));
  }
  if (results.cli) lines.push("", ...formatCli(results.cli));
  return lines.join("\n");
}

/** The CLI section: whole-process ratios against asl-validator's CLI on one file, with their targets. */
function formatCli(c: NonNullable<BenchResults["cli"]>): string[] {
  const m = c.medians;
  const ms = (key: string) => `${f(m[key], 0)} ms`;
  return [
    `### CLI, whole process (medians of ${c.samples} rounds in turns, the corpus ${c.corpusSamples}; baseline asl-validator's CLI on one file, ${ms("aslValidatorOne")})`,
    "",
    ...table(
      ["figure", "value", "target"],
      [
        ["`sfn-lab lint one.json` / asl-validator, one file", `${f(c.lintOneVsAslValidator, 2)} (${ms("lintOne")})`, verdict(c.lintOneVsAslValidator, TARGETS.cliLintOne)],
        [
          "`sfn-lab lint` / asl-validator, the same 100 files in one process",
          `${f(c.lintCorpusVsAslValidator, 2)} (${ms("lintCorpus")} / ${ms("aslValidatorCorpus")})`,
          verdict(c.lintCorpusVsAslValidator, TARGETS.cliLintCorpus),
        ],
        ["`sfn-lab --help` / asl-validator, one file", `${f(c.helpVsAslValidator, 2)} (${ms("help")})`, ""],
        ["`sandbox up` until ready, cached model / asl-validator, one file", `${f(c.sandboxUpVsAslValidator, 1)} (${ms("sandboxUp")})`, verdict(c.sandboxUpVsAslValidator, TARGETS.cliSandboxUp)],
        [
          "`sandbox up` peak RSS until ready",
          c.sandboxUpPeakRssMiB === undefined ? "-" : `${f(c.sandboxUpPeakRssMiB, 0)} MiB`,
          c.sandboxUpPeakRssMiB === undefined ? "" : verdict(c.sandboxUpPeakRssMiB, TARGETS.cliSandboxUpRssMiB),
        ],
        ["`sandbox up` first start (program evaluated) / with the cached model", `${f(c.sandboxUpColdVsWarm, 1)} (${ms("sandboxUpCold")})`, ""],
      ],
    ),
  ];
}
