/**
 * No single file can break `sfn-lab lint`: a pathological file gets its own clear error (exit 2) and every
 * other file is still checked and reported, in every format. Step Functions' own limit is 1 MB of
 * definition ("Step Functions service quotas": maximum definition size); the depth, alias and file-size
 * bounds are the linter's own, each named in its message.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runLint } from "../../cli/commands/lint";
import { MAX_LINT_FILE_BYTES } from "../../cli/lint/lint-file";
import { analyzeDefinition, MAX_DEFINITION_BYTES } from "../../policy/analysis";
import { MAX_NESTING_DEPTH } from "../../policy/analysis/parse";

const BIN = path.join(__dirname, "..", "..", "cli", "bin.js");

const PLAIN_GLUE = JSON.stringify({ StartAt: "S", States: { S: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun", Parameters: { JobName: "j" }, End: true } } });

/** A Parallel state nested `levels` deep, as JSON text. */
function nestedParallel(levels: number): string {
  let scope = '{"StartAt":"L","States":{"L":{"Type":"Pass","End":true}}}';
  for (let i = 0; i < levels; i++) scope = `{"StartAt":"P${i}","States":{"P${i}":{"Type":"Parallel","Branches":[${scope}],"End":true}}}`;
  return scope;
}

/** The classic YAML alias bomb: each level holds ten aliases of the previous one (10^9 strings expanded). */
function aliasBomb(): string {
  const lines = ['a: &a ["lol"]'];
  const names = "bcdefghij";
  for (let i = 0; i < names.length; i++) {
    const prev = i === 0 ? "a" : names[i - 1];
    lines.push(`${names[i]}: &${names[i]} [${Array(10).fill(`*${prev}`).join(", ")}]`);
  }
  lines.push("StartAt: S", "States: { S: { Type: Pass, End: true } }");
  return lines.join("\n");
}

interface JsonReport {
  files: Array<{ path: string; error: string | null; findings: Array<{ rule: string; level: string; message: string }> }>;
}

