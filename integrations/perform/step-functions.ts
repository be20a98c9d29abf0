/** How the sandbox performs the Step Functions integrations (states:startExecution, aws-sdk:sfn calls). */
import { randomUUID } from "node:crypto";
import { AwsServiceError } from "../../sandbox/aws-error";
import type { ExecutionDescription } from "../../sandbox/sfn/sfn-service";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";
import { callTask, failTask, param, recordScheduled, recordStarted, recordSubmitted, requireStringParam, sdkMetadata, succeedTask, untilAbandoned, waitForCallback } from "./task-events";
import { SYNC_RULE } from "../modules/states-start-execution";

/**
 * A failed Step Functions call, as the state sees it: "<Prefix>.<ErrorCode>Exception" with the Java SDK's cause
 * text. AWS SDK integrations: "ServiceName.ErrorName, both in Pascal case", the Exception suffix always added
 * ("Learning to use AWS service SDK integrations": Sfn.<...>Exception); the optimized integration says
 * StepFunctions (the name LocalStack records from AWS for it).
 */
export function stepFunctionsFailure(prefix: "Sfn" | "StepFunctions", error: unknown): TaskFailure {
  if (error instanceof TaskFailure) return error;
  if (!(error instanceof AwsServiceError)) return new TaskFailure(`${prefix}.SdkClientException`, (error as Error)?.message ?? String(error));
  const exception = error.code.endsWith("Exception") ? error.code : `${error.code}Exception`;
  const cause = `${error.message} (Service: AWSStepFunctions; Status Code: ${error.httpStatus}; Error Code: ${error.code}; Request ID: ${randomUUID()}; Proxy: null)`;
  return new TaskFailure(`${prefix}.${exception}`, cause);
}

/** DescribeExecution's answer as a task output: members capitalised as the Java SDK names them, dates in epoch ms. */
export function describedOutput(description: ExecutionDescription, parseData: boolean): Record<string, unknown> {
  const capitalise = (value: unknown): unknown => {
    if (value instanceof Date) return value.getTime();
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), capitalise(v)]));
  };
  const out = capitalise(description) as Record<string, unknown>;
  // .sync:2: "returns JSON output rather than escaped string" (the guide's Step Functions integration page).
  if (parseData) for (const key of ["Input", "Output"]) if (typeof out[key] === "string") out[key] = JSON.parse(out[key] as string) as unknown;
  return out;
}

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
export async function startNestedExecution(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
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

/** A Step Functions call; its failure is the state's, named as SDK integrations name errors. */
function sfnCall(attempt: TaskAttempt, services: IntegrationServices, call: () => Promise<unknown>): Promise<unknown> {
  return callTask(attempt, services, "sfn", async () => {
    try {
      return await call();
    } catch (error) {
      throw stepFunctionsFailure("Sfn", error);
    }
  });
}

export async function sdkStartExecution(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  const stateMachineArn = requireStringParam(attempt, "StateMachineArn");
  const input = param(attempt, "Input");
  const name = param(attempt, "Name");
  return sfnCall(attempt, services, async () => {
    const started = await services.states.startExecution(attempt.principal, {
      stateMachineArn,
      ...(input !== undefined ? { input: typeof input === "string" ? input : JSON.stringify(input) } : {}),
      ...(typeof name === "string" ? { name } : {}),
    });
    return { ExecutionArn: started.executionArn, StartDate: started.startDate.getTime() };
  });
}

export async function sdkDescribeExecution(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  const executionArn = requireStringParam(attempt, "ExecutionArn");
  return sfnCall(attempt, services, async () => describedOutput(await services.states.describeExecution(attempt.principal, executionArn), false));
}
