import * as pulumi from "@pulumi/pulumi";
import { buildPattern, EtlPipeline, PatternName, ValidatedStateMachine } from "./components";
import { readLabConfig } from "./program/config";

const lab = readLabConfig(new pulumi.Config(), __dirname);
const stack = pulumi.getStack();
const tags = { project: pulumi.getProject(), stack };

const pipeline = new EtlPipeline("etl-lab", {
  dataFile: lab.dataFile,
  dataKey: lab.dataKey,
  outputPrefix: lab.outputPrefix,
  filter: lab.filter,
  engine: lab.etlEngine,
  job: {
    ...(lab.etlEngine === "spark"
      ? { workerType: lab.glueWorkerType, numberOfWorkers: lab.glueNumberOfWorkers }
      : { maxCapacity: lab.glueMaxCapacity }),
    timeoutMinutes: lab.glueTimeoutMinutes,
    maxConcurrentRuns: lab.glueMaxConcurrentRuns,
  },
  functions: { logRetentionInDays: lab.logRetentionDays },
  forceDestroy: lab.forceDestroy,
  eventDrivenCallback: lab.patterns.includes("event-driven-callback"),
  tags,
});

const timeouts = {
  etlTaskTimeoutSeconds: lab.etlTaskTimeoutSeconds,
  callbackTimeoutSeconds: lab.callbackTimeoutSeconds,
  callbackHeartbeatSeconds: lab.callbackHeartbeatSeconds,
  queryLanguage: lab.queryLanguage,
};

/** Why the request-response machine is allowed to break glue-task-must-wait. */
const TEACHING_EXEMPTION = {
  rule: "glue-task-must-wait" as const,
  reason: "teaching machine: shows that request-response does not wait for the Glue job, so validation fails",
};

// Only the patterns this stack lists (prod leaves out the teaching request-response machine).
const machines = Object.fromEntries(
  lab.patterns.map((pattern) => [
    pattern,
    new ValidatedStateMachine(pattern, {
      definition: buildPattern(pattern, pipeline.patternTargets, timeouts),
      exemptions: pattern === "request-response" ? [TEACHING_EXEMPTION] : [],
      logRetentionInDays: lab.logRetentionDays,
      tags: { ...tags, pattern },
    }),
  ]),
) as Partial<Record<PatternName, ValidatedStateMachine>>;

/** What a user runs next, per pattern, after `pulumi up`. */
const NEXT_COMMANDS: Record<PatternName, string> = {
  "request-response": "npx sfn-lab run request-response --target aws   # ends FAILED at Validate: nothing waited for Glue",
  "run-job": "npx sfn-lab run run-job --target aws   # waits for the Glue run (.sync), then validates",
  "wait-for-callback":
    "npx sfn-lab run wait-for-callback --target aws && npx sfn-lab etl start --target aws && npx sfn-lab approve <execution-arn> --target aws",
  "event-driven-callback": "npx sfn-lab run event-driven-callback --target aws   # the Glue run's state-change event sends the token back",
};

export const bucketName = pipeline.bucketName;
export const dataKey = pipeline.dataKey;
export const outputPrefix = pipeline.outputPrefix;
export const jobName = pipeline.jobName;
export const functionNames = {
  checkFile: pipeline.checkFileFunction.name,
  validateOutput: pipeline.validateFunction.name,
  ...(pipeline.eventCallback ? { eventCallback: pipeline.eventCallback.fn.name } : {}),
};
export const stateMachineArns = Object.fromEntries(lab.patterns.map((p) => [p, machines[p]!.arn])) as Partial<Record<PatternName, pulumi.Output<string>>>;
export const nextSteps = Object.fromEntries(lab.patterns.map((p) => [p, NEXT_COMMANDS[p]])) as Partial<Record<PatternName, string>>;
