import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import * as assert from "node:assert/strict";
import { functionLogGroups, RESOURCE_TYPES } from "../../sandbox/model-view";
import { findResource } from "../reliability/labSandbox";
import { rejectsWith, type ConformanceSandbox } from "./context";

/**
 * CloudWatch Logs through the JavaScript SDK, each check naming the API reference or botocore model
 * (logs/2014-03-28) rule it asserts. The groups are the program's; the run-job execution that ran before
 * the checks wrote the functions' and the Glue job's logs and its execution events.
 */
export function logsChecks(lab: () => ConformanceSandbox): void {
  const groupOf = (functionName: string) => {
    const found = functionLogGroups(lab().model).find((f) => f.functionName === functionName);
    if (!found) throw new Error(`no function ${functionName} in the program`);
    return found.logGroupName;
  };

  it("DescribeLogGroups lists the program's log groups (functions', state machines') and Glue's output group, with arn ending ':*' and logGroupArn without", async () => {
    const { logs, model, outputs } = lab();
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));
    const names = (logGroups ?? []).map((g) => g.logGroupName);
    const declared = model.resources.filter((r) => r.type === RESOURCE_TYPES.logGroup).map((r) => r.state.name as string);
    assert.equal(declared.length, 7, "the lab declares three function groups and four state machine groups");
    for (const name of declared) assert.ok(names.includes(name), `${name} missing from ${names.join(", ")}`);
    assert.ok(names.includes(groupOf(outputs.functionNames.checkFile)));
    assert.ok(names.includes("/aws-glue/python-jobs/output"), "Glue creates /aws-glue/python-jobs/output on a python shell job's first run");
    assert.deepEqual([...names], [...names].sort(), "ordered by name");
    const group = logGroups?.find((g) => g.logGroupName === declared[0]);
    assert.equal(group?.arn, `${group?.logGroupArn}:*`);
    const retention = findResource(model, RESOURCE_TYPES.logGroup, (r) => r.state.name === declared[0], declared[0]).inputs.retentionInDays;
    assert.equal(group?.retentionInDays, retention);
  });

  it("DescribeLogGroups logGroupNamePrefix filters; limit (model shape DescribeLimit: 1..50) pages; 51 is InvalidParameterException", async () => {
    const { logs } = lab();
    const lambda = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/" }));
    assert.equal(lambda.logGroups?.length, 3);
    const first = await logs.send(new DescribeLogGroupsCommand({ limit: 1 }));
    assert.equal(first.logGroups?.length, 1);
    assert.ok(first.nextToken);
    const second = await logs.send(new DescribeLogGroupsCommand({ limit: 1, nextToken: first.nextToken }));
    assert.notEqual(second.logGroups?.[0].logGroupName, first.logGroups?.[0].logGroupName);
    await rejectsWith(logs.send(new DescribeLogGroupsCommand({ limit: 51 })), "InvalidParameterException");
    await rejectsWith(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws", logGroupNamePattern: "lambda" })), "InvalidParameterException");
  });

  it("DescribeLogStreams and GetLogEvents read a function's invocations: START, END and REPORT lines, paged by nextForwardToken", async () => {
    const { logs, outputs } = lab();
    const logGroupName = groupOf(outputs.functionNames.checkFile);
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName }));
    assert.equal(logStreams?.length, 1);
    const stream = logStreams?.[0];
    assert.match(stream?.logStreamName ?? "", /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok((stream?.firstEventTimestamp ?? 0) > 0);
    const logStreamName = stream?.logStreamName as string;
    const all = await logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true }));
    const messages = (all.events ?? []).map((e) => e.message ?? "");
    assert.match(messages[0], /^START RequestId: \S+ Version: \$LATEST$/);
    assert.ok(messages.some((m) => m.startsWith("REPORT RequestId: ")));
    // Paging one event at a time reads the same events; at the end the forward token comes back unchanged.
    const paged: string[] = [];
    let token: string | undefined;
    for (let i = 0; i <= messages.length; i++) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, limit: 1, nextToken: token }));
      paged.push(...(page.events ?? []).map((e) => e.message ?? ""));
      if (page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
    // Invocations running meanwhile may append: what was read is the stream's start, and at least what the first read saw.
    const after = await logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true }));
    assert.ok(paged.length >= messages.length);
    assert.deepEqual(paged, (after.events ?? []).map((e) => e.message ?? "").slice(0, paged.length));
    await rejectsWith(logs.send(new GetLogEventsCommand({ logGroupName, logStreamName: "no-such-stream" })), "ResourceNotFoundException");
    await rejectsWith(logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/no-such-group" })), "ResourceNotFoundException");
  });

  it("FilterLogEvents with plain terms matches case-sensitively across streams; other pattern syntax is refused with InvalidParameterException", async () => {
    const { logs, outputs } = lab();
    const logGroupName = groupOf(outputs.functionNames.validateOutput);
    const reports = await logs.send(new FilterLogEventsCommand({ logGroupName, filterPattern: "REPORT Duration" }));
    assert.ok((reports.events?.length ?? 0) >= 1);
    for (const event of reports.events ?? []) assert.ok(event.message?.includes("REPORT") && event.message.includes("Duration"), event.message);
    const lower = await logs.send(new FilterLogEventsCommand({ logGroupName, filterPattern: "report" }));
    assert.ok(!lower.events?.some((e) => e.message?.startsWith("REPORT")), "terms are case sensitive");
    assert.deepEqual(reports.searchedLogStreams?.map((s) => s.searchedCompletely), [true]);
    for (const pattern of ["?ERROR ?WARN", "-DEBUG", '{ $.level = "ERROR" }', "[ip, user]", "%ERR.*%"]) {
      await rejectsWith(logs.send(new FilterLogEventsCommand({ logGroupName, filterPattern: pattern })), "InvalidParameterException", /does not evaluate/);
    }
  });

  it("FilterLogEvents on a state machine's group: its execution events in Step Functions' log format (id, type, details, execution_arn)", async () => {
    const { logs, outputs, model } = lab();
    const machineArn = outputs.stateMachineArns["run-job"];
    const declared = findResource(model, RESOURCE_TYPES.stateMachine, (r) => r.state.arn === machineArn, "run-job");
    const groupArn = (declared.inputs.loggingConfiguration as { logDestination: string }).logDestination;
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupIdentifier: groupArn, filterPattern: `"${outputs.finishedExecutionArn}"` }));
    const parsed = (events ?? []).map((e) => JSON.parse(e.message ?? "{}") as { id: string; type: string; execution_arn: string; details: Record<string, unknown> });
    assert.equal(parsed[0]?.type, "ExecutionStarted");
    assert.equal(parsed.at(-1)?.type, "ExecutionSucceeded");
    assert.ok(parsed.every((p) => p.execution_arn === outputs.finishedExecutionArn));
    assert.deepEqual(parsed.map((p) => Number(p.id)), parsed.map((_, i) => i + 1));
  });

  it("operations the sandbox does not implement (it reads logs, never writes them) answer UnknownOperationException", async () => {
    await rejectsWith(lab().logs.send(new CreateLogGroupCommand({ logGroupName: "/sandbox/new" })), "UnknownOperationException");
  });

  it("IAM applies to the caller: the check-file function's role may write its own logs but not describe log groups (AccessDeniedException)", async () => {
    const { sandbox, model, outputs } = lab();
    const fn = findResource(model, RESOURCE_TYPES.function, (r) => r.state.name === outputs.functionNames.checkFile, "check-file");
    const asFunction = new CloudWatchLogsClient({ ...sandbox.clientConfig("logs"), credentials: sandbox.credentialsFor(fn.state.role as string, outputs.functionNames.checkFile) });
    try {
      await rejectsWith(asFunction.send(new DescribeLogGroupsCommand({})), "AccessDeniedException", /logs:DescribeLogGroups/);
      await rejectsWith(asFunction.send(new FilterLogEventsCommand({ logGroupName: groupOf(outputs.functionNames.checkFile) })), "AccessDeniedException", /logs:FilterLogEvents/);
    } finally {
      asFunction.destroy();
    }
  });
}
