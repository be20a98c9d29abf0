import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ORDERS_SCHEMA, RowFilter } from "../../components/etlSettings";
import { packageRoot } from "../../components/packageRoot";
import { loadProgramConfig } from "../../sandbox/programConfig";
import { UsageError } from "../errors";
import { requireStackConfig } from "../targets/stack-config";

/** The Glue script, run locally through the same code path as in Glue (its local-file mode). */
export const GLUE_SCRIPT = path.join(packageRoot(), "etl", "glue_job.py");

export interface LocalEtlRun {
  exitCode: number;
  /** What the script printed on stderr, when captured. */
  stderr: string;
  manifest?: { input_rows: number; kept: number; filtered_out: number; rejected: number };
}

/** The filter the stack's config sets (Pulumi.yaml defaults, then Pulumi.<stack>.yaml). */
export function stackFilter(stack: string): RowFilter {
  const { project, config } = loadProgramConfig(packageRoot(), stack);
  return {
    column: config[`${project}:filterColumn`],
    operator: config[`${project}:filterOperator`] as RowFilter["operator"],
    value: config[`${project}:filterValue`],
  };
}

/** Runs the Glue script on a local file; its output goes to ours unless `capture` is set. */
export function runLocalEtl(input: string, outDir: string, filter: RowFilter, options: { capture?: boolean; python?: string } = {}): Promise<LocalEtlRun> {
  const python = options.python ?? "python3";
  const args = [
    GLUE_SCRIPT,
    "--local_input", input,
    "--local_out", outDir,
    "--schema", JSON.stringify(ORDERS_SCHEMA),
    "--filter", JSON.stringify(filter),
    "--JOB_RUN_ID", "local",
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { stdio: ["ignore", options.capture ? "ignore" : "inherit", options.capture ? "pipe" : "inherit"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", (err) => reject(new Error(`Cannot start ${python}: ${err.message}`)));
    child.on("close", (code) => {
      const manifestFile = path.join(outDir, "_manifest.json");
      const manifest = code === 0 && fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, "utf8")) : undefined;
      resolve({ exitCode: code ?? 1, stderr, manifest });
    });
  });
}

/** `sfn-lab etl run`: exits with the script's exit code. */
export async function etlRunCommand(opts: { input: string; out: string; filter?: string; stack: string }): Promise<void> {
  let filter: RowFilter;
  if (opts.filter) {
    try {
      filter = JSON.parse(opts.filter) as RowFilter;
    } catch (err) {
      throw new UsageError(`--filter is not valid JSON: ${(err as Error).message}`);
    }
  } else {
    requireStackConfig(opts.stack);
    filter = stackFilter(opts.stack);
  }
  fs.mkdirSync(opts.out, { recursive: true });
  const run = await runLocalEtl(opts.input, opts.out, filter);
  if (run.manifest) {
    const m = run.manifest;
    console.log(`input ${m.input_rows} = kept ${m.kept} + filtered out ${m.filtered_out} + rejected ${m.rejected}  →  ${opts.out}`);
  }
  process.exitCode = run.exitCode;
}
