import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { sparkClassArchive } from "./spark-class-archive";
import { checkJava, ensureSparkPython, pysparkSubmitArgs } from "./spark-python";

const SUBMIT = ["--master local[1]", "--driver-memory 1g", "--conf spark.ui.enabled=false", "--conf spark.ui.showConsoleProgress=false"];

describe("the Spark driver's class-data archive", function () {
  this.timeout(180_000);
  let python: string;
  let dir: string;

  before(async () => {
    await checkJava();
    python = await ensureSparkPython(() => undefined);
    dir = mkdtempSync(path.join(tmpdir(), "sfn-lab-cds-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is made once by a Spark run, and a JVM that must map it (-Xshare:on) runs Spark with it", async () => {
    const archive = await sparkClassArchive(python, dir, SUBMIT, ["-XX:TieredStopAtLevel=1"]);
    assert.ok(archive, "no archive was made");
    assert.equal(path.dirname(archive), dir);
    assert.ok(statSync(archive).size > 1_000_000, "the archive holds Spark's classes");
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith(".building")), [], "no half-made archive is left");
    assert.equal(await sparkClassArchive(python, dir, SUBMIT, ["-XX:TieredStopAtLevel=1"]), archive);
    // -Xshare:on: the JVM refuses to start when it cannot map the archive, so a clean exit proves it was used.
    const options = ["-XX:TieredStopAtLevel=1", `-XX:SharedArchiveFile=${archive}`, "-Xshare:on"];
    const run = spawnSync(python, ["-c", "from pyspark import SparkContext\nsc = SparkContext.getOrCreate()\nprint(sc.parallelize([1, 2], 2).sum())\nsc.stop()"], {
      env: { ...process.env, PYSPARK_PYTHON: python, PYSPARK_SUBMIT_ARGS: pysparkSubmitArgs(SUBMIT, options) },
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr.slice(-2000));
    assert.equal(run.stdout.trim().split("\n").pop(), "3");
  });

  it("is not made where its path would need escaping among the JVM's options", async () => {
    const spaced = path.join(dir, "with space");
    assert.equal(await sparkClassArchive(python, spaced, SUBMIT, []), undefined);
    assert.equal(existsSync(spaced), false);
  });
});
