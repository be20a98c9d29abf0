import * as assert from "assert";
import { createRequire } from "module";
import * as path from "path";
import { ResourceValidationArgs, ResourceValidationPolicy, unknownCheckingProxy } from "@pulumi/policy";
import { RULE_IDS } from "../../policy/analysis";
import { evaluateResources, formatEvaluationReport, loadPolicyConfig, PolicyDiagnostic } from "../../policy/offline";
import { createPolicies, parseExemptions, PolicyConfigError, STATE_MACHINE_TYPES } from "../../policy/policies";
import { LAB_MACHINES } from "./corpus";

/** Pulumi's marker for a string whose value is not known during preview. */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const DEV_CONFIG = path.join(__dirname, "..", "..", "policy", "policy-config.dev.json");

interface Reported {
  policy: string;
  message: string;
}

/** The argument bag @pulumi/policy's server passes to validateResource, for one resource. */
function pulumiArgs(type: string, name: string, props: Record<string, unknown>, config: Record<string, unknown> = {}): ResourceValidationArgs {
  const proxied = unknownCheckingProxy(props) as Record<string, unknown>;
  return {
    type,
    props: proxied,
    urn: `urn:pulumi:dev::sfn-integration-patterns::${type}::${name}`,
    name,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    stackTags: new Map(),
    isType: () => false,
    asType: (() => undefined) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  };
}

/** Calls each policy in pack order, as Pulumi does, each with its own config. */
async function runPolicies(
  policies: ResourceValidationPolicy[],
  type: string,
  name: string,
  props: Record<string, unknown>,
  config: Record<string, Record<string, unknown>> = {},
): Promise<Reported[]> {
  const reported: Reported[] = [];
  for (const policy of policies) {
    const validate = policy.validateResource;
    if (!validate || Array.isArray(validate)) throw new Error(`${policy.name} has no single validateResource`);
    await validate(pulumiArgs(type, name, props, config[policy.name]), (message) => reported.push({ policy: policy.name, message }));
  }
  return reported;
}

const awsMachine = (definition: object, type = "STANDARD") => ({ definition: JSON.stringify(definition), type, roleArn: "arn:aws:iam::123456789012:role/r" });

