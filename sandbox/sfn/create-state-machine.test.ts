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

/**
 * "Standard vs. Express Workflows": Express workflows support neither .sync nor .waitForTaskToken. The sandbox must
 * refuse such a machine (AWS refuses its definition), not run it as if it were STANDARD.
 */
describe("CreateStateMachine of an EXPRESS machine", () => {
  const ROLE = arn.role("lab-run-job-role");
  const task = (resource: string) => JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: resource, Parameters: { JobName: "j" }, End: true } } });

  function setUp() {
    const store = new ModelPolicyStore(fixtureModel());
    store.setRolePolicy("deployer", "deploy", {
      name: "deploy",
      policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["states:CreateStateMachine", "iam:PassRole"], Resource: "*" }] },
    });
    const principals = new PrincipalDirectory(ACCOUNT);
    const sfn = new StepFunctionsService([], { region: REGION, accountId: ACCOUNT, timeScale: 1 }, {} as IntegrationServices, principals, new Authorizer(ACCOUNT, store));
    return { sfn, caller: principals.roleSession(arn.role("deployer"), "ci").principal };
  }

  for (const suffix of [".sync", ".waitForTaskToken"]) {
    it(`refuses a ${suffix} Task with InvalidDefinition naming the state and the pattern`, async () => {
      const { sfn, caller } = setUp();
      const resource = suffix === ".sync" ? "arn:aws:states:::glue:startJobRun.sync" : "arn:aws:states:::lambda:invoke.waitForTaskToken";
      await assert.rejects(sfn.createStateMachine(caller, { name: "fast", definition: task(resource), roleArn: ROLE, type: "EXPRESS" }), (error: unknown) => {
        assert.equal((error as { code?: string }).code, "InvalidDefinition");
        assert.match((error as Error).message, new RegExp(`state "T", Resource ${resource.replace(/[.:]/g, "\\$&")}: Express workflows do not support the ${suffix.replace(".", "\\.")} integration pattern`));
        return true;
      });
    });
  }

  it("creates the same Task request-response as EXPRESS, and the .sync one as STANDARD", async () => {
    const { sfn, caller } = setUp();
    const fast = await sfn.createStateMachine(caller, { name: "fast", definition: task("arn:aws:states:::glue:startJobRun"), roleArn: ROLE, type: "EXPRESS" });
    const slow = await sfn.createStateMachine(caller, { name: "slow", definition: task("arn:aws:states:::glue:startJobRun.sync"), roleArn: ROLE });
    assert.equal(fast.stateMachineArn, `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:fast`);
    assert.equal(slow.stateMachineArn, `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:slow`);
  });
});
