/**
 * ETL benchmark: the Glue job's filter over a seeded orders file, against a plain Python line-by-line
 * read of the same file (the baseline), with the job's peak memory at two sizes. Files are generated in a
 * temporary folder and deleted afterwards.
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DEFAULT_FILTER, ORDERS_SCHEMA } from "../components/etlSettings";
import { sparkRunEnvironment } from "../sandbox/glue/spark-run";

const ROOT = path.join(__dirname, "..");
const PYTHON = process.env.PYTHON ?? "python3";

export interface EtlSizeResult {
  readonly bytes: number;
  readonly inputRows: number;
  readonly rawReadSeconds: number;
  readonly csvReaderSeconds: number;
  readonly jobSeconds: number;
  readonly peakRssMiB: number;
  /** The Spark engine on the same file: wall time, and peak RSS of its whole process tree (JVM included). */
  readonly sparkSeconds: number;
  readonly sparkPeakRssMiB: number;
  /** [Python shell job seconds, Spark seconds] of each round, run in turns; the seconds above are their medians. */
  readonly rounds: readonly (readonly [number, number])[];
  /** The job's functions with the most own time (cProfile), at the smallest size only. */
  readonly profile?: readonly (readonly [string, number])[];
}

export interface EtlResult {
  /** Filter throughput / plain line-read throughput, at the largest size. */
  readonly vsRawRead: number;
  /** csv.reader alone / plain line read: the ceiling of any filter that parses CSV with the stdlib. */
  readonly csvReaderVsRawRead: number;
  /** Peak RSS of the job at the largest size. */
  readonly peakRssMiB: number;
  readonly rowsPerSecond: number;
  /** Spark engine rows/s / Python shell job rows/s on the same file, at the largest size (target >= 2). */
  readonly sparkVsPythonShell: number;
  /** Peak RSS of the whole Spark run (driver, JVM, workers) at the largest size; flat as the file grows. */
  readonly sparkPeakRssMiB: number;
  /** Every size measured, smallest first. */
  readonly sizes: readonly EtlSizeResult[];
}

/** Runs a command; resolves with its stdout, rejects with its stderr when it fails. */
function run(command: string, args: readonly string[], env?: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.slice(0, 2).join(" ")} exited ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`)),
    );
  });
}

type SparkRun = Awaited<ReturnType<typeof sparkRunEnvironment>>;

/** Rounds of both engines at the largest file: single runs of the 2-core Spark run move by up to 20% on a shared machine. */
const SPARK_ROUNDS = 3;

/** The smallest file's header, then its data rows as many times as make about `bytes` (100 MB x 10 = 1 GB). */
function repeatRows(smallest: string, bytes: number, file: string): void {
  const data = readFileSync(smallest);
  const rows = data.subarray(data.indexOf(0x0a) + 1);
  writeFileSync(file, data);
  for (let copies = Math.max(1, Math.round(bytes / data.length)); copies > 1; copies--) appendFileSync(file, rows);
}

async function measureSize(
  bytes: number,
  dir: string,
  withProfile: boolean,
  spark: SparkRun,
  log: (line: string) => void,
  repeatOf?: string,
  keepFile = false,
  rounds = 1,
): Promise<EtlSizeResult> {
  const file = path.join(dir, `orders-${bytes}.csv`);
  const out = path.join(dir, `out-${bytes}`);
  const mb = (bytes / 1e6).toFixed(0);
  if (repeatOf) {
    log(`etl: making ${mb} MB of orders from the smaller file's rows, repeated`);
    repeatRows(repeatOf, bytes, file);
  } else {
    log(`etl: generating ${mb} MB of orders`);
    await run(PYTHON, [path.join(ROOT, "etl", "generate_orders.py"), "--bytes", String(bytes), "--out", file]);
  }
  mkdirSync(out, { recursive: true });
  log(`etl: filtering ${mb} MB with the Python shell job and the Spark engine${rounds > 1 ? `, ${rounds} rounds in turns` : ""} (and reading it plainly for the baseline)`);
  const stdout = await run(PYTHON, [
    path.join(__dirname, "etl_bench.py"),
    "--input",
    file,
    "--work",
    out,
    "--schema",
    JSON.stringify(ORDERS_SCHEMA),
    "--filter",
    JSON.stringify(DEFAULT_FILTER),
    ...(withProfile ? ["--profile"] : []),
    "--spark-python",
    spark.python,
    "--rounds",
    String(rounds),
  ], spark.engineEnv);
  if (!keepFile) rmSync(file, { force: true });
  rmSync(out, { recursive: true, force: true });
  const r = JSON.parse(stdout) as {
    bytes: number;
    raw_read_s: number;
    csv_reader_s: number;
    job_s: number;
    job_peak_rss_kib: number;
    input_rows: number;
    profile: [string, number][] | null;
    spark_s: number;
    spark_peak_rss_kib: number;
    rounds: [number, number][];
  };
  return {
    bytes: r.bytes,
    inputRows: r.input_rows,
    rawReadSeconds: r.raw_read_s,
    csvReaderSeconds: r.csv_reader_s,
    jobSeconds: r.job_s,
    peakRssMiB: r.job_peak_rss_kib / 1024,
    sparkSeconds: r.spark_s,
    sparkPeakRssMiB: r.spark_peak_rss_kib / 1024,
    rounds: r.rounds,
    profile: r.profile ?? undefined,
  };
}

/**
 * Measures each size (bytes), smallest first; the figures are taken at the largest. repeatSmallest: the larger
 * files are the smallest one's rows repeated (seconds to make, where generating 1 GB row by row takes minutes).
 */
export async function benchEtl(
  sizes: readonly number[],
  log: (line: string) => void,
  options: { readonly repeatSmallest?: boolean } = {},
): Promise<EtlResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "sfn-lab-bench-etl-"));
  try {
    const results: EtlSizeResult[] = [];
    const ordered = [...sizes].sort((a, b) => a - b);
    const spark = await sparkRunEnvironment();
    const smallest = path.join(dir, `orders-${ordered[0]}.csv`);
    for (const bytes of ordered) {
      const first = bytes === ordered[0];
      const repeatOf = options.repeatSmallest && !first ? smallest : undefined;
      // The figures come from the largest file: its engines run SPARK_ROUNDS times in turns.
      const rounds = bytes === ordered[ordered.length - 1] ? SPARK_ROUNDS : 1;
      results.push(await measureSize(bytes, dir, first, spark, log, repeatOf, options.repeatSmallest && first, rounds));
    }
    const largest = results[results.length - 1];
    return {
      vsRawRead: largest.rawReadSeconds / largest.jobSeconds,
      csvReaderVsRawRead: largest.rawReadSeconds / largest.csvReaderSeconds,
      peakRssMiB: largest.peakRssMiB,
      rowsPerSecond: largest.inputRows / largest.jobSeconds,
      // Same rows on both engines: the rows/s ratio is the ratio of the times.
      sparkVsPythonShell: largest.jobSeconds / largest.sparkSeconds,
      sparkPeakRssMiB: largest.sparkPeakRssMiB,
      sizes: results,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