describe("policy pack: policies", () => {
  it("has one policy per rule, named by the rule id, after the two advisory companions", () => {
    const policies = createPolicies();
    assert.deepStrictEqual(
      policies.map((p) => p.name),
      ["exempted-findings", "definition-not-yet-known", ...RULE_IDS],
    );
    const levels = Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel]));
    assert.deepStrictEqual(levels, {
      "exempted-findings": "advisory",
      "definition-not-yet-known": "advisory",
      "glue-task-must-wait": "mandatory",
      "integration-pattern-supported": "mandatory",
      "callback-must-pass-token": "mandatory",
      "waiting-task-has-timeout": "advisory",
      "definition-is-valid": "mandatory",
      "async-job-should-wait": "advisory",
      "polling-loop-reads-the-run": "advisory",
    });
  });

  it("without config: a request-response Glue machine is reported by glue-task-must-wait", async () => {
    const reported = await runPolicies(createPolicies(), STATE_MACHINE_TYPES.aws, "request-response", awsMachine(LAB_MACHINES["request-response"]));
    assert.deepStrictEqual(
      reported.map((r) => r.policy),
      ["glue-task-must-wait"],
    );
    assert.match(reported[0].message, /^\[glue-task-must-wait\] state "StartEtl": .*change `arn:aws:states:::glue:startJobRun` to `arn:aws:states:::glue:startJobRun.sync`/);
  });

  it("with the dev config: the exemption turns it into an advisory report with the reason", async () => {
    const config = loadPolicyConfig(DEV_CONFIG) as Record<string, Record<string, unknown>>;
    const reported = await runPolicies(createPolicies(), STATE_MACHINE_TYPES.aws, "request-response", awsMachine(LAB_MACHINES["request-response"]), config);
    assert.deepStrictEqual(
      reported.map((r) => r.policy),
      ["exempted-findings"],
    );
    assert.match(reported[0].message, /^Exempted \(teaching machine: shows that request-response does not wait for Glue\): \[glue-task-must-wait\] state "StartEtl"/);
  });

  it("the exemption is for that resource only", async () => {
    const config = loadPolicyConfig(DEV_CONFIG) as Record<string, Record<string, unknown>>;
    const reported = await runPolicies(createPolicies(), STATE_MACHINE_TYPES.aws, "another-machine", awsMachine(LAB_MACHINES["request-response"]), config);
    assert.deepStrictEqual(
      reported.map((r) => r.policy),
      ["glue-task-must-wait"],
    );
  });

  it("an exemption without a rule covers every rule; without a reason it is refused", async () => {
    const config = { "exempted-findings": { exemptions: [{ resource: "m", reason: "legacy, replaced next quarter" }] } };
    const definition = { StartAt: "A", States: { A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", End: true } } };
    const reported = await runPolicies(createPolicies(), STATE_MACHINE_TYPES.aws, "m", awsMachine(definition), config);
    assert.deepStrictEqual(
      reported.map((r) => r.policy),
      ["exempted-findings", "exempted-findings"],
    );
    assert.throws(() => parseExemptions({ exemptions: [{ resource: "m", rule: "glue-task-must-wait" }] }), PolicyConfigError);
    assert.throws(() => parseExemptions({ exemptions: [{ resource: "m", rule: "no-such-rule", reason: "x" }] }), /not a rule id/);
  });

  it("the run-job and wait-for-callback machines are clean", async () => {
    for (const name of ["run-job", "wait-for-callback"] as const) {
      assert.deepStrictEqual(await runPolicies(createPolicies(), STATE_MACHINE_TYPES.aws, name, awsMachine(LAB_MACHINES[name])), [], name);
    }
  });

  it("an unknown definition at preview gets an advisory 'not checked until known', and nothing crashes", async () => {
    const reported = await runPolicies(createPolicies(), STATE_MACHINE_TYPES.aws, "request-response", { definition: UNKNOWN_STRING, type: "STANDARD" });
    assert.deepStrictEqual(
      reported.map((r) => r.policy),
      ["definition-not-yet-known"],
    );
    assert.match(reported[0].message, /not checked until the value is known/);
    const missing = await runPolicies(createPolicies(), STATE_MACHINE_TYPES.aws, "m", { type: "STANDARD" });
    assert.deepStrictEqual(
      missing.map((r) => r.policy),
      ["definition-not-yet-known"],
    );
  });

  it("uses the machine's type: EXPRESS refuses .sync", async () => {
    const reported = await runPolicies(createPolicies(), STATE_MACHINE_TYPES.aws, "fast", awsMachine(LAB_MACHINES["run-job"], "EXPRESS"));
    assert.deepStrictEqual(
      reported.map((r) => r.policy),
      ["integration-pattern-supported"],
    );
  });

  it("checks aws-native machines: definition object with substitutions, or definitionString", async () => {
    const definition = { StartAt: "S", States: { S: { Type: "Task", Resource: "${GlueStart}", Parameters: { JobName: "j" }, End: true } } };
    const fromObject = await runPolicies(createPolicies(), STATE_MACHINE_TYPES.awsNative, "native", {
      definition,
      definitionSubstitutions: { GlueStart: "arn:aws:states:::glue:startJobRun" },
      stateMachineType: "STANDARD",
    });
    assert.deepStrictEqual(
      fromObject.map((r) => r.policy),
      ["glue-task-must-wait"],
    );
    const fromString = await runPolicies(createPolicies(), STATE_MACHINE_TYPES.awsNative, "native", {
      definitionString: JSON.stringify(LAB_MACHINES["run-job"]),
      stateMachineType: "EXPRESS",
    });
    assert.deepStrictEqual(
      fromString.map((r) => r.policy),
      ["integration-pattern-supported"],
    );
  });

  it("an aws-native definition with an unknown value inside is not checked until known", async () => {
    const definition = { StartAt: "S", States: { S: { Type: "Task", Resource: UNKNOWN_STRING, End: true } } };
    const reported = await runPolicies(createPolicies(), STATE_MACHINE_TYPES.awsNative, "native", { definition });
    assert.deepStrictEqual(
      reported.map((r) => r.policy),
      ["definition-not-yet-known"],
    );
  });

  it("ignores other resource types", async () => {
    assert.deepStrictEqual(await runPolicies(createPolicies(), "aws:s3/bucketV2:BucketV2", "b", { definition: "{}" }), []);
  });

  it("an invalid definition is reported by definition-is-valid, never thrown", async () => {
    const reported = await runPolicies(createPolicies(), STATE_MACHINE_TYPES.aws, "broken", { definition: '{"StartAt": "A", "States": {' });
    assert.deepStrictEqual(
      reported.map((r) => r.policy),
      ["definition-is-valid"],
    );
    assert.match(reported[0].message, /line 1, column \d+/);
  });
});

