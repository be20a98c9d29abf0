import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Authorizer } from "../iam/authorizer";
import type { Principal } from "../iam/principals";
import type { GlueJobView, StateMachineView } from "../model-view";
import { HistoryRecorder } from "../sfn/history";
import { LogSources, type ExecutionLog } from "./log-sources";
import { LogsService } from "./logs-service";

const OPERATOR: Principal = { arn: "arn:aws:iam::123456789012:user/sandbox-operator", kind: "operator" };
const GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/m-1";

function machine(level: StateMachineView["loggingConfiguration"]["level"], includeExecutionData: boolean): StateMachineView {
  return {
    logicalName: "m",
    name: "m",
    arn: "arn:aws:states:us-east-1:123456789012:stateMachine:m",
    roleArn: "arn:aws:iam::123456789012:role/m",
    definition: "{}",
    type: "STANDARD",
    loggingConfiguration: { level, includeExecutionData, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `${GROUP_ARN}:*` } }] },
    tracingConfiguration: { enabled: false },
    tags: {},
  };
}

function failedExecution(): ExecutionLog {
  const history = new HistoryRecorder();
  history.add("ExecutionStarted", { input: '{"secret":1}', inputDetails: { truncated: false }, roleArn: "arn:aws:iam::123456789012:role/m" }, 1_000);
  history.add("TaskStateEntered", { name: "Work", input: '{"secret":1}', inputDetails: { truncated: false } }, 1_001);
  history.add("TaskFailed", { error: "Boom", cause: "it broke" }, 1_002);
  history.add("ExecutionFailed", { error: "Boom", cause: "it broke" }, 1_003);
  return { executionArn: "arn:aws:states:us-east-1:123456789012:execution:m:e1", name: "e1", startDate: new Date(1_000), events: history.all() };
}

