import { GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox, type EventDelivery } from "../index";
import type { Credentials } from "../iam/principals";
import type { ModelResource, ProgramModel } from "../program-model";
import { ACCOUNT, arn, fixtureModel, JOB_NAME, REGION } from "../testing/fixture-model";
import { signedRaw } from "../testing/raw-http";

const RECORDER = "lab-event-recorder";
const RULE = "lab-glue-job-ended";
const RULE_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${RULE}`;
/** Logs every event it gets, so the test reads what EventBridge delivered. */
const RECORDER_CODE = `exports.handler = async (event) => { console.log("EVENT " + JSON.stringify(event)); return { ok: true }; };`;
const GLUE_PATTERN = { source: ["aws.glue"], "detail-type": ["Glue Job State Change"], detail: { jobName: [JOB_NAME], state: ["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED"] } };

function res(type: string, name: string, state: Record<string, unknown>): ModelResource {
  return { type, name, urn: `urn:pulumi:test::lab::${type}::${name}`, id: name, inputs: state, state };
}

/** The fixture plus a rule on Glue's state changes whose target is the recorder, allowed (or not) by a Permission. */
function modelWithRule(permission: "rule" | "other-rule" | "none"): ProgramModel {
  const model = fixtureModel();
  const roleName = `${RECORDER}-role`;
  model.resources.push(
    res("aws:iam/role:Role", roleName, { name: roleName, arn: arn.role(roleName), assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }) }),
    res("aws:lambda/function:Function", RECORDER, { name: RECORDER, arn: arn.fn(RECORDER), role: arn.role(roleName), handler: "index.handler", runtime: "nodejs22.x", timeout: 10, code: { assets: { "index.js": { text: RECORDER_CODE } } } }),
    res("aws:cloudwatch/eventRule:EventRule", RULE, { name: RULE, arn: RULE_ARN, eventPattern: JSON.stringify(GLUE_PATTERN) }),
    res("aws:cloudwatch/eventTarget:EventTarget", "recorder-target", { rule: RULE, targetId: "recorder", arn: arn.fn(RECORDER) }),
  );
  if (permission !== "none") {
    const sourceArn = permission === "rule" ? RULE_ARN : `arn:aws:events:${REGION}:${ACCOUNT}:rule/another-rule`;
    model.resources.push(res("aws:lambda/permission:Permission", "recorder-from-rule", { statementId: "AllowRule", function: RECORDER, action: "lambda:InvokeFunction", principal: "events.amazonaws.com", sourceArn }));
  }
  return model;
}

async function start(model: ProgramModel) {
  const rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-events-"));
  const sandbox = await Sandbox.start(model, { rootDir, timeScale: 0.05, glue: { startupDelayMs: 20 } });
  return {
    sandbox,
    rootDir,
    /** One AWSEvents.* call, signed for "events" as the SDKs sign it. */
    async call(operation: string, body: unknown, credentials: Credentials = sandbox.credentials) {
      const response = await signedRaw(sandbox.endpoints.events, credentials, {
        method: "POST",
        rawPath: "/",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSEvents.${operation}` },
        body: JSON.stringify(body),
        service: "events",
        region: REGION,
      });
      return { status: response.status, body: JSON.parse(response.body || "{}") as Record<string, unknown> };
    },
    async stop() {
      await sandbox.stop();
      rmSync(rootDir, { recursive: true, force: true });
    },
  };
}

/** Starts a run of the fixture job and resolves with the delivery its end caused. */
async function runAndDeliver(env: Awaited<ReturnType<typeof start>>, args: Record<string, string> = {}): Promise<{ runId: string; delivery?: EventDelivery }> {
  const glue = new GlueClient(env.sandbox.clientConfig("glue"));
  const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: JOB_NAME, Arguments: args }));
  await env.sandbox.whenJobRunFinished(JobRunId as string);
  await env.sandbox.eventDeliveriesSettled();
  return { runId: JobRunId as string, delivery: env.sandbox.eventDeliveries().at(-1) };
}

