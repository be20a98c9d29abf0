/**
 * Optimized states:startExecution: a nested execution ("Start a new AWS Step Functions state machine from a
 * running execution": the optimized Step Functions API is StartExecution, with Request Response, Run a Job as
 * .sync (Output as JSON text) and .sync:2 (Output as JSON), and Wait for Callback).
 * IAM as the guide's "IAM policies for AWS Step Functions" page lists them: StartExecution on the child state
 * machine; for .sync also DescribeExecution and StopExecution on its executions, and PutTargets, PutRule and
 * DescribeRule on the EventBridge rule Step Functions uses to learn that the child ended.
 */
import { randomUUID } from "node:crypto";
import type { ExecutionDescription } from "../../sandbox/sfn/sfn-service";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";
import { describedOutput, stepFunctionsFailure } from "../perform/step-functions-calls";
import { failTask, param, recordScheduled, recordStarted, recordSubmitted, requireStringParam, sdkMetadata, succeedTask, untilAbandoned, waitForCallback } from "../perform/task-events";
import type { IamStatementTemplate, IntegrationModule } from "../types";

/** The rule Step Functions puts targets on to learn that a .sync child ended (the guide's IAM page names it). */
const SYNC_RULE = "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule";

/** The child's input: Input as given (JSON text, or a JSON value serialised); "{}" without one, as StartExecution takes it. */
function childInput(attempt: TaskAttempt): string {
  const input = param(attempt, "Input");
  if (input === undefined || input === null) return "{}";
  return typeof input === "string" ? input : JSON.stringify(input);
}

/**
 * Starts the child as the parent's role. Request-response returns at once; .sync and .sync:2 wait for the
 * child to end (and stop it when the parent's state is abandoned); .waitForTaskToken waits for the callback.
 */
async function startExecution(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  recordScheduled(attempt, services);
  const stateMachineArn = requireStringParam(attempt, "StateMachineArn");
  const name = param(attempt, "Name");
  const pattern = attempt.resource.pattern;
  const waitsForChild = pattern === "sync" || pattern === "sync:2";
  recordStarted(attempt);
  let started: { executionArn: string; startDate: Date };
  try {
    if (waitsForChild) {
      // .sync puts a target on Step Functions' managed rule before it starts the child: the role must allow it.
      const rule = `arn:aws:events:${services.region}:${services.accountId}:${SYNC_RULE}`;
      for (const action of ["events:PutTargets", "events:PutRule", "events:DescribeRule"]) {
        await services.authorize({ principal: attempt.principal, action, resourceArn: rule });
      }
    }
    started = await services.states.startExecution(attempt.principal, {
      stateMachineArn,
      input: childInput(attempt),
      ...(typeof name === "string" ? { name } : {}),
    });
  } catch (error) {
    throw failTask(attempt, stepFunctionsFailure("StepFunctions", error));
  }
  const response = { ExecutionArn: started.executionArn, StartDate: started.startDate.getTime(), ...sdkMetadata(randomUUID()) };
  if (pattern === "waitForTaskToken") {
    recordSubmitted(attempt, response);
    return waitForCallback(attempt, services);
  }
  if (!waitsForChild) return succeedTask(attempt, response);

  recordSubmitted(attempt, response);
  attempt.onAbandon(async () => {
    // Stopping the parent (or its state timing out) stops the child it waits for, if the role may.
    await services.states.stopExecution(attempt.principal, { executionArn: started.executionArn }).catch(() => undefined);
  });
  await untilAbandoned(services.states.whenFinished(started.executionArn), attempt.signal);
  let description: ExecutionDescription;
  try {
    description = await services.states.describeExecution(attempt.principal, started.executionArn);
  } catch (error) {
    throw failTask(attempt, stepFunctionsFailure("StepFunctions", error));
  }
  const output = describedOutput(description, pattern === "sync:2");
  if (description.status === "SUCCEEDED") return succeedTask(attempt, output);
  // A child that failed, timed out or was stopped fails the parent's state with its description as the cause.
  throw failTask(attempt, new TaskFailure("States.TaskFailed", JSON.stringify(output)));
}

const START: IamStatementTemplate = { actions: ["states:StartExecution"], resources: ["${StateMachineArn}"] };
const SYNC: readonly IamStatementTemplate[] = [
  START,
  { actions: ["states:DescribeExecution", "states:StopExecution"], resources: ["arn:${Partition}:states:${Region}:${Account}:execution:${StateMachineArn.last}:*"] },
  {
    actions: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
    resources: ["arn:${Partition}:events:${Region}:${Account}:" + SYNC_RULE],
  },
];

export const statesStartExecution: IntegrationModule = {
  name: "states:startExecution",
  kind: "optimized",
  service: "states",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html",
  actions: {
    startExecution: {
      patterns: ["request-response", "sync", "sync:2", "waitForTaskToken"],
      iam: { "request-response": [START], sync: SYNC, "sync:2": SYNC, waitForTaskToken: [START] },
      tokenCarrier: "Input",
      job: { label: "nested Step Functions execution", sdk: ["sfn:startExecution"] },
      perform: startExecution,
    },
  },
};
