/**
 * The pack as the Pulumi CLI runs it: policy/index.ts started as its own process, serving Pulumi's analyzer
 * gRPC protocol; the test plays the CLI (getAnalyzerInfo, configure with the dev config, analyze).
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzeRequest,
  AnalyzerInfo,
  AnalyzerResourceOptions,
  AnalyzeResponse,
  ConfigureAnalyzerRequest,
  EnforcementLevel,
  PolicyConfig,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { LAB_MACHINES } from "./corpus";

const POLICY_DIR = path.join(__dirname, "..", "..", "policy");
const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
const LEVEL_NAMES: Record<number, string> = { [EnforcementLevel.ADVISORY]: "advisory", [EnforcementLevel.MANDATORY]: "mandatory" };
const LEVELS: Record<string, EnforcementLevel> = { advisory: EnforcementLevel.ADVISORY, mandatory: EnforcementLevel.MANDATORY, disabled: EnforcementLevel.DISABLED };

function unary<Req, Res>(call: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => call(req, (err, res) => (err ? reject(err) : resolve(res))));
}

describe("policy pack: served as the Pulumi CLI runs it", function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let client: AnalyzerClient;

  before(async () => {
    child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], { cwd: POLICY_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim()));
      child.once("exit", (code) => reject(new Error(`the pack exited with ${code}: ${stderr}`)));
    });
    assert.match(port, /^\d+$/);
    client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    if (child?.pid !== undefined && child.exitCode === null) child.kill();
  });

  async function analyze(name: string, definition: object): Promise<string[]> {
    const request = new AnalyzeRequest();
    request.setType(STATE_MACHINE);
    request.setName(name);
    request.setUrn(`urn:pulumi:dev::sfn-integration-patterns::${STATE_MACHINE}::${name}`);
    request.setProperties(Struct.fromJavaScript({ definition: JSON.stringify(definition), type: "STANDARD" }));
    request.setOptions(new AnalyzerResourceOptions());
    const response = await unary<AnalyzeRequest, AnalyzeResponse>(client.analyze.bind(client), request);
    return response.getDiagnosticsList().map((d) => `${LEVEL_NAMES[d.getEnforcementlevel()]} ${d.getPolicyname()}`);
  }

  it("describes the pack: its name, version and policies with their levels and config schema", async () => {
    const info = await unary<Empty, AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
    assert.strictEqual(info.getName(), "sfn-integration-patterns");
    assert.strictEqual(info.getVersion(), JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")).version);
    const policies = info.getPoliciesList();
    assert.deepStrictEqual(
      policies.map((p) => p.getName()),
      [
        "exempted-findings",
        "definition-not-yet-known",
        "glue-task-must-wait",
        "integration-pattern-supported",
        "callback-must-pass-token",
        "waiting-task-has-timeout",
        "definition-is-valid",
        "async-job-should-wait",
        "polling-loop-reads-the-run",
      ],
    );
    const schema = policies[0].getConfigschema()?.getProperties()?.toJavaScript() as Record<string, { items: { required: string[] } }>;
    assert.deepStrictEqual(schema.exemptions.items.required, ["resource", "reason"]);
  });

  it("without config, fails the request-response machine and passes the two others", async () => {
    assert.deepStrictEqual(await analyze("request-response", LAB_MACHINES["request-response"]), ["mandatory glue-task-must-wait"]);
    assert.deepStrictEqual(await analyze("run-job", LAB_MACHINES["run-job"]), []);
    assert.deepStrictEqual(await analyze("wait-for-callback", LAB_MACHINES["wait-for-callback"]), []);
  });

  it("with the dev stack's policy config, reports the exempted finding as advisory only", async () => {
    const config = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "policy-config.dev.json"), "utf8")) as Record<string, Record<string, unknown>>;
    const request = new ConfigureAnalyzerRequest();
    for (const [policy, { enforcementLevel, ...properties }] of Object.entries(config)) {
      const entry = new PolicyConfig();
      entry.setEnforcementlevel(LEVELS[String(enforcementLevel ?? "advisory")]);
      entry.setProperties(Struct.fromJavaScript(properties as Record<string, never>));
      request.getPolicyconfigMap().set(policy, entry);
    }
    await unary<ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), request);
    assert.deepStrictEqual(await analyze("request-response", LAB_MACHINES["request-response"]), ["advisory exempted-findings"]);
    assert.deepStrictEqual(await analyze("run-job", LAB_MACHINES["run-job"]), []);
  });
});
