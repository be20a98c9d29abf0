import { AwsServiceError } from "../aws-error";
import type { GlueService } from "../glue/glue-service";
import type { GlueWorkflowService } from "../glue/workflow-service";
import type { Principal } from "../iam/principals";
import type { StatusFilter, StepFunctionsService } from "../sfn/sfn-service";
import { glueJobOperations } from "./glue-job-operations";
import { glueCrawlerOperations, type GlueCrawling } from "./glue-crawler-operations";
import { glueWorkflowOperations } from "./glue-workflow-operations";
import { optionalNumber, optionalString, requiredString } from "./json-protocol";
import { boundedInteger, optionalBoolean } from "./validation";

export type Operation = (caller: Principal, body: Record<string, unknown>) => Promise<unknown>;

/** X-Amz-Target prefix -> operations, and the content type the protocol answers with. */
export interface ServiceProtocol {
  readonly contentType: string;
  readonly operations: Readonly<Record<string, Operation>>;
}

const SFN_VALIDATION = "ValidationException";
const GLUE_VALIDATION = "InvalidInputException";

/** Model shape ExecutionStatus (enum), which ListExecutions' statusFilter takes. */
const EXECUTION_STATUSES: readonly string[] = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"];
/** Model shape PageSize: integer, min 0, max 1000. */
const pageSize = (b: Record<string, unknown>) => boundedInteger(b, "maxResults", 0, 1000, SFN_VALIDATION);

/** AWSStepFunctions.* over the sandbox's Step Functions. */
export function stepFunctionsProtocol(sfn: StepFunctionsService): ServiceProtocol {
  const arnOf = (b: Record<string, unknown>, field: string) => requiredString(b, field, SFN_VALIDATION);
  return {
    contentType: "application/x-amz-json-1.0",
    operations: {
      StartExecution: (caller, b) =>
        sfn.startExecution(caller, { stateMachineArn: arnOf(b, "stateMachineArn"), name: optionalString(b, "name"), input: optionalString(b, "input") }),
      DescribeExecution: (caller, b) => sfn.describeExecution(caller, arnOf(b, "executionArn")),
      GetExecutionHistory: (caller, b) =>
        sfn.getExecutionHistory(caller, {
          executionArn: arnOf(b, "executionArn"),
          reverseOrder: optionalBoolean(b, "reverseOrder") === true,
          maxResults: pageSize(b),
          nextToken: optionalString(b, "nextToken"),
          includeExecutionData: optionalBoolean(b, "includeExecutionData"),
        }),
      ListExecutions: (caller, b) => {
        const statusFilter = optionalString(b, "statusFilter");
        if (statusFilter !== undefined && !EXECUTION_STATUSES.includes(statusFilter)) {
          throw new AwsServiceError(
            SFN_VALIDATION,
            `1 validation error detected: Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${EXECUTION_STATUSES.join(", ")}]`,
          );
        }
        return sfn.listExecutions(caller, {
          stateMachineArn: arnOf(b, "stateMachineArn"),
          statusFilter: statusFilter as StatusFilter | undefined,
          maxResults: pageSize(b),
          nextToken: optionalString(b, "nextToken"),
        });
      },
      StopExecution: (caller, b) =>
        sfn.stopExecution(caller, { executionArn: arnOf(b, "executionArn"), error: optionalString(b, "error"), cause: optionalString(b, "cause") }),
      SendTaskSuccess: async (caller, b) => {
        await sfn.sendTaskSuccess(caller, requiredString(b, "taskToken", SFN_VALIDATION), requiredString(b, "output", SFN_VALIDATION));
        return {};
      },
      SendTaskFailure: async (caller, b) => {
        await sfn.sendTaskFailure(caller, requiredString(b, "taskToken", SFN_VALIDATION), optionalString(b, "error"), optionalString(b, "cause"));
        return {};
      },
      SendTaskHeartbeat: async (caller, b) => {
        await sfn.sendTaskHeartbeat(caller, requiredString(b, "taskToken", SFN_VALIDATION));
        return {};
      },
      ListStateMachines: (caller, b) => sfn.listStateMachines(caller, { maxResults: pageSize(b), nextToken: optionalString(b, "nextToken") }),
      DescribeStateMachine: (caller, b) => sfn.describeStateMachine(caller, arnOf(b, "stateMachineArn")),
      DescribeStateMachineForExecution: (caller, b) => sfn.describeStateMachineForExecution(caller, arnOf(b, "executionArn")),
      ListTagsForResource: (caller, b) => sfn.listTagsForResource(caller, arnOf(b, "resourceArn")),
      CreateStateMachine: (caller, b) =>
        sfn.createStateMachine(caller, {
          name: requiredString(b, "name", SFN_VALIDATION),
          definition: requiredString(b, "definition", SFN_VALIDATION),
          roleArn: requiredString(b, "roleArn", SFN_VALIDATION),
          type: optionalString(b, "type"),
          loggingConfiguration: b.loggingConfiguration,
          tracingConfiguration: b.tracingConfiguration,
          tags: b.tags,
        }),
      UpdateStateMachine: (caller, b) =>
        sfn.updateStateMachine(caller, {
          stateMachineArn: arnOf(b, "stateMachineArn"),
          definition: optionalString(b, "definition"),
          roleArn: optionalString(b, "roleArn"),
          loggingConfiguration: b.loggingConfiguration ?? undefined,
          tracingConfiguration: b.tracingConfiguration ?? undefined,
        }),
      DeleteStateMachine: (caller, b) => sfn.deleteStateMachine(caller, arnOf(b, "stateMachineArn")),
      ValidateStateMachineDefinition: (caller, b) =>
        sfn.validateDefinition(caller, {
          definition: requiredString(b, "definition", SFN_VALIDATION),
          type: optionalString(b, "type"),
          severity: optionalString(b, "severity"),
          maxResults: boundedInteger(b, "maxResults", 0, 100, SFN_VALIDATION),
        }),
      TagResource: (caller, b) => sfn.tagResource(caller, arnOf(b, "resourceArn"), b.tags),
      UntagResource: (caller, b) => {
        const keys = b.tagKeys;
        if (!Array.isArray(keys) || keys.some((k) => typeof k !== "string")) throw new AwsServiceError(SFN_VALIDATION, "tagKeys must be a list of strings");
        return sfn.untagResource(caller, arnOf(b, "resourceArn"), keys as string[]);
      },
    },
  };
}

