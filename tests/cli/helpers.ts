/** Fixtures for the CLI tests: stack outputs, execution histories, S3 objects, and running the CLI. */
import type { HistoryEvent, HistoryEventType } from "@aws-sdk/client-sfn";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Command } from "commander";
import { buildProgram } from "../../cli/main";
import { describeError } from "../../cli/errors";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";
export const MACHINE = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
export const EXECUTION = (machine: string, id: string) => `arn:aws:states:${REGION}:${ACCOUNT}:execution:${machine}:${id}`;

export const OUTPUTS = {
  stateMachineArns: {
    "request-response": MACHINE("request-response-3f1a"),
    "run-job": MACHINE("run-job-9c2b"),
    "wait-for-callback": MACHINE("wait-for-callback-77de"),
    "event-driven-callback": MACHINE("event-driven-callback-4b0c"),
  },
  jobName: "etl-lab-job-1e2f",
  bucketName: "etl-lab-bucket-5a6b",
  dataKey: "input/orders.csv",
  outputPrefix: "output",
  functionNames: { checkFile: "etl-lab-check-file", validateOutput: "etl-lab-validate-output" },
  nextSteps: {},
};

/** Writes the outputs as `pulumi stack output --json` prints them; returns the file. */
export function outputsFile(outputs: unknown = OUTPUTS): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "sfn-lab-outputs-")), "outputs.json");
  writeFileSync(file, JSON.stringify(outputs));
  return file;
}

type EventSpec = Omit<HistoryEvent, "id" | "timestamp" | "previousEventId"> & { atMs?: number };

/** History events with ids and timestamps (1 s apart unless `atMs` says otherwise). */
export function history(events: EventSpec[], start = Date.parse("2026-01-01T10:00:00Z")): HistoryEvent[] {
  return events.map((spec, i) => {
    const { atMs, ...event } = spec;
    return { ...event, id: i + 1, previousEventId: i, timestamp: new Date(start + (atMs ?? i * 1000)) };
  });
}

export const entered = (name: string, type = "Task"): EventSpec => ({ type: `${type}StateEntered` as HistoryEventType, stateEnteredEventDetails: { name, input: "{}" } });
export const exited = (name: string, output = "{}", type = "Task"): EventSpec => ({ type: `${type}StateExited` as HistoryEventType, stateExitedEventDetails: { name, output } });
export const scheduled = (resource: string, parameters: unknown, resourceType = "lambda"): EventSpec => ({
  type: "TaskScheduled",
  taskScheduledEventDetails: { resourceType, resource, region: REGION, parameters: JSON.stringify(parameters) },
});
export const taskSucceeded = (resource: string, output: unknown, resourceType = "lambda"): EventSpec => ({
  type: "TaskSucceeded",
  taskSucceededEventDetails: { resourceType, resource, output: JSON.stringify(output) },
});
export const taskFailed = (resource: string, error: string, cause: string, resourceType = "lambda"): EventSpec => ({
  type: "TaskFailed",
  taskFailedEventDetails: { resourceType, resource, error, cause },
});

export const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAY3k5Xr1Zp7cV0cB8h1pY2FsbGJhY2stdG9rZW4tZm9yLXRlc3Rz";

/** A wait-for-callback execution paused at WaitForOperator, its token in the TaskScheduled parameters. */
export function pausedHistory(executionArn: string, token = TOKEN): HistoryEvent[] {
  return history([
    { type: "ExecutionStarted", executionStartedEventDetails: { input: "{}" } },
    entered("WaitForOperator"),
    scheduled("invoke.waitForTaskToken", { FunctionName: "etl-lab-check-file", Payload: { taskToken: token, executionId: executionArn } }),
    { type: "TaskStarted", taskStartedEventDetails: { resourceType: "lambda", resource: "invoke.waitForTaskToken" } },
    { type: "TaskSubmitted", taskSubmittedEventDetails: { resourceType: "lambda", resource: "invoke.waitForTaskToken", output: "{}" } },
  ]);
}

/** Runs `sfn-lab ...args`, capturing what it prints and its exit code; an expected error becomes `error`. */
export async function runCli(args: string[]): Promise<{ lines: string[]; exitCode: number; error?: string }> {
  const lines: string[] = [];
  const log = console.log;
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  console.log = (...parts: unknown[]) => {
    lines.push(parts.map(String).join(" "));
  };
  try {
    const program = buildProgram();
    // Commander exits the process on a usage error; here it throws instead, and prints nothing.
    const quiet = (command: Command): void => {
      command.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
      command.commands.forEach(quiet);
    };
    quiet(program);
    await program.parseAsync(["node", "sfn-lab", ...args]);
    return { lines, exitCode: Number(process.exitCode ?? 0) };
  } catch (error) {
    return { lines, exitCode: 1, error: describeError(error) };
  } finally {
    console.log = log;
    process.exitCode = previousExitCode;
  }
}
