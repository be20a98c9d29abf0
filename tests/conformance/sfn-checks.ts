import {
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type ExecutionStatus,
} from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { RESOURCE_TYPES } from "../../sandbox/model-view";
import { findResource } from "../reliability/labSandbox";
import { rejectsWith, type ConformanceSandbox } from "./context";

/**
 * Step Functions through the JavaScript SDK, each check naming the API reference or botocore model
 * (stepfunctions/2016-11-23) rule it asserts. Expected values come from those texts and the program.
 */
export function stepFunctionsChecks(lab: () => ConformanceSandbox): void {
  const machine = (pattern: "request-response" | "run-job" | "wait-for-callback") => lab().outputs.stateMachineArns[pattern];

  it("StartExecution (API reference): same name and input as a RUNNING STANDARD execution returns it; other input, or once closed, ExecutionAlreadyExists", async () => {
    const { sfn } = lab();
    const request = { stateMachineArn: machine("wait-for-callback"), name: "conformance.idempotent-1", input: '{"n":1}' };
    const first = await sfn.send(new StartExecutionCommand(request));
    const again = await sfn.send(new StartExecutionCommand(request));
    assert.equal(again.executionArn, first.executionArn);
    assert.equal(again.startDate?.getTime(), first.startDate?.getTime());
    await rejectsWith(sfn.send(new StartExecutionCommand({ ...request, input: '{"n":2}' })), "ExecutionAlreadyExists");
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    await rejectsWith(sfn.send(new StartExecutionCommand(request)), "ExecutionAlreadyExists");
  });

  it("StartExecution name (API reference; model shape Name: 1-80): '.' allowed; white space, brackets, ':' InvalidName; 81 characters ValidationException", async () => {
    const { sfn } = lab();
    const stateMachineArn = machine("wait-for-callback");
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "release.v1.2_build-7", input: "{}" }));
    assert.match(started.executionArn ?? "", /:execution:[^:]+:release\.v1\.2_build-7$/);
    await sfn.send(new StopExecutionCommand({ executionArn: started.executionArn }));
    for (const name of ["has space", "a<b", "a{b}", "a[b]", "what?", "a*", "a:b", "a/b", "a#b", "tab\there"]) {
      await rejectsWith(sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: "{}" })), "InvalidName", /Invalid Name/);
    }
    await rejectsWith(sfn.send(new StartExecutionCommand({ stateMachineArn, name: "x".repeat(81), input: "{}" })), "ValidationException", /less than or equal to 80/);
  });

  it("GetExecutionHistory includeExecutionData=false (API reference): events without their input/output (nor their details); true (the default) with them", async () => {
    const { sfn, outputs } = lab();
    const withData = await sfn.send(new GetExecutionHistoryCommand({ executionArn: outputs.finishedExecutionArn, maxResults: 1000 }));
    const started = withData.events?.find((e) => e.type === "ExecutionStarted");
    assert.equal(started?.executionStartedEventDetails?.input, "{}");
    const without = await sfn.send(new GetExecutionHistoryCommand({ executionArn: outputs.finishedExecutionArn, maxResults: 1000, includeExecutionData: false }));
    assert.equal(without.events?.length, withData.events?.length);
    for (const event of without.events ?? []) {
      for (const [key, details] of Object.entries(event)) {
        if (!key.endsWith("EventDetails") || typeof details !== "object" || details === null) continue;
        const data = ["input", "inputDetails", "output", "outputDetails", "parameters"].filter((member) => member in details);
        assert.deepEqual(data, [], `${event.type} ${key} still carries execution data`);
      }
    }
    const startedWithout = without.events?.find((e) => e.type === "ExecutionStarted");
    assert.equal(startedWithout?.executionStartedEventDetails?.roleArn, started?.executionStartedEventDetails?.roleArn);
  });

  it("maxResults (model shape PageSize: 0..1000): 1001 and -1 are ValidationException; 0 is the default page", async () => {
    const { sfn, outputs } = lab();
    const executionArn = outputs.finishedExecutionArn;
    await rejectsWith(sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1001 })), "ValidationException", /less than or equal to 1000/);
    await rejectsWith(sfn.send(new ListExecutionsCommand({ stateMachineArn: machine("run-job"), maxResults: -1 })), "ValidationException", /greater than or equal to 0/);
    await rejectsWith(sfn.send(new ListStateMachinesCommand({ maxResults: 5000 })), "ValidationException");
    const all = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const defaultPage = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 0 }));
    assert.equal(defaultPage.events?.length, Math.min(100, all.events?.length ?? 0));
  });

  it("ListExecutions statusFilter (model enum ExecutionStatus): PENDING_REDRIVE is valid; an unknown status is ValidationException", async () => {
    const { sfn } = lab();
    const pending = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine("run-job"), statusFilter: "PENDING_REDRIVE" }));
    assert.deepEqual(pending.executions, []);
    const succeeded = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine("run-job"), statusFilter: "SUCCEEDED" }));
    assert.ok(succeeded.executions?.some((e) => e.executionArn === lab().outputs.finishedExecutionArn));
    await rejectsWith(sfn.send(new ListExecutionsCommand({ stateMachineArn: machine("run-job"), statusFilter: "DONE" as ExecutionStatus })), "ValidationException");
  });

  it("ListStateMachines pages with maxResults/nextToken; a token it did not issue is InvalidToken (model: ListStateMachines errors)", async () => {
    const { sfn } = lab();
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sfn.send(new ListStateMachinesCommand({ maxResults: 1, nextToken }));
      assert.ok((page.stateMachines?.length ?? 0) <= 1);
      seen.push(...(page.stateMachines ?? []).map((m) => m.stateMachineArn ?? ""));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken && pages < 10);
    assert.deepEqual([...seen].sort(), Object.values(lab().outputs.stateMachineArns).sort());
    await rejectsWith(sfn.send(new ListStateMachinesCommand({ nextToken: "not-a-token" })), "InvalidToken");
  });

  it("DescribeStateMachine returns loggingConfiguration and tracingConfiguration as the program set them", async () => {
    const { sfn, model } = lab();
    const arn = machine("run-job");
    const declared = findResource(model, RESOURCE_TYPES.stateMachine, (r) => r.state.arn === arn, "the run-job state machine");
    const logging = declared.inputs.loggingConfiguration as { logDestination: string; level: string; includeExecutionData: boolean };
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    assert.deepEqual(described.loggingConfiguration, {
      level: logging.level,
      includeExecutionData: logging.includeExecutionData,
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: logging.logDestination } }],
    });
    assert.match(logging.logDestination, /^arn:aws:logs:us-east-1:\d{12}:log-group:\/aws\/vendedlogs\/states\/.+:\*$/);
    assert.deepEqual(described.tracingConfiguration, { enabled: true });
  });

  it("DescribeStateMachineForExecution (model: stateMachineArn, name, definition, roleArn, updateDate required) describes the execution's machine", async () => {
    const { sfn, outputs } = lab();
    const forExecution = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: outputs.finishedExecutionArn }));
    const machineDescription = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machine("run-job") }));
    assert.equal(forExecution.stateMachineArn, machine("run-job"));
    assert.equal(forExecution.name, machineDescription.name);
    assert.equal(forExecution.definition, machineDescription.definition);
    assert.equal(forExecution.roleArn, machineDescription.roleArn);
    assert.ok(forExecution.updateDate instanceof Date);
    assert.deepEqual(forExecution.loggingConfiguration, machineDescription.loggingConfiguration);
    const missing = `${outputs.finishedExecutionArn.slice(0, outputs.finishedExecutionArn.lastIndexOf(":"))}:no-such-execution`;
    await rejectsWith(sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: missing })), "ExecutionDoesNotExist");
  });

  it("ListTagsForResource (model: tags as [{key, value}]; errors InvalidArn, ResourceNotFound) answers the program's tags", async () => {
    const { sfn, model } = lab();
    const arn = machine("run-job");
    const declared = findResource(model, RESOURCE_TYPES.stateMachine, (r) => r.state.arn === arn, "the run-job state machine");
    const { tags } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    const expected = Object.entries(declared.inputs.tags as Record<string, string>).map(([key, value]) => ({ key, value }));
    assert.deepEqual(tags, expected);
    assert.ok(tags?.some((t) => t.key === "pattern" && t.value === "run-job"));
    await rejectsWith(sfn.send(new ListTagsForResourceCommand({ resourceArn: `${arn}-gone` })), "ResourceNotFound");
    await rejectsWith(sfn.send(new ListTagsForResourceCommand({ resourceArn: "not-an-arn" })), "InvalidArn");
  });
}