describe("CloudWatch Logs over the sandbox's files and executions", () => {
  let dir: string;
  const glueJob = { name: "job", commandName: "pythonshell" } as GlueJobView;

  function service(level: StateMachineView["loggingConfiguration"]["level"] = "ALL", includeExecutionData = true): LogsService {
    const sources = new LogSources({
      region: "us-east-1",
      accountId: "123456789012",
      startedAt: 500,
      declared: [{ logicalName: "g", name: "/aws/vendedlogs/states/m-1", arn: GROUP_ARN, tags: {} }, { logicalName: "f", name: "/aws/lambda/fn-logs", arn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn-logs", tags: {} }],
      functions: [{ functionName: "fn", logGroupName: "/aws/lambda/fn-logs" }],
      glueJobs: [glueJob],
      lambdaLogFile: (fn) => path.join(dir, "lambda", `${fn}.log`),
      glueLogDir: path.join(dir, "glue"),
      executions: () => [{ machine: machine(level, includeExecutionData), executions: [failedExecution()] }],
    });
    return new LogsService(sources, new Authorizer("123456789012", { identityPolicies: () => [], resourcePolicy: () => undefined }));
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "logs-service-"));
    mkdirSync(path.join(dir, "lambda"));
    const lines = [1, 2, 3, 4, 5].map((i) => JSON.stringify({ level: "INFO", message: `line ${i}`, timestamp: new Date(2_000_000 + i * 1000).toISOString() }));
    writeFileSync(path.join(dir, "lambda", "fn.log"), `${lines.join("\n")}\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("GetLogEvents without startFromHead gives the newest events; the backward token walks back, the forward token stays put at the end", async () => {
    const logs = service();
    const [stream] = (await logs.describeLogStreams(OPERATOR, { logGroupName: "/aws/lambda/fn-logs" })).logStreams;
    const request = { logGroupName: "/aws/lambda/fn-logs", logStreamName: stream.logStreamName, limit: 2 };
    const newest = await logs.getLogEvents(OPERATOR, request);
    assert.deepEqual(newest.events.map((e) => JSON.parse(e.message).message), ["line 4", "line 5"]);
    const older = await logs.getLogEvents(OPERATOR, { ...request, nextToken: newest.nextBackwardToken });
    assert.deepEqual(older.events.map((e) => JSON.parse(e.message).message), ["line 2", "line 3"]);
    const atEnd = await logs.getLogEvents(OPERATOR, { ...request, nextToken: newest.nextForwardToken });
    assert.deepEqual(atEnd.events, []);
    assert.equal(atEnd.nextForwardToken, newest.nextForwardToken);
    await assert.rejects(logs.getLogEvents(OPERATOR, { ...request, nextToken: "x/1" }), (e: Error) => e.name === "InvalidParameterException");
  });

  it("takes JSON lines' own timestamps: startTime inclusive, GetLogEvents endTime exclusive, FilterLogEvents endTime inclusive", async () => {
    const logs = service();
    const [stream] = (await logs.describeLogStreams(OPERATOR, { logGroupName: "/aws/lambda/fn-logs" })).logStreams;
    assert.equal(stream.firstEventTimestamp, 2_001_000);
    assert.equal(stream.lastEventTimestamp, 2_005_000);
    const got = await logs.getLogEvents(OPERATOR, { logGroupName: "/aws/lambda/fn-logs", logStreamName: stream.logStreamName, startTime: 2_002_000, endTime: 2_004_000, startFromHead: true });
    assert.deepEqual(got.events.map((e) => e.timestamp), [2_002_000, 2_003_000]);
    const filtered = await logs.filterLogEvents(OPERATOR, { logGroupName: "/aws/lambda/fn-logs", startTime: 2_002_000, endTime: 2_004_000 });
    assert.deepEqual(filtered.events.map((e) => e.timestamp), [2_002_000, 2_003_000, 2_004_000]);
  });

  it("shows Glue's groups once a run wrote logs, one stream per run named by its JobRunId", async () => {
    const logs = service();
    assert.ok(!(await logs.describeLogGroups(OPERATOR, {})).logGroups.some((g) => g.logGroupName.startsWith("/aws-glue/")));
    mkdirSync(path.join(dir, "glue"));
    writeFileSync(path.join(dir, "glue", "job.jr_abc.output.log"), "started\nfinished\n");
    writeFileSync(path.join(dir, "glue", "job.jr_abc.error.log"), "warning\n");
    const names = (await logs.describeLogGroups(OPERATOR, {})).logGroups.map((g) => g.logGroupName);
    assert.deepEqual(names, ["/aws-glue/python-jobs/error", "/aws-glue/python-jobs/output", "/aws/lambda/fn-logs", "/aws/vendedlogs/states/m-1"]);
    const streams = (await logs.describeLogStreams(OPERATOR, { logGroupName: "/aws-glue/python-jobs/output" })).logStreams;
    assert.deepEqual(streams.map((s) => s.logStreamName), ["jr_abc"]);
  });

  it("logs a state machine's events by its level: ALL every event, ERROR the failures, FATAL the execution's failure; without execution data when so configured", async () => {
    const types = async (logs: LogsService) =>
      (await logs.filterLogEvents(OPERATOR, { logGroupIdentifier: GROUP_ARN })).events.map((e) => (JSON.parse(e.message) as { type: string }).type);
    assert.deepEqual(await types(service("ALL")), ["ExecutionStarted", "TaskStateEntered", "TaskFailed", "ExecutionFailed"]);
    assert.deepEqual(await types(service("ERROR")), ["TaskFailed", "ExecutionFailed"]);
    assert.deepEqual(await types(service("FATAL")), ["ExecutionFailed"]);
    const [started] = (await service("ALL", false).filterLogEvents(OPERATOR, { logGroupIdentifier: `${GROUP_ARN}:*` })).events;
    const record = JSON.parse(started.message) as { details: Record<string, unknown>; execution_arn: string; event_timestamp: string };
    assert.deepEqual(record.details, { roleArn: "arn:aws:iam::123456789012:role/m" });
    assert.equal(record.event_timestamp, "1000");
    assert.equal(record.execution_arn, "arn:aws:states:us-east-1:123456789012:execution:m:e1");
  });

  it("needs exactly one of logGroupName and logGroupIdentifier, and refuses logStreamNames with logStreamNamePrefix", async () => {
    const logs = service();
    const refused = (e: Error) => e.name === "InvalidParameterException";
    await assert.rejects(logs.describeLogStreams(OPERATOR, {}), refused);
    await assert.rejects(logs.describeLogStreams(OPERATOR, { logGroupName: "/aws/lambda/fn-logs", logGroupIdentifier: "/aws/lambda/fn-logs" }), refused);
    await assert.rejects(logs.filterLogEvents(OPERATOR, { logGroupName: "/aws/lambda/fn-logs", logStreamNames: ["a"], logStreamNamePrefix: "a" }), refused);
    await assert.rejects(logs.describeLogStreams(OPERATOR, { logGroupName: "/aws/lambda/fn-logs", logStreamNamePrefix: "2", orderBy: "LastEventTime" }), refused);
  });
});