/** The event the recorder logged for a run: its log file is written as the function prints, so it may lag the answer a little. */
async function loggedEvent(sandbox: Sandbox, runId: string): Promise<Record<string, unknown> | undefined> {
  for (let i = 0; i < 100; i++) {
    const line = readFileSync(sandbox.lambdaLogFile(RECORDER), { encoding: "utf8", flag: "a+" }).split("\n").find((l) => l.includes("EVENT ") && l.includes(runId));
    if (line) return JSON.parse(line.slice(line.indexOf("EVENT ") + 6)) as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

describe("sandbox EventBridge", function () {
  this.timeout(60_000);

  describe("a rule on Glue Job State Change, its Lambda target allowed by the function's policy", () => {
    let env: Awaited<ReturnType<typeof start>>;
    before(async () => (env = await start(modelWithRule("rule"))));
    after(async () => env.stop());

    it("delivers the run's Glue Job State Change event, in AWS's shape, to the function", async () => {
      const { runId, delivery } = await runAndDeliver(env);
      assert.equal(delivery?.status, "SUCCEEDED", JSON.stringify(delivery));
      assert.equal(delivery?.ruleArn, RULE_ARN);
      const event = await loggedEvent(env.sandbox, runId);
      assert.ok(event, "the recorder logged the event");
      // "Automating AWS Glue with EventBridge": source aws.glue, detail-type, detail {jobName, severity, state, jobRunId, message}.
      assert.equal(event.source, "aws.glue");
      assert.equal(event["detail-type"], "Glue Job State Change");
      assert.equal(event.account, ACCOUNT);
      assert.equal(event.region, REGION);
      assert.equal(event.version, "0");
      assert.deepEqual(event.resources, []);
      assert.match(String(event.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(event.detail, { jobName: JOB_NAME, severity: "INFO", state: "SUCCEEDED", jobRunId: runId, message: "Job run succeeded" });
      // The delivery log holds the same record.
      const logged = readFileSync(path.join(env.rootDir, "logs", "events", "deliveries.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as EventDelivery);
      assert.equal(logged.at(-1)?.eventId, delivery?.eventId);
    });

    it("a failed run's event has severity ERROR and names the run's error in its message", async () => {
      const before = env.sandbox.eventDeliveries().length;
      const { runId } = await runAndDeliver(env, { "--fail_message": "bad input" });
      assert.equal(env.sandbox.eventDeliveries().length, before + 1);
      const event = (await loggedEvent(env.sandbox, runId)) as { detail: Record<string, string> } | undefined;
      assert.ok(event, "the recorder logged the event");
      assert.equal(event.detail.state, "FAILED");
      assert.equal(event.detail.severity, "ERROR");
      assert.match(event.detail.message, new RegExp(`^JobName:${JOB_NAME} and JobRunId:${runId} failed to execute with exception .*bad input`));
    });

    it("answers the rule API: DescribeRule, ListRules, ListTargetsByRule, TestEventPattern", async () => {
      const described = await env.call("DescribeRule", { Name: RULE });
      assert.equal(described.status, 200);
      assert.equal(described.body.Arn, RULE_ARN);
      assert.equal(described.body.State, "ENABLED");
      assert.equal(described.body.EventBusName, "default");
      assert.deepEqual(JSON.parse(String(described.body.EventPattern)), GLUE_PATTERN);
      const listed = await env.call("ListRules", { NamePrefix: "lab-" });
      assert.deepEqual((listed.body.Rules as { Name: string }[]).map((r) => r.Name), [RULE]);
      const targets = await env.call("ListTargetsByRule", { Rule: RULE });
      assert.deepEqual(targets.body.Targets, [{ Id: "recorder", Arn: arn.fn(RECORDER) }]);
      const event = { id: "1", account: ACCOUNT, source: "aws.glue", time: "2026-01-01T00:00:00Z", region: REGION, resources: [], "detail-type": "Glue Job State Change", detail: { jobName: JOB_NAME, state: "TIMEOUT" } };
      const yes = await env.call("TestEventPattern", { EventPattern: JSON.stringify(GLUE_PATTERN), Event: JSON.stringify(event) });
      assert.deepEqual(yes.body, { Result: true });
      const no = await env.call("TestEventPattern", { EventPattern: JSON.stringify(GLUE_PATTERN), Event: JSON.stringify({ ...event, detail: { jobName: JOB_NAME, state: "RUNNING" } }) });
      assert.deepEqual(no.body, { Result: false });
    });

    it("answers errors as EventBridge does: unknown rule, invalid pattern, aws.* source, rule with targets", async () => {
      const missing = await env.call("DescribeRule", { Name: "nope" });
      assert.equal(missing.body.__type, "ResourceNotFoundException");
      assert.equal(missing.body.message, "Rule nope does not exist on EventBus default.");
      const invalid = await env.call("PutRule", { Name: "bad", EventPattern: JSON.stringify({ source: "aws.glue" }) });
      assert.equal(invalid.body.__type, "InvalidEventPatternException");
      assert.match(String(invalid.body.message), /^Event pattern is not valid\. Reason: /);
      const put = await env.call("PutEvents", { Entries: [{ Source: "aws.glue", DetailType: "x", Detail: "{}" }, { Source: "lab.app", DetailType: "x", Detail: "[1]" }] });
      assert.equal(put.body.FailedEntryCount, 2);
      assert.deepEqual(put.body.Entries, [
        { ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." },
        { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
      ]);
      const busy = await env.call("DeleteRule", { Name: RULE });
      assert.equal(busy.body.__type, "ValidationException");
      assert.equal(busy.body.message, "Rule can't be deleted since it has targets.");
      const otherBus = await env.call("ListRules", { EventBusName: "orders" });
      assert.equal(otherBus.body.__type, "ResourceNotFoundException");
    });

    it("routes PutEvents through rules created over the API, and removes them", async () => {
      const pattern = { source: ["lab.app"], detail: { amount: [{ numeric: [">=", 100] }] } };
      const created = await env.call("PutRule", { Name: "big-orders", EventPattern: JSON.stringify(pattern) });
      assert.equal(created.body.RuleArn, `arn:aws:events:${REGION}:${ACCOUNT}:rule/big-orders`);
      assert.deepEqual((await env.call("PutTargets", { Rule: "big-orders", Targets: [{ Id: "r", Arn: arn.fn(RECORDER) }] })).body, { FailedEntryCount: 0, FailedEntries: [] });
      const refused = await env.call("PutTargets", { Rule: "big-orders", Targets: [{ Id: "q", Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:queue` }] });
      assert.equal(refused.body.__type, "ValidationException");
      assert.match(String(refused.body.message), /Lambda functions only/);
      const before = env.sandbox.eventDeliveries().length;
      const put = await env.call("PutEvents", { Entries: [{ Source: "lab.app", DetailType: "Order", Detail: JSON.stringify({ amount: 150 }) }, { Source: "lab.app", DetailType: "Order", Detail: JSON.stringify({ amount: 5 }) }] });
      assert.equal(put.body.FailedEntryCount, 0);
      await env.sandbox.eventDeliveriesSettled();
      const delivered = env.sandbox.eventDeliveries().slice(before);
      // Only the first event matches; the function's policy allows only the program's rule, so this rule's delivery is refused.
      assert.equal(delivered.length, 1);
      assert.equal(delivered[0].eventId, (put.body.Entries as { EventId: string }[])[0].EventId);
      assert.equal(delivered[0].status, "FAILED");
      assert.match(String(delivered[0].error), /AccessDeniedException: User: events\.amazonaws\.com is not authorized to perform: lambda:InvokeFunction/);
      await env.call("RemoveTargets", { Rule: "big-orders", Ids: ["r"] });
      assert.deepEqual((await env.call("DeleteRule", { Name: "big-orders" })).body, {});
      assert.equal((await env.call("DescribeRule", { Name: "big-orders" })).body.__type, "ResourceNotFoundException");
    });

    it("reset brings back the program's rules and forgets the deliveries", async () => {
      await env.call("PutRule", { Name: "scratch", EventPattern: JSON.stringify({ source: ["lab.app"] }) });
      await env.sandbox.reset();
      const listed = await env.call("ListRules", {});
      assert.deepEqual((listed.body.Rules as { Name: string }[]).map((r) => r.Name), [RULE]);
      assert.deepEqual(env.sandbox.eventDeliveries(), []);
      const { delivery } = await runAndDeliver(env);
      assert.equal(delivery?.status, "SUCCEEDED", "the program's rule and target work again after the reset");
    });

    it("authorizes every call: a role without events:PutEvents is denied", async () => {
      const denied = await env.call("PutEvents", { Entries: [{ Source: "lab.app", DetailType: "x", Detail: "{}" }] }, env.sandbox.credentialsFor(arn.role(`${RECORDER}-role`)));
      assert.equal(denied.body.__type, "AccessDeniedException");
      assert.match(String(denied.body.message), /is not authorized to perform: events:PutEvents on resource: arn:aws:events:us-east-1:123456789012:event-bus\/default/);
    });
  });

  for (const permission of ["none", "other-rule"] as const) {
    it(`does not invoke the function when its policy does not allow the rule (${permission === "none" ? "no permission" : "a permission for another rule"})`, async () => {
      const env = await start(modelWithRule(permission));
      try {
        const { delivery } = await runAndDeliver(env);
        assert.equal(delivery?.status, "FAILED");
        assert.match(String(delivery?.error), /AccessDeniedException: User: events\.amazonaws\.com is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:lab-event-recorder/);
        assert.doesNotMatch(readFileSync(env.sandbox.lambdaLogFile(RECORDER), { encoding: "utf8", flag: "a+" }), /EVENT/);
      } finally {
        await env.stop();
      }
    });
  }
});
