import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { chromiumMissingMessage, findChromium } from "./chromium";
import { ensureChromium } from "./ensureChromium";
import { ProcessParts } from "./processParts";
import { mochaJobs, report, runSuites, slowestFirst, specFiles } from "./run-all";
import { withReliabilityTable } from "./updateReadmeReliability";

const REPO_ROOT = path.join(__dirname, "..", "..");

/** The test runner's own pieces: which files mocha runs and in what order, the browser it brings, the ledger's merge. */
describe("npm test's runner", function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "sfn-lab-runner-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const touch = (relative: string, text = "", mode = 0o644) => {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    chmodSync(file, mode);
    return file;
  };

  describe("the mocha suite", function () {
    it("is every *.test.ts under the spec roots, none from node_modules, none of other kinds", function () {
      touch("tests/a.test.ts");
      touch("tests/deep/b.test.ts");
      touch("sandbox/c.test.ts");
      touch("tests/helper.ts");
      touch("tests/node_modules/dep/d.test.ts");
      touch("elsewhere/e.test.ts");
      assert.deepEqual(specFiles(dir), ["sandbox/c.test.ts", "tests/a.test.ts", "tests/deep/b.test.ts"]);
    });

    it("includes this repository's own test files, this one too", function () {
      const files = specFiles(REPO_ROOT);
      assert.ok(files.includes(path.join("tests", "support", "runner.test.ts")));
      assert.ok(files.includes(path.join("tests", "e2e", "report.test.ts")));
      assert.ok(files.every((f) => f.endsWith(".test.ts") && !f.includes("node_modules")));
    });

    it("starts files never timed first, then the rest from the slowest down", function () {
      const order = slowestFirst(["a", "b", "c", "d"], { a: 10, c: 3000, d: 200 });
      assert.deepEqual(order, ["b", "c", "d", "a"]);
    });

    it("runs on TEST_JOBS workers when set, else at least 2", function () {
      assert.equal(mochaJobs({ TEST_JOBS: "3" }), 3);
      assert.ok(mochaJobs({}) >= 2);
      assert.ok(mochaJobs({ TEST_JOBS: "zero" }) >= 2, "a value that is not a count is ignored");
    });
  });

  describe("the suites", function () {
    it("each run to its end when another fails, and any failure fails the whole run", async function () {
      const node = (name: string, script: string) => ({ name, command: process.execPath, args: ["-e", script] });
      const results = await runSuites([node("first", "console.error('broken'); process.exit(3)"), node("second", "setTimeout(() => console.log('ran to its end'), 200)")]);
      assert.deepEqual(results.map((r) => [r.suite.name, r.code]), [["first", 3], ["second", 0]]);
      assert.equal(results[1].output, "ran to its end\n");
      const { text, exitCode } = report(results);
      assert.equal(exitCode, 1);
      assert.match(text, /── first ──\nbroken\n/);
      assert.match(text, /npm test:\n  first +✗ failed \(exit 3\) +\d+\.\d s\n  second +✓ passed +\d+\.\d s$/);
    });

    it("pass as a whole only when every one passed", async function () {
      const results = await runSuites([{ name: "only", command: process.execPath, args: ["-e", ""] }]);
      assert.equal(report(results).exitCode, 0);
    });

    it("name a command that cannot start, and count it as failed", async function () {
      const [result] = await runSuites([{ name: "missing", command: path.join(dir, "no-such-command"), args: [] }]);
      assert.equal(result.code, 127);
      assert.match(result.output, /could not start .*no-such-command: spawn .* ENOENT/);
    });
  });

  describe("Chromium for the report test", function () {
    it("is found on PATH under its Debian name", function () {
      const chromium = touch("bin/chromium", "#!/bin/sh\n", 0o755);
      assert.equal(findChromium({ PATH: `${path.join(dir, "empty")}${path.delimiter}${path.dirname(chromium)}` }), chromium);
    });

    it("is not a file that cannot be executed", function () {
      touch("bin/chromium", "not a program", 0o644);
      assert.equal(findChromium({ PATH: path.join(dir, "bin") }), undefined);
    });

    it("is CHROMIUM_PATH when set, and nothing else", function () {
      const chrome = touch("opt/chrome", "#!/bin/sh\n", 0o755);
      touch("bin/chromium", "#!/bin/sh\n", 0o755);
      assert.equal(findChromium({ CHROMIUM_PATH: chrome, PATH: path.join(dir, "bin") }), chrome);
      assert.equal(findChromium({ CHROMIUM_PATH: path.join(dir, "missing"), PATH: path.join(dir, "bin") }), undefined);
      assert.match(chromiumMissingMessage({ CHROMIUM_PATH: path.join(dir, "missing") }), /CHROMIUM_PATH \(.*missing\) is not an executable file/);
    });

    it("is used as it is when present: nothing installed", async function () {
      const chromium = touch("bin/chromium", "#!/bin/sh\n", 0o755);
      const logged: string[] = [];
      assert.deepEqual(await ensureChromium((l) => logged.push(l), { PATH: path.dirname(chromium) }), { path: chromium, installed: false });
      assert.deepEqual(logged, []);
    });

    it("when missing and apt-get is not available, is a message saying what needs it and how to install it", async function () {
      const outcome = await ensureChromium(() => assert.fail("nothing to log: nothing is installed"), { PATH: path.join(dir, "empty") });
      assert.ok("missing" in outcome);
      assert.match(outcome.missing, /^Chromium not found: none of chromium, chromium-browser, google-chrome-stable, google-chrome is on PATH\./);
      assert.match(outcome.missing, /report test renders report\.html in headless Chromium/);
      assert.match(outcome.missing, /sudo apt-get install -y chromium/);
      assert.match(outcome.missing, /CHROMIUM_PATH/);
    });
  });

  describe("results gathered from parallel workers", function () {
    it("are each process's last part, merged once, then forgotten", function () {
      const parts = new ProcessParts<string[]>(path.join(dir, "parts"));
      parts.write(["a"]);
      parts.write(["a", "b"]);
      assert.deepEqual(parts.collect(), [["a", "b"]], "a process replaces its own part");
      assert.deepEqual(parts.collect(), [], "collected parts are removed");
    });

    it("make one ledger and one set of timings from a mocha run on 2 workers", function () {
      this.timeout(60_000);
      const out = path.join(dir, "out");
      for (const name of ["one", "two"]) {
        touch(`specs/${name}.test.ts`, `describe("${name}", () => { it("[fault] ${name} survives", () => {}); it("untagged ${name}", () => {}); });\n`);
      }
      const support = path.join(REPO_ROOT, "tests", "support");
      const mocha = spawnSync(
        process.execPath,
        [require.resolve("mocha/bin/mocha.js"), "--parallel", "--jobs", "2", "--require", path.join(support, "transpile.js"),
          "--require", path.join(support, "reliabilityLedger.ts"), "--require", path.join(support, "fileDurations.ts"),
          path.join(dir, "specs", "one.test.ts"), path.join(dir, "specs", "two.test.ts")],
        { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, SFN_LAB_TEST_OUT: out } },
      );
      assert.equal(mocha.status, 0, mocha.stdout + mocha.stderr);
      const ledger = JSON.parse(readFileSync(path.join(out, "reliability.json"), "utf8")) as { entries: { check: string; result: string }[] };
      assert.deepEqual(ledger.entries.map((e) => [e.check, e.result]), [["one survives", "passed"], ["two survives", "passed"]]);
      assert.match(readFileSync(path.join(out, "reliability.md"), "utf8"), /\| Fault injected \| one \| one survives \| ✅ passed \|\n\| Fault injected \| two \| two survives \| ✅ passed \|/);
      const durations = JSON.parse(readFileSync(path.join(out, "test-durations.json"), "utf8")) as Record<string, number>;
      assert.deepEqual(Object.keys(durations).sort(), [path.relative(REPO_ROOT, path.join(dir, "specs", "one.test.ts")), path.relative(REPO_ROOT, path.join(dir, "specs", "two.test.ts"))].sort());
      assert.ok(Object.values(durations).every((ms) => ms >= 0));
    });
  });

  describe("docs:reliability", function () {
    const BEGIN = "<!-- reliability:begin (generated by npm run docs:reliability from the last npm test) -->";
    const readme = `# t\n\n${BEGIN}\n| old |\n<!-- reliability:end -->\n\nafter\n`;

    it("puts the ledger's table between the README's markers", function () {
      assert.equal(withReliabilityTable(readme, "| new |\n"), `# t\n\n${BEGIN}\n| new |\n<!-- reliability:end -->\n\nafter\n`);
    });

    it("changes nothing when the README already holds that table", function () {
      const once = withReliabilityTable(readme, "| new |\n");
      assert.equal(withReliabilityTable(once, "| new |\n"), once);
    });

    it("refuses a README without the markers, naming them", function () {
      assert.throws(() => withReliabilityTable("# no markers\n", "| t |\n"), /README\.md has no "<!-- reliability:begin .*" \.\.\. "<!-- reliability:end -->" section/);
    });
  });
});
