/**
 * The registry is the one description of an integration: what the analysis knows, the sandbox runs or
 * refuses, and every module file is listed. These fail when a table is written somewhere else again.
 */
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { allActions, findIntegration, INTEGRATIONS, OTHER_ACTIONS, actionLabel, type IntegrationModule } from "../../integrations";
import {
  ASYNC_JOB_STARTS,
  GLUE_JOB_START,
  GLUE_SDK_STARTS_WITHOUT_WORK,
  GLUE_STATUS_READS,
  GLUE_TOKEN_CARRIERS,
  OPTIMIZED_INTEGRATIONS,
  unsupportedPatternReason,
} from "../../policy/analysis/support";
import { parseResource } from "../../policy/analysis/resource";
import { runnableIntegrations, runTaskAttempt, TaskFailure, unrunnableTasks, type TaskAttempt } from "../../sandbox/sfn/integrations";

/** A Resource for an action of a module (a stand-in action for OTHER_ACTIONS, a stand-in service for any SDK service). */
function resourceFor(module: IntegrationModule, action: string, pattern: string): string {
  if (module.kind === "lambda-function") return "arn:aws:lambda:us-east-1:123456789012:function:f";
  const name = action === OTHER_ACTIONS ? "someOtherAction" : action;
  const service = module.service === "*" ? "someservice" : module.service;
  const suffix = pattern === "request-response" ? "" : `.${pattern}`;
  return `arn:aws:states:::${module.kind === "sdk" ? "aws-sdk:" : ""}${service}:${name}${suffix}`;
}

const taskDefinition = (resource: string) => ({ StartAt: "T", States: { T: { Type: "Task", Resource: resource, End: true } } });

describe("integration registry: drift", function () {
  it("every module file in integrations/modules is listed in INTEGRATIONS, once", function () {
    const dir = path.join(__dirname, "..", "..", "integrations", "modules");
    const exported = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => Object.values(require(path.join(dir, f)) as Record<string, unknown>))
      .filter((v): v is IntegrationModule => typeof v === "object" && v !== null && "actions" in v && "kind" in v);
    // By name, not identity: a test before this one in the same process may have reloaded the modules (loading a
    // program model clears the project's files from require's cache).
    for (const module of exported) assert.equal(INTEGRATIONS.filter((m) => m.name === module.name).length, 1, `${module.name} is not listed once`);
    assert.equal(new Set(INTEGRATIONS.map((m) => m.name)).size, INTEGRATIONS.length, "module names are unique");
  });

  it("module files import no sandbox code at load (sfn-lab lint loads the registry): performers are lazy", function () {
    const dir = path.join(__dirname, "..", "..", "integrations", "modules");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(path.join(dir, file), "utf8");
      const loads = [...source.matchAll(/^import (?!type )[^;]*from "([^"]+)";/gm)].map((m) => m[1]).filter((from) => from.includes("sandbox") || from.includes("/perform/"));
      assert.deepEqual(loads, [], `${file} loads ${loads.join(", ")} at load time`);
    }
  });

  it("every pattern of every action is either run by the sandbox or refused when the machine is created", function () {
    for (const entry of allActions()) {
      for (const pattern of entry.support.patterns) {
        const resource = resourceFor(entry.module, entry.action, pattern);
        const unrunnable = unrunnableTasks(taskDefinition(resource));
        if (entry.support.perform) assert.deepEqual(unrunnable, [], `${resource} has a performer but is refused`);
        else assert.equal(unrunnable.length, 1, `${resource} has no performer but is not refused`);
      }
    }
  });

  it("every action the sandbox performs is accepted by the analysis with each of its patterns", function () {
    for (const entry of allActions().filter((a) => a.support.perform)) {
      const parsed = parseResource(resourceFor(entry.module, entry.action, "request-response"));
      if (parsed.kind !== "optimized" && parsed.kind !== "sdk") continue; // function ARNs have no pattern suffix
      for (const pattern of entry.support.patterns) {
        assert.equal(unsupportedPatternReason(parsed.kind, parsed.service!, parsed.action!, pattern, "STANDARD"), undefined, `${actionLabel(entry)}.${pattern}`);
      }
    }
  });

  it("what the analysis tables name is a registry entry", function () {
    for (const service of Object.keys(OPTIMIZED_INTEGRATIONS)) {
      assert.ok(INTEGRATIONS.some((m) => m.kind === "optimized" && m.service === service), service);
    }
    for (const job of [GLUE_JOB_START, ...ASYNC_JOB_STARTS]) {
      assert.equal(findIntegration("optimized", job.service, job.action)?.listed, true, `${job.service}:${job.action}`);
    }
    for (const action of [...Object.keys(GLUE_TOKEN_CARRIERS), ...Object.keys(GLUE_STATUS_READS), ...GLUE_SDK_STARTS_WITHOUT_WORK]) {
      assert.equal(findIntegration("sdk", "glue", action)?.listed, true, `aws-sdk:glue:${action}`);
    }
  });

  it("the list of what the sandbox runs is the performers', as AWS writes the Resources", function () {
    assert.deepEqual(runnableIntegrations(), [
      "Lambda function ARNs",
      "lambda:invoke",
      "aws-sdk:lambda:invoke",
      "glue:startJobRun",
      "aws-sdk:glue:startJobRun",
      "aws-sdk:glue:getJobRun",
      "aws-sdk:glue:getJobRuns",
      "aws-sdk:glue:batchStopJobRun",
      "aws-sdk:glue:startCrawler",
      "aws-sdk:glue:getCrawler",
      "aws-sdk:glue:stopCrawler",
      "aws-sdk:glue:getDatabase",
      "aws-sdk:glue:getTable",
      "aws-sdk:glue:getTables",
      "aws-sdk:glue:startTrigger",
      "aws-sdk:glue:startWorkflowRun",
      "aws-sdk:glue:getWorkflow",
      "aws-sdk:glue:getWorkflowRun",
      "aws-sdk:glue:getWorkflowRuns",
      "aws-sdk:glue:getWorkflowRunProperties",
      "aws-sdk:glue:putWorkflowRunProperties",
      "aws-sdk:glue:stopWorkflowRun",
      "aws-sdk:glue:getTrigger",
      "aws-sdk:glue:stopTrigger",
      "states:startExecution",
      "aws-sdk:sfn:startExecution",
      "aws-sdk:sfn:describeExecution",
      "aws-sdk:s3:getObject",
      "aws-sdk:s3:putObject",
      "aws-sdk:s3:listObjectsV2",
      "dynamodb:getItem",
      "dynamodb:putItem",
      "dynamodb:updateItem",
      "dynamodb:deleteItem",
      "events:putEvents",
      "sns:publish",
      "sqs:sendMessage",
    ]);
  });

  it("a Task that reaches the sandbox without a performer fails with States.Runtime naming the state, the Resource and what it runs", async function () {
    const resource = parseResource("arn:aws:states:::athena:startQueryExecution");
    const attempt = { stateName: "Notify", resource } as unknown as TaskAttempt;
    await assert.rejects(runTaskAttempt(attempt, {} as never), (error: unknown) => {
      assert.ok(error instanceof TaskFailure);
      assert.equal(error.name, "States.Runtime");
      assert.match(error.message, /Resource "arn:aws:states:::athena:startQueryExecution" of state "Notify": the sandbox does not run athena/);
      for (const runnable of runnableIntegrations()) assert.ok(error.message.includes(runnable), runnable);
      return true;
    });
  });
});