describe("policy pack: offline evaluation", () => {
  const resources = [
    { type: STATE_MACHINE_TYPES.aws, name: "request-response", props: awsMachine(LAB_MACHINES["request-response"]) },
    { type: STATE_MACHINE_TYPES.aws, name: "run-job", props: awsMachine(LAB_MACHINES["run-job"]) },
    { type: STATE_MACHINE_TYPES.aws, name: "wait-for-callback", props: awsMachine(LAB_MACHINES["wait-for-callback"]) },
    { type: "aws:iam/role:Role", name: "role", props: {} },
  ];

  it("fails the request-response machine without the exemption, passes it with the dev config", async () => {
    const without = await evaluateResources(resources);
    assert.strictEqual(without.mandatory, 1);
    assert.deepStrictEqual(
      without.resources.map((r) => [r.name, r.diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName}`)]),
      [
        ["request-response", ["mandatory glue-task-must-wait"]],
        ["run-job", []],
        ["wait-for-callback", []],
        ["role", []],
      ],
    );
    const withConfig = await evaluateResources(resources, loadPolicyConfig(DEV_CONFIG));
    assert.strictEqual(withConfig.mandatory, 0);
    assert.deepStrictEqual(
      withConfig.resources[0].diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName}`),
      ["advisory exempted-findings"],
    );
    const text = formatEvaluationReport(withConfig);
    assert.match(text, /aws:sfn\/stateMachine:StateMachine "request-response"\n {2}advisory {2}exempted-findings: /);
    assert.match(text, /"run-job"\n {2}clean/);
    assert.match(text, /0 mandatory, 1 advisory violation\.$/);
  });

  it("sets levels from config, as Pulumi does (glue-task-must-wait advisory; a rule disabled)", async () => {
    const report = await evaluateResources(resources.slice(0, 1), { "glue-task-must-wait": "advisory", "definition-is-valid": { enforcementLevel: "disabled" } });
    assert.deepStrictEqual(
      report.resources[0].diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName}`),
      ["advisory glue-task-must-wait"],
    );
  });

  it("refuses config that names no policy of the pack, or an exemption with no reason", async () => {
    await assert.rejects(evaluateResources(resources, { "glue-must-wait": "advisory" }), /not a policy of the pack/);
    await assert.rejects(evaluateResources(resources, { "exempted-findings": { exemptions: [{ resource: "x" }] } }), /has no reason/);
  });

  it("reports an unknown definition as advisory", async () => {
    const report = await evaluateResources([{ type: STATE_MACHINE_TYPES.aws, name: "later", props: { definition: UNKNOWN_STRING } }]);
    assert.deepStrictEqual(
      report.resources[0].diagnostics.map((d): Pick<PolicyDiagnostic, "policyName" | "enforcementLevel"> => ({ policyName: d.policyName, enforcementLevel: d.enforcementLevel })),
      [{ policyName: "definition-not-yet-known", enforcementLevel: "advisory" }],
    );
  });
});

/** The real Pulumi policy server's analyze RPC, as the Pulumi CLI calls it. */
describe("policy pack: under @pulumi/policy's own analyzer server", () => {
  const policyRequire = createRequire(require.resolve("@pulumi/policy"));
  const server = policyRequire("./server") as {
    makeAnalyzeRpcFun: (name: string, version: string, level: string, policies: ResourceValidationPolicy[]) => (call: unknown, cb: (err: unknown, resp: unknown) => void) => void;
  };
  const analyzerPb = policyRequire("@pulumi/pulumi/proto/analyzer_pb") as Record<string, new () => Record<string, (v?: unknown) => unknown>>;
  const structPb = policyRequire("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: unknown): unknown } };
  const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

  async function analyze(type: string, name: string, props: Record<string, unknown>): Promise<PolicyDiagnostic[]> {
    const request = new analyzerPb.AnalyzeRequest();
    request.setType(type);
    request.setName(name);
    request.setUrn(`urn:pulumi:dev::p::${type}::${name}`);
    request.setProperties(structPb.Struct.fromJavaScript(props));
    request.setOptions(new analyzerPb.AnalyzerResourceOptions());
    const rpc = server.makeAnalyzeRpcFun("sfn-integration-patterns", "0.1.0", "advisory", createPolicies());
    const response = await new Promise<Record<string, () => unknown>>((resolve, reject) =>
      rpc({ request }, (err, resp) => (err ? reject(err) : resolve(resp as Record<string, () => unknown>))),
    );
    return (response.getDiagnosticsList() as Array<Record<string, () => unknown>>).map((d) => ({
      policyName: d.getPolicyname() as string,
      enforcementLevel: LEVELS[d.getEnforcementlevel() as number] as "advisory" | "mandatory",
      message: d.getMessage() as string,
    }));
  }

  it("reports what the offline evaluation reports, for a known and an unknown definition", async () => {
    const cases = [
      { type: STATE_MACHINE_TYPES.aws, name: "request-response", props: awsMachine(LAB_MACHINES["request-response"]) },
      { type: STATE_MACHINE_TYPES.aws, name: "later", props: { definition: UNKNOWN_STRING, type: "STANDARD" } },
    ];
    for (const c of cases) {
      const viaServer = await analyze(c.type, c.name, c.props);
      const offline = (await evaluateResources([c])).resources[0].diagnostics;
      assert.ok(viaServer.length > 0, c.name);
      assert.deepStrictEqual(offline, viaServer, c.name);
    }
  });
});
