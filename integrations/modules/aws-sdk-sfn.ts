/**
 * AWS SDK integration with Step Functions (aws-sdk:sfn:<action>): any Step Functions API action,
 * request-response or .waitForTaskToken. The sandbox runs StartExecution and DescribeExecution (the API's
 * answers, members in Pascal case); other actions are refused. Errors are "Sfn.<Code>Exception".
 */
import type { IntegrationServices, TaskAttempt } from "../performer";
import { describedOutput, stepFunctionsFailure } from "../perform/step-functions-calls";
import { callTask, param, requireStringParam } from "../perform/task-events";
import { SDK_PATTERNS } from "../patterns";
import type { IamStatementTemplate, IntegrationModule } from "../types";

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

async function startExecution(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
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

async function describeExecution(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  const executionArn = requireStringParam(attempt, "ExecutionArn");
  return sfnCall(attempt, services, async () => describedOutput(await services.states.describeExecution(attempt.principal, executionArn), false));
}

const both = (statements: readonly IamStatementTemplate[]) => ({ "request-response": statements, waitForTaskToken: statements });

export const awsSdkSfn: IntegrationModule = {
  name: "aws-sdk:sfn",
  kind: "sdk",
  service: "sfn",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
  actions: {
    startExecution: {
      patterns: SDK_PATTERNS,
      iam: both([{ actions: ["states:StartExecution"], resources: ["${StateMachineArn}"] }]),
      tokenCarrier: "Input",
      perform: startExecution,
    },
    describeExecution: {
      patterns: SDK_PATTERNS,
      iam: both([{ actions: ["states:DescribeExecution"], resources: ["${ExecutionArn}"] }]),
      perform: describeExecution,
    },
    "*": { patterns: SDK_PATTERNS },
  },
};
