import * as assert from "node:assert/strict";
import { AwsServiceError } from "../aws-error";
import { checkDefinitionSize, checkRoleArn, checkStateMachineName, loggingConfigurationOf, tagsOf, tracingConfigurationOf } from "./state-machine-requests";
import { validateStateMachineDefinition } from "./validate-definition";

const codeOf = (call: () => unknown): string => {
  try {
    call();
  } catch (error) {
    if (error instanceof AwsServiceError) return error.code;
    throw error;
  }
  return "none";
};

/** botocore stepfunctions 2016-11-23: CreateStateMachineInput's shapes and the errors the model lists. */
describe("CreateStateMachine request checks", () => {
  it("name: shape Name 1-80 (ValidationException), StartExecution's forbidden characters (InvalidName)", () => {
    assert.equal(codeOf(() => checkStateMachineName("nightly.etl-v2")), "none");
    assert.equal(codeOf(() => checkStateMachineName("")), "ValidationException");
    assert.equal(codeOf(() => checkStateMachineName("n".repeat(81))), "ValidationException");
    for (const name of ["a b", "a:b", "a/b", "a*b"]) assert.equal(codeOf(() => checkStateMachineName(name)), "InvalidName", name);
  });

  it("roleArn: an IAM role ARN, with or without a path (InvalidArn otherwise)", () => {
    assert.equal(codeOf(() => checkRoleArn("arn:aws:iam::123456789012:role/lab/run-job")), "none");
    for (const arn of ["arn:aws:iam::123456789012:user/x", "run-job", "arn:aws:iam::1234:role/x"]) assert.equal(codeOf(() => checkRoleArn(arn)), "InvalidArn", arn);
  });

  it("definition: shape Definition, at most 1048576 characters", () => {
    assert.equal(codeOf(() => checkDefinitionSize("x".repeat(1_048_576))), "none");
    assert.equal(codeOf(() => checkDefinitionSize("x".repeat(1_048_577))), "ValidationException");
  });

  it("loggingConfiguration: default OFF; a level other than OFF needs exactly one log group ARN ending :*", () => {
    assert.deepEqual(loggingConfigurationOf(undefined), { level: "OFF", includeExecutionData: false });
    const group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/x:*";
    assert.deepEqual(loggingConfigurationOf({ level: "ERROR", destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: group } }] }), {
      level: "ERROR",
      includeExecutionData: false,
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: group } }],
    });
    assert.equal(codeOf(() => loggingConfigurationOf({ level: "ALL" })), "InvalidLoggingConfiguration");
    assert.equal(codeOf(() => loggingConfigurationOf({ level: "ALL", destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:x" } }] })), "InvalidLoggingConfiguration");
    assert.equal(codeOf(() => loggingConfigurationOf({ level: "VERBOSE" })), "ValidationException");
  });

  it("tracingConfiguration {enabled: boolean} and tags [{key 1-128, value 0-256}]", () => {
    assert.deepEqual(tracingConfigurationOf({ enabled: true }), { enabled: true });
    assert.equal(codeOf(() => tracingConfigurationOf({ enabled: "yes" })), "InvalidTracingConfiguration");
    assert.deepEqual(tagsOf([{ key: "team", value: "etl" }, { key: "empty" }]), { team: "etl", empty: "" });
    assert.equal(codeOf(() => tagsOf([{ key: "k".repeat(129), value: "" }])), "ValidationException");
  });
});

describe("ValidateStateMachineDefinition", () => {
  it("OK with no diagnostics for a valid machine; FAIL with ERROR diagnostics {code, message, location} otherwise", () => {
    assert.deepEqual(validateStateMachineDefinition({ definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Succeed" } } }) }), {
      result: "OK",
      diagnostics: [],
      truncated: false,
    });
    const bad = validateStateMachineDefinition({ definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nowhere" } } }) });
    assert.equal(bad.result, "FAIL");
    assert.ok(bad.diagnostics.length > 0);
    assert.ok(bad.diagnostics.every((d) => d.severity === "ERROR" && d.code === "SCHEMA_VALIDATION_FAILED" && d.message.length > 0));
  });

  it("a definition that does not parse is INVALID_JSON_DESCRIPTION; maxResults truncates", () => {
    const broken = validateStateMachineDefinition({ definition: "{ not json" });
    assert.equal(broken.result, "FAIL");
    assert.equal(broken.diagnostics[0]?.code, "INVALID_JSON_DESCRIPTION");
    const many = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Next: "X" }, B: { Type: "Pass", Next: "Y" } } });
    const one = validateStateMachineDefinition({ definition: many, maxResults: 1 });
    assert.equal(one.diagnostics.length, 1);
    assert.equal(one.truncated, true);
  });

  it("severity and type are the model's enums (ValidationException otherwise)", () => {
    assert.equal(codeOf(() => validateStateMachineDefinition({ definition: "{}", severity: "INFO" })), "ValidationException");
    assert.equal(codeOf(() => validateStateMachineDefinition({ definition: "{}", type: "BATCH" })), "ValidationException");
  });
});