/** AWSGlue.* over the sandbox's Glue. */
export function glueProtocol(glue: GlueService, crawling: GlueCrawling | undefined, workflows: GlueWorkflowService): ServiceProtocol {
  const jobName = (b: Record<string, unknown>) => requiredString(b, "JobName", GLUE_VALIDATION);
  return {
    contentType: "application/x-amz-json-1.1",
    operations: {
      StartJobRun: (caller, b) =>
        glue.startJobRun(caller, {
          JobName: jobName(b),
          Arguments: typeof b.Arguments === "object" && b.Arguments !== null ? (b.Arguments as Record<string, string>) : undefined,
          Timeout: optionalNumber(b, "Timeout"),
          MaxCapacity: optionalNumber(b, "MaxCapacity"),
        }),
      GetJobRun: async (caller, b) => ({ JobRun: await glue.getJobRun(caller, jobName(b), requiredString(b, "RunId", GLUE_VALIDATION)) }),
      GetJobRuns: (caller, b) => glue.getJobRuns(caller, jobName(b), optionalNumber(b, "MaxResults"), optionalString(b, "NextToken")),
      BatchStopJobRun: (caller, b) => {
        const ids = b.JobRunIds;
        if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string")) {
          throw new AwsServiceError(GLUE_VALIDATION, "JobRunIds must be a list of job run ids");
        }
        return glue.batchStopJobRun(caller, jobName(b), ids as string[]);
      },
      ...glueJobOperations(glue),
      ...glueCrawlerOperations(crawling),
      ...glueWorkflowOperations(workflows),
    },
  };
}
