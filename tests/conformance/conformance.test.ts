import { CreateActivityCommand } from "@aws-sdk/client-sfn";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { clientEnvironment } from "../../sandbox";
import { ConformanceSandbox, rejectsWith } from "./context";
import { glueChecks } from "./glue-checks";
import { logsChecks } from "./logs-checks";
import { stepFunctionsChecks } from "./sfn-checks";

/** The folder of the Python checks (test_*.py), run by unittest against the same sandbox. */
const PYTHON_CHECKS = __dirname;

/**
 * Conformance: the lab program in a sandbox, driven by unmodified AWS clients (the JavaScript SDK here,
 * boto3 in tests/conformance/test_*.py), every check naming the service model or API reference rule it
 * asserts. The Python checks get the endpoints, the operator's keys and the region as any boto3 user
 * would set them, and the stack outputs as SANDBOX_OUTPUTS.
 */
describe("conformance: the sandbox answers AWS clients as the service models say", function () {
  this.timeout(300_000);
  let lab: ConformanceSandbox | undefined;
  const current = () => {
    if (!lab) throw new Error("the conformance sandbox did not start");
    return lab;
  };

  before(async () => {
    lab = await ConformanceSandbox.start();
  });
  after(async () => lab?.stop());

  describe("JavaScript SDK: Step Functions", () => {
    stepFunctionsChecks(current);
    it("operations the sandbox does not implement answer UnknownOperationException at once", async () => {
      const { sfn } = current();
      await rejectsWith(sfn.send(new CreateActivityCommand({ name: "x" })), "UnknownOperationException");
    });
  });
  describe("JavaScript SDK: CloudWatch Logs", () => logsChecks(current));
  describe("JavaScript SDK: Glue", () => glueChecks(current));

  describe("boto3 (and the AWS CLI when installed)", () => {
    it("every tests/conformance/test_*.py check passes against the same sandbox", async () => {
      const { sandbox, outputs } = current();
      const home = mkdtempSync(path.join(tmpdir(), "conformance-aws-"));
      const env = {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? home,
        // No AWS_* from this process and no ~/.aws files: only what is set here configures boto3 and the AWS CLI.
        AWS_CONFIG_FILE: path.join(home, "config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
        PYTHONDONTWRITEBYTECODE: "1",
        ...clientEnvironment(sandbox.connection()),
        SANDBOX_OUTPUTS: JSON.stringify(outputs),
      };
      try {
        // Asynchronous on purpose: the sandbox answering the checks runs in this process.
        const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
          const child = spawn("python3", ["-m", "unittest", "discover", "-s", PYTHON_CHECKS, "-p", "test_*.py", "-v"], { env, cwd: path.join(PYTHON_CHECKS, "..", "..") });
          let output = "";
          child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
          child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
          child.on("error", reject);
          child.on("close", (code) => resolve({ code, output }));
        });
        // CONFORMANCE_VERBOSE=1 shows every check even when all pass.
        if (process.env.CONFORMANCE_VERBOSE) console.log(result.output);
        if (result.code !== 0) throw new Error(`boto3 conformance checks failed (exit ${result.code}):\n${result.output}`);
        if (!/\nOK/.test(result.output)) throw new Error(`unittest did not report OK:\n${result.output}`);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  });
});
