/**
 * What a Spark (glueetl) run adds to a Glue script run in the sandbox: the Spark environment's Python, and pyspark in
 * local mode (every core of this machine stands in for the job's executors), without Spark's web UI or console
 * progress bars, its driver JVM started from a class-data archive made once (spark-class-archive.ts). Spark 3.5's
 * launcher adds the --add-opens flags Java 17 needs itself.
 */
import * as os from "node:os";
import type { ScriptRunSpec } from "./script-runner";
import { sparkClassArchive } from "./spark-class-archive";
import { checkJava, ensureSparkPython, pysparkSubmitArgs, sparkEnvironmentPaths } from "./spark-python";

export async function sparkRunEnvironment(): Promise<Pick<ScriptRunSpec, "python" | "engineEnv">> {
  await checkJava();
  const python = await ensureSparkPython();
  const submit = [
    `--master local[${os.availableParallelism()}]`,
    "--driver-memory 1g",
    "--conf spark.ui.enabled=false",
    "--conf spark.ui.showConsoleProgress=false",
  ];
  // The local-mode JVM only schedules and pipes (the tasks run in Python): its quick JIT tier alone halves its
  // start on a busy machine, and the full optimizing tier would not pay back within one run.
  const javaOptions = ["-XX:TieredStopAtLevel=1"];
  const archive = await sparkClassArchive(python, sparkEnvironmentPaths().dir, submit, javaOptions);
  if (archive) javaOptions.push(`-XX:SharedArchiveFile=${archive}`);
  const engineEnv: Record<string, string> = {
    PYSPARK_PYTHON: python,
    PYSPARK_SUBMIT_ARGS: pysparkSubmitArgs(submit, javaOptions),
  };
  if (process.env.JAVA_HOME) engineEnv.JAVA_HOME = process.env.JAVA_HOME;
  return { python, engineEnv };
}
