import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { BUNDLE_CACHE_ENV, bundleHandler } from "../../components/lambdaBundle";

/** Function bundles kept between evaluations, reused only while every file esbuild read is unchanged. */
describe("function bundles cached by their inputs (components/lambdaBundle)", function () {
  this.timeout(60_000);
  let dir: string;
  let previous: string | undefined;

  before(() => {
    previous = process.env[BUNDLE_CACHE_ENV];
    dir = mkdtempSync(path.join(tmpdir(), "sfn-lab-bundles-"));
    process.env[BUNDLE_CACHE_ENV] = dir;
  });
  after(() => {
    if (previous === undefined) delete process.env[BUNDLE_CACHE_ENV];
    else process.env[BUNDLE_CACHE_ENV] = previous;
    rmSync(dir, { recursive: true, force: true });
  });

  const cacheFile = () => {
    const files = readdirSync(dir).filter((f) => f.startsWith("bundle.check-file."));
    assert.equal(files.length, 1);
    return path.join(dir, files[0]);
  };

  it("writes the bundle with the hash of each input, reuses it while they match, and rebuilds when one differs", function () {
    const built = bundleHandler("check-file");
    assert.match(built, /exports\.handler|module\.exports/);
    const entry = JSON.parse(readFileSync(cacheFile(), "utf8")) as { inputs: Record<string, string>; text: string };
    assert.equal(entry.text, built);
    const handlerInput = Object.keys(entry.inputs).find((input) => input.endsWith(path.join("functions", "check-file", "index.ts")));
    assert.ok(handlerInput, "the handler's own source is among the inputs");
    assert.ok(Object.keys(entry.inputs).some((input) => input.includes("@aws-sdk")), "so are the SDK modules it bundles");

    // A marker in place of the text shows which path was taken.
    writeFileSync(cacheFile(), JSON.stringify({ ...entry, text: "reused" }));
    assert.equal(bundleHandler("check-file"), "reused");

    writeFileSync(cacheFile(), JSON.stringify({ inputs: { ...entry.inputs, [handlerInput]: "0".repeat(64) }, text: "reused" }));
    assert.equal(bundleHandler("check-file"), built, "an input whose content changed is built again");
  });
});
