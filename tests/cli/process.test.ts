/**
 * sfn-lab as a user runs it: a child process through cli/bin.js. Exit codes, one-line errors, the Node
 * version check, and which modules each command loads.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { outputsFile } from "./helpers";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "cli", "bin.js");
const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
/** bin.js says so on stderr when dist/ is not built or is older than the sources; not part of any command's output. */
const SOURCES_NOTICE = /^sfn-lab: running from the TypeScript sources \(.*\); `npm run build` makes it start faster$/;
/** Records, at exit, every module the process loaded (require.cache) into the file named by SFN_LAB_TEST_MODULES. */
const MODULE_RECORDER = path.join(__dirname, "record-modules.js");

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  /** stderr without bin.js's notice about running from sources. */
  readonly stderrLines: string[];
}

function cleanStderr(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line !== "" && !SOURCES_NOTICE.test(line));
}

function run(args: string[], options: { env?: NodeJS.ProcessEnv; node?: string; preload?: string } = {}): Run {
  const nodeArgs = options.preload ? ["-r", options.preload] : [];
  const result = spawnSync(options.node ?? process.execPath, [...nodeArgs, BIN, ...args], {
    encoding: "utf8",
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderrLines: cleanStderr(result.stderr) };
}

/** The modules a command loaded, as paths relative to the project. */
function loadedModules(args: string[], env: NodeJS.ProcessEnv = {}): { run: Run; modules: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "sfn-lab-modules-"));
  try {
    const file = path.join(dir, "modules.json");
    const result = run(args, { env: { ...env, SFN_LAB_TEST_MODULES: file }, preload: MODULE_RECORDER });
    const modules = (JSON.parse(readFileSync(file, "utf8")) as string[]).map((m) => path.relative(ROOT, m));
    return { run: result, modules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pulumiModules = (modules: string[]) => modules.filter((m) => m.includes(`node_modules${path.sep}@pulumi${path.sep}`));

describe("sfn-lab as a process (cli/bin.js)", function () {
  this.timeout(120_000);
  let stateDir: string;

  beforeEach(() => {
    stateDir = mkdtempSync(path.join(tmpdir(), "sfn-lab-state-"));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  describe("conventions", function () {
    it("--version prints package.json's version and exits 0", function () {
      const result = run(["--version"]);
      assert.equal(result.status, 0);
      assert.equal(result.stdout.trim(), PACKAGE_VERSION);
    });

    it("usage errors exit 2 with one line, distinct from findings (1): unknown option, missing argument, bad choice or value, unknown pattern", function () {
      const cases: Array<[string[], RegExp]> = [
        [["lint", "--bogus", "x.json"], /^error: unknown option '--bogus'$/],
        [["lint"], /^error: missing required argument 'paths'$/],
        [["lint", "--format", "xml", "x.json"], /^sfn-lab lint: --format must be one of text, json, sarif, not "xml"$/],
        [["run", "no-such-pattern"], /^Unknown pattern "no-such-pattern"; use one of: request-response, run-job, wait-for-callback, event-driven-callback$/],
        [["callbacks", "--target", "gcp"], /^--target must be "sandbox" or "aws", got "gcp"$/],
        [["sandbox", "up", "--glue-startup-ms", "soon"], /^error: option '--glue-startup-ms <ms>' argument 'soon' is invalid\. Use a whole number of milliseconds >= 0\.$/],
      ];
      for (const [args, message] of cases) {
        const result = run(args, { env: { SFN_LAB_SANDBOX_DIR: stateDir } });
        assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderrLines.join(" | ")}`);
        assert.equal(result.stderrLines.length, 1, `${args.join(" ")}: one line, got ${JSON.stringify(result.stderrLines)}`);
        assert.match(result.stderrLines[0], message);
      }
    });

    it("--stack NAME without Pulumi.NAME.yaml is refused naming the file, not evaluated on the defaults", function () {
      for (const args of [["preview", "--stack", "nope"], ["sandbox", "up", "--stack", "nope"], ["etl", "run", "--input", "x.csv", "--out", "y", "--stack", "nope"]]) {
        const result = run(args, { env: { SFN_LAB_SANDBOX_DIR: stateDir } });
        assert.equal(result.status, 2, args.join(" "));
        assert.deepEqual(result.stderrLines, [
          "--stack nope: there is no Pulumi.nope.yaml next to Pulumi.yaml; create it (`pulumi stack init nope`) or pick a stack that has one",
        ]);
      }
    });

    it("--target aws without credentials says what to configure, in one line without an error class name", function () {
      const home = mkdtempSync(path.join(tmpdir(), "sfn-lab-home-"));
      const env: NodeJS.ProcessEnv = { HOME: home, AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: path.join(home, "none"), AWS_SHARED_CREDENTIALS_FILE: path.join(home, "none") };
      for (const key of Object.keys(process.env)) if (key.startsWith("AWS_") && !(key in env)) env[key] = "";
      try {
        const result = run(["callbacks", "--target", "aws", "--outputs", outputsFile()], { env });
        assert.equal(result.status, 1);
        assert.equal(result.stderrLines.length, 1, JSON.stringify(result.stderrLines));
        assert.match(result.stderrLines[0], /^No AWS credentials found for --target aws: run `aws configure` .*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });

    it("on a Node.js older than 22 (package engines) prints one line saying what to do and exits 2, before loading anything", function () {
      const systemNode = ["/usr/bin/node", "/usr/local/bin/node"].find((candidate) => {
        const version = spawnSync(candidate, ["--version"], { encoding: "utf8" });
        return version.status === 0 && Number(/^v(\d+)/.exec(version.stdout)?.[1]) < 22;
      });
      if (!systemNode) this.skip();
      const result = spawnSync(systemNode, [BIN, "lint", "x.json"], { encoding: "utf8", cwd: ROOT });
      assert.equal(result.status, 2);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, /^sfn-lab needs Node\.js 22 or newer; this is Node\.js 2\d\.\d+\.\d+\. Run it through npm, .*`npx sfn-lab \.\.\.`.*\n$/);
      assert.equal(result.stderr.trim().split("\n").length, 1);
    });
  });

  describe("lazy loading", function () {
    it("lint loads no Pulumi, AWS SDK or sandbox module", function () {
      const file = path.join(stateDir, "one.asl.json");
      writeFileSync(file, JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", End: true } } }));
      const { run: result, modules } = loadedModules(["lint", file]);
      assert.equal(result.status, 0, result.stderrLines.join("\n"));
      assert.ok(modules.some((m) => /policy[/\\]analysis/.test(m)), "the analysis core ran");
      assert.deepEqual(pulumiModules(modules), []);
      assert.deepEqual(modules.filter((m) => m.includes(`@aws-sdk${path.sep}`)), []);
      assert.deepEqual(modules.filter((m) => /(^|[/\\])sandbox[/\\]/.test(m)), []);
    });

    it("--help loads commander and the command tree only", function () {
      const { run: result, modules } = loadedModules(["--help"]);
      assert.equal(result.status, 0);
      assert.match(result.stdout, /Usage: sfn-lab/);
      for (const command of ["demo", "run", "callbacks", "approve", "lint", "sandbox", "etl", "cost"]) assert.match(result.stdout, new RegExp(`\\n  ${command}\\b`));
      const thirdParty = new Set(modules.filter((m) => m.includes("node_modules")).map((m) => /node_modules[/\\]((@[^/\\]+[/\\])?[^/\\]+)/.exec(m)?.[1]));
      thirdParty.delete("ts-node"); // running from sources, bin.js registers it (and its own dependencies)
      for (const name of [...thirdParty]) if (!name?.startsWith("commander")) assert.ok(!/^(@pulumi|@aws-sdk|aws-local-stepfunctions|s3rver|asl-validator|ajv)/.test(name ?? ""), `--help loaded ${name}`);
      assert.ok(thirdParty.has("commander"));
    });

    it("a state command against a running-sandbox check loads no Pulumi", function () {
      const { run: result, modules } = loadedModules(["callbacks"], { SFN_LAB_SANDBOX_DIR: stateDir });
      assert.equal(result.status, 1);
      assert.deepEqual(pulumiModules(modules), []);
    });
  });

  describe("commands that need a running sandbox", function () {
    const refusal = (command: string, why: string) =>
      `${why} \`sfn-lab ${command}\` reads what a running sandbox keeps: start one with \`npx sfn-lab sandbox up\` in another terminal, then run it again`;

    it("callbacks, approve, reject, etl status and watch refuse without one, naming the command that starts one", function () {
      const cases: Array<[string, string[]]> = [
        ["callbacks", ["callbacks"]],
        ["approve", ["approve", "some-execution"]],
        ["reject", ["reject", "some-execution", "--error", "E", "--cause", "c"]],
        ["etl status", ["etl", "status"]],
        ["watch", ["watch", "some-execution"]],
      ];
      for (const [name, args] of cases) {
        const result = run(args, { env: { SFN_LAB_SANDBOX_DIR: stateDir } });
        assert.equal(result.status, 1, name);
        assert.deepEqual(result.stderrLines, [refusal(name, "No sandbox is running.")]);
      }
    });

    it("a connection file whose process is dead is reported as stale", async function () {
      const dead = spawn(process.execPath, ["-e", ""]);
      const pid = dead.pid as number;
      await new Promise((resolve) => dead.once("exit", resolve));
      const file = path.join(stateDir, "sandbox.json");
      writeFileSync(file, JSON.stringify({ pid, endpoints: { sfn: "http://127.0.0.1:9", glue: "http://127.0.0.1:9", s3: "http://127.0.0.1:9" } }));
      const result = run(["callbacks"], { env: { SFN_LAB_SANDBOX_DIR: stateDir } });
      assert.equal(result.status, 1);
      assert.deepEqual(result.stderrLines, [refusal("callbacks", `The connection file ${file} is stale: its process ${pid} is not running (killed?).`)]);
    });

    it("a connection file whose port refuses is reported as stale, even when its pid is alive (reused)", async function () {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      await new Promise((resolve) => server.close(resolve));
      const endpoint = `http://127.0.0.1:${port}`;
      const file = path.join(stateDir, "sandbox.json");
      writeFileSync(file, JSON.stringify({ pid: process.pid, endpoints: { sfn: endpoint, glue: endpoint, s3: endpoint } }));
      const result = run(["etl", "status"], { env: { SFN_LAB_SANDBOX_DIR: stateDir } });
      assert.equal(result.status, 1);
      assert.deepEqual(result.stderrLines, [
        refusal("etl status", `The connection file ${file} is stale: nothing answers at ${endpoint} (process ${process.pid} is not that sandbox).`),
      ]);
    });
  });
});
