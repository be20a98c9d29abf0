/**
 * The sandbox's Step Functions service with the real interpreter, task tokens and IAM authorizer, and the
 * registry's performers: enough to run state machines whose Tasks call Step Functions itself. Lambda and
 * Glue are not part of it (their performers are exercised by the sandbox tests).
 */
import type { IntegrationServices } from "../../integrations/performer";
import { Authorizer } from "../../sandbox/iam/authorizer";
import { ModelPolicyStore } from "../../sandbox/iam/policy-store";
import { PrincipalDirectory, type Principal } from "../../sandbox/iam/principals";
import { StepFunctionsService } from "../../sandbox/sfn/sfn-service";
import { TaskTokenRegistry } from "../../sandbox/sfn/task-tokens";
import { ACCOUNT, fixtureModel, REGION } from "../../sandbox/testing/fixture-model";

export { ACCOUNT, REGION };

/** A service this harness does not run: any use fails the test, naming it. */
function absent<T>(name: string): T {
  return new Proxy({}, { get: (_, key) => { throw new Error(`${name}.${String(key)} is not part of the Step Functions harness`); } }) as T;
}

export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const machineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;

export interface Harness {
  readonly sfn: StepFunctionsService;
  readonly tokens: TaskTokenRegistry;
  /** An operator allowed everything (creates machines, sends callbacks). */
  readonly operator: Principal;
  /** Gives a role one identity policy. */
  allow(role: string, statements: object[]): void;
  create(name: string, definition: object, role?: string): Promise<string>;
}

export function harness(timeScale = 0.01): Harness {
  const store = new ModelPolicyStore(fixtureModel());
  const authorizer = new Authorizer(ACCOUNT, store);
  const principals = new PrincipalDirectory(ACCOUNT);
  const tokens = new TaskTokenRegistry();
  const services: IntegrationServices = {
    region: REGION,
    accountId: ACCOUNT,
    lambda: absent("lambda"),
    glue: absent("glue"),
    glueWorkflows: absent("glueWorkflows"),
    dynamodb: absent("dynamodb"),
    sqs: absent("sqs"),
    sns: absent("sns"),
    s3: absent("s3"),
    events: absent("events"),
    states: {
      startExecution: (caller, request) => sfn.startExecution(caller, request),
      describeExecution: (caller, arn) => sfn.describeExecution(caller, arn),
      stopExecution: (caller, request) => sfn.stopExecution(caller, request),
      whenFinished: (arn) => sfn.whenFinished(arn),
    },
    authorize: (request) => authorizer.authorize(request),
    tokens,
    timeScale,
    syncPollIntervalMs: 10,
  };
  const sfn: StepFunctionsService = new StepFunctionsService([], { region: REGION, accountId: ACCOUNT, timeScale }, services, principals, authorizer);
  store.setRolePolicy("operator", "all", { name: "all", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } });
  const operator = principals.roleSession(roleArn("operator"), "test").principal;
  return {
    sfn,
    tokens,
    operator,
    allow(role, statements) {
      store.setRolePolicy(role, "test", { name: "test", policy: { Version: "2012-10-17", Statement: statements } });
      authorizer.forgetDecisions();
    },
    async create(name, definition, role = "child-role") {
      const created = await sfn.createStateMachine(operator, { name, definition: JSON.stringify(definition), roleArn: roleArn(role) });
      return created.stateMachineArn;
    },
  };
}
