/**
 * Template placeholders are unknowns of the right type, not invalid ASL. CloudFormation's
 * AWS::StepFunctions::StateMachine `DefinitionSubstitutions` ("replaces ${...} placeholders in the
 * definition"), SAM's `DefinitionSubstitutions`, CDK and Terraform's `templatefile` all put `${...}` in ARNs
 * and in place of numbers; Step Functions only receives the substituted text.
 */
import * as assert from "assert";
import { analyzeDefinition, parseResource } from "../../policy/analysis";

const SAM_YAML = [
  "StartAt: StartJob",
  "States:",
  "  StartJob:",
  "    Type: Task",
  "    Resource: arn:${AWS::Partition}:states:::glue:startJobRun",
  "    Parameters:",
  "      JobName: ${EtlJobName}",
  "    Next: Remind",
  "  Remind:",
  "    Type: Wait",
  "    Seconds: ${ReminderTimeout}",
  "    Next: Notify",
  "  Notify:",
  "    Type: Task",
  "    Resource: arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${NotifyFunction}",
  "    End: true",
  "",
].join("\n");

describe("policy analysis: template placeholders", () => {
  it("a plain Glue start behind ${AWS::Partition} is still reported, the fix keeps the placeholder, and the finding says it depends on it", () => {
    // Expected: only glue-task-must-wait (startJobRun without .sync does not wait, "Run a Job (.sync)");
    // the placeholders in Resource, JobName and Seconds are not schema errors.
    const findings = analyzeDefinition(SAM_YAML, { format: "yaml" }).findings;
    assert.deepStrictEqual(findings.map((f) => `${f.rule} ${f.state}`), ["glue-task-must-wait StartJob"]);
    assert.match(findings[0].message, /change `arn:\$\{AWS::Partition\}:states:::glue:startJobRun` to `arn:\$\{AWS::Partition\}:states:::glue:startJobRun\.sync`/);
    assert.match(findings[0].message, /depends on the template placeholder `\$\{AWS::Partition\}`/);
  });

  it("the .sync form behind ${Partition} is clean", () => {
    const definition = {
      StartAt: "Run",
      States: { Run: { Type: "Task", Resource: "arn:${Partition}:states:::glue:startJobRun.sync", Parameters: { JobName: "${JobName}" }, TimeoutSeconds: "${Timeout}", End: true } },
    };
    assert.deepStrictEqual(analyzeDefinition(definition).findings, []);
  });

  it("Terraform's bare placeholders where numbers go (\"Seconds\": ${timeout}) read as unknowns, not as a JSON error", () => {
    const text = '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": ${reminder_timeout}, "Next": "Run"},\n' +
      ' "Run": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync", "Parameters": {"JobName": "${job}"}, "TimeoutSeconds": ${timeout}, "End": true}}}';
    // Expected: clean. TimeoutSeconds is set (to a value known at deploy), so waiting-task-has-timeout is quiet.
    assert.deepStrictEqual(analyzeDefinition(text).findings, []);
    // Another syntax error still fails, at its own position.
    const broken = analyzeDefinition('{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": ${t}, "Next": }}}');
    assert.ok(broken.parseError);
  });

  it("classifies ARNs with placeholders in partition, region, account and name", () => {
    const fn = parseResource("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${NotifyFunction}");
    assert.strictEqual(fn.kind, "lambda-function");
    assert.strictEqual(fn.partitionPlaceholder, "${AWS::Partition}");
    assert.deepStrictEqual(fn.placeholders, ["${AWS::Partition}", "${AWS::Region}", "${AWS::AccountId}", "${NotifyFunction}"]);
    const sdk = parseResource("arn:${AWS::Partition}:states:::aws-sdk:glue:startCrawler");
    assert.deepStrictEqual([sdk.kind, sdk.service, sdk.action, sdk.partition], ["sdk", "glue", "startCrawler", undefined]);
  });

  it("a real schema error next to a placeholder is still reported", () => {
    const definition = { StartAt: "W", States: { W: { Type: "Wait", Seconds: "${T}", SecondsPath: "$.s", End: true } } };
    const messages = analyzeDefinition(definition).findings.map((f) => f.message);
    assert.ok(messages.some((m) => /WAIT_DURATION|exactly one/.test(m)), messages.join("\n"));
  });
});
