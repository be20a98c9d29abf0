import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { clientEnvironment, Sandbox } from "../../sandbox";
import { emptyProgramModel } from "../../sandbox/sandbox-account";

/** A sandbox with no program at all: everything the checks run, they create through the AWS APIs. */
const EMPTY = emptyProgramModel();

/** Runs the Python checks of this folder (test_*.py) with nothing but the sandbox's client environment. */
async function runChecks(sandbox: Sandbox, pattern: string): Promise<{ code: number | null; output: string }> {
  const home = mkdtempSync(path.join(tmpdir(), "raw-asl-aws-"));
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    // No AWS_* from this process and no ~/.aws files: only the sandbox's variables configure boto3 and the AWS CLI.
    AWS_CONFIG_FILE: path.join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
    PYTHONDONTWRITEBYTECODE: "1",
    ...clientEnvironment(sandbox.connection()),
  };
  try {
    // Asynchronous: the sandbox answering the checks runs in this process.
    return await new Promise((resolve, reject) => {
      const child = spawn("python3", ["-m", "unittest", "discover", "-s", __dirname, "-p", pattern, "-v"], { env, cwd: __dirname });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, output }));
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Raw ASL end to end: roles, functions (zips), Glue jobs (scripts in S3) and state machines created by boto3 and
 * by the AWS CLI against a sandbox that deployed no program, executions run to SUCCEEDED, FAILED with the
 * function's or the script's error, and denied.
 */
describe("raw ASL through the AWS APIs (boto3 and the AWS CLI)", function () {
  this.timeout(180_000);
  let sandbox: Sandbox | undefined;
  let rootDir = "";

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "raw-asl-"));
    sandbox = await Sandbox.start(EMPTY, { rootDir, writeConnectionFile: false });
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  for (const [what, pattern] of [
    ["boto3", "test_raw_asl_boto3.py"],
    ["the AWS CLI", "test_raw_asl_cli.py"],
  ] as const) {
    it(`${what}: every check in tests/raw-asl/${pattern} passes`, async () => {
      if (!sandbox) throw new Error("the sandbox did not start");
      const result = await runChecks(sandbox, pattern);
      if (process.env.CONFORMANCE_VERBOSE) console.log(result.output);
      assert.equal(result.code, 0, result.output);
      assert.match(result.output, /\nOK/, result.output);
    });
  }
});
