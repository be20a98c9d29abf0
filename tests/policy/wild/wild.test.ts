/**
 * The acceptance corpus through all four entry points: the analysis itself, `sfn-lab lint`, the policy
 * pack's own policy objects (as the Pulumi policy server calls them) and the offline policy:check, and
 * ValidatedStateMachine's construction-time check. Each gives the verdict written in the corpus.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ResourceValidationArgs, unknownCheckingProxy } from "@pulumi/policy";
import { parse as parseYaml } from "yaml";
import { runLint } from "../../../cli/commands/lint";
import { checkDefinition, StateMachineDefinitionError } from "../../../components/validatedStateMachine";
import { analyzeDefinition } from "../../../policy/analysis";
import { evaluateResources } from "../../../policy/offline";
import { createPolicies, STATE_MACHINE_TYPES } from "../../../policy/policies";
import { WILD, WildCase } from "./corpus";

const isYaml = (c: WildCase) => /\.ya?ml$/.test(c.file);

/** The definition as the Pulumi program holds it: JSON text (a YAML file's value serialized). */
function definitionText(c: WildCase): string {
  return isYaml(c) ? JSON.stringify(parseYaml(c.text)) : c.text;
}

/** `[rule] state "A > B": ...` or `[rule] definition: ...`, as the pack describes a finding. */
function packVerdict(level: string, message: string): string {
  const match = /\[([a-z-]+)\] (?:state "(.*?)"|definition): /.exec(message);
  assert.ok(match, `not a finding: ${message}`);
  return `${level} ${match[1]} ${match[2] ?? ""}`.trimEnd();
}

const sorted = (verdicts: string[]) => [...verdicts].sort();

function analysisVerdict(c: WildCase): string[] {
  const findings = analyzeDefinition(c.text, { format: isYaml(c) ? "yaml" : "json", workflowType: c.workflowType }).findings;
  return sorted(findings.map((f) => `${f.level} ${f.rule} ${f.state}`.trimEnd()));
}

function pulumiArgs(name: string, props: Record<string, unknown>): ResourceValidationArgs {
  return {
    type: STATE_MACHINE_TYPES.aws,
    props: unknownCheckingProxy(props) as Record<string, unknown>,
    urn: `urn:pulumi:dev::wild::${STATE_MACHINE_TYPES.aws}::${name}`,
    name,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    stackTags: new Map(),
    isType: () => false,
    asType: (() => undefined) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  };
}

async function packVerdicts(c: WildCase): Promise<string[]> {
  const out: string[] = [];
  for (const policy of createPolicies()) {
    const validate = policy.validateResource;
    if (!validate || Array.isArray(validate)) throw new Error(`${policy.name} has no single validateResource`);
    await validate(pulumiArgs(c.file, { definition: definitionText(c), type: c.workflowType ?? "STANDARD" }), (message) =>
      out.push(packVerdict(policy.enforcementLevel ?? "advisory", message)),
    );
  }
  return sorted(out);
}

async function offlineVerdicts(c: WildCase): Promise<string[]> {
  const report = await evaluateResources([{ type: STATE_MACHINE_TYPES.aws, name: c.file, props: { definition: definitionText(c), type: c.workflowType ?? "STANDARD" } }]);
  return sorted(report.resources[0].diagnostics.map((d) => packVerdict(d.enforcementLevel, d.message.slice(d.message.indexOf("[")))));
}

function validatedStateMachineVerdicts(c: WildCase): string[] {
  const out: string[] = [];
  const line = /\[([a-z-]+)\] at "(.*?)"/;
  try {
    const checked = checkDefinition(c.file, isYaml(c) ? parseYaml(c.text) : c.text, c.workflowType ?? "STANDARD", []);
    for (const warning of checked.warnings) {
      const m = line.exec(warning);
      if (m) out.push(`advisory ${m[1]} ${m[2]}`.trimEnd());
    }
  } catch (err) {
    if (!(err instanceof StateMachineDefinitionError)) throw err;
    for (const text of err.message.split("\n").filter((l) => l.startsWith("  - "))) {
      const m = line.exec(text);
      if (m) out.push(`mandatory ${m[1]} ${m[2] === "(definition)" ? "" : m[2]}`.trimEnd());
    }
    // The advisory findings are not in the error; the analysis gives them to the component as warnings.
    for (const verdict of analysisVerdict(c)) if (verdict.startsWith("advisory ")) out.push(verdict);
  }
  return sorted(out);
}

describe("acceptance corpus: definitions in the shapes of AWS's documentation and public repositories", function () {
  this.timeout(60_000);
  let dir: string;
  let linted: Map<string, string[]>;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sfn-wild-"));
    for (const c of WILD) fs.writeFileSync(path.join(dir, c.file), c.text);
    const run = runLint([dir], { format: "json" });
    const files = (JSON.parse(run.output) as { files: Array<{ path: string; error: string | null; findings: Array<{ rule: string; level: string; state: string }> }> }).files;
    linted = new Map(files.map((f) => [path.basename(f.path), f.error !== null ? [`error ${f.error}`] : sorted(f.findings.map((x) => `${x.level} ${x.rule} ${x.state}`.trimEnd()))]));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("names a source for every case, each file once", () => {
    const sources = fs.readFileSync(path.join(__dirname, "SOURCES.md"), "utf8");
    for (const c of WILD) assert.ok(sources.includes(`| ${c.source} |`), `${c.file}: source ${c.source} is not in SOURCES.md`);
    assert.strictEqual(new Set(WILD.map((c) => c.file)).size, WILD.length);
  });

  for (const c of WILD) {
    it(`${c.file}: ${c.expected.length === 0 ? "clean" : c.expected.join("; ")} (${c.reason})`, async () => {
      const expected = sorted(c.expected);
      assert.deepStrictEqual(analysisVerdict(c), expected, "analysis");
      assert.deepStrictEqual(linted.get(c.file), expected, "sfn-lab lint");
      assert.deepStrictEqual(await packVerdicts(c), expected, "policy pack");
      assert.deepStrictEqual(await offlineVerdicts(c), expected, "offline policy:check");
      assert.deepStrictEqual(validatedStateMachineVerdicts(c), expected, "ValidatedStateMachine");
    });
  }
});
