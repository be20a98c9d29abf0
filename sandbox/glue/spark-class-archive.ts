/**
 * A class-data-sharing archive of the classes the local Spark driver's JVM loads (Java's dynamic AppCDS, JDK 13 and
 * later: `-XX:ArchiveClassesAtExit` writes it, `-XX:SharedArchiveFile` maps it). Made once per Spark environment and
 * Java, by one small Spark run, next to the environment (.venv-spark/), and reused: a JVM that maps it starts Spark
 * in about half the time (SparkContext 2.0 s to 1.2 s on the development machine), which every Spark run in the
 * sandbox pays. The JVM checks an archive itself and runs without one that does not match it; when the archive
 * cannot be made, Spark runs start as before.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import * as path from "node:path";
import { javaCommand, pysparkSubmitArgs, run } from "./spark-python";

/** One small Spark job: the classes a run loads up to its first task. */
const ARCHIVE_RUN = "from pyspark import SparkContext\nsc = SparkContext.getOrCreate()\nsc.parallelize([0], 1).map(lambda x: x).collect()\nsc.stop()\n";

/** Java's own words for itself: an archive belongs to one JVM build. */
function javaIdentity(): Promise<string | undefined> {
  return run(javaCommand(), ["-version"], "java -version").catch(() => undefined);
}

const pending = new Map<string, Promise<string | undefined>>();

/**
 * The archive for this environment and Java, made first when missing; undefined when it cannot be made.
 * submit: the PYSPARK_SUBMIT_ARGS of the runs without their JVM options and final "pyspark-shell";
 * javaOptions: the driver JVM's options of the runs.
 */
export function sparkClassArchive(python: string, venvDir: string, submit: readonly string[], javaOptions: readonly string[]): Promise<string | undefined> {
  let made = pending.get(venvDir);
  if (!made) {
    made = make(python, venvDir, submit, javaOptions);
    pending.set(venvDir, made);
  }
  return made;
}

async function make(python: string, venvDir: string, submit: readonly string[], javaOptions: readonly string[]): Promise<string | undefined> {
  const java = await javaIdentity();
  if (java === undefined) return undefined;
  const stamp = path.join(venvDir, ".requirements-sha256");
  const key = createHash("sha256")
    .update(java)
    .update(existsSync(stamp) ? readFileSync(stamp) : "")
    .digest("hex")
    .slice(0, 16);
  const archive = path.join(venvDir, `spark-classes-${key}.jsa`);
  // The path goes into a quoted list of JVM options: one it would have to be escaped in is not used.
  if (/[\s'"\\]/.test(archive)) return undefined;
  if (existsSync(archive)) return archive;
  const building = `${archive}.${process.pid}.building`;
  rmSync(building, { force: true });
  const env = { ...process.env, PYSPARK_PYTHON: python, PYSPARK_SUBMIT_ARGS: pysparkSubmitArgs(submit, [...javaOptions, `-XX:ArchiveClassesAtExit=${building}`]) };
  const ran = await run(python, ["-c", ARCHIVE_RUN], "making the Spark class-data archive", env).then(() => true, () => false);
  if (!ran || !existsSync(building)) {
    rmSync(building, { force: true });
    return undefined;
  }
  renameSync(building, archive); // another process may have made one too: either is the same
  return archive;
}
