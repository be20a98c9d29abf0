import * as assert from "node:assert/strict";
import { AccessDeniedError } from "../aws-error";
import { Authorizer } from "../iam/authorizer";
import { ModelPolicyStore } from "../iam/policy-store";
import { PrincipalDirectory } from "../iam/principals";
import { ACCOUNT, arn, fixtureModel, REGION } from "../testing/fixture-model";
import type { IntegrationServices } from "./integrations";
import { StepFunctionsService } from "./sfn-service";

/** CreateStateMachine's authorization: states:CreateStateMachine on the machine, iam:PassRole on its role. */
describe("CreateStateMachine authorization", () => {
  const DEFINITION = JSON.stringify({ StartAt: "Done", States: { Done: { Type: "Succeed" } } });
  const ROLE = arn.role("lab-run-job-role");

  function setUp(statements: object[]) {
    const store = new ModelPolicyStore(fixtureModel());
    store.setRolePolicy("deployer", "deploy", { name: "deploy", policy: { Version: "2012-10-17", Statement: statements } });
    const authorizer = new Authorizer(ACCOUNT, store);
    const principals = new PrincipalDirectory(ACCOUNT);
    // No execution runs here: integrations are never called.
    const sfn = new StepFunctionsService([], { region: REGION, accountId: ACCOUNT, timeScale: 1 }, {} as IntegrationServices, principals, authorizer);
    return { sfn, caller: principals.roleSession(arn.role("deployer"), "ci").principal };
  }

  it("a caller allowed states:CreateStateMachine but not iam:PassRole on the role is AccessDenied naming iam:PassRole", async () => {
    const { sfn, caller } = setUp([{ Effect: "Allow", Action: "states:CreateStateMachine", Resource: "*" }]);
    await assert.rejects(sfn.createStateMachine(caller, { name: "from-ci", definition: DEFINITION, roleArn: ROLE }), (error: unknown) => {
      assert.ok(error instanceof AccessDeniedError);
      assert.equal(error.action, "iam:PassRole");
      assert.equal(error.resourceArn, ROLE);
      return true;
    });
  });

  it("with both permissions the machine is created, under the caller's region and account", async () => {
    const { sfn, caller } = setUp([
      { Effect: "Allow", Action: "states:CreateStateMachine", Resource: "*" },
      { Effect: "Allow", Action: "iam:PassRole", Resource: ROLE },
    ]);
    const created = await sfn.createStateMachine(caller, { name: "from-ci", definition: DEFINITION, roleArn: ROLE });
    assert.equal(created.stateMachineArn, `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:from-ci`);
  });

  it("without states:CreateStateMachine the call is AccessDenied on the machine's ARN", async () => {
    const { sfn, caller } = setUp([{ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }]);
    await assert.rejects(sfn.createStateMachine(caller, { name: "from-ci", definition: DEFINITION, roleArn: ROLE }), (error: unknown) => {
      assert.ok(error instanceof AccessDeniedError);
      assert.equal(error.action, "states:CreateStateMachine");
      assert.equal(error.resourceArn, `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:from-ci`);
      return true;
    });
  });
});
