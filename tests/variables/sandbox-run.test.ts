import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../../sandbox";
import { fixtureModel, withStateMachine } from "../../sandbox/testing/fixture-model";
import { waitForExecution } from "../../sandbox/testing/sfn-helpers";

/**
 * A JSONPath machine with workflow variables deployed in the sandbox and started through the Step
 * Functions API ("Passing data between states with variables"): it runs, where it used to be refused.
 */
describe("a JSONPath machine with workflow variables, in the sandbox", function () {
  this.timeout(120_000);

  it("deploys and SUCCEEDS with the output AWS documents: variables read later, branch assignments kept inside", async () => {
    const rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-variables-"));
    const definition = {
      StartAt: "Remember",
      States: {
        Remember: { Type: "Pass", InputPath: "$.order", Assign: { "orderId.$": "$.id", tries: 0 }, Next: "Fan" },
        Fan: {
          Type: "Parallel",
          Branches: [{ StartAt: "Inner", States: { Inner: { Type: "Pass", Assign: { tries: 1 }, Parameters: { "id.$": "$orderId" }, End: true } } }],
          ResultPath: "$.fan",
          Next: "Pick",
        },
        Pick: { Type: "Choice", Choices: [{ Variable: "$tries", NumericEquals: 0, Next: "Done" }], Default: "Wrong" },
        Done: { Type: "Pass", Parameters: { "orderId.$": "$orderId", "branch.$": "$.fan[0].id", "exec.$": "$$.Execution.Name" }, End: true },
        Wrong: { Type: "Fail", Error: "Leaked", Cause: "a branch's assignment leaked out" },
      },
    };
    const sandbox = await Sandbox.start(withStateMachine(fixtureModel(), "uses-variables", definition, "lab-run-job-role"), { rootDir, writeConnectionFile: false });
    try {
      const sfn = new SFNClient(sandbox.clientConfig("sfn"));
      const stateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:uses-variables";
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "run-1", input: JSON.stringify({ order: { id: "o-7" } }) }));
      const description = await waitForExecution(sfn, executionArn as string);
      assert.equal(description.status, "SUCCEEDED", `${description.error}: ${description.cause}`);
      assert.deepEqual(JSON.parse(description.output ?? "null"), { orderId: "o-7", branch: "o-7", exec: "run-1" });
    } finally {
      await sandbox.stop();
      rmSync(rootDir, { recursive: true, force: true });
    }
  });
});
