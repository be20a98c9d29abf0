import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RULE_IDS } from "../../policy/analysis";
import { runLint } from "../../cli/commands/lint";

const BIN = path.join(__dirname, "..", "..", "cli", "bin.js");

const SYNC_GLUE = {
  StartAt: "StartEtl",
  States: { StartEtl: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "j" }, TimeoutSeconds: 600, End: true } },
};
const RR_GLUE_TEXT = [
  "{",
  '  "StartAt": "Fan out",',
  '  "States": {',
  '    "Fan out": {',
  '      "Type": "Parallel",',
  '      "Branches": [',
  '        { "StartAt": "Noop", "States": { "Noop": { "Type": "Pass", "End": true } } },',
  '        { "StartAt": "StartEtl", "States": {',
  '          "StartEtl": { "Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun", "End": true } } }',
  "      ],",
  '      "End": true',
  "    }",
  "  }",
  "}",
].join("\n");
const CALLBACK_YAML = [
  "StartAt: Ask",
  "States:",
  "  Ask:",
  "    Type: Task",
  "    Resource: arn:aws:states:::lambda:invoke.waitForTaskToken",
  "    Parameters:",
  "      FunctionName: approve",
  "    TimeoutSeconds: 600",
  "    HeartbeatSeconds: 60",
  "    End: true",
  "",
].join("\n");

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
    logicalLocations?: Array<{ fullyQualifiedName: string }>;
  }>;
}

interface JsonReport {
  files: Array<{ path: string; error: string | null; findings: Array<Record<string, string>> }>;
}