describe("sfn-lab lint: no single file can break it", function () {
  this.timeout(60_000);
  let dir: string;
  const file = (name: string, content: string): string => {
    const full = path.join(dir, name);
    fs.writeFileSync(full, content);
    return full;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sfn-lint-robust-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`refuses JSON nested 1,000 and 10,000 levels deep (bound ${MAX_NESTING_DEPTH}) with its own error, and checks the others`, () => {
    const deep = file("deep.asl.json", nestedParallel(1000));
    const deeper = file("deeper.asl.json", `${"[".repeat(10_000)}${"]".repeat(10_000)}`);
    const plain = file("plain.asl.json", PLAIN_GLUE);
    const run = runLint([deep, deeper, plain], { format: "json" });
    const files = (JSON.parse(run.output) as JsonReport).files;
    assert.strictEqual(run.exitCode, 2);
    assert.match(files[0].error ?? "", /nest more than 512 levels deep/);
    assert.match(files[1].error ?? "", /nest more than 512 levels deep/);
    assert.deepStrictEqual(files[2].findings.map((f) => f.rule), ["glue-task-must-wait"]);
  });

  it("analyses 26 nested Parallel states (the shape that used to take minutes) and reports each level's own error", () => {
    // Every level's Parallel state carries a bad InputPath: 26 schema errors, each at its own state.
    let scope: object = { StartAt: "L", States: { L: { Type: "Pass", End: true } } };
    for (let i = 0; i < 26; i++) scope = { StartAt: `P${i}`, States: { [`P${i}`]: { Type: "Parallel", InputPath: "$..[", Branches: [scope], End: true } } };
    const errors = analyzeDefinition(scope).findings.filter((f) => f.rule === "definition-is-valid" && f.pointer.endsWith("/InputPath"));
    assert.strictEqual(errors.length, 26, errors.map((f) => f.pointer).join("\n"));
    assert.strictEqual(new Set(errors.map((f) => f.pointer)).size, 26);
  });

  it("reports every schema error of a state at its own field, unknown fields by name, and no noise from the forms the state is not", () => {
    // Pass has no Nxt field; InputPath and OutputPath must be Paths; TimeoutSeconds is a positive integer;
    // a Parameters ".$" value must be a path (Amazon States Language, "Pass" and "Task" states).
    const definition = {
      StartAt: "A",
      States: {
        A: { Type: "Pass", InputPath: "$..[", OutputPath: "$$$", Nxt: "B", Next: "B" },
        B: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { "a.$": "$..[" }, TimeoutSeconds: -5, End: true },
      },
    };
    const findings = analyzeDefinition(definition).findings.filter((f) => f.rule === "definition-is-valid");
    assert.deepStrictEqual(findings.map((f) => f.pointer), ["/States/A/InputPath", "/States/A/OutputPath", "/States/A/Nxt", "/States/B/Parameters/a.$", "/States/B/TimeoutSeconds"]);
    assert.match(findings[2].message, /"Nxt" is not a field of a Pass state/);
    assert.ok(!findings.some((f) => /Type is invalid|QueryLanguage is invalid/.test(f.message)), findings.map((f) => f.message).join("\n"));
  });

  it("refuses a YAML alias bomb and YAML nested 10,000 levels deep, and checks the others", () => {
    const bomb = file("bomb.asl.yaml", aliasBomb());
    const deep = file("deep.asl.yaml", `StartAt: S\nStates: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`);
    const plain = file("plain.asl.json", PLAIN_GLUE);
    const run = runLint([bomb, deep, plain], { format: "json" });
    const files = (JSON.parse(run.output) as JsonReport).files;
    assert.strictEqual(run.exitCode, 2);
    assert.match(files[0].error ?? "", /aliases expand to more than 100/);
    assert.match(files[1].error ?? "", /nest more than 512 levels deep|invalid YAML/);
    assert.strictEqual(files[2].findings.length, 1);
  });

  it("reports a definition with a 5 MB string as over Step Functions' 1 MB limit (a finding, exit 1)", () => {
    const big = file("big.asl.json", JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: "x".repeat(5 * 1_048_576), End: true } } }));
    const run = runLint([big], { format: "json" });
    const [only] = (JSON.parse(run.output) as JsonReport).files;
    assert.strictEqual(run.exitCode, 1);
    assert.strictEqual(only.error, null);
    assert.deepStrictEqual(only.findings.map((f) => `${f.level} ${f.rule}`), ["mandatory definition-is-valid"]);
    assert.match(only.findings[0].message, new RegExp(`accepts at most ${MAX_DEFINITION_BYTES.toLocaleString("en-US")}`));
  });

  it("reads only regular files: a FIFO and /dev/zero each get their own error, without blocking", function () {
    const fifo = path.join(dir, "pipe.asl.json");
    if (spawnSync("mkfifo", [fifo]).status !== 0) this.skip();
    const plain = file("plain.asl.json", PLAIN_GLUE);
    const targets = [fifo, ...(fs.existsSync("/dev/zero") ? ["/dev/zero"] : []), plain];
    for (const format of ["text", "json", "sarif"] as const) {
      const run = runLint(targets, { format, cwd: dir });
      assert.strictEqual(run.exitCode, 2, format);
      assert.match(run.report.files[0].error ?? "", /is not a regular file \(a FIFO\)/);
      if (targets.length === 3) assert.match(run.report.files[1].error ?? "", /is not a regular file \(a character device\)/);
      assert.strictEqual(run.report.files[targets.length - 1].findings[0]?.rule, "glue-task-must-wait", format);
      if (format === "text") {
        assert.match(run.output, /pipe\.asl\.json\n {2}error {2}is not a regular file/);
        assert.match(run.output, /glue-task-must-wait/);
      }
      if (format === "sarif") {
        const sarif = JSON.parse(run.output) as { runs: Array<{ results: Array<{ ruleId: string }>; invocations: Array<{ toolExecutionNotifications: unknown[] }> }> };
        assert.deepStrictEqual(sarif.runs[0].results.map((r) => r.ruleId), ["glue-task-must-wait"]);
        assert.strictEqual(sarif.runs[0].invocations[0].toolExecutionNotifications.length, targets.length - 1);
      }
    }
  });

  it("refuses a file over the 16 MB it reads, before reading it, and checks the others", () => {
    const huge = path.join(dir, "huge.asl.json");
    fs.writeFileSync(huge, "");
    fs.truncateSync(huge, MAX_LINT_FILE_BYTES + 1); // sparse: nothing is written
    const plain = file("plain.asl.json", PLAIN_GLUE);
    const run = runLint([huge, plain], { format: "json" });
    assert.strictEqual(run.exitCode, 2);
    assert.match(run.report.files[0].error ?? "", /more than the linter reads \(16,777,216\); a Step Functions definition is at most 1 MB/);
    assert.strictEqual(run.report.files[1].findings[0]?.rule, "glue-task-must-wait");
  });

  it("exits 2 when no ASL file is found where pointed (an empty folder, only non-ASL JSON)", () => {
    fs.mkdirSync(path.join(dir, "empty"));
    file("package.json", '{"name": "x"}');
    assert.strictEqual(runLint([path.join(dir, "empty")]).exitCode, 2);
    const run = runLint([dir]);
    assert.strictEqual(run.exitCode, 2);
    assert.match(run.output, /No ASL files found; 1 file skipped/);
  });

  it("the bin exits 2 on a bad --format, with a one-line usage message", () => {
    const plain = file("plain.asl.json", PLAIN_GLUE);
    const result = spawnSync(process.execPath, [BIN, "lint", "--format", "xml", plain], { encoding: "utf8" });
    assert.strictEqual(result.status, 2, result.stderr);
    assert.match(result.stderr, /--format must be one of text, json, sarif, not "xml"/);
    assert.strictEqual(result.stdout, "");
  });
});
