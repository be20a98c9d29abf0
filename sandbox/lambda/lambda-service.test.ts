import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AccessDeniedError, AwsServiceError } from "../aws-error";
import { Authorizer } from "../iam/authorizer";
import { ModelPolicyStore } from "../iam/policy-store";
import { PrincipalDirectory } from "../iam/principals";
import { functions, type FunctionView } from "../model-view";
import { S3Service } from "../s3/s3-service";
import { seedS3 } from "../s3/seed";
import { ACCOUNT, arn, BUCKET, CHECK_FILE, DATA_KEY, fixtureModel, REGION, VALIDATE } from "../testing/fixture-model";
import { LambdaService } from "./lambda-service";

describe("sandbox Lambda", () => {
  let dir: string;
  let s3: S3Service;
  let lambda: LambdaService;
  const principals = new PrincipalDirectory(ACCOUNT);
  const stateMachine = principals.roleSession(arn.role("lab-run-job-role"), "exec").principal;
  const glue = principals.roleSession(arn.role("lab-glue-role"), "GlueJobRunnerSession").principal;

  const extra = (name: string, code: string, timeoutSeconds = 30): FunctionView => ({
    logicalName: name,
    name,
    arn: arn.fn(name),
    roleArn: arn.role(`${CHECK_FILE}-role`),
    handler: "index.handler",
    runtime: "nodejs22.x",
    timeoutSeconds,
    memorySizeMb: 128,
    environment: { GREETING: "hello" },
    package: [{ at: "index.js", text: code }],
  });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sandbox-lambda-"));
    const model = fixtureModel();
    const authorizer = new Authorizer(ACCOUNT, new ModelPolicyStore(model));
    s3 = await S3Service.start({ directory: path.join(dir, "s3"), port: 0, treatLoopbackAsTls: true }, principals, authorizer);
    await seedS3(s3.internalEndpoint, model);
    process.env.SANDBOX_TEST_PARENT_SECRET = "parent-only";
    lambda = new LambdaService(
      [
        ...functions(model),
        extra("env-echo", "exports.handler = async () => ({ greeting: process.env.GREETING, parent: process.env.SANDBOX_TEST_PARENT_SECRET ?? null, region: process.env.AWS_REGION, key: process.env.AWS_ACCESS_KEY_ID });"),
        extra("sleeper", "exports.handler = () => new Promise((r) => setTimeout(r, 5000));", 0.3),
        extra("crasher", "exports.handler = async () => { const e = new TypeError('bad input'); throw e; };"),
        extra("counter", "let calls = 0; exports.handler = async (event) => { calls++; if (event.hang) await new Promise(() => setTimeout(() => undefined, 60000)); return calls; };", 0.5),
      ],
      {
        region: REGION,
        accountId: ACCOUNT,
        taskRootDir: path.join(dir, "functions"),
        logDir: path.join(dir, "logs"),
        nodeModules: path.resolve(__dirname, "..", "..", "node_modules"),
        endpointEnv: () => ({ AWS_ENDPOINT_URL_S3: s3.endpoint }),
      },
      principals,
      authorizer,
    );
  });
  after(async () => {
    delete process.env.SANDBOX_TEST_PARENT_SECRET;
    await lambda?.close();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs check-file's bundled code against the sandbox's S3 with the function's role", async () => {
    const result = await lambda.invoke(stateMachine, arn.fn(CHECK_FILE), {});
    assert.equal(result.functionError, undefined, JSON.stringify(result.payload));
    assert.deepEqual({ ...(result.payload as Record<string, unknown>), etag: undefined, lastModified: undefined, size: undefined, taskToken: undefined }, {
      bucket: BUCKET,
      key: DATA_KEY,
      etag: undefined,
      lastModified: undefined,
      size: undefined,
      taskToken: undefined,
    });
    assert.ok((result.payload as { size: number }).size > 100);
    assert.match(readFileSync(lambda.logFile(CHECK_FILE), "utf8"), /START RequestId: .*\n[\s\S]*REPORT RequestId/);
  });

  it("reports a thrown error as Lambda's error payload, errorType = error.name", async () => {
    const result = await lambda.invoke(stateMachine, `${arn.fn(VALIDATE)}:live`, { jobRunId: "jr_missing" });
    assert.equal(result.functionError, "Unhandled");
    const payload = result.payload as { errorType: string; errorMessage: string };
    assert.equal(payload.errorType, "ValidationFailed");
    assert.match(payload.errorMessage, /output\/jr_missing\/_manifest.json/);
    const crash = await lambda.invoke(principals.operator().principal, "crasher", {});
    assert.deepEqual([(crash.payload as { errorType: string }).errorType, (crash.payload as { errorMessage: string }).errorMessage], ["TypeError", "bad input"]);
  });

  it("gives each invocation only the function's environment", async () => {
    const result = await lambda.invoke(principals.operator().principal, "env-echo", {});
    const env = result.payload as Record<string, string | null>;
    assert.equal(env.greeting, "hello");
    assert.equal(env.parent, null);
    assert.equal(env.region, REGION);
    assert.equal(env.key, principals.roleSession(arn.role(`${CHECK_FILE}-role`), "env-echo").credentials.accessKeyId);
  });

  it("stops an invocation at the function's timeout with Sandbox.Timedout", async () => {
    const result = await lambda.invoke(principals.operator().principal, "sleeper", {});
    assert.equal(result.functionError, "Unhandled");
    assert.equal((result.payload as { errorType: string }).errorType, "Sandbox.Timedout");
    assert.match((result.payload as { errorMessage: string }).errorMessage, /Task timed out after \d+\.\d\d seconds/);
  });

  it("keeps an execution environment warm between invocations, and discards one that timed out", async () => {
    const operator = principals.operator().principal;
    assert.equal((await lambda.invoke(operator, "counter", {})).payload, 1);
    assert.equal((await lambda.invoke(operator, "counter", {})).payload, 2, "module state survives in a warm environment");
    const [first, second] = await Promise.all([lambda.invoke(operator, "counter", {}), lambda.invoke(operator, "counter", {})]);
    assert.deepEqual([first.payload, second.payload].sort(), [1, 3], "a concurrent invocation gets its own environment");
    const hung = await lambda.invoke(operator, "counter", { hang: true });
    assert.equal((hung.payload as { errorType: string }).errorType, "Sandbox.Timedout");
  });

  it("authorizes Invoke for the caller and names unknown functions", async () => {
    await assert.rejects(lambda.invoke(glue, arn.fn(CHECK_FILE), {}), (e: unknown) => e instanceof AccessDeniedError && /lambda:InvokeFunction/.test(e.message));
    await assert.rejects(lambda.invoke(stateMachine, arn.fn("nope"), {}), (e: unknown) => e instanceof AwsServiceError && e.code === "ResourceNotFoundException");
  });
});
