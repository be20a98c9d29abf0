import { spawnSync } from "child_process";
import * as path from "path";
import { aptInstall, aptRunner } from "./ensureChromium";

/** Debian's package with the Java 17 runtime Spark 3.5 (Glue 5.0) runs on. */
const JAVA_PACKAGE = "openjdk-17-jre-headless";

function javaWorks(env: NodeJS.ProcessEnv): boolean {
  const java = env.JAVA_HOME ? path.join(env.JAVA_HOME, "bin", "java") : "java";
  return spawnSync(java, ["-version"], { stdio: "ignore", env }).status === 0;
}

/**
 * Brings the Java the Spark engine's tests need, as ensureChromium brings the browser: when `java` is missing and
 * this process may install packages, Debian's openjdk-17-jre-headless; otherwise the reason, and the Spark tests
 * fail with their own message (nothing is skipped).
 */
export async function ensureJava(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (javaWorks(env)) return undefined;
  const prefix = aptRunner(env);
  if (!prefix) return `Java 17 is missing (the Spark engine needs it): install ${JAVA_PACKAGE} or set JAVA_HOME`;
  log(`Java is missing: installing Debian's ${JAVA_PACKAGE} with apt-get (once; later runs find it)`);
  const failure = await aptInstall(prefix, JAVA_PACKAGE, env);
  if (failure) return failure;
  return javaWorks(env) ? undefined : `apt-get installed ${JAVA_PACKAGE} but java does not run`;
}
