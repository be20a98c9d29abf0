/**
 * `npm run test:py`: the ETL's Python tests (etl/test_*.py), run with the Spark engine's Python environment (python3
 * with its own packages, plus pinned pyspark), which is created first when missing. Nothing is skipped: when the
 * environment or Java cannot be had, the suite fails with the reason.
 */
import { spawn } from "child_process";
import * as path from "path";
import { checkJava, ensureSparkPython } from "../../sandbox/glue/spark-python";

async function main(): Promise<number> {
  let python: string;
  try {
    await checkJava();
    python = await ensureSparkPython();
  } catch (error) {
    console.error(`The Python tests need the Spark engine's environment: ${(error as Error).message}`);
    return 1;
  }
  const root = path.join(__dirname, "..", "..");
  return new Promise((resolve) => {
    const child = spawn(python, ["-m", "unittest", "discover", "-s", "etl", "-p", "test_*.py"], { cwd: root, stdio: "inherit" });
    child.once("error", (error) => {
      console.error(`cannot run ${python}: ${error.message}`);
      resolve(1);
    });
    child.once("close", (code) => resolve(code ?? 1));
  });
}

main().then((code) => process.exit(code));
