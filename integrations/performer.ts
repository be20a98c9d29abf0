/**
 * What a registry module's performer gets from the sandbox: one attempt of a Task state and the sandbox's
 * services. Types only (and one error class): loading the registry loads no sandbox engine.
 */
import type { JsonObject } from "../policy/analysis/walk";
import type { ParsedResource } from "../policy/analysis/types";
import type { GlueService } from "../sandbox/glue/glue-service";
import type { GlueCrawling } from "../sandbox/glue/crawler-service";
import type { GlueWorkflowService } from "../sandbox/glue/workflow-service";
import type { AuthorizationRequest } from "../sandbox/iam/authorizer";
import type { Credentials, Principal } from "../sandbox/iam/principals";
import type { DynamoDbService } from "../sandbox/dynamodb/dynamodb-service";
import type { SnsService } from "../sandbox/sns/sns-service";
import type { SqsService } from "../sandbox/sqs/sqs-service";
import type { LambdaService } from "../sandbox/lambda/lambda-service";
import type { ExecutionDescription } from "../sandbox/sfn/sfn-service";
import type { TaskTokenRegistry } from "../sandbox/sfn/task-tokens";

/**
 * A Task state failing with Step Functions' error name and cause; what Retry, Catch and the execution's
 * failure see. The interpreter reads `name` and `message`.
 */
export class TaskFailure extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}

/** One attempt of a Task state, as the integration sees it. */
export interface TaskAttempt {
  readonly executionArn: string;
  readonly stateName: string;
  /** The state as written (HeartbeatSeconds and the like). */
  readonly state: JsonObject;
  readonly resource: ParsedResource;
  /** The effective parameters (Parameters applied to the state input). */
  readonly parameters: unknown;
  /** The task token the parameters saw, for .waitForTaskToken tasks. */
  readonly taskToken?: string;
  /** The state machine's role session: every call is made, and authorized, as it. */
  readonly principal: Principal;
  /** Aborted when the attempt is abandoned (state timeout, execution stopped or ended). */
  readonly signal: AbortSignal;
  /** Appends an event to the execution's history. */
  record(type: string, details?: Record<string, unknown>): void;
  /** Registers work to do if the attempt is abandoned (stop the job, spend the token). */
  onAbandon(cleanup: () => Promise<void> | void): void;
}

/** Step Functions' own API, as a Task calls it (nested executions); the sandbox's StepFunctionsService. */
export interface StepFunctionsForTasks {
  startExecution(caller: Principal, request: { stateMachineArn: string; name?: string; input?: string }): Promise<{ executionArn: string; startDate: Date }>;
  describeExecution(caller: Principal, executionArn: string): Promise<ExecutionDescription>;
  stopExecution(caller: Principal, request: { executionArn: string; error?: string; cause?: string }): Promise<{ stopDate: Date }>;
  /** Resolves when the execution has ended (the sandbox's stand-in for the EventBridge rule AWS uses for .sync). */
  whenFinished(executionArn: string): Promise<ExecutionDescription>;
}

/** EventBridge's PutEvents, as a Task calls it; the sandbox's EventsService. */
export interface EventsForTasks {
  putEvents(caller: Principal, entries: readonly Record<string, unknown>[]): Promise<{ FailedEntryCount: number; Entries: readonly Record<string, unknown>[] }>;
}

export interface IntegrationServices {
  readonly region: string;
  readonly accountId: string;
  readonly lambda: LambdaService;
  readonly glue: GlueService;
  /** Glue's crawlers and Data Catalog (absent where a test harness builds the services without them). */
  readonly glueCrawling?: GlueCrawling;
  /** Glue workflows and triggers (aws-sdk:glue workflow and trigger calls). */
  readonly glueWorkflows: GlueWorkflowService;
  readonly states: StepFunctionsForTasks;
  readonly dynamodb: DynamoDbService;
  readonly sqs: SqsService;
  readonly sns: SnsService;
  /** S3 is called over its endpoint, signed with the principal's keys, as a function's SDK calls it. */
  readonly s3: { readonly endpoint: () => string; readonly credentialsOf: (principal: Principal) => Credentials };
  readonly events: EventsForTasks;
  /** Authorizes calls the integration makes that no sandbox service answers (e.g. the events rule of .sync). */
  readonly authorize: (request: AuthorizationRequest) => Promise<void>;
  readonly tokens: TaskTokenRegistry;
  /** Multiplies HeartbeatSeconds. */
  readonly timeScale: number;
  /** Delay between two GetJobRun polls of a .sync Glue task (AWS: about a minute). */
  readonly syncPollIntervalMs: number;
}

/**
 * How the sandbox performs one action of an integration: the Task's result, or a thrown TaskFailure.
 * `preload` (lazy performers) loads its code now.
 */
export type Performer = ((attempt: TaskAttempt, services: IntegrationServices) => Promise<unknown>) & { readonly preload?: () => void };
