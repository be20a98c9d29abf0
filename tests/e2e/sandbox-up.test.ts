import { strict as assert } from "node:assert";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const BIN = path.join(__dirname, "..", "..", "cli", "bin.js");

/** `sfn-lab sandbox up` in one process, the operator's commands in others, as in two terminals. */
describe("sfn-lab sandbox up, used from other processes", function () {
  this.timeout(180_000);
  const stateDir = path.join(mkdtempSync(path.join(tmpdir(), "sfn-lab-up-")), "state");
  const env = { ...process.env, SFN_LAB_SANDBOX_DIR: stateDir, CI: "true" };
  let up: ChildProcessWithoutNullStreams;
  let upOutput = "";

  function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  before(async function () {
    up = spawn(process.execPath, [BIN, "sandbox", "up", "--glue-startup-ms", "20", "--sync-poll-ms", "20"], { env });
    up.stderr.on("data", (chunk: Buffer) => (upOutput += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      up.stdout.on("data", (chunk: Buffer) => {
        upOutput += chunk.toString();
        if (upOutput.includes("Ctrl-C stops it.")) resolve();
      });
      up.on("close", (code) => reject(new Error(`sandbox up exited with ${code}:\n${upOutput}`)));
    });
  });

  after(function () {
    if (up.exitCode === null) up.kill("SIGKILL");
    rmSync(path.dirname(stateDir), { recursive: true, force: true });
  });

  it("prints its endpoints and the environment other AWS tools need", function () {
    assert.match(upOutput, /Step Functions +http:\/\/127\.0\.0\.1:\d+/);
    assert.match(
      upOutput,
      /export AWS_ENDPOINT_URL_SFN=http:\/\/127\.0\.0\.1:\d+ AWS_ENDPOINT_URL_GLUE=\S+ AWS_ENDPOINT_URL_S3=\S+ AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=\S+ AWS_ENDPOINT_URL_IAM=\S+ AWS_ENDPOINT_URL_EVENTBRIDGE=\S+ AWS_ENDPOINT_URL_LAMBDA=\S+ AWS_ENDPOINT_URL_DYNAMODB=\S+ AWS_ENDPOINT_URL_SQS=\S+ AWS_ENDPOINT_URL_SNS=\S+ AWS_ACCESS_KEY_ID=AKIA\S+ AWS_SECRET_ACCESS_KEY=\S+ AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1\n/,
    );
    const connection = JSON.parse(readFileSync(path.join(stateDir, "sandbox.json"), "utf8")) as { program?: unknown };
    // The lab's own program (no folder) and its stack, for commands such as cost that evaluate the same program.
    assert.deepEqual(connection.program, { stack: "dev" });
  });

  it("its export line is all boto3 needs: with exactly those variables, it reaches every service", async function () {
    const line = /^ *export (.+)$/m.exec(upOutput)?.[1] ?? "";
    const printed = Object.fromEntries(line.split(" ").map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
    // Nothing inherited: no AWS_* from this process and no ~/.aws files, so only the printed variables configure boto3.
    const home = mkdtempSync(path.join(tmpdir(), "sfn-lab-boto3-"));
    const isolated = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? home, AWS_CONFIG_FILE: path.join(home, "config"), AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials") };
    const script = [
      "import boto3",
      "machines = boto3.client('stepfunctions').list_state_machines()['stateMachines']",
      "groups = boto3.client('logs').describe_log_groups()['logGroups']",
      "buckets = boto3.client('s3').list_buckets()['Buckets']",
      "queues = boto3.client('sqs').list_queues().get('QueueUrls', [])",
      "topics = boto3.client('sns').list_topics()['Topics']",
      "tables = boto3.client('dynamodb').list_tables()['TableNames']",
      "rules = boto3.client('events').list_rules()['Rules']",
      "print(len(machines), len(groups) > 0, len(buckets), len(queues), len(topics), len(tables), len(rules))",
    ].join("\n");
    const result = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn("python3", ["-c", script], { env: { ...isolated, ...printed } });
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, out }));
    });
    rmSync(home, { recursive: true, force: true });
    assert.equal(result.code, 0, result.out);
    // The program's four machines, its log groups, its bucket, no queues, topics or tables, and its one EventBridge rule.
    assert.equal(result.out.trim(), "4 True 1 0 0 0 1");
  });

  it("serves run, callbacks, reject and watch from other processes", async function () {
    const started = await cli("run", "wait-for-callback", "--no-wait");
    assert.equal(started.code, 0, started.stderr);
    const arn = /execution (arn:aws:states:\S+)/.exec(started.stdout)?.[1] ?? "";
    assert.match(arn, /:execution:wait-for-callback-/);

    let listed = "";
    for (let i = 0; i < 20 && !listed.includes(arn); i++) listed = (await cli("callbacks")).stdout;
    assert.match(listed, new RegExp(`${arn}\\n    pattern wait-for-callback, state WaitForOperator, waiting \\S+, token \\S+…\\(\\d+ chars\\)`));

    const busy = await cli("sandbox", "reset");
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /^A sandbox is running \(pid \d+\); stop it with Ctrl-C before resetting its state\n$/);

    const rejected = await cli("reject", arn, "--error", "OutputRejected", "--cause", "not today");
    assert.equal(rejected.code, 0, rejected.stderr);
    const watched = await cli("watch", arn);
    assert.equal(watched.code, 1, "watch exits 1 for a FAILED execution");
    assert.match(watched.stdout, /✗ WaitForOperator .*OutputRejected: not today/);
    assert.match(watched.stdout, /✗ FAILED at WaitForOperator in \S+: OperatorRejected/);
    assert.equal(watched.stderr, "");
  });

  it("stops on Ctrl-C, removing its connection file; reset then deletes the state folder", async function () {
    const closed = new Promise<number | null>((resolve) => up.on("close", resolve));
    up.kill("SIGINT");
    assert.equal(await closed, 0, upOutput);
    assert.ok(!existsSync(path.join(stateDir, "sandbox.json")));
    const reset = await cli("sandbox", "reset");
    assert.equal(reset.code, 0, reset.stderr);
    assert.ok(!existsSync(stateDir));
  });
});