describe("sfn-lab lint", () => {
  let dir: string;
  const file = (name: string, content: string | Buffer): string => {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    return full;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sfn-lint-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exits 0 for clean files and for advisory findings only", () => {
    const clean = file("clean.asl.json", JSON.stringify(SYNC_GLUE));
    assert.strictEqual(runLint([clean]).exitCode, 0);
    const advisory = file("advisory.asl.json", JSON.stringify({ ...SYNC_GLUE, States: { StartEtl: { ...SYNC_GLUE.States.StartEtl, TimeoutSeconds: undefined } } }));
    const run = runLint([advisory], { format: "json" });
    assert.strictEqual(run.exitCode, 0);
    assert.deepStrictEqual(
      (JSON.parse(run.output) as JsonReport).files[0].findings.map((f) => `${f.level} ${f.rule}`),
      ["advisory waiting-task-has-timeout"],
    );
  });

  it("exits 1 on a mandatory finding and reports it in the documented JSON shape", () => {
    const rr = file("rr.asl.json", RR_GLUE_TEXT);
    const run = runLint([rr], { format: "json" });
    assert.strictEqual(run.exitCode, 1);
    assert.deepStrictEqual(JSON.parse(run.output), {
      files: [
        {
          path: rr,
          error: null,
          findings: [
            {
              rule: "glue-task-must-wait",
              level: "mandatory",
              state: "Fan out > Branch 2 > StartEtl",
              message: run.report.files[0].findings[0].message,
            },
          ],
        },
      ],
    });
    assert.match(run.report.files[0].findings[0].message, /`arn:aws:states:::glue:startJobRun.sync`/);
  });

  it("exits 2 when a file cannot be parsed, still checks the others, and 2 wins over 1", () => {
    const broken = file("broken.json", '{\n  "StartAt": "A",\n  "States": nope\n}');
    const rr = file("rr.asl.json", RR_GLUE_TEXT);
    const run = runLint([broken, rr], { format: "json" });
    assert.strictEqual(run.exitCode, 2);
    const report = JSON.parse(run.output) as JsonReport;
    assert.strictEqual(report.files[0].error, "line 3, column 14: invalid JSON: Unexpected token 'o'");
    assert.deepStrictEqual(report.files[0].findings, []);
    assert.strictEqual(report.files[1].findings[0].rule, "glue-task-must-wait");
  });

  it("gives binary, empty, non-UTF-8 and missing files a clear error (exit 2)", () => {
    const run = runLint(
      [
        file("image.asl.json", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01])),
        file("empty.asl.json", ""),
        file("latin1.json", Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d])),
        path.join(dir, "missing.asl.json"),
      ],
      { format: "json" },
    );
    assert.strictEqual(run.exitCode, 2);
    assert.deepStrictEqual(
      (JSON.parse(run.output) as JsonReport).files.map((f) => f.error),
      ["is a binary file, not an ASL definition (JSON or YAML text)", "the definition is empty", "is not UTF-8 text", "no such file or directory"],
    );
  });

  it("walks directories: .asl files always, plain JSON/YAML only when they look like ASL, never node_modules", () => {
    file("workflows/a.asl.json", JSON.stringify(SYNC_GLUE));
    file("workflows/nested/b.json", RR_GLUE_TEXT);
    file("workflows/nested/c.asl.yaml", CALLBACK_YAML);
    file("workflows/package.json", '{"name": "x", "version": "1.0.0"}');
    file("workflows/node_modules/dep/d.asl.json", "not even json");
    file("workflows/.cache/e.asl.json", "not even json");
    const run = runLint([path.join(dir, "workflows")], { format: "json" });
    assert.deepStrictEqual(
      (JSON.parse(run.output) as JsonReport).files.map((f) => path.relative(dir, f.path).split(path.sep).join("/")),
      ["workflows/a.asl.json", "workflows/nested/b.json", "workflows/nested/c.asl.yaml"],
    );
    assert.deepStrictEqual(run.report.skipped.map((p) => path.basename(p)), ["package.json"]);
    assert.strictEqual(run.exitCode, 1);
  });

  it("--workflow-type EXPRESS refuses .sync", () => {
    const clean = file("clean.asl.json", JSON.stringify(SYNC_GLUE));
    const run = runLint([clean], { format: "json", workflowType: "EXPRESS" });
    assert.strictEqual(run.exitCode, 1);
    assert.strictEqual((JSON.parse(run.output) as JsonReport).files[0].findings[0].rule, "integration-pattern-supported");
  });

  it("writes SARIF 2.1.0 for code scanning: rules with help, results at the state's line and column", () => {
    const rr = file("wf/rr.asl.json", RR_GLUE_TEXT);
    const yaml = file("wf/cb.asl.yaml", CALLBACK_YAML);
    const broken = file("wf/broken.json", '{"StartAt": "A",\n "States": x}');
    const sarif = JSON.parse(runLint([rr, yaml, broken], { format: "sarif", cwd: dir }).output);
    assert.strictEqual(sarif.version, "2.1.0");
    assert.match(sarif.$schema, /sarif-2\.1\.0\.json$/);
    const run = sarif.runs[0];
    assert.deepStrictEqual(
      run.tool.driver.rules.map((r: { id: string }) => r.id),
      [...RULE_IDS],
    );
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.help.text && rule.shortDescription.text && ["error", "warning"].includes(rule.defaultConfiguration.level), rule.id);
    }
    const summary = (run.results as SarifResult[]).map((r) => ({
      rule: r.ruleId,
      level: r.level,
      uri: r.locations[0].physicalLocation.artifactLocation.uri,
      line: r.locations[0].physicalLocation.region.startLine,
      column: r.locations[0].physicalLocation.region.startColumn,
      state: r.locations[0].logicalLocations?.[0]?.fullyQualifiedName,
    }));
    assert.deepStrictEqual(summary, [
      // The Resource key of the nested StartEtl state.
      { rule: "glue-task-must-wait", level: "error", uri: "wf/rr.asl.json", line: 9, column: 41, state: "Fan out > Branch 2 > StartEtl" },
      // The Parameters key in the YAML file.
      { rule: "callback-must-pass-token", level: "error", uri: "wf/cb.asl.yaml", line: 6, column: 5, state: "Ask" },
      { rule: "definition-is-valid", level: "error", uri: "wf/broken.json", line: 2, column: 12, state: undefined },
    ]);
    for (const r of run.results as SarifResult[]) assert.strictEqual(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
  });

  it("reports advisory findings as SARIF warnings and unreadable files as notifications", () => {
    const advisory = file("adv.asl.json", JSON.stringify({ ...SYNC_GLUE, States: { StartEtl: { ...SYNC_GLUE.States.StartEtl, TimeoutSeconds: undefined } } }));
    const sarif = JSON.parse(runLint([advisory, path.join(dir, "gone.json")], { format: "sarif", cwd: dir }).output);
    assert.deepStrictEqual(
      sarif.runs[0].results.map((r: { level: string }) => r.level),
      ["warning"],
    );
    assert.strictEqual(sarif.runs[0].invocations[0].executionSuccessful, false);
    assert.match(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text, /gone\.json: no such file or directory/);
  });

  describe("the bin", function () {
    this.timeout(120_000);
    const lint = (...args: string[]) => spawnSync(process.execPath, [BIN, "lint", ...args], { encoding: "utf8", cwd: dir });

    it("prints exactly one JSON document and exits with the lint code", () => {
      file("rr.asl.json", RR_GLUE_TEXT);
      file("ok.asl.json", JSON.stringify(SYNC_GLUE));
      const result = lint("--format", "json", ".");
      assert.strictEqual(result.status, 1, result.stderr);
      const report = JSON.parse(result.stdout) as JsonReport;
      assert.deepStrictEqual(
        report.files.map((f) => [f.path, f.findings.length]),
        [
          ["ok.asl.json", 0],
          ["rr.asl.json", 1],
        ],
      );
    });

    it("exits 2 for a binary file with a one-line message and no stack trace", () => {
      file("bin.asl.json", Buffer.from([0, 1, 2, 3]));
      const result = lint("bin.asl.json");
      assert.strictEqual(result.status, 2);
      assert.match(result.stdout, /bin\.asl\.json\n {2}error {2}is a binary file/);
      assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at /);
    });

    it("exits 0 for a clean file", () => {
      file("ok.asl.json", JSON.stringify(SYNC_GLUE));
      const result = lint("ok.asl.json");
      assert.strictEqual(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /1 file checked: 0 mandatory, 0 advisory, 0 files unreadable or unparsable\./);
    });
  });
});
