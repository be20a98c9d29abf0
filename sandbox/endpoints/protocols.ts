import { eventsProtocol } from "../events/events-protocol";
import type { EventsService } from "../events/events-service";
import { dynamoDbProtocol } from "../dynamodb/dynamodb-protocol";
import type { DynamoDbService } from "../dynamodb/dynamodb-service";
import type { GlueService } from "../glue/glue-service";
import type { GlueCrawling } from "./glue-crawler-operations";
import type { GlueWorkflowService } from "../glue/workflow-service";
import { logsProtocol } from "../logs/logs-protocol";
import type { LogsService } from "../logs/logs-service";
import type { StepFunctionsService } from "../sfn/sfn-service";
import { sqsProtocol, SQS_TARGET_PREFIX } from "../sqs/sqs-protocol";
import type { SqsService } from "../sqs/sqs-service";
import { glueProtocol, stepFunctionsProtocol, type ServiceProtocol } from "./operations";

export interface JsonServices {
  readonly sfn: StepFunctionsService;
  readonly glue: GlueService;
  readonly glueCrawling?: GlueCrawling;
  readonly glueWorkflows: GlueWorkflowService;
  readonly logs: LogsService;
  readonly events: EventsService;
  readonly dynamodb: DynamoDbService;
  readonly sqs: SqsService;
}

/**
 * Each JSON service the API server answers: its name in AWS's docs, its key in SandboxEndpoints and its
 * X-Amz-Target prefix (the service model's metadata.targetPrefix) and the name requests are signed for (the
 * model's metadata.signingName, which defaults to its endpointPrefix: states, glue, logs, dynamodb, sqs).
 */
export const JSON_SERVICES = [
  { name: "Step Functions", endpoint: "sfn", targetPrefix: "AWSStepFunctions", signingName: "states", protocol: (s: JsonServices) => stepFunctionsProtocol(s.sfn) },
  { name: "Glue", endpoint: "glue", targetPrefix: "AWSGlue", signingName: "glue", protocol: (s: JsonServices) => glueProtocol(s.glue, s.glueCrawling, s.glueWorkflows) },
  { name: "CloudWatch Logs", endpoint: "logs", targetPrefix: "Logs_20140328", signingName: "logs", protocol: (s: JsonServices) => logsProtocol(s.logs) },
  { name: "EventBridge", endpoint: "events", targetPrefix: "AWSEvents", signingName: "events", protocol: (s: JsonServices) => eventsProtocol(s.events) },
  { name: "DynamoDB", endpoint: "dynamodb", targetPrefix: "DynamoDB_20120810", signingName: "dynamodb", protocol: (s: JsonServices) => dynamoDbProtocol(s.dynamodb) },
  { name: "SQS", endpoint: "sqs", targetPrefix: SQS_TARGET_PREFIX, signingName: "sqs", protocol: (s: JsonServices) => sqsProtocol(s.sqs) },
] as const;

/** X-Amz-Target prefix -> protocol, as the API server routes requests. */
export function jsonProtocols(services: JsonServices): Record<string, ServiceProtocol> {
  return Object.fromEntries(JSON_SERVICES.map((s) => [s.targetPrefix, s.protocol(services)]));
}

/** X-Amz-Target prefix -> the service name a request's SigV4 credential scope must carry. */
export const SIGNING_NAMES: ReadonlyMap<string, string> = new Map(JSON_SERVICES.map((s) => [s.targetPrefix, s.signingName]));
