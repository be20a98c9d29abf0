/**
 * The Spark engine's Python environment: a project-local virtual environment (.venv-spark/) with pyspark pinned to
 * AWS Glue 5.0's Spark, and pyarrow (etl/spark-requirements.txt, installed with --require-hashes), created the first time a
 * Spark run or the Python tests need it, and reused while the requirements file is unchanged. It sees python3's own
 * packages (boto3, as for the Python shell job). Spark itself needs Java 17 (`java` on PATH or JAVA_HOME).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../../components/packageRoot";

export const SPARK_REQUIREMENTS = path.join("etl", "spark-requirements.txt");
const VENV_DIR = ".venv-spark";
const STAMP = ".requirements-sha256";

export class SparkEnvironmentError extends Error {
  override readonly name = "SparkEnvironmentError";
}

/** Where the environment lives, its Python, and the stamp saying which requirements it holds. */
export function sparkEnvironmentPaths(root: string = packageRoot()): { dir: string; python: string; requirements: string } {
  const dir = path.join(root, VENV_DIR);
  return { dir, python: path.join(dir, "bin", "python"), requirements: path.join(root, SPARK_REQUIREMENTS) };
}

function requirementsHash(requirements: string): string {
  return createHash("sha256").update(readFileSync(requirements)).digest("hex");
}

function isCurrent(dir: string, python: string, hash: string): boolean {
  const stamp = path.join(dir, STAMP);
  return existsSync(python) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === hash;
}

/** Runs a command to its end; resolves with what it printed (stdout and stderr), rejects naming `what` when it fails. */
export function run(command: string, args: readonly string[], what: string, env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...(env ? { env } : {}) });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", (error) => reject(new SparkEnvironmentError(`${what}: cannot run ${command}: ${error.message}`)));
    child.once("close", (code) => {
      if (code === 0) resolve(output);
      else reject(new SparkEnvironmentError(`${what} failed (exit ${code}):\n${output.trim().split("\n").slice(-15).join("\n")}`));
    });
  });
}

/** The java that Spark's launcher runs: JAVA_HOME's, else the one on PATH. */
export function javaCommand(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin", "java") : "java";
}

/** PYSPARK_SUBMIT_ARGS from spark-submit's options and the driver JVM's (options without quotes or spaces in them). */
export function pysparkSubmitArgs(submit: readonly string[], javaOptions: readonly string[]): string {
  return [...submit, "--driver-java-options", `'${javaOptions.join(" ")}'`, "pyspark-shell"].join(" ");
}

/** Java is what Spark runs on: refuse early, naming what to install, when it is missing. */
export async function checkJava(): Promise<void> {
  await run(javaCommand(), ["-version"], "checking Java (Spark 3.5 needs Java 17; Debian: apt-get install openjdk-17-jre-headless)").catch(
    (error: Error) => {
      throw new SparkEnvironmentError(`${error.message}`);
    },
  );
}

let pending: Promise<string> | undefined;

/**
 * The environment's Python, creating the environment first when it is missing or holds other requirements.
 * Built in a folder of its own and renamed into place, so concurrent callers never see half an environment.
 */
export function ensureSparkPython(log: (line: string) => void = (line) => console.error(line), root: string = packageRoot()): Promise<string> {
  pending ??= create(log, root).finally(() => (pending = undefined));
  return pending;
}

async function create(log: (line: string) => void, root: string): Promise<string> {
  const { dir, python, requirements } = sparkEnvironmentPaths(root);
  const hash = requirementsHash(requirements);
  if (isCurrent(dir, python, hash)) return python;
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  log(`Setting up the Spark engine's Python environment in ${VENV_DIR}/ (pyspark and pyarrow from ${SPARK_REQUIREMENTS}, a download of about 360 MB, once)...`);
  try {
    await run("python3", ["-m", "venv", "--system-site-packages", building], "python3 -m venv (Debian: apt-get install python3-venv)");
    await run(path.join(building, "bin", "python"), ["-m", "pip", "install", "--quiet", "--require-hashes", "-r", requirements], `pip install -r ${SPARK_REQUIREMENTS}`);
    writeFileSync(path.join(building, STAMP), `${hash}\n`);
    if (isCurrent(dir, python, hash)) {
      rmSync(building, { recursive: true, force: true }); // another process finished first
    } else {
      rmSync(dir, { recursive: true, force: true });
      renameSync(building, dir);
    }
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error instanceof SparkEnvironmentError
      ? new SparkEnvironmentError(`The Spark engine's Python environment could not be set up: ${error.message}`)
      : error;
  }
  log(`Spark engine's Python environment ready: ${path.relative(root, python)}`);
  return python;
}
