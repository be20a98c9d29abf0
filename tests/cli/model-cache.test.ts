import { strict as assert } from "node:assert";
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadProgramModel } from "../../sandbox/model";
import { loadCachedProgramModel, modelKey } from "../../sandbox/model-cache";

/**
 * The program model cached between sandbox starts: reused while the program's files, stack and config are
 * unchanged, evaluated again as soon as one of them changes.
 */
describe("the program model cache (sandbox/model-cache)", function () {
  this.timeout(60_000);
  let programDir: string;
  let cacheDir: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(programDir, file)), { recursive: true });
    writeFileSync(path.join(programDir, file), text);
  };
  /** How many times the program has been evaluated: its index.js appends a line to this file each time. */
  const evaluations = () => readFileSync(path.join(programDir, "evaluations.log"), "utf8").split("\n").filter(Boolean).length;

  beforeEach(() => {
    programDir = mkdtempSync(path.join(tmpdir(), "sfn-lab-program-"));
    cacheDir = path.join(programDir, ".cache");
    write("Pulumi.yaml", "name: tiny\nruntime: nodejs\nconfig:\n  greeting:\n    default: hello\n");
    write("components/greeting.js", "module.exports = (config) => config.require('greeting');\n");
    write(
      "index.js",
      [
        'const fs = require("fs"), path = require("path");',
        'fs.appendFileSync(path.join(__dirname, "evaluations.log"), "evaluated\\n");',
        'const pulumi = require(process.env.SFN_LAB_TEST_PULUMI);',
        'module.exports = { greeting: require("./components/greeting")(new pulumi.Config()) };',
      ].join("\n"),
    );
    writeFileSync(path.join(programDir, "evaluations.log"), "");
    process.env.SFN_LAB_TEST_PULUMI = require.resolve("@pulumi/pulumi");
  });
  afterEach(() => rmSync(programDir, { recursive: true, force: true }));

  it("the key changes with an input file, the stack, the stack's file and the config, not with other files", function () {
    const key = modelKey(programDir, "dev");
    assert.match(key, /^[0-9a-f]{32}$/);
    assert.equal(modelKey(programDir, "dev"), key, "same inputs, same key");
    write("README.md", "not an input");
    assert.equal(modelKey(programDir, "dev"), key);
    assert.notEqual(modelKey(programDir, "prod"), key);
    assert.notEqual(modelKey(programDir, "dev", { greeting: "hi" }), key);
    write("Pulumi.dev.yaml", "config:\n  tiny:greeting: hi\n");
    const withStackFile = modelKey(programDir, "dev");
    assert.notEqual(withStackFile, key);
    write("components/greeting.js", "module.exports = () => 'changed';\n");
    assert.notEqual(modelKey(programDir, "dev"), withStackFile);
  });

  it("for a program other than the lab, every file but docs and logs is an input, wherever it sits", function () {
    const key = modelKey(programDir, "dev");
    write("greeter/index.js", "exports.handler = async () => 1;\n");
    const withFunction = modelKey(programDir, "dev");
    assert.notEqual(withFunction, key, "a function folder the program archives is an input");
    write("NOTES.md", "docs");
    write("run.log", "log");
    assert.equal(modelKey(programDir, "dev"), withFunction, "documentation and logs are not");
  });

  it("evaluates once, then serves the same model from the cache until an input changes", async function () {
    const progress: string[] = [];
    const load = () => loadCachedProgramModel({ stack: "dev", programDir, cacheDir, onProgress: (m) => progress.push(m) });
    const first = await load();
    assert.deepEqual(first.outputs, { greeting: "hello" });
    assert.equal(evaluations(), 1);
    assert.deepEqual(progress, ["evaluating the program under Pulumi mocks"]);

    const second = await load();
    assert.equal(evaluations(), 1, "not evaluated again");
    assert.deepEqual(second, JSON.parse(JSON.stringify(first)));
    assert.match(progress[1], /^the program's model for stack dev, unchanged since it was evaluated \(\.cache\/program-model\.dev\.[0-9a-f]{32}\.json\)$/);

    write("Pulumi.dev.yaml", "config:\n  tiny:greeting: hi\n");
    assert.deepEqual((await load()).outputs, { greeting: "hi" });
    assert.equal(evaluations(), 2, "a changed stack file is evaluated again");
    assert.equal(readdirSync(cacheDir).length, 1, "the stale entry of the stack is replaced, not kept");
  });

  it("without a cache folder it evaluates every time and writes nothing", async function () {
    await loadCachedProgramModel({ stack: "dev", programDir });
    await loadCachedProgramModel({ stack: "dev", programDir });
    assert.equal(evaluations(), 2);
    assert.deepEqual(readdirSync(programDir).sort(), ["Pulumi.yaml", "components", "evaluations.log", "index.js"]);
  });

  it("an unreadable cache file is evaluated again, not trusted", async function () {
    await loadCachedProgramModel({ stack: "dev", programDir, cacheDir });
    for (const file of readdirSync(cacheDir)) appendFileSync(path.join(cacheDir, file), "garbage");
    assert.deepEqual((await loadCachedProgramModel({ stack: "dev", programDir, cacheDir })).outputs, { greeting: "hello" });
    assert.equal(evaluations(), 2);
  });

  it("the lab's own model survives the cache file unchanged: nothing in it is lost by JSON (no undefined, dates or assets)", async function () {
    const model = await loadProgramModel({ stack: "dev" });
    assert.deepEqual(JSON.parse(JSON.stringify(model)), model);
    assert.ok(model.resources.length > 30);
  });
});
