/**
 * Optimized states:startExecution: a nested execution ("Start a new AWS Step Functions state machine from a
 * running execution": the optimized Step Functions API is StartExecution, with Request Response, Run a Job as
 * .sync (Output as JSON text) and .sync:2 (Output as JSON), and Wait for Callback).
 * IAM as the guide's "IAM policies for AWS Step Functions" page lists them: StartExecution on the child state
 * machine; for .sync also DescribeExecution and StopExecution on its executions, and PutTargets, PutRule and
 * DescribeRule on the EventBridge rule Step Functions uses to learn that the child ended.
 */
import type * as StepFunctions from "../perform/step-functions";
import { lazyPerformer } from "../define";
import type { IamStatementTemplate, IntegrationModule } from "../types";

/** The rule Step Functions puts targets on to learn that a .sync child ended (the guide's IAM page names it). */
export const SYNC_RULE = "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule";

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
      perform: lazyPerformer(() => (require("../perform/step-functions") as typeof StepFunctions).startNestedExecution),
    },
  },
};
